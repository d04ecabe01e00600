//! Reference data and headline numbers.

use super::{ClientError, get};
use moim_core::reference::{ProgrammeStats, Reference};

pub async fn reference() -> Result<Reference, ClientError> {
    get("/api/reference").await
}

pub async fn stats() -> Result<ProgrammeStats, ClientError> {
    get(moim_core::paths::STATS).await
}
