//! Sign-up, sign-in, sign-out and the signed-in person.

use crate::{
    AppState,
    auth::{self, CurrentUser, MaybeUser},
    db::{
        self,
        recovery::AccountMail,
        users::{NewUser, OrgTarget},
    },
    error::{AppError, AppResult, DbError},
    extract::Valid,
    factor, passkey,
};
use axum::{
    Json,
    extract::{FromRequestParts, State},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{AppendHeaders, IntoResponse, Response},
};
use chrono::Utc;
use moim_core::{
    ApiError, ConflictCode, UserId,
    account::{
        CheckLink, ForgotPassword, LinkAccount, Me, OrgChoice, RESET_LINK_MINUTES, ResetPassword,
        Role, SignIn, SignUp, VERIFY_LINK_HOURS, Verified, VerifyEmail,
    },
    second_factor::{
        PasskeyChallenge, PasskeySignIn, PasskeySignInStart, SECOND_STEP_MINUTES, SecondFactor,
        SecondStep,
    },
    validate::{normalize_email, plain_business_number},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(signin))
        .routes(routes!(signin_second_step))
        .routes(routes!(passkey_options))
        .routes(routes!(passkey_signin))
        .routes(routes!(signout))
        .routes(routes!(me))
        .routes(routes!(session))
        .routes(routes!(forgot_password))
        .routes(routes!(check_reset_link))
        .routes(routes!(reset_password))
        .routes(routes!(verify_email))
}

/// The client's address, extracted for throttling.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(auth::client_address(state, parts)))
    }
}

/// The signed-in person's view, shared by sign-in, sign-up and `/api/auth/me`.
pub async fn me_view(state: &AppState, user_id: UserId, csrf: &str) -> AppResult<Me> {
    let user = db::users::find(&state.db, user_id).await?;
    let org = db::users::organisation(&state.db, &user).await?;
    let second_factor_required = auth::lacks_required_factor(state, &user).await?;
    let consent_required = auth::consent_outdated(&user);
    Ok(Me {
        affiliation: user.affiliation(),
        id: user_id,
        role: user.role(),
        email: user.email,
        name: user.name,
        department: user.department,
        is_expert: user.is_expert,
        organisation: org.into_view(),
        managed_consortia: db::users::managed_consortia(&state.db, user_id).await?,
        unread_notifications: db::notifications::unread(&state.db, user_id).await?,
        email_verified: user.email_verified_at.is_some(),
        second_factor_required,
        consent_required,
        csrf_token: csrf.to_owned(),
    })
}

fn throttle_window(state: &AppState) -> chrono::Duration {
    chrono::Duration::from_std(state.config.throttle_window).unwrap_or_default()
}

/// Counts an attempt under each of `limits` (a key, and how many attempts it may
/// have in the window, this one included), or answers 429 with the seconds until
/// the full key's oldest attempt leaves the window, counting nothing
/// (`db::sessions::attempt`: attempts sent at once are counted one after another).
pub(crate) async fn count_attempt(
    state: &AppState,
    limits: &[(&str, i64)],
    now: chrono::DateTime<Utc>,
) -> AppResult<Vec<(i64, String)>> {
    let window = throttle_window(state);
    match db::sessions::attempt(&state.db, limits, now, now - window).await? {
        Ok(rows) => Ok(rows),
        Err(oldest) => {
            let retry = (oldest + window - now).num_seconds().max(1);
            Err(ApiError::TooManyRequests {
                retry_after: u64::try_from(retry).unwrap_or(60),
            }
            .into())
        }
    }
}

/// The cookies of a new session (the session's and the browser's device token).
type SessionCookies = AppendHeaders<[(header::HeaderName, axum::http::HeaderValue); 2]>;

