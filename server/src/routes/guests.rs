//! Guests without an account at activities open to anyone: registering with a
//! name and an email address, confirming by the mailed link, seeing, cancelling
//! and checking in with it; the organisers mark guests present by hand. The
//! link's token travels in request bodies, never in an address a log keeps.

use crate::{
    AppState,
    auth::{self, MaybeUser},
    db::{self, activities::RegError, guests::GuestRow},
    error::{AppError, AppResult, DbError},
    extract::{ApiPath, Valid},
    routes::{
        activities::{manager_only, refusal, see, throttled},
        auth::{ClientAddress, count_attempt},
    },
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Duration, Utc};
use moim_core::{
    ActivityId, ApiError, ConflictCode, ErrorCode, activity::*, validate::normalize_email,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_guest))
        .routes(routes!(guest_view))
        .routes(routes!(guest_confirm))
        .routes(routes!(guest_cancel))
        .routes(routes!(guest_check_in))
        .routes(routes!(mark_guest))
}

/// Registrations one email address may send in the throttle's window (each
/// sends a mail).
const GUESTS_PER_EMAIL: i64 = 3;

/// Someone without an account registers for an activity open to anyone. The
/// registration holds no place until the link mailed to the address is opened;
/// the answer is the same whether or not the address registered before (it gets
/// a fresh link either way). Throttled per address asked for and per client
/// address. Closed activities answer `409 registration_closed`, activities not
/// open to guests `409 not_member`, a full category `409 category_full`.
#[utoipa::path(post, path = "/api/activities/{id}/guests", tag = "activities", params(("id" = i64, Path)), request_body = GuestRegistration,
    responses((status = 202, body = GuestPending), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn register_guest(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientAddress(addr): ClientAddress,
    ApiPath(id): ApiPath<i64>,
    Valid(g): Valid<GuestRegistration>,
) -> AppResult<(StatusCode, Json<GuestPending>)> {
    let seen = see(&state, user.as_ref(), id).await?;
    if !seen.row.guests {
        return Err(ApiError::conflict(ConflictCode::NotMember, "activity").into());
    }
    let email = normalize_email(&g.email);
    let now = Utc::now();
    let (by_email, by_addr) = (format!("guest:{email}"), format!("guest-from:{addr}"));
    let limits = [
        (by_email.as_str(), GUESTS_PER_EMAIL),
        (by_addr.as_str(), state.config.throttle_per_address),
    ];
    // Counted and kept: every registration sends a mail.
    count_attempt(&state, &limits, now).await?;
    db::guests::register(&state.db, id, &g, &email, now)
        .await
        .map_err(refusal)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(GuestPending {
            email,
            link_expires_at: now + Duration::hours(GUEST_LINK_HOURS),
        }),
    ))
}

/// The one answer for a link that opens nothing: made up, or its guest's
/// details gone.
fn invalid_link() -> AppError {
    ApiError::invalid("token", ErrorCode::InvalidLink).into()
}

/// The guest a link opens, and when it was made.
async fn by_token(state: &AppState, token: &str) -> AppResult<(GuestRow, DateTime<Utc>)> {
    db::guests::by_link(&state.db, &auth::token_hash(token.trim()))
        .await?
        .ok_or_else(invalid_link)
}

/// What the guest's page shows.
async fn view(state: &AppState, id: i64) -> AppResult<Json<GuestView>> {
    let g = match db::guests::find(&state.db, id).await {
        Err(DbError::NotFound) => return Err(invalid_link()),
        other => other?,
    };
    let a = db::activities::find(&state.db, ActivityId(g.activity_id)).await?;
    let now = Utc::now();
    let status = g.status();
    let placed = status == GuestStatus::Registered;
    let answers = g.answers();
    Ok(Json(GuestView {
        activity_id: ActivityId(a.id),
        position: db::guests::position(&state.db, &g).await?,
        title: a.title.clone(),
        name: g.name,
        org_name: g.org_name,
        email: g.email.unwrap_or_default(),
        status,
        category: g.category,
        attended: g.attended_at.is_some(),
        checkin_open: placed && a.cancelled_at.is_none() && a.checkin_open(now),
        can_cancel: status != GuestStatus::Cancelled
            && a.cancelled_at.is_none()
            && now < a.starts_at,
        place: if a.place_public || placed {
            a.place.clone()
        } else {
            String::new()
        },
        online_url: a.online_url.clone().filter(|_| placed),
        kept_until: db::guests::keep_until(a.ends_at),
        answers,
    }))
}

