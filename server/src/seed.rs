//! Data for newcomers and benchmarks: `--demo` loads the regions, complexes and
//! consortia of the programme with fictional people and firms (all marked
//! `is_sample`); the `seed-bench…` commands load a large synthetic set
//! ([`bench`]).

pub mod bench;
mod calls;
mod results;

use crate::{
    auth,
    db::{
        self, Db, Tx,
        users::{NewUser, OrgTarget},
    },
    error::{AppError, AppResult},
};
use chrono::{Duration, Utc};
use moim_core::{
    ComplexId, ConsortiumId, FieldId, OrgId, UserId,
    account::{NewOrganisation, OrgKind, Role},
    consortium::{ConsortiumKind, EditConsortium, RequestKind},
    reference::Reference,
};

/// Password of every sample account.
pub const DEMO_PASSWORD: &str = "moim-demo-2026";

/// A business number with a valid check digit from nine digits.
pub fn business_number(nine: u32) -> String {
    const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let digits: Vec<u32> = format!("{:09}", nine % 1_000_000_000)
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let mut sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    sum += digits[8] * 5 / 10;
    let check = (10 - sum % 10) % 10;
    format!(
        "{}{}",
        digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect::<String>(),
        check
    )
}

fn complex(r: &Reference, name: &str) -> AppResult<ComplexId> {
    r.complexes
        .iter()
        .find(|c| c.name_ko.starts_with(name))
        .map(|c| c.id)
        .ok_or_else(|| AppError::Internal(format!("no complex {name}")))
}

fn field(r: &Reference, name: &str) -> AppResult<FieldId> {
    r.fields
        .iter()
        .find(|f| f.name_ko == name)
        .map(|f| f.id)
        .ok_or_else(|| AppError::Internal(format!("no field {name}")))
}

/// (complex prefix, field, kind, name, description)
const CONSORTIA: &[(&str, &str, ConsortiumKind, &str, &str)] = &[
    (
        "창원",
        "공작기계",
        ConsortiumKind::MiniCluster,
        "창원 공작기계 미니클러스터",
        "공작기계 완성품 기업과 부품 협력사, 대학 연구실이 함께 고정밀 가공 기술과 스마트 공장 전환 과제를 발굴합니다. 매월 기술 세미나와 기업 방문을 엽니다.",
    ),
    (
        "창원",
        "금형",
        ConsortiumKind::MiniCluster,
        "창원 금형 미니클러스터",
        "사출·프레스 금형 기업의 냉각 채널 설계, 표면 처리, 수명 예측 애로기술을 함께 풉니다.",
    ),
    (
        "창원",
        "메카트로닉스",
        ConsortiumKind::MiniCluster,
        "창원 메카트로닉스 미니클러스터",
        "로봇·자동화 장비 기업과 제어 기술 연구자가 모여 공정 자동화 과제를 기획합니다.",
    ),
    (
        "원주",
        "재활의료기기",
        ConsortiumKind::MiniCluster,
        "원주 재활의료기기 미니클러스터",
        "재활 보조기기 기업과 의공학 연구실이 시제품 시험과 임상 연계를 지원합니다.",
    ),
    (
        "원주",
        "의료기기부품",
        ConsortiumKind::MiniCluster,
        "원주 의료기기부품 미니클러스터",
        "의료기기 부품 기업의 인증, 소재, 정밀 가공 애로를 공동으로 해결합니다.",
    ),
    (
        "성서",
        "기계·금속소재",
        ConsortiumKind::MiniCluster,
        "성서 기계·금속소재 미니클러스터",
        "금속 소재 열처리와 가공 기업이 품질 혁신과 공동 장비 활용을 추진합니다.",
    ),
    (
        "성서",
        "지능형자동차",
        ConsortiumKind::MiniCluster,
        "성서 지능형자동차 미니클러스터",
        "자동차 전장 부품과 센서 기업이 완성차 협력 과제를 발굴합니다.",
    ),
    (
        "성서",
        "IT·전자·전기",
        ConsortiumKind::MiniCluster,
        "성서 IT·전자·전기 미니클러스터",
        "전자 부품과 임베디드 소프트웨어 기업의 기술 교류 모임입니다.",
    ),
    (
        "성서",
        "전통산업융합",
        ConsortiumKind::MiniCluster,
        "성서 전통산업융합 미니클러스터",
        "섬유·염색 등 전통 산업에 IT를 접목하는 융합 과제를 기획합니다.",
    ),
    (
        "녹산",
        "조선기자재",
        ConsortiumKind::MiniCluster,
        "녹산 조선기자재 미니클러스터",
        "선박용 기자재 기업이 친환경 선박 규제 대응 기술을 함께 준비합니다.",
    ),
    (
        "녹산",
        "도금",
        ConsortiumKind::MiniCluster,
        "녹산 도금 미니클러스터",
        "표면처리·도금 기업의 폐수 저감과 공정 효율화 과제를 다룹니다.",
    ),
    (
        "녹산",
        "부품·소재",
        ConsortiumKind::MiniCluster,
        "녹산 부품·소재 미니클러스터",
        "기계 부품과 소재 기업의 국산화 과제를 발굴합니다.",
    ),
    (
        "녹산",
        "수송기계부품",
        ConsortiumKind::MiniCluster,
        "녹산 수송기계부품 미니클러스터",
        "철도·항공·자동차 부품 기업의 경량화 기술 협력체입니다.",
    ),
    (
        "대불",
        "조선",
        ConsortiumKind::MiniCluster,
        "대불 조선 미니클러스터",
        "중소 조선소와 블록 제작 기업의 생산성 향상 모임입니다.",
    ),
    (
        "대불",
        "선박부품",
        ConsortiumKind::MiniCluster,
        "대불 선박부품 미니클러스터",
        "선박 의장품과 배관 부품 기업이 품질 인증을 함께 준비합니다.",
    ),
    (
        "대불",
        "해양레저선박",
        ConsortiumKind::MiniCluster,
        "대불 해양레저선박 미니클러스터",
        "레저 보트 제작 기업과 디자인 연구자의 협의체입니다.",
    ),
    (
        "오창",
        "반도체",
        ConsortiumKind::MiniCluster,
        "오창 반도체 미니클러스터",
        "반도체 장비·부품 기업과 연구기관이 공정 소재 과제를 다룹니다.",
    ),
    (
        "오창",
        "전기·전자",
        ConsortiumKind::MiniCluster,
        "오창 전기·전자 미니클러스터",
        "전력 전자와 센서 기업의 기술 교류 모임입니다.",
    ),
    (
        "오창",
        "이차전지·소재",
        ConsortiumKind::MiniCluster,
        "오창 이차전지·소재 미니클러스터",
        "배터리 셀·소재 기업과 시험 기관이 안전성 평가 과제를 함께 풉니다.",
    ),
    (
        "남동",
        "금형",
        ConsortiumKind::MiniCluster,
        "남동 금형 미니클러스터",
        "인천 남동 금형 기업의 설계 자동화와 인력 양성 협의체입니다.",
    ),
    (
        "남동",
        "도금",
        ConsortiumKind::MiniCluster,
        "남동 도금 미니클러스터",
        "도금 기업의 환경 규제 대응과 공동 폐수 처리 과제를 다룹니다.",
    ),
    (
        "반월",
        "자동차부품",
        ConsortiumKind::ThemeCluster,
        "자동차부품 광역 테마클러스터",
        "반월·시화, 군산, 성서, 울산을 잇는 자동차 부품 광역 협력 과제입니다. 전기차 전환 부품 개발을 목표로 기간을 정해 운영합니다.",
    ),
    (
        "울산",
        "정밀화학",
        ConsortiumKind::MiniCluster,
        "울산 정밀화학 미니클러스터",
        "정밀화학 기업의 공정 안전과 고부가 소재 전환 과제를 다룹니다.",
    ),
    (
        "구미",
        "IT·전자·전기",
        ConsortiumKind::MiniCluster,
        "구미 IT·전자 미니클러스터",
        "디스플레이·전자 부품 기업의 사업 전환을 돕는 협의체입니다.",
    ),
    (
        "광주",
        "광융합",
        ConsortiumKind::MiniCluster,
        "광주 광융합 미니클러스터",
        "광통신·조명 기업과 연구소의 융합 제품 개발 모임입니다.",
    ),
    (
        "군산",
        "자동차부품",
        ConsortiumKind::MiniCluster,
        "군산 자동차부품 미니클러스터",
        "상용차 부품 기업의 신시장 진출 협의체입니다.",
    ),
    (
        "제주",
        "바이오",
        ConsortiumKind::SelfSustaining,
        "제주 바이오 자생 클러스터",
        "제주 자원을 활용하는 바이오 기업이 회비로 운영하는 자생적 클러스터입니다.",
    ),
];

