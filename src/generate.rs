//! `are generate`: a large organization for benchmarks ("Bench Co", slug `bench`):
//! staff with known passwords, a skill list, requisitions, candidates with skills and
//! tags, and applications spread over the pipeline stages with their first move recorded.
//! The bulk is written by `generate_series` in a few statements, so 100,000 candidates
//! take seconds, not minutes.

use anyhow::bail;
use app::access::Role;
use app::auth::password::{NewPassword, PasswordHasher};
use app::users::data::{create_organization, insert_user, NewUser};
use sqlx::PgPool;
use uuid::Uuid;

/// The bench organization's staff all sign in with this password.
pub const BENCH_PASSWORD: &str = "bench-password";

/// The bench organization's staff: (email, name, role).
pub const BENCH_USERS: [(&str, &str, Role); 4] = [
    ("admin@bench.example", "Bea Admin", Role::Admin),
    ("recruiter@bench.example", "Ben Recruiter", Role::Recruiter),
    ("manager@bench.example", "Mia Manager", Role::HiringManager),
    (
        "interviewer@bench.example",
        "Ivo Interviewer",
        Role::Interviewer,
    ),
];

pub const SKILLS: [&str; 20] = [
    "Rust",
    "Go",
    "Python",
    "Java",
    "TypeScript",
    "JavaScript",
    "PostgreSQL",
    "Kubernetes",
    "AWS",
    "Terraform",
    "React",
    "Figma",
    "Sales",
    "Negotiation",
    "Accounting",
    "SQL",
    "Machine learning",
    "Support",
    "Communication",
    "Leadership",
];

/// How much to generate (`are generate --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Sizes {
    /// Candidates to make.
    #[arg(long, default_value_t = 100_000)]
    pub candidates: i64,
    /// Requisitions to make.
    #[arg(long, default_value_t = 300)]
    pub requisitions: i64,
    /// Applications (candidate and requisition pairs) spread over the pipeline.
    #[arg(long, default_value_t = 50_000)]
    pub applications: i64,
}

impl Default for Sizes {
    fn default() -> Self {
        Self {
            candidates: 100_000,
            requisitions: 300,
            applications: 50_000,
        }
    }
}

impl Sizes {
    /// Refuses sizes that cannot be generated.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.requisitions < 1 || self.candidates < 1 || self.applications < 0 {
            bail!("give at least one requisition and one candidate");
        }
        if self.applications > self.candidates * self.requisitions {
            bail!("more applications than candidate and requisition pairs");
        }
        Ok(())
    }
}

