//! An audit entry read as a sentence ("Rita Recruiter moved Ada Lovelace to Screening on
//! Operations analyst"), for the dashboard's activity and the audit log, where the action's
//! code stays beside it for filtering.
//!
//! Names are looked up when the entry is read (`data::list`), not stored in it: a
//! candidate erased later (or an application merged away) reads "a candidate no longer on
//! record" here, not their name.

use serde_json::Value;

use super::AuditEntry;
use crate::ui::counted;

impl AuditEntry {
    pub fn sentence(&self) -> String {
        let details: Value = serde_json::from_str(&self.details).unwrap_or(Value::Null);
        let text = |key: &str| details.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| details.get(key).and_then(Value::as_i64);
        let who = self.who();
        let target = self.target();
        // A document's candidate.
        let of = self
            .target_context
            .as_deref()
            .map(|candidate| format!(" on the profile of {candidate}"))
            .unwrap_or_default();
        let on = self
            .target_context
            .as_deref()
            .map(|context| format!(" on {context}"))
            .unwrap_or_default();
        match self.action.as_str() {
            "auth.sign_in" => match text("second_step") {
                Some(_) => format!("{who} signed in with a second step"),
                None => format!("{who} signed in"),
            },
            "auth.sign_in_failed" => format!(
                "A sign-in as {} failed{}",
                self.actor_email.as_deref().unwrap_or("an unknown address"),
                text("reason")
                    .map(|reason| format!(" ({})", reason.replace('_', " ")))
                    .unwrap_or_default()
            ),
            "auth.sign_in_unlocked" => {
                format!("{who} opened an emailed link that allows more sign-in attempts")
            }
            "auth.sign_out" => format!("{who} signed out"),
            "auth.signed_out_elsewhere" => format!(
                "{who} signed out {}",
                counted(
                    number("sessions").unwrap_or(0),
                    "other session",
                    "other sessions"
                )
            ),
            "auth.password_changed" => format!("{who} changed their password"),
            "auth.password_reset" => format!("{who} set a new password from a reset link"),
            "auth.password_reset_sent" => format!("A password reset link was sent to {target}"),
            "auth.time_zone_changed" => format!(
                "{who} set their time zone to {}",
                text("time_zone").unwrap_or_else(|| "another zone".into())
            ),
            "auth.two_step_on" => format!("{who} turned on two-step sign-in"),
            "auth.two_step_off" => format!("{who} turned off two-step sign-in"),
            "auth.recovery_codes_renewed" => format!("{who} made new recovery codes"),
            "org.two_step_for_admins" => match details.get("required").and_then(Value::as_bool) {
                Some(false) => format!("{who} stopped requiring two-step sign-in for admins"),
                _ => format!("{who} required two-step sign-in for admins"),
            },
            "organization.created" => format!("{who} created the organization {target}"),
            "user.invited" => format!(
                "{who} invited {}{}",
                text("email").unwrap_or_else(|| "a new user".into()),
                text("role")
                    .map(|role| format!(" as {}", role_label(&role)))
                    .unwrap_or_default()
            ),
            "user.invite_revoked" => format!("{who} revoked the invitation of {target}"),
            "user.invite_accepted" => format!("{who} accepted their invitation and joined"),
            "user.role_changed" => format!(
                "{who} changed {target}'s role from {} to {}",
                role_label(&text("from").unwrap_or_default()),
                role_label(&text("to").unwrap_or_default())
            ),
            "user.deactivated" => format!("{who} deactivated {target}"),
            "user.reactivated" => format!("{who} reactivated {target}"),
            "skill.added" => format!("{who} added the skill {target}"),
            "skill.updated" => format!("{who} changed the skill {target}"),
            "job.retried" => format!("{who} retried a failed background job"),
            "pipeline.entry_added" => format!("{who} added {target} to the pipeline settings"),
            "pipeline.entry_renamed" => format!("{who} renamed {target} in the pipeline settings"),
            "pipeline.entry_moved" => format!("{who} moved {target} in the pipeline settings"),
            "pipeline.entry_removed" => {
                format!("{who} removed {target} from the pipeline settings")
            }
            "requisition.created" => format!("{who} created the requisition {target}"),
            "requisition.updated" => format!("{who} edited the requisition {target}"),
            "requisition.status_changed" => format!(
                "{who} changed {target} from {} to {}",
                status_label(&text("from").unwrap_or_default()),
                status_label(&text("to").unwrap_or_default())
            ),
            "scorecard.changed" => format!("{who} changed the scorecard of {target}"),
            "interview_plan.changed" => format!("{who} changed the interview plan of {target}"),
            "requisition.posting_changed" => match details.get("posted").and_then(Value::as_bool) {
                Some(false) => format!("{who} took {target} off the careers page"),
                _ => format!("{who} posted {target} on the careers page"),
            },
            "organization.careers_settings_changed" => {
                format!("{who} changed the careers page's privacy notice and retention")
            }
            "document.uploaded" => format!("{who} uploaded {target}{of}"),
            "document.deleted" => format!("{who} deleted {target}{of}"),
            "document.confirmed" => format!("{who} confirmed {target}{of} as the candidate's"),
            "candidate.created" => format!("{who} added the candidate {target}"),
            "candidate.updated" => format!("{who} edited {target}"),
            "candidate.deleted" => format!("{who} deleted a candidate and everything about them"),
            "candidate.merged" => format!("{who} merged a duplicate into {target}"),
            "candidate.export" => format!(
                "{who} exported {} as CSV",
                counted(number("candidates").unwrap_or(0), "candidate", "candidates")
            ),
            "candidate.import" => format!(
                "{who} imported {}: {} new, {} merged, {} skipped",
                text("file").unwrap_or_else(|| "a CSV file".into()),
                number("created").unwrap_or(0),
                number("merged").unwrap_or(0),
                number("skipped").unwrap_or(0)
            ),
            "application.created" => format!("{who} added {target}{}", to_requisition(self)),
            "application.moved" => {
                let stage = text("to").unwrap_or_else(|| "another stage".into());
                match self.target_type.as_deref() {
                    Some("application") if number("moved") == Some(0) => {
                        format!("{who} moved {target} to {stage}{on}, where they were already")
                    }
                    Some("application") => format!("{who} moved {target} to {stage}{on}"),
                    _ => format!(
                        "{who} moved {} to {stage} on {target}",
                        counted(number("moved").unwrap_or(0), "candidate", "candidates")
                    ),
                }
            }
            "application.decided" => match text("decision").as_deref() {
                Some("hire") => format!("{who} decided to hire {target}{on}"),
                _ => format!("{who} decided not to go on with {target}{on}"),
            },
            "application.results_shared" => match details.get("shared").and_then(Value::as_bool) {
                Some(false) => format!("{who} stopped sharing {target}'s test results{on}"),
                _ => format!("{who} shared {target}'s test results{on}"),
            },
            "note.added" => format!("{who} added a note on {target}{on}"),
            "note.edited" => format!("{who} edited a note on {target}{on}"),
            "note.deleted" => format!("{who} deleted a note on {target}{on}"),
            "interview.scheduled" => format!("{who} scheduled an interview with {target}{on}"),
            "interview.rescheduled" => format!("{who} rescheduled the interview with {target}{on}"),
            "interview.cancelled" => format!("{who} cancelled the interview with {target}{on}"),
            "interview.status_changed" => format!(
                "{who} marked the interview with {target}{on} as {}",
                text("to").unwrap_or_default().replace('_', " ")
            ),
            "feedback.submitted" => format!("{who} submitted feedback on {target}{on}"),
            "feedback.edited" => format!("{who} edited their feedback on {target}{on}"),
            "feedback.nudged" => format!("{who} asked for the feedback on {target}{on}"),
            "feedback.reminded" => {
                format!("{who} reminded the interviewer of {target}{on} that feedback is due")
            }
            "feedback.settings_changed" => format!(
                "{who} set feedback to be due {} after an interview",
                counted(
                    details
                        .get("due_hours")
                        .and_then(|hours| hours.get("to"))
                        .and_then(Value::as_i64)
                        .unwrap_or(0),
                    "hour",
                    "hours"
                )
            ),
            "question_set.created" => format!("{who} created the question set {target}"),
            "question_set.updated" => format!("{who} edited the question set {target}"),
            "question_set.deactivated" => format!("{who} deactivated the question set {target}"),
            "question_set.imported" => format!("{who} imported the question set {target}"),
            "question.created" => format!("{who} added a question to {target}"),
            "question.updated" => format!("{who} edited a question of {target}"),
            "question.moved" => format!("{who} reordered the questions of {target}"),
            "question.deleted" => format!("{who} deleted a question of {target}"),
            "assessment.created" => format!("{who} created the assessment {target}"),
            "assessment.updated" => format!("{who} edited the assessment {target}"),
            "assessment.item_added" => format!("{who} added a question to {target}"),
            "assessment.item_moved" => format!("{who} reordered the questions of {target}"),
            "assessment.item_removed" => format!("{who} removed a question from {target}"),
            "assessment.published" => format!(
                "{who} published {target}{}",
                number("version")
                    .map(|version| format!(" (version {version})"))
                    .unwrap_or_default()
            ),
            "assessment.archived" => format!("{who} archived {target}"),
            "assessment.versioned" => format!("{who} started a new version of {target}"),
            "assessment.invited" => format!("{who} invited a candidate to take {target}"),
            "assessment.invite_resent" => format!("{who} sent a new link to take {target}"),
            "assessment.invite_revoked" => format!("{who} revoked a link to take {target}"),
            "assessment.results_exported" => format!("{who} exported the results of {target}"),
            "assessment.graded" => format!("{who} graded an answer of {target}{on}"),
            "proctoring.disposition" => format!(
                "{who} marked the proctoring of {target}{on} as {}",
                text("disposition").unwrap_or_default().replace('_', " ")
            ),
            "proctoring.exported" => {
                format!("{who} exported the proctoring record of {target}{on}")
            }
            "proctoring.settings_changed" => format!("{who} changed the proctoring settings"),
            "proctoring.retention" => format!(
                "{who} deleted the proctoring snapshots of {target}{on}, past their retention"
            ),
            other => format!("{who}: {other}"),
        }
    }