/// (name, kind, complex prefix, industry)
const ORGS: &[(&str, OrgKind, &str, &str)] = &[
    ("한빛정밀(주)", OrgKind::Firm, "창원", "공작기계 부품"),
    ("대성금형", OrgKind::Firm, "창원", "사출 금형"),
    ("세진메카트로닉스", OrgKind::Firm, "창원", "자동화 장비"),
    ("미래재활기술", OrgKind::Firm, "원주", "재활 보조기기"),
    ("청솔메디칼", OrgKind::Firm, "원주", "의료기기 부품"),
    ("달구벌소재", OrgKind::Firm, "성서", "금속 열처리"),
    ("스마트전장(주)", OrgKind::Firm, "성서", "자동차 전장"),
    ("바다기자재", OrgKind::Firm, "녹산", "선박 기자재"),
    ("녹산표면처리", OrgKind::Firm, "녹산", "도금"),
    ("영암조선산업", OrgKind::Firm, "대불", "블록 제작"),
    ("오창셀텍", OrgKind::Firm, "오창", "이차전지 소재"),
    ("나노웨이퍼", OrgKind::Firm, "오창", "반도체 부품"),
    ("남동몰드텍", OrgKind::Firm, "남동", "프레스 금형"),
    ("시화오토파츠", OrgKind::Firm, "반월", "자동차 부품"),
    ("울산케미칼", OrgKind::Firm, "울산", "정밀화학"),
    ("동남과학기술대학교", OrgKind::University, "", ""),
    ("원주보건과학대학교", OrgKind::University, "", ""),
    ("중부공과대학교", OrgKind::University, "", ""),
    ("한국생산기술연구소(샘플)", OrgKind::Institute, "", ""),
    ("지역산업진흥원(샘플)", OrgKind::Agency, "", ""),
];

/// (email, name, org index, department, expert)
const PEOPLE: &[(&str, &str, usize, &str, bool)] = &[
    ("kim.minsu@hanbit.example", "김민수", 0, "", false),
    ("lee.jiyoung@daesung.example", "이지영", 1, "", false),
    ("park.junho@sejin.example", "박준호", 2, "", false),
    ("choi.eunji@mirae.example", "최은지", 3, "", false),
    ("jung.hyun@cheongsol.example", "정현", 4, "", false),
    ("kang.seojun@dalgu.example", "강서준", 5, "", false),
    ("yoon.hana@smartev.example", "윤하나", 6, "", false),
    ("lim.taeho@bada.example", "임태호", 7, "", false),
    ("han.soyeon@noksan.example", "한소연", 8, "", false),
    ("oh.jinwoo@yeongam.example", "오진우", 9, "", false),
    ("seo.yuna@cell.example", "서유나", 10, "", false),
    ("shin.dongwook@nano.example", "신동욱", 11, "", false),
    ("kwon.mira@moldtec.example", "권미라", 12, "", false),
    ("hwang.sungmin@sihwa.example", "황성민", 13, "", false),
    ("song.jiwon@ulsanchem.example", "송지원", 14, "", false),
    (
        "prof.ahn@dongnam.example",
        "안재훈 교수",
        15,
        "기계공학과 금형설계연구실",
        true,
    ),
    (
        "prof.bae@wonju.example",
        "배수진 교수",
        16,
        "의공학과 재활공학연구실",
        true,
    ),
    (
        "prof.cho@jungbu.example",
        "조성훈 교수",
        17,
        "신소재공학과",
        true,
    ),
    (
        "dr.moon@kitech.example",
        "문혜린 박사",
        18,
        "금형기술그룹",
        true,
    ),
    (
        "ryu.manager@promotion.example",
        "류경호",
        19,
        "기업지원팀",
        false,
    ),
];

