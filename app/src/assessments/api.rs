//! Server functions of assessments. Admins and recruiters build, publish, archive, invite
//! and grade in their organization; a hiring manager sees results and grades for the
//! requisitions they manage; interviewers find nothing. Each function checks the role,
//! then that the user may see what the call is about, then the input, and calls a
//! service (`service.rs`, `publish.rs`, `invites.rs`) in a transaction or a query of
//! `data.rs`. Every change is audited.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::grading::SessionDetail;
use super::{
    AssessmentDetail, AssessmentForm, AssessmentList, AssessmentResults, CandidateChoice,
    FormChoices, ItemChoices,
};
use crate::error::AppError;
use crate::results::ResultBadge;

#[cfg(feature = "ssr")]
use {
    super::data::{self, NewItem},
    super::service::{self, ItemChange},
    super::{invites, publish},
    super::{AssessmentInput, AssessmentStatus},
    crate::access::guard::{require_role, AuthUser},
    crate::access::{Role, ASSESSMENT_MANAGE_ROLES, ASSESSMENT_RESULT_ROLES},
    crate::requisitions::find_for,
    crate::ui::time::{parse_local, zone_or_utc},
};

/// The invite form of an assessment's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteForm {
    pub assessment_id: Uuid,
    pub candidate_id: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub expires_in_days: String,
    /// Extra time in percent: "", "0", "25", "50" or "100".
    #[serde(default)]
    pub extra_time_percent: String,
    /// "on" when webcam capture is waived.
    #[serde(default)]
    pub waive_webcam: Option<String>,
}

impl InviteForm {
    /// The accommodation the form asks for.
    pub fn accommodation(&self) -> Result<super::Accommodation, AppError> {
        let text = self.extra_time_percent.trim();
        let percent = if text.is_empty() {
            0
        } else {
            text.parse().unwrap_or(-1)
        };
        super::Accommodation::new(percent, self.waive_webcam.is_some()).map_err(AppError::invalid)
    }
}

/// A grader's score and comment for one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeForm {
    pub session_id: Uuid,
    pub question_id: Uuid,
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

#[cfg(feature = "ssr")]
fn parse_input(user: &AuthUser, form: AssessmentForm) -> Result<AssessmentInput, AppError> {
    let zone = zone_or_utc(&user.time_zone);
    AssessmentInput::parse(form, |value| parse_local(value, zone))
}

#[cfg(feature = "ssr")]
fn managed_by(user: &AuthUser) -> Option<Uuid> {
    (user.role == Role::HiringManager).then_some(user.id)
}

/// The newest version of every assessment, filtered by requisition and status.
#[server(prefix = "/api", endpoint = "assessments/list")]
pub async fn list_assessments(
    requisition: Option<String>,
    status: Option<String>,
) -> Result<AssessmentList, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    let items = data::list(
        &pool,
        user.org_id,
        managed_by(&user),
        requisition.and_then(|r| r.parse().ok()),
        status.as_deref().and_then(AssessmentStatus::parse),
    )
    .await?;
    Ok(AssessmentList {
        items,
        requisitions: data::requisitions(&pool, user.org_id, managed_by(&user)).await?,
        can_create: ASSESSMENT_MANAGE_ROLES.contains(&user.role),
    })
}

/// What the new-assessment form offers.
#[server(prefix = "/api", endpoint = "assessments/form_choices")]
pub async fn assessment_form_choices() -> Result<FormChoices, AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    Ok(FormChoices {
        requisitions: data::requisitions(&pool, user.org_id, None).await?,
        time_zone: zone_or_utc(&user.time_zone).name().to_string(),
    })
}

/// One assessment: settings, items and invites.
#[server(prefix = "/api", endpoint = "assessments/get")]
pub async fn load_assessment(id: Uuid) -> Result<AssessmentDetail, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    service::detail(&crate::state::pool()?, &user, id).await
}

/// The questions, sets and tags the assessment's items can be made of: its requisition's
/// own questions first, then the bank's questions suggested for the requisition's skills.
#[server(prefix = "/api", endpoint = "assessments/item_choices")]
pub async fn load_item_choices(assessment_id: Uuid) -> Result<ItemChoices, AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let row = {
        let mut conn = pool.acquire().await?;
        service::assessment_for(&user, &mut conn, assessment_id).await?
    };
    Ok(data::item_choices(&pool, user.org_id, row.requisition_id).await?)
}

/// The invite form's suggestions as the person types: the candidates `find_candidates`
/// finds, each leading to the assessment's page with the invite form for them.
#[server(prefix = "/api", endpoint = "assessments/invite_suggestions")]
pub async fn invite_suggestions(
    assessment_id: Uuid,
    q: String,
) -> Result<Vec<crate::ui::suggest::Suggestion>, AppError> {
    use crate::ui::query::encode_query_value;
    // The assessment's own checks: this role, this organization.
    require_role(ASSESSMENT_MANAGE_ROLES).await?;
    load_assessment(assessment_id).await?;
    let found = find_candidates(q).await?;
    Ok(found
        .into_iter()
        .map(|c| crate::ui::suggest::Suggestion {
            label: c.label(),
            href: format!(
                "/assessments/{assessment_id}?q={}#invite",
                encode_query_value(&c.email)
            ),
        })
        .collect())
}

