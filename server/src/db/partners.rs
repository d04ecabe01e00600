//! The register of partners abroad: partners, their agreements and each
//! agreement's document, and the events they co-organise. Every change an
//! admin makes is in the audit trail, written in the same transaction.

use super::{Db, Tx, audit, id_list, like_pattern, with_db, with_tx};
use crate::error::{DbError, UniqueRule};
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ActivityId, PartnerAgreementId, PartnerId, UserId, activity::ActivityKind,
    consortium::AuditAction, partner::*,
};
use std::collections::HashMap;

/// One entry per body: a name (in any case) is registered once.
pub const NAME: UniqueRule = UniqueRule {
    postgres: "partners_name_key",
    sqlite: "partners.name_key",
};

#[derive(sqlx::FromRow)]
pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub name_ko: String,
    pub country: String,
    pub kind: String,
    pub website: Option<String>,
    pub description: String,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub is_sample: bool,
}

impl PartnerRow {
    pub fn tag(&self) -> PartnerTag {
        PartnerTag {
            id: PartnerId(self.id),
            name: self.name.clone(),
            name_ko: self.name_ko.clone(),
            country: self.country.clone(),
        }
    }

    pub fn kind(&self) -> PartnerKind {
        PartnerKind::from_code(&self.kind).unwrap_or(PartnerKind::Other)
    }

    /// The contact, when one was recorded.
    pub fn contact(&self) -> Option<PartnerContact> {
        (!self.contact_name.is_empty() || self.contact_email.is_some()).then(|| PartnerContact {
            name: self.contact_name.clone(),
            email: self.contact_email.clone(),
        })
    }
}

const COLUMNS: &str =
    "p.id, p.name, p.name_ko, p.country, p.kind, p.website, p.description, p.contact_name,
     p.contact_email, p.is_sample";

/// What a search finds a partner by: both names, folded.
fn search_key(p: &SavePartner) -> String {
    name_key(&format!("{} {}", p.name, p.name_ko))
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    p: PartnerRow,
    in_force: i64,
    latest: Option<NaiveDate>,
    events: i64,
}

/// A page of the register matching `q` (by Korean name), the number matching,
/// and every country some partner is from. `today` decides what is in force.
pub async fn list(
    db: &Db,
    q: &PartnerQuery,
    today: NaiveDate,
) -> Result<(Vec<PartnerSummary>, i64, Vec<String>), DbError> {
    let words = q.q.as_deref().map(like_pattern);
    let country = q.country.as_deref();
    let kind = q.kind.map(PartnerKind::code);
    let per = i64::from(PARTNERS_PER_PAGE);
    let offset = i64::from(q.page.unwrap_or(1).saturating_sub(1)) * per;
    let filter = "($1 IS NULL OR p.search_key LIKE $1 ESCAPE '\\')
         AND ($2 IS NULL OR p.country = $2) AND ($3 IS NULL OR p.kind = $3)";
    let sql = format!(
        "SELECT {COLUMNS},
            (SELECT COUNT(*) FROM partner_agreements a WHERE a.partner_id = p.id
               AND a.signed_on <= $4 AND (a.expires_on IS NULL OR a.expires_on >= $4)) AS in_force,
            (SELECT MAX(a.signed_on) FROM partner_agreements a WHERE a.partner_id = p.id) AS latest,
            (SELECT COUNT(*) FROM activity_partners e WHERE e.partner_id = p.id) AS events
         FROM partners p WHERE {filter}
         ORDER BY p.name_ko, p.id LIMIT $5 OFFSET $6"
    );
    let count = format!("SELECT COUNT(*) FROM partners p WHERE {filter}");
    let (rows, (total,), countries): (Vec<SummaryRow>, (i64,), Vec<(String,)>) = with_db!(db, p => {
        let rows = sqlx::query_as(&sql)
            .bind(&words).bind(country).bind(kind).bind(today).bind(per).bind(offset)
            .fetch_all(p).await?;
        let total = sqlx::query_as(&count)
            .bind(&words).bind(country).bind(kind).fetch_one(p).await?;
        let countries = sqlx::query_as("SELECT DISTINCT country FROM partners ORDER BY country")
            .fetch_all(p).await?;
        (rows, total, countries)
    });
    let items = rows
        .into_iter()
        .map(|r| PartnerSummary {
            tag: r.p.tag(),
            kind: r.p.kind(),
            agreements_in_force: r.in_force,
            latest_agreement: r.latest,
            events: r.events,
            is_sample: r.p.is_sample,
        })
        .collect();
    Ok((items, total, countries.into_iter().map(|c| c.0).collect()))
}