/// Loads the sample portal once: does nothing if sample consortia exist already.
pub async fn demo(db: &Db) -> AppResult<()> {
    db::reference::seed(db).await?;
    let reference = db::reference::load(db).await?;
    if db::consortia::list(db, &Default::default(), None)
        .await?
        .items
        .iter()
        .any(|c| c.is_sample)
    {
        return Ok(());
    }
    let hash = auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let person = |email: &'static str,
                  name: &'static str,
                  department: Option<&'static str>,
                  is_expert: bool,
                  role: Role| NewUser {
        email,
        password_hash: &hash,
        name,
        department,
        is_expert,
        role,
        is_sample: true,
        verified: true,
        consented: true,
    };
    let agency = NewOrganisation {
        kind: OrgKind::Agency,
        name: "한국산업단지공단(샘플)".into(),
        business_no: None,
        complex_id: None,
        headcount: None,
        industry: None,
    };
    let (admin, kicox) = db::users::insert_in(
        &mut tx,
        &person(
            "admin@moim.example",
            "관리자",
            Some("클러스터사업처"),
            false,
            Role::Admin,
        ),
        OrgTarget::New(&agency),
        now,
    )
    .await?;
    let mut cms = Vec::new();
    for (email, name) in [
        ("cm.changwon@moim.example", "정다운 CM"),
        ("cm.wonju@moim.example", "문소라 CM"),
        ("cm.yeongnam@moim.example", "백승우 CM"),
        ("cm.west@moim.example", "노은비 CM"),
    ] {
        let (id, _) = db::users::insert_in(
            &mut tx,
            &person(email, name, Some("네트워킹 전문가"), false, Role::Member),
            OrgTarget::Existing {
                id: kicox,
                confirmed: true,
            },
            now,
        )
        .await?;
        cms.push(id);
    }
    let mut orgs: Vec<OrgId> = Vec::new();
    for (i, (name, kind, cx, industry)) in ORGS.iter().enumerate() {
        let firm = *kind == OrgKind::Firm;
        let org = NewOrganisation {
            kind: *kind,
            name: (*name).to_owned(),
            business_no: firm
                .then(|| business_number(610_810_000 + u32::try_from(i).unwrap_or(0) * 37)),
            complex_id: if firm {
                Some(complex(&reference, cx)?)
            } else {
                None
            },
            headcount: firm.then_some(12 + i64::try_from(i).unwrap_or(0) * 7),
            industry: firm.then(|| (*industry).to_owned()),
        };
        let (email, pname, _, dept, expert) = PEOPLE[i];
        let (user, org_id) = db::users::insert_in(
            &mut tx,
            &person(
                email,
                pname,
                Some(dept).filter(|d| !d.is_empty()),
                expert,
                Role::Member,
            ),
            OrgTarget::New(&org),
            now,
        )
        .await?;
        orgs.push(org_id);
        if expert {
            save_profile(&mut tx, user, i, now).await?;
        }
    }
    let mut consortia = Vec::new();
    for (i, (cx, fd, kind, name, description)) in CONSORTIA.iter().enumerate() {
        let theme = *kind == ConsortiumKind::ThemeCluster;
        let c = EditConsortium {
            name: (*name).to_owned(),
            kind: *kind,
            complex_id: complex(&reference, cx)?,
            field_id: field(&reference, fd)?,
            description: (*description).to_owned(),
            term_start: theme
                .then(|| chrono::NaiveDate::from_ymd_opt(2026, 1, 1))
                .flatten(),
            term_end: theme
                .then(|| chrono::NaiveDate::from_ymd_opt(2028, 12, 31))
                .flatten(),
        };
        // Two years and more ago, so last year's figures are of members.
        let created = now - Duration::days(800 - i64::try_from(i).unwrap_or(0) * 9);
        let id = db::consortia::create_in(&mut tx, &c, Some(admin), true, created).await?;
        // CMs work by area: 창원, 원주, the rest of the south-east, and the west.
        let cm = match *cx {
            "창원" => cms[0],
            "원주" => cms[1],
            "성서" | "녹산" | "울산" | "구미" => cms[2],
            _ => cms[3],
        };
        db::consortia::appoint_manager_in(&mut tx, id, cm, Some(admin), created).await?;
        consortia.push(id);
    }
    // Members: each firm in the consortia of its complex, universities and institutes spread wider.
    for (ci, (cx, ..)) in CONSORTIA.iter().enumerate() {
        for (oi, (_, kind, ocx, _)) in ORGS.iter().enumerate() {
            let joins = match kind {
                OrgKind::Firm => ocx == cx,
                _ => (ci + oi) % 3 == 0,
            };
            if joins {
                let after = Duration::days(i64::try_from((ci * 7 + oi * 13) % 200).unwrap_or(0));
                let at = now - Duration::days(800 - i64::try_from(ci).unwrap_or(0) * 9) + after;
                db::requests::add_member(&mut tx, consortia[ci], orgs[oi], at).await?;
            }
        }
    }
    tx.commit().await?;
    sample_problems(db, &reference, consortia[0], orgs[0], now).await?;
    sample_ideas(db, consortia[0], now).await?;
    sample_activities(db, &consortia, &cms, now).await?;
    let mut people = Vec::new();
    let mut experts = Vec::new();
    for (email, _, _, _, expert) in PEOPLE {
        let id = sample_person(db, email).await?;
        people.push(id);
        if *expert {
            experts.push(id);
        }
    }
    results::load(db, admin, &orgs, &experts, &people, now).await?;
    sample_partners(db, admin, now).await?;
    calls::load(db, admin, (orgs[0], people[0]), (orgs[15], people[15]), now).await?;
    sample_matchmaking(db, consortia[0], cms[0], now).await?;
    // The self-sustaining cluster (the last) keeps last year's books.
    if let Some(jeju) = consortia.last() {
        sample_ledger(db, *jeju, cms[3], now).await?;
    }
    // Open requests so a CM has something to decide on first sign-in.
    for (org_index, consortium_index, person_index) in [(4usize, 3usize, 4usize), (13, 1, 13)] {
        let by = sample_person(db, PEOPLE[person_index].0).await?;
        db::requests::open(
            db,
            RequestKind::Request,
            consortia[consortium_index],
            orgs[org_index],
            by,
            "공동 연구 과제를 찾고 있어 가입을 신청합니다.",
            now - Duration::days(2),
        )
        .await?;
    }
    Ok(())
}

