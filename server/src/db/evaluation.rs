//! Evaluation of a call's applications: its evaluators, their reviews (a
//! declared conflict of interest, or scores with the weighted total kept beside
//! them) and what the ranking is computed from. An evaluator from an
//! organisation on an application's team (its lead, or a partner that has not
//! declined) is kept away from it as if they had declared a conflict.

use super::{Db, audit, decode, encode, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ApplicationId, CallId, OrgId, UserId,
    account::PersonRef,
    consortium::AuditAction,
    evaluation::{Evaluator, RankedApplication, Review, ToReview},
};

/// Whether organisation `$2` is on application `a`'s team.
const ON_TEAM: &str = "(a.org_id = $2 OR EXISTS (SELECT 1 FROM application_partners p \
     WHERE p.application_id = a.id AND p.org_id = $2 AND p.status <> 'declined'))";

/// Appoints `user` an evaluator of `call` (titled `title`), in the audit
/// trail (again: nothing changes). False, nothing done, once the results are
/// announced: the ranking they were decided on stays (the call's row is taken
/// first, as decisions take it).
pub async fn appoint(
    db: &Db,
    (call, title): (CallId, &str),
    user: UserId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    if super::selection::lock(&mut tx, call).await?.0.is_some() {
        return Ok(false);
    }
    let added = with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO call_evaluators (call_id, user_id, appointed_by, appointed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (call_id, user_id) DO NOTHING")
        .bind(call.0).bind(user.0).bind(by.0).bind(now).execute(&mut *c).await?.rows_affected());
    if added > 0 {
        let s = evaluator_subject(call, title, user);
        audit::record(&mut tx, Some(by), AuditAction::EvaluatorAppointed, s, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Dismisses evaluator `user` of `call` (titled `title`), in the audit trail:
/// their reviews are kept (a reappointment brings them back) but count no
/// more. Whether they were one; none once the results are announced (the
/// call's row is taken first, as decisions take it).
pub async fn dismiss(
    db: &Db,
    (call, title): (CallId, &str),
    user: UserId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Dismissed, DbError> {
    let mut tx = db.begin().await?;
    if super::selection::lock(&mut tx, call).await?.0.is_some() {
        return Ok(Dismissed::Announced);
    }
    let gone = with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM call_evaluators WHERE call_id = $1 AND user_id = $2")
        .bind(call.0).bind(user.0).execute(&mut *c).await?.rows_affected());
    if gone == 0 {
        return Ok(Dismissed::NotOne);
    }
    let s = evaluator_subject(call, title, user);
    audit::record(&mut tx, Some(by), AuditAction::EvaluatorDismissed, s, now).await?;
    tx.commit().await?;
    Ok(Dismissed::Done)
}

/// What came of a dismissal.
pub enum Dismissed {
    Done,
    /// They were no evaluator of the call.
    NotOne,
    /// The call's results are announced: its evaluation stays as it was.
    Announced,
}

fn evaluator_subject(call: CallId, title: &str, user: UserId) -> audit::Subject {
    audit::Subject {
        user: Some(user),
        note: Some(format!("#{call} {title}")),
        ..Default::default()
    }
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
    org_id: i64,
    government_manwon: i64,
}

/// What the ranking of `call` is computed from: each submitted application
/// with its evaluators' weighted totals and how many are kept away from it
/// (a declared conflict, or their organisation on its team). Four reads, each
/// by the call, put together here: asked per application, which evaluators
/// are kept away took 170 ms for 500 applications and 20 evaluators.
pub async fn ranking_rows(db: &Db, call: CallId) -> Result<Vec<RankedApplication>, DbError> {
    use std::collections::{HashMap, HashSet};
    const SUBMITTED: &str =
        "SELECT a.id FROM applications a WHERE a.call_id = $1 AND a.status = 'submitted'";
    let rows: Vec<RankRow> = with_db!(db, p => sqlx::query_as(
        "SELECT a.id, a.title, o.name AS lead, a.org_id, a.government_manwon \
         FROM applications a JOIN organisations o ON o.id = a.org_id \
         WHERE a.call_id = $1 AND a.status = 'submitted' ORDER BY a.submitted_at, a.id")
        .bind(call.0).fetch_all(p).await?);
    // Each evaluator and their organisation.
    let evaluators: Vec<(i64, i64)> = with_db!(db, p => sqlx::query_as(
        "SELECT e.user_id, u.org_id FROM call_evaluators e JOIN users u ON u.id = e.user_id WHERE e.call_id = $1")
        .bind(call.0).fetch_all(p).await?);
    let partners: Vec<(i64, i64)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT application_id, org_id FROM application_partners \
         WHERE status <> 'declined' AND application_id IN ({SUBMITTED})"))
        .bind(call.0).fetch_all(p).await?);
    let reviews: Vec<(i64, i64, bool, Option<i64>)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT application_id, evaluator_id, conflict, total_tenths FROM application_reviews \
         WHERE application_id IN ({SUBMITTED}) ORDER BY application_id, evaluator_id"))
        .bind(call.0).fetch_all(p).await?);
    let mut teams: HashMap<i64, HashSet<i64>> = rows
        .iter()
        .map(|r| (r.id, HashSet::from([r.org_id])))
        .collect();
    for (app, org) in partners {
        teams.entry(app).or_default().insert(org);
    }
    let mut declared: HashSet<(i64, i64)> = HashSet::new();
    let mut scored: HashMap<(i64, i64), i64> = HashMap::new();
    for (app, user, conflict, total) in reviews {
        if conflict {
            declared.insert((app, user));
        } else if let Some(t) = total {
            scored.insert((app, user), t);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let team = teams.get(&r.id);
            let away = |(user, org): &(i64, i64)| {
                team.is_some_and(|t| t.contains(org)) || declared.contains(&(r.id, *user))
            };
            RankedApplication {
                rank: 0,
                id: ApplicationId(r.id),
                totals: evaluators
                    .iter()
                    .filter(|e| !away(e))
                    .filter_map(|(user, _)| scored.get(&(r.id, *user)).copied())
                    .collect(),
                conflicts: evaluators.iter().filter(|e| away(e)).count() as i64,
                title: r.title,
                lead: r.lead,
                government_manwon: r.government_manwon,
                mean_tenths: None,
                spread_tenths: None,
                decision: None,
                recused: false,
            }
        })
        .collect())
}

