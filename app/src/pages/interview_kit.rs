//! An interview's page: its facts (`interviews`), the assessment results when the
//! recruiter has shared them with interviewers (`assessments`), and the kit with the
//! feedback form (`feedback`).

use leptos::prelude::*;

use crate::assessments::load_shared_results;
use crate::feedback::kit::KitView;
use crate::feedback::{load_kit, Kit};
use crate::interviews::page::InterviewView;
use crate::interviews::{load_interview, InterviewDetail};
use crate::results::ResultBadge;
use crate::ui::{id_param, loaded, StaffPage};

type Shared = Option<Vec<(String, ResultBadge)>>;

#[component]
pub fn InterviewKitPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move {
        let id = id?;
        Ok((
            load_interview(id).await?,
            load_shared_results(id).await?,
            load_kit(id).await?,
        ))
    };
    view! {
        <StaffPage title="">
            {loaded(fetch, |(detail, results, kit): (InterviewDetail, Shared, Kit)| view! {
                <InterviewView detail/>
                <section aria-labelledby="results">
                    <h2 id="results">"Assessment results"</h2>
                    {match results {
                        None => view! { <p class="muted">"The recruiter has not shared the candidate's assessment results with interviewers."</p> }.into_any(),
                        Some(list) if list.is_empty() => view! { <p class="muted">"The candidate has taken no assessment for this job."</p> }.into_any(),
                        Some(list) => view! {
                            <ul>
                                {list.into_iter().map(|(title, badge)| view! {
                                    <li>{title}" "<span class=badge.verdict.class()>{badge.text()}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                </section>
                <KitView kit/>
            })}
        </StaffPage>
    }
}
