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
    pub public_id: Option<String>,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A new session: its token's hash, the public id its owner sees it by, and the
/// browser (`User-Agent`, cut short) and address it signed in from.
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub public_id: &'a str,
    pub user: UserId,
    pub csrf: &'a str,
    pub user_agent: &'a str,
    pub address: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a new session under the hash of its token.
pub async fn create(db: &Db, s: &NewSession<'_>) -> Result<(), DbError> {
    let agent: String = s.user_agent.chars().take(300).collect();
    with_db!(db, p => sqlx::query(
        "INSERT INTO sessions (token_hash, public_id, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, address) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    ).bind(s.token_hash).bind(s.public_id).bind(s.user.0).bind(s.csrf).bind(s.now).bind(s.expires_at).bind(&agent).bind(s.address)
        .execute(p).await?.rows_affected());
    Ok(())
}

/// A session as its owner sees it in the list of their browsers.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ListedSession {
    pub token_hash: String,
    pub public_id: String,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// `user`'s live sessions at `now` (not expired, not idle since `idle_before`),
/// the most recently used first.
pub async fn list(
    db: &Db,
    user: UserId,
    now: DateTime<Utc>,
    idle_before: DateTime<Utc>,
) -> Result<Vec<ListedSession>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT token_hash, public_id, user_agent, address, created_at, last_seen_at FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at >= $3 AND public_id IS NOT NULL \
         ORDER BY last_seen_at DESC, created_at DESC",
    ).bind(user.0).bind(now).bind(idle_before).fetch_all(p).await?))
}

/// Ends `user`'s session with this public id; false when they have none such.
pub async fn end(db: &Db, user: UserId, public_id: &str) -> Result<bool, DbError> {
    let n = with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2")
        .bind(user.0).bind(public_id).execute(p).await?.rows_affected());
    Ok(n > 0)
}

/// Ends every session of `user` but the one under `keep`; how many ended.
pub async fn end_others(db: &Db, user: UserId, keep: &str) -> Result<u64, DbError> {
    Ok(
        with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.0).bind(keep).execute(p).await?.rows_affected()),
    )
}

/// The session stored under `token_hash`, if any.
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<SessionRow>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT user_id, public_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
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

/// Counts an attempt under each of `limits` (a key and how many attempts it may
/// have since `since`, this one included), or, when one is full, counts nothing and
/// says when its oldest attempt leaves the window (`Err(oldest)`). One transaction
/// per attempt, serialised per key — SQLite's write lock taken by the first
/// insert, PostgreSQL's advisory locks on the keys in order — so attempts sent at
/// once are each counted with the others, and an attempt turned away (or cut off
/// by its client) never counts for anyone. Also forgets attempts before `since`.
/// `Ok` holds the rows, for [`forget_attempt`].
pub async fn attempt(
    db: &Db,
    limits: &[(&str, i64)],
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<Result<Vec<(i64, String)>, DateTime<Utc>>, DbError> {
    let mut tx = db.begin().await?;
    if let super::Tx::Postgres(t) = &mut tx {
        let mut keys: Vec<&str> = limits.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        for key in keys {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(key)
                .execute(&mut **t)
                .await?;
        }
    }
    let mut rows = Vec::with_capacity(limits.len());
    super::with_tx!(&mut tx, c => {
        for (key, _) in limits {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id").bind(*key).bind(now).fetch_one(&mut *c).await?;
            rows.push((id, (*key).to_owned()));
        }
        for (key, max) in limits {
            let counted: Vec<(DateTime<Utc>,)> = sqlx::query_as("SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at").bind(*key).bind(since).fetch_all(&mut *c).await?;
            if i64::try_from(counted.len()).unwrap_or(i64::MAX) > *max {
                // Dropping the transaction takes this attempt's rows back.
                return Ok(Err(counted.first().map_or(now, |r| r.0)));
            }
        }
        sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(since).execute(&mut *c).await?;
    });
    tx.commit().await?;
    Ok(Ok(rows))
}

/// Takes back an attempt [`attempt`] counted (it succeeded, or was refused for
/// another reason): its own rows, by id and key.
pub async fn forget_attempt(db: &Db, rows: &[(i64, String)]) -> Result<(), DbError> {
    for (id, key) in rows {
        with_db!(db, p => sqlx::query("DELETE FROM login_failures WHERE id = $1 AND key = $2").bind(*id).bind(key).execute(p).await?.rows_affected());
    }
    Ok(())
}

/// Forgets the failures of `key` (after a successful sign-in).
pub async fn clear_failures(db: &Db, key: &str) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(p).await?.rows_affected());
    Ok(())
}

