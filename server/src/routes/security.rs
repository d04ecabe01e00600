//! The signed-in person's own security: the address (verifying it, moving to a
//! new one), changing the password, and the list of browsers signed in to the
//! account, each of which they can sign out.

use crate::{
    AppState,
    auth::{self, CurrentUser},
    db::{self, recovery::AccountMail},
    error::AppResult,
    extract::{ApiPath, Valid},
    routes::auth::count_attempt,
};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use moim_core::{
    ApiError, ConflictCode, ErrorCode,
    account::{ChangeEmail, ChangePassword, SessionView, VERIFY_LINK_HOURS, browser_label},
    validate::normalize_email,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resend_verification))
        .routes(routes!(change_email))
        .routes(routes!(change_password))
        .routes(routes!(sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_other_sessions))
}

/// Verification mails one account may ask for in the throttle's window.
const VERIFY_MAILS: i64 = 3;

/// Mails the link that verifies one's address again (the first may be lost, or
/// expired). Throttled per account, with `Retry-After`.
#[utoipa::path(post, path = "/api/me/verify-email", tag = "me",
    responses((status = 202), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 429, body = ApiError)))]
async fn resend_verification(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    if user.user.email_verified_at.is_some() {
        return Err(ApiError::state(ConflictCode::AlreadyVerified).into());
    }
    let now = Utc::now();
    let key = format!("verify:{}", user.user.id);
    count_attempt(&state, &[(key.as_str(), VERIFY_MAILS)], now).await?;
    let mut tx = state.db.begin().await?;
    let expires = now + chrono::Duration::hours(VERIFY_LINK_HOURS);
    db::recovery::queue(
        &mut tx,
        Some(user.id()),
        AccountMail::Verify,
        None,
        now,
        Some(expires),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// Moves one's account to a new address: the password is asked for (guesses
/// throttled like sign-ins), and a link that verifies the new address is mailed
/// to it; the account moves when it is opened, and the old address is told. The
/// answer is the same 202 when the new address has an account of its own (whose
/// owner is mailed instead): nobody learns which addresses are registered.
#[utoipa::path(post, path = "/api/me/email", tag = "me", request_body = ChangeEmail,
    responses((status = 202), (status = 401, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn change_email(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ChangeEmail>,
) -> AppResult<StatusCode> {
    let now = Utc::now();
    let key = format!("password:{}", user.user.id);
    let limits = [(key.as_str(), state.config.throttle_per_account)];
    let attempt = count_attempt(&state, &limits, now).await?;
    let hash = Some(user.user.password_hash.clone());
    if !auth::verify_password(req.password, hash).await? {
        return Err(ApiError::invalid("password", ErrorCode::WrongPassword).into());
    }
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    let email = normalize_email(&req.email);
    if email == user.user.email {
        return Err(ApiError::invalid("email", ErrorCode::InvalidChoice).into());
    }
    // Mails of this kind count like verification mails.
    let mails = format!("verify:{}", user.user.id);
    count_attempt(&state, &[(mails.as_str(), VERIFY_MAILS)], now).await?;
    let owner = db::users::find_by_email(&state.db, &email).await?;
    let mut tx = state.db.begin().await?;
    match owner {
        Some(other) => {
            let other = moim_core::UserId(other.id);
            db::recovery::queue(
                &mut tx,
                Some(other),
                AccountMail::AlreadyRegistered,
                None,
                now,
                None,
            )
            .await?;
        }
        None => {
            let expires = now + chrono::Duration::hours(VERIFY_LINK_HOURS);
            db::recovery::queue(
                &mut tx,
                Some(user.id()),
                AccountMail::EmailChange,
                Some(&email),
                now,
                Some(expires),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// Changes one's password: the current one is asked for (a borrowed, unlocked
/// browser is not enough), and guesses at it are throttled like sign-ins. Every
/// other session of the account ends, this one stays; open reset links die; a
/// notice goes to the person's address.
#[utoipa::path(post, path = "/api/me/password", tag = "me", request_body = ChangePassword,
    responses((status = 204), (status = 401, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ChangePassword>,
) -> AppResult<StatusCode> {
    let key = format!("password:{}", user.user.id);
    let limits = [(key.as_str(), state.config.throttle_per_account)];
    let attempt = count_attempt(&state, &limits, Utc::now()).await?;
    let hash = Some(user.user.password_hash.clone());
    if !auth::verify_password(req.current, hash).await? {
        // The attempt stays counted: it was a wrong guess.
        return Err(ApiError::invalid("current", ErrorCode::WrongPassword).into());
    }
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    let context = vec![user.user.email.clone(), user.user.name.clone()];
    auth::refuse_weak(&req.password, context).await?;
    let password_hash = auth::hash_password(req.password).await?;
    db::recovery::change(
        &state.db,
        user.id(),
        &password_hash,
        &user.token_hash,
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The browsers signed in to one's account, the most recently used first.
#[utoipa::path(get, path = "/api/me/sessions", tag = "me",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = ApiError)))]
async fn sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<SessionView>>> {
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.config.session_idle).unwrap_or_default();
    let rows = db::sessions::list(&state.db, user.id(), now, now - idle).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| SessionView {
                current: s.token_hash == user.token_hash,
                id: s.public_id,
                browser: browser_label(s.user_agent.as_deref().unwrap_or_default()),
                address: s.address.filter(|a| !a.is_empty() && a != "unknown"),
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
            .collect(),
    ))
}

/// Signs one of one's browsers out. Ending the session of this very request
/// signs out here too (its cookie is cleared).
#[utoipa::path(delete, path = "/api/me/sessions/{id}", tag = "me",
    params(("id" = String, Path, description = "The session's public id")),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    if !db::sessions::end(&state.db, user.id(), &id).await? {
        return Err(ApiError::NotFound.into());
    }
    let this_one = user.session.public_id.as_deref() == Some(id.as_str());
    Ok(if this_one {
        (
            StatusCode::NO_CONTENT,
            [(header::SET_COOKIE, auth::clear_cookie())],
        )
            .into_response()
    } else {
        StatusCode::NO_CONTENT.into_response()
    })
}

/// Signs out every browser of the account but this one.
#[utoipa::path(post, path = "/api/me/sessions/end-others", tag = "me",
    responses((status = 204), (status = 401, body = ApiError)))]
async fn end_other_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    db::sessions::end_others(&state.db, user.id(), &user.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
