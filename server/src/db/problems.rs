//! R&D problems (애로과제): the text, its revisions, search index, invitations,
//! questions, attachments, the details access log and the history.

use super::{
    Db, Tx,
    notifications::{self, Event, To},
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ConsortiumId, FieldId, OrgId, Page, ProblemId, UserId,
    account::PersonRef,
    notification::NotificationKind,
    problem::*,
    reference::Region,
    search::{self, Term},
};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap};

/// Who is asking, as far as visibility goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Viewer {
    pub user: Option<UserId>,
    /// The organisation that confirmed them.
    pub org: Option<OrgId>,
    pub admin: bool,
}

impl Viewer {
    fn user_id(&self) -> i64 {
        self.user.map_or(-1, |u| u.0)
    }
    fn org_id(&self) -> i64 {
        self.org.map_or(-1, |o| o.0)
    }
}

/// A problem as stored, with the names lists show.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProblemRow {
    pub id: i64,
    pub org_id: i64,
    pub consortium_id: i64,
    pub author_id: i64,
    pub title: String,
    pub summary: String,
    pub details: String,
    pub keywords: String,
    pub help: String,
    pub timeline_months: Option<i64>,
    pub budget: String,
    pub confidentiality: String,
    pub status: String,
    pub proposal_count: i64,
    pub is_sample: bool,
    pub updated_at: DateTime<Utc>,
    pub posted_at: DateTime<Utc>,
    pub org_name: String,
    pub consortium_name: String,
    pub complex_name: String,
    pub region: String,
    pub stage: Option<String>,
    pub author_name: String,
    pub author_org_name: String,
}

impl ProblemRow {
    pub fn status(&self) -> ProblemStatus {
        ProblemStatus::from_code(&self.status).unwrap_or(ProblemStatus::Closed)
    }
    pub fn confidentiality(&self) -> Confidentiality {
        Confidentiality::from_code(&self.confidentiality).unwrap_or(Confidentiality::Private)
    }
    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }
    pub fn consortium(&self) -> ConsortiumId {
        ConsortiumId(self.consortium_id)
    }
    pub fn keyword_list(&self) -> Vec<String> {
        serde_json::from_str(&self.keywords).unwrap_or_default()
    }
    pub fn help_list(&self) -> Vec<HelpKind> {
        serde_json::from_str::<Vec<String>>(&self.help)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| HelpKind::from_code(c))
            .collect()
    }
    pub fn author(&self) -> PersonRef {
        PersonRef {
            id: UserId(self.author_id),
            name: self.author_name.clone(),
            org_name: self.author_org_name.clone(),
        }
    }

    /// The list fields; `fields` from [`fields_of`].
    pub fn summary(&self, fields: Vec<FieldTag>) -> ProblemSummary {
        ProblemSummary {
            id: ProblemId(self.id),
            title: self.title.clone(),
            summary: self.summary.clone(),
            status: self.status(),
            confidentiality: self.confidentiality(),
            org_id: self.org(),
            org_name: self.org_name.clone(),
            consortium_id: self.consortium(),
            consortium_name: self.consortium_name.clone(),
            complex_name: self.complex_name.clone(),
            region: Region::from_code(&self.region).unwrap_or(Region::Capital),
            fields,
            keywords: self.keyword_list(),
            help: self.help_list(),
            proposal_count: self.proposal_count,
            stage: self.stage.as_deref().and_then(Stage::from_code),
            posted_at: self.posted_at,
            is_sample: self.is_sample,
        }
    }
}

const SELECT: &str = "SELECT p.id, p.org_id, p.consortium_id, p.author_id, p.title, p.summary, p.details, p.keywords, p.help,
        p.timeline_months, p.budget, p.confidentiality, p.status, p.proposal_count, p.is_sample, p.updated_at, p.posted_at,
        o.name AS org_name, c.name AS consortium_name, x.name_ko AS complex_name, x.region,
        (SELECT cb.stage FROM collaborations cb WHERE cb.problem_id = p.id) AS stage,
        u.name AS author_name, uo.name AS author_org_name
    FROM problems p JOIN organisations o ON o.id = p.org_id JOIN consortia c ON c.id = p.consortium_id
    JOIN complexes x ON x.id = c.complex_id JOIN users u ON u.id = p.author_id JOIN organisations uo ON uo.id = u.org_id";

/// One problem, whoever may see it (the caller checks).
pub async fn find(db: &Db, id: ProblemId) -> Result<ProblemRow, DbError> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?))
}

#[derive(sqlx::FromRow)]
struct FieldRow {
    problem_id: i64,
    id: i64,
    name_ko: String,
    name_en: String,
}

