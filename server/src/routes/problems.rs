//! R&D problems (애로과제): post, edit, search; the details under their
//! confidentiality; matching experts, invitations and the non-disclosure statement;
//! questions; proposals; attachments; the history and the details access log.

use crate::{
    AppState,
    auth::{CurrentUser, MaybeUser},
    db::{
        self,
        collaborations::Sent,
        problems::{ProblemRow, Saved},
    },
    error::{AppResult, DbError},
    extract::{ApiPath, ApiQuery, Valid},
    files,
    routes::access::{self, SeenProblem, owner_only, owner_or_manager, viewer},
};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use moim_core::{
    ApiError, ConflictCode, ErrorCode, Page, ProblemId, ProposalId, account::OrgKind, problem::*,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_problems, create_problem))
        .routes(routes!(similar_problems))
        .routes(routes!(get_problem, update_problem))
        .routes(routes!(close_problem))
        .routes(routes!(problem_revisions))
        .routes(routes!(problem_history))
        .routes(routes!(problem_views))
        .routes(routes!(annotate_problem))
        .routes(routes!(match_experts))
        .routes(routes!(list_invitations, invite_expert))
        .routes(routes!(accept_nda))
        .routes(routes!(list_messages, post_message))
        .routes(routes!(list_proposals, create_proposal))
        .routes(routes!(accept_proposal))
        .routes(routes!(withdraw_proposal))
        .routes(routes!(list_attachments))
        .routes(routes!(get_attachment, delete_attachment))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_attachment))
                .layer(DefaultBodyLimit::max(ATTACHMENT_MAX + 64 * 1024)),
        )
}

/// The problem page for a caller; opening the details is logged for the firm.
async fn page(
    state: &AppState,
    user: Option<&CurrentUser>,
    seen: SeenProblem,
) -> AppResult<ProblemView> {
    let id = ProblemId(seen.row.id);
    let db = &state.db;
    let visible = seen.details == DetailsAccess::Visible;
    if let (true, Some(u)) = (visible && !seen.access.owner, user) {
        db::problems::record_view(db, id, u.id(), Utc::now()).await?;
    }
    let fields = db::problems::fields_of(db, &[seen.row.id])
        .await?
        .remove(&seen.row.id)
        .unwrap_or_default();
    let attachments = if visible {
        db::problems::attachments(db, id)
            .await?
            .iter()
            .map(|a| a.view())
            .collect()
    } else {
        Vec::new()
    };
    let collaboration = match db::collaborations::for_problem(db, id).await? {
        Some(c) => Some(db::collaborations::find(db, c).await?),
        None => None,
    };
    let support = db::grants::of_problem(db, seen.row.id, seen.access.owner).await?;
    Ok(ProblemView {
        summary: seen.row.summary(fields),
        author: seen.row.author(),
        details: visible.then(|| seen.row.details.clone()),
        details_access: seen.details,
        timeline_months: seen.row.timeline_months,
        budget: Budget::from_code(&seen.row.budget).unwrap_or(Budget::Undecided),
        attachments,
        revision_count: db::problems::revision_count(db, id).await?,
        access: seen.access,
        support,
        collaboration,
        updated_at: seen.row.updated_at,
    })
}

/// Browse and search problems. Korean-aware: "냉각" finds 금형냉각, "열" finds
/// 열처리. Lists never carry details; private problems appear only to those who may
/// see them.
#[utoipa::path(get, path = "/api/problems", tag = "problems", params(ProblemQuery),
    responses((status = 200, body = Page<ProblemSummary>), (status = 401, description = "`mine` or `invited` without a session", body = ApiError), (status = 422, body = ApiError)))]
async fn list_problems(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<ProblemQuery>,
) -> AppResult<Json<Page<ProblemSummary>>> {
    if (q.mine.unwrap_or(false) || q.invited.unwrap_or(false)) && user.is_none() {
        return Err(ApiError::Unauthenticated.into());
    }
    Ok(Json(
        db::problems::list(&state.db, &q, &viewer(user.as_ref())).await?,
    ))
}

/// Published problems with a similar title, while one is being typed.
#[utoipa::path(get, path = "/api/problems/similar", tag = "problems", params(SimilarQuery),
    responses((status = 200, body = Vec<ProblemSummary>), (status = 422, body = ApiError)))]