/// Candidates of the organization matching `q` (name or email), for the invite form.
#[server(prefix = "/api", endpoint = "assessments/find_candidates")]
pub async fn find_candidates(q: String) -> Result<Vec<CandidateChoice>, AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let pool = crate::state::pool()?;
    let query =
        crate::candidates::CandidateQuery::from_search(Some(q), None, None, None, None, None)?;
    let rows = crate::candidates::data::list(&pool, user.org_id, &query, 20).await?;
    Ok(rows
        .into_iter()
        .map(|c| CandidateChoice {
            id: c.id,
            full_name: c.full_name,
            email: c.email,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "assessments/create")]
pub async fn create_assessment(form: AssessmentForm) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let input = parse_input(&user, form)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let id = service::create(&mut tx, &user, &input).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}/edit"));
    Ok(())
}

/// Changes a draft's settings; a published assessment is refused (edit a new version).
#[server(prefix = "/api", endpoint = "assessments/update")]
pub async fn update_assessment(id: Uuid, form: AssessmentForm) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let draft = service::draft_for(&user, &mut tx, id).await?;
    let input = parse_input(&user, form)?;
    service::update(&mut tx, &user, &draft, &input).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}/edit"));
    Ok(())
}

/// Adds one question of the bank as an item of a draft.
#[server(prefix = "/api", endpoint = "assessments/add_question")]
pub async fn add_question_item(assessment_id: Uuid, question_id: String) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let question_id: Uuid = question_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose a question from the list."))?;
    add_item(&user, assessment_id, NewItem::Fixed(question_id)).await
}

/// Adds "draw N at random" from a set (`set:<id>`) or a tag (`tag:<name>`).
#[server(prefix = "/api", endpoint = "assessments/add_draw")]
pub async fn add_draw_item(
    assessment_id: Uuid,
    from: String,
    count: String,
) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let count = count
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=500).contains(n))
        .ok_or_else(|| AppError::invalid("Draw a whole number of questions from 1 to 500."))?;
    let item = match from.split_once(':') {
        Some(("set", id)) => id.parse().ok().map(|id| NewItem::FromSet(id, count)),
        Some(("tag", tag)) if !tag.trim().is_empty() => {
            Some(NewItem::FromTag(tag.trim().to_string(), count))
        }
        _ => None,
    }
    .ok_or_else(|| AppError::invalid("Choose a question set or a tag to draw from."))?;
    add_item(&user, assessment_id, item).await
}

#[cfg(feature = "ssr")]
async fn add_item(user: &AuthUser, assessment_id: Uuid, item: NewItem) -> Result<(), AppError> {
    let mut tx = crate::state::pool()?.begin().await?;
    service::add_item(&mut tx, user, assessment_id, &item).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an item of a draft up or down, or removes it (`direction` = "up", "down", "remove").
#[server(prefix = "/api", endpoint = "assessments/change_item")]
pub async fn change_item(item_id: Uuid, direction: String) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let draft = service::draft_of_item(&user, &mut tx, item_id).await?;
    let change = ItemChange::parse(&direction)?;
    service::change_item(&mut tx, &user, &draft, item_id, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft: freezes a copy of every question it can ask (see `publish.rs` for
/// what is refused).
#[server(prefix = "/api", endpoint = "assessments/publish")]
pub async fn publish_assessment(id: Uuid) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    publish::publish(&mut tx, &user, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{id}"));
    Ok(())
}

/// Archives a published version (a draft is refused): its running invites still work, new
/// ones are refused.
#[server(prefix = "/api", endpoint = "assessments/archive")]
pub async fn archive_assessment(id: Uuid) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    publish::archive(&mut tx, &user, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens the next version of a published assessment as a draft with the same items (or
/// the draft that already exists) for editing.
#[server(prefix = "/api", endpoint = "assessments/new_version")]
pub async fn new_version(id: Uuid) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    let draft = publish::new_version(&mut tx, &user, id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/assessments/{draft}/edit"));
    Ok(())
}

/// Invites one candidate of the organization to a published assessment; the assessment's
/// page then says whom and until when the link works.
#[server(prefix = "/api", endpoint = "assessments/invite")]
pub async fn invite_candidate(form: InviteForm) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let candidate_id: Uuid = form
        .candidate_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the candidate to invite."))?;
    let days = super::parse_expiry_days(&form.expires_in_days)?;
    let message = crate::input::bounded("the message", &form.message, super::MAX_MESSAGE)?;
    let accommodation = form.accommodation()?;
    let mut tx = crate::state::pool()?.begin().await?;
    let invitation = invites::invite(
        &mut tx,
        &user,
        form.assessment_id,
        candidate_id,
        &message,
        days,
        accommodation,
    )
    .await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/assessments/{}", form.assessment_id),
        &invitation.sentence(zone_or_utc(&user.time_zone)),
    );
    Ok(())
}

/// Invites the selected candidates of a requisition's board to one of its published
/// assessments; nothing is sent when one of them cannot be invited.
#[server(prefix = "/api", endpoint = "assessments/invite_many")]
pub async fn invite_from_board(
    requisition_id: Uuid,
    application_ids: Option<Vec<Uuid>>,
    assessment_id: String,
) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let pool = crate::state::pool()?;
    let requisition = find_for(&user, &pool, requisition_id).await?;
    let assessment_id: Uuid = assessment_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Choose the assessment to invite to."))?;
    let mut ids = application_ids.unwrap_or_default();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "Select at least one candidate to invite.",
        ));
    }
    let mut tx = pool.begin().await?;
    let invitation =
        invites::invite_from_board(&mut tx, &user, &requisition, &ids, assessment_id).await?;
    tx.commit().await?;
    crate::ui::notice::redirect_with_notice(
        &format!("/requisitions/{requisition_id}/pipeline"),
        &invitation.sentence(zone_or_utc(&user.time_zone)),
    );
    Ok(())
}

