//! Grants (협약·지급): a selected application's agreement — the grant as
//! decided, the day it was signed, the milestones as the application planned
//! them — and the payments of the grant recorded against its milestones. An
//! agreement takes the call's row first, as decisions do (a correction and an
//! agreement are never taken at once); a payment takes its grant's row, so two
//! payments recorded at once never together go beyond the grant.

use super::{
    Db, audit,
    selection::{CURRENT, lock},
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ApplicationId, CallId, OrgId, UserId,
    call::Milestone,
    consortium::AuditAction,
    grant::{FundedMilestone, GrantView, MilestoneStatus, Pay},
};

/// What came of recording an agreement.
pub enum Agreed {
    /// Recorded.
    Done,
    /// The application is not selected in the call's announced results.
    NotSelected,
    /// Recorded before.
    Already,
}

/// Whose application, for the audit trail: its id, lead and title.
pub struct Whose<'a> {
    pub app: ApplicationId,
    pub lead: OrgId,
    pub title: &'a str,
}

impl Whose<'_> {
    fn subject(&self, note: String) -> audit::Subject {
        audit::Subject {
            org: Some(self.lead),
            note: Some(format!("#{} {}: {note}", self.app.0, self.title)),
            ..Default::default()
        }
    }
}

/// Records by `actor` the agreement of `w`'s application of call `call`, signed
/// on `agreed_on`, with `milestones` as planned.
pub async fn agree(
    db: &Db,
    call: CallId,
    w: &Whose<'_>,
    milestones: &[Milestone],
    agreed_on: NaiveDate,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Agreed, DbError> {
    let mut tx = db.begin().await?;
    if lock(&mut tx, call).await?.0.is_none() {
        return Ok(Agreed::NotSelected);
    }
    let sql = format!(
        "SELECT d.grant_manwon, EXISTS (SELECT 1 FROM grants g WHERE g.application_id = d.application_id) \
         FROM application_decisions d WHERE d.application_id = $1 AND d.decision = 'selected' AND {CURRENT}"
    );
    let row: Option<(Option<i64>, bool)> = with_tx!(&mut tx, c => sqlx::query_as(&sql)
        .bind(w.app.0).fetch_optional(&mut *c).await?);
    let grant = match row {
        None | Some((None, _)) => return Ok(Agreed::NotSelected),
        Some((_, true)) => return Ok(Agreed::Already),
        Some((Some(g), false)) => g,
    };
    with_tx!(&mut tx, c => {
        sqlx::query("INSERT INTO grants (application_id, grant_manwon, agreed_on, agreed_by, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(w.app.0).bind(grant).bind(agreed_on).bind(actor.0).bind(now).execute(&mut *c).await?;
        for (i, m) in milestones.iter().enumerate() {
            sqlx::query("INSERT INTO grant_milestones (application_id, position, title, due_on, amount_manwon) VALUES ($1, $2, $3, $4, $5)")
                .bind(w.app.0).bind(i64::try_from(i + 1).unwrap_or(i64::MAX)).bind(&m.title).bind(m.due_on)
                .bind(m.amount_manwon).execute(&mut *c).await?;
        }
    });
    let subject = w.subject(format!("{grant}만원, {agreed_on}"));
    audit::record(&mut tx, Some(actor), AuditAction::GrantAgreed, subject, now).await?;
    tx.commit().await?;
    Ok(Agreed::Done)
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    title: String,
    due_on: NaiveDate,
    amount_manwon: i64,
    paid_manwon: Option<i64>,
    paid_on: Option<NaiveDate>,
}

/// Application `app`'s agreement and payments as they stand on `today`, once
/// its agreement is recorded.
pub async fn of_application(
    db: &Db,
    app: ApplicationId,
    today: NaiveDate,
) -> Result<Option<GrantView>, DbError> {
    let row: Option<(i64, NaiveDate)> = with_db!(db, p => sqlx::query_as(
        "SELECT grant_manwon, agreed_on FROM grants WHERE application_id = $1")
        .bind(app.0).fetch_optional(p).await?);
    let Some((grant_manwon, agreed_on)) = row else {
        return Ok(None);
    };
    let rows: Vec<MilestoneRow> = with_db!(db, p => sqlx::query_as(
        "SELECT title, due_on, amount_manwon, paid_manwon, paid_on FROM grant_milestones \
         WHERE application_id = $1 ORDER BY position")
        .bind(app.0).fetch_all(p).await?);
    let milestones: Vec<FundedMilestone> = rows
        .into_iter()
        .map(|r| FundedMilestone {
            status: MilestoneStatus::of(r.due_on, r.paid_on, today),
            title: r.title,
            due_on: r.due_on,
            amount_manwon: r.amount_manwon,
            paid_manwon: r.paid_manwon,
            paid_on: r.paid_on,
        })
        .collect();
    Ok(Some(GrantView {
        grant_manwon,
        agreed_on,
        paid_manwon: milestones.iter().filter_map(|m| m.paid_manwon).sum(),
        milestones,
    }))
}

/// What came of recording a payment.
pub enum Paid {
    /// Recorded (in place of the milestone's payment before, if any).
    Done,
    /// No agreement is recorded.
    NotAgreed,
    /// The application has no such milestone.
    NoMilestone,
    /// Paid before the agreement was signed.
    BeforeAgreement,
    /// The payments together would go beyond the grant.
    OverGrant,
}

/// Records by `actor` payment `p` against milestone `position` (from 1) of
/// `w`'s grant.
pub async fn pay(
    db: &Db,
    w: &Whose<'_>,
    position: i64,
    p: &Pay,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Paid, DbError> {
    let mut tx = db.begin().await?;
    let grant: Option<(i64, NaiveDate)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE grants SET grant_manwon = grant_manwon WHERE application_id = $1 RETURNING grant_manwon, agreed_on")
        .bind(w.app.0).fetch_optional(&mut *c).await?);
    let Some((grant, agreed_on)) = grant else {
        return Ok(Paid::NotAgreed);
    };
    let row: Option<(String, i64)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT m.title, CAST((SELECT COALESCE(SUM(o.paid_manwon), 0) FROM grant_milestones o \
           WHERE o.application_id = m.application_id AND o.position <> m.position) AS BIGINT) \
         FROM grant_milestones m WHERE m.application_id = $1 AND m.position = $2")
        .bind(w.app.0).bind(position).fetch_optional(&mut *c).await?);
    let Some((milestone, others)) = row else {
        return Ok(Paid::NoMilestone);
    };
    if p.paid_on < agreed_on {
        return Ok(Paid::BeforeAgreement);
    }
    if others + p.paid_manwon > grant {
        return Ok(Paid::OverGrant);
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE grant_milestones SET paid_manwon = $3, paid_on = $4, paid_by = $5 WHERE application_id = $1 AND position = $2")
        .bind(w.app.0).bind(position).bind(p.paid_manwon).bind(p.paid_on).bind(actor.0)
        .execute(&mut *c).await?.rows_affected());
    let subject = w.subject(format!("{milestone}: {}만원, {}", p.paid_manwon, p.paid_on));
    audit::record(&mut tx, Some(actor), AuditAction::GrantPaid, subject, now).await?;
    tx.commit().await?;
    Ok(Paid::Done)
}

/// Call `call`'s money under agreement: the grants agreed and what of them
/// was paid (만원).
pub async fn call_totals(db: &Db, call: CallId) -> Result<(i64, i64), DbError> {
    let row: (i64, i64) = with_db!(db, p => sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(g.grant_manwon), 0) AS BIGINT), \
           CAST(COALESCE((SELECT SUM(m.paid_manwon) FROM grant_milestones m JOIN applications a2 ON a2.id = m.application_id \
             WHERE a2.call_id = $1), 0) AS BIGINT) \
         FROM grants g JOIN applications a ON a.id = g.application_id WHERE a.call_id = $1")
        .bind(call.0).fetch_one(p).await?);
    Ok(row)
}
