//! The KPI cockpit: the agency's numbers, computed from what happened in Moim
//! over a period, for a consortium, a complex, a region or the whole programme.

use crate::{ComplexId, ConsortiumId, FieldErrors, Validate};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period one report covers, in days.
pub const PERIOD_MAX_DAYS: i64 = 3 * 366;

/// Which part of the programme, over which days (Korea time, both ends included).
/// No consortium, complex or region means the CM's own consortia (for a CM) or
/// the whole programme (for an admin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct KpiQuery {
    /// One consortium.
    pub consortium: Option<ConsortiumId>,
    /// One complex.
    pub complex: Option<ComplexId>,
    /// One wide economic region (`동남권`…).
    #[cfg_attr(feature = "openapi", param(max_length = 20))]
    pub region: Option<String>,
    /// First day.
    #[serde(with = "crate::wire_time::date")]
    pub from: NaiveDate,
    /// Last day.
    #[serde(with = "crate::wire_time::date")]
    pub to: NaiveDate,
}

impl Validate for KpiQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.to < self.from {
            e.add("to", crate::ErrorCode::EndBeforeStart);
        } else if (self.to - self.from).num_days() > PERIOD_MAX_DAYS {
            e.add(
                "to",
                crate::ErrorCode::OutOfRange {
                    min: 0,
                    max: PERIOD_MAX_DAYS,
                },
            );
        }
        e.optional_text("region", self.region.as_deref(), 20);
        let scopes = [
            self.consortium.is_some(),
            self.complex.is_some(),
            self.region.is_some(),
        ];
        if scopes.iter().filter(|s| **s).count() > 1 {
            e.add("consortium", crate::ErrorCode::InvalidChoice);
        }
        e.into_result()
    }
}

/// A count under a key (an organisation kind, a stage, an instrument).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    /// The stored code (`firm`, `in_progress`, `joint_rnd`; `none` when unset).
    pub key: String,
    /// How many.
    pub count: i64,
}

/// One month of the trend charts (Korea time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Month {
    /// `2026-03`.
    pub month: String,
    /// Activities held.
    pub activities: i64,
    /// People who attended them.
    pub attended: i64,
    /// Problems posted.
    pub problems: i64,
    /// Collaborations begun.
    pub collaborations: i64,
    /// Ideas posted.
    pub ideas: i64,
}

/// The cockpit's numbers. Cohorts are by date of the record: problems and ideas
/// posted in the period (and what became of them), activities that started in the
/// period and have begun, collaborations begun in the period; members as of its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiReport {
    /// What the numbers cover, in words (`창원 공작기계 미니클러스터`, `동남권`, `전체`).
    pub scope: String,
    /// Consortia counted.
    pub consortia: i64,
    /// First day.
    #[serde(with = "crate::wire_time::date")]
    pub from: NaiveDate,
    /// Last day.
    #[serde(with = "crate::wire_time::date")]
    pub to: NaiveDate,
    /// Member organisations by kind.
    pub members_by_kind: Vec<Count>,
    /// Member firms.
    pub member_firms: i64,
    /// Member firms with at least one collaboration begun in the period.
    pub firms_collaborating: i64,
    /// Collaborations begun in the period, by their current stage.
    pub collaborations_by_stage: Vec<Count>,
    /// The same, by support instrument.
    pub collaborations_by_instrument: Vec<Count>,
    /// Problems posted.
    pub problems_posted: i64,
    /// Of those, matched with an expert.
    pub problems_matched: i64,
    /// Of those, resolved (collaboration completed or commercialised).
    pub problems_resolved: i64,
    /// Median days from posting to the first proposal (problems that got one).
    pub median_days_to_proposal: Option<f64>,
    /// Activities held.
    pub activities_held: i64,
    /// Places taken in them.
    pub registrations: i64,
    /// People who attended.
    pub attended: i64,
    /// Ideas posted.
    pub ideas_posted: i64,
    /// Of those, adopted (or turned into an R&D problem).
    pub ideas_adopted: i64,
    /// Month by month.
    pub months: Vec<Month>,
    /// Export matchmaking (수출상담회) that began in the period.
    #[serde(default)]
    pub matchmaking: crate::matchmaking::MatchFigures,
    /// The money of funded projects (협약·지급).
    #[serde(default)]
    pub money: crate::grant::MoneyFigures,
}

impl KpiReport {
    /// Share of member firms collaborating, in percent.
    pub fn firm_share(&self) -> Option<f64> {
        percent(self.firms_collaborating, self.member_firms)
    }

    /// Attendance rate, in percent.
    pub fn attendance_rate(&self) -> Option<f64> {
        percent(self.attended, self.registrations)
    }
}

/// `part` of `whole` in percent, to one decimal; none of nothing.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// The median of a list of values; none when empty.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some((m * 10.0).round() / 10.0)
}

