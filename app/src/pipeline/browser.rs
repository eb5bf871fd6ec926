//! The board in the browser: drag a card to another column, or use its "Move to…" menu or
//! the left and right arrow keys; the move is the board form's own server function
//! (`move_applications`, with its checks), and for a few seconds it can be undone (the
//! Undo button, or Ctrl+Z). What a move takes is `moves.rs`'s plan. Without JavaScript
//! the board's form does all of this, one move at a time.
//!
//! What the island relies on in the markup (`board.rs`, `pages/board.rs`): the cards
//! (`li.board-card` with `data-app` and `data-name`) in their columns (`section` with
//! `data-stage` and `data-kind`, a `.count` and a `ul`), inside the move form with its
//! `requisition_id`, `#to_stage` (whose options name the stages) and `#reason`.

use leptos::prelude::*;

/// The board's columns and forms, which `children` are. An island in the staff pages'
/// bundle; a plain component (never called) in the test page's.
#[cfg_attr(any(feature = "ssr", feature = "staff-islands"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "staff-islands")), component)]
pub fn BoardBehaviour(children: Children) -> impl IntoView {
    #[cfg(feature = "staff-islands")]
    client::wire();
    children()
}

#[cfg(feature = "staff-islands")]
mod client {
    use std::cell::RefCell;
    use std::time::Duration;

    use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
    use server_fn::ServerFn;
    use wasm_bindgen::JsCast;
    use web_sys::{DragEvent, Element, HtmlSelectElement, KeyboardEvent, MouseEvent};

    use super::super::moves::{self, MovePlan};
    use super::super::{BoardFilter, MoveApplications, StageKind};
    use crate::ui::dom;

    const CARD: &str = ".board-card";
    const COLUMN: &str = "section[data-stage]";
    /// How long a move can be undone.
    const UNDO_FOR: Duration = Duration::from_secs(10);

    struct Undo {
        card: Element,
        from: Element,
        timer: TimeoutHandle,
    }

    thread_local! {
        static DRAGGED: RefCell<Option<Element>> = const { RefCell::new(None) };
        static UNDO: RefCell<Option<Undo>> = const { RefCell::new(None) };
    }

    pub fn wire() {
        if !dom::first_time("board") {
            return;
        }
        let Some(board) = dom::all(None, ".board").into_iter().next() else {
            return;
        };
        add_live_region(&board);
        for card in dom::all(Some(&board), CARD) {
            add_move_button(&card);
        }
        dom::on_document("dragstart", |event: DragEvent| {
            let Some(card) = dom::closest(&event, CARD) else {
                return;
            };
            if let Some(data) = event.data_transfer() {
                data.set_effect_allowed("move");
                let _ = data.set_data("text/plain", &name_of(&card));
            }
            let _ = card.class_list().add_1("dragging");
            DRAGGED.with(|d| *d.borrow_mut() = Some(card));
        });
        dom::on_document("dragover", |event: DragEvent| {
            if DRAGGED.with(|d| d.borrow().is_none()) {
                return;
            }
            if let Some(column) = dom::closest(&event, COLUMN) {
                event.prevent_default();
                if let Some(data) = event.data_transfer() {
                    data.set_drop_effect("move");
                }
                clear_targets();
                let _ = column.class_list().add_1("drop-target");
            }
        });
        dom::on_document("drop", |event: DragEvent| {
            let Some(card) = DRAGGED.with(|d| d.borrow_mut().take()) else {
                return;
            };
            clear_targets();
            if let Some(column) = dom::closest(&event, COLUMN) {
                event.prevent_default();
                request_move(card, column, false);
            }
        });
        dom::on_document("dragend", |_: DragEvent| {
            clear_targets();
            for card in dom::all(None, ".board-card.dragging") {
                let _ = card.class_list().remove_1("dragging");
            }
            DRAGGED.with(|d| d.borrow_mut().take());
        });
        dom::on_document("click", on_click);
        dom::on_document("keydown", on_key);
        dom::on_document("input", |event: web_sys::Event| {
            if dom::closest(&event, "#board-filters").is_some() {
                filter_cards();
            }
        });
    }

