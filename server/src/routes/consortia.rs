//! Consortia: browse, search, a consortium's page, joining and leaving, and the
//! admin's create / edit / archive / appoint.

use crate::{
    AppState,
    auth::{Admin, CurrentUser, MaybeUser},
    db::{self, requests::Outcome},
    error::{AppError, AppResult, DbError},
    extract::{ApiPath, ApiQuery, Valid},
    routes::access::can_manage,
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use moim_core::{
    ApiError, ConflictCode, ConsortiumId, ErrorCode, Page, UserId,
    account::{Cursor, PersonRef},
    consortium::*,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consortia, create_consortium))
        .routes(routes!(get_consortium, update_consortium))
        .routes(routes!(archive_consortium))
        .routes(routes!(appoint_manager))
        .routes(routes!(remove_manager))
        .routes(routes!(list_requests, create_request))
        .routes(routes!(create_invitation))
        .routes(routes!(leave_consortium))
        .routes(routes!(consortium_audit))
}

/// 404 for a consortium that does not exist, before any permission is looked at.
async fn existing(state: &AppState, id: i64) -> AppResult<ConsortiumId> {
    let id = ConsortiumId(id);
    db::consortia::is_active(&state.db, id).await?;
    Ok(id)
}

/// The consortium page as `user` may see it.
pub async fn view(
    state: &AppState,
    id: ConsortiumId,
    user: Option<&CurrentUser>,
) -> AppResult<ConsortiumView> {
    let db = &state.db;
    let year_ago = Utc::now() - chrono::Duration::days(365);
    // Independent reads, run side by side on the pool.
    let (summary, details, managers, counts, activity) = tokio::try_join!(
        db::consortia::summary(db, id),
        db::consortia::details(db, id),
        db::consortia::managers(db, id),
        db::consortia::counts(db, id),
        db::consortia::activity(db, id, year_ago),
    )?;
    let (standing, can_manage) = match user {
        None => (Standing::Anonymous, false),
        Some(u) => {
            let standing = async {
                Ok::<_, AppError>(match u.confirmed_org() {
                    Some(org) => db::requests::standing(db, id, org).await?,
                    None => Standing::Unconfirmed,
                })
            };
            tokio::try_join!(standing, can_manage(state, u, id))?
        }
    };
    let sees_members = can_manage || standing == Standing::Member;
    Ok(ConsortiumView {
        summary,
        description: details.description,
        term_start: details.term_start,
        term_end: details.term_end,
        managers,
        counts,
        activity,
        members: if sees_members {
            Some(db::consortia::members(db, id).await?)
        } else {
            None
        },
        standing,
        can_manage,
        created_at: details.created_at,
        origin: details.origin,
    })
}

/// Browse and search consortia. `mine=true` needs a session.
#[utoipa::path(get, path = "/api/consortia", tag = "consortia", params(ConsortiumQuery),
    responses((status = 200, body = Page<ConsortiumSummary>), (status = 401, body = ApiError), (status = 422, body = ApiError)))]
async fn list_consortia(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<ConsortiumQuery>,
) -> AppResult<Json<Page<ConsortiumSummary>>> {
    let member_of = match (q.mine.unwrap_or(false), &user) {
        (false, _) => None,
        (true, Some(u)) => match u.confirmed_org() {
            Some(org) => Some(org),
            // Not yet confirmed by the organisation: it has no consortia of theirs.
            None => {
                let per_page = q.per_page.unwrap_or(PER_PAGE_DEFAULT);
                return Ok(Json(Page {
                    items: vec![],
                    total: 0,
                    page: 1,
                    per_page,
                }));
            }
        },
        (true, None) => return Err(ApiError::Unauthenticated.into()),
    };
    Ok(Json(db::consortia::list(&state.db, &q, member_of).await?))
}

/// A consortium's name taken in its complex (409 `name_taken`), or a complex
/// or field that is none (422).
pub(crate) fn name_taken(e: DbError) -> AppError {
    match e {
        DbError::Unique(v) if v.of(&db::consortia::NAME) => {
            ApiError::conflict(ConflictCode::NameTaken, "name").into()
        }
        DbError::ForeignKey(_) => ApiError::invalid("complex_id", ErrorCode::InvalidChoice).into(),
        e => e.into(),
    }
}

