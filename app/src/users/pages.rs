//! The admin's users page and the page behind an invitation link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use super::{
    load_team, lookup_invite, AcceptInvite, ChangeRole, InviteUser, RevokeInvite, SetUserActive,
    Team,
};
use crate::access::Role;
use crate::ui::form::error_from_query;
use crate::ui::time::{format_optional, format_time};
use crate::ui::{error_view, loaded, Field, SelectField, ServerForm, StaffPage};

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .into_iter()
        .map(|role| (role.as_str().to_string(), role.label().to_string()))
        .collect()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let invite_error = error_from_query(InviteUser::PATH);
    view! {
        <StaffPage title="Users" roles=&[Role::Admin]>
            <section class="card">
                <h2>"Invite someone"</h2>
                <p class="muted">"They get an email with a link to choose a password. The link works once, for 72 hours."</p>
                <ServerForm action=InviteUser::url() submit_label="Send invitation" busy_label="Sending…" error=invite_error.clone()>
                    <Field name="full_name" label="Name" required=true autocomplete="off"/>
                    <Field name="email" label="Email" kind="email" required=true autocomplete="off"/>
                    <SelectField name="role" label="Role" options=role_options() selected="recruiter"/>
                </ServerForm>
            </section>
            {loaded(load_team, |team| view! { <TeamTables team/> })}
        </StaffPage>
    }
}

#[component]
fn TeamTables(team: Team) -> impl IntoView {
    let viewer = team.viewer_id;
    let invites = team.pending_invites;
    let invite_count = invites.len();
    let user_count = team.users.len();
    let seats = team.seats;
    view! {
        <section aria-labelledby="seats-heading">
            <h2 id="seats-heading">"Seats"</h2>
            <p>{seats.summary()}". A seat is an active account or an open invitation."</p>
            {(!seats.has_room()).then(|| view! {
                <p class="notice notice-warning" role="status">"Every seat is taken: deactivate someone or revoke an invitation before inviting anyone else."</p>
            })}
        </section>
        <section>
            <h2>{format!("Pending invitations ({invite_count})")}</h2>
            {if invites.is_empty() {
                view! { <p class="muted">"No open invitations."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table>
                            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Expires"</th><th>"Invited by"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {invites.into_iter().map(|invite| view! {
                                    <tr>
                                        <td>{invite.full_name}</td>
                                        <td>{invite.email.clone()}</td>
                                        <td>{invite.role.label()}</td>
                                        <td>{format_time(&invite.expires_at)}</td>
                                        <td>{invite.invited_by.unwrap_or_default()}</td>
                                        <td>
                                            <ServerForm action=RevokeInvite::url() submit_label=format!("Revoke invitation to {}", invite.email) busy_label="Revoking…" danger=true inline=true>
                                                <input type="hidden" name="invite_id" value=invite.id.to_string()/>
                                            </ServerForm>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section>
            <h2>{format!("People ({user_count})")}</h2>
            <div class="table-wrap" tabindex="0">
                <table>
                    <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Status"</th><th>"Last sign-in"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        {team.users.into_iter().map(|user| {
                            let is_viewer = user.id == viewer;
                            let role_label = format!("Role of {}", user.full_name);
                            let role_cell = if is_viewer {
                                view! { {user.role.label()} " (you)" }.into_any()
                            } else {
                                view! {
                                    <ServerForm action=ChangeRole::url() submit_label="Save role" busy_label="Saving…" inline=true>
                                        <input type="hidden" name="user_id" value=user.id.to_string()/>
                                        <SelectField name="role" id=format!("role-{}", user.id) label=role_label.clone() options=role_options() selected=user.role.as_str()/>
                                    </ServerForm>
                                }.into_any()
                            };
                            let action_cell = (!is_viewer).then(|| {
                                let (label, busy, activate) = if user.is_active {
                                    (format!("Deactivate {}", user.full_name), "Deactivating…", false)
                                } else {
                                    (format!("Reactivate {}", user.full_name), "Reactivating…", true)
                                };
                                view! {
                                    <ServerForm action=SetUserActive::url() submit_label=label busy_label=busy danger=!activate inline=true>
                                        <input type="hidden" name="user_id" value=user.id.to_string()/>
                                        <input type="hidden" name="active" value=activate.to_string()/>
                                    </ServerForm>
                                }
                            });
                            view! {
                                <tr class:inactive=!user.is_active>
                                    <td>{user.full_name.clone()}</td>
                                    <td>{user.email}</td>
                                    <td>{role_cell}</td>
                                    <td>{if user.is_active { "Active" } else { "Deactivated" }}</td>
                                    <td>{format_optional(&user.last_sign_in_at)}</td>
                                    <td>{action_cell}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let error = error_from_query(AcceptInvite::PATH);
    let invite = crate::ui::load::once(lookup_invite(token.clone()));
    view! {
        <Title text="Accept invitation"/>
        <main class="standalone narrow">
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    let error = error.clone();
                    let invite = invite.clone();
                    Suspend::new(async move {
                        match invite.await {
                            Ok(Some(invite)) if invite.account_elsewhere => view! {
                                <h1>{format!("Join {} on ARE", invite.org_name)}</h1>
                                <p class="notice notice-warning" role="status">{invite.account_elsewhere_message()}</p>
                                <p><a href="/login">"Go to sign-in"</a></p>
                            }.into_any(),
                            Ok(Some(invite)) => view! {
                                <h1>{format!("Join {} on ARE", invite.org_name)}</h1>
                                <p>{format!("Welcome, {}. You are invited as {} with the address {}. Choose a password to finish.", invite.full_name, invite.role.label().to_lowercase(), invite.email)}</p>
                                <ServerForm action=AcceptInvite::url() submit_label="Create my account" busy_label="Creating…" error=error>
                                    <input type="hidden" name="token" value=token/>
                                    <Field name="password" label="Password" kind="password" required=true minlength=12 autocomplete="new-password" hint="At least 12 characters."/>
                                    <Field name="confirm_password" label="Repeat the password" kind="password" required=true minlength=12 autocomplete="new-password" must_match="password"/>
                                </ServerForm>
                            }.into_any(),
                            Ok(None) => {
                                crate::ui::errors::set_status(404);
                                view! {
                                    <h1>"This invitation is not valid"</h1>
                                    <p>"The link was already used, has expired, or was withdrawn. Ask your organization's admin to send a new invitation."</p>
                                    <p><a href="/login">"Go to sign-in"</a></p>
                                }.into_any()
                            }
                            Err(error) => view! { <h1>"Something went wrong"</h1> {error_view(error)} }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}
