//! The JSON the island writes and reads, with no JSON library in the WASM: it writes JSON
//! itself and reads what the browser's own `JSON.parse` made of it. The shapes are serde's
//! for the same types (the arguments of `SaveAnswer` and `SubmitTest`, `AnswerSave`,
//! `Response`, `SaveAck`, `AppError`), which the server decodes and encodes; the tests
//! hold the two to the same JSON.

use uuid::Uuid;

use super::capture::Batch;
use super::queue::Save;
use crate::candidate_test::SaveAck;
use crate::proctoring::{BatchAck, ClientEvent, EventDetails, EventKind};
use crate::questions::model::Response;

/// The queue as the browser's storage keeps it (`[AnswerSave]`).
pub fn saves_json(saves: &[Save]) -> String {
    let mut out = String::from("[");
    for (index, save) in saves.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_save(&mut out, save);
    }
    out.push(']');
    out
}

/// The body of `SaveAnswer`.
pub fn save_body(token: &str, save: &Save) -> String {
    let mut out = String::from("{\"token\":");
    push_string(&mut out, token);
    out.push_str(",\"save\":");
    push_save(&mut out, save);
    out.push('}');
    out
}

/// The body of `SubmitTest`.
pub fn submit_body(token: &str) -> String {
    let mut out = String::from("{\"token\":");
    push_string(&mut out, token);
    out.push('}');
    out
}

/// The body of `RecordEvents`: the batch, sent at `sent_ms`.
pub fn batch_body(token: &str, batch: &Batch, sent_ms: i64) -> String {
    let mut out = String::from("{\"token\":");
    push_string(&mut out, token);
    out.push_str(",\"batch\":{\"instance\":");
    push_string(&mut out, &batch.instance.to_string());
    out.push_str(",\"sent_ms\":");
    out.push_str(&sent_ms.to_string());
    out.push_str(",\"events\":");
    push_events(&mut out, &batch.events);
    out.push_str(",\"resent\":");
    out.push_str(if batch.resent { "true" } else { "false" });
    out.push_str("}}");
    out
}

/// A page load's unsent events as the browser's storage keeps them (an `EventBatch`
/// without the time it was sent: `{"instance": …, "events": […]}`).
pub fn stored_events_json(instance: Uuid, events: &[ClientEvent]) -> String {
    let mut out = String::from("{\"instance\":");
    push_string(&mut out, &instance.to_string());
    out.push_str(",\"events\":");
    push_events(&mut out, events);
    out.push('}');
    out
}

fn push_events(out: &mut String, events: &[ClientEvent]) {
    out.push('[');
    for (index, event) in events.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_event(out, event);
    }
    out.push(']');
}

fn push_event(out: &mut String, event: &ClientEvent) {
    out.push_str("{\"id\":");
    out.push_str(&event.id.to_string());
    out.push_str(",\"kind\":");
    push_string(out, event.kind.as_str());
    out.push_str(",\"at_ms\":");
    out.push_str(&event.at_ms.to_string());
    if let Some(duration) = event.duration_ms {
        out.push_str(",\"duration_ms\":");
        out.push_str(&duration.to_string());
    }
    if let Some(question) = event.question_id {
        out.push_str(",\"question_id\":");
        push_string(out, &question.to_string());
    }
    out.push_str(",\"details\":{");
    let d = &event.details;
    let mut first = true;
    for (name, value) in [
        ("length", d.length),
        ("width", d.width),
        ("height", d.height),
    ] {
        if let Some(value) = value {
            if !first {
                out.push(',');
            }
            first = false;
            push_string(out, name);
            out.push(':');
            out.push_str(&value.to_string());
        }
    }
    out.push_str("}}");
}

fn push_save(out: &mut String, save: &Save) {
    out.push_str("{\"question_id\":");
    push_string(out, &save.question_id);
    out.push_str(",\"response\":");
    push_response(out, &save.response);
    out.push_str(",\"seq\":");
    out.push_str(&save.seq.to_string());
    out.push_str(",\"flagged\":");
    out.push_str(if save.flagged { "true" } else { "false" });
    out.push_str(",\"time_spent_ms\":");
    out.push_str(&save.time_spent_ms.to_string());
    out.push('}');
}

fn push_response(out: &mut String, response: &Option<Response>) {
    let Some(response) = response else {
        out.push_str("null");
        return;
    };
    match response {
        Response::Choices(ids) => {
            out.push_str("{\"choices\":[");
            for (index, id) in ids.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&id.to_string());
            }
            out.push(']');
        }
        Response::Boolean(value) => {
            out.push_str("{\"boolean\":");
            out.push_str(if *value { "true" } else { "false" });
        }
        Response::Text(text) => {
            out.push_str("{\"text\":");
            push_string(out, text);
        }
        Response::Number(text) => {
            out.push_str("{\"number\":");
            push_string(out, text);
        }
    }
    out.push('}');
}

