//! The idea board: feeds and search, posting with photos (exactly once, by
//! idempotency key), 공감, comments and replies, follows, stages set by the CM,
//! reports and moderation.

use crate::{
    AppState,
    auth::{CurrentUser, MaybeUser},
    db::{
        self,
        ideas::{Commented, IdeaRow, StoredPhoto},
        problems::Viewer,
    },
    error::{AppResult, DbError},
    extract::{ApiPath, ApiQuery, JSON_LIMIT, Valid},
    files,
    routes::access::{self, can_manage, viewer},
};
use axum::{
    Json,
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State},
    http::{StatusCode, header},
    response::Response,
};
use chrono::Utc;
use moim_core::{
    ApiError, CommentId, ConflictCode, ConsortiumId, ErrorCode, IdeaId, Validate, idea::*,
    problem::SimilarQuery,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feed))
        .routes(routes!(similar_ideas))
        .routes(routes!(postable_consortia))
        .routes(routes!(report_queue))
        .routes(routes!(dismiss_report))
        .routes(routes!(get_idea, edit_idea, delete_idea))
        .routes(routes!(vote, unvote))
        .routes(routes!(follow, unfollow))
        .routes(routes!(add_comment))
        .routes(routes!(get_comment, edit_comment, delete_comment))
        .routes(routes!(moderate_comment))
        .routes(routes!(move_idea))
        .routes(routes!(moderate_idea))
        .routes(routes!(report_idea))
        .routes(routes!(get_photo))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(create_idea))
                .layer(DefaultBodyLimit::max(PHOTOS_MAX * PHOTO_MAX + JSON_LIMIT)),
        )
}

/// An idea as one caller sees it.
struct Seen {
    row: IdeaRow,
    moderator: bool,
    author: bool,
}

async fn is_moderator(
    state: &AppState,
    user: Option<&CurrentUser>,
    c: Option<ConsortiumId>,
) -> AppResult<bool> {
    // CMs moderate their consortium's ideas; admins all, and alone those open to all.
    Ok(match (user, c) {
        (Some(u), Some(c)) => can_manage(state, u, c).await?,
        (Some(u), None) => u.is_admin(),
        (None, _) => false,
    })
}

/// Whether `user` may see (and post in) consortium `c`: its member organisations'
/// people, its CMs, admins.
async fn in_consortium(
    state: &AppState,
    user: Option<&CurrentUser>,
    c: ConsortiumId,
) -> AppResult<bool> {
    let Some(u) = user else { return Ok(false) };
    if is_moderator(state, Some(u), Some(c)).await? {
        return Ok(true);
    }
    Ok(match u.confirmed_org() {
        Some(org) => db::consortia::is_member(&state.db, c, org).await?,
        None => false,
    })
}

/// Loads an idea and works out what `user` may do. A deleted idea, one of a
/// consortium the caller is not in, or a hidden one (but for its author and
/// moderators) is 404.
async fn see(state: &AppState, user: Option<&CurrentUser>, id: i64) -> AppResult<Seen> {
    let row = match db::ideas::find(&state.db, IdeaId(id)).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    if row.state == "deleted" {
        return Err(ApiError::NotFound.into());
    }
    if let Some(c) = row.consortium()
        && !in_consortium(state, user, c).await?
    {
        return Err(ApiError::NotFound.into());
    }
    let moderator = is_moderator(state, user, row.consortium()).await?;
    let author = user.is_some_and(|u| u.id() == row.author());
    if row.is_hidden() && !moderator && !author {
        return Err(ApiError::NotFound.into());
    }
    Ok(Seen {
        row,
        moderator,
        author,
    })
}

/// 409 unless the idea is live (votes and comments stop while it is hidden).
fn live(seen: &Seen) -> AppResult<()> {
    if seen.row.is_live() {
        Ok(())
    } else {
        Err(ApiError::Forbidden.into())
    }
}

