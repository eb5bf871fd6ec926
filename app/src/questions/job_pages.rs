//! A requisition's own questions (seed Question → JobDescription): its "Questions" page,
//! with the bank's question forms, owned by the requisition. Its assessments can ask them
//! (the builder offers them first).

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use uuid::Uuid;

use super::pages::{NewQuestionForm, QuestionTable};
use super::{requisition_questions, DeleteQuestion, MoveQuestion, Owner, QuestionSummary};
use crate::error::AppError;
use crate::requisitions::{load_requisition, RequisitionDetail};
use crate::ui::form::error_from_query;
use crate::ui::{id_param, loaded, StaffPage};

async fn load(id: Uuid) -> Result<(RequisitionDetail, Vec<QuestionSummary>, bool), AppError> {
    let viewer = crate::access::whoami()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((
        load_requisition(id).await?,
        requisition_questions(id).await?,
        crate::access::BANK_MANAGE_ROLES.contains(&viewer.role),
    ))
}

/// `/requisitions/<id>/questions`.
#[component]
pub fn RequisitionQuestionsPage() -> impl IntoView {
    let id = id_param();
    let errors: Vec<String> = [MoveQuestion::PATH, DeleteQuestion::PATH]
        .into_iter()
        .filter_map(error_from_query)
        .collect();
    let fetch = move || async move { load(id?).await };
    let render =
        move |(requisition, questions, manage): (RequisitionDetail, Vec<QuestionSummary>, bool)| {
            view! { <JobQuestions requisition questions manage errors=errors.clone()/> }
        };
    view! {
        <StaffPage title="" roles=crate::access::BANK_VIEW_ROLES>
            {loaded(fetch, render.clone())}
        </StaffPage>
    }
}

#[component]
fn JobQuestions(
    requisition: RequisitionDetail,
    questions: Vec<QuestionSummary>,
    manage: bool,
    errors: Vec<String>,
) -> impl IntoView {
    let id = requisition.id;
    let heading = format!("Questions: {}", requisition.title);
    view! {
        <Title text=heading.clone()/>
        <p><a href=format!("/requisitions/{id}")>"← The requisition"</a></p>
        <div class="page-head">
            <h1>{heading}</h1>
            {manage.then(|| view! { <a class="button" href=format!("/requisitions/{id}/questions/new")>"Add question"</a> })}
        </div>
        <p class="muted">"Questions written for this job's description. Its assessments can ask them: the assessment builder lists them first."</p>
        {errors.into_iter().map(|message| view! { <p class="form-error" role="alert">{message}</p> }).collect_view()}
        <QuestionTable questions manage/>
    }
}

/// `/requisitions/<id>/questions/new`: the kind first, then the bank's question form.
#[component]
pub fn NewRequisitionQuestionPage() -> impl IntoView {
    let id = id_param();
    let fetch = move || async move { load_requisition(id?).await };
    let render = move |requisition: RequisitionDetail| {
        let id = requisition.id;
        let heading = format!("New question: {}", requisition.title);
        let body = view! { <NewQuestionForm owner=Owner::Requisition(id)/> };
        view! {
            <Title text=heading.clone()/>
            <p><a href=format!("/requisitions/{id}/questions")>"← The job's questions"</a></p>
            <h1>{heading}</h1>
            {body}
        }
    };
    view! {
        <StaffPage title="" roles=crate::access::BANK_MANAGE_ROLES>
            {loaded(fetch, render)}
        </StaffPage>
    }
}
