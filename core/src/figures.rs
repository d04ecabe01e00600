//! Firms' yearly figures (기업 성과 현황): what a member firm reports each year —
//! sales, exports and R&D spending in 백만원, its people and R&D staff — and the
//! certifications it holds (이노비즈, 벤처기업, 메인비즈, 기업부설연구소), with its
//! industry (KSIC division) and the size band its people put it in. The agency
//! justifies the programme with these numbers.

use crate::{FieldErrors, OrgId, Validate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The first year figures are kept for.
pub const FIRST_YEAR: i32 = 2000;
/// The largest amount, in 백만원 (100조원).
pub const AMOUNT_MAX: i64 = 100_000_000;
/// The most people a firm reports.
pub const PEOPLE_MAX: i64 = 1_000_000;
/// The most cooperation projects a firm declares in a year.
pub const PROJECTS_MAX: i64 = 10_000;

code_enum!(
    /// A certification a firm holds.
    Certification {
        /// 이노비즈 (technology-innovative SME, Inno-Biz).
        InnoBiz = "innobiz",
        /// 벤처기업 (venture company).
        Venture = "venture",
        /// 메인비즈 (management-innovative SME, Main-Biz).
        MainBiz = "mainbiz",
        /// 기업부설연구소 (a firm's own registered research institute).
        RndLab = "rnd_lab",
    }
);

impl Certification {
    /// Its name (Korean, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Certification::InnoBiz => ("이노비즈", "Inno-Biz"),
            Certification::Venture => ("벤처기업", "Venture company"),
            Certification::MainBiz => ("메인비즈", "Main-Biz"),
            Certification::RndLab => ("기업부설연구소", "Corporate R&D institute"),
        }
    }
}

code_enum!(
    /// A firm's size by its people: the programme's own target group is the
    /// small firm.
    SizeBand {
        /// 소기업: at most 50 people.
        Small = "small",
        /// 중소기업: 51 to 300.
        Medium = "medium",
        /// 중견·대기업: more than 300.
        Large = "large",
    }
);

impl SizeBand {
    /// The band of a firm of `employees` people.
    pub fn of(employees: i64) -> SizeBand {
        match employees {
            ..=50 => SizeBand::Small,
            51..=300 => SizeBand::Medium,
            _ => SizeBand::Large,
        }
    }

    /// The fewest and most people of the band, for a filter in SQL.
    pub fn range(self) -> (i64, i64) {
        match self {
            SizeBand::Small => (0, 50),
            SizeBand::Medium => (51, 300),
            SizeBand::Large => (301, i64::MAX),
        }
    }

    /// Its name (Korean, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            SizeBand::Small => ("소기업 (50명 이하)", "Small (≤ 50)"),
            SizeBand::Medium => ("중소기업 (51–300명)", "Medium (51–300)"),
            SizeBand::Large => ("중견·대기업 (300명 초과)", "Large (> 300)"),
        }
    }
}

code_enum!(
    /// One of a firm's yearly figures: what a number question of the yearly
    /// survey writes.
    FigureField {
        /// 매출액, 백만원.
        Sales = "sales",
        /// 수출액, 백만원.
        Exports = "exports",
        /// 연구개발비, 백만원.
        RndSpending = "rnd_spending",
        /// 상시근로자 수.
        Employees = "employees",
        /// 연구개발 인력.
        RndStaff = "rnd_staff",
        /// 모임 밖 산학연 협력 과제.
        CoopProjects = "coop_projects",
    }
);

