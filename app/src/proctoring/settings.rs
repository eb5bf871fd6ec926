//! The organization's proctoring settings (admins): how long snapshots and the events'
//! particulars are kept, and the trust bands' thresholds. Saving them computes the bands
//! of ended sessions again and is audited.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::ServerFn;

use super::band::Thresholds;
use super::SaveSettings;
use crate::access::Role;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, Field, ServerForm, StaffPage};

/// What an organization sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub retention_days: i32,
    pub thresholds: Thresholds,
}

/// The settings form as sent: every number as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub retention_days: String,
    pub some_away_percent: String,
    pub major_away_percent: String,
    pub some_exits: String,
    pub major_exits: String,
    pub some_paste_chars: String,
    pub major_paste_chars: String,
    pub some_camera_off_percent: String,
    pub major_camera_off_percent: String,
}

/// A whole number from `text` within `range`, or the message naming `label`.
fn number(label: &str, text: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "{label}: give a whole number from {} to {}.",
                range.start(),
                range.end()
            )
        })
}

/// "some" and "major" levels of one signal, the first not above the second.
fn pair(
    label: &str,
    some: &str,
    major: &str,
    range: std::ops::RangeInclusive<u32>,
) -> Result<(u32, u32), String> {
    let some = number(&format!("{label} (some concerns)"), some, range.clone())?;
    let major = number(&format!("{label} (major concerns)"), major, range)?;
    if some > major {
        return Err(format!(
            "{label}: the level of some concerns cannot be above the level of major concerns."
        ));
    }
    Ok((some, major))
}

impl SettingsForm {
    pub fn check(&self) -> Result<Settings, String> {
        let retention_days =
            number("Days to keep snapshots", &self.retention_days, 1..=3650)? as i32;
        let (some_away_percent, major_away_percent) = pair(
            "Time away (% of the test)",
            &self.some_away_percent,
            &self.major_away_percent,
            0..=100,
        )?;
        let (some_exits, major_exits) = pair(
            "Full-screen exits",
            &self.some_exits,
            &self.major_exits,
            0..=1000,
        )?;
        let (some_paste_chars, major_paste_chars) = pair(
            "Characters pasted",
            &self.some_paste_chars,
            &self.major_paste_chars,
            0..=1_000_000,
        )?;
        let (some_camera_off_percent, major_camera_off_percent) = pair(
            "Camera off (% of the test)",
            &self.some_camera_off_percent,
            &self.major_camera_off_percent,
            0..=100,
        )?;
        Ok(Settings {
            retention_days,
            thresholds: Thresholds {
                some_away_percent,
                major_away_percent,
                some_exits,
                major_exits,
                some_paste_chars,
                major_paste_chars,
                some_camera_off_percent,
                major_camera_off_percent,
            },
        })
    }
}

/// Saves `settings` for the user's organization, bands again, audits.
#[cfg(feature = "ssr")]
pub async fn save(
    tx: &mut sqlx::PgConnection,
    user: &crate::access::guard::AuthUser,
    settings: &Settings,
) -> Result<(), crate::error::AppError> {
    sqlx::query(
        "INSERT INTO proctoring_settings (org_id, retention_days, thresholds) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE SET retention_days = $2, thresholds = $3, updated_at = now()",
    )
    .bind(user.org_id)
    .bind(settings.retention_days)
    .bind(sqlx::types::Json(settings.thresholds))
    .execute(&mut *tx)
    .await?;
    let changed = super::conclude::reband(tx, user.org_id, &settings.thresholds).await?;
    crate::audit::data::record(
        &mut *tx,
        crate::audit::data::NewAuditEntry::by(user, "proctoring.settings_changed").details(
            serde_json::json!({
                "retention_days": settings.retention_days,
                "thresholds": settings.thresholds,
                "bands_changed": changed,
            }),
        ),
    )
    .await?;
    Ok(())
}

#[component]
pub fn ProctoringSettingsPage() -> impl IntoView {
    let error = error_from_query(SaveSettings::PATH);
    let render = move |settings| view! { <SettingsView settings error=error.clone()/> };
    view! {
        <StaffPage title="Proctoring settings" roles=&[Role::Admin]>
            {loaded(super::load_settings, render.clone())}
        </StaffPage>
    }
}

#[component]
fn SettingsView(settings: Settings, error: Option<String>) -> impl IntoView {
    let t = settings.thresholds;
    let field = |name: &'static str, label: &'static str, value: u32| {
        view! { <Field name=name label=label kind="number" value=value.to_string() required=true/> }
    };
    view! {
        <h1>"Proctoring settings"</h1>
        <p class="muted">"The trust bands are signals, not proof of cheating: they tell a reviewer where to look, and a person decides. A signal at or above its first level is of some concern, at or above its second of major concern; monitoring gaps never raise a band."</p>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <ServerForm action=SaveSettings::url() submit_label="Save settings" busy_label="Saving…">
            <fieldset>
                <legend>"Retention"</legend>
                <Field name="form[retention_days]" label="Days to keep snapshots and the events' particulars after a session ends" kind="number" value=settings.retention_days.to_string() required=true/>
            </fieldset>
            <fieldset>
                <legend>"Time away from the test (% of its length)"</legend>
                <div class="form-row">
                    {field("form[some_away_percent]", "Some concerns from", t.some_away_percent)}
                    {field("form[major_away_percent]", "Major concerns from", t.major_away_percent)}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Full-screen exits"</legend>
                <div class="form-row">
                    {field("form[some_exits]", "Some concerns from", t.some_exits)}
                    {field("form[major_exits]", "Major concerns from", t.major_exits)}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Characters pasted"</legend>
                <div class="form-row">
                    {field("form[some_paste_chars]", "Some concerns from", t.some_paste_chars)}
                    {field("form[major_paste_chars]", "Major concerns from", t.major_paste_chars)}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Camera off (% of the test)"</legend>
                <div class="form-row">
                    {field("form[some_camera_off_percent]", "Some concerns from", t.some_camera_off_percent)}
                    {field("form[major_camera_off_percent]", "Major concerns from", t.major_camera_off_percent)}
                </div>
            </fieldset>
        </ServerForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        let t = Thresholds::default();
        SettingsForm {
            retention_days: "30".into(),
            some_away_percent: t.some_away_percent.to_string(),
            major_away_percent: t.major_away_percent.to_string(),
            some_exits: t.some_exits.to_string(),
            major_exits: t.major_exits.to_string(),
            some_paste_chars: t.some_paste_chars.to_string(),
            major_paste_chars: t.major_paste_chars.to_string(),
            some_camera_off_percent: t.some_camera_off_percent.to_string(),
            major_camera_off_percent: t.major_camera_off_percent.to_string(),
        }
    }

    #[test]
    fn settings_are_checked_with_a_message_per_field() {
        let ok = form().check().unwrap();
        assert_eq!(ok.retention_days, 30);
        assert_eq!(ok.thresholds, Thresholds::default());
        let none = SettingsForm {
            retention_days: "0".into(),
            ..form()
        };
        assert!(none.check().unwrap_err().contains("Days to keep"));
        let upside_down = SettingsForm {
            some_exits: "9".into(),
            major_exits: "3".into(),
            ..form()
        };
        assert!(upside_down.check().unwrap_err().contains("cannot be above"));
        let words = SettingsForm {
            major_away_percent: "lots".into(),
            ..form()
        };
        assert!(words.check().unwrap_err().contains("whole number"));
    }
}
