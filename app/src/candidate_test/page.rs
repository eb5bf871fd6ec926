//! `/test/:token`: the candidate's page. Before the start it says what the test is and
//! what is monitored and asks for consent; during the test it holds the test island;
//! afterwards it confirms the submission and cannot start anything again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use super::island::TestRunner;
use super::{test_link, Landing, LinkState, StartTest};
use crate::ui::errors::{error_view, set_status};
use crate::ui::form::{error_from_query, ServerForm};

#[component]
pub fn TestPage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let error = error_from_query(StartTest::PATH);
    let state = crate::ui::load::once(test_link(token.clone()));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (token, error, state) = (token.clone(), error.clone(), state.clone());
                Suspend::new(async move {
                    match state.await {
                        Ok(LinkState::Ready(landing)) => view! { <Ready landing token error/> }.into_any(),
                        Ok(LinkState::InProgress(test)) => view! {
                            <Title text=test.title.clone()/>
                            <main class="test-page"><TestRunner test/></main>
                        }.into_any(),
                        Ok(LinkState::Finished { title, timed_out }) => view! {
                            <Title text=title.clone()/>
                            <main class="standalone narrow test-done">
                                <h1>{title}</h1>
                                <p role="status">{if timed_out {
                                    "Time ran out, so your test was handed in automatically with every answer you had saved."
                                } else {
                                    "Your answers have been submitted. Thank you!"
                                }}</p>
                                <p>"The recruiting team will be in touch. You can close this page."</p>
                            </main>
                        }.into_any(),
                        Ok(LinkState::Unavailable(message)) => view! {
                            <Title text="Test not available"/>
                            <main class="standalone narrow">
                                <h1>"This test is not available"</h1>
                                <p>{message}</p>
                            </main>
                        }.into_any(),
                        Ok(LinkState::Invalid) => {
                            set_status(404);
                            view! {
                                <Title text="Link not valid"/>
                                <main class="standalone narrow">
                                    <h1>"This link is not valid"</h1>
                                    <p>"It may have expired or been replaced by a newer one. Please use the latest link you were sent, or ask the recruiter for a new one."</p>
                                </main>
                            }.into_any()
                        }
                        Err(error) => view! { <main class="standalone narrow">{error_view(error)}</main> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Ready(landing: Landing, token: String, error: Option<String>) -> impl IntoView {
    let minutes = landing.time_limit_minutes;
    let length = if minutes % 60 == 0 && minutes >= 60 {
        let hours = minutes / 60;
        format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
    } else {
        format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
    };
    let count = landing.question_count;
    let closes = chrono::DateTime::parse_from_rfc3339(&landing.closes_at)
        .map(|at| at.format("%-d %B %Y at %H:%M UTC").to_string())
        .unwrap_or_default();
    view! {
        <Title text=landing.title.clone()/>
        <main class="standalone test-landing">
            <p class="muted">{landing.org_name}</p>
            <h1>{landing.title}</h1>
            <dl class="facts">
                <dt>"Time"</dt><dd>{length}</dd>
                <dt>"Questions"</dt><dd>{count}</dd>
                <dt>"Start before"</dt><dd>{closes}</dd>
            </dl>
            <div class="markdown" inner_html=landing.instructions_html></div>
            <h2>"Before you start"</h2>
            <ul>
                <li>"The clock starts when you press Start and keeps running if you close the page; it stops only when you submit."</li>
                <li>"Each answer is saved as you give it. If your connection drops, answers are kept on this device and sent when it returns."</li>
                <li>"If the page reloads or your browser closes, open this link again to continue where you were."</li>
            </ul>
            <h2>"What is monitored"</h2>
            {if landing.monitored.is_empty() {
                view! { <p>"Nothing beyond your answers and the time you take."</p> }.into_any()
            } else {
                view! { <ul class="monitored">{landing.monitored.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
            }}
            <ServerForm action=StartTest::url() submit_label="Start the test" busy_label="Starting…" error=error>
                <input type="hidden" name="token" value=token/>
                <label class="check">
                    <input type="checkbox" name="consent" value="yes" required=true/>
                    " I have read the above and agree to the monitoring described."
                </label>
            </ServerForm>
        </main>
    }
}
