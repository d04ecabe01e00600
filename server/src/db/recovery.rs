//! Links mailed to an account (stored as the SHA-256 of their token, single
//! use, short-lived): setting a new password, verifying the address of a new
//! account, verifying the new address of an account; and the account mail that
//! carries them, written into the outbox like every other mail.

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
    /// A new account's link that verifies its address.
    Verify,
    /// Somebody signed up (or asked to move an account) with this address,
    /// which has an account already: its owner hears of it, and how to get in.
    AlreadyRegistered,
    /// The link that verifies an account's new address, sent to that address.
    EmailChange,
    /// The account moved to a new address: the old one is told.
    EmailChanged,
    /// A second factor was set up: codes are asked for at sign-in.
    SecondFactorOn,
    /// The second factor was turned off.
    SecondFactorOff,
    /// A passkey was added to the account.
    PasskeyAdded,
    /// A passkey was removed from the account.
    PasskeyRemoved,
}

impl AccountMail {
    pub fn code(self) -> &'static str {
        match self {
            AccountMail::Reset => "reset",
            AccountMail::PasswordChanged => "password_changed",
            AccountMail::Verify => "verify",
            AccountMail::AlreadyRegistered => "already_registered",
            AccountMail::EmailChange => "email_change",
            AccountMail::EmailChanged => "email_changed",
            AccountMail::SecondFactorOn => "second_factor_on",
            AccountMail::SecondFactorOff => "second_factor_off",
            AccountMail::PasskeyAdded => "passkey_added",
            AccountMail::PasskeyRemoved => "passkey_removed",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountMail> {
        [
            AccountMail::Reset,
            AccountMail::PasswordChanged,
            AccountMail::Verify,
            AccountMail::AlreadyRegistered,
            AccountMail::EmailChange,
            AccountMail::EmailChanged,
            AccountMail::SecondFactorOn,
            AccountMail::SecondFactorOff,
            AccountMail::PasskeyAdded,
            AccountMail::PasskeyRemoved,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// What a link does (`account_tokens.purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Sets a new password.
    Reset,
    /// Verifies a new account's address.
    Verify,
    /// Verifies an account's new address (the token's `email`).
    EmailChange,
}

impl Link {
    fn code(self) -> &'static str {
        match self {
            Link::Reset => "reset",
            Link::Verify => "verify",
            Link::EmailChange => "email_change",
        }
    }
}

/// Queues an account mail. `user` is `None` for a reset asked for an address
/// with no account: the row is written all the same (the request does the same
/// work either way) and the worker drops it. `address`: where it goes when not
/// to the account's address. `expires_at`: a mail still unsent then is not sent
/// (its link would be dead).
pub async fn queue(
    tx: &mut Tx,
    user: Option<UserId>,
    mail: AccountMail,
    address: Option<&str>,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO mail_outbox (user_id, digest, status, attempts, due_at, created_at, purpose, expires_at, address)
         VALUES ($1, FALSE, 'pending', 0, $2, $2, $3, $4, $5)",
    ).bind(user.map(|u| u.0)).bind(now).bind(mail.code()).bind(expires_at).bind(address)
    .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Stores a link's token (by its hash) for `user`, good until `expires_at`;
/// `email` is the new address an [`Link::EmailChange`] verifies.
pub async fn issue(
    db: &Db,
    token_hash: &str,
    user: UserId,
    link: Link,
    email: Option<&str>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(token_hash).bind(user.0).bind(link.code()).bind(email).bind(now).bind(expires_at)
    .execute(p).await?.rows_affected());
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

/// What opening a verification link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// A new account's address is verified.
    Account(UserId),
    /// The account moved to its new address; the old one is told.
    NewAddress(UserId),
    /// The new address has an account of its own by now: nothing changed.
    Taken,
}

/// Opens a verification link, in one transaction: the token is used up (of two
/// sent at once, one wins) with the account's other links of its kind, and the
/// address is verified, or the account moves to its new one and its old one is
/// told. A person who signed up into a registered organisation is announced to
/// it now. `None` when the token is not good, changing nothing.
pub async fn verify(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Verification>, DbError> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, String, Option<String>)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE account_tokens SET used_at = $2
         WHERE token_hash = $1 AND purpose IN ('verify', 'email_change') AND used_at IS NULL AND expires_at > $2
         RETURNING user_id, purpose, email",
    ).bind(token_hash).bind(now).fetch_optional(&mut *c).await?);
    let Some((user, purpose, email)) = row else {
        return Ok(None);
    };
    let outcome = match (purpose.as_str(), email) {
        ("email_change", Some(email)) => {
            let old: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as("SELECT email FROM users WHERE id = $1")
                .bind(user).fetch_optional(&mut *c).await?);
            let moved: Result<u64, sqlx::Error> = with_tx!(&mut tx, c => sqlx::query(
                "UPDATE users SET email = $2, email_verified_at = $3
                 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)",
            ).bind(user).bind(&email).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()));
            match moved {
                Ok(1) => {
                    // Every link sent to the old address (or to another new
                    // one) dies, and so do such mails not sent yet: the account
                    // is the new address's now.
                    with_tx!(&mut tx, c => sqlx::query(
                        "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
                    ).bind(user).bind(now).execute(&mut *c).await?.rows_affected());
                    with_tx!(&mut tx, c => sqlx::query(
                        "UPDATE mail_outbox SET status = 'dropped', last_error = 'the account moved to a new address'
                         WHERE user_id = $1 AND status = 'pending' AND purpose IN ('reset', 'verify', 'email_change')",
                    ).bind(user).execute(&mut *c).await?.rows_affected());
                    if let Some((old,)) = old {
                        queue(
                            &mut tx,
                            Some(UserId(user)),
                            AccountMail::EmailChanged,
                            Some(&old),
                            now,
                            None,
                        )
                        .await?;
                    }
                    Verification::NewAddress(UserId(user))
                }
                Ok(_) => Verification::Taken,
                Err(e) => match DbError::from(e) {
                    // Another account took it between the check and the write
                    // (the transaction is void: nothing changed).
                    DbError::Unique(v) if v.of(&super::users::EMAIL) => {
                        return Ok(Some(Verification::Taken));
                    }
                    e => return Err(e),
                },
            }
        }
        _ => {
            let first: Option<(String, i64)> = with_tx!(&mut tx, c => sqlx::query_as(
                "UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL RETURNING affiliation, org_id",
            ).bind(user).bind(now).fetch_optional(&mut *c).await?);
            // A link of an address verified already verifies nothing, and so
            // signs nobody in: as if it were used.
            let Some((affiliation, org)) = first else {
                return Ok(None);
            };
            with_tx!(&mut tx, c => sqlx::query(
                "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = 'verify' AND used_at IS NULL",
            ).bind(user).bind(now).execute(&mut *c).await?.rows_affected());
            if affiliation == moim_core::account::Affiliation::Pending.code() {
                super::users::affiliation_requested(
                    &mut tx,
                    UserId(user),
                    moim_core::OrgId(org),
                    now,
                )
                .await?;
            }
            Verification::Account(UserId(user))
        }
    };
    tx.commit().await?;
    Ok(Some(outcome))
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
    queue(
        tx,
        Some(user),
        AccountMail::PasswordChanged,
        None,
        now,
        None,
    )
    .await
}