    /// The value of the filter form's field `id`.
    fn field(id: &str) -> Option<String> {
        let element = dom::element(id)?;
        match element.dyn_ref::<HtmlSelectElement>() {
            Some(select) => Some(select.value()),
            None => Some(
                element
                    .dyn_into::<web_sys::HtmlInputElement>()
                    .ok()?
                    .value(),
            ),
        }
    }

    /// Shows the cards the filter form's fields match, as the server would (the same
    /// `BoardFilter`), and says how many. A hidden card is not picked for a move.
    fn filter_cards() {
        let Ok(filter) = BoardFilter::parse(
            field("board-q").as_deref(),
            field("board-tag").as_deref(),
            field("board-result").as_deref(),
        ) else {
            return;
        };
        let mut shown = 0;
        for card in dom::all(None, CARD) {
            let tags = card.get_attribute("data-tags").unwrap_or_default();
            let matches = filter.matches_parts(
                &name_of(&card),
                tags.split(',').filter(|tag| !tag.is_empty()),
                &card.get_attribute("data-result").unwrap_or_default(),
            );
            let _ = card.toggle_attribute_with_force("hidden", !matches);
            if matches {
                shown += 1;
            } else {
                pick(&card, false);
            }
        }
        for column in dom::all(None, COLUMN) {
            recount(&column);
        }
        if let Some(line) = dom::element("board-shown") {
            let total: i64 = line
                .get_attribute("data-total")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let text = if filter.is_active() {
                format!(
                    "Showing {shown} of {}.",
                    crate::ui::counted(total, "candidate", "candidates")
                )
            } else {
                String::new()
            };
            dom::set_text(&line, &text);
        }
    }

    /// Where the board says what a move did, with the Undo button.
    fn add_live_region(board: &Element) {
        let (Some(region), Some(text), Some(undo), Some(keys)) = (
            dom::create("div", &[("id", "board-live"), ("class", "board-live")], None),
            dom::create("span", &[("role", "status"), ("id", "board-live-text")], None),
            dom::create(
                "button",
                &[("type", "button"), ("id", "board-undo"), ("hidden", "")],
                Some("Undo"),
            ),
            dom::create(
                "p",
                &[("id", "board-keys"), ("class", "muted")],
                Some("Drag a card to another column, or use its Move to… button: the left and right arrow keys on it move the card to the previous or next stage."),
            ),
        ) else {
            return;
        };
        let _ = region.append_child(&text);
        let _ = region.append_child(&undo);
        let _ = board.before_with_node_2(&keys, &region);
    }

    /// The card's "Move to…" button (the menu of stages, and the arrow keys).
    fn add_move_button(card: &Element) {
        let (Some(button), Some(hidden)) = (
            dom::create(
                "button",
                &[
                    ("type", "button"),
                    ("class", "card-move"),
                    ("aria-haspopup", "menu"),
                    ("aria-expanded", "false"),
                    ("aria-describedby", "board-keys"),
                ],
                Some("Move to…"),
            ),
            dom::create(
                "span",
                &[("class", "visually-hidden")],
                Some(&format!(" ({})", name_of(card))),
            ),
        ) else {
            return;
        };
        let _ = card.set_attribute("draggable", "true");
        let _ = button.append_child(&hidden);
        let _ = card.append_child(&button);
    }

