//! Organisation search and business-number lookup; a firm's yearly figures.

use super::{ClientError, get, send};
use gloo_net::http::Method;
use moim_core::{
    OrgId,
    account::{BusinessLookup, BusinessLookupQuery, OrgKind, OrgSearch, OrgSummary},
    figures::{FirmYear, SaveYear, SetCertifications, SetIndustry},
    paths,
};

pub async fn search(q: &str, kind: Option<OrgKind>) -> Result<Vec<OrgSummary>, ClientError> {
    get(&paths::orgs(&OrgSearch {
        q: q.to_owned(),
        kind,
    }))
    .await
}

pub async fn lookup(business_no: &str) -> Result<BusinessLookup, ClientError> {
    get(&paths::org_lookup(&BusinessLookupQuery {
        business_no: business_no.to_owned(),
    }))
    .await
}

/// Enters a firm's figures of `year`.
pub async fn save_year(org: OrgId, year: i32, req: &SaveYear) -> Result<FirmYear, ClientError> {
    send(Method::PUT, &format!("/api/orgs/{org}/figures/{year}"), req).await
}

/// Replaces a firm's certifications.
pub async fn set_certifications(
    org: OrgId,
    req: &SetCertifications,
) -> Result<SetCertifications, ClientError> {
    send(Method::PUT, &format!("/api/orgs/{org}/certifications"), req).await
}

/// Sets a firm's KSIC division.
pub async fn set_industry(org: OrgId, req: &SetIndustry) -> Result<SetIndustry, ClientError> {
    send(Method::PUT, &format!("/api/orgs/{org}/industry"), req).await
}
