//! Unguessable tokens for links sent by email: 256 random bits, base64url in the link,
//! only a SHA-256 digest stored, so a database leak reveals no usable link.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub struct NewToken {
    /// Goes into the link; never stored.
    pub secret: String,
    /// Goes into the database.
    pub digest: Vec<u8>,
}

pub fn generate() -> NewToken {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&secret);
    NewToken { secret, digest }
}

pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The paths whose next segment is a link's secret: the candidate's test, the staff
/// invitation, the sign-in link of a paused account, the password reset and an
/// organization's sign-up. A new kind of emailed link adds its prefix here, so logs never
/// see it.
pub const SECRET_PATHS: &[&str] = &["/test/", "/invite/", "/unlock/", "/reset/", "/signup/"];

/// `path` as logs may show it: the secret segment of a link path replaced.
pub fn redact_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_PATHS {
        if let Some(rest) = path.strip_prefix(prefix) {
            let after = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}[secret]{after}").into();
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_see_no_link_secret() {
        let secret = generate().secret;
        assert_eq!(redact_path(&format!("/test/{secret}")), "/test/[secret]");
        assert_eq!(
            redact_path(&format!("/invite/{secret}/x")),
            "/invite/[secret]/x"
        );
        assert_eq!(
            redact_path(&format!("/unlock/{secret}")),
            "/unlock/[secret]"
        );
        assert_eq!(
            redact_path(&format!("/signup/{secret}")),
            "/signup/[secret]"
        );
        assert_eq!(redact_path("/signup"), "/signup");
        assert_eq!(redact_path("/api/test/save"), "/api/test/save");
        assert_eq!(redact_path("/candidates"), "/candidates");
    }

    #[test]
    fn tokens_are_long_distinct_and_match_their_digest() {
        let a = generate();
        let b = generate();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 43, "32 bytes in unpadded base64url");
        assert_eq!(digest(&a.secret), a.digest);
        assert_ne!(digest(&a.secret), digest(&b.secret));
    }
}
