//! Consortia, their CMs and member organisations.

use super::{
    Db, Tx,
    audit::{self, Subject},
    like_pattern,
    notifications::{self, Event, To},
    orgs::OrgSummaryRow,
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};

/// One consortium of a name per complex.
pub const NAME: UniqueRule = UniqueRule {
    postgres: "consortia_complex_id_name_key",
    sqlite: "consortia.complex_id, consortia.name",
};

/// A person is a consortium's CM once.
pub const MANAGER: UniqueRule = UniqueRule {
    postgres: "consortium_managers_pkey",
    sqlite: "consortium_managers.consortium_id, consortium_managers.user_id",
};
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ComplexId, ConsortiumId, FieldId, OrgId, Page, UserId, account::PersonRef, consortium::*,
    notification::NotificationKind, reference::Region,
};
use sqlx::QueryBuilder;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    kind: String,
    status: String,
    complex_id: i64,
    complex_name: String,
    region: String,
    field_id: i64,
    field_name: String,
    member_count: i64,
    summary: String,
    is_sample: bool,
}

impl From<SummaryRow> for ConsortiumSummary {
    fn from(r: SummaryRow) -> Self {
        ConsortiumSummary {
            id: ConsortiumId(r.id),
            name: r.name,
            kind: ConsortiumKind::from_code(&r.kind).unwrap_or(ConsortiumKind::MiniCluster),
            status: if r.status == "archived" {
                ConsortiumStatus::Archived
            } else {
                ConsortiumStatus::Active
            },
            complex_id: ComplexId(r.complex_id),
            complex_name: r.complex_name,
            region: Region::from_code(&r.region).unwrap_or(Region::Capital),
            field_id: FieldId(r.field_id),
            field_name: r.field_name,
            member_count: r.member_count,
            summary: r.summary,
            is_sample: r.is_sample,
        }
    }
}

const SUMMARY_SELECT: &str =
    "SELECT c.id, c.name, c.kind, c.status, c.complex_id, x.name_ko AS complex_name, x.region,
        c.field_id, f.name_ko AS field_name,
        (SELECT COUNT(*) FROM memberships m WHERE m.consortium_id = c.id) AS member_count,
        SUBSTR(c.description, 1, 160) AS summary, c.is_sample
    FROM consortia c JOIN complexes x ON x.id = c.complex_id JOIN fields f ON f.id = c.field_id";

/// Appends the WHERE clause of a list query; works for either backend's builder.
macro_rules! push_filters {
    ($b:expr, $q:expr, $org:expr) => {{
        let q: &ConsortiumQuery = $q;
        $b.push(" WHERE 1 = 1");
        if !q.archived.unwrap_or(false) {
            $b.push(" AND c.status = 'active'");
        }
        for word in q.q.as_deref().unwrap_or_default().split_whitespace().take(5) {
            $b.push(" AND LOWER(c.name || ' ' || c.description || ' ' || x.name_ko || ' ' || f.name_ko) LIKE ");
            $b.push_bind(like_pattern(word));
            $b.push(" ESCAPE '\\'");
        }
        if let Some(r) = q.region {
            $b.push(" AND x.region = ").push_bind(r.code());
        }
        if let Some(cx) = q.complex {
            $b.push(" AND c.complex_id = ").push_bind(cx.0);
        }
        if let Some(fd) = q.field {
            $b.push(" AND c.field_id = ").push_bind(fd.0);
        }
        if let Some(k) = q.kind {
            $b.push(" AND c.kind = ").push_bind(k.code());
        }
        super::figures::push_firm_filters!($b,
            "memberships mf JOIN organisations fo ON fo.id = mf.org_id WHERE mf.consortium_id = c.id AND fo.kind = 'firm'",
            q.ksic.as_deref(), q.band);
        if let Some(org) = $org {
            $b.push(" AND EXISTS (SELECT 1 FROM memberships mm WHERE mm.consortium_id = c.id AND mm.org_id = ").push_bind(org).push(")");
        }
    }};
}

