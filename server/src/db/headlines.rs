//! The headline numbers: one row per member firm from SQL with both years'
//! figures (the same statement on both backends), summed up here, so that
//! means, medians and the split by size band and consortium are computed
//! once, the same way.
//! And the industry averages an admin uploads.

use super::{Db, kpi::Scope, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ConsortiumId, OrgId,
    figures::SizeBand,
    headline::{
        FIRMS_PER_PAGE, FirmPart, Growth, HeadlineFigure, HeadlineFirm, HeadlineRow, Headlines,
        IndustryAverage, Stat, YearStats,
    },
    kpi::{median, percent},
};
use std::collections::{BTreeMap, HashMap};

/// One member firm in one year.
#[derive(Debug, Default)]
pub struct FirmYear {
    pub org_id: i64,
    pub headcount: Option<i64>,
    pub employees: Option<i64>,
    pub rnd_spending: Option<i64>,
    pub coop_projects: Option<i64>,
    /// Collaborations begun in Moim that year.
    pub collaborations: i64,
    /// 1 when certified innovative at the year's end.
    pub innovative: i64,
    pub sales: Option<i64>,
    pub exports: Option<i64>,
    pub sales_before: Option<i64>,
    pub exports_before: Option<i64>,
    pub employees_before: Option<i64>,
    pub sales_industry: Option<f64>,
    pub exports_industry: Option<f64>,
    pub employees_industry: Option<f64>,
}

impl FirmYear {
    /// Its band by that year's employees, or the registered headcount.
    fn band(&self) -> Option<SizeBand> {
        self.employees.or(self.headcount).map(SizeBand::of)
    }
}

/// A member firm with its figures of the two years and the years before,
/// once for each consortium of the scope it belongs to.
#[derive(sqlx::FromRow)]
struct FirmRow {
    consortium_id: i64,
    org_id: i64,
    headcount: Option<i64>,
    ksic: Option<String>,
    b_sales: Option<i64>,
    b_exports: Option<i64>,
    b_rnd: Option<i64>,
    b_employees: Option<i64>,
    b_coop: Option<i64>,
    bp_sales: Option<i64>,
    bp_exports: Option<i64>,
    bp_employees: Option<i64>,
    c_sales: Option<i64>,
    c_exports: Option<i64>,
    c_rnd: Option<i64>,
    c_employees: Option<i64>,
    c_coop: Option<i64>,
    cp_sales: Option<i64>,
    cp_exports: Option<i64>,
    cp_employees: Option<i64>,
}

/// A certification that makes a firm innovative while it is valid.
#[derive(sqlx::FromRow)]
struct Innovative {
    org_id: i64,
    certified_on: NaiveDate,
    expires_on: Option<NaiveDate>,
}

/// An industry's average growths in a year.
type Average = (Option<f64>, Option<f64>, Option<f64>);
/// The same as read: KSIC division, year, growths.
type AverageRow = (String, i32, Option<f64>, Option<f64>, Option<f64>);

/// The member firms of a scope in the two years (the same firms in the same
/// order), and which of them each consortium has, by their place in the lists.
struct Members {
    years: [Vec<FirmYear>; 2],
    consortia: BTreeMap<i64, Vec<usize>>,
}

