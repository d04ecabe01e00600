//! The notification centre: the bell's count, the list, marking read.

use crate::{
    AppState,
    auth::CurrentUser,
    db,
    error::AppResult,
    extract::{ApiPath, ApiQuery, Valid},
};
use axum::{Json, extract::State};
use chrono::Utc;
use moim_core::{
    ApiError, NotificationId,
    account::Cursor,
    notification::{NotificationView, Preferences, SetPreferences, UnreadCount},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(unread_count))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(get_preferences, set_preferences))
}

/// How one wants to hear of each kind of notification (defaults filled in).
#[utoipa::path(get, path = "/api/notifications/preferences", tag = "notifications",
    responses((status = 200, body = Preferences), (status = 401, body = ApiError)))]
async fn get_preferences(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Preferences>> {
    Ok(Json(Preferences {
        items: db::notifications::preferences(&state.db, user.id()).await?,
        email: db::users::email_of(&state.db, user.id()).await?,
    }))
}

/// Changes some kinds' channels: in the app, email right away, a daily digest, or off.
#[utoipa::path(put, path = "/api/notifications/preferences", tag = "notifications", request_body = SetPreferences,
    responses((status = 200, body = Preferences), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn set_preferences(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(p): Valid<SetPreferences>,
) -> AppResult<Json<Preferences>> {
    db::notifications::set_preferences(&state.db, user.id(), &p.items).await?;
    get_preferences(State(state), user).await
}

/// One's notifications, newest first, 30 at a time.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(Cursor),
    responses((status = 200, body = Vec<NotificationView>), (status = 401, body = ApiError)))]
async fn list_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(c): ApiQuery<Cursor>,
) -> AppResult<Json<Vec<NotificationView>>> {
    Ok(Json(
        db::notifications::list(&state.db, user.id(), c.before.map(NotificationId), 30).await?,
    ))
}

/// The bell's number.
#[utoipa::path(get, path = "/api/notifications/unread", tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = ApiError)))]
async fn unread_count(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<UnreadCount>> {
    Ok(Json(UnreadCount {
        unread: db::notifications::unread(&state.db, user.id()).await?,
    }))
}

/// Marks one notification read; someone else's is not found.
#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 200, body = UnreadCount), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<UnreadCount>> {
    let id = NotificationId(id);
    if !db::notifications::owned(&state.db, user.id(), id).await? {
        return Err(ApiError::NotFound.into());
    }
    db::notifications::mark_read(&state.db, user.id(), Some(id), Utc::now()).await?;
    Ok(Json(UnreadCount {
        unread: db::notifications::unread(&state.db, user.id()).await?,
    }))
}

/// Marks every notification read.
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = ApiError)))]
async fn mark_all_read(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<UnreadCount>> {
    db::notifications::mark_read(&state.db, user.id(), None, Utc::now()).await?;
    Ok(Json(UnreadCount { unread: 0 }))
}
