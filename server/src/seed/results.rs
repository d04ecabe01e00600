//! The sample portal's results: firms' yearly figures for four years (so the
//! baseline has a year before it to grow from), their industries and
//! certifications, industry averages, last year's yearly survey (closed,
//! every firm's answer) and this year's (open, some answers), and
//! collaborations over the last year,
//! so that every headline number and trend of the cockpit shows something
//! real to a newcomer. Deterministic: the same numbers on every load.

use super::ORGS;
use crate::{db, db::Db, error::AppResult};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use moim_core::{
    OrgId, UserId,
    account::OrgKind,
    figures::{Certification, FigureField, HeldCertification, YearFigures},
    headline::IndustryAverage,
    problem::{HelpKind, Stage},
    questionnaire::{Answer, Answers},
    survey::yearly_survey,
};

/// Each sample firm's KSIC division, in the order of [`ORGS`].
const KSIC: [&str; 15] = [
    "29", "29", "29", "27", "27", "24", "30", "31", "25", "31", "28", "26", "29", "30", "20",
];

/// (KSIC division, growth of sales, exports, employees in percent) in the
/// year before the current one and in the current one.
const AVERAGES: [(&str, [f64; 3], [f64; 3]); 10] = [
    ("20", [2.1, 3.4, 0.4], [1.8, 2.6, 0.2]),
    ("24", [1.2, 2.0, -0.6], [0.9, 1.1, -0.8]),
    ("25", [2.4, 1.5, 0.3], [2.0, 1.2, 0.1]),
    ("26", [5.8, 7.9, 1.9], [6.5, 8.4, 2.2]),
    ("27", [4.1, 6.2, 1.5], [4.6, 6.8, 1.7]),
    ("28", [6.9, 9.3, 2.8], [5.2, 7.7, 2.1]),
    ("29", [2.9, 3.8, 0.6], [3.1, 4.0, 0.5]),
    ("30", [3.5, 4.9, 0.8], [2.7, 3.9, 0.4]),
    ("31", [4.4, 6.1, 1.1], [5.0, 7.2, 1.3]),
    ("33", [2.2, 2.9, 0.5], [2.4, 3.1, 0.6]),
];

/// Figures of firm `i` (its registered `headcount`) in the `k`th of the four
/// years (0 the oldest, 3 the current one): sales grow by a firm's own pace,
/// faster in the current year (the programme's effect); R&D and exports
/// follow sales; more firms declare cooperation projects in the current year.
fn figures(i: i64, headcount: i64, k: i64) -> YearFigures {
    let base = 2_400 + i * 1_730;
    let pace = 2 + (i * 7) % 9 + if k == 3 { 4 } else { 0 };
    let mut sales = base;
    for _ in 0..k {
        sales += sales * pace / 100;
    }
    let employees = (headcount - 3 + k * (1 + i % 3)).max(1);
    YearFigures {
        sales: Some(sales),
        exports: (i % 5 != 4).then(|| sales * (8 + (i * 3) % 30) / 100),
        rnd_spending: Some(sales * (3 + i % 5 + k / 2) / 100),
        employees: Some(employees),
        rnd_staff: Some((employees / 8).max(1)),
        coop_projects: Some(if k < 3 {
            i64::from(i % 3 == 0)
        } else {
            i64::from(i % 5 != 2) * (1 + i % 2)
        }),
    }
}

/// The answer firm `i` gives to the yearly survey of the `k`th year.
fn yearly_answer(i: i64, headcount: i64, k: i64) -> Answers {
    let f = figures(i, headcount, k);
    let mut a = Answers::new();
    #[allow(clippy::cast_precision_loss)]
    for field in FigureField::ALL {
        if let Some(v) = field.of(&f)
            && *field != FigureField::CoopProjects
        {
            a.insert(field.code().to_owned(), Answer::Number(v as f64));
        }
    }
    let projects = f.coop_projects.unwrap_or(0);
    a.insert("coop".into(), Answer::YesNo(projects > 0));
    if projects > 0 {
        #[allow(clippy::cast_precision_loss)]
        a.insert("coop_projects".into(), Answer::Number(projects as f64));
        let partner = [
            "창원대학교 기계공학과",
            "한국생산기술연구원",
            "부산대학교 재료공학부",
        ];
        a.insert(
            "coop_partners".into(),
            Answer::Text(partner[usize::try_from(i).unwrap_or(0) % partner.len()].into()),
        );
        a.insert(
            "coop_programme".into(),
            Answer::Choices(vec![u32::try_from(i % 3).unwrap_or(0)]),
        );
    }
    a.insert(
        "satisfaction".into(),
        Answer::Number(f64::from(3 + u8::from(i % 3 != 0) + u8::from(i % 4 == 1))),
    );
    if i % 4 == 0 {
        a.insert(
            "comments".into(),
            Answer::Text(
                "기업 방문과 기술 세미나가 도움이 되었습니다. 시제품 제작 지원이 늘었으면 합니다."
                    .into(),
            ),
        );
    }
    a
}