impl FigureField {
    /// Its name with its unit (Korean, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            FigureField::Sales => ("매출액 (백만원)", "Sales (million won)"),
            FigureField::Exports => ("수출액 (백만원)", "Exports (million won)"),
            FigureField::RndSpending => ("연구개발비 (백만원)", "R&D spending (million won)"),
            FigureField::Employees => ("상시근로자 수 (명)", "Employees"),
            FigureField::RndStaff => ("연구개발 인력 (명)", "R&D staff"),
            FigureField::CoopProjects => ("산학연 협력 과제 (건)", "Cooperation projects"),
        }
    }

    /// The most it takes.
    pub fn max(self) -> i64 {
        match self {
            FigureField::Sales | FigureField::Exports | FigureField::RndSpending => AMOUNT_MAX,
            FigureField::Employees | FigureField::RndStaff => PEOPLE_MAX,
            FigureField::CoopProjects => PROJECTS_MAX,
        }
    }

    /// Its value in `f`.
    pub fn of(self, f: &YearFigures) -> Option<i64> {
        match self {
            FigureField::Sales => f.sales,
            FigureField::Exports => f.exports,
            FigureField::RndSpending => f.rnd_spending,
            FigureField::Employees => f.employees,
            FigureField::RndStaff => f.rnd_staff,
            FigureField::CoopProjects => f.coop_projects,
        }
    }

    /// Sets its value in `f`.
    pub fn set(self, f: &mut YearFigures, v: Option<i64>) {
        let slot = match self {
            FigureField::Sales => &mut f.sales,
            FigureField::Exports => &mut f.exports,
            FigureField::RndSpending => &mut f.rnd_spending,
            FigureField::Employees => &mut f.employees,
            FigureField::RndStaff => &mut f.rnd_staff,
            FigureField::CoopProjects => &mut f.coop_projects,
        };
        *slot = v;
    }
}

/// One year's figures as entered; amounts in 백만원, every one optional (a
/// firm may not know its exports yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearFigures {
    /// 매출액, 백만원.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub sales: Option<i64>,
    /// 수출액, 백만원.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub exports: Option<i64>,
    /// 연구개발비, 백만원.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub rnd_spending: Option<i64>,
    /// 상시근로자 수.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub employees: Option<i64>,
    /// 연구개발 인력 (of the employees).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub rnd_staff: Option<i64>,
    /// 산학연 협력 과제: cooperation projects with universities or institutes
    /// done that year outside Moim (declared in the yearly survey).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000))]
    pub coop_projects: Option<i64>,
}

impl YearFigures {
    /// Whether nothing is entered.
    pub fn is_empty(&self) -> bool {
        *self == YearFigures::default()
    }
}

impl Validate for YearFigures {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let amounts = [
            ("sales", self.sales),
            ("exports", self.exports),
            ("rnd_spending", self.rnd_spending),
        ];
        for (field, v) in amounts {
            if let Some(v) = v {
                e.range(field, v, 0, AMOUNT_MAX);
            }
        }
        for (field, v) in [("employees", self.employees), ("rnd_staff", self.rnd_staff)] {
            if let Some(v) = v {
                e.range(field, v, 0, PEOPLE_MAX);
            }
        }
        if let Some(v) = self.coop_projects {
            e.range("coop_projects", v, 0, PROJECTS_MAX);
        }
        // R&D staff are among the employees: more of them is a typo, not a
        // surprise.
        if let (Some(staff), Some(all)) = (self.rnd_staff, self.employees)
            && staff > all
            && e.0.is_empty()
        {
            e.add(
                "rnd_staff",
                crate::ErrorCode::OutOfRange { min: 0, max: all },
            );
        }
        e.into_result()
    }
}

code_enum!(
    /// Why an entry looks wrong (the person is asked to check it, and may
    /// keep it).
    FigureWarning {
        /// Ten times last year's value or more, or a tenth or less.
        TenfoldChange = "tenfold_change",
        /// R&D spending above sales.
        RndAboveSales = "rnd_above_sales",
        /// Exports above sales.
        ExportsAboveSales = "exports_above_sales",
    }
);

/// One entry that looks wrong: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Implausible {
    /// The field (`sales`, `exports`…).
    pub field: String,
    /// Why.
    pub warning: FigureWarning,
}

