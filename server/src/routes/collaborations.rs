//! Collaborations and their pipeline, the CM's board, following fields, and
//! experts' offers to collaborate without a posted problem.

use crate::{
    AppState,
    auth::CurrentUser,
    db,
    error::AppResult,
    extract::{ApiPath, Valid},
    routes::access::can_manage,
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use moim_core::{
    ApiError, CollaborationId, ConflictCode, ConsortiumId, ErrorCode, FieldId, OrgId, problem::*,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_collaboration))
        .routes(routes!(move_collaboration))
        .routes(routes!(my_collaborations))
        .routes(routes!(get_follows, set_follows))
        .routes(routes!(consortium_board))
        .routes(routes!(list_offers, create_offer))
        .routes(routes!(decide_offer))
}

/// Who may see and move a collaboration: its expert, the firm's people, the CMs of
/// its consortium and admins. Anyone else gets 404.
async fn party(
    state: &AppState,
    user: &CurrentUser,
    id: CollaborationId,
) -> AppResult<db::collaborations::Parties> {
    let p = db::collaborations::parties(&state.db, id).await?;
    let firm = p.org.is_some() && user.confirmed_org() == p.org;
    let manager = match p.consortium {
        Some(c) => can_manage(state, user, c).await?,
        None => user.is_admin(),
    };
    if firm || manager || p.expert == user.id() {
        Ok(p)
    } else {
        Err(ApiError::NotFound.into())
    }
}

/// A collaboration with every dated stage.
#[utoipa::path(get, path = "/api/collaborations/{id}", tag = "collaborations", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = CollaborationView), (status = 404, body = ApiError)))]
async fn get_collaboration(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CollaborationView>> {
    let id = CollaborationId(id);
    party(&state, &user, id).await?;
    Ok(Json(db::collaborations::find(&state.db, id).await?))
}

/// Move along the pipeline (matched → in progress → completed → commercialised, or
/// dropped), dated and noted; both sides are told.
#[utoipa::path(post, path = "/api/collaborations/{id}/stage", tag = "collaborations", params(("id" = i64, Path)), request_body = MoveStage,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = CollaborationView), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn move_collaboration(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(m): Valid<MoveStage>,
) -> AppResult<Json<CollaborationView>> {
    let id = CollaborationId(id);
    let parties = party(&state, &user, id).await?;
    if !db::collaborations::may_move(parties.stage, m.stage)
        || !db::collaborations::move_stage(&state.db, id, &parties, &m, user.id(), Utc::now())
            .await?
    {
        return Err(ApiError::conflict(ConflictCode::StageNotAllowed, "stage").into());
    }
    Ok(Json(db::collaborations::find(&state.db, id).await?))
}

/// The caller's collaborations, as expert or through their firm.
#[utoipa::path(get, path = "/api/me/collaborations", tag = "collaborations",
    responses((status = 200, body = Vec<CollaborationView>), (status = 401, body = ApiError)))]
async fn my_collaborations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<CollaborationView>>> {
    Ok(Json(
        db::collaborations::mine(&state.db, user.id(), user.confirmed_org()).await?,
    ))
}

/// Fields the caller follows: new problems in them are notified.
#[utoipa::path(get, path = "/api/me/follows", tag = "problems",
    responses((status = 200, body = FieldFollow), (status = 401, body = ApiError)))]
