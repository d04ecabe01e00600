//! Agency admins: find people (to appoint, to help back in, to suspend), keep
//! the register of organisations right (correct, merge), read the whole audit
//! trail.

use crate::{
    AppState,
    auth::Admin,
    db::{self, recovery::AccountMail, registry::Unmerged},
    error::{AppResult, DbError},
    extract::{ApiPath, ApiQuery, Valid},
    files,
};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    http::StatusCode,
};
use chrono::Utc;
use moim_core::{
    ApiError, AuditId, ConflictCode, ConsortiumId, ErrorCode, OrgId, UserId,
    account::{Cursor, Suspend, UserSearch, UserSummary},
    consortium::{AuditAction, AuditEntry},
    registry::{CorrectOrg, ImportQuery, ImportReport, MergeOrg, Merged, OrgRecord, RegisterQuery},
    validate::plain_business_number,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_users))
        .routes(routes!(audit_trail))
        .routes(routes!(suspend))
        .routes(routes!(reactivate))
        .routes(routes!(send_reset_link))
        .routes(routes!(reset_second_factor))
        .routes(routes!(make_representative))
        .routes(routes!(search_orgs))
        .routes(routes!(correct_org))
        .routes(routes!(merge_org))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_orgs))
                .layer(DefaultBodyLimit::max(IMPORT_MAX + 64 * 1024)),
        )
}

/// The largest import file taken (10,000 rows fit in well under it).
pub(crate) const IMPORT_MAX: usize = 8 * 1024 * 1024;

/// Brings organisations and their people in from a CSV (UTF-8 or CP949) or XLSX
/// file, the form field `file`: one row per person (or per organisation alone),
/// with the columns 기관명/organisation (required), 기관유형/kind,
/// 사업자등록번호/business_no, 산업단지/complex, 협의체/consortia (names, `;`
/// between), 이름/name, 이메일/email, 부서/department. `dry_run` (the default)
/// only checks. The answer is always the report: every problem by line and
/// column (a file that cannot be read is one problem on line 0), and what is
/// new and what is there already. Nothing is written while there is a problem;
/// otherwise all of it in one transaction — organisations, people confirmed
/// with their organisation and mailed a link to set their password (valid 14
/// days), approved memberships, an audit entry. The same file again changes
/// nothing.
#[utoipa::path(post, path = "/api/admin/import", tag = "admin", params(ImportQuery),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = ImportReport), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 409, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn import_orgs(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiQuery(q): ApiQuery<ImportQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Json<ImportReport>> {
    let (_, bytes) = files::file_part(multipart, IMPORT_MAX).await?;
    let sheet = match crate::import::read(&bytes) {
        Ok(sheet) => sheet,
        Err(issue) => {
            return Ok(Json(ImportReport {
                problems: vec![crate::import::file_problem(issue)],
                ..Default::default()
            }));
        }
    };
    let reference = db::reference::load(&state.db).await?;
    let report = db::import::run(
        &state.db,
        &sheet,
        &reference,
        admin.id(),
        q.dry_run,
        Utc::now(),
    )
    .await
    .map_err(|e| match e {
        // Someone signed up with an address, or registered a number, of the
        // file between its check and its write: nothing was written.
        DbError::Unique(v) if v.of(&db::users::EMAIL) => {
            ApiError::conflict(ConflictCode::EmailTaken, "email").into()
        }
        DbError::Unique(v) if v.of(&db::orgs::BUSINESS_NO) => {
            ApiError::conflict(ConflictCode::BusinessNumberTaken, "business_no").into()
        }
        e => crate::error::AppError::from(e),
    })?;
    Ok(Json(report))
}