/// A 수출상담회 held ten days ago, open to guests: three Korean firms and three
/// buyers from abroad who came as guests without an account, their requests,
/// the schedule, and what each side reported (two contracts, a negotiation, a
/// no-show), so the meetings page, the follow-up round and the cockpit's
/// matchmaking figures have something to show. Every step goes through the
/// same functions as the API, at the times it would have happened.
async fn sample_matchmaking(
    db: &Db,
    consortium: ConsortiumId,
    cm: UserId,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use db::matchmaking::Who;
    use moim_core::{
        activity::{ActivityAudience, ActivityKind, GuestRegistration, NewActivity, Register},
        matchmaking::*,
    };
    let refused = |what: &str, e: &dyn std::fmt::Debug| {
        AppError::Internal(format!("sample matchmaking, {what}: {e:?}"))
    };
    // 10:00–17:00 Korea time, ten days ago.
    let start = (now - Duration::days(10))
        .with_timezone(&moim_core::KST)
        .date_naive()
        .and_hms_opt(1, 0, 0)
        .map_or(now, |t| t.and_utc());
    let scheduled = start - Duration::days(21);
    let a = NewActivity {
        consortium_ids: vec![consortium],
        kind: ActivityKind::Matchmaking,
        title: "창원 공작기계·금형 해외 바이어 수출상담회".to_owned(),
        description: "미국·베트남·독일 바이어와 창원·남동·반월 기업의 1:1 수출상담회입니다. \
                      (샘플 데이터: 바이어와 계약 금액은 예시)"
            .to_owned(),
        starts_at: start,
        ends_at: start + Duration::hours(7),
        place: "창원컨벤션센터 3층 상담장".to_owned(),
        online_url: None,
        capacity: Some(40),
        deadline: None,
        waitlist: false,
        audience: Some(ActivityAudience::Anyone),
        place_public: Some(true),
        programme: None,
        categories: None,
        questions: None,
        partners: None,
    };
    let id = db::activities::create(db, &a, cm, scheduled).await?;
    let setup = MatchSetup {
        sessions: vec![
            MatchSession {
                starts_at: start,
                ends_at: start + Duration::hours(2),
            },
            MatchSession {
                starts_at: start + Duration::hours(4),
                ends_at: start + Duration::hours(6),
            },
        ],
        slot_minutes: 30,
        tables: 4,
        booking_opens_at: scheduled + Duration::days(1),
        booking_closes_at: start - Duration::days(1),
        cap: 6,
        interpreters: vec![Interpreter {
            name: "김통역".to_owned(),
            languages: vec![Language::Ko, Language::En],
        }],
        follow_up_months: 6,
        rates: vec![
            ExchangeRate {
                currency: Currency::Usd,
                krw: 1380,
            },
            ExchangeRate {
                currency: Currency::Eur,
                krw: 1490,
            },
        ],
    };
    db::matchmaking::set_setup(db, id, &setup, scheduled)
        .await
        .map_err(|e| refused("setup", &e))?;
    let booking = scheduled + Duration::days(2);
    let profile =
        |role, offer: &str, seek: &str, country: &str, languages: Vec<Language>| MatchProfile {
            role,
            offer: offer.to_owned(),
            seek: seek.to_owned(),
            country: country.to_owned(),
            interpreter: !languages.contains(&Language::Ko),
            languages,
            unavailable: Vec::new(),
            fields: Vec::new(),
        };
    // The Korean firms (members of consortia of other complexes too: the event is open).
    let sellers = [
        (
            "park.junho@sejin.example",
            "공장 자동화 셀, 로봇 그리퍼와 지그",
            "해외 완성차·부품사 협력 파트너",
        ),
        (
            "kwon.mira@moldtec.example",
            "자동차 차체용 프레스 금형 설계·제작",
            "북미·유럽 금형 수요처",
        ),
        (
            "hwang.sungmin@sihwa.example",
            "EV 배터리 브래킷과 샤시 부품",
            "동남아 조립 공장 공급처",
        ),
    ];
    // Their technology fields, and the buyers' after them.
    let reference = db::reference::load(db).await?;
    let fields = |names: &[&str]| -> AppResult<Vec<FieldId>> {
        names.iter().map(|n| field(&reference, n)).collect()
    };
    let seller_fields = [vec!["메카트로닉스"], vec!["금형"], vec!["자동차부품"]];
    let buyer_fields = [
        vec!["금형", "메카트로닉스"],
        vec!["자동차부품", "이차전지·소재"],
        vec!["메카트로닉스"],
    ];
    let mut firms = Vec::new();
    for (i, (email, offer, seek)) in sellers.iter().enumerate() {
        let user = sample_person(db, email).await?;
        let at = booking + Duration::hours(i64::try_from(i).unwrap_or(0));
        db::activities::register(db, id, user, &Register::default(), at)
            .await
            .map_err(|e| refused("registration", &e))?;
        let who = Who::User(user);
        let mut p = profile(
            MatchRole::Seller,
            offer,
            seek,
            "KR",
            vec![Language::Ko, Language::En],
        );
        p.fields = fields(&seller_fields[i])?;
        db::matchmaking::save_profile(db, id, who, &p, at).await?;
        firms.push(participant(db, id, who).await?);
    }
    // The buyers, guests without an account, confirmed by their mailed link.
    let buyers = [
        (
            "Michael Turner",
            "Great Lakes Tooling Inc.",
            "m.turner@greatlakes.example",
            "US",
            "Tooling distributor for Midwest automotive suppliers",
            "Press dies and automation cells for body parts",
            Language::En,
        ),
        (
            "Nguyen Thi Lan",
            "Saigon Auto Components JSC",
            "lan.nguyen@saigonauto.example",
            "VN",
            "Assembly of EV battery packs",
            "Brackets and chassis parts from Korea",
            Language::Vi,
        ),
        (
            "Anna Becker",
            "Rheinland Maschinenbau GmbH",
            "a.becker@rheinland.example",
            "DE",
            "Special machines for the automotive industry",
            "Grippers and jigs; Korean partners for Europe",
            Language::De,
        ),
    ];
    let mut guests = Vec::new();
    for (i, (name, org, email, country, offer, seek, lang)) in buyers.into_iter().enumerate() {
        let at = booking + Duration::hours(4 + i64::try_from(i).unwrap_or(0));
        let g = GuestRegistration {
            name: name.to_owned(),
            org_name: org.to_owned(),
            email: email.to_owned(),
            phone: None,
            category: None,
            agree: true,
            answers: Default::default(),
        };
        db::guests::register(db, id.0, &g, email, at)
            .await
            .map_err(|e| refused("guest", &e))?;
        let gid = db::guests::id_of(db, id.0, email)
            .await?
            .ok_or_else(|| AppError::Internal("sample guest not registered".into()))?;
        let row = db::guests::find(db, gid).await?;
        let opened = at + Duration::minutes(20);
        db::guests::confirm(db, &row, opened, opened)
            .await
            .map_err(|e| refused("confirmation", &e))?;
        let who = Who::Guest(gid);
        let languages = if lang == Language::En {
            vec![lang]
        } else {
            vec![lang, Language::En]
        };
        let mut p = profile(MatchRole::Buyer, offer, seek, country, languages);
        p.fields = fields(&buyer_fields[i])?;
        db::matchmaking::save_profile(db, id, who, &p, opened).await?;
        guests.push(participant(db, id, who).await?);
    }
    // Requests and answers: (from, to, message, accepted).
    let asks = [
        (
            guests[0],
            firms[1],
            "We need press dies for a new pickup program. Can we meet?",
            true,
        ),
        (
            guests[0],
            firms[0],
            "Interested in your automation cells.",
            true,
        ),
        (
            firms[2],
            guests[1],
            "EV 배터리 브래킷 공급을 제안드립니다.",
            true,
        ),
        (
            guests[2],
            firms[0],
            "Looking for gripper suppliers for Europe.",
            true,
        ),
    ];
    let mut requests = Vec::new();
    for (i, (from, to, message, accept)) in asks.into_iter().enumerate() {
        let at = booking + Duration::days(1) + Duration::hours(i64::try_from(i).unwrap_or(0));
        let r = NewMeetingRequest {
            to,
            message: message.to_owned(),
        };
        let rid = db::matchmaking::request(db, id, from, &r, at)
            .await
            .map_err(|e| refused("request", &e))?;
        db::matchmaking::answer(db, id, rid, to, accept, at + Duration::hours(3))
            .await
            .map_err(|e| refused("answer", &e))?;
        requests.push((rid, from, to));
    }
    db::matchmaking::run_schedule(db, id, start - Duration::hours(20))
        .await
        .map_err(|e| refused("schedule", &e))?;
    // What each side reported after the day: (request, reporter, report).
    let report =
        |attendance, rating, follow_up, amount: Option<i64>, currency, on_site| MeetingReport {
            attendance,
            rating,
            follow_up,
            amount,
            currency,
            signed_on_site: on_site,
        };
    use MeetingAttendance::{Held, NoShow};
    // Both sides of the first meeting report the contract signed at the event.
    let signed = report(
        Held,
        Some(5),
        Some(FollowUp::ContractSigned),
        Some(120_000),
        Some(Currency::Usd),
        true,
    );
    let usd = Some(Currency::Usd);
    let reports = [
        (0, requests[0].2, signed.clone()),
        (0, requests[0].1, signed),
        (
            1,
            requests[1].2,
            report(
                Held,
                Some(4),
                Some(FollowUp::Negotiating),
                None,
                None,
                false,
            ),
        ),
        (
            2,
            requests[2].1,
            report(
                Held,
                Some(4),
                Some(FollowUp::ContractInProgress),
                Some(80_000),
                usd,
                false,
            ),
        ),
        (
            3,
            requests[3].2,
            report(NoShow, None, None, None, None, false),
        ),
    ];
    let after = start + Duration::hours(7);
    for (i, by, r) in reports {
        db::matchmaking::report(db, id, requests[i].0, by, &r, after)
            .await
            .map_err(|e| refused("report", &e))?;
    }
    Ok(())
}

