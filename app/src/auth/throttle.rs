//! Limits on failed sign-ins (and on checks of the current password): per account and per
//! client address within an hour, and a delay that grows with the failures of the last
//! fifteen minutes. An attempt is reserved before its password is checked and released
//! when it succeeds.
//!
//! A reserved attempt counts against the hour's limits while its password is checked, so
//! a burst cannot check more than the limit; it counts towards the delay only once it has
//! failed, so colleagues signing in at once behind one address do not slow each other
//! down. An attempt whose request was dropped before its outcome was known (the client
//! went away) counts as failed once it is a minute old.

use std::time::Duration;

use sqlx::PgPool;

use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    pub account_failures_per_hour: i64,
    pub address_failures_per_hour: i64,
    /// Failures (in 15 minutes) allowed before any delay.
    pub free_failures: i64,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            account_failures_per_hour: 100,
            // An office behind one address has many people; an attacker spraying
            // passwords across accounts from one address still stops here.
            address_failures_per_hour: 500,
            free_failures: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl ThrottlePolicy {
    /// The delay before checking a password, doubling with each recent failure.
    pub fn delay_for(&self, recent_failures: i64) -> Duration {
        let over = recent_failures - self.free_failures;
        if over <= 0 {
            return Duration::ZERO;
        }
        let doublings = (over - 1).min(16) as u32;
        self.base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct AttemptCounts {
    account_hour: i64,
    address_hour: i64,
    recent: i64,
    minutes_until_account_frees: Option<f64>,
    minutes_until_address_frees: Option<f64>,
}

/// What the limits say about one more sign-in attempt.
#[derive(Debug, PartialEq)]
pub enum Admission {
    /// The attempt is reserved: check the password after `delay`, then report the outcome.
    Reserved { attempt: Attempt, delay: Duration },
    /// The account had its hour's failures: its owner signs in through an emailed link.
    AccountPaused { minutes: u32 },
    /// The client address had its hour's failures.
    AddressPaused { minutes: u32 },
}

/// A reserved attempt: it counts against the limits until it succeeds.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "report the attempt's outcome"]
pub struct Attempt(i64);

/// Reserves one attempt for `email` from `client_ip`, unless a limit is reached.
///
/// Counting and reserving happen under transaction-scoped advisory locks on the account
/// and the address (always in that order), so parallel requests are counted one after
/// the other: however many arrive at once, no more than the limit get to check a
/// password. `unlocked` (the owner proved they read the account's email) skips the limits;
/// the attempt is still recorded.
pub async fn reserve(
    pool: &PgPool,
    policy: &ThrottlePolicy,
    email: &str,
    client_ip: &str,
    unlocked: bool,
) -> Result<Admission, AppError> {
    let mut tx = pool.begin().await?;
    lock_account_and_address(&mut tx, "sign-in", email, client_ip).await?;
    let counts: AttemptCounts = sqlx::query_as(
        "SELECT
            count(*) FILTER (WHERE lower(email) = lower($1)) AS account_hour,
            count(*) FILTER (WHERE client_ip = $2) AS address_hour,
            count(*) FILTER (WHERE created_at > now() - interval '15 minutes'
                               -- a pending one a minute old had its request dropped
                               AND (NOT pending OR created_at < now() - interval '1 minute'))
                AS recent,
            (extract(epoch FROM min(created_at) FILTER (WHERE lower(email) = lower($1))
                + interval '1 hour' - now()) / 60)::float8 AS minutes_until_account_frees,
            (extract(epoch FROM min(created_at) FILTER (WHERE client_ip = $2)
                + interval '1 hour' - now()) / 60)::float8 AS minutes_until_address_frees
         FROM sign_in_failures
         WHERE (lower(email) = lower($1) OR client_ip = $2)
           AND created_at > now() - interval '1 hour'",
    )
    .bind(email)
    .bind(client_ip)
    .fetch_one(&mut *tx)
    .await?;

    let wait = crate::error::minutes_to_wait;
    if !unlocked {
        if counts.account_hour >= policy.account_failures_per_hour {
            return Ok(Admission::AccountPaused {
                minutes: wait(counts.minutes_until_account_frees),
            });
        }
        if counts.address_hour >= policy.address_failures_per_hour {
            return Ok(Admission::AddressPaused {
                minutes: wait(counts.minutes_until_address_frees),
            });
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sign_in_failures (email, client_ip, pending) VALUES ($1, $2, true)
         RETURNING id",
    )
    .bind(email)
    .bind(client_ip)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let delay = if unlocked {
        Duration::ZERO
    } else {
        policy.delay_for(counts.recent)
    };
    Ok(Admission::Reserved {
        attempt: Attempt(id),
        delay,
    })
}

/// Takes `scope`'s transaction-scoped advisory locks on the account and the client address,
/// always in that order, so that requests counted against the same limits are counted one
/// at a time (and never deadlock). Sign-in attempts and password reset requests use it.
pub async fn lock_account_and_address(
    tx: &mut sqlx::PgConnection,
    scope: &str,
    email: &str,
    client_ip: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended($1 || ' account ' || lower($2), 0)),
                pg_advisory_xact_lock(hashtextextended($1 || ' address ' || $3, 0))",
    )
    .bind(scope)
    .bind(email)
    .bind(client_ip)
    .execute(tx)
    .await?;
    Ok(())
}

/// The password was right: the attempt no longer counts.
pub async fn succeeded(pool: &PgPool, attempt: Attempt) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
        .bind(attempt.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// The attempt failed: it keeps counting for the hour.
pub async fn failed(pool: &PgPool, attempt: Attempt) -> Result<(), AppError> {
    sqlx::query("UPDATE sign_in_failures SET pending = false WHERE id = $1")
        .bind(attempt.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// Drops records older than any limit looks at.
pub async fn prune(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM sign_in_failures WHERE created_at < now() - interval '1 day'")
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_after_the_free_failures_and_doubles_up_to_the_cap() {
        let policy = ThrottlePolicy::default();
        assert_eq!(policy.delay_for(0), Duration::ZERO);
        assert_eq!(policy.delay_for(3), Duration::ZERO);
        assert_eq!(policy.delay_for(4), Duration::from_millis(250));
        assert_eq!(policy.delay_for(5), Duration::from_millis(500));
        assert_eq!(policy.delay_for(6), Duration::from_millis(1000));
        assert_eq!(policy.delay_for(7), Duration::from_millis(2000));
        assert_eq!(policy.delay_for(50), Duration::from_secs(8));
    }
}