/// The fields of each problem.
pub async fn fields_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<FieldTag>>, DbError> {
    let mut out: HashMap<i64, Vec<FieldTag>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<FieldRow> = with_db!(db, p => {
        let mut b = QueryBuilder::new("SELECT pf.problem_id, f.id, f.name_ko, f.name_en FROM problem_fields pf JOIN fields f ON f.id = pf.field_id WHERE pf.problem_id IN (");
        let mut s = b.separated(", ");
        for id in ids {
            s.push_bind(*id);
        }
        b.push(") ORDER BY pf.problem_id, f.id");
        b.build_query_as().fetch_all(p).await?
    });
    for r in rows {
        out.entry(r.problem_id).or_default().push(FieldTag {
            id: FieldId(r.id),
            name_ko: r.name_ko,
            name_en: r.name_en,
        });
    }
    Ok(out)
}

/// Summaries of rows, fields attached.
pub async fn summaries(db: &Db, rows: Vec<ProblemRow>) -> Result<Vec<ProblemSummary>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut fields = fields_of(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|r| r.summary(fields.remove(&r.id).unwrap_or_default()))
        .collect())
}

/// Terms of the searchable text with their weight: title 3, keywords and fields 2,
/// summary 1. The details are never indexed.
fn weighted_terms(
    title: &str,
    keywords: &[String],
    field_names: &[String],
    summary: &str,
) -> BTreeMap<Term, i64> {
    let mut out = BTreeMap::new();
    let mut add = |text: &str, w: i64| {
        for t in search::index_terms(text) {
            let e = out.entry(t).or_insert(w);
            *e = (*e).max(w);
        }
    };
    add(summary, 1);
    add(&keywords.join(" "), 2);
    add(&field_names.join(" "), 2);
    add(title, 3);
    out
}