/// Someone's participant number at a sample event.
async fn participant(
    db: &Db,
    id: moim_core::ActivityId,
    who: db::matchmaking::Who,
) -> AppResult<i64> {
    db::matchmaking::participant_of(db, id, who)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| AppError::Internal("sample participant missing".into()))
}

/// Last year's member fees and donations of the self-sustaining cluster
/// `c`, kept by its CM `cm`: every member invoiced, one paid, one waived,
/// and a donation (this year's books are left for the CM to open).
async fn sample_ledger(
    db: &Db,
    c: ConsortiumId,
    cm: UserId,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use chrono::{Datelike, NaiveDate};
    use moim_core::ledger::{Donate, FeeClass, FeeRate, FeeSchedule, InvoiceStatus, SettleInvoice};
    let year = now.with_timezone(&moim_core::KST).year() - 1;
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    let rates = [
        (FeeClass::FirmSmall, 30),
        (FeeClass::FirmMedium, 60),
        (FeeClass::FirmLarge, 120),
        (FeeClass::University, 100),
        (FeeClass::Institute, 100),
        (FeeClass::Agency, 50),
    ]
    .map(|(class, amount_manwon)| FeeRate {
        class,
        amount_manwon,
    });
    let schedule = FeeSchedule {
        due_on: day(3, 31),
        rates: rates.to_vec(),
    };
    let at = now - Duration::days(300);
    db::ledger::set_schedule(db, c, year, &schedule, cm, at).await?;
    db::ledger::issue(db, c, year, cm, at).await?;
    let name = db::consortia::name(db, c).await?;
    let books = db::ledger::ledger(db, c, name, year, day(12, 31)).await?;
    for (i, invoice) in books.invoices.iter().enumerate() {
        let settle = if i == 0 {
            SettleInvoice {
                status: InvoiceStatus::Paid,
                paid_on: Some(day(4, 15)),
                note: Some("계좌이체".into()),
            }
        } else {
            SettleInvoice {
                status: InvoiceStatus::Waived,
                paid_on: None,
                note: Some("지원기관 회비 면제 (운영위원회 결정)".into()),
            }
        };
        db::ledger::settle(db, c, invoice.id, &settle, cm, at).await?;
    }
    let gift = Donate {
        donor: "제주바이오산업협회(샘플)".into(),
        amount_manwon: 500,
        received_on: day(6, 10),
        note: Some("공동 시험장비 구입".into()),
    };
    db::ledger::donate(db, c, &gift, cm, at).await?;
    Ok(())
}

/// Partners abroad for the register: bodies of the programme's record (the
/// 18th World Cluster Congress's co-organiser, the US agency it signed with)
/// and a buyers' association, with sample agreements (dates made up, as the
/// descriptions say).
async fn sample_partners(db: &Db, admin: UserId, now: chrono::DateTime<Utc>) -> AppResult<()> {
    use moim_core::partner::{AgreementKind, PartnerKind, SaveAgreement, SavePartner};
    let today = now.with_timezone(&moim_core::KST).date_naive();
    let partners = [
        (
            "TCI Network",
            "TCI 네트워크",
            "ES",
            PartnerKind::Cluster,
            Some("https://www.tci-network.org"),
            "클러스터 실무자·정책 담당자의 국제 네트워크. 제18차 세계클러스터총회(대구)를 공동 주최했습니다. (샘플 데이터: 협약 날짜는 예시)",
            Some((
                AgreementKind::Mou,
                "클러스터 협력 업무협약",
                420,
                Some(1040),
            )),
        ),
        (
            "U.S. Economic Development Administration",
            "미국 경제개발청(EDA)",
            "US",
            PartnerKind::Agency,
            None,
            "미국 상무부 산하 지역 경제개발 기관. 클러스터 정책 교류. (샘플 데이터: 협약 날짜는 예시)",
            Some((
                AgreementKind::Mou,
                "지역 혁신 클러스터 교류 협력",
                700,
                Some(40),
            )),
        ),
        (
            "Vietnam Association of Supporting Industries",
            "베트남 부품소재산업협회",
            "VN",
            PartnerKind::Association,
            None,
            "수출상담회에 바이어를 보내는 산업 협회. (샘플 데이터)",
            None,
        ),
    ];
    for (name, name_ko, country, kind, website, description, agreement) in partners {
        let p = SavePartner {
            name: name.into(),
            name_ko: name_ko.into(),
            country: country.into(),
            kind,
            website: website.map(Into::into),
            description: description.into(),
            contact_name: String::new(),
            contact_email: None,
        };
        let id = db::partners::insert(db, &p, admin, now).await?;
        db::partners::mark_sample(db, id).await?;
        if let Some((kind, title, ago, lasts)) = agreement {
            let signed_on = today - Duration::days(ago);
            let a = SaveAgreement {
                kind,
                title: title.into(),
                scope: "공동 포럼·세미나 개최, 기업 교류와 수출상담회, 정보 공유".into(),
                signed_on,
                // `lasts` days from today.
                expires_on: lasts.map(|d: i64| today + Duration::days(d)),
            };
            db::partners::add_agreement(db, id, &a, admin, now).await?;
        }
    }
    Ok(())
}

