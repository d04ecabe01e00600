//! The cockpit's queries. The same SQL runs on both backends; sums are cast to
//! BIGINT (PostgreSQL would answer NUMERIC), timestamps are compared as bound
//! values, and a row's month is found by comparing it with bound month bounds, so
//! both databases count exactly the same rows.

use super::{Db, with_db};
use crate::error::DbError;
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use moim_core::{
    KST,
    kpi::{Count, KpiReport, Month, median},
};

/// Which consortia count: `None` is the whole programme.
pub type Scope = Option<Vec<i64>>;

/// Midnight, Korea time, at the start of `d`.
pub fn kst_midnight(d: NaiveDate) -> DateTime<Utc> {
    KST.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

pub(super) fn within(scope: &Scope, column: &str) -> String {
    match scope {
        None => String::new(),
        Some(ids) if ids.is_empty() => " AND 1 = 0".into(),
        Some(ids) => format!(" AND {column} IN ({})", super::id_list(ids.iter().copied())),
    }
}

pub(super) fn activity_within(scope: &Scope) -> String {
    match scope {
        None => String::new(),
        // Driven from the consortia's activities (an index range each), not by
        // probing every activity of the period for each consortium.
        Some(_) => format!(
            " AND a.id IN (SELECT ac.activity_id FROM activity_consortia ac WHERE 1 = 1{})",
            within(scope, "ac.consortium_id")
        ),
    }
}

/// The consortia of a complex, of a region, or that a person manages.
pub async fn consortia_where(
    db: &Db,
    complex: Option<i64>,
    region: Option<&str>,
    manager: Option<i64>,
) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.id FROM consortia c JOIN complexes x ON x.id = c.complex_id
         WHERE ($1 IS NULL OR c.complex_id = $1) AND ($2 IS NULL OR x.region = $2)
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM consortium_managers m WHERE m.consortium_id = c.id AND m.user_id = $3))
         ORDER BY c.id",
    ).bind(complex).bind(region).bind(manager).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

async fn counts(
    db: &Db,
    sql: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Count>, DbError> {
    let rows: Vec<(Option<String>, i64)> =
        with_db!(db, p => sqlx::query_as(sql).bind(from).bind(to).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(key, count)| Count {
            key: key.unwrap_or_else(|| "none".into()),
            count,
        })
        .collect())
}

/// The report for `[from, to]` (Korea-time days) over `scope`, as of `now`.
pub async fn report(
    db: &Db,
    scope: &Scope,
    label: String,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<KpiReport, DbError> {
    let (start, end) = (kst_midnight(from), kst_midnight(to + chrono::Days::new(1)));
    let consortia = match scope {
        Some(ids) => ids.len() as i64,
        None => {
            let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM consortia").fetch_one(p).await?);
            n
        }
    };
    let members = within(scope, "m.consortium_id");
    let members_by_kind = counts(
        db,
        &format!(
            "SELECT o.kind, COUNT(DISTINCT o.id) FROM memberships m JOIN organisations o ON o.id = m.org_id
             WHERE m.joined_at < $2 AND $1 <= $2{members} GROUP BY o.kind ORDER BY o.kind"
        ),
        start,
        end,
    )
    .await?;
    let (member_firms, firms_collaborating): (i64, i64) = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM collaborations cb WHERE cb.org_id = f.id
                    AND cb.created_at >= $1 AND cb.created_at < $2) THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM (SELECT DISTINCT o.id FROM memberships m JOIN organisations o ON o.id = m.org_id
               WHERE o.kind = 'firm' AND m.joined_at < $2{members}) f"
    )).bind(start).bind(end).fetch_one(p).await?);
    let collab = within(scope, "cb.consortium_id");
    let collaborations_by_stage = counts(
        db,
        &format!("SELECT cb.stage, COUNT(*) FROM collaborations cb WHERE cb.created_at >= $1 AND cb.created_at < $2{collab} GROUP BY cb.stage ORDER BY cb.stage"),
        start,
        end,
    )
    .await?;
    let collaborations_by_instrument = counts(
        db,
        &format!("SELECT cb.instrument, COUNT(*) FROM collaborations cb WHERE cb.created_at >= $1 AND cb.created_at < $2{collab} GROUP BY cb.instrument ORDER BY cb.instrument"),
        start,
        end,
    )
    .await?;
    let problems = within(scope, "p.consortium_id");
    let (problems_posted, problems_matched, problems_resolved): (i64, i64, i64) = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT COUNT(*), COUNT(cb.id),
                CAST(COALESCE(SUM(CASE WHEN cb.stage IN ('completed', 'commercialised') THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM problems p LEFT JOIN collaborations cb ON cb.problem_id = p.id
         WHERE p.status <> 'draft' AND p.posted_at >= $1 AND p.posted_at < $2{problems}"
    )).bind(start).bind(end).fetch_one(p).await?);
    let firsts: Vec<(DateTime<Utc>, DateTime<Utc>)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT p.posted_at, MIN(pr.created_at) FROM problems p JOIN proposals pr ON pr.problem_id = p.id
         WHERE p.status <> 'draft' AND p.posted_at >= $1 AND p.posted_at < $2{problems} GROUP BY p.id, p.posted_at"
    )).bind(start).bind(end).fetch_all(p).await?);
    #[allow(clippy::cast_precision_loss)]
    let days: Vec<f64> = firsts
        .iter()
        .map(|(posted, first)| ((*first - *posted).num_seconds().max(0) as f64) / 86_400.0)
        .collect();
    let acts = activity_within(scope);
    let (activities_held, registrations, attended): (i64, i64, i64) = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(a.registered), 0) AS BIGINT), CAST(COALESCE(SUM(a.attended), 0) AS BIGINT)
         FROM activities a WHERE a.cancelled_at IS NULL AND a.starts_at >= $1 AND a.starts_at < $2 AND a.starts_at <= $3{acts}"
    )).bind(start).bind(end).bind(now).fetch_one(p).await?);
    let ideas = within(scope, "i.consortium_id");
    let (ideas_posted, ideas_adopted): (i64, i64) = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN i.stage IN ('adopted', 'problem') THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM ideas i WHERE i.state <> 'deleted' AND i.created_at >= $1 AND i.created_at < $2{ideas}"
    )).bind(start).bind(end).fetch_one(p).await?);
    let months = months(db, scope, from, to, now).await?;
    let matchmaking = super::matchmaking::figures(db, scope, start, end, now).await?;
    Ok(KpiReport {
        scope: label,
        consortia,
        from,
        to,
        members_by_kind,
        member_firms,
        firms_collaborating,
        collaborations_by_stage,
        collaborations_by_instrument,
        problems_posted,
        problems_matched,
        problems_resolved,
        median_days_to_proposal: median(days),
        activities_held,
        registrations,
        attended,
        ideas_posted,
        ideas_adopted,
        months,
        matchmaking,
        // The money is counted over projects, not consortia: the caller
        // adds it (`db::grants::figures`).
        money: Default::default(),
    })
}

