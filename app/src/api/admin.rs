//! Agency admins.

use super::{ClientError, enc, get};
use moim_core::{account::UserSummary, consortium::AuditEntry};

pub async fn users(q: &str) -> Result<Vec<UserSummary>, ClientError> {
    get(&format!("/api/admin/users?q={}", enc(q))).await
}

pub async fn audit() -> Result<Vec<AuditEntry>, ClientError> {
    get("/api/admin/audit").await
}
