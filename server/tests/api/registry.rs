//! The admins' register of organisations: found by name or business number,
//! corrected by sign-up's rules, and two records of one organisation merged
//! into one, each act in the audit trail.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

both!(
    an_admin_finds_and_corrects_an_organisation,
    two_records_of_one_firm_become_one,
    every_reference_to_an_organisation_moves_with_a_merge
);

async fn search(app: &TestApp, admin: &Session, q: &str) -> Vec<Value> {
    let (status, found) = app
        .get(
            &format!("/api/admin/orgs?q={}", urlencoding(q)),
            Some(admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    found.as_array().unwrap().clone()
}

/// Enough of percent-encoding for the test's queries (Korean, dashes).
fn urlencoding(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn firm(name: &str, n: u32) -> Value {
    json!({
        "kind": "firm",
        "name": name,
        "business_no": moim_server::seed::business_number(200_000_000 + n),
        "complex_id": 1,
        "headcount": 60,
        "industry": "정밀가공"
    })
}

/// The newest entry of the trail with `action`.
async fn last_audit(app: &TestApp, admin: &Session, action: &str) -> Value {
    let (_, trail) = app.get("/api/admin/audit", Some(admin)).await;
    let found = trail
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == action);
    found
        .cloned()
        .unwrap_or_else(|| panic!("no {action} in {trail}"))
}

async fn an_admin_finds_and_corrects_an_organisation(app: &TestApp) {
    let admin = app.admin().await;
    let rep = app.firm_member("rep@hanbit.example", "한빛정밀", 1).await;
    let other = app.firm_member("rep@dalbit.example", "달빛기계", 2).await;
    let plain = moim_server::seed::business_number(200_000_001);
    let number = moim_core::validate::format_business_number(&plain).unwrap();

    // Found by part of the name, or of the number with or without dashes.
    for q in ["한빛", &number, &plain[4..]] {
        let found = search(app, &admin, q).await;
        assert_eq!(found.len(), 1, "{q}: {found:?}");
        assert_eq!(found[0]["id"], rep.org());
        assert_eq!(found[0]["business_no"], number.as_str());
        assert_eq!(found[0]["people"], 1);
        assert_eq!(found[0]["representative"], "김민수");
    }
    let (status, body) = app.get("/api/admin/orgs?q=", Some(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for who in [Some(&rep), None] {
        let status = app.get("/api/admin/orgs?q=한빛", who).await.0;
        assert!(matches!(
            status,
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
        ));
        let uri = format!("/api/admin/orgs/{}", rep.org());
        let body = json!({"organisation": firm("남의 기관", 1), "reason": "x"});
        let status = app.put(&uri, body, who).await.0;
        assert!(matches!(
            status,
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
        ));
    }

    // The correction: a new trade name and headcount, with the reason.
    let uri = format!("/api/admin/orgs/{}", rep.org());
    let mut fixed = firm("(주)한빛정밀", 1);
    fixed["headcount"] = json!(72);
    let (status, record) = app
        .put(
            &uri,
            json!({"organisation": fixed, "reason": "상호 변경 (등기부 확인)"}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert_eq!(
        (record["name"].as_str(), record["headcount"].as_i64()),
        (Some("(주)한빛정밀"), Some(72))
    );
    let entry = last_audit(app, &admin, "organisation_corrected").await;
    assert_eq!(entry["org_name"], "(주)한빛정밀");
    assert_eq!(
        entry["note"],
        "상호 변경 (등기부 확인) (한빛정밀 → (주)한빛정밀, 35 → 72, 금형 → 정밀가공)"
    );
    assert_eq!(app.me(&rep).await["organisation"]["name"], "(주)한빛정밀");

    // Sign-up's rules; the kind stays; another firm's number is taken.
    let cases = [
        (
            json!({"organisation": firm("", 1), "reason": "정정"}),
            422,
            "organisation.name",
        ),
        (
            json!({"organisation": firm("한빛", 1), "reason": ""}),
            422,
            "reason",
        ),
        (
            json!({"organisation": {"kind": "university", "name": "한빛대학교"}, "reason": "정정"}),
            422,
            "organisation.kind",
        ),
        (
            json!({"organisation": {"kind": "firm", "name": "한빛", "business_no": "123-45-67890", "complex_id": 1, "headcount": 3, "industry": "금형"}, "reason": "정정"}),
            422,
            "organisation.business_no",
        ),
        (
            json!({"organisation": firm("한빛", 2), "reason": "정정"}),
            409,
            "organisation.business_no",
        ),
        (
            json!({"organisation": {"kind": "firm", "name": "한빛", "business_no": number, "complex_id": 999, "headcount": 3, "industry": "금형"}, "reason": "정정"}),
            422,
            "organisation.complex_id",
        ),
        (
            json!({"organisation": firm("한빛\n숨은 줄", 1), "reason": "정정"}),
            422,
            "organisation.name",
        ),
    ];
    for (body, want, field) in cases {
        let (status, answer) = app.put(&uri, body.clone(), Some(&admin)).await;
        assert_eq!(status.as_u16(), want, "{body}: {answer}");
        let named = answer["field"]
            .as_str()
            .or(answer["fields"][0]["field"].as_str());
        assert_eq!(named, Some(field), "{answer}");
    }
    assert_eq!(search(app, &admin, "한빛").await[0]["headcount"], 72);
    let (status, _) = app
        .put(
            "/api/admin/orgs/999999",
            json!({"organisation": firm("없음", 9), "reason": "정정"}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .put(
            "/api/admin/orgs/abc",
            json!({"organisation": firm("없음", 9), "reason": "정정"}),
            Some(&admin),
        )
        .await;
    assert_eq!(status.as_u16() / 100, 4);
    drop(other);
}

async fn two_records_of_one_firm_become_one(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "공단지사", 10).await;
    let both = app
        .consortium(&admin, "창원 금형 미니클러스터", Some(&cm))
        .await;
    let only_dup = app
        .consortium(&admin, "구미 전자 미니클러스터", Some(&cm))
        .await;
    let asked = app
        .consortium(&admin, "반월 표면처리 미니클러스터", Some(&cm))
        .await;
    // The firm registered twice: by its representative, and later by a
    // colleague who did not find it (another business number typed).
    let kept = app.firm_member("rep@hanbit.example", "한빛정밀", 1).await;
    let colleague = app.colleague("lee@hanbit.example", &kept).await;
    let dup = app.firm_member("park@hanbit.example", "한빛 정밀", 2).await;
    let waiting = app
        .pending_colleague("choi@hanbit.example", dup.org())
        .await;
    for s in [&kept, &dup] {
        app.join(s, both, &cm).await;
    }
    app.join(&dup, only_dup, &cm).await;
    for s in [&kept, &dup] {
        let (status, r) = app
            .post(
                &format!("/api/consortia/{asked}/requests"),
                json!({"motivation": "표면처리 기술 협력을 위해 가입을 신청합니다."}),
                Some(s),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
    }
    // The kept record asks to join a consortium the other record is in already.
    let (status, r) = app
        .post(
            &format!("/api/consortia/{only_dup}/requests"),
            json!({"motivation": "전자 부품 협력을 위해 가입을 신청합니다."}),
            Some(&kept),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let problem = json!({
        "consortium_id": only_dup, "title": "도금 두께 편차", "summary": "전해 도금 두께가 부위마다 달라 불량이 납니다. 개선 방안을 찾습니다.",
        "details": "", "field_ids": [2], "keywords": ["도금"], "help": ["mentoring"], "timeline_months": 3,
        "budget": "under_10m", "confidentiality": "members", "publish": true
    });
    let (status, p) = app.post("/api/problems", problem, Some(&dup)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let problem_uri = format!("/api/problems/{}", p["summary"]["id"]);
    let university = app
        .expert(
            "prof@univ.example",
            "안교수",
            "창원대학교",
            json!({"fields": ["사출성형"], "keywords": ["도금"], "equipment": "", "bio": ""}),
        )
        .await;

    let merge = |from: i64, into: i64, reason: &str| {
        let (uri, body) = (
            format!("/api/admin/orgs/{from}/merge"),
            json!({"into": into, "reason": reason}),
        );
        let admin = &admin;
        async move { app.post(&uri, body, Some(admin)).await }
    };
    // Not into itself, nor into another kind; nobody but an admin.
    for into in [dup.org(), university.org()] {
        let (status, body) = merge(dup.org(), into, "중복 등록").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["fields"][0]["code"], "not_mergeable");
    }
    let (status, body) = merge(dup.org(), kept.org(), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .post(
            &format!("/api/admin/orgs/{}/merge", dup.org()),
            json!({"into": kept.org(), "reason": "중복"}),
            Some(&kept),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        merge(dup.org(), 999_999, "중복").await.0,
        StatusCode::NOT_FOUND
    );

    let (status, merged) = merge(dup.org(), kept.org(), "같은 회사 중복 등록 (대표 확인)").await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(
        merged,
        json!({"into": kept.org(), "people": 2, "memberships": 1, "problems": 1})
    );

    // One record: everyone, both consortia, the problem; the kept record's
    // representative, number and name; the other is gone from the register.
    let found = search(app, &admin, "한빛").await;
    assert_eq!(found.len(), 1, "{found:?}");
    let r = &found[0];
    assert_eq!(
        (
            r["id"].as_i64(),
            r["name"].as_str(),
            r["people"].as_i64(),
            r["consortia"].as_i64(),
            r["problems"].as_i64()
        ),
        (
            Some(kept.org()),
            Some("한빛정밀"),
            Some(4),
            Some(2),
            Some(1)
        ),
        "{r}"
    );
    assert_eq!(r["representative"], "김민수");
    let plain = moim_server::seed::business_number(200_000_001);
    assert_eq!(
        r["business_no"],
        moim_core::validate::format_business_number(&plain).unwrap()
    );
    assert_eq!(app.me(&dup).await["organisation"]["id"], kept.org());
    assert_eq!(app.me(&waiting).await["affiliation"], "pending");
    assert_eq!(app.me(&colleague).await["affiliation"], "confirmed");
    // The kept representative confirms the colleague who waited on the other record.
    let (status, body) = app
        .post(
            &format!("/api/me/colleagues/{}", waiting.id()),
            json!({"confirm": true}),
            Some(&kept),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, p) = app.get(&problem_uri, Some(&kept)).await;
    assert_eq!(p["summary"]["org_name"], "한빛정밀", "{p}");
    // The consortium both were in counts the firm once; the request the
    // merged record had made alongside the kept one's is withdrawn.
    let (_, view) = app.get(&format!("/api/consortia/{both}"), Some(&cm)).await;
    let members = &view["members"];
    let names: Vec<&str> = members
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["organisation"]["name"].as_str())
        .filter(|n| n.contains("한빛"))
        .collect();
    assert_eq!(names, ["한빛정밀"], "{members}");
    let (_, open) = app
        .get(&format!("/api/consortia/{asked}/requests"), Some(&cm))
        .await;
    let open: Vec<&Value> = open
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "pending")
        .collect();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["organisation"]["id"], kept.org());
    // The kept record's own request for a consortium it is now in is done with.
    let (_, asked_only) = app
        .get(&format!("/api/consortia/{only_dup}/requests"), Some(&cm))
        .await;
    assert!(
        asked_only
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] != "pending"),
        "{asked_only}"
    );

    // The trail names the admin, the record merged away and the reason.
    let entry = last_audit(app, &admin, "organisation_merged").await;
    assert_eq!(entry["org_name"], "한빛정밀");
    assert_eq!(
        entry["note"],
        format!(
            "한빛 정밀 (#{}, {}): 같은 회사 중복 등록 (대표 확인)",
            dup.org(),
            moim_core::validate::format_business_number(&moim_server::seed::business_number(
                200_000_002
            ))
            .unwrap()
        )
    );
    assert_eq!(entry["actor"]["id"], admin.id());
    // Done once: the record merged away is closed.
    assert_eq!(
        merge(dup.org(), kept.org(), "다시").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/admin/orgs/{}", dup.org()),
            Some(json!({"organisation": firm("한빛 정밀", 2), "reason": "정정"})),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn every_reference_to_an_organisation_moves_with_a_merge(app: &TestApp) {
    let schema: BTreeSet<String> = moim_server::db::export::references_to(&app.db, "organisations")
        .await
        .unwrap()
        .into_iter()
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    let mut moves: BTreeSet<String> = moim_server::db::registry::MOVES
        .iter()
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    moves.insert("organisations.merged_into".to_owned());
    assert_eq!(
        moves, schema,
        "a column that holds an organisation's id must move in db::registry::MOVES"
    );
}
