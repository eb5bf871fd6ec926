//! ARE's Leptos app: every page, island, server function, domain rule and query.
//!
//! Layers, each importing only those below it (the README's architecture section):
//! shared pieces (`error`, `state`, `access`, `input`, `ui`, `markdown`, `tokens`,
//! `search`),
//! the domains (each folder holds its pages, its server functions and, under `ssr`, its
//! services and data access), and `pages/`, the pages that combine several domains.
#![recursion_limit = "256"]

pub mod access;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod candidate_test;
pub mod candidates;
pub mod careers;
pub mod dashboard;
pub mod documents;
pub mod email;
pub mod error;
pub mod feedback;
pub mod files;
pub mod input;
pub mod interviews;
pub mod jobs;
pub mod json;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod notes;
pub mod notifications;
pub mod pages;
pub mod pipeline;
pub mod proctoring;
pub mod questions;
pub mod requisitions;
pub mod results;
pub mod scorecards;
#[cfg(feature = "ssr")]
pub mod search;
pub mod signup;
pub mod skills;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod tokens;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let scripts = islands_bundle(options.clone());
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options=scripts islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The options naming the WASM bundle this page loads: the candidate's test page has its
/// own (`candidate_test::bundle`), every other page the staff pages' bundle.
fn islands_bundle(options: LeptosOptions) -> LeptosOptions {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned());
        if path.is_some_and(|path| candidate_test::bundle::is_test_page(&path)) {
            return candidate_test::bundle::hydration_options(&options).unwrap_or(options);
        }
    }
    options
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every page renders completely before it is sent: a page may still redirect (to
    // sign-in) or set its status (403, 404) after loading its data.
    let ssr = SsrMode::Async;
    view! {
        <Title formatter=|title: String| format!("{title} · ARE")/>
        <Router>
            <FlatRoutes fallback=ui::NotFound>
                <Route path=path!("/") view=dashboard::page::DashboardPage ssr=ssr.clone()/>
                <Route path=path!("/login") view=auth::pages::SignInPage ssr=ssr.clone()/>
                <Route path=path!("/account") view=auth::pages::AccountPage ssr=ssr.clone()/>
                <Route path=path!("/account/two-step") view=auth::two_step_pages::TwoStepPage ssr=ssr.clone()/>
                <Route path=path!("/login/second-step") view=auth::two_step_pages::SecondStepPage ssr=ssr.clone()/>
                <Route path=path!("/test/:token") view=candidate_test::page::TestPage ssr=ssr.clone()/>
                <Route path=path!("/invite/:token") view=users::pages::AcceptInvitePage ssr=ssr.clone()/>
                <Route path=path!("/unlock/:token") view=auth::pages::UnlockPage ssr=ssr.clone()/>
                <Route path=path!("/forgot-password") view=auth::pages::ForgotPasswordPage ssr=ssr.clone()/>
                <Route path=path!("/reset/:token") view=auth::pages::ResetPasswordPage ssr=ssr.clone()/>
                <Route path=path!("/signup") view=signup::pages::SignUpPage ssr=ssr.clone()/>
                <Route path=path!("/signup/:token") view=signup::pages::ConfirmSignUpPage ssr=ssr.clone()/>
                <Route path=path!("/admin/users") view=users::pages::UsersPage ssr=ssr.clone()/>
                <Route path=path!("/admin/audit") view=audit::page::AuditLogPage ssr=ssr.clone()/>
                <Route path=path!("/admin/jobs") view=jobs::page::JobsPage ssr=ssr.clone()/>
                <Route path=path!("/admin/proctoring") view=proctoring::settings::ProctoringSettingsPage ssr=ssr.clone()/>
                <Route path=path!("/proctoring/review") view=proctoring::queue::ReviewQueuePage ssr=ssr.clone()/>
                <Route path=path!("/proctoring/sessions/:id") view=pages::session_review::SessionReviewPage ssr=ssr.clone()/>
                <Route path=path!("/notifications") view=notifications::page::NotificationsPage ssr=ssr.clone()/>
                <Route path=path!("/applications/:id") view=pages::application::ApplicationPage ssr=ssr.clone()/>
                <Route path=path!("/interviews/:id") view=pages::interview_kit::InterviewKitPage ssr=ssr.clone()/>
                <Route path=path!("/careers/:slug") view=careers::pages::CareersPage ssr=ssr.clone()/>
                <Route path=path!("/careers/:slug/jobs/:id") view=careers::pages::JobPage ssr=ssr.clone()/>
                <Route path=path!("/careers/:slug/jobs/:id/applied") view=careers::pages::AppliedPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/questions") view=questions::job_pages::RequisitionQuestionsPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/questions/new") view=questions::job_pages::NewRequisitionQuestionPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/careers") view=careers::settings::PostingPage ssr=ssr.clone()/>
                <Route path=path!("/admin/careers") view=careers::settings::CareersSettingsPage ssr=ssr.clone()/>
                <Route path=path!("/admin/skills") view=skills::page::SkillsPage ssr=ssr.clone()/>
                <Route path=path!("/admin/pipeline") view=pipeline::settings::page::PipelineSettingsPage ssr=ssr.clone()/>
                <Route path=path!("/candidates") view=candidates::pages::CandidatesPage ssr=ssr.clone()/>
                <Route path=path!("/candidates/new") view=candidates::pages::NewCandidatePage ssr=ssr.clone()/>
                <Route path=path!("/candidates/import") view=candidates::import::page::ImportUploadPage ssr=ssr.clone()/>
                <Route path=path!("/candidates/import/:id") view=candidates::import::page::ImportPage ssr=ssr.clone()/>
                <Route path=path!("/candidates/:id") view=pages::candidate::CandidatePage ssr=ssr.clone()/>
                <Route path=path!("/candidates/:id/edit") view=candidates::pages::EditCandidatePage ssr=ssr.clone()/>
                <Route path=path!("/candidates/:id/merge") view=candidates::merge::page::MergePage ssr=ssr.clone()/>
                <Route path=path!("/assessments") view=assessments::pages::AssessmentsPage ssr=ssr.clone()/>
                <Route path=path!("/assessments/new") view=assessments::pages::NewAssessmentPage ssr=ssr.clone()/>
                <Route path=path!("/assessments/sessions/:id") view=assessments::grading::SessionPage ssr=ssr.clone()/>
                <Route path=path!("/assessments/:id") view=assessments::pages::AssessmentPage ssr=ssr.clone()/>
                <Route path=path!("/assessments/:id/edit") view=assessments::pages::EditAssessmentPage ssr=ssr.clone()/>
                <Route path=path!("/assessments/:id/results") view=assessments::pages::ResultsPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions") view=requisitions::pages::RequisitionsPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/new") view=requisitions::pages::NewRequisitionPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id") view=requisitions::pages::RequisitionPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/edit") view=requisitions::pages::EditRequisitionPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/pipeline") view=pages::board::BoardPage ssr=ssr.clone()/>
                <Route path=path!("/requisitions/:id/scorecard") view=scorecards::page::ScorecardPage ssr=ssr.clone()/>
                <Route path=path!("/applications/:id/debrief") view=feedback::debrief::DebriefPage ssr=ssr.clone()/>
                <Route path=path!("/calibration") view=feedback::calibration_page::CalibrationPage ssr=ssr.clone()/>
                <Route path=path!("/admin/feedback") view=feedback::settings::FeedbackSettingsPage ssr=ssr.clone()/>
                <Route path=path!("/questions") view=questions::pages::QuestionSetsPage ssr=ssr.clone()/>
                <Route path=path!("/questions/sets/new") view=questions::pages::NewQuestionSetPage ssr=ssr.clone()/>
                <Route path=path!("/questions/sets/:id") view=questions::pages::QuestionSetPage ssr=ssr.clone()/>
                <Route path=path!("/questions/sets/:id/edit") view=questions::pages::EditQuestionSetPage ssr=ssr.clone()/>
                <Route path=path!("/questions/sets/:id/new") view=questions::pages::NewQuestionPage ssr=ssr.clone()/>
                <Route path=path!("/questions/:id/edit") view=questions::pages::EditQuestionPage ssr=ssr.clone()/>
                <Route path=path!("/questions/:id/preview") view=questions::pages::QuestionPreviewPage ssr=ssr/>
            </FlatRoutes>
        </Router>
    }
}
