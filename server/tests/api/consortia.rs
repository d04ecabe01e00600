//! Browsing consortia, admin management, and who sees the member list.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    browse_and_search,
    admin_manages_consortia,
    member_list_only_for_members
);

async fn browse_and_search(app: &TestApp) {
    let admin = app.admin().await;
    let a = app.consortium(&admin, "창원 금형 미니클러스터", None).await;
    app.consortium(&admin, "창원 공작기계 미니클러스터", None)
        .await;
    let (status, page) = app.get("/api/consortia", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 2);
    let (_, page) = app.get("/api/consortia?q=%EA%B8%88%ED%98%95", None).await; // 금형
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], a);
    let (_, page) = app.get("/api/consortia?q=100%25", None).await; // a literal % matches nothing
    assert_eq!(page["total"], 0);
    let (_, page) = app
        .get(
            "/api/consortia?region=dongnam&complex=1&kind=mini_cluster&per_page=1",
            None,
        )
        .await;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    let (_, page) = app.get("/api/consortia?region=capital", None).await;
    assert_eq!(page["total"], 0);
    let (_, reference) = app.get("/api/reference", None).await;
    assert!(
        reference["complexes"].as_array().unwrap().len() >= 12,
        "the pilot and 2007 complexes"
    );
    assert!(
        reference["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name_ko"] == "금형")
    );
}

async fn admin_manages_consortia(app: &TestApp) {
    let admin = app.admin().await;
    let member = app.firm_member("m@firm.example", "회원사", 60).await;
    let body = json!({"name": "오창 이차전지 테마클러스터", "kind": "theme_cluster", "complex_id": 1, "field_id": 1, "description": "", "term_start": "2026-01-01", "term_end": "2027-12-31"});
    let (status, _) = app
        .post("/api/consortia", body.clone(), Some(&member))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot create");
    let (status, _) = app.post("/api/consortia", body.clone(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, created) = app.post("/api/consortia", body.clone(), Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["summary"]["id"].as_i64().unwrap();
    let (status, dup) = app.post("/api/consortia", body.clone(), Some(&admin)).await;
    assert_eq!(
        (status, dup["code"].as_str()),
        (StatusCode::CONFLICT, Some("name_taken"))
    );
    let mut open_ended = body.clone();
    open_ended["term_end"] = json!(null);
    let (status, _) = app.post("/api/consortia", open_ended, Some(&admin)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a theme cluster has a term"
    );

    let mut edit = body.clone();
    edit["description"] = json!("배터리 안전성 평가");
    let (status, edited) = app
        .call(
            Method::PUT,
            &format!("/api/consortia/{id}"),
            Some(edit),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, edited["description"].as_str()),
        (StatusCode::OK, Some("배터리 안전성 평가"))
    );

    let (status, managers) = app
        .post(
            &format!("/api/consortia/{id}/managers"),
            json!({"user_id": member.id()}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(managers[0]["id"], member.id());
    assert_eq!(app.me(&member).await["managed_consortia"], json!([id]));
    assert_eq!(
        app.me(&member).await["unread_notifications"],
        1,
        "the new CM is told"
    );
    let (status, _) = app
        .post(
            &format!("/api/consortia/{id}/managers"),
            json!({"user_id": member.id()}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, archived) = app
        .post(
            &format!("/api/consortia/{id}/archive"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, archived["summary"]["status"].as_str()),
        (StatusCode::OK, Some("archived"))
    );
    let (_, page) = app.get("/api/consortia", None).await;
    assert_eq!(
        page["total"], 0,
        "archived consortia leave the default list"
    );
    let (_, page) = app.get("/api/consortia?archived=true", None).await;
    assert_eq!(page["total"], 1);
    let other = app.firm_member("late@firm.example", "늦은회사", 61).await;
    let (status, body) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": "가입을 신청합니다. 협력하고 싶어요"}),
            Some(&other),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("archived"))
    );

    let (status, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "consortium_archived",
            "manager_appointed",
            "consortium_edited",
            "consortium_created"
        ]
    );
    assert_eq!(trail[0]["actor"]["id"], admin.id());
    let (status, _) = app.get("/api/admin/audit", Some(&member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, users) = app
        .get("/api/admin/users?q=firm.example", Some(&admin))
        .await;
    assert_eq!(
        (status, users.as_array().unwrap().len()),
        (StatusCode::OK, 2)
    );
}

async fn member_list_only_for_members(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 70).await;
    let id = app.consortium(&admin, "보안 협의체", Some(&cm)).await;
    let insider = app.firm_member("in@firm.example", "내부회사", 71).await;
    let outsider = app.firm_member("out@firm.example", "외부회사", 72).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": "가입을 원합니다. 함께해요"}),
            Some(&insider),
        )
        .await;
    let (status, _) = app
        .post(
            &format!("/api/requests/{}/decision", r["id"]),
            json!({"approve": true}),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, anonymous) = app.get(&format!("/api/consortia/{id}"), None).await;
    assert_eq!(anonymous["members"], json!(null));
    assert_eq!(anonymous["counts"]["firms"], 1, "everyone sees the counts");
    assert_eq!(anonymous["standing"]["state"], "anonymous");
    let (_, outside) = app
        .get(&format!("/api/consortia/{id}"), Some(&outsider))
        .await;
    assert_eq!(outside["members"], json!(null));
    assert_eq!(outside["standing"]["state"], "none");
    let (_, inside) = app
        .get(&format!("/api/consortia/{id}"), Some(&insider))
        .await;
    assert_eq!(inside["members"][0]["organisation"]["name"], "내부회사");
    assert_eq!(inside["standing"]["state"], "member");
    let (_, managed) = app.get(&format!("/api/consortia/{id}"), Some(&cm)).await;
    assert_eq!(managed["can_manage"], true);
    assert_eq!(managed["members"].as_array().unwrap().len(), 1);
    let (_, mine) = app.get("/api/consortia?mine=true", Some(&insider)).await;
    assert_eq!(mine["total"], 1);
    let (_, mine) = app.get("/api/consortia?mine=true", Some(&outsider)).await;
    assert_eq!(mine["total"], 0);
}
