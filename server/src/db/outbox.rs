//! The mail outbox's SQL: claiming due mail with a lease, marking it sent or
//! scheduling a retry, and reading what a mail tells.

use super::{Db, id_list, with_db};
use crate::error::DbError;
use chrono::{DateTime, Utc};

/// A claimed outbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub user_id: Option<i64>,
    pub attempts: i64,
}

/// Claims up to `limit` due immediate mails until `lease_until` (with `only`,
/// account mails of that purpose alone). A row another worker holds (its lease
/// not yet over) is skipped; the outer `WHERE` repeats the conditions so two
/// instances racing for a row cannot both win it.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
    only: Option<&str>,
) -> Result<Vec<Claimed>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "UPDATE mail_outbox SET locked_until = $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' AND NOT digest AND due_at <= $1
                      AND (locked_until IS NULL OR locked_until < $1)
                      AND ($4 IS NULL OR purpose = $4) ORDER BY id LIMIT $3)
           AND status = 'pending' AND (locked_until IS NULL OR locked_until < $1)
         RETURNING id, user_id, attempts",
    ).bind(now).bind(lease_until).bind(limit).bind(only).fetch_all(p).await?))
}

/// Claims every due digest mail of one person (the first who has any).
pub async fn claim_digest(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Vec<Claimed>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "UPDATE mail_outbox SET locked_until = $2, attempts = attempts + 1
         WHERE user_id = (SELECT user_id FROM mail_outbox WHERE status = 'pending' AND digest AND due_at <= $1
                          AND (locked_until IS NULL OR locked_until < $1) ORDER BY id LIMIT 1)
           AND status = 'pending' AND digest AND due_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
         RETURNING id, user_id, attempts",
    ).bind(now).bind(lease_until).fetch_all(p).await?))
}

/// Marks claimed rows sent.
pub async fn sent(db: &Db, ids: &[i64], now: DateTime<Utc>) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE mail_outbox SET status = 'sent', sent_at = $1, locked_until = NULL WHERE id IN ({})",
        id_list(ids.iter().copied())
    );
    with_db!(db, p => sqlx::query(&sql).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Marks a claimed row done without sending: an account mail for an address
/// with no account, or one whose link died before it could go.
pub async fn dropped(db: &Db, id: i64, why: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "UPDATE mail_outbox SET status = 'dropped', last_error = $1, sent_at = $2, locked_until = NULL WHERE id = $3",
    ).bind(why).bind(now).bind(id).execute(p).await?.rows_affected());
    Ok(())
}

/// Gives claimed rows back for another try at `retry_at`, or, with `None`, gives up.
pub async fn failed(
    db: &Db,
    ids: &[i64],
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE mail_outbox SET locked_until = NULL, last_error = $1,
                status = CASE WHEN $2 IS NULL THEN 'failed' ELSE 'pending' END, due_at = COALESCE($2, due_at)
         WHERE id IN ({})",
        id_list(ids.iter().copied())
    );
    let error: String = error.chars().take(500).collect();
    with_db!(db, p => sqlx::query(&sql).bind(error).bind(retry_at).execute(p).await?.rows_affected());
    Ok(())
}

/// What one mail tells: the notification with the names it refers to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Letter {
    pub outbox_id: i64,
    /// Where the mail goes: the account's address, or the row's own (a new
    /// address being verified, the old one being told). Empty for an account
    /// mail asked for an address without an account.
    pub email: String,
    pub name: String,
    pub user_id: Option<i64>,
    /// The guest a guest mail goes to.
    pub guest_id: Option<i64>,
    /// The meeting request a guest's mail is about.
    pub request_id: Option<i64>,
    /// The account is suspended or closed: nothing is sent to it.
    pub suspended: bool,
    /// An account mail's [`crate::db::recovery::AccountMail`] code; `None` for a
    /// notification.
    pub purpose: Option<String>,
    /// When an account mail's link dies (it is not sent after).
    pub expires_at: Option<DateTime<Utc>>,
    pub kind: Option<String>,
    pub consortium_name: Option<String>,
    pub org_name: Option<String>,
    pub problem_id: Option<i64>,
    pub problem_title: Option<String>,
    pub idea_id: Option<i64>,
    pub idea_title: Option<String>,
    pub activity_id: Option<i64>,
    pub activity_title: Option<String>,
    pub survey_id: Option<i64>,
    pub survey_title: Option<String>,
    pub application_id: Option<i64>,
    pub call_title: Option<String>,
    pub actor_name: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The letters of claimed rows, in their order.
pub async fn letters(db: &Db, ids: &[i64]) -> Result<Vec<Letter>, DbError> {
    let sql = format!(
        "SELECT o.id AS outbox_id, COALESCE(o.address, u.email, g.email, '') AS email, COALESCE(u.name, g.name, '') AS name,
                o.user_id, o.guest_id, o.request_id, (u.suspended_at IS NOT NULL OR u.closed_at IS NOT NULL) AS suspended, o.purpose, o.expires_at, n.kind, c.name AS consortium_name, og.name AS org_name,
                n.problem_id, pr.title AS problem_title, n.idea_id, i.title AS idea_title,
                n.activity_id, ac.title AS activity_title, n.survey_id, sv.title AS survey_title, n.application_id, cl.title AS call_title, a.name AS actor_name, n.note, o.created_at
         FROM mail_outbox o LEFT JOIN users u ON u.id = o.user_id LEFT JOIN activity_guests g ON g.id = o.guest_id
         LEFT JOIN notifications n ON n.id = o.notification_id
         LEFT JOIN consortia c ON c.id = n.consortium_id LEFT JOIN organisations og ON og.id = n.org_id
         LEFT JOIN users a ON a.id = n.actor_id LEFT JOIN problems pr ON pr.id = n.problem_id
         LEFT JOIN ideas i ON i.id = n.idea_id LEFT JOIN activities ac ON ac.id = n.activity_id LEFT JOIN surveys sv ON sv.id = n.survey_id
         LEFT JOIN applications ap ON ap.id = n.application_id LEFT JOIN calls cl ON cl.id = ap.call_id
         WHERE o.id IN ({}) ORDER BY o.id",
        id_list(ids.iter().copied())
    );
    Ok(with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

/// Counts of the outbox by status, for tests and the health of the worker.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT status, COUNT(*) FROM mail_outbox GROUP BY status ORDER BY status",
    ).fetch_all(p).await?))
}

/// The outbox's backlog at `now`: mails due and not sent, and when the oldest
/// of them fell due.
pub async fn backlog(db: &Db, now: DateTime<Utc>) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*), MIN(due_at) FROM mail_outbox WHERE status = 'pending' AND due_at <= $1",
    ).bind(now).fetch_one(p).await?))
}
