//! Joining: request, decide, notify, invite, leave; and who may touch what.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    request_approve_notify,
    decline_needs_reason_and_is_final,
    requests_are_private,
    invitation_flow,
    leaving,
    concurrent_decisions_decide_once
);

const MOTIVATION: &str = "금형 냉각 기술 협력을 위해 가입을 신청합니다.";

async fn request_approve_notify(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 80).await;
    let id = app
        .consortium(&admin, "창원 금형 미니클러스터", Some(&cm))
        .await;
    let member = app.firm_member("kim@hanbit.example", "한빛정밀", 81).await;

    let (status, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(
        (r["status"].as_str(), r["kind"].as_str()),
        (Some("pending"), Some("request"))
    );
    let (status, dup) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    assert_eq!(
        (status, dup["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_pending"))
    );
    let (_, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&member))
        .await;
    assert_eq!(
        page["standing"],
        json!({"state": "pending", "request_id": r["id"]})
    );

    let cm_me = app.me(&cm).await;
    assert_eq!(
        cm_me["unread_notifications"], 2,
        "appointed + join requested"
    );
    let (_, notes) = app.get("/api/notifications", Some(&cm)).await;
    assert_eq!(notes[0]["kind"], "join_requested");
    assert_eq!(notes[0]["org_name"], "한빛정밀");

    let (status, list) = app
        .get(&format!("/api/consortia/{id}/requests"), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["message"], MOTIVATION);
    let (status, decided) = app
        .post(
            &format!("/api/requests/{}/decision", r["id"]),
            json!({"approve": true}),
            Some(&cm),
        )
        .await;
    assert_eq!(
        (status, decided["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
    assert_eq!(decided["decided_by"]["id"], cm.id());

    let me = app.me(&member).await;
    assert_eq!(
        me["unread_notifications"], 1,
        "told once, though requester and representative are the same person"
    );
    let (_, notes) = app.get("/api/notifications", Some(&member)).await;
    assert_eq!(notes[0]["kind"], "join_approved");
    assert_eq!(notes[0]["consortium_id"], id);
    let (status, count) = app
        .call(
            Method::POST,
            &format!("/api/notifications/{}/read", notes[0]["id"]),
            None,
            Some(&member),
        )
        .await;
    assert_eq!(
        (status, count["unread"].as_i64()),
        (StatusCode::OK, Some(0))
    );
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/api/notifications/{}/read", notes[0]["id"]),
            None,
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "someone else's notification");

    let (_, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&member))
        .await;
    assert_eq!(page["standing"]["state"], "member");
    assert_eq!(page["members"][0]["organisation"]["name"], "한빛정밀");
    let (status, again) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    assert_eq!(
        (status, again["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_member"))
    );

    let (_, trail) = app
        .get(&format!("/api/consortia/{id}/audit"), Some(&cm))
        .await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], ["join_approved", "join_requested"]);
}

async fn decline_needs_reason_and_is_final(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 90).await;
    let id = app
        .consortium(&admin, "녹산 도금 미니클러스터", Some(&cm))
        .await;
    let member = app.firm_member("m@firm.example", "도금회사", 91).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    let uri = format!("/api/requests/{}/decision", r["id"]);
    let (status, body) = app.post(&uri, json!({"approve": false}), Some(&cm)).await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("required"))
    );
    let (status, body) = app
        .post(
            &uri,
            json!({"approve": false, "reason": "업종이 달라 다른 협의체를 권합니다."}),
            Some(&cm),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("declined"))
    );
    let (status, body) = app.post(&uri, json!({"approve": true}), Some(&cm)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_decided"))
    );
    let (_, notes) = app.get("/api/notifications", Some(&member)).await;
    assert_eq!(
        (notes[0]["kind"].as_str(), notes[0]["note"].as_str()),
        (
            Some("join_declined"),
            Some("업종이 달라 다른 협의체를 권합니다.")
        )
    );
    let (_, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&member))
        .await;
    assert_eq!(
        page["standing"]["state"], "none",
        "a declined organisation may ask again"
    );
}

