//! Proposals, the collaborations they open, and experts' offers without a problem.

use super::{
    Db, Tx,
    notifications::{self, Event, To},
    problems::{ProblemRow, add_event},
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};

/// One proposal per expert and idempotency key.
pub const PROPOSAL_KEY: UniqueRule = UniqueRule {
    postgres: "proposals_expert_id_idempotency_key_key",
    sqlite: "proposals.expert_id, proposals.idempotency_key",
};

/// One live (submitted or accepted) proposal per expert and problem.
pub const PROPOSAL_LIVE: UniqueRule = UniqueRule {
    postgres: "proposals_one_live",
    sqlite: "proposals.problem_id, proposals.expert_id",
};
use chrono::{DateTime, Utc};
use moim_core::{
    CollaborationId, ConsortiumId, OrgId, ProblemId, ProposalId, UserId, account::PersonRef,
    notification::NotificationKind, problem::*,
};

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    problem_id: i64,
    expert_id: i64,
    name: String,
    org_name: String,
    approach: String,
    duration_months: i64,
    cost_manwon: i64,
    resources: String,
    ip_terms: String,
    status: String,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

impl From<ProposalRow> for ProposalView {
    fn from(r: ProposalRow) -> Self {
        ProposalView {
            id: ProposalId(r.id),
            problem_id: ProblemId(r.problem_id),
            expert: PersonRef {
                id: UserId(r.expert_id),
                name: r.name,
                org_name: r.org_name,
            },
            approach: r.approach,
            duration_months: r.duration_months,
            cost_manwon: r.cost_manwon,
            resources: r.resources,
            ip_terms: IpTerms::from_code(&r.ip_terms).unwrap_or(IpTerms::FirmOwns),
            status: ProposalStatus::from_code(&r.status).unwrap_or(ProposalStatus::Withdrawn),
            created_at: r.created_at,
            decided_at: r.decided_at,
        }
    }
}

const PROPOSAL_SELECT: &str = "SELECT pr.id, pr.problem_id, pr.expert_id, u.name, o.name AS org_name, pr.approach, pr.duration_months,
        pr.cost_manwon, pr.resources, pr.ip_terms, pr.status, pr.created_at, pr.decided_at
    FROM proposals pr JOIN users u ON u.id = pr.expert_id JOIN organisations o ON o.id = u.org_id";

/// Proposals of a problem, oldest first; only `expert`'s when given.
pub async fn proposals(
    db: &Db,
    id: ProblemId,
    expert: Option<UserId>,
) -> Result<Vec<ProposalView>, DbError> {
    let sql = format!(
        "{PROPOSAL_SELECT} WHERE pr.problem_id = $1 AND ($2 IS NULL OR pr.expert_id = $2) ORDER BY pr.id"
    );
    let rows: Vec<ProposalRow> = with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(expert.map(|e| e.0)).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One proposal.
pub async fn proposal(db: &Db, id: ProposalId) -> Result<ProposalView, DbError> {
    let sql = format!("{PROPOSAL_SELECT} WHERE pr.id = $1");
    let row: ProposalRow = with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?);
    Ok(row.into())
}

/// What sending a proposal did.
pub enum Sent {
    /// Stored now.
    New(ProposalId),
    /// The same key was sent before: the stored one.
    Repeat(ProposalId),
    /// The expert has another live proposal for this problem.
    AlreadyProposed,
    /// The problem stopped taking proposals.
    NotOpen,
}

