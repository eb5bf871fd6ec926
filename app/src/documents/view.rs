//! The profile's "Documents" section: the upload form, and each document with its text's
//! status, the fields read from it (with what they rest on, to accept into the record),
//! the skills found (the evidence highlighted) and its extraction log.

use leptos::prelude::*;
use server_fn::ServerFn;
use uuid::Uuid;

use super::fields::{Evidence as Span, Parsed};
use super::{
    load_documents, size_label, AcceptParsedField, CandidateDocuments, ConfirmDocument,
    DeleteDocument, DocumentKind, DocumentView, TextStatus, UploadDocument, FILE_PATH,
};
use crate::candidates::Via;
use crate::skills::Evidence;
use crate::ui::form::error_from_query;
use crate::ui::time::format_time;
use crate::ui::{loaded, SelectField, ServerForm};

#[component]
pub fn DocumentsSection(candidate_id: Uuid) -> impl IntoView {
    let fetch = move || load_documents(candidate_id);
    view! {
        <section aria-labelledby="documents" id="documents-section">
            <h2 id="documents">"Documents"</h2>
            {loaded(fetch, |documents| view! { <Documents documents/> })}
        </section>
    }
}

#[component]
fn Documents(documents: CandidateDocuments) -> impl IntoView {
    let upload_error = error_from_query(UploadDocument::PATH);
    let kinds: Vec<(String, String)> = DocumentKind::ALL
        .iter()
        .map(|kind| (kind.as_str().to_string(), kind.label().to_string()))
        .collect();
    let record = (
        documents.record_phone.clone(),
        documents.record_location.clone(),
    );
    view! {
        {if documents.documents.is_empty() {
            view! { <p class="muted">"No documents yet."</p> }.into_any()
        } else {
            documents.documents.into_iter().map(|doc| view! { <Document doc record=record.clone()/> }).collect_view().into_any()
        }}
        <form method="post" action=UploadDocument::url() enctype="multipart/form-data" class="form">
            <h3>"Upload a document"</h3>
            <input type="hidden" name="candidate_id" value=documents.candidate_id.to_string()/>
            <SelectField name="kind" label="What it is" options=kinds selected="resume".to_string()/>
            <div class="field">
                <label for="document-file">"File"</label>
                <input id="document-file" name="file" type="file" required=true accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain" aria-describedby="document-file-hint"/>
                <p class="field-hint" id="document-file-hint">"A PDF, a Word (.docx) or a plain text file of at most 10 MB. Its text is read and matched against the skill list; the same file twice is kept once."</p>
            </div>
            <p class="form-error" role="alert" hidden=upload_error.is_none()>{upload_error.clone()}</p>
            <button type="submit">"Upload"</button>
        </form>
    }
}

#[component]
fn Document(doc: DocumentView, record: (String, String)) -> impl IntoView {
    let heading = format!("document-{}", doc.id);
    let from = match (doc.via, doc.uploaded_by.clone()) {
        (Via::CareersPage, _) => "sent with an application on the careers page".to_string(),
        (Via::Staff, Some(name)) => format!("uploaded by {name}"),
        (Via::Staff, None) => "uploaded by a former staff member".to_string(),
    };
    let deleted = doc.deleted_at;
    let facts = format!(
        "{} · {} · {} · {}",
        doc.kind.label(),
        size_label(doc.size_bytes),
        from,
        format_time(&doc.created_at)
    );
    let status_class = match doc.text_status {
        TextStatus::Extracted => "status status-open",
        TextStatus::Pending => "status",
        TextStatus::NoText | TextStatus::Failed => "status status-cancelled",
    };
    let delete_error = error_from_query(DeleteDocument::PATH);
    let id = doc.id;
    view! {
        <article class="document" aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{doc.filename.clone()}</h3>
            <p class="muted">{facts}</p>
            {match deleted {
                Some(at) => view! {
                    <p class="muted">{format!("Deleted {}: the file is gone; what was read from it stays on record.", format_time(&at))}</p>
                }.into_any(),
                None => view! {
                    <p>
                        <a href=format!("{FILE_PATH}/{id}/file")>"Download"</a>" "
                        <span class=status_class>{doc.text_status.label()}</span>
                    </p>
                }.into_any(),
            }}
            {(!doc.confirmed && deleted.is_none()).then(|| view! { <Unconfirmed id only_for=doc.only_for.clone()/> })}
            {doc.parsed.clone().filter(|_| deleted.is_none()).map(|parsed| view! { <ParsedFields id parsed record confirmed=doc.confirmed/> })}
            <SkillEvidence evidence=doc.evidence.clone()/>
            <ExtractionLog doc=doc.clone()/>
            {deleted.is_none().then(|| view! {
                <ServerForm action=DeleteDocument::url() submit_label="Delete document" busy_label="Deleting…" danger=true inline=true error=delete_error>
                    <input type="hidden" name="id" value=id.to_string()/>
                </ServerForm>
            })}
        </article>
    }
}

/// A document from the careers page on a record that existed before: whose it is, and
/// what it counts for until a recruiter confirms it.
#[component]
fn Unconfirmed(id: Uuid, only_for: Vec<String>) -> impl IntoView {
    let counts = match only_for.as_slice() {
        [] => "Until you confirm it is theirs, it counts for no application's skill score."
            .to_string(),
        [job] => {
            format!("Until you confirm it is theirs, it counts only for the application to {job}.")
        }
        jobs => format!(
            "Until you confirm it is theirs, it counts only for the applications to {}.",
            jobs.join(", ")
        ),
    };
    let error = error_from_query(ConfirmDocument::PATH);
    view! {
        <div class="notice notice-warning">
            <p>"Sent on the careers page by someone who gave this candidate's email address, to a record that existed before: nothing shows it came from them. "{counts}</p>
            <ServerForm action=ConfirmDocument::url() submit_label="Confirm it is the candidate's" busy_label="Confirming…" inline=true error=error>
                <input type="hidden" name="id" value=id.to_string()/>
            </ServerForm>
        </div>
    }
}

