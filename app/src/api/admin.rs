//! Agency admins.

use super::{ClientError, get};
use moim_core::{
    account::{UserSearch, UserSummary},
    paths,
};

pub async fn users(q: &str) -> Result<Vec<UserSummary>, ClientError> {
    get(&paths::users(&UserSearch { q: q.to_owned() })).await
}