async fn similar_problems(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> AppResult<Json<Vec<ProblemSummary>>> {
    Ok(Json(
        db::problems::similar(&state.db, &q.title, &viewer(user.as_ref()), 5).await?,
    ))
}

/// Checks that the caller's firm may post in the consortium.
async fn check_consortium(
    state: &AppState,
    user: &CurrentUser,
    p: &ProblemInput,
) -> AppResult<moim_core::OrgId> {
    let org = user.acting_org()?;
    let kind = db::orgs::find(&state.db, org).await?.kind;
    if OrgKind::from_code(&kind) != Some(OrgKind::Firm) {
        return Err(ApiError::Forbidden.into());
    }
    match db::consortia::is_active(&state.db, p.consortium_id).await {
        Ok(true) => {}
        Ok(false) => return Err(ApiError::conflict(ConflictCode::Archived, "consortium_id").into()),
        Err(DbError::NotFound) => {
            return Err(ApiError::invalid("consortium_id", ErrorCode::InvalidChoice).into());
        }
        Err(e) => return Err(e.into()),
    }
    if !db::consortia::is_member(&state.db, p.consortium_id, org).await? {
        return Err(ApiError::conflict(ConflictCode::NotMember, "consortium_id").into());
    }
    let known = db::reference::field_ids(&state.db).await?;
    if p.field_ids.iter().any(|f| !known.contains(f)) {
        return Err(ApiError::invalid("field_ids", ErrorCode::InvalidChoice).into());
    }
    Ok(org)
}

/// Post a problem for the caller's firm in one of its consortia: a draft, or
/// published with `publish: true` (followers of its fields are told).
#[utoipa::path(post, path = "/api/problems", tag = "problems", request_body = ProblemInput,
    responses((status = 201, body = ProblemView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(p): Valid<ProblemInput>,
) -> AppResult<(StatusCode, Json<ProblemView>)> {
    let org = check_consortium(&state, &user, &p).await?;
    let id = db::problems::create(&state.db, org, user.id(), &p, false, Utc::now()).await?;
    let seen = access::problem(&state, Some(&user), id.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(page(&state, Some(&user), seen).await?),
    ))
}

/// A problem: summary for whoever may see it; details, attachments and the thread
/// only under its confidentiality.
#[utoipa::path(get, path = "/api/problems/{id}", tag = "problems", params(("id" = i64, Path)),
    responses((status = 200, body = ProblemView), (status = 404, body = ApiError)))]
async fn get_problem(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProblemView>> {
    let seen = access::problem(&state, user.as_ref(), id).await?;
    Ok(Json(page(&state, user.as_ref(), seen).await?))
}

/// Edit (drafts autosave here; `publish: true` publishes). Every edit of a published
/// problem is kept as a revision. Refused once a proposal was accepted.
#[utoipa::path(put, path = "/api/problems/{id}", tag = "problems", params(("id" = i64, Path)), request_body = ProblemInput,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ProblemView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn update_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(p): Valid<ProblemInput>,
) -> AppResult<Json<ProblemView>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_only(&seen)?;
    check_consortium(&state, &user, &p).await?;
    // A published problem stays published: check it as such.
    let p = ProblemInput {
        publish: p.publish || seen.row.status() != ProblemStatus::Draft,
        ..p
    };
    moim_core::Validate::validate(&p).map_err(ApiError::from)?;
    // A draft's save that finds the problem published meanwhile is older than
    // the publishing: it is dropped, and the page as it stands answered.
    if db::problems::update(&state.db, ProblemId(id), user.id(), &p, Utc::now()).await?
        == Saved::NotEditable
    {
        return Err(ApiError::state(ConflictCode::ProblemNotOpen).into());
    }
    let seen = access::problem(&state, Some(&user), id).await?;
    Ok(Json(page(&state, Some(&user), seen).await?))
}

/// The firm withdraws its problem; waiting proposals are declined with thanks.
#[utoipa::path(post, path = "/api/problems/{id}/close", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ProblemView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn close_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProblemView>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_only(&seen)?;
    if !db::problems::close(&state.db, ProblemId(id), user.id(), Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::ProblemNotOpen).into());
    }
    let seen = access::problem(&state, Some(&user), id).await?;
    Ok(Json(page(&state, Some(&user), seen).await?))
}

/// Every kept revision (the firm and its CMs).
#[utoipa::path(get, path = "/api/problems/{id}/revisions", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<Revision>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn problem_revisions(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Revision>>> {
    owner_or_manager(&access::problem(&state, Some(&user), id).await?)?;
    Ok(Json(
        db::problems::revisions(&state.db, ProblemId(id)).await?,
    ))
}