/// One page of consortia matching `q`; `member_of` restricts to one organisation's.
pub async fn list(
    db: &Db,
    q: &ConsortiumQuery,
    member_of: Option<OrgId>,
) -> Result<Page<ConsortiumSummary>, DbError> {
    let per_page = q
        .per_page
        .unwrap_or(PER_PAGE_DEFAULT)
        .clamp(1, PER_PAGE_MAX);
    let page = q.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let org = member_of.map(|o| o.0);
    // The page's ids first, then the member counts of just those rows: PostgreSQL
    // would otherwise count members of every matching consortium before sorting.
    let (rows, total): (Vec<SummaryRow>, i64) = with_db!(db, p => {
        let mut b = QueryBuilder::new("WITH page AS (SELECT c.id FROM consortia c JOIN complexes x ON x.id = c.complex_id JOIN fields f ON f.id = c.field_id");
        push_filters!(b, q, org);
        b.push(" ORDER BY c.name, c.id LIMIT ").push_bind(i64::from(per_page)).push(" OFFSET ").push_bind(offset);
        b.push(") ").push(SUMMARY_SELECT).push(" JOIN page ON page.id = c.id ORDER BY c.name, c.id");
        let rows = b.build_query_as().fetch_all(p).await?;
        let mut b = QueryBuilder::new("SELECT COUNT(*) FROM consortia c JOIN complexes x ON x.id = c.complex_id JOIN fields f ON f.id = c.field_id");
        push_filters!(b, q, org);
        let (total,): (i64,) = b.build_query_as().fetch_one(p).await?;
        (rows, total)
    });
    Ok(Page {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        per_page,
    })
}

/// A consortium's list fields.
pub async fn summary(db: &Db, id: ConsortiumId) -> Result<ConsortiumSummary, DbError> {
    let sql = format!("{SUMMARY_SELECT} WHERE c.id = $1");
    let row: SummaryRow = with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?);
    Ok(row.into())
}

/// The page fields beyond the summary.
pub struct Details {
    pub description: String,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub origin: Option<Origin>,
}

#[derive(sqlx::FromRow)]
struct DetailsRow {
    description: String,
    term_start: Option<NaiveDate>,
    term_end: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    operator: Option<String>,
    call_id: Option<i64>,
    call_title: Option<String>,
}

/// Description, term, creation time, and for one founded from a call's
/// selected application its operator and call.
pub async fn details(db: &Db, id: ConsortiumId) -> Result<Details, DbError> {
    let r: DetailsRow = with_db!(db, p => sqlx::query_as(
        "SELECT c.description, c.term_start, c.term_end, c.created_at, o.name AS operator, k.id AS call_id, k.title AS call_title \
         FROM consortia c LEFT JOIN organisations o ON o.id = c.operator_org_id \
         LEFT JOIN applications a ON a.id = c.application_id LEFT JOIN calls k ON k.id = a.call_id WHERE c.id = $1")
        .bind(id.0).fetch_one(p).await?);
    let origin = match (r.operator, r.call_id, r.call_title) {
        (Some(operator), Some(call), Some(call_title)) => Some(Origin {
            operator,
            call_id: moim_core::CallId(call),
            call_title,
        }),
        _ => None,
    };
    Ok(Details {
        description: r.description,
        term_start: r.term_start,
        term_end: r.term_end,
        created_at: r.created_at,
        origin,
    })
}

/// True while the consortium takes part in the programme.
pub async fn is_active(db: &Db, id: ConsortiumId) -> Result<bool, DbError> {
    let (status,): (String,) = with_db!(db, p => sqlx::query_as("SELECT status FROM consortia WHERE id = $1").bind(id.0).fetch_one(p).await?);
    Ok(status == "active")
}

/// A consortium's name.
pub async fn name(db: &Db, id: ConsortiumId) -> Result<String, DbError> {
    let (name,): (String,) = with_db!(db, p => sqlx::query_as("SELECT name FROM consortia WHERE id = $1").bind(id.0).fetch_one(p).await?);
    Ok(name)
}

/// The names of the consortia `ids`.
pub async fn names(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::BTreeMap<i64, String>, DbError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT id, name FROM consortia WHERE id IN ({})",
        super::id_list(ids.iter().copied())
    );
    let rows: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    org_name: String,
}

