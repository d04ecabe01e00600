//! The built app (`target/site`: index.html, wasm, JS, CSS, icons), embedded in
//! release builds and read from disk in debug builds. Brotli and gzip copies made
//! at build time are served to clients that accept them. Any other path that is
//! not a file is an app route and gets index.html.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site/"]
struct Site;

/// Serves a file of the app, or index.html for app routes.
pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    if let Some(r) = file(path, &headers) {
        return r;
    }
    // A path with an extension names a file that is not there; anything else is a
    // client-side route like /consortia/12.
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    file("index.html", &headers).unwrap_or_else(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "The app is not built yet: run `bash .ci/build-app`.",
        )
            .into_response()
    })
}

fn file(path: &str, headers: &HeaderMap) -> Option<Response> {
    let original = Site::get(path)?;
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let etag = format!(
        "\"{}\"",
        original
            .metadata
            .sha256_hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Some(StatusCode::NOT_MODIFIED.into_response());
    }
    let (body, encoding) = ["br", "gzip"]
        .into_iter()
        .filter(|e| accepts.contains(e))
        .find_map(|e| {
            Site::get(&format!("{path}.{}", if e == "br" { "br" } else { "gz" }))
                .map(|f| (f.data, Some(e)))
        })
        .unwrap_or((original.data, None));
    let mime = original.metadata.mimetype().to_owned();
    let mut response = Response::new(Body::from(body.into_owned()));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // Revalidate every time: file names carry no hash, and a 304 costs one round trip.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    Some(response)
}
