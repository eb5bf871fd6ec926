//! The admin's audit log: filter by action, person and dates; newest first, 50 a page.

use leptos::prelude::*;

use super::{list_audit, AuditFilter};
use crate::access::Role;
use crate::ui::time::format_time;
use crate::ui::{loaded, with_blank, SelectField, StaffPage, UrlQuery};

const FILTER_KEYS: &[&str] = &["action", "actor", "since", "until", "before"];

fn filter_of(query: &UrlQuery) -> AuditFilter {
    AuditFilter {
        action: query.get("action"),
        actor: query.get("actor"),
        since: query.get("since").and_then(|d| d.parse().ok()),
        until: query.get("until").and_then(|d| d.parse().ok()),
        before: query.get("before").and_then(|id| id.parse().ok()),
    }
}

/// An entry's details as “key: value” pairs, as a person reads them.
fn describe_details(json: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(map) => map
            .iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Err(_) => json.to_string(),
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = UrlQuery::current(FILTER_KEYS);
    let filter = filter_of(&query);
    let fetch = {
        let f = filter.clone();
        move || {
            list_audit(
                f.action.clone(),
                f.actor.clone(),
                f.since,
                f.until,
                f.before,
            )
        }
    };
    let render = move |(page, actions)| view! { <AuditView filter=filter.clone() query=query.clone() page actions/> };
    view! {
        <StaffPage title="Audit log" roles=&[Role::Admin]>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn AuditView(
    filter: AuditFilter,
    query: UrlQuery,
    page: super::AuditPage,
    actions: Vec<String>,
) -> impl IntoView {
    let action_options = with_blank("Any action", actions.into_iter().map(|a| (a.clone(), a)));
    let older = page
        .next
        .map(|before| query.link_with("/admin/audit", "before", &before.to_string()));
    view! {
        <form method="get" action="/admin/audit" class="filters" role="search" aria-label="Filter the audit log">
            <SelectField name="action" label="Action" options=action_options selected=filter.action.clone().unwrap_or_default()/>
            <div class="field">
                <label for="actor">"Person (email contains)"</label>
                <input id="actor" name="actor" type="search" value=filter.actor.clone()/>
            </div>
            <div class="field">
                <label for="since">"From"</label>
                <input id="since" name="since" type="date" value=filter.since.map(|d| d.to_string())/>
            </div>
            <div class="field">
                <label for="until">"Until"</label>
                <input id="until" name="until" type="date" value=filter.until.map(|d| d.to_string())/>
            </div>
            <button type="submit">"Filter"</button>
            <a href="/admin/audit" class="button secondary">"Clear"</a>
        </form>
        {if page.items.is_empty() {
            view! { <p class="muted">"No entries match."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead><tr><th>"When"</th><th>"What happened"</th><th>"Action"</th><th>"Account"</th><th>"Target"</th><th>"Details"</th><th>"Address"</th></tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|entry| view! {
                                <tr>
                                    <td>{format_time(&entry.created_at)}</td>
                                    <td>{entry.sentence()}</td>
                                    <td><code>{entry.action}</code></td>
                                    <td>{entry.actor_email.unwrap_or_else(|| "—".into())}</td>
                                    <td>{entry.target_type.map(|t| view! { {t} " " <span class="target-id">{entry.target_id}</span> })}</td>
                                    <td class="details">{describe_details(&entry.details)}</td>
                                    <td>{entry.client_ip}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {older.map(|href| view! { <p><a href=href>"Older entries →"</a></p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::describe_details;

    #[test]
    fn details_read_as_key_value_pairs() {
        assert_eq!(
            describe_details(r#"{"from":"recruiter","to":"admin"}"#),
            "from: recruiter, to: admin"
        );
        assert_eq!(describe_details("{}"), "");
        assert_eq!(describe_details(r#"{"n":3}"#), "n: 3");
    }
}
