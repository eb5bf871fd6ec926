//! What a signed-in session holds, and the lifetime rules: 30 minutes idle, 12 hours in
//! all. The idle clock is refreshed at most once a minute, so a page view does not write
//! the session every time.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const AUTH_KEY: &str = "auth";
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
pub const ABSOLUTE_LIFETIME_SECS: i64 = 12 * 60 * 60;
pub const TOUCH_INTERVAL_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: Uuid,
    /// The user's `session_epoch` at sign-in; a later bump ends this session.
    pub epoch: i32,
    pub signed_in_at: i64,
    pub touched_at: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Lifetime {
    Expired,
    Current,
    /// Still valid, and the idle clock is due for a refresh.
    Touch,
}

impl SessionAuth {
    pub fn new(user_id: Uuid, epoch: i32, now: i64) -> Self {
        Self {
            user_id,
            epoch,
            signed_in_at: now,
            touched_at: now,
        }
    }

    pub fn lifetime(&self, now: i64) -> Lifetime {
        if now - self.signed_in_at >= ABSOLUTE_LIFETIME_SECS
            || now - self.touched_at >= IDLE_TIMEOUT_SECS
        {
            Lifetime::Expired
        } else if now - self.touched_at >= TOUCH_INTERVAL_SECS {
            Lifetime::Touch
        } else {
            Lifetime::Current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle_or_too_old_and_refresh_at_most_once_a_minute() {
        let auth = SessionAuth::new(Uuid::nil(), 0, 1_000_000);
        assert_eq!(auth.lifetime(1_000_000), Lifetime::Current);
        assert_eq!(auth.lifetime(1_000_059), Lifetime::Current);
        assert_eq!(auth.lifetime(1_000_060), Lifetime::Touch);
        assert_eq!(auth.lifetime(1_000_000 + 30 * 60), Lifetime::Expired);

        // Active all day long still ends at twelve hours.
        let busy = SessionAuth {
            touched_at: 1_000_000 + 12 * 3600 - 10,
            ..auth
        };
        assert_eq!(busy.lifetime(1_000_000 + 12 * 3600 - 5), Lifetime::Current);
        assert_eq!(busy.lifetime(1_000_000 + 12 * 3600), Lifetime::Expired);
    }
}