/// The history: published, edits, invitations, statements accepted, questions,
/// proposals, acceptance, every stage and CM note (the firm and its CMs).
#[utoipa::path(get, path = "/api/problems/{id}/history", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<ProblemEvent>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn problem_history(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<ProblemEvent>>> {
    owner_or_manager(&access::problem(&state, Some(&user), id).await?)?;
    Ok(Json(db::problems::events(&state.db, ProblemId(id)).await?))
}

/// Who opened the details and when (the firm and its CMs).
#[utoipa::path(get, path = "/api/problems/{id}/views", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<DetailView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn problem_views(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<DetailView>>> {
    owner_or_manager(&access::problem(&state, Some(&user), id).await?)?;
    Ok(Json(
        db::problems::views(&state.db, ProblemId(id), 200).await?,
    ))
}

/// A CM's note on the problem, kept in its history.
#[utoipa::path(post, path = "/api/problems/{id}/notes", tag = "problems", params(("id" = i64, Path)), request_body = Annotate,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn annotate_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(a): Valid<Annotate>,
) -> AppResult<StatusCode> {
    let seen = access::problem(&state, Some(&user), id).await?;
    if !seen.access.manager {
        return Err(ApiError::Forbidden.into());
    }
    db::problems::annotate(&state.db, ProblemId(id), user.id(), &a.note, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Experts ranked for the problem with the reasons (the firm and its CMs).
#[utoipa::path(get, path = "/api/problems/{id}/experts", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<ExpertMatch>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn match_experts(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<ExpertMatch>>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_or_manager(&seen)?;
    Ok(Json(ranked(&state, &seen.row, 20).await?))
}

/// The ranking for a problem, with who was invited.
pub async fn ranked(
    state: &AppState,
    row: &ProblemRow,
    limit: usize,
) -> AppResult<Vec<ExpertMatch>> {
    let fields = db::problems::fields_of(&state.db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let names: Vec<String> = fields.iter().map(|f| f.name_ko.clone()).collect();
    let ids: Vec<i64> = fields.iter().map(|f| f.id.0).collect();
    let keywords = row.keyword_list();
    let wanted = db::experts::Wanted {
        title: &row.title,
        summary: &row.summary,
        keywords: &keywords,
        field_names: &names,
        exclude_org: Some(row.org()),
        field_ids: &ids,
    };
    let mut out = db::experts::rank(&state.db, &wanted, limit).await?;
    let invited = db::problems::invitations(&state.db, ProblemId(row.id)).await?;
    for m in &mut out {
        m.invited = invited.iter().any(|i| i.expert.id == m.expert.id);
    }
    Ok(out)
}

/// Invitations sent (the firm and its CMs).
#[utoipa::path(get, path = "/api/problems/{id}/invitations", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<InvitationView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn list_invitations(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<InvitationView>>> {
    owner_or_manager(&access::problem(&state, Some(&user), id).await?)?;
    Ok(Json(
        db::problems::invitations(&state.db, ProblemId(id)).await?,
    ))
}

/// Invite an expert to an open problem; they are told and may read the details once
/// they accept the non-disclosure statement.
#[utoipa::path(post, path = "/api/problems/{id}/invitations", tag = "problems", params(("id" = i64, Path)), request_body = InviteExpert,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = Vec<InvitationView>), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn invite_expert(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(i): Valid<InviteExpert>,
) -> AppResult<(StatusCode, Json<Vec<InvitationView>>)> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_or_manager(&seen)?;
    if seen.row.status() != ProblemStatus::Open {
        return Err(ApiError::state(ConflictCode::ProblemNotOpen).into());
    }
    let Some(expert) = db::experts::is_expert(&state.db, i.expert_id).await? else {
        return Err(ApiError::invalid("expert_id", ErrorCode::InvalidChoice).into());
    };
    if !db::problems::invite(
        &state.db,
        &seen.row,
        &expert,
        user.id(),
        &i.message,
        Utc::now(),
    )
    .await?
    {
        return Err(ApiError::conflict(ConflictCode::AlreadyInvited, "expert_id").into());
    }
    Ok((
        StatusCode::CREATED,
        Json(db::problems::invitations(&state.db, ProblemId(id)).await?),
    ))
}

/// The invited expert accepts the non-disclosure statement; the details open to them.
#[utoipa::path(post, path = "/api/problems/{id}/nda", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ProblemView), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn accept_nda(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProblemView>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    if !seen.access.invited {
        return Err(ApiError::Forbidden.into());
    }
    db::problems::accept_nda(&state.db, &seen.row, user.id(), Utc::now()).await?;
    let seen = access::problem(&state, Some(&user), id).await?;
    Ok(Json(page(&state, Some(&user), seen).await?))
}

