//! The sign-in page and the user's own account page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{
    load_my_sessions, load_time_zones, lookup_unlock, ChangePassword, SetTimeZone, SignIn,
    SignInInfo, SignOutElsewhere, UnlockSignIn,
};
use crate::access::{whoami, CurrentUser};
use crate::ui::form::error_from_query;
use crate::ui::{Field, SelectField, ServerForm, StaffPage};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next"));
    let unlocked = query.with_untracked(|q| q.get("unlocked").is_some());
    let reset = query.with_untracked(|q| q.get("reset").is_some());
    let error = error_from_query(SignIn::PATH);
    let visitor = crate::ui::load::once(whoami());
    view! {
        <Title text="Sign in"/>
        <main class="standalone narrow">
            <h1>"Sign in to ARE"</h1>
            {unlocked.then(|| view! { <p class="notice" role="status">"This browser may now sign in to your account for the next 15 minutes. Enter your password."</p> })}
            {reset.then(|| view! { <p class="notice" role="status">"Your password was changed and every session of yours was signed out. Sign in with the new password."</p> })}
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    let error = error.clone();
                    let visitor = visitor.clone();
                    Suspend::new(async move {
                        if let Ok(Some(_)) = visitor.await {
                            #[cfg(feature = "ssr")]
                            crate::ui::errors::redirect_page(&super::safe_next(next.as_deref()));
                        }
                        view! {
                            <ServerForm action=SignIn::url() submit_label="Sign in" busy_label="Signing in…" error=error>
                                <Field name="email" label="Email" kind="email" required=true autocomplete="username"/>
                                <Field name="password" label="Password" kind="password" required=true autocomplete="current-password"/>
                                {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                            </ServerForm>
                        }
                    })
                }}
            </Suspense>
            <p><a href="/forgot-password">"Forgot your password?"</a></p>
            <p class="muted">"No account yet? Ask your organization's admin for an invitation."</p>
            {signup_open().then(|| view! {
                <p>"New to ARE? "<a href="/signup">"Sign up your organization"</a></p>
            })}
        </main>
    }
}

