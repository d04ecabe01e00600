//! Requests to join a consortium, invitations by its CM, decisions on both, and
//! leaving. Every change writes its audit entry and notifications in the same
//! transaction.

use super::{
    Db, Tx,
    audit::{self, Subject},
    notifications::{self, Event, To},
    orgs::OrgSummaryRow,
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};

/// One open request per organisation and consortium.
pub const ONE_OPEN: UniqueRule = UniqueRule {
    postgres: "join_requests_one_open",
    sqlite: "join_requests.consortium_id, join_requests.org_id",
};
use chrono::{DateTime, Utc};
use moim_core::{
    ConsortiumId, JoinRequestId, OrgId, UserId,
    account::PersonRef,
    consortium::{AuditAction, JoinRequestView, RequestKind, RequestStatus, Standing},
    notification::NotificationKind,
};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    status: String,
    consortium_id: i64,
    consortium_name: String,
    org_id: i64,
    org_kind: String,
    org_name: String,
    org_complex: Option<String>,
    org_sample: bool,
    opened_by: i64,
    opener_name: String,
    opener_org: String,
    message: String,
    created_at: DateTime<Utc>,
    decided_by: Option<i64>,
    decider_name: Option<String>,
    decider_org: Option<String>,
    reason: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT r.id, r.kind, r.status, r.consortium_id, c.name AS consortium_name,
        o.id AS org_id, o.kind AS org_kind, o.name AS org_name, x.name_ko AS org_complex, o.is_sample AS org_sample,
        r.opened_by, ou.name AS opener_name, oo.name AS opener_org, r.message, r.created_at,
        r.decided_by, du.name AS decider_name, dor.name AS decider_org, r.reason, r.decided_at
    FROM join_requests r JOIN consortia c ON c.id = r.consortium_id
    JOIN organisations o ON o.id = r.org_id LEFT JOIN complexes x ON x.id = o.complex_id
    JOIN users ou ON ou.id = r.opened_by JOIN organisations oo ON oo.id = ou.org_id
    LEFT JOIN users du ON du.id = r.decided_by LEFT JOIN organisations dor ON dor.id = du.org_id";

fn status(s: &str) -> RequestStatus {
    match s {
        "approved" => RequestStatus::Approved,
        "declined" => RequestStatus::Declined,
        "withdrawn" => RequestStatus::Withdrawn,
        _ => RequestStatus::Pending,
    }
}

impl From<Row> for JoinRequestView {
    fn from(r: Row) -> Self {
        JoinRequestView {
            id: JoinRequestId(r.id),
            kind: if r.kind == "invitation" {
                RequestKind::Invitation
            } else {
                RequestKind::Request
            },
            status: status(&r.status),
            consortium_id: ConsortiumId(r.consortium_id),
            consortium_name: r.consortium_name,
            organisation: OrgSummaryRow {
                id: r.org_id,
                kind: r.org_kind,
                name: r.org_name,
                complex_name: r.org_complex,
                is_sample: r.org_sample,
            }
            .into(),
            opened_by: PersonRef {
                id: UserId(r.opened_by),
                name: r.opener_name,
                org_name: r.opener_org,
            },
            message: r.message,
            created_at: r.created_at,
            decided_by: r.decided_by.map(|id| PersonRef {
                id: UserId(id),
                name: r.decider_name.unwrap_or_default(),
                org_name: r.decider_org.unwrap_or_default(),
            }),
            reason: r.reason,
            decided_at: r.decided_at,
        }
    }
}

/// One request or invitation.
pub async fn find(db: &Db, id: JoinRequestId) -> Result<JoinRequestView, DbError> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    let row: Row = with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?);
    Ok(row.into())
}

