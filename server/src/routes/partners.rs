//! Partners abroad: the register (everyone reads it; admins keep it), each
//! partner's agreements with their signed documents (signed-in people
//! download them), and the events it co-organises. The contact person is
//! shown to admins and CMs only.

use crate::{
    AppState,
    auth::{Admin, CurrentUser, MaybeUser},
    db::{self, partners::RemoveError},
    error::{AppError, AppResult, DbError},
    extract::{ApiPath, ApiQuery, JSON_LIMIT, Valid},
    files,
};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use moim_core::{ApiError, ConflictCode, PartnerAgreementId, PartnerId, kst_today, partner::*};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_partners, create_partner))
        .routes(routes!(get_partner, update_partner, delete_partner))
        .routes(routes!(add_agreement))
        .routes(routes!(update_agreement, delete_agreement))
        .routes(routes!(get_document))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(put_document))
                .layer(DefaultBodyLimit::max(DOCUMENT_MAX + JSON_LIMIT)),
        )
}

/// A write refused by the register's rules as the client hears it: a name
/// taken is 409 `partner_name_taken` on `name`, a partner or agreement gone 404.
fn refused(e: DbError) -> AppError {
    match e {
        DbError::Unique(v) if v.of(&db::partners::NAME) => {
            ApiError::conflict(ConflictCode::PartnerNameTaken, "name").into()
        }
        DbError::NotFound => ApiError::NotFound.into(),
        e => e.into(),
    }
}

/// Whether the caller sees contacts: an admin, or a CM of some consortium.
async fn staff(state: &AppState, user: Option<&CurrentUser>) -> AppResult<bool> {
    Ok(match user {
        Some(u) => crate::routes::access::is_staff(state, u).await?,
        None => false,
    })
}

async fn view(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: PartnerId,
) -> AppResult<PartnerView> {
    let row = db::partners::find(&state.db, id).await.map_err(refused)?;
    Ok(PartnerView {
        tag: row.tag(),
        kind: row.kind(),
        website: row.website.clone(),
        description: row.description.clone(),
        contact: if staff(state, user).await? {
            row.contact()
        } else {
            None
        },
        agreements: db::partners::agreements(&state.db, id).await?,
        events: db::partners::events(&state.db, id).await?,
        can_edit: user.is_some_and(CurrentUser::is_admin),
        is_sample: row.is_sample,
    })
}

/// The register: partners by Korean name, 30 a page, filtered by words in
/// either name, country and kind; for everyone.
#[utoipa::path(get, path = "/api/partners", tag = "partners", params(PartnerQuery),
    responses((status = 200, body = PartnerList), (status = 422, body = ApiError)))]
async fn list_partners(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<PartnerQuery>,
) -> AppResult<Json<PartnerList>> {
    let (items, total, countries) = db::partners::list(&state.db, &q, kst_today()).await?;
    let per = i64::from(PARTNERS_PER_PAGE);
    Ok(Json(PartnerList {
        items,
        total,
        page: q.page.unwrap_or(1),
        pages: u32::try_from(((total + per - 1) / per).max(1)).unwrap_or(u32::MAX),
        countries,
        can_edit: user.as_ref().is_some_and(CurrentUser::is_admin),
    }))
}

/// An admin registers a partner (a name taken, in any case, is 409).
#[utoipa::path(post, path = "/api/partners", tag = "partners", request_body = SavePartner,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = PartnerView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_partner(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Valid(p): Valid<SavePartner>,
) -> AppResult<(StatusCode, Json<PartnerView>)> {
    let id = db::partners::insert(&state.db, &p, admin.id(), Utc::now())
        .await
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, Some(&admin), id).await?),
    ))
}

/// A partner's page: who it is, its agreements and the events it co-organises
/// (the contact for admins and CMs).
#[utoipa::path(get, path = "/api/partners/{id}", tag = "partners", params(("id" = i64, Path)),
    responses((status = 200, body = PartnerView), (status = 404, body = ApiError)))]
async fn get_partner(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PartnerView>> {
    Ok(Json(view(&state, user.as_ref(), PartnerId(id)).await?))
}

/// An admin edits a partner.
#[utoipa::path(put, path = "/api/partners/{id}", tag = "partners", params(("id" = i64, Path)), request_body = SavePartner,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = PartnerView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn update_partner(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(p): Valid<SavePartner>,
) -> AppResult<Json<PartnerView>> {
    db::partners::update(&state.db, PartnerId(id), &p, admin.id(), Utc::now())
        .await
        .map_err(refused)?;
    Ok(Json(view(&state, Some(&admin), PartnerId(id)).await?))
}

