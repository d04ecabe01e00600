//! Passkeys (WebAuthn through `webauthn-rs`): the relying party is the portal's
//! public address, and every ceremony's state is kept in the database between
//! its two requests (`db::passkeys`), so either half may reach any instance.

use crate::{AppState, auth, db, error::AppError};
use chrono::{DateTime, Utc};
use moim_core::{
    ApiError, ConflictCode, ErrorCode, UserId,
    second_factor::{PASSKEY_CEREMONY_MINUTES, PasskeyChallenge, PasskeyView},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use webauthn_rs::prelude::{CreationChallengeResponse, Url, Webauthn, WebauthnBuilder};

pub use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Uuid,
};

/// The relying party: the portal's public address, which must name a domain
/// (browsers refuse WebAuthn for an IP address; `localhost` is a domain).
/// `409 passkeys_unavailable` otherwise.
pub fn relying_party(state: &AppState) -> Result<Webauthn, AppError> {
    let unavailable = || AppError::from(ApiError::state(ConflictCode::PasskeysUnavailable));
    let origin = state
        .config
        .public_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .ok_or_else(unavailable)?;
    let domain = origin.domain().ok_or_else(unavailable)?.to_owned();
    WebauthnBuilder::new(&domain, &origin)
        .map(|b| b.rp_name("Moim"))
        .and_then(WebauthnBuilder::build)
        .map_err(|_| unavailable())
}

/// A registration under way: the account's id on authenticators and the
/// ceremony's state.
#[derive(Serialize, Deserialize)]
pub struct Registration {
    pub handle: String,
    pub state: PasskeyRegistration,
}

/// A sign-in under way: with the passkeys of one account (the second step of
/// a password sign-in), or with whichever the device offers.
#[derive(Serialize, Deserialize)]
pub enum SignIn {
    Account(PasskeyAuthentication),
    Device(DiscoverableAuthentication),
}

/// Asks for a passkey the device keeps (a discoverable credential), which is
/// what lets it sign in without the email and password.
pub fn discoverable(options: &mut CreationChallengeResponse) {
    use webauthn_rs_proto::{AuthenticatorSelectionCriteria, ResidentKeyRequirement};
    let selection = options
        .public_key
        .authenticator_selection
        .get_or_insert_with(AuthenticatorSelectionCriteria::default);
    selection.resident_key = Some(ResidentKeyRequirement::Required);
    selection.require_resident_key = true;
}

/// A credential id as stored: lower-case hex of its bytes.
pub fn credential_key(id: &[u8]) -> String {
    auth::hex(id)
}

/// A new ceremony's token and its stored form, with the state `webauthn-rs`
/// must find again when the answer comes.
pub async fn open_ceremony<S: Serialize>(
    state: &AppState,
    purpose: db::passkeys::Purpose,
    user: Option<UserId>,
    ticket_hash: Option<&str>,
    ceremony: &S,
    options: impl Serialize,
    now: DateTime<Utc>,
) -> Result<PasskeyChallenge, AppError> {
    let token = auth::random_token();
    let stored = serde_json::to_string(ceremony)
        .map_err(|e| AppError::Internal(format!("passkey state: {e}")))?;
    db::passkeys::open(
        &state.db,
        &db::passkeys::NewCeremony {
            token_hash: &auth::token_hash(&token),
            purpose,
            user,
            ticket_hash,
            state: &stored,
            now,
            expires_at: now + chrono::Duration::minutes(PASSKEY_CEREMONY_MINUTES),
        },
    )
    .await?;
    let options = serde_json::to_value(options)
        .map_err(|e| AppError::Internal(format!("passkey options: {e}")))?;
    Ok(PasskeyChallenge {
        ceremony: token,
        options,
    })
}

/// Takes the ceremony a token names (once: a second answer finds nothing),
/// `422 ceremony invalid_link` when it is unknown, expired or answered.
pub async fn take_ceremony<S: DeserializeOwned>(
    state: &AppState,
    token: &str,
    purpose: db::passkeys::Purpose,
    now: DateTime<Utc>,
) -> Result<(db::passkeys::CeremonyRow, S), AppError> {
    let dead = || AppError::from(ApiError::invalid("ceremony", ErrorCode::InvalidLink));
    let mut tx = state.db.begin().await?;
    let row = db::passkeys::take(&mut tx, &auth::token_hash(token.trim()), purpose, now)
        .await?
        .ok_or_else(dead)?;
    tx.commit().await?;
    let inner = serde_json::from_str(&row.state)
        .map_err(|e| AppError::Internal(format!("a stored passkey ceremony: {e}")))?;
    Ok((row, inner))
}

/// The authenticator's answer as `webauthn-rs` reads it; `422 credential
/// wrong_code` when it is not one.
pub fn answer<T: DeserializeOwned>(credential: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(credential).map_err(|_| refused())
}

/// An answer the ceremony's checks refused.
pub fn refused() -> AppError {
    ApiError::invalid("credential", ErrorCode::WrongCode).into()
}

/// A stored passkey, as `webauthn-rs` keeps it.
pub fn stored(row: &db::passkeys::PasskeyRow) -> Result<Passkey, AppError> {
    serde_json::from_str(&row.passkey)
        .map_err(|e| AppError::Internal(format!("a stored passkey: {e}")))
}

/// A passkey as its owner sees it.
pub fn view(row: &db::passkeys::PasskeyRow) -> PasskeyView {
    PasskeyView {
        id: row.id,
        name: row.name.clone(),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
    }
}
