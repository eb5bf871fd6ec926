//! The rules of sign-up: the form, the limits, the job that emails the link (or, to an
//! address that has an account, a notice), and the confirmation that makes the
//! organization and its admin.
//!
//! The request does the same work whatever the address: it checks the form, counts the
//! request, hashes the password, stores the sign-up and queues a job; only the job looks
//! the address up. So neither the answer nor its time tells whether an address has an
//! account. The link asks for the password again: whoever opens it must be the person
//! who chose it, so a sign-up made in someone else's name cannot become an account its
//! maker knows the password of.

use anyhow::Context;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::data::{self, NewSignUp};
use super::{LINK_HOURS, MAX_WRONG_PASSWORDS, PER_CLIENT_PER_HOUR, PER_EMAIL_PER_HOUR};
use crate::access::Role;
use crate::audit::data::{record, NewAuditEntry};
use crate::auth::password::{NewPassword, PasswordHasher};
use crate::email::outbox::{enqueue, OutgoingEmail};
use crate::email::{EmailAddress, LINK_PLACEHOLDER};
use crate::error::AppError;
use crate::jobs::{Attempt, Job, JobContext};
use crate::users::data::{create_organization, insert_user, NewUser};
use crate::users::{parse_full_name, parse_org_name, parse_org_slug};

/// The sign-up form, checked.
pub struct SignUpRequest {
    pub org_name: String,
    pub slug: String,
    pub full_name: String,
    pub email: EmailAddress,
    pub password: NewPassword,
}

impl SignUpRequest {
    /// The form's fields as a person typed them; the password follows the rules of every
    /// password (12 to 128 characters, hard to guess, not made of the person's name,
    /// address or organization).
    pub fn parse(
        org_name: &str,
        slug: &str,
        full_name: &str,
        email: &str,
        password: &str,
        confirm_password: &str,
    ) -> Result<Self, AppError> {
        let org_name = parse_org_name(org_name)?;
        let slug = parse_org_slug(slug).map_err(|error| AppError::invalid(capitalized(&error)))?;
        let full_name = parse_full_name(full_name)?;
        let email = EmailAddress::parse(email)?;
        let password = NewPassword::parse(
            password,
            confirm_password,
            &[email.as_str(), &full_name, &org_name, &slug],
        )?;
        Ok(Self {
            org_name,
            slug,
            full_name,
            email,
            password,
        })
    }
}

/// The slug's messages begin in lower case, for the command line's "are: …".
fn capitalized(error: &AppError) -> String {
    let message = error.to_string();
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => message,
    }
}

/// What a person is told when the slug belongs to an organization.
pub fn slug_taken(slug: &str) -> AppError {
    AppError::invalid(format!("The slug “{slug}” is taken: choose another."))
}

/// Refuses a request past either limit: `for_email` and `from_client` are the requests of
/// the last hour, `minutes` how long until the limit reached frees a place.
pub fn check_limits(
    for_email: i64,
    from_client: i64,
    minutes: impl Fn(bool) -> Option<f64>,
) -> Result<(), AppError> {
    let wait = crate::error::minutes_to_wait;
    if for_email >= PER_EMAIL_PER_HOUR {
        return Err(AppError::RateLimited(wait(minutes(true))));
    }
    if from_client >= PER_CLIENT_PER_HOUR {
        return Err(AppError::RateLimited(wait(minutes(false))));
    }
    Ok(())
}