    /// The actor's name; their address when the account is gone; ARE itself when nobody
    /// acted (a reminder, a retention purge).
    fn who(&self) -> String {
        self.actor_name
            .clone()
            .or_else(|| self.actor_email.clone())
            .unwrap_or_else(|| "ARE".to_string())
    }

    fn target(&self) -> String {
        if let Some(name) = &self.target_name {
            return name.clone();
        }
        let noun = match self.target_type.as_deref() {
            Some("test_session" | "interview" | "interview_feedback" | "note" | "application") => {
                "candidate"
            }
            Some("user_invite") => "invitation",
            Some("question") => "question set",
            Some("pipeline_stage") => "stage",
            Some("rejection_reason") => "rejection reason",
            Some("question_set") => "question set",
            Some(other) => other,
            None => "record",
        };
        format!("a {noun} no longer on record")
    }
}

/// " to <requisition>", when the requisition is known.
fn to_requisition(entry: &AuditEntry) -> String {
    entry
        .target_context
        .as_deref()
        .map(|requisition| format!(" to {requisition}"))
        .unwrap_or_default()
}

fn role_label(code: &str) -> String {
    crate::access::Role::parse(code)
        .map(|role| role.label().to_lowercase())
        .unwrap_or_else(|| code.replace('_', " "))
}

