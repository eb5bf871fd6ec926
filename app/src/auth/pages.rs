//! The sign-in page and the user's own account page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{load_time_zones, ChangePassword, SetTimeZone, SignIn};
use crate::access::{whoami, CurrentUser};
use crate::ui::form::error_from_query;
use crate::ui::{Field, SelectField, ServerForm, StaffPage};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next"));
    let error = error_from_query(SignIn::PATH);
    let visitor = crate::ui::load::once(whoami());
    view! {
        <Title text="Sign in"/>
        <main class="standalone narrow">
            <h1>"Sign in to ARE"</h1>
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
            <p class="muted">"No account yet? Ask your organization's admin for an invitation."</p>
        </main>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let changed = use_query_map().with_untracked(|q| q.get("changed").is_some());
    let zone_saved = use_query_map().with_untracked(|q| q.get("zone").is_some());
    let error = error_from_query(ChangePassword::PATH);
    let zone_error = error_from_query(SetTimeZone::PATH);
    let zones = crate::ui::load::once(load_time_zones());
    let user = crate::ui::load::once(whoami());
    view! {
        <StaffPage title="Your account">
            {
                let error = error.clone();
                let zone_error = zone_error.clone();
                let (zones, user) = (zones.clone(), user.clone());
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