/// Stores a sign-up and queues the job that emails its link, unless an organization has
/// the slug or a limit is reached. The request is counted (under advisory locks on the
/// address and the client, so a burst is counted one at a time) before the password is
/// hashed.
///
/// A sign-up holds no slug while it waits: holding one would let anyone keep a slug from
/// its organization for a day, again and again, and tell from "taken" which address waits
/// behind it. Several sign-ups may ask for one slug; the first confirmed gets it, and
/// [`confirm`] tells the others to sign up again with another.
pub async fn request(
    pool: &PgPool,
    hasher: &PasswordHasher,
    sign_up: &SignUpRequest,
    client_ip: &str,
) -> Result<(), AppError> {
    let email = sign_up.email.as_str();
    // A taken slug costs no attempt.
    if data::organization_has_slug(pool, &sign_up.slug).await? {
        return Err(slug_taken(&sign_up.slug));
    }
    {
        let mut tx = pool.begin().await?;
        crate::auth::throttle::lock_account_and_address(&mut tx, "signup", email, client_ip)
            .await?;
        let recent = data::recent_requests(&mut tx, email, client_ip).await?;
        check_limits(recent.for_email, recent.from_client, |for_email| {
            if for_email {
                recent.minutes_until_email_frees
            } else {
                recent.minutes_until_client_frees
            }
        })?;
        data::record_request(&mut tx, email, client_ip).await?;
        tx.commit().await?;
    }
    let password_hash = hasher.hash(&sign_up.password).await?;
    let mut tx = pool.begin().await?;
    let id = data::insert(
        &mut tx,
        NewSignUp {
            org_name: &sign_up.org_name,
            slug: &sign_up.slug,
            full_name: &sign_up.full_name,
            email,
            password_hash: &password_hash,
            client_ip,
            expires_at: Utc::now() + chrono::Duration::hours(LINK_HOURS),
        },
    )
    .await?;
    crate::jobs::queue::enqueue(&mut *tx, None, &SendSignUpLink { sign_up_id: id }).await?;
    tx.commit().await?;
    Ok(())
}

/// Emails a sign-up its link, or, when its address already has an account, a notice
/// instead (and the sign-up closes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendSignUpLink {
    pub sign_up_id: Uuid,
}

impl Job for SendSignUpLink {
    const NAME: &'static str = "signup.send_link";

    async fn run(self, ctx: &JobContext, _attempt: Attempt) -> anyhow::Result<()> {
        let mut tx = ctx.pool.begin().await.context("could not begin")?;
        let Some(sign_up) = data::awaiting_link(&mut tx, self.sign_up_id)
            .await
            .context("could not read the sign-up")?
        else {
            // Expired, closed or sent already.
            return Ok(());
        };
        let to =
            EmailAddress::parse(&sign_up.email).context("the stored address does not parse")?;
        let public_url = &ctx.settings.public_url;
        let email = if data::email_has_account(&mut tx, &sign_up.email)
            .await
            .context("could not look the address up")?
        {
            data::close(&mut *tx, self.sign_up_id)
                .await
                .context("could not close the sign-up")?;
            account_exists_notice(to, public_url)
        } else {
            let token = crate::tokens::generate();
            data::set_link(&mut tx, self.sign_up_id, &token.digest)
                .await
                .context("could not store the link")?;
            link_email(
                to,
                &sign_up,
                &format!("{public_url}/signup/{}", token.secret),
            )
        };
        enqueue(&mut tx, email)
            .await
            .context("could not queue the email")?;
        tx.commit().await.context("could not commit")?;
        Ok(())
    }
}

fn link_email(to: EmailAddress, sign_up: &data::AwaitingLink, link: &str) -> OutgoingEmail {
    let body = format!(
        "Hello {name},\n\n\
         You asked to create the organization {org} (slug {slug}) on ARE, with this address \
         as its admin.\n\n\
         To create it, open this link and enter the password you chose (the link works \
         once, until {expires}):\n\
         {LINK_PLACEHOLDER}\n\n\
         Nothing is created until then. If you did not ask, ignore this email: the \
         request expires by itself.\n",
        name = sign_up.full_name,
        org = sign_up.org_name,
        slug = sign_up.slug,
        expires = crate::ui::time::format_time(&sign_up.expires_at),
    );
    OutgoingEmail {
        org_id: None,
        to,
        subject: "Confirm your new organization on ARE".into(),
        body_text: body,
        link: Some(link.to_string()),
        related: None,
        attachment: None,
    }
}