/// `text` as a JSON string, escaped as serde_json (and `JSON.stringify`) escape it.
fn push_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                // Below 0x20, so two hex digits: \u00XX.
                let byte = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub use crate::json::JsonValue;

/// The queue kept in the browser's storage (what cannot be read is left out).
pub fn saves(value: &impl JsonValue) -> Vec<Save> {
    value
        .items()
        .unwrap_or_default()
        .iter()
        .filter_map(read_save)
        .collect()
}

/// A `SaveAck`, when the reply is one.
pub fn ack(value: &impl JsonValue) -> Option<SaveAck> {
    Some(SaveAck {
        seq: value.field("seq")?.number()? as i64,
        server_now_ms: value.field("server_now_ms")?.number()? as i64,
    })
}

/// A `BatchAck`, when the reply is one.
pub fn batch_ack(value: &impl JsonValue) -> Option<BatchAck> {
    Some(BatchAck {
        through: value.field("through")?.number()? as i64,
        server_now_ms: value.field("server_now_ms")?.number()? as i64,
    })
}

/// Unsent events the browser's storage kept (what cannot be read is left out).
pub fn stored_events(value: &impl JsonValue) -> Option<(Uuid, Vec<ClientEvent>)> {
    let instance = value.field("instance")?.string()?.parse().ok()?;
    let events = value
        .field("events")?
        .items()?
        .iter()
        .filter_map(read_event)
        .collect();
    Some((instance, events))
}

fn read_event(value: &impl JsonValue) -> Option<ClientEvent> {
    let number = |name: &str| value.field(name).and_then(|v| v.number());
    let detail = |name: &str| {
        value
            .field("details")
            .and_then(|d| d.field(name))
            .and_then(|v| v.number())
            .map(|n| n as u32)
    };
    Some(ClientEvent {
        id: number("id")? as i64,
        kind: EventKind::parse_client(&value.field("kind")?.string()?)?,
        at_ms: number("at_ms")? as i64,
        duration_ms: number("duration_ms").map(|n| n as i64),
        question_id: value
            .field("question_id")
            .and_then(|v| v.string())
            .and_then(|v| v.parse().ok()),
        details: EventDetails {
            length: detail("length"),
            width: detail("width"),
            height: detail("height"),
        },
    })
}

/// As serde reads an `AnswerSave`: `flagged` and `time_spent_ms` may be absent, and an
/// absent `response` is `None`.
fn read_save(value: &impl JsonValue) -> Option<Save> {
    let response = match value.field("response") {
        None => None,
        Some(response) => read_response(&response)?,
    };
    Some(Save {
        question_id: value.field("question_id")?.string()?,
        response,
        seq: value.field("seq")?.number()? as i64,
        flagged: value
            .field("flagged")
            .and_then(|v| v.boolean())
            .unwrap_or(false),
        time_spent_ms: value
            .field("time_spent_ms")
            .and_then(|v| v.number())
            .unwrap_or(0.0) as i64,
    })
}

/// `None` when the value is not a response (`Some(None)`: the answer is cleared).
fn read_response(value: &impl JsonValue) -> Option<Option<Response>> {
    if value.is_null() {
        return Some(None);
    }
    let field = |name: &str| value.field(name);
    let response = if let Some(ids) = field("choices").and_then(|v| v.items()) {
        Response::Choices(
            ids.iter()
                .filter_map(JsonValue::number)
                .map(|id| id as u32)
                .collect(),
        )
    } else if let Some(value) = field("boolean").and_then(|v| v.boolean()) {
        Response::Boolean(value)
    } else if let Some(text) = field("text").and_then(|v| v.string()) {
        Response::Text(text)
    } else {
        Response::Number(field("number")?.string()?)
    };
    Some(Some(response))
}

