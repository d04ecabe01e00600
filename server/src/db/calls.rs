//! Calls (공모) and their applications: the call as its admin wrote it, the
//! applications with their teams, and the facts the call's rules are checked on
//! (each organisation's kind and whether its complex is in the call's region).

use super::{
    Db, Tx, audit, code, decode, encode,
    notifications::{Event, To, notify},
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ApplicationId, CallId, OrgId, ProblemId, UserId,
    account::OrgKind,
    call::{
        ApplicationDraft, ApplicationStatus, ApplicationSummary, CallDraft, CallKind, CallPhase,
        CallRules, CallSummary, Milestone, PartnerShare, PartnerStatus, TeamFacts, TeamMember,
    },
    consortium::AuditAction,
    notification::NotificationKind,
    reference::Region,
};

/// One application per lead organisation and call.
pub const ONE_PER_LEAD: UniqueRule = UniqueRule {
    postgres: "applications_lead",
    sqlite: "applications.call_id, applications.org_id",
};

#[derive(sqlx::FromRow)]
struct CallRow {
    id: i64,
    kind: String,
    title: String,
    description: String,
    budget_manwon: i64,
    rules: String,
    form: String,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    evaluation_on: NaiveDate,
    announce_on: NaiveDate,
    agreement_on: NaiveDate,
    criteria: String,
    submitted: i64,
    applied: bool,
    announced_at: Option<DateTime<Utc>>,
}

/// A call as kept.
pub struct Call {
    pub id: CallId,
    pub draft: CallDraft,
    /// Applications submitted.
    pub submitted: i64,
    /// Whether anyone has started an application.
    pub applied: bool,
    /// When its results were announced.
    pub announced_at: Option<DateTime<Utc>>,
}

impl Call {
    /// Where the call stands on `today`: by its days, but announced as soon
    /// as its results are (an announcement ends the evaluation).
    pub fn phase(&self, today: NaiveDate) -> CallPhase {
        match self.draft.phase(today) {
            CallPhase::Announced | CallPhase::Agreement => self.draft.phase(today),
            _ if self.announced_at.is_some() => CallPhase::Announced,
            p => p,
        }
    }
}

impl CallRow {
    fn call(self) -> Result<Call, DbError> {
        Ok(Call {
            id: CallId(self.id),
            draft: CallDraft {
                title: self.title,
                kind: code(&self.kind, CallKind::from_code)?,
                description: self.description,
                budget_manwon: self.budget_manwon,
                rules: decode::<CallRules>(&self.rules)?,
                opens_on: self.opens_on,
                closes_on: self.closes_on,
                evaluation_on: self.evaluation_on,
                announce_on: self.announce_on,
                agreement_on: self.agreement_on,
                form: decode(&self.form)?,
                criteria: decode(&self.criteria)?,
            },
            submitted: self.submitted,
            applied: self.applied,
            announced_at: self.announced_at,
        })
    }
}

const CALL_COLUMNS: &str = "c.id, c.kind, c.title, c.description, c.budget_manwon, c.rules, c.form, \
     c.opens_on, c.closes_on, c.evaluation_on, c.announce_on, c.agreement_on, c.criteria, \
     (SELECT COUNT(*) FROM applications a WHERE a.call_id = c.id AND a.status = 'submitted') AS submitted, \
     EXISTS (SELECT 1 FROM applications a WHERE a.call_id = c.id) AS applied, c.announced_at";

/// Call `id`.
pub async fn find(db: &Db, id: CallId) -> Result<Option<Call>, DbError> {
    let sql = format!("SELECT {CALL_COLUMNS} FROM calls c WHERE c.id = $1");
    let row: Option<CallRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_optional(p).await?);
    row.map(CallRow::call).transpose()
}

