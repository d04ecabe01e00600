//! Agency admins.

use super::{ClientError, get, send_empty, send_only};
use gloo_net::http::Method;
use moim_core::{
    UserId,
    account::{Suspend, UserSearch, UserSummary},
    paths,
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
