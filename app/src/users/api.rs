//! Server functions of user administration and of accepting an invitation.

use leptos::prelude::*;
use uuid::Uuid;

use super::{InviteInfo, Team};
use crate::error::AppError;

/// The organization's users and open invitations (admins only).
#[server(prefix = "/api", endpoint = "users/team")]
pub async fn load_team() -> Result<Team, AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;

    let admin = require_role(&[Role::Admin]).await?;
    let pool = crate::state::pool()?;
    Ok(Team {
        viewer_id: admin.id,
        users: super::data::list_users(&pool, admin.org_id).await?,
        pending_invites: super::data::pending_invites(&pool, admin.org_id).await?,
        seats: super::data::seats(&pool, admin.org_id).await?,
    })
}

/// Invites a person by email to join the organization with a role. The answer is the
/// same whatever other organizations know of the address (their invitations, an account).
#[server(prefix = "/api", endpoint = "users/invite")]
pub async fn invite_user(email: String, full_name: String, role: String) -> Result<(), AppError> {
    use super::invite::{invite, Invitation};
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::NewAuditEntry;
    use crate::email::EmailAddress;

    let admin = require_role(&[Role::Admin]).await?;
    let email = EmailAddress::parse(&email)?;
    let full_name = super::parse_full_name(&full_name)?;
    let role = super::parse_role(&role)?;
    let state = crate::state::state()?;

    let mut tx = state.pool.begin().await?;
    invite(
        &mut tx,
        Invitation {
            org_id: admin.org_id,
            org_name: &admin.org_name,
            email: &email,
            full_name: &full_name,
            role,
            inviter: Some((admin.id, &admin.full_name)),
            public_url: &state.settings.public_url,
            audit: NewAuditEntry::by(&admin, "user.invited"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "users/revoke_invite")]
pub async fn revoke_invite(invite_id: Uuid) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    let mut tx = crate::state::pool()?.begin().await?;
    if !super::data::revoke_invite(&mut *tx, admin.org_id, invite_id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut *tx,
        NewAuditEntry::by(&admin, "user.invite_revoked").target("user_invite", invite_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "users/change_role")]
pub async fn change_role(user_id: Uuid, role: String) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    let role = super::parse_role(&role)?;
    if user_id == admin.id {
        return Err(AppError::invalid(
            "You cannot change your own role; ask another admin, so the organization always keeps one.",
        ));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    let previous = super::data::set_role(&mut tx, admin.org_id, user_id, role)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = NewAuditEntry::by(&admin, "user.role_changed")
        .target("user", user_id)
        .details(serde_json::json!({ "from": previous, "to": role.as_str() }));
    record(&mut *tx, entry).await?;
    // A new admin of an organization that requires two steps of its admins signs in
    // again, through the setup, unless they have one.
    crate::auth::totp::sign_out_admins_without_second_step(&mut tx, admin.org_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (ending every session at once) or reactivates a user (when a seat is
/// free).
#[server(prefix = "/api", endpoint = "users/set_active")]
pub async fn set_user_active(user_id: Uuid, active: bool) -> Result<(), AppError> {
    use crate::access::guard::require_role;
    use crate::access::Role;
    use crate::audit::data::{record, NewAuditEntry};

    let admin = require_role(&[Role::Admin]).await?;
    if user_id == admin.id && !active {
        return Err(AppError::invalid("You cannot deactivate your own account."));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    if active {
        // A deactivated account takes a seat again: under the organization's lock, like
        // an invitation.
        let seats = super::data::lock_seats(&mut tx, admin.org_id).await?;
        if super::data::is_deactivated(&mut tx, admin.org_id, user_id).await? {
            seats.check_room()?;
        }
    }
    if !super::data::set_active(&mut *tx, admin.org_id, user_id, active).await? {
        return Err(AppError::NotFound);
    }
    let action = if active {
        "user.reactivated"
    } else {
        "user.deactivated"
    };
    record(
        &mut *tx,
        NewAuditEntry::by(&admin, action).target("user", user_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an invitation link is for, or nothing when the link is not usable.
#[server(prefix = "/api", endpoint = "users/invite_info")]
pub async fn lookup_invite(token: String) -> Result<Option<InviteInfo>, AppError> {
    let pool = crate::state::pool()?;
    let mut conn = pool.acquire().await?;
    let invite =
        super::data::open_invite_by_digest(&mut conn, &crate::tokens::digest(&token), false)
            .await?;
    Ok(invite.map(|invite| invite.info()))
}

/// Accepts an invitation: creates the account with the chosen password and signs in.
#[server(prefix = "/api", endpoint = "users/accept_invite")]
pub async fn accept_invite(
    token: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::data::{self, NewUser};
    use crate::access::guard;
    use crate::audit::data::{record, NewAuditEntry};
    use crate::auth::password::NewPassword;

    let expired = || {
        AppError::invalid(
            "This invitation link is no longer valid. Ask your admin to send a new one.",
        )
    };
    let state = crate::state::state()?;
    let password = NewPassword::parse(&password, &confirm_password, &[])?;
    let digest = crate::tokens::digest(&token);
    // An address is one account's: with an account in another organization, the
    // invitation stays open and the invitee is told what to do (nothing is changed).
    let usable = |invite: &data::OpenInvite| {
        let info = invite.info();
        if info.account_elsewhere {
            return Err(AppError::invalid(info.account_elsewhere_message()));
        }
        Ok(info)
    };
    // Check before spending the time to hash.
    {
        let mut conn = state.pool.acquire().await?;
        let invite = data::open_invite_by_digest(&mut conn, &digest, false)
            .await?
            .ok_or_else(expired)?;
        usable(&invite)?;
    }
    let hash = crate::auth::config()?.hasher.hash(&password).await?;

    let mut tx = state.pool.begin().await?;
    let invite = data::open_invite_by_digest(&mut tx, &digest, true)
        .await?
        .ok_or_else(expired)?;
    let info = usable(&invite)?;
    let user_id = data::insert_user(
        &mut *tx,
        NewUser {
            org_id: invite.org_id,
            email: &invite.email,
            full_name: &invite.full_name,
            role: info.role,
            password_hash: &hash,
        },
    )
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::invalid("This email address already has an account. Sign in instead.")
        }
        _ => error.into(),
    })?;
    data::mark_invite_accepted(&mut tx, invite.id).await?;
    let entry = NewAuditEntry {
        org_id: Some(invite.org_id),
        actor_id: Some(user_id),
        actor_email: Some(invite.email.clone()),
        ..NewAuditEntry::anonymous("user.invite_accepted")
    };
    record(&mut *tx, entry.target("user", user_id)).await?;
    tx.commit().await?;

    let session = guard::session()?;
    let needs_two_steps = info.role == crate::access::Role::Admin
        && crate::auth::totp::admins_need_two_steps(&state.pool, invite.org_id).await?;
    if needs_two_steps {
        // The organization requires two steps of its admins: the app is set up before
        // the first session opens.
        use crate::auth::two_step::{await_second_step, SigningIn, SECOND_STEP_PATH};
        let signing_in = SigningIn {
            user_id,
            org_id: invite.org_id,
            email: invite.email.clone(),
            epoch: 0,
            next: "/".into(),
        };
        let secret = crate::auth::totp::new_secret();
        await_second_step(&session, signing_in, Some(secret)).await?;
        leptos_axum::redirect(SECOND_STEP_PATH);
        return Ok(());
    }
    guard::start_session(&session, user_id, 0).await?;
    leptos_axum::redirect("/");
    Ok(())
}