/// Every call, as listed: the open ones by deadline, then the coming ones,
/// then the rest, newest first.
pub async fn list(db: &Db, today: NaiveDate) -> Result<Vec<CallSummary>, DbError> {
    let sql = format!("SELECT {CALL_COLUMNS} FROM calls c ORDER BY c.closes_on DESC, c.id DESC");
    let rows: Vec<CallRow> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    let mut calls = rows
        .into_iter()
        .map(|r| r.call())
        .collect::<Result<Vec<_>, _>>()?;
    let rank = |c: &Call| match c.phase(today) {
        CallPhase::Open => 0,
        CallPhase::Upcoming => 1,
        _ => 2,
    };
    // Stable: within the open ones, the nearest deadline first.
    calls.sort_by_key(|c| {
        let r = rank(c);
        (
            r,
            if r == 0 {
                c.draft.closes_on
            } else {
                NaiveDate::MIN
            },
        )
    });
    Ok(calls
        .into_iter()
        .map(|c| CallSummary {
            id: c.id,
            phase: c.phase(today),
            days_left: c.draft.days_left(today),
            title: c.draft.title,
            kind: c.draft.kind,
            region: c.draft.rules.region,
            opens_on: c.draft.opens_on,
            closes_on: c.draft.closes_on,
            budget_manwon: c.draft.budget_manwon,
            submitted: c.submitted,
        })
        .collect())
}

fn region_code(d: &CallDraft) -> Option<&'static str> {
    d.rules.region.map(Region::code)
}

/// Keeps a new call written by `author`, with its entry in the audit trail.
pub async fn create(
    db: &Db,
    author: UserId,
    d: &CallDraft,
    now: DateTime<Utc>,
) -> Result<CallId, DbError> {
    let mut tx = db.begin().await?;
    let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO calls (kind, title, description, budget_manwon, rules, region, form, opens_on, closes_on, \
           evaluation_on, announce_on, agreement_on, author_id, created_at, updated_at, criteria, told_phase) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16) RETURNING id")
        .bind(d.kind.code()).bind(&d.title).bind(&d.description).bind(d.budget_manwon)
        .bind(encode(&d.rules)?).bind(region_code(d)).bind(encode(&d.form)?)
        .bind(d.opens_on).bind(d.closes_on).bind(d.evaluation_on).bind(d.announce_on).bind(d.agreement_on)
        .bind(author.0).bind(now).bind(encode(&d.criteria)?).bind(phase_on(d, now)).fetch_one(&mut *c).await?);
    audit::record(
        &mut tx,
        Some(author),
        AuditAction::CallPublished,
        call_subject(id, d),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CallId(id))
}

/// The phase call `d`'s days put it in at `now` (Korean time), as stored.
fn phase_on(d: &CallDraft, now: DateTime<Utc>) -> &'static str {
    d.phase(now.with_timezone(&moim_core::KST).date_naive())
        .code()
}

fn call_subject(id: i64, d: &CallDraft) -> audit::Subject {
    audit::Subject {
        note: Some(format!("#{id} {}", d.title)),
        ..Default::default()
    }
}

/// Rewrites call `id` by `admin`, with its entry in the audit trail; false
/// (nothing kept) when its budget would fall below the grants of the
/// applications selected (checked with the call's row taken, as decisions are).
pub async fn replace(
    db: &Db,
    id: CallId,
    d: &CallDraft,
    admin: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    super::selection::lock(&mut tx, id).await?;
    if d.budget_manwon < super::selection::granted(&mut tx, id, None).await? {
        return Ok(false);
    }
    // Days moved back take the phase told back with them (the teams will be
    // told again as the call moves on); moved forward, the job tells.
    let (was,): (Option<String>,) = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT told_phase FROM calls WHERE id = $1").bind(id.0).fetch_one(&mut *c).await?);
    let today = d.phase(now.with_timezone(&moim_core::KST).date_naive());
    let order = |p: CallPhase| CallPhase::ALL.iter().position(|q| *q == p);
    let told = was
        .as_deref()
        .and_then(CallPhase::from_code)
        .filter(|was| order(*was) <= order(today))
        .unwrap_or(today);
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE calls SET kind = $2, title = $3, description = $4, budget_manwon = $5, rules = $6, region = $7, \
           form = $8, opens_on = $9, closes_on = $10, evaluation_on = $11, announce_on = $12, agreement_on = $13, \
           updated_at = $14, criteria = $15, told_phase = $16 WHERE id = $1")
        .bind(id.0).bind(d.kind.code()).bind(&d.title).bind(&d.description).bind(d.budget_manwon)
        .bind(encode(&d.rules)?).bind(region_code(d)).bind(encode(&d.form)?)
        .bind(d.opens_on).bind(d.closes_on).bind(d.evaluation_on).bind(d.announce_on).bind(d.agreement_on)
        .bind(now).bind(encode(&d.criteria)?).bind(told.code()).execute(&mut *c).await?.rows_affected());
    audit::record(
        &mut tx,
        Some(admin),
        AuditAction::CallChanged,
        call_subject(id.0, d),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    call_id: i64,
    call_title: String,
    title: String,
    lead: String,
    org_id: i64,
    status: String,
    project: i64,
    submitted_at: Option<DateTime<Utc>>,
}

