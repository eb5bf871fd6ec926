//! Queries of the careers page: the organization by slug, its posted jobs, the attempts
//! a client made and what applicants sent.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::{GivenLink, PostedJob};

/// What the careers page needs of an organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub privacy_notice_md: String,
    pub application_retention_months: i32,
}

/// The active organization with this slug.
pub async fn organization(
    executor: impl PgExecutor<'_>,
    slug: &str,
) -> sqlx::Result<Option<OrgRow>> {
    sqlx::query_as(
        "SELECT id, name, slug, privacy_notice_md, application_retention_months
         FROM organizations WHERE slug = $1 AND is_active",
    )
    .bind(slug)
    .fetch_optional(executor)
    .await
}

const POSTED: &str = "org_id = $1 AND posted AND status = 'open' AND is_active";

/// The organization's posted jobs, newest posted first, by department and location
/// (either filter empty: any).
pub async fn posted(
    pool: &PgPool,
    org_id: Uuid,
    department: &str,
    location: &str,
) -> sqlx::Result<Vec<PostedJob>> {
    sqlx::query_as(&format!(
        "SELECT id, title, department, location, employment_type, posted_at
         FROM job_requisitions
         WHERE {POSTED} AND ($2 = '' OR department = $2) AND ($3 = '' OR location = $3)
         ORDER BY posted_at DESC NULLS LAST, title, id"
    ))
    .bind(org_id)
    .bind(department)
    .bind(location)
    .fetch_all(pool)
    .await
}

/// Every department and location of the organization's posted jobs, sorted.
pub async fn filter_values(
    pool: &PgPool,
    org_id: Uuid,
) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let departments = sqlx::query_scalar(&format!(
        "SELECT DISTINCT department FROM job_requisitions WHERE {POSTED} AND department <> ''
         ORDER BY department"
    ))
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let locations = sqlx::query_scalar(&format!(
        "SELECT DISTINCT location FROM job_requisitions WHERE {POSTED} AND location <> ''
         ORDER BY location"
    ))
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok((departments, locations))
}

/// A posted job with its description and the assessment its applicants are invited to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingRow {
    #[sqlx(flatten)]
    pub job: PostedJob,
    pub description_md: String,
    pub careers_assessment_id: Option<Uuid>,
}

/// The organization's posted job `id`.
pub async fn posting(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<PostingRow>> {
    sqlx::query_as(&format!(
        "SELECT id, title, department, location, employment_type, posted_at, description_md,
                careers_assessment_id
         FROM job_requisitions WHERE {POSTED} AND id = $2"
    ))
    .bind(org_id)
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// How many applications `email` sent to the organization in the last hour, with the
/// minutes until the oldest of them is an hour old; under an advisory lock on the address
/// until the transaction ends, so applications at the same moment are counted one at a
/// time (each sees the one before once it is committed).
pub async fn recent_submissions(
    conn: &mut PgConnection,
    org_id: Uuid,
    email: &str,
) -> sqlx::Result<(i64, Option<f64>)> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('careers-email:' || $1::text || lower($2), 0))",
    )
    .bind(org_id)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(
        "SELECT count(*), EXTRACT(EPOCH FROM (min(created_at) + interval '1 hour' - now()))::float8 / 60
         FROM career_submissions
         WHERE org_id = $1 AND lower(email) = lower($2) AND created_at > now() - interval '1 hour'",
    )
    .bind(org_id)
    .bind(email)
    .fetch_one(conn)
    .await
}

/// Counts an attempt to apply from `client_ip` (under an advisory lock on the address, so
/// a burst is counted one at a time) and returns how many it made in the last hour,
/// this one included, with the minutes until the oldest of them is an hour old.
pub async fn count_attempt(
    conn: &mut PgConnection,
    client_ip: &str,
) -> sqlx::Result<(i64, Option<f64>)> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('careers:' || $1))")
        .bind(client_ip)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO career_attempts (client_ip) VALUES ($1)")
        .bind(client_ip)
        .execute(&mut *conn)
        .await?;
    sqlx::query_as(
        "SELECT count(*), EXTRACT(EPOCH FROM (min(created_at) + interval '1 hour' - now()))::float8 / 60
         FROM career_attempts WHERE client_ip = $1 AND created_at > now() - interval '1 hour'",
    )
    .bind(client_ip)
    .fetch_one(conn)
    .await
}

/// Deletes attempts older than a day; returns how many went.
pub async fn prune_attempts(pool: &PgPool) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM career_attempts WHERE created_at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// What an applicant sent.
pub struct NewSubmission<'a> {
    pub org_id: Uuid,
    pub candidate_id: Uuid,
    pub application_id: Uuid,
    pub document_id: Uuid,
    pub full_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub cover_letter: &'a str,
    pub links: &'a [GivenLink],
    pub retention_months: i32,
}