    fn on_click(event: MouseEvent) {
        if let Some(item) = dom::closest(&event, ".card-menu [data-to]") {
            let stage = item.get_attribute("data-to").unwrap_or_default();
            let card = item.closest(CARD).ok().flatten();
            close_menus(true);
            if let (Some(card), Some(column)) = (card, column_of_stage(&stage)) {
                request_move(card, column, true);
            }
        } else if let Some(button) = dom::closest(&event, ".card-move") {
            let open = button.get_attribute("aria-expanded").as_deref() == Some("true");
            close_menus(false);
            if !open {
                open_menu(&button);
            }
        } else if dom::closest(&event, "#board-undo").is_some() {
            undo();
        } else if dom::closest(&event, ".card-menu").is_none() {
            close_menus(false);
        }
    }

    fn on_key(event: KeyboardEvent) {
        let key = event.key();
        if (event.ctrl_key() || event.meta_key()) && key.eq_ignore_ascii_case("z") {
            let typing =
                dom::closest(&event, "input, textarea, select, [contenteditable]").is_some();
            if !typing && UNDO.with(|u| u.borrow().is_some()) {
                event.prevent_default();
                undo();
            }
            return;
        }
        if let Some(menu) = dom::closest(&event, ".card-menu") {
            let items = dom::all(Some(&menu), "[data-to]");
            let at = items
                .iter()
                .position(|item| dom::closest(&event, "[data-to]").as_ref() == Some(item));
            let to = match key.as_str() {
                "ArrowDown" => at.map_or(0, |i| (i + 1) % items.len()),
                "ArrowUp" => at.map_or(0, |i| (i + items.len() - 1) % items.len()),
                "Home" => 0,
                "End" => items.len().saturating_sub(1),
                "Escape" | "Tab" => {
                    if key == "Escape" {
                        event.prevent_default();
                    }
                    close_menus(key == "Escape");
                    return;
                }
                _ => return,
            };
            event.prevent_default();
            if let Some(item) = items.get(to) {
                dom::focus(item);
            }
            return;
        }
        let step = match key.as_str() {
            "ArrowLeft" => -1,
            "ArrowRight" => 1,
            _ => return,
        };
        let Some(button) = dom::closest(&event, ".card-move") else {
            return;
        };
        let Some(card) = button.closest(CARD).ok().flatten() else {
            return;
        };
        let Some(from) = card.closest(COLUMN).ok().flatten() else {
            return;
        };
        event.prevent_default();
        let current = from.get_attribute("data-stage").unwrap_or_default();
        let stages = stages();
        match moves::neighbour(&stages, &current, step) {
            Some(stage) => {
                if let Some(column) = column_of_stage(stage) {
                    request_move(card, column, true);
                }
            }
            None => say(
                if step < 0 {
                    "This is the first open stage."
                } else {
                    "This is the last open stage."
                },
                false,
            ),
        }
    }

    fn open_menu(button: &Element) {
        let Some(card) = button.closest(CARD).ok().flatten() else {
            return;
        };
        let current = card
            .closest(COLUMN)
            .ok()
            .flatten()
            .and_then(|c| c.get_attribute("data-stage"))
            .unwrap_or_default();
        let label = format!("Move {} to", name_of(&card));
        let Some(menu) = dom::create(
            "ul",
            &[
                ("class", "card-menu"),
                ("role", "menu"),
                ("aria-label", &label),
            ],
            None,
        ) else {
            return;
        };
        for (id, name) in stage_names().into_iter().filter(|(id, _)| *id != current) {
            let (Some(li), Some(item)) = (
                dom::create("li", &[("role", "none")], None),
                dom::create(
                    "button",
                    &[("type", "button"), ("role", "menuitem"), ("data-to", &id)],
                    Some(&name),
                ),
            ) else {
                continue;
            };
            let _ = li.append_child(&item);
            let _ = menu.append_child(&li);
        }
        let _ = button.after_with_node_1(&menu);
        let _ = button.set_attribute("aria-expanded", "true");
        if let Some(first) = dom::first(&menu, "[data-to]") {
            dom::focus(&first);
        }
    }