fn status_label(code: &str) -> String {
    code.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, details: Value) -> AuditEntry {
        AuditEntry {
            id: 1,
            created_at: chrono::Utc::now(),
            actor_email: Some("rita@example.com".into()),
            actor_name: Some("Rita Recruiter".into()),
            action: action.into(),
            target_type: Some("application".into()),
            target_id: Some("x".into()),
            target_name: Some("Ada Lovelace".into()),
            target_context: Some("Operations analyst".into()),
            details: details.to_string(),
            client_ip: None,
        }
    }

    #[test]
    fn a_move_of_one_candidate_names_them_the_stage_and_the_requisition() {
        let moved = entry(
            "application.moved",
            serde_json::json!({ "to": "Screening", "moved": 1 }),
        );
        assert_eq!(
            moved.sentence(),
            "Rita Recruiter moved Ada Lovelace to Screening on Operations analyst"
        );
    }

    #[test]
    fn a_move_of_several_counts_them_on_the_requisition() {
        let mut moved = entry(
            "application.moved",
            serde_json::json!({ "to": "Offer", "applications": 3, "moved": 3 }),
        );
        moved.target_type = Some("requisition".into());
        moved.target_name = Some("Operations analyst".into());
        moved.target_context = None;
        assert_eq!(
            moved.sentence(),
            "Rita Recruiter moved 3 candidates to Offer on Operations analyst"
        );
    }

    #[test]
    fn a_target_gone_since_is_named_by_its_kind_never_left_blank() {
        let mut note = entry("note.added", serde_json::json!({}));
        note.target_name = None;
        note.target_context = None;
        assert_eq!(
            note.sentence(),
            "Rita Recruiter added a note on a candidate no longer on record"
        );
    }

    #[test]
    fn nobody_acting_reads_as_are_and_an_account_gone_as_its_address() {
        let mut reminder = entry("feedback.reminded", serde_json::json!({}));
        reminder.actor_name = None;
        reminder.actor_email = None;
        assert!(reminder
            .sentence()
            .starts_with("ARE reminded the interviewer of Ada Lovelace"));
        let mut gone = entry("auth.sign_out", serde_json::json!({}));
        gone.actor_name = None;
        assert_eq!(gone.sentence(), "rita@example.com signed out");
    }

    #[test]
    fn role_changes_and_counts_read_as_words() {
        let mut changed = entry(
            "user.role_changed",
            serde_json::json!({ "from": "interviewer", "to": "hiring_manager" }),
        );
        changed.target_type = Some("user".into());
        changed.target_name = Some("Ivan Interviewer".into());
        assert_eq!(
            changed.sentence(),
            "Rita Recruiter changed Ivan Interviewer's role from interviewer to hiring manager"
        );
        let export = entry("candidate.export", serde_json::json!({ "candidates": 1 }));
        assert_eq!(
            export.sentence(),
            "Rita Recruiter exported 1 candidate as CSV"
        );
    }

    #[test]
    fn every_action_the_code_records_has_its_own_sentence() {
        for action in KNOWN_ACTIONS {
            let sentence = entry(action, serde_json::json!({})).sentence();
            assert!(
                !sentence.contains(action),
                "{action} has no sentence: {sentence}"
            );
        }
    }

    /// Every action code recorded anywhere (grep `NewAuditEntry` and `"<x>.<y>"`).
    const KNOWN_ACTIONS: &[&str] = &[
        "auth.sign_in",
        "auth.sign_in_failed",
        "auth.sign_in_unlocked",
        "auth.sign_out",
        "auth.signed_out_elsewhere",
        "auth.password_changed",
        "auth.password_reset",
        "auth.password_reset_sent",
        "auth.time_zone_changed",
        "auth.two_step_on",
        "auth.two_step_off",
        "auth.recovery_codes_renewed",
        "org.two_step_for_admins",
        "organization.created",
        "user.invited",
        "user.invite_revoked",
        "user.invite_accepted",
        "user.role_changed",
        "user.deactivated",
        "user.reactivated",
        "skill.added",
        "skill.updated",
        "job.retried",
        "pipeline.entry_added",
        "pipeline.entry_renamed",
        "pipeline.entry_moved",
        "pipeline.entry_removed",
        "requisition.created",
        "requisition.updated",
        "requisition.status_changed",
        "scorecard.changed",
        "interview_plan.changed",
        "requisition.posting_changed",
        "organization.careers_settings_changed",
        "document.uploaded",
        "document.deleted",
        "document.confirmed",
        "candidate.created",
        "candidate.updated",
        "candidate.deleted",
        "candidate.merged",
        "candidate.export",
        "candidate.import",
        "application.created",
        "application.moved",
        "application.decided",
        "application.results_shared",
        "note.added",
        "note.edited",
        "note.deleted",
        "interview.scheduled",
        "interview.rescheduled",
        "interview.cancelled",
        "interview.status_changed",
        "feedback.submitted",
        "feedback.edited",
        "feedback.nudged",
        "feedback.reminded",
        "feedback.settings_changed",
        "question_set.created",
        "question_set.updated",
        "question_set.deactivated",
        "question_set.imported",
        "question.created",
        "question.updated",
        "question.moved",
        "question.deleted",
        "assessment.created",
        "assessment.updated",
        "assessment.item_added",
        "assessment.item_moved",
        "assessment.item_removed",
        "assessment.published",
        "assessment.archived",
        "assessment.versioned",
        "assessment.invited",
        "assessment.invite_resent",
        "assessment.invite_revoked",
        "assessment.results_exported",
        "assessment.graded",
        "proctoring.disposition",
        "proctoring.exported",
        "proctoring.settings_changed",
        "proctoring.retention",
    ];
}
