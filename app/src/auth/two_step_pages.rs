//! The second step of a sign-in (`/login/second-step`) and the account's two-step
//! sign-in page (`/account/two-step`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{
    load_second_step, load_two_step_status, ConfirmTwoStep, Enrolment, FinishSignIn,
    RenewRecoveryCodes, RequireTwoStepForAdmins, StartTwoStep, TurnOffTwoStep, TwoStepStatus,
};
use crate::ui::form::error_from_query;
use crate::ui::{error_view, Field, SelectField, ServerForm, StaffPage};

/// The QR code and the typed secret of an app being set up.
fn enrolment_view(enrolment: Enrolment) -> impl IntoView {
    view! {
        <ol class="steps">
            <li>"Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator, 1Password or Aegis) and add an account."</li>
            <li>
                "Scan this code:"
                <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=enrolment.qr_svg></div>
                "or type this key: " <code class="secret-key">{enrolment.typed_secret}</code>
            </li>
            <li>"Enter the 6-digit code the app shows."</li>
        </ol>
    }
}

const CODE_HINT: &str =
    "The 6-digit code from your authenticator app, or one of your recovery codes.";

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let error = error_from_query(FinishSignIn::PATH);
    let prompt = crate::ui::load::once(load_second_step());
    view! {
        <Title text="Sign in: second step"/>
        <main class="standalone narrow">
            <Suspense fallback=|| ()>
                {move || {
                    let error = error.clone();
                    let prompt = prompt.clone();
                    Suspend::new(async move {
                        match prompt.await {
                            Ok(Some(prompt)) => match prompt.setup {
                                None => view! {
                                    <h1>"Sign in: second step"</h1>
                                    <p>{format!("Your password for {} was right. Now prove it is you with your authenticator app.", prompt.email)}</p>
                                    <ServerForm action=FinishSignIn::url() submit_label="Sign in" busy_label="Checking…" error=error>
                                        <Field name="code" label="Code" required=true autocomplete="one-time-code" hint=CODE_HINT/>
                                    </ServerForm>
                                }.into_any(),
                                Some(enrolment) => view! {
                                    <h1>"Set up two-step sign-in"</h1>
                                    <p>{format!("Your organization requires its admins to sign in in two steps. Set up an authenticator app for {} to finish signing in.", prompt.email)}</p>
                                    {enrolment_view(enrolment)}
                                    <ServerForm action=FinishSignIn::url() submit_label="Turn on and sign in" busy_label="Checking…" error=error>
                                        <Field name="code" label="Code from the app" required=true autocomplete="one-time-code"/>
                                    </ServerForm>
                                }.into_any(),
                            },
                            Ok(None) => view! {
                                <h1>"Sign in again"</h1>
                                <p>"This sign-in has expired or had too many wrong codes."</p>
                                <p><a href="/login">"Go to sign-in"</a></p>
                            }.into_any(),
                            Err(error) => view! { <h1>"Something went wrong"</h1> {error_view(error)} }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

#[component]
pub fn TwoStepPage() -> impl IntoView {
    let query = use_query_map();
    let (turned_off, org_saved) =
        query.with_untracked(|q| (q.get("off").is_some(), q.get("org").is_some()));
    let errors = [
        error_from_query(StartTwoStep::PATH),
        error_from_query(ConfirmTwoStep::PATH),
        error_from_query(RenewRecoveryCodes::PATH),
        error_from_query(TurnOffTwoStep::PATH),
        error_from_query(RequireTwoStepForAdmins::PATH),
    ];
    let status = crate::ui::load::once(load_two_step_status());
    view! {
        <StaffPage title="Two-step sign-in">
            {
                let status = status.clone();
                let errors = errors.clone();
                view! {
                    <p><a href="/account">"← Your account"</a></p>
                    {turned_off.then(|| view! { <p class="notice" role="status">"Two-step sign-in is off. We emailed you about the change."</p> })}
                    {org_saved.then(|| view! { <p class="notice" role="status">"The organization's rule was saved."</p> })}
                    <Suspense fallback=|| ()>
                        {move || {
                            let status = status.clone();
                            let errors = errors.clone();
                            Suspend::new(async move {
                                match status.await {
                                    Ok(status) => two_step_view(status, errors).into_any(),
                                    Err(error) => error_view(error).into_any(),
                                }
                            })
                        }}
                    </Suspense>
                }
            }
        </StaffPage>
    }
}

fn two_step_view(status: TwoStepStatus, errors: [Option<String>; 5]) -> impl IntoView {
    let [start_error, confirm_error, renew_error, off_error, org_error] = errors;
    let fresh = (!status.fresh_codes.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="fresh-codes">
                <h2 id="fresh-codes">"Your recovery codes"</h2>
                <p>"Each code signs you in once if you lose your phone. Keep them somewhere safe (a password manager, or printed): this is the only time they are shown."</p>
                <ul class="recovery-codes">
                    {status.fresh_codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let main = if status.enabled {
        let locked = status.is_admin && status.org_requires;
        view! {
            <section class="card">
                <h2>"Two-step sign-in is on"</h2>
                <p>{format!("You sign in with your password and a code from your authenticator app. Recovery codes left: {}.", status.recovery_left)}</p>
                <h3>"New recovery codes"</h3>
                <ServerForm action=RenewRecoveryCodes::url() submit_label="Make new recovery codes" busy_label="Making…" error=renew_error>
                    <Field name="current_password" label="Your password" kind="password" required=true autocomplete="current-password" id="renew-password".to_string()/>
                </ServerForm>
                <h3>"Turn off"</h3>
                {if locked {
                    view! { <p class="muted">"Your organization requires two-step sign-in for admins, so it stays on."</p> }.into_any()
                } else {
                    view! {
                        <ServerForm action=TurnOffTwoStep::url() submit_label="Turn off two-step sign-in" busy_label="Turning off…" danger=true error=off_error>
                            <Field name="current_password" label="Your password" kind="password" required=true autocomplete="current-password" id="off-password".to_string()/>
                        </ServerForm>
                    }.into_any()
                }}
            </section>
        }
        .into_any()
    } else if let Some(enrolment) = status.pending {
        view! {
            <section class="card">
                <h2>"Set up your authenticator app"</h2>
                {enrolment_view(enrolment)}
                <ServerForm action=ConfirmTwoStep::url() submit_label="Turn on two-step sign-in" busy_label="Checking…" error=confirm_error>
                    <Field name="code" label="Code from the app" required=true autocomplete="one-time-code"/>
                    <Field name="current_password" label="Your password" kind="password" required=true autocomplete="current-password" id="confirm-password".to_string()/>
                </ServerForm>
            </section>
        }
        .into_any()
    } else {
        view! {
            <section class="card">
                <h2>"Two-step sign-in is off"</h2>
                <p>"With it on, signing in takes your password and a code from an authenticator app on your phone, so a stolen password alone does not get in."</p>
                <ServerForm action=StartTwoStep::url() submit_label="Set up two-step sign-in" busy_label="Starting…" error=start_error><span></span></ServerForm>
            </section>
        }
        .into_any()
    };
    let org = status.is_admin.then(|| {
        let options = vec![
            ("false".to_string(), "Admins choose for themselves".to_string()),
            ("true".to_string(), "Every admin must sign in in two steps".to_string()),
        ];
        view! {
            <section class="card">
                <h2>"Your organization's admins"</h2>
                <p class="muted">"When required, admins without an authenticator app are signed out and set one up at their next sign-in."</p>
                <ServerForm action=RequireTwoStepForAdmins::url() submit_label="Save" busy_label="Saving…" error=org_error inline=true>
                    <SelectField name="required" label="Two-step sign-in for admins" options=options selected=status.org_requires.to_string()/>
                </ServerForm>
            </section>
        }
    });
    view! { {fresh} {main} {org} }
}
