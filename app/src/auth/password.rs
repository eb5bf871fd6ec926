//! Password rules and hashing: argon2id (m = 19 MiB, t = 2, p = 1) run off the async
//! runtime, with a bound on how many hashes run at once so a burst of sign-ins queues
//! instead of starving other requests of CPU.
//!
//! Each hash fills 19 MiB of memory. That memory is one work area per concurrent hash,
//! made on first use and kept for the process's life (at most one per core: 38 MiB on
//! two cores), rather than allocated and freed per sign-in: the allocator keeps a thread's
//! freed pages while the thread lives, so per-sign-in areas left the server's memory
//! going up and down by 19 MiB per blocking thread with the sign-in traffic (the soak's
//! RSS target measured it). The hashes are argon2's own (`hash_password_into_with_memory`
//! is what its `hash_password` and `verify_password` call), in the same PHC strings.

use std::sync::{Arc, Mutex, OnceLock};

use argon2::password_hash::{
    rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

/// One hash's work area at today's cost.
type Area = Vec<Block>;

fn new_area() -> Area {
    vec![Block::default(); params().block_count()]
}

/// `password` hashed with `params` and the salt into `area` (a fresh one when the
/// parameters need another size): argon2's own `hash_password`, on the given memory.
fn hash_into(
    area: &mut Area,
    password: &[u8],
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Salt<'_>,
) -> argon2::password_hash::Result<Output> {
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let mut other;
    let memory: &mut [Block] = if params.block_count() == area.len() {
        area
    } else {
        other = vec![Block::default(); params.block_count()];
        &mut other
    };
    let argon2 = Argon2::new(algorithm, version, params);
    Output::init_with(output_len, |out| {
        Ok(argon2.hash_password_into_with_memory(password, salt_bytes, out, &mut *memory)?)
    })
}

fn hash_blocking(area: &mut Area, password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    let params = params();
    let hashed = ParamsString::try_from(&params).and_then(|params_string| {
        let output = hash_into(
            area,
            password.as_bytes(),
            Algorithm::Argon2id,
            Version::V0x13,
            params,
            salt.as_salt(),
        )?;
        Ok(PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: params_string,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        }
        .to_string())
    });
    hashed.map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// argon2's `verify_password`, on the given memory: the stored hash's own algorithm,
/// version and parameters, compared in constant time (`Output`'s equality).
fn verify_blocking(area: &mut Area, password: &str, hash: &str) -> bool {
    let checked = PasswordHash::new(hash).and_then(|parsed| {
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(argon2::password_hash::Error::Password);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let computed = hash_into(area, password.as_bytes(), algorithm, version, params, salt)?;
        Ok(computed == expected)
    });
    match checked {
        Ok(matches) => matches,
        Err(argon2::password_hash::Error::Password) => false,
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
        hash_blocking(
            &mut new_area(),
            "no account has this password, it only spends time",
        )
        .expect("hashing a constant succeeds")
    })
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Work areas not in use; a hash takes one (or makes one when none is free: there are
    /// never more than permits) and puts it back.
    areas: Arc<Mutex<Vec<Area>>>,
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
            areas: Arc::default(),
        }
    }

    /// Runs `work` on a blocking thread with a work area, within the bound.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Area) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        // The permit goes with the blocking work and is released only after its area is
        // back: a caller that stops waiting (a client gone mid sign-in) does not free its
        // permit while the hash still runs, so no more areas than permits are ever made.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal)?;
        let areas = self.areas.clone();
        tokio::task::spawn_blocking(move || {
            let free = areas.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut area = free.unwrap_or_else(new_area);
            let done = work(&mut area);
            areas.lock().unwrap_or_else(|e| e.into_inner()).push(area);
            drop(permit);
            done
        })
        .await
        .map_err(|error| {
            tracing::error!(%error, "password task panicked");
            AppError::Internal
        })
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, AppError> {
        let password = password.expose().to_owned();
        self.run(move |area| hash_blocking(area, &password)).await?
    }

    /// Checks `password` against `hash`; with no hash (unknown account) it spends the same
    /// time and answers false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move |area| match hash {
            Some(hash) => verify_blocking(area, &password, &hash),
            None => {
                verify_blocking(area, &password, dummy_hash());
                false
            }
        })
        .await
    }

    /// Work areas made so far (at most one per permit).
    #[cfg(test)]
    fn areas_made(&self) -> usize {
        self.areas.lock().unwrap().len()
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

    #[tokio::test]
    async fn hashes_agree_with_argon2s_own_both_ways() {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};

        let hasher = PasswordHasher::new();
        let ours = hasher
            .hash(&NewPassword::parse("quiet otter lamp", "quiet otter lamp", &[]).unwrap())
            .await
            .unwrap();
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        assert!(standard
            .verify_password(b"quiet otter lamp", &PasswordHash::new(&ours).unwrap())
            .is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = standard
            .hash_password(b"quiet otter lamp", &salt)
            .unwrap()
            .to_string();
        assert!(hasher
            .verify("quiet otter lamp".into(), Some(theirs.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("quiet otter lamq".into(), Some(theirs))
            .await
            .unwrap());
        // A hash made at another cost (older or future settings) still verifies.
        let cheaper = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"quiet otter lamp", &salt)
        .unwrap()
        .to_string();
        assert!(hasher
            .verify("quiet otter lamp".into(), Some(cheaper))
            .await
            .unwrap());
        assert!(!hasher
            .verify(
                "quiet otter lamp".into(),
                Some("$argon2id$v=19$broken".into())
            )
            .await
            .unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn work_areas_are_made_once_per_permit_and_reused() {
        let hasher = PasswordHasher::new();
        let permits = hasher.permits.available_permits();
        let hash = hasher
            .hash(&NewPassword::parse("quiet otter lamp", "quiet otter lamp", &[]).unwrap())
            .await
            .unwrap();
        let checks: Vec<_> = (0..4 * permits)
            .map(|_| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                tokio::spawn(
                    async move { hasher.verify("quiet otter lamp".into(), Some(hash)).await },
                )
            })
            .collect();
        for check in checks {
            assert!(check.await.unwrap().unwrap());
        }
        let made = hasher.areas_made();
        assert!(
            (1..=permits).contains(&made),
            "{made} areas for {permits} permits"
        );
    }
}