/// The entries of `this` year that look wrong, next to `last` year's: what the
/// form warns of before saving, and what the server asks to be confirmed.
pub fn warnings(this: &YearFigures, last: Option<&YearFigures>) -> Vec<Implausible> {
    let mut out = Vec::new();
    let mut warn = |field: &str, warning| {
        out.push(Implausible {
            field: field.to_owned(),
            warning,
        })
    };
    if let Some(last) = last {
        let pairs = [
            ("sales", this.sales, last.sales),
            ("exports", this.exports, last.exports),
            ("rnd_spending", this.rnd_spending, last.rnd_spending),
            ("employees", this.employees, last.employees),
            ("rnd_staff", this.rnd_staff, last.rnd_staff),
        ];
        for (field, now, before) in pairs {
            if let (Some(now), Some(before)) = (now, before)
                && now > 0
                && before > 0
                && (now >= before.saturating_mul(10) || before >= now.saturating_mul(10))
            {
                warn(field, FigureWarning::TenfoldChange);
            }
        }
    }
    if let Some(sales) = this.sales {
        if this.rnd_spending.is_some_and(|r| r > sales) {
            warn("rnd_spending", FigureWarning::RndAboveSales);
        }
        if this.exports.is_some_and(|x| x > sales) {
            warn("exports", FigureWarning::ExportsAboveSales);
        }
    }
    out
}

/// A year's figures sent to be kept: `confirmed` once the person has seen the
/// warnings (if any) and keeps the entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveYear {
    /// The figures.
    pub figures: YearFigures,
    /// The warnings were seen and the entries are meant.
    #[serde(default)]
    pub confirmed: bool,
}

impl Validate for SaveYear {
    fn validate(&self) -> Result<(), FieldErrors> {
        self.figures.validate().map_err(|FieldErrors(mut e)| {
            for f in &mut e {
                f.field = format!("figures.{}", f.field);
            }
            FieldErrors(e)
        })
    }
}

/// A year's figures as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirmYear {
    /// The year.
    pub year: i32,
    /// The figures.
    pub figures: YearFigures,
    /// Who entered them last (their name), unless they closed their account.
    pub updated_by: Option<String>,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub updated_at: DateTime<Utc>,
}

/// A certification the firm holds, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldCertification {
    /// Which.
    pub kind: Certification,
    /// Certified on.
    #[serde(with = "crate::wire_time::date")]
    pub certified_on: NaiveDate,
    /// Valid until, if it expires.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub expires_on: Option<NaiveDate>,
}

/// A firm's founding date and certifications, all of them (what is not listed
/// is not held). Kept together because one is checked against the other: no
/// firm is certified before it was founded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetCertifications {
    /// 설립일: a day sets it, `null` clears it, and left out it stays as it
    /// is (certifications are checked against the one kept).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::wire_time::date::change"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub founded_on: Option<Option<NaiveDate>>,
    /// At most one of each kind.
    pub certifications: Vec<HeldCertification>,
}

/// The earliest founding or certification date taken.
fn earliest_date(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today)
}

impl SetCertifications {
    /// Checks against `today` (no date from the future) and the founding
    /// date (no certification before it; the caller puts the kept one in
    /// when the request leaves it out).
    pub fn validate_on(&self, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.certifications.len() > Certification::ALL.len() {
            let max = Certification::ALL.len();
            e.add("certifications", crate::ErrorCode::TooLong { max });
            return e.into_result();
        }
        let founded = self
            .founded_on
            .flatten()
            .filter(|&d| d <= today && d >= earliest_date(today));
        if self.founded_on.flatten().is_some() && founded.is_none() {
            e.add("founded_on", crate::ErrorCode::InvalidChoice);
        }
        for (i, c) in self.certifications.iter().enumerate() {
            let at = |f: &str| format!("certifications[{i}].{f}");
            if self.certifications[..i].iter().any(|o| o.kind == c.kind) {
                e.add(at("kind"), crate::ErrorCode::InvalidChoice);
            }
            if c.certified_on > today || c.certified_on < earliest_date(today) {
                e.add(at("certified_on"), crate::ErrorCode::InvalidChoice);
            } else if founded.is_some_and(|f| c.certified_on < f) {
                e.add(at("certified_on"), crate::ErrorCode::BeforeFounding);
            }
            if c.expires_on.is_some_and(|x| x < c.certified_on) {
                e.add(at("expires_on"), crate::ErrorCode::EndBeforeStart);
            }
        }
        e.into_result()
    }
}

