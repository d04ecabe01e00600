//! Consents to the collection and use of personal information: the version a
//! person last agreed to and their news-mail choice (on `users`), and the
//! record of every consent given or withdrawn (`consents`).

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    UserId,
    privacy::{ConsentChoice, ConsentRecord},
};

/// Records `choice` for `user` (both consents, each given or not) and makes
/// it the account's, in `tx`.
pub async fn record(
    tx: &mut Tx,
    user: UserId,
    choice: &ConsentChoice,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let version = choice.policy_version.as_str();
    for (kind, given) in [("privacy", choice.privacy), ("news_mail", choice.news_mail)] {
        insert(tx, user, kind, version, given, address, now).await?;
    }
    with_tx!(tx, c => sqlx::query("UPDATE users SET privacy_version = $2, news_mail = $3 WHERE id = $1")
        .bind(user.0).bind(choice.privacy.then_some(version)).bind(choice.news_mail)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Gives or withdraws the news-mail consent alone (under `version`); false
/// when it was so already (nothing recorded).
pub async fn set_news_mail(
    tx: &mut Tx,
    user: UserId,
    given: bool,
    version: &str,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = with_tx!(tx, c => sqlx::query("UPDATE users SET news_mail = $2 WHERE id = $1 AND news_mail <> $2")
        .bind(user.0).bind(given).execute(&mut *c).await?.rows_affected());
    if changed == 0 {
        return Ok(false);
    }
    insert(tx, user, "news_mail", version, given, address, now).await?;
    Ok(true)
}

async fn insert(
    tx: &mut Tx,
    user: UserId,
    kind: &str,
    version: &str,
    given: bool,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO consents (user_id, kind, version, given, at, address) VALUES ($1, $2, $3, $4, $5, $6)",
    ).bind(user.0).bind(kind).bind(version).bind(given).bind(now).bind(address)
    .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// `user`'s consents, newest first.
pub async fn history(db: &Db, user: UserId) -> Result<Vec<ConsentRecord>, DbError> {
    let rows: Vec<(String, String, bool, DateTime<Utc>)> = with_db!(db, p => sqlx::query_as(
        "SELECT kind, version, given, at FROM consents WHERE user_id = $1 ORDER BY at DESC, id DESC",
    ).bind(user.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(kind, version, given, at)| ConsentRecord {
            kind,
            version,
            given,
            at,
        })
        .collect())
}
