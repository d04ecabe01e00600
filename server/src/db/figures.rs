//! Firms' yearly figures, certifications and industry (KSIC division).

use super::{Db, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    OrgId, UserId,
    account::CLOSED_ACCOUNT_NAME,
    figures::{Certification, FirmYear, HeldCertification, YearFigures},
};

/// The people by which the firm `org` (an alias of `organisations`) is
/// banded: its latest year's employees, else its registered headcount (as its
/// figures page says).
pub fn band_people(org: &str) -> String {
    format!(
        "COALESCE((SELECT ff.employees FROM firm_figures ff WHERE ff.org_id = {org}.id
            AND ff.employees IS NOT NULL ORDER BY ff.year DESC LIMIT 1), {org}.headcount)"
    )
}

/// Appends to a list's WHERE clause `AND EXISTS (SELECT 1 FROM $from AND
/// <the firm fo is of the industry and size band asked>)`, when one is asked;
/// `$from` names the firm `fo`. Works for either backend's builder.
macro_rules! push_firm_filters {
    ($b:expr, $from:literal, $ksic:expr, $band:expr) => {{
        let ksic: Option<&str> = $ksic;
        let band: Option<moim_core::figures::SizeBand> = $band;
        if ksic.is_some() || band.is_some() {
            $b.push(concat!(" AND EXISTS (SELECT 1 FROM ", $from));
            if let Some(k) = ksic {
                $b.push(" AND fo.ksic = ").push_bind(k.to_owned());
            }
            if let Some(band) = band {
                let (lo, hi) = band.range();
                $b.push(format!(
                    " AND {} BETWEEN ",
                    $crate::db::figures::band_people("fo")
                ))
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi);
            }
            $b.push(")");
        }
    }};
}
pub(crate) use push_firm_filters;

#[derive(sqlx::FromRow)]
struct YearRow {
    year: i32,
    sales: Option<i64>,
    exports: Option<i64>,
    rnd_spending: Option<i64>,
    employees: Option<i64>,
    rnd_staff: Option<i64>,
    coop_projects: Option<i64>,
    updated_by: Option<String>,
    updated_at: DateTime<Utc>,
}

impl YearRow {
    fn figures(&self) -> YearFigures {
        YearFigures {
            sales: self.sales,
            exports: self.exports,
            rnd_spending: self.rnd_spending,
            employees: self.employees,
            rnd_staff: self.rnd_staff,
            coop_projects: self.coop_projects,
        }
    }
}

const YEAR_COLUMNS: &str = "f.year, f.sales, f.exports, f.rnd_spending, f.employees, f.rnd_staff, f.coop_projects, \
     CASE WHEN u.closed_at IS NULL THEN u.name END AS updated_by, f.updated_at";

/// Every year `org` entered, the newest first.
pub async fn years(db: &Db, org: OrgId) -> Result<Vec<FirmYear>, DbError> {
    let sql = format!(
        "SELECT {YEAR_COLUMNS} FROM firm_figures f LEFT JOIN users u ON u.id = f.updated_by \
         WHERE f.org_id = $1 ORDER BY f.year DESC"
    );
    let rows: Vec<YearRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(org.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| FirmYear {
            year: r.year,
            figures: r.figures(),
            updated_by: r.updated_by.filter(|n| n != CLOSED_ACCOUNT_NAME),
            updated_at: r.updated_at,
        })
        .collect())
}

/// `org`'s figures of `year`, if entered.
pub async fn year(db: &Db, org: OrgId, year: i32) -> Result<Option<YearFigures>, DbError> {
    let sql = format!(
        "SELECT {YEAR_COLUMNS} FROM firm_figures f LEFT JOIN users u ON u.id = f.updated_by \
         WHERE f.org_id = $1 AND f.year = $2"
    );
    let row: Option<YearRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(org.0).bind(year).fetch_optional(p).await?);
    Ok(row.map(|r| r.figures()))
}