/// (PostgreSQL sums BIGINTs as NUMERIC: cast back.)
const SUMMARY: &str = "SELECT a.id, a.call_id, c.title AS call_title, a.title, o.name AS lead, a.org_id, a.status, \
     a.government_manwon + a.lead_share_manwon + CAST(COALESCE((SELECT SUM(p.share_manwon) \
       FROM application_partners p WHERE p.application_id = a.id), 0) AS BIGINT) AS project, a.submitted_at \
     FROM applications a JOIN calls c ON c.id = a.call_id JOIN organisations o ON o.id = a.org_id";

fn summaries(
    rows: Vec<SummaryRow>,
    reader: Option<OrgId>,
) -> Result<Vec<ApplicationSummary>, DbError> {
    rows.into_iter()
        .map(|r| {
            Ok(ApplicationSummary {
                id: ApplicationId(r.id),
                call_id: CallId(r.call_id),
                call_title: r.call_title,
                title: r.title,
                lead: r.lead,
                status: code(&r.status, ApplicationStatus::from_code)?,
                leads: reader == Some(OrgId(r.org_id)),
                project_manwon: r.project,
                submitted_at: r.submitted_at,
            })
        })
        .collect()
}

/// The applications of call `id` its managers read: those submitted or
/// withdrawn (a draft is its team's until submitted).
pub async fn applications(db: &Db, id: CallId) -> Result<Vec<ApplicationSummary>, DbError> {
    let sql = format!(
        "{SUMMARY} WHERE a.call_id = $1 AND a.status <> 'draft' ORDER BY a.submitted_at, a.id"
    );
    let rows: Vec<SummaryRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    summaries(rows, None)
}

/// The applications `org` leads or is a partner of (not declined), newest
/// first.
pub async fn of_org(db: &Db, org: OrgId) -> Result<Vec<ApplicationSummary>, DbError> {
    let sql = format!(
        "{SUMMARY} WHERE a.org_id = $1 OR EXISTS (SELECT 1 FROM application_partners p \
           WHERE p.application_id = a.id AND p.org_id = $1 AND p.status <> 'declined') ORDER BY a.id DESC"
    );
    let rows: Vec<SummaryRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(org.0).fetch_all(p).await?);
    summaries(rows, Some(org))
}

/// The application `org` leads in call `call`, if any.
pub async fn led_by(db: &Db, call: CallId, org: OrgId) -> Result<Option<ApplicationId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM applications WHERE call_id = $1 AND org_id = $2")
        .bind(call.0).bind(org.0).fetch_optional(p).await?);
    Ok(row.map(|(i,)| ApplicationId(i)))
}

