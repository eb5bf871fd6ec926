//! Password rules and hashing: argon2id (m = 19 MiB, t = 2, p = 1) run off the async
//! runtime, with a bound on how many hashes run at once so a burst of sign-ins queues
//! instead of starving other requests of CPU.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Long enough for any passphrase (ASVS 2.1.2); bounds the work an attacker can make us do.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// zxcvbn's score of at least 10^8 guesses: not a common, breached, keyboard-walk or
/// dictionary-with-substitutions password, nor one made of the person's own name or address.
const MIN_STRENGTH: zxcvbn::Score = zxcvbn::Score::Three;

/// A password that satisfies the policy; it can only be made by `parse`.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `password` against the policy; `about` holds the words of the person it is
    /// for (name, email address, organization), which make a password easy to guess.
    pub fn parse(password: &str, confirmation: &str, about: &[&str]) -> Result<Self, AppError> {
        let length = password.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(AppError::invalid(format!(
                "Use at least {MIN_PASSWORD_CHARS} characters for the password."
            )));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(AppError::invalid(format!(
                "Use at most {MAX_PASSWORD_CHARS} characters for the password."
            )));
        }
        if password.trim().is_empty() {
            return Err(AppError::invalid("The password cannot be only spaces."));
        }
        if password != confirmation {
            return Err(AppError::invalid("The two passwords do not match."));
        }
        let strength = zxcvbn::zxcvbn(password, about);
        if strength.score() < MIN_STRENGTH {
            let mut message = String::from("That password is too easy to guess.");
            if let Some(feedback) = strength.feedback() {
                if let Some(warning) = feedback.warning() {
                    message = format!("That password is too easy to guess: {warning}");
                }
                for suggestion in feedback.suggestions() {
                    message.push(' ');
                    message.push_str(&suggestion.to_string());
                }
            }
            if !message.contains("word") {
                message.push_str(" A few unrelated words make a strong password.");
            }
            return Err(AppError::invalid(message));
        }
        Ok(Self(password.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(error) => {
            tracing::error!(%error, "stored password hash is malformed");
            false
        }
    }
}

/// A hash of a password nobody has, verified against when the email is unknown so that
/// an unknown email and a wrong password take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_blocking("no account has this password, it only spends time")
            .expect("hashing a constant succeeds")
    })
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordHasher {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            permits: Arc::new(Semaphore::new(cores)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work).await.map_err(|error| {
            tracing::error!(%error, "password task panicked");
            AppError::Internal
        })
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, AppError> {
        let password = password.expose().to_owned();
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`; with no hash (unknown account) it spends the same
    /// time and answers false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || match hash {
            Some(hash) => verify_blocking(&password, &hash),
            None => {
                verify_blocking(&password, dummy_hash());
                false
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_requires_twelve_characters_and_a_matching_confirmation() {
        let parse = |p: &str, c: &str| NewPassword::parse(p, c, &[]);
        assert!(parse("short", "short").is_err());
        assert!(parse("elevenchars", "elevenchars").is_err());
        assert!(parse("            ", "            ").is_err());
        assert!(parse("quiet otter lamp", "quiet otter lamq").is_err());
        assert!(parse("quiet otter lamp", "quiet otter lamp").is_ok());
        // Characters, not bytes: twelve accented letters count as twelve.
        assert!(parse("érable gâteau", "érable gâteau").is_ok());
    }

    #[test]
    fn at_most_128_characters() {
        let long = "lamp otter ".repeat(12);
        let at_limit = &long[..MAX_PASSWORD_CHARS];
        assert!(NewPassword::parse(at_limit, at_limit, &[]).is_ok());
        let over = format!("{at_limit}x");
        let refused = NewPassword::parse(&over, &over, &[]).err().unwrap();
        assert!(refused.to_string().contains("at most 128"), "{refused}");
    }

    #[test]
    fn common_breached_and_personal_passwords_are_refused_with_advice() {
        for weak in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou2024",
            "Password123!",
        ] {
            let refused = NewPassword::parse(weak, weak, &[]).err();
            let message = refused.map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("too easy to guess"), "{weak}: {message}");
        }
        // The person's own address or name is no secret.
        let own = "ada.lovelace@acme.test";
        assert!(NewPassword::parse(own, own, &[own, "Ada Lovelace"]).is_err());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost_and_verify() {
        let hasher = PasswordHasher::new();
        let password =
            NewPassword::parse("correct horse battery", "correct horse battery", &[]).unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher
            .verify("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("wrong horse battery".into(), Some(hash))
            .await
            .unwrap());
        assert!(!hasher.verify("anything at all".into(), None).await.unwrap());
    }
}
