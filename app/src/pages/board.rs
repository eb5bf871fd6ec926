//! The pipeline board page of a requisition: its columns (`pipeline::board`, kept
//! rendered by `pipeline::cache`), one form to move the picked candidates together (a
//! plain form, so it works without JavaScript too) and to invite them to an assessment,
//! with a link past the cards to it, and the notice of what the last move or invitation did.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::assessments::InviteFromBoard;
use crate::pipeline::{pipeline_board, MoveApplications, PipelineBoard};
use crate::ui::form::error_from_query;
use crate::ui::notice::notice_from_query;
use crate::ui::{id_param, loaded, with_blank, Notice, SelectField, ServerForm, StaffPage};

#[component]
pub fn BoardPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(MoveApplications::PATH)
        .or_else(|| error_from_query(InviteFromBoard::PATH));
    let notice = id
        .ok()
        .and_then(|id| notice_from_query(&format!("/requisitions/{id}/pipeline")));
    let fetch = move || async move { pipeline_board(id?).await };
    let render =
        move |board| view! { <BoardView board error=error.clone() notice=notice.clone()/> };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn BoardView(
    board: PipelineBoard,
    error: Option<String>,
    /// What the last move or invitation did.
    notice: Option<String>,
) -> impl IntoView {
    let cards = board.cards;
    let (total, hired) = (cards.total, cards.hired);
    // No stage chosen to begin with: a careless click must not move anyone.
    let stage_options = with_blank(
        "Choose a stage…",
        cards
            .stages
            .iter()
            .map(|stage| (stage.id.to_string(), stage.name.clone())),
    );
    let reason_options = with_blank(
        "— Only for rejections —",
        cards
            .reasons
            .iter()
            .map(|r| (r.id.to_string(), r.label.clone())),
    );
    let requisition_href = format!("/requisitions/{}", board.requisition_id);
    // Inviting the selected candidates posts the same form to the invite function.
    let invite = (board.can_invite && !cards.assessments.is_empty()).then(|| {
        let options: Vec<(String, String)> = cards
            .assessments
            .iter()
            .map(|assessment| (assessment.id.to_string(), assessment.label()))
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
            // Past every card's links to the move (a busy board has hundreds), shown on focus.
            {(total > 0).then(|| view! { <a class="skip-within" href="#to_stage">"Skip to the move controls"</a> })}
            <a class="button secondary" href=requisition_href>"The requisition"</a>
        </div>
        <Notice text=notice/>
        <p class="muted">{format!("{} · {} · {hired} of {} hired", board.status.label(), crate::ui::counted(i64::try_from(total).unwrap_or(i64::MAX), "candidate", "candidates"), crate::ui::counted(i64::from(board.openings), "opening", "openings"))}</p>
        {(total > 0).then(|| view! {
            <p class="muted">"A card's proctoring band is a signal, not proof of cheating: a person reviews the record and decides."</p>
        })}
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