/// A firm's industry: its KSIC division (한국표준산업분류 중분류, two digits,
/// e.g. `29` 기타 기계 및 장비 제조업), or none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetIndustry {
    /// Two digits, `01`–`99`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(0[1-9]|[1-9][0-9])$"))]
    pub ksic: Option<String>,
}

impl Validate for SetIndustry {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_ksic(&mut e, self.ksic.as_deref());
        e.into_result()
    }
}

/// Checks a list's industry filter: `ksic` must be a division.
pub fn check_ksic(e: &mut FieldErrors, ksic: Option<&str>) {
    if ksic.is_some_and(|k| !is_ksic(k)) {
        e.add("ksic", crate::ErrorCode::InvalidChoice);
    }
}

/// Whether `k` is a KSIC division: two digits, `01`–`99`.
pub fn is_ksic(k: &str) -> bool {
    k.len() == 2 && k.bytes().all(|b| b.is_ascii_digit()) && k != "00"
}

/// A firm's figures page: every year entered (the newest first), its
/// certifications, industry and size band, and what the reader may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirmFigures {
    /// The firm.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// KSIC division, two digits.
    pub ksic: Option<String>,
    /// By the latest year's employees (or the registered headcount).
    pub size_band: Option<SizeBand>,
    /// Every year entered, the newest first.
    pub years: Vec<FirmYear>,
    /// 설립일, if entered.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub founded_on: Option<NaiveDate>,
    /// Certifications held.
    pub certifications: Vec<HeldCertification>,
    /// Whether the reader enters them (the firm's confirmed people).
    pub can_edit: bool,
    /// The firm's consortium's medians, year by year, to set its own trend
    /// against (none when it is in no consortium).
    #[serde(default)]
    pub peers: Option<Peers>,
}

/// The medians of a consortium's other member firms (not the firm whose
/// page it is) in one year. For anyone but an admin, the whole year is
/// withheld (`hidden`) when fewer than five firms have figures that year, and
/// each median that fewer than five of them give is withheld on its own
/// (named in `withheld`, its value none): five firms with sales of which one
/// gave exports must not show that one's exports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeerYear {
    /// The year.
    pub year: i32,
    /// Other firms with figures that year.
    pub firms: i64,
    /// Withheld from this reader.
    #[serde(default)]
    pub hidden: bool,
    /// Median sales, 백만원.
    pub sales: Option<f64>,
    /// Median exports, 백만원.
    pub exports: Option<f64>,
    /// Median R&D spending, 백만원.
    pub rnd_spending: Option<f64>,
    /// Median employees.
    pub employees: Option<f64>,
    /// The medians withheld from this reader in a year shown: `sales`,
    /// `exports`, `rnd_spending`, `employees`.
    #[serde(default)]
    pub withheld: Vec<String>,
}

