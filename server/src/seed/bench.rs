//! The benchmarks' synthetic data, loaded by the `seed-bench…` commands into a
//! database of its own (never the sample portal's): consortia and member firms
//! first ([`members`]), then experts and problems, activities and registrations,
//! ideas and votes over that population. Bulk inserts live beside the tables they
//! fill (`db::*::seed_bench`); this module chooses the numbers and the words.

use super::{DEMO_PASSWORD, business_number};
use crate::{
    auth,
    db::{
        self, Db,
        users::{NewUser, OrgTarget},
    },
    error::{AppError, AppResult},
};
use chrono::{Duration, Utc};
use moim_core::{
    ConsortiumId, OrgId, UserId,
    account::{NewOrganisation, OrgKind, Role},
    consortium::{ConsortiumKind, EditConsortium},
};

/// Ideas and votes for the feed benchmark (after seed-bench): authors and voters
/// are the benchmark's members.
pub async fn ideas(db: &Db, ideas: usize, votes: usize) -> AppResult<()> {
    let (authors, consortia) = bench_population(db).await?;
    db::ideas::seed_bench(db, &authors, &consortia, ideas, votes, Utc::now()).await?;
    analyze(db).await
}

/// The benchmark's members and consortia (seed-bench must have run).
async fn bench_population(db: &Db) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let (users, consortia): (Vec<(i64,)>, Vec<(i64,)>) = crate::db::with_db!(db, p => (
        sqlx::query_as("SELECT id FROM users WHERE email LIKE 'bench%' ORDER BY id").fetch_all(p).await.map_err(crate::error::DbError::from)?,
        sqlx::query_as("SELECT id FROM consortia ORDER BY id").fetch_all(p).await.map_err(crate::error::DbError::from)?,
    ));
    if users.is_empty() {
        return Err(AppError::Internal("run seed-bench first".into()));
    }
    Ok((
        users.into_iter().map(|(i,)| i).collect(),
        consortia.into_iter().map(|(i,)| i).collect(),
    ))
}

/// Fresh planner statistics after a bulk load (PostgreSQL).
async fn analyze(db: &Db) -> AppResult<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE")
            .execute(p)
            .await
            .map_err(crate::error::DbError::from)?;
    }
    Ok(())
}

/// Loads networking activities and registrations for the cockpit benchmark (after
/// seed-bench): `activities` spread over the last two years and the consortia,
/// `registrations` spread over the activities and the benchmark members, about
/// three in four attended.
pub async fn activities(db: &Db, activities: usize, registrations: usize) -> AppResult<()> {
    let (users, consortia) = bench_population(db).await?;
    db::activities::seed_bench(
        db,
        &users,
        &consortia,
        activities,
        registrations,
        Utc::now(),
    )
    .await?;
    analyze(db).await
}

/// Loads a synthetic benchmark set: `consortia` consortia and `members` member firms
/// (one person each), spread evenly. Idempotent per size: skipped if it is there.
pub async fn members(db: &Db, consortia: usize, members: usize) -> AppResult<()> {
    db::reference::seed(db).await?;
    let reference = db::reference::load(db).await?;
    if db::consortia::list(db, &Default::default(), None)
        .await?
        .total
        >= i64::try_from(consortia).unwrap_or(i64::MAX)
    {
        return Ok(());
    }
    let hash = auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let mut ids: Vec<ConsortiumId> = Vec::with_capacity(consortia);
    for i in 0..consortia {
        let cx = &reference.complexes[i % reference.complexes.len()];
        let fd = &reference.fields[(i / reference.complexes.len()) % reference.fields.len()];
        let c = EditConsortium {
            name: format!("{} {} 협의체 {}", cx.name_ko, fd.name_ko, i + 1),
            kind: ConsortiumKind::MiniCluster,
            complex_id: cx.id,
            field_id: fd.id,
            description: format!(
                "{} 기업과 연구자가 {} 분야 애로기술을 함께 해결하는 벤치마크용 협의체입니다.",
                cx.name_ko, fd.name_ko
            ),
            term_start: None,
            term_end: None,
        };
        ids.push(db::consortia::create_in(&mut tx, &c, None, true, now).await?);
    }
    for i in 0..members {
        let cx = &reference.complexes[i % reference.complexes.len()];
        let org = NewOrganisation {
            kind: OrgKind::Firm,
            name: format!("벤치기업 {i:05}"),
            business_no: Some(business_number(100_000_000 + u32::try_from(i).unwrap_or(0))),
            complex_id: Some(cx.id),
            headcount: Some(10 + i64::try_from(i % 200).unwrap_or(0)),
            industry: Some("부품·소재".into()),
        };
        let email = format!("bench{i:05}@bench.example");
        let user = NewUser {
            email: &email,
            password_hash: &hash,
            name: "벤치 회원",
            department: None,
            is_expert: i % 10 == 0,
            role: Role::Member,
            is_sample: true,
            verified: true,
            consented: true,
        };
        let (_, org_id) = db::users::insert_in(&mut tx, &user, OrgTarget::New(&org), now).await?;
        db::requests::add_member(&mut tx, ids[i % ids.len()], org_id, now).await?;
    }
    tx.commit().await?;
    // Statistics and a visibility map (index-only scans), as autovacuum gives a live database.
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE")
            .execute(p)
            .await
            .map_err(crate::error::DbError::from)?;
    }
    Ok(())
}