/// The throttle's key of an account (`email`, normalised) from everywhere.
pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

/// The throttle's key of an account from one client address.
pub fn pair_key(email: &str, addr: &str) -> String {
    format!("{}{addr}", pair_prefix(email))
}

/// What every [`pair_key`] of the account starts with.
fn pair_prefix(email: &str) -> String {
    format!("pair:{email}|")
}

/// The throttle's key of reset mails asked for `email`.
pub fn reset_key(email: &str) -> String {
    format!("reset:{email}")
}

/// `login_failures` rows of the account of `email`: its own key, every
/// account-and-address pair, and, with `resets`, the reset mails asked for it.
const ACCOUNT_ROWS: &str = "key = $1 OR substr(key, 1, $3) = $2 OR key = $4";

/// The parameters of [`ACCOUNT_ROWS`]: the pair prefix's length is in
/// characters, as both databases' `substr` counts (`$4` matches nothing
/// without `resets`).
fn account_rows(email: &str, resets: bool) -> (String, String, i32, String) {
    let pair = pair_prefix(email);
    let len = i32::try_from(pair.chars().count()).unwrap_or(i32::MAX);
    let reset = if resets {
        reset_key(email)
    } else {
        String::new()
    };
    (account_key(email), pair, len, reset)
}

/// Forgets the sign-in failures counted against the account of `email` from
/// anywhere (its own key, and every account-and-address pair), after the person
/// proved they hold its mailbox.
pub async fn clear_account_failures(db: &Db, email: &str) -> Result<(), DbError> {
    let (account, pair, len, none) = account_rows(email, false);
    let sql = format!("DELETE FROM login_failures WHERE {ACCOUNT_ROWS}");
    with_db!(db, p => sqlx::query(&sql)
        .bind(&account).bind(&pair).bind(len).bind(&none).execute(p).await?.rows_affected());
    Ok(())
}

/// Erases, in `tx`, every attempt counted against `user`'s account: by its
/// address (sign-ins, pairs with client addresses, reset mails) and by its id
/// (passwords typed on its pages, second-step codes, verification mails).
pub async fn erase_attempts(tx: &mut super::Tx, user: UserId, email: &str) -> Result<(), DbError> {
    let (account, pair, len, reset) = account_rows(email, true);
    let sql = format!("DELETE FROM login_failures WHERE {ACCOUNT_ROWS} OR key IN ($5, $6, $7)");
    let id = user.0;
    super::with_tx!(tx, c => sqlx::query(&sql)
        .bind(&account).bind(&pair).bind(len).bind(&reset)
        .bind(format!("password:{id}")).bind(format!("second:{id}")).bind(format!("verify:{id}"))
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// The attempts counted against the account of `email` (sign-in failures and
/// reset mails asked for), oldest first: for the person's data export.
pub async fn account_attempts(
    db: &Db,
    email: &str,
) -> Result<Vec<(String, DateTime<Utc>)>, DbError> {
    let (account, pair, len, reset) = account_rows(email, true);
    let sql = format!("SELECT key, at FROM login_failures WHERE {ACCOUNT_ROWS} ORDER BY at");
    Ok(with_db!(db, p => sqlx::query_as(&sql)
        .bind(&account).bind(&pair).bind(len).bind(&reset).fetch_all(p).await?))
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

/// How many sessions are live at `now` (not expired, not idle since
/// `idle_before`): people signed in, for the metrics.
pub async fn live_count(
    db: &Db,
    now: DateTime<Utc>,
    idle_before: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM sessions WHERE expires_at >= $1 AND last_seen_at >= $2",
    ).bind(now).bind(idle_before).fetch_one(p).await?);
    Ok(n)
}
