//! Signing in and out, the user's own password and time zone, password rules and
//! hashing, failed-sign-in limits. Who is signed in (the guard) is `access`.

mod api;
pub mod pages;
mod reset_api;
mod two_step_api;
pub mod two_step_pages;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod notice;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod reset;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod two_step;
#[cfg(feature = "ssr")]
pub mod unlock;

pub use api::*;
pub use reset_api::*;
pub use two_step_api::*;

/// What signing in needs beside the pool: the one password hasher of the process (it
/// bounds how many hashes run at once) and the failed-sign-in limits. The server puts it
/// in every request's context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct AuthConfig {
    pub hasher: password::PasswordHasher,
    pub throttle: throttle::ThrottlePolicy,
}

#[cfg(feature = "ssr")]
impl AuthConfig {
    pub fn new(throttle: throttle::ThrottlePolicy) -> Self {
        Self {
            hasher: password::PasswordHasher::new(),
            throttle,
        }
    }
}

#[cfg(feature = "ssr")]
pub fn config() -> crate::error::AppResult<AuthConfig> {
    crate::state::context("AuthConfig")
}

/// Why a sign-in failed, as the server's metrics count it: a counter the operator
/// watches for password guessing (`Password`, `Throttled`) or a broken authenticator
/// rollout (`SecondStep`). The counter goes to whatever recorder the server installed.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// The email and password do not match an active account.
    Password,
    /// The account's or the address's failure limit turned the attempt away.
    Throttled,
    /// A wrong second-step code, or a second step that had expired.
    SecondStep,
}

#[cfg(feature = "ssr")]
impl SignInFailure {
    pub const METRIC: &'static str = "are_sign_in_failures_total";
    pub const ALL: [Self; 3] = [Self::Password, Self::Throttled, Self::SecondStep];

    /// The counter's `reason` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Throttled => "throttled",
            Self::SecondStep => "second_step",
        }
    }

    pub fn count(self) {
        metrics::counter!(Self::METRIC, "reason" => self.as_str()).increment(1);
    }

    /// Counts `error` when it is the limits turning a sign-in away.
    pub(crate) fn count_throttled(error: &crate::error::AppError) {
        use crate::error::AppError;
        if matches!(error, AppError::SignInPaused(_) | AppError::RateLimited(_)) {
            Self::Throttled.count();
        }
    }
}

/// What an authenticator app needs to be set up: the QR code (SVG) of its `otpauth://`
/// link, and the secret to type by hand.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Enrolment {
    pub qr_svg: String,
    pub typed_secret: String,
}

/// The second step a sign-in awaits: a code, or (`setup`) an app set up now.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SecondStepPrompt {
    pub email: String,
    pub setup: Option<Enrolment>,
}

/// The signed-in user's two-step sign-in, as their account shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TwoStepStatus {
    pub enabled: bool,
    /// Being set up: waiting for the app's first code.
    pub pending: Option<Enrolment>,
    pub recovery_left: i64,
    pub is_admin: bool,
    /// The organization requires two steps of its admins.
    pub org_requires: bool,
    /// Recovery codes made just now, shown this once.
    pub fresh_codes: Vec<String>,
}

/// One place where a user is signed in, as their account page lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignInInfo {
    pub id: uuid::Uuid,
    /// "Firefox on Windows".
    pub device: String,
    /// The client address it was last used from.
    pub address: String,
    pub signed_in_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session this page was loaded with.
    pub current: bool,
}

/// Where to go after signing in: only a path on this site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if is_same_site_path(path) && !path.starts_with("/login") => path.to_string(),
        _ => "/".to_string(),
    }
}

/// A path of this site and nothing else: it starts with one `/` (not `//`, which names
/// another host), and holds no scheme, no backslash, no whitespace and no control
/// character — browsers drop tabs and newlines and read `\` as `/`, so `/\t/evil.example`
/// would take them to `//evil.example`.
fn is_same_site_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    !rest.starts_with(['/', '\\'])
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/login?next=/x")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers drop tabs and newlines and read a backslash as a slash.
        for evil in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\u{0}/evil.example",
            "/ /evil.example",
            "/a\\b",
            "\\\\evil.example",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(
            safe_next(Some("/candidates?q=ada%20l&tag=x")),
            "/candidates?q=ada%20l&tag=x"
        );
    }

    #[test]
    fn the_frame_posts_sign_out_to_its_server_function() {
        use server_fn::ServerFn;
        assert_eq!(SignOut::url(), crate::ui::layout::SIGN_OUT_URL);
    }
}