/// Bulk load for the ranking benchmark (`seed-bench-calls`): `evaluators`
/// appointed to `call` by `by`, and each one's review of each application in
/// `reviews` (application, evaluator, conflict, scores, weighted total).
pub async fn seed_bench(
    db: &Db,
    call: CallId,
    evaluators: &[UserId],
    by: UserId,
    reviews: &[(ApplicationId, UserId, Review, Option<i64>)],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sqlx::QueryBuilder;
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, c => {
        let mut b = QueryBuilder::new("INSERT INTO call_evaluators (call_id, user_id, appointed_by, appointed_at) ");
        b.push_values(evaluators, |mut q, user| {
            q.push_bind(call.0).push_bind(user.0).push_bind(by.0).push_bind(now);
        });
        b.build().execute(&mut *c).await?.rows_affected()
    });
    let encoded = reviews
        .iter()
        .map(|(app, user, r, total)| Ok((app.0, user.0, r.conflict, encode(&r.scores)?, *total)))
        .collect::<Result<Vec<_>, DbError>>()?;
    for chunk in encoded.chunks(1_000) {
        with_tx!(&mut tx, c => {
            let mut b = QueryBuilder::new("INSERT INTO application_reviews (application_id, evaluator_id, conflict, \
                scores, total_tenths, created_at, updated_at) ");
            b.push_values(chunk, |mut q, (app, user, conflict, scores, total)| {
                q.push_bind(*app).push_bind(*user).push_bind(*conflict).push_bind(scores.as_str())
                    .push_bind(*total).push_bind(now).push_bind(now);
            });
            b.build().execute(&mut *c).await?.rows_affected()
        });
    }
    tx.commit().await?;
    Ok(())
}