async fn view(state: &AppState, user: Option<&CurrentUser>, seen: Seen) -> AppResult<IdeaView> {
    let now = Utc::now();
    let id = IdeaId(seen.row.id);
    let uid = user.map(CurrentUser::id);
    let (voted, following) = match uid {
        Some(u) => (
            db::ideas::has_voted(&state.db, id, u).await?,
            db::ideas::is_following(&state.db, id, u).await?,
        ),
        None => (false, false),
    };
    let problem_id = seen.row.problem_id.map(moim_core::ProblemId);
    let problem_title = match problem_id {
        Some(p) => db::ideas::problem_title(&state.db, p).await?,
        None => None,
    };
    Ok(IdeaView {
        summary: seen.row.summary(voted),
        body: seen.row.body.clone(),
        photos: db::ideas::photos(&state.db, id).await?,
        problem_id,
        problem_title,
        following,
        mine: seen.author,
        editable: seen.author && seen.row.editable(now),
        can_moderate: seen.moderator,
        reports: if seen.moderator {
            db::ideas::open_reports(&state.db, id).await?
        } else {
            0
        },
        edited_at: seen.row.edited_at,
        comments: db::ideas::comments(&state.db, &seen.row, uid, seen.moderator, now).await?,
        history: db::ideas::history(&state.db, id).await?,
    })
}

/// A feed: newest, rising (votes and comments weighted by age) or most discussed;
/// by consortium, tag, stage or the caller's own; with `q`, Korean-aware search.
/// Keyset-paged: pass `next` back as `after`.
#[utoipa::path(get, path = "/api/ideas", tag = "ideas", params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 422, body = ApiError)))]
async fn feed(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> AppResult<Json<FeedPage>> {
    Ok(Json(
        db::ideas::feed(&state.db, &q, &viewer(user.as_ref())).await?,
    ))
}

/// Ideas whose titles are like the one being typed.
#[utoipa::path(get, path = "/api/ideas/similar", tag = "ideas", params(SimilarQuery),
    responses((status = 200, body = [IdeaSummary]), (status = 400, body = ApiError), (status = 422, body = ApiError)))]
async fn similar_ideas(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> AppResult<Json<Vec<IdeaSummary>>> {
    Ok(Json(
        db::ideas::similar(&state.db, &q.title, &viewer(user.as_ref()), 5).await?,
    ))
}

/// The consortia the caller may post an idea to (besides "all members").
#[utoipa::path(get, path = "/api/ideas/consortia", tag = "ideas",
    responses((status = 200, body = [ConsortiumTag]), (status = 401, body = ApiError)))]
async fn postable_consortia(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<ConsortiumTag>>> {
    Ok(Json(
        db::ideas::postable_consortia(&state.db, user.confirmed_org(), user.id()).await?,
    ))
}

/// What a multipart or JSON create carried.
struct Posted {
    idea: NewIdea,
    photos: Vec<Bytes>,
}

async fn read_posted(state: &AppState, req: Request) -> AppResult<Posted> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Valid(idea) = Valid::<NewIdea>::from_request(req, state).await?;
        return Ok(Posted {
            idea,
            photos: Vec::new(),
        });
    }
    let limit = PHOTOS_MAX * PHOTO_MAX + JSON_LIMIT;
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(|_| ApiError::UnsupportedMediaType)?;
    let mut idea: Option<NewIdea> = None;
    let mut photos = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| files::multipart_error(&e, limit))?
    {
        match field.name() {
            Some("idea") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| files::multipart_error(&e, limit))?;
                if bytes.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge {
                        limit: JSON_LIMIT as u64,
                    }
                    .into());
                }
                idea = Some(
                    serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest {
                        message: format!("idea: {e}"),
                    })?,
                );
            }
            Some("photo") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| files::multipart_error(&e, limit))?;
                if bytes.len() > PHOTO_MAX {
                    return Err(ApiError::PayloadTooLarge {
                        limit: PHOTO_MAX as u64,
                    }
                    .into());
                }
                photos.push(bytes);
            }
            _ => {}
        }
    }
    let Some(idea) = idea else {
        return Err(ApiError::invalid("idea", ErrorCode::Required).into());
    };
    let mut errors = idea.validate().err().unwrap_or_default();
    if photos.len() > PHOTOS_MAX {
        errors.add("photos", ErrorCode::TooLong { max: PHOTOS_MAX });
    }
    if !errors.is_empty() {
        return Err(ApiError::from(errors).into());
    }
    Ok(Posted { idea, photos })
}