/// Open organisations whose name, or business number, contains `q` (at most
/// 20), with what hangs on each.
#[utoipa::path(get, path = "/api/admin/orgs", tag = "admin", params(RegisterQuery),
    responses((status = 200, body = Vec<OrgRecord>), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn search_orgs(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> AppResult<Json<Vec<OrgRecord>>> {
    Ok(Json(db::registry::search(&state.db, &q.q, 20).await?))
}

/// Corrects what an organisation registered with, by sign-up's rules; its kind
/// stays (`422` on `organisation.kind`). A business number another
/// organisation has: `409 business_number_taken`. The audit trail keeps the
/// reason and what changed.
#[utoipa::path(put, path = "/api/admin/orgs/{id}", tag = "admin", request_body = CorrectOrg,
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, body = OrgRecord), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn correct_org(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<CorrectOrg>,
) -> AppResult<Json<OrgRecord>> {
    let id = OrgId(id);
    let before = db::registry::record(&state.db, id).await?;
    let o = &req.organisation;
    if o.kind != before.kind {
        return Err(ApiError::invalid("organisation.kind", ErrorCode::InvalidChoice).into());
    }
    if let Some(complex) = o.complex_id
        && db::reference::complex_name(&state.db, complex)
            .await?
            .is_none()
    {
        return Err(ApiError::invalid("organisation.complex_id", ErrorCode::InvalidChoice).into());
    }
    let taken = || {
        ApiError::conflict(
            ConflictCode::BusinessNumberTaken,
            "organisation.business_no",
        )
    };
    if let Some(digits) = o.business_no.as_deref().and_then(plain_business_number)
        && db::orgs::find_by_business_no(&state.db, &digits)
            .await?
            .is_some_and(|other| other.id != id)
    {
        return Err(taken().into());
    }
    match db::registry::correct(&state.db, &before, o, &req.reason, admin.id(), Utc::now()).await {
        Err(DbError::Unique(v)) if v.of(&db::orgs::BUSINESS_NO) => Err(taken().into()),
        r => {
            r?;
            Ok(Json(db::registry::record(&state.db, id).await?))
        }
    }
}

/// Merges the organisation into `into`, another record of the same one: its
/// people, memberships, requests, problems and history move, and the record is
/// closed. Into itself or one of another kind: `422 not_mergeable`.
#[utoipa::path(post, path = "/api/admin/orgs/{id}/merge", tag = "admin", request_body = MergeOrg,
    params(("id" = i64, Path, description = "The record merged away")),
    responses((status = 200, body = Merged), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn merge_org(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<MergeOrg>,
) -> AppResult<Json<Merged>> {
    match db::registry::merge(
        &state.db,
        OrgId(id),
        req.into,
        &req.reason,
        admin.id(),
        Utc::now(),
    )
    .await?
    {
        Ok(merged) => Ok(Json(merged)),
        Err(Unmerged::NotFound) => Err(DbError::NotFound.into()),
        Err(Unmerged::NotMergeable) => {
            Err(ApiError::invalid("into", ErrorCode::NotMergeable).into())
        }
    }
}

/// Makes a person the representative of their organisation, when the one
/// before is gone (a hand-over needs them); the person is confirmed in it from
/// then on, and the audit trail names the admin.
#[utoipa::path(post, path = "/api/admin/users/{id}/representative", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn make_representative(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    let org = moim_core::OrgId(user.org_id);
    if user.suspended_at.is_some()
        || db::orgs::find(&state.db, org).await?.representative_id == Some(user.id)
    {
        return Err(ApiError::state(ConflictCode::AlreadyDecided).into());
    }
    db::orgs::make_representative(
        &state.db,
        org,
        UserId(user.id),
        false,
        admin.id(),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How long a reset link an admin sends stays good: the person did not ask for
/// it and may read their mail later in the day.
const ADMIN_RESET_HOURS: i64 = 24;

/// An account an admin acts on; a closed one is gone (404).
async fn account(state: &AppState, id: UserId) -> AppResult<db::users::UserRow> {
    let user = db::users::find(&state.db, id).await?;
    if user.closed_at.is_some() {
        return Err(crate::error::DbError::NotFound.into());
    }
    Ok(user)
}

/// Suspends an account: its sessions end at once, and signing in answers 403
/// with the reason. Admins cannot suspend themselves. Suspending a suspended
/// account changes nothing.
#[utoipa::path(post, path = "/api/admin/users/{id}/suspend", tag = "admin", request_body = Suspend,
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn suspend(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<Suspend>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    if user.id == admin.user.id {
        return Err(ApiError::Forbidden.into());
    }
    let reason = req.reason.trim();
    db::users::set_suspended(
        &state.db,
        UserId(user.id),
        Some(reason),
        admin.id(),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lets a suspended account sign in again.
#[utoipa::path(post, path = "/api/admin/users/{id}/reactivate", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn reactivate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    db::users::set_suspended(&state.db, UserId(user.id), None, admin.id(), Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mails a person a link to set a new password (good for a day), as if they had
/// asked; the audit trail says which admin sent it.
#[utoipa::path(post, path = "/api/admin/users/{id}/reset-link", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 202), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn send_reset_link(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    db::recovery::queue(
        &mut tx,
        Some(UserId(user.id)),
        AccountMail::Reset,
        None,
        now,
        Some(now + chrono::Duration::hours(ADMIN_RESET_HOURS)),
    )
    .await?;
    let subject = db::audit::Subject {
        user: Some(UserId(user.id)),
        ..Default::default()
    };
    db::audit::record(
        &mut tx,
        Some(admin.id()),
        AuditAction::PasswordResetSent,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// Removes a person's second factors (the app, the passkeys), for someone who
/// lost both their devices and their recovery codes (the admin having made sure who asks): they sign in
/// with the password alone, and are mailed that it happened; the audit trail
/// says which admin did it. An admin's own is turned off on their security
/// page, not here (403); a person without one: `409 second_factor_off`.
#[utoipa::path(post, path = "/api/admin/users/{id}/second-factor/reset", tag = "admin",
    params(("id" = i64, Path, description = "The account")),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn reset_second_factor(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let user = account(&state, UserId(id)).await?;
    if user.id == admin.user.id {
        return Err(ApiError::Forbidden.into());
    }
    let (user, now) = (UserId(user.id), Utc::now());
    let mut tx = state.db.begin().await?;
    if !db::factors::remove_all(&mut tx, user).await? {
        return Err(ApiError::state(ConflictCode::SecondFactorOff).into());
    }
    db::recovery::queue(
        &mut tx,
        Some(user),
        AccountMail::SecondFactorOff,
        None,
        now,
        None,
    )
    .await?;
    let subject = db::audit::Subject {
        user: Some(user),
        ..Default::default()
    };
    let action = AuditAction::SecondFactorReset;
    db::audit::record(&mut tx, Some(admin.id()), action, subject, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// People whose name or email contains `q` (at most 20).
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(UserSearch),
    responses((status = 200, body = Vec<UserSummary>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn search_users(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<UserSearch>,
) -> AppResult<Json<Vec<UserSummary>>> {
    Ok(Json(db::users::search(&state.db, &q.q, 20).await?))
}

/// The audit trail of everything, or of one consortium, newest first.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", params(Cursor),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn audit_trail(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(c): ApiQuery<Cursor>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        db::audit::list(
            &state.db,
            c.consortium.map(ConsortiumId),
            c.before.map(AuditId),
            50,
        )
        .await?,
    ))
}