/// Writes `(term, owner, weight)` rows into `table` in chunks.
pub(super) async fn insert_terms(
    tx: &mut Tx,
    table: &str,
    owner_col: &str,
    owner: i64,
    terms: &BTreeMap<Term, i64>,
) -> Result<(), DbError> {
    let rows: Vec<(&Term, &i64)> = terms.iter().collect();
    for chunk in rows.chunks(1000) {
        with_tx!(tx, c => {
            let mut b = QueryBuilder::new(format!("INSERT INTO {table} (term, {owner_col}, weight) "));
            b.push_values(chunk, |mut r, (t, w)| {
                r.push_bind(**t).push_bind(owner).push_bind(**w);
            });
            b.build().execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

async fn field_names(tx: &mut Tx, ids: &[FieldId]) -> Result<Vec<String>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String,)> = with_tx!(tx, c => {
        let mut b = QueryBuilder::new("SELECT name_ko FROM fields WHERE id IN (");
        let mut s = b.separated(", ");
        for id in ids {
            s.push_bind(id.0);
        }
        b.push(")");
        b.build_query_as().fetch_all(&mut *c).await?
    });
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

fn clean_keywords(k: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in k.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        if !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    }
    out
}

fn help_json(h: &[HelpKind]) -> String {
    let mut codes: Vec<&str> = h.iter().map(|h| h.code()).collect();
    codes.dedup();
    serde_json::to_string(&codes).unwrap_or_default()
}

/// Replaces fields and search terms of a problem.
async fn write_index(
    tx: &mut Tx,
    id: i64,
    p: &ProblemInput,
    keywords: &[String],
) -> Result<(), DbError> {
    let mut fields = p.field_ids.clone();
    fields.sort_unstable();
    fields.dedup();
    with_tx!(tx, c => {
        sqlx::query("DELETE FROM problem_fields WHERE problem_id = $1").bind(id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM problem_terms WHERE problem_id = $1").bind(id).execute(&mut *c).await?;
        for f in &fields {
            sqlx::query("INSERT INTO problem_fields (problem_id, field_id) VALUES ($1, $2)").bind(id).bind(f.0).execute(&mut *c).await?;
        }
    });
    let names = field_names(tx, &fields).await?;
    let terms = weighted_terms(p.title.trim(), keywords, &names, p.summary.trim());
    insert_terms(tx, "problem_terms", "problem_id", id, &terms).await
}

/// Adds a step to a problem's history.
pub async fn add_event(
    tx: &mut Tx,
    id: ProblemId,
    kind: EventKind,
    actor: Option<UserId>,
    stage: Option<Stage>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("INSERT INTO problem_events (problem_id, kind, actor_id, stage, note, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.0).bind(kind.code()).bind(actor.map(|a| a.0)).bind(stage.map(Stage::code)).bind(note).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

async fn keep_revision(
    tx: &mut Tx,
    id: i64,
    p: &ProblemInput,
    editor: UserId,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM problem_revisions WHERE problem_id = $1")
        .bind(id).fetch_one(&mut *c).await?);
    with_tx!(tx, c => sqlx::query("INSERT INTO problem_revisions (problem_id, number, title, summary, details, editor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id).bind(n).bind(p.title.trim()).bind(p.summary.trim()).bind(p.details.trim()).bind(editor.0).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(n)
}

async fn announce(
    tx: &mut Tx,
    id: ProblemId,
    org: OrgId,
    consortium: ConsortiumId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    add_event(tx, id, EventKind::Published, Some(by), None, None, now).await?;
    let event = Event {
        kind: NotificationKind::ProblemPosted,
        consortium: Some(consortium),
        org: Some(org),
        problem: Some(id),
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: None,
        at: now,
    };
    notifications::notify(tx, To::FieldFollowers(id), &event).await
}

/// Saves a new problem (a draft, or published when `p.publish`).
pub async fn create(
    db: &Db,
    org: OrgId,
    author: UserId,
    p: &ProblemInput,
    sample: bool,
    now: DateTime<Utc>,
) -> Result<ProblemId, DbError> {
    let mut tx = db.begin().await?;
    let id = create_in(&mut tx, org, author, p, sample, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction.
pub async fn create_in(
    tx: &mut Tx,
    org: OrgId,
    author: UserId,
    p: &ProblemInput,
    sample: bool,
    now: DateTime<Utc>,
) -> Result<ProblemId, DbError> {
    let keywords = clean_keywords(&p.keywords);
    let status = if p.publish {
        ProblemStatus::Open
    } else {
        ProblemStatus::Draft
    };
    let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "INSERT INTO problems (org_id, consortium_id, author_id, title, summary, details, keywords, help, timeline_months, budget,
            confidentiality, status, is_sample, created_at, updated_at, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $14) RETURNING id")
        .bind(org.0).bind(p.consortium_id.0).bind(author.0).bind(p.title.trim()).bind(p.summary.trim()).bind(p.details.trim())
        .bind(serde_json::to_string(&keywords).unwrap_or_default()).bind(help_json(&p.help)).bind(p.timeline_months)
        .bind(p.budget.code()).bind(p.confidentiality.code()).bind(status.code()).bind(sample).bind(now)
        .fetch_one(&mut *c).await?);
    write_index(tx, id, p, &keywords).await?;
    if p.publish {
        keep_revision(tx, id, p, author, now).await?;
        announce(tx, ProblemId(id), org, p.consortium_id, author, now).await?;
    }
    Ok(ProblemId(id))
}

/// What an update did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// Draft saved.
    Draft,
    /// Published now.
    Published,
    /// A published problem changed; revision number.
    Revised(i64),
    /// The problem is matched or closed and can no longer change.
    NotEditable,
    /// Published meanwhile, while this edit was sent as a draft's (`publish`
    /// false): it was made before the publishing (an autosave still on its
    /// way), so nothing is written and the published text stands.
    Stale,
}

/// Saves the firm's edit. A published problem keeps every edit as a revision; a
/// draft is published when `p.publish`.
pub async fn update(
    db: &Db,
    id: ProblemId,
    editor: UserId,
    p: &ProblemInput,
    now: DateTime<Utc>,
) -> Result<Saved, DbError> {
    let keywords = clean_keywords(&p.keywords);
    let mut tx = db.begin().await?;
    // The row is locked first (a no-op update), so what is read is what the
    // rest of the transaction works on: two saves at once run in turn.
    let (status, org): (String, i64) = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE problems SET status = status WHERE id = $1 RETURNING status, org_id")
        .bind(id.0).fetch_one(&mut *c).await?);
    let was = ProblemStatus::from_code(&status);
    let (new_status, publishing) = match was {
        Some(ProblemStatus::Draft) if p.publish => (ProblemStatus::Open, true),
        Some(ProblemStatus::Draft) => (ProblemStatus::Draft, false),
        Some(ProblemStatus::Open) if !p.publish => return Ok(Saved::Stale),
        Some(ProblemStatus::Open) => (ProblemStatus::Open, false),
        _ => return Ok(Saved::NotEditable),
    };
    // The guard on status makes a concurrent acceptance win cleanly.
    let changed = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE problems SET consortium_id = $1, title = $2, summary = $3, details = $4, keywords = $5, help = $6, timeline_months = $7,
            budget = $8, confidentiality = $9, status = $10, updated_at = $11, posted_at = CASE WHEN $12 THEN $11 ELSE posted_at END
         WHERE id = $13 AND status = $14")
        .bind(p.consortium_id.0).bind(p.title.trim()).bind(p.summary.trim()).bind(p.details.trim())
        .bind(serde_json::to_string(&keywords).unwrap_or_default()).bind(help_json(&p.help)).bind(p.timeline_months)
        .bind(p.budget.code()).bind(p.confidentiality.code()).bind(new_status.code()).bind(now).bind(publishing)
        .bind(id.0).bind(status)
        .execute(&mut *c).await?.rows_affected());
    if changed == 0 {
        return Ok(Saved::NotEditable);
    }
    write_index(&mut tx, id.0, p, &keywords).await?;
    let saved = if publishing {
        keep_revision(&mut tx, id.0, p, editor, now).await?;
        announce(&mut tx, id, OrgId(org), p.consortium_id, editor, now).await?;
        Saved::Published
    } else if new_status == ProblemStatus::Open {
        let n = keep_revision(&mut tx, id.0, p, editor, now).await?;
        add_event(
            &mut tx,
            id,
            EventKind::Edited,
            Some(editor),
            None,
            Some(&n.to_string()),
            now,
        )
        .await?;
        Saved::Revised(n)
    } else {
        Saved::Draft
    };
    tx.commit().await?;
    Ok(saved)
}

/// Withdraws an open problem or discards a draft's publication; proposals waiting are
/// told. Returns false when it was not open or a draft.
pub async fn close(
    db: &Db,
    id: ProblemId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let closed = close_in(&mut tx, id, by, now).await?;
    if closed {
        tx.commit().await?;
    }
    Ok(closed)
}

/// [`close`] inside the caller's transaction.
pub async fn close_in(
    tx: &mut Tx,
    id: ProblemId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = with_tx!(tx, c => sqlx::query("UPDATE problems SET status = 'closed', updated_at = $1 WHERE id = $2 AND status IN ('open', 'draft')")
        .bind(now).bind(id.0).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    let waiting: Vec<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "UPDATE proposals SET status = 'not_selected', decided_at = $1 WHERE problem_id = $2 AND status = 'submitted' RETURNING expert_id")
        .bind(now).bind(id.0).fetch_all(&mut *c).await?);
    for (expert,) in waiting {
        let e = Event {
            kind: NotificationKind::ProposalNotSelected,
            consortium: None,
            org: None,
            problem: Some(id),
            idea: None,
            activity: None,
            survey: None,
            application: None,
            actor: Some(by),
            note: None,
            at: now,
        };
        notifications::notify(tx, To::User(UserId(expert)), &e).await?;
    }
    add_event(tx, id, EventKind::Closed, Some(by), None, None, now).await?;
    Ok(true)
}

/// Visibility of lists: drafts only for their firm; private problems only for the
/// firm, the consortium's CMs, admins and invited experts.
macro_rules! push_visible {
    ($b:expr, $v:expr) => {{
        let v: &Viewer = $v;
        if v.user.is_none() {
            $b.push(" AND p.status <> 'draft' AND p.confidentiality <> 'private'");
        } else {
        $b.push(" AND (p.status <> 'draft' OR p.org_id = ").push_bind(v.org_id()).push(")");
        if !v.admin {
            $b.push(" AND (p.confidentiality <> 'private' OR p.org_id = ").push_bind(v.org_id());
            $b.push(" OR EXISTS (SELECT 1 FROM consortium_managers cm WHERE cm.consortium_id = p.consortium_id AND cm.user_id = ").push_bind(v.user_id());
            $b.push(") OR EXISTS (SELECT 1 FROM problem_invitations pi WHERE pi.problem_id = p.id AND pi.expert_id = ").push_bind(v.user_id()).push("))");
        }
        }
    }};
}

macro_rules! push_filters {
    ($b:expr, $q:expr, $v:expr) => {{
        let q: &ProblemQuery = $q;
        let v: &Viewer = $v;
        if q.mine.unwrap_or(false) {
            $b.push(" AND p.org_id = ").push_bind(v.org_id());
            if let Some(s) = q.status {
                $b.push(" AND p.status = ").push_bind(s.code());
            }
        } else {
            $b.push(" AND p.status = ").push_bind(q.status.unwrap_or(ProblemStatus::Open).code());
        }
        if q.invited.unwrap_or(false) {
            $b.push(" AND EXISTS (SELECT 1 FROM problem_invitations iv WHERE iv.problem_id = p.id AND iv.expert_id = ").push_bind(v.user_id()).push(")");
        }
        if let Some(f) = q.field {
            $b.push(" AND EXISTS (SELECT 1 FROM problem_fields pf WHERE pf.problem_id = p.id AND pf.field_id = ").push_bind(f.0).push(")");
        }
        if let Some(cx) = q.complex {
            $b.push(" AND c.complex_id = ").push_bind(cx.0);
        }
        if let Some(r) = q.region {
            $b.push(" AND x.region = ").push_bind(r.code());
        }
        if let Some(cs) = q.consortium {
            $b.push(" AND p.consortium_id = ").push_bind(cs.0);
        }
        super::figures::push_firm_filters!($b, "organisations fo WHERE fo.id = p.org_id", q.ksic.as_deref(), q.band);
        push_visible!($b, v);
    }};
}

/// The terms a query needs and how many of them a match must have.
pub(super) fn query_terms(q: &str, all: bool) -> Option<(Vec<Term>, i64)> {
    let mut terms: Vec<Term> = search::query(q).into_iter().flat_map(|(_, t)| t).collect();
    terms.sort_unstable();
    terms.dedup();
    if terms.is_empty() {
        return None;
    }
    let k = i64::try_from(terms.len()).unwrap_or(i64::MAX);
    // "Similar" wants most, not all, of a title's terms.
    let need = if all { k } else { (k / 4).max(2).min(k) };
    Some((terms, need))
}

/// One page of problems the viewer may see. With words, ranked by how well they
/// match (all words must occur, Korean-aware); else newest first.
pub async fn list(db: &Db, q: &ProblemQuery, v: &Viewer) -> Result<Page<ProblemSummary>, DbError> {
    let per_page = q.per_page.unwrap_or(20).clamp(1, 50);
    let page = q.page.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let terms = q.q.as_deref().and_then(|s| query_terms(s, true));
    let filtered = q.field.is_some()
        || q.complex.is_some()
        || q.region.is_some()
        || q.consortium.is_some()
        || q.ksic.is_some()
        || q.band.is_some()
        || q.mine.unwrap_or(false)
        || q.invited.unwrap_or(false);
    // The page's ids (and, for searches, the count) from the problems table alone;
    // names are joined for those rows only.
    let (ids, total): (Vec<(i64, i64)>, i64) = match (
        &terms,
        q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()),
    ) {
        (None, Some(_)) => (Vec::new(), 0),
        (Some((terms, _)), _) => {
            let rows: Vec<(i64, i64)> = with_db!(db, p => {
                // Every term must occur: one posting list, each further term a key
                // probe on (term, problem_id), instead of grouping all lists.
                let mut b = QueryBuilder::new("WITH hits AS (SELECT t0.problem_id, t0.weight");
                for i in 1..terms.len() {
                    b.push(format!(" + t{i}.weight"));
                }
                b.push(" AS score FROM problem_terms t0");
                for (i, t) in terms.iter().enumerate().skip(1) {
                    b.push(format!(" JOIN problem_terms t{i} ON t{i}.problem_id = t0.problem_id AND t{i}.term = ")).push_bind(*t);
                }
                b.push(" WHERE t0.term = ").push_bind(terms[0]);
                if !filtered {
                    // A broad word (열) matches a large share of all problems: rank the
                    // best COUNT_CAP by their terms, newest first among equals.
                    b.push(" ORDER BY score DESC, t0.problem_id DESC LIMIT ").push_bind(COUNT_CAP);
                }
                b.push(") SELECT p.id, COUNT(*) OVER () AS total FROM hits h JOIN problems p ON p.id = h.problem_id");
                b.push(" JOIN consortia c ON c.id = p.consortium_id JOIN complexes x ON x.id = c.complex_id WHERE 1 = 1");
                push_filters!(b, q, v);
                b.push(" ORDER BY h.score DESC, p.posted_at DESC, p.id DESC LIMIT ").push_bind(i64::from(per_page)).push(" OFFSET ").push_bind(offset);
                b.build_query_as().fetch_all(p).await?
            });
            let total = rows.first().map_or(0, |r| r.1.min(COUNT_CAP));
            (rows, total)
        }
        (None, None) => with_db!(db, p => {
            let mut b = QueryBuilder::new("SELECT p.id, CAST(0 AS BIGINT) FROM problems p JOIN consortia c ON c.id = p.consortium_id JOIN complexes x ON x.id = c.complex_id WHERE 1 = 1");
            push_filters!(b, q, v);
            b.push(" ORDER BY p.posted_at DESC, p.id DESC LIMIT ").push_bind(i64::from(per_page)).push(" OFFSET ").push_bind(offset);
            let rows: Vec<(i64, i64)> = b.build_query_as().fetch_all(p).await?;
            let mut b = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM problems p JOIN consortia c ON c.id = p.consortium_id JOIN complexes x ON x.id = c.complex_id WHERE 1 = 1");
            push_filters!(b, q, v);
            b.push(" LIMIT ").push_bind(COUNT_CAP).push(") counted");
            let (total,): (i64,) = b.build_query_as().fetch_one(p).await?;
            (rows, total)
        }),
    };
    let rows = by_ids(db, &ids.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    Ok(Page {
        items: summaries(db, rows).await?,
        total,
        page,
        per_page,
    })
}

/// Full rows for `ids`, in that order.
async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<ProblemRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<ProblemRow> = with_db!(db, p => {
        let mut b = QueryBuilder::new(SELECT);
        b.push(" WHERE p.id IN (");
        let mut s = b.separated(", ");
        for id in ids {
            s.push_bind(*id);
        }
        b.push(")");
        b.build_query_as().fetch_all(p).await?
    });
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// Published problems whose titles share most terms with `title`: shown while a
/// firm types, so duplicates are merged early.
pub async fn similar(
    db: &Db,
    title: &str,
    v: &Viewer,
    limit: i64,
) -> Result<Vec<ProblemSummary>, DbError> {
    let Some((terms, need)) = query_terms(title, false) else {
        return Ok(Vec::new());
    };
    let rows: Vec<ProblemRow> = with_db!(db, p => {
        let mut b = QueryBuilder::new("WITH hits AS (SELECT problem_id, SUM(weight) AS score FROM problem_terms WHERE weight = 3 AND term IN (");
        let mut s = b.separated(", ");
        for t in &terms {
            s.push_bind(*t);
        }
        b.push(") GROUP BY problem_id HAVING COUNT(*) >= ").push_bind(need).push(") ");
        b.push(SELECT.replacen(" FROM problems p ", " FROM problems p JOIN hits h ON h.problem_id = p.id ", 1));
        b.push(" WHERE p.status IN ('open', 'matched')");
        push_visible!(b, v);
        b.push(" ORDER BY h.score DESC, p.id DESC LIMIT ").push_bind(limit);
        b.build_query_as().fetch_all(p).await?
    });
    summaries(db, rows).await
}

/// The expert's invitation to a problem: `Some(nda accepted at)` when invited.
pub async fn invitation(
    db: &Db,
    id: ProblemId,
    expert: UserId,
) -> Result<Option<Option<DateTime<Utc>>>, DbError> {
    let row: Option<(Option<DateTime<Utc>>,)> = with_db!(db, p => sqlx::query_as(
        "SELECT nda_accepted_at FROM problem_invitations WHERE problem_id = $1 AND expert_id = $2")
        .bind(id.0).bind(expert.0).fetch_optional(p).await?);
    Ok(row.map(|(at,)| at))
}

/// Invites an expert; false when they were invited already.
pub async fn invite(
    db: &Db,
    row: &ProblemRow,
    expert: &PersonRef,
    by: UserId,
    message: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let id = ProblemId(row.id);
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO problem_invitations (problem_id, expert_id, invited_by, message, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (problem_id, expert_id) DO NOTHING")
        .bind(id.0).bind(expert.id.0).bind(by.0).bind(message.trim()).bind(now).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    add_event(
        &mut tx,
        id,
        EventKind::Invited,
        Some(by),
        None,
        Some(&expert.name),
        now,
    )
    .await?;
    let e = Event {
        kind: NotificationKind::ExpertInvited,
        consortium: Some(row.consortium()),
        org: Some(row.org()),
        problem: Some(id),
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(by),
        note: Some(message.trim().to_owned()).filter(|m| !m.is_empty()),
        at: now,
    };
    notifications::notify(&mut tx, To::User(expert.id), &e).await?;
    tx.commit().await?;
    Ok(true)
}

/// The invited expert accepts the non-disclosure statement (once).
pub async fn accept_nda(
    db: &Db,
    row: &ProblemRow,
    expert: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let id = ProblemId(row.id);
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE problem_invitations SET nda_accepted_at = $1 WHERE problem_id = $2 AND expert_id = $3 AND nda_accepted_at IS NULL")
        .bind(now).bind(id.0).bind(expert.0).execute(&mut *c).await?.rows_affected());
    if n > 0 {
        add_event(
            &mut tx,
            id,
            EventKind::NdaAccepted,
            Some(expert),
            None,
            None,
            now,
        )
        .await?;
        let e = Event {
            kind: NotificationKind::NdaAccepted,
            consortium: None,
            org: None,
            problem: Some(id),
            idea: None,
            activity: None,
            survey: None,
            application: None,
            actor: Some(expert),
            note: None,
            at: now,
        };
        notifications::notify(&mut tx, To::User(UserId(row.author_id)), &e).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    expert_id: i64,
    expert_name: String,
    expert_org: String,
    by_id: i64,
    by_name: String,
    by_org: String,
    message: String,
    created_at: DateTime<Utc>,
    nda_accepted_at: Option<DateTime<Utc>>,
}

/// Invitations of a problem, oldest first.
pub async fn invitations(db: &Db, id: ProblemId) -> Result<Vec<InvitationView>, DbError> {
    let rows: Vec<InvitationRow> = with_db!(db, p => sqlx::query_as(
        "SELECT i.expert_id, e.name AS expert_name, eo.name AS expert_org, i.invited_by AS by_id, b.name AS by_name, bo.name AS by_org,
                i.message, i.created_at, i.nda_accepted_at
         FROM problem_invitations i JOIN users e ON e.id = i.expert_id JOIN organisations eo ON eo.id = e.org_id
         JOIN users b ON b.id = i.invited_by JOIN organisations bo ON bo.id = b.org_id
         WHERE i.problem_id = $1 ORDER BY i.created_at, i.expert_id")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| InvitationView {
            expert: PersonRef {
                id: UserId(r.expert_id),
                name: r.expert_name,
                org_name: r.expert_org,
            },
            invited_by: PersonRef {
                id: UserId(r.by_id),
                name: r.by_name,
                org_name: r.by_org,
            },
            message: r.message,
            created_at: r.created_at,
            nda_accepted_at: r.nda_accepted_at,
        })
        .collect())
}

/// Logs that `reader` opened the details.
pub async fn record_view(
    db: &Db,
    id: ProblemId,
    reader: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("INSERT INTO problem_detail_views (problem_id, user_id, at) VALUES ($1, $2, $3)")
        .bind(id.0).bind(reader.0).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PersonAt {
    id: i64,
    name: String,
    org_name: String,
    at: DateTime<Utc>,
}

/// Who opened the details, newest first.
pub async fn views(db: &Db, id: ProblemId, limit: i64) -> Result<Vec<DetailView>, DbError> {
    let rows: Vec<PersonAt> = with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, o.name AS org_name, v.at FROM problem_detail_views v JOIN users u ON u.id = v.user_id
         JOIN organisations o ON o.id = u.org_id WHERE v.problem_id = $1 ORDER BY v.id DESC LIMIT $2")
        .bind(id.0).bind(limit).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| DetailView {
            reader: PersonRef {
                id: UserId(r.id),
                name: r.name,
                org_name: r.org_name,
            },
            at: r.at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    number: i64,
    title: String,
    summary: String,
    details: String,
    id: i64,
    name: String,
    org_name: String,
    created_at: DateTime<Utc>,
}

/// Kept revisions, newest first.
pub async fn revisions(db: &Db, id: ProblemId) -> Result<Vec<Revision>, DbError> {
    let rows: Vec<RevisionRow> = with_db!(db, p => sqlx::query_as(
        "SELECT r.number, r.title, r.summary, r.details, u.id, u.name, o.name AS org_name, r.created_at
         FROM problem_revisions r JOIN users u ON u.id = r.editor_id JOIN organisations o ON o.id = u.org_id
         WHERE r.problem_id = $1 ORDER BY r.number DESC")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| Revision {
            number: r.number,
            title: r.title,
            summary: r.summary,
            details: r.details,
            editor: PersonRef {
                id: UserId(r.id),
                name: r.name,
                org_name: r.org_name,
            },
            at: r.created_at,
        })
        .collect())
}

/// Number of kept revisions.
pub async fn revision_count(db: &Db, id: ProblemId) -> Result<i64, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM problem_revisions WHERE problem_id = $1").bind(id.0).fetch_one(p).await?);
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    actor_org: Option<String>,
    stage: Option<String>,
    note: Option<String>,
    at: DateTime<Utc>,
}

/// The history, oldest first.
pub async fn events(db: &Db, id: ProblemId) -> Result<Vec<ProblemEvent>, DbError> {
    let rows: Vec<EventRow> = with_db!(db, p => sqlx::query_as(
        "SELECT e.kind, e.actor_id, u.name AS actor_name, o.name AS actor_org, e.stage, e.note, e.at
         FROM problem_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN organisations o ON o.id = u.org_id
         WHERE e.problem_id = $1 ORDER BY e.id")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ProblemEvent {
                kind: EventKind::from_code(&r.kind)?,
                actor: match (r.actor_id, r.actor_name, r.actor_org) {
                    (Some(id), Some(name), Some(org_name)) => Some(PersonRef {
                        id: UserId(id),
                        name,
                        org_name,
                    }),
                    _ => None,
                },
                stage: r.stage.as_deref().and_then(Stage::from_code),
                note: r.note,
                at: r.at,
            })
        })
        .collect())
}