/// One partner.
pub async fn find(db: &Db, id: PartnerId) -> Result<PartnerRow, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM partners p WHERE p.id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?))
}

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: i64,
    kind: String,
    title: String,
    scope: String,
    signed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    doc_name: Option<String>,
    doc_type: Option<String>,
    doc_size: Option<i64>,
}

impl AgreementRow {
    fn view(self) -> AgreementView {
        let document = match (self.doc_name, self.doc_type, self.doc_size) {
            (Some(name), Some(content_type), Some(size)) => Some(AgreementDocument {
                name,
                content_type,
                size,
            }),
            _ => None,
        };
        AgreementView {
            id: PartnerAgreementId(self.id),
            agreement: SaveAgreement {
                kind: AgreementKind::from_code(&self.kind).unwrap_or(AgreementKind::Other),
                title: self.title,
                scope: self.scope,
                signed_on: self.signed_on,
                expires_on: self.expires_on,
            },
            document,
        }
    }
}

const AGREEMENT: &str = "SELECT a.id, a.kind, a.title, a.scope, a.signed_on, a.expires_on,
            d.name AS doc_name, d.content_type AS doc_type, d.size AS doc_size
     FROM partner_agreements a LEFT JOIN partner_documents d ON d.agreement_id = a.id";

/// A partner's agreements, the latest signed first.
pub async fn agreements(db: &Db, id: PartnerId) -> Result<Vec<AgreementView>, DbError> {
    let sql = format!("{AGREEMENT} WHERE a.partner_id = $1 ORDER BY a.signed_on DESC, a.id DESC");
    let rows: Vec<AgreementRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(AgreementRow::view).collect())
}

/// One agreement of a partner.
pub async fn agreement(
    db: &Db,
    id: PartnerId,
    aid: PartnerAgreementId,
) -> Result<AgreementView, DbError> {
    let sql = format!("{AGREEMENT} WHERE a.partner_id = $1 AND a.id = $2");
    let row: AgreementRow =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(aid.0).fetch_one(p).await?);
    Ok(row.view())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    title: String,
    starts_at: DateTime<Utc>,
    cancelled: bool,
}

/// The events a partner co-organises, the latest first.
pub async fn events(db: &Db, id: PartnerId) -> Result<Vec<PartnerEvent>, DbError> {
    let rows: Vec<EventRow> = with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.kind, a.title, a.starts_at, a.cancelled_at IS NOT NULL AS cancelled
         FROM activity_partners e JOIN activities a ON a.id = e.activity_id
         WHERE e.partner_id = $1 ORDER BY a.starts_at DESC, a.id DESC",
    ).bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| PartnerEvent {
            id: ActivityId(r.id),
            kind: ActivityKind::from_code(&r.kind).unwrap_or(ActivityKind::Other),
            title: r.title,
            starts_at: r.starts_at,
            cancelled: r.cancelled,
        })
        .collect())
}

fn note(name: &str, what: Option<&str>) -> Option<String> {
    Some(match what {
        Some(w) => format!("{name}: {w}"),
        None => name.to_owned(),
    })
}

async fn record(
    tx: &mut Tx,
    by: UserId,
    action: AuditAction,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let subject = audit::Subject {
        note,
        ..Default::default()
    };
    audit::record(tx, Some(by), action, subject, now).await
}

/// Registers a partner.
pub async fn insert(
    db: &Db,
    p: &SavePartner,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<PartnerId, DbError> {
    let mut tx = db.begin().await?;
    let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO partners (name, name_ko, country, kind, website, description, contact_name, contact_email, created_at, updated_at,
                               name_key, search_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) RETURNING id",
    ).bind(p.name.trim()).bind(p.name_ko.trim()).bind(&p.country).bind(p.kind.code()).bind(p.website())
     .bind(p.description.trim()).bind(p.contact_name.trim()).bind(p.contact_email()).bind(now)
     .bind(name_key(&p.name)).bind(search_key(p)).fetch_one(&mut *c).await?);
    record(
        &mut tx,
        by,
        AuditAction::PartnerSaved,
        note(p.name.trim(), None),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(PartnerId(id))
}