/// Stores a proposal exactly once per idempotency key, so a retry after a dropped
/// connection returns the first one instead of making a second.
pub async fn propose(
    db: &Db,
    row: &ProblemRow,
    expert: UserId,
    p: &NewProposal,
    now: DateTime<Utc>,
) -> Result<Sent, DbError> {
    let key = p.idempotency_key.trim();
    let earlier: Option<(i64, i64)> = with_db!(db, c => sqlx::query_as("SELECT id, problem_id FROM proposals WHERE expert_id = $1 AND idempotency_key = $2")
        .bind(expert.0).bind(key).fetch_optional(c).await?);
    if let Some((id, problem)) = earlier {
        return Ok(if problem == row.id {
            Sent::Repeat(ProposalId(id))
        } else {
            Sent::AlreadyProposed
        });
    }
    let pid = ProblemId(row.id);
    let mut tx = db.begin().await?;
    let open = with_tx!(&mut tx, c => sqlx::query("UPDATE problems SET proposal_count = proposal_count + 1 WHERE id = $1 AND status = 'open'")
        .bind(pid.0).execute(&mut *c).await?.rows_affected());
    if open == 0 {
        return Ok(Sent::NotOpen);
    }
    let inserted: Result<(i64,), DbError> = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO proposals (problem_id, expert_id, approach, duration_months, cost_manwon, resources, ip_terms, status, idempotency_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9) RETURNING id")
        .bind(pid.0).bind(expert.0).bind(p.approach.trim()).bind(p.duration_months).bind(p.cost_manwon).bind(p.resources.trim())
        .bind(p.ip_terms.code()).bind(key).bind(now).fetch_one(&mut *c).await.map_err(DbError::from));
    let id = match inserted {
        Ok((id,)) => id,
        Err(DbError::Unique(v)) if v.of(&PROPOSAL_KEY) || v.of(&PROPOSAL_LIVE) => {
            drop(tx);
            // A concurrent retry with the same key may have won the race.
            let again: Option<(i64,)> = with_db!(db, c => sqlx::query_as("SELECT id FROM proposals WHERE expert_id = $1 AND idempotency_key = $2 AND problem_id = $3")
                .bind(expert.0).bind(key).bind(pid.0).fetch_optional(c).await?);
            return Ok(again.map_or(Sent::AlreadyProposed, |(id,)| Sent::Repeat(ProposalId(id))));
        }
        Err(e) => return Err(e),
    };
    add_event(
        &mut tx,
        pid,
        EventKind::Proposal,
        Some(expert),
        None,
        None,
        now,
    )
    .await?;
    let e = Event {
        kind: NotificationKind::ProposalReceived,
        consortium: None,
        org: Some(row.org()),
        problem: Some(pid),
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(expert),
        note: None,
        at: now,
    };
    notifications::notify(&mut tx, To::User(UserId(row.author_id)), &e).await?;
    tx.commit().await?;
    Ok(Sent::New(ProposalId(id)))
}

/// The expert takes back a proposal still waiting.
pub async fn withdraw(
    db: &Db,
    id: ProposalId,
    expert: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let row: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE proposals SET status = 'withdrawn', decided_at = $1 WHERE id = $2 AND expert_id = $3 AND status = 'submitted' RETURNING problem_id")
        .bind(now).bind(id.0).bind(expert.0).fetch_optional(&mut *c).await?);
    let Some((problem,)) = row else {
        return Ok(false);
    };
    with_tx!(&mut tx, c => sqlx::query("UPDATE problems SET proposal_count = proposal_count - 1 WHERE id = $1").bind(problem).execute(&mut *c).await?.rows_affected());
    tx.commit().await?;
    Ok(true)
}

/// Accepting failed because…
pub enum AcceptError {
    /// The problem is no longer open (another proposal won).
    NotOpen,
    /// The proposal is not waiting.
    NotSubmitted,
}

/// Where a collaboration comes from and who takes part.
struct Opening {
    problem: Option<ProblemId>,
    proposal: Option<ProposalId>,
    offer: Option<i64>,
    org: Option<OrgId>,
    consortium: Option<ConsortiumId>,
    expert: UserId,
    instrument: Option<HelpKind>,
}