/// The member firms of `scope` (members before `cohort`), with their
/// figures of each of `years` and the year before it, and their consortia.
/// Set-based reads joined here: the memberships with their firms and
/// figures, then the years' collaborations, the innovative certifications
/// and the industry averages each in one pass (rather than probing each of
/// them once per firm: 20,000 firms made those probes most of the view's
/// time).
async fn members(
    db: &Db,
    scope: &Scope,
    ksic: Option<&str>,
    years: [i32; 2],
    cohort: DateTime<Utc>,
) -> Result<Members, DbError> {
    let [baseline, current] = years;
    // The whole programme: every member; a part of it: its consortia's.
    let within = super::kpi::within(scope, "m.consortium_id");
    let members = format!("SELECT m.org_id FROM memberships m WHERE m.joined_at < $1{within}");
    // One pass over the memberships and their firms for both years (two
    // statements, one a year, took twice as long on SQLite: each walks the
    // firms again; and the consortia's members read apart cost a third of
    // the view: 20,000 more rows).
    let figures = |alias: &str, n: u32| {
        format!(" LEFT JOIN firm_figures {alias} ON {alias}.org_id = o.id AND {alias}.year = ${n}")
    };
    let firms_sql = format!(
        "SELECT m.consortium_id, o.id AS org_id, o.headcount, o.ksic,
                b.sales AS b_sales, b.exports AS b_exports, b.rnd_spending AS b_rnd,
                b.employees AS b_employees, b.coop_projects AS b_coop,
                bp.sales AS bp_sales, bp.exports AS bp_exports, bp.employees AS bp_employees,
                c.sales AS c_sales, c.exports AS c_exports, c.rnd_spending AS c_rnd,
                c.employees AS c_employees, c.coop_projects AS c_coop,
                cp.sales AS cp_sales, cp.exports AS cp_exports, cp.employees AS cp_employees
         FROM memberships m JOIN organisations o ON o.id = m.org_id{}{}{}{}
         WHERE m.joined_at < $1{within} AND o.kind = 'firm' AND ($6 IS NULL OR o.ksic = $6)
         ORDER BY o.id",
        figures("b", 2),
        figures("bp", 3),
        figures("c", 4),
        figures("cp", 5),
    );
    let ((b_start, b_end), (c_start, c_end)) = (year_bounds(baseline), year_bounds(current));
    let collaborations_sql = format!(
        "SELECT cb.org_id, cb.created_at FROM collaborations cb
         WHERE ((cb.created_at >= $2 AND cb.created_at < $3) OR (cb.created_at >= $4 AND cb.created_at < $5))
           AND cb.org_id IN ({members})"
    );
    let certifications_sql = format!(
        "SELECT c.org_id, c.certified_on, c.expires_on FROM firm_certifications c
         WHERE c.kind IN ('innobiz', 'venture', 'mainbiz') AND c.certified_on <= $2
           AND c.org_id IN ({members})"
    );
    let last_day = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default();
    // The firms on one connection; the three small reads one after another
    // on a second (a view holds no more than that, and the consortia's names
    // after).
    let (rows, (collaborations, certifications, averages)) = tokio::try_join!(
        async {
            let rows: Vec<FirmRow> = with_db!(db, p => sqlx::query_as(&firms_sql).bind(cohort)
                .bind(baseline).bind(baseline - 1).bind(current).bind(current - 1).bind(ksic)
                .fetch_all(p).await?);
            Ok::<_, DbError>(rows)
        },
        async {
            let collaborations: Vec<(i64, DateTime<Utc>)> = with_db!(db, p => sqlx::query_as(&collaborations_sql)
                .bind(cohort).bind(b_start).bind(b_end).bind(c_start).bind(c_end).fetch_all(p).await?);
            let certifications: Vec<Innovative> = with_db!(db, p => sqlx::query_as(&certifications_sql)
                .bind(cohort).bind(last_day(current)).fetch_all(p).await?);
            let averages: Vec<AverageRow> = with_db!(db, p => sqlx::query_as(
                "SELECT ksic, year, sales_growth, exports_growth, employees_growth FROM industry_averages
                 WHERE year = $1 OR year = $2")
                .bind(baseline).bind(current).fetch_all(p).await?);
            Ok((collaborations, certifications, averages))
        },
    )?;
    let mut by_year: HashMap<i32, HashMap<String, Average>> = HashMap::new();
    for (k, y, s, x, e) in averages {
        by_year.entry(y).or_default().insert(k, (s, x, e));
    }
    // Collaborations begun in each year, by firm.
    let mut begun: HashMap<(i64, i32), i64> = HashMap::new();
    for (org, at) in collaborations {
        let year = if at < b_end { baseline } else { current };
        *begun.entry((org, year)).or_default() += 1;
    }
    // Certifications are few next to firms: looked up by firm.
    let mut by_firm: HashMap<i64, Vec<&Innovative>> = HashMap::new();
    for c in &certifications {
        by_firm.entry(c.org_id).or_default().push(c);
    }
    let innovative = |org: i64, year: i32| -> i64 {
        let day = last_day(year);
        i64::from(by_firm.get(&org).is_some_and(|cs| {
            cs.iter()
                .any(|c| c.certified_on <= day && c.expires_on.is_none_or(|e| e >= day))
        }))
    };
    let year_of = |r: &FirmRow, year: i32, now: [Option<i64>; 5], before: [Option<i64>; 3]| {
        let average = r
            .ksic
            .as_deref()
            .and_then(|k| by_year.get(&year)?.get(k))
            .copied()
            .unwrap_or_default();
        FirmYear {
            org_id: r.org_id,
            headcount: r.headcount,
            sales: now[0],
            exports: now[1],
            rnd_spending: now[2],
            employees: now[3],
            coop_projects: now[4],
            sales_before: before[0],
            exports_before: before[1],
            employees_before: before[2],
            collaborations: begun.get(&(r.org_id, year)).copied().unwrap_or(0),
            innovative: innovative(r.org_id, year),
            sales_industry: average.0,
            exports_industry: average.1,
            employees_industry: average.2,
        }
    };
    // A firm in several consortia comes once for each (its rows follow one
    // another): kept once, and placed in each consortium.
    let mut years: [Vec<FirmYear>; 2] = [Vec::new(), Vec::new()];
    let mut consortia: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for r in &rows {
        if years[1].last().is_none_or(|f| f.org_id != r.org_id) {
            years[0].push(year_of(
                r,
                baseline,
                [r.b_sales, r.b_exports, r.b_rnd, r.b_employees, r.b_coop],
                [r.bp_sales, r.bp_exports, r.bp_employees],
            ));
            years[1].push(year_of(
                r,
                current,
                [r.c_sales, r.c_exports, r.c_rnd, r.c_employees, r.c_coop],
                [r.cp_sales, r.cp_exports, r.cp_employees],
            ));
        }
        consortia
            .entry(r.consortium_id)
            .or_default()
            .push(years[1].len() - 1);
    }
    Ok(Members { years, consortia })
}

/// The first instant of `year` and of the next, in Korea.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    (
        super::kpi::kst_midnight(first(year)),
        super::kpi::kst_midnight(first(year + 1)),
    )
}

