//! Selection of a call's applications: the admins' decisions (one per
//! application until the results are announced, then corrections added beside
//! it), the announcement, and the results as everyone reads them. Decisions on
//! one call are taken one at a time (each locks the call's row first), so two
//! admins selecting at once cannot together go beyond its budget.

use super::{Db, Tx, audit, calls::tell_team, code, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ApplicationId, CallId, UserId,
    consortium::AuditAction,
    notification::NotificationKind,
    selection::{
        DecideApplication, Decision, DecisionEntry, PublicCorrection, Results, SelectedApplication,
        within_budget,
    },
};

/// The newest decision row of each application (its current decision).
pub(super) const CURRENT: &str = "d.id = (SELECT MAX(d2.id) FROM application_decisions d2 WHERE d2.application_id = d.application_id)";

#[derive(sqlx::FromRow)]
struct EntryRow {
    application_id: i64,
    decision: String,
    reason: String,
    grant_manwon: Option<i64>,
    correction: bool,
    was: Option<String>,
    by_name: Option<String>,
    decided_at: DateTime<Utc>,
}

fn decision(c: &str) -> Result<Decision, DbError> {
    code(c, Decision::from_code)
}

impl EntryRow {
    fn entry(self) -> Result<(ApplicationId, DecisionEntry), DbError> {
        Ok((
            ApplicationId(self.application_id),
            DecisionEntry {
                decision: decision(&self.decision)?,
                reason: self.reason,
                grant_manwon: self.grant_manwon,
                correction: self.correction,
                was: self.was.as_deref().map(decision).transpose()?,
                by: self.by_name.unwrap_or_default(),
                decided_at: self.decided_at,
            },
        ))
    }
}

const ENTRY: &str = "SELECT d.application_id, d.decision, d.reason, d.grant_manwon, d.correction, d.was, \
     u.name AS by_name, d.decided_at FROM application_decisions d \
     JOIN applications a ON a.id = d.application_id LEFT JOIN users u ON u.id = d.decided_by";

/// Every decision on application `id`, oldest first: the one given (or
/// announced) and the corrections since.
pub async fn of_application(db: &Db, id: ApplicationId) -> Result<Vec<DecisionEntry>, DbError> {
    let sql = format!("{ENTRY} WHERE d.application_id = $1 ORDER BY d.id");
    let rows: Vec<EntryRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    rows.into_iter().map(|r| Ok(r.entry()?.1)).collect()
}

/// The current decision on each submitted application of `call` that has one.
pub async fn current(
    db: &Db,
    call: CallId,
) -> Result<Vec<(ApplicationId, DecisionEntry)>, DbError> {
    let sql = format!("{ENTRY} WHERE a.call_id = $1 AND a.status = 'submitted' AND {CURRENT}");
    let rows: Vec<EntryRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(call.0).fetch_all(p).await?);
    rows.into_iter().map(EntryRow::entry).collect()
}

/// The grants of call `$1`'s selected applications together, 만원, as a
/// scalar expression; `and` narrows which applications count.
fn grants(and: &str) -> String {
    format!(
        "CAST(COALESCE((SELECT SUM(d.grant_manwon) FROM application_decisions d \
           JOIN applications a ON a.id = d.application_id \
           WHERE a.call_id = $1 AND a.status = 'submitted' AND d.decision = 'selected' AND {CURRENT} {and}), 0) AS BIGINT)"
    )
}

/// What the selected applications of `call` are granted together (but
/// `except`'s), 만원.
pub(super) async fn granted(
    tx: &mut Tx,
    call: CallId,
    except: Option<ApplicationId>,
) -> Result<i64, DbError> {
    let sql = format!("SELECT {}", grants("AND a.id <> $2"));
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as(&sql).bind(call.0).bind(except.map_or(-1, |a| a.0)).fetch_one(&mut *c).await?);
    Ok(n)
}