/// Whether anyone may sign up a new organization (`ARE_SIGNUP=open`): the server's
/// setting, read while rendering on the server.
pub fn signup_open() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::state::state().is_ok_and(|state| state.settings.signup_open)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let changed = use_query_map().with_untracked(|q| q.get("changed").is_some());
    let zone_saved = use_query_map().with_untracked(|q| q.get("zone").is_some());
    let error = error_from_query(ChangePassword::PATH);
    let zone_error = error_from_query(SetTimeZone::PATH);
    let sessions_error = error_from_query(SignOutElsewhere::PATH);
    let ended =
        use_query_map().with_untracked(|q| q.get("ended").and_then(|n| n.parse::<u32>().ok()));
    let sessions = crate::ui::load::once(load_my_sessions());
    let zones = crate::ui::load::once(load_time_zones());
    let user = crate::ui::load::once(whoami());
    view! {
        <StaffPage title="Your account">
            {
                let error = error.clone();
                let zone_error = zone_error.clone();
                let (zones, user) = (zones.clone(), user.clone());
                let (sessions, sessions_error) = (sessions.clone(), sessions_error.clone());
                view! {
                    <Suspense fallback=|| ()>
                        {move || {
                            let zone_error = zone_error.clone();
                            let (zones, user) = (zones.clone(), user.clone());
                            Suspend::new(async move {
                                let zones = zones.await.unwrap_or_default();
                                user.await.ok().flatten().map(|user: CurrentUser| {
                                    let options: Vec<(String, String)> =
                                        zones.into_iter().map(|zone| (zone.clone(), zone)).collect();
                                    view! {
                                        <dl class="facts">
                                            <dt>"Name"</dt><dd>{user.full_name}</dd>
                                            <dt>"Email"</dt><dd>{user.email}</dd>
                                            <dt>"Role"</dt><dd>{user.role.label()}</dd>
                                            <dt>"Organization"</dt><dd>{user.org_name}</dd>
                                            <dt>"Time zone"</dt><dd>{user.time_zone.clone()}</dd>
                                        </dl>
                                        <section class="card">
                                            <h2>"Time zone"</h2>
                                            <p class="muted">"Interview times are shown to you, and read from your scheduling forms, in this zone."</p>
                                            {zone_saved.then(|| view! { <p class="notice" role="status">"Time zone saved."</p> })}
                                            <ServerForm action=SetTimeZone::url() submit_label="Save time zone" busy_label="Saving…" error=zone_error inline=true>
                                                <SelectField name="time_zone" label="Time zone" options=options selected=user.time_zone/>
                                            </ServerForm>
                                        </section>
                                    }
                                })
                            })
                        }}
                    </Suspense>
                    <section class="card">
                        <h2>"Two-step sign-in"</h2>
                        <p>"A code from an authenticator app on your phone, asked after your password."</p>
                        <p><a href="/account/two-step">"Manage two-step sign-in"</a></p>
                    </section>
                    <section class="card" id="sessions">
                        <h2>"Where you are signed in"</h2>
                        {ended.map(|ended| {
                            let message = match ended {
                                1 => "One other session was signed out.".to_string(),
                                0 => "There was no other session to sign out.".to_string(),
                                n => format!("{n} other sessions were signed out."),
                            };
                            view! { <p class="notice" role="status">{message}</p> }
                        })}
                        <Suspense fallback=|| ()>
                            {move || {
                                let sessions = sessions.clone();
                                let sessions_error = sessions_error.clone();
                                Suspend::new(async move {
                                    match sessions.await {
                                        Ok(sessions) => sessions_view(sessions, sessions_error).into_any(),
                                        Err(error) => crate::ui::error_view(error).into_any(),
                                    }
                                })
                            }}
                        </Suspense>
                    </section>
                    <section class="card">
                        <h2>"Change password"</h2>
                        {changed.then(|| view! { <p class="notice" role="status">"Your password was changed. Your other sessions have been signed out."</p> })}
                        <ServerForm action=ChangePassword::url() submit_label="Change password" busy_label="Changing…" error=error.clone()>
                            <Field name="current_password" label="Current password" kind="password" required=true autocomplete="current-password"/>
                            <Field name="new_password" label="New password" kind="password" required=true minlength=12 autocomplete="new-password" hint="At least 12 characters. Other devices will be signed out."/>
                            <Field name="confirm_password" label="Repeat the new password" kind="password" required=true minlength=12 autocomplete="new-password" must_match="new_password"/>
                        </ServerForm>
                    </section>
                }
            }
        </StaffPage>
    }
}

