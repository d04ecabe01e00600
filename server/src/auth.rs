//! Passwords, session cookies, the signed-in person, and CSRF protection.

use crate::{
    AppState,
    db::{self, sessions::SessionRow, users::UserRow},
    error::{AppError, AppResult},
};
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng, rand_core::RngCore},
};
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, HeaderValue, Method, header, request::Parts},
};
use chrono::Utc;
use moim_core::{ApiError, UserId, account::Role};
use sha2::{Digest, Sha256};
use std::{net::SocketAddr, sync::OnceLock};

/// Name of the session cookie.
pub const COOKIE: &str = "moim_session";
/// Header that carries the CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Argon2id with OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> AppResult<Argon2<'static>> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password on the blocking pool: it takes tens of milliseconds of CPU.
pub async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

/// How many guesses a password must withstand: zxcvbn's score 3 ("safely
/// unguessable", about 10^10 guesses), what its authors advise for accounts that
/// matter. Moim's agency staff and CMs read confidential problem details.
const STRONG_ENOUGH: zxcvbn::Score = zxcvbn::Score::Three;

/// Why `password` is too easy to guess, or `None` when it is strong enough.
/// `context` holds what an attacker knows of the person (email, name,
/// organisation), which counts as guessable too. On the blocking pool: the
/// estimator can take milliseconds on a long password.
pub async fn weak_password(
    password: String,
    context: Vec<String>,
) -> AppResult<Option<moim_core::password::PasswordHint>> {
    use moim_core::password::PasswordHint as H;
    use zxcvbn::feedback::Warning as W;
    Ok(tokio::task::spawn_blocking(move || {
        let inputs: Vec<&str> = context
            .iter()
            .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 3)
            .collect();
        let estimate = zxcvbn::zxcvbn(&password, &inputs);
        if estimate.score() >= STRONG_ENOUGH {
            return None;
        }
        let warning = estimate.feedback().and_then(|f| f.warning());
        Some(match warning {
            Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => {
                H::Keyboard
            }
            Some(
                W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
            ) => H::Repeated,
            Some(W::SequencesLikeAbcAreEasyToGuess) => H::Sequence,
            Some(
                W::ThisIsATop10Password
                | W::ThisIsATop100Password
                | W::ThisIsACommonPassword
                | W::ThisIsSimilarToACommonlyUsedPassword,
            ) => H::Common,
            Some(
                W::AWordByItselfIsEasyToGuess
                | W::NamesAndSurnamesByThemselvesAreEasyToGuess
                | W::CommonNamesAndSurnamesAreEasyToGuess,
            ) => H::Word,
            Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => H::Date,
            None => H::Guessable,
        })
    })
    .await?)
}

/// A 422 on `password` when it is too easy to guess (see [`weak_password`]).
pub async fn refuse_weak(password: &str, context: Vec<String>) -> AppResult<()> {
    match weak_password(password.to_owned(), context).await? {
        None => Ok(()),
        Some(hint) => Err(ApiError::invalid(
            "password",
            moim_core::ErrorCode::WeakPassword {
                hint: hint.code().to_owned(),
            },
        )
        .into()),
    }
}

/// Verifies a password on the blocking pool. With no stored hash (unknown email)
/// it verifies against a dummy, so response time does not reveal which emails exist.
pub async fn verify_password(password: String, hash: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        // No account, or one whose person has not set a password yet (an
        // import's, `db::import::NO_PASSWORD`): the same work, and no match.
        let (hash, usable) = match hash {
            Some(h) if !h.starts_with('!') => (h, true),
            _ => (dummy_hash()?.to_owned(), false),
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| AppError::Internal(e.to_string()))?;
        let matches = argon2()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(usable && matches)
    })
    .await?
}

fn dummy_hash() -> AppResult<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let salt = SaltString::generate(&mut OsRng);
    let h = argon2()?
        .hash_password(b"moim-dummy-password", &salt)
        .map_err(|e| AppError::Internal(e.to_string()))?
        .to_string();
    Ok(DUMMY.get_or_init(|| h))
}

/// 32 random bytes as hex: session tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Sessions are stored under the SHA-256 of their token, so a database leak does
/// not hand out live sessions.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("moim_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("moim_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session token from the `Cookie` header.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie_values(headers, COOKIE).next()
}

/// Every non-empty value of cookie `name` in the `Cookie` header.
fn cookie_values<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = String> + 'h {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .filter(move |(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// Name of the device cookie of `user`: this browser signed in to that account
/// before (see `known_devices`). One per account, so people sharing an office
/// computer each keep theirs. Sent to the sign-in API only.
pub fn device_cookie_name(user: UserId) -> String {
    format!("moim_device_{}", user.0)
}

/// How long a browser stays known without signing in again: a year.
pub const DEVICE_MAX_AGE_SECS: u64 = 365 * 24 * 60 * 60;

/// The `Set-Cookie` value that makes this browser known to `user`'s account.
pub fn device_cookie(user: UserId, token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let name = device_cookie_name(user);
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age={DEVICE_MAX_AGE_SECS}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("moim_device=; Path=/api/auth; Max-Age=0"))
}