/// Starts `org`'s application to `call`, by `user` (a unique violation of
/// [`ONE_PER_LEAD`] when it has one).
pub async fn start(
    db: &Db,
    call: CallId,
    org: OrgId,
    user: UserId,
    title: &str,
    now: DateTime<Utc>,
) -> Result<ApplicationId, DbError> {
    let (id,): (i64,) = with_db!(db, p => sqlx::query_as(
        "INSERT INTO applications (call_id, org_id, title, answers, milestones, status, created_by, updated_by, created_at, updated_at) \
         VALUES ($1, $2, $3, '{}', '[]', 'draft', $4, $4, $5, $5) RETURNING id")
        .bind(call.0).bind(org.0).bind(title).bind(user.0).bind(now).fetch_one(p).await?);
    Ok(ApplicationId(id))
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    call_id: i64,
    org_id: i64,
    lead_name: String,
    lead_kind: String,
    lead_inside: bool,
    title: String,
    answers: String,
    government_manwon: i64,
    lead_share_manwon: i64,
    milestones: String,
    problem_id: Option<i64>,
    problem_open: bool,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

/// An application as kept, with what its rules are checked on.
pub struct Application {
    pub id: ApplicationId,
    pub call: CallId,
    pub lead: OrgId,
    pub lead_name: String,
    pub status: ApplicationStatus,
    pub draft: ApplicationDraft,
    pub team: Vec<TeamMember>,
    pub facts: TeamFacts,
    pub submitted_at: Option<DateTime<Utc>>,
    /// When last changed: a submission is of the content read then.
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    org_id: i64,
    name: String,
    kind: String,
    inside: bool,
    share_manwon: i64,
    status: String,
}

/// Whether organisation `o` is in call `c`'s region (true when the call has
/// none); a firm with no complex is outside any.
const INSIDE: &str = "(c.region IS NULL OR EXISTS (SELECT 1 FROM complexes x WHERE x.id = o.complex_id AND x.region = c.region))";

/// Application `id`.
pub async fn application(db: &Db, id: ApplicationId) -> Result<Option<Application>, DbError> {
    let sql = format!(
        "SELECT a.id, a.call_id, a.org_id, o.name AS lead_name, o.kind AS lead_kind, {INSIDE} AS lead_inside, \
           a.title, a.answers, a.government_manwon, a.lead_share_manwon, a.milestones, a.problem_id, \
           EXISTS (SELECT 1 FROM problems pr WHERE pr.id = a.problem_id AND pr.org_id = a.org_id AND pr.status = 'open') AS problem_open, \
           a.status, a.submitted_at, a.updated_at \
         FROM applications a JOIN calls c ON c.id = a.call_id JOIN organisations o ON o.id = a.org_id WHERE a.id = $1"
    );
    let row: Option<ApplicationRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_optional(p).await?);
    let Some(r) = row else { return Ok(None) };
    let sql = format!(
        "SELECT p.org_id, o.name, o.kind, {INSIDE} AS inside, p.share_manwon, p.status \
         FROM application_partners p JOIN applications a ON a.id = p.application_id JOIN calls c ON c.id = a.call_id \
         JOIN organisations o ON o.id = p.org_id WHERE p.application_id = $1 ORDER BY p.position"
    );
    let partners: Vec<PartnerRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    let mut team = Vec::new();
    let mut facts = TeamFacts {
        lead: (code(&r.lead_kind, OrgKind::from_code)?, r.lead_inside),
        lead_name: r.lead_name.clone(),
        partners: Vec::new(),
        problem_open: r.problem_open,
    };
    for p in partners {
        let kind = code(&p.kind, OrgKind::from_code)?;
        let status = code(&p.status, PartnerStatus::from_code)?;
        facts
            .partners
            .push((kind, p.inside, p.name.clone(), p.share_manwon, status));
        team.push(TeamMember {
            org: OrgId(p.org_id),
            name: p.name,
            kind,
            share_manwon: p.share_manwon,
            status,
        });
    }
    Ok(Some(Application {
        id: ApplicationId(r.id),
        call: CallId(r.call_id),
        lead: OrgId(r.org_id),
        lead_name: r.lead_name,
        status: code(&r.status, ApplicationStatus::from_code)?,
        draft: ApplicationDraft {
            title: r.title,
            answers: decode(&r.answers)?,
            partners: team
                .iter()
                .map(|m| PartnerShare {
                    org: m.org,
                    share_manwon: m.share_manwon,
                })
                .collect(),
            government_manwon: r.government_manwon,
            lead_share_manwon: r.lead_share_manwon,
            milestones: decode::<Vec<Milestone>>(&r.milestones)?,
            problem: r.problem_id.map(ProblemId),
        },
        team,
        facts,
        submitted_at: r.submitted_at,
        updated_at: r.updated_at,
    }))
}

/// How many of `orgs` are open organisations other than `lead`.
pub async fn open_orgs(db: &Db, orgs: &[OrgId], lead: OrgId) -> Result<usize, DbError> {
    if orgs.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM organisations WHERE id IN ({}) AND id <> $1 AND closed_at IS NULL AND merged_into IS NULL",
        super::id_list(orgs.iter().map(|o| o.0))
    );
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(&sql).bind(lead.0).fetch_one(p).await?);
    Ok(n as usize)
}

fn event(
    kind: NotificationKind,
    org: OrgId,
    id: ApplicationId,
    actor: UserId,
    at: DateTime<Utc>,
) -> Event {
    Event {
        kind,
        consortium: None,
        org: Some(org),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: Some(id),
        actor: Some(actor),
        note: None,
        at,
    }
}

