//! Import pages: the upload form, then one page per import that shows the column mapping
//! preview, the bad rows by line, the progress bar while it runs, and the outcome.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{
    load_candidate_import, CheckCandidateImport, Duplicates, Field, ImportSkippingBadRows,
    ImportStatus, ImportView, UploadCandidateImport,
};
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, with_blank, SelectField, ServerForm, StaffPage};

#[component]
pub fn ImportUploadPage() -> impl IntoView {
    let error = error_from_query(UploadCandidateImport::PATH);
    view! {
        <StaffPage title="Import candidates" roles=crate::access::CANDIDATE_ROLES>
            <p>"Upload a CSV file with a header row (UTF-8, comma or semicolon separated, at most 5 MB and 20,000 rows). "
               "You choose which column holds which field on the next page and see the first rows before anything is imported. "
               "A file not imported within a day is deleted."</p>
            <p class="muted">"Recognised headers: name, email, phone, location or city, headline or title, source, tags, skills. "
               "Tags and skills are separated by commas or semicolons; skills must be on the organization's skill list."</p>
            <form method="post" action=UploadCandidateImport::url() enctype="multipart/form-data" class="form">
                <div class="field">
                    <label for="file">"CSV file"</label>
                    <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <p class="form-error" role="alert" hidden=error.is_none()>{error.clone()}</p>
                <button type="submit">"Upload and preview"</button>
            </form>
            <p><a href="/candidates">"Back to candidates"</a></p>
        </StaffPage>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_candidate_import(id?).await };
    let render = |import: ImportView| match import.status {
        ImportStatus::Uploaded => view! { <Preview import/> }.into_any(),
        ImportStatus::Queued | ImportStatus::Running => view! { <Running import/> }.into_any(),
        ImportStatus::Done => view! { <Done import/> }.into_any(),
        ImportStatus::Failed => view! { <Failed import/> }.into_any(),
    };
    view! {
        <StaffPage title="Import candidates" roles=crate::access::CANDIDATE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}

#[component]
fn Preview(import: ImportView) -> impl IntoView {
    let check_error = error_from_query(CheckCandidateImport::PATH);
    let skip_error = error_from_query(ImportSkippingBadRows::PATH);
    let columns = with_blank(
        "Not imported",
        import.header.iter().enumerate().map(|(i, h)| {
            let name = if h.is_empty() {
                "(no header)"
            } else {
                h.as_str()
            };
            (i.to_string(), format!("Column {}: {name}", i + 1))
        }),
    );
    let selects = Field::ALL
        .into_iter()
        .map(|field| {
            let selected = import
                .mapping
                .column(field)
                .map(|c| c.to_string())
                .unwrap_or_default();
            view! { <SelectField name=field.form_name() label=field.label() options=columns.clone() selected/> }
        })
        .collect_view();
    let merge = import.duplicates == Duplicates::Merge;
    let bad = import.errors.len();
    let good = (import.total_rows as usize).saturating_sub(bad);
    view! {
        <p>{format!("{}: {} rows.", import.filename, import.total_rows)}</p>
        <section aria-labelledby="preview">
            <h2 id="preview">"First rows as they will be imported"</h2>
            <div class="table-wrap" tabindex="0">
                <table>
                    <thead><tr>{Field::ALL.iter().map(|f| view! { <th>{f.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {import.preview.into_iter().map(|row| view! {
                            <tr>{row.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(bad > 0).then(|| view! {
            <section aria-labelledby="row-errors" class="card">
                <h2 id="row-errors">{if bad == 1 { "1 row has an error; nothing was imported".to_string() } else { format!("{bad} rows have errors; nothing was imported") }}</h2>
                <ul class="row-errors">
                    {import.errors.iter().map(|e| view! {
                        <li data-line=e.line.to_string()>{format!("Line {}: {}", e.line, e.message)}</li>
                    }).collect_view()}
                </ul>
                <p>"Fix the file and " <a href="/candidates/import">"upload it again"</a>", or leave these lines out:"</p>
                {(good > 0).then(|| view! {
                    <ServerForm action=ImportSkippingBadRows::url() submit_label=if good == 1 { "Import the other row and skip these lines".to_string() } else { format!("Import the other {good} rows and skip these lines") } busy_label="Starting…" error=skip_error.clone()>
                        <input type="hidden" name="id" value=import.id.to_string()/>
                    </ServerForm>
                })}
            </section>
        })}
        <section aria-labelledby="mapping">
            <h2 id="mapping">"Columns"</h2>
            <ServerForm action=CheckCandidateImport::url() submit_label="Check and import" busy_label="Checking…" error=check_error>
                <input type="hidden" name="choice[id]" value=import.id.to_string()/>
                <div class="form-row">{selects}</div>
                <fieldset>
                    <legend>"Candidates whose email is already in ARE"</legend>
                    <p><label><input type="radio" name="choice[duplicates]" value="skip" checked=!merge/>" Skip candidates whose email already exists"</label></p>
                    <p><label><input type="radio" name="choice[duplicates]" value="merge" checked=merge/>" Merge into the existing candidate (fill empty fields, add tags and skills; nothing is overwritten)"</label></p>
                </fieldset>
            </ServerForm>
        </section>
    }
}

#[component]
fn Running(import: ImportView) -> impl IntoView {
    view! {
        <noscript><meta http-equiv="refresh" content="2"/></noscript>
        <p>{format!("Importing {}…", import.filename)}</p>
        <ImportProgressBar id=import.id.to_string() total=import.total_rows processed=import.processed_rows/>
    }
}

#[component]
fn Done(import: ImportView) -> impl IntoView {
    view! {
        <p>{format!("{} is imported.", import.filename)}</p>
        <progress max=import.total_rows.max(1) value=import.total_rows.max(1) aria-label="Import progress"></progress>
        <p class="import-summary" role="status">
            {format!("{} created, {} merged, {} skipped (already in ARE)", import.created, import.merged, import.skipped)}
            {(import.skipped_lines > 0).then(|| format!("; {} lines with errors left out", import.skipped_lines))}
            "."
        </p>
        <p><a href="/candidates">"See the candidates"</a>" · "<a href="/candidates/import">"Import another file"</a></p>
    }
}

#[component]
fn Failed(import: ImportView) -> impl IntoView {
    view! {
        <p class="form-error" role="alert">{import.error.unwrap_or_else(|| "The import failed.".into())}</p>
        <p>"Nothing was imported."</p>
        {(!import.errors.is_empty()).then(|| view! {
            <ul class="row-errors">
                {import.errors.iter().map(|e| view! { <li>{format!("Line {}: {}", e.line, e.message)}</li> }).collect_view()}
            </ul>
        })}
        <p><a href="/candidates/import">"Upload a file again"</a></p>
    }
}

/// The progress bar; in the browser the `ImportPoller` island asks for the import's
/// progress every second and reloads the page when the import ends (without JavaScript
/// the page refreshes itself).
#[component]
pub fn ImportProgressBar(id: String, total: i32, processed: i32) -> impl IntoView {
    view! {
        <ImportPoller>
            <div id="import-progress" data-import=id>
                <progress max=total.max(1) value=processed aria-label="Import progress"></progress>
                <p role="status">{format!("{processed} of {total} rows")}</p>
            </div>
        </ImportPoller>
    }
}

// An island in the staff pages' bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
fn ImportPoller(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::poll();
    children()
}

#[cfg(feature = "staff-islands")]
mod client {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::set_interval_with_handle;

    use super::super::{ImportProgress, ImportStatus};
    use crate::json::JsonValue;
    use crate::ui::dom;

    /// Every second: POST the status server function, update the bar, reload when over.
    pub fn poll() {
        let Some(id) = dom::element("import-progress").and_then(|e| e.get_attribute("data-import"))
        else {
            return;
        };
        let busy = Rc::new(Cell::new(false));
        let _ = set_interval_with_handle(
            move || {
                if busy.replace(true) {
                    return;
                }
                let (id, busy) = (id.clone(), busy.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(progress) = fetch(&id).await {
                        show(&progress);
                        if matches!(progress.status, ImportStatus::Done | ImportStatus::Failed) {
                            if let Some(window) = web_sys::window() {
                                let _ = window.location().reload();
                            }
                            return;
                        }
                    }
                    busy.set(false);
                });
            },
            Duration::from_secs(1),
        );
    }

    fn show(progress: &ImportProgress) {
        let Some(bar) = dom::element("import-progress") else {
            return;
        };
        if let Some(meter) = dom::first(&bar, "progress") {
            let _ = meter.set_attribute("max", &progress.total_rows.max(1).to_string());
            let _ = meter.set_attribute("value", &progress.processed_rows.to_string());
        }
        if let Some(status) = dom::first(&bar, "[role=status]") {
            dom::set_text(
                &status,
                &format!(
                    "{} of {} rows",
                    progress.processed_rows, progress.total_rows
                ),
            );
        }
    }

    async fn fetch(id: &str) -> Option<ImportProgress> {
        let body = wasm_bindgen::JsValue::from_str(&format!("id={id}"));
        let response = crate::ui::fetch::post(
            "/api/candidates/import/status",
            &body,
            Some("application/x-www-form-urlencoded"),
        )
        .await
        .ok()?;
        if !response.ok() {
            return None;
        }
        let value = crate::json::parse(&crate::ui::fetch::text(&response).await);
        Some(ImportProgress {
            status: ImportStatus::parse(&value.field("status")?.string()?)?,
            total_rows: value.field("total_rows")?.number()? as i32,
            processed_rows: value.field("processed_rows")?.number()? as i32,
        })
    }
}
