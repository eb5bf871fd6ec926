//! The `are` command line: `serve` (also with no command), `migrate`, `org create`,
//! `generate` and `generate-invites`. Parsing is clap's (its `--help`, `--version` and
//! usage errors, exit code 2); a command that fails prints one line and exits with 1
//! (`main.rs`). The commands take a pool and return what they did, so the tests call them.

use anyhow::Context;
use app::access::Role;
use app::audit::data::{record, NewAuditEntry};
use app::email::EmailAddress;
use app::users::data::create_organization;
use app::users::invite::{invite, Invitation, Invited};
use clap::{Args, Parser, Subcommand};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{generate, generate_invites};

/// ARE, the Applicant Recruitment Engine. Every command reads its configuration from
/// environment variables (the README lists them); DATABASE_URL is required.
#[derive(Debug, Parser)]
#[command(name = "are", version)]
pub struct Cli {
    /// What to do; with none, `serve`.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command to run: `serve` when none is given.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, load the demo organization if ARE_DEMO_DATA asks for it,
    /// run the job workers and serve (the default).
    Serve,
    /// Apply the database migrations that are not applied yet, then exit.
    Migrate,
    /// Organizations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill the database with the benchmark organization "Bench Co".
    Generate(generate::Sizes),
    /// Make the test-taking benchmark's organization, assessment and invite links.
    GenerateInvites(generate_invites::Options),
    /// Read generated résumés as the extraction job does and print the throughput.
    BenchExtraction(crate::bench_documents::ExtractionOptions),
    /// Write a generated résumé to stdout.
    SampleResume(crate::bench_documents::SampleOptions),
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization with the default pipeline stages and rejection reasons,
    /// and invite its first admin: prints the one-time link and queues its email.
    Create(OrgCreate),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Make a password reset link for an account: prints the one-time link (it works for
    /// an hour) and queues its email.
    ResetPassword(ResetPasswordArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ResetPasswordArgs {
    /// The address the account signs in with.
    #[arg(long)]
    pub email: String,
}

/// `are user reset-password`: the link, and what the command prints.
pub async fn user_reset_password(
    pool: &PgPool,
    public_url: &str,
    args: &ResetPasswordArgs,
) -> anyhow::Result<String> {
    let mut tx = pool.begin().await.context("cannot use the database")?;
    let Some(link) = app::auth::reset::issue_link(
        &mut tx,
        public_url,
        args.email.trim(),
        "are user reset-password",
    )
    .await?
    else {
        anyhow::bail!("no active account signs in with {}", args.email.trim());
    };
    tx.commit().await?;
    Ok(format!(
        "{email} chooses a new password with this link (it works once, for an hour; \
         every session of the account ends when it is used):\n\n{link}\n\n\
         The same link is queued in an email to {email}: the job workers of a running \
         server (`are serve`) send it.\n",
        email = args.email.trim(),
    ))
}

#[derive(Debug, Clone, Args)]
pub struct OrgCreate {
    /// The organization's name, as people see it.
    #[arg(long)]
    pub name: String,
    /// Its short name: 2 to 63 lowercase letters, digits and hyphens, unique; words such
    /// as admin, api, login and www are reserved.
    #[arg(long)]
    pub slug: String,
    /// The first admin's email address: the invitation goes there.
    #[arg(long)]
    pub admin_email: String,
    /// The first admin's name (default: the part of the email before the @).
    #[arg(long)]
    pub admin_name: Option<String>,
}

/// What `are org create` made.
#[derive(Debug)]
pub struct OrgCreated {
    pub org_id: Uuid,
    pub name: String,
    pub slug: String,
    pub admin_email: String,
    pub invite: Invited,
}

impl OrgCreated {
    /// What the command prints: the link first, then what happens to the email.
    pub fn report(&self) -> String {
        format!(
            "Created the organization {name} (slug {slug}).\n\
             The first admin, {email}, sets a password and signs in with this link \
             (it works once, until {expires}):\n\n{link}\n\n\
             The same link is queued in an email to {email}: the job workers of a \
             running server (`are serve`) send it.\n",
            name = self.name,
            slug = self.slug,
            email = self.admin_email,
            expires = app::ui::time::format_time(&self.invite.expires_at),
            link = self.invite.link,
        )
    }
}

fn invalid(error: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// `are org create`: the organization with its defaults and its first admin's
/// invitation, in one transaction. `public_url` is where people reach the app.
pub async fn org_create(
    pool: &PgPool,
    public_url: &str,
    args: &OrgCreate,
) -> anyhow::Result<OrgCreated> {
    let name = app::users::parse_org_name(&args.name).map_err(invalid)?;
    let slug = app::users::parse_org_slug(&args.slug).map_err(invalid)?;
    let email = EmailAddress::parse(&args.admin_email).map_err(invalid)?;
    let admin_name = match &args.admin_name {
        Some(admin_name) => admin_name.clone(),
        None => email.as_str().split('@').next().unwrap_or_default().into(),
    };
    let admin_name = app::users::parse_full_name(&admin_name).map_err(invalid)?;
    let exists = || anyhow::anyhow!("an organization with the slug {slug} exists already");

    let mut tx = pool.begin().await.context("cannot use the database")?;
    let taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1)")
            .bind(&slug)
            .fetch_one(&mut *tx)
            .await?;
    if taken {
        return Err(exists());
    }
    let org_id =
        create_organization(&mut tx, &name, &slug)
            .await
            .map_err(|error| match &error {
                // Another `org create` with the slug at the same moment.
                sqlx::Error::Database(db) if db.is_unique_violation() => exists(),
                _ => anyhow::Error::new(error).context("cannot create the organization"),
            })?;
    let command_line = |action| NewAuditEntry {
        org_id: Some(org_id),
        client_ip: None,
        ..NewAuditEntry::anonymous(action)
    };
    record(
        &mut *tx,
        command_line("organization.created")
            .target("organization", org_id)
            .details(serde_json::json!({ "name": name, "slug": slug, "by": "are org create" })),
    )
    .await?;
    let invited = invite(
        &mut tx,
        Invitation {
            org_id,
            org_name: &name,
            email: &email,
            full_name: &admin_name,
            role: Role::Admin,
            inviter: None,
            public_url,
            audit: command_line("user.invited"),
        },
    )
    .await
    .map_err(invalid)?;
    tx.commit().await?;
    Ok(OrgCreated {
        org_id,
        name,
        slug,
        admin_email: email.as_str().to_string(),
        invite: invited,
    })
}

/// `are migrate`: applies the migrations not applied yet; returns how many it applied.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<usize> {
    let applied_before = applied_migrations(pool).await?;
    crate::MIGRATOR
        .run(pool)
        .await
        .context("database migration failed")?;
    Ok(applied_migrations(pool).await? - applied_before)
}

async fn applied_migrations(pool: &PgPool) -> anyhow::Result<usize> {
    let table: Option<String> = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
        .fetch_one(pool)
        .await
        .context("cannot read the applied migrations")?;
    if table.is_none() {
        return Ok(0);
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .context("cannot read the applied migrations")?;
    Ok(count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