async fn sample_person(db: &Db, email: &str) -> AppResult<UserId> {
    db::users::find_by_email(db, email)
        .await?
        .map(|u| UserId(u.id))
        .ok_or_else(|| AppError::Internal("sample person".into()))
}

/// A few ideas on the idea board, with 공감, a comment and the author's answer.
async fn sample_ideas(
    db: &Db,
    consortium: ConsortiumId,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use moim_core::idea::{NewComment, NewIdea};
    let kim = sample_person(db, PEOPLE[0].0).await?;
    let lee = sample_person(db, PEOPLE[1].0).await?;
    let ahn = sample_person(db, "prof.ahn@dongnam.example").await?;
    let ideas = [
        (
            lee,
            None,
            "산업단지 통근 버스를 기업들이 함께 운영하면 어떨까요",
            "역에서 산단까지 버스가 적어 신입 사원 채용이 어렵습니다. 인접 기업 몇 곳이 비용을 나눠 통근 버스를 운영해 보면 좋겠습니다.",
            vec!["복지", "통근"],
            3,
        ),
        (
            ahn,
            None,
            "대학 금형 실습실을 주말에 기업 교육장으로 열기",
            "학과 실습실의 사출기와 CNC를 주말에는 협의체 기업 신입 교육에 쓰면 장비도 살고 교육비도 줄어듭니다.",
            vec!["교육", "금형"],
            2,
        ),
        (
            kim,
            Some(consortium),
            "절삭유를 협의체가 공동 구매하면 비용이 줄어듭니다",
            "회원사마다 따로 사는 절삭유를 분기마다 모아서 사면 단가를 15% 정도 낮출 수 있을 것 같습니다. 폐유 처리도 같이 맡기면 좋겠습니다.",
            vec!["공동구매", "절삭유"],
            1,
        ),
    ];
    let mut last = None;
    for (i, (author, c, title, body, tags, days)) in ideas.into_iter().enumerate() {
        let idea = NewIdea {
            title: title.into(),
            body: body.into(),
            tags: tags.into_iter().map(str::to_owned).collect(),
            consortium_id: c,
            idempotency_key: format!("sample-{i}"),
        };
        let at = now - Duration::days(days);
        let (id, _) = db::ideas::create(db, author, &idea, &[], at).await?;
        for voter in [kim, lee, ahn]
            .into_iter()
            .filter(|v| *v != author)
            .take(3 - i)
        {
            db::ideas::vote(db, id, voter, true, at).await?;
        }
        last = Some(id);
    }
    if let Some(id) = last {
        let row = db::ideas::find(db, id).await?;
        let c = NewComment {
            body: "폐유 처리까지 묶으면 저희 연구실에서 절삭유 수명 시험을 도와드릴 수 있습니다."
                .into(),
            parent_id: None,
            idempotency_key: "sample-c1".into(),
        };
        if let db::ideas::Commented::Created(cid) =
            db::ideas::add_comment(db, &row, ahn, &c, now - Duration::hours(20)).await?
        {
            let reply = NewComment {
                body: "좋습니다. 다음 정기 모임에서 회원사 수요를 모아 보겠습니다.".into(),
                parent_id: Some(cid),
                idempotency_key: "sample-c2".into(),
            };
            let row = db::ideas::find(db, id).await?;
            db::ideas::add_comment(db, &row, kim, &reply, now - Duration::hours(18)).await?;
        }
    }
    Ok(())
}

/// One sample activity.
struct SampleActivity {
    kind: moim_core::activity::ActivityKind,
    title: &'static str,
    place: &'static str,
    /// When, in days from now.
    days: i64,
    capacity: Option<i64>,
    /// How many of the sample people registered, and how many of them came.
    registered: usize,
    attended: usize,
    /// Open beyond the consortium's members: to everyone signed in, or also
    /// to guests without an account.
    open: Option<moim_core::activity::ActivityAudience>,
    /// The programme: minutes after the start, title, speaker, affiliation.
    programme: &'static [(i64, &'static str, &'static str, &'static str)],
    /// Attendee categories and their caps; the sample people take the first.
    categories: &'static [(&'static str, Option<i64>)],
}