/// A tiny deterministic generator (xorshift64*), so benchmark data is the same
/// on every run without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).unwrap_or(1).max(1);
        items[usize::try_from(self.next() % n).unwrap_or(0)]
    }
}

const TECH: &[&str] = &[
    "금형",
    "사출",
    "냉각",
    "도금",
    "열처리",
    "용접",
    "가공",
    "프레스",
    "주조",
    "단조",
    "표면",
    "코팅",
    "센서",
    "배터리",
    "반도체",
    "모터",
    "기어",
    "베어링",
    "유압",
    "공압",
    "로봇",
    "비전",
    "검사",
    "측정",
    "소음",
    "진동",
    "균열",
    "변형",
    "마모",
    "부식",
    "정밀도",
    "수율",
    "양극재",
    "분말",
    "접합",
    "절삭",
    "연마",
    "세척",
    "건조",
    "도장",
    "압출",
    "성형",
    "조립",
    "패키징",
    "회로",
    "제어",
    "설계",
    "해석",
    "시뮬레이션",
    "열",
    "납",
    "철",
];
const ISSUE: &[&str] = &[
    "개선",
    "불량",
    "저감",
    "최적화",
    "문제",
    "해결",
    "자동화",
    "국산화",
    "불균일",
    "편차",
];
const ASCII: &[&str] = &[
    "CNC", "PCB", "AI", "IoT", "MES", "3D", "PLC", "CAE", "EV", "LED",
];
const GEAR: &[&str] = &[
    "3D 금속 프린터",
    "주사전자현미경",
    "X선 회절 분석기",
    "5축 CNC",
    "사출 성형기",
    "열화상 카메라",
    "3차원 측정기",
    "만능 재료 시험기",
    "염수 분무 시험기",
    "오실로스코프",
    "진동 시험기",
    "레이저 용접기",
];

/// A Korean technical phrase: two or three words, sometimes written as one compound.
fn phrase(r: &mut Rng) -> String {
    let (a, b) = (r.pick(TECH), r.pick(TECH));
    match r.next() % 4 {
        0 => format!("{a}{b}"),
        1 => format!("{} {a} {b}", r.pick(ASCII)),
        _ => format!("{a} {b}"),
    }
}

