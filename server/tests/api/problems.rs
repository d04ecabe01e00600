//! Problems: confidentiality seen from every side, Korean-aware search and
//! matching, proposals and the pipeline, drafts and revisions, attachments,
//! offers and followed fields.

use crate::{
    both,
    support::{PASSWORD, Session, TestApp, error, refused},
};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(
    lists_filter_by_firm_size_and_industry,
    confidentiality_from_every_side,
    korean_search,
    korean_matching,
    proposals_and_pipeline,
    drafts_revisions_and_who_may_post,
    attachments_checked_and_guarded,
    offers_without_a_problem,
    followers_hear_of_new_problems,
    an_expert_who_leaves_leaves_nothing_waiting,
    saves_of_one_draft_at_once_all_land
);

const FIELD_MOULDS: i64 = 2;

fn problem(consortium: i64, title: &str, confidentiality: &str, details: &str) -> Value {
    json!({
        "consortium_id": consortium,
        "title": title,
        "summary": "사출 금형의 냉각이 고르지 않아 불량률이 높습니다. 해결 방안을 찾습니다.",
        "details": details,
        "field_ids": [FIELD_MOULDS],
        "keywords": ["금형 냉각", "3D 프린팅"],
        "help": ["joint_rnd", "mentoring"],
        "timeline_months": 6,
        "budget": "from_10m_to_50m",
        "confidentiality": confidentiality,
        "publish": true
    })
}

/// Two consortia, a firm with problems in the first, and everyone else around.
struct World {
    admin: Session,
    cm: Session,
    owner: Session,
    member: Session,
    other_member: Session,
    invited: Session,
    outsider: Session,
    consortium: i64,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "공단지사", 10).await;
    let consortium = app
        .consortium(&admin, "창원 금형 미니클러스터", Some(&cm))
        .await;
    let other = app.consortium(&admin, "구미 전자 미니클러스터", None).await;
    let owner = app.firm_member("kim@hanbit.example", "한빛정밀", 11).await;
    app.join(&owner, consortium, &cm).await;
    let member = app.firm_member("lee@daesung.example", "대성금형", 12).await;
    app.join(&member, consortium, &cm).await;
    let other_member = app.firm_member("park@gumi.example", "구미전자", 13).await;
    app.join(&other_member, other, &admin).await;
    let profile = json!({"fields": ["금형"], "keywords": ["금형 냉각"], "equipment": "3D 금속 프린터", "bio": ""});
    let invited = app
        .expert("ahn@univ.example", "안재훈", "동남과기대", profile.clone())
        .await;
    let outsider = app
        .expert("choi@inst.example", "최연구", "기계연구원", profile)
        .await;
    World {
        admin,
        cm,
        owner,
        member,
        other_member,
        invited,
        outsider,
        consortium,
    }
}

async fn post_problem(app: &TestApp, w: &World, title: &str, conf: &str) -> i64 {
    let (status, p) = app
        .post(
            "/api/problems",
            problem(
                w.consortium,
                title,
                conf,
                &format!("비밀상세 {conf} 도면번호 XK-77"),
            ),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p["summary"]["id"].as_i64().unwrap()
}

/// What one caller gets for a problem: (status, details_access, has details).
async fn sees(app: &TestApp, id: i64, who: Option<&Session>) -> (StatusCode, String, bool) {
    let (status, p) = app.get(&format!("/api/problems/{id}"), who).await;
    (
        status,
        p["details_access"].as_str().unwrap_or_default().to_owned(),
        p["details"]
            .as_str()
            .is_some_and(|d| d.contains("비밀상세")),
    )
}

fn listed(page: &Value, id: i64) -> bool {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id)
}

