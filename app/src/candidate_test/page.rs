//! `/test/:token`: the candidate's page. Before the start it says what the test is and
//! what is monitored and asks for consent; during the test it holds the test island;
//! afterwards it confirms the submission and cannot start anything again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use super::island::{section_id, TestRunner};
use super::runner::{self, Mark, Status};
use super::{test_link, CandidateQuestion, Landing, LinkState, SavedAnswer, StartTest, TestView};
use crate::questions::model::{QuestionKind, Response};
use crate::questions::view::QuestionView;
use crate::ui::errors::{error_view, set_status};
use crate::ui::form::error_from_query;

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
                            <main class="test-page"><InProgress test/></main>
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
    let (minutes, seconds) = (landing.time_seconds / 60, landing.time_seconds % 60);
    let length = if seconds != 0 {
        format!("{minutes} min {seconds} s")
    } else if minutes % 60 == 0 && minutes >= 60 {
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
            {(!landing.accommodations.is_empty()).then(|| view! {
                <section class="accommodations" aria-labelledby="accommodations-heading">
                    <h2 id="accommodations-heading">"Your accommodations"</h2>
                    <ul>{landing.accommodations.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
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
            // A plain form, not the `ServerForm` island: the test page loads only the test's
            // WASM (`bundle.rs`), and the browser checks the box is ticked.
            <form method="post" action=StartTest::url() class="form">
                <input type="hidden" name="token" value=token/>
                <label class="check">
                    <input type="checkbox" name="consent" value="yes" required=true/>
                    " I have read the above and agree to the monitoring described."
                </label>
                <p class="form-error" role="alert" hidden=error.is_none()>{error.clone()}</p>
                <button type="submit">"Start the test"</button>
            </form>
        </main>
    }
}

/// The test under way, rendered whole on the server: the bar with the clock and the save
/// status, the navigator, every question with the answer saved so far (the first shown,
/// the others `hidden`), the buttons and the confirmation. The island around it makes it
/// work in the browser (`island.rs` names the ids and data attributes it relies on).
#[component]
fn InProgress(test: TestView) -> impl IntoView {
    let count = test.questions.len();
    let left = runner::seconds_left(test.deadline_ms as f64, test.server_now_ms as f64);
    let saved: Vec<Option<SavedAnswer>> = test
        .questions
        .iter()
        .map(|question| test.saved(question.id).cloned())
        .collect();
    let marks: Vec<Mark> = saved
        .iter()
        .enumerate()
        .map(|(index, saved)| Mark {
            current: index == 0,
            answered: saved
                .as_ref()
                .and_then(|a| a.response.as_ref())
                .is_some_and(Response::is_answered),
            flagged: saved.as_ref().is_some_and(|a| a.flagged),
        })
        .collect();
    let first_flagged = marks.first().is_some_and(|m| m.flagged);
    let proctoring = test.proctoring;
    let capture = proctoring.capture_list();
    let fullscreen = proctoring.fullscreen;
    let status = Status::Saved;
    let sections = test
        .questions
        .iter()
        .zip(saved)
        .enumerate()
        .map(|(index, (question, saved))| {
            view! { <QuestionSection question=question.clone() index count saved mark=marks[index]/> }
        })
        .collect_view();
    view! {
        <TestRunner>
            <div id="test-runner" class="test-runner" data-token=test.token data-session=test.session_id.to_string()
                data-deadline=test.deadline_ms data-now=test.server_now_ms
                data-capture=capture data-snapshot-seconds=proctoring.snapshot_interval_seconds>
                <header class="test-bar">
                    <span class="test-clock-label" id="test-clock-label">"Time left"</span>
                    <span id="test-clock" class="test-clock" role="timer" aria-labelledby="test-clock-label">{runner::clock(left)}</span>
                    <span id="save-status" class=status.class() role="status" aria-live="polite">{status.text().to_string()}</span>
                    <span id="proctoring-indicator" class="proctoring-indicator" role="status">"Monitoring is starting…"</span>
                </header>
                {fullscreen.then(|| view! {
                    <div id="fullscreen-prompt" class="fullscreen-prompt" role="alert" hidden=true>
                        <p>"This test runs in full screen. Leaving full screen is recorded."</p>
                        <button type="button" id="fullscreen-enter" class="primary">"Enter full screen"</button>
                    </div>
                })}
                // Always in the page, empty when there is nothing to say: a live region
                // that appears with its text is not reliably read out; one whose text
                // changes is.
                <p id="test-warning" class="test-warning" role="alert" aria-live="assertive">{runner::warning(left)}</p>
                <nav class="test-nav" aria-label="Questions">
                    {marks.iter().enumerate().map(|(index, mark)| view! {
                        <button type="button" class=mark.class() data-goto=index aria-label=mark.label(index)>{index + 1}</button>
                    }).collect_view()}
                </nav>
                <div class="test-questions">{sections}</div>
                <footer class="test-actions">
                    <button type="button" id="test-previous" disabled=true>"Previous"</button>
                    <button type="button" id="test-flag" class="flag" aria-pressed=first_flagged.to_string()>
                        {runner::flag_label(first_flagged)}
                    </button>
                    <button type="button" id="test-next" disabled=count <= 1>"Next"</button>
                    <button type="button" id="test-submit" class="primary">"Submit test"</button>
                </footer>
                // A native modal dialog, opened with `showModal()`: the page behind it is
                // inert, the focus stays inside, and Escape closes it. Closed, it is not
                // shown (the same without WASM, where the Submit button does nothing).
                <dialog id="test-confirm" class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-unanswered">
                    <h2 id="confirm-title">"Submit your test?"</h2>
                    <p id="confirm-unanswered"></p>
                    <p>"After submitting you cannot change your answers."</p>
                    <div class="confirm-actions">
                        <button type="button" id="confirm-cancel" class="secondary">"Keep working"</button>
                        <button type="button" id="confirm-submit" class="primary">"Submit now"</button>
                    </div>
                </dialog>
            </div>
        </TestRunner>
    }
}

/// One question of the test: its heading, the question as the staff preview shows it,
/// with the saved answer in its inputs, and, for choices, a way to clear the answer.
#[component]
fn QuestionSection(
    question: CandidateQuestion,
    index: usize,
    count: usize,
    saved: Option<SavedAnswer>,
    /// As saved (a code question's starter code alone is not an answer).
    mark: Mark,
) -> impl IntoView {
    let seq = saved.as_ref().map_or(0, |a| a.seq);
    let time_spent_ms = saved.as_ref().map_or(0, |a| a.time_spent_ms);
    let response = saved.and_then(|a| a.response);
    let points = question.points;
    let heading = format!("question-heading-{index}");
    let choice = matches!(
        question.kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice | QuestionKind::TrueFalse
    );
    view! {
        <section id=section_id(index) class="test-question" hidden=index != 0 aria-labelledby=heading.clone()
            data-question=index data-id=question.id.to_string() data-kind=question.kind.as_str()
            data-seq=seq data-spent=time_spent_ms data-flagged=mark.flagged data-answered=mark.answered>
            <h2 id=heading.clone()>
                {format!("Question {} of {count}", index + 1)}
                <span class="points">{format!(" · {points} point{}", if points == 1 { "" } else { "s" })}</span>
            </h2>
            <QuestionView prompt_html=question.prompt_html kind=question.kind options=question.options
                language=question.language starter_code=question.starter_code
                name=format!("q-{}", question.id) response/>
            {choice.then(|| view! { <button type="button" class="link clear">"Clear my answer"</button> })}
        </section>
    }
}
