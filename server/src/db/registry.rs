//! The admins' register of organisations: search, correct, merge.

use super::{Db, audit, id_list, like_pattern, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ComplexId, OrgId, UserId,
    account::{NewOrganisation, OrgKind},
    consortium::AuditAction,
    registry::{Merged, OrgRecord},
    validate::{format_business_number, plain_business_number},
};

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    kind: String,
    name: String,
    business_no: Option<String>,
    complex_id: Option<i64>,
    complex_name: Option<String>,
    headcount: Option<i64>,
    industry: Option<String>,
    representative: Option<String>,
    people: i64,
    consortia: i64,
    problems: i64,
    is_sample: bool,
}

impl From<RecordRow> for OrgRecord {
    fn from(r: RecordRow) -> Self {
        OrgRecord {
            id: OrgId(r.id),
            kind: OrgKind::from_code(&r.kind).unwrap_or(OrgKind::Agency),
            name: r.name,
            business_no: r.business_no.as_deref().and_then(format_business_number),
            complex_id: r.complex_id.map(ComplexId),
            complex_name: r.complex_name,
            headcount: r.headcount,
            industry: r.industry,
            representative: r.representative,
            people: r.people,
            consortia: r.consortia,
            problems: r.problems,
            is_sample: r.is_sample,
        }
    }
}

const RECORD: &str =
    "SELECT o.id, o.kind, o.name, o.business_no, o.complex_id, x.name_ko AS complex_name,
        o.headcount, o.industry, r.name AS representative,
        (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id AND u.closed_at IS NULL) AS people,
        (SELECT COUNT(*) FROM memberships m WHERE m.org_id = o.id) AS consortia,
        (SELECT COUNT(*) FROM problems p WHERE p.org_id = o.id) AS problems, o.is_sample
     FROM organisations o LEFT JOIN complexes x ON x.id = o.complex_id
     LEFT JOIN users r ON r.id = o.representative_id";

