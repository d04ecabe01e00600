//! The programme's headline numbers (성과 지표): what the agency reports of its
//! member firms for a baseline year next to a current year — the share of firms
//! doing industry–academia–research cooperation, cooperation projects per firm,
//! R&D spending per firm, innovative SMEs, and growth against the average of
//! each firm's industry — for the whole group and split by size band and by
//! consortium. Built from firms' yearly figures, the collaborations recorded in
//! Moim and the industry averages an admin uploads.

use crate::{ComplexId, ConsortiumId, FieldErrors, Validate, figures::SizeBand};
use serde::{Deserialize, Serialize};

/// Below this many firms, a figure shown to anyone but an admin is withheld
/// ("n < 5"), so that no firm's figures can be read out of a small group.
pub const MIN_FIRMS: i64 = 5;

/// The most years between the baseline and the current year.
pub const SPAN_MAX: i32 = 20;

/// Which firms and which two years.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct HeadlineQuery {
    /// One consortium.
    pub consortium: Option<ConsortiumId>,
    /// One complex.
    pub complex: Option<ComplexId>,
    /// One wide economic region (`dongnam`…).
    #[cfg_attr(feature = "openapi", param(max_length = 20))]
    pub region: Option<String>,
    /// Only firms of this KSIC division (two digits).
    #[cfg_attr(feature = "openapi", param(max_length = 2))]
    pub ksic: Option<String>,
    /// The baseline year.
    #[cfg_attr(feature = "openapi", param(minimum = 2000, maximum = 2100))]
    pub baseline: i32,
    /// The current year (after the baseline).
    #[cfg_attr(feature = "openapi", param(minimum = 2000, maximum = 2100))]
    pub current: i32,
}

impl Validate for HeadlineQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let first = i64::from(crate::figures::FIRST_YEAR);
        e.range("baseline", i64::from(self.baseline), first, 2100);
        e.range("current", i64::from(self.current), first, 2100);
        if e.0.is_empty() {
            if self.current <= self.baseline {
                e.add("current", crate::ErrorCode::EndBeforeStart);
            } else if self.current - self.baseline > SPAN_MAX {
                e.add(
                    "current",
                    crate::ErrorCode::OutOfRange {
                        min: 1,
                        max: i64::from(SPAN_MAX),
                    },
                );
            }
        }
        e.optional_text("region", self.region.as_deref(), 20);
        crate::figures::check_ksic(&mut e, self.ksic.as_deref());
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

/// One figure: its value, and how many firms it rests on. `hidden` when it
/// is withheld from the reader (too few firms behind it, or it would give one
/// away beside the others); the value is then none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stat {
    /// Firms behind it.
    pub n: i64,
    /// The figure; none when no firm gives it, or when hidden.
    pub value: Option<f64>,
    /// Withheld from this reader.
    #[serde(default)]
    pub hidden: bool,
}

impl Stat {
    /// A figure of `n` firms.
    pub fn of(n: i64, value: Option<f64>) -> Stat {
        Stat {
            n,
            value: if n > 0 { value } else { None },
            hidden: false,
        }
    }

    /// Withholds it.
    pub fn hide(&mut self) {
        self.value = None;
        self.hidden = true;
    }
}

/// Year-on-year growth in percent of the firms' total against the average of
/// their industries (each firm counting once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Growth {
    /// The member firms' growth: firms with this year's and last year's value.
    pub members: Stat,
    /// Their industries' average: those of them whose industry has a figure.
    pub industry: Stat,
}

/// A group of firms in one year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearStats {
    /// The year.
    pub year: i32,
    /// Member firms: the scope's members today, the same firms in both years
    /// (so a change is theirs, not the membership's).
    pub firms: i64,
    /// Firms doing industry–academia–research cooperation: a collaboration
    /// begun in Moim that year, or projects declared in the yearly survey.
    pub cooperating: Stat,
    /// The same, as a share of the firms, in percent.
    pub cooperation_share: Stat,
    /// Cooperation projects (Moim's and declared) per firm.
    pub projects_per_firm: Stat,
    /// R&D spending per firm that reports it, mean, 백만원.
    pub rnd_mean: Stat,
    /// The same, median.
    pub rnd_median: Stat,
    /// Innovative SMEs (이노비즈, 벤처기업 or 메인비즈 at the year's end).
    pub innovative: Stat,
    /// Growth of sales.
    pub sales_growth: Growth,
    /// Growth of exports.
    pub exports_growth: Growth,
    /// Growth of employees.
    pub employees_growth: Growth,
}

