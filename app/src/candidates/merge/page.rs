//! The merge page: pick the duplicate (suggested, or by email address), see the
//! result side by side, confirm.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{load_merge, MergeCandidates, MergeChoice, MergeFields, MergePreview};
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, ServerForm, StaffPage};

#[component]
pub fn MergePage() -> impl IntoView {
    let id = id_param();
    let other = use_query_map().with_untracked(|q| q.get("other"));
    let error = error_from_query(MergeCandidates::PATH);
    let fetch = move || {
        let other = other.clone();
        async move { load_merge(id?, other).await }
    };
    let render = move |choice| view! { <MergeView choice error=error.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::CANDIDATE_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn MergeView(choice: MergeChoice, error: Option<String>) -> impl IntoView {
    let id = choice.candidate_id;
    let title = format!("Merge a duplicate into {}", choice.candidate_name);
    view! {
        <Title text=title.clone()/>
        <p><a href=format!("/candidates/{id}")>"← Back to the profile"</a></p>
        <h1>{title}</h1>
        <p class="lead">"The record you came from stays: it keeps its values, takes the duplicate's where it has none, and gets the duplicate's tags, skills, applications, notes and emails. The duplicate is retired."</p>
        {(!choice.suggestions.is_empty()).then(|| view! {
            <section aria-labelledby="suggested">
                <h2 id="suggested">"Possible duplicates"</h2>
                <ul>
                    {choice.suggestions.into_iter().map(|s| view! {
                        <li>
                            <a href=format!("/candidates/{id}/merge?other={}", s.email)>{format!("{} <{}>", s.full_name, s.email)}</a>
                            " · "<span class="muted">{s.why}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <form method="get" class="filters" action=format!("/candidates/{id}/merge")>
            <label for="merge-other">"Duplicate's email address"</label>
            <input id="merge-other" name="other" type="email" required=true/>
            <button type="submit" class="secondary">"Compare"</button>
        </form>
        {choice.problem.map(|problem| view! { <p class="form-error" role="alert">{problem}</p> })}
        {choice.preview.map(|preview| view! { <Comparison preview error/> })}
    }
}

#[component]
fn Comparison(preview: MergePreview, error: Option<String>) -> impl IntoView {
    let kept_id = preview.kept.id.to_string();
    let duplicate_id = preview.duplicate.id.to_string();
    let row = |label: &'static str, get: fn(&MergeFields) -> String, p: &MergePreview| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>{get(&p.kept.fields)}</td>
                <td>{get(&p.duplicate.fields)}</td>
                <td><strong>{get(&p.result)}</strong></td>
            </tr>
        }
    };
    let rows = vec![
        row("Name", |f| f.full_name.clone(), &preview),
        row("Email", |f| f.email.clone(), &preview),
        row("Phone", |f| f.phone.clone(), &preview),
        row("Location", |f| f.location.clone(), &preview),
        row("Headline", |f| f.headline.clone(), &preview),
        row("Source", |f| f.source.label().to_string(), &preview),
        row("Tags", |f| f.tags.join(", "), &preview),
    ];
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join(", ")
        }
    };
    let mut skills = preview.kept.skills.clone();
    skills.extend(
        preview
            .duplicate
            .skills
            .iter()
            .filter(|s| !preview.kept.skills.contains(s))
            .cloned(),
    );
    view! {
        <section aria-labelledby="comparison">
            <h2 id="comparison">"Before and after"</h2>
            <table class="merge-table">
                <thead><tr><th></th><th>"Stays"</th><th>"Duplicate"</th><th>"After the merge"</th></tr></thead>
                <tbody>
                    {rows}
                    <tr>
                        <th scope="row">"Skills"</th>
                        <td>{list(&preview.kept.skills)}</td>
                        <td>{list(&preview.duplicate.skills)}</td>
                        <td><strong>{list(&skills)}</strong></td>
                    </tr>
                    <tr>
                        <th scope="row">"Applications"</th>
                        <td>{list(&preview.kept.requisitions)}</td>
                        <td>{list(&preview.duplicate.requisitions)}</td>
                        <td></td>
                    </tr>
                </tbody>
            </table>
            {(!preview.shared_requisitions.is_empty()).then(|| view! {
                <p class="alert">{format!(
                    "Both applied to {}: the staying record's application is kept there, with the duplicate's notes added to it; the duplicate's stage history for it is not kept.",
                    preview.shared_requisitions.join(", ")
                )}</p>
            })}
            <ServerForm action=MergeCandidates::url() submit_label="Merge the duplicate into this record" busy_label="Merging…" danger=true error=error>
                <input type="hidden" name="id" value=kept_id/>
                <input type="hidden" name="duplicate_id" value=duplicate_id/>
            </ServerForm>
        </section>
    }
}
