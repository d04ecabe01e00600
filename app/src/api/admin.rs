//! Agency admins.

use super::{ClientError, get, send, send_empty, send_only};
use gloo_net::http::Method;
use moim_core::{
    OrgId, UserId,
    account::{Suspend, UserSearch, UserSummary},
    headline::AveragesReport,
    paths,
    registry::{CorrectOrg, ImportReport, MergeOrg, Merged, OrgRecord, RegisterQuery},
};

pub async fn users(q: &str) -> Result<Vec<UserSummary>, ClientError> {
    get(&paths::users(&UserSearch { q: q.to_owned() })).await
}

pub async fn suspend(id: UserId, reason: &str) -> Result<(), ClientError> {
    let body = Suspend {
        reason: reason.to_owned(),
    };
    send_only(
        Method::POST,
        &format!("/api/admin/users/{id}/suspend"),
        &body,
    )
    .await
}

pub async fn reactivate(id: UserId) -> Result<(), ClientError> {
    send_empty(Method::POST, &format!("/api/admin/users/{id}/reactivate")).await
}

pub async fn send_reset_link(id: UserId) -> Result<(), ClientError> {
    send_empty(Method::POST, &format!("/api/admin/users/{id}/reset-link")).await
}

/// Makes a person the representative of their organisation.
pub async fn make_representative(id: UserId) -> Result<(), ClientError> {
    send_empty(
        Method::POST,
        &format!("/api/admin/users/{id}/representative"),
    )
    .await
}

/// Removes a person's second factor (they lost their phone and codes).
pub async fn reset_second_factor(id: UserId) -> Result<(), ClientError> {
    send_empty(
        Method::POST,
        &format!("/api/admin/users/{id}/second-factor/reset"),
    )
    .await
}

/// Organisations whose name or business number contains `q`.
pub async fn orgs(q: &str) -> Result<Vec<OrgRecord>, ClientError> {
    get(&paths::register(&RegisterQuery { q: q.to_owned() })).await
}

/// Corrects an organisation's registered data.
pub async fn correct_org(id: OrgId, body: &CorrectOrg) -> Result<OrgRecord, ClientError> {
    send(Method::PUT, &format!("/api/admin/orgs/{id}"), body).await
}

/// Merges the organisation `id` into `body.into`.
pub async fn merge_org(id: OrgId, body: &MergeOrg) -> Result<Merged, ClientError> {
    send(Method::POST, &format!("/api/admin/orgs/{id}/merge"), body).await
}

/// Sends an import file: a dry run reports, otherwise it imports (when clean).
pub async fn import(file: &web_sys::File, dry_run: bool) -> Result<ImportReport, ClientError> {
    upload("/api/admin/import", file, dry_run).await
}

/// Sends an industry averages file: a dry run reports, otherwise it replaces
/// the file's years (when clean).
pub async fn upload_averages(
    file: &web_sys::File,
    dry_run: bool,
) -> Result<AveragesReport, ClientError> {
    upload("/api/kpi/industry-averages", file, dry_run).await
}

async fn upload<T: serde::de::DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
    dry_run: bool,
) -> Result<T, ClientError> {
    super::upload_file(&format!("{path}?dry_run={dry_run}"), file).await
}