async fn get_follows(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<FieldFollow>> {
    Ok(Json(FieldFollow {
        field_ids: db::problems::follows(&state.db, user.id()).await?,
    }))
}

/// Replace the followed fields.
#[utoipa::path(put, path = "/api/me/follows", tag = "problems", request_body = FieldFollow,
    responses((status = 200, body = FieldFollow), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn set_follows(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::extract::ApiJson(f): crate::extract::ApiJson<FieldFollow>,
) -> AppResult<Json<FieldFollow>> {
    let known = db::reference::field_ids(&state.db).await?;
    if f.field_ids.len() > 25 || f.field_ids.iter().any(|x| !known.contains(x)) {
        return Err(ApiError::invalid("field_ids", ErrorCode::InvalidChoice).into());
    }
    let mut ids: Vec<FieldId> = f.field_ids;
    ids.sort_unstable();
    ids.dedup();
    db::problems::set_follows(&state.db, user.id(), &ids, Utc::now()).await?;
    Ok(Json(FieldFollow { field_ids: ids }))
}

/// The CM's board: every published problem of the consortium by stage.
#[utoipa::path(get, path = "/api/consortia/{id}/board", tag = "collaborations", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<BoardCard>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn consortium_board(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<BoardCard>>> {
    let id = ConsortiumId(id);
    db::consortia::is_active(&state.db, id).await?;
    if !can_manage(&state, &user, id).await? {
        return Err(ApiError::Forbidden.into());
    }
    Ok(Json(db::problems::board(&state.db, id).await?))
}

/// Offers the caller sent, and those to their firm or the consortia they run.
#[utoipa::path(get, path = "/api/offers", tag = "collaborations",
    responses((status = 200, body = Vec<OfferView>), (status = 401, body = ApiError)))]
async fn list_offers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<OfferView>>> {
    let org = user.confirmed_org();
    let representative = user.represented_org(&state.db).await?.is_some();
    let managed = db::users::managed_consortia(&state.db, user.id()).await?;
    Ok(Json(
        db::collaborations::offers(
            &state.db,
            user.id(),
            org,
            representative,
            &managed,
            user.is_admin(),
        )
        .await?,
    ))
}

/// An expert offers to collaborate with a firm or a whole consortium.
#[utoipa::path(post, path = "/api/offers", tag = "collaborations", request_body = NewOffer,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = OfferView), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn create_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(o): Valid<NewOffer>,
) -> AppResult<(StatusCode, Json<OfferView>)> {
    if db::experts::is_expert(&state.db, user.id())
        .await?
        .is_none()
    {
        return Err(ApiError::Forbidden.into());
    }
    match o.target {
        OfferTarget::Organisation { id } => {
            let org = db::orgs::find(&state.db, id)
                .await
                .map_err(|_| ApiError::invalid("target", ErrorCode::InvalidChoice))?;
            if Some(OrgId(org.id)) == user.confirmed_org() {
                return Err(ApiError::invalid("target", ErrorCode::InvalidChoice).into());
            }
        }
        OfferTarget::Consortium { id } => {
            if !db::consortia::is_active(&state.db, id)
                .await
                .map_err(|_| ApiError::invalid("target", ErrorCode::InvalidChoice))?
            {
                return Err(ApiError::conflict(ConflictCode::Archived, "target").into());
            }
        }
    }
    let id = db::collaborations::offer(&state.db, user.id(), &o, Utc::now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(db::collaborations::find_offer(&state.db, id).await?),
    ))
}

/// The firm's representative or the consortium's CM accepts (a collaboration opens)
/// or declines (with a reason) an offer.
#[utoipa::path(post, path = "/api/offers/{id}/decision", tag = "collaborations", params(("id" = i64, Path)), request_body = DecideOffer,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = OfferView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn decide_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(d): Valid<DecideOffer>,
) -> AppResult<Json<OfferView>> {
    let offer = db::collaborations::find_offer(&state.db, id).await?;
    let allowed = match offer.target {
        OfferTarget::Organisation { id: org } => {
            user.represented_org(&state.db).await? == Some(org)
        }
        OfferTarget::Consortium { id: c } => can_manage(&state, &user, c).await?,
    };
    if !allowed {
        let sender = offer.expert.id == user.id();
        let receiver_side = matches!(offer.target, OfferTarget::Organisation { id: org } if user.confirmed_org() == Some(org));
        return Err(if sender || receiver_side {
            ApiError::Forbidden
        } else {
            ApiError::NotFound
        }
        .into());
    }
    if !db::collaborations::decide_offer(&state.db, &offer, user.id(), &d, Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::AlreadyDecided).into());
    }
    Ok(Json(db::collaborations::find_offer(&state.db, id).await?))
}