async fn start_collaboration(
    tx: &mut Tx,
    o: Opening,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<CollaborationId, DbError> {
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO collaborations (problem_id, proposal_id, offer_id, org_id, consortium_id, expert_id, stage, instrument, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'matched', $7, $8, $8) RETURNING id")
        .bind(o.problem.map(|p| p.0)).bind(o.proposal.map(|p| p.0)).bind(o.offer).bind(o.org.map(|x| x.0)).bind(o.consortium.map(|c| c.0))
        .bind(o.expert.0).bind(o.instrument.map(HelpKind::code)).bind(now).fetch_one(&mut *c).await?);
    with_tx!(tx, c => sqlx::query("INSERT INTO collaboration_steps (collaboration_id, stage, actor_id, at) VALUES ($1, 'matched', $2, $3)")
        .bind(id).bind(by.0).bind(now).execute(&mut *c).await?.rows_affected());
    Ok(CollaborationId(id))
}

/// A collaboration of the sample portal between `org` and `expert`, begun at
/// `at` and now at `stage`.
pub async fn sample(
    db: &Db,
    org: OrgId,
    consortium: ConsortiumId,
    expert: UserId,
    instrument: HelpKind,
    stage: Stage,
    at: DateTime<Utc>,
) -> Result<CollaborationId, DbError> {
    let mut tx = db.begin().await?;
    let opening = Opening {
        problem: None,
        proposal: None,
        offer: None,
        org: Some(org),
        consortium: Some(consortium),
        expert,
        instrument: Some(instrument),
    };
    let id = start_collaboration(&mut tx, opening, expert, at).await?;
    if stage != Stage::Matched {
        let later = at + chrono::Duration::days(14);
        with_tx!(&mut tx, c => sqlx::query("UPDATE collaborations SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(stage.code()).bind(later).bind(id.0).execute(&mut *c).await?.rows_affected());
        with_tx!(&mut tx, c => sqlx::query("INSERT INTO collaboration_steps (collaboration_id, stage, actor_id, at) VALUES ($1, $2, $3, $4)")
            .bind(id.0).bind(stage.code()).bind(expert.0).bind(later).execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(id)
}

/// The firm accepts one proposal: the problem is matched, a collaboration opens, the
/// expert is told, and every other waiting proposal is declined with thanks. All in
/// one transaction; of two concurrent acceptances exactly one wins.
pub async fn accept(
    db: &Db,
    row: &ProblemRow,
    id: ProposalId,
    by: UserId,
    instrument: Option<HelpKind>,
    now: DateTime<Utc>,
) -> Result<Result<CollaborationId, AcceptError>, DbError> {
    let pid = ProblemId(row.id);
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query("UPDATE problems SET status = 'matched', updated_at = $1 WHERE id = $2 AND status = 'open'")
        .bind(now).bind(pid.0).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(Err(AcceptError::NotOpen));
    }
    let expert: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE proposals SET status = 'accepted', decided_at = $1 WHERE id = $2 AND problem_id = $3 AND status = 'submitted' RETURNING expert_id")
        .bind(now).bind(id.0).bind(pid.0).fetch_optional(&mut *c).await?);
    let Some((expert,)) = expert else {
        return Ok(Err(AcceptError::NotSubmitted));
    };
    let others: Vec<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE proposals SET status = 'not_selected', decided_at = $1 WHERE problem_id = $2 AND status = 'submitted' RETURNING expert_id")
        .bind(now).bind(pid.0).fetch_all(&mut *c).await?);
    let collab = start_collaboration(
        &mut tx,
        Opening {
            problem: Some(pid),
            proposal: Some(id),
            offer: None,
            org: Some(row.org()),
            consortium: Some(row.consortium()),
            expert: UserId(expert),
            instrument,
        },
        by,
        now,
    )
    .await?;
    add_event(
        &mut tx,
        pid,
        EventKind::Accepted,
        Some(by),
        Some(Stage::Matched),
        None,
        now,
    )
    .await?;
    let tell = |kind| Event {
        kind,
        consortium: None,
        org: Some(row.org()),
        problem: Some(pid),
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: None,
        at: now,
    };
    notifications::notify(
        &mut tx,
        To::User(UserId(expert)),
        &tell(NotificationKind::ProposalAccepted),
    )
    .await?;
    for (other,) in others {
        notifications::notify(
            &mut tx,
            To::User(UserId(other)),
            &tell(NotificationKind::ProposalNotSelected),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(collab))
}

#[derive(sqlx::FromRow)]
struct CollabRow {
    id: i64,
    problem_id: Option<i64>,
    org_id: Option<i64>,
    partner_name: String,
    expert_id: i64,
    expert_name: String,
    expert_org: String,
    stage: String,
    instrument: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    stage: String,
    actor_id: i64,
    name: String,
    org_name: String,
    note: Option<String>,
    at: DateTime<Utc>,
}

/// Who takes part in a collaboration, for authorisation.
pub struct Parties {
    pub org: Option<OrgId>,
    pub consortium: Option<ConsortiumId>,
    pub expert: UserId,
    pub problem: Option<ProblemId>,
    pub stage: Stage,
}

/// The parties of a collaboration.
pub async fn parties(db: &Db, id: CollaborationId) -> Result<Parties, DbError> {
    let (org, consortium, expert, problem, stage): (
        Option<i64>,
        Option<i64>,
        i64,
        Option<i64>,
        String,
    ) = with_db!(db, p => sqlx::query_as(
        "SELECT cb.org_id, COALESCE(cb.consortium_id, pb.consortium_id), cb.expert_id, cb.problem_id, cb.stage
         FROM collaborations cb LEFT JOIN problems pb ON pb.id = cb.problem_id WHERE cb.id = $1")
        .bind(id.0).fetch_one(p).await?);
    Ok(Parties {
        org: org.map(OrgId),
        consortium: consortium.map(ConsortiumId),
        expert: UserId(expert),
        problem: problem.map(ProblemId),
        stage: Stage::from_code(&stage).unwrap_or(Stage::Dropped),
    })
}

/// A collaboration with its dated steps.
pub async fn find(db: &Db, id: CollaborationId) -> Result<CollaborationView, DbError> {
    let r: CollabRow = with_db!(db, p => sqlx::query_as(
        "SELECT cb.id, cb.problem_id, cb.org_id, COALESCE(o.name, cs.name, '') AS partner_name, cb.expert_id, u.name AS expert_name,
                eo.name AS expert_org, cb.stage, cb.instrument
         FROM collaborations cb LEFT JOIN organisations o ON o.id = cb.org_id LEFT JOIN consortia cs ON cs.id = cb.consortium_id AND cb.org_id IS NULL
         JOIN users u ON u.id = cb.expert_id JOIN organisations eo ON eo.id = u.org_id WHERE cb.id = $1")
        .bind(id.0).fetch_one(p).await?);
    let steps: Vec<StepRow> = with_db!(db, p => sqlx::query_as(
        "SELECT s.stage, s.actor_id, u.name, o.name AS org_name, s.note, s.at FROM collaboration_steps s
         JOIN users u ON u.id = s.actor_id JOIN organisations o ON o.id = u.org_id WHERE s.collaboration_id = $1 ORDER BY s.id")
        .bind(id.0).fetch_all(p).await?);
    Ok(CollaborationView {
        id: CollaborationId(r.id),
        problem_id: r.problem_id.map(ProblemId),
        org_id: r.org_id.map(OrgId),
        partner_name: r.partner_name,
        expert: PersonRef {
            id: UserId(r.expert_id),
            name: r.expert_name,
            org_name: r.expert_org,
        },
        stage: Stage::from_code(&r.stage).unwrap_or(Stage::Dropped),
        instrument: r.instrument.as_deref().and_then(HelpKind::from_code),
        steps: steps
            .into_iter()
            .map(|s| StageStep {
                stage: Stage::from_code(&s.stage).unwrap_or(Stage::Dropped),
                by: PersonRef {
                    id: UserId(s.actor_id),
                    name: s.name,
                    org_name: s.org_name,
                },
                note: s.note,
                at: s.at,
            })
            .collect(),
    })
}

/// The collaboration of a problem, if matched.
pub async fn for_problem(db: &Db, id: ProblemId) -> Result<Option<CollaborationId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM collaborations WHERE problem_id = $1").bind(id.0).fetch_optional(p).await?);
    Ok(row.map(|(id,)| CollaborationId(id)))
}

/// The collaborations a person takes part in (as expert or through their firm), newest first.
pub async fn mine(
    db: &Db,
    user: UserId,
    org: Option<OrgId>,
) -> Result<Vec<CollaborationView>, DbError> {
    let ids: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM collaborations WHERE expert_id = $1 OR org_id = $2 ORDER BY id DESC LIMIT 100")
        .bind(user.0).bind(org.map_or(-1, |o| o.0)).fetch_all(p).await?);
    let mut out = Vec::with_capacity(ids.len());
    for (id,) in ids {
        out.push(find(db, CollaborationId(id)).await?);
    }
    Ok(out)
}

/// True when the pipeline may go from `from` to `to`: forward only, and dropped
/// from any open stage; completed work may still reach the market.
pub fn may_move(from: Stage, to: Stage) -> bool {
    let rank = |s: Stage| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    match (from, to) {
        (Stage::Commercialised | Stage::Dropped, _) => false,
        (_, Stage::Dropped) => true,
        (f, t) => rank(t) > rank(f),
    }
}

/// Moves a collaboration; false when another move got there first.
pub async fn move_stage(
    db: &Db,
    id: CollaborationId,
    parties: &Parties,
    m: &MoveStage,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let note = m.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE collaborations SET stage = $1, instrument = COALESCE($2, instrument), updated_at = $3 WHERE id = $4 AND stage = $5")
        .bind(m.stage.code()).bind(m.instrument.map(HelpKind::code)).bind(now).bind(id.0).bind(parties.stage.code())
        .execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    with_tx!(&mut tx, c => sqlx::query("INSERT INTO collaboration_steps (collaboration_id, stage, actor_id, note, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0).bind(m.stage.code()).bind(by.0).bind(note).bind(now).execute(&mut *c).await?.rows_affected());
    if let Some(p) = parties.problem {
        add_event(
            &mut tx,
            p,
            EventKind::StageChanged,
            Some(by),
            Some(m.stage),
            note,
            now,
        )
        .await?;
    }
    let e = Event {
        kind: NotificationKind::StageChanged,
        consortium: parties.consortium,
        org: parties.org,
        problem: parties.problem,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: Some(m.stage.code().to_owned()),
        at: now,
    };
    notifications::notify(&mut tx, To::User(parties.expert), &e).await?;
    if let Some(org) = parties.org {
        notifications::notify(&mut tx, To::Organisation(org), &e).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    expert_id: i64,
    name: String,
    org_name: String,
    to_org: Option<i64>,
    to_consortium: Option<i64>,
    target_name: String,
    title: String,
    body: String,
    status: String,
    reason: Option<String>,
    created_at: DateTime<Utc>,
}

impl OfferRow {
    fn view(self, can_decide: bool) -> OfferView {
        OfferView {
            id: self.id,
            expert: PersonRef {
                id: UserId(self.expert_id),
                name: self.name,
                org_name: self.org_name,
            },
            target: match (self.to_org, self.to_consortium) {
                (Some(o), _) => OfferTarget::Organisation { id: OrgId(o) },
                (None, c) => OfferTarget::Consortium {
                    id: ConsortiumId(c.unwrap_or_default()),
                },
            },
            target_name: self.target_name,
            title: self.title,
            body: self.body,
            status: OfferStatus::from_code(&self.status).unwrap_or(OfferStatus::Declined),
            reason: self.reason,
            created_at: self.created_at,
            can_decide,
        }
    }
}

const OFFER_SELECT: &str = "SELECT f.id, f.expert_id, u.name, uo.name AS org_name, f.org_id AS to_org, f.consortium_id AS to_consortium,
        COALESCE(o.name, c.name, '') AS target_name, f.title, f.body, f.status, f.reason, f.created_at
    FROM offers f JOIN users u ON u.id = f.expert_id JOIN organisations uo ON uo.id = u.org_id
    LEFT JOIN organisations o ON o.id = f.org_id LEFT JOIN consortia c ON c.id = f.consortium_id";

/// Sends an offer; the receiver (representative or CMs) is told.
pub async fn offer(
    db: &Db,
    expert: UserId,
    o: &NewOffer,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (org, consortium) = match o.target {
        OfferTarget::Organisation { id } => (Some(id), None),
        OfferTarget::Consortium { id } => (None, Some(id)),
    };
    let mut tx = db.begin().await?;
    let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO offers (expert_id, org_id, consortium_id, title, body, status, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id")
        .bind(expert.0).bind(org.map(|o| o.0)).bind(consortium.map(|c| c.0)).bind(o.title.trim()).bind(o.body.trim()).bind(now)
        .fetch_one(&mut *c).await?);
    let e = Event {
        kind: NotificationKind::OfferReceived,
        consortium,
        org,
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(expert),
        note: Some(o.title.trim().to_owned()),
        at: now,
    };
    let to = match (org, consortium) {
        (Some(o), _) => To::Organisation(o),
        (None, Some(c)) => To::Managers(c),
        (None, None) => To::User(expert),
    };
    notifications::notify(&mut tx, to, &e).await?;
    tx.commit().await?;
    Ok(id)
}

/// Offers sent by `user` or received by their firm or the consortia they manage.
pub async fn offers(
    db: &Db,
    user: UserId,
    org: Option<OrgId>,
    representative: bool,
    managed: &[ConsortiumId],
    admin: bool,
) -> Result<Vec<OfferView>, DbError> {
    let rows: Vec<OfferRow> = with_db!(db, p => {
        let mut b = sqlx::QueryBuilder::new(OFFER_SELECT);
        b.push(" WHERE f.expert_id = ").push_bind(user.0);
        b.push(" OR f.org_id = ").push_bind(org.map_or(-1, |o| o.0));
        for c in managed {
            b.push(" OR f.consortium_id = ").push_bind(c.0);
        }
        b.push(" ORDER BY f.id DESC LIMIT 100");
        b.build_query_as().fetch_all(p).await?
    });
    Ok(rows
        .into_iter()
        .map(|r| {
            let can = r.status == "pending"
                && match (r.to_org, r.to_consortium) {
                    (Some(o), _) => representative && org == Some(OrgId(o)),
                    (None, Some(c)) => admin || managed.contains(&ConsortiumId(c)),
                    _ => false,
                };
            r.view(can)
        })
        .collect())
}

/// One offer.
pub async fn find_offer(db: &Db, id: i64) -> Result<OfferView, DbError> {
    let sql = format!("{OFFER_SELECT} WHERE f.id = $1");
    let row: OfferRow = with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_one(p).await?);
    Ok(row.view(false))
}

/// Decides a pending offer; accepting opens a collaboration. False when decided already.
pub async fn decide_offer(
    db: &Db,
    offer: &OfferView,
    by: UserId,
    d: &DecideOffer,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let status = if d.accept {
        OfferStatus::Accepted
    } else {
        OfferStatus::Declined
    };
    let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE offers SET status = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'")
        .bind(status.code()).bind(reason).bind(by.0).bind(now).bind(offer.id).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    let (org, consortium) = match offer.target {
        OfferTarget::Organisation { id } => (Some(id), None),
        OfferTarget::Consortium { id } => (None, Some(id)),
    };
    if d.accept {
        start_collaboration(
            &mut tx,
            Opening {
                problem: None,
                proposal: None,
                offer: Some(offer.id),
                org,
                consortium,
                expert: offer.expert.id,
                instrument: None,
            },
            by,
            now,
        )
        .await?;
    }
    let kind = if d.accept {
        NotificationKind::OfferAccepted
    } else {
        NotificationKind::OfferDeclined
    };
    let e = Event {
        kind,
        consortium,
        org,
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: reason.map(str::to_owned),
        at: now,
    };
    notifications::notify(&mut tx, To::User(offer.expert.id), &e).await?;
    tx.commit().await?;
    Ok(true)
}