/// Writes the bench organization; refuses when it exists already.
pub async fn generate(
    pool: &PgPool,
    hasher: &PasswordHasher,
    sizes: Sizes,
) -> anyhow::Result<Uuid> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = 'bench')")
            .fetch_one(pool)
            .await?;
    if exists {
        bail!("the organization \"Bench Co\" exists already: generate into an empty database");
    }
    let password = NewPassword::parse(BENCH_PASSWORD, BENCH_PASSWORD, &[])
        .map_err(|e| anyhow::anyhow!("bench password: {e}"))?;
    let hash = hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    let mut tx = pool.begin().await?;
    let org_id = create_organization(&mut tx, "Bench Co", "bench").await?;
    let mut ids = Vec::new();
    for (email, full_name, role) in BENCH_USERS {
        let user = NewUser {
            org_id,
            email,
            full_name,
            role,
            password_hash: &hash,
        };
        ids.push(insert_user(&mut *tx, user).await?);
    }
    let (recruiter, manager) = (ids[1], ids[2]);
    let skills: Vec<String> = SKILLS.iter().map(|s| s.to_string()).collect();
    sqlx::query("INSERT INTO skills (org_id, name) SELECT $1, unnest($2::text[])")
        .bind(org_id)
        .bind(&skills)
        .execute(&mut *tx)
        .await?;

    // Requisitions: most open, a few in every other status; every third one is the
    // hiring manager's.
    sqlx::query(
        "INSERT INTO job_requisitions (org_id, title, department, location, employment_type,
             openings, hiring_manager_id, status, description_md, created_by, created_at)
         SELECT $1,
                (ARRAY['Backend Engineer','Frontend Engineer','Data Analyst','Account Executive',
                       'Product Designer','Site Reliability Engineer','Support Specialist',
                       'Finance Manager'])[1 + i % 8] || ' ' || i,
                (ARRAY['Engineering','Engineering','Data','Sales','Design','Engineering',
                       'Support','Finance'])[1 + i % 8],
                (ARRAY['Berlin','Lisbon','Remote','New York','Toronto'])[1 + i % 5],
                'full_time', 1 + i % 4,
                CASE WHEN i % 3 = 0 THEN $2::uuid END,
                CASE WHEN i % 20 = 0 THEN 'draft' WHEN i % 20 = 1 THEN 'on_hold' ELSE 'open' END,
                '## The role' || E'\\n\\n' || 'Generated for benchmarks.', $3,
                now() - (i % 365) * interval '1 day'
         FROM generate_series(1, $4::bigint) AS i",
    )
    .bind(org_id)
    .bind(manager)
    .bind(recruiter)
    .bind(sizes.requisitions)
    .execute(&mut *tx)
    .await?;

    sqlx::query(
        "INSERT INTO candidates (org_id, full_name, email, phone, location, headline, source,
             tags, created_by, created_at)
         SELECT $1, f.first || ' ' || l.last,
                lower(f.first || '.' || l.last || '.' || i) || '@example.com',
                '+1 555 ' || lpad((i % 10000)::text, 4, '0'),
                (ARRAY['Berlin','Lisbon','Remote','New York','Toronto','Paris'])[1 + i % 6],
                (ARRAY['Engineer','Designer','Analyst','Salesperson','Manager'])[1 + i % 5],
                (ARRAY['applied','referral','job_board','sourced','other'])[1 + i % 5],
                CASE WHEN i % 4 = 0 THEN ARRAY['senior'] WHEN i % 4 = 1 THEN ARRAY['remote','junior']
                     WHEN i % 4 = 2 THEN ARRAY['relocate'] ELSE ARRAY[]::text[] END,
                $2, now() - i * interval '1 minute'
         FROM generate_series(1, $3::bigint) AS i
         CROSS JOIN LATERAL (SELECT (ARRAY['Ada','Ben','Chloe','Dmitri','Elena','Farid','Grace',
             'Hiro','Ines','Jonas','Kemal','Lena','Mateo','Nora','Omar','Priya','Quinn','Rosa',
             'Sven','Tara','Umar','Vera','Wen','Yara','Zoe','Aiko','Bruno','Carmen','Dario',
             'Emeka','Freya','Goran','Hana','Ivan','Jana','Kofi','Luis','Maya','Nils','Olga'])
             [1 + i % 40] AS first) f
         CROSS JOIN LATERAL (SELECT (ARRAY['Smith','Garcia','Müller','Rossi','Kowalski','Silva',
             'Nguyen','Kim','Haddad','Okafor','Novak','Larsen','Dubois','Tanaka','Costa','Singh',
             'Walsh','Berg','Moreau','Ivanova','Cohen','Lopez','Schmidt','Abara','Brandt',
             'Castillo','Dahl','Eriksen','Fischer','Gupta','Horvat','Iqbal','Jensen','Kato',
             'Lindqvist','Mensah','Nakamura','Ortiz','Petrov','Quintero','Reyes'])
             [1 + (i / 40) % 41] AS last) l",
    )
    .bind(org_id)
    .bind(recruiter)
    .bind(sizes.candidates)
    .execute(&mut *tx)
    .await?;

    // One or two skills per candidate.
    sqlx::query(
        "WITH c AS (SELECT id, row_number() OVER (ORDER BY created_at DESC, id) AS n
                    FROM candidates WHERE org_id = $1),
              s AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k, count(*) OVER () AS total
                    FROM skills WHERE org_id = $1)
         INSERT INTO candidate_skills (candidate_id, skill_id)
         SELECT DISTINCT c.id, s.id FROM c JOIN s ON s.k = c.n % s.total OR s.k = (c.n * 7) % s.total",
    )
    .bind(org_id)
    .execute(&mut *tx)
    .await?;

    // Applications: candidate n joins requisition n mod R (then n + 1 mod R, …), so
    // every pair is distinct; stages are spread with most early in the funnel.
    sqlx::query(
        "WITH r AS (SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS k, count(*) OVER () AS total
                    FROM job_requisitions WHERE org_id = $1),
              c AS (SELECT id, row_number() OVER (ORDER BY created_at DESC, id) - 1 AS n, count(*) OVER () AS total
                    FROM candidates WHERE org_id = $1),
              st AS (SELECT id, row_number() OVER (ORDER BY position) - 1 AS k FROM pipeline_stages
                     WHERE org_id = $1),
              pairs AS (SELECT i, i % (SELECT max(total) FROM c) AS n,
                               (i % (SELECT max(total) FROM c) + i / (SELECT max(total) FROM c))
                                   % (SELECT max(total) FROM r) AS k
                        FROM generate_series(0, $2::bigint - 1) AS i)
         INSERT INTO applications (org_id, candidate_id, requisition_id, stage_id, stage_entered_at,
                                   created_by, created_at)
         SELECT $1, c.id, r.id, st.id, now() - (pairs.i % 2000) * interval '1 hour', $3,
                now() - (pairs.i % 2000 + 24) * interval '1 hour'
         FROM pairs JOIN c ON c.n = pairs.n JOIN r ON r.k = pairs.k
         JOIN st ON st.k = (ARRAY[0,0,0,0,1,1,1,2,2,3,3,4,5,6,6,6,7])[1 + pairs.i % 17]",
    )
    .bind(org_id)
    .bind(sizes.applications)
    .bind(recruiter)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO application_stage_changes (org_id, application_id, from_stage_id, to_stage_id,
             moved_by, created_at)
         SELECT org_id, id, NULL, stage_id, created_by, stage_entered_at FROM applications
         WHERE org_id = $1",
    )
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // The trigram indexes took the rows into their pending lists: VACUUM merges them, as
    // autovacuum would soon after a real import.
    sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    Ok(org_id)
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn sizes(line: &str) -> Result<super::Sizes, clap::Error> {
        let cli = Cli::try_parse_from(
            ["are", "generate"]
                .into_iter()
                .chain(line.split_whitespace()),
        )?;
        match cli.into_command() {
            Command::Generate(sizes) => Ok(sizes),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sizes_default_to_the_benchmark_and_take_flags() {
        assert_eq!(sizes("").unwrap(), super::Sizes::default());
        let sizes = sizes("--candidates 10 --requisitions 2 --applications 5").unwrap();
        assert_eq!(
            (sizes.candidates, sizes.requisitions, sizes.applications),
            (10, 2, 5)
        );
        assert!(sizes.check().is_ok());
    }

    #[test]
    fn impossible_sizes_are_refused() {
        assert!(sizes("--candidates").is_err());
        assert!(sizes("--people 3").is_err());
        assert!(sizes("--candidates 2 --requisitions 2 --applications 5")
            .unwrap()
            .check()
            .is_err());
        assert!(sizes("--requisitions 0").unwrap().check().is_err());
    }
}
