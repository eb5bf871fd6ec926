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
    /// This sign-in's row in `staff_sessions`: ending that row ends the session, whatever
    /// a late request writes to the session record afterwards. A record from before
    /// sign-ins had rows reads as the nil id, which names no row.
    #[serde(default)]
    pub sign_in: Uuid,
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
    pub fn new(user_id: Uuid, sign_in: Uuid, epoch: i32, now: i64) -> Self {
        Self {
            user_id,
            sign_in,
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

/// A short name for the device behind a `User-Agent`, for the user's list of sessions:
/// "Firefox on Windows", "Safari on iPhone". Unknown parts read as such, never guessed.
pub fn device_label(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map_or("An unknown browser", |(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle_or_too_old_and_refresh_at_most_once_a_minute() {
        let auth = SessionAuth::new(Uuid::nil(), Uuid::nil(), 0, 1_000_000);
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

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_label(chrome_linux), "Chrome on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_label(edge), "Edge on Windows");
        let firefox_mac =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device_label(firefox_mac), "Firefox on macOS");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(safari_iphone), "Safari on iPhone");
        assert_eq!(device_label(""), "An unknown browser");
    }
}
