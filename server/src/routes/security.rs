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
    passkey::{self, Uuid},
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
        CloseAccount, ConfirmPassword, NewPasskey, PasskeyAdded, PasskeyChallenge, PasskeyView,
        RecoveryCodes, SecondFactorStatus, TotpCode, TotpSetup,
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
        .routes(routes!(start_passkey))
        .routes(routes!(add_passkey))
        .routes(routes!(remove_passkey))
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
    let passkeys = db::passkeys::list(&state.db, user.id()).await?;
    Ok(Json(SecondFactorStatus {
        totp_since: totp.and_then(|t| t.confirmed_at),
        recovery_codes_left: db::factors::recovery_codes_left(&state.db, user.id()).await?,
        passkeys: passkeys.iter().map(passkey::view).collect(),
    }))
}

/// Starts adding a passkey (the password asked for): the options for the
/// browser's `navigator.credentials.create()`, for a passkey the device keeps
/// (it signs in without the password too) with the person's verification
/// (fingerprint, face, screen lock). Authenticators holding one of the
/// account's passkeys already are excluded. `409 passkeys_unavailable` when
/// the portal's public address is not a domain name.
#[utoipa::path(post, path = "/api/me/passkeys/options", tag = "me", request_body = ConfirmPassword,
    responses((status = 200, body = PasskeyChallenge), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn start_passkey(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ConfirmPassword>,
) -> AppResult<Json<PasskeyChallenge>> {
    if user.user.email_verified_at.is_none() {
        return Err(ApiError::EmailUnverified.into());
    }
    let rp = passkey::relying_party(&state)?;
    check_password(&state, &user, req.password, "password").await?;
    let existing = db::passkeys::list(&state.db, user.id()).await?;
    // One id per account on every authenticator (a random one: it says
    // nothing about the person).
    let handle = match existing.first() {
        Some(row) => Uuid::parse_str(&row.user_handle)
            .map_err(|e| AppError::Internal(format!("a stored passkey handle: {e}")))?,
        None => Uuid::new_v4(),
    };
    let exclude = existing
        .iter()
        .map(|row| passkey::stored(row).map(|k| k.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut options, registration) = rp
        .start_passkey_registration(handle, &user.user.email, &user.user.name, Some(exclude))
        .map_err(|e| AppError::Internal(format!("passkey registration: {e:?}")))?;
    passkey::discoverable(&mut options);
    let ceremony = passkey::Registration {
        handle: handle.to_string(),
        state: registration,
    };
    let purpose = db::passkeys::Purpose::Register;
    let now = Utc::now();
    let challenge = passkey::open_ceremony(
        &state,
        purpose,
        Some(user.id()),
        None,
        &ceremony,
        options,
        now,
    )
    .await?;
    Ok(Json(challenge))
}

/// Adds the passkey the browser made for a ceremony started here: the
/// authenticator's answer is checked (`422 credential wrong_code` when it is
/// not right; the ceremony is used up either way). The account's first second
/// factor comes with ten recovery codes (shown this once); a notice goes to
/// the person's address. `409 second_factor_on` when the passkey is registered
/// already.
#[utoipa::path(post, path = "/api/me/passkeys", tag = "me", request_body = NewPasskey,
    responses((status = 201, body = PasskeyAdded), (status = 401, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn add_passkey(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<NewPasskey>,
) -> AppResult<(StatusCode, Json<PasskeyAdded>)> {
    let rp = passkey::relying_party(&state)?;
    let now = Utc::now();
    let purpose = db::passkeys::Purpose::Register;
    let (row, ceremony): (_, passkey::Registration) =
        passkey::take_ceremony(&state, &req.ceremony, purpose, now).await?;
    if row.user_id != Some(user.user.id) {
        return Err(ApiError::invalid("ceremony", ErrorCode::InvalidLink).into());
    }
    let answer = passkey::answer(req.credential)?;
    let key = rp
        .finish_passkey_registration(&answer, &ceremony.state)
        .map_err(|_| passkey::refused())?;
    let stored =
        serde_json::to_string(&key).map_err(|e| AppError::Internal(format!("passkey: {e}")))?;
    let name = req.name.trim();
    let mut tx = state.db.begin().await?;
    db::factors::lock(&mut tx, user.id()).await?;
    let first = !db::factors::in_use_in(&mut tx, user.id()).await?;
    let new = db::passkeys::NewPasskey {
        user: user.id(),
        credential_id: &passkey::credential_key(key.cred_id().as_ref()),
        user_handle: &ceremony.handle,
        name,
        passkey: &stored,
        now,
    };
    let Some(id) = db::passkeys::insert(&mut tx, &new).await? else {
        return Err(ApiError::state(ConflictCode::SecondFactorOn).into());
    };
    let mut recovery_codes = Vec::new();
    if first {
        let (codes, hashes) = factor::new_recovery_codes();
        db::factors::replace_recovery_codes(&mut tx, user.id(), &hashes, now).await?;
        recovery_codes = codes;
    }
    let mail = AccountMail::PasskeyAdded;
    db::recovery::queue(&mut tx, Some(user.id()), mail, None, now, None).await?;
    tx.commit().await?;
    let passkey = PasskeyView {
        id,
        name: name.to_owned(),
        created_at: now,
        last_used_at: None,
    };
    Ok((
        StatusCode::CREATED,
        Json(PasskeyAdded {
            passkey,
            recovery_codes,
        }),
    ))
}

/// Removes one of one's passkeys (the password asked for); a notice goes to
/// the person's address. When it was the last second factor, the recovery
/// codes go with it. `404` when the account has no such passkey.
#[utoipa::path(delete, path = "/api/me/passkeys/{id}", tag = "me", request_body = ConfirmPassword,
    params(("id" = i64, Path, description = "The passkey")),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn remove_passkey(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<ConfirmPassword>,
) -> AppResult<StatusCode> {
    check_password(&state, &user, req.password, "password").await?;
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    db::factors::lock(&mut tx, user.id()).await?;
    if !db::passkeys::remove(&mut tx, user.id(), id).await? {
        return Err(ApiError::NotFound.into());
    }
    db::factors::forget_recovery_codes_if_unused(&mut tx, user.id()).await?;
    let mail = AccountMail::PasskeyRemoved;
    db::recovery::queue(&mut tx, Some(user.id()), mail, None, now, None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
    db::factors::lock(&mut tx, user.id()).await?;
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
    db::factors::lock(&mut tx, user.id()).await?;
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
    let (codes, hashes) = factor::new_recovery_codes();
    let mut tx = state.db.begin().await?;
    db::factors::lock(&mut tx, user.id()).await?;
    if !db::factors::in_use_in(&mut tx, user.id()).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
    }
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
    // With passkeys only, a recovery code stands in for the second factor.
    let factor_in_use = db::factors::in_use(&state.db, user.id()).await?;
    let code = req.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let mut attempt = None;
    if factor_in_use {
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
    let secret = app.as_ref().map(|a| a.secret.as_str());
    if let Some(code) = code.filter(|_| factor_in_use)
        && !factor::use_code(&mut tx, user.id(), secret, code, now).await?
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