/// Saves the lead's draft by `user`. A partner kept with the same share keeps
/// its answer; a new one, or one whose share changed, is asked (again), and its
/// representative told; one taken off is gone. A withdrawn application becomes
/// a draft again. False (nothing kept) when it was submitted meanwhile.
pub async fn save(
    db: &Db,
    app: &Application,
    d: &ApplicationDraft,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE applications SET title = $2, answers = $3, government_manwon = $4, lead_share_manwon = $5, \
           milestones = $6, problem_id = $7, status = 'draft', updated_by = $8, updated_at = $9 \
         WHERE id = $1 AND status <> 'submitted'")
        .bind(app.id.0).bind(&d.title).bind(encode(&d.answers)?).bind(d.government_manwon)
        .bind(d.lead_share_manwon).bind(encode(&d.milestones)?).bind(d.problem.map(|p| p.0))
        .bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
    if changed == 0 {
        return Ok(false);
    }
    for old in &app.team {
        if !d.partners.iter().any(|p| p.org == old.org) {
            with_tx!(&mut tx, c => sqlx::query(
                "DELETE FROM application_partners WHERE application_id = $1 AND org_id = $2")
                .bind(app.id.0).bind(old.org.0).execute(&mut *c).await?.rows_affected());
        }
    }
    for (i, p) in d.partners.iter().enumerate() {
        let old = app.team.iter().find(|m| m.org == p.org);
        let asked = match old {
            Some(m) if m.share_manwon == p.share_manwon => {
                with_tx!(&mut tx, c => sqlx::query(
                    "UPDATE application_partners SET position = $3 WHERE application_id = $1 AND org_id = $2")
                    .bind(app.id.0).bind(p.org.0).bind(i as i64).execute(&mut *c).await?.rows_affected());
                false
            }
            Some(_) => {
                with_tx!(&mut tx, c => sqlx::query(
                    "UPDATE application_partners SET position = $3, share_manwon = $4, status = 'invited', \
                       decided_by = NULL, decided_at = NULL WHERE application_id = $1 AND org_id = $2")
                    .bind(app.id.0).bind(p.org.0).bind(i as i64).bind(p.share_manwon).execute(&mut *c).await?.rows_affected());
                true
            }
            None => {
                with_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO application_partners (application_id, org_id, position, share_manwon, status) \
                     VALUES ($1, $2, $3, $4, 'invited')")
                    .bind(app.id.0).bind(p.org.0).bind(i as i64).bind(p.share_manwon).execute(&mut *c).await?.rows_affected());
                true
            }
        };
        if asked {
            let e = event(
                NotificationKind::ApplicationInvited,
                app.lead,
                app.id,
                user,
                now,
            );
            notify(&mut tx, To::Organisation(p.org), &e).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Tells application `app`'s team of `kind`, `user`'s doing: the lead's
/// people and every partner that has not declined.
pub(super) async fn tell_team(
    tx: &mut Tx,
    app: ApplicationId,
    lead: OrgId,
    kind: NotificationKind,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    tell_team_of(tx, app, &event(kind, lead, app, user, now)).await
}

/// Tells application `app`'s team of `e`: the lead's people and every partner
/// but those that declined.
async fn tell_team_of(tx: &mut Tx, app: ApplicationId, e: &Event) -> Result<(), DbError> {
    let partners: Vec<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT org_id FROM application_partners WHERE application_id = $1 AND status <> 'declined' ORDER BY position")
        .bind(app.0).fetch_all(&mut *c).await?);
    notify(tx, To::ApplicationLead(app), e).await?;
    for (org,) in partners {
        notify(tx, To::Organisation(OrgId(org)), e).await?;
    }
    Ok(())
}

/// Tells the teams of submitted applications when their call's dates have
/// moved it on since they were last told: 요건 검토 and 평가 every team, 협약
/// the selected ones once the results are announced (선정 발표 tells by
/// itself). Each call's move is claimed first (`told_phase`), so two
/// instances never tell it twice; a call published, or its days changed, in
/// a phase starts from it. How many calls moved on.
pub async fn tell_phases(db: &Db, now: DateTime<Utc>) -> Result<usize, DbError> {
    move_phases(db, now, true).await
}

/// Brings every call's told phase up to `now` without telling anyone (the
/// sample portal, whose calls were published at past times).
pub async fn settle_phases(db: &Db, now: DateTime<Utc>) -> Result<usize, DbError> {
    move_phases(db, now, false).await
}

/// The phase a call past its deadline is in on day `$1`, as told: 협약 only
/// once the results are announced (its notice goes to the selected ones).
const PHASE: &str = "(CASE WHEN $1 >= agreement_on AND announced_at IS NOT NULL THEN 'agreement' \
    WHEN $1 >= announce_on THEN 'announced' WHEN $1 >= evaluation_on THEN 'evaluation' ELSE 'review' END)";

async fn move_phases(db: &Db, now: DateTime<Utc>, tell: bool) -> Result<usize, DbError> {
    let today = now.with_timezone(&moim_core::KST).date_naive();
    let moved: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT id FROM calls WHERE closes_on < $1 AND (told_phase IS NULL OR told_phase <> {PHASE}) ORDER BY id"))
        .bind(today).fetch_all(p).await?);
    let mut told = 0;
    for (id,) in moved {
        let mut tx = db.begin().await?;
        // The phase is worked out again as the row is claimed: days changed
        // meanwhile count, and another instance's claim leaves nothing.
        let claimed: Option<(String, bool)> = with_tx!(&mut tx, c => sqlx::query_as(&format!(
            "UPDATE calls SET told_phase = {PHASE} \
             WHERE id = $2 AND closes_on < $1 AND (told_phase IS NULL OR told_phase <> {PHASE}) \
             RETURNING told_phase, announced_at IS NOT NULL"))
            .bind(today).bind(id).fetch_optional(&mut *c).await?);
        let Some((phase, announced)) = claimed else {
            continue;
        };
        let teams: Vec<(i64, i64)> = match (phase.as_str(), announced) {
            _ if !tell => Vec::new(),
            ("review" | "evaluation", _) => with_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id, org_id FROM applications WHERE call_id = $1 AND status = 'submitted' ORDER BY id")
                .bind(id).fetch_all(&mut *c).await?),
            ("agreement", true) => {
                let sql = format!(
                    "SELECT a.id, a.org_id FROM applications a JOIN application_decisions d ON d.application_id = a.id \
                     WHERE a.call_id = $1 AND a.status = 'submitted' AND d.decision = 'selected' AND {} ORDER BY a.id",
                    super::selection::CURRENT
                );
                with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id).fetch_all(&mut *c).await?)
            }
            _ => Vec::new(),
        };
        for (app, lead) in teams {
            let e = Event {
                kind: NotificationKind::CallPhaseChanged,
                consortium: None,
                org: Some(OrgId(lead)),
                problem: None,
                idea: None,
                activity: None,
                survey: None,
                application: Some(ApplicationId(app)),
                actor: None,
                note: Some(phase.clone()),
                at: now,
            };
            tell_team_of(&mut tx, ApplicationId(app), &e).await?;
        }
        tx.commit().await?;
        told += 1;
    }
    Ok(told)
}