/// Edits a partner ([`DbError::NotFound`] when it is gone).
pub async fn update(
    db: &Db,
    id: PartnerId,
    p: &SavePartner,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE partners SET name = $2, name_ko = $3, country = $4, kind = $5, website = $6, description = $7,
                contact_name = $8, contact_email = $9, updated_at = $10, name_key = $11, search_key = $12 WHERE id = $1",
    ).bind(id.0).bind(p.name.trim()).bind(p.name_ko.trim()).bind(&p.country).bind(p.kind.code()).bind(p.website())
     .bind(p.description.trim()).bind(p.contact_name.trim()).bind(p.contact_email()).bind(now)
     .bind(name_key(&p.name)).bind(search_key(p)).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Err(DbError::NotFound);
    }
    record(
        &mut tx,
        by,
        AuditAction::PartnerSaved,
        note(p.name.trim(), None),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a partner was not removed.
#[derive(Debug)]
pub enum RemoveError {
    /// Events name it.
    InUse,
    Db(DbError),
}

impl From<DbError> for RemoveError {
    fn from(e: DbError) -> Self {
        RemoveError::Db(e)
    }
}

/// Removes a partner with its agreements, unless an event names it; returns the
/// storage keys of its documents, for the caller to remove once committed.
pub async fn delete(
    db: &Db,
    id: PartnerId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<String>, RemoveError> {
    let mut tx = db.begin().await?;
    let (events,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM activity_partners e JOIN activities a ON a.id = e.activity_id
         WHERE e.partner_id = $1 AND a.cancelled_at IS NULL",
    ).bind(id.0).fetch_one(&mut *c).await.map_err(DbError::from)?);
    if events > 0 {
        return Err(RemoveError::InUse);
    }
    // A cancelled event cannot be edited: its mention of the partner goes.
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM activity_partners WHERE partner_id = $1
           AND activity_id IN (SELECT id FROM activities WHERE cancelled_at IS NOT NULL)",
    ).bind(id.0).execute(&mut *c).await.map_err(DbError::from)?.rows_affected());
    // The documents' rows first, taking their keys: one attached meanwhile is
    // among them, or refused once its agreement is gone.
    let keys: Vec<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "DELETE FROM partner_documents
         WHERE agreement_id IN (SELECT id FROM partner_agreements WHERE partner_id = $1)
         RETURNING storage_key",
    ).bind(id.0).fetch_all(&mut *c).await.map_err(DbError::from)?);
    // An event naming it since the count above: the key refuses the removal.
    let name: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "DELETE FROM partners WHERE id = $1 RETURNING name",
    ).bind(id.0).fetch_optional(&mut *c).await.map_err(|e| match DbError::from(e) {
        DbError::ForeignKey(_) => RemoveError::InUse,
        e => RemoveError::Db(e),
    })?);
    let Some((name,)) = name else {
        return Err(DbError::NotFound.into());
    };
    record(
        &mut tx,
        by,
        AuditAction::PartnerRemoved,
        note(&name, None),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(keys.into_iter().map(|k| k.0).collect())
}

/// The name of partner `id`, read in the transaction (none when it is gone).
async fn name_in(tx: &mut Tx, id: PartnerId) -> Result<String, DbError> {
    let row: Option<(String,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT name FROM partners WHERE id = $1",
    ).bind(id.0).fetch_optional(&mut *c).await?);
    row.map(|r| r.0).ok_or(DbError::NotFound)
}

/// Records an agreement with partner `id`.
pub async fn add_agreement(
    db: &Db,
    id: PartnerId,
    a: &SaveAgreement,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<PartnerAgreementId, DbError> {
    let mut tx = db.begin().await?;
    let name = name_in(&mut tx, id).await?;
    let (aid,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO partner_agreements (partner_id, kind, title, scope, signed_on, expires_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    ).bind(id.0).bind(a.kind.code()).bind(a.title.trim()).bind(a.scope.trim()).bind(a.signed_on)
     .bind(a.expires_on).bind(now).fetch_one(&mut *c).await?);
    record(
        &mut tx,
        by,
        AuditAction::AgreementSaved,
        note(&name, Some(a.title.trim())),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(PartnerAgreementId(aid))
}

/// Edits an agreement of partner `id`.
pub async fn update_agreement(
    db: &Db,
    id: PartnerId,
    aid: PartnerAgreementId,
    a: &SaveAgreement,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let name = name_in(&mut tx, id).await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE partner_agreements SET kind = $3, title = $4, scope = $5, signed_on = $6, expires_on = $7
         WHERE partner_id = $1 AND id = $2",
    ).bind(id.0).bind(aid.0).bind(a.kind.code()).bind(a.title.trim()).bind(a.scope.trim()).bind(a.signed_on)
     .bind(a.expires_on).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Err(DbError::NotFound);
    }
    record(
        &mut tx,
        by,
        AuditAction::AgreementSaved,
        note(&name, Some(a.title.trim())),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an agreement of partner `id`; returns its document's storage key,
/// for the caller to remove once committed.
pub async fn delete_agreement(
    db: &Db,
    id: PartnerId,
    aid: PartnerAgreementId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let mut tx = db.begin().await?;
    let name = name_in(&mut tx, id).await?;
    let key: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "DELETE FROM partner_documents
         WHERE agreement_id IN (SELECT id FROM partner_agreements WHERE partner_id = $1 AND id = $2)
         RETURNING storage_key",
    ).bind(id.0).bind(aid.0).fetch_optional(&mut *c).await?);
    let title: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "DELETE FROM partner_agreements WHERE partner_id = $1 AND id = $2 RETURNING title",
    ).bind(id.0).bind(aid.0).fetch_optional(&mut *c).await?);
    let Some((title,)) = title else {
        return Err(DbError::NotFound);
    };
    record(
        &mut tx,
        by,
        AuditAction::AgreementRemoved,
        note(&name, Some(&title)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(key.map(|k| k.0))
}

/// A document as stored.
pub struct NewDocument<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub key: &'a str,
}