fn round(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

/// Whether a firm's growth counts: a value this year and one above zero the
/// year before (the growth figures and the lists of their firms both ask).
fn grows(now: Option<i64>, before: Option<i64>) -> bool {
    now.is_some() && before.is_some_and(|b| b > 0)
}

#[allow(clippy::cast_precision_loss)]
fn growth(
    firms: &[&FirmYear],
    now: fn(&FirmYear) -> Option<i64>,
    before: fn(&FirmYear) -> Option<i64>,
    industry: fn(&FirmYear) -> Option<f64>,
) -> Growth {
    let both: Vec<&&FirmYear> = firms.iter().filter(|f| grows(now(f), before(f))).collect();
    let (sum_now, sum_before) = both.iter().fold((0i64, 0i64), |(n, b), f| {
        (
            n.saturating_add(now(f).unwrap_or(0)),
            b.saturating_add(before(f).unwrap_or(0)),
        )
    });
    let members =
        (sum_before > 0).then(|| round((sum_now as f64 / sum_before as f64 - 1.0) * 100.0, 1));
    let averages: Vec<f64> = both.iter().filter_map(|f| industry(f)).collect();
    let mean = (!averages.is_empty())
        .then(|| round(averages.iter().sum::<f64>() / averages.len() as f64, 1));
    Growth {
        members: Stat::of(both.len() as i64, members),
        industry: Stat::of(averages.len() as i64, mean),
    }
}

/// The figures of one group of firms in `year`.
#[allow(clippy::cast_precision_loss)]
pub fn year_stats(year: i32, firms: &[&FirmYear]) -> YearStats {
    let n = firms.len() as i64;
    let cooperating = firms
        .iter()
        .filter(|f| f.collaborations > 0 || f.coop_projects.is_some_and(|p| p > 0))
        .count() as i64;
    let projects: i64 = firms
        .iter()
        .map(|f| {
            f.collaborations
                .saturating_add(f.coop_projects.unwrap_or(0))
        })
        .sum();
    let rnd: Vec<f64> = firms
        .iter()
        .filter_map(|f| f.rnd_spending.map(|r| r as f64))
        .collect();
    let rnd_n = rnd.len() as i64;
    let rnd_mean = (rnd_n > 0).then(|| round(rnd.iter().sum::<f64>() / rnd_n as f64, 1));
    YearStats {
        year,
        firms: n,
        cooperating: Stat::of(n, Some(cooperating as f64)),
        cooperation_share: Stat::of(n, percent(cooperating, n)),
        projects_per_firm: Stat::of(n, (n > 0).then(|| round(projects as f64 / n as f64, 2))),
        rnd_mean: Stat::of(rnd_n, rnd_mean),
        rnd_median: Stat::of(rnd_n, median(rnd)),
        innovative: Stat::of(
            n,
            Some(firms.iter().map(|f| f.innovative).sum::<i64>() as f64),
        ),
        sales_growth: growth(firms, |f| f.sales, |f| f.sales_before, |f| f.sales_industry),
        exports_growth: growth(
            firms,
            |f| f.exports,
            |f| f.exports_before,
            |f| f.exports_industry,
        ),
        employees_growth: growth(
            firms,
            |f| f.employees,
            |f| f.employees_before,
            |f| f.employees_industry,
        ),
    }
}

/// The headline numbers of `scope` for `baseline` and `current`, every
/// figure shown (the caller withholds small groups from those who are not
/// admins).
pub async fn headlines(
    db: &Db,
    scope: &Scope,
    label: String,
    ksic: Option<&str>,
    baseline: i32,
    current: i32,
) -> Result<Headlines, DbError> {
    // The same firms in both years: the scope's members today, so that a
    // change is the firms' and not the membership's, and no choice of years
    // sets two groups of firms apart.
    let cohort = Utc::now();
    let started = std::time::Instant::now();
    let Members { years, consortia } =
        members(db, scope, ksic, [baseline, current], cohort).await?;
    let read = started.elapsed();
    let row = |pick: &dyn Fn(&FirmYear) -> bool| {
        let [b, c] = [0, 1].map(|i| {
            let firms: Vec<&FirmYear> = years[i].iter().filter(|f| pick(f)).collect();
            year_stats([baseline, current][i], &firms)
        });
        HeadlineRow {
            baseline: b,
            current: c,
            ..HeadlineRow::default()
        }
    };
    let total = row(&|_| true);
    let bands = SizeBand::ALL
        .iter()
        .map(|&band| HeadlineRow {
            size_band: Some(band),
            ..row(&|f| f.band() == Some(band))
        })
        .collect();
    // A consortium without one of the firms (none, or none of the industry
    // asked) has no row.
    let ids: Vec<i64> = consortia.keys().copied().collect();
    let names = super::consortia::names(db, &ids).await?;
    let consortia = consortia
        .iter()
        .map(|(&c, list)| {
            let [b, cur] = [0, 1].map(|i| {
                let firms: Vec<&FirmYear> = list.iter().map(|&k| &years[i][k]).collect();
                year_stats([baseline, current][i], &firms)
            });
            HeadlineRow {
                consortium: Some(ConsortiumId(c)),
                label: names.get(&c).cloned().unwrap_or_default(),
                baseline: b,
                current: cur,
                size_band: None,
            }
        })
        .collect();
    tracing::debug!(
        firms = years[1].len(),
        read_ms = read.as_millis(),
        total_ms = started.elapsed().as_millis(),
        "headline numbers"
    );
    Ok(Headlines {
        scope: label,
        ksic: ksic.map(str::to_owned),
        suppress_below: None,
        total,
        bands,
        consortia,
    })
}

/// Whether `f` is among the firms `figure` rests on in its year.
fn behind(figure: HeadlineFigure, f: &FirmYear) -> bool {
    match figure {
        HeadlineFigure::Cooperation | HeadlineFigure::Innovative => true,
        HeadlineFigure::Rnd => f.rnd_spending.is_some(),
        HeadlineFigure::Sales => grows(f.sales, f.sales_before),
        HeadlineFigure::Exports => grows(f.exports, f.exports_before),
        HeadlineFigure::Employees => grows(f.employees, f.employees_before),
    }
}

/// What puts a firm first in the list of `figure` (the larger first): its
/// current year's part, then its baseline's.
#[allow(clippy::cast_precision_loss)]
fn weight(figure: HeadlineFigure, f: &FirmYear) -> f64 {
    let growth = |now: Option<i64>, before: Option<i64>| match (now, before) {
        (Some(n), Some(b)) if b > 0 => n as f64 / b as f64,
        _ => f64::NEG_INFINITY,
    };
    match figure {
        HeadlineFigure::Cooperation => {
            (f.collaborations
                .saturating_add(f.coop_projects.unwrap_or(0))) as f64
        }
        HeadlineFigure::Rnd => f.rnd_spending.map_or(f64::NEG_INFINITY, |r| r as f64),
        HeadlineFigure::Innovative => f.innovative as f64,
        HeadlineFigure::Sales => growth(f.sales, f.sales_before),
        HeadlineFigure::Exports => growth(f.exports, f.exports_before),
        HeadlineFigure::Employees => growth(f.employees, f.employees_before),
    }
}

fn part(f: &FirmYear) -> FirmPart {
    FirmPart {
        collaborations: f.collaborations,
        coop_projects: f.coop_projects,
        rnd_spending: f.rnd_spending,
        innovative: f.innovative > 0,
        sales: f.sales,
        sales_before: f.sales_before,
        exports: f.exports,
        exports_before: f.exports_before,
        employees: f.employees,
        employees_before: f.employees_before,
    }
}

/// Whether a firm (its baseline and current year) is behind `figure` in the
/// group of `band` in the years `which` ([baseline, current]): in one of them
/// it is counted there, by that year's band, as [`headlines`] splits them.
fn picked(
    figure: HeadlineFigure,
    band: Option<SizeBand>,
    which: [bool; 2],
    years: [&FirmYear; 2],
) -> bool {
    which.into_iter().zip(years).any(|(asked, f)| {
        asked && band.is_none_or(|band| f.band() == Some(band)) && behind(figure, f)
    })
}

/// The records behind a headline figure: the member firms of `scope` that
/// `figure` rests on in `year` (the baseline or the current one; either
/// when none), of `band` if asked, the largest part first, a page of
/// [`FIRMS_PER_PAGE`]; and how many there are. The same reading of the same
/// rows as [`headlines`], so a year's list holds exactly the firms its
/// figure counts.
#[allow(clippy::too_many_arguments)]
pub async fn firms(
    db: &Db,
    scope: &Scope,
    ksic: Option<&str>,
    years: [i32; 2],
    figure: HeadlineFigure,
    band: Option<SizeBand>,
    year: Option<i32>,
    page: u32,
) -> Result<(i64, Vec<HeadlineFirm>), DbError> {
    let which = years.map(|y| year.is_none_or(|asked| asked == y));
    let Members { years: [b, c], .. } = members(db, scope, ksic, years, Utc::now()).await?;
    let mut list: Vec<(&FirmYear, &FirmYear)> = b
        .iter()
        .zip(&c)
        .filter(|(fb, fc)| picked(figure, band, which, [fb, fc]))
        .collect();
    // The year asked for first (the current one when both are).
    let first = usize::from(which != [true, false]);
    list.sort_by(|&(b1, c1), &(b2, c2)| {
        let (one, two) = ([b1, c1], [b2, c2]);
        weight(figure, two[first])
            .total_cmp(&weight(figure, one[first]))
            .then(weight(figure, two[1 - first]).total_cmp(&weight(figure, one[1 - first])))
            .then(c1.org_id.cmp(&c2.org_id))
    });
    let total = i64::try_from(list.len()).unwrap_or(i64::MAX);
    let per = usize::try_from(FIRMS_PER_PAGE).unwrap_or(50);
    let skip = usize::try_from(page.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(per);
    let shown: Vec<(&FirmYear, &FirmYear)> = list.into_iter().skip(skip).take(per).collect();
    let ids: Vec<i64> = shown.iter().map(|(_, c)| c.org_id).collect();
    let names: HashMap<i64, (String, Option<String>)> = if ids.is_empty() {
        HashMap::new()
    } else {
        let sql = format!(
            "SELECT id, name, ksic FROM organisations WHERE id IN ({})",
            super::id_list(ids.iter().copied())
        );
        let rows: Vec<(i64, String, Option<String>)> =
            with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
        rows.into_iter().map(|(id, n, k)| (id, (n, k))).collect()
    };
    let firms = shown
        .into_iter()
        .map(|(fb, fc)| {
            let (name, ksic) = names.get(&fc.org_id).cloned().unwrap_or_default();
            HeadlineFirm {
                org_id: OrgId(fc.org_id),
                name,
                ksic,
                size_band: fc.band(),
                baseline: part(fb),
                current: part(fc),
            }
        })
        .collect();
    Ok((total, firms))
}

/// Every industry average kept, the newest year first.
pub async fn averages(db: &Db) -> Result<Vec<IndustryAverage>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        ksic: String,
        year: i32,
        sales_growth: Option<f64>,
        exports_growth: Option<f64>,
        employees_growth: Option<f64>,
    }
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(
        "SELECT ksic, year, sales_growth, exports_growth, employees_growth FROM industry_averages
         ORDER BY year DESC, ksic",
    ).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| IndustryAverage {
            ksic: r.ksic,
            year: r.year,
            sales_growth: r.sales_growth,
            exports_growth: r.exports_growth,
            employees_growth: r.employees_growth,
        })
        .collect())
}