impl YearStats {
    /// Every figure, in a fixed order (to withhold them together).
    pub fn stats_mut(&mut self) -> [&mut Stat; 12] {
        [
            &mut self.cooperating,
            &mut self.cooperation_share,
            &mut self.projects_per_firm,
            &mut self.rnd_mean,
            &mut self.rnd_median,
            &mut self.innovative,
            &mut self.sales_growth.members,
            &mut self.sales_growth.industry,
            &mut self.exports_growth.members,
            &mut self.exports_growth.industry,
            &mut self.employees_growth.members,
            &mut self.employees_growth.industry,
        ]
    }
}

/// One group's baseline and current year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadlineRow {
    /// The firms of one size band (by that year's employees), if a band.
    pub size_band: Option<SizeBand>,
    /// The firms of one consortium, if a consortium.
    pub consortium: Option<ConsortiumId>,
    /// Its name (a consortium's), empty for the whole group and the bands.
    pub label: String,
    /// The baseline year.
    pub baseline: YearStats,
    /// The current year.
    pub current: YearStats,
}

/// The headline numbers of a scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headlines {
    /// What they cover, in words.
    pub scope: String,
    /// Only firms of this KSIC division.
    pub ksic: Option<String>,
    /// Figures resting on fewer firms than this are withheld from the reader
    /// (none for an admin, who sees every figure).
    pub suppress_below: Option<i64>,
    /// Every member firm of the scope.
    pub total: HeadlineRow,
    /// By size band: 소기업, 중소기업, 중견·대기업.
    pub bands: Vec<HeadlineRow>,
    /// By consortium.
    pub consortia: Vec<HeadlineRow>,
}

impl Headlines {
    /// Withholds, for a reader who is not an admin, every figure resting on
    /// fewer than [`MIN_FIRMS`] firms; and where the size bands' hidden
    /// figures rest on fewer than that together, the same figure of the next
    /// smallest band too (else the whole group's figure less the others'
    /// would give them away).
    pub fn suppress(&mut self) {
        self.suppress_below = Some(MIN_FIRMS);
        let rows = std::iter::once(&mut self.total)
            .chain(self.bands.iter_mut())
            .chain(self.consortia.iter_mut());
        for row in rows {
            for year in [&mut row.baseline, &mut row.current] {
                for s in year.stats_mut() {
                    if s.n > 0 && s.n < MIN_FIRMS {
                        s.hide();
                    }
                }
            }
        }
        for pick in [
            (|r: &mut HeadlineRow| &mut r.baseline) as fn(&mut HeadlineRow) -> &mut YearStats,
            |r| &mut r.current,
        ] {
            let whole = pick(&mut self.total).stats_mut().map(|s| s.n);
            let mut years: Vec<[&mut Stat; 12]> =
                self.bands.iter_mut().map(|r| pick(r).stats_mut()).collect();
            for i in 0..12 {
                // Firms in no band (neither employees nor a headcount) are
                // in the whole group only: as good as a hidden cell.
                let banded: i64 = years.iter().map(|y| y[i].n).sum();
                let unbanded = (whole[i] - banded).max(0);
                // The hidden cells of a split must together rest on five
                // firms or more (else the whole group's figure less the
                // shown ones gives them away): hide the next smallest until
                // they do, or nothing is left to hide.
                loop {
                    let hidden: i64 = unbanded
                        + years
                            .iter()
                            .filter(|y| y[i].hidden)
                            .map(|y| y[i].n)
                            .sum::<i64>();
                    if hidden == 0 || hidden >= MIN_FIRMS {
                        break;
                    }
                    let next = years
                        .iter_mut()
                        .filter(|y| !y[i].hidden && y[i].n > 0)
                        .min_by_key(|y| y[i].n);
                    match next {
                        Some(y) => y[i].hide(),
                        None => break,
                    }
                }
            }
        }
    }
}

code_enum!(
    /// The tables of the headline numbers as CSV.
    HeadlineTable {
        /// The whole group and each size band.
        Bands = "bands",
        /// Each consortium.
        Consortia = "consortia",
    }
);