/// Starts a fresh session (a new token each sign-in: no session fixation), and
/// makes the browser a known device of the account: `device`, the token it holds
/// for this account (see [`known_device`]), is kept and seen again, else it gets
/// a new one. Returns the cookies to set and the signed-in person.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    addr: &str,
    user: UserId,
    device: Option<String>,
) -> AppResult<(SessionCookies, Me)> {
    let token = auth::random_token();
    let csrf = auth::random_token();
    let now = Utc::now();
    let absolute = chrono::Duration::from_std(state.config.session_absolute).unwrap_or_default();
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    db::sessions::create(
        &state.db,
        &db::sessions::NewSession {
            token_hash: &auth::token_hash(&token),
            public_id: &auth::random_token()[..32],
            user,
            csrf: &csrf,
            user_agent,
            address: addr,
            now,
            expires_at: now + absolute,
        },
    )
    .await?;
    let device = device.unwrap_or_else(auth::random_token);
    let device_age = i64::try_from(auth::DEVICE_MAX_AGE_SECS).unwrap_or(i64::MAX);
    db::sessions::remember_device(
        &state.db,
        &auth::token_hash(&device),
        user,
        now,
        now - chrono::Duration::seconds(device_age),
    )
    .await?;
    let me = me_view(state, user, &csrf).await?;
    let tls = auth::is_tls(state, headers);
    let cookie = auth::session_cookie(&token, state.config.session_absolute.as_secs(), tls);
    Ok((
        AppendHeaders([
            (header::SET_COOKIE, cookie),
            (header::SET_COOKIE, auth::device_cookie(user, &device, tls)),
        ]),
        me,
    ))
}

/// The device token (and its hash) this browser holds for `user`'s account, if
/// the account knows it.
async fn known_device(
    state: &AppState,
    headers: &HeaderMap,
    user: UserId,
) -> AppResult<Option<(String, String)>> {
    for token in auth::device_tokens(headers, user) {
        let hash = auth::token_hash(&token);
        if db::sessions::device_owner(&state.db, &hash).await? == Some(user) {
            return Ok(Some((token, hash)));
        }
    }
    Ok(None)
}

