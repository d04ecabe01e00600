//! The signed-in person's own account, expert profile and organisation requests.

use crate::{
    AppState, auth::CurrentUser, db, error::AppResult, extract::Valid, routes::auth::me_view,
};
use axum::{Json, extract::State};
use chrono::Utc;
use moim_core::{
    ApiError,
    account::{ExpertProfile, Me, UpdateAccount},
    consortium::JoinRequestView,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(update_account))
        .routes(routes!(get_expert_profile, save_expert_profile))
        .routes(routes!(my_requests))
}

/// Edits one's name, department and expert flag.
#[utoipa::path(put, path = "/api/me", tag = "me", request_body = UpdateAccount,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn update_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<UpdateAccount>,
) -> AppResult<Json<Me>> {
    db::users::update_account(&state.db, user.id(), &req).await?;
    Ok(Json(
        me_view(&state, user.id(), &user.session.csrf_token).await?,
    ))
}

/// One's expert profile (experts only).
#[utoipa::path(get, path = "/api/me/expert-profile", tag = "me",
    responses((status = 200, body = ExpertProfile), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn get_expert_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ExpertProfile>> {
    if !user.user.is_expert {
        return Err(ApiError::Forbidden.into());
    }
    Ok(Json(db::users::expert_profile(&state.db, user.id()).await?))
}

/// Saves one's expert profile (experts only).
#[utoipa::path(put, path = "/api/me/expert-profile", tag = "me", request_body = ExpertProfile,
    responses((status = 200, body = ExpertProfile), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn save_expert_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<ExpertProfile>,
) -> AppResult<Json<ExpertProfile>> {
    if !user.user.is_expert {
        return Err(ApiError::Forbidden.into());
    }
    db::users::save_expert_profile(&state.db, user.id(), &req, Utc::now()).await?;
    Ok(Json(db::users::expert_profile(&state.db, user.id()).await?))
}

/// The requests and invitations of one's organisation.
#[utoipa::path(get, path = "/api/me/requests", tag = "me",
    responses((status = 200, body = Vec<JoinRequestView>), (status = 401, body = ApiError)))]
async fn my_requests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<JoinRequestView>>> {
    Ok(Json(
        db::requests::for_org(&state.db, user.org(), 200).await?,
    ))
}