#[cfg(feature = "test-island")]
pub use crate::json::parse;

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use uuid::Uuid;

    use super::*;
    use crate::candidate_test::{AnswerSave, SaveAnswer, SubmitTest};
    use crate::error::AppError;

    /// What the browser's `JSON.parse` would make of `json`, as serde_json reads it.
    fn parse(json: &str) -> Value {
        serde_json::from_str(json).unwrap_or(Value::Null)
    }

    /// Texts that need escaping, or care: quotes, backslashes, every control character,
    /// non-ASCII and astral characters, HTML, the empty string.
    fn awkward_texts() -> Vec<String> {
        let controls: String = (0u8..0x20).map(char::from).collect();
        vec![
            String::new(),
            "plain".into(),
            "\"quoted\" and 'single'".into(),
            "back\\slash \\\" \\n".into(),
            controls,
            "\u{7f} delete, \u{a0} no-break, \u{2028}\u{2029} separators".into(),
            "naïve café, 日本語, émoji 🦀 and 𝄞".into(),
            "</script><!-- & -->".into(),
            "line 1\r\nline 2\ttabbed".into(),
            " 1 234,5 ".into(),
            "x".repeat(10_000),
        ]
    }

    fn awkward_responses() -> Vec<Option<Response>> {
        let mut responses = vec![
            None,
            Some(Response::Choices(vec![])),
            Some(Response::Choices(vec![0])),
            Some(Response::Choices(vec![3, 1, 2, u32::MAX])),
            Some(Response::Boolean(true)),
            Some(Response::Boolean(false)),
        ];
        for text in awkward_texts() {
            responses.push(Some(Response::Text(text.clone())));
            responses.push(Some(Response::Number(text)));
        }
        responses
    }

    /// Saves with every awkward response and the edges of their numbers.
    fn answer_saves() -> Vec<AnswerSave> {
        let ids = [
            Uuid::nil(),
            Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            Uuid::max(),
        ];
        let numbers = [0, 1, 41, 9_007_199_254_740_991];
        awkward_responses()
            .into_iter()
            .enumerate()
            .map(|(index, response)| AnswerSave {
                question_id: ids[index % ids.len()],
                response,
                seq: numbers[index % numbers.len()],
                flagged: index % 2 == 0,
                time_spent_ms: numbers[(index + 1) % numbers.len()],
            })
            .collect()
    }

    /// The island's save for serde's.
    fn island(answer: &AnswerSave) -> Save {
        Save {
            question_id: answer.question_id.to_string(),
            response: answer.response.clone(),
            seq: answer.seq,
            flagged: answer.flagged,
            time_spent_ms: answer.time_spent_ms,
        }
    }

    #[test]
    fn save_bodies_are_serdes_json() {
        for token in awkward_texts() {
            for answer in answer_saves() {
                let body = save_body(&token, &island(&answer));
                let serde = serde_json::to_string(&SaveAnswer {
                    token: token.clone(),
                    save: answer.clone(),
                })
                .unwrap();
                assert_eq!(body, serde);
                let decoded: SaveAnswer = serde_json::from_str(&body).unwrap();
                assert_eq!((decoded.token, decoded.save), (token.clone(), answer));
            }
        }
    }

    #[test]
    fn the_largest_numbers_are_written_exactly() {
        let answer = AnswerSave {
            question_id: Uuid::max(),
            response: Some(Response::Choices(vec![u32::MAX])),
            seq: i64::MAX,
            flagged: true,
            time_spent_ms: i64::MAX,
        };
        assert_eq!(
            saves_json(&[island(&answer)]),
            serde_json::to_string(&[answer]).unwrap()
        );
    }

    #[test]
    fn submit_bodies_are_serdes_json() {
        for token in awkward_texts() {
            assert_eq!(
                submit_body(&token),
                serde_json::to_string(&SubmitTest {
                    token: token.clone()
                })
                .unwrap()
            );
        }
    }

    #[test]
    fn the_stored_queue_is_serdes_json_both_ways() {
        let answers = answer_saves();
        let queue: Vec<Save> = answers.iter().map(island).collect();
        let serde = serde_json::to_string(&answers).unwrap();
        assert_eq!(saves_json(&queue), serde);
        assert_eq!(saves(&parse(&serde)), queue);
        assert_eq!(
            saves_json(&[]),
            serde_json::to_string(&[] as &[AnswerSave]).unwrap()
        );
        assert_eq!(saves(&parse("[]")), []);
    }

    #[test]
    fn the_stored_queue_reads_what_serde_reads_and_leaves_out_the_rest() {
        let id = Uuid::nil();
        let entries = [
            format!(r#"{{"question_id":"{id}","seq":2}}"#),
            format!(r#"{{"question_id":"{id}","response":{{"text":"a"}},"seq":3,"flagged":true}}"#),
            format!(r#"{{"question_id":"{id}","response":{{"colour":"red"}},"seq":4}}"#),
            r#"{"response":null,"seq":5}"#.to_string(),
            format!(r#"{{"question_id":"{id}","response":null}}"#),
            "7".into(),
            "\"text\"".into(),
            "null".into(),
        ];
        for entry in entries {
            let serde = serde_json::from_str::<AnswerSave>(&entry).ok();
            let read = saves(&parse(&format!("[{entry}]")));
            assert_eq!(
                read,
                serde.iter().map(island).collect::<Vec<_>>(),
                "{entry}"
            );
        }
        for broken in ["", "not json", "{}", "null", "{\"seq\":1}"] {
            assert_eq!(saves(&parse(broken)), []);
        }
    }

    #[test]
    fn acknowledgements_are_read_as_serde_writes_them() {
        for (seq, server_now_ms) in [(0, 0), (7, 1_767_225_600_123), (9_007_199_254_740_991, 1)] {
            let sent = SaveAck { seq, server_now_ms };
            assert_eq!(
                ack(&parse(&serde_json::to_string(&sent).unwrap())),
                Some(sent)
            );
        }
        assert_eq!(ack(&parse("{\"seq\":1}")), None);
        assert_eq!(ack(&parse("Bad Gateway")), None);
    }

    fn client_events() -> Vec<crate::proctoring::ClientEvent> {
        use crate::proctoring::{ClientEvent, EventDetails, EventKind};
        EventKind::CLIENT
            .into_iter()
            .enumerate()
            .map(|(n, kind)| ClientEvent {
                id: n as i64 * 1_000_000_007,
                kind,
                at_ms: 1_764_590_400_000 + n as i64,
                duration_ms: (n % 2 == 0).then_some(n as i64 * 1_000),
                question_id: (n % 3 == 0).then(|| Uuid::from_u128(n as u128 + 1)),
                details: EventDetails {
                    length: (n % 4 == 0).then_some(n as u32 * 10),
                    width: (n % 5 == 0).then_some(320),
                    height: (n % 5 == 0).then_some(200),
                },
            })
            .collect()
    }

    #[test]
    fn event_batches_are_serdes_json() {
        use crate::proctoring::{EventBatch, RecordEvents};
        for resent in [false, true] {
            let batch = super::super::capture::Batch {
                instance: Uuid::from_u128(42),
                events: client_events(),
                resent,
            };
            let ours = parse(&batch_body("tok\"en", &batch, 1_764_590_499_999));
            let serdes = serde_json::to_value(RecordEvents {
                token: "tok\"en".into(),
                batch: EventBatch {
                    instance: batch.instance,
                    sent_ms: 1_764_590_499_999,
                    events: batch.events.clone(),
                    resent,
                },
            })
            .unwrap();
            assert_eq!(ours, serdes);
        }
    }

    #[test]
    fn stored_events_are_read_back_as_written() {
        let events = client_events();
        let json = stored_events_json(Uuid::from_u128(7), &events);
        assert_eq!(
            stored_events(&parse(&json)),
            Some((Uuid::from_u128(7), events))
        );
        assert_eq!(
            stored_events(&parse("{\"instance\":\"nope\",\"events\":[]}")),
            None
        );
        let with_unknown = r#"{"instance":"00000000-0000-0000-0000-000000000007","events":[{"id":1,"kind":"monitoring_gap","at_ms":0,"details":{}}]}"#;
        assert_eq!(
            stored_events(&parse(with_unknown)),
            Some((Uuid::from_u128(7), Vec::new()))
        );
    }

    #[test]
    fn batch_acknowledgements_are_read_as_serde_writes_them() {
        let ack = crate::proctoring::BatchAck {
            through: 9_007_199_254_740_991,
            server_now_ms: 1_764_590_400_123,
        };
        let json = serde_json::to_string(&ack).unwrap();
        assert_eq!(batch_ack(&parse(&json)), Some(ack));
    }

    #[test]
    fn errors_are_read_as_serde_writes_them() {
        let mut errors = vec![
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::RateLimited(0),
            AppError::RateLimited(15),
            AppError::RateLimited(u32::MAX),
            AppError::SignInPaused(12),
            AppError::Internal,
        ];
        for text in awkward_texts() {
            errors.push(AppError::Closed(text.clone()));
            errors.push(AppError::Invalid(text));
        }
        for sent in errors {
            let json = serde_json::to_string(&sent).unwrap();
            assert_eq!(
                crate::json::app_error(sent.status_code(), &parse(&json)),
                sent,
                "{json}"
            );
        }
        assert_eq!(
            crate::json::app_error(500, &parse("Internal Server Error")),
            AppError::Internal
        );
        assert_eq!(
            crate::json::app_error(409, &parse("")),
            AppError::Closed(String::new())
        );
    }
}