/// Replaces the averages of every year of `rows` with `rows` (`sample` ones
/// for the sample portal), in one transaction.
pub async fn replace_averages(
    db: &Db,
    rows: &[IndustryAverage],
    sample: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let years: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
    let mut tx = db.begin().await?;
    for y in years {
        with_tx!(&mut tx, c => sqlx::query("DELETE FROM industry_averages WHERE year = $1")
            .bind(y).execute(&mut *c).await?.rows_affected());
    }
    for r in rows {
        with_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO industry_averages (year, ksic, sales_growth, exports_growth, employees_growth, uploaded_at, is_sample)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (year, ksic) DO UPDATE SET sales_growth = excluded.sales_growth,
               exports_growth = excluded.exports_growth, employees_growth = excluded.employees_growth,
               uploaded_at = excluded.uploaded_at, is_sample = excluded.is_sample",
        ).bind(r.year).bind(&r.ksic).bind(r.sales_growth).bind(r.exports_growth)
         .bind(r.employees_growth).bind(now).bind(sample).execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(())
}

/// The first consortium `org` is a member of.
pub async fn first_consortium(db: &Db, org: OrgId) -> Result<Option<ConsortiumId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT consortium_id FROM memberships WHERE org_id = $1 ORDER BY consortium_id LIMIT 1",
    ).bind(org.0).fetch_optional(p).await?);
    Ok(row.map(|(c,)| ConsortiumId(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firm(id: i64, employees: i64) -> FirmYear {
        FirmYear {
            org_id: id,
            employees: Some(employees),
            ..FirmYear::default()
        }
    }

    #[test]
    fn a_year_counted_by_hand() {
        let mut a = firm(1, 20);
        a.collaborations = 2;
        a.rnd_spending = Some(100);
        a.sales = Some(1_200);
        a.sales_before = Some(1_000);
        a.sales_industry = Some(5.0);
        let mut b = firm(2, 60);
        b.coop_projects = Some(1);
        b.rnd_spending = Some(300);
        b.innovative = 1;
        b.sales = Some(900);
        b.sales_before = Some(1_000);
        b.sales_industry = Some(3.0);
        let c = firm(3, 400);
        let s = year_stats(2026, &[&a, &b, &c]);
        assert_eq!(s.firms, 3);
        assert_eq!(s.cooperating.value, Some(2.0));
        assert_eq!(s.cooperation_share.value, Some(66.7));
        assert_eq!(s.projects_per_firm.value, Some(1.0));
        assert_eq!((s.rnd_mean.n, s.rnd_mean.value), (2, Some(200.0)));
        assert_eq!(s.rnd_median.value, Some(200.0));
        assert_eq!(s.innovative.value, Some(1.0));
        // (1200 + 900) / (1000 + 1000) − 1 = 5 %; their industries 4 % on average.
        assert_eq!(s.sales_growth.members.value, Some(5.0));
        assert_eq!(s.sales_growth.industry.value, Some(4.0));
        assert_eq!(s.exports_growth.members, Stat::default());
        assert_eq!(
            [a.band(), b.band(), c.band()],
            [
                Some(SizeBand::Small),
                Some(SizeBand::Medium),
                Some(SizeBand::Large)
            ]
        );
        assert_eq!(year_stats(2026, &[]).cooperation_share.value, None);
    }

    /// A firm small last year without R&D figures and medium this year with
    /// them is behind the medium firms' R&D of this year, and nothing of the
    /// small firms'.
    #[test]
    fn a_firm_is_listed_where_its_year_counts_it() {
        let before = firm(1, 40);
        let mut now = firm(1, 60);
        now.rnd_spending = Some(100);
        let both = [true, true];
        let rnd = HeadlineFigure::Rnd;
        let small = Some(SizeBand::Small);
        let medium = Some(SizeBand::Medium);
        assert!(!picked(rnd, small, both, [&before, &now]));
        assert!(picked(rnd, medium, both, [&before, &now]));
        assert!(!picked(rnd, medium, [true, false], [&before, &now]));
        assert!(picked(rnd, None, [false, true], [&before, &now]));
        // Cooperation and innovative SMEs rest on every firm of the group.
        for f in [HeadlineFigure::Cooperation, HeadlineFigure::Innovative] {
            assert!(picked(f, small, [true, false], [&before, &now]));
            assert!(!picked(f, small, [false, true], [&before, &now]));
        }
    }
}
