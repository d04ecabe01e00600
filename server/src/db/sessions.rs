//! Sessions and sign-in throttling, both kept in the database so any number of
//! server instances can share them.

use super::{Db, with_db};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::UserId;

/// A live session.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SessionRow {
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new session under the hash of its token.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user: UserId,
    csrf: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
    ).bind(token_hash).bind(user.0).bind(csrf).bind(now).bind(expires_at).execute(p).await?.rows_affected());
    Ok(())
}

/// The session stored under `token_hash`, if any.
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
    ).bind(token_hash).fetch_optional(p).await?))
}

/// Records activity, which extends the idle expiry.
pub async fn touch(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(now).bind(token_hash).execute(p).await?.rows_affected());
    Ok(())
}

/// Ends one session.
pub async fn delete(db: &Db, token_hash: &str) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(p).await?.rows_affected());
    Ok(())
}

/// Drops sessions past their absolute expiry or idle since `idle_before`.
pub async fn prune(
    db: &Db,
    now: DateTime<Utc>,
    idle_before: DateTime<Utc>,
) -> Result<u64, DbError> {
    let r = with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2").bind(now).bind(idle_before).execute(p).await?.rows_affected());
    Ok(r)
}

/// Failed sign-ins under `key` since `since`, and the oldest of them.
pub async fn failures_since(
    db: &Db,
    key: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
    let rows: Vec<(DateTime<Utc>,)> = with_db!(db, p => sqlx::query_as(
        "SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at",
    ).bind(key).bind(since).fetch_all(p).await?);
    Ok((
        i64::try_from(rows.len()).unwrap_or(i64::MAX),
        rows.first().map(|r| r.0),
    ))
}

/// Records a failed sign-in under each key, and forgets failures older than `before`.
pub async fn record_failure(
    db: &Db,
    keys: &[&str],
    now: DateTime<Utc>,
    before: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    super::with_tx!(&mut tx, c => {
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)").bind(*key).bind(now).execute(&mut *c).await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(before).execute(&mut *c).await?;
    });
    tx.commit().await
}

/// Forgets the failures of `key` (after a successful sign-in).
pub async fn clear_failures(db: &Db, key: &str) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(p).await?.rows_affected());
    Ok(())
}