/// Loads `experts` expert profiles and `problems` published problems on top of
/// `seed-bench`'s firms and consortia, for the matching and search benchmarks.
/// Skipped when that many problems exist already.
pub async fn problems(db: &Db, experts: usize, problems: usize) -> AppResult<()> {
    use moim_core::problem::ProblemInput;
    let (have,): (i64,) = db::with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM problems").fetch_one(p).await.map_err(crate::error::DbError::from)?);
    if have >= i64::try_from(problems).unwrap_or(i64::MAX) {
        return Ok(());
    }
    let reference = db::reference::load(db).await?;
    let firms: Vec<(i64, i64, i64)> = db::with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.org_id, MIN(m.consortium_id) FROM users u JOIN memberships m ON m.org_id = u.org_id
         WHERE u.email LIKE 'bench%@bench.example' GROUP BY u.id, u.org_id ORDER BY u.id")
        .fetch_all(p).await.map_err(crate::error::DbError::from)?);
    if firms.is_empty() {
        return Err(AppError::Internal("run seed-bench first".into()));
    }
    let hash = auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let now = Utc::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Experts: 200 universities and institutes, profiles, matching terms.
    let mut tx = db.begin().await?;
    let mut orgs = Vec::new();
    for u in 0..200 {
        let (id,): (i64,) = db::with_tx!(&mut tx, c => sqlx::query_as(
            "INSERT INTO organisations (kind, name, is_sample, created_at) VALUES ($1, $2, TRUE, $3) RETURNING id")
            .bind(if u % 4 == 0 { "institute" } else { "university" }).bind(format!("벤치대학 {u:03}")).bind(now)
            .fetch_one(&mut *c).await.map_err(crate::error::DbError::from)?);
        orgs.push(id);
    }
    for i in 0..experts {
        let (uid,): (i64,) = db::with_tx!(&mut tx, c => sqlx::query_as(
            "INSERT INTO users (email, password_hash, name, department, org_id, role, is_expert, affiliation, is_sample, created_at, email_verified_at, privacy_version)
             VALUES ($1, $2, $3, $4, $5, 'member', TRUE, 'confirmed', TRUE, $6, $6, $7) RETURNING id")
            .bind(format!("expert{i:05}@bench.example")).bind(&hash).bind(format!("전문가 {i:05}")).bind("공학과")
            .bind(orgs[i % orgs.len()]).bind(now).bind(moim_core::privacy::PRIVACY_POLICY_VERSION).fetch_one(&mut *c).await.map_err(crate::error::DbError::from)?);
        let field = &reference.fields
            [usize::try_from(rng.next() % 25).unwrap_or(0) % reference.fields.len()];
        let profile = moim_core::account::ExpertProfile {
            fields: vec![field.name_ko.clone()],
            keywords: (0..4).map(|_| phrase(&mut rng)).collect(),
            equipment: format!("{}, {}", rng.pick(GEAR), rng.pick(GEAR)),
            bio: format!(
                "{}와 {} 분야를 연구합니다.",
                phrase(&mut rng),
                phrase(&mut rng)
            ),
        };
        db::users::save_expert_profile_in(&mut tx, UserId(uid), &profile, now).await?;
        if i % 2000 == 1999 {
            tx.commit().await?;
            tx = db.begin().await?;
        }
    }
    tx.commit().await?;
    // Problems, through the same code path as the API (index included).
    let mut tx = db.begin().await?;
    for i in usize::try_from(have).unwrap_or(0)..problems {
        let (author, org, consortium) = firms[i % firms.len()];
        let field = &reference.fields[i % reference.fields.len()];
        let p = ProblemInput {
            consortium_id: ConsortiumId(consortium),
            title: format!("{} {}", phrase(&mut rng), rng.pick(ISSUE)),
            summary: format!(
                "{} 공정에서 {} {}이(가) 반복됩니다. {} 방안을 찾습니다.",
                rng.pick(TECH),
                phrase(&mut rng),
                rng.pick(ISSUE),
                phrase(&mut rng)
            ),
            details: "벤치마크용 상세 내용".into(),
            field_ids: vec![field.id],
            keywords: vec![phrase(&mut rng), phrase(&mut rng)],
            help: vec![moim_core::problem::HelpKind::JointRnd],
            timeline_months: Some(6),
            budget: moim_core::problem::Budget::Undecided,
            confidentiality: match i % 10 {
                0 => moim_core::problem::Confidentiality::Private,
                1..=4 => moim_core::problem::Confidentiality::Nda,
                _ => moim_core::problem::Confidentiality::Members,
            },
            publish: true,
        };
        let at = now - Duration::minutes(i64::try_from(problems - i).unwrap_or(0));
        db::problems::create_in(&mut tx, OrgId(org), UserId(author), &p, true, at).await?;
        if i % 2000 == 1999 {
            tx.commit().await?;
            tx = db.begin().await?;
        }
    }
    tx.commit().await?;
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE")
            .execute(p)
            .await
            .map_err(crate::error::DbError::from)?;
    }
    Ok(())
}

