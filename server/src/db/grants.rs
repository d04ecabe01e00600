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
use chrono::{DateTime, Datelike, NaiveDate, Utc};
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

/// Which funded projects the cockpit's money counts.
pub enum Place<'a> {
    /// Those of these consortia; `None` is every project.
    Consortia(&'a super::kpi::Scope),
    /// Those of a complex.
    Complex(i64),
    /// Those of a region (its code).
    Region(&'a str),
}

/// A grant with where it belongs.
#[derive(sqlx::FromRow)]
struct Funded {
    application_id: i64,
    grant_manwon: i64,
    agreed_on: NaiveDate,
    call_id: i64,
    call_title: String,
    consortium_id: Option<i64>,
    consortium_name: Option<String>,
    complex_id: Option<i64>,
    region: Option<String>,
}

impl Funded {
    fn within(&self, place: &Place<'_>) -> bool {
        match place {
            Place::Consortia(None) => true,
            Place::Consortia(Some(ids)) => self.consortium_id.is_some_and(|c| ids.contains(&c)),
            Place::Complex(x) => self.complex_id == Some(*x),
            Place::Region(r) => self.region.as_deref() == Some(*r),
        }
    }
}

/// A milestone of a grant: what it planned and what was paid against it.
#[derive(sqlx::FromRow)]
struct Planned {
    application_id: i64,
    amount_manwon: i64,
    due_on: NaiveDate,
    paid_manwon: Option<i64>,
    paid_on: Option<NaiveDate>,
}

/// Money under one key, as it is added up.
#[derive(Default)]
struct Tally {
    label: String,
    projects: std::collections::BTreeSet<i64>,
    committed: i64,
    paid: i64,
}

/// Rows keyed by a year, call, consortium or region.
#[derive(Default)]
struct Tallies(std::collections::BTreeMap<String, Tally>);

impl Tallies {
    fn add(&mut self, key: String, label: &str, app: i64, committed: i64, paid: i64) {
        let t = self.0.entry(key).or_insert_with(|| Tally {
            label: label.to_owned(),
            ..Tally::default()
        });
        t.projects.insert(app);
        t.committed += committed;
        t.paid += paid;
    }

    /// The rows in key order (years), or the most committed first.
    fn rows(self, by_key: bool) -> Vec<moim_core::grant::MoneyRow> {
        let mut rows: Vec<moim_core::grant::MoneyRow> = self
            .0
            .into_iter()
            .map(|(key, t)| moim_core::grant::MoneyRow {
                key,
                label: t.label,
                projects: i64::try_from(t.projects.len()).unwrap_or(i64::MAX),
                committed_manwon: t.committed,
                paid_manwon: t.paid,
            })
            .collect();
        if !by_key {
            rows.sort_by(|a, b| {
                (b.committed_manwon, b.paid_manwon)
                    .cmp(&(a.committed_manwon, a.paid_manwon))
                    .then_with(|| a.label.cmp(&b.label))
            });
        }
        rows
    }
}

/// The money of the funded projects of `place` over `[from, to]`, as
/// [`moim_core::grant::MoneyFigures`] tells; milestones are overdue as of
/// the period's end or `today`, whichever is first.
pub async fn figures(
    db: &Db,
    place: &Place<'_>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<moim_core::grant::MoneyFigures, DbError> {
    // Grants are few (one per selected project): every one agreed by the
    // period's end is read with where it belongs, and added up here.
    let grants: Vec<Funded> = with_db!(db, p => sqlx::query_as(
        "SELECT g.application_id, g.grant_manwon, g.agreed_on, a.call_id, cl.title AS call_title, \
           COALESCE(fc.id, pc.id) AS consortium_id, COALESCE(fc.name, pc.name) AS consortium_name, \
           x.id AS complex_id, x.region \
         FROM grants g JOIN applications a ON a.id = g.application_id JOIN calls cl ON cl.id = a.call_id \
         JOIN organisations o ON o.id = a.org_id \
         LEFT JOIN consortia fc ON fc.application_id = a.id \
         LEFT JOIN problems pb ON pb.id = a.problem_id LEFT JOIN consortia pc ON pc.id = pb.consortium_id \
         LEFT JOIN complexes x ON x.id = COALESCE(fc.complex_id, pc.complex_id, o.complex_id) \
         WHERE g.agreed_on <= $1 ORDER BY g.application_id")
        .bind(to).fetch_all(p).await?);
    let milestones: Vec<Planned> = with_db!(db, p => sqlx::query_as(
        "SELECT m.application_id, m.amount_manwon, m.due_on, m.paid_manwon, m.paid_on \
         FROM grant_milestones m JOIN grants g ON g.application_id = m.application_id \
         WHERE g.agreed_on <= $1")
        .bind(to).fetch_all(p).await?);
    let grants: std::collections::BTreeMap<i64, Funded> = grants
        .into_iter()
        .filter(|g| g.within(place))
        .map(|g| (g.application_id, g))
        .collect();
    let as_of = to.min(today);
    let during = |d: NaiveDate| from <= d && d <= to;
    let mut f = moim_core::grant::MoneyFigures::default();
    let (mut years, mut calls, mut consortia, mut regions) = (
        Tallies::default(),
        Tallies::default(),
        Tallies::default(),
        Tallies::default(),
    );
    let mut projects = std::collections::BTreeSet::new();
    let mut add = |g: &Funded, year: i32, committed: i64, paid: i64| {
        projects.insert(g.application_id);
        let app = g.application_id;
        years.add(year.to_string(), &year.to_string(), app, committed, paid);
        calls.add(g.call_id.to_string(), &g.call_title, app, committed, paid);
        let (key, name) = match (g.consortium_id, &g.consortium_name) {
            (Some(c), Some(n)) => (c.to_string(), n.as_str()),
            _ => ("none".to_owned(), "협의체 구성 전"),
        };
        consortia.add(key, name, app, committed, paid);
        let region = g
            .region
            .as_deref()
            .and_then(moim_core::reference::Region::from_code);
        let (key, name) = region.map_or(("none", "지역 미지정"), |r| (r.code(), r.name_ko()));
        regions.add(key.to_owned(), name, app, committed, paid);
    };
    for g in grants.values() {
        f.agreed_to_date_manwon += g.grant_manwon;
        f.outstanding_manwon += g.grant_manwon;
        if during(g.agreed_on) {
            f.committed_manwon += g.grant_manwon;
            add(g, g.agreed_on.year(), g.grant_manwon, 0);
        }
    }
    // What each grant had left at `as_of`: a grant paid in full has no
    // milestone overdue, whatever its plan said.
    let mut left: std::collections::BTreeMap<i64, i64> = grants
        .iter()
        .map(|(app, g)| (*app, g.grant_manwon))
        .collect();
    for m in &milestones {
        if let (Some(paid), Some(on), Some(l)) =
            (m.paid_manwon, m.paid_on, left.get_mut(&m.application_id))
            && on <= as_of
        {
            *l -= paid;
        }
    }
    for Planned {
        application_id: app,
        amount_manwon: amount,
        due_on,
        paid_manwon: paid,
        paid_on,
    } in milestones
    {
        let Some(g) = grants.get(&app) else { continue };
        let paid_by_end = paid_on.filter(|d| *d <= to).and(paid).unwrap_or(0);
        f.outstanding_manwon -= paid_by_end;
        if let (Some(paid), Some(on)) = (paid, paid_on)
            && during(on)
        {
            f.paid_manwon += paid;
            add(g, on.year(), 0, paid);
        }
        let owed = left.get(&app).is_some_and(|l| *l > 0);
        if owed && due_on < as_of && paid_on.is_none_or(|d| d > as_of) {
            f.overdue += 1;
            f.overdue_manwon += amount;
        }
    }
    f.projects = i64::try_from(projects.len()).unwrap_or(i64::MAX);
    f.by_year = years.rows(true);
    f.by_call = calls.rows(false);
    f.by_consortium = consortia.rows(false);
    f.by_region = regions.rows(false);
    Ok(f)
}

/// The support selected for problem `problem` in calls' announced results,
/// the first call first, with the application for the firm's own people
/// (`owner`: its team).
pub async fn of_problem(
    db: &Db,
    problem: i64,
    owner: bool,
) -> Result<Vec<moim_core::grant::ProblemSupport>, DbError> {
    let sql = format!(
        "SELECT a.id, c.id, c.title, d.grant_manwon FROM applications a \
         JOIN calls c ON c.id = a.call_id \
         JOIN application_decisions d ON d.application_id = a.id \
         WHERE a.problem_id = $1 AND a.status = 'submitted' AND c.announced_at IS NOT NULL \
           AND d.decision = 'selected' AND {CURRENT} ORDER BY c.id"
    );
    let rows: Vec<(i64, i64, String, Option<i64>)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(problem).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(
            |(app, call, call_title, grant)| moim_core::grant::ProblemSupport {
                call: CallId(call),
                call_title,
                grant_manwon: grant.unwrap_or_default(),
                application: owner.then_some(ApplicationId(app)),
            },
        )
        .collect())
}