    /// Closes any open menu; `refocus` puts the focus back on its button.
    fn close_menus(refocus: bool) {
        for menu in dom::all(None, ".card-menu") {
            if let Some(button) = menu.previous_element_sibling() {
                let _ = button.set_attribute("aria-expanded", "false");
                if refocus {
                    dom::focus(&button);
                }
            }
            menu.remove();
        }
    }

    /// The board's stages in order, with their kinds.
    fn stages() -> Vec<(String, StageKind)> {
        dom::all(None, COLUMN)
            .iter()
            .filter_map(|c| {
                let kind = StageKind::from_key(&c.get_attribute("data-kind")?)?;
                Some((c.get_attribute("data-stage")?, kind))
            })
            .collect()
    }

    /// The stages' ids and names, in the move form's order.
    fn stage_names() -> Vec<(String, String)> {
        dom::all(None, "#to_stage option")
            .iter()
            .filter_map(|o| {
                let id = o.get_attribute("value").filter(|v| !v.is_empty())?;
                Some((id, o.text_content().unwrap_or_default()))
            })
            .collect()
    }

    fn stage_name(id: &str) -> String {
        stage_names()
            .into_iter()
            .find(|(stage, _)| stage == id)
            .map(|(_, name)| name)
            .unwrap_or_default()
    }

    fn column_of_stage(id: &str) -> Option<Element> {
        dom::all(None, COLUMN)
            .into_iter()
            .find(|c| c.get_attribute("data-stage").as_deref() == Some(id))
    }

    fn name_of(card: &Element) -> String {
        card.get_attribute("data-name").unwrap_or_default()
    }

    fn kind_of(column: &Element) -> Option<StageKind> {
        StageKind::from_key(&column.get_attribute("data-kind")?)
    }

    fn clear_targets() {
        for column in dom::all(None, ".drop-target") {
            let _ = column.class_list().remove_1("drop-target");
        }
    }

    /// Says `text` where the board announces its moves, with the Undo button or without.
    fn say(text: &str, can_undo: bool) {
        if let Some(slot) = dom::element("board-live-text") {
            dom::set_text(&slot, text);
        }
        if let Some(button) = dom::element("board-undo") {
            let _ = button.toggle_attribute_with_force("hidden", !can_undo);
        }
    }

