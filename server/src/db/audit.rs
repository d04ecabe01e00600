//! The audit trail: who decided what, when.

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    AuditId, ConsortiumId, OrgId, UserId,
    account::PersonRef,
    consortium::{AuditAction, AuditEntry},
};

/// What an entry is about.
#[derive(Default)]
pub struct Subject {
    pub consortium: Option<ConsortiumId>,
    pub org: Option<OrgId>,
    pub user: Option<UserId>,
    pub note: Option<String>,
}

/// Appends an entry inside the transaction that made the change, so the trail
/// and the change land together or not at all.
pub async fn record(
    tx: &mut Tx,
    actor: Option<UserId>,
    action: AuditAction,
    s: Subject,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_log (actor_id, action, consortium_id, org_id, subject_user_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(actor.map(|a| a.0)).bind(action.code()).bind(s.consortium.map(|c| c.0)).bind(s.org.map(|o| o.0))
    .bind(s.user.map(|u| u.0)).bind(s.note).bind(now)
    .execute(&mut *c).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    actor_org: Option<String>,
    action: String,
    consortium_id: Option<i64>,
    consortium_name: Option<String>,
    org_name: Option<String>,
    subject_name: Option<String>,
    note: Option<String>,
    created_at: DateTime<Utc>,
}

/// Newest entries first, for one consortium or all, before entry `before`.
pub async fn list(
    db: &Db,
    consortium: Option<ConsortiumId>,
    before: Option<AuditId>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.actor_id, u.name AS actor_name, uo.name AS actor_org, a.action, a.consortium_id,
                c.name AS consortium_name, o.name AS org_name, s.name AS subject_name, a.note, a.created_at
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN organisations uo ON uo.id = u.org_id
         LEFT JOIN consortia c ON c.id = a.consortium_id LEFT JOIN organisations o ON o.id = a.org_id
         LEFT JOIN users s ON s.id = a.subject_user_id
         WHERE ($1 IS NULL OR a.consortium_id = $1) AND ($2 IS NULL OR a.id < $2)
         ORDER BY a.id DESC LIMIT $3",
    ).bind(consortium.map(|c| c.0)).bind(before.map(|b| b.0)).bind(limit).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let action = serde_json::from_value(serde_json::Value::String(r.action)).ok()?;
            Some(AuditEntry {
                id: AuditId(r.id),
                actor: r.actor_id.map(|id| PersonRef {
                    id: UserId(id),
                    name: r.actor_name.unwrap_or_default(),
                    org_name: r.actor_org.unwrap_or_default(),
                }),
                action,
                consortium_id: r.consortium_id.map(ConsortiumId),
                consortium_name: r.consortium_name,
                org_name: r.org_name,
                subject_name: r.subject_name,
                note: r.note,
                created_at: r.created_at,
            })
        })
        .collect())
}
