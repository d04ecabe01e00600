//! Organisations: firms, universities, research institutes, support agencies.

use super::{Db, like_pattern, with_db};
use crate::error::DbError;
use moim_core::{
    ComplexId, OrgId, UserId,
    account::{OrgKind, OrgSummary, OrgView},
    validate::format_business_number,
};

/// An organisation as stored.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OrgRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub business_no: Option<String>,
    pub complex_id: Option<i64>,
    pub headcount: Option<i64>,
    pub industry: Option<String>,
    pub representative_id: Option<i64>,
    pub is_sample: bool,
}

impl OrgRow {
    /// The wire view.
    pub fn into_view(self) -> OrgView {
        OrgView {
            id: OrgId(self.id),
            kind: OrgKind::from_code(&self.kind).unwrap_or(OrgKind::Agency),
            name: self.name,
            business_no: self.business_no.as_deref().and_then(format_business_number),
            complex_id: self.complex_id.map(ComplexId),
            headcount: self.headcount,
            industry: self.industry,
            representative_id: self.representative_id.map(UserId),
            is_sample: self.is_sample,
        }
    }
}

/// An organisation with its complex name, as lists show it.
#[derive(sqlx::FromRow)]
pub struct OrgSummaryRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub complex_name: Option<String>,
    pub is_sample: bool,
}

impl From<OrgSummaryRow> for OrgSummary {
    fn from(r: OrgSummaryRow) -> Self {
        OrgSummary {
            id: OrgId(r.id),
            kind: OrgKind::from_code(&r.kind).unwrap_or(OrgKind::Agency),
            name: r.name,
            complex_name: r.complex_name,
            is_sample: r.is_sample,
        }
    }
}

const COLUMNS: &str =
    "id, kind, name, business_no, complex_id, headcount, industry, representative_id, is_sample";

/// One organisation.
pub async fn find(db: &Db, id: OrgId) -> Result<OrgRow, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?))
}

/// The firm registered under a business number (ten digits, no dashes).
pub async fn find_by_business_no(db: &Db, digits: &str) -> Result<Option<OrgSummary>, DbError> {
    let row: Option<OrgSummaryRow> = with_db!(db, p => sqlx::query_as(
        "SELECT o.id, o.kind, o.name, x.name_ko AS complex_name, o.is_sample
         FROM organisations o LEFT JOIN complexes x ON x.id = o.complex_id WHERE o.business_no = $1",
    ).bind(digits).fetch_optional(p).await?);
    Ok(row.map(Into::into))
}

/// Organisations whose name contains `q`, optionally of one kind.
pub async fn search(
    db: &Db,
    q: &str,
    kind: Option<OrgKind>,
    limit: i64,
) -> Result<Vec<OrgSummary>, DbError> {
    let rows: Vec<OrgSummaryRow> = with_db!(db, p => sqlx::query_as(
        "SELECT o.id, o.kind, o.name, x.name_ko AS complex_name, o.is_sample
         FROM organisations o LEFT JOIN complexes x ON x.id = o.complex_id
         WHERE LOWER(o.name) LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR o.kind = $2)
         ORDER BY o.name, o.id LIMIT $3",
    ).bind(like_pattern(q.trim())).bind(kind.map(OrgKind::code)).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}