pub async fn insert_submission(
    conn: &mut PgConnection,
    submission: NewSubmission<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "INSERT INTO career_submissions (org_id, candidate_id, application_id, document_id, full_name,
             email, phone, cover_letter, links, consented_at, retention_months)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), $10) RETURNING id",
    )
    .bind(submission.org_id)
    .bind(submission.candidate_id)
    .bind(submission.application_id)
    .bind(submission.document_id)
    .bind(submission.full_name)
    .bind(submission.email)
    .bind(submission.phone)
    .bind(submission.cover_letter)
    .bind(Json(submission.links))
    .bind(submission.retention_months)
    .fetch_one(conn)
    .await
}

/// An application's latest submission from the careers page, for its page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmissionRow {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub cover_letter: String,
    pub links: Json<Vec<GivenLink>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub submissions: i64,
}

pub async fn latest_submission(
    pool: &PgPool,
    org_id: Uuid,
    application_id: Uuid,
) -> sqlx::Result<Option<SubmissionRow>> {
    sqlx::query_as(
        "SELECT full_name, email, phone, cover_letter, links, created_at,
                count(*) OVER () AS submissions
         FROM career_submissions WHERE application_id = $1 AND org_id = $2
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(application_id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
}

/// A requisition's posting: (posted, the assessment applicants are invited to, the
/// organization's slug).
pub async fn posting_of(
    pool: &PgPool,
    org_id: Uuid,
    requisition_id: Uuid,
) -> sqlx::Result<(bool, Option<Uuid>, String)> {
    sqlx::query_as(
        "SELECT r.posted, r.careers_assessment_id, o.slug FROM job_requisitions r
         JOIN organizations o ON o.id = r.org_id WHERE r.id = $1 AND r.org_id = $2",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_one(pool)
    .await
}

/// The requisition's published assessments: (id, title).
pub async fn published_assessments(
    executor: impl PgExecutor<'_>,
    org_id: Uuid,
    requisition_id: Uuid,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as(
        "SELECT id, title FROM assessments
         WHERE requisition_id = $1 AND org_id = $2 AND status = 'published' ORDER BY title",
    )
    .bind(requisition_id)
    .bind(org_id)
    .fetch_all(executor)
    .await
}

/// Posts the requisition (or takes it off) with the assessment its applicants are
/// invited to; `posted_at` is when it was last posted.
pub async fn set_posting(
    conn: &mut PgConnection,
    org_id: Uuid,
    requisition_id: Uuid,
    posted: bool,
    assessment_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE job_requisitions SET posted = $3, careers_assessment_id = $4,
             posted_at = CASE WHEN $3 AND NOT posted THEN now() WHEN $3 THEN posted_at END,
             updated_at = now()
         WHERE id = $1 AND org_id = $2",
    )
    .bind(requisition_id)
    .bind(org_id)
    .bind(posted)
    .bind(assessment_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organization's careers settings: (slug, privacy notice, retention in months).
pub async fn settings(pool: &PgPool, org_id: Uuid) -> sqlx::Result<(String, String, i32)> {
    sqlx::query_as(
        "SELECT slug, privacy_notice_md, application_retention_months FROM organizations WHERE id = $1",
    )
    .bind(org_id)
    .fetch_one(pool)
    .await
}

/// The organization's careers settings.
pub async fn save_settings(
    pool: &PgPool,
    org_id: Uuid,
    privacy_notice_md: &str,
    retention_months: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE organizations SET privacy_notice_md = $2, application_retention_months = $3,
                updated_at = now() WHERE id = $1",
    )
    .bind(org_id)
    .bind(privacy_notice_md)
    .bind(retention_months)
    .execute(pool)
    .await?;
    Ok(())
}

/// The candidates from the careers page whose last activity (the record, an application
/// or its stage, a submission) is older than their retention period: the shorter of what
/// they agreed to (each submission keeps it) and the organization's setting now.
pub async fn past_retention(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query_as(
        "SELECT c.org_id, c.id FROM candidates c JOIN organizations o ON o.id = c.org_id
         WHERE c.is_active AND c.source = 'careers_page'
           AND greatest(c.updated_at,
                 (SELECT max(greatest(a.updated_at, a.stage_entered_at)) FROM applications a WHERE a.candidate_id = c.id),
                 (SELECT max(s.created_at) FROM career_submissions s WHERE s.candidate_id = c.id))
               < now() - make_interval(months => LEAST(o.application_retention_months,
                     (SELECT min(s.retention_months) FROM career_submissions s WHERE s.candidate_id = c.id)))
         ORDER BY c.updated_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
