//! Moim's server: the JSON API under `/api`, sessions in the database, and the
//! built browser app served from the binary itself.

pub mod assets;
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod files;
pub mod mail;
pub mod routes;
pub mod seed;

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
    catch_panic::CatchPanicLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

pub use config::Config;
pub use db::Db;

/// What every handler gets: the pool and the configuration. Nothing else lives in
/// the process, so instances scale out behind a load balancer.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

impl AppState {
    /// State over a database with a configuration.
    pub fn new(db: Db, config: Config) -> Self {
        AppState {
            db,
            config: Arc::new(config),
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = routes::api().split_for_parts();
    let openapi = Arc::new(openapi);
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .route(
            "/api/health",
            get(
                |axum::extract::State(s): axum::extract::State<AppState>| async move {
                    health(&s.db).await
                },
            ),
        )
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { error::api_error_response(ApiError::NotFound) }),
        )
        .method_not_allowed_fallback(|| async {
            error::api_error_response(ApiError::MethodNotAllowed)
        });
    api.fallback(assets::serve)
        .layer(DefaultBodyLimit::max(extract::JSON_LIMIT))
        .layer(axum::middleware::from_fn(auth::check_origin))
        .layer(CatchPanicLayer::custom(|_| -> Response { error::api_error_response(ApiError::Internal) }))
        .layer(TraceLayer::new_for_http())
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ))
        .with_state(state)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Health check for load balancers: answers once the database does.
pub async fn health(db: &Db) -> Response {
    match db.ping().await {
        Ok(_) => "ok".into_response(),
        Err(_) => error::api_error_response(ApiError::Internal),
    }
}