/// A CM's note on the problem.
pub async fn annotate(
    db: &Db,
    id: ProblemId,
    by: UserId,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    add_event(
        &mut tx,
        id,
        EventKind::Note,
        Some(by),
        None,
        Some(note.trim()),
        now,
    )
    .await?;
    tx.commit().await
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    parent_id: Option<i64>,
    author_id: i64,
    name: String,
    org_name: String,
    from_firm: bool,
    body: String,
    created_at: DateTime<Utc>,
}

/// Questions and answers, oldest first.
pub async fn messages(db: &Db, id: ProblemId) -> Result<Vec<MessageView>, DbError> {
    let rows: Vec<MessageRow> = with_db!(db, p => sqlx::query_as(
        "SELECT m.id, m.parent_id, m.author_id, u.name, o.name AS org_name, m.from_firm, m.body, m.created_at
         FROM problem_messages m JOIN users u ON u.id = m.author_id JOIN organisations o ON o.id = u.org_id
         WHERE m.problem_id = $1 ORDER BY m.id")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| MessageView {
            id: r.id,
            parent_id: r.parent_id,
            author: PersonRef {
                id: UserId(r.author_id),
                name: r.name,
                org_name: r.org_name,
            },
            from_firm: r.from_firm,
            body: r.body,
            created_at: r.created_at,
        })
        .collect())
}

