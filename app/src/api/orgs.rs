//! Organisation search and business-number lookup.

use super::{ClientError, get};
use moim_core::{
    account::{BusinessLookup, BusinessLookupQuery, OrgKind, OrgSearch, OrgSummary},
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
