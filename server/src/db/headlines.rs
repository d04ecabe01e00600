//! The headline numbers: one row per member firm and year from SQL (the same
//! statement on both backends), summed up here, so that means, medians and
//! the split by size band and consortium are computed once, the same way.
//! And the industry averages an admin uploads.

use super::{Db, kpi::Scope, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ConsortiumId, OrgId,
    figures::SizeBand,
    headline::{Growth, HeadlineRow, Headlines, IndustryAverage, Stat, YearStats},
    kpi::{median, percent},
};
use std::collections::BTreeMap;

/// One member firm in one year, as the statement gives it.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
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

/// The member firms of `scope` (members before `cohort`), with their
/// figures of `year` and the year before.
async fn firm_years(
    db: &Db,
    scope: &Scope,
    ksic: Option<&str>,
    year: i32,
    cohort: DateTime<Utc>,
) -> Result<Vec<FirmYear>, DbError> {
    let (start, end) = year_bounds(year);
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    // The whole programme: each firm checked; a part of it: its consortia's
    // members first (SQLite otherwise probes every firm against the list).
    let members = match scope {
        None => "EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.joined_at < $7)"
            .to_owned(),
        Some(_) => format!(
            "o.id IN (SELECT m.org_id FROM memberships m WHERE m.joined_at < $7{})",
            super::kpi::within(scope, "m.consortium_id")
        ),
    };
    let sql = format!(
        "SELECT o.id AS org_id, o.headcount, f.employees, f.rnd_spending, f.coop_projects,
                (SELECT COUNT(*) FROM collaborations cb
                  WHERE cb.org_id = o.id AND cb.created_at >= $1 AND cb.created_at < $2) AS collaborations,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM firm_certifications c WHERE c.org_id = o.id
                      AND c.kind IN ('innobiz', 'venture', 'mainbiz') AND c.certified_on <= $5
                      AND (c.expires_on IS NULL OR c.expires_on >= $5)) THEN 1 ELSE 0 END AS BIGINT) AS innovative,
                f.sales, f.exports, b.sales AS sales_before, b.exports AS exports_before,
                b.employees AS employees_before, ia.sales_growth AS sales_industry,
                ia.exports_growth AS exports_industry, ia.employees_growth AS employees_industry
         FROM organisations o
         LEFT JOIN firm_figures f ON f.org_id = o.id AND f.year = $3
         LEFT JOIN firm_figures b ON b.org_id = o.id AND b.year = $4
         LEFT JOIN industry_averages ia ON ia.ksic = o.ksic AND ia.year = $3
         WHERE o.kind = 'firm' AND ($6 IS NULL OR o.ksic = $6)
           AND {members}
         ORDER BY o.id"
    );
    Ok(
        with_db!(db, p => sqlx::query_as(&sql).bind(start).bind(end).bind(year).bind(year - 1)
        .bind(last_day).bind(ksic).bind(cohort).fetch_all(p).await?),
    )
}

/// The first instant of `year` and of the next, in Korea.
fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    (
        super::kpi::kst_midnight(first(year)),
        super::kpi::kst_midnight(first(year + 1)),
    )
}

/// Which member firms each consortium of `scope` had before `cohort`.
async fn memberships(
    db: &Db,
    scope: &Scope,
    cohort: DateTime<Utc>,
) -> Result<BTreeMap<i64, Vec<i64>>, DbError> {
    let members = super::kpi::within(scope, "m.consortium_id");
    let rows: Vec<(i64, i64)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT m.consortium_id, m.org_id FROM memberships m JOIN organisations o ON o.id = m.org_id
         WHERE o.kind = 'firm' AND m.joined_at < $1{members} ORDER BY m.consortium_id, m.org_id"
    )).bind(cohort).fetch_all(p).await?);
    let mut by = BTreeMap::<i64, Vec<i64>>::new();
    for (c, o) in rows {
        by.entry(c).or_default().push(o);
    }
    Ok(by)
}

fn round(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

#[allow(clippy::cast_precision_loss)]
fn growth(
    firms: &[&FirmYear],
    now: fn(&FirmYear) -> Option<i64>,
    before: fn(&FirmYear) -> Option<i64>,
    industry: fn(&FirmYear) -> Option<f64>,
) -> Growth {
    let both: Vec<&&FirmYear> = firms
        .iter()
        .filter(|f| now(f).is_some() && before(f).is_some_and(|b| b > 0))
        .collect();
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
    // The three reads are independent: on two connections at once.
    let (base, now, members) = tokio::try_join!(
        firm_years(db, scope, ksic, baseline, cohort),
        firm_years(db, scope, ksic, current, cohort),
        memberships(db, scope, cohort),
    )?;
    let years = [base, now];
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
    let ids: Vec<i64> = members.keys().copied().collect();
    let names = super::consortia::names(db, &ids).await?;
    // Each consortium's firms found by their ids (not every firm tested
    // against every consortium: 300 consortia of 20,000 firms).
    let index: Vec<std::collections::HashMap<i64, usize>> = years
        .iter()
        .map(|y| y.iter().enumerate().map(|(i, f)| (f.org_id, i)).collect())
        .collect();
    let consortia = ids
        .iter()
        .map(|&c| {
            let list = members.get(&c).map(Vec::as_slice).unwrap_or_default();
            let [b, cur] = [0, 1].map(|i| {
                let firms: Vec<&FirmYear> = list
                    .iter()
                    .filter_map(|o| index[i].get(o).map(|&k| &years[i][k]))
                    .collect();
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
    Ok(Headlines {
        scope: label,
        ksic: ksic.map(str::to_owned),
        suppress_below: None,
        total,
        bands,
        consortia,
    })
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
}