/// Loads the programme results for the headline and export benchmarks
/// (after seed-bench): `years` years of figures (up to this year) of every
/// benchmark firm with a KSIC division of 24, an innovative certification
/// for one in four, industry averages for every division and year, and
/// `surveys` yearly surveys each answered by every firm.
pub async fn results(db: &Db, years: i32, surveys: usize) -> AppResult<()> {
    use chrono::Datelike;
    let (_, _) = bench_population(db).await?;
    let now = Utc::now();
    let last = (now + chrono::Duration::hours(9)).year();
    let first = last - years + 1;
    let figures = "WITH RECURSIVE years (y) AS (SELECT CAST($1 AS INTEGER) UNION ALL SELECT y + 1 FROM years WHERE y < $2)
        INSERT INTO firm_figures (org_id, year, sales, exports, rnd_spending, employees, rnd_staff, coop_projects, updated_at)
        SELECT o.id, years.y, 1000 + (o.id * 37) % 5000 + (years.y - $1) * (50 + o.id % 90),
               (o.id * 13) % 900 + (years.y - $1) * 20, 40 + (o.id * 7) % 400 + (years.y - $1) * 5,
               10 + o.id % 200 + (years.y - $1), 1 + o.id % 20, (o.id + years.y) % 3, $3
        FROM organisations o CROSS JOIN years
        WHERE o.kind = 'firm' AND o.name LIKE '벤치기업%'
          AND NOT EXISTS (SELECT 1 FROM firm_figures f WHERE f.org_id = o.id)";
    let ksic = "UPDATE organisations SET ksic = CAST(10 + id % 24 AS TEXT) WHERE kind = 'firm' AND name LIKE '벤치기업%'";
    let certified =
        "INSERT INTO firm_certifications (org_id, kind, certified_on) SELECT o.id, 'innobiz', $1
        FROM organisations o WHERE o.kind = 'firm' AND o.name LIKE '벤치기업%' AND o.id % 4 = 0
          AND NOT EXISTS (SELECT 1 FROM firm_certifications c WHERE c.org_id = o.id)";
    let since = chrono::NaiveDate::from_ymd_opt(first + years / 2, 3, 1).unwrap_or_default();
    crate::db::with_db!(db, p => {
        sqlx::query(figures).bind(first).bind(last).bind(now).execute(p).await.map_err(crate::error::DbError::from)?;
        sqlx::query(ksic).execute(p).await.map_err(crate::error::DbError::from)?;
        sqlx::query(certified).bind(since).execute(p).await.map_err(crate::error::DbError::from)?.rows_affected()
    });
    let averages: Vec<moim_core::headline::IndustryAverage> = (10..34)
        .flat_map(|k: i32| {
            (first..=last).map(move |y| moim_core::headline::IndustryAverage {
                ksic: k.to_string(),
                year: y,
                sales_growth: Some(f64::from(k % 7) + 0.5),
                exports_growth: Some(f64::from(k % 5) + 1.5),
                employees_growth: Some(f64::from(k % 3) - 0.5),
            })
        })
        .collect();
    db::headlines::replace_averages(db, &averages, true, now).await?;
    let (admin,): (i64,) = crate::db::with_db!(db, p => sqlx::query_as("SELECT MIN(id) FROM users WHERE email LIKE 'bench%'")
        .fetch_one(p).await.map_err(crate::error::DbError::from)?);
    let today = (now + chrono::Duration::hours(9)).date_naive();
    for n in 0..surveys {
        let year = last - 1 - i32::try_from(n).unwrap_or(0);
        let draft =
            moim_core::survey::yearly_survey(year, today, today + chrono::Duration::days(30));
        let id = db::surveys::create(db, UserId(admin), &draft, now).await?;
        let answers = "INSERT INTO survey_answers (survey_id, org_id, user_id, answers, submitted_at, updated_by, updated_at)
            SELECT $1, o.id, NULL, '{\"sales\":1250,\"exports\":300,\"rnd_spending\":80,\"employees\":24,\"rnd_staff\":3,\"coop\":true,\"coop_projects\":2,\"coop_partners\":\"창원대학교 기계공학과\",\"coop_programme\":[0],\"satisfaction\":4,\"comments\":\"기술 세미나가 도움이 되었습니다.\"}',
                   $2, $3, $2
            FROM organisations o WHERE o.kind = 'firm' AND o.name LIKE '벤치기업%'";
        crate::db::with_db!(db, p => sqlx::query(answers).bind(id.0).bind(now).bind(admin)
            .execute(p).await.map_err(crate::error::DbError::from)?.rows_affected());
    }
    analyze(db).await
}

