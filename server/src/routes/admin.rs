//! Agency admins: find people to appoint, read the whole audit trail.

use crate::{AppState, auth::Admin, db, error::AppResult, extract::ApiQuery};
use axum::{Json, extract::State};
use moim_core::{
    ApiError, AuditId, ConsortiumId,
    account::{Cursor, UserSearch, UserSummary},
    consortium::AuditEntry,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_users))
        .routes(routes!(audit_trail))
}

/// People whose name or email contains `q` (at most 20).
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(UserSearch),
    responses((status = 200, body = Vec<UserSummary>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn search_users(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<UserSearch>,
) -> AppResult<Json<Vec<UserSummary>>> {
    Ok(Json(db::users::search(&state.db, &q.q, 20).await?))
}

/// The audit trail of everything, or of one consortium, newest first.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", params(Cursor),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn audit_trail(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(c): ApiQuery<Cursor>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        db::audit::list(
            &state.db,
            c.consortium.map(ConsortiumId),
            c.before.map(AuditId),
            50,
        )
        .await?,
    ))
}
