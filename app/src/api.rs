//! The only place that talks to the server (gloo-net). Every failure comes back as
//! a `ClientError`, never as a silent `None`.

pub mod activities;
pub mod admin;
pub mod auth;
pub mod calls;
pub mod consortia;
pub mod ideas;
mod json;
pub mod notifications;
pub mod orgs;
pub mod partners;
pub mod passkey;
pub mod problems;
pub mod reference;
pub mod surveys;

use gloo_net::http::{Method, RequestBuilder, Response};
use moim_core::{ApiError, FieldErrors};
use serde::{Serialize, de::DeserializeOwned};
use std::cell::RefCell;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The request never got an answer (offline, server down).
    Network,
    /// The server answered with the one error body.
    Api(ApiError),
    /// The answer could not be read.
    Decode,
}

impl ClientError {
    /// The per-field errors of a 422, if that is what this is.
    pub fn fields(&self) -> FieldErrors {
        match self {
            ClientError::Api(ApiError::Validation { fields }) => fields.clone(),
            _ => FieldErrors::default(),
        }
    }
}

thread_local! {
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// The API paths a guest's token goes to, and the token.
    static GUEST: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Remembers the session's CSRF token for state-changing calls.
pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_owned());
}

/// A guest's link token, sent with the calls to the API paths under `prefix`
/// (an event's one-to-one meetings) and nothing else; `None` to forget it.
pub fn set_guest(guest: Option<(String, String)>) {
    GUEST.with(|g| *g.borrow_mut() = guest);
}

/// The guest token that goes with a call to `path`, if any.
fn guest_for(path: &str) -> Option<String> {
    GUEST.with(|g| {
        g.borrow()
            .as_ref()
            .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(_, token)| token.clone())
    })
}

pub(crate) fn builder(method: Method, path: &str) -> RequestBuilder {
    let get = method == Method::GET;
    let mut b = RequestBuilder::new(path).method(method);
    if let Some(token) = guest_for(path) {
        b = b.header(moim_core::activity::GUEST_HEADER, &token);
    }
    if get {
        b
    } else {
        CSRF.with(|c| b.header("x-csrf-token", &c.borrow()))
    }
}

pub(crate) async fn finish(
    res: Result<Response, gloo_net::Error>,
) -> Result<Response, ClientError> {
    let res = res.map_err(|_| ClientError::Network)?;
    if res.ok() {
        return Ok(res);
    }
    let status = res.status();
    match read::<ApiError>(res).await {
        Ok(e) => Err(ClientError::Api(e)),
        // A proxy's HTML error page, for instance.
        Err(_) if status >= 500 => Err(ClientError::Api(ApiError::Internal)),
        Err(_) => Err(ClientError::Decode),
    }
}

/// GET a JSON value: the answer the page came with when the server sent one for
/// exactly this request (see `core::routes`), else from the network.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    from_json(&get_value(path).await?)
}

/// GET as JSON, not yet decoded (one copy of this for every type).
#[inline(never)]
pub async fn get_value(path: &str) -> Result<serde_json::Value, ClientError> {
    // The page's answers were made for the session, not for a guest's link.
    if let Some(answer) = take_answer_value(path).filter(|_| guest_for(path).is_none()) {
        return answer;
    }
    let res = finish(builder(Method::GET, path).send().await).await?;
    let text = res.text().await.map_err(|_| ClientError::Decode)?;
    parse(&text)
}

/// The server's answer to `path` written into the page
/// (`<script type="application/json" data-api=… data-status=…>`), taken once:
/// a later request for the same thing goes to the network.
pub fn take_answer<T: DeserializeOwned>(path: &str) -> Option<Result<T, ClientError>> {
    take_answer_value(path).map(|r| r.and_then(|v| from_json(&v)))
}

#[inline(never)]
fn take_answer_value(path: &str) -> Option<Result<serde_json::Value, ClientError>> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let scripts = doc.query_selector_all("script[data-api]").ok()?;
    let el = (0..scripts.length())
        .filter_map(|i| scripts.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|e| e.get_attribute("data-api").as_deref() == Some(path))?;
    let status: u16 = el.get_attribute("data-status")?.parse().ok()?;
    let body = el.text_content().unwrap_or_default();
    el.remove();
    Some(if (200..300).contains(&status) {
        parse(&body)
    } else {
        Err(decode(&body).map_or(ClientError::Decode, ClientError::Api))
    })
}

/// Sends `body` with `method`; reads a JSON answer.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    let req = builder(method, path)
        .json(body)
        .map_err(|_| ClientError::Decode)?;
    let res = finish(req.send().await).await?;
    read(res).await
}

/// Sends `body` with `method` and expects no answer body (202, 204).
pub async fn send_only<B: Serialize>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<(), ClientError> {
    let req = builder(method, path)
        .json(body)
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

/// POSTs `file` as the multipart field `file` (the browser sets the boundary);
/// reads a JSON answer.
pub async fn upload_file<T: DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
) -> Result<T, ClientError> {
    let form = web_sys::FormData::new().map_err(|_| ClientError::Decode)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| ClientError::Decode)?;
    let req = builder(Method::POST, path)
        .body(form)
        .map_err(|_| ClientError::Decode)?;
    read(finish(req.send().await).await?).await
}

/// Sends with no body and expects no answer body (204).
pub async fn send_empty(method: Method, path: &str) -> Result<(), ClientError> {
    finish(builder(method, path).send().await).await.map(|_| ())
}

/// Encodes a query-string value.
pub fn enc(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

/// JSON text as a `T`. The text is parsed once into a `serde_json::Value` by the
/// one parser every type shares, then taken apart by `T`'s own (small) visitor:
/// `serde_json::from_str::<T>` would build a whole parser into every page's
/// module for each type it reads.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ClientError> {
    from_json(&parse(text)?)
}

/// A parsed JSON value as a `T` (see `json.rs`: nothing formatted on a mismatch).
pub fn from_json<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, ClientError> {
    json::from_json(value).map_err(|_| ClientError::Decode)
}

/// The one JSON parser (kept out of line, so `decode` does not copy it per type).
#[inline(never)]
pub fn parse(text: &str) -> Result<serde_json::Value, ClientError> {
    serde_json::from_str(text).map_err(|_| ClientError::Decode)
}

/// A response's JSON body as a `T`.
pub async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ClientError> {
    let text = res.text().await.map_err(|_| ClientError::Decode)?;
    decode(&text)
}
