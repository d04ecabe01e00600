//! The idea board: posting exactly once (with photos), 공감 one per person,
//! threaded comments and follows, stages by the CM only, hidden and deleted
//! content out of reach, consortium ideas for members only, keyset feeds and
//! Korean search.

use crate::{
    both,
    support::{Session, TestApp, error, jpeg_with_location},
};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use moim_server::db::Db;
use serde_json::{Value, json};

both!(
    posting_is_idempotent_and_photos_are_checked,
    one_vote_per_person,
    comments_thread_and_followers_hear,
    stages_are_set_by_the_cm_only,
    hidden_and_deleted_content_is_out_of_reach,
    consortium_ideas_stay_in_the_consortium,
    feeds_page_by_keyset_and_search_korean
);

fn idea(title: &str, key: &str) -> Value {
    json!({"title": title, "body": "회원사끼리 함께 해 보면 좋겠습니다.", "tags": ["공동구매"], "idempotency_key": key})
}

async fn post_idea(app: &TestApp, s: &Session, body: Value) -> i64 {
    let (status, created) = app.post("/api/ideas", body, Some(s)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

/// A consortium with its CM and two member firms' people.
struct World {
    admin: Session,
    cm: Session,
    author: Session,
    member: Session,
    outsider: Session,
    consortium: i64,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "공단지사", 10).await;
    let consortium = app
        .consortium(&admin, "창원 금형 미니클러스터", Some(&cm))
        .await;
    let author = app.firm_member("kim@hanbit.example", "한빛정밀", 11).await;
    let member = app.firm_member("lee@daesung.example", "대성금형", 12).await;
    let outsider = app.firm_member("park@gumi.example", "구미전자", 13).await;
    app.join(&author, consortium, &cm).await;
    app.join(&member, consortium, &cm).await;
    World {
        admin,
        cm,
        author,
        member,
        outsider,
        consortium,
    }
}

async fn feed(app: &TestApp, query: &str, s: Option<&Session>) -> Value {
    let (status, page) = app.get(&format!("/api/ideas{query}"), s).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn posting_is_idempotent_and_photos_are_checked(app: &TestApp) {
    let w = world(app).await;
    // Anonymous: sign in first.
    let (status, _) = app
        .post("/api/ideas", idea("익명 아이디어", "k-anon"), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A retry with the same key is the same idea, 200 instead of 201.
    let id = post_idea(app, &w.author, idea("절삭유 공동 구매", "key-1")).await;
    let (status, again) = app
        .post(
            "/api/ideas",
            idea("절삭유 공동 구매", "key-1"),
            Some(&w.author),
        )
        .await;
    assert_eq!((status, again["id"].as_i64()), (StatusCode::OK, Some(id)));
    assert_eq!(titles(&feed(app, "", None).await), vec!["절삭유 공동 구매"]);
    // Bad input: every field named.
    let (status, bad) = app
        .post("/api/ideas", json!({"title": " ", "body": "", "tags": ["a", "b", "c", "d", "e", "f"], "idempotency_key": "a b"}), Some(&w.author))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let fields: Vec<&str> = bad["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "body", "tags", "idempotency_key"]);
    // A consortium the person is not in.
    let mut other = idea("남의 협의체", "key-2");
    other["consortium_id"] = json!(w.consortium);
    let (status, bad) = app.post("/api/ideas", other, Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["fields"][0]["field"], "consortium_id");

    // With a photo: stored without its location.
    let body = idea("현장 사진으로 보는 칩 배출 문제", "key-3").to_string();
    let photo = jpeg_with_location();
    let (status, created) = app
        .multipart(
            "/api/ideas",
            &[
                ("idea", None, body.as_bytes()),
                ("photo", Some("IMG_0001.jpg"), &photo),
            ],
            &w.author,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, view) = app
        .get(&format!("/api/ideas/{}", created["id"]), Some(&w.member))
        .await;
    assert_eq!(view["photos"].as_array().unwrap().len(), 1, "{view}");
    assert_eq!(view["summary"]["photo_count"], 1);
    let req = axum::http::Request::builder()
        .uri(format!(
            "/api/ideas/{}/photos/{}",
            created["id"], view["photos"][0]
        ))
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
    // Not an image (whatever the name says): 415, and no idea is made.
    let body = idea("사진이 아닌 파일", "key-4").to_string();
    let (status, err) = app
        .multipart(
            "/api/ideas",
            &[
                ("idea", None, body.as_bytes()),
                ("photo", Some("photo.jpg"), b"MZ\x90\0 not an image"),
            ],
            &w.author,
        )
        .await;
    assert_eq!(
        (status, error(&err)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    // Too large: 413 with the limit.
    let big = vec![0xFFu8; 5 * 1024 * 1024 + 1];
    let body = idea("큰 사진", "key-5").to_string();
    let (status, err) = app
        .multipart(
            "/api/ideas",
            &[
                ("idea", None, body.as_bytes()),
                ("photo", Some("big.jpg"), &big),
            ],
            &w.author,
        )
        .await;
    assert_eq!(
        (status, error(&err)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // Five photos: 422 on `photos`.
    let body = idea("사진 다섯 장", "key-6").to_string();
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("idea", None, body.as_bytes())];
    for _ in 0..5 {
        parts.push(("photo", Some("p.jpg"), &photo));
    }
    let (status, err) = app.multipart("/api/ideas", &parts, &w.author).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["fields"][0]["field"], "photos");
    // Only the two good ideas exist.
    assert_eq!(
        feed(app, "", Some(&w.author)).await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The same key after a failed try works (nothing was kept of the failure).
    let body = idea("사진이 아닌 파일", "key-4").to_string();
    let (status, _) = app
        .multipart("/api/ideas", &[("idea", None, body.as_bytes())], &w.author)
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn one_vote_per_person(app: &TestApp) {
    let w = world(app).await;
    let id = post_idea(app, &w.author, idea("통근 버스 공동 운영", "v-1")).await;
    let uri = format!("/api/ideas/{id}/vote");
    // A double tap is one vote.
    for _ in 0..2 {
        let (status, v) = app.put(&uri, json!({}), Some(&w.member)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v, json!({"votes": 1, "voted": true}));
    }
    let (_, v) = app.put(&uri, json!({}), Some(&w.outsider)).await;
    assert_eq!(v["votes"], 2);
    let page = feed(app, "", Some(&w.member)).await;
    assert_eq!(
        (
            page["items"][0]["votes"].as_i64(),
            page["items"][0]["voted"].as_bool()
        ),
        (Some(2), Some(true))
    );
    assert_eq!(feed(app, "", Some(&w.cm)).await["items"][0]["voted"], false);
    // Taken back, twice: still one less, never negative.
    for _ in 0..2 {
        let (status, v) = app.call(Method::DELETE, &uri, None, Some(&w.member)).await;
        assert_eq!(
            (status, v),
            (StatusCode::OK, json!({"votes": 1, "voted": false}))
        );
    }
    let (status, _) = app.put(&uri, json!({}), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .put("/api/ideas/9999/vote", json!({}), Some(&w.member))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn kinds(notes: &Value) -> Vec<String> {
    // Only the idea board's notifications (joining a consortium makes others).
    notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .filter(|k| k.starts_with("idea_"))
        .collect()
}

async fn comments_thread_and_followers_hear(app: &TestApp) {
    let w = world(app).await;
    let id = post_idea(app, &w.author, idea("폐유 공동 처리", "c-1")).await;
    let other = post_idea(app, &w.author, idea("다른 아이디어", "c-2")).await;
    let uri = format!("/api/ideas/{id}/comments");
    let (status, c) = app
        .post(
            &uri,
            json!({"body": "저희도 참여하고 싶습니다.", "idempotency_key": "m-1"}),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["by_idea_author"], false);
    // The retry after a dropped connection: the same comment, 200.
    let (status, again) = app
        .post(
            &uri,
            json!({"body": "저희도 참여하고 싶습니다.", "idempotency_key": "m-1"}),
            Some(&w.member),
        )
        .await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &c["id"]));
    // The author answers: marked as the author's.
    let (status, reply) = app
        .post(&uri, json!({"body": "다음 모임에서 수요를 모으겠습니다.", "parent_id": c["id"], "idempotency_key": "a-1"}), Some(&w.author))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(
        (reply["by_idea_author"].as_bool(), &reply["parent_id"]),
        (Some(true), &c["id"])
    );
    // A reply to a comment of another idea is refused.
    let (status, bad) = app
        .post(
            &format!("/api/ideas/{other}/comments"),
            json!({"body": "엉뚱한 답", "parent_id": c["id"], "idempotency_key": "x-1"}),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["fields"][0]["field"], "parent_id");
    let (_, view) = app
        .get(&format!("/api/ideas/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(view["summary"]["comments"], 2);
    assert_eq!(view["comments"].as_array().unwrap().len(), 2);
    // The author heard of the comment; the commenter of the reply (once, as a reply).
    let (_, notes) = app.get("/api/notifications", Some(&w.author)).await;
    assert!(
        kinds(&notes).contains(&"idea_commented".to_owned()),
        "{notes}"
    );
    let (_, notes) = app.get("/api/notifications", Some(&w.member)).await;
    assert_eq!(kinds(&notes), vec!["idea_replied"], "{notes}");
    assert_eq!(notes[0]["idea_id"], id);
    // Following: the outsider follows, hears of the next comment, then stops.
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/ideas/{id}/follow"),
            None,
            Some(&w.outsider),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.post(
        &uri,
        json!({"body": "견적서를 공유해 주세요.", "idempotency_key": "m-2"}),
        Some(&w.member),
    )
    .await;
    let (_, notes) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(kinds(&notes), vec!["idea_commented"]);
    app.call(
        Method::DELETE,
        &format!("/api/ideas/{id}/follow"),
        None,
        Some(&w.outsider),
    )
    .await;
    app.post(
        &uri,
        json!({"body": "한 번 더", "idempotency_key": "m-3"}),
        Some(&w.member),
    )
    .await;
    let (_, notes) = app.get("/api/notifications", Some(&w.outsider)).await;
    assert_eq!(notes.as_array().unwrap().len(), 1);
    // Edits: only the author of a comment, within the window.
    let curi = format!("{uri}/{}", c["id"]);
    let (status, _) = app
        .call(
            Method::PATCH,
            &curi,
            Some(json!({"body": "수정"})),
            Some(&w.author),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, edited) = app
        .call(
            Method::PATCH,
            &curi,
            Some(json!({"body": "저희 회사도 참여하겠습니다."})),
            Some(&w.member),
        )
        .await;
    assert_eq!(
        (status, edited["edited"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    backdate_comment(app, c["id"].as_i64().unwrap(), 25).await;
    let (status, late) = app
        .call(
            Method::PATCH,
            &curi,
            Some(json!({"body": "늦은 수정"})),
            Some(&w.member),
        )
        .await;
    assert_eq!(
        (status, &late["code"]),
        (StatusCode::CONFLICT, &json!("edit_window_closed"))
    );
    // Deleting a comment with a reply leaves a placeholder; reaching it by id is 404.
    let (status, _) = app.call(Method::DELETE, &curi, None, Some(&w.member)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&curi, Some(&w.member)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, view) = app
        .get(&format!("/api/ideas/{id}"), Some(&w.outsider))
        .await;
    let first = &view["comments"][0];
    assert_eq!(
        (first["deleted"].as_bool(), first["body"].as_str()),
        (Some(true), Some(""))
    );
    assert_eq!(view["summary"]["comments"], 3);
}

async fn backdate_comment(app: &TestApp, id: i64, hours: i64) {
    let at = Utc::now() - Duration::hours(hours);
    let sql = "UPDATE idea_comments SET created_at = $1 WHERE id = $2";
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql)
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql)
            .bind(at)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

async fn stages_are_set_by_the_cm_only(app: &TestApp) {
    let w = world(app).await;
    let mut body = idea("금형 실습실 주말 개방", "s-1");
    body["consortium_id"] = json!(w.consortium);
    let id = post_idea(app, &w.author, body).await;
    let uri = format!("/api/ideas/{id}/stage");
    let adopt = json!({"stage": "adopted", "note": "다음 분기 사업으로 채택합니다."});
    // Members, even the author: 403. Another consortium's people cannot see it.
    for s in [&w.author, &w.member] {
        let (status, _) = app.post(&uri, adopt.clone(), Some(s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = app.post(&uri, adopt.clone(), Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No note, or `problem` without a problem: 422.
    let (status, bad) = app
        .post(&uri, json!({"stage": "adopted", "note": ""}), Some(&w.cm))
        .await;
    assert_eq!(
        (status, &bad["fields"][0]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("note"))
    );
    let (status, bad) = app
        .post(
            &uri,
            json!({"stage": "problem", "note": "과제로"}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, &bad["fields"][0]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("problem_id"))
    );
    let (status, bad) = app
        .post(
            &uri,
            json!({"stage": "problem", "note": "과제로", "problem_id": 999}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, &bad["fields"][0]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("problem_id"))
    );
    // The CM adopts it: history and followers (the author) hear.
    let (status, view) = app.post(&uri, adopt.clone(), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["summary"]["stage"], "adopted");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["kind"].as_str(), last["note"].as_str()),
        (Some("stage"), Some("다음 분기 사업으로 채택합니다."))
    );
    let (status, err) = app.post(&uri, adopt, Some(&w.cm)).await;
    assert_eq!(
        (status, &err["code"]),
        (StatusCode::CONFLICT, &json!("stage_not_allowed"))
    );
    let (_, notes) = app.get("/api/notifications", Some(&w.author)).await;
    assert_eq!(kinds(&notes)[0], "idea_stage_changed");
    // It became an R&D problem: linked.
    let (status, p) = app.post("/api/problems", json!({"consortium_id": w.consortium, "title": "금형 교육 과정 개발", "summary": "주말 실습 교육 과정을 함께 개발할 전문가를 찾습니다.", "details": "세부 내용", "field_ids": [1], "keywords": ["교육"], "help": ["training"], "timeline_months": 3, "budget": "under_10m", "confidentiality": "members", "publish": true}), Some(&w.author)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (status, view) = app
        .post(&uri, json!({"stage": "problem", "note": "애로과제로 등록했습니다.", "problem_id": p["summary"]["id"]}), Some(&w.admin))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        (&view["problem_id"], view["problem_title"].as_str()),
        (&p["summary"]["id"], Some("금형 교육 과정 개발"))
    );
    // Filter by stage.
    assert_eq!(
        titles(&feed(app, "?stage=problem", Some(&w.member)).await),
        vec!["금형 실습실 주말 개방"]
    );
}

async fn hidden_and_deleted_content_is_out_of_reach(app: &TestApp) {
    let w = world(app).await;
    let mut body = idea("광고성 글", "h-1");
    body["consortium_id"] = json!(w.consortium);
    let id = post_idea(app, &w.author, body).await;
    let (_, c) = app
        .post(
            &format!("/api/ideas/{id}/comments"),
            json!({"body": "좋은 제안입니다.", "idempotency_key": "h-c1"}),
            Some(&w.member),
        )
        .await;
    let comment = format!("/api/ideas/{id}/comments/{}", c["id"]);
    // A member reports it (twice is once); the CM sees it in the queue.
    for _ in 0..2 {
        let (status, _) = app
            .post(
                &format!("/api/ideas/{id}/reports"),
                json!({"reason": "spam"}),
                Some(&w.member),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, bad) = app
        .post(
            &format!("/api/ideas/{id}/reports"),
            json!({"reason": "other"}),
            Some(&w.member),
        )
        .await;
    assert_eq!(
        (status, &bad["fields"][0]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("note"))
    );
    let (_, queue) = app.get("/api/ideas/reports", Some(&w.cm)).await;
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue[0]["reason"], "spam");
    let (_, none) = app.get("/api/ideas/reports", Some(&w.member)).await;
    assert_eq!(none, json!([]));
    // Only a moderator hides.
    let (status, _) = app
        .post(
            &format!("/api/ideas/{id}/moderation"),
            json!({"hidden": true}),
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            &format!("/api/ideas/{id}/moderation"),
            json!({"hidden": true, "note": "광고"}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Hidden: not in feeds, not by id, its comments not by id, no votes.
    assert!(
        feed(app, "", Some(&w.member)).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for uri in [format!("/api/ideas/{id}"), comment.clone()] {
        let (status, _) = app.get(&uri, Some(&w.member)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
    let (status, _) = app
        .put(&format!("/api/ideas/{id}/vote"), json!({}), Some(&w.member))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The author still sees it, marked; the CM too; the report is settled.
    let (status, own) = app.get(&format!("/api/ideas/{id}"), Some(&w.author)).await;
    assert_eq!(
        (status, own["summary"]["hidden"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    let (status, _) = app.get(&comment, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, queue) = app.get("/api/ideas/reports", Some(&w.cm)).await;
    assert_eq!(queue, json!([]));
    // Restored: back for everyone.
    app.post(
        &format!("/api/ideas/{id}/moderation"),
        json!({"hidden": false}),
        Some(&w.cm),
    )
    .await;
    let (status, _) = app.get(&comment, Some(&w.member)).await;
    assert_eq!(status, StatusCode::OK);
    // A hidden comment: gone by id for members, its text kept from them.
    app.post(
        &format!("{comment}/moderation"),
        json!({"hidden": true}),
        Some(&w.cm),
    )
    .await;
    let (status, _) = app.get(&comment, Some(&w.outsider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, view) = app.get(&format!("/api/ideas/{id}"), Some(&w.member)).await;
    assert_eq!(view["summary"]["comments"], 0, "{view}");
    assert!(
        view["comments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["body"] == "")
    );
    // Deleted by its author: gone for everyone, the author included, comments too.
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/ideas/{id}"),
            None,
            Some(&w.member),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/ideas/{id}"),
            None,
            Some(&w.author),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for s in [&w.author, &w.cm, &w.admin] {
        for uri in [format!("/api/ideas/{id}"), comment.clone()] {
            let (status, _) = app.get(&uri, Some(s)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
    }
    // Edits after the window: 409.
    let late = post_idea(app, &w.author, idea("늦은 수정", "h-2")).await;
    let sql = "UPDATE ideas SET created_at = $1 WHERE id = $2";
    let at = Utc::now() - Duration::hours(25);
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql)
            .bind(at)
            .bind(late)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql)
            .bind(at)
            .bind(late)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
    let edit = json!({"title": "고친 제목", "body": "고친 내용", "tags": []});
    let (status, err) = app
        .call(
            Method::PATCH,
            &format!("/api/ideas/{late}"),
            Some(edit),
            Some(&w.author),
        )
        .await;
    assert_eq!(
        (status, &err["code"]),
        (StatusCode::CONFLICT, &json!("edit_window_closed"))
    );
}

async fn consortium_ideas_stay_in_the_consortium(app: &TestApp) {
    let w = world(app).await;
    let mut body = idea("협의체 내부 아이디어", "p-1");
    body["consortium_id"] = json!(w.consortium);
    let inner = post_idea(app, &w.author, body).await;
    post_idea(app, &w.author, idea("모두에게 공개한 아이디어", "p-2")).await;
    let everyone = vec!["모두에게 공개한 아이디어".to_owned()];
    let both = vec![
        "모두에게 공개한 아이디어".to_owned(),
        "협의체 내부 아이디어".to_owned(),
    ];
    assert_eq!(titles(&feed(app, "", None).await), everyone);
    assert_eq!(titles(&feed(app, "", Some(&w.outsider)).await), everyone);
    assert_eq!(titles(&feed(app, "", Some(&w.member)).await), both);
    assert_eq!(titles(&feed(app, "", Some(&w.cm)).await), both);
    assert_eq!(titles(&feed(app, "", Some(&w.admin)).await), both);
    for s in [None, Some(&w.outsider)] {
        let (status, _) = app.get(&format!("/api/ideas/{inner}"), s).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let q = feed(app, "?q=%EB%82%B4%EB%B6%80", s).await; // 내부
        assert!(q["items"].as_array().unwrap().is_empty());
    }
    assert_eq!(
        titles(
            &feed(
                app,
                &format!("?consortium={}", w.consortium),
                Some(&w.member)
            )
            .await
        ),
        vec!["협의체 내부 아이디어"]
    );
    let (_, choices) = app.get("/api/ideas/consortia", Some(&w.member)).await;
    assert_eq!(
        choices,
        json!([{"id": w.consortium, "name": "창원 금형 미니클러스터"}])
    );
    let (_, none) = app.get("/api/ideas/consortia", Some(&w.outsider)).await;
    assert_eq!(none, json!([]));
}

async fn feeds_page_by_keyset_and_search_korean(app: &TestApp) {
    let w = world(app).await;
    let titles_in = [
        "열처리 공정 데이터를 함께 모으기",
        "사출금형 냉각수 재활용",
        "CNC 가공 공구 공동 구매",
        "스마트 공장 견학 프로그램",
        "산단 식당 메뉴 개선",
    ];
    let mut ids = Vec::new();
    for i in 0..25 {
        let title = format!("{} {i}", titles_in[i % titles_in.len()]);
        let mut body = idea(&title, &format!("f-{i}"));
        body["tags"] = json!([if i % 2 == 0 { "짝수" } else { "#홀수" }]);
        ids.push(post_idea(app, &w.author, body).await);
    }
    // Votes and comments make the rising and most-discussed orders.
    app.put(
        &format!("/api/ideas/{}/vote", ids[3]),
        json!({}),
        Some(&w.member),
    )
    .await;
    app.put(
        &format!("/api/ideas/{}/vote", ids[3]),
        json!({}),
        Some(&w.outsider),
    )
    .await;
    for k in 0..3 {
        app.post(
            &format!("/api/ideas/{}/comments", ids[7]),
            json!({"body": "의견", "idempotency_key": format!("d-{k}")}),
            Some(&w.member),
        )
        .await;
    }
    // Newest first, 10 a page, by cursor: every idea exactly once.
    let mut seen = Vec::new();
    let mut after = String::new();
    for page_no in 0..3 {
        let page = feed(app, &format!("?limit=10{after}"), Some(&w.member)).await;
        let items: Vec<i64> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(items.len(), if page_no < 2 { 10 } else { 5 });
        seen.extend(items);
        match page["next"].as_str() {
            Some(n) => after = format!("&after={n}"),
            None => assert_eq!(page_no, 2),
        }
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected);
    let rising = feed(app, "?sort=rising&limit=3", None).await;
    assert_eq!(rising["items"][0]["id"].as_i64(), Some(ids[7]), "{rising}");
    let discussed = feed(app, "?sort=discussed&limit=1", None).await;
    assert_eq!(discussed["items"][0]["id"].as_i64(), Some(ids[7]));
    let next = discussed["next"].as_str().unwrap();
    let second = feed(app, &format!("?sort=discussed&limit=1&after={next}"), None).await;
    assert_ne!(second["items"][0]["id"].as_i64(), Some(ids[7]));
    // Tags (with or without #), and bad cursors.
    assert_eq!(
        feed(app, "?tag=%ED%99%80%EC%88%98&limit=50", None).await["items"]
            .as_array()
            .unwrap()
            .len(),
        12
    ); // 홀수
    let (status, bad) = app.get("/api/ideas?after=abc", None).await;
    assert_eq!(
        (status, &bad["fields"][0]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("after"))
    );
    // Korean-aware search: one syllable, a word inside a compound, mixed scripts.
    let count = |q: &Value| q["items"].as_array().unwrap().len();
    let q = feed(app, "?q=%EC%97%B4&limit=50", None).await; // 열
    assert_eq!(count(&q), 5, "{q}");
    let q = feed(app, "?q=%EA%B8%88%ED%98%95&limit=50", None).await; // 금형 in 사출금형
    assert_eq!(count(&q), 5);
    let q = feed(app, "?q=cnc%20%EA%B0%80%EA%B3%B5&limit=50", None).await; // cnc 가공
    assert_eq!(count(&q), 5);
    let q = feed(app, "?q=%EA%B8%88%ED%98%95%20%EC%8B%9D%EB%8B%B9", None).await; // 금형 식당: no idea has both
    assert_eq!(count(&q), 0);
    // Search pages by cursor too.
    let first = feed(app, "?q=%EC%97%B4&limit=3", None).await;
    let rest = feed(
        app,
        &format!(
            "?q=%EC%97%B4&limit=3&after={}",
            first["next"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(count(&first) + count(&rest), 5);
    // Similar titles while typing.
    let (_, similar) = app
        .get(
            "/api/ideas/similar?title=%EC%82%AC%EC%B6%9C%EA%B8%88%ED%98%95%20%EB%83%89%EA%B0%81",
            None,
        )
        .await; // 사출금형 냉각
    assert!(similar.as_array().unwrap().len() >= 3, "{similar}");
    assert!(
        similar[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("사출금형 냉각수")
    );
}
