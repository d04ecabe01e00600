//! Second factors: an account's authenticator app (its TOTP secret and the last
//! time step a code was accepted for), its recovery codes (by their hashes), and
//! the tickets of sign-ins between their two steps.

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::UserId;

/// An account's authenticator app.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TotpRow {
    /// Base32.
    pub secret: String,
    /// Since when codes are asked for; `None` while it is being set up.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// `user`'s authenticator app, set up or being set up.
pub async fn totp(db: &Db, user: UserId) -> Result<Option<TotpRow>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT secret, confirmed_at FROM totp_factors WHERE user_id = $1",
    ).bind(user.0).fetch_optional(p).await?))
}

/// SQL that is true when the account `user` (an SQL expression: `$1`, `u.id`)
/// has a second factor in use: an app set up, or a passkey.
pub(super) fn factor_in_use(user: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM totp_factors tf WHERE tf.user_id = {user} AND tf.confirmed_at IS NOT NULL) \
          OR EXISTS (SELECT 1 FROM passkeys pk WHERE pk.user_id = {user}))"
    )
}

/// `SELECT`s 1 row when account `$1` has a second factor in use, 0 when not.
fn in_use_sql() -> String {
    format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one WHERE {}) AS q",
        factor_in_use("$1")
    )
}

/// Whether `user` has a second factor (an app set up, or a passkey): sign-in
/// asks for it after the password, and recovery codes stand in for it.
pub async fn in_use(db: &Db, user: UserId) -> Result<bool, DbError> {
    let sql = in_use_sql();
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(&sql).bind(user.0).fetch_one(p).await?);
    Ok(n > 0)
}

/// [`in_use`], within `tx` (after a change to the factors in it).
pub async fn in_use_in(tx: &mut Tx, user: UserId) -> Result<bool, DbError> {
    let sql = in_use_sql();
    let (n,): (i64,) =
        with_tx!(tx, c => sqlx::query_as(&sql).bind(user.0).fetch_one(&mut *c).await?);
    Ok(n > 0)
}

/// Holds `user`'s account row until `tx` ends, so that changes to their second
/// factors and recovery codes happen one after another (PostgreSQL's row lock;
/// SQLite's writes are serial already): two first factors added at once give
/// one set of recovery codes, not two.
pub async fn lock(tx: &mut Tx, user: UserId) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("UPDATE users SET id = id WHERE id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Starts setting up an app with `secret`, replacing a setup not finished;
/// false when the account has one set up already.
pub async fn start_totp(
    db: &Db,
    user: UserId,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = with_db!(db, p => sqlx::query(
        "INSERT INTO totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at \
         WHERE totp_factors.confirmed_at IS NULL",
    ).bind(user.0).bind(secret).bind(now).execute(p).await?.rows_affected());
    Ok(n > 0)
}

/// Accepts a code of time step `step`: true when it is later than every code
/// accepted before (a code is good once; of two sent at once, one wins). With
/// `confirm`, the secret the code was checked against, this is the setup's
/// first code and the app is in use from `now` (unless the setup was started
/// again meanwhile, with another secret); else the app must be set up already.
pub async fn accept_step(
    tx: &mut Tx,
    user: UserId,
    step: i64,
    confirm: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = if let Some(secret) = confirm {
        with_tx!(tx, c => sqlx::query(
            "UPDATE totp_factors SET last_step = $2, confirmed_at = $3 \
             WHERE user_id = $1 AND confirmed_at IS NULL AND last_step < $2 AND secret = $4",
        ).bind(user.0).bind(step).bind(now).bind(secret).execute(&mut *c).await?.rows_affected())
    } else {
        with_tx!(tx, c => sqlx::query(
            "UPDATE totp_factors SET last_step = $2 \
             WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2",
        ).bind(user.0).bind(step).execute(&mut *c).await?.rows_affected())
    };
    Ok(n == 1)
}

/// Removes `user`'s app (and the recovery codes, when no passkey is left for
/// them to stand in for); false when there was no app set up.
pub async fn remove(tx: &mut Tx, user: UserId) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query(
        "DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    ).bind(user.0).execute(&mut *c).await?.rows_affected());
    forget_recovery_codes_if_unused(tx, user).await?;
    Ok(n > 0)
}

/// Removes every second factor of `user` (the app, the passkeys, the recovery
/// codes): false when they had none.
pub async fn remove_all(tx: &mut Tx, user: UserId) -> Result<bool, DbError> {
    lock(tx, user).await?;
    let had = in_use_in(tx, user).await?;
    with_tx!(tx, c => sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    with_tx!(tx, c => sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    with_tx!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    Ok(had)
}

/// Deletes `user`'s recovery codes when they have no second factor left.
pub async fn forget_recovery_codes_if_unused(tx: &mut Tx, user: UserId) -> Result<(), DbError> {
    if !in_use_in(tx, user).await? {
        with_tx!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user.0).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}

/// Gives `user` new recovery codes (by their hashes); the old ones die.
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    user: UserId,
    hashes: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    for hash in hashes {
        with_tx!(tx, c => sqlx::query(
            "INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES ($1, $2, $3)",
        ).bind(hash).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}

/// Uses one of `user`'s recovery codes: true when it was theirs and unused.
pub async fn use_recovery_code(
    tx: &mut Tx,
    user: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    ).bind(user.0).bind(hash).bind(now).execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

/// How many of `user`'s recovery codes are unused.
pub async fn recovery_codes_left(db: &Db, user: UserId) -> Result<i64, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    ).bind(user.0).fetch_one(p).await?);
    Ok(n)
}

/// Stores the ticket of a sign-in whose password was right (by its hash).
pub async fn open_ticket(
    db: &Db,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO signin_tickets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    ).bind(token_hash).bind(user.0).bind(now).bind(expires_at).execute(p).await?.rows_affected());
    // Tickets of this account and any other left to expire go.
    with_db!(db, p => sqlx::query("DELETE FROM signin_tickets WHERE expires_at <= $1")
        .bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Whose sign-in a ticket continues, if it is good at `now`.
pub async fn ticket(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT user_id FROM signin_tickets WHERE token_hash = $1 AND expires_at > $2",
    ).bind(token_hash).bind(now).fetch_optional(p).await?);
    Ok(row.map(|(id,)| UserId(id)))
}

/// Uses a ticket up, in `tx`: true for the one request that did, while it was
/// still good at `now`.
pub async fn close_ticket(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query("DELETE FROM signin_tickets WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash).bind(now).execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

/// Whether `user` holds powers (an agency admin, `admin`, or the CM of a
/// consortium) without a second factor set up.
pub async fn staff_without_factor(db: &Db, user: UserId, admin: bool) -> Result<bool, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one WHERE \
           ($2 OR EXISTS (SELECT 1 FROM consortium_managers WHERE user_id = $1)) \
           AND NOT {}) AS q",
        factor_in_use("$1"),
    )).bind(user.0).bind(admin).fetch_one(p).await?);
    Ok(n > 0)
}
