//! Demo data for a fresh database: the organization "Acme" with one user per role.
//! The README lists these accounts.

use app::auth::password::{NewPassword, PasswordHasher};
use app::roles::Role;
use app::users::data::{create_organization, insert_user, NewUser};
use sqlx::PgPool;

pub struct DemoUser {
    pub full_name: &'static str,
    pub email: &'static str,
    pub role: Role,
    pub password: &'static str,
}

pub const DEMO_USERS: [DemoUser; 4] = [
    DemoUser {
        full_name: "Ada Admin",
        email: "admin@acme.example",
        role: Role::Admin,
        password: "acme-admin-password",
    },
    DemoUser {
        full_name: "Rita Recruiter",
        email: "recruiter@acme.example",
        role: Role::Recruiter,
        password: "acme-recruiter-password",
    },
    DemoUser {
        full_name: "Hugo Manager",
        email: "manager@acme.example",
        role: Role::HiringManager,
        password: "acme-manager-password",
    },
    DemoUser {
        full_name: "Iris Interviewer",
        email: "interviewer@acme.example",
        role: Role::Interviewer,
        password: "acme-interviewer-password",
    },
];

/// Acme's skill list, with the aliases people type.
pub const DEMO_SKILLS: [(&str, &[&str]); 8] = [
    ("Rust", &["rustlang"]),
    ("TypeScript", &["TS"]),
    ("JavaScript", &["JS", "ECMAScript"]),
    ("PostgreSQL", &["Postgres", "SQL"]),
    ("Kubernetes", &["k8s"]),
    ("Product design", &["UX", "UI design"]),
    ("Sales", &[]),
    ("Communication", &[]),
];

/// Loads the demo organization when the database has no organization yet; returns
/// whether it did.
pub async fn load_if_empty(pool: &PgPool, hasher: &PasswordHasher) -> anyhow::Result<bool> {
    let has_orgs: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations)")
        .fetch_one(pool)
        .await?;
    if has_orgs {
        return Ok(false);
    }
    let mut hashes = Vec::with_capacity(DEMO_USERS.len());
    for user in &DEMO_USERS {
        let password = NewPassword::parse(user.password, user.password)
            .map_err(|e| anyhow::anyhow!("demo password: {e}"))?;
        hashes.push(
            hasher
                .hash(&password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    let mut tx = pool.begin().await?;
    let org_id = create_organization(&mut tx, "Acme", "acme").await?;
    for (user, hash) in DEMO_USERS.iter().zip(&hashes) {
        insert_user(
            &mut *tx,
            NewUser {
                org_id,
                email: user.email,
                full_name: user.full_name,
                role: user.role,
                password_hash: hash,
            },
        )
        .await?;
    }
    for (name, aliases) in DEMO_SKILLS {
        let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
        sqlx::query("INSERT INTO skills (org_id, name, aliases) VALUES ($1, $2, $3)")
            .bind(org_id)
            .bind(name)
            .bind(&aliases)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}