/// Requests and invitations of a consortium, open ones first, newest first.
pub async fn for_consortium(
    db: &Db,
    id: ConsortiumId,
    limit: i64,
) -> Result<Vec<JoinRequestView>, DbError> {
    let sql = format!(
        "{SELECT} WHERE r.consortium_id = $1 ORDER BY CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END, r.id DESC LIMIT $2"
    );
    let rows: Vec<Row> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Requests and invitations of an organisation, open ones first, newest first.
pub async fn for_org(db: &Db, org: OrgId, limit: i64) -> Result<Vec<JoinRequestView>, DbError> {
    let sql = format!(
        "{SELECT} WHERE r.org_id = $1 ORDER BY CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END, r.id DESC LIMIT $2"
    );
    let rows: Vec<Row> =
        with_db!(db, p => sqlx::query_as(&sql).bind(org.0).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Where an organisation stands with a consortium.
pub async fn standing(db: &Db, id: ConsortiumId, org: OrgId) -> Result<Standing, DbError> {
    let (member, open): (Option<(i64,)>, Option<(i64, String)>) = with_db!(db, p => {
        let m = sqlx::query_as("SELECT org_id FROM memberships WHERE consortium_id = $1 AND org_id = $2")
            .bind(id.0).bind(org.0).fetch_optional(p).await?;
        let o = sqlx::query_as("SELECT id, kind FROM join_requests WHERE consortium_id = $1 AND org_id = $2 AND status = 'pending'")
            .bind(id.0).bind(org.0).fetch_optional(p).await?;
        (m, o)
    });
    Ok(match (member, open) {
        (Some(_), _) => Standing::Member,
        (None, Some((rid, kind))) if kind == "invitation" => Standing::Invited {
            request_id: JoinRequestId(rid),
        },
        (None, Some((rid, _))) => Standing::Pending {
            request_id: JoinRequestId(rid),
        },
        (None, None) => Standing::None,
    })
}

/// Opens a request (by a member of `org`) or an invitation (by a CM). The partial
/// unique index refuses a second open one as `DbError::Unique`.
pub async fn open(
    db: &Db,
    kind: RequestKind,
    id: ConsortiumId,
    org: OrgId,
    by: UserId,
    message: &str,
    now: DateTime<Utc>,
) -> Result<JoinRequestId, DbError> {
    let mut tx = db.begin().await?;
    // The organisation must still be open, and stays so until this commits: its
    // row is share-locked on PostgreSQL (SQLite's transaction holds the write
    // lock), so an admin's merge or a closing runs wholly before or after —
    // never moving records while this request lands beside them.
    let lock = match &tx {
        Tx::Postgres(_) => " FOR SHARE",
        Tx::Sqlite(_) => "",
    };
    let sql = format!("SELECT id FROM organisations WHERE id = $1 AND closed_at IS NULL{lock}");
    let open: Option<(i64,)> =
        with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(org.0).fetch_optional(&mut *c).await?);
    if open.is_none() {
        return Err(DbError::NotFound);
    }
    let (rid,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO join_requests (consortium_id, org_id, kind, status, opened_by, message, created_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id",
    )
    .bind(id.0).bind(org.0).bind(if kind == RequestKind::Invitation { "invitation" } else { "request" })
    .bind(by.0).bind(message.trim()).bind(now)
    .fetch_one(&mut *c).await?);
    let note = Some(message.trim().to_owned()).filter(|m| !m.is_empty());
    let (action, notice, to) = match kind {
        RequestKind::Request => (
            AuditAction::JoinRequested,
            NotificationKind::JoinRequested,
            To::Managers(id),
        ),
        RequestKind::Invitation => (
            AuditAction::Invited,
            NotificationKind::Invited,
            To::Organisation(org),
        ),
    };
    audit::record(
        &mut tx,
        Some(by),
        action,
        Subject {
            consortium: Some(id),
            org: Some(org),
            note: note.clone(),
            ..Default::default()
        },
        now,
    )
    .await?;
    let event = Event {
        kind: notice,
        consortium: Some(id),
        org: Some(org),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note,
        at: now,
    };
    notifications::notify(&mut tx, to, &event).await?;
    tx.commit().await?;
    Ok(JoinRequestId(rid))
}

/// How a pending request or invitation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    Declined,
    Withdrawn,
}

/// Closes a pending request or invitation. Approval makes the organisation a
/// member. Returns false when it was no longer pending (someone decided first).
pub async fn close(
    db: &Db,
    r: &JoinRequestView,
    outcome: Outcome,
    by: UserId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let reason = reason.map(str::trim).filter(|s| !s.is_empty());
    let status = match outcome {
        Outcome::Approved => "approved",
        Outcome::Declined => "declined",
        Outcome::Withdrawn => "withdrawn",
    };
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => {
        let n = sqlx::query("UPDATE join_requests SET status = $1, decided_by = $2, reason = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'")
            .bind(status).bind(by.0).bind(reason).bind(now).bind(r.id.0)
            .execute(&mut *c).await?.rows_affected();
        if n == 1 && outcome == Outcome::Approved {
            sqlx::query("INSERT INTO memberships (consortium_id, org_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(r.consortium_id.0).bind(r.organisation.id.0).bind(now)
                .execute(&mut *c).await?;
        }
        n
    });
    if n == 0 {
        return Ok(false);
    }
    let invitation = r.kind == RequestKind::Invitation;
    let action = match (invitation, outcome) {
        (false, Outcome::Approved) => AuditAction::JoinApproved,
        (false, Outcome::Declined) => AuditAction::JoinDeclined,
        (true, Outcome::Approved) => AuditAction::InvitationAccepted,
        (true, Outcome::Declined) => AuditAction::InvitationDeclined,
        (_, Outcome::Withdrawn) => AuditAction::JoinWithdrawn,
    };
    let subject = Subject {
        consortium: Some(r.consortium_id),
        org: Some(r.organisation.id),
        note: reason.map(str::to_owned),
        ..Default::default()
    };
    audit::record(&mut tx, Some(by), action, subject, now).await?;
    let notice = match (invitation, outcome) {
        (false, Outcome::Approved) => Some((
            NotificationKind::JoinApproved,
            vec![
                To::User(r.opened_by.id),
                To::Organisation(r.organisation.id),
            ],
        )),
        (false, Outcome::Declined) => Some((
            NotificationKind::JoinDeclined,
            vec![To::User(r.opened_by.id)],
        )),
        (true, Outcome::Approved) => Some((
            NotificationKind::InvitationAccepted,
            vec![To::Managers(r.consortium_id)],
        )),
        (true, Outcome::Declined) => Some((
            NotificationKind::InvitationDeclined,
            vec![To::Managers(r.consortium_id)],
        )),
        (_, Outcome::Withdrawn) => None,
    };
    if let Some((kind, recipients)) = notice {
        let event = Event {
            kind,
            consortium: Some(r.consortium_id),
            org: Some(r.organisation.id),
            problem: None,
            idea: None,
            activity: None,
            survey: None,
            application: None,
            actor: Some(by),
            note: reason.map(str::to_owned),
            at: now,
        };
        let mut told = Vec::new();
        for to in recipients {
            // The requester is usually the representative: tell each person once.
            if let To::Organisation(org) = to {
                let rep: Option<(Option<i64>,)> = with_tx!(&mut tx, c => sqlx::query_as("SELECT representative_id FROM organisations WHERE id = $1")
                    .bind(org.0).fetch_optional(&mut *c).await?);
                if rep.and_then(|r| r.0).is_some_and(|rep| told.contains(&rep)) {
                    continue;
                }
            }
            if let To::User(u) = to {
                told.push(u.0);
            }
            notifications::notify(&mut tx, to, &event).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Adds a member directly (demo and benchmark data).
pub async fn add_member(
    tx: &mut super::Tx,
    id: ConsortiumId,
    org: OrgId,
    joined_at: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("INSERT INTO memberships (consortium_id, org_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(id.0).bind(org.0).bind(joined_at).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// The organisation leaves; false if it was not a member.
pub async fn leave(
    db: &Db,
    id: ConsortiumId,
    org: OrgId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query("DELETE FROM memberships WHERE consortium_id = $1 AND org_id = $2")
        .bind(id.0).bind(org.0).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        Some(by),
        AuditAction::MemberLeft,
        Subject {
            consortium: Some(id),
            org: Some(org),
            ..Default::default()
        },
        now,
    )
    .await?;
    let event = Event {
        kind: NotificationKind::MemberLeft,
        consortium: Some(id),
        org: Some(org),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: None,
        at: now,
    };
    notifications::notify(&mut tx, To::Managers(id), &event).await?;
    tx.commit().await?;
    Ok(true)
}
