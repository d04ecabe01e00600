//! Organisations: firms, universities, research institutes, support agencies.

use super::{Db, like_pattern, with_db, with_tx};
use crate::error::{DbError, UniqueRule};

/// One organisation per business number (사업자등록번호).
pub const BUSINESS_NO: UniqueRule = UniqueRule {
    postgres: "organisations_business_no_key",
    sqlite: "organisations.business_no",
};
use moim_core::{
    ComplexId, OrgId, UserId,
    account::{OrgKind, OrgSummary, OrgView, PersonRef, Representation},
    consortium::AuditAction,
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

/// One organisation people can still join: not closed with its last person.
pub async fn find_open(db: &Db, id: OrgId) -> Result<OrgRow, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id = $1 AND closed_at IS NULL");
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
         WHERE LOWER(o.name) LIKE $1 ESCAPE '\\' AND ($2 IS NULL OR o.kind = $2) AND o.closed_at IS NULL
         ORDER BY o.name, o.id LIMIT $3",
    ).bind(like_pattern(q.trim())).bind(kind.map(OrgKind::code)).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A confirmed person of `org`, as lists name them.
async fn person(db: &Db, org: OrgId, user: Option<i64>) -> Result<Option<PersonRef>, DbError> {
    let Some(user) = user else {
        return Ok(None);
    };
    let row: Option<(i64, String, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, o.name FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.id = $1 AND u.org_id = $2",
    ).bind(user).bind(org.0).fetch_optional(p).await?);
    Ok(row.map(|(id, name, org_name)| PersonRef {
        id: UserId(id),
        name,
        org_name,
    }))
}

/// Who represents `org`, the role offered to whom, and (for `viewer`, when they
/// are the representative) the confirmed colleagues it could go to.
pub async fn representation(
    db: &Db,
    org: OrgId,
    viewer: UserId,
) -> Result<Representation, DbError> {
    let (rep, to): (Option<i64>, Option<i64>) = with_db!(db, p => sqlx::query_as(
        "SELECT representative_id, handover_to FROM organisations WHERE id = $1",
    ).bind(org.0).fetch_one(p).await?);
    let colleagues = if rep == Some(viewer.0) {
        let rows: Vec<(i64, String, String)> = with_db!(db, p => sqlx::query_as(
            "SELECT u.id, u.name, o.name FROM users u JOIN organisations o ON o.id = u.org_id
             WHERE u.org_id = $1 AND u.affiliation = 'confirmed' AND u.id <> $2 AND u.suspended_at IS NULL
             ORDER BY u.name, u.id",
        ).bind(org.0).bind(viewer.0).fetch_all(p).await?);
        rows.into_iter()
            .map(|(id, name, org_name)| PersonRef {
                id: UserId(id),
                name,
                org_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Representation {
        representative: person(db, org, rep).await?,
        colleagues,
        offered_to: person(db, org, to).await?,
    })
}

/// The representative of `org` (`from`) offers the role to `to`, a confirmed
/// colleague; false when `from` does not represent `org` or `to` is not such a
/// colleague.
pub async fn offer_handover(
    db: &Db,
    org: OrgId,
    from: UserId,
    to: Option<UserId>,
) -> Result<bool, DbError> {
    let n = match to {
        Some(to) => with_db!(db, p => sqlx::query(
            "UPDATE organisations SET handover_to = $3 WHERE id = $1 AND representative_id = $2 AND $3 <> $2
               AND EXISTS (SELECT 1 FROM users WHERE id = $3 AND org_id = $1 AND affiliation = 'confirmed' AND suspended_at IS NULL)",
        ).bind(org.0).bind(from.0).bind(to.0).execute(p).await?.rows_affected()),
        None => with_db!(db, p => sqlx::query(
            "UPDATE organisations SET handover_to = NULL WHERE id = $1 AND representative_id = $2",
        ).bind(org.0).bind(from.0).execute(p).await?.rows_affected()),
    };
    Ok(n == 1)
}

/// Makes `user` the representative of `org`, with its entry in the audit trail
/// (`actor`: the person accepting, or an admin): with `offered`, only if the
/// role was offered to them. They are confirmed in `org` from then on; a
/// hand-over under way ends. False when nothing changed.
pub async fn make_representative(
    db: &Db,
    org: OrgId,
    user: UserId,
    offered: bool,
    actor: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let sql = if offered {
        // Still a confirmed, active colleague (declined or suspended since, the
        // offer is void).
        "UPDATE organisations SET representative_id = $2, handover_to = NULL WHERE id = $1 AND handover_to = $2
           AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND org_id = $1 AND affiliation = 'confirmed' AND suspended_at IS NULL)"
    } else {
        "UPDATE organisations SET representative_id = $2, handover_to = NULL WHERE id = $1
           AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND org_id = $1 AND closed_at IS NULL)"
    };
    let n = with_tx!(&mut tx, c => sqlx::query(sql).bind(org.0).bind(user.0).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    with_tx!(&mut tx, c => sqlx::query("UPDATE users SET affiliation = 'confirmed' WHERE id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    let subject = super::audit::Subject {
        org: Some(org),
        user: Some(user),
        ..Default::default()
    };
    super::audit::record(
        &mut tx,
        Some(actor),
        AuditAction::RepresentativeChanged,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