/// Networking activities of 창원 공작기계 미니클러스터: four held in the last
/// months (with registrations and attendance, so the cockpit has a story) and two
/// coming up; then one a month or so in other consortia over the year before,
/// so the cockpit's twelve months all show something.
async fn sample_activities(
    db: &Db,
    consortia: &[ConsortiumId],
    cms: &[UserId],
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use moim_core::activity::ActivityKind;
    let mut people = Vec::new();
    for email in [
        PEOPLE[0].0,
        PEOPLE[1].0,
        PEOPLE[2].0,
        "prof.ahn@dongnam.example",
    ] {
        people.push(sample_person(db, email).await?);
    }
    let plan: [SampleActivity; 7] = [
        SampleActivity {
            kind: ActivityKind::Seminar,
            title: "스마트 공장 전환 사례 세미나",
            place: "창원산업진흥원 2층 세미나실",
            days: -150,
            capacity: Some(40),
            registered: 4,
            attended: 3,
            open: None,
            programme: &[],
            categories: &[],
        },
        SampleActivity {
            kind: ActivityKind::CompanyVisit,
            title: "대성금형 사출 라인 견학",
            place: "경남 창원시 의창구 팔용로 45",
            days: -95,
            capacity: Some(15),
            registered: 3,
            attended: 3,
            open: None,
            programme: &[],
            categories: &[],
        },
        SampleActivity {
            kind: ActivityKind::Forum,
            title: "공작기계 수출 상담 포럼",
            place: "창원컨벤션센터 301호",
            days: -60,
            capacity: None,
            registered: 4,
            attended: 2,
            open: None,
            programme: &[],
            categories: &[],
        },
        SampleActivity {
            kind: ActivityKind::GuestLecture,
            title: "연사특강: 절삭 가공의 인공지능",
            place: "동남과학기술대학교 공학관 110호",
            days: -20,
            capacity: Some(60),
            registered: 2,
            attended: 1,
            open: None,
            programme: &[],
            categories: &[],
        },
        SampleActivity {
            kind: ActivityKind::Seminar,
            title: "금형 냉각 기술 세미나",
            place: "창원산업진흥원 2층 세미나실",
            days: 5,
            capacity: Some(30),
            registered: 2,
            attended: 0,
            open: Some(moim_core::activity::ActivityAudience::SignedIn),
            programme: &[
                (0, "개회 및 참석자 소개", "", "창원 공작기계 미니클러스터"),
                (
                    10,
                    "금형 냉각수로 설계와 사이클 타임 단축",
                    "안재훈 교수",
                    "동남과학기술대학교",
                ),
                (
                    50,
                    "3D 프린팅 컨포멀 냉각 적용 사례",
                    "이지영 팀장",
                    "대성금형",
                ),
                (90, "질의응답과 네트워킹", "", ""),
            ],
            categories: &[],
        },
        SampleActivity {
            kind: ActivityKind::CompanyVisit,
            title: "세진메카트로닉스 자동화 셀 견학",
            place: "경남 창원시 성산구 웅남로 88",
            days: 20,
            capacity: Some(12),
            registered: 1,
            attended: 0,
            open: None,
            programme: &[],
            categories: &[],
        },
        // The programme's results meeting (성과보고회): open to everyone signed in,
        // its guests by category as in the record (216 in eight categories).
        SampleActivity {
            kind: ActivityKind::Forum,
            title: "산업단지 혁신클러스터 성과보고회",
            place: "창원컨벤션센터 컨벤션홀",
            days: 12,
            capacity: Some(250),
            registered: 3,
            attended: 0,
            open: Some(moim_core::activity::ActivityAudience::Anyone),
            programme: &[
                (0, "개회사", "", "한국산업단지공단"),
                (
                    15,
                    "혁신클러스터 성과와 과제",
                    "사업총괄",
                    "한국산업단지공단",
                ),
                (
                    45,
                    "미니클러스터 우수사례 발표",
                    "정다운 CM",
                    "창원 공작기계 미니클러스터",
                ),
                (90, "유공자 시상과 네트워킹", "", ""),
            ],
            categories: &[
                ("미니클러스터 회원", Some(90)),
                ("정부", Some(20)),
                ("지자체", Some(20)),
                ("학계·연구소", Some(30)),
                ("추진기관", Some(20)),
                ("지원기관", Some(30)),
                ("언론", Some(10)),
                ("해외 바이어", Some(10)),
            ],
        },
    ];
    for item in plan {
        sample_activity(db, consortia[0], cms[0], &people, item, now).await?;
    }
    // (consortium, its CM, the people who come: members of its firms)
    let earlier: [(usize, usize, [usize; 2], SampleActivity); 6] = [
        (
            1,
            0,
            [1, 0],
            SampleActivity {
                kind: ActivityKind::Seminar,
                title: "금형 표면 처리 기술 세미나",
                place: "창원산업진흥원 3층 회의실",
                days: -340,
                capacity: Some(30),
                registered: 2,
                attended: 2,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
        (
            3,
            1,
            [3, 4],
            SampleActivity {
                kind: ActivityKind::CompanyVisit,
                title: "미래재활기술 시제품 시험실 견학",
                place: "강원 원주시 문막읍 동화공단로 12",
                days: -300,
                capacity: Some(15),
                registered: 2,
                attended: 2,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
        (
            5,
            2,
            [5, 6],
            SampleActivity {
                kind: ActivityKind::Forum,
                title: "열처리 품질 혁신 포럼",
                place: "대구 성서산업단지 관리공단 대회의실",
                days: -265,
                capacity: None,
                registered: 2,
                attended: 1,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
        (
            2,
            0,
            [2, 0],
            SampleActivity {
                kind: ActivityKind::GuestLecture,
                title: "연사특강: 협동로봇 도입의 실제",
                place: "창원산업진흥원 2층 세미나실",
                days: -230,
                capacity: Some(40),
                registered: 2,
                attended: 2,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
        (
            6,
            2,
            [6, 5],
            SampleActivity {
                kind: ActivityKind::Seminar,
                title: "자동차 전장 센서 신뢰성 세미나",
                place: "대구 성서산업단지 관리공단 소회의실",
                days: -195,
                capacity: Some(25),
                registered: 2,
                attended: 2,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
        (
            4,
            1,
            [4, 3],
            SampleActivity {
                kind: ActivityKind::Forum,
                title: "의료기기 인증 대응 포럼",
                place: "원주의료기기테크노밸리 1층 강당",
                days: -120,
                capacity: None,
                registered: 2,
                attended: 1,
                open: None,
                programme: &[],
                categories: &[],
            },
        ),
    ];
    for (c, cm, who, item) in earlier {
        let mut people = Vec::new();
        for p in who {
            people.push(sample_person(db, PEOPLE[p].0).await?);
        }
        sample_activity(db, consortia[c], cms[cm], &people, item, now).await?;
    }
    Ok(())
}

/// The sample open event's registration questions: lunch (yes/no, required)
/// and the session of most interest (one choice).
fn sample_questions() -> Vec<moim_core::questionnaire::Question> {
    use moim_core::questionnaire::{Question, QuestionType};
    vec![
        Question {
            required: true,
            ..Question::new("lunch", "오찬에 참석하십니까?", QuestionType::YesNo)
        },
        Question {
            options: vec![
                "우수사례 발표".to_owned(),
                "성과 전시".to_owned(),
                "네트워킹".to_owned(),
            ],
            ..Question::new(
                "interest",
                "가장 관심 있는 순서",
                QuestionType::SingleChoice,
            )
        },
    ]
}

/// Schedules `item` in `consortium` by `cm`: `people` register (the first
/// ones attend), and one held has its minutes.
async fn sample_activity(
    db: &Db,
    consortium: ConsortiumId,
    cm: UserId,
    people: &[UserId],
    item: SampleActivity,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use moim_core::activity::{AgendaItem, NewActivity};
    let SampleActivity {
        kind,
        title,
        place,
        days,
        capacity,
        registered,
        attended,
        open,
        programme,
        categories,
    } = item;
    let start = (now + Duration::days(days))
        .with_timezone(&moim_core::KST)
        .date_naive()
        .and_hms_opt(5, 0, 0)
        .map_or(now, |t| t.and_utc());
    let a = NewActivity {
        consortium_ids: vec![consortium],
        kind,
        title: title.to_owned(),
        description:
            "회원사 간 교류와 기술 정보 공유를 위한 자리입니다. 참가 신청 후 오시면 됩니다."
                .to_owned(),
        starts_at: start,
        ends_at: start + Duration::hours(2),
        place: place.to_owned(),
        online_url: None,
        capacity,
        deadline: None,
        waitlist: true,
        audience: open,
        place_public: None,
        programme: Some(
            programme
                .iter()
                .map(|(min, title, speaker, affiliation)| AgendaItem {
                    starts_at: start + Duration::minutes(*min),
                    title: (*title).to_owned(),
                    speaker: (*speaker).to_owned(),
                    affiliation: (*affiliation).to_owned(),
                })
                .collect(),
        ),
        categories: Some(
            categories
                .iter()
                .map(|(name, capacity)| moim_core::activity::CategoryDef {
                    name: (*name).to_owned(),
                    capacity: *capacity,
                })
                .collect(),
        ),
        // The open results meeting asks everyone two things at registration.
        questions: (open == Some(moim_core::activity::ActivityAudience::Anyone))
            .then(sample_questions),
        partners: None,
    };
    let answers: moim_core::questionnaire::Answers = a
        .question_list()
        .first()
        .map(|q| (q.key.clone(), moim_core::questionnaire::Answer::YesNo(true)))
        .into_iter()
        .collect();
    let scheduled = (start - Duration::days(21)).min(now);
    let id = db::activities::create(db, &a, cm, scheduled).await?;
    for (i, p) in people.iter().take(registered).enumerate() {
        let at = scheduled + Duration::hours(i64::try_from(i).unwrap_or(0) + 1);
        let r = moim_core::activity::Register {
            category: categories.first().map(|(name, _)| (*name).to_owned()),
            answers: answers.clone(),
        };
        db::activities::register(db, id, *p, &r, at)
            .await
            .map_err(|e| AppError::Internal(format!("sample registration: {e:?}")))?;
        if i < attended {
            db::activities::mark(db, id, *p, true, start + Duration::minutes(10))
                .await
                .map_err(|e| AppError::Internal(format!("sample attendance: {e:?}")))?;
        }
    }
    if days < 0 {
        db::activities::set_minutes(
            db,
            id,
            "참석자 소개, 발표, 질의응답 후 다음 활동 주제를 논의했습니다.",
            cm,
            start + Duration::hours(3),
        )
        .await?;
    }
    Ok(())
}

/// A few published problems of 한빛정밀(주) in 창원 공작기계 미니클러스터, so the
/// problem board, search and matching have something to show.
async fn sample_problems(
    db: &Db,
    reference: &Reference,
    consortium: ConsortiumId,
    org: OrgId,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use moim_core::problem::{Budget, Confidentiality, HelpKind, ProblemInput};
    let author = sample_person(db, PEOPLE[0].0).await?;
    let problems = [
        (
            "사출 금형 냉각 불균일로 인한 휨 불량",
            "금형",
            Confidentiality::Nda,
            "스마트폰 케이스용 사출 금형에서 냉각이 고르지 않아 휨 변형 불량이 4% 발생합니다. 냉각 채널 재설계나 컨포멀 냉각 적용을 검토할 전문가를 찾습니다.",
            "금형 도면 번호 HB-2231, 캐비티 4개, 냉각수 22℃. 현재 사이클 타임 38초, 목표 30초.",
            vec!["금형 냉각", "휨 변형", "컨포멀 냉각"],
            vec![HelpKind::JointRnd, HelpKind::Testing],
        ),
        (
            "CNC 가공 공구 마모 예측으로 불량 줄이기",
            "공작기계",
            Confidentiality::Members,
            "고경도 소재를 CNC로 가공할 때 공구 마모를 미리 알지 못해 치수 불량이 생깁니다. 절삭 신호로 마모를 예측하는 방법을 함께 찾고 싶습니다.",
            "주축 부하 데이터 6개월치 보유. 공구 교체 주기 현재 200개.",
            vec!["CNC 가공", "공구 마모", "예지 보전"],
            vec![HelpKind::Mentoring, HelpKind::Efficiency],
        ),
        (
            "열처리 후 기어 균열 원인 분석",
            "기계·금속소재",
            Confidentiality::Members,
            "침탄 열처리 후 일부 기어에서 미세 균열이 발견됩니다. 원인 분석과 공정 조건 개선을 도와줄 소재 전문가가 필요합니다.",
            "침탄 온도 930℃, 소재 SCM420.",
            vec!["열처리", "균열", "침탄"],
            vec![HelpKind::Testing, HelpKind::TechManagement],
        ),
    ];
    for (i, (title, field_name, confidentiality, summary, details, keywords, help)) in
        problems.into_iter().enumerate()
    {
        let p = ProblemInput {
            consortium_id: consortium,
            title: title.to_owned(),
            summary: summary.to_owned(),
            details: details.to_owned(),
            field_ids: vec![field(reference, field_name)?],
            keywords: keywords.into_iter().map(str::to_owned).collect(),
            help,
            timeline_months: Some(6),
            budget: Budget::From10mTo50m,
            confidentiality,
            publish: true,
        };
        let at = now - Duration::days(20 - i64::try_from(i).unwrap_or(0) * 6);
        db::problems::create(db, org, author, &p, true, at).await?;
    }
    Ok(())
}

async fn save_profile(
    tx: &mut Tx,
    user: UserId,
    i: usize,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let (fields, keywords, equipment, bio) = match i.saturating_sub(15) % 4 {
        0 => (
            "[\"금형\",\"사출성형\"]",
            "[\"금형 냉각\",\"컨포멀 냉각\",\"CNC 가공\"]",
            "3D 금속 프린터, 사출 성형기 150톤",
            "금형 냉각 채널 설계와 사출 해석을 20년간 연구했습니다.",
        ),
        1 => (
            "[\"재활의료기기\"]",
            "[\"보행 보조\",\"근전도\",\"임상 시험\"]",
            "동작 분석 시스템, 근전도 측정기",
            "재활 로봇과 보조기기 사용성 평가를 연구합니다.",
        ),
        2 => (
            "[\"기계·금속소재\",\"이차전지·소재\"]",
            "[\"열처리\",\"분말 야금\",\"양극재\"]",
            "주사전자현미경, X선 회절 분석기",
            "금속 소재의 미세조직과 열처리 공정을 연구합니다.",
        ),
        _ => (
            "[\"금형\",\"도금\"]",
            "[\"표면 처리\",\"프레스 금형\",\"수명 예측\"]",
            "표면 조도계, 마모 시험기",
            "금형 표면 처리와 수명 예측 기술을 개발합니다.",
        ),
    };
    let list = |j: &str| serde_json::from_str::<Vec<String>>(j).unwrap_or_default();
    let profile = moim_core::account::ExpertProfile {
        fields: list(fields),
        keywords: list(keywords),
        equipment: equipment.to_owned(),
        bio: bio.to_owned(),
    };
    db::users::save_expert_profile_in(tx, user, &profile, now).await?;
    Ok(())
}
