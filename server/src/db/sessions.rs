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

/// Counts a sign-in attempt under each key (before its password is checked);
/// forgets attempts older than `before`. Returns the rows, for [`forget_attempt`].
pub async fn record_attempt(
    db: &Db,
    keys: &[&str],
    now: DateTime<Utc>,
    before: DateTime<Utc>,
) -> Result<Vec<i64>, DbError> {
    let mut ids = Vec::with_capacity(keys.len());
    let mut tx = db.begin().await?;
    super::with_tx!(&mut tx, c => {
        for key in keys {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id").bind(*key).bind(now).fetch_one(&mut *c).await?;
            ids.push(id);
        }
        sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(before).execute(&mut *c).await?;
    });
    tx.commit().await?;
    Ok(ids)
}

/// Takes back an attempt [`record_attempt`] counted (it succeeded, or was turned away).
pub async fn forget_attempt(db: &Db, ids: &[i64]) -> Result<(), DbError> {
    for id in ids {
        with_db!(db, p => sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(*id).execute(p).await?.rows_affected());
    }
    Ok(())
}

/// Forgets the failures of `key` (after a successful sign-in).
pub async fn clear_failures(db: &Db, key: &str) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(p).await?.rows_affected());
    Ok(())
}

/// Whose browser the device cookie hashed as `token_hash` is, if it signed in before.
pub async fn device_owner(db: &Db, token_hash: &str) -> Result<Option<UserId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT user_id FROM known_devices WHERE token_hash = $1",
    ).bind(token_hash).fetch_optional(p).await?);
    Ok(row.map(|r| UserId(r.0)))
}

/// How many browsers an account is known on: the most recently seen are kept.
const DEVICES_PER_ACCOUNT: i64 = 10;

/// Remembers (or refreshes) a browser that signed in to `user`; forgets the
/// account's devices unseen since `stale_before` and all but the most recently
/// seen [`DEVICES_PER_ACCOUNT`] (scripts signing in again and again add no rows).
pub async fn remember_device(
    db: &Db,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    stale_before: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    super::with_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, last_seen_at = excluded.last_seen_at",
        ).bind(token_hash).bind(user.0).bind(now).execute(&mut *c).await?;
        sqlx::query("DELETE FROM known_devices WHERE user_id = $1 AND last_seen_at < $2").bind(user.0).bind(stale_before).execute(&mut *c).await?;
        sqlx::query(
            "DELETE FROM known_devices WHERE user_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM known_devices WHERE user_id = $1 ORDER BY last_seen_at DESC, created_at DESC LIMIT $2)",
        ).bind(user.0).bind(DEVICES_PER_ACCOUNT).execute(&mut *c).await?;
    });
    tx.commit().await
}