/// What a guest's link shows: their registration and the activity's essentials.
/// A link that opens nothing (made up, or the guest's details gone) is
/// `422 token invalid_link`.
#[utoipa::path(post, path = "/api/guests/view", tag = "activities", request_body = GuestToken,
    responses((status = 200, body = GuestView), (status = 422, body = ApiError)))]
async fn guest_view(
    State(state): State<AppState>,
    Valid(t): Valid<GuestToken>,
) -> AppResult<Json<GuestView>> {
    let (g, _) = by_token(&state, &t.token).await?;
    view(&state, g.id).await
}

/// A guest confirms with the mailed link: a place while there is one, else the
/// waiting list (`409 activity_full` when it keeps none, `409 category_full`
/// when the category's places went meanwhile). A link older than
/// [`GUEST_LINK_HOURS`] no longer confirms (`422 token`). Confirming again
/// changes nothing.
#[utoipa::path(post, path = "/api/guests/confirm", tag = "activities", request_body = GuestToken,
    responses((status = 200, body = GuestView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn guest_confirm(
    State(state): State<AppState>,
    Valid(t): Valid<GuestToken>,
) -> AppResult<Json<GuestView>> {
    let (g, link_at) = by_token(&state, &t.token).await?;
    db::guests::confirm(&state.db, &g, link_at, Utc::now())
        .await
        .map_err(guest_refusal)?;
    view(&state, g.id).await
}

/// A guest cancels with their link (until the start); the next in line takes
/// the place.
#[utoipa::path(post, path = "/api/guests/cancel", tag = "activities", request_body = GuestToken,
    responses((status = 200, body = GuestView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn guest_cancel(
    State(state): State<AppState>,
    Valid(t): Valid<GuestToken>,
) -> AppResult<Json<GuestView>> {
    let (g, _) = by_token(&state, &t.token).await?;
    db::guests::cancel(&state.db, &g, Utc::now())
        .await
        .map_err(guest_refusal)?;
    view(&state, g.id).await
}

/// A guest with a place checks in with their link and the code the CM shows.
/// Wrong codes are limited per guest like sign-ins (then 429 with
/// `Retry-After`); a guest without a place is `409 not_registered` before any
/// code is compared.
#[utoipa::path(post, path = "/api/guests/check-in", tag = "activities", request_body = GuestCheckIn,
    responses((status = 200, body = GuestView), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn guest_check_in(
    State(state): State<AppState>,
    Valid(c): Valid<GuestCheckIn>,
) -> AppResult<Json<GuestView>> {
    let (g, _) = by_token(&state, &c.token).await?;
    if g.status() != GuestStatus::Registered {
        return Err(ApiError::conflict(ConflictCode::NotRegistered, "activity").into());
    }
    let now = Utc::now();
    let key = format!("checkin-guest:{}", g.id);
    let done = db::guests::check_in(&state.db, &g, &c.code, now);
    throttled(&state, &key, now, done)
        .await?
        .map_err(guest_refusal)?;
    view(&state, g.id).await
}

/// A refusal, where a guest whose row went meanwhile is a dead link.
fn guest_refusal(e: RegError) -> AppError {
    match e {
        RegError::Db(DbError::NotFound) => invalid_link(),
        e => refusal(e),
    }
}

/// A manager marks a guest on the list present or absent by hand.
#[utoipa::path(put, path = "/api/activities/{id}/guests/{guest}", tag = "activities",
    params(("id" = i64, Path), ("guest" = i64, Path)), request_body = Attendance,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<Attendee>), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn mark_guest(
    State(state): State<AppState>,
    user: auth::CurrentUser,
    ApiPath((id, guest)): ApiPath<(i64, i64)>,
    Valid(a): Valid<Attendance>,
) -> AppResult<Json<Vec<Attendee>>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let now = Utc::now();
    if now < seen.row.starts_at - Duration::minutes(CHECKIN_OPENS_MIN) {
        return Err(ApiError::conflict(ConflictCode::CheckinClosed, "activity").into());
    }
    db::guests::mark(&state.db, id, guest, a.attended, now)
        .await
        .map_err(refusal)?;
    Ok(Json(
        db::activities::attendees(&state.db, ActivityId(id)).await?,
    ))
}
