//! A single join request or invitation: read it, decide it, withdraw it.

use crate::{
    AppState,
    auth::CurrentUser,
    db::{self, requests::Outcome},
    error::AppResult,
    extract::{ApiPath, Valid},
    routes::{access::can_manage, consortia::outcome},
};
use axum::{Json, extract::State};
use chrono::Utc;
use moim_core::{
    ApiError, ConflictCode, JoinRequestId,
    consortium::{Decide, JoinRequestView, RequestKind, RequestStatus},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_request))
        .routes(routes!(decide_request))
        .routes(routes!(withdraw_request))
}

/// Who the caller is to a request.
struct Access {
    manager: bool,
    own_org: bool,
    representative: bool,
}

/// Loads a request the caller may see; anyone else gets 404, so ids cannot be probed.
async fn visible(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(JoinRequestView, Access)> {
    let r = db::requests::find(&state.db, JoinRequestId(id)).await?;
    let manager = can_manage(state, user, r.consortium_id).await?;
    let own_org = user.confirmed_org() == Some(r.organisation.id);
    if !manager && !own_org {
        return Err(ApiError::NotFound.into());
    }
    let representative = own_org
        && db::orgs::find(&state.db, r.organisation.id)
            .await?
            .representative_id
            == Some(user.id().0);
    Ok((
        r,
        Access {
            manager,
            own_org,
            representative,
        },
    ))
}

/// A request or invitation (its CMs and the organisation's people only).
#[utoipa::path(get, path = "/api/requests/{id}", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = JoinRequestView), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn get_request(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<JoinRequestView>> {
    Ok(Json(visible(&state, &user, id).await?.0))
}

/// Decides: a CM approves or declines a request; the organisation's representative
/// accepts or declines an invitation. Declining needs a reason.
#[utoipa::path(post, path = "/api/requests/{id}/decision", tag = "requests", params(("id" = i64, Path)), request_body = Decide,
    responses((status = 200, body = JoinRequestView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn decide_request(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<Decide>,
) -> AppResult<Json<JoinRequestView>> {
    let (r, access) = visible(&state, &user, id).await?;
    let allowed = match r.kind {
        RequestKind::Request => access.manager,
        RequestKind::Invitation => access.representative || (access.own_org && user.is_admin()),
    };
    if !allowed {
        return Err(ApiError::Forbidden.into());
    }
    close(
        &state,
        &user,
        &r,
        outcome(req.approve),
        req.reason.as_deref(),
    )
    .await
}

/// Withdraws: the organisation takes back its request, a CM takes back an invitation.
#[utoipa::path(post, path = "/api/requests/{id}/withdraw", tag = "requests", params(("id" = i64, Path)),
    responses((status = 200, body = JoinRequestView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn withdraw_request(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<JoinRequestView>> {
    let (r, access) = visible(&state, &user, id).await?;
    let allowed = match r.kind {
        RequestKind::Request => access.own_org,
        RequestKind::Invitation => access.manager,
    };
    if !allowed {
        return Err(ApiError::Forbidden.into());
    }
    close(&state, &user, &r, Outcome::Withdrawn, None).await
}

async fn close(
    state: &AppState,
    user: &CurrentUser,
    r: &JoinRequestView,
    outcome: Outcome,
    reason: Option<&str>,
) -> AppResult<Json<JoinRequestView>> {
    if r.status != RequestStatus::Pending
        || !db::requests::close(&state.db, r, outcome, user.id(), reason, Utc::now()).await?
    {
        return Err(ApiError::Conflict {
            code: ConflictCode::AlreadyDecided,
            field: None,
        }
        .into());
    }
    Ok(Json(db::requests::find(&state.db, r.id).await?))
}