/// The selected applications' grants together and how many submitted ones
/// have no decision, for call `call`.
pub async fn totals(db: &Db, call: CallId) -> Result<(i64, i64), DbError> {
    let sql = format!(
        "SELECT {}, (SELECT COUNT(*) FROM applications a WHERE a.call_id = $1 AND a.status = 'submitted' \
           AND NOT EXISTS (SELECT 1 FROM application_decisions d WHERE d.application_id = a.id))",
        grants("")
    );
    let row: (i64, i64) = with_db!(db, p => sqlx::query_as(&sql).bind(call.0).fetch_one(p).await?);
    Ok(row)
}

/// Takes call `call`'s row for this transaction, so decisions on it (and
/// changes of its budget) are made one at a time: when its results were
/// announced, and its budget as it stands.
pub(super) async fn lock(
    tx: &mut Tx,
    call: CallId,
) -> Result<(Option<DateTime<Utc>>, i64), DbError> {
    let row: (Option<DateTime<Utc>>, i64) = with_tx!(tx, c => sqlx::query_as(
        "UPDATE calls SET announced_at = announced_at WHERE id = $1 RETURNING announced_at, budget_manwon")
        .bind(call.0).fetch_one(&mut *c).await?);
    Ok(row)
}

/// What came of a decision.
pub enum Decided {
    /// Kept (a correction when the results were announced).
    Kept,
    /// Refused: the selected ones' grants would go beyond the call's budget.
    OverBudget,
    /// Refused: its agreement is recorded (its grant is what was agreed).
    Agreed,
    /// Refused: a consortium was founded from it.
    Founded,
}