/// One industry's average growth in one year, in percent, as the agency takes
/// it from official statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndustryAverage {
    /// KSIC division, two digits.
    pub ksic: String,
    /// The year.
    pub year: i32,
    /// Growth of sales, percent.
    pub sales_growth: Option<f64>,
    /// Growth of exports, percent.
    pub exports_growth: Option<f64>,
    /// Growth of employees, percent.
    pub employees_growth: Option<f64>,
}

/// The growth a file may give, in percent.
pub const GROWTH_RANGE: (f64, f64) = (-100.0, 10_000.0);

/// The columns of an industry averages file (Korean or English header).
pub const AVERAGE_COLUMNS: &[(&str, &str, bool)] = &[
    ("산업분류", "ksic", true),
    ("연도", "year", true),
    ("매출증가율", "sales_growth", false),
    ("수출증가율", "exports_growth", false),
    ("고용증가율", "employees_growth", false),
];

/// What an industry averages upload found (a dry run) or did. Nothing is
/// written while there is a problem; each year of the file replaces what was
/// kept for that year, in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AveragesReport {
    /// True when the file was written (never for a dry run).
    pub imported: bool,
    /// Rows read under the header.
    pub rows: u32,
    /// The years the file gives.
    pub years: Vec<i32>,
    /// Every problem, in file order.
    pub problems: Vec<crate::registry::ImportProblem>,
}

/// The industry averages kept, the newest year first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Averages {
    /// Each industry and year.
    pub averages: Vec<IndustryAverage>,
}

code_enum!(
    /// A headline figure whose firms can be listed: the records behind it.
    HeadlineFigure {
        /// Cooperation (the share, the count and projects per firm): every
        /// member firm, those cooperating first.
        Cooperation = "cooperation",
        /// R&D spending per firm: the firms that report it.
        Rnd = "rnd",
        /// Innovative SMEs: every member firm, those certified at the
        /// year's end first.
        Innovative = "innovative",
        /// Sales growth: the firms with the year's and the year before's sales.
        Sales = "sales",
        /// Exports growth: the same of exports.
        Exports = "exports",
        /// Employment growth: the same of employees.
        Employees = "employees",
    }
);

impl HeadlineFigure {
    /// Its name (Korean, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            HeadlineFigure::Cooperation => ("산학연 협력", "Cooperation"),
            HeadlineFigure::Rnd => ("연구개발비", "R&D spending"),
            HeadlineFigure::Innovative => ("혁신형 중소기업", "Innovative SMEs"),
            HeadlineFigure::Sales => ("매출 증가율", "Sales growth"),
            HeadlineFigure::Exports => ("수출 증가율", "Exports growth"),
            HeadlineFigure::Employees => ("고용 증가율", "Employment growth"),
        }
    }
}

/// Firms on a page of the records behind a figure.
pub const FIRMS_PER_PAGE: i64 = 50;

/// Which records behind the headline numbers (beside a [`HeadlineQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FirmsQuery {
    /// The figure (`cooperation` when none).
    #[serde(default)]
    pub figure: Option<HeadlineFigure>,
    /// Only firms of this size band (in the year counted).
    #[serde(default)]
    pub band: Option<SizeBand>,
    /// Only the firms the figure rests on in this year (the baseline or the
    /// current year); in either when none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 2000, maximum = 2100))]
    pub year: Option<i32>,
    /// 1-based page of [`FIRMS_PER_PAGE`] firms.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10_000))]
    pub page: Option<u32>,
}

impl Validate for FirmsQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(p) = self.page {
            e.range("page", i64::from(p), 1, 10_000);
        }
        if let Some(y) = self.year {
            e.range(
                "year",
                i64::from(y),
                i64::from(crate::figures::FIRST_YEAR),
                2100,
            );
        }
        e.into_result()
    }
}

/// One member firm's part in the headline numbers in one year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirmPart {
    /// Collaborations begun in Moim that year.
    pub collaborations: i64,
    /// Cooperation projects declared for the year.
    pub coop_projects: Option<i64>,
    /// R&D spending, 백만원.
    pub rnd_spending: Option<i64>,
    /// Certified innovative at the year's end.
    pub innovative: bool,
    /// Sales, 백만원, and the year before's.
    pub sales: Option<i64>,
    /// The year before's sales.
    pub sales_before: Option<i64>,
    /// Exports, 백만원.
    pub exports: Option<i64>,
    /// The year before's exports.
    pub exports_before: Option<i64>,
    /// Employees.
    pub employees: Option<i64>,
    /// The year before's employees.
    pub employees_before: Option<i64>,
}