/// The device tokens this browser holds for `user`: every cookie of that name
/// (a more specific one set for a sibling host cannot hide the real one).
pub fn device_tokens(headers: &HeaderMap, user: UserId) -> Vec<String> {
    let name = device_cookie_name(user);
    cookie_values(headers, &name).collect()
}

/// True when the request arrived over TLS (directly or via a trusted proxy).
pub fn is_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.cookie_secure
        || (state.config.trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https"))
}

/// The client's address, for throttling. Behind trusted proxies it is the
/// entry of `X-Forwarded-For` the outermost of them appended (`proxy_hops`
/// from the right, over every such header in order): entries to its left are
/// whatever the client sent, and taking them would let anyone pick the address
/// a throttle counts. A request that did not pass all the proxies (too few
/// entries) counts by its connection.
pub fn client_address(state: &AppState, parts: &Parts) -> String {
    let peer = || {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned())
    };
    if !state.config.trust_proxy {
        return peer();
    }
    forwarded_client(&parts.headers, state.config.proxy_hops.max(1)).unwrap_or_else(peer)
}

/// The client `hops` entries from the right of the request's `X-Forwarded-For`
/// headers, if there are that many: its address (an `ip:port` or bracketed
/// IPv6 form is read as the address), or else the entry's text itself, so a
/// form not understood still keeps clients apart rather than putting them all
/// in the proxy's bucket.
pub fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<String> {
    let lines: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let entries: Vec<&str> = lines
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let entry = entries.len().checked_sub(hops).map(|i| entries[i])?;
    let ip = entry
        .parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            entry
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .ok()
        });
    Some(match ip {
        Some(ip) => ip.to_string(),
        None => format!("xff:{}", entry.chars().take(64).collect::<String>()),
    })
}

/// The signed-in person. Extracting it on a state-changing request also checks the
/// CSRF token, so no handler can forget to.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub token_hash: String,
    pub session: SessionRow,
}

impl CurrentUser {
    /// Id.
    pub fn id(&self) -> UserId {
        UserId(self.user.id)
    }

    /// True for agency admins.
    pub fn is_admin(&self) -> bool {
        self.user.role() == Role::Admin
    }

    /// The person's organisation, if it confirmed them: only then do they act for
    /// it or see what its members see.
    pub fn confirmed_org(&self) -> Option<moim_core::OrgId> {
        (self.user.affiliation() == moim_core::account::Affiliation::Confirmed)
            .then_some(moim_core::OrgId(self.user.org_id))
    }

    /// The organisation the person represents, if they are its confirmed representative.
    pub async fn represented_org(&self, db: &db::Db) -> AppResult<Option<moim_core::OrgId>> {
        let Some(org) = self.confirmed_org() else {
            return Ok(None);
        };
        let rep = db::orgs::find(db, org).await?.representative_id;
        Ok((rep == Some(self.user.id)).then_some(org))
    }

    /// The organisation the person acts for; 403 until it confirmed them.
    pub fn acting_org(&self) -> Result<moim_core::OrgId, AppError> {
        self.confirmed_org()
            .ok_or_else(|| ApiError::Forbidden.into())
    }
}

/// What a request's session comes to.
enum Loaded {
    /// No session (or a dead one).
    Nobody,
    /// A signed-in person.
    Person(Box<CurrentUser>),
    /// An admin or CM without a second factor, outside their own account: a
    /// visitor to public pages, refused what needs them signed in.
    Restricted,
}

async fn load(parts: &Parts, state: &AppState) -> AppResult<Loaded> {
    let Some(token) = cookie_token(&parts.headers) else {
        return Ok(Loaded::Nobody);
    };
    let hash = token_hash(&token);
    let Some(session) = db::sessions::find(&state.db, &hash).await? else {
        return Ok(Loaded::Nobody);
    };
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.config.session_idle).unwrap_or_default();
    if session.expires_at <= now || session.last_seen_at + idle <= now {
        // Ended either way: a failed delete (a full disk) leaves a row the
        // retention purge removes.
        if let Err(e) = db::sessions::delete(&state.db, &hash).await {
            tracing::warn!(error = %e, "could not delete an ended session");
        }
        return Ok(Loaded::Nobody);
    }
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
            return Err(ApiError::CsrfRejected.into());
        }
    }
    // Write at most once a minute: reads should not turn into writes. Noting the
    // time is not worth failing the request for: on a full disk (or a database
    // that has just gone read-only) the person still reads.
    if now - session.last_seen_at > chrono::Duration::seconds(60)
        && let Err(e) = db::sessions::touch(&state.db, &hash, now).await
    {
        tracing::warn!(error = %e, "could not note when a session was last seen");
    }
    let user = db::users::find(&state.db, UserId(session.user_id)).await?;
    if user.suspended_at.is_some() {
        // Suspending ends the sessions; one that slipped in meanwhile ends here.
        db::sessions::delete(&state.db, &hash).await?;
        return Ok(Loaded::Nobody);
    }
    // Until the address is verified the person reads, and looks after their own
    // account, but does not act: no posting, registering, joining, confirming or
    // acting for their organisation. One check here rather than in every handler.
    let own_account = own_account(parts.uri.path());
    if unsafe_method && user.email_verified_at.is_none() && !own_account {
        return Err(ApiError::EmailUnverified.into());
    }
    // A privacy policy the person has not agreed to (a new version, or an account
    // from before consents were recorded): they agree before they act.
    if unsafe_method && !own_account && consent_outdated(&user) {
        return Err(ApiError::ConsentRequired.into());
    }
    // An admin or CM without a second factor looks after their account (and
    // adds one) and uses none of their powers: they change nothing else, and
    // read as a visitor (the powers to read confidential problems, members'
    // lists and the audit trail are powers too).
    if !own_account && lacks_required_factor(state, &user).await? {
        if unsafe_method {
            return Err(ApiError::SecondFactorRequired.into());
        }
        return Ok(Loaded::Restricted);
    }
    Ok(Loaded::Person(Box::new(CurrentUser {
        user,
        token_hash: hash,
        session,
    })))
}