/// To an address that has an account: nobody learns it on the page, and its owner learns
/// why no link came. What the requester typed is left out: it goes to someone who may not
/// have asked.
fn account_exists_notice(to: EmailAddress, public_url: &str) -> OutgoingEmail {
    let body = format!(
        "Hello,\n\n\
         Someone, perhaps you, asked to sign up a new organization on ARE with this \
         address. It already has an ARE account, and an address belongs to one account, \
         so nothing was created.\n\n\
         To sign in: {public_url}/login\n\
         Forgot your password? {public_url}/forgot-password\n\n\
         To sign up another organization, use another email address. If you did not ask, \
         ignore this email: nothing has changed.\n"
    );
    OutgoingEmail {
        org_id: None,
        to,
        subject: "Sign-up with your address on ARE".into(),
        body_text: body,
        link: None,
        related: None,
        attachment: None,
    }
}

/// The link is unknown, used, closed or expired.
pub fn link_invalid() -> AppError {
    AppError::invalid(
        "This link was already used, has expired, or was closed after too many wrong \
         passwords. Sign up again.",
    )
}

/// The organization a confirmed sign-up made, and its admin.
#[derive(Debug)]
pub struct Created {
    pub org_id: Uuid,
    pub admin_id: Uuid,
}

/// Uses a sign-up's link with the password chosen for it: makes the organization (free
/// plan, default stages and reasons) and its admin, and audits it. When the slug or the
/// address was taken while the sign-up waited, it can never be made: the sign-up closes,
/// and the message says to sign up again with another slug or address.
pub async fn confirm(
    pool: &PgPool,
    hasher: &PasswordHasher,
    secret: &str,
    password: &str,
) -> Result<Created, AppError> {
    let digest = crate::tokens::digest(secret);
    // The attempt is counted first, so parallel requests check at most the allowed number
    // of passwords; a right one gives its attempt back as the organization is made.
    let attempt = data::reserve_attempt(pool, &digest, MAX_WRONG_PASSWORDS)
        .await?
        .ok_or_else(link_invalid)?;
    if !hasher
        .verify(password.to_string(), Some(attempt.password_hash.clone()))
        .await?
    {
        let spent = attempt.failed_attempts >= MAX_WRONG_PASSWORDS;
        if spent {
            data::close(pool, attempt.id).await?;
        }
        return Err(AppError::invalid(if spent {
            "That is not the password you chose, too many times: this link works no more. \
             Sign up again."
        } else {
            "That is not the password you chose when you signed up. Enter it again."
        }));
    }

    let mut tx = pool.begin().await?;
    let sign_up = data::open_by_digest(&mut tx, &digest, true)
        .await?
        .ok_or_else(link_invalid)?;
    data::right_password(&mut tx, sign_up.id).await?;
    match make_organization(&mut tx, &sign_up).await? {
        Ok(created) => {
            tx.commit().await?;
            Ok(created)
        }
        Err(refusal) => {
            // The transaction may have failed (a unique violation): close it apart.
            tx.rollback().await?;
            data::close(pool, sign_up.id).await?;
            Err(refusal)
        }
    }
}

