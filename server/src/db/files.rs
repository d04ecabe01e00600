//! The rows that name an uploaded file by its storage key.

use super::{Db, DbError, with_db};

/// The tables with a `storage_key` column: every stored file belongs to a row
/// of one of them.
pub const TABLES: [&str; 4] = [
    "problem_attachments",
    "idea_photos",
    "activity_photos",
    "partner_documents",
];

/// Every storage key a row names.
pub async fn keys(db: &Db) -> Result<Vec<String>, DbError> {
    let sql = TABLES
        .iter()
        .map(|t| format!("SELECT storage_key FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    let rows: Vec<(String,)> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(k,)| k).collect())
}