/// What a person may change before they may act (an address not verified yet,
/// an admin or CM without a second factor): signing in and out, their own
/// account (name, address, password, second factor, browsers, the verification
/// mail) and their notifications.
fn own_account(path: &str) -> bool {
    // Each path and what is below it (a whole segment: `/api/me/email` is not
    // `/api/me/email-prefs`).
    const OPEN: &[&str] = &[
        "/api/auth",
        "/api/me/verify-email",
        "/api/me/email",
        "/api/me/password",
        "/api/me/totp",
        "/api/me/passkeys",
        "/api/me/recovery-codes",
        "/api/me/second-factor",
        "/api/me/consents",
        "/api/me/sessions",
        "/api/me/export",
        "/api/me/close",
        "/api/notifications",
    ];
    path == "/api/me"
        || OPEN.iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Whether the person's last consent was to another privacy policy than the
/// one in force (or they have given none).
pub fn consent_outdated(user: &UserRow) -> bool {
    user.privacy_version.as_deref() != Some(moim_core::privacy::PRIVACY_POLICY_VERSION)
}

/// Whether the person holds powers (an agency admin, a CM) that they may not
/// use yet: the deployment requires a second factor of them and they have none.
pub async fn lacks_required_factor(state: &AppState, user: &UserRow) -> AppResult<bool> {
    if !state.config.staff_second_factor {
        return Ok(false);
    }
    let admin = user.role() == Role::Admin;
    Ok(db::factors::staff_without_factor(&state.db, UserId(user.id), admin).await?)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match load(parts, state).await? {
            Loaded::Person(user) => Ok(*user),
            Loaded::Nobody => Err(ApiError::Unauthenticated.into()),
            Loaded::Restricted => Err(ApiError::SecondFactorRequired.into()),
        }
    }
}

/// The signed-in person, if any (public pages that show more to members).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(match load(parts, state).await? {
            Loaded::Person(user) => Some(*user),
            Loaded::Nobody | Loaded::Restricted => None,
        }))
    }
}

/// An admin.
pub struct Admin(pub CurrentUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !user.is_admin() {
            return Err(ApiError::Forbidden.into());
        }
        Ok(Admin(user))
    }
}

/// Cross-site requests are refused before any handler runs: a state-changing API
/// request whose `Origin` names another host is rejected (login CSRF included).
pub async fn check_origin(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && req.uri().path().starts_with("/api/") {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
            if origin_host != host {
                return crate::error::api_error_response(ApiError::CsrfRejected);
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_address_is_the_one_the_trusted_proxies_appended() {
        // The client wrote "1.2.3.4"; the balancer appended the real address.
        let spoofed = headers(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(
            forwarded_client(&spoofed, 1).as_deref(),
            Some("203.0.113.7")
        );
        // Two proxies (a CDN, then the balancer): the CDN's entry is the client's.
        let two = headers(&["1.2.3.4, 203.0.113.7", "198.51.100.2"]);
        assert_eq!(forwarded_client(&two, 2).as_deref(), Some("203.0.113.7"));
        assert_eq!(forwarded_client(&two, 1).as_deref(), Some("198.51.100.2"));
        // Fewer entries than proxies, or none: the connection counts.
        assert_eq!(forwarded_client(&headers(&["203.0.113.7"]), 2), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
        // With a port, bracketed, or not understood: still one client apart.
        assert_eq!(
            forwarded_client(&headers(&["203.0.113.7:5678"]), 1).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            forwarded_client(&headers(&["[2001:db8::1]:443"]), 1).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            forwarded_client(&headers(&["[2001:db8::2]"]), 1).as_deref(),
            Some("2001:db8::2")
        );
        assert_eq!(
            forwarded_client(&headers(&["1.2.3.4, unknown"]), 1).as_deref(),
            Some("xff:unknown")
        );
        assert_eq!(
            forwarded_client(&headers(&[" 2001:db8::1 "]), 1).as_deref(),
            Some("2001:db8::1")
        );
    }
}
