//! Firms' yearly figures (기업 성과 현황): read by the firm's confirmed people, the
//! CMs of its consortia and agency admins, nobody else (404, as for a firm that
//! does not exist); entered by the firm's confirmed people.

use crate::{
    AppState,
    auth::CurrentUser,
    db,
    error::AppResult,
    extract::{ApiJson, ApiPath, Valid},
};
use axum::{Json, extract::State};
use chrono::{Datelike, Utc};
use moim_core::{
    ApiError, ErrorCode, FieldError, FieldErrors, OrgId,
    account::OrgKind,
    figures::{
        FIRST_YEAR, FirmFigures, FirmYear, SaveYear, SetCertifications, SetIndustry, SizeBand,
        warnings,
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(figures))
        .routes(routes!(save_year))
        .routes(routes!(set_certifications))
        .routes(routes!(set_industry))
}

/// Who may do what with a firm's figures.
enum Reader {
    /// The firm's confirmed people: read and enter.
    Own,
    /// A CM of one of its consortia, or an agency admin: read.
    Overseer,
}

/// The reader's standing towards firm `org`: 404 for anyone else, and for an
/// organisation that is not an open firm.
async fn reader(state: &AppState, user: &CurrentUser, org: OrgId) -> AppResult<Reader> {
    let row = db::orgs::find_open(&state.db, org).await?;
    if OrgKind::from_code(&row.kind) != Some(OrgKind::Firm) {
        return Err(ApiError::NotFound.into());
    }
    if user.confirmed_org() == Some(org) {
        Ok(Reader::Own)
    } else if user.is_admin() || db::figures::manages_member(&state.db, user.id(), org).await? {
        Ok(Reader::Overseer)
    } else {
        Err(ApiError::NotFound.into())
    }
}

/// The reader's firm, for a change: 403 for those who only read.
async fn own(state: &AppState, user: &CurrentUser, org: OrgId) -> AppResult<()> {
    match reader(state, user, org).await? {
        Reader::Own => Ok(()),
        Reader::Overseer => Err(ApiError::Forbidden.into()),
    }
}

/// This year in Korea: the latest a firm reports.
fn this_year() -> i32 {
    moim_core::kst_today().year()
}

/// A firm's figures: every year entered (the newest first), its
/// certifications, industry and size band.
#[utoipa::path(get, path = "/api/orgs/{id}/figures", tag = "figures",
    params(("id" = i64, Path, description = "The firm")),
    responses((status = 200, body = FirmFigures), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn figures(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FirmFigures>> {
    let org = OrgId(id);
    let reader = reader(&state, &user, org).await?;
    let row = db::orgs::find(&state.db, org).await?;
    let years = db::figures::years(&state.db, org).await?;
    let employees = years
        .iter()
        .find_map(|y| y.figures.employees)
        .or(row.headcount);
    let entered: Vec<i32> = years.iter().map(|y| y.year).collect();
    let peers = db::figures::peers(&state.db, org, &entered, user.is_admin()).await?;
    let (ksic, founded_on) = db::figures::profile(&state.db, org).await?;
    Ok(Json(FirmFigures {
        org_id: org,
        org_name: row.name,
        ksic,
        founded_on,
        size_band: employees.map(SizeBand::of),
        peers,
        years,
        certifications: db::figures::certifications(&state.db, org).await?,
        can_edit: matches!(reader, Reader::Own),
    }))
}

/// Enters a year's figures (replacing that year's). A year before 2000 or
/// after this one is `422 year`. Entries that look wrong next to last year's
/// (ten times or a tenth of it) or to each other (R&D or exports above sales)
/// are `422 implausible`, field by field, until sent again with `confirmed`.
#[utoipa::path(put, path = "/api/orgs/{id}/figures/{year}", tag = "figures", request_body = SaveYear,
    params(("id" = i64, Path, description = "The firm"), ("year" = i32, Path, description = "The year")),
    responses((status = 200, body = FirmYear), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn save_year(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, year)): ApiPath<(i64, i32)>,
    Valid(req): Valid<SaveYear>,
) -> AppResult<Json<FirmYear>> {
    let org = OrgId(id);
    own(&state, &user, org).await?;
    let latest = this_year();
    if !(FIRST_YEAR..=latest).contains(&year) {
        let range = ErrorCode::OutOfRange {
            min: i64::from(FIRST_YEAR),
            max: i64::from(latest),
        };
        return Err(ApiError::invalid("year", range).into());
    }
    if !req.confirmed {
        let last = db::figures::year(&state.db, org, year - 1).await?;
        let doubts = warnings(&req.figures, last.as_ref());
        if !doubts.is_empty() {
            let mut fields: Vec<FieldError> = Vec::new();
            for d in doubts {
                let field = format!("figures.{}", d.field);
                if !fields.iter().any(|f| f.field == field) {
                    fields.push(FieldError {
                        field,
                        code: ErrorCode::Implausible,
                    });
                }
            }
            return Err(ApiError::from(FieldErrors(fields)).into());
        }
    }
    let now = Utc::now();
    db::figures::save_year(&state.db, org, year, &req.figures, user.id(), now).await?;
    Ok(Json(FirmYear {
        year,
        figures: req.figures,
        updated_by: Some(user.user.name.clone()),
        updated_at: now,
    }))
}

/// Replaces a firm's certifications (what is not listed is not held) and
/// sets its founding date (`null` clears it; left out, it stays). One of
/// each kind; no date in the future; none before the founding (`422
/// before_founding`); an expiry after its certification.
#[utoipa::path(put, path = "/api/orgs/{id}/certifications", tag = "figures", request_body = SetCertifications,
    params(("id" = i64, Path, description = "The firm")),
    responses((status = 200, body = SetCertifications), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn set_certifications(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SetCertifications>,
) -> AppResult<Json<SetCertifications>> {
    let org = OrgId(id);
    own(&state, &user, org).await?;
    // Left out, the founding date stays, and the certifications are checked
    // against it.
    let founded_on = match req.founded_on {
        Some(f) => f,
        None => db::figures::profile(&state.db, org).await?.1,
    };
    let req = SetCertifications {
        founded_on: Some(founded_on),
        ..req
    };
    // Checked here, not by the extractor: no date may be after today.
    req.validate_on(moim_core::kst_today())
        .map_err(ApiError::from)?;
    db::figures::set_certifications(&state.db, org, founded_on, &req.certifications).await?;
    Ok(Json(SetCertifications {
        founded_on: Some(founded_on),
        certifications: db::figures::certifications(&state.db, org).await?,
    }))
}

/// Sets a firm's industry: its KSIC division (two digits), or none.
#[utoipa::path(put, path = "/api/orgs/{id}/industry", tag = "figures", request_body = SetIndustry,
    params(("id" = i64, Path, description = "The firm")),
    responses((status = 200, body = SetIndustry), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn set_industry(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(req): Valid<SetIndustry>,
) -> AppResult<Json<SetIndustry>> {
    let org = OrgId(id);
    own(&state, &user, org).await?;
    db::figures::set_ksic(&state.db, org, req.ksic.as_deref()).await?;
    Ok(Json(req))
}