/// Post an idea: JSON (`NewIdea`), or multipart with the part `idea` (that JSON)
/// and up to four parts `photo` (JPEG, PNG or WebP by content, at most 5 MiB;
/// location metadata is removed). Sending the same `idempotency_key` again
/// answers 200 with the first idea: a retry never makes a second one.
#[utoipa::path(post, path = "/api/ideas", tag = "ideas", request_body = NewIdea,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = Created), (status = 200, body = Created), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn create_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request,
) -> AppResult<(StatusCode, Json<Created>)> {
    let Posted { idea, photos } = read_posted(&state, req).await?;
    if let Some(c) = idea.consortium_id
        && !in_consortium(&state, Some(&user), c).await?
    {
        return Err(ApiError::invalid("consortium_id", ErrorCode::InvalidChoice).into());
    }
    // Check and clean every photo before anything is written.
    let mut cleaned = Vec::with_capacity(photos.len());
    for bytes in photos {
        let content_type = match files::sniff(&bytes) {
            Some(t @ ("image/jpeg" | "image/png" | "image/webp")) => t,
            _ => return Err(ApiError::UnsupportedMediaType.into()),
        };
        let Some(clean) = files::strip_metadata(content_type, bytes) else {
            return Err(ApiError::UnsupportedMediaType.into());
        };
        cleaned.push((content_type, clean));
    }
    let mut stored = Vec::with_capacity(cleaned.len());
    for (content_type, bytes) in &cleaned {
        match state.files.put(bytes.clone()).await {
            Ok(key) => stored.push(StoredPhoto {
                content_type,
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                key,
            }),
            Err(e) => {
                let keys: Vec<String> = stored.into_iter().map(|p| p.key).collect();
                state.files.remove(&keys).await;
                return Err(e);
            }
        }
    }
    let keys: Vec<String> = stored.iter().map(|p| p.key.clone()).collect();
    match db::ideas::create(&state.db, user.id(), &idea, &stored, Utc::now()).await {
        Ok((id, true)) => Ok((StatusCode::CREATED, Json(Created { id }))),
        Ok((id, false)) => {
            state.files.remove(&keys).await;
            Ok((StatusCode::OK, Json(Created { id })))
        }
        Err(e) => {
            state.files.remove(&keys).await;
            Err(e.into())
        }
    }
}

/// An idea with its photos, comments and history.
#[utoipa::path(get, path = "/api/ideas/{id}", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 200, body = IdeaView), (status = 404, body = ApiError)))]
async fn get_idea(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<IdeaView>> {
    let seen = see(&state, user.as_ref(), id).await?;
    Ok(Json(view(&state, user.as_ref(), seen).await?))
}

/// The author edits the idea, within 24 hours of posting (409 `edit_window_closed` after).
#[utoipa::path(patch, path = "/api/ideas/{id}", tag = "ideas", params(("id" = i64, Path)), request_body = EditIdea,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = IdeaView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn edit_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(edit): Valid<EditIdea>,
) -> AppResult<Json<IdeaView>> {
    let seen = see(&state, Some(&user), id).await?;
    if !seen.author {
        return Err(ApiError::Forbidden.into());
    }
    if !seen.row.editable(Utc::now()) {
        return Err(ApiError::state(ConflictCode::EditWindowClosed).into());
    }
    db::ideas::update(&state.db, IdeaId(id), &edit, Utc::now()).await?;
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen).await?))
}

/// The author deletes the idea; it and its comments are gone for everyone.
#[utoipa::path(delete, path = "/api/ideas/{id}", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let seen = see(&state, Some(&user), id).await?;
    if !seen.author {
        return Err(ApiError::Forbidden.into());
    }
    let keys = db::ideas::delete(&state.db, IdeaId(id)).await?;
    state.files.remove_later(keys);
    Ok(StatusCode::NO_CONTENT)
}

async fn set_vote(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    on: bool,
) -> AppResult<Json<VoteState>> {
    let seen = see(state, Some(user), id).await?;
    live(&seen)?;
    let votes = db::ideas::vote(&state.db, IdeaId(id), user.id(), on, Utc::now()).await?;
    Ok(Json(VoteState { votes, voted: on }))
}

