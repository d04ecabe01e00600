//! The signed-in person's own account, expert profile, organisation requests,
//! data export and consents.

use crate::{
    AppState,
    auth::CurrentUser,
    db,
    error::AppResult,
    extract::{ApiPath, Valid},
    routes::auth::{ClientAddress, me_view},
};
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use moim_core::{
    ApiError, OrgId, UserId,
    account::{
        Colleague, ConfirmColleague, ExpertProfile, Me, OfferHandover, Representation,
        UpdateAccount,
    },
    consortium::JoinRequestView,
    privacy::{ConsentChoice, Consents, NewsMail, PRIVACY_POLICY_VERSION},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(update_account))
        .routes(routes!(get_expert_profile, save_expert_profile))
        .routes(routes!(my_requests))
        .routes(routes!(colleagues))
        .routes(routes!(confirm_colleague))
        .routes(routes!(export))
        .routes(routes!(consents, agree))
        .routes(routes!(news_mail))
        .routes(routes!(representation, offer_handover, withdraw_handover))
        .routes(routes!(accept_handover))
}

/// The organisation one confirmed person belongs to; 403 before it confirmed them.
fn own_org(user: &CurrentUser) -> AppResult<OrgId> {
    user.confirmed_org()
        .ok_or_else(|| ApiError::Forbidden.into())
}

