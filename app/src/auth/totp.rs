//! Two-step sign-in: time-based one-time passwords (RFC 6238: SHA-1, six digits, 30-second
//! steps, one step of clock drift either way) from an authenticator app, and one-time
//! recovery codes kept as digests.

use rand::RngCore;
use sqlx::{PgConnection, PgPool};
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;

use crate::error::AppError;

const STEP_SECS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;

/// A new random secret: 160 bits, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP, AppError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        secret.to_vec(),
        Some("ARE".into()),
        account.replace(':', ""),
    )
    .map_err(|error| {
        tracing::error!(%error, "a stored TOTP secret is unusable");
        AppError::Internal
    })
}

/// What an authenticator app needs: the `otpauth://` link (the QR code's content) and the
/// secret typed by hand (base32).
pub fn enrolment(secret: &[u8], account: &str) -> Result<(String, String), AppError> {
    let totp = totp(secret, account)?;
    Ok((totp.get_url(), totp.get_secret_base32()))
}

/// The QR code of `url` as an SVG element to put in a page (without the XML declaration
/// a standalone file starts with, which HTML does not allow).
pub fn qr_svg(url: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|error| {
        tracing::error!(%error, "could not make a QR code");
        AppError::Internal
    })?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    })
}

/// The code an authenticator app with `secret` shows at `unix` seconds.
pub fn code_at(secret: &[u8], unix: u64) -> String {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        secret.to_vec(),
        None,
        String::new(),
    )
    .generate(unix)
}

/// The time step `code` is right for at `now` (Unix seconds), allowing one step of drift.
pub fn matching_step(secret: &[u8], code: &str, now: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|candidate| {
            let expected = code_at(secret, candidate * STEP_SECS);
            constant_time_eq(expected.as_bytes(), code.as_bytes())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ten recovery codes, five groups of five letters and digits without look-alikes: 124
/// bits each, so an unsalted digest of one cannot be reversed (ASVS 2.6.2 asks for 112).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz"; // 31 letters
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code = String::with_capacity(29);
            for i in 0..25 {
                if i > 0 && i % 5 == 0 {
                    code.push('-');
                }
                let pick = (rng.next_u32() as usize) % ALPHABET.len();
                code.push(ALPHABET[pick] as char);
            }
            code
        })
        .collect()
}

/// A recovery code as typed: case, spaces and the dash do not matter.
fn recovery_digest(code: &str) -> Vec<u8> {
    let normalized: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::tokens::digest(&normalized)
}

/// The user's second factor, if they have one.
#[derive(Debug, sqlx::FromRow)]
pub struct SecondFactor {
    pub secret: Option<Vec<u8>>,
    pub pending: Option<Vec<u8>>,
    pub recovery_left: i64,
}

