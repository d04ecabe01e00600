//! Passkeys (WebAuthn credentials) of accounts, and the ceremonies between
//! their two requests (registering one, signing in with one).

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::UserId;

/// A passkey of an account.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PasskeyRow {
    pub id: i64,
    pub user_id: i64,
    /// The authenticator's credential id, lower-case hex of its bytes.
    pub credential_id: String,
    /// The account's id on authenticators (a UUID).
    pub user_handle: String,
    /// The person's name for it ("내 휴대폰").
    pub name: String,
    /// webauthn-rs's `Passkey`, JSON.
    pub passkey: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, user_id, credential_id, user_handle, name, passkey, created_at, last_used_at";

/// `user`'s passkeys, the oldest first.
pub async fn list(db: &Db, user: UserId) -> Result<Vec<PasskeyRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY id");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(user.0).fetch_all(p).await?))
}

/// The passkey with this credential id, whoever's it is.
pub async fn by_credential(db: &Db, credential_id: &str) -> Result<Option<PasskeyRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(credential_id).fetch_optional(p).await?))
}

/// What a new passkey is.
pub struct NewPasskey<'a> {
    pub user: UserId,
    pub credential_id: &'a str,
    pub user_handle: &'a str,
    pub name: &'a str,
    pub passkey: &'a str,
    pub now: DateTime<Utc>,
}

/// Adds a passkey; `None` when its credential is registered already (to this
/// account or another: an authenticator's credential is one account's).
pub async fn insert(tx: &mut Tx, new: &NewPasskey<'_>) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO passkeys (user_id, credential_id, user_handle, name, passkey, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING RETURNING id",
    ).bind(new.user.0).bind(new.credential_id).bind(new.user_handle).bind(new.name)
     .bind(new.passkey).bind(new.now).fetch_optional(&mut *c).await?);
    Ok(row.map(|(id,)| id))
}

/// Records a sign-in with the passkey `stored` was read as: its new state (the
/// signature counter) and when. False when it was removed or used meanwhile (of
/// two sign-ins checked against one count, one wins: the other could be a
/// clone's).
pub async fn used(
    tx: &mut Tx,
    stored: &PasskeyRow,
    passkey: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query(
        "UPDATE passkeys SET passkey = $2, last_used_at = $3 WHERE id = $1 AND passkey = $4",
    ).bind(stored.id).bind(passkey).bind(now).bind(&stored.passkey).execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

/// Removes `user`'s passkey `id`: false when they have no such passkey.
pub async fn remove(tx: &mut Tx, user: UserId, id: i64) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
        .bind(id).bind(user.0).execute(&mut *c).await?.rows_affected());
    Ok(n == 1)
}

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Register,
    SignIn,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "signin",
        }
    }
}

/// A ceremony under way.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CeremonyRow {
    pub user_id: Option<i64>,
    pub ticket_hash: Option<String>,
    /// webauthn-rs's state of the ceremony, JSON.
    pub state: String,
}

/// What a new ceremony is.
pub struct NewCeremony<'a> {
    pub token_hash: &'a str,
    pub purpose: Purpose,
    pub user: Option<UserId>,
    pub ticket_hash: Option<&'a str>,
    pub state: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores a ceremony (by its token's hash); ceremonies left to expire go.
pub async fn open(db: &Db, new: &NewCeremony<'_>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at <= $1")
        .bind(new.now).execute(p).await?.rows_affected());
    with_db!(db, p => sqlx::query(
        "INSERT INTO passkey_ceremonies (token_hash, purpose, user_id, ticket_hash, state, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    ).bind(new.token_hash).bind(new.purpose.code()).bind(new.user.map(|u| u.0))
     .bind(new.ticket_hash).bind(new.state).bind(new.now).bind(new.expires_at)
     .execute(p).await?.rows_affected());
    Ok(())
}

/// Takes a ceremony of `purpose` that is good at `now`, in `tx`: a ceremony is
/// answered once (of two answers sent at once, one gets it), right or wrong.
pub async fn take(
    tx: &mut Tx,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<CeremonyRow>, DbError> {
    Ok(with_tx!(tx, c => sqlx::query_as(
        "DELETE FROM passkey_ceremonies WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 \
         RETURNING user_id, ticket_hash, state",
    ).bind(token_hash).bind(purpose.code()).bind(now).fetch_optional(&mut *c).await?))
}