/// The user's sessions, each other one with a button that ends it.
fn sessions_view(sessions: Vec<SignInInfo>, error: Option<String>) -> impl IntoView {
    let others = sessions.iter().filter(|s| !s.current).count();
    view! {
        <table class="data">
            <thead><tr><th>"Device"</th><th>"Address"</th><th>"Signed in"</th><th>"Last active"</th><th><span class="visually-hidden">"Action"</span></th></tr></thead>
            <tbody>
                {sessions.into_iter().map(|s| view! {
                    <tr>
                        <td>{s.device.clone()}{s.current.then(|| view! { " " <span class="badge">"This session"</span> })}</td>
                        <td>{s.address.clone()}</td>
                        <td>{crate::ui::time::format_time(&s.signed_in_at)}</td>
                        <td>{crate::ui::time::format_time(&s.last_seen_at)}</td>
                        <td>{(!s.current).then(|| view! {
                            <ServerForm action=SignOutElsewhere::url() submit_label=format!("Sign out {}", s.device) busy_label="Signing out…" inline=true>
                                <input type="hidden" name="sign_in" value=s.id.to_string()/>
                            </ServerForm>
                        })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(others > 0).then(|| view! {
            <ServerForm action=SignOutElsewhere::url() submit_label="Sign out everywhere else" busy_label="Signing out…" danger=true error=error><span></span></ServerForm>
        })}
        {(others == 0).then(|| view! { <p class="muted">"You are signed in nowhere else."</p> })}
    }
}

/// What an emailed link's page says when the link is unknown, used or expired.
#[derive(Clone, Copy)]
pub struct InvalidLink {
    pub explanation: &'static str,
    pub href: &'static str,
    pub label: &'static str,
}

/// The page of an emailed link (`/unlock/…`, `/reset/…`, `/signup/…`): it looks the link
/// up (opening it changes nothing) and shows `form(what, token, error)` for a valid one,
/// `what` being what the lookup found (the account's address, a sign-up), where the
/// form's button uses the link; an unknown, used or expired link answers 404.
pub fn emailed_link_page<T, Fut>(
    title: &'static str,
    form_path: &'static str,
    lookup: impl FnOnce(String) -> Fut,
    invalid: InvalidLink,
    form: impl Fn(T, String, Option<String>) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Option<T>, crate::error::AppError>> + Send + 'static,
{
    use leptos_router::hooks::use_params_map;

    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let error = error_from_query(form_path);
    let account = crate::ui::load::once(lookup(token.clone()));
    view! {
        <Title text=title/>
        <main class="standalone narrow">
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    let error = error.clone();
                    let account = account.clone();
                    let form = form.clone();
                    Suspend::new(async move {
                        match account.await {
                            Ok(Some(found)) => form(found, token, error),
                            Ok(None) => {
                                crate::ui::errors::set_status(404);
                                view! {
                                    <h1>"This link is not valid"</h1>
                                    <p>{invalid.explanation}</p>
                                    <p><a href=invalid.href>{invalid.label}</a></p>
                                }.into_any()
                            }
                            Err(error) => view! { <h1>"Something went wrong"</h1> {crate::ui::error_view(error)} }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

/// The page of an emailed sign-in link (`/unlock/<secret>`).
#[component]
pub fn UnlockPage() -> impl IntoView {
    let invalid = InvalidLink {
        explanation: "It was already used or has expired. Sign in again: if the account is still paused, a new link is emailed.",
        href: "/login",
        label: "Go to sign-in",
    };
    emailed_link_page(
        "Sign in after failed attempts",
        UnlockSignIn::PATH,
        lookup_unlock,
        invalid,
        |email, token, error| {
            view! {
        <h1>"Sign in despite the pause"</h1>
        <p>{format!("Signing in to {email} is paused after many failed attempts. Continue to let this browser sign in with the password for the next 15 minutes.")}</p>
        <ServerForm action=UnlockSignIn::url() submit_label="Continue to sign-in" busy_label="Continuing…" error=error>
            <input type="hidden" name="token" value=token/>
        </ServerForm>
    }.into_any()
        },
    )
}

/// Asking for a password reset link (`/forgot-password`).
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some());
    let error = error_from_query(super::RequestPasswordReset::PATH);
    view! {
        <Title text="Forgot your password?"/>
        <main class="standalone narrow">
            <h1>"Forgot your password?"</h1>
            {if sent {
                view! {
                    <p class="notice" role="status">"If an active account signs in with that address, we are emailing it a link to choose a new password. The link works once, for an hour."</p>
                    <p><a href="/login">"Back to sign-in"</a></p>
                }.into_any()
            } else {
                view! {
                    <p>"Enter the address you sign in with. If it has an account, we email it a link to choose a new password."</p>
                    <ServerForm action=super::RequestPasswordReset::url() submit_label="Email me a link" busy_label="Sending…" error=error>
                        <Field name="email" label="Email" kind="email" required=true autocomplete="username"/>
                    </ServerForm>
                    <p><a href="/login">"Back to sign-in"</a></p>
                }.into_any()
            }}
        </main>
    }
}

/// The page of a reset link (`/reset/<secret>`).
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let invalid = InvalidLink {
        explanation: "It was already used or has expired. Ask for a new one.",
        href: "/forgot-password",
        label: "Ask for a new link",
    };
    emailed_link_page(
        "Choose a new password",
        super::ResetPassword::PATH,
        super::lookup_password_reset,
        invalid,
        |email, token, error| {
            view! {
        <h1>"Choose a new password"</h1>
        <p>{format!("For {email}. Every session of this account will be signed out.")}</p>
        <ServerForm action=super::ResetPassword::url() submit_label="Set the new password" busy_label="Saving…" error=error>
            <input type="hidden" name="token" value=token/>
            <Field name="new_password" label="New password" kind="password" required=true minlength=12 autocomplete="new-password" hint="At least 12 characters, hard to guess: a few unrelated words work well."/>
            <Field name="confirm_password" label="Repeat the new password" kind="password" required=true minlength=12 autocomplete="new-password" must_match="new_password"/>
        </ServerForm>
    }.into_any()
        },
    )
}
