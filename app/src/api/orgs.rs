//! Organisation search and business-number lookup.

use super::{ClientError, enc, get};
use moim_core::account::{BusinessLookup, OrgKind, OrgSummary};

pub async fn search(q: &str, kind: Option<OrgKind>) -> Result<Vec<OrgSummary>, ClientError> {
    let kind = kind
        .map(|k| format!("&kind={}", k.code()))
        .unwrap_or_default();
    get(&format!("/api/orgs?q={}{kind}", enc(q))).await
}

pub async fn lookup(business_no: &str) -> Result<BusinessLookup, ClientError> {
    get(&format!(
        "/api/orgs/lookup?business_no={}",
        enc(business_no)
    ))
    .await
}