/// Questions and answers (for those who may read the details).
#[utoipa::path(get, path = "/api/problems/{id}/messages", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<MessageView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn list_messages(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<MessageView>>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    if !seen.access.can_discuss {
        return Err(ApiError::Forbidden.into());
    }
    Ok(Json(
        db::problems::messages(&state.db, ProblemId(id)).await?,
    ))
}

/// Ask a question (experts and members who may read the details) or answer one
/// (the firm: `parent_id` names the question).
#[utoipa::path(post, path = "/api/problems/{id}/messages", tag = "problems", params(("id" = i64, Path)), request_body = NewMessage,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = Vec<MessageView>), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn post_message(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(m): Valid<NewMessage>,
) -> AppResult<(StatusCode, Json<Vec<MessageView>>)> {
    let seen = access::problem(&state, Some(&user), id).await?;
    if !seen.access.can_discuss {
        return Err(ApiError::Forbidden.into());
    }
    let pid = ProblemId(id);
    let notify = match m.parent_id {
        Some(parent) => {
            let Some(asker) = db::problems::question_author(&state.db, pid, parent).await? else {
                return Err(ApiError::invalid("parent_id", ErrorCode::InvalidChoice).into());
            };
            if seen.access.owner {
                asker
            } else if asker == user.id() {
                moim_core::UserId(seen.row.author_id)
            } else {
                return Err(ApiError::Forbidden.into());
            }
        }
        None if seen.access.owner => {
            return Err(ApiError::invalid("parent_id", ErrorCode::Required).into());
        }
        None => moim_core::UserId(seen.row.author_id),
    };
    db::problems::add_message(
        &state.db,
        &seen.row,
        user.id(),
        seen.access.owner,
        &m,
        notify,
        Utc::now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(db::problems::messages(&state.db, pid).await?),
    ))
}

/// Proposals: the firm and its CMs see all, an expert their own.
#[utoipa::path(get, path = "/api/problems/{id}/proposals", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<ProposalView>), (status = 404, body = ApiError)))]
async fn list_proposals(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<ProposalView>>> {
    let seen = access::problem(&state, Some(&user), id).await?;
    let only = (!seen.access.owner && !seen.access.manager).then(|| user.id());
    Ok(Json(
        db::collaborations::proposals(&state.db, ProblemId(id), only).await?,
    ))
}

/// An expert sends a proposal. Idempotent: the same `idempotency_key` sent again
/// (after a dropped connection) returns the stored proposal with 200.
#[utoipa::path(post, path = "/api/problems/{id}/proposals", tag = "problems", params(("id" = i64, Path)), request_body = NewProposal,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = ProposalView), (status = 200, body = ProposalView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(p): Valid<NewProposal>,
) -> AppResult<(StatusCode, Json<ProposalView>)> {
    let seen = access::problem(&state, Some(&user), id).await?;
    if !user.user.is_expert || seen.access.owner {
        return Err(ApiError::Forbidden.into());
    }
    if seen.details == DetailsAccess::NdaRequired {
        return Err(ApiError::Forbidden.into());
    }
    let (status, pid) =
        match db::collaborations::propose(&state.db, &seen.row, user.id(), &p, Utc::now()).await? {
            Sent::New(pid) => (StatusCode::CREATED, pid),
            Sent::Repeat(pid) => (StatusCode::OK, pid),
            Sent::AlreadyProposed => {
                return Err(ApiError::state(ConflictCode::AlreadyProposed).into());
            }
            Sent::NotOpen => return Err(ApiError::state(ConflictCode::ProblemNotOpen).into()),
        };
    Ok((
        status,
        Json(db::collaborations::proposal(&state.db, pid).await?),
    ))
}

/// The firm accepts one proposal: a collaboration opens at "matched"; the others are
/// declined with thanks.
#[utoipa::path(post, path = "/api/proposals/{id}/accept", tag = "problems", params(("id" = i64, Path)), request_body = AcceptProposal,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = CollaborationView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn accept_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(a): Valid<AcceptProposal>,
) -> AppResult<Json<moim_core::problem::CollaborationView>> {
    let proposal = db::collaborations::proposal(&state.db, ProposalId(id)).await?;
    let seen = access::problem(&state, Some(&user), proposal.problem_id.0).await?;
    if !seen.access.owner {
        // Only the firm and CMs may know of other people's proposals.
        return Err(if seen.access.manager || proposal.expert.id == user.id() {
            ApiError::Forbidden
        } else {
            ApiError::NotFound
        }
        .into());
    }
    match db::collaborations::accept(
        &state.db,
        &seen.row,
        ProposalId(id),
        user.id(),
        a.instrument,
        Utc::now(),
    )
    .await?
    {
        Ok(c) => Ok(Json(db::collaborations::find(&state.db, c).await?)),
        Err(db::collaborations::AcceptError::NotOpen) => {
            Err(ApiError::state(ConflictCode::ProblemNotOpen).into())
        }
        Err(db::collaborations::AcceptError::NotSubmitted) => {
            Err(ApiError::state(ConflictCode::AlreadyDecided).into())
        }
    }
}

