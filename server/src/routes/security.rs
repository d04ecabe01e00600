//! The signed-in person's own security: the address (verifying it, moving to a
//! new one), changing the password, the second factor (an authenticator app and
//! its recovery codes), and the list of browsers signed in to the account, each
//! of which they can sign out.

use crate::{
    AppState,
    auth::{self, CurrentUser},
    db::{self, recovery::AccountMail},
    error::{AppError, AppResult},
    extract::{ApiPath, Valid},
    factor,
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
    second_factor::{
        CloseAccount, ConfirmPassword, RecoveryCodes, SecondFactorStatus, TotpCode, TotpSetup,
    },
    validate::normalize_email,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resend_verification))
        .routes(routes!(change_email))
        .routes(routes!(change_password))
        .routes(routes!(second_factor))
        .routes(routes!(start_totp))
        .routes(routes!(confirm_totp, remove_totp))
        .routes(routes!(renew_recovery_codes))
        .routes(routes!(sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_other_sessions))
        .routes(routes!(close_account))
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
    check_password(&state, &user, req.password, "password").await?;
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
    check_password(&state, &user, req.current, "current").await?;
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

/// Checks the account's password, asked for again before a change to the
/// account (a borrowed, unlocked browser is not enough): guesses are throttled
/// like sign-ins, and a wrong one is `422 <field> wrong_password`.
async fn check_password(
    state: &AppState,
    user: &CurrentUser,
    password: String,
    field: &str,
) -> AppResult<()> {
    let key = format!("password:{}", user.user.id);
    let limits = [(key.as_str(), state.config.throttle_per_account)];
    let attempt = count_attempt(state, &limits, Utc::now()).await?;
    let hash = Some(user.user.password_hash.clone());
    if !auth::verify_password(password, hash).await? {
        // The attempt stays counted: it was a wrong guess.
        return Err(ApiError::invalid(field, ErrorCode::WrongPassword).into());
    }
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    Ok(())
}

/// Whether one's account asks for a second factor, and how many recovery codes
/// are left.
#[utoipa::path(get, path = "/api/me/second-factor", tag = "me",
    responses((status = 200, body = SecondFactorStatus), (status = 401, body = ApiError)))]
async fn second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<SecondFactorStatus>> {
    let totp = db::factors::totp(&state.db, user.id()).await?;
    Ok(Json(SecondFactorStatus {
        totp_since: totp.and_then(|t| t.confirmed_at),
        recovery_codes_left: db::factors::recovery_codes_left(&state.db, user.id()).await?,
    }))
}

/// Starts adding an authenticator app (the password asked for): a new secret,
/// as a QR code and as text. Nothing changes at sign-in until a code from the
/// app confirms it; starting again replaces an unfinished setup. `409
/// second_factor_on` when an app is in use already.
#[utoipa::path(post, path = "/api/me/totp/setup", tag = "me", request_body = ConfirmPassword,
    responses((status = 200, body = TotpSetup), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn start_totp(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ConfirmPassword>,
) -> AppResult<Json<TotpSetup>> {
    // Whoever signed up with somebody else's address must not lock its owner
    // out of the account they would get back with a reset.
    if user.user.email_verified_at.is_none() {
        return Err(ApiError::EmailUnverified.into());
    }
    check_password(&state, &user, req.password, "password").await?;
    let secret = factor::new_secret();
    if !db::factors::start_totp(&state.db, user.id(), &secret, Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOn).into());
    }
    Ok(Json(factor::setup(&secret, &user.user.email)?))
}

/// Confirms the app with a code from it: from now on signing in asks for a
/// code, ten recovery codes are made (and shown this once), and a notice goes
/// to the person's address. Wrong codes are throttled like sign-ins.
#[utoipa::path(post, path = "/api/me/totp", tag = "me", request_body = TotpCode,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn confirm_totp(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<TotpCode>,
) -> AppResult<Json<RecoveryCodes>> {
    let now = Utc::now();
    let setup = match db::factors::totp(&state.db, user.id()).await? {
        Some(t) if t.confirmed_at.is_some() => {
            return Err(ApiError::state(ConflictCode::SecondFactorOn).into());
        }
        Some(t) => t,
        None => return Err(ApiError::state(ConflictCode::SecondFactorOff).into()),
    };
    let key = format!("second:{}", user.user.id);
    let limits = [(key.as_str(), state.config.throttle_per_account)];
    let attempt = count_attempt(&state, &limits, now).await?;
    let wrong = || AppError::from(ApiError::invalid("code", ErrorCode::WrongCode));
    let step = factor::step_of(&setup.secret, &req.code, now)?.ok_or_else(wrong)?;
    let (codes, hashes) = factor::new_recovery_codes();
    let mut tx = state.db.begin().await?;
    let secret = Some(setup.secret.as_str());
    if !db::factors::accept_step(&mut tx, user.id(), step, secret, now).await? {
        return Err(wrong());
    }
    db::factors::replace_recovery_codes(&mut tx, user.id(), &hashes, now).await?;
    let mail = AccountMail::SecondFactorOn;
    db::recovery::queue(&mut tx, Some(user.id()), mail, None, now, None).await?;
    tx.commit().await?;
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    Ok(Json(RecoveryCodes { codes }))
}