code_enum!(
    /// The tables the cockpit exports as CSV.
    KpiTable {
        /// Headline figures.
        Summary = "summary",
        /// Member organisations by kind.
        Members = "members",
        /// Collaborations by stage and instrument.
        Collaborations = "collaborations",
        /// Month by month.
        Months = "months",
        /// The money of funded projects by year, call, consortium and region.
        Money = "money",
    }
);

/// What the cockpit page's address asks for; a period left open is the last
/// twelve months (from the first day of the month a year ago to today).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CockpitQuery {
    /// One consortium.
    pub consortium: Option<ConsortiumId>,
    /// One region's code (`dongnam`…).
    pub region: Option<String>,
    /// First day.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub to: Option<NaiveDate>,
    /// The headline numbers' baseline year.
    pub baseline: Option<i32>,
    /// The headline numbers' current year.
    pub current: Option<i32>,
    /// The headline numbers of one KSIC division only.
    pub ksic: Option<String>,
    /// The firms behind this headline figure (`/cockpit/firms`).
    #[serde(default)]
    pub figure: Option<crate::headline::HeadlineFigure>,
    /// Those of one size band.
    #[serde(default)]
    pub band: Option<crate::figures::SizeBand>,
    /// Those it rests on in one of its two years.
    #[serde(default)]
    pub year: Option<i32>,
    /// Their page.
    #[serde(default)]
    pub page: Option<u32>,
}

impl crate::query::ListQuery for CockpitQuery {
    fn normalized(self) -> Self {
        CockpitQuery {
            region: self
                .region
                .filter(|r| crate::reference::Region::from_code(r).is_some()),
            ksic: self.ksic.filter(|k| crate::figures::is_ksic(k)),
            page: crate::query::clean_page(self.page),
            ..self
        }
    }
}

impl CockpitQuery {
    /// The headline numbers' query: by default the last whole year against
    /// the year before it; years out of order or to come are put right.
    pub fn to_headlines(&self, today: NaiveDate) -> crate::headline::HeadlineQuery {
        let latest = today.year();
        let first = crate::figures::FIRST_YEAR;
        let current = self.current.unwrap_or(latest - 1).clamp(first + 1, latest);
        let baseline = self
            .baseline
            .filter(|b| *b < current && current - b <= crate::headline::SPAN_MAX)
            .unwrap_or(current - 1)
            .max(first);
        crate::headline::HeadlineQuery {
            consortium: self.consortium,
            complex: None,
            region: self.region.clone(),
            ksic: self.ksic.clone(),
            baseline,
            current,
        }
    }

    /// Which firms behind the headline numbers the address asks for.
    pub fn to_firms(&self) -> crate::headline::FirmsQuery {
        crate::headline::FirmsQuery {
            figure: self.figure,
            band: self.band,
            year: self.year,
            page: self.page,
        }
    }

    /// The report's query, `today` being today in Korea.
    pub fn to_api(&self, today: NaiveDate) -> KpiQuery {
        let year_ago = today
            .checked_sub_months(chrono::Months::new(12))
            .and_then(|d| d.with_day(1))
            .unwrap_or(today);
        KpiQuery {
            consortium: self.consortium,
            complex: None,
            region: self.region.clone(),
            from: self.from.unwrap_or(year_ago),
            to: self.to.unwrap_or(today),
        }
    }
}

/// One table of the cockpit as CSV, for the same query as the report: the link
/// the app makes. The server reads the two halves apart ([`CsvTable`] and
/// [`KpiQuery`]): a flattened struct reads every value of a query string as
/// text, and an id as text is refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsvQuery {
    /// Which table.
    pub table: KpiTable,
    /// The report's scope and period.
    #[serde(flatten)]
    pub query: KpiQuery,
}

/// Which table of the cockpit a CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CsvTable {
    /// Which table.
    pub table: KpiTable,
}

impl Validate for CsvTable {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_query_in_an_address() {
        let q = CsvQuery {
            table: KpiTable::Months,
            query: KpiQuery {
                consortium: Some(ConsortiumId(3)),
                from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                ..Default::default()
            },
        };
        let address = crate::query::to_query(&q);
        assert_eq!(
            address,
            "table=months&consortium=3&from=2026-01-01&to=2026-12-31"
        );
        // The server reads it back in its two halves, the id as a number.
        let table: CsvTable = serde_urlencoded::from_str(&address).unwrap();
        let query: KpiQuery = serde_urlencoded::from_str(&address).unwrap();
        assert_eq!((table.table, query), (q.table, q.query));
    }

    #[test]
    fn medians_and_shares() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn one_scope_and_a_bounded_period() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let mut q = KpiQuery {
            from: d("2026-01-01"),
            to: d("2026-12-31"),
            ..KpiQuery::default()
        };
        assert!(q.validate().is_ok());
        q.to = d("2025-12-31");
        assert!(q.validate().is_err());
        q.to = d("2026-12-31");
        q.consortium = Some(ConsortiumId(1));
        q.region = Some("동남권".into());
        assert!(q.validate().is_err());
    }
}
