//! Organisation search and business-number lookup (used while signing up and
//! by CMs inviting an organisation).

use crate::{AppState, db, error::AppResult, extract::ApiQuery};
use axum::{Json, extract::State};
use moim_core::{
    ApiError,
    account::{BusinessLookup, BusinessLookupQuery, OrgSearch, OrgSummary},
    validate::{format_business_number, plain_business_number},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_orgs))
        .routes(routes!(lookup_business_no))
}

/// Organisations whose name contains `q` (at most 20).
#[utoipa::path(get, path = "/api/orgs", tag = "orgs", params(OrgSearch),
    responses((status = 200, body = Vec<OrgSummary>), (status = 422, body = ApiError)))]
async fn search_orgs(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OrgSearch>,
) -> AppResult<Json<Vec<OrgSummary>>> {
    Ok(Json(db::orgs::search(&state.db, &q.q, q.kind, 20).await?))
}

/// The firm registered under a business registration number, if any.
#[utoipa::path(get, path = "/api/orgs/lookup", tag = "orgs", params(BusinessLookupQuery),
    responses((status = 200, body = BusinessLookup), (status = 422, body = ApiError)))]
async fn lookup_business_no(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BusinessLookupQuery>,
) -> AppResult<Json<BusinessLookup>> {
    let digits = plain_business_number(&q.business_no).unwrap_or_default();
    Ok(Json(BusinessLookup {
        business_no: format_business_number(&digits).unwrap_or_default(),
        organisation: db::orgs::find_by_business_no(&state.db, &digits).await?,
    }))
}
