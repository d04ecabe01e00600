//! The sample portal's calls (공모): a theme-cluster call taking applications
//! now, a call for prototype support in evaluation, with 한빛정밀's
//! application (its open problem, 동남과학기술대학교 as a confirmed partner)
//! submitted before the deadline, and last spring's theme-cluster call, its
//! results announced: 동남과학기술대학교's application with 한빛정밀 selected,
//! its theme cluster not founded yet (the admin's next step). Written through
//! the same db functions as the API, at the times they would have happened.

use crate::{
    db::{self, Db},
    error::{AppError, AppResult},
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use moim_core::{
    OrgId, UserId,
    call::{ApplicationDraft, CallDraft, CallKind, CallRules, Milestone, PartnerShare},
    evaluation::usual_criteria,
    questionnaire::{Answer, Question, QuestionType, Questionnaire, Section},
    selection::{DecideApplication, Decision},
};

fn plan_form() -> Questionnaire {
    let long = |key: &str, text: &str, required: bool| Question {
        required,
        ..Question::new(key, text, QuestionType::LongText)
    };
    Questionnaire {
        sections: vec![
            Section {
                title: "사업 계획".into(),
                questions: vec![
                    long("goal", "추진 목표와 내용", true),
                    Question {
                        unit: Some("명".into()),
                        ..Question::new("people", "참여 인력", QuestionType::Number)
                    },
                ],
            },
            Section {
                title: "기대 효과".into(),
                questions: vec![long("effect", "기대 효과와 성과 활용 계획", true)],
            },
        ],
    }
}

/// The calls: `admin` publishes them; `lead`'s representative `rep` applies to
/// the second with `partner`, whose representative `partner_rep` confirms.
pub async fn load(
    db: &Db,
    admin: UserId,
    (lead, rep): (OrgId, UserId),
    (partner, partner_rep): (OrgId, UserId),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let today: NaiveDate = now.with_timezone(&moim_core::KST).date_naive();
    let day = |d: i64| today + Duration::days(d);
    let open = CallDraft {
        title: "2027 테마클러스터 공모 (샘플)".into(),
        kind: CallKind::ThemeCluster,
        description: "업종·기술 테마로 모인 기업·대학·연구기관의 테마클러스터를 선정해 3년간 지원합니다.\n\n\
            기업 10곳 이상과 대학·연구기관·지원기관 1곳 이상이 함께 신청하며, 참여 기업이 사업비의 20% 이상을 부담합니다. \
            (샘플 데이터)"
            .into(),
        budget_manwon: 260_000,
        rules: CallRules {
            min_firms: Some(10),
            needs_institution: true,
            min_firm_share_pct: Some(20),
            min_project_manwon: Some(1_000),
            region: None,
            open_problem: false,
        },
        opens_on: day(-10),
        closes_on: day(21),
        evaluation_on: day(28),
        announce_on: day(45),
        agreement_on: day(60),
        form: plan_form(),
        criteria: usual_criteria(),
    };
    db::calls::create(db, admin, &open, now - Duration::days(12)).await?;

    let support = CallDraft {
        title: "2026 하반기 애로과제 지원 공모 — 시제품 제작 (샘플)".into(),
        kind: CallKind::Support,
        description: "공개된 애로과제를 대학·연구기관과 함께 풀 기업의 시제품 제작을 지원합니다. (샘플 데이터)".into(),
        budget_manwon: 30_000,
        rules: CallRules {
            min_firm_share_pct: Some(20),
            min_project_manwon: Some(500),
            open_problem: true,
            ..Default::default()
        },
        opens_on: day(-50),
        closes_on: day(-20),
        evaluation_on: day(-10),
        announce_on: day(10),
        agreement_on: day(25),
        form: plan_form(),
        criteria: usual_criteria(),
    };
    let at = |d: i64| now + Duration::days(d);
    let call = db::calls::create(db, admin, &support, at(-52)).await?;
    let problem = db::calls::open_problem_of(db, lead).await?;
    let id = db::calls::start(
        db,
        call,
        lead,
        rep,
        "사출 금형 냉각 채널 시제품 제작",
        at(-30),
    )
    .await?;
    let draft = ApplicationDraft {
        title: "사출 금형 냉각 채널 시제품 제작".into(),
        answers: [
            ("goal", "3D 프린팅 컨포멀 냉각 채널 금형 시제품으로 휨 불량을 절반으로 줄입니다."),
            ("effect", "불량률 감소로 연 1억 원의 재작업 비용을 줄이고 같은 공정을 협의체 기업과 나눕니다."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Answer::Text(v.to_owned())))
        .chain([("people".to_owned(), Answer::Number(6.0))])
        .collect(),
        partners: vec![PartnerShare {
            org: partner,
            share_manwon: 100,
        }],
        government_manwon: 2_400,
        lead_share_manwon: 700,
        milestones: vec![
            Milestone {
                title: "냉각 채널 설계·해석".into(),
                due_on: day(60),
                amount_manwon: 1_000,
            },
            Milestone {
                title: "시제품 금형 제작·사출 시험".into(),
                due_on: day(150),
                amount_manwon: 2_200,
            },
        ],
        problem,
    };
    let sample = || AppError::Internal("sample application".into());
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::save(db, &app, &draft, rep, at(-29)).await?;
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::answer(db, &app, partner, 100, true, partner_rep, at(-27)).await?;
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::set_status(db, &app, true, rep, at(-22)).await?;
    announced(db, admin, (partner, partner_rep), (lead, rep), now).await?;
    db::calls::mark_sample(db).await?;
    // The teams were told as the calls moved on; the sample starts from today.
    db::calls::settle_phases(db, now).await?;
    Ok(())
}

/// Last spring's theme-cluster call, announced: `lead` (a university, its
/// representative `rep`) applied with `firm`, whose representative
/// `firm_rep` confirmed; selected with its grant.
async fn announced(
    db: &Db,
    admin: UserId,
    (lead, rep): (OrgId, UserId),
    (firm, firm_rep): (OrgId, UserId),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let today: NaiveDate = now.with_timezone(&moim_core::KST).date_naive();
    let day = |d: i64| today + Duration::days(d);
    let at = |d: i64| now + Duration::days(d);
    let title = "2026 상반기 테마클러스터 공모 (샘플)";
    let past = CallDraft {
        title: title.into(),
        kind: CallKind::ThemeCluster,
        description:
            "대학·연구기관이 운영하고 기업이 함께하는 테마클러스터를 선정해 3년간 지원합니다. \
            선정 결과를 발표했습니다. (샘플 데이터)"
                .into(),
        budget_manwon: 20_000,
        rules: CallRules {
            needs_institution: true,
            min_firm_share_pct: Some(20),
            ..Default::default()
        },
        opens_on: day(-150),
        closes_on: day(-120),
        evaluation_on: day(-105),
        announce_on: day(-90),
        agreement_on: day(-75),
        form: plan_form(),
        criteria: usual_criteria(),
    };
    let call = db::calls::create(db, admin, &past, at(-155)).await?;
    let name = "스마트 금형 테마클러스터";
    let id = db::calls::start(db, call, lead, rep, name, at(-140)).await?;
    let draft = ApplicationDraft {
        title: name.into(),
        answers: [
            ("goal", "대학의 금형 설계·해석 역량과 기업의 현장 데이터를 묶어 스마트 금형 기술을 함께 개발합니다."),
            ("effect", "금형 수명 예측으로 참여 기업의 불량과 정지 시간을 줄이고, 성과를 단지의 금형 기업과 나눕니다."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Answer::Text(v.to_owned())))
        .chain([("people".to_owned(), Answer::Number(14.0))])
        .collect(),
        partners: vec![PartnerShare {
            org: firm,
            share_manwon: 2_500,
        }],
        government_manwon: 8_000,
        lead_share_manwon: 500,
        milestones: vec![Milestone {
            title: "금형 센서 데이터 수집·수명 예측 모델".into(),
            due_on: day(200),
            amount_manwon: 11_000,
        }],
        problem: None,
    };
    let sample = || AppError::Internal("sample application".into());
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::save(db, &app, &draft, rep, at(-139)).await?;
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::answer(db, &app, firm, 2_500, true, firm_rep, at(-135)).await?;
    let app = db::calls::application(db, id).await?.ok_or_else(sample)?;
    db::calls::set_status(db, &app, true, rep, at(-125)).await?;
    let decision = DecideApplication {
        decision: Decision::Selected,
        reason: "대학 운영 역량과 기업 참여가 균형 잡혀 있고 추진 계획이 구체적임".into(),
        grant_manwon: Some(8_000),
    };
    db::selection::decide(db, call, id, lead, name, &decision, admin, at(-95)).await?;
    db::selection::announce(db, call, title, admin, at(-90)).await?;
    Ok(())
}