/// Give the idea a 공감 (one per person; a second tap changes nothing).
#[utoipa::path(put, path = "/api/ideas/{id}/vote", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = VoteState), (status = 404, body = ApiError)))]
async fn vote(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<VoteState>> {
    set_vote(&state, &user, id, true).await
}

/// Take the 공감 back.
#[utoipa::path(delete, path = "/api/ideas/{id}/vote", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = VoteState), (status = 404, body = ApiError)))]
async fn unvote(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<VoteState>> {
    set_vote(&state, &user, id, false).await
}

/// Follow the idea: be told of new comments and stage changes.
#[utoipa::path(put, path = "/api/ideas/{id}/follow", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 404, body = ApiError)))]
async fn follow(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    see(&state, Some(&user), id).await?;
    db::ideas::follow(&state.db, IdeaId(id), user.id(), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following the idea.
#[utoipa::path(delete, path = "/api/ideas/{id}/follow", tag = "ideas", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 404, body = ApiError)))]
async fn unfollow(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    see(&state, Some(&user), id).await?;
    db::ideas::follow(&state.db, IdeaId(id), user.id(), false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One comment as `user` sees it (hidden text and placeholders as in the thread).
async fn comment_view(
    state: &AppState,
    user: Option<&CurrentUser>,
    seen: &Seen,
    cid: CommentId,
) -> AppResult<CommentView> {
    db::ideas::comments(
        &state.db,
        &seen.row,
        user.map(CurrentUser::id),
        seen.moderator,
        Utc::now(),
    )
    .await?
    .into_iter()
    .find(|c| c.id == cid)
    .ok_or_else(|| ApiError::NotFound.into())
}

/// Comment on the idea, or reply to a comment (`parent_id`). The commenter follows
/// the idea from then on; its followers and the person answered are told. The same
/// `idempotency_key` again answers 200 with the first comment.
#[utoipa::path(post, path = "/api/ideas/{id}/comments", tag = "ideas", params(("id" = i64, Path)), request_body = NewComment,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = CommentView), (status = 200, body = CommentView), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn add_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(c): Valid<NewComment>,
) -> AppResult<(StatusCode, Json<CommentView>)> {
    let seen = see(&state, Some(&user), id).await?;
    live(&seen)?;
    let (status, cid) =
        match db::ideas::add_comment(&state.db, &seen.row, user.id(), &c, Utc::now()).await? {
            Commented::Created(cid) => (StatusCode::CREATED, cid),
            Commented::Existing(cid) => (StatusCode::OK, cid),
            Commented::BadParent => {
                return Err(ApiError::invalid("parent_id", ErrorCode::InvalidChoice).into());
            }
        };
    Ok((
        status,
        Json(comment_view(&state, Some(&user), &seen, cid).await?),
    ))
}

/// Loads a comment the caller may see: 404 when deleted, or hidden from them.
async fn see_comment(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: i64,
    cid: i64,
) -> AppResult<(Seen, db::ideas::CommentRow)> {
    let seen = see(state, user, id).await?;
    let row = match db::ideas::comment(&state.db, IdeaId(id), CommentId(cid)).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    let mine = user.is_some_and(|u| u.id().0 == row.author_id);
    if row.state == "deleted" || (row.state == "hidden" && !seen.moderator && !mine) {
        return Err(ApiError::NotFound.into());
    }
    Ok((seen, row))
}

/// One comment.
#[utoipa::path(get, path = "/api/ideas/{id}/comments/{comment}", tag = "ideas",
    params(("id" = i64, Path), ("comment" = i64, Path)),
    responses((status = 200, body = CommentView), (status = 404, body = ApiError)))]
async fn get_comment(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
) -> AppResult<Json<CommentView>> {
    let (seen, _) = see_comment(&state, user.as_ref(), id, cid).await?;
    Ok(Json(
        comment_view(&state, user.as_ref(), &seen, CommentId(cid)).await?,
    ))
}

/// The author edits a comment within 24 hours.
#[utoipa::path(patch, path = "/api/ideas/{id}/comments/{comment}", tag = "ideas",
    params(("id" = i64, Path), ("comment" = i64, Path)), request_body = EditComment,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = CommentView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn edit_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
    Valid(e): Valid<EditComment>,
) -> AppResult<Json<CommentView>> {
    let (seen, row) = see_comment(&state, Some(&user), id, cid).await?;
    if row.author_id != user.id().0 {
        return Err(ApiError::Forbidden.into());
    }
    if row.state != "live"
        || Utc::now() - row.created_at >= chrono::Duration::hours(EDIT_WINDOW_HOURS)
    {
        return Err(ApiError::state(ConflictCode::EditWindowClosed).into());
    }
    db::ideas::edit_comment(&state.db, CommentId(cid), &e.body, Utc::now()).await?;
    Ok(Json(
        comment_view(&state, Some(&user), &seen, CommentId(cid)).await?,
    ))
}

/// The author deletes a comment (its replies stay, under a placeholder).
#[utoipa::path(delete, path = "/api/ideas/{id}/comments/{comment}", tag = "ideas",
    params(("id" = i64, Path), ("comment" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let (_, row) = see_comment(&state, Some(&user), id, cid).await?;
    if row.author_id != user.id().0 {
        return Err(ApiError::Forbidden.into());
    }
    db::ideas::set_comment_state(&state.db, IdeaId(id), CommentId(cid), "deleted", Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A moderator (the consortium's CM, or an admin) hides or restores a comment.
#[utoipa::path(post, path = "/api/ideas/{id}/comments/{comment}/moderation", tag = "ideas",
    params(("id" = i64, Path), ("comment" = i64, Path)), request_body = Moderate,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn moderate_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, cid)): ApiPath<(i64, i64)>,
    Valid(m): Valid<Moderate>,
) -> AppResult<StatusCode> {
    let (seen, _) = see_comment(&state, Some(&user), id, cid).await?;
    if !seen.moderator {
        return Err(ApiError::Forbidden.into());
    }
    let to = if m.hidden { "hidden" } else { "live" };
    db::ideas::set_comment_state(&state.db, IdeaId(id), CommentId(cid), to, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The consortium's CM (or an admin) moves the idea to another stage with a note;
/// `problem` needs the R&D problem it became. Followers are told.
#[utoipa::path(post, path = "/api/ideas/{id}/stage", tag = "ideas", params(("id" = i64, Path)), request_body = MoveIdea,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = IdeaView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn move_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(m): Valid<MoveIdea>,
) -> AppResult<Json<IdeaView>> {
    let seen = see(&state, Some(&user), id).await?;
    if !seen.moderator {
        return Err(ApiError::Forbidden.into());
    }
    if seen.row.stage() == m.stage {
        return Err(ApiError::conflict(ConflictCode::StageNotAllowed, "stage").into());
    }
    if let Some(p) = m.problem_id {
        // The problem must exist and be one the CM can see.
        if access::problem(&state, Some(&user), p.0).await.is_err() {
            return Err(ApiError::invalid("problem_id", ErrorCode::InvalidChoice).into());
        }
    }
    db::ideas::move_stage(&state.db, &seen.row, &m, user.id(), Utc::now()).await?;
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen).await?))
}

/// A moderator hides or restores the idea; hidden, it is gone for everyone but its
/// author and the moderators, comments included.
#[utoipa::path(post, path = "/api/ideas/{id}/moderation", tag = "ideas", params(("id" = i64, Path)), request_body = Moderate,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn moderate_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(m): Valid<Moderate>,
) -> AppResult<StatusCode> {
    let seen = see(&state, Some(&user), id).await?;
    if !seen.moderator {
        return Err(ApiError::Forbidden.into());
    }
    db::ideas::set_hidden(
        &state.db,
        IdeaId(id),
        m.hidden,
        m.note.as_deref(),
        user.id(),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Report the idea, or one of its comments, to the moderators.
#[utoipa::path(post, path = "/api/ideas/{id}/reports", tag = "ideas", params(("id" = i64, Path)), request_body = NewReport,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn report_idea(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(r): Valid<NewReport>,
) -> AppResult<StatusCode> {
    match r.comment_id {
        Some(cid) => {
            see_comment(&state, Some(&user), id, cid.0).await?;
        }
        None => {
            see(&state, Some(&user), id).await?;
        }
    }
    db::ideas::report(&state.db, IdeaId(id), &r, user.id(), Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open reports the caller moderates (CMs: their consortia's ideas; admins: all).
#[utoipa::path(get, path = "/api/ideas/reports", tag = "ideas",
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = [ReportView]), (status = 403, body = ApiError)))]
async fn report_queue(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<ReportView>>> {
    let v: Viewer = viewer(Some(&user));
    Ok(Json(db::ideas::report_queue(&state.db, &v).await?))
}

/// A moderator dismisses a report; the post stays as it is.
#[utoipa::path(post, path = "/api/ideas/reports/{report}/dismiss", tag = "ideas", params(("report" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn dismiss_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(rid): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let idea = match db::ideas::report_idea(&state.db, rid).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    let seen = see(&state, Some(&user), idea.0).await?;
    if !seen.moderator {
        return Err(ApiError::Forbidden.into());
    }
    db::ideas::dismiss_report(&state.db, rid, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A photo of an idea, for whoever may see the idea.
#[utoipa::path(get, path = "/api/ideas/{id}/photos/{photo}", tag = "ideas",
    params(("id" = i64, Path), ("photo" = i64, Path)),
    responses((status = 200, description = "The image"), (status = 404, body = ApiError)))]
async fn get_photo(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath((id, pid)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    see(&state, user.as_ref(), id).await?;
    let (content_type, key) = match db::ideas::photo(&state.db, IdeaId(id), pid).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    let file = state.files.open(&key).await?;
    Ok(files::respond(
        file,
        &content_type,
        "photo",
        "private, max-age=86400",
    ))
}
