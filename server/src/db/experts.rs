//! Expert matching: a term index of expert profiles, candidates by weighted term
//! overlap (rarer terms count more), then reasons people can read.

use super::{Db, Tx, problems::insert_terms, with_db, with_tx};
use crate::error::DbError;
use moim_core::{
    OrgId, UserId,
    account::{ExpertProfile, PersonRef},
    problem::{ExpertMatch, MatchReason, ReasonKind},
    search::{self, Term},
};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, BTreeSet};

/// Weighted terms of a profile: fields 4, keywords 3, equipment 2, bio 1.
pub fn profile_terms(p: &ExpertProfile) -> BTreeMap<Term, i64> {
    let mut out = BTreeMap::new();
    let mut add = |text: &str, w: i64| {
        for t in search::index_terms(text) {
            let e = out.entry(t).or_insert(w);
            *e = (*e).max(w);
        }
    };
    add(&p.bio, 1);
    add(&p.equipment, 2);
    add(&p.keywords.join(" "), 3);
    add(&p.fields.join(" "), 4);
    out
}

/// Replaces a person's matching terms (inside the profile's transaction).
pub async fn reindex(tx: &mut Tx, user: UserId, p: &ExpertProfile) -> Result<(), DbError> {
    with_tx!(tx, c => {
        sqlx::query("UPDATE expert_term_stats SET n = n - 1 WHERE term IN (SELECT term FROM expert_terms WHERE user_id = $1)")
            .bind(user.0).execute(&mut *c).await?;
        sqlx::query("DELETE FROM expert_terms WHERE user_id = $1").bind(user.0).execute(&mut *c).await?.rows_affected()
    });
    insert_terms(tx, "expert_terms", "user_id", user.0, &profile_terms(p)).await?;
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO expert_term_stats (term, n) SELECT term, 1 FROM expert_terms WHERE user_id = $1
         ON CONFLICT (term) DO UPDATE SET n = expert_term_stats.n + 1")
        .bind(user.0).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Most query terms a ranking reads: the rarest carry the signal, and each one costs
/// a posting-list scan.
const MATCH_TERMS: usize = 16;

/// What a problem asks for, as matching reads it.
pub struct Wanted<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub keywords: &'a [String],
    pub field_names: &'a [String],
    /// The firm's own people are never suggested.
    pub exclude_org: Option<OrgId>,
    pub field_ids: &'a [i64],
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    name: String,
    org_name: String,
    org_id: i64,
    department: Option<String>,
    fields: String,
    keywords: String,
    equipment: String,
    bio: String,
    collaborations: i64,
}

