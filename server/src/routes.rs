//! The JSON API under `/api`, one module a resource. Each handler carries its
//! OpenAPI annotation, and the router is built from the same annotations, so
//! `/api/openapi.json` cannot drift from the handlers.

pub mod activities;
pub mod admin;
pub mod auth;
pub mod collaborations;
pub mod consortia;
pub mod ideas;
pub mod kpi;
pub mod me;
pub mod notifications;
pub mod orgs;
pub mod problems;
pub mod reference;
pub mod requests;
pub mod security;

use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Moim API",
        description = "Self-service portal of Korea's industrial-complex innovation clusters"
    ),
    components(schemas(
        moim_core::ApiError,
        moim_core::FieldError,
        moim_core::ErrorCode,
        moim_core::ConflictCode
    ))
)]
struct ApiDoc;

/// Every API route with its documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(me::router())
        .merge(security::router())
        .merge(reference::router())
        .merge(orgs::router())
        .merge(consortia::router())
        .merge(requests::router())
        .merge(problems::router())
        .merge(collaborations::router())
        .merge(ideas::router())
        .merge(notifications::router())
        .merge(activities::router())
        .merge(kpi::router())
        .merge(admin::router())
}