    /// Moves `card` to `column` as `moves::plan` says, then says what happened;
    /// `keyboard`: the focus stays on the card's button.
    fn request_move(card: Element, column: Element, keyboard: bool) {
        let Some(from) = card.closest(COLUMN).ok().flatten() else {
            return;
        };
        if from == column {
            return;
        }
        let (Some(from_kind), Some(to_kind)) = (kind_of(&from), kind_of(&column)) else {
            return;
        };
        let stage = column.get_attribute("data-stage").unwrap_or_default();
        let name = name_of(&card);
        let plan = moves::plan(from_kind, to_kind);
        if plan == MovePlan::NeedsReason {
            pick_in_form(&card, &stage);
            say(&moves::reason_text(&name, &stage_name(&stage)), false);
            if let Some(reason) = dom::element("reason") {
                dom::focus(&reason);
            }
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let response = match post_move(&card, &stage).await {
                Ok(response) => response,
                Err(message) => return say(&message, false),
            };
            if plan == MovePlan::Reload {
                follow(&response);
                return;
            }
            place(&card, &column);
            let undo = plan == (MovePlan::InPlace { undo: true });
            say(&moves::moved_text(&name, &stage_name(&stage), undo), undo);
            if undo {
                keep_undo(card.clone(), from);
            }
            if keyboard {
                if let Some(button) = dom::first(&card, ".card-move") {
                    dom::focus(&button);
                }
            }
        });
    }

    /// Posts the move of `card` to `stage`: the response, or the message to show.
    async fn post_move(card: &Element, stage: &str) -> Result<web_sys::Response, String> {
        use crate::ui::fetch::OFFLINE;
        let requisition = dom::all(None, "form:has(.board) input[name=requisition_id]")
            .into_iter()
            .next()
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default();
        let body = web_sys::UrlSearchParams::new().map_err(|_| OFFLINE.to_string())?;
        body.append("requisition_id", &requisition);
        body.append(
            "application_ids[0]",
            &card.get_attribute("data-app").unwrap_or_default(),
        );
        body.append("to_stage", stage);
        let response = crate::ui::fetch::post(MoveApplications::url(), &body.into(), None)
            .await
            .map_err(|_| OFFLINE.to_string())?;
        if response.ok() {
            Ok(response)
        } else {
            Err(crate::ui::fetch::app_error(&response).await.to_string())
        }
    }

    /// Shows the page the server answered with (its notice says what happened).
    fn follow(response: &web_sys::Response) {
        let Some(window) = web_sys::window() else {
            return;
        };
        match response.headers().get("Location").ok().flatten() {
            Some(location) => {
                let _ = window.location().assign(&location);
            }
            None => {
                let _ = window.location().reload();
            }
        }
    }

    /// Puts the card into `column`'s list as the server now has it: just entered, not
    /// picked, and the columns' counts told again.
    fn place(card: &Element, column: &Element) {
        let from = card.closest(COLUMN).ok().flatten();
        if let Some(list) = dom::first(column, "ul") {
            let _ = list.append_child(card);
        }
        for span in dom::all(Some(card), ":scope > span") {
            if span
                .text_content()
                .is_some_and(|t| t.ends_with(" in stage"))
            {
                dom::set_text(&span, "0 days in stage");
            }
        }
        if kind_of(column) != Some(StageKind::Active) {
            // Interviews are scheduled from cards of open stages only.
            for link in dom::all(Some(card), "a[href$='#schedule']") {
                link.remove();
            }
        }
        pick(card, false);
        for column in from.iter().chain(std::iter::once(column)) {
            recount(column);
        }
    }

    /// A column's count: its cards the filter shows.
    fn recount(column: &Element) {
        let shown = dom::all(Some(column), ".board-card:not([hidden])").len();
        if let Some(count) = dom::first(column, ".count") {
            dom::set_text(&count, &shown.to_string());
        }
    }

    /// Ticks or unticks the card's box in the board's form.
    fn pick(card: &Element, picked: bool) {
        if let Some(input) = dom::first(card, "input[type=checkbox]")
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_checked(picked);
        }
    }

    /// A rejection's way: the card picked in the board's form with the stage chosen.
    fn pick_in_form(card: &Element, stage: &str) {
        pick(card, true);
        if let Some(select) =
            dom::element("to_stage").and_then(|s| s.dyn_into::<HtmlSelectElement>().ok())
        {
            select.set_value(stage);
        }
    }

    fn keep_undo(card: Element, from: Element) {
        let expire = || {
            UNDO.with(|u| u.borrow_mut().take());
            if let Some(button) = dom::element("board-undo") {
                let _ = button.set_attribute("hidden", "");
            }
        };
        let Ok(timer) = set_timeout_with_handle(expire, UNDO_FOR) else {
            return;
        };
        let previous = UNDO.with(|u| u.borrow_mut().replace(Undo { card, from, timer }));
        if let Some(previous) = previous {
            previous.timer.clear();
        }
    }

    /// Moves the last moved card back where it was.
    fn undo() {
        let Some(Undo { card, from, timer }) = UNDO.with(|u| u.borrow_mut().take()) else {
            return;
        };
        timer.clear();
        let stage = from.get_attribute("data-stage").unwrap_or_default();
        say("Undoing…", false);
        wasm_bindgen_futures::spawn_local(async move {
            match post_move(&card, &stage).await {
                Ok(_) => {
                    place(&card, &from);
                    say(
                        &format!("Moved {} back to {}.", name_of(&card), stage_name(&stage)),
                        false,
                    );
                }
                Err(message) => say(&message, false),
            }
        });
    }
}