/// Keeps `org`'s figures of `year` (replacing what was entered), entered by `user`.
pub async fn save_year(
    db: &Db,
    org: OrgId,
    year: i32,
    f: &YearFigures,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO firm_figures (org_id, year, sales, exports, rnd_spending, employees, rnd_staff, coop_projects, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (org_id, year) DO UPDATE SET sales = excluded.sales, exports = excluded.exports, \
           rnd_spending = excluded.rnd_spending, employees = excluded.employees, rnd_staff = excluded.rnd_staff, \
           coop_projects = excluded.coop_projects, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    ).bind(org.0).bind(year).bind(f.sales).bind(f.exports).bind(f.rnd_spending).bind(f.employees)
     .bind(f.rnd_staff).bind(f.coop_projects).bind(user.0).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Writes the figures `f` gives into `org`'s year (inside `tx`), keeping
/// what it leaves out; the year as it then stands.
pub async fn merge_year(
    tx: &mut super::Tx,
    org: OrgId,
    year: i32,
    f: &YearFigures,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<YearFigures, DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO firm_figures (org_id, year, sales, exports, rnd_spending, employees, rnd_staff, coop_projects, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (org_id, year) DO UPDATE SET sales = COALESCE(excluded.sales, firm_figures.sales), \
           exports = COALESCE(excluded.exports, firm_figures.exports), \
           rnd_spending = COALESCE(excluded.rnd_spending, firm_figures.rnd_spending), \
           employees = COALESCE(excluded.employees, firm_figures.employees), \
           rnd_staff = COALESCE(excluded.rnd_staff, firm_figures.rnd_staff), \
           coop_projects = COALESCE(excluded.coop_projects, firm_figures.coop_projects), \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    ).bind(org.0).bind(year).bind(f.sales).bind(f.exports).bind(f.rnd_spending).bind(f.employees)
     .bind(f.rnd_staff).bind(f.coop_projects).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
    year_in(tx, org, year).await?.ok_or(DbError::NotFound)
}

/// `org`'s figures of `year`, read in the transaction `tx`.
pub async fn year_in(
    tx: &mut super::Tx,
    org: OrgId,
    year: i32,
) -> Result<Option<YearFigures>, DbError> {
    let sql = format!(
        "SELECT {YEAR_COLUMNS} FROM firm_figures f LEFT JOIN users u ON u.id = f.updated_by \
         WHERE f.org_id = $1 AND f.year = $2"
    );
    let row: Option<YearRow> = with_tx!(tx, c => sqlx::query_as(&sql).bind(org.0).bind(year).fetch_optional(&mut *c).await?);
    Ok(row.map(|r| r.figures()))
}

#[derive(sqlx::FromRow)]
struct CertificationRow {
    kind: String,
    certified_on: NaiveDate,
    expires_on: Option<NaiveDate>,
}

/// The certifications `org` holds, in the order of [`Certification::ALL`].
pub async fn certifications(db: &Db, org: OrgId) -> Result<Vec<HeldCertification>, DbError> {
    let rows: Vec<CertificationRow> = with_db!(db, p => sqlx::query_as(
        "SELECT kind, certified_on, expires_on FROM firm_certifications WHERE org_id = $1",
    ).bind(org.0).fetch_all(p).await?);
    let mut held: Vec<HeldCertification> = rows
        .into_iter()
        .filter_map(|r| {
            Some(HeldCertification {
                kind: Certification::from_code(&r.kind)?,
                certified_on: r.certified_on,
                expires_on: r.expires_on,
            })
        })
        .collect();
    held.sort_by_key(|c| c.kind);
    Ok(held)
}

/// Replaces `org`'s founding date and certifications with `founded_on` and
/// `held`, in one transaction that holds the firm's row (two saves at once
/// follow each other; a firm closed or merged meanwhile is
/// [`DbError::NotFound`]).
pub async fn set_certifications(
    db: &Db,
    org: OrgId,
    founded_on: Option<NaiveDate>,
    held: &[HeldCertification],
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let open = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE organisations SET founded_on = $2 WHERE id = $1 AND closed_at IS NULL",
    ).bind(org.0).bind(founded_on).execute(&mut *c).await?.rows_affected());
    if open == 0 {
        return Err(DbError::NotFound);
    }
    with_tx!(&mut tx, c => sqlx::query("DELETE FROM firm_certifications WHERE org_id = $1")
        .bind(org.0).execute(&mut *c).await?.rows_affected());
    for h in held {
        with_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO firm_certifications (org_id, kind, certified_on, expires_on) VALUES ($1, $2, $3, $4)",
        ).bind(org.0).bind(h.kind.code()).bind(h.certified_on).bind(h.expires_on)
         .execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(())
}

