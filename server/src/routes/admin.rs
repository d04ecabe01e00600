//! Agency admins: find people (to appoint, to help back in, to suspend), read
//! the whole audit trail.

use crate::{
    AppState,
    auth::Admin,
    db::{self, recovery::AccountMail},
    error::AppResult,
    extract::{ApiPath, ApiQuery, Valid},
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use moim_core::{
    ApiError, AuditId, ConflictCode, ConsortiumId, UserId,
    account::{Cursor, Suspend, UserSearch, UserSummary},
    consortium::{AuditAction, AuditEntry},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_users))
        .routes(routes!(audit_trail))
        .routes(routes!(suspend))
        .routes(routes!(reactivate))
        .routes(routes!(send_reset_link))
        .routes(routes!(reset_second_factor))
        .routes(routes!(make_representative))
}

/// Makes a person the representative of their organisation, when the one
/// before is gone (a hand-over needs them); the person is confirmed in it from
/// then on, and the audit trail names the admin.
#[utoipa::path(post, path = "/api/admin/users/{id}/representative", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn make_representative(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    let org = moim_core::OrgId(user.org_id);
    if user.suspended_at.is_some()
        || db::orgs::find(&state.db, org).await?.representative_id == Some(user.id)
    {
        return Err(ApiError::state(ConflictCode::AlreadyDecided).into());
    }
    db::orgs::make_representative(
        &state.db,
        org,
        UserId(user.id),
        false,
        admin.id(),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How long a reset link an admin sends stays good: the person did not ask for
/// it and may read their mail later in the day.
const ADMIN_RESET_HOURS: i64 = 24;

/// The account `id`, or 404.
/// An account an admin acts on; a closed one is gone (404).
async fn account(state: &AppState, id: UserId) -> AppResult<db::users::UserRow> {
    let user = db::users::find(&state.db, id).await?;
    if user.closed_at.is_some() {
        return Err(crate::error::DbError::NotFound.into());
    }
    Ok(user)
}

/// Suspends an account: its sessions end at once, and signing in answers 403
/// with the reason. Admins cannot suspend themselves. Suspending a suspended
/// account changes nothing.
#[utoipa::path(post, path = "/api/admin/users/{id}/suspend", tag = "admin", request_body = Suspend,
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn suspend(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<Suspend>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    if user.id == admin.user.id {
        return Err(ApiError::Forbidden.into());
    }
    let reason = req.reason.trim();
    db::users::set_suspended(
        &state.db,
        UserId(user.id),
        Some(reason),
        admin.id(),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lets a suspended account sign in again.
#[utoipa::path(post, path = "/api/admin/users/{id}/reactivate", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn reactivate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    db::users::set_suspended(&state.db, UserId(user.id), None, admin.id(), Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mails a person a link to set a new password (good for a day), as if they had
/// asked; the audit trail says which admin sent it.
#[utoipa::path(post, path = "/api/admin/users/{id}/reset-link", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 202), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn send_reset_link(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    db::recovery::queue(
        &mut tx,
        Some(UserId(user.id)),
        AccountMail::Reset,
        None,
        now,
        Some(now + chrono::Duration::hours(ADMIN_RESET_HOURS)),
    )
    .await?;
    let subject = db::audit::Subject {
        user: Some(UserId(user.id)),
        ..Default::default()
    };
    db::audit::record(
        &mut tx,
        Some(admin.id()),
        AuditAction::PasswordResetSent,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// Removes a person's second factor, for someone who lost both their phone and
/// their recovery codes (the admin having made sure who asks): they sign in
/// with the password alone, and are mailed that it happened; the audit trail
/// says which admin did it. An admin's own is turned off on their security
/// page, not here (403); a person without one: `409 second_factor_off`.
#[utoipa::path(post, path = "/api/admin/users/{id}/second-factor/reset", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn reset_second_factor(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    if user.id == admin.user.id {
        return Err(ApiError::Forbidden.into());
    }
    let (user, now) = (UserId(user.id), Utc::now());
    let mut tx = state.db.begin().await?;
    if !db::factors::remove(&mut tx, user).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
    }
    db::recovery::queue(
        &mut tx,
        Some(user),
        AccountMail::SecondFactorOff,
        None,
        now,
        None,
    )
    .await?;
    let subject = db::audit::Subject {
        user: Some(user),
        ..Default::default()
    };
    let action = AuditAction::SecondFactorReset;
    db::audit::record(&mut tx, Some(admin.id()), action, subject, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// People whose name or email contains `q` (at most 20).
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(UserSearch),
    responses((status = 200, body = Vec<UserSummary>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn search_users(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<UserSearch>,
) -> AppResult<Json<Vec<UserSummary>>> {
    Ok(Json(db::users::search(&state.db, &q.q, 20).await?))
}

/// The audit trail of everything, or of one consortium, newest first.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", params(Cursor),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn audit_trail(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(c): ApiQuery<Cursor>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        db::audit::list(
            &state.db,
            c.consortium.map(ConsortiumId),
            c.before.map(AuditId),
            50,
        )
        .await?,
    ))
}
