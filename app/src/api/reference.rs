//! Reference data and headline numbers.

use super::{ClientError, get};
use moim_core::reference::Reference;

pub async fn reference() -> Result<Reference, ClientError> {
    get("/api/reference").await
}
