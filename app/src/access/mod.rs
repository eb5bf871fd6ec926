//! Who may do what: staff roles, the role lists of each kind of work, the rule for
//! requisitions, and the guard every endpoint passes (`guard.rs`) with the session it
//! reads (`session.rs`). The lowest layer above `error` and `state`: it names no domain.

mod role;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod session;

pub use role::Role;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// Everyone signed in.
pub const EVERYONE: &[Role] = &Role::ALL;
pub const ADMINS: &[Role] = &[Role::Admin];
/// Requisitions and their pipelines, notes and interviews: admins and recruiters all of
/// their organization's, hiring managers the ones they manage (`can_work_on`).
pub const REQUISITION_ROLES: &[Role] = &[Role::Admin, Role::Recruiter, Role::HiringManager];
/// Candidate records, search, profiles, imports and exports: admins and recruiters
/// (hiring managers and interviewers see candidates through their requisitions and
/// interviews).
pub const CANDIDATE_ROLES: &[Role] = &[Role::Admin, Role::Recruiter];
/// Opening a candidate's profile: admins and recruiters see the whole record, hiring
/// managers a limited one of the candidates in the requisitions they manage
/// (`profile_view`).
pub const CANDIDATE_PROFILE_ROLES: &[Role] = &[Role::Admin, Role::Recruiter, Role::HiringManager];
/// Building assessments and inviting candidates to them.
pub const ASSESSMENT_MANAGE_ROLES: &[Role] = &[Role::Admin, Role::Recruiter];
/// Reading results and grading: whoever may work on the assessment's requisition.
pub const ASSESSMENT_RESULT_ROLES: &[Role] = REQUISITION_ROLES;
/// Reviewing what proctoring recorded: whoever may work on the session's requisition
/// (interviewers see nothing of it).
pub const PROCTORING_REVIEW_ROLES: &[Role] = REQUISITION_ROLES;
/// Reading the question bank (hiring managers read, change nothing).
pub const BANK_VIEW_ROLES: &[Role] = &[Role::Admin, Role::Recruiter, Role::HiringManager];
pub const BANK_MANAGE_ROLES: &[Role] = &[Role::Admin, Role::Recruiter];

/// Who may open new requisitions.
pub fn can_create_requisition(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Recruiter)
}

/// Who may see and change a requisition: recruiters and admins all of their
/// organization's, hiring managers the ones they manage, interviewers none (they see
/// their interviews).
pub fn can_work_on(role: Role, user_id: Uuid, hiring_manager_id: Option<Uuid>) -> bool {
    match role {
        Role::Admin | Role::Recruiter => true,
        Role::HiringManager => hiring_manager_id == Some(user_id),
        Role::Interviewer => false,
    }
}

/// How much of a candidate's profile a user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileView {
    /// Contact details, tags, source, every application, the emails: admins and
    /// recruiters.
    Full,
    /// The name and the applications on the requisitions the user manages, with their
    /// stage, results, interviews and feedback: a hiring manager.
    Limited,
}

/// Which profile of a candidate `role` sees, if any; `in_managed_requisition`: the
/// candidate has an application on a requisition the user is the hiring manager of.
/// Hiring managers see no other candidate, interviewers none (they see their
/// interviews' candidates in the interview kit).
pub fn profile_view(role: Role, in_managed_requisition: bool) -> Option<ProfileView> {
    match role {
        Role::Admin | Role::Recruiter => Some(ProfileView::Full),
        Role::HiringManager if in_managed_requisition => Some(ProfileView::Limited),
        Role::HiringManager | Role::Interviewer => None,
    }
}

/// Who may move or cancel an interview: admins and recruiters any of their
/// organization's, a hiring manager the ones they booked themselves on the requisitions
/// they manage (`booked_by`: who scheduled it, unknown for older ones), interviewers
/// none.
pub fn can_change_interview(
    role: Role,
    user_id: Uuid,
    hiring_manager_id: Option<Uuid>,
    booked_by: Option<Uuid>,
) -> bool {
    can_work_on(role, user_id, hiring_manager_id)
        && (role != Role::HiringManager || booked_by == Some(user_id))
}

/// The signed-in user as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub org_name: String,
    pub unread_notifications: i64,
    pub time_zone: String,
}

/// The signed-in user, or nothing for a visitor.
#[server(prefix = "/api", endpoint = "auth/whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    let user = guard::current_user().await?;
    Ok(user.map(|user| CurrentUser {
        id: user.id,
        full_name: user.full_name,
        email: user.email,
        role: user.role,
        org_name: user.org_name,
        unread_notifications: user.unread_notifications,
        time_zone: user.time_zone,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hiring_managers_work_only_on_the_requisitions_they_manage() {
        let me = Uuid::new_v4();
        let other = Uuid::new_v4();
        assert!(can_work_on(Role::Admin, me, None));
        assert!(can_work_on(Role::Recruiter, me, Some(other)));
        assert!(can_work_on(Role::HiringManager, me, Some(me)));
        assert!(!can_work_on(Role::HiringManager, me, Some(other)));
        assert!(!can_work_on(Role::HiringManager, me, None));
        assert!(!can_work_on(Role::Interviewer, me, Some(me)));
        assert!(can_create_requisition(Role::Admin));
        assert!(!can_create_requisition(Role::HiringManager));
    }

    #[test]
    fn hiring_managers_see_a_limited_profile_of_their_requisitions_candidates_only() {
        for managed in [true, false] {
            assert_eq!(profile_view(Role::Admin, managed), Some(ProfileView::Full));
            assert_eq!(
                profile_view(Role::Recruiter, managed),
                Some(ProfileView::Full)
            );
            assert_eq!(profile_view(Role::Interviewer, managed), None);
        }
        assert_eq!(
            profile_view(Role::HiringManager, true),
            Some(ProfileView::Limited)
        );
        assert_eq!(profile_view(Role::HiringManager, false), None);
    }

    #[test]
    fn hiring_managers_move_and_cancel_only_the_interviews_they_booked() {
        let me = Uuid::new_v4();
        let other = Uuid::new_v4();
        for role in [Role::Admin, Role::Recruiter] {
            assert!(can_change_interview(role, me, Some(other), Some(other)));
            assert!(can_change_interview(role, me, None, None));
        }
        assert!(can_change_interview(
            Role::HiringManager,
            me,
            Some(me),
            Some(me)
        ));
        assert!(!can_change_interview(
            Role::HiringManager,
            me,
            Some(me),
            Some(other)
        ));
        // Booked before anyone recorded who booked: not theirs.
        assert!(!can_change_interview(
            Role::HiringManager,
            me,
            Some(me),
            None
        ));
        // Booked by them on a requisition they no longer manage.
        assert!(!can_change_interview(
            Role::HiringManager,
            me,
            Some(other),
            Some(me)
        ));
        assert!(!can_change_interview(
            Role::Interviewer,
            me,
            Some(me),
            Some(me)
        ));
    }
}
