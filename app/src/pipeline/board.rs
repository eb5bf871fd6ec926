//! The pipeline board of a requisition: a column per stage with counts; pick candidates
//! and move them together (a plain form, so it works without JavaScript too). The
//! columns are rendered apart (`columns_view`) so the server can keep them (`cache.rs`).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;
use uuid::Uuid;

use super::{days_in_stage, pipeline_board, Column, MoveApplications, PipelineBoard, StageKind};
use crate::assessments::InviteFromBoard;
use crate::requisitions::REQUISITION_ROLES;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, SelectField, ServerForm, StaffPage};

#[component]
pub fn BoardPage() -> impl IntoView {
    let id: Option<Uuid> =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()));
    let error = error_from_query(MoveApplications::PATH)
        .or_else(|| error_from_query(InviteFromBoard::PATH));
    let fetch =
        move || async move { pipeline_board(id.ok_or(crate::error::AppError::NotFound)?).await };
    let render = move |board| view! { <BoardView board error=error.clone()/> };
    view! {
        <StaffPage title="" roles=REQUISITION_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn BoardView(board: PipelineBoard, error: Option<String>) -> impl IntoView {
    let cards = board.cards;
    let (total, hired) = (cards.total, cards.hired);
    let stage_options: Vec<(String, String)> = cards
        .stages
        .iter()
        .map(|stage| (stage.id.to_string(), stage.name.clone()))
        .collect();
    let reason_options: Vec<(String, String)> =
        std::iter::once((String::new(), "— Only for rejections —".to_string()))
            .chain(
                cards
                    .reasons
                    .iter()
                    .map(|r| (r.id.to_string(), r.label.clone())),
            )
            .collect();
    let requisition_href = format!("/requisitions/{}", board.requisition_id);
    // Inviting the selected candidates posts the same form to the invite function.
    let invite = (board.can_invite && !cards.assessments.is_empty()).then(|| {
        let options: Vec<(String, String)> = cards
            .assessments
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone()))
            .collect();
        view! {
            <div class="form-row">
                <SelectField name="assessment_id" label="Assessment to invite the selected candidates to" options=options/>
                <button type="submit" class="secondary" formaction=InviteFromBoard::url()>"Invite selected to the assessment"</button>
            </div>
        }
    });
    view! {
        <Title text=format!("Pipeline · {}", board.title)/>
        <div class="page-head">
            <h1>{format!("Pipeline: {}", board.title)}</h1>
            <a class="button secondary" href=requisition_href>"The requisition"</a>
        </div>
        <p class="muted">{format!("{} · {total} candidates · {hired} of {} openings hired", board.status.label(), board.openings)}</p>
        {if total == 0 {
            view! { <p class="muted">"No candidates yet. Add them from a candidate's profile."</p> }.into_any()
        } else {
            view! {
                <ServerForm action=MoveApplications::url() submit_label="Move selected" busy_label="Moving…" error=error>
                    <input type="hidden" name="requisition_id" value=board.requisition_id.to_string()/>
                    <div class="board" inner_html=cards.html.clone()></div>
                    <div class="form-row">
                        <SelectField name="to_stage" label="Move the selected candidates to" options=stage_options/>
                        <SelectField name="reason" label="Reason (for rejections)" options=reason_options/>
                    </div>
                    {invite}
                </ServerForm>
            }.into_any()
        }}
    }
}

/// The board's columns with their cards: plain markup (no island inside), which the
/// server renders once per version of the board and keeps (`cache.rs`).
pub fn columns_view(columns: Vec<Column>, can_open: bool, now: DateTime<Utc>) -> impl IntoView {
    let mut index = 0usize;
    columns
        .into_iter()
        .map(|column| {
            let heading_id = format!("stage-{}", column.stage.id);
            let labelled_by = heading_id.clone();
            let count = column.cards.len();
            let outcome = column.stage.kind != StageKind::Active;
            let cards = column
                .cards
                .into_iter()
                .map(|card| {
                    let field = format!("application_ids[{index}]");
                    // Unique in the page, and short: a board carries hundreds of them.
                    let checkbox_id = format!("pick-{index}");
                    index += 1;
                    let days = days_in_stage(card.stage_entered_at, now);
                    view! {
                        <li class="board-card">
                            <input type="checkbox" id=checkbox_id.clone() name=field value=card.application_id.to_string()/>
                            <label for=checkbox_id>{card.candidate_name.clone()}</label>
                            <span class="muted">{if days == 1 { "1 day".to_string() } else { format!("{days} days") }}</span>
                            {card.rejection_reason.map(|reason| view! { <span class="muted">{reason}</span> })}
                            {card.result.map(|result| view! { <span class=result.verdict.class()>{result.text()}</span> })}
                            <a href=format!("/applications/{}", card.application_id)>
                                "Notes and history"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
                            </a>
                            {can_open.then(|| view! {
                                <a href=format!("/candidates/{}", card.candidate_id)>
                                    "Profile"<span class="visually-hidden">{format!(" of {}", card.candidate_name)}</span>
                                </a>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="column" class:outcome=outcome aria-labelledby=labelled_by>
                    <h2 id=heading_id>{column.stage.name}" "<span class="count">{count}</span></h2>
                    <ul>{cards}</ul>
                </section>
            }
        })
        .collect_view()
}
