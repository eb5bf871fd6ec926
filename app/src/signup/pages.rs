//! The sign-up page (`/signup`) and the page of its emailed link (`/signup/<secret>`);
//! both are "page not found" unless sign-up is open.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::{sent_message, ConfirmSignUp, PendingSignUp, SignUp, LINK_HOURS};
use crate::auth::pages::{emailed_link_page, signup_open, InvalidLink};
use crate::ui::form::error_from_query;
use crate::ui::{Field, NotFound, ServerForm};
use crate::users::plan::Plan;

#[component]
pub fn SignUpPage() -> impl IntoView {
    if !signup_open() {
        return view! { <NotFound/> }.into_any();
    }
    let sent = use_query_map().with_untracked(|q| q.get("sent"));
    let error = error_from_query(SignUp::PATH);
    view! {
        <Title text="Sign up your organization"/>
        <main class="standalone narrow">
            <h1>"Sign up your organization"</h1>
            {match sent {
                Some(email) => view! {
                    <p class="notice" role="status">{sent_message(&email)}</p>
                    <p><a href="/login">"Back to sign-in"</a></p>
                }.into_any(),
                None => view! {
                    <p>{format!("Your organization starts on the {plan} plan with {seats} seats (a seat is an active staff account or an open invitation). We email you a link to confirm: it works once, for {LINK_HOURS} hours, and the organization is created when you open it and enter your password again.", plan = Plan::Free.label().to_lowercase(), seats = Plan::Free.default_seats())}</p>
                    <ServerForm action=SignUp::url() submit_label="Sign up" busy_label="Signing up…" error=error>
                        <Field name="org_name" label="Organization name" required=true autocomplete="organization"/>
                        <Field name="slug" label="Slug" required=true autocomplete="off" hint="Your organization's short name: 2 to 63 lowercase letters, digits and hyphens, such as initech."/>
                        <Field name="full_name" label="Your name" required=true autocomplete="name"/>
                        <Field name="email" label="Your email" kind="email" required=true autocomplete="email" hint="You sign in with it, as the organization's admin."/>
                        <Field name="password" label="Password" kind="password" required=true minlength=12 autocomplete="new-password" hint="At least 12 characters, hard to guess: a few unrelated words work well."/>
                        <Field name="confirm_password" label="Repeat the password" kind="password" required=true minlength=12 autocomplete="new-password" must_match="password"/>
                    </ServerForm>
                    <p>"Already have an account? "<a href="/login">"Sign in"</a></p>
                }.into_any(),
            }}
        </main>
    }
    .into_any()
}

/// The page of a sign-up's link (`/signup/<secret>`): what will be created, and the
/// password chosen for it, which creates it.
#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    if !signup_open() {
        return view! { <NotFound/> }.into_any();
    }
    let invalid = InvalidLink {
        explanation:
            "It was already used, has expired, or was closed after wrong passwords. Sign up again.",
        href: "/signup",
        label: "Sign up again",
    };
    emailed_link_page(
        "Create your organization",
        ConfirmSignUp::PATH,
        super::lookup_sign_up,
        invalid,
        |sign_up: PendingSignUp, token, error| {
            view! {
                <h1>{format!("Create {} on ARE", sign_up.org_name)}</h1>
                <p>{format!("{}, this creates the organization {} (slug {}) with you, {}, as its admin, and signs you in. Enter the password you chose when you signed up.", sign_up.full_name, sign_up.org_name, sign_up.slug, sign_up.email)}</p>
                <ServerForm action=ConfirmSignUp::url() submit_label="Create the organization" busy_label="Creating…" error=error>
                    <input type="hidden" name="token" value=token/>
                    <Field name="password" label="Password" kind="password" required=true autocomplete="current-password"/>
                </ServerForm>
            }
            .into_any()
        },
    )
    .into_any()
}