/// The ids of a list's page.
fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// The problem list and the consortium list filter on the firm's size band
/// (its latest year's employees, else its headcount) and KSIC division; both
/// conditions hold for one and the same firm.
async fn lists_filter_by_firm_size_and_industry(app: &TestApp) {
    let w = world(app).await;
    // The owner: 35 people registered, KSIC 29. The member: 35 registered, but
    // 120 employees in last year's figures, KSIC 25.
    for (who, ksic) in [(&w.owner, "29"), (&w.member, "25")] {
        let (status, body) = app
            .put(
                &format!("/api/orgs/{}/industry", who.org()),
                json!({"ksic": ksic}),
                Some(who),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let last = chrono::Datelike::year(&(chrono::Utc::now() + chrono::Duration::hours(9))) - 1;
    let (status, body) = app
        .put(
            &format!("/api/orgs/{}/figures/{last}", w.member.org()),
            json!({"figures": {"sales": 20_000, "exports": 1_000, "rnd_spending": 500, "employees": 120, "rnd_staff": 10}}),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let small = post_problem(app, &w, "금형 냉각 불균일 해결", "members").await;
    let (status, p) = app
        .post(
            "/api/problems",
            problem(w.consortium, "금형 표면 거칠기 개선", "members", "상세"),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let medium = p["summary"]["id"].as_i64().unwrap();

    let outsider = &w.outsider;
    let list = |q: &'static str| async move {
        let (status, page) = app.get(&format!("/api/problems?{q}"), Some(outsider)).await;
        assert_eq!(status, StatusCode::OK, "{q}: {page}");
        ids(&page)
    };
    assert_eq!(list("ksic=29").await, vec![small]);
    assert_eq!(list("band=small").await, vec![small]);
    assert_eq!(list("band=medium").await, vec![medium]);
    assert_eq!(list("band=medium&ksic=25").await, vec![medium]);
    assert_eq!(list("band=small&ksic=25").await, Vec::<i64>::new());
    assert_eq!(list("band=large").await, Vec::<i64>::new());
    // With words too (the ranked path).
    assert_eq!(list("q=%EA%B8%88%ED%98%95&ksic=25").await, vec![medium]);

    let consortia = |q: &'static str| async move {
        let (status, page) = app.get(&format!("/api/consortia?{q}"), None).await;
        assert_eq!(status, StatusCode::OK, "{q}: {page}");
        ids(&page)
    };
    assert_eq!(consortia("ksic=29").await, vec![w.consortium]);
    assert_eq!(consortia("band=medium").await, vec![w.consortium]);
    assert_eq!(consortia("ksic=25&band=medium").await, vec![w.consortium]);
    // No one firm is both in KSIC 25 and small.
    assert_eq!(consortia("ksic=25&band=small").await, Vec::<i64>::new());
    assert_eq!(consortia("band=large").await, Vec::<i64>::new());

    // Bad filters: one error shape, the field named.
    for path in [
        "/api/problems?ksic=00",
        "/api/problems?ksic=291",
        "/api/consortia?ksic=ab",
    ] {
        let (status, body) = app.get(path, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["fields"][0]["field"], "ksic", "{path}: {body}");
    }
    for path in ["/api/problems?band=huge", "/api/consortia?band=1"] {
        let (status, body) = app.get(path, None).await;
        assert!(status.is_client_error(), "{path}: {status} {body}");
        assert!(!error(&body).is_empty(), "{path}: {body}");
    }
}

async fn confidentiality_from_every_side(app: &TestApp) {
    let w = world(app).await;
    let members = post_problem(app, &w, "금형 냉각 불균일 해결", "members").await;
    let nda = post_problem(app, &w, "금형 냉각 채널 설계 개선", "nda").await;
    let private = post_problem(app, &w, "금형 냉각 사내 비공개 과제", "private").await;
    let ok = StatusCode::OK;
    let hidden = (ok, "hidden".to_owned(), false);
    let visible = (ok, "visible".to_owned(), true);
    let gone = (StatusCode::NOT_FOUND, String::new(), false);

    // members: summary for all, details for consortium members.
    assert_eq!(sees(app, members, Some(&w.owner)).await, visible);
    assert_eq!(sees(app, members, Some(&w.cm)).await, visible);
    assert_eq!(sees(app, members, Some(&w.admin)).await, visible);
    assert_eq!(sees(app, members, Some(&w.member)).await, visible);
    assert_eq!(sees(app, members, Some(&w.other_member)).await, hidden);
    assert_eq!(sees(app, members, Some(&w.outsider)).await, hidden);
    assert_eq!(sees(app, members, None).await, hidden);
    // nda: members of the consortium do not read the details.
    assert_eq!(sees(app, nda, Some(&w.member)).await, hidden);
    assert_eq!(sees(app, nda, Some(&w.outsider)).await, hidden);
    assert_eq!(sees(app, nda, Some(&w.cm)).await, visible);
    // private: not even there.
    for who in [
        Some(&w.member),
        Some(&w.other_member),
        Some(&w.outsider),
        Some(&w.invited),
        None,
    ] {
        assert_eq!(sees(app, private, who).await, gone);
    }
    assert_eq!(sees(app, private, Some(&w.cm)).await, visible);

    // Lists and search never carry details, and list private problems only for those allowed.
    for who in [
        Some(&w.member),
        Some(&w.other_member),
        Some(&w.outsider),
        None,
    ] {
        let (status, page) = app.get("/api/problems?q=%EA%B8%88%ED%98%95", who).await;
        assert_eq!(status, ok);
        assert!(listed(&page, members) && listed(&page, nda));
        assert!(!listed(&page, private), "private problem listed");
        assert!(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i.get("details").is_none())
        );
        assert!(!page.to_string().contains("비밀상세"));
    }
    let (_, page) = app
        .get("/api/problems?q=%EA%B8%88%ED%98%95", Some(&w.cm))
        .await;
    assert!(listed(&page, private));
    // Words only in the details find nothing: the details are not indexed.
    let (_, page) = app
        .get(
            "/api/problems?q=%EB%8F%84%EB%A9%B4%EB%B2%88%ED%98%B8",
            Some(&w.owner),
        )
        .await;
    assert_eq!(page["total"], 0);

    // Invite the expert to the nda and private problems.
    for id in [nda, private] {
        let (status, inv) = app
            .post(
                &format!("/api/problems/{id}/invitations"),
                json!({"expert_id": w.invited.id(), "message": "도와주세요"}),
                Some(&w.owner),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{inv}");
    }
    let (status, again) = app
        .post(
            &format!("/api/problems/{nda}/invitations"),
            json!({"expert_id": w.invited.id()}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_invited"))
    );
    // The uninvited cannot invite, and a non-expert cannot be invited.
    let (status, _) = app
        .post(
            &format!("/api/problems/{nda}/invitations"),
            json!({"expert_id": w.outsider.id()}),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            &format!("/api/problems/{nda}/invitations"),
            json!({"expert_id": w.member.id()}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("expert_id"))
    );

    // Invited, statement not accepted: summary, no details, no thread, no attachments, no proposal.
    let nda_needed = (ok, "nda_required".to_owned(), false);
    assert_eq!(sees(app, nda, Some(&w.invited)).await, nda_needed);
    assert_eq!(sees(app, private, Some(&w.invited)).await, nda_needed);
    let (status, _) = app
        .get(&format!("/api/problems/{nda}/messages"), Some(&w.invited))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .get(
            &format!("/api/problems/{nda}/attachments"),
            Some(&w.invited),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, page) = app
        .get("/api/problems?invited=true", Some(&w.invited))
        .await;
    assert!(listed(&page, nda) && listed(&page, private));
    assert!(!page.to_string().contains("비밀상세"));
    // Other experts cannot accept a statement they were not offered.
    let (status, _) = app
        .post(
            &format!("/api/problems/{nda}/nda"),
            json!({}),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Accepting opens the details; the firm sees who opened them.
    let (status, p) = app
        .post(
            &format!("/api/problems/{nda}/nda"),
            json!({}),
            Some(&w.invited),
        )
        .await;
    assert_eq!(
        (status, p["details_access"].as_str()),
        (ok, Some("visible")),
        "{p}"
    );
    assert_eq!(sees(app, nda, Some(&w.invited)).await, visible);
    assert_eq!(
        sees(app, private, Some(&w.invited)).await,
        nda_needed,
        "one statement per problem"
    );
    let (status, views) = app
        .get(&format!("/api/problems/{nda}/views"), Some(&w.owner))
        .await;
    assert_eq!(status, ok);
    let readers: Vec<&str> = views
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["reader"]["name"].as_str().unwrap())
        .collect();
    assert!(readers.contains(&"안재훈"), "{views}");
    let (status, _) = app
        .get(&format!("/api/problems/{nda}/views"), Some(&w.invited))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .get(&format!("/api/problems/{nda}/views"), Some(&w.member))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The matching list is the firm's and the CM's only.
    let (status, _) = app
        .get(&format!("/api/problems/{nda}/experts"), Some(&w.invited))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .get(
            &format!("/api/problems/{private}/experts"),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The thread is for those who read the details.
    let (status, thread) = app
        .post(
            &format!("/api/problems/{nda}/messages"),
            json!({"body": "냉각수 온도는 몇 도입니까?"}),
            Some(&w.invited),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{thread}");
    let qid = thread[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .post(
            &format!("/api/problems/{nda}/messages"),
            json!({"body": "저도 궁금합니다"}),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            &format!("/api/problems/{nda}/messages"),
            json!({"body": "답 없는 글"}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the firm answers questions"
    );
    let (status, thread) = app
        .post(
            &format!("/api/problems/{nda}/messages"),
            json!({"body": "섭씨 25도입니다.", "parent_id": qid}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(thread[1]["from_firm"], true);
    let (_, notes) = app.get("/api/notifications", Some(&w.invited)).await;
    assert_eq!(notes[0]["kind"], "question_answered");
    assert_eq!(notes[0]["problem_id"], nda);
}

async fn korean_search(app: &TestApp) {
    let w = world(app).await;
    let titles = [
        "CNC 가공 정밀도 개선",
        "사출금형 변형 문제",
        "열처리 후 균열 발생",
        "도금 두께 편차",
        "Laser welding 불량",
    ];
    let mut ids = Vec::new();
    for t in titles {
        let mut body = problem(w.consortium, t, "members", "");
        body["keywords"] = json!([]);
        body["field_ids"] = json!([1]);
        body["summary"] = json!("현장에서 반복되는 품질 문제로 전문가의 도움이 필요합니다.");
        let (status, p) = app.post("/api/problems", body, Some(&w.owner)).await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        ids.push(p["summary"]["id"].as_i64().unwrap());
    }
    let search = |q: &'static str| async move {
        let uri = format!("/api/problems?q={}", urlencode(q));
        let (status, page) = app.get(&uri, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        search("열").await,
        vec!["열처리 후 균열 발생"],
        "one syllable"
    );
    assert_eq!(
        search("금형").await,
        vec!["사출금형 변형 문제"],
        "two syllables inside a compound"
    );
    assert_eq!(
        search("사출 금형").await,
        vec!["사출금형 변형 문제"],
        "spaced query, compound text"
    );
    assert_eq!(search("CNC 가공").await, vec!["CNC 가공 정밀도 개선"]);
    assert_eq!(
        search("cnc가공").await,
        vec!["CNC 가공 정밀도 개선"],
        "mixed script, no space"
    );
    assert_eq!(search("가공").await, vec!["CNC 가공 정밀도 개선"]);
    assert_eq!(search("welding").await, vec!["Laser welding 불량"]);
    assert_eq!(search("두께 편차").await, vec!["도금 두께 편차"]);
    assert!(search("용접").await.is_empty());
    assert!(search("!!!").await.is_empty());
    // Title matches rank above summary-only matches.
    let (_, page) = app
        .get(&format!("/api/problems?q={}", urlencode("품질")), None)
        .await;
    assert_eq!(page["total"], 5);
    // Similar titles while typing.
    let (status, similar) = app
        .get(
            &format!(
                "/api/problems/similar?title={}",
                urlencode("사출 금형이 변형됩니다")
            ),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(similar[0]["id"], ids[1], "{similar}");
    // Filters: field, region, consortium; bad query values.
    let (_, page) = app
        .get(
            &format!("/api/problems?field=1&consortium={}", w.consortium),
            None,
        )
        .await;
    assert_eq!(page["total"], 5);
    let (_, page) = app.get("/api/problems?field=3", None).await;
    assert_eq!(page["total"], 0);
    let (status, _) = app
        .get(&format!("/api/problems?q={}", "x".repeat(101)), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/api/problems?page=0", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/api/problems?mine=true", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn korean_matching(app: &TestApp) {
    let w = world(app).await;
    // w.invited and w.outsider: 금형 / 금형 냉각 / 3D 금속 프린터.
    let injection = app
        .expert("song@univ.example", "송사출", "한국공대", json!({"fields": ["사출성형"], "keywords": ["사출 금형", "CNC 가공"], "equipment": "5축 CNC", "bio": ""}))
        .await;
    let chips = app
        .expert("yoon@univ.example", "윤반도", "전자대", json!({"fields": ["반도체"], "keywords": ["PCB", "회로 설계"], "equipment": "오실로스코프", "bio": "반도체 패키징 연구"}))
        .await;
    let heat = app
        .expert("jang@univ.example", "장열처", "소재연", json!({"fields": ["열처리"], "keywords": ["열", "균열 분석"], "equipment": "", "bio": "금속 열처리와 균열"}))
        .await;
    let mut body = problem(w.consortium, "금형냉각 불균일로 사출 불량", "nda", "");
    body["keywords"] = json!(["냉각", "3D 프린팅"]);
    let (_, p) = app.post("/api/problems", body, Some(&w.owner)).await;
    let id = p["summary"]["id"].as_i64().unwrap();
    let (status, ranked) = app
        .get(&format!("/api/problems/{id}/experts"), Some(&w.owner))
        .await;
    assert_eq!(status, StatusCode::OK, "{ranked}");
    let names: Vec<&str> = ranked
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["expert"]["name"].as_str().unwrap())
        .collect();
    assert!(names.len() >= 3, "{names:?}");
    assert!(
        ["안재훈", "최연구"].contains(&names[0]),
        "moulds and cooling first: {names:?}"
    );
    assert!(
        names.contains(&"송사출"),
        "사출 shares the problem's words: {names:?}"
    );
    assert!(
        !names.contains(&"윤반도"),
        "semiconductors do not match: {names:?}"
    );
    let top = &ranked[0];
    let reasons: Vec<(String, String)> = top["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("keyword".into(), "금형 냉각".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("field".into(), "금형".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("equipment".into(), "3D 금속 프린터".into())),
        "{reasons:?}"
    );
    // A one-syllable keyword of the problem still finds the heat-treatment expert.
    let mut body = problem(w.consortium, "열 변형과 균열", "members", "");
    body["keywords"] = json!(["열"]);
    let (_, p) = app.post("/api/problems", body, Some(&w.owner)).await;
    let (_, ranked) = app
        .get(
            &format!("/api/problems/{}/experts", p["summary"]["id"]),
            Some(&w.cm),
        )
        .await;
    assert_eq!(ranked[0]["expert"]["name"], "장열처", "{ranked}");
    // The firm's own people are never suggested; the CM sees the same list.
    let _ = (injection, chips, heat);
}

fn proposal(key: &str) -> Value {
    json!({"approach": "냉각 채널을 3D 프린팅 컨포멀 채널로 다시 설계하고 시험 사출로 검증합니다.", "duration_months": 6,
        "cost_manwon": 3000, "resources": "3D 금속 프린터, 대학원생 2명", "ip_terms": "expert_keeps_background", "idempotency_key": key})
}

async fn proposals_and_pipeline(app: &TestApp) {
    let w = world(app).await;
    let id = post_problem(app, &w, "금형 냉각 불균일 해결", "members").await;
    let uri = format!("/api/problems/{id}/proposals");
    let (status, first) = app.post(&uri, proposal("key-1"), Some(&w.invited)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // The connection dropped; the client sends the same key again: same proposal.
    let (status, again) = app.post(&uri, proposal("key-1"), Some(&w.invited)).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &first["id"]));
    let (status, dup) = app.post(&uri, proposal("key-2"), Some(&w.invited)).await;
    assert_eq!(
        (status, dup["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_proposed"))
    );
    let (status, second) = app.post(&uri, proposal("key-9"), Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (status, bad) = app.post(&uri, json!({"approach": "짧음", "duration_months": 0, "cost_manwon": -1, "ip_terms": "shared", "idempotency_key": "a b"}), Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["fields"].as_array().unwrap().len(), 4, "{bad}");
    // Non-experts and the firm itself do not propose.
    let (status, _) = app.post(&uri, proposal("key-3"), Some(&w.member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The firm sees both; each expert only their own.
    let (_, all) = app.get(&uri, Some(&w.owner)).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let (_, own) = app.get(&uri, Some(&w.outsider)).await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let (_, p) = app.get(&format!("/api/problems/{id}"), None).await;
    assert_eq!(p["summary"]["proposal_count"], 2);
    // Only the firm accepts.
    let accept = format!("/api/proposals/{}/accept", first["id"]);
    let (status, _) = app.post(&accept, json!({}), Some(&w.invited)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post(&accept, json!({}), Some(&w.other_member)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, collab) = app
        .post(&accept, json!({"instrument": "joint_rnd"}), Some(&w.owner))
        .await;
    assert_eq!(
        (status, collab["stage"].as_str()),
        (StatusCode::OK, Some("matched")),
        "{collab}"
    );
    let (status, _) = app
        .post(
            &format!("/api/proposals/{}/accept", second["id"]),
            json!({}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, own) = app.get(&uri, Some(&w.outsider)).await;
    assert_eq!(own[0]["status"], "not_selected");
    let (_, notes) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(notes[0]["kind"], "proposal_not_selected");
    let (_, notes) = app.get("/api/notifications", Some(&w.invited)).await;
    assert_eq!(notes[0]["kind"], "proposal_accepted");
    // A matched problem no longer changes.
    let (status, body) = app
        .put(
            &format!("/api/problems/{id}"),
            problem(w.consortium, "바뀐 제목입니다", "members", ""),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("problem_not_open"))
    );
    // The pipeline: forward only, dated; strangers see nothing.
    let stage = format!("/api/collaborations/{}/stage", collab["id"]);
    let (status, _) = app
        .post(
            &stage,
            json!({"stage": "in_progress"}),
            Some(&w.other_member),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, c) = app
        .post(
            &stage,
            json!({"stage": "in_progress", "note": "착수 회의 완료"}),
            Some(&w.invited),
        )
        .await;
    assert_eq!(
        (status, c["stage"].as_str()),
        (StatusCode::OK, Some("in_progress")),
        "{c}"
    );
    let (status, c) = app
        .post(&stage, json!({"stage": "completed"}), Some(&w.cm))
        .await;
    assert_eq!(
        (status, c["steps"].as_array().unwrap().len()),
        (StatusCode::OK, 3)
    );
    let (status, body) = app
        .post(&stage, json!({"stage": "in_progress"}), Some(&w.cm))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("stage_not_allowed"))
    );
    let (status, _) = app
        .post(&stage, json!({"stage": "matched"}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .post(
            &format!("/api/problems/{id}/notes"),
            json!({"note": "사업화 지원 연계 예정"}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .post(
            &format!("/api/problems/{id}/notes"),
            json!({"note": "내 메모"}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The board and the history.
    let (status, board) = app
        .get(
            &format!("/api/consortia/{}/board", w.consortium),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(board[0]["column"], "completed");
    assert_eq!(board[0]["last_note"], "사업화 지원 연계 예정");
    let (status, _) = app
        .get(
            &format!("/api/consortia/{}/board", w.consortium),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, history) = app
        .get(&format!("/api/problems/{id}/history"), Some(&w.owner))
        .await;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "published",
            "proposal",
            "proposal",
            "accepted",
            "stage_changed",
            "stage_changed",
            "note"
        ]
    );
    let (_, mine) = app.get("/api/me/collaborations", Some(&w.invited)).await;
    assert_eq!(mine[0]["stage"], "completed");
    let _ = w.admin;
}

async fn drafts_revisions_and_who_may_post(app: &TestApp) {
    let w = world(app).await;
    let mut draft = problem(w.consortium, "작성 중", "members", "");
    draft["publish"] = json!(false);
    draft["summary"] = json!("");
    draft["field_ids"] = json!([]);
    let (status, d) = app
        .post("/api/problems", draft.clone(), Some(&w.owner))
        .await;
    assert_eq!(
        (status, d["summary"]["status"].as_str()),
        (StatusCode::CREATED, Some("draft")),
        "{d}"
    );
    let id = d["summary"]["id"].as_i64().unwrap();
    for who in [Some(&w.member), Some(&w.cm), None] {
        let (status, _) = app.get(&format!("/api/problems/{id}"), who).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, mine) = app.get("/api/problems?mine=true", Some(&w.owner)).await;
    assert!(listed(&mine, id));
    let (_, open) = app.get("/api/problems", Some(&w.member)).await;
    assert!(!listed(&open, id));
    // Publishing an incomplete draft says what is missing.
    draft["publish"] = json!(true);
    let (status, body) = app
        .put(&format!("/api/problems/{id}"), draft, Some(&w.owner))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "summary", "field_ids"]);
    let (status, p) = app
        .put(
            &format!("/api/problems/{id}"),
            problem(w.consortium, "금형 냉각 불균일", "members", "v1"),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        (status, p["summary"]["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "{p}"
    );
    let mut edit = problem(w.consortium, "금형 냉각 불균일 (수정)", "members", "v2");
    edit["publish"] = json!(false);
    let (status, p) = app
        .put(&format!("/api/problems/{id}"), edit.clone(), Some(&w.owner))
        .await;
    assert_eq!(
        (
            status,
            p["summary"]["status"].as_str(),
            p["revision_count"].as_i64()
        ),
        (StatusCode::OK, Some("open"), Some(2))
    );
    let (_, revs) = app
        .get(&format!("/api/problems/{id}/revisions"), Some(&w.cm))
        .await;
    assert_eq!(
        (revs[0]["number"].as_i64(), revs[0]["details"].as_str()),
        (Some(2), Some("v2"))
    );
    assert_eq!(revs[1]["title"], "금형 냉각 불균일");
    let (status, _) = app
        .get(&format!("/api/problems/{id}/revisions"), Some(&w.member))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Colleagues of other firms, experts and members cannot edit.
    let (status, _) = app
        .put(
            &format!("/api/problems/{id}"),
            edit.clone(),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A published problem cannot lose its summary.
    edit["summary"] = json!("");
    let (status, _) = app
        .put(&format!("/api/problems/{id}"), edit, Some(&w.owner))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Who may post: a firm in the consortium only.
    let (status, body) = app
        .post(
            "/api/problems",
            problem(w.consortium, "다른 회사 과제", "members", ""),
            Some(&w.other_member),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_member"))
    );
    let (status, _) = app
        .post(
            "/api/problems",
            problem(w.consortium, "교수의 과제 등록", "members", ""),
            Some(&w.invited),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            "/api/problems",
            problem(w.consortium, "로그인 없이", "members", ""),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut bad = problem(999, "없는 협의체", "members", "");
    let (status, _) = app.post("/api/problems", bad.clone(), Some(&w.owner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    bad["consortium_id"] = json!(w.consortium);
    bad["field_ids"] = json!([9999]);
    bad["confidentiality"] = json!("secret");
    let (status, body) = app.post("/api/problems", bad, Some(&w.owner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused(&body),
        [("confidentiality".to_owned(), "invalid_choice".to_owned())]
    );
    let mut bad = problem(w.consortium, "없는 분야", "members", "");
    bad["field_ids"] = json!([9999]);
    let (status, body) = app.post("/api/problems", bad, Some(&w.owner)).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("field_ids"))
    );
    // Withdrawing.
    let (status, p) = app
        .post(
            &format!("/api/problems/{id}/close"),
            json!({}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(
        (status, p["summary"]["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    let (status, _) = app
        .post(
            &format!("/api/problems/{id}/close"),
            json!({}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn attachments_checked_and_guarded(app: &TestApp) {
    let w = world(app).await;
    let id = post_problem(app, &w, "금형 냉각 불균일 해결", "nda").await;
    let uri = format!("/api/problems/{id}/attachments");
    let (status, a) = app.upload(&uri, "도면.png", PNG, &w.owner).await;
    assert_eq!(
        (status, a["content_type"].as_str()),
        (StatusCode::CREATED, Some("image/png")),
        "{a}"
    );
    // A script named like an image is refused by its content.
    let (status, body) = app
        .upload(&uri, "evil.png", b"<script>alert(1)</script>", &w.owner)
        .await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    let big = vec![b'%'; moim_core::problem::ATTACHMENT_MAX + 10];
    let (status, body) = app.upload(&uri, "big.pdf", &big, &w.owner).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    let (status, _) = app.upload(&uri, "x.png", PNG, &w.member).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.post(&uri, json!({"file": "x"}), Some(&w.owner)).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    // Nothing half-written: one attachment only.
    let (_, list) = app.get(&uri, Some(&w.owner)).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Download: the firm yes, with safe headers; a member of an nda problem no.
    let file = format!("{uri}/{}", a["id"]);
    let req = axum::http::Request::builder()
        .uri(&file)
        .header("cookie", format!("moim_session={}", w.owner.cookie))
        .body(axum::body::Body::empty())
        .unwrap();
    let (headers, (status, _)) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let (status, _) = app.get(&file, Some(&w.member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A photo of the line keeps its picture, not where it was taken.
    let (status, photo) = app
        .upload(
            &uri,
            "라인.jpg",
            &crate::support::jpeg_with_location(),
            &w.owner,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{photo}");
    let req = axum::http::Request::builder()
        .uri(format!("{uri}/{}", photo["id"]))
        .header("cookie", format!("moim_session={}", w.owner.cookie))
        .body(axum::body::Body::empty())
        .unwrap();
    let (headers, (status, bytes)) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    let text = bytes.as_str().unwrap_or_default();
    assert!(
        text.contains("JFIF") && !text.contains("GPSLatitude"),
        "location metadata removed"
    );
    assert!(
        photo["size"].as_i64()
            < Some(i64::try_from(crate::support::jpeg_with_location().len()).unwrap()),
        "the stored size is the cleaned file's: {photo}"
    );
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{uri}/{}", photo["id"]),
            None,
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&format!("{uri}/99999"), Some(&w.owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(Method::DELETE, &file, None, Some(&w.owner)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&file, Some(&w.owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // At most ten per problem.
    for i in 0..moim_core::problem::ATTACHMENTS_MAX {
        let (status, _) = app.upload(&uri, &format!("{i}.png"), PNG, &w.owner).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, body) = app.upload(&uri, "11.png", PNG, &w.owner).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file"))
    );
}

async fn offers_without_a_problem(app: &TestApp) {
    let w = world(app).await;
    let offer = json!({"target": {"to": "organisation", "id": w.owner.org()}, "title": "시제품 시험 협력 제안",
        "body": "연구실의 3D 금속 프린터로 시제품 금형을 함께 시험해 보고 싶습니다."});
    let (status, o) = app
        .post("/api/offers", offer.clone(), Some(&w.invited))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    let (status, _) = app.post("/api/offers", offer, Some(&w.member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only experts offer");
    let (_, inbox) = app.get("/api/offers", Some(&w.owner)).await;
    assert_eq!(
        (
            inbox[0]["can_decide"].as_bool(),
            inbox[0]["target_name"].as_str()
        ),
        (Some(true), Some("한빛정밀"))
    );
    let decide = format!("/api/offers/{}/decision", o["id"]);
    let (status, _) = app
        .post(&decide, json!({"accept": false}), Some(&w.owner))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "declining needs a reason"
    );
    let (status, _) = app
        .post(&decide, json!({"accept": true}), Some(&w.member))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, d) = app
        .post(&decide, json!({"accept": true}), Some(&w.owner))
        .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    let (status, _) = app
        .post(&decide, json!({"accept": true}), Some(&w.owner))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, mine) = app.get("/api/me/collaborations", Some(&w.invited)).await;
    assert_eq!(
        (mine[0]["partner_name"].as_str(), mine[0]["stage"].as_str()),
        (Some("한빛정밀"), Some("matched"))
    );
    // To a whole consortium: its CM decides.
    let (_, o) = app.post("/api/offers", json!({"target": {"to": "consortium", "id": w.consortium}, "title": "금형 냉각 세미나 제안",
        "body": "협의체 회원사를 위한 금형 냉각 설계 세미나와 현장 컨설팅을 제안합니다."}), Some(&w.outsider)).await;
    let (_, inbox) = app.get("/api/offers", Some(&w.cm)).await;
    assert_eq!(inbox[0]["can_decide"], true);
    let (status, d) = app
        .post(
            &format!("/api/offers/{}/decision", o["id"]),
            json!({"accept": false, "reason": "올해 일정이 찼습니다"}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("declined"))
    );
    let (_, notes) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(
        (notes[0]["kind"].as_str(), notes[0]["note"].as_str()),
        (Some("offer_declined"), Some("올해 일정이 찼습니다"))
    );
}

async fn followers_hear_of_new_problems(app: &TestApp) {
    let w = world(app).await;
    let (status, f) = app
        .put(
            "/api/me/follows",
            json!({"field_ids": [FIELD_MOULDS, FIELD_MOULDS]}),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(
        (status, f["field_ids"].clone()),
        (StatusCode::OK, json!([FIELD_MOULDS]))
    );
    let (status, _) = app
        .put(
            "/api/me/follows",
            json!({"field_ids": [9999]}),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = post_problem(app, &w, "금형 냉각 불균일 해결", "nda").await;
    let (_, notes) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(
        (notes[0]["kind"].as_str(), notes[0]["problem_id"].as_i64()),
        (Some("problem_posted"), Some(id))
    );
    assert_eq!(notes[0]["problem_title"], "금형 냉각 불균일 해결");
    // Private problems are not announced.
    post_problem(app, &w, "금형 비공개 과제 등록", "private").await;
    let (_, after) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(
        after.as_array().unwrap().len(),
        notes.as_array().unwrap().len()
    );
}

async fn an_expert_who_leaves_leaves_nothing_waiting(app: &TestApp) {
    let w = world(app).await;
    let id = post_problem(app, &w, "금형 냉각 불균일 해결", "members").await;
    let uri = format!("/api/problems/{id}/proposals");
    let (status, p) = app.post(&uri, proposal("leave-1"), Some(&w.invited)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (status, inv) = app
        .post(
            &format!("/api/problems/{id}/invitations"),
            json!({"expert_id": w.invited.id(), "message": "도와주세요"}),
            Some(&w.owner),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{inv}");

    let (status, body) = app
        .post(
            "/api/me/close",
            json!({"password": PASSWORD}),
            Some(&w.invited),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Nothing waits on them: the proposal is withdrawn (no firm can accept it),
    // and the problem counts none.
    let (_, view) = app
        .get(&format!("/api/problems/{id}"), Some(&w.owner))
        .await;
    assert_eq!(view["summary"]["proposal_count"], 0, "{view}");
    let status = app
        .texts(&format!(
            "SELECT status FROM proposals WHERE problem_id = {id}"
        ))
        .await;
    assert_eq!(status, ["withdrawn"]);
    // The history no longer names them.
    let (_, history) = app
        .get(&format!("/api/problems/{id}/history"), Some(&w.owner))
        .await;
    let text = history.to_string();
    assert!(!text.contains("안재훈"), "{text}");
    assert!(
        text.contains(moim_core::account::CLOSED_ACCOUNT_NAME),
        "{text}"
    );
    // Nobody can give the closed account a role.
    let (status, _) = app
        .post(
            &format!("/api/consortia/{}/managers", w.consortium),
            json!({"user_id": w.invited.id()}),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/admin/users/{}/representative", w.invited.id()),
            None,
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The editor autosaves while the firm presses 과제 게시: saves of one draft at
/// the same moment all answer (none fails with a locked database), and the
/// problem ends published.
async fn saves_of_one_draft_at_once_all_land(app: &TestApp) {
    let w = world(app).await;
    let mut draft = problem(w.consortium, "동시 저장", "members", "");
    draft["publish"] = json!(false);
    let (status, d) = app
        .post("/api/problems", draft.clone(), Some(&w.owner))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let uri = format!("/api/problems/{}", d["summary"]["id"]);
    let saves = (0..6).map(|i| {
        let mut body = draft.clone();
        body["title"] = json!(format!("동시 저장 {i}"));
        body["publish"] = json!(i == 3);
        app.put(&uri, body, Some(&w.owner))
    });
    for (status, body) in futures_util::future::join_all(saves).await {
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // (A draft's save that finds it published when it takes the row is
    // dropped; one read after the publishing is an edit like any other: the
    // text is one of those sent.)
    let (_, p) = app.get(&uri, Some(&w.owner)).await;
    assert_eq!(p["summary"]["status"], "open", "{p}");
    assert!(
        p["summary"]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("동시 저장 ")),
        "{p}"
    );
}