/// A call in its evaluation for the ranking benchmark (after seed-bench):
/// `applications` applications submitted by benchmark firms, each with two
/// confirmed partners (every 25th with an evaluator's firm among them, who is
/// then kept away), `evaluators` evaluators from other firms scoring each on
/// five criteria (one review in fifty a declared conflict), and one in five
/// decided. The call's id and the first evaluator's address.
pub async fn calls(db: &Db, applications: usize, evaluators: usize) -> AppResult<(i64, String)> {
    use moim_core::{
        call::{CallDraft, CallKind},
        evaluation::{Criterion, Review, Score, weighted_tenths},
        selection::{DecideApplication, Decision},
    };
    let people: Vec<(i64, i64, String)> = crate::db::with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.org_id, u.email FROM users u JOIN organisations o ON o.id = u.org_id \
         WHERE u.email LIKE 'bench%' AND o.kind = 'firm' ORDER BY u.id")
        .fetch_all(p).await.map_err(crate::error::DbError::from)?);
    if people.len() < applications + evaluators || applications < 3 {
        return Err(AppError::Internal(format!(
            "seed-bench with at least {} members first",
            applications + evaluators
        )));
    }
    let now = Utc::now();
    let today = now.with_timezone(&moim_core::KST).date_naive();
    let day = |d: i64| today + Duration::days(d);
    let criteria: Vec<Criterion> = [
        ("기술성", 30),
        ("사업성", 25),
        ("협력 구성", 20),
        ("지역 파급", 15),
        ("추진 역량", 10),
    ]
    .into_iter()
    .map(|(name, weight)| Criterion {
        name: name.into(),
        weight,
        max: 10,
    })
    .collect();
    let admin = UserId(people[0].0);
    let draft = CallDraft {
        title: format!("벤치마크 공모 — 신청 {applications}건, 평가위원 {evaluators}명"),
        kind: CallKind::Support,
        description: "순위 벤치마크".into(),
        budget_manwon: 100_000_000,
        rules: Default::default(),
        opens_on: day(-60),
        closes_on: day(-30),
        evaluation_on: day(-5),
        announce_on: day(20),
        agreement_on: day(40),
        form: Default::default(),
        criteria: criteria.clone(),
    };
    let call = db::calls::create(db, admin, &draft, now).await?;
    let leads: Vec<(i64, i64)> = people[..applications]
        .iter()
        .map(|(u, o, _)| (*u, *o))
        .collect();
    let judges: Vec<(i64, i64)> = people[applications..applications + evaluators]
        .iter()
        .map(|(u, o, _)| (*u, *o))
        .collect();
    let n = leads.len();
    let ids = db::calls::seed_bench(
        db,
        call,
        &leads,
        |i| {
            let mut p = vec![leads[(i + 1) % n].1, leads[(i + 2) % n].1];
            if i % 25 == 0 {
                p[1] = judges[(i / 25) % judges.len()].1;
            }
            p
        },
        now,
    )
    .await?;
    let mut next = crate::db::xorshift(0x2545_F491_4F6C_DD1D);
    let mut reviews = Vec::with_capacity(ids.len() * judges.len());
    for app in &ids {
        for (user, _) in &judges {
            let r = next();
            let review = if r.is_multiple_of(50) {
                Review {
                    conflict: true,
                    scores: Vec::new(),
                }
            } else {
                Review {
                    conflict: false,
                    scores: (0..criteria.len())
                        .map(|k| Score {
                            score: i64::try_from((r >> (8 * k + 8)) % 11).unwrap_or(5),
                            comment: (k == 0).then(|| "근거가 충분합니다.".to_owned()),
                        })
                        .collect(),
                }
            };
            let total = (!review.conflict).then(|| weighted_tenths(&criteria, &review.scores));
            reviews.push((*app, UserId(*user), review, total));
        }
    }
    let appointed: Vec<UserId> = judges.iter().map(|(u, _)| UserId(*u)).collect();
    db::evaluation::seed_bench(db, call, &appointed, admin, &reviews, now).await?;
    for (i, app) in ids.iter().enumerate().filter(|(i, _)| i % 5 == 4) {
        let decision = match i % 3 {
            0 => Decision::Selected,
            1 => Decision::Reserve,
            _ => Decision::NotSelected,
        };
        let d = DecideApplication {
            decision,
            reason: "평가 점수와 예산을 고려했습니다.".into(),
            grant_manwon: (decision == Decision::Selected).then_some(1_000),
        };
        db::selection::decide(
            db,
            call,
            *app,
            OrgId(leads[i].1),
            &format!("벤치마크 과제 {i}"),
            &d,
            admin,
            now,
        )
        .await?;
    }
    analyze(db).await?;
    Ok((call.0, people[applications].2.clone()))
}