/// Two yearly surveys of the programme's firms: last year's, closed with
/// every firm's answer, and this year's, open, answered by some (others
/// have a draft, or nothing yet).
async fn surveys(
    db: &Db,
    admin: UserId,
    firms: &[(OrgId, UserId, i64, i64)],
    current: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let today = (now + Duration::hours(9)).date_naive();
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    let closed = yearly_survey(current - 1, day(current, 3, 2), day(current, 3, 31));
    let id = db::surveys::create(db, admin, &closed, now - Duration::days(400)).await?;
    for &(org, by, i, headcount) in firms {
        let at = kst_noon(day(current, 3, 10 + u32::try_from(i % 15).unwrap_or(0)));
        db::surveys::sample_answer(db, id, org, by, &yearly_answer(i, headcount, 2), true, at)
            .await?;
    }
    let open = yearly_survey(
        current,
        today - Duration::days(5),
        today + Duration::days(20),
    );
    let id = db::surveys::create(db, admin, &open, now - Duration::days(6)).await?;
    for &(org, by, i, headcount) in firms.iter().skip(1) {
        // Two in three have answered; of the rest, every other one has a draft.
        let submitted = i % 3 != 2;
        if submitted || i % 2 == 0 {
            let at = now - Duration::days(4 - i % 4);
            let mut a = yearly_answer(i, headcount, 3);
            if !submitted {
                a.retain(|k, _| k == "sales" || k == "exports");
            }
            db::surveys::sample_answer(db, id, org, by, &a, submitted, at).await?;
        }
    }
    Ok(())
}

fn kst_noon(d: NaiveDate) -> DateTime<Utc> {
    db::kpi::kst_midnight(d) + Duration::hours(12)
}

/// Loads the results of the sample firms `orgs` (in the order of [`ORGS`],
/// each entered by its person in `people`), with collaborations with the
/// sample `experts` in a consortium of each firm.
pub async fn load(
    db: &Db,
    admin: UserId,
    orgs: &[OrgId],
    experts: &[UserId],
    people: &[UserId],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut firms = Vec::new();
    let current = (now + Duration::hours(9)).year() - 1;
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let mut i = 0i64;
    for (n, (_, kind, ..)) in ORGS.iter().enumerate() {
        if *kind != OrgKind::Firm {
            continue;
        }
        let (org, by) = (orgs[n], people[n]);
        let headcount = 12 + i * 7;
        db::figures::set_ksic(db, org, KSIC.get(n).copied()).await?;
        for (k, year) in (current - 3..=current).enumerate() {
            let k = i64::try_from(k).unwrap_or(0);
            db::figures::save_year(db, org, year, &figures(i, headcount, k), by, now).await?;
        }
        let mut held = Vec::new();
        if i % 3 == 0 {
            held.push(HeldCertification {
                kind: Certification::InnoBiz,
                certified_on: day(current - 3, 4, 1),
                expires_on: Some(day(current + 1, 3, 31)),
            });
        }
        if i % 4 == 1 {
            held.push(HeldCertification {
                kind: Certification::Venture,
                certified_on: day(current, 6, 15),
                expires_on: None,
            });
        }
        if i % 2 == 0 {
            held.push(HeldCertification {
                kind: Certification::RndLab,
                certified_on: day(current - 5, 9, 1),
                expires_on: None,
            });
        }
        // Founded before its first certification (the oldest is its R&D
        // institute, five years back).
        let founded = day(current - 12 - i32::try_from(i % 9).unwrap_or(0), 3, 2);
        db::figures::set_certifications(db, org, Some(founded), &held).await?;
        firms.push((org, by, i, headcount));
        i += 1;
    }
    surveys(db, admin, &firms, current, now).await?;
    let averages: Vec<IndustryAverage> = AVERAGES
        .iter()
        .flat_map(|(ksic, before, now)| {
            [(current - 1, before), (current, now)].map(|(year, g)| IndustryAverage {
                ksic: (*ksic).to_owned(),
                year,
                sales_growth: Some(g[0]),
                exports_growth: Some(g[1]),
                employees_growth: Some(g[2]),
            })
        })
        .collect();
    db::headlines::replace_averages(db, &averages, true, now).await?;
    // Collaborations over the last year: firms of several consortia with the
    // sample experts, at every stage.
    let stages = [
        Stage::Matched,
        Stage::InProgress,
        Stage::Completed,
        Stage::Commercialised,
        Stage::InProgress,
    ];
    let help = [
        HelpKind::JointRnd,
        HelpKind::Testing,
        HelpKind::Mentoring,
        HelpKind::Commercialisation,
        HelpKind::Efficiency,
    ];
    // Firms that declare projects for the year anyway, so the headline
    // numbers stay the same whichever day the sample is loaded.
    for (k, firm) in [4usize, 5, 6, 10, 11, 8, 13, 3].into_iter().enumerate() {
        let Some(consortium) = db::headlines::first_consortium(db, orgs[firm]).await? else {
            continue;
        };
        let days = 20 + i64::try_from(k).unwrap_or(0) * 41;
        db::collaborations::sample(
            db,
            orgs[firm],
            consortium,
            experts[k % experts.len()],
            help[k % help.len()],
            stages[k % stages.len()],
            now - Duration::days(days),
        )
        .await?;
    }
    Ok(())
}
