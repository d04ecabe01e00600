//! The sample portal's calls (공모): a theme-cluster call taking applications
//! now, and a call for prototype support in evaluation, with 한빛정밀's
//! application (its open problem, 동남과학기술대학교 as a confirmed partner)
//! submitted before the deadline. Written through the same db functions as the
//! API, at the times they would have happened.

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
    db::calls::mark_sample(db).await?;
    // The teams were told as the calls moved on; the sample starts from today.
    db::calls::settle_phases(db, now).await?;
    Ok(())
}
