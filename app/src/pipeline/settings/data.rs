//! Queries of the pipeline settings. Every one is scoped by organization; table and
//! column names come from `SettingList`, never from input.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{PipelineSettings, ReasonSetting, SettingList, StageSetting};
use crate::pipeline::StageKind;

fn table(list: SettingList) -> (&'static str, &'static str, &'static str) {
    // (table, name column, the rows that are ordered among themselves)
    match list {
        SettingList::Stages => ("pipeline_stages", "name", "kind = 'active'"),
        SettingList::Reasons => ("rejection_reasons", "label", "true"),
    }
}

pub async fn load(pool: &PgPool, org_id: Uuid) -> Result<PipelineSettings, sqlx::Error> {
    let stages: Vec<(Uuid, String, StageKind, i64)> = sqlx::query_as(
        "SELECT s.id, s.name, s.kind,
                (SELECT count(*) FROM applications a WHERE a.stage_id = s.id) AS applications
         FROM pipeline_stages s WHERE s.org_id = $1 AND s.is_active ORDER BY s.position, s.name",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let reasons: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, label FROM rejection_reasons WHERE org_id = $1 AND is_active ORDER BY position, label",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    Ok(PipelineSettings {
        stages: stages
            .into_iter()
            .map(|(id, name, kind, applications)| StageSetting {
                id,
                name,
                kind,
                applications,
            })
            .collect(),
        reasons: reasons
            .into_iter()
            .map(|(id, label)| ReasonSetting { id, label })
            .collect(),
    })
}

/// Adds an entry at the end of its list (a stage goes before the outcomes); a removed
/// entry of that name comes back instead of a second one.
pub async fn add(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: SettingList,
    name: &str,
) -> Result<Uuid, sqlx::Error> {
    let (table, column, ordered) = table(list);
    let position: i32 = sqlx::query_scalar(&format!(
        "SELECT coalesce(max(position), 0) + 1 FROM {table}
         WHERE org_id = $1 AND is_active AND {ordered}"
    ))
    .bind(org_id)
    .fetch_one(&mut *conn)
    .await?;
    if list == SettingList::Stages {
        sqlx::query(
            "UPDATE pipeline_stages SET position = position + 1
             WHERE org_id = $1 AND position >= $2 AND kind <> 'active'",
        )
        .bind(org_id)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    }
    let revived: Option<Uuid> = sqlx::query_scalar(&format!(
        "UPDATE {table} SET is_active = true, position = $3, updated_at = now()
         WHERE org_id = $1 AND lower({column}) = lower($2) AND NOT is_active AND {ordered}
         RETURNING id"
    ))
    .bind(org_id)
    .bind(name)
    .bind(position)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = revived {
        return Ok(id);
    }
    let (kind, kind_value) = match list {
        SettingList::Stages => (", kind", ", 'active'"),
        SettingList::Reasons => ("", ""),
    };
    sqlx::query_scalar(&format!(
        "INSERT INTO {table} (org_id, {column}, position{kind}) VALUES ($1, $2, $3{kind_value}) RETURNING id"
    ))
    .bind(org_id)
    .bind(name)
    .bind(position)
    .fetch_one(&mut *conn)
    .await
}

pub async fn rename(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: SettingList,
    id: Uuid,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let (table, column, _) = table(list);
    let done = sqlx::query(&format!(
        "UPDATE {table} SET {column} = $3, updated_at = now() WHERE id = $1 AND org_id = $2 AND is_active"
    ))
    .bind(id)
    .bind(org_id)
    .bind(name)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Swaps the entry with its neighbour above (`up`) or below: Some(false) when there is
/// none, None when the entry is not one of the organization's.
pub async fn move_entry(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: SettingList,
    id: Uuid,
    up: bool,
) -> Result<Option<bool>, sqlx::Error> {
    let (table, column, ordered) = table(list);
    let rows: Vec<(Uuid, i32)> = sqlx::query_as(&format!(
        "SELECT id, position FROM {table} WHERE org_id = $1 AND is_active AND {ordered}
         ORDER BY position, {column} FOR UPDATE"
    ))
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(at) = rows.iter().position(|(row, _)| *row == id) else {
        return Ok(None);
    };
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(&(other_id, other_position)) = other.and_then(|o| rows.get(o)) else {
        return Ok(Some(false));
    };
    let mut position = rows[at].1;
    let mut other_position = other_position;
    if position == other_position {
        // Equal positions (older data) would swap to nothing: spread them first.
        position = at as i32 + 1;
        other_position = other.unwrap_or(at) as i32 + 1;
    }
    for (row, new_position) in [(id, other_position), (other_id, position)] {
        sqlx::query(&format!(
            "UPDATE {table} SET position = $3, updated_at = now() WHERE id = $1 AND org_id = $2"
        ))
        .bind(row)
        .bind(org_id)
        .bind(new_position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(true))
}

/// What removal depends on: the stage's kind, its applications, and how many entries
/// of its list are active. None when the entry is not the organization's.
pub async fn removal_facts(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: SettingList,
    id: Uuid,
) -> Result<Option<(Option<StageKind>, i64, usize)>, sqlx::Error> {
    let (table, _, ordered) = table(list);
    let (kind, applications) = match list {
        SettingList::Stages => ("kind", "a.stage_id = $1"),
        SettingList::Reasons => ("NULL::text", "false"),
    };
    let row: Option<(Option<StageKind>, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {kind},
                (SELECT count(*) FROM applications a WHERE a.org_id = $2 AND {applications}),
                (SELECT count(*) FROM {table} o WHERE o.org_id = $2 AND o.is_active AND {ordered})
         FROM {table} WHERE id = $1 AND org_id = $2 AND is_active FOR UPDATE"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(kind, applications, remaining)| (kind, applications, remaining as usize)))
}

pub async fn remove(
    conn: &mut PgConnection,
    org_id: Uuid,
    list: SettingList,
    id: Uuid,
) -> Result<(), sqlx::Error> {
    let (table, _, _) = table(list);
    sqlx::query(&format!(
        "UPDATE {table} SET is_active = false, updated_at = now() WHERE id = $1 AND org_id = $2"
    ))
    .bind(id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(())
}
