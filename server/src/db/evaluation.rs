//! Evaluation of a call's applications: its evaluators, their reviews (a
//! declared conflict of interest, or scores with the weighted total kept beside
//! them) and what the ranking is computed from. An evaluator from an
//! organisation on an application's team (its lead, or a partner that has not
//! declined) is kept away from it as if they had declared a conflict.

use super::{
    Db,
    calls::{decode, encode},
    with_db,
};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ApplicationId, CallId, OrgId, UserId,
    account::PersonRef,
    evaluation::{Evaluator, RankedApplication, Review, ToReview},
};

/// Whether organisation `$2` is on application `a`'s team.
const ON_TEAM: &str = "(a.org_id = $2 OR EXISTS (SELECT 1 FROM application_partners p \
     WHERE p.application_id = a.id AND p.org_id = $2 AND p.status <> 'declined'))";

/// Appoints `user` an evaluator of `call` (again: nothing changes).
pub async fn appoint(
    db: &Db,
    call: CallId,
    user: UserId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO call_evaluators (call_id, user_id, appointed_by, appointed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (call_id, user_id) DO NOTHING")
        .bind(call.0).bind(user.0).bind(by.0).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EvaluatorRow {
    id: i64,
    name: String,
    org_name: String,
    scored: i64,
}

/// The evaluators of `call`, in the order appointed, with how many
/// applications each has scored.
pub async fn evaluators(db: &Db, call: CallId) -> Result<Vec<Evaluator>, DbError> {
    let rows: Vec<EvaluatorRow> = with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, o.name AS org_name, \
           (SELECT COUNT(*) FROM application_reviews r JOIN applications a ON a.id = r.application_id \
            WHERE a.call_id = e.call_id AND r.evaluator_id = u.id AND NOT r.conflict) AS scored \
         FROM call_evaluators e JOIN users u ON u.id = e.user_id JOIN organisations o ON o.id = u.org_id \
         WHERE e.call_id = $1 ORDER BY e.appointed_at, u.id")
        .bind(call.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| Evaluator {
            person: PersonRef {
                id: UserId(r.id),
                name: r.name,
                org_name: r.org_name,
            },
            scored: r.scored,
        })
        .collect())
}

/// Whether `user` evaluates `call`.
pub async fn is_evaluator(db: &Db, call: CallId, user: UserId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT user_id FROM call_evaluators WHERE call_id = $1 AND user_id = $2")
        .bind(call.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// Whether `org` is on application `id`'s team (the lead, or a partner that
/// has not declined).
pub async fn on_team(db: &Db, id: ApplicationId, org: OrgId) -> Result<bool, DbError> {
    let sql = format!("SELECT a.id FROM applications a WHERE a.id = $1 AND {ON_TEAM}");
    let row: Option<(i64,)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(org.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// The applications of `call` that `user` (of `org`) is kept away from: those
/// of their organisation's team and those they declared a conflict with.
pub async fn kept_away(
    db: &Db,
    call: CallId,
    user: UserId,
    org: OrgId,
) -> Result<Vec<ApplicationId>, DbError> {
    let sql = format!(
        "SELECT a.id FROM applications a WHERE a.call_id = $1 AND ({ON_TEAM} OR EXISTS            (SELECT 1 FROM application_reviews r WHERE r.application_id = a.id AND r.evaluator_id = $3 AND r.conflict))"
    );
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(&sql)
        .bind(call.0).bind(org.0).bind(user.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(a,)| ApplicationId(a)).collect())
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    conflict: bool,
    scores: String,
}

impl ReviewRow {
    fn review(self) -> Result<Review, DbError> {
        Ok(Review {
            conflict: self.conflict,
            scores: decode(&self.scores)?,
        })
    }
}

/// `user`'s review of application `id`, if any.
pub async fn review_of(
    db: &Db,
    id: ApplicationId,
    user: UserId,
) -> Result<Option<Review>, DbError> {
    let row: Option<ReviewRow> = with_db!(db, p => sqlx::query_as(
        "SELECT conflict, scores FROM application_reviews WHERE application_id = $1 AND evaluator_id = $2")
        .bind(id.0).bind(user.0).fetch_optional(p).await?);
    row.map(ReviewRow::review).transpose()
}

/// Keeps `user`'s review of application `id` with its weighted total (none
/// for a conflict), replacing the one before.
pub async fn save_review(
    db: &Db,
    id: ApplicationId,
    user: UserId,
    r: &Review,
    total_tenths: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO application_reviews (application_id, evaluator_id, conflict, scores, total_tenths, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (application_id, evaluator_id) DO UPDATE SET conflict = $3, scores = $4, total_tenths = $5, updated_at = $6")
        .bind(id.0).bind(user.0).bind(r.conflict).bind(encode(&r.scores)?).bind(total_tenths).bind(now)
        .execute(p).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ToReviewRow {
    id: i64,
    title: String,
    lead: String,
    conflict: Option<bool>,
    scores: Option<String>,
    total_tenths: Option<i64>,
}

/// The submitted applications of `call` evaluator `user` (of `org`) reviews:
/// not those of their organisation's team nor those they declared a conflict
/// with (counted apart), in the order submitted.
pub async fn to_review(
    db: &Db,
    call: CallId,
    user: UserId,
    org: Option<OrgId>,
) -> Result<(Vec<ToReview>, i64), DbError> {
    let sql = format!(
        "SELECT a.id, a.title, o.name AS lead, r.conflict, r.scores, r.total_tenths \
         FROM applications a JOIN organisations o ON o.id = a.org_id \
         LEFT JOIN application_reviews r ON r.application_id = a.id AND r.evaluator_id = $3 \
         WHERE a.call_id = $1 AND a.status = 'submitted' AND NOT {ON_TEAM} ORDER BY a.submitted_at, a.id"
    );
    let rows: Vec<ToReviewRow> = with_db!(db, p => sqlx::query_as(&sql)
        .bind(call.0).bind(org.map_or(-1, |o| o.0)).bind(user.0).fetch_all(p).await?);
    let mut list = Vec::new();
    let mut conflicts = 0;
    for r in rows {
        if r.conflict == Some(true) {
            conflicts += 1;
            continue;
        }
        let review = match (r.conflict, r.scores) {
            (Some(conflict), Some(scores)) => Some(Review {
                conflict,
                scores: decode(&scores)?,
            }),
            _ => None,
        };
        list.push(ToReview {
            id: ApplicationId(r.id),
            title: r.title,
            lead: r.lead,
            review,
            total_tenths: r.total_tenths,
        });
    }
    Ok((list, conflicts))
}

#[derive(sqlx::FromRow)]
struct RankRow {
    id: i64,
    title: String,
    lead: String,
    government_manwon: i64,
    conflicts: i64,
}

/// What the ranking of `call` is computed from: each submitted application
/// with its evaluators' weighted totals and how many are kept away from it
/// (a declared conflict, or their organisation on its team).
pub async fn ranking_rows(db: &Db, call: CallId) -> Result<Vec<RankedApplication>, DbError> {
    let rows: Vec<RankRow> = with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.title, o.name AS lead, a.government_manwon, \
           (SELECT COUNT(*) FROM call_evaluators e JOIN users u ON u.id = e.user_id WHERE e.call_id = a.call_id AND ( \
              EXISTS (SELECT 1 FROM application_reviews r WHERE r.application_id = a.id AND r.evaluator_id = e.user_id AND r.conflict) \
              OR u.org_id = a.org_id OR EXISTS (SELECT 1 FROM application_partners p \
                 WHERE p.application_id = a.id AND p.org_id = u.org_id AND p.status <> 'declined'))) AS conflicts \
         FROM applications a JOIN organisations o ON o.id = a.org_id \
         WHERE a.call_id = $1 AND a.status = 'submitted' ORDER BY a.submitted_at, a.id")
        .bind(call.0).fetch_all(p).await?);
    let totals: Vec<(i64, i64)> = with_db!(db, p => sqlx::query_as(
        "SELECT r.application_id, r.total_tenths FROM application_reviews r JOIN applications a ON a.id = r.application_id \
         JOIN call_evaluators e ON e.call_id = a.call_id AND e.user_id = r.evaluator_id \
         JOIN users u ON u.id = r.evaluator_id \
         WHERE a.call_id = $1 AND a.status = 'submitted' AND NOT r.conflict AND r.total_tenths IS NOT NULL \
           AND u.org_id <> a.org_id AND NOT EXISTS (SELECT 1 FROM application_partners p \
             WHERE p.application_id = a.id AND p.org_id = u.org_id AND p.status <> 'declined')")
        .bind(call.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| RankedApplication {
            rank: 0,
            id: ApplicationId(r.id),
            totals: totals
                .iter()
                .filter(|(a, _)| *a == r.id)
                .map(|(_, t)| *t)
                .collect(),
            title: r.title,
            lead: r.lead,
            government_manwon: r.government_manwon,
            mean_tenths: None,
            spread_tenths: None,
            conflicts: r.conflicts,
            decision: None,
            recused: false,
        })
        .collect())
}