/// Makes a sign-up's organization and admin in `tx`; the inner error says why it never
/// can (the address has an account, an organization has the slug).
async fn make_organization(
    tx: &mut PgConnection,
    sign_up: &data::OpenSignUp,
) -> Result<Result<Created, AppError>, AppError> {
    let has_account = || {
        AppError::invalid(format!(
            "{email} already has an ARE account, and an address belongs to one account, \
             so {org} was not created and this link works no more. Sign in with that \
             account, or sign up again with another address.",
            email = sign_up.email,
            org = sign_up.org_name,
        ))
    };
    let slug_gone = || {
        AppError::invalid(format!(
            "The slug “{slug}” was taken by another organization while your sign-up \
             waited, so {org} was not created and this link works no more. Sign up again \
             with another slug (your name, address and password may stay the same).",
            slug = sign_up.slug,
            org = sign_up.org_name,
        ))
    };
    if data::email_has_account(&mut *tx, &sign_up.email).await? {
        return Ok(Err(has_account()));
    }
    if data::organization_has_slug(&mut *tx, &sign_up.slug).await? {
        return Ok(Err(slug_gone()));
    }
    let org_id = match create_organization(&mut *tx, &sign_up.org_name, &sign_up.slug).await {
        Ok(org_id) => org_id,
        // Another sign-up or `are org create` took it a moment ago.
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(Err(slug_gone())),
        Err(error) => return Err(error.into()),
    };
    let admin_id = match insert_user(
        &mut *tx,
        NewUser {
            org_id,
            email: &sign_up.email,
            full_name: &sign_up.full_name,
            role: Role::Admin,
            password_hash: &sign_up.password_hash,
        },
    )
    .await
    {
        Ok(admin_id) => admin_id,
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            return Ok(Err(has_account()))
        }
        Err(error) => return Err(error.into()),
    };
    data::mark_used(&mut *tx, sign_up.id, org_id).await?;
    let plan = crate::users::plan::Plan::Free;
    let entry = NewAuditEntry {
        org_id: Some(org_id),
        actor_id: Some(admin_id),
        actor_email: Some(sign_up.email.clone()),
        ..NewAuditEntry::anonymous("organization.created")
    }
    .target("organization", org_id)
    .details(serde_json::json!({
        "name": sign_up.org_name,
        "slug": sign_up.slug,
        "by": "sign-up",
        "admin": sign_up.email,
        "plan": plan.as_str(),
        "seats": plan.default_seats(),
    }));
    record(&mut *tx, entry).await?;
    Ok(Ok(Created { org_id, admin_id }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "violet harbour ladder";

    fn parse(slug: &str, password: &str) -> Result<SignUpRequest, AppError> {
        SignUpRequest::parse(
            " Initech ",
            slug,
            "Bill Lumbergh",
            "bill@initech.example",
            password,
            password,
        )
    }

    #[test]
    fn a_good_form_is_trimmed_and_kept() {
        let sign_up = parse(" initech ", GOOD).unwrap();
        assert_eq!(sign_up.org_name, "Initech");
        assert_eq!(sign_up.slug, "initech");
        assert_eq!(sign_up.full_name, "Bill Lumbergh");
        assert_eq!(sign_up.email.as_str(), "bill@initech.example");
    }

    #[test]
    fn a_bad_or_reserved_slug_is_refused_in_a_sentence() {
        let bad = parse("Initech Inc", GOOD).err().unwrap().to_string();
        assert!(bad.starts_with("The slug “Initech Inc” must be"), "{bad}");
        let reserved = parse("admin", GOOD).err().unwrap().to_string();
        assert_eq!(reserved, "The slug “admin” is reserved; choose another");
    }

    #[test]
    fn the_password_follows_the_rules_of_every_password() {
        for weak in ["password1234", "bill@initech.example", "short"] {
            let error = parse("initech", weak).err().unwrap().to_string();
            assert!(
                error.contains("too easy to guess") || error.contains("at least 12"),
                "{weak}: {error}"
            );
        }
        let long = "x".repeat(129);
        let error = parse("initech", &long).err().unwrap().to_string();
        assert!(error.contains("at most 128"), "{error}");
        let mismatch = SignUpRequest::parse(
            "Initech",
            "initech",
            "Bill",
            "bill@initech.example",
            GOOD,
            "violet harbour ladders",
        );
        assert!(mismatch.err().unwrap().to_string().contains("do not match"));
    }

    #[test]
    fn limits_refuse_the_fourth_request_for_an_address_and_the_sixth_from_a_client() {
        let minutes = |_| Some(12.3);
        assert!(check_limits(2, 4, minutes).is_ok());
        assert_eq!(check_limits(3, 0, minutes), Err(AppError::RateLimited(13)));
        assert_eq!(check_limits(0, 5, minutes), Err(AppError::RateLimited(13)));
        assert_eq!(check_limits(3, 0, |_| None), Err(AppError::RateLimited(60)));
    }

    #[test]
    fn a_taken_slug_says_so() {
        assert_eq!(
            slug_taken("initech").to_string(),
            "The slug “initech” is taken: choose another."
        );
    }
}
