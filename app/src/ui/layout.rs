//! The frame of every staff page: header with organization, user and sign-out, the
//! navigation for the user's role, and one `<h1>` with the page title.

use leptos::prelude::*;
use leptos_meta::Title;

use super::errors::{error_view, redirect_to_sign_in};
use crate::access::{
    whoami, CurrentUser, Role, ADMINS, BANK_VIEW_ROLES, CANDIDATE_ROLES, EVERYONE,
    REQUISITION_ROLES,
};

/// Where the header's sign-out form posts: the server function `auth::SignOut`, which
/// sits above this frame (it writes the audit log), so the frame names its route as the
/// navigation names pages; a test in `auth` keeps the two the same.
pub const SIGN_OUT_URL: &str = "/api/auth/sign_out";

struct NavLink {
    href: &'static str,
    label: &'static str,
    roles: &'static [Role],
}

const NAV: &[NavLink] = &[
    NavLink {
        href: "/",
        label: "Dashboard",
        roles: EVERYONE,
    },
    NavLink {
        href: "/requisitions",
        label: "Requisitions",
        roles: REQUISITION_ROLES,
    },
    NavLink {
        href: "/assessments",
        label: "Assessments",
        roles: REQUISITION_ROLES,
    },
    NavLink {
        href: "/calibration",
        label: "Calibration",
        roles: EVERYONE,
    },
    NavLink {
        href: "/proctoring/review",
        label: "Needs review",
        roles: crate::access::PROCTORING_REVIEW_ROLES,
    },
    NavLink {
        href: "/candidates",
        label: "Candidates",
        roles: CANDIDATE_ROLES,
    },
    NavLink {
        href: "/questions",
        label: "Questions",
        roles: BANK_VIEW_ROLES,
    },
    NavLink {
        href: "/admin/users",
        label: "Users",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/skills",
        label: "Skills",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/careers",
        label: "Careers page",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/pipeline",
        label: "Pipeline",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/proctoring",
        label: "Proctoring",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/feedback",
        label: "Feedback",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/audit",
        label: "Audit log",
        roles: ADMINS,
    },
    NavLink {
        href: "/admin/jobs",
        label: "Jobs",
        roles: ADMINS,
    },
    NavLink {
        href: "/account",
        label: "Account",
        roles: EVERYONE,
    },
];

/// A page for signed-in staff; `roles` limits it to those roles. With an empty `title`
/// the page's content brings its own `<h1>` and `<Title>` (titles that come from data).
#[component]
pub fn StaffPage(
    #[prop(into)] title: String,
    #[prop(optional)] roles: Option<&'static [Role]>,
    children: ChildrenFn,
) -> impl IntoView {
    let page_title = (!title.is_empty()).then(|| title.clone());
    let user = super::load::once(whoami());
    view! {
        {page_title.map(|text| view! { <Title text/> })}
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                let title = title.clone();
                let user = user.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => {
                            let allowed = roles.is_none_or(|roles| roles.contains(&user.role));
                            let body = if allowed {
                                let heading = (!title.is_empty()).then(|| view! { <h1>{title}</h1> });
                                view! { {heading} {children()} }.into_any()
                            } else {
                                view! { <h1>"No access"</h1> {error_view(crate::error::AppError::Forbidden)} }
                                    .into_any()
                            };
                            view! {
                                <Header user=user.clone()/>
                                <div class="frame">
                                    <Nav role=user.role/>
                                    <main id="main">{body}</main>
                                </div>
                            }
                            .into_any()
                        }
                        Ok(None) => {
                            redirect_to_sign_in();
                            view! { <main class="standalone"><h1>"Signing in required"</h1><p><a href="/login">"Sign in"</a></p></main> }.into_any()
                        }
                        Err(error) => view! { <main class="standalone"><h1>"Something went wrong"</h1>{error_view(error)}</main> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Header(user: CurrentUser) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <a class="brand" href="/">"ARE"</a>
            <span class="org" title="Organization">{user.org_name}</span>
            <div class="who">
                <a class="inbox-link" href="/notifications">
                    "Notifications"
                    {(user.unread_notifications > 0).then(|| view! {
                        " "<span class="unread-count">{user.unread_notifications}</span>
                        <span class="visually-hidden">" unread"</span>
                    })}
                </a>
                <span class="user-name">{user.full_name}</span>
                <span class="role-badge">{user.role.label()}</span>
                <form method="post" action=SIGN_OUT_URL class="sign-out">
                    <button type="submit" class="link-button">"Sign out"</button>
                </form>
            </div>
        </header>
    }
}

#[component]
fn Nav(role: Role) -> impl IntoView {
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    view! {
        <nav class="sidenav" aria-label="Main">
            <ul>
                {NAV
                    .iter()
                    .filter(|link| link.roles.contains(&role))
                    .map(|link| {
                        let current = (here == link.href
                            || (link.href != "/" && here.starts_with(&format!("{}/", link.href))))
                            .then_some("page");
                        view! { <li><a href=link.href aria-current=current>{link.label}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