/// Sends a new link in place of an invite (revoking it when unstarted): for a lost email,
/// an expired link, or a further attempt when the assessment allows one.
#[server(prefix = "/api", endpoint = "assessments/resend")]
pub async fn resend_invite(token_id: Uuid) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    invites::resend(&mut tx, &user, token_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes an invite link that has not started a test.
#[server(prefix = "/api", endpoint = "assessments/revoke")]
pub async fn revoke_invite(token_id: Uuid) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_MANAGE_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    invites::revoke(&mut tx, &user, token_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Every session of an assessment, and the invites not started yet.
#[server(prefix = "/api", endpoint = "assessments/results")]
pub async fn load_results(id: Uuid) -> Result<AssessmentResults, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    service::results(&crate::state::pool()?, &user, id).await
}

/// The latest result of each assessment of a pipeline application: (session id, title, badge).
#[server(prefix = "/api", endpoint = "assessments/of_application")]
pub async fn load_application_results(
    application_id: Uuid,
) -> Result<Vec<(Uuid, String, ResultBadge)>, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    service::application_results(&crate::state::pool()?, &user, application_id).await
}

/// Whether the application's results are shared with its interviewers.
#[server(prefix = "/api", endpoint = "assessments/results_shared")]
pub async fn load_results_sharing(application_id: Uuid) -> Result<bool, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    let pool = crate::state::pool()?;
    crate::pipeline::service::application_for(&user, &mut *pool.acquire().await?, application_id)
        .await?;
    Ok(data::results_shared(&pool, user.org_id, application_id).await?)
}

/// Shares the application's results with its interviewers (their kits show them), or
/// stops sharing them.
#[server(prefix = "/api", endpoint = "assessments/share_results")]
pub async fn share_results(application_id: Uuid, shared: bool) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::share_results(&mut tx, &user, application_id, shared).await?;
    tx.commit().await?;
    Ok(())
}

/// The assessment results an interview's kit shows (`None`: not shared with its
/// interviewer).
#[server(prefix = "/api", endpoint = "assessments/shared_results")]
pub async fn load_shared_results(
    interview_id: Uuid,
) -> Result<Option<Vec<(String, ResultBadge)>>, AppError> {
    let user = crate::access::guard::require_user().await?;
    service::shared_results(&crate::state::pool()?, &user, interview_id).await
}

/// One session with every question, the answer beside the correct one, for grading.
#[server(prefix = "/api", endpoint = "assessments/session")]
pub async fn load_session(id: Uuid) -> Result<SessionDetail, AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    service::session(&crate::state::pool()?, &user, id).await
}

/// Scores a text or code answer of a finished session; the session's totals and pass/fail
/// follow in the same transaction.
#[server(prefix = "/api", endpoint = "assessments/grade")]
pub async fn grade_answer(form: GradeForm) -> Result<(), AppError> {
    let user = require_role(ASSESSMENT_RESULT_ROLES).await?;
    let comment = crate::input::bounded("the comment", &form.comment, 5000)?;
    let mut tx = crate::state::pool()?.begin().await?;
    service::grade(
        &mut tx,
        &user,
        form.session_id,
        form.question_id,
        &form.score,
        &comment,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A reviewer's disposition of a session's proctoring record, with its reason; "retake
/// offered" also grants an attempt and emails a new invite (admins and recruiters).
#[server(prefix = "/api", endpoint = "proctoring/decide")]
pub async fn decide_proctoring(
    session_id: Uuid,
    form: crate::proctoring::disposition::DecisionInput,
) -> Result<(), AppError> {
    let user = require_role(crate::access::PROCTORING_REVIEW_ROLES).await?;
    super::retake::decide(&crate::state::pool()?, &user, session_id, &form).await
}