/// Keeps `user`'s decision `d` on submitted application `app` (lead `lead`,
/// titled `title`) of call `call`: before the announcement it
/// replaces the one before; after it, it is a correction of its own, told to
/// the team. In the audit trail either way.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    db: &Db,
    call: CallId,
    app: ApplicationId,
    lead: moim_core::OrgId,
    title: &str,
    d: &DecideApplication,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Decided, DbError> {
    let mut tx = db.begin().await?;
    let (announced, budget) = lock(&mut tx, call).await?;
    let announced = announced.is_some();
    // What was agreed or founded on the decision stands: no correction after.
    let (agreed, founded): (bool, bool) = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM grants WHERE application_id = $1), \
           EXISTS (SELECT 1 FROM consortia WHERE application_id = $1)")
        .bind(app.0).fetch_one(&mut *c).await?);
    if agreed {
        return Ok(Decided::Agreed);
    }
    if founded {
        return Ok(Decided::Founded);
    }
    if !within_budget(
        budget,
        granted(&mut tx, call, Some(app)).await?,
        d.grant_manwon,
    ) {
        return Ok(Decided::OverBudget);
    }
    let was: Option<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT decision FROM application_decisions WHERE application_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(app.0).fetch_optional(&mut *c).await?);
    if !announced {
        with_tx!(&mut tx, c => sqlx::query(
            "DELETE FROM application_decisions WHERE application_id = $1")
            .bind(app.0).execute(&mut *c).await?.rows_affected());
    }
    let was = was.map(|(w,)| w).filter(|_| announced);
    with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO application_decisions (application_id, decision, reason, grant_manwon, correction, was, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(app.0).bind(d.decision.code()).bind(&d.reason).bind(d.grant_manwon).bind(announced)
        .bind(was.as_deref()).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
    let grant = d
        .grant_manwon
        .map(|g| format!(" {g}만원"))
        .unwrap_or_default();
    let subject = audit::Subject {
        org: Some(lead),
        note: Some(format!(
            "#{} {title}: {}{grant} — {}",
            app.0,
            d.decision.code(),
            d.reason
        )),
        ..Default::default()
    };
    let action = if announced {
        AuditAction::DecisionCorrected
    } else {
        AuditAction::ApplicationDecided
    };
    audit::record(&mut tx, Some(user), action, subject, now).await?;
    if announced {
        tell_team(
            &mut tx,
            app,
            lead,
            NotificationKind::ApplicationDecided,
            user,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Decided::Kept)
}

/// What came of an announcement.
pub enum Announced {
    /// Announced now; every team told.
    Done,
    /// Announced before.
    Already,
    /// Some submitted applications have no decision yet.
    Undecided,
}

/// Announces call `call`'s results by `user` (its title `title`): every
/// submitted application's team is told its decision.
pub async fn announce(
    db: &Db,
    call: CallId,
    title: &str,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Announced, DbError> {
    let mut tx = db.begin().await?;
    if lock(&mut tx, call).await?.0.is_some() {
        return Ok(Announced::Already);
    }
    let apps: Vec<(i64, i64, bool)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT a.id, a.org_id, EXISTS (SELECT 1 FROM application_decisions d WHERE d.application_id = a.id) \
         FROM applications a WHERE a.call_id = $1 AND a.status = 'submitted' ORDER BY a.id")
        .bind(call.0).fetch_all(&mut *c).await?);
    if apps.iter().any(|(_, _, decided)| !decided) {
        return Ok(Announced::Undecided);
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE calls SET announced_at = $2, announced_by = $3 WHERE id = $1")
        .bind(call.0).bind(now).bind(user.0).execute(&mut *c).await?.rows_affected());
    for (app, lead, _) in &apps {
        tell_team(
            &mut tx,
            ApplicationId(*app),
            moim_core::OrgId(*lead),
            NotificationKind::ApplicationDecided,
            user,
            now,
        )
        .await?;
    }
    let subject = audit::Subject {
        note: Some(format!("#{} {title}: {}", call.0, apps.len())),
        ..Default::default()
    };
    audit::record(
        &mut tx,
        Some(user),
        AuditAction::CallAnnounced,
        subject,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Announced::Done)
}

#[derive(sqlx::FromRow)]
struct PublicRow {
    title: String,
    lead: String,
    decision: String,
    reason: String,
    grant_manwon: Option<i64>,
    correction: bool,
    was: Option<String>,
    decided_at: DateTime<Utc>,
    current: bool,
}

/// Call `call`'s results announced at `at`, as everyone reads them: the
/// selected applications as they stand, by grant (the largest first), and the
/// corrections that put one on that list or took one off, oldest first.
pub async fn results(db: &Db, call: CallId, at: DateTime<Utc>) -> Result<Results, DbError> {
    let sql = format!(
        "SELECT a.title, o.name AS lead, d.decision, d.reason, d.grant_manwon, d.correction, d.was, d.decided_at, \
           ({CURRENT}) AS current \
         FROM application_decisions d JOIN applications a ON a.id = d.application_id \
         JOIN organisations o ON o.id = a.org_id \
         WHERE a.call_id = $1 AND a.status = 'submitted' ORDER BY d.id"
    );
    let rows: Vec<PublicRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(call.0).fetch_all(p).await?);
    let mut out = Results {
        announced_at: at,
        selected: Vec::new(),
        corrections: Vec::new(),
    };
    for r in rows {
        let now = decision(&r.decision)?;
        if r.current && now == Decision::Selected {
            out.selected.push(SelectedApplication {
                title: r.title.clone(),
                lead: r.lead.clone(),
                grant_manwon: r.grant_manwon.unwrap_or_default(),
            });
        }
        let was = r.was.as_deref().map(decision).transpose()?;
        if let (true, Some(was)) = (r.correction, was)
            && (was == Decision::Selected) != (now == Decision::Selected)
        {
            out.corrections.push(PublicCorrection {
                title: r.title,
                lead: r.lead,
                was,
                decision: now,
                reason: r.reason,
                decided_at: r.decided_at,
            });
        }
    }
    out.selected
        .sort_by_key(|s| std::cmp::Reverse(s.grant_manwon));
    Ok(out)
}