/// The author of a question of this problem (top-level messages only).
pub async fn question_author(
    db: &Db,
    id: ProblemId,
    message: i64,
) -> Result<Option<UserId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT author_id FROM problem_messages WHERE id = $1 AND problem_id = $2 AND parent_id IS NULL")
        .bind(message).bind(id.0).fetch_optional(p).await?);
    Ok(row.map(|(a,)| UserId(a)))
}

/// Adds a question (told to the firm's author) or an answer (told to the asker).
pub async fn add_message(
    db: &Db,
    row: &ProblemRow,
    author: UserId,
    from_firm: bool,
    m: &NewMessage,
    notify: UserId,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let id = ProblemId(row.id);
    let mut tx = db.begin().await?;
    let (mid,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO problem_messages (problem_id, parent_id, author_id, from_firm, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(id.0).bind(m.parent_id).bind(author.0).bind(from_firm).bind(m.body.trim()).bind(now).fetch_one(&mut *c).await?);
    if m.parent_id.is_none() {
        add_event(
            &mut tx,
            id,
            EventKind::Question,
            Some(author),
            None,
            None,
            now,
        )
        .await?;
    }
    let kind = if m.parent_id.is_some() {
        NotificationKind::QuestionAnswered
    } else {
        NotificationKind::QuestionAsked
    };
    let e = Event {
        kind,
        consortium: None,
        org: None,
        problem: Some(id),
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(author),
        note: None,
        at: now,
    };
    notifications::notify(&mut tx, To::User(notify), &e).await?;
    tx.commit().await?;
    Ok(mid)
}

#[derive(sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub problem_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

impl AttachmentRow {
    pub fn view(&self) -> AttachmentView {
        AttachmentView {
            id: self.id,
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            size: self.size,
            created_at: self.created_at,
        }
    }
}

/// Attachments of a problem, oldest first.
pub async fn attachments(db: &Db, id: ProblemId) -> Result<Vec<AttachmentRow>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, problem_id, name, content_type, size, storage_key, created_at FROM problem_attachments WHERE problem_id = $1 ORDER BY id")
        .bind(id.0).fetch_all(p).await?))
}