/// The consortium's CMs.
pub async fn managers(db: &Db, id: ConsortiumId) -> Result<Vec<PersonRef>, DbError> {
    let rows: Vec<PersonRow> = with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, o.name AS org_name FROM consortium_managers m JOIN users u ON u.id = m.user_id
         JOIN organisations o ON o.id = u.org_id WHERE m.consortium_id = $1 ORDER BY m.appointed_at, u.id",
    ).bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| PersonRef {
            id: UserId(r.id),
            name: r.name,
            org_name: r.org_name,
        })
        .collect())
}

/// True when `user` is a CM of the consortium.
pub async fn is_manager(db: &Db, id: ConsortiumId, user: UserId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT user_id FROM consortium_managers WHERE consortium_id = $1 AND user_id = $2")
        .bind(id.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// True when `org` is a member of the consortium.
pub async fn is_member(db: &Db, id: ConsortiumId, org: OrgId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT org_id FROM memberships WHERE consortium_id = $1 AND org_id = $2")
        .bind(id.0).bind(org.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// The technology fields of the consortia `org` is a member of, most shared first.
pub async fn fields_of_member(db: &Db, org: OrgId) -> Result<Vec<moim_core::FieldId>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.field_id FROM memberships m JOIN consortia c ON c.id = m.consortium_id
         WHERE m.org_id = $1 GROUP BY c.field_id ORDER BY COUNT(*) DESC, c.field_id",
    ).bind(org.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(f,)| moim_core::FieldId(f)).collect())
}

/// Member organisations by kind.
pub async fn counts(db: &Db, id: ConsortiumId) -> Result<MemberCounts, DbError> {
    let (firms, universities, institutes, agencies): (i64, i64, i64, i64) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(CASE WHEN o.kind = 'firm' THEN 1 END), COUNT(CASE WHEN o.kind = 'university' THEN 1 END),
                COUNT(CASE WHEN o.kind = 'institute' THEN 1 END), COUNT(CASE WHEN o.kind = 'agency' THEN 1 END)
         FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.consortium_id = $1",
    ).bind(id.0).fetch_one(p).await?);
    Ok(MemberCounts {
        firms,
        universities,
        institutes,
        agencies,
    })
}

/// Joins in the last year, open requests, and recorded decisions.
pub async fn activity(
    db: &Db,
    id: ConsortiumId,
    year_ago: DateTime<Utc>,
) -> Result<ActivityCounts, DbError> {
    let (joined_last_year, pending, decisions): (i64, i64, i64) = with_db!(db, p => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM memberships WHERE consortium_id = $1 AND joined_at > $2),
                (SELECT COUNT(*) FROM join_requests WHERE consortium_id = $1 AND status = 'pending'),
                (SELECT COUNT(*) FROM join_requests WHERE consortium_id = $1 AND status IN ('approved', 'declined'))",
    ).bind(id.0).bind(year_ago).fetch_one(p).await?);
    Ok(ActivityCounts {
        joined_last_year,
        pending,
        decisions,
    })
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    #[sqlx(flatten)]
    org: OrgSummaryRow,
    joined_at: DateTime<Utc>,
}

/// The full member list.
pub async fn members(db: &Db, id: ConsortiumId) -> Result<Vec<MemberOrg>, DbError> {
    let rows: Vec<MemberRow> = with_db!(db, p => sqlx::query_as(
        "SELECT o.id, o.kind, o.name, x.name_ko AS complex_name, o.is_sample, m.joined_at
         FROM memberships m JOIN organisations o ON o.id = m.org_id LEFT JOIN complexes x ON x.id = o.complex_id
         WHERE m.consortium_id = $1 ORDER BY o.kind, o.name, o.id",
    ).bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| MemberOrg {
            organisation: r.org.into(),
            joined_at: r.joined_at,
        })
        .collect())
}

