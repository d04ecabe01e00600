//! Getting back into an account: reset links (stored as the SHA-256 of their
//! token, single use, short-lived) and the account mail that carries them,
//! written into the outbox like every other mail.

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::UserId;

/// What an account mail is for (`mail_outbox.purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMail {
    /// A link to set a new password.
    Reset,
    /// The password was changed (by a reset or by the person): if it was not
    /// them, they know.
    PasswordChanged,
}

impl AccountMail {
    pub fn code(self) -> &'static str {
        match self {
            AccountMail::Reset => "reset",
            AccountMail::PasswordChanged => "password_changed",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountMail> {
        match code {
            "reset" => Some(AccountMail::Reset),
            "password_changed" => Some(AccountMail::PasswordChanged),
            _ => None,
        }
    }
}

/// Queues an account mail. `user` is `None` for a reset asked for an address
/// with no account: the row is written all the same (the request does the same
/// work either way) and the worker drops it. `expires_at`: a mail still unsent
/// then is not sent (its link would be dead).
pub async fn queue(
    tx: &mut Tx,
    user: Option<UserId>,
    mail: AccountMail,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO mail_outbox (user_id, digest, status, attempts, due_at, created_at, purpose, expires_at)
         VALUES ($1, FALSE, 'pending', 0, $2, $2, $3, $4)",
    ).bind(user.map(|u| u.0)).bind(now).bind(mail.code()).bind(expires_at).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Stores a reset token (by its hash) for `user`, good until `expires_at`.
pub async fn issue(
    db: &Db,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, 'reset', $3, $4)",
    ).bind(token_hash).bind(user.0).bind(now).bind(expires_at).execute(p).await?.rows_affected());
    Ok(())
}

/// The account a reset token opens, and until when, if it is good at `now`
/// (issued, unused, unexpired).
pub async fn check(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(UserId, DateTime<Utc>)>, DbError> {
    let row: Option<(i64, DateTime<Utc>)> = with_db!(db, p => sqlx::query_as(
        "SELECT user_id, expires_at FROM account_tokens
         WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > $2",
    ).bind(token_hash).bind(now).fetch_optional(p).await?);
    Ok(row.map(|(u, e)| (UserId(u), e)))
}

/// Sets a new password with a reset token, in one transaction: the token is used
/// up (of two sent at once, one wins), so are the account's other reset links,
/// every session of the account ends, and a notice goes out. `None` when the
/// token is not good, changing nothing.
pub async fn reset(
    db: &Db,
    token_hash: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, DbError> {
    let mut tx = db.begin().await?;
    let user: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE account_tokens SET used_at = $2
         WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > $2
         RETURNING user_id",
    ).bind(token_hash).bind(now).fetch_optional(&mut *c).await?);
    let Some((user,)) = user else {
        return Ok(None);
    };
    let user = UserId(user);
    set_password_in(&mut tx, user, password_hash, None, now).await?;
    tx.commit().await?;
    Ok(Some(user))
}

/// Changes `user`'s password while signed in: every other session ends (the
/// one in `keep` stays), open reset links die (and reset mails not yet sent are
/// not), and a notice goes out.
pub async fn change(
    db: &Db,
    user: UserId,
    password_hash: &str,
    keep: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    set_password_in(&mut tx, user, password_hash, Some(keep), now).await?;
    tx.commit().await
}

async fn set_password_in(
    tx: &mut Tx,
    user: UserId,
    password_hash: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash).bind(user.0).execute(&mut *c).await?;
        sqlx::query("UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
            .bind(user.0).bind(now).execute(&mut *c).await?;
        // A reset mail not yet written would carry a fresh link: it is not sent.
        sqlx::query("UPDATE mail_outbox SET status = 'dropped', last_error = 'the password was set meanwhile', sent_at = $2 \
                     WHERE user_id = $1 AND purpose = 'reset' AND status = 'pending'")
            .bind(user.0).bind(now).execute(&mut *c).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2, '')")
            .bind(user.0).bind(keep).execute(&mut *c).await?;
    });
    queue(tx, Some(user), AccountMail::PasswordChanged, now, None).await
}

/// Forgets reset tokens that expired before `before` (the background job).
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(
        with_db!(db, p => sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1")
        .bind(before).execute(p).await?.rows_affected()),
    )
}