/// Admin: create a consortium.
#[utoipa::path(post, path = "/api/consortia", tag = "consortia", request_body = EditConsortium,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = ConsortiumView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_consortium(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Valid(req): Valid<EditConsortium>,
) -> AppResult<(StatusCode, Json<ConsortiumView>)> {
    let id = db::consortia::create(&state.db, &req, Some(admin.id()), false, Utc::now())
        .await
        .map_err(name_taken)?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, id, Some(&admin)).await?),
    ))
}

/// A consortium's page: members in full only for members, its CMs and admins.
#[utoipa::path(get, path = "/api/consortia/{id}", tag = "consortia", params(("id" = i64, Path)),
    responses((status = 200, body = ConsortiumView), (status = 404, body = ApiError)))]
async fn get_consortium(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ConsortiumView>> {
    Ok(Json(view(&state, ConsortiumId(id), user.as_ref()).await?))
}

/// Admin: edit a consortium.
#[utoipa::path(put, path = "/api/consortia/{id}", tag = "consortia", params(("id" = i64, Path)), request_body = EditConsortium,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ConsortiumView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn update_consortium(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<EditConsortium>,
) -> AppResult<Json<ConsortiumView>> {
    let id = existing(&state, id).await?;
    db::consortia::update(&state.db, id, &req, admin.id(), Utc::now())
        .await
        .map_err(name_taken)?;
    Ok(Json(view(&state, id, Some(&admin)).await?))
}

/// Admin: archive a consortium (its open requests are withdrawn).
#[utoipa::path(post, path = "/api/consortia/{id}/archive", tag = "consortia", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ConsortiumView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn archive_consortium(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ConsortiumView>> {
    let id = existing(&state, id).await?;
    if !db::consortia::archive(&state.db, id, admin.id(), Utc::now()).await? {
        return Err(ApiError::Conflict {
            code: ConflictCode::Archived,
            field: None,
        }
        .into());
    }
    Ok(Json(view(&state, id, Some(&admin)).await?))
}

/// Admin: appoint a CM.
#[utoipa::path(post, path = "/api/consortia/{id}/managers", tag = "consortia", params(("id" = i64, Path)), request_body = AppointManager,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<PersonRef>), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn appoint_manager(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<AppointManager>,
) -> AppResult<Json<Vec<PersonRef>>> {
    let id = existing(&state, id).await?;
    // A closed account (회원 탈퇴) is nobody to appoint.
    match db::users::find(&state.db, req.user_id).await {
        Ok(u) if u.closed_at.is_none() => {}
        Ok(_) | Err(DbError::NotFound) => {
            return Err(ApiError::invalid("user_id", ErrorCode::InvalidChoice).into());
        }
        Err(e) => return Err(e.into()),
    }
    db::consortia::appoint_manager(&state.db, id, req.user_id, Some(admin.id()), Utc::now())
        .await
        .map_err(|e| match e {
            DbError::Unique(v) if v.of(&db::consortia::MANAGER) => {
                AppError::from(ApiError::conflict(ConflictCode::AlreadyManager, "user_id"))
            }
            DbError::ForeignKey(_) => ApiError::invalid("user_id", ErrorCode::InvalidChoice).into(),
            e => e.into(),
        })?;
    Ok(Json(db::consortia::managers(&state.db, id).await?))
}

/// Admin: remove a CM.
#[utoipa::path(delete, path = "/api/consortia/{id}/managers/{user_id}", tag = "consortia", params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn remove_manager(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let id = existing(&state, id).await?;
    if !db::consortia::remove_manager(&state.db, id, UserId(user_id), admin.id(), Utc::now())
        .await?
    {
        return Err(ApiError::NotFound.into());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// CM: the consortium's requests and invitations, open ones first.
#[utoipa::path(get, path = "/api/consortia/{id}/requests", tag = "consortia", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<JoinRequestView>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn list_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<JoinRequestView>>> {
    let id = existing(&state, id).await?;
    if !can_manage(&state, &user, id).await? {
        return Err(ApiError::Forbidden.into());
    }
    Ok(Json(
        db::requests::for_consortium(&state.db, id, 200).await?,
    ))
}