/// An admin removes a partner with its agreements and their documents; one
/// that events name stays (409 `partner_in_use`).
#[utoipa::path(delete, path = "/api/partners/{id}", tag = "partners", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn delete_partner(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let keys = db::partners::delete(&state.db, PartnerId(id), admin.id(), Utc::now())
        .await
        .map_err(|e| match e {
            RemoveError::InUse => ApiError::conflict(ConflictCode::PartnerInUse, "partner").into(),
            RemoveError::Db(e) => refused(e),
        })?;
    state.files.remove_later(keys);
    Ok(StatusCode::NO_CONTENT)
}

/// An admin records an agreement with a partner.
#[utoipa::path(post, path = "/api/partners/{id}/agreements", tag = "partners", params(("id" = i64, Path)), request_body = SaveAgreement,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = AgreementView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn add_agreement(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(a): Valid<SaveAgreement>,
) -> AppResult<(StatusCode, Json<AgreementView>)> {
    let id = PartnerId(id);
    let aid = db::partners::add_agreement(&state.db, id, &a, admin.id(), Utc::now())
        .await
        .map_err(refused)?;
    let view = db::partners::agreement(&state.db, id, aid).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// An admin edits an agreement.
#[utoipa::path(put, path = "/api/partners/{id}/agreements/{agreement}", tag = "partners",
    params(("id" = i64, Path), ("agreement" = i64, Path)), request_body = SaveAgreement,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = AgreementView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn update_agreement(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
    Valid(a): Valid<SaveAgreement>,
) -> AppResult<Json<AgreementView>> {
    let (id, aid) = (PartnerId(id), PartnerAgreementId(aid));
    db::partners::update_agreement(&state.db, id, aid, &a, admin.id(), Utc::now())
        .await
        .map_err(refused)?;
    Ok(Json(db::partners::agreement(&state.db, id, aid).await?))
}

/// An admin removes an agreement (with its document).
#[utoipa::path(delete, path = "/api/partners/{id}/agreements/{agreement}", tag = "partners",
    params(("id" = i64, Path), ("agreement" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_agreement(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let key = db::partners::delete_agreement(
        &state.db,
        PartnerId(id),
        PartnerAgreementId(aid),
        admin.id(),
        Utc::now(),
    )
    .await
    .map_err(refused)?;
    state.files.remove_later(key.into_iter().collect());
    Ok(StatusCode::NO_CONTENT)
}

/// An admin attaches the signed document (PDF, or a scan as PNG, JPEG, WebP or
/// GIF; at most 10 MiB) as the form field `file`, replacing the one before.
/// The type is read from the content; the file is written whole before it is
/// recorded.
#[utoipa::path(post, path = "/api/partners/{id}/agreements/{agreement}/document", tag = "partners",
    params(("id" = i64, Path), ("agreement" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = AgreementView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn put_document(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Json<AgreementView>> {
    let (id, aid) = (PartnerId(id), PartnerAgreementId(aid));
    // Nothing is stored for an agreement that is not there.
    db::partners::agreement(&state.db, id, aid)
        .await
        .map_err(refused)?;
    let (name, bytes) = files::file_part(multipart, DOCUMENT_MAX).await?;
    let (content_type, bytes) = files::document(bytes)?;
    let key = state.files.put(bytes.clone()).await?;
    let doc = db::partners::NewDocument {
        name: &name,
        content_type,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        key: &key,
    };
    match db::partners::set_document(&state.db, id, aid, &doc, admin.id(), Utc::now()).await {
        Ok(old) => {
            state.files.remove_later(old.into_iter().collect());
            Ok(Json(db::partners::agreement(&state.db, id, aid).await?))
        }
        Err(e) => {
            state.files.remove(std::slice::from_ref(&key)).await;
            Err(refused(e))
        }
    }
}

/// The signed document, for signed-in people whose address is verified (an
/// account made up a minute ago does not read the programme's agreements):
/// served with its checked type, `nosniff` and a sandboxing CSP, as a download
/// unless it is an image.
#[utoipa::path(get, path = "/api/partners/{id}/agreements/{agreement}/document", tag = "partners",
    params(("id" = i64, Path), ("agreement" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, description = "The file"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    if user.user.email_verified_at.is_none() {
        return Err(ApiError::EmailUnverified.into());
    }
    let row = db::partners::document(&state.db, PartnerId(id), PartnerAgreementId(aid))
        .await
        .map_err(refused)?;
    let file = state.files.open(&row.storage_key).await?;
    Ok(files::respond(
        file,
        &row.content_type,
        &row.name,
        "private, max-age=300",
    ))
}