/// Items of a free-text equipment list ("3D 금속 프린터, 열화상 카메라").
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n', ';', '·', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Experts ranked for a problem, best first, with reasons.
pub async fn rank(db: &Db, w: &Wanted<'_>, limit: usize) -> Result<Vec<ExpertMatch>, DbError> {
    // Query terms: title 2, keywords and fields 3, summary 1.
    let mut want: BTreeMap<Term, i64> = BTreeMap::new();
    let mut add = |text: &str, weight: i64| {
        for (_, terms) in search::query(text) {
            for t in terms {
                let e = want.entry(t).or_insert(weight);
                *e = (*e).max(weight);
            }
        }
    };
    for k in w.keywords.iter().chain(w.field_names) {
        add(k, 3);
    }
    add(w.title, 2);
    add(w.summary, 1);
    if want.is_empty() {
        return Ok(Vec::new());
    }
    let terms: Vec<Term> = want.keys().copied().collect();
    // Document frequencies: a term every expert has tells nothing.
    let (experts,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM expert_profiles").fetch_one(p).await?);
    let df: Vec<(i64, i64)> = with_db!(db, p => {
        let mut b = QueryBuilder::new("SELECT term, n FROM expert_term_stats WHERE n > 0 AND term IN (");
        let mut s = b.separated(", ");
        for t in &terms {
            s.push_bind(*t);
        }
        b.push(")");
        b.build_query_as().fetch_all(p).await?
    });
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let mut weighted: Vec<(Term, i64)> = df
        .into_iter()
        .filter(|(_, n)| *n * 3 <= experts.max(1) * 2 || experts < 20)
        .map(|(t, n)| {
            let idf = ((experts as f64 + 1.0) / (n as f64 + 0.5)).ln().max(0.1);
            (
                t,
                (idf * 100.0 * want.get(&t).copied().unwrap_or(1) as f64) as i64,
            )
        })
        .collect();
    if weighted.is_empty() {
        return Ok(Vec::new());
    }
    weighted.sort_by_key(|w| std::cmp::Reverse(w.1));
    weighted.truncate(MATCH_TERMS);
    let top: Vec<(i64, i64)> = with_db!(db, p => {
        let mut b = QueryBuilder::new("WITH q (term, w) AS (");
        for (i, (t, wt)) in weighted.iter().enumerate() {
            b.push(if i == 0 { "SELECT " } else { " UNION ALL SELECT " });
            b.push("CAST(").push_bind(*t).push(" AS BIGINT), CAST(").push_bind(*wt).push(" AS BIGINT)");
        }
        // Score every profile from the posting lists alone, then look people up for
        // the best few only.
        b.push("), scored AS (SELECT e.user_id, CAST(SUM(e.weight * q.w) AS BIGINT) AS s FROM expert_terms e JOIN q ON q.term = e.term");
        b.push(" GROUP BY e.user_id ORDER BY s DESC, e.user_id LIMIT ").push_bind(i64::try_from(limit * 6).unwrap_or(120));
        b.push(") SELECT sc.user_id, sc.s FROM scored sc JOIN users u ON u.id = sc.user_id WHERE u.is_expert AND u.affiliation = 'confirmed' AND u.org_id <> ").push_bind(w.exclude_org.map_or(-1, |o| o.0));
        b.push(" ORDER BY sc.s DESC, sc.user_id LIMIT ").push_bind(i64::try_from(limit * 3).unwrap_or(60));
        b.build_query_as().fetch_all(p).await?
    });
    if top.is_empty() {
        return Ok(Vec::new());
    }
    let candidates: Vec<Candidate> = with_db!(db, p => {
        let mut b = QueryBuilder::new(
            "SELECT u.id, u.name, o.name AS org_name, u.org_id, u.department, ep.fields, ep.keywords, ep.equipment, ep.bio,
                (SELECT COUNT(*) FROM collaborations cb JOIN problem_fields pf ON pf.problem_id = cb.problem_id
                  WHERE cb.expert_id = u.id AND cb.stage <> 'dropped' AND pf.field_id IN (");
        let mut s = b.separated(", ");
        s.push_bind(-1_i64);
        for f in w.field_ids {
            s.push_bind(*f);
        }
        b.push(")) AS collaborations FROM users u JOIN organisations o ON o.id = u.org_id JOIN expert_profiles ep ON ep.user_id = u.id WHERE u.id IN (");
        let mut s = b.separated(", ");
        for (id, _) in &top {
            s.push_bind(*id);
        }
        b.push(")");
        b.build_query_as().fetch_all(p).await?
    });
    let problem_text = format!(
        "{} {} {} {}",
        w.title,
        w.keywords.join(" "),
        w.field_names.join(" "),
        w.summary
    );
    let problem_terms = search::index_terms(&problem_text);
    let best = top.first().map_or(1, |(_, s)| (*s).max(1));
    let mut out: Vec<ExpertMatch> = candidates
        .into_iter()
        .filter(|c| Some(OrgId(c.org_id)) != w.exclude_org)
        .map(|c| {
            let score = top
                .iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, s)| *s);
            let fields: Vec<String> = serde_json::from_str(&c.fields).unwrap_or_default();
            let keywords: Vec<String> = serde_json::from_str(&c.keywords).unwrap_or_default();
            let reasons = reasons(
                &fields,
                &keywords,
                &c.equipment,
                &c.bio,
                c.collaborations,
                w,
                &problem_terms,
            );
            #[allow(clippy::cast_precision_loss)]
            let relative = (score as f64 / best as f64) + 0.05 * c.collaborations.min(4) as f64;
            ExpertMatch {
                expert: PersonRef {
                    id: UserId(c.id),
                    name: c.name,
                    org_name: c.org_name,
                },
                department: c.department,
                fields,
                keywords,
                score: (relative * 1000.0).round() / 1000.0,
                reasons,
                invited: false,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.expert.id.cmp(&b.expert.id))
    });
    out.truncate(limit);
    Ok(out)
}

/// Readable reasons: the expert's own words that matched.
fn reasons(
    fields: &[String],
    keywords: &[String],
    equipment: &str,
    bio: &str,
    collaborations: i64,
    w: &Wanted<'_>,
    problem_terms: &BTreeSet<Term>,
) -> Vec<MatchReason> {
    let mut out = Vec::new();
    let wanted: Vec<&String> = w.keywords.iter().chain(w.field_names).collect();
    // An expert phrase matches when most of its terms are in the problem, or when a
    // problem keyword is mostly inside it.
    let matches = |phrase: &str| {
        let own = search::index_terms(phrase);
        search::coverage(phrase, problem_terms) >= 0.6
            || wanted.iter().any(|k| search::coverage(k, &own) >= 0.6)
    };
    for f in fields.iter().filter(|f| matches(f)).take(2) {
        out.push(MatchReason {
            kind: ReasonKind::Field,
            text: f.clone(),
        });
    }
    for k in keywords.iter().filter(|k| matches(k)).take(3) {
        out.push(MatchReason {
            kind: ReasonKind::Keyword,
            text: k.clone(),
        });
    }
    for item in items(equipment)
        .filter(|i| {
            search::coverage(i, problem_terms) >= 0.5
                || wanted
                    .iter()
                    .any(|k| search::coverage(k, &search::index_terms(i)) >= 0.6)
        })
        .take(2)
    {
        out.push(MatchReason {
            kind: ReasonKind::Equipment,
            text: item.to_owned(),
        });
    }
    if out.is_empty() {
        let bio_terms = search::index_terms(bio);
        if let Some(k) = wanted
            .iter()
            .find(|k| search::coverage(k, &bio_terms) >= 0.6)
        {
            out.push(MatchReason {
                kind: ReasonKind::Bio,
                text: (*k).clone(),
            });
        }
    }
    if collaborations > 0 {
        out.push(MatchReason {
            kind: ReasonKind::Collaborations,
            text: collaborations.to_string(),
        });
    }
    out
}

/// True when the person keeps an expert profile and is confirmed by their organisation.
pub async fn is_expert(db: &Db, user: UserId) -> Result<Option<PersonRef>, DbError> {
    let row: Option<(i64, String, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.name, o.name FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.id = $1 AND u.is_expert AND u.affiliation = 'confirmed'")
        .bind(user.0).fetch_optional(p).await?);
    Ok(row.map(|(id, name, org_name)| PersonRef {
        id: UserId(id),
        name,
        org_name,
    }))
}