/// One attachment of a problem.
pub async fn attachment(db: &Db, id: ProblemId, attachment: i64) -> Result<AttachmentRow, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, problem_id, name, content_type, size, storage_key, created_at FROM problem_attachments WHERE problem_id = $1 AND id = $2")
        .bind(id.0).bind(attachment).fetch_one(p).await?))
}

/// A file written to storage, to be recorded.
pub struct NewAttachment<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub key: &'a str,
    pub by: UserId,
}

/// Records a stored file; false when the problem already keeps the most allowed.
pub async fn add_attachment(
    db: &Db,
    id: ProblemId,
    a: &NewAttachment<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbError> {
    let max = i64::try_from(ATTACHMENTS_MAX).unwrap_or(10);
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "INSERT INTO problem_attachments (problem_id, name, content_type, size, storage_key, uploaded_by, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT COUNT(*) FROM problem_attachments WHERE problem_id = $1) < $8 RETURNING id")
        .bind(id.0).bind(a.name).bind(a.content_type).bind(a.size).bind(a.key).bind(a.by.0).bind(now).bind(max).fetch_optional(p).await?);
    Ok(row.map(|(a,)| a))
}

/// Forgets an attachment; returns its storage key.
pub async fn delete_attachment(
    db: &Db,
    id: ProblemId,
    attachment: i64,
) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as(
        "DELETE FROM problem_attachments WHERE problem_id = $1 AND id = $2 RETURNING storage_key")
        .bind(id.0).bind(attachment).fetch_optional(p).await?);
    Ok(row.map(|(k,)| k))
}