/// `org`'s KSIC division and founding date.
pub async fn profile(db: &Db, org: OrgId) -> Result<(Option<String>, Option<NaiveDate>), DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT ksic, founded_on FROM organisations WHERE id = $1",
    ).bind(org.0).fetch_one(p).await?))
}

/// Sets `org`'s KSIC division.
pub async fn set_ksic(db: &Db, org: OrgId, ksic: Option<&str>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE organisations SET ksic = $2 WHERE id = $1")
        .bind(org.0).bind(ksic).execute(p).await?.rows_affected());
    Ok(())
}

/// The medians of the other member firms of `org`'s first consortium, for
/// each of `years` (figures withheld under five firms unless `all`). The
/// firm itself is left out: were it counted, its people could move its own
/// figure about and read another firm's off the median (between the third
/// and fourth of six, the median is half of theirs and its own).
pub async fn peers(
    db: &Db,
    org: OrgId,
    years: &[i32],
    all: bool,
) -> Result<Option<moim_core::figures::Peers>, DbError> {
    use moim_core::{figures::PeerYear, kpi::median};
    let first: Option<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.id, c.name FROM memberships m JOIN consortia c ON c.id = m.consortium_id \
         WHERE m.org_id = $1 ORDER BY m.joined_at, c.id LIMIT 1",
    ).bind(org.0).fetch_optional(p).await?);
    let Some((consortium, name)) = first else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        year: i32,
        sales: Option<i64>,
        exports: Option<i64>,
        rnd_spending: Option<i64>,
        employees: Option<i64>,
    }
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(
        "SELECT f.year, f.sales, f.exports, f.rnd_spending, f.employees FROM firm_figures f \
         JOIN organisations o ON o.id = f.org_id \
         WHERE o.kind = 'firm' AND f.org_id <> $2 \
           AND f.org_id IN (SELECT m.org_id FROM memberships m WHERE m.consortium_id = $1)",
    ).bind(consortium).bind(org.0).fetch_all(p).await?);
    let list = years
        .iter()
        .map(|&year| {
            let firms = i64::try_from(rows.iter().filter(|r| r.year == year).count()).unwrap_or(0);
            let hidden = !all && firms > 0 && firms < moim_core::headline::MIN_FIRMS;
            let mut peer = PeerYear {
                year,
                firms,
                hidden,
                ..PeerYear::default()
            };
            if hidden {
                return peer;
            }
            // Each median on its own: withheld when fewer than five firms give
            // it (a median of one firm's exports is that firm's exports).
            #[allow(clippy::cast_precision_loss)]
            let mut of = |name: &str, pick: fn(&Row) -> Option<i64>| {
                let values: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.year == year)
                    .filter_map(pick)
                    .map(|v| v as f64)
                    .collect();
                let few = i64::try_from(values.len()).unwrap_or(0) < moim_core::headline::MIN_FIRMS;
                if !all && !values.is_empty() && few {
                    peer.withheld.push(name.to_owned());
                    return None;
                }
                median(values)
            };
            let (sales, exports) = (of("sales", |r| r.sales), of("exports", |r| r.exports));
            let rnd_spending = of("rnd_spending", |r| r.rnd_spending);
            let employees = of("employees", |r| r.employees);
            PeerYear {
                sales,
                exports,
                rnd_spending,
                employees,
                ..peer
            }
        })
        .collect();
    Ok(Some(moim_core::figures::Peers {
        consortium: name,
        years: list,
    }))
}

/// Whether `user` is a CM of a consortium `org` is a member of.
pub async fn manages_member(db: &Db, user: UserId, org: OrgId) -> Result<bool, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM memberships m JOIN consortium_managers cm ON cm.consortium_id = m.consortium_id \
         WHERE m.org_id = $1 AND cm.user_id = $2",
    ).bind(org.0).bind(user.0).fetch_one(p).await?);
    Ok(n > 0)
}
