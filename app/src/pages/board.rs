//! The pipeline board page of a requisition: its columns (`pipeline::board`, kept
//! rendered by `pipeline::cache`), the filters (a plain GET form: a name, a tag, a result
//! band, which the server applies), one form to move the picked candidates together (a
//! plain form, so it works without JavaScript too) and to invite them to an assessment,
//! with a link past the cards to it, and the notice of what the last move or invitation did.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::assessments::InviteFromBoard;
use crate::pipeline::browser::BoardBehaviour;
use crate::pipeline::{pipeline_board, BoardFilter, MoveApplications, PipelineBoard, ResultFilter};
use crate::ui::form::error_from_query;
use crate::ui::notice::notice_from_query;
use crate::ui::{
    counted, id_param, loaded, with_blank, Notice, SelectField, ServerForm, StaffPage, UrlQuery,
};

/// The board's filters, as the URL carries them (`BoardFilter::parse`).
const FILTER_KEYS: &[&str] = &["q", "tag", "result"];

#[component]
pub fn BoardPage() -> impl IntoView {
    let id = id_param();
    let error = error_from_query(MoveApplications::PATH)
        .or_else(|| error_from_query(InviteFromBoard::PATH));
    let notice = id
        .ok()
        .and_then(|id| notice_from_query(&format!("/requisitions/{id}/pipeline")));
    let query = UrlQuery::current(FILTER_KEYS);
    let (text, tag) = (query.get("q"), query.get("tag"));
    // A result the menu does not offer filters by nothing, and the page says so.
    let (filter, filter_error) = match BoardFilter::parse(
        text.as_deref(),
        tag.as_deref(),
        query.get("result").as_deref(),
    ) {
        Ok(filter) => (filter, None),
        Err(unknown) => (
            BoardFilter::parse(text.as_deref(), tag.as_deref(), None).unwrap_or_default(),
            Some(format!("{unknown} The board shows every result.")),
        ),
    };
    let fetch = {
        let filter = filter.clone();
        move || async move { pipeline_board(id?, filter).await }
    };
    let render = move |board| {
        view! {
            <BoardView board filter=filter.clone() filter_error=filter_error.clone() error=error.clone() notice=notice.clone()/>
        }
    };
    view! {
        <StaffPage title="" roles=crate::access::REQUISITION_ROLES>
            {loaded(fetch.clone(), render.clone())}
        </StaffPage>
    }
}

#[component]
fn BoardView(
    board: PipelineBoard,
    /// What the URL asked the cards to be filtered by.
    filter: BoardFilter,
    /// Why a part of the URL's filter was left out.
    filter_error: Option<String>,
    error: Option<String>,
    /// What the last move or invitation did.
    notice: Option<String>,
) -> impl IntoView {
    let cards = board.cards;
    let (total, hired, shown) = (cards.total, cards.hired, cards.shown);
    let tag_left_out = filter.tag.is_some() && board.filter.tag.is_none();
    let filter = board.filter;
    let board_href = format!("/requisitions/{}/pipeline", board.requisition_id);
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
            {(shown > 0).then(|| view! { <a class="skip-within" href="#to_stage">"Skip to the move controls"</a> })}
            <a class="button secondary" href=requisition_href>"The requisition"</a>
        </div>
        <Notice text=notice/>
        <p class="muted">{format!("{} · {} · {hired} of {} hired", board.status.label(), counted(count(total), "candidate", "candidates"), counted(i64::from(board.openings), "opening", "openings"))}</p>
        {(total > 0).then(|| view! {
            <p class="muted">"A card's proctoring band is a signal, not proof of cheating: a person reviews the record and decides."</p>
            <BoardFilters filter=filter.clone() tags=board.shows_tags.then(|| cards.tags.clone()) board_href=board_href.clone()/>
            {filter_error.map(|message| view! { <p class="alert" role="alert">{message}</p> })}
            {tag_left_out.then(|| view! {
                <p class="alert" role="alert">"Only admins and recruiters see candidates' tags, so the board is not filtered by tag."</p>
            })}
            // Always there, so that the island's live filtering is announced in it.
            <p id="board-shown" class="muted board-shown" aria-live="polite" data-total=total>
                {filter.is_active().then(|| format!("Showing {shown} of {}.", counted(count(total), "candidate", "candidates")))}
            </p>
        })}
        {if total == 0 {
            view! { <p class="muted">"No candidates yet. Add them from a candidate's profile."</p> }.into_any()
        } else if shown == 0 {
            view! { <p class="muted">"No candidate on this board matches these filters."</p> }.into_any()
        } else {
            view! {
                // In the browser: drag and drop, a card's menu and arrow keys, undo, live
                // filtering (`pipeline::browser`); the form moves the picked cards anyway.
                <BoardBehaviour>
                    <ServerForm action=MoveApplications::url() submit_label="Move selected" busy_label="Moving…" error=error>
                        <input type="hidden" name="requisition_id" value=board.requisition_id.to_string()/>
                        <div class="board" inner_html=cards.html.clone()></div>
                        <div class="form-row">
                            <SelectField name="to_stage" label="Move the selected candidates to" options=stage_options/>
                            <SelectField name="reason" label="Reason (for rejections)" options=reason_options/>
                        </div>
                        {invite}
                    </ServerForm>
                </BoardBehaviour>
            }.into_any()
        }}
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The filter form: a plain GET of the board's own address, apart from the move form (no
/// form holds another). Its ids (`board-filters`, `board-q`, `board-tag`,
/// `board-result`) are what the board's island finds it by; `board-tag` only for those
/// who see tags.
#[component]
fn BoardFilters(
    filter: BoardFilter,
    /// The tags of the board's cards; `None` for those who do not see tags.
    tags: Option<Vec<String>>,
    board_href: String,
) -> impl IntoView {
    let tag_field = tags.map(|mut tags| {
        // A tag from the URL that no card carries is still shown as the one filtered by.
        if let Some(tag) = filter.tag.as_ref().filter(|tag| !tags.contains(tag)) {
            tags.push(tag.clone());
        }
        let options = with_blank("Any tag", tags.into_iter().map(|tag| (tag.clone(), tag)));
        view! {
            <SelectField name="tag" id="board-tag".to_string() label="Tag" options selected=filter.tag.clone().unwrap_or_default()/>
        }
    });
    let result_options = with_blank(
        "Any result",
        ResultFilter::ALL
            .iter()
            .map(|band| (band.key().to_string(), band.label().to_string())),
    );
    let clear = filter.is_active().then(|| {
        view! { <a class="button secondary" href=board_href.clone()>"Clear filters"</a> }
    });
    view! {
        <form method="get" action=board_href id="board-filters" class="filters board-filters" role="search" aria-label="Filter the candidates">
            <div class="field">
                <label for="board-q">"Find a candidate"</label>
                <input id="board-q" name="q" type="search" value=filter.text.clone() autocomplete="off"/>
            </div>
            {tag_field}
            <SelectField name="result" id="board-result".to_string() label="Result" options=result_options selected=filter.result.map(|band| band.key().to_string()).unwrap_or_default()/>
            <button type="submit">"Filter"</button>
            {clear}
        </form>
    }
}