/// The calendar months that `[from, to]` touches, as Korea-time ranges clipped to it.
fn month_ranges(from: NaiveDate, to: NaiveDate) -> Vec<(String, DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut first = from.with_day(1).unwrap_or(from);
    while first <= to {
        let next = first + Months::new(1);
        let s = kst_midnight(first.max(from));
        let e = kst_midnight(next.min(to + chrono::Days::new(1)));
        out.push((first.format("%Y-%m").to_string(), s, e));
        first = next;
    }
    out
}

/// One or two series by month, in one range scan: `sql` selects `{bucket}` (the
/// month of `column`, a CASE over the months' bounds) and a value from rows with
/// `column` in the period (`$2`..`$3`; `$1` is now). Each row's month is found by
/// comparisons, so both databases walk the period's index range once.
async fn series(
    db: &Db,
    ranges: &[(String, DateTime<Utc>, DateTime<Utc>)],
    column: &str,
    sql: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>, DbError> {
    let n = ranges.len();
    // One month is bucket 0 (a CASE with only an ELSE is no SQL).
    let mut bucket = String::from("0");
    if n > 1 {
        bucket = String::from("CASE");
        for i in 0..n - 1 {
            bucket.push_str(&format!(" WHEN {column} < ${} THEN {i}", i + 4));
        }
        bucket.push_str(&format!(" ELSE {} END", n - 1));
    }
    let sql = format!(
        "SELECT CAST(b.i AS BIGINT), COUNT(*), CAST(COALESCE(SUM(b.v), 0) AS BIGINT) FROM ({}) b GROUP BY b.i",
        sql.replace("{bucket}", &bucket)
    );
    let (Some(first), Some(last)) = (ranges.first(), ranges.last()) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(i64, i64, i64)> = with_db!(db, p => {
        let mut q = sqlx::query_as(&sql).bind(now).bind(first.1).bind(last.2);
        for (_, _, e) in ranges.iter().take(n - 1) {
            q = q.bind(*e);
        }
        q.fetch_all(p).await?
    });
    let mut out = vec![(0, 0); n];
    for (i, count, sum) in rows {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            *slot = (count, sum);
        }
    }
    Ok(out)
}

async fn months(
    db: &Db,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Month>, DbError> {
    let ranges = month_ranges(from, to);
    let acts = activity_within(scope);
    let activities = series(db, &ranges, "a.starts_at", &format!(
        "SELECT {{bucket}} AS i, a.attended AS v FROM activities a
         WHERE a.starts_at >= $2 AND a.starts_at < $3 AND a.starts_at <= $1 AND a.cancelled_at IS NULL{acts}"), now).await?;
    let problems = series(
        db,
        &ranges,
        "p.posted_at",
        &format!(
            "SELECT {{bucket}} AS i, 0 AS v FROM problems p
         WHERE p.posted_at >= $2 AND p.posted_at < $3 AND p.status <> 'draft' AND $1 IS NOT NULL{}",
            within(scope, "p.consortium_id")
        ),
        now,
    )
    .await?;
    let collaborations = series(
        db,
        &ranges,
        "cb.created_at",
        &format!(
            "SELECT {{bucket}} AS i, 0 AS v FROM collaborations cb
         WHERE cb.created_at >= $2 AND cb.created_at < $3 AND $1 IS NOT NULL{}",
            within(scope, "cb.consortium_id")
        ),
        now,
    )
    .await?;
    let ideas = series(db, &ranges, "i.created_at", &format!(
        "SELECT {{bucket}} AS i, 0 AS v FROM ideas i
         WHERE i.created_at >= $2 AND i.created_at < $3 AND i.state <> 'deleted' AND $1 IS NOT NULL{}", within(scope, "i.consortium_id")), now).await?;
    Ok(ranges
        .into_iter()
        .enumerate()
        .map(|(i, (month, _, _))| Month {
            month,
            activities: activities[i].0,
            attended: activities[i].1,
            problems: problems[i].0,
            collaborations: collaborations[i].0,
            ideas: ideas[i].0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_clipped_to_the_period() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let r = month_ranges(d("2026-01-15"), d("2026-03-10"));
        let names: Vec<&str> = r.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(names, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(r[0].1, kst_midnight(d("2026-01-15")));
        assert_eq!(r[2].2, kst_midnight(d("2026-03-11")));
    }
}
