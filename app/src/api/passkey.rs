//! Passkeys: the server's two-step ceremony around the browser's WebAuthn API.
//! Options and answers travel in WebAuthn's JSON form, which the browser reads
//! and writes itself (`PublicKeyCredential.parseCreationOptionsFromJSON`,
//! `parseRequestOptionsFromJSON`, the credential's `toJSON()`), so no binary
//! conversion is coded here.

use super::{ClientError, send};
use gloo_net::http::Method;
use js_sys::{Function, JSON, Object, Promise, Reflect};
use moim_core::{
    ApiError, ConflictCode,
    account::Me,
    second_factor::{
        ConfirmPassword, NewPasskey, PasskeyAdded, PasskeyChallenge, PasskeySignIn,
        PasskeySignInStart,
    },
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a passkey step failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PasskeyError {
    /// This browser has no passkeys (or not the JSON forms of WebAuthn).
    Unsupported,
    /// The person cancelled, or the device found no passkey (the browser
    /// does not say which, on purpose).
    Cancelled,
    /// This device holds one of the account's passkeys already (the browser
    /// said so, or the server knows the passkey it made).
    OnThisDevice,
    /// The portal is reached by an IP address, where passkeys cannot work.
    Unavailable,
    /// The server said no, or could not be reached.
    Server(ClientError),
}

impl From<ClientError> for PasskeyError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Api(ApiError::Conflict {
                code: ConflictCode::PasskeysUnavailable,
                ..
            }) => PasskeyError::Unavailable,
            ClientError::Api(ApiError::Conflict {
                code: ConflictCode::SecondFactorOn,
                ..
            }) => PasskeyError::OnThisDevice,
            e => PasskeyError::Server(e),
        }
    }
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn function(target: &JsValue, key: &str) -> Result<Function, PasskeyError> {
    get(target, key)
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(PasskeyError::Unsupported)
}

/// Whether this browser can make and use passkeys here.
pub fn supported() -> bool {
    web_sys::window()
        .and_then(|w| get(&w, "PublicKeyCredential"))
        .is_some_and(|p| {
            get(&p, "parseCreationOptionsFromJSON").is_some()
                && get(&p, "parseRequestOptionsFromJSON").is_some()
        })
}

/// Runs `navigator.credentials.<call>()` (`create` or `get`) with the options
/// of a challenge, read by `PublicKeyCredential.<parse>()`; the credential's
/// JSON form.
async fn ceremony(
    call: &str,
    parse: &str,
    challenge: &PasskeyChallenge,
) -> Result<serde_json::Value, PasskeyError> {
    let window = web_sys::window().ok_or(PasskeyError::Unsupported)?;
    let class = get(&window, "PublicKeyCredential").ok_or(PasskeyError::Unsupported)?;
    let public_key = challenge
        .options
        .get("publicKey")
        .ok_or(PasskeyError::Server(ClientError::Decode))?;
    let text = serde_json::to_string(public_key).map_err(|_| ClientError::Decode)?;
    let json = JSON::parse(&text).map_err(|_| ClientError::Decode)?;
    let options = function(&class, parse)?
        .call1(&class, &json)
        .map_err(|_| PasskeyError::Server(ClientError::Decode))?;
    let arg = Object::new();
    Reflect::set(&arg, &JsValue::from_str("publicKey"), &options)
        .map_err(|_| PasskeyError::Unsupported)?;
    let credentials = get(&window.navigator(), "credentials").ok_or(PasskeyError::Unsupported)?;
    let promise = function(&credentials, call)?
        .call1(&credentials, &arg)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or(PasskeyError::Unsupported)?;
    let credential = JsFuture::from(promise).await.map_err(|e| {
        match get(&e, "name").and_then(|n| n.as_string()).as_deref() {
            Some("InvalidStateError") => PasskeyError::OnThisDevice,
            Some("NotSupportedError" | "SecurityError") => PasskeyError::Unsupported,
            _ => PasskeyError::Cancelled,
        }
    })?;
    let answer = function(&credential, "toJSON")?
        .call0(&credential)
        .map_err(|_| PasskeyError::Unsupported)?;
    let text: String = JSON::stringify(&answer)
        .map_err(|_| PasskeyError::Unsupported)?
        .into();
    Ok(super::parse(&text)?)
}

/// Adds a passkey made on this device, named `name`, after the password.
pub async fn add(password: String, name: String) -> Result<PasskeyAdded, PasskeyError> {
    let challenge: PasskeyChallenge = send(
        Method::POST,
        "/api/me/passkeys/options",
        &ConfirmPassword { password },
    )
    .await?;
    let credential = ceremony("create", "parseCreationOptionsFromJSON", &challenge).await?;
    let req = NewPasskey {
        ceremony: challenge.ceremony,
        name,
        credential,
    };
    Ok(send(Method::POST, "/api/me/passkeys", &req).await?)
}

/// Removes one of one's passkeys (the password asked for).
pub async fn remove(id: i64, password: String) -> Result<(), ClientError> {
    super::send_only(
        Method::DELETE,
        &format!("/api/me/passkeys/{id}"),
        &ConfirmPassword { password },
    )
    .await
}

/// Signs in with a passkey: any the device keeps for Moim, or (with the
/// ticket of a password sign-in's second step) one of that account's.
pub async fn sign_in(ticket: Option<String>) -> Result<Me, PasskeyError> {
    let challenge: PasskeyChallenge = send(
        Method::POST,
        "/api/auth/passkey/options",
        &PasskeySignInStart { ticket },
    )
    .await?;
    let credential = ceremony("get", "parseRequestOptionsFromJSON", &challenge).await?;
    let req = PasskeySignIn {
        ceremony: challenge.ceremony,
        credential,
    };
    Ok(send(Method::POST, "/api/auth/passkey", &req).await?)
}