/// Attaches `doc` to an agreement of partner `id`, replacing the one it had;
/// returns the replaced document's storage key, for the caller to remove.
pub async fn set_document(
    db: &Db,
    id: PartnerId,
    aid: PartnerAgreementId,
    doc: &NewDocument<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    let mut tx = db.begin().await?;
    let name = name_in(&mut tx, id).await?;
    let title: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT title FROM partner_agreements WHERE partner_id = $1 AND id = $2",
    ).bind(id.0).bind(aid.0).fetch_optional(&mut *c).await?);
    let Some((title,)) = title else {
        return Err(DbError::NotFound);
    };
    let old: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "DELETE FROM partner_documents WHERE agreement_id = $1 RETURNING storage_key",
    ).bind(aid.0).fetch_optional(&mut *c).await?);
    with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO partner_documents (agreement_id, name, content_type, size, storage_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(aid.0).bind(doc.name).bind(doc.content_type).bind(doc.size).bind(doc.key).bind(now)
     .execute(&mut *c).await?.rows_affected());
    let what = format!("{title} ({})", doc.name);
    record(
        &mut tx,
        by,
        AuditAction::AgreementSaved,
        note(&name, Some(&what)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(old.map(|k| k.0))
}

/// An agreement's document: name, type and storage key.
#[derive(sqlx::FromRow)]
pub struct DocumentRow {
    pub name: String,
    pub content_type: String,
    pub storage_key: String,
}

/// The document of an agreement of partner `id`.
pub async fn document(
    db: &Db,
    id: PartnerId,
    aid: PartnerAgreementId,
) -> Result<DocumentRow, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT d.name, d.content_type, d.storage_key
         FROM partner_documents d JOIN partner_agreements a ON a.id = d.agreement_id
         WHERE a.partner_id = $1 AND a.id = $2",
    ).bind(id.0).bind(aid.0).fetch_one(p).await?))
}

/// Marks a partner as fictional sample data (the demo's).
pub async fn mark_sample(db: &Db, id: PartnerId) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE partners SET is_sample = TRUE WHERE id = $1")
        .bind(id.0).execute(p).await?.rows_affected());
    Ok(())
}

/// Which of `ids` are not in the register.
pub async fn unknown(db: &Db, ids: &[PartnerId]) -> Result<Vec<PartnerId>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id FROM partners WHERE id IN ({})",
        id_list(ids.iter().map(|i| i.0))
    );
    let known: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    Ok(ids
        .iter()
        .copied()
        .filter(|i| !known.iter().any(|k| k.0 == i.0))
        .collect())
}

/// The partners co-organising each of `activities`, by Korean name.
pub async fn of_activities(
    db: &Db,
    activities: &[i64],
) -> Result<HashMap<i64, Vec<PartnerTag>>, DbError> {
    let mut out: HashMap<i64, Vec<PartnerTag>> = HashMap::new();
    if activities.is_empty() {
        return Ok(out);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        activity_id: i64,
        #[sqlx(flatten)]
        p: PartnerRow,
    }
    let sql = format!(
        "SELECT e.activity_id, {COLUMNS} FROM activity_partners e JOIN partners p ON p.id = e.partner_id
         WHERE e.activity_id IN ({}) ORDER BY p.name_ko, p.id",
        id_list(activities.iter().copied())
    );
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    for r in rows {
        out.entry(r.activity_id).or_default().push(r.p.tag());
    }
    Ok(out)
}

/// Sets the partners co-organising `activity` to `ids` (inside the activity's
/// own write).
pub async fn set_for_activity(
    tx: &mut Tx,
    activity: i64,
    ids: &[PartnerId],
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("DELETE FROM activity_partners WHERE activity_id = $1")
        .bind(activity).execute(&mut *c).await?.rows_affected());
    // A partner removed since the caller checked is left out, not a key error.
    for p in ids {
        with_tx!(tx, c => sqlx::query(
            "INSERT INTO activity_partners (activity_id, partner_id) SELECT $1, id FROM partners WHERE id = $2",
        ).bind(activity).bind(p.0).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}
