//! Reference data and headline numbers.

use crate::{AppState, db, error::AppResult};
use axum::{Json, extract::State};
use moim_core::reference::{ProgrammeStats, Reference};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reference))
        .routes(routes!(stats))
}

/// Complexes and technology fields.
#[utoipa::path(get, path = "/api/reference", tag = "reference", responses((status = 200, body = Reference)))]
async fn reference(State(state): State<AppState>) -> AppResult<Json<Reference>> {
    Ok(Json(db::reference::load(&state.db).await?))
}

/// Headline numbers of the programme.
#[utoipa::path(get, path = "/api/stats", tag = "reference", responses((status = 200, body = ProgrammeStats)))]
async fn stats(State(state): State<AppState>) -> AppResult<Json<ProgrammeStats>> {
    Ok(Json(db::reference::stats(&state.db).await?))
}
