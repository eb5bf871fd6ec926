//! Between the password and the second step of a sign-in: what the session holds while
//! the code is awaited (no signed-in session exists yet), and finishing the sign-in.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

use crate::error::AppError;

pub const SECOND_STEP_PATH: &str = "/login/second-step";
const PENDING_KEY: &str = "second_step";
const WINDOW_SECS: i64 = 10 * 60;
const ATTEMPTS: u8 = 5;

/// Who passed the password check, and where they go once signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningIn {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub epoch: i32,
    pub next: String,
}

/// A sign-in waiting for its second step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitingSecondStep {
    pub signing_in: SigningIn,
    /// The secret of an authenticator app being set up now (an admin whose organization
    /// requires two steps and who has none yet); `None` when one is set up already.
    pub setup: Option<Vec<u8>>,
    pub until: i64,
    pub attempts_left: u8,
}

impl AwaitingSecondStep {
    /// Takes one attempt; false once the window or the attempts are over.
    pub fn take_attempt(&mut self, now: i64) -> bool {
        if now >= self.until || self.attempts_left == 0 {
            return false;
        }
        self.attempts_left -= 1;
        true
    }
}

pub async fn await_second_step(
    session: &Session,
    signing_in: SigningIn,
    setup: Option<Vec<u8>>,
) -> Result<(), AppError> {
    session.cycle_id().await?;
    let now = chrono::Utc::now().timestamp();
    let awaiting = AwaitingSecondStep {
        signing_in,
        setup,
        until: now + WINDOW_SECS,
        attempts_left: ATTEMPTS,
    };
    session.insert(PENDING_KEY, awaiting).await?;
    Ok(())
}

pub async fn awaiting(session: &Session) -> Result<Option<AwaitingSecondStep>, AppError> {
    let now = chrono::Utc::now().timestamp();
    Ok(session
        .get::<AwaitingSecondStep>(PENDING_KEY)
        .await?
        .filter(|a| now < a.until && a.attempts_left > 0))
}

pub async fn store(session: &Session, awaiting: &AwaitingSecondStep) -> Result<(), AppError> {
    session.insert(PENDING_KEY, awaiting).await?;
    Ok(())
}

pub async fn forget(session: &Session) -> Result<(), AppError> {
    session.remove::<AwaitingSecondStep>(PENDING_KEY).await?;
    Ok(())
}

/// Starts the signed-in session, notes the sign-in and sends the browser on.
pub async fn complete_sign_in(
    pool: &PgPool,
    session: &Session,
    signing_in: &SigningIn,
    second_step: Option<&'static str>,
) -> Result<(), AppError> {
    let sign_in = crate::access::guard::open_sign_in(pool, signing_in.user_id).await?;
    complete_opened_sign_in(pool, session, signing_in, sign_in, second_step).await
}

/// `complete_sign_in` on the sign-in row `sign_in`, opened already by
/// `guard::open_sign_in` (in the transaction that made something for it).
pub async fn complete_opened_sign_in(
    pool: &PgPool,
    session: &Session,
    signing_in: &SigningIn,
    sign_in: Uuid,
    second_step: Option<&'static str>,
) -> Result<(), AppError> {
    use crate::audit::data::{record, NewAuditEntry};

    forget(session).await?;
    crate::access::guard::enter_session(session, signing_in.user_id, sign_in, signing_in.epoch)
        .await?;
    super::data::mark_signed_in(pool, signing_in.user_id).await?;
    let entry = NewAuditEntry {
        org_id: Some(signing_in.org_id),
        actor_id: Some(signing_in.user_id),
        actor_email: Some(signing_in.email.clone()),
        ..NewAuditEntry::anonymous("auth.sign_in")
    };
    let entry = match second_step {
        Some(how) => entry.details(serde_json::json!({ "second_step": how })),
        None => entry,
    };
    record(pool, entry.target("user", signing_in.user_id)).await?;
    leptos_axum::redirect(&signing_in.next);
    Ok(())
}