/// Fields a person follows.
pub async fn follows(db: &Db, user: UserId) -> Result<Vec<FieldId>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT field_id FROM field_follows WHERE user_id = $1 ORDER BY field_id")
        .bind(user.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(f,)| FieldId(f)).collect())
}

/// Replaces the fields a person follows.
pub async fn set_follows(
    db: &Db,
    user: UserId,
    fields: &[FieldId],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM field_follows WHERE user_id = $1").bind(user.0).execute(&mut *c).await?;
        for f in fields {
            sqlx::query("INSERT INTO field_follows (user_id, field_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(user.0).bind(f.0).bind(now).execute(&mut *c).await?;
        }
    });
    tx.commit().await
}

/// The consortium's published problems with their newest CM note, for the board.
pub async fn board(db: &Db, consortium: ConsortiumId) -> Result<Vec<BoardCard>, DbError> {
    let sql = format!(
        "{SELECT} WHERE p.consortium_id = $1 AND p.status IN ('open', 'matched') ORDER BY p.posted_at DESC, p.id DESC LIMIT 500"
    );
    let rows: Vec<ProblemRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(consortium.0).fetch_all(p).await?);
    let notes: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT e.problem_id, e.note FROM problem_events e JOIN problems p ON p.id = e.problem_id
         WHERE p.consortium_id = $1 AND e.kind = 'note' AND e.note IS NOT NULL ORDER BY e.id")
        .bind(consortium.0).fetch_all(p).await?);
    let last: HashMap<i64, String> = notes.into_iter().collect();
    let summaries = summaries(db, rows).await?;
    Ok(summaries
        .into_iter()
        .map(|s| {
            let column = match (s.status, s.stage) {
                (ProblemStatus::Matched, Some(stage)) => BoardColumn::Stage(stage),
                _ if s.proposal_count > 0 => BoardColumn::Proposed,
                _ => BoardColumn::Open,
            };
            BoardCard {
                last_note: last.get(&s.id.0).cloned(),
                column,
                problem: s,
            }
        })
        .collect())
}