/// A consortium's medians, the newest year first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Peers {
    /// The consortium (the firm's first).
    pub consortium: String,
    /// Year by year, for the years the firm entered.
    pub years: Vec<PeerYear>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(sales: i64, exports: i64, rnd: i64) -> YearFigures {
        YearFigures {
            sales: Some(sales),
            exports: Some(exports),
            rnd_spending: Some(rnd),
            employees: Some(40),
            rnd_staff: Some(4),
            coop_projects: None,
        }
    }

    #[test]
    fn size_bands() {
        assert_eq!(SizeBand::of(0), SizeBand::Small);
        assert_eq!(SizeBand::of(50), SizeBand::Small);
        assert_eq!(SizeBand::of(51), SizeBand::Medium);
        assert_eq!(SizeBand::of(300), SizeBand::Medium);
        assert_eq!(SizeBand::of(301), SizeBand::Large);
        for &band in SizeBand::ALL {
            let (lo, hi) = band.range();
            assert_eq!((SizeBand::of(lo), SizeBand::of(hi)), (band, band));
        }
    }

    #[test]
    fn implausible_entries_are_named() {
        let last = year(5_000, 1_000, 300);
        assert!(warnings(&year(5_500, 1_100, 320), Some(&last)).is_empty());
        let w = warnings(&year(50_000, 1_000, 300), Some(&last));
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].field.as_str(), w[0].warning),
            ("sales", FigureWarning::TenfoldChange)
        );
        // A tenth of last year is as suspicious (a unit slip: 원 for 백만원).
        assert_eq!(warnings(&year(500, 100, 30), Some(&last)).len(), 3);
        let w = warnings(&year(1_000, 2_000, 1_500), None);
        let why: Vec<_> = w.iter().map(|i| i.warning).collect();
        assert_eq!(
            why,
            [
                FigureWarning::RndAboveSales,
                FigureWarning::ExportsAboveSales
            ]
        );
    }

    #[test]
    fn bad_figures_are_refused() {
        let mut y = year(-1, 0, 0);
        assert!(y.validate().is_err());
        y = year(1, 0, 0);
        y.rnd_staff = Some(41);
        let e = y.validate().unwrap_err();
        assert_eq!(e.0[0].field, "rnd_staff");
        assert!(year(AMOUNT_MAX + 1, 0, 0).validate().is_err());
        assert!(serde_json::from_str::<YearFigures>(r#"{"sales": 12.5}"#).is_err());
        assert!(serde_json::from_str::<YearFigures>(r#"{"sales": "12"}"#).is_err());
    }

    #[test]
    fn certifications_and_industry() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let held = |kind, on, until| HeldCertification {
            kind,
            certified_on: on,
            expires_on: until,
        };
        let ok = SetCertifications {
            founded_on: Some(Some(day(2019, 7, 1))),
            certifications: vec![
                held(
                    Certification::InnoBiz,
                    day(2024, 3, 1),
                    Some(day(2027, 2, 28)),
                ),
                held(Certification::RndLab, day(2019, 7, 1), None),
            ],
        };
        assert!(ok.validate_on(today).is_ok());
        let bad = SetCertifications {
            founded_on: None,
            certifications: vec![
                held(Certification::Venture, day(2027, 1, 1), None),
                held(
                    Certification::Venture,
                    day(2020, 1, 1),
                    Some(day(2019, 1, 1)),
                ),
            ],
        };
        let fields: Vec<_> = bad
            .validate_on(today)
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "certifications[0].certified_on",
                "certifications[1].kind",
                "certifications[1].expires_on"
            ]
        );
        // More entries than kinds is refused before any is looked at.
        let many = SetCertifications {
            founded_on: None,
            certifications: vec![held(Certification::Venture, day(2020, 1, 1), None); 5],
        };
        let e = many.validate_on(today).unwrap_err();
        assert_eq!((e.0.len(), e.0[0].field.as_str()), (1, "certifications"));
        // No certification before the firm's founding; no founding in the
        // future or before 1900.
        let early = SetCertifications {
            founded_on: Some(Some(day(2020, 5, 1))),
            certifications: vec![
                held(Certification::Venture, day(2020, 5, 1), None),
                held(Certification::InnoBiz, day(2020, 4, 30), None),
            ],
        };
        let e = early.validate_on(today).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "certifications[1].certified_on");
        assert_eq!(e.0[0].code, crate::ErrorCode::BeforeFounding);
        // Left out, the founding date is kept; null clears it.
        let keep: SetCertifications = serde_json::from_str(r#"{"certifications": []}"#).unwrap();
        let clear: SetCertifications =
            serde_json::from_str(r#"{"founded_on": null, "certifications": []}"#).unwrap();
        assert_eq!((keep.founded_on, clear.founded_on), (None, Some(None)));
        assert!(!serde_json::to_string(&keep).unwrap().contains("founded_on"));
        for founded in [day(2026, 12, 6), day(1899, 12, 31)] {
            let e = SetCertifications {
                founded_on: Some(Some(founded)),
                certifications: vec![],
            }
            .validate_on(today)
            .unwrap_err();
            assert_eq!(e.0[0].field, "founded_on");
        }
        let ksic = |k: &str| SetIndustry {
            ksic: Some(k.into()),
        };
        assert!(ksic("29").validate().is_ok());
        assert!(ksic("00").validate().is_err());
        assert!(ksic("2a").validate().is_err());
        assert!(ksic("291").validate().is_err());
        assert!(SetIndustry { ksic: None }.validate().is_ok());
    }
}