/// Open organisations whose name contains `q`, or whose business number
/// contains its digits (three or more, dashes or not): at most `limit`.
pub async fn search(db: &Db, q: &str, limit: i64) -> Result<Vec<OrgRecord>, DbError> {
    let q = q.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let by_number = digits.len() >= 3
        && q.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    let number = if by_number {
        format!("%{digits}%")
    } else {
        String::new()
    };
    let sql = format!(
        "{RECORD} WHERE o.closed_at IS NULL AND (LOWER(o.name) LIKE $1 ESCAPE '\\' OR o.business_no LIKE $2)
         ORDER BY o.name, o.id LIMIT $3"
    );
    let rows: Vec<RecordRow> = with_db!(db, p => sqlx::query_as(&sql)
        .bind(like_pattern(q)).bind(number).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One open organisation as the register shows it.
pub async fn record(db: &Db, id: OrgId) -> Result<OrgRecord, DbError> {
    let sql = format!("{RECORD} WHERE o.id = $1 AND o.closed_at IS NULL");
    let row: RecordRow = with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?);
    Ok(row.into())
}

/// Writes an admin's correction of `before` (the record as the caller read
/// it: its kind and old values), with the reason and the fields that changed in
/// the audit trail. A firm keeps its firm-only data; another kind has none. `DbError::Unique` when the business number is
/// another's; `NotFound` when the organisation is closed or gone.
pub async fn correct(
    db: &Db,
    before: &OrgRecord,
    o: &NewOrganisation,
    reason: &str,
    admin: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let id = before.id;
    let firm = before.kind == OrgKind::Firm;
    let business_no = o
        .business_no
        .as_deref()
        .and_then(plain_business_number)
        .filter(|_| firm);
    let complex = o.complex_id.filter(|_| firm);
    let headcount = o.headcount.filter(|_| firm);
    let industry = o.industry.as_deref().map(str::trim).filter(|_| firm);
    let mut changed = Vec::new();
    let mut compare = |was: Option<String>, now: Option<String>| {
        if was != now {
            let show = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
            changed.push(format!("{} → {}", show(was), show(now)));
        }
    };
    compare(Some(before.name.clone()), Some(o.name.trim().to_owned()));
    compare(
        before.business_no.clone(),
        business_no.as_deref().and_then(format_business_number),
    );
    compare(
        before.complex_id.map(|c| format!("#{}", c.0)),
        complex.map(|c| format!("#{}", c.0)),
    );
    compare(
        before.headcount.map(|h| h.to_string()),
        headcount.map(|h| h.to_string()),
    );
    compare(before.industry.clone(), industry.map(str::to_owned));
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE organisations SET name = $2, business_no = $3, complex_id = $4, headcount = $5, industry = $6
         WHERE id = $1 AND closed_at IS NULL")
        .bind(id.0).bind(o.name.trim()).bind(business_no).bind(complex.map(|c| c.0))
        .bind(headcount).bind(industry).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Err(DbError::NotFound);
    }
    let note = if changed.is_empty() {
        reason.trim().to_owned()
    } else {
        format!("{} ({})", reason.trim(), changed.join(", "))
    };
    let subject = audit::Subject {
        org: Some(id),
        note: Some(note),
        ..Default::default()
    };
    audit::record(
        &mut tx,
        Some(admin),
        AuditAction::OrganisationCorrected,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every (table, column) that names an organisation and moves with a merge,
/// beside the merged record's own `organisations.merged_into`. A test keeps it
/// equal to the schema's foreign keys to `organisations`. Memberships and open
/// requests the kept record has too are settled before they move.
pub const MOVES: &[(&str, &str)] = &[
    ("application_partners", "org_id"),
    ("applications", "org_id"),
    ("audit_log", "org_id"),
    ("collaborations", "org_id"),
    // The consortia it runs (운영기관), founded from its applications.
    ("consortia", "operator_org_id"),
    // Its member fee invoices: money owed or paid stays on the record.
    ("fee_invoices", "org_id"),
    ("firm_certifications", "org_id"),
    ("firm_figures", "org_id"),
    ("join_requests", "org_id"),
    ("memberships", "org_id"),
    ("notifications", "org_id"),
    ("offers", "org_id"),
    ("problems", "org_id"),
    ("survey_answers", "org_id"),
    ("users", "org_id"),
];

/// One of the two records of a merge, as it stands.
#[derive(sqlx::FromRow)]
struct Pair {
    id: i64,
    kind: String,
    name: String,
    business_no: Option<String>,
    representative_id: Option<i64>,
}

/// Why a merge did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum Unmerged {
    /// One of the two is closed or gone.
    NotFound,
    /// The same record, or another kind.
    NotMergeable,
}

/// Merges `from` into `into`, two open records of one organisation, in one
/// transaction: memberships (one per consortium), requests (an open one that
/// `into` has too, or for a consortium it is in, is withdrawn), people,
/// problems, offers, collaborations, notifications and history move; `into`
/// keeps its representative (or takes `from`'s) and its data (filling what it
/// lacks from `from`, the business number included); `from` is closed and
/// points at `into`. The audit trail names the admin, the record merged away
/// and the reason.
pub async fn merge(
    db: &Db,
    from: OrgId,
    into: OrgId,
    reason: &str,
    admin: UserId,
    now: DateTime<Utc>,
) -> Result<Result<Merged, Unmerged>, DbError> {
    let mut tx = db.begin().await?;
    // Both rows locked (PostgreSQL; SQLite's transaction holds the write lock):
    // two merges of the same records, or a merge and a closing, run in turn.
    let sql = format!(
        "UPDATE organisations SET name = name WHERE id IN ({}) AND closed_at IS NULL
         RETURNING id, kind, name, business_no, representative_id",
        id_list([from.0, into.0])
    );
    let rows: Vec<Pair> = with_tx!(&mut tx, c => sqlx::query_as(&sql).fetch_all(&mut *c).await?);
    let row = |id: OrgId| rows.iter().find(|r| r.id == id.0);
    let (Some(src), Some(dst)) = (row(from), row(into)) else {
        return Ok(Err(Unmerged::NotFound));
    };
    if from == into || src.kind != dst.kind {
        return Ok(Err(Unmerged::NotMergeable));
    }
    let (src_name, src_no, src_rep) = (
        src.name.clone(),
        src.business_no.clone(),
        src.representative_id,
    );
    // A consortium both are in keeps the kept record's membership.
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM memberships WHERE org_id = $1 AND consortium_id IN (SELECT consortium_id FROM memberships WHERE org_id = $2)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    // An open request or invitation of a consortium the kept record is in, or
    // has its own open one with, is withdrawn (one open per consortium).
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE join_requests SET status = 'withdrawn', decided_by = $3, decided_at = $4, reason = $5
         WHERE org_id = $1 AND status = 'pending' AND consortium_id IN (
            SELECT consortium_id FROM memberships WHERE org_id = $2
            UNION SELECT consortium_id FROM join_requests WHERE org_id = $2 AND status = 'pending')")
        .bind(from.0).bind(into.0).bind(admin.0).bind(now).bind(reason.trim())
        .execute(&mut *c).await?.rows_affected());
    // A year's figures, or a certification, the kept record has keeps its own
    // (and the earlier of the two founding dates, below, so that the
    // certifications that come over are not dated before it as far as can be).
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM firm_figures WHERE org_id = $1 AND year IN (SELECT year FROM firm_figures WHERE org_id = $2)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM firm_certifications WHERE org_id = $1 AND kind IN (SELECT kind FROM firm_certifications WHERE org_id = $2)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    // So does a survey the kept record answered (one answer per organisation),
    // unless only the merged record's answer was submitted.
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM survey_answers WHERE org_id = $2 AND user_id IS NULL AND submitted_at IS NULL AND survey_id IN \
           (SELECT survey_id FROM survey_answers WHERE org_id = $1 AND user_id IS NULL AND submitted_at IS NOT NULL)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM survey_answers WHERE org_id = $1 AND user_id IS NULL AND survey_id IN \
           (SELECT survey_id FROM survey_answers WHERE org_id = $2 AND user_id IS NULL)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    // A call's application (one per lead and call): a submitted one stays
    // over a draft of the other record; otherwise the kept record's stays. The
    // merged record's place on a team the kept record is on (or leads) goes.
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM applications WHERE org_id = $2 AND status <> 'submitted' AND call_id IN \
           (SELECT call_id FROM applications WHERE org_id = $1 AND status = 'submitted')")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM applications WHERE org_id = $1 AND call_id IN (SELECT call_id FROM applications WHERE org_id = $2)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM application_partners WHERE org_id = $1 AND application_id IN \
           (SELECT application_id FROM application_partners WHERE org_id = $2 UNION SELECT id FROM applications WHERE org_id = $2)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM application_partners WHERE org_id = $2 AND application_id IN (SELECT id FROM applications WHERE org_id = $1)")
        .bind(from.0).bind(into.0).execute(&mut *c).await?.rows_affected());
    let mut moved = std::collections::HashMap::new();
    for (table, column) in MOVES {
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2");
        let n = with_tx!(&mut tx, c => sqlx::query(&sql).bind(into.0).bind(from.0).execute(&mut *c).await?.rows_affected());
        moved.insert(*table, n as i64);
    }
    // The kept record's own open requests for a consortium it is now a member
    // of (through the merged one) are done with.
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE join_requests SET status = 'withdrawn', decided_by = $2, decided_at = $3, reason = $4
         WHERE org_id = $1 AND status = 'pending' AND consortium_id IN (SELECT consortium_id FROM memberships WHERE org_id = $1)")
        .bind(into.0).bind(admin.0).bind(now).bind(reason.trim())
        .execute(&mut *c).await?.rows_affected());
    // The record merged away lets go of its number first: it is unique.
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE organisations SET closed_at = $2, merged_into = $3, business_no = NULL, representative_id = NULL, handover_to = NULL
         WHERE id = $1")
        .bind(from.0).bind(now).bind(into.0).execute(&mut *c).await?.rows_affected());
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE organisations SET representative_id = COALESCE(representative_id, $2), business_no = COALESCE(business_no, $3),
            complex_id = COALESCE(complex_id, (SELECT complex_id FROM organisations WHERE id = $4)),
            headcount = COALESCE(headcount, (SELECT headcount FROM organisations WHERE id = $4)),
            industry = COALESCE(industry, (SELECT industry FROM organisations WHERE id = $4)),
            ksic = COALESCE(ksic, (SELECT ksic FROM organisations WHERE id = $4)),
            founded_on = CASE WHEN founded_on IS NULL OR (SELECT founded_on FROM organisations WHERE id = $4) < founded_on
                THEN (SELECT founded_on FROM organisations WHERE id = $4) ELSE founded_on END
         WHERE id = $1")
        .bind(into.0).bind(src_rep).bind(src_no.clone()).bind(from.0).execute(&mut *c).await?.rows_affected());
    let subject = audit::Subject {
        org: Some(into),
        note: Some(match src_no.as_deref().and_then(format_business_number) {
            Some(no) => format!("{src_name} (#{}, {no}): {}", from.0, reason.trim()),
            None => format!("{src_name} (#{}): {}", from.0, reason.trim()),
        }),
        ..Default::default()
    };
    audit::record(
        &mut tx,
        Some(admin),
        AuditAction::OrganisationMerged,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(Merged {
        into,
        people: moved["users"],
        memberships: moved["memberships"],
        problems: moved["problems"],
    }))
}