async fn requests_are_private(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 100).await;
    let other_cm = app.firm_member("cm2@kicox.example", "CM소속2", 101).await;
    let id = app.consortium(&admin, "비공개 협의체", Some(&cm)).await;
    let other = app.consortium(&admin, "다른 협의체", Some(&other_cm)).await;
    let member = app.firm_member("m@firm.example", "요청회사", 102).await;
    let colleague = app.colleague("c@firm.example", &member).await;
    let stranger = app.firm_member("s@firm.example", "낯선회사", 103).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    let rid = r["id"].as_i64().unwrap();

    for (who, s) in [
        ("stranger", &stranger),
        ("CM of another consortium", &other_cm),
    ] {
        let (status, _) = app.get(&format!("/api/requests/{rid}"), Some(s)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} cannot read it");
        let (status, _) = app
            .post(
                &format!("/api/requests/{rid}/decision"),
                json!({"approve": true}),
                Some(s),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} cannot decide it");
        let (status, _) = app
            .get(&format!("/api/consortia/{id}/requests"), Some(s))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} cannot list them");
        let (status, _) = app
            .get(&format!("/api/consortia/{id}/audit"), Some(s))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} cannot read the trail");
    }
    let (status, _) = app
        .get(&format!("/api/requests/{rid}"), Some(&colleague))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the organisation's people see their request"
    );
    let (status, _) = app
        .post(
            &format!("/api/requests/{rid}/decision"),
            json!({"approve": true}),
            Some(&member),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "nobody approves their own request"
    );
    let (status, _) = app
        .post(
            &format!("/api/consortia/{other}/invitations"),
            json!({"org_id": stranger.org(), "message": ""}),
            Some(&cm),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a CM invites only to their own consortium"
    );
    let (status, body) = app
        .call(
            Method::POST,
            &format!("/api/requests/{rid}/withdraw"),
            None,
            Some(&colleague),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("withdrawn"))
    );
    let (_, mine) = app.get("/api/me/requests", Some(&member)).await;
    assert_eq!(mine[0]["status"], "withdrawn");
    let (_, theirs) = app.get("/api/me/requests", Some(&stranger)).await;
    assert_eq!(theirs, json!([]));
}

async fn invitation_flow(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 110).await;
    let id = app.consortium(&admin, "초대 협의체", Some(&cm)).await;
    let rep = app.firm_member("rep@firm.example", "초대회사", 111).await;
    let colleague = app.colleague("c@firm.example", &rep).await;
    let (status, inv) = app
        .post(
            &format!("/api/consortia/{id}/invitations"),
            json!({"org_id": rep.org(), "message": "함께해 주세요"}),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{inv}");
    let (_, notes) = app.get("/api/notifications", Some(&rep)).await;
    assert_eq!(notes[0]["kind"], "invited", "the representative is told");
    let (_, notes) = app.get("/api/notifications", Some(&colleague)).await;
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "invited"),
        "only the representative"
    );
    let (_, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&colleague))
        .await;
    assert_eq!(page["standing"]["state"], "invited");
    let uri = format!("/api/requests/{}/decision", inv["id"]);
    let (status, _) = app
        .post(&uri, json!({"approve": true}), Some(&colleague))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the representative accepts for the organisation"
    );
    let (status, _) = app.post(&uri, json!({"approve": true}), Some(&cm)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the CM cannot accept their own invitation"
    );
    let (status, body) = app.post(&uri, json!({"approve": true}), Some(&rep)).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
    let (_, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&colleague))
        .await;
    assert_eq!(page["standing"]["state"], "member");
    let (_, notes) = app.get("/api/notifications", Some(&cm)).await;
    assert_eq!(notes[0]["kind"], "invitation_accepted");
}

async fn leaving(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 120).await;
    let id = app.consortium(&admin, "탈퇴 협의체", Some(&cm)).await;
    let rep = app.firm_member("rep@firm.example", "탈퇴회사", 121).await;
    let colleague = app.colleague("c@firm.example", &rep).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&colleague),
        )
        .await;
    app.post(
        &format!("/api/requests/{}/decision", r["id"]),
        json!({"approve": true}),
        Some(&cm),
    )
    .await;
    let uri = format!("/api/consortia/{id}/membership");
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&colleague)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the representative decides to leave"
    );
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&rep)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.call(Method::DELETE, &uri, None, Some(&rep)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_member"))
    );
    let (_, notes) = app.get("/api/notifications", Some(&cm)).await;
    assert_eq!(notes[0]["kind"], "member_left");
}

/// Two CMs deciding the same request at once: exactly one decision lands.
async fn concurrent_decisions_decide_once(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "CM소속", 130).await;
    let id = app.consortium(&admin, "경합 협의체", Some(&cm)).await;
    let member = app.firm_member("m@firm.example", "경합회사", 131).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": MOTIVATION}),
            Some(&member),
        )
        .await;
    let uri = format!("/api/requests/{}/decision", r["id"]);
    let approve = app.post(&uri, json!({"approve": true}), Some(&cm));
    let decline = app.post(
        &uri,
        json!({"approve": false, "reason": "중복 신청"}),
        Some(&admin),
    );
    let ((a, _), (b, _)) = tokio::join!(approve, decline);
    let mut statuses = [a.as_u16(), b.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let (_, trail) = app
        .get(&format!("/api/consortia/{id}/audit"), Some(&cm))
        .await;
    let decisions = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            matches!(
                e["action"].as_str(),
                Some("join_approved" | "join_declined")
            )
        })
        .count();
    assert_eq!(decisions, 1);
}
