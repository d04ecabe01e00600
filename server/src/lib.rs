//! Moim's server: the JSON API under `/api`, sessions in the database, and the
//! built browser app served from the binary itself.

pub mod assets;
pub mod auth;
pub mod backup;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod factor;
pub mod files;
pub mod import;
pub mod jobs;

pub mod mail;
pub mod observe;
pub mod passkey;
pub mod routes;
pub mod seed;
pub mod sheet;

use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use moim_core::ApiError;
use std::sync::Arc;
use tower_http::{
    catch_panic::CatchPanicLayer, compression::CompressionLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

pub use config::Config;
pub use db::Db;

/// What every handler gets: the pool, the file storage, the configuration and
/// the built app. Nothing else lives in the process, so instances that share the
/// database and an object store scale out behind a load balancer.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub files: files::Storage,
    pub config: Arc<Config>,
    pub site: Arc<assets::Site>,
}

impl AppState {
    /// State over a database and a file storage with a configuration, serving
    /// the app from `config.site_dir` or, without one, the app built into the
    /// binary.
    pub fn new(db: Db, files: files::Storage, config: Config) -> Self {
        let site = match &config.site_dir {
            Some(dir) => Arc::new(assets::Site::from_dir(dir.clone())),
            None => embedded_site(),
        };
        AppState {
            db,
            files,
            config: Arc::new(config),
            site,
        }
    }

    /// The same state serving another build of the app (tests).
    pub fn with_site(self, site: assets::Site) -> Self {
        AppState {
            site: Arc::new(site),
            ..self
        }
    }
}

/// The embedded app, read once per process.
fn embedded_site() -> Arc<assets::Site> {
    static SITE: std::sync::OnceLock<Arc<assets::Site>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| Arc::new(assets::Site::embedded()))
        .clone()
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let (api, mut openapi) = routes::api().split_for_parts();
    routes::extractor_errors(&mut openapi);
    let openapi = Arc::new(openapi);
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .route("/api/health", get(|| async { "ok" }))
        .route(
            "/api/ready",
            get(|axum::extract::State(s): axum::extract::State<AppState>| async move { ready(&s).await }),
        )
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { error::api_error_response(ApiError::NotFound) }),
        )
        .route("/metrics", get(observe::scrape))
        .method_not_allowed_fallback(|| async {
            error::api_error_response(ApiError::MethodNotAllowed)
        })
        .route_layer(axum::middleware::from_fn(observe::name_route));
    // Pages answer their first API requests in-process, through the same routes
    // (and the same guard against panics) as a request from outside.
    let inner = api
        .clone()
        .layer(CatchPanicLayer::custom(|_| -> Response {
            error::api_error_response(ApiError::Internal)
        }))
        .with_state(state.clone());
    let site = state.site.clone();
    api.fallback(move |req: axum::extract::Request| assets::serve(site.clone(), inner.clone(), req))
        .layer(DefaultBodyLimit::max(extract::JSON_LIMIT))
        .layer(axum::middleware::from_fn(auth::check_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), transport_headers))
        .layer(CatchPanicLayer::custom(|_| -> Response { error::api_error_response(ApiError::Internal) }))
        // Every log line of a request carries its id (`x-request-id`: the
        // balancer's, or one made here), which the answer carries back.
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
            }),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe::request_id))
        .layer(axum::middleware::from_fn(observe::track))
        // Pages and API answers are compressed here; the app's files were compressed
        // when they were built (a response that has an encoding is left alone).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4)))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ))
        .layer(header_layer(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ))
        .with_state(state)
}

/// Headers that depend on the request or the configuration: API answers carry
/// what one person may see (`/api/auth/me` the CSRF token), so no cache keeps
/// them unless their route says otherwise; served over TLS, browsers are told
/// to come back only over TLS (`Strict-Transport-Security`).
async fn transport_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if state.config.cookie_secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Readiness, for load balancers (`/api/health` only says the process is
/// alive): the database answers and the file storage takes a file. 200 with
/// `{"database": "ok", "storage": "ok"}`, else 503 saying which is not
/// (`unavailable`, `full`), with `Retry-After`.
pub async fn ready(state: &AppState) -> Response {
    let database = match state.db.ping().await {
        Ok(()) => "ok",
        Err(_) => "unavailable",
    };
    let storage = match state.files.probe().await {
        Ok(()) => "ok",
        Err(error::AppError::Full(_)) => "full",
        Err(_) => "unavailable",
    };
    let body = Json(serde_json::json!({"database": database, "storage": storage}));
    if database == "ok" && storage == "ok" {
        body.into_response()
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            body,
        )
            .into_response()
    }
}