/// Turns the second factor off (the password asked for): the app and the
/// recovery codes are forgotten, and a notice goes to the person's address.
#[utoipa::path(delete, path = "/api/me/totp", tag = "me", request_body = ConfirmPassword,
    responses((status = 204), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn remove_totp(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ConfirmPassword>,
) -> AppResult<StatusCode> {
    check_password(&state, &user, req.password, "password").await?;
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    if !db::factors::remove(&mut tx, user.id()).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
    }
    let mail = AccountMail::SecondFactorOff;
    db::recovery::queue(&mut tx, Some(user.id()), mail, None, now, None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ten new recovery codes (the password asked for); the old ones stop working.
#[utoipa::path(post, path = "/api/me/recovery-codes", tag = "me", request_body = ConfirmPassword,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn renew_recovery_codes(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ConfirmPassword>,
) -> AppResult<Json<RecoveryCodes>> {
    check_password(&state, &user, req.password, "password").await?;
    if !db::factors::in_use(&state.db, user.id()).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
    }
    let (codes, hashes) = factor::new_recovery_codes();
    let mut tx = state.db.begin().await?;
    db::factors::replace_recovery_codes(&mut tx, user.id(), &hashes, Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(RecoveryCodes { codes }))
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

/// 회원 탈퇴: closes one's account, with the password and, when the account has
/// a second factor, a code from the app or a recovery code (`422 code required`
/// without one). Their personal data is erased and what they wrote for others
/// stays under "탈퇴한 회원" (`db::leaving`); places at activities still to come
/// are given up (the waiting list moves up). A representative with colleagues
/// hands the role over first (`409 handover_first`); as the last person of the
/// organisation they close it too. The only admin cannot leave (`409
/// last_admin`). Guesses of the password and the code are throttled as on the
/// other pages of the account. The browser's session ends with the account.
#[utoipa::path(post, path = "/api/me/close", tag = "me", request_body = CloseAccount,
    responses((status = 204), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn close_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<CloseAccount>,
) -> AppResult<Response> {
    check_password(&state, &user, req.password, "password").await?;
    let now = Utc::now();
    let app = db::factors::totp(&state.db, user.id())
        .await?
        .filter(|t| t.confirmed_at.is_some());
    let code = req.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let mut attempt = None;
    if app.is_some() {
        if code.is_none() {
            return Err(ApiError::invalid("code", ErrorCode::Required).into());
        }
        // Counted like the second step of a sign-in (before the transaction:
        // the count has a transaction of its own).
        let key = format!("second:{}", user.user.id);
        let limits = [(key.as_str(), state.config.throttle_per_account)];
        attempt = Some(count_attempt(&state, &limits, now).await?);
    }
    let unusable = auth::hash_password(auth::random_token()).await?;
    let mut tx = state.db.begin().await?;
    if let (Some(app), Some(code)) = (&app, code)
        && !factor::use_code(&mut tx, user.id(), &app.secret, code, now).await?
    {
        return Err(ApiError::invalid("code", ErrorCode::WrongCode).into());
    }
    let closed = match db::leaving::close(&mut tx, user.id(), &unusable, now).await {
        Ok(closed) => closed,
        Err(db::leaving::Refusal::Conflict(code)) => return Err(ApiError::state(code).into()),
        Err(db::leaving::Refusal::Db(e)) => return Err(e.into()),
    };
    tx.commit().await?;
    if let Some(attempt) = attempt {
        db::sessions::forget_attempt(&state.db, &attempt).await?;
    }
    // The account is closed: a place given up late is the only loss if this
    // fails, so it is logged, not answered.
    for activity in closed.upcoming {
        if let Err(e) = db::activities::unregister(&state.db, activity, user.id(), now).await {
            tracing::warn!("giving up a closed account's place at activity {activity:?}: {e:?}");
        }
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie())],
    )
        .into_response())
}