pub async fn second_factor(pool: &PgPool, user_id: Uuid) -> Result<SecondFactor, sqlx::Error> {
    sqlx::query_as(
        "SELECT totp_secret AS secret, totp_pending_secret AS pending,
                (SELECT count(*) FROM user_recovery_codes r
                 WHERE r.user_id = u.id AND r.used_at IS NULL) AS recovery_left
         FROM users u WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await
}

pub async fn set_pending(
    conn: &mut PgConnection,
    user_id: Uuid,
    secret: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET totp_pending_secret = $2 WHERE id = $1")
        .bind(user_id)
        .bind(secret)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the organization requires its admins to sign in in two steps.
pub async fn admins_need_two_steps(pool: &PgPool, org_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT admins_need_two_steps FROM organizations WHERE id = $1")
        .bind(org_id)
        .fetch_one(pool)
        .await
}

/// Sets the requirement; when it turns on, the sessions of the organization's admins
/// without a second step end (their next sign-in sets one up). Returns how many admins
/// were signed out.
pub async fn set_admins_need_two_steps(
    conn: &mut PgConnection,
    org_id: Uuid,
    required: bool,
) -> Result<u64, sqlx::Error> {
    sqlx::query("UPDATE organizations SET admins_need_two_steps = $2 WHERE id = $1")
        .bind(org_id)
        .bind(required)
        .execute(&mut *conn)
        .await?;
    sign_out_admins_without_second_step(conn, org_id).await
}

/// When the organization requires two steps of its admins, ends the sessions of its
/// admins who have none (their next sign-in sets one up); how many were signed out.
pub async fn sign_out_admins_without_second_step(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users u SET session_epoch = session_epoch + 1
         FROM organizations o
         WHERE o.id = u.org_id AND o.id = $1 AND o.admins_need_two_steps
           AND u.role = 'admin' AND u.totp_secret IS NULL",
    )
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Makes the pending secret the one in use (with the step its first code used) and
/// replaces the recovery codes; returns the new codes.
pub async fn confirm(
    conn: &mut PgConnection,
    user_id: Uuid,
    step: u64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                totp_last_step = $2
         WHERE id = $1 AND totp_pending_secret IS NOT NULL",
    )
    .bind(user_id)
    .bind(step as i64)
    .execute(&mut *conn)
    .await?;
    replace_recovery_codes(conn, user_id).await
}

pub async fn replace_recovery_codes(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("DELETE FROM user_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    forget_fresh_codes(conn, user_id).await?;
    let codes = new_recovery_codes();
    let digests: Vec<Vec<u8>> = codes.iter().map(|c| recovery_digest(c)).collect();
    sqlx::query(
        "INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])",
    )
    .bind(user_id)
    .bind(&digests)
    .execute(&mut *conn)
    .await?;
    Ok(codes)
}

pub async fn remove(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL
         WHERE id = $1",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM user_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    forget_fresh_codes(conn, user_id).await?;
    Ok(())
}

/// How long recovery codes made just now wait to be shown.
const FRESH_CODES_MINUTES: i32 = 10;

/// Keeps recovery codes made just now for the two-step page of the sign-in `sign_in` to
/// show once. In the database rather than the session record: a server process may serve
/// a session record from its in-memory copy, or save a stale copy over this change.
pub async fn keep_fresh_codes(
    conn: &mut PgConnection,
    sign_in: Uuid,
    codes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fresh_recovery_codes (sign_in_id, codes) VALUES ($1, $2)
         ON CONFLICT (sign_in_id) DO UPDATE SET codes = EXCLUDED.codes, made_at = now()",
    )
    .bind(sign_in)
    .bind(codes)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The recovery codes made just now for the sign-in `sign_in`, which are forgotten as
/// they are read: none once read, or when made more than ten minutes ago.
pub async fn take_fresh_codes(pool: &PgPool, sign_in: Uuid) -> Result<Vec<String>, sqlx::Error> {
    let taken: Option<(Vec<String>, bool)> = sqlx::query_as(
        "DELETE FROM fresh_recovery_codes WHERE sign_in_id = $1
         RETURNING codes, made_at > now() - make_interval(mins => $2)",
    )
    .bind(sign_in)
    .bind(FRESH_CODES_MINUTES)
    .fetch_optional(pool)
    .await?;
    Ok(match taken {
        Some((codes, true)) => codes,
        _ => Vec::new(),
    })
}

/// Codes made for any of the user's sign-ins and not shown yet stop being shown: they
/// are no longer the user's codes.
async fn forget_fresh_codes(conn: &mut PgConnection, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM fresh_recovery_codes f USING staff_sessions s
         WHERE f.sign_in_id = s.id AND s.user_id = $1",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Drops recovery codes made more than ten minutes ago and never shown.
pub async fn prune_fresh_codes(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM fresh_recovery_codes WHERE made_at <= now() - make_interval(mins => $1)",
    )
    .bind(FRESH_CODES_MINUTES)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// How a second step was proven.
#[derive(Debug, PartialEq, Eq)]
pub enum Proof {
    Code,
    RecoveryCode,
}

/// Checks the second step: an authenticator code not used before, or an unused recovery
/// code, which is used up. Each code works once (the step is stored in the same
/// statement that checks it).
pub async fn verify(pool: &PgPool, user_id: Uuid, input: &str) -> Result<Option<Proof>, AppError> {
    let factor = second_factor(pool, user_id).await?;
    let Some(secret) = factor.secret else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    if let Some(step) = matching_step(&secret, input, now) {
        let fresh = sqlx::query(
            "UPDATE users SET totp_last_step = $2
             WHERE id = $1 AND coalesce(totp_last_step, -1) < $2",
        )
        .bind(user_id)
        .bind(step as i64)
        .execute(pool)
        .await?
        .rows_affected()
            == 1;
        return Ok(fresh.then_some(Proof::Code));
    }
    let used = sqlx::query(
        "UPDATE user_recovery_codes SET used_at = now()
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(recovery_digest(input))
    .execute(pool)
    .await?
    .rows_affected()
        == 1;
    Ok(used.then_some(Proof::RecoveryCode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vectors_match_within_one_step_of_drift() {
        // RFC 6238 appendix B, SHA-1 secret, truncated to six digits.
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        assert_eq!(
            matching_step(secret, "081804", 1_111_111_109),
            Some(37_037_036)
        );
        assert_eq!(
            matching_step(secret, "081804", 1_111_111_109 + 30),
            Some(37_037_036)
        );
        assert_eq!(
            matching_step(secret, "081804", 1_111_111_109 + 90),
            None,
            "too late"
        );
        assert_eq!(
            matching_step(secret, "081 804", 1_111_111_109),
            Some(37_037_036)
        );
        assert_eq!(matching_step(secret, "081805", 1_111_111_109), None);
        assert_eq!(matching_step(secret, "08180", 1_111_111_109), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert!(codes
            .iter()
            .all(|c| c.len() == 29 && c.split('-').all(|group| group.len() == 5)));
        assert_eq!(
            recovery_digest("abcde-fghjk-mnpqr-stuvw-xyz23"),
            recovery_digest(" ABCDE FGHJK MNPQR STUVW XYZ23 ")
        );
    }

    #[test]
    fn an_enrolment_names_the_issuer_and_the_account() {
        let (url, typed) = enrolment(&new_secret(), "ada@acme.test").unwrap();
        assert!(
            url.starts_with("otpauth://totp/ARE:ada%40acme.test?"),
            "{url}"
        );
        assert!(url.contains("issuer=ARE"), "{url}");
        assert_eq!(typed.len(), 32);
        let svg = qr_svg(&url).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{svg}"
        );
    }
}