/// Asks to join for one's organisation.
#[utoipa::path(post, path = "/api/consortia/{id}/requests", tag = "consortia", params(("id" = i64, Path)), request_body = CreateJoinRequest,
    responses((status = 201, body = JoinRequestView), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_request(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<CreateJoinRequest>,
) -> AppResult<(StatusCode, Json<JoinRequestView>)> {
    let id = existing(&state, id).await?;
    open_for(
        &state,
        RequestKind::Request,
        id,
        user.acting_org()?,
        user.id(),
        &req.motivation,
    )
    .await
}

/// CM: invites an organisation.
#[utoipa::path(post, path = "/api/consortia/{id}/invitations", tag = "consortia", params(("id" = i64, Path)), request_body = CreateInvitation,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = JoinRequestView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<CreateInvitation>,
) -> AppResult<(StatusCode, Json<JoinRequestView>)> {
    let id = existing(&state, id).await?;
    if !can_manage(&state, &user, id).await? {
        return Err(ApiError::Forbidden.into());
    }
    db::orgs::find(&state.db, req.org_id)
        .await
        .map_err(|e| match e {
            DbError::NotFound => {
                AppError::from(ApiError::invalid("org_id", ErrorCode::InvalidChoice))
            }
            e => e.into(),
        })?;
    open_for(
        &state,
        RequestKind::Invitation,
        id,
        req.org_id,
        user.id(),
        &req.message,
    )
    .await
}

async fn open_for(
    state: &AppState,
    kind: RequestKind,
    id: ConsortiumId,
    org: moim_core::OrgId,
    by: UserId,
    message: &str,
) -> AppResult<(StatusCode, Json<JoinRequestView>)> {
    if !db::consortia::is_active(&state.db, id).await? {
        return Err(ApiError::Conflict {
            code: ConflictCode::Archived,
            field: None,
        }
        .into());
    }
    if db::consortia::is_member(&state.db, id, org).await? {
        return Err(ApiError::Conflict {
            code: ConflictCode::AlreadyMember,
            field: None,
        }
        .into());
    }
    let rid = db::requests::open(&state.db, kind, id, org, by, message, Utc::now())
        .await
        .map_err(|e| match e {
            DbError::Unique(v) if v.of(&db::requests::ONE_OPEN) => {
                AppError::from(ApiError::Conflict {
                    code: ConflictCode::AlreadyPending,
                    field: None,
                })
            }
            e => e.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(db::requests::find(&state.db, rid).await?),
    ))
}

/// One's organisation leaves (its representative, or an admin).
#[utoipa::path(delete, path = "/api/consortia/{id}/membership", tag = "consortia", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn leave_consortium(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let id = existing(&state, id).await?;
    let org_id = user.acting_org()?;
    let org = db::orgs::find(&state.db, org_id).await?;
    if org.representative_id != Some(user.id().0) && !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    if !db::requests::leave(&state.db, id, org_id, user.id(), Utc::now()).await? {
        return Err(ApiError::Conflict {
            code: ConflictCode::NotMember,
            field: None,
        }
        .into());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// CM: the consortium's audit trail, newest first.
#[utoipa::path(get, path = "/api/consortia/{id}/audit", tag = "consortia", params(("id" = i64, Path), Cursor),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn consortium_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(c): ApiQuery<Cursor>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    let id = existing(&state, id).await?;
    if !can_manage(&state, &user, id).await? {
        return Err(ApiError::Forbidden.into());
    }
    Ok(Json(
        db::audit::list(&state.db, Some(id), c.before.map(moim_core::AuditId), 50).await?,
    ))
}

/// Outcome of a decision, shared with the request routes.
pub fn outcome(approve: bool) -> Outcome {
    if approve {
        Outcome::Approved
    } else {
        Outcome::Declined
    }
}