/// Creates an account (and its organisation when new) and mails a link that
/// verifies its address; the person signs in by opening it. The answer is the
/// same 202, after the same work, when the address has an account already: its
/// owner is mailed instead ("you already have an account"), so sign-up tells
/// nobody which addresses are registered.
#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignUp,
    responses((status = 202), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn signup(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    MaybeUser(current): MaybeUser,
    Valid(req): Valid<SignUp>,
) -> AppResult<StatusCode> {
    if let Some(current) = current {
        db::sessions::delete(&state.db, &current.token_hash).await?;
    }
    // Sign-ups count against the address's budget as sign-in failures do (it bounds
    // account farming): counted before the account is made, taken back if it is not.
    let key = format!("signup:{addr}");
    let limit = [(key.as_str(), state.config.throttle_per_address)];
    let attempt = count_attempt(&state, &limit, Utc::now()).await?;
    let made = register(&state, req, &addr).await;
    if made.is_err() {
        db::sessions::forget_attempt(&state.db, &attempt).await?;
    }
    made.map(|()| StatusCode::ACCEPTED)
}

/// A sign-up's account, unverified, with its verification mail queued; or, for
/// an address that has an account, that account's "already registered" mail
/// after the same checks and the same password hashing.
async fn register(state: &AppState, req: SignUp, addr: &str) -> AppResult<()> {
    let now = Utc::now();
    let email = normalize_email(&req.email);
    let existing = db::users::find_by_email(&state.db, &email).await?;
    let org = match &req.organisation {
        OrgChoice::Existing { id } => {
            db::orgs::find_open(&state.db, *id)
                .await
                .map_err(|e| match e {
                    DbError::NotFound => AppError::from(ApiError::invalid(
                        "organisation",
                        moim_core::ErrorCode::InvalidChoice,
                    )),
                    e => e.into(),
                })?;
            OrgTarget::Existing {
                id: *id,
                confirmed: false,
            }
        }
        OrgChoice::New(o) => {
            if let Some(digits) = o.business_no.as_deref().and_then(plain_business_number)
                && db::orgs::find_by_business_no(&state.db, &digits)
                    .await?
                    .is_some()
            {
                return Err(ApiError::conflict(
                    ConflictCode::BusinessNumberTaken,
                    "organisation.business_no",
                )
                .into());
            }
            // Checked here, for taken and new addresses alike (the insert's
            // foreign key would refuse it for a new one only, telling which).
            if let Some(complex) = o.complex_id
                && db::reference::complex_name(&state.db, complex)
                    .await?
                    .is_none()
            {
                return Err(ApiError::invalid(
                    "organisation.complex_id",
                    moim_core::ErrorCode::InvalidChoice,
                )
                .into());
            }
            OrgTarget::New(o)
        }
    };
    let mut context = vec![email.clone(), req.name.clone()];
    if let OrgChoice::New(o) = &req.organisation {
        context.push(o.name.clone());
    }
    auth::refuse_weak(&req.password, context).await?;
    let hash = auth::hash_password(req.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let owner = match existing {
        Some(u) => Some(UserId(u.id)),
        None => {
            let user = NewUser {
                email: &email,
                password_hash: &hash,
                name: &req.name,
                department: req.department.as_deref().filter(|d| !d.trim().is_empty()),
                is_expert: req.is_expert,
                role: Role::Member,
                is_sample: false,
                verified: false,
                consented: false,
            };
            // Two sign-ups racing for one email or business number: the unique index decides.
            match db::users::insert_in(&mut tx, &user, org, now).await {
                Ok((user_id, _)) => {
                    db::consents::record(&mut tx, user_id, &req.consents, Some(addr), now).await?;
                    let expires = now + chrono::Duration::hours(VERIFY_LINK_HOURS);
                    db::recovery::queue(
                        &mut tx,
                        Some(user_id),
                        AccountMail::Verify,
                        None,
                        now,
                        Some(expires),
                    )
                    .await?;
                    None
                }
                Err(DbError::Unique(v)) if v.of(&db::orgs::BUSINESS_NO) => {
                    return Err(ApiError::conflict(
                        ConflictCode::BusinessNumberTaken,
                        "organisation.business_no",
                    )
                    .into());
                }
                Err(DbError::Unique(v)) if v.of(&db::users::EMAIL) => {
                    // The address was registered meanwhile: as if it had been before.
                    drop(tx);
                    tx = state.db.begin().await?;
                    db::users::find_by_email(&state.db, &email)
                        .await?
                        .map(|u| UserId(u.id))
                }
                Err(DbError::ForeignKey(_)) => {
                    return Err(ApiError::invalid(
                        "organisation.complex_id",
                        moim_core::ErrorCode::InvalidChoice,
                    )
                    .into());
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    if let Some(owner) = owner {
        db::recovery::queue(
            &mut tx,
            Some(owner),
            AccountMail::AlreadyRegistered,
            None,
            now,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Signs in. Failures are throttled so that guessing is slow and nobody can lock a
/// person out of the browsers they use (OWASP's device cookies):
/// - a browser that signed in to this account before (its device cookie) has a
///   budget of its own, and nothing else counts against it;
/// - any other browser is held per account and address (the hard limit), per
///   account from everywhere (four times that) and per address (a firm's shared
///   NAT only meets it with failures of its own).
///
/// Every limit answers 429 with `Retry-After`. An account with a second factor
/// answers 202 with the ticket of the second step instead of signing in.
#[utoipa::path(post, path = "/api/auth/signin", tag = "auth", request_body = SignIn,
    responses((status = 200, body = Me), (status = 202, body = SecondStep), (status = 401, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn signin(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    headers: HeaderMap,
    MaybeUser(current): MaybeUser,
    Valid(req): Valid<SignIn>,
) -> AppResult<Response> {
    let email = normalize_email(&req.email);
    let now = Utc::now();
    let per_account = state.config.throttle_per_account;
    let user = db::users::find_by_email(&state.db, &email).await?;
    let device = match &user {
        Some(u) => known_device(&state, &headers, UserId(u.id)).await?,
        None => None,
    };
    // The keys this attempt counts under, each with its limit.
    let keys: Vec<(String, i64)> = match &device {
        Some((_, hash)) => vec![(format!("device:{hash}"), per_account)],
        None => vec![
            (db::sessions::pair_key(&email, &addr), per_account),
            (db::sessions::account_key(&email), per_account * 4),
            (format!("address:{addr}"), state.config.throttle_per_address),
        ],
    };
    // The attempt is counted before the password is checked, one attempt after
    // another: of many sent at once, no more than the limit get as far as argon2
    // (checking first and recording after the hash let a burst through). An
    // attempt turned away is not counted.
    let limits: Vec<(&str, i64)> = keys.iter().map(|(k, m)| (k.as_str(), *m)).collect();
    let attempt = count_attempt(&state, &limits, now).await?;
    let ok =
        auth::verify_password(req.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let Some(user) = user.filter(|_| ok) else {
        // The attempt stays counted: it was a failure.
        return Err(ApiError::InvalidCredentials.into());
    };
    // This attempt and the browser's own failures are forgotten; the account's from
    // elsewhere run out with their window, so signing in here does not reopen it
    // to a guesser.
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    db::sessions::clear_failures(&state.db, &keys[0].0).await?;
    // The right password of a suspended account: the person is told why.
    refuse_suspended(&user)?;
    // A second factor: the password was right, a code is to come.
    if db::factors::in_use(&state.db, UserId(user.id)).await? {
        let ticket = auth::random_token();
        let expires = now + chrono::Duration::minutes(SECOND_STEP_MINUTES);
        let hash = auth::token_hash(&ticket);
        db::factors::open_ticket(&state.db, &hash, UserId(user.id), now, expires).await?;
        let app = db::factors::totp(&state.db, UserId(user.id))
            .await?
            .is_some_and(|t| t.confirmed_at.is_some());
        let passkey = !db::passkeys::list(&state.db, UserId(user.id))
            .await?
            .is_empty();
        let step = SecondStep {
            ticket,
            app,
            passkey,
        };
        return Ok((StatusCode::ACCEPTED, Json(step)).into_response());
    }
    let (cookies, me) = sign_in_here(&state, &headers, &addr, current, UserId(user.id)).await?;
    Ok((StatusCode::OK, cookies, Json(me)).into_response())
}

/// 403 with the admin's reason for a suspended account (whose person proved
/// who they are: a wrong password never gets this far).
fn refuse_suspended(account: &db::users::UserRow) -> AppResult<()> {
    match account.suspended_at {
        Some(_) => Err(ApiError::AccountSuspended {
            reason: account.suspended_reason.clone().unwrap_or_default(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Signs `user` in on this browser, once they proved who they are: the session
/// the browser had ends, and a new one starts (the browser stays a known device
/// of the account if it was one).
async fn sign_in_here(
    state: &AppState,
    headers: &HeaderMap,
    addr: &str,
    current: Option<CurrentUser>,
    user: UserId,
) -> AppResult<(SessionCookies, Me)> {
    if let Some(current) = current {
        db::sessions::delete(&state.db, &current.token_hash).await?;
    }
    let device = known_device(state, headers, user)
        .await?
        .map(|(token, _)| token);
    start_session(state, headers, addr, user, device).await
}

/// The second step of signing in: the first step's ticket and a code from the
/// authenticator app (good once, and only after every code used before) or a
/// recovery code (good once). A wrong code is `422 code wrong_code` and keeps
/// the ticket for another try; guesses count against the account like
/// sign-ins (429 with `Retry-After`). A ticket that is expired, used or made
/// up is `422 ticket invalid_link`: the person starts again with the password.
#[utoipa::path(post, path = "/api/auth/signin/second-factor", tag = "auth", request_body = SecondFactor,
    responses((status = 200, body = Me), (status = 403, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn signin_second_step(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    headers: HeaderMap,
    MaybeUser(current): MaybeUser,
    Valid(req): Valid<SecondFactor>,
) -> AppResult<Response> {
    let now = Utc::now();
    let dead = || {
        AppError::from(ApiError::invalid(
            "ticket",
            moim_core::ErrorCode::InvalidLink,
        ))
    };
    let ticket = auth::token_hash(req.ticket.trim());
    let user = db::factors::ticket(&state.db, &ticket, now)
        .await?
        .ok_or_else(dead)?;
    let key = format!("second:{}", user.0);
    let limits = [(key.as_str(), state.config.throttle_per_account)];
    let attempt = count_attempt(&state, &limits, now).await?;
    // Turned off since the first step: the ticket is of no use.
    if !db::factors::in_use(&state.db, user).await? {
        return Err(dead());
    }
    let app = db::factors::totp(&state.db, user)
        .await?
        .filter(|t| t.confirmed_at.is_some());
    // The ticket and the code are used up together: of two second steps sent
    // at once with one ticket, one signs in and the other uses no code; a
    // wrong code leaves the ticket for another try.
    let mut tx = state.db.begin().await?;
    if !db::factors::close_ticket(&mut tx, &ticket, now).await? {
        return Err(dead());
    }
    let secret = app.as_ref().map(|a| a.secret.as_str());
    if !factor::use_code(&mut tx, user, secret, &req.code, now).await? {
        return Err(ApiError::invalid("code", moim_core::ErrorCode::WrongCode).into());
    }
    tx.commit().await?;
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    refuse_suspended(&db::users::find(&state.db, user).await?)?;
    let (cookies, me) = sign_in_here(&state, &headers, &addr, current, user).await?;
    Ok((StatusCode::OK, cookies, Json(me)).into_response())
}

/// Starts signing in with a passkey: the options for the browser's
/// `navigator.credentials.get()`. Without a ticket, any passkey the device
/// keeps for Moim may answer (no email, no password); with the ticket of a
/// password sign-in's second step, one of that account's passkeys. Challenges
/// are held per address (429 with `Retry-After`); `409 passkeys_unavailable`
/// when the portal's public address is not a domain name.
#[utoipa::path(post, path = "/api/auth/passkey/options", tag = "auth", request_body = PasskeySignInStart,
    responses((status = 200, body = PasskeyChallenge), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn passkey_options(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    Valid(req): Valid<PasskeySignInStart>,
) -> AppResult<Json<PasskeyChallenge>> {
    let rp = passkey::relying_party(&state)?;
    let now = Utc::now();
    // Each challenge is a row until it expires: an address gets a few sign-ins'
    // worth of them in the throttle's window.
    let key = format!("passkey-challenge:{addr}");
    let limit = state.config.throttle_per_address * 4;
    count_attempt(&state, &[(key.as_str(), limit)], now).await?;
    let dead = || {
        AppError::from(ApiError::invalid(
            "ticket",
            moim_core::ErrorCode::InvalidLink,
        ))
    };
    let ticket_hash = req.ticket.as_deref().map(|t| auth::token_hash(t.trim()));
    let (options, ceremony, user) = match &ticket_hash {
        Some(hash) => {
            let user = db::factors::ticket(&state.db, hash, now)
                .await?
                .ok_or_else(dead)?;
            let keys = db::passkeys::list(&state.db, user)
                .await?
                .iter()
                .map(passkey::stored)
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
            }
            let (options, auth) = rp
                .start_passkey_authentication(&keys)
                .map_err(|e| AppError::Internal(format!("passkey sign-in: {e:?}")))?;
            (options, passkey::SignIn::Account(auth), Some(user))
        }
        None => {
            let (options, auth) = rp
                .start_discoverable_authentication()
                .map_err(|e| AppError::Internal(format!("passkey sign-in: {e:?}")))?;
            (options, passkey::SignIn::Device(auth), None)
        }
    };
    let purpose = db::passkeys::Purpose::SignIn;
    let ticket = ticket_hash.as_deref();
    let challenge =
        passkey::open_ceremony(&state, purpose, user, ticket, &ceremony, options, now).await?;
    Ok(Json(challenge))
}

/// Signs in with a passkey: the ceremony (used up, right or wrong) and the
/// authenticator's answer, which must be signed by a passkey of the account
/// (of the ticket's account, for a second step, whose ticket it then uses up)
/// with the person verified on the device. A wrong answer is `422 credential
/// wrong_code` and counts against the address like a failed sign-in (429 with
/// `Retry-After`); a suspended account gets 403 with the reason.
#[utoipa::path(post, path = "/api/auth/passkey", tag = "auth", request_body = PasskeySignIn,
    responses((status = 200, body = Me), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn passkey_signin(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    headers: HeaderMap,
    MaybeUser(current): MaybeUser,
    Valid(req): Valid<PasskeySignIn>,
) -> AppResult<Response> {
    let rp = passkey::relying_party(&state)?;
    let now = Utc::now();
    let key = format!("address:{addr}");
    let limits = [(key.as_str(), state.config.throttle_per_address)];
    let attempt = count_attempt(&state, &limits, now).await?;
    let purpose = db::passkeys::Purpose::SignIn;
    let (row, ceremony): (_, passkey::SignIn) =
        passkey::take_ceremony(&state, &req.ceremony, purpose, now).await?;
    let answer: passkey::PublicKeyCredential = passkey::answer(req.credential)?;
    let credential = passkey::credential_key(answer.get_credential_id());
    let stored = db::passkeys::by_credential(&state.db, &credential)
        .await?
        .ok_or_else(passkey::refused)?;
    if row.user_id.is_some_and(|u| u != stored.user_id) {
        return Err(passkey::refused());
    }
    let mut key = passkey::stored(&stored)?;
    let result = match ceremony {
        passkey::SignIn::Account(auth) => rp.finish_passkey_authentication(&answer, &auth),
        passkey::SignIn::Device(auth) => {
            // The account the authenticator names must be the passkey's.
            let (handle, _) = rp
                .identify_discoverable_authentication(&answer)
                .map_err(|_| passkey::refused())?;
            if handle.to_string() != stored.user_handle {
                return Err(passkey::refused());
            }
            rp.finish_discoverable_authentication_v2(&answer, auth, &key)
        }
    }
    .map_err(|_| passkey::refused())?;
    // The signature counter moves on (a clone's older count is refused).
    key.update_credential(&result);
    let updated =
        serde_json::to_string(&key).map_err(|e| AppError::Internal(format!("passkey: {e}")))?;
    let user = UserId(stored.user_id);
    let mut tx = state.db.begin().await?;
    if let Some(ticket) = &row.ticket_hash
        && !db::factors::close_ticket(&mut tx, ticket, now).await?
    {
        return Err(ApiError::invalid("ticket", moim_core::ErrorCode::InvalidLink).into());
    }
    if !db::passkeys::used(&mut tx, &stored, &updated, now).await? {
        return Err(passkey::refused());
    }
    tx.commit().await?;
    db::sessions::forget_attempt(&state.db, &attempt).await?;
    refuse_suspended(&db::users::find(&state.db, user).await?)?;
    let (cookies, me) = sign_in_here(&state, &headers, &addr, current, user).await?;
    Ok((StatusCode::OK, cookies, Json(me)).into_response())
}

/// Ends the session.
#[utoipa::path(post, path = "/api/auth/signout", tag = "auth", responses((status = 204), (status = 401, body = ApiError)))]
async fn signout(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    db::sessions::delete(&state.db, &user.token_hash).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie())],
    )
        .into_response())
}

/// The signed-in person.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ApiError)))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Me>> {
    Ok(Json(
        me_view(&state, user.id(), &user.session.csrf_token).await?,
    ))
}

/// The signed-in person, or `null`: lets the app check for a session without an
/// error response on every anonymous page load.
#[utoipa::path(get, path = "/api/auth/session", tag = "auth", responses((status = 200, body = Option<Me>)))]
async fn session(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Json<Option<Me>>> {
    Ok(Json(match user {
        Some(u) => Some(me_view(&state, u.id(), &u.session.csrf_token).await?),
        None => None,
    }))
}

/// Reset mails one address may ask for in the throttle's window.
const RESETS_PER_EMAIL: i64 = 3;

/// "I forgot my password": queues a reset link for the address. The answer is the
/// same 202, after the same work, whether or not an account has the address (an
/// address without one gets an outbox row the worker drops). Throttled per
/// address asked for and per client address, with `Retry-After`.
#[utoipa::path(post, path = "/api/auth/forgot-password", tag = "auth", request_body = ForgotPassword,
    responses((status = 202), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn forgot_password(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    Valid(req): Valid<ForgotPassword>,
) -> AppResult<StatusCode> {
    let email = normalize_email(&req.email);
    let now = Utc::now();
    let (by_email, by_addr) = (
        db::sessions::reset_key(&email),
        format!("reset-from:{addr}"),
    );
    let limits = [
        (by_email.as_str(), RESETS_PER_EMAIL),
        (by_addr.as_str(), state.config.throttle_per_address),
    ];
    // Counted and kept: every request sends (or would send) a mail.
    count_attempt(&state, &limits, now).await?;
    let user = db::users::find_by_email(&state.db, &email).await?;
    let expires = now + chrono::Duration::minutes(RESET_LINK_MINUTES);
    let mut tx = state.db.begin().await?;
    db::recovery::queue(
        &mut tx,
        user.map(|u| UserId(u.id)),
        AccountMail::Reset,
        None,
        now,
        Some(expires),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// The one answer for a reset token that is not good: expired, used or made up.
fn invalid_link() -> AppError {
    ApiError::invalid("token", moim_core::ErrorCode::InvalidLink).into()
}

/// Whether a reset link is still good, and whose account it opens: the page
/// asks before the person chooses a password. The token travels in the body,
/// never in an address a log could keep.
#[utoipa::path(post, path = "/api/auth/reset-password/check", tag = "auth", request_body = CheckLink,
    responses((status = 200, body = LinkAccount), (status = 422, body = ApiError)))]
async fn check_reset_link(
    State(state): State<AppState>,
    Valid(req): Valid<CheckLink>,
) -> AppResult<Json<LinkAccount>> {
    let hash = auth::token_hash(req.token.trim());
    let (user, expires_at) = db::recovery::check(&state.db, &hash, Utc::now())
        .await?
        .ok_or_else(invalid_link)?;
    let email = db::users::email_of(&state.db, user).await?;
    Ok(Json(LinkAccount { email, expires_at }))
}

/// Sets a new password with a reset link. The link is used up, and so is every
/// other the account has; every session of the account ends (whoever knew the
/// old password is out); the sign-in throttle forgets the account's failures
/// (the link proved the mailbox); a notice goes to the address. The person then
/// signs in with the new password.
#[utoipa::path(post, path = "/api/auth/reset-password", tag = "auth", request_body = ResetPassword,
    responses((status = 204), (status = 422, body = ApiError)))]
async fn reset_password(
    State(state): State<AppState>,
    Valid(req): Valid<ResetPassword>,
) -> AppResult<StatusCode> {
    let hash = auth::token_hash(req.token.trim());
    let (user, _) = db::recovery::check(&state.db, &hash, Utc::now())
        .await?
        .ok_or_else(invalid_link)?;
    let account = db::users::find(&state.db, user).await?;
    let context = vec![account.email.clone(), account.name.clone()];
    auth::refuse_weak(&req.password, context).await?;
    let password_hash = auth::hash_password(req.password).await?;
    // Checked again inside: of two resets sent at once with one link, one wins.
    db::recovery::reset(&state.db, &hash, &password_hash, Utc::now())
        .await?
        .ok_or_else(invalid_link)?;
    db::sessions::clear_account_failures(&state.db, &account.email).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens a link that verifies an address. A new account's: the address is
/// verified and the person is signed in (the link came to their mailbox). An
/// account's new address: the account moves to it, and the old address is told;
/// whoever is signed in stays so. Expired, used and made-up links get one
/// answer, `422 token invalid_link`; a new address another account took since,
/// `409 email_taken`.
#[utoipa::path(post, path = "/api/auth/verify-email", tag = "auth", request_body = VerifyEmail,
    responses((status = 200, body = Verified), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn verify_email(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    headers: HeaderMap,
    MaybeUser(current): MaybeUser,
    Valid(req): Valid<VerifyEmail>,
) -> AppResult<Response> {
    let hash = auth::token_hash(req.token.trim());
    match db::recovery::verify(&state.db, &hash, Utc::now()).await? {
        None => Err(invalid_link()),
        Some(db::recovery::Verification::Taken) => {
            Err(ApiError::conflict(ConflictCode::EmailTaken, "email").into())
        }
        Some(db::recovery::Verification::NewAddress(_)) => {
            Ok(Json(Verified::NewAddress).into_response())
        }
        Some(db::recovery::Verification::Account(user)) => {
            refuse_suspended(&db::users::find(&state.db, user).await?)?;
            // The link proves the mailbox, not the second factor: such an
            // account signs in the usual way. Nor does it sign out someone
            // else who is signed in here (a link sent to them by another).
            let someone_else = current.as_ref().is_some_and(|c| c.id() != user);
            if someone_else || db::factors::in_use(&state.db, user).await? {
                return Ok(Json(Verified::SignIn).into_response());
            }
            let (cookies, _) = sign_in_here(&state, &headers, &addr, current, user).await?;
            Ok((cookies, Json(Verified::Account)).into_response())
        }
    }
}