/// Creates a consortium and records it.
pub async fn create(
    db: &Db,
    c: &EditConsortium,
    actor: Option<UserId>,
    is_sample: bool,
    now: DateTime<Utc>,
) -> Result<ConsortiumId, DbError> {
    let mut tx = db.begin().await?;
    let id = create_in(&mut tx, c, actor, is_sample, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside a caller's transaction.
pub async fn create_in(
    tx: &mut Tx,
    c: &EditConsortium,
    actor: Option<UserId>,
    is_sample: bool,
    now: DateTime<Utc>,
) -> Result<ConsortiumId, DbError> {
    let (id,): (i64,) = with_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO consortia (name, kind, complex_id, field_id, description, term_start, term_end, is_sample, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(c.name.trim()).bind(c.kind.code()).bind(c.complex_id.0).bind(c.field_id.0).bind(c.description.trim())
    .bind(c.term_start).bind(c.term_end).bind(is_sample).bind(now)
    .fetch_one(&mut *conn).await?);
    let id = ConsortiumId(id);
    audit::record(
        tx,
        actor,
        AuditAction::ConsortiumCreated,
        Subject {
            consortium: Some(id),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(id)
}

/// Edits a consortium and records it.
pub async fn update(
    db: &Db,
    id: ConsortiumId,
    c: &EditConsortium,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, conn => sqlx::query(
        "UPDATE consortia SET name = $1, kind = $2, complex_id = $3, field_id = $4, description = $5, term_start = $6,
             term_end = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(c.name.trim()).bind(c.kind.code()).bind(c.complex_id.0).bind(c.field_id.0).bind(c.description.trim())
    .bind(c.term_start).bind(c.term_end).bind(now).bind(id.0)
    .execute(&mut *conn).await?.rows_affected());
    if n == 0 {
        return Err(DbError::NotFound);
    }
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::ConsortiumEdited,
        Subject {
            consortium: Some(id),
            ..Default::default()
        },
        now,
    )
    .await?;
    tx.commit().await
}

/// Archives a consortium; open requests and invitations are withdrawn with it.
pub async fn archive(
    db: &Db,
    id: ConsortiumId,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, conn => {
        let n = sqlx::query("UPDATE consortia SET status = 'archived', updated_at = $1 WHERE id = $2 AND status = 'active'")
            .bind(now).bind(id.0).execute(&mut *conn).await?.rows_affected();
        sqlx::query("UPDATE join_requests SET status = 'withdrawn', decided_by = $1, decided_at = $2 WHERE consortium_id = $3 AND status = 'pending'")
            .bind(actor.0).bind(now).bind(id.0).execute(&mut *conn).await?;
        n
    });
    if n == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::ConsortiumArchived,
        Subject {
            consortium: Some(id),
            ..Default::default()
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Makes `user` a CM of the consortium, records it and tells them.
pub async fn appoint_manager(
    db: &Db,
    id: ConsortiumId,
    user: UserId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    appoint_manager_in(&mut tx, id, user, actor, now).await?;
    tx.commit().await
}

/// [`appoint_manager`] inside a caller's transaction.
pub async fn appoint_manager_in(
    tx: &mut Tx,
    id: ConsortiumId,
    user: UserId,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, conn => sqlx::query("INSERT INTO consortium_managers (consortium_id, user_id, appointed_at) VALUES ($1, $2, $3)")
        .bind(id.0).bind(user.0).bind(now).execute(&mut *conn).await?.rows_affected());
    audit::record(
        tx,
        actor,
        AuditAction::ManagerAppointed,
        Subject {
            consortium: Some(id),
            user: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    let event = Event {
        kind: NotificationKind::AppointedManager,
        consortium: Some(id),
        org: None,
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor,
        note: None,
        at: now,
    };
    notifications::notify(tx, To::User(user), &event).await
}

/// Removes a CM; false if they were not one.
pub async fn remove_manager(
    db: &Db,
    id: ConsortiumId,
    user: UserId,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, conn => sqlx::query("DELETE FROM consortium_managers WHERE consortium_id = $1 AND user_id = $2")
        .bind(id.0).bind(user.0).execute(&mut *conn).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::ManagerRemoved,
        Subject {
            consortium: Some(id),
            user: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
