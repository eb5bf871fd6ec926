//! Reliability: the server process is killed with SIGKILL in the middle of a stream of
//! autosaves; after a restart, every save the server had acknowledged is there.
//!
//! The real binary runs against the test's own database; saves travel over HTTP like the
//! browser's. An acknowledgement is sent only after PostgreSQL committed the answer.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::World;
use app::candidate_test::{AnswerSave, SaveAnswer, StartTest};
use app::questions::model::Response;
use serde_json::json;
use server_fn::ServerFn;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use uuid::Uuid;

/// The test database's URL: the server under test connects to the same database.
fn database_url(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let name = pool.connect_options().get_database().unwrap().to_string();
    let (server, _) = base.rsplit_once('/').unwrap();
    format!("{server}/{name}")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn spawn_server(database_url: &str, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_are"))
        .env("DATABASE_URL", database_url)
        .env("ARE_LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("ARE_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env(
            "ARE_MAIL_DIR",
            std::env::temp_dir().join(format!("are-reliability-{port}")),
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server binary starts");
    for _ in 0..200 {
        if let Ok((200, _)) = request(port, "GET", "/readyz", "").await {
            return child;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited: {status}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

/// One HTTP/1.1 request on its own connection: the status and the body.
async fn request(
    port: u16,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Accept: application/json\r\nSec-Fetch-Site: same-origin\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await?;
    let reply = String::from_utf8_lossy(&reply).to_string();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn every_acknowledged_save_survives_a_sigkill(pool: PgPool) {
    let world = World::init(pool.clone()).await;
    let org = world.org("Acme").await;
    let test = world.published_assessment(org, 60).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    let started = world
        .client()
        .call(StartTest {
            token: token.clone(),
            consent: Some("yes".into()),
        })
        .await;
    assert_eq!(started.status, 200, "{}", started.body);

    let url = database_url(&pool);
    let port = free_port();
    let mut server = spawn_server(&url, port).await;

    // Four writers: two on the numeric question and two on the essay, with interleaved
    // sequence numbers, each recording what the server acknowledged.
    let (numeric, essay) = (test.questions[3], test.questions[4]);
    let acked: Arc<Mutex<HashMap<Uuid, i64>>> = Arc::default();
    let mut writers = Vec::new();
    for (writer, question) in [(0, numeric), (1, numeric), (0, essay), (1, essay)] {
        let (token, acked) = (token.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut seq: i64 = writer + 1;
            loop {
                let response = if question == numeric {
                    Response::Number(seq.to_string())
                } else {
                    Response::Text(format!("draft {seq}"))
                };
                let body = SaveAnswer {
                    token: token.clone(),
                    save: AnswerSave {
                        question_id: question,
                        response: Some(response),
                        seq,
                        flagged: false,
                        time_spent_ms: 0,
                    },
                };
                let body = serde_json::to_string(&body).unwrap();
                match request(port, "POST", SaveAnswer::PATH, &body).await {
                    Ok((200, reply)) => {
                        let ack: serde_json::Value = serde_json::from_str(&reply).unwrap();
                        let ack = ack["seq"].as_i64().unwrap();
                        let mut acked = acked.lock().unwrap();
                        let best = acked.entry(question).or_insert(0);
                        *best = (*best).max(ack);
                    }
                    // The server is gone: the writer stops.
                    _ => return seq,
                }
                seq += 2;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.start_kill().expect("SIGKILL");
    server.wait().await.unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    eprintln!("highest sequence numbers acknowledged before the kill: {acked:?}");
    assert!(
        acked.values().all(|seq| *seq > 10),
        "a real stream of saves was acknowledged: {acked:?}"
    );

    // After a restart, every acknowledged save is there (or a newer one that was committed
    // but not acknowledged before the kill), through the server and in the database.
    let mut server = spawn_server(&url, port).await;
    let (status, page) = request(port, "GET", &format!("/test/{token}"), "")
        .await
        .unwrap();
    assert_eq!(status, 200);
    for (question, acked_seq) in &acked {
        let (response, seq): (serde_json::Value, i64) =
            sqlx::query_as("SELECT response, seq FROM answers WHERE question_id = $1")
                .bind(question)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(seq >= *acked_seq, "acknowledged {acked_seq}, found {seq}");
        let expected = if *question == numeric {
            json!({"number": seq.to_string()})
        } else {
            json!({"text": format!("draft {seq}")})
        };
        assert_eq!(
            response, expected,
            "the answer is the one of its sequence number"
        );
        if *question == essay {
            assert!(
                page.contains(&format!("draft {seq}")),
                "the resumed page shows it"
            );
        }
    }
    server.start_kill().unwrap();
    server.wait().await.unwrap();
}
