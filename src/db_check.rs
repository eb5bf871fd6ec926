//! Whether the database answers, told apart from a pool that is only busy.
//!
//! `/readyz` and the metrics' scrape borrow a connection from the app's own pool. Under
//! a load spike every connection may be in use for longer than such a check waits: the
//! check then times out on every instance at once, and a load balancer that took that
//! for "database down" would remove them all, turning an overload into an outage. So a
//! check that runs out of time while the pool is at its most connections with none
//! idle is `Busy` (the instance stays ready); only an error, or running out of time with
//! room in the pool, is `Down`. (A database that hangs every query on a full pool looks
//! busy too: `are_db_pool_timeouts_total` and the acquire wait show it.)

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};

/// Why a check got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbTrouble {
    /// Out of time while every connection was in use: queueing, not unreachable.
    Busy,
    /// An error, or out of time with room in the pool.
    Down,
}

/// The pool's load as sqlx reports it (it keeps the number of waiting tasks to itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLoad {
    pub connections: u32,
    pub idle: usize,
    pub max: u32,
}

impl PoolLoad {
    pub fn of(pool: &PgPool) -> Self {
        Self {
            connections: pool.size(),
            idle: pool.num_idle(),
            max: pool.options().get_max_connections(),
        }
    }

    /// Every connection open and in use: a new query waits for one.
    pub fn saturated(&self) -> bool {
        self.connections >= self.max && self.idle == 0
    }
}

/// A check's query, on the connection it was given.
pub type Work<T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send>>;

/// What a check found, and how long it waited for its connection.
#[derive(Debug)]
pub struct Checked<T> {
    pub outcome: Result<T, DbTrouble>,
    pub acquire_wait: Duration,
}

/// Takes a connection from `pool` and runs `work` on it, all within `limit`; `what`
/// names the check in the log.
pub async fn check<T>(
    pool: PgPool,
    limit: Duration,
    what: &'static str,
    work: impl FnOnce(PoolConnection<Postgres>) -> Work<T>,
) -> Checked<T> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + limit;
    let acquired = tokio::time::timeout_at(deadline, pool.acquire()).await;
    let acquire_wait = started.elapsed();
    let failed = match acquired {
        Ok(Ok(connection)) => match tokio::time::timeout_at(deadline, work(connection)).await {
            Ok(Ok(value)) => {
                return Checked {
                    outcome: Ok(value),
                    acquire_wait,
                }
            }
            Ok(Err(error)) => Some(error),
            Err(_) => None,
        },
        Ok(Err(error)) => Some(error),
        Err(_) => None,
    };
    let load = PoolLoad::of(&pool);
    let trouble = judge(failed.as_ref(), load);
    match (&failed, trouble) {
        (_, DbTrouble::Busy) => {
            tracing::warn!(
                check = what,
                ?load,
                "database check out of time: the pool is busy"
            )
        }
        (Some(error), DbTrouble::Down) => {
            tracing::warn!(check = what, %error, "database check failed")
        }
        (None, DbTrouble::Down) => {
            tracing::warn!(check = what, ?load, "database check timed out")
        }
    }
    Checked {
        outcome: Err(trouble),
        acquire_wait,
    }
}

/// A check that failed with `error` (`None`: it ran out of time) while the pool was
/// under `load`.
fn judge(error: Option<&sqlx::Error>, load: PoolLoad) -> DbTrouble {
    let out_of_time = matches!(error, None | Some(sqlx::Error::PoolTimedOut));
    if out_of_time && load.saturated() {
        DbTrouble::Busy
    } else {
        DbTrouble::Down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: PoolLoad = PoolLoad {
        connections: 10,
        idle: 0,
        max: 10,
    };

    #[test]
    fn out_of_time_on_a_full_pool_is_busy() {
        assert_eq!(judge(None, FULL), DbTrouble::Busy);
        assert_eq!(
            judge(Some(&sqlx::Error::PoolTimedOut), FULL),
            DbTrouble::Busy
        );
    }

    #[test]
    fn out_of_time_with_room_in_the_pool_is_down() {
        let idle = PoolLoad { idle: 1, ..FULL };
        let room = PoolLoad {
            connections: 3,
            ..FULL
        };
        for load in [idle, room] {
            assert!(!load.saturated());
            assert_eq!(judge(None, load), DbTrouble::Down);
            assert_eq!(
                judge(Some(&sqlx::Error::PoolTimedOut), load),
                DbTrouble::Down
            );
        }
    }

    #[test]
    fn an_error_is_down_however_busy_the_pool() {
        let refused = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(judge(Some(&refused), FULL), DbTrouble::Down);
        assert_eq!(judge(Some(&sqlx::Error::PoolClosed), FULL), DbTrouble::Down);
    }
}