/// Who represents one's organisation and a hand-over under way; for the
/// representative, the confirmed colleagues the role can go to.
#[utoipa::path(get, path = "/api/me/handover", tag = "me",
    responses((status = 200, body = Representation), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn representation(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Representation>> {
    let org = own_org(&user)?;
    Ok(Json(
        db::orgs::representation(&state.db, org, user.id()).await?,
    ))
}

/// The representative offers the role to a confirmed colleague (replacing an
/// offer under way); it is theirs once they accept. Someone who is not such a
/// colleague: `422 to invalid_choice`.
#[utoipa::path(post, path = "/api/me/handover", tag = "me", request_body = OfferHandover,
    responses((status = 200, body = Representation), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn offer_handover(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(req): Valid<OfferHandover>,
) -> AppResult<Json<Representation>> {
    let org = representative_of(&state, &user).await?;
    if !db::orgs::offer_handover(&state.db, org, user.id(), Some(req.to)).await? {
        return Err(ApiError::invalid("to", moim_core::ErrorCode::InvalidChoice).into());
    }
    Ok(Json(
        db::orgs::representation(&state.db, org, user.id()).await?,
    ))
}

/// The representative withdraws the offer.
#[utoipa::path(delete, path = "/api/me/handover", tag = "me",
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn withdraw_handover(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<StatusCode> {
    let org = representative_of(&state, &user).await?;
    db::orgs::offer_handover(&state.db, org, user.id(), None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The colleague the role was offered to accepts it: they represent the
/// organisation from now on (the audit trail says so), the one before stays a
/// confirmed member. `409 already_decided` without an offer to them.
#[utoipa::path(post, path = "/api/me/handover/accept", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn accept_handover(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Me>> {
    let org = own_org(&user)?;
    if !db::orgs::make_representative(&state.db, org, user.id(), true, user.id(), Utc::now())
        .await?
    {
        return Err(ApiError::state(moim_core::ConflictCode::AlreadyDecided).into());
    }
    Ok(Json(
        me_view(&state, user.id(), &user.session.csrf_token).await?,
    ))
}

/// One's consents now (the policy version last agreed to, news mail) and every
/// consent given or withdrawn.
#[utoipa::path(get, path = "/api/me/consents", tag = "me",
    responses((status = 200, body = Consents), (status = 401, body = ApiError)))]
async fn consents(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Consents>> {
    Ok(Json(Consents {
        policy_version: user.user.privacy_version.clone(),
        current_version: PRIVACY_POLICY_VERSION.to_owned(),
        news_mail: user.user.news_mail,
        history: db::consents::history(&state.db, user.id()).await?,
    }))
}

/// Agrees to the privacy policy in force (asked again when it changed), with
/// the optional news mail chosen anew; both are recorded with the version, the
/// time and the address. The person acts again from here.
#[utoipa::path(post, path = "/api/me/consents", tag = "me", request_body = ConsentChoice,
    responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn agree(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    user: CurrentUser,
    Valid(req): Valid<ConsentChoice>,
) -> AppResult<Json<Me>> {
    let mut tx = state.db.begin().await?;
    db::consents::record(&mut tx, user.id(), &req, Some(&addr), Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(
        me_view(&state, user.id(), &user.session.csrf_token).await?,
    ))
}

/// Gives or withdraws the optional consent to news mail (withdrawing is as
/// easy as giving, at any time); recorded when it changes.
#[utoipa::path(put, path = "/api/me/consents/news-mail", tag = "me", request_body = NewsMail,
    responses((status = 204), (status = 401, body = ApiError)))]
async fn news_mail(
    State(state): State<AppState>,
    ClientAddress(addr): ClientAddress,
    user: CurrentUser,
    Valid(req): Valid<NewsMail>,
) -> AppResult<StatusCode> {
    let version = user
        .user
        .privacy_version
        .as_deref()
        .unwrap_or(PRIVACY_POLICY_VERSION);
    let mut tx = state.db.begin().await?;
    db::consents::set_news_mail(
        &mut tx,
        user.id(),
        req.news_mail,
        version,
        Some(&addr),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "내 정보 내려받기": everything Moim keeps that names the signed-in person, as
/// one JSON file (each table's rows by the column that holds their id; secrets
/// such as password and token hashes left out). A download, not a page.
#[utoipa::path(get, path = "/api/me/export", tag = "me",
    responses((status = 200, description = "The person's data as a JSON file"), (status = 401, body = ApiError)))]
async fn export(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let now = Utc::now();
    let tables = db::export::person(&state.db, user.id(), &user.user.email).await?;
    let body = serde_json::json!({
        "format": "moim-export/1",
        "generated_at": now,
        "person": {"id": user.id(), "email": user.user.email, "name": user.user.name},
        "tables": tables,
    });
    let name = format!(
        "moim-{}-{}.json",
        user.id(),
        now.with_timezone(&moim_core::KST).format("%Y%m%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body.to_string(),
    )
        .into_response())
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
    Ok(Json(match user.confirmed_org() {
        Some(org) => db::requests::for_org(&state.db, org, 200).await?,
        None => vec![],
    }))
}

/// Representative: people who signed up as members of the organisation and wait
/// for confirmation (or were declined).
#[utoipa::path(get, path = "/api/me/colleagues", tag = "me",
    responses((status = 200, body = Vec<Colleague>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn colleagues(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<Colleague>>> {
    let org = representative_of(&state, &user).await?;
    Ok(Json(db::users::colleagues(&state.db, org).await?))
}

/// Representative: confirm or decline a colleague of the organisation.
#[utoipa::path(post, path = "/api/me/colleagues/{id}", tag = "me", params(("id" = i64, Path)), request_body = ConfirmColleague,
    responses((status = 200, body = Vec<Colleague>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn confirm_colleague(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<ConfirmColleague>,
) -> AppResult<Json<Vec<Colleague>>> {
    let org = representative_of(&state, &user).await?;
    if !db::users::set_affiliation(
        &state.db,
        org,
        UserId(id),
        req.confirm,
        user.id(),
        Utc::now(),
    )
    .await?
    {
        return Err(ApiError::NotFound.into());
    }
    Ok(Json(db::users::colleagues(&state.db, org).await?))
}

/// The organisation `user` represents; 403 for everyone else.
async fn representative_of(state: &AppState, user: &CurrentUser) -> AppResult<OrgId> {
    user.represented_org(&state.db)
        .await?
        .ok_or_else(|| ApiError::Forbidden.into())
}