impl FirmPart {
    /// Whether the firm counts as cooperating that year.
    pub fn cooperating(&self) -> bool {
        self.collaborations > 0 || self.coop_projects.is_some_and(|p| p > 0)
    }
}

/// A member firm behind a figure, with its part in both years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadlineFirm {
    /// The firm (its figures page is `/orgs/{id}/figures`).
    pub org_id: crate::OrgId,
    /// Its name.
    pub name: String,
    /// Its KSIC division.
    pub ksic: Option<String>,
    /// Its size band in the current year.
    pub size_band: Option<SizeBand>,
    /// The baseline year.
    pub baseline: FirmPart,
    /// The current year.
    pub current: FirmPart,
}

/// A page of the firms behind one headline figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadlineFirms {
    /// What they cover, in words.
    pub scope: String,
    /// The figure.
    pub figure: HeadlineFigure,
    /// The size band asked for.
    pub band: Option<SizeBand>,
    /// The year asked for (none: either year).
    pub year: Option<i32>,
    /// The baseline year.
    pub baseline: i32,
    /// The current year.
    pub current: i32,
    /// Firms behind the figure (in the year asked for, or in either), on
    /// every page.
    pub total: i64,
    /// This page, 1-based.
    pub page: i64,
    /// The firms of this page.
    pub firms: Vec<HeadlineFirm>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(band: SizeBand, n: i64) -> HeadlineRow {
        let mut current = YearStats {
            firms: n,
            ..YearStats::default()
        };
        for s in current.stats_mut() {
            *s = Stat::of(n, Some(1.0));
        }
        HeadlineRow {
            size_band: Some(band),
            current,
            ..HeadlineRow::default()
        }
    }

    #[test]
    fn small_groups_are_withheld_with_their_complement() {
        let mut h = Headlines {
            total: row(SizeBand::Small, 16),
            bands: vec![
                row(SizeBand::Small, 9),
                row(SizeBand::Medium, 2),
                row(SizeBand::Large, 5),
            ],
            ..Headlines::default()
        };
        h.total.size_band = None;
        h.suppress();
        assert_eq!(h.suppress_below, Some(MIN_FIRMS));
        let hidden: Vec<bool> = h.bands.iter().map(|b| b.current.rnd_mean.hidden).collect();
        // The medium band has two firms; the large one (five) goes with it,
        // else 16 − 9 − 5 would give the two away.
        assert_eq!(hidden, [false, true, true]);
        assert_eq!(h.bands[2].current.rnd_mean.value, None);
        assert_eq!(h.total.current.rnd_mean.value, Some(1.0));
        // Empty groups hide nothing.
        assert!(!h.total.baseline.rnd_mean.hidden);
    }

    #[test]
    fn firms_in_no_band_count_as_hidden() {
        // 16 firms, 14 of them banded: the two unbanded firms' figure is the
        // whole group's less the bands', so the smallest band goes too.
        let mut h = Headlines {
            total: row(SizeBand::Small, 16),
            bands: vec![
                row(SizeBand::Small, 9),
                row(SizeBand::Medium, 5),
                row(SizeBand::Large, 0),
            ],
            ..Headlines::default()
        };
        h.total.size_band = None;
        h.suppress();
        let hidden: Vec<bool> = h
            .bands
            .iter()
            .map(|b| b.current.sales_growth.members.hidden)
            .collect();
        assert_eq!(hidden, [false, true, false]);
    }

    #[test]
    fn two_years_one_scope() {
        let q = HeadlineQuery {
            baseline: 2024,
            current: 2026,
            ..HeadlineQuery::default()
        };
        assert!(q.validate().is_ok());
        let bad = |q: HeadlineQuery| q.validate().unwrap_err().0[0].field.clone();
        assert_eq!(
            bad(HeadlineQuery {
                current: 2024,
                ..q.clone()
            }),
            "current"
        );
        assert_eq!(
            bad(HeadlineQuery {
                baseline: 1999,
                ..q.clone()
            }),
            "baseline"
        );
        assert_eq!(
            bad(HeadlineQuery {
                ksic: Some("2".into()),
                ..q.clone()
            }),
            "ksic"
        );
        assert_eq!(
            bad(HeadlineQuery {
                consortium: Some(ConsortiumId(1)),
                region: Some("dongnam".into()),
                ..q
            }),
            "consortium"
        );
    }
}