/// What a value rests on: the line or sentence it was read from.
fn rests_on(span: &Span) -> impl IntoView {
    view! { <span class="muted rests-on">" — from “"{span.excerpt.clone()}"”"</span> }
}

#[component]
fn ParsedFields(
    id: Uuid,
    parsed: Parsed,
    record: (String, String),
    confirmed: bool,
) -> impl IntoView {
    let (record_phone, record_location) = record;
    let accept = move |field: &'static str, label: &'static str| {
        let error = error_from_query(AcceptParsedField::PATH);
        view! {
            <ServerForm action=AcceptParsedField::url() submit_label=label busy_label="Saving…" inline=true error=error>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="field" value=field/>
            </ServerForm>
        }
    };
    let phone = parsed.phones.first().cloned();
    let location = parsed.location.clone();
    let experience = parsed
        .years_of_experience
        .map(|years| format!("{years:.1} years in total"));
    view! {
        <h4>"Read from the document"</h4>
        <p class="muted">{if confirmed {
            "Nothing here changes the record until you accept it."
        } else {
            "Nothing here changes the record: confirm the document is the candidate's before using what was read from it."
        }}</p>
        <dl class="facts parsed">
            {parsed.emails.first().map(|found| view! {
                <dt>"Email"</dt><dd>{found.value.clone()}{rests_on(&found.evidence)}</dd>
            })}
            {phone.map(|found| {
                let differs = confirmed && found.value != record_phone;
                view! {
                    <dt>"Phone"</dt>
                    <dd>{found.value.clone()}{rests_on(&found.evidence)}
                        {differs.then(|| accept("phone", "Use this phone"))}
                    </dd>
                }
            })}
            {location.map(|found| {
                let differs = confirmed && found.value != record_location;
                view! {
                    <dt>"Location"</dt>
                    <dd>{found.value.clone()}{rests_on(&found.evidence)}
                        {differs.then(|| accept("location", "Use this location"))}
                    </dd>
                }
            })}
            {(!parsed.links.is_empty()).then(|| view! {
                <dt>"Links"</dt>
                <dd><ul>{parsed.links.iter().map(|found| view! {
                    <li>{found.value.kind.label()}": "{found.value.url.clone()}</li>
                }).collect_view()}</ul></dd>
            })}
            {(!parsed.work.is_empty() || experience.is_some()).then(|| view! {
                <dt>"Work history"</dt>
                <dd>
                    {experience.clone()}
                    <ul>{parsed.work.iter().map(|found| view! {
                        <li>{found.value.summary()}{rests_on(&found.evidence)}</li>
                    }).collect_view()}</ul>
                </dd>
            })}
            {(!parsed.education.is_empty()).then(|| view! {
                <dt>"Education"</dt>
                <dd><ul>{parsed.education.iter().map(|found| view! {
                    <li>{found.value.clone()}</li>
                }).collect_view()}</ul></dd>
            })}
        </dl>
    }
}

#[component]
fn SkillEvidence(evidence: Vec<Evidence>) -> impl IntoView {
    (!evidence.is_empty()).then(|| {
        view! {
            <h4>"Skills found"</h4>
            <crate::skills::evidence::EvidenceList evidence/>
        }
    })
}

#[component]
fn ExtractionLog(doc: DocumentView) -> impl IntoView {
    let count = doc.attempts.len();
    (count > 0).then(|| {
        view! {
            <details class="extraction-log">
                <summary>{format!("Extraction log ({})", crate::ui::counted(count as i64, "attempt", "attempts"))}</summary>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"Attempt"</th><th>"Method"</th><th>"Result"</th><th>"Pages"</th><th>"Characters"</th><th>"Took"</th><th>"Error"</th></tr></thead>
                        <tbody>
                            {doc.attempts.into_iter().map(|attempt| view! {
                                <tr>
                                    <td>{attempt.attempt}</td>
                                    <td>{super::method_label(&attempt.method)}</td>
                                    <td>{attempt.status.label()}</td>
                                    <td>{attempt.pages.map(|p| p.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{attempt.characters}</td>
                                    <td>{format!("{} ms", attempt.duration_ms)}</td>
                                    <td>{attempt.error.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

/// The application page's "Skill match": the score explained, the skills found and
/// missing, and the evidence highlighted.
#[component]
pub fn SkillMatchSection(application_id: Uuid) -> impl IntoView {
    let fetch = move || super::load_application_match(application_id);
    loaded(fetch, |found: Option<super::ApplicationMatch>| {
        found.map(|found| {
            let score = found.score;
            let list = |names: Vec<String>| {
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            };
            view! {
                <section aria-labelledby="skill-match">
                    <h2 id="skill-match">{format!("Skill match: {}%", score.percent)}</h2>
                    <p>{found.explanation.clone()}</p>
                    <dl class="facts">
                        <dt>"Required, found"</dt><dd>{list(score.required_found.clone())}</dd>
                        <dt>"Required, missing"</dt><dd>{list(score.required_missing.clone())}</dd>
                        <dt>"Nice to have, found"</dt><dd>{list(score.nice_found.clone())}</dd>
                        <dt>"Nice to have, missing"</dt><dd>{list(score.nice_missing.clone())}</dd>
                    </dl>
                    {(!found.evidence.is_empty()).then(|| view! {
                        <h3>"Where the résumé shows them"</h3>
                        <crate::skills::evidence::EvidenceList evidence=found.evidence.clone()/>
                    })}
                </section>
            }
        })
    })
}