/// The expert takes back a proposal still waiting.
#[utoipa::path(post, path = "/api/proposals/{id}/withdraw", tag = "problems", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ProposalView), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn withdraw_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProposalView>> {
    let p = db::collaborations::proposal(&state.db, ProposalId(id)).await?;
    if p.expert.id != user.id() {
        return Err(ApiError::NotFound.into());
    }
    if !db::collaborations::withdraw(&state.db, ProposalId(id), user.id(), Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::AlreadyDecided).into());
    }
    Ok(Json(
        db::collaborations::proposal(&state.db, ProposalId(id)).await?,
    ))
}

/// Attachments (with the details only).
#[utoipa::path(get, path = "/api/problems/{id}/attachments", tag = "problems", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AttachmentView>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn list_attachments(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<AttachmentView>>> {
    let seen = access::problem(&state, user.as_ref(), id).await?;
    if seen.details != DetailsAccess::Visible {
        return Err(ApiError::Forbidden.into());
    }
    let rows = db::problems::attachments(&state.db, ProblemId(id)).await?;
    Ok(Json(rows.iter().map(|a| a.view()).collect()))
}

/// Upload an image (PNG, JPEG, WebP, GIF) or PDF of at most 10 MiB as the form field
/// `file`. The type is read from the content, not the name; the file is written
/// completely before it is recorded, so a failed upload leaves nothing behind.
#[utoipa::path(post, path = "/api/problems/{id}/attachments", tag = "problems", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = AttachmentView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError)))]
async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<(StatusCode, Json<AttachmentView>)> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_only(&seen)?;
    if !matches!(
        seen.row.status(),
        ProblemStatus::Draft | ProblemStatus::Open
    ) {
        return Err(ApiError::state(ConflictCode::ProblemNotOpen).into());
    }
    let (name, bytes) = files::file_part(multipart, ATTACHMENT_MAX).await?;
    let (content_type, bytes) = files::document(bytes)?;
    let key = state.files.put(bytes.clone()).await?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let stored = db::problems::add_attachment(
        &state.db,
        ProblemId(id),
        &db::problems::NewAttachment {
            name: &name,
            content_type,
            size,
            key: &key,
            by: user.id(),
        },
        Utc::now(),
    )
    .await;
    match stored {
        Ok(Some(aid)) => {
            let row = db::problems::attachment(&state.db, ProblemId(id), aid).await?;
            Ok((StatusCode::CREATED, Json(row.view())))
        }
        other => {
            state.files.remove(std::slice::from_ref(&key)).await;
            match other {
                Ok(_) => Err(ApiError::invalid(
                    "file",
                    ErrorCode::TooLong {
                        max: ATTACHMENTS_MAX,
                    },
                )
                .into()),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Download an attachment (with the details only). Served with its checked type,
/// `nosniff` and a sandboxing CSP, as a download unless it is an image.
#[utoipa::path(get, path = "/api/problems/{id}/attachments/{attachment}", tag = "problems",
    params(("id" = i64, Path), ("attachment" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_attachment(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let seen = access::problem(&state, user.as_ref(), id).await?;
    if seen.details != DetailsAccess::Visible {
        return Err(ApiError::Forbidden.into());
    }
    let row = db::problems::attachment(&state.db, ProblemId(id), aid).await?;
    let file = state.files.open(&row.storage_key).await?;
    Ok(files::respond(
        file,
        &row.content_type,
        &row.name,
        "private, max-age=300",
    ))
}

/// The firm removes an attachment.
#[utoipa::path(delete, path = "/api/problems/{id}/attachments/{attachment}", tag = "problems",
    params(("id" = i64, Path), ("attachment" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn delete_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let seen = access::problem(&state, Some(&user), id).await?;
    owner_only(&seen)?;
    let Some(key) = db::problems::delete_attachment(&state.db, ProblemId(id), aid).await? else {
        return Err(ApiError::NotFound.into());
    };
    state.files.remove_later(vec![key]);
    Ok(StatusCode::NO_CONTENT)
}