/// Tells the partners (but those that declined) of `kind`, the lead's doing.
async fn tell_partners(
    tx: &mut Tx,
    app: &Application,
    kind: NotificationKind,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    for m in app
        .team
        .iter()
        .filter(|m| m.status != PartnerStatus::Declined)
    {
        notify(
            tx,
            To::Organisation(m.org),
            &event(kind, app.lead, app.id, user, now),
        )
        .await?;
    }
    Ok(())
}

/// Submits (`true`) or withdraws an application, telling the team; false when
/// it was not in the state that allows it, or (a submission) it changed since
/// it was read, so what would be submitted is not what was checked.
pub async fn set_status(
    db: &Db,
    app: &Application,
    submit: bool,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let changed = if submit {
        with_tx!(&mut tx, c => sqlx::query(
            "UPDATE applications SET status = 'submitted', submitted_at = $2, updated_by = $3, updated_at = $2 \
             WHERE id = $1 AND status <> 'submitted' AND updated_at = $4")
            .bind(app.id.0).bind(now).bind(user.0).bind(app.updated_at).execute(&mut *c).await?.rows_affected())
    } else {
        with_tx!(&mut tx, c => sqlx::query(
            "UPDATE applications SET status = 'withdrawn', updated_by = $2, updated_at = $3 \
             WHERE id = $1 AND status = 'submitted'")
            .bind(app.id.0).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected())
    };
    if changed == 0 {
        return Ok(false);
    }
    let kind = if submit {
        NotificationKind::ApplicationSubmitted
    } else {
        NotificationKind::ApplicationWithdrawn
    };
    let action = if submit {
        AuditAction::ApplicationSubmitted
    } else {
        AuditAction::ApplicationWithdrawn
    };
    let subject = audit::Subject {
        org: Some(app.lead),
        note: Some(format!("#{} {}", app.id, app.draft.title)),
        ..Default::default()
    };
    audit::record(&mut tx, Some(user), action, subject, now).await?;
    tell_partners(&mut tx, app, kind, user, now).await?;
    notify(
        &mut tx,
        To::ApplicationLead(app.id),
        &event(kind, app.lead, app.id, user, now),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Partner `org`'s answer by its representative `user` to the share `share`
/// it was shown, told to the lead's people; false when it was answered so
/// already, or the share changed meanwhile (then it is asked again).
pub async fn answer(
    db: &Db,
    app: &Application,
    org: OrgId,
    share: i64,
    confirm: bool,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let status = if confirm { "confirmed" } else { "declined" };
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE application_partners SET status = $3, decided_by = $4, decided_at = $5 \
         WHERE application_id = $1 AND org_id = $2 AND status <> $3 AND share_manwon = $6")
        .bind(app.id.0).bind(org.0).bind(status).bind(user.0).bind(now).bind(share).execute(&mut *c).await?.rows_affected());
    if changed == 0 {
        return Ok(false);
    }
    let kind = if confirm {
        NotificationKind::ApplicationConfirmed
    } else {
        NotificationKind::ApplicationDeclined
    };
    notify(
        &mut tx,
        To::ApplicationLead(app.id),
        &event(kind, org, app.id, user, now),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The first open problem of `org` (the sample portal's support application).
pub async fn open_problem_of(db: &Db, org: OrgId) -> Result<Option<ProblemId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM problems WHERE org_id = $1 AND status = 'open' ORDER BY id LIMIT 1")
        .bind(org.0).fetch_optional(p).await?);
    Ok(row.map(|(p,)| ProblemId(p)))
}

/// Marks every call sample data (the sample portal's, written before any other).
pub async fn mark_sample(db: &Db) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE calls SET is_sample = TRUE").execute(p).await?.rows_affected());
    Ok(())
}

/// Bulk load for the ranking benchmark (`seed-bench-calls`): one submitted
/// application to `call` per lead `(person, organisation)`, each with the
/// confirmed partners `partners(i)` names for the i-th; their ids in order.
pub async fn seed_bench(
    db: &Db,
    call: CallId,
    leads: &[(i64, i64)],
    partners: impl Fn(usize) -> Vec<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationId>, DbError> {
    use sqlx::QueryBuilder;
    let mut tx = db.begin().await?;
    let mut ids = Vec::with_capacity(leads.len());
    for (n, chunk) in leads.chunks(500).enumerate() {
        let got: Vec<(i64,)> = with_tx!(&mut tx, c => {
            let mut b = QueryBuilder::new("INSERT INTO applications (call_id, org_id, title, answers, government_manwon, \
                lead_share_manwon, milestones, status, submitted_at, created_by, updated_by, created_at, updated_at) ");
            b.push_values(chunk.iter().enumerate(), |mut q, (i, (user, org))| {
                let i = i64::try_from(n * 500 + i).unwrap_or(0);
                q.push_bind(call.0).push_bind(*org).push_bind(format!("벤치마크 과제 {i}")).push_bind("{}")
                    .push_bind(1_000 + (i * 37) % 2_000).push_bind(500).push_bind("[]").push_bind("submitted")
                    .push_bind(now).push_bind(*user).push_bind(*user).push_bind(now).push_bind(now);
            });
            b.push(" RETURNING id");
            b.build_query_as().fetch_all(&mut *c).await?
        });
        ids.extend(got.into_iter().map(|(id,)| ApplicationId(id)));
    }
    let rows: Vec<(i64, i64, i64)> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, app)| {
            partners(i)
                .into_iter()
                .zip(0..)
                .map(move |(org, position)| (app.0, org, position))
        })
        .collect();
    for chunk in rows.chunks(500) {
        with_tx!(&mut tx, c => {
            let mut b = QueryBuilder::new("INSERT INTO application_partners (application_id, org_id, position, share_manwon, \
                status, decided_at) ");
            b.push_values(chunk, |mut q, (app, org, position)| {
                q.push_bind(*app).push_bind(*org).push_bind(*position).push_bind(100).push_bind("confirmed").push_bind(now);
            });
            b.build().execute(&mut *c).await?.rows_affected()
        });
    }
    tx.commit().await?;
    Ok(ids)
}
