//! Networking activities: registration racing for the last places (no
//! overbooking, promotion in order), check-in rules, CMs kept to their own
//! consortia, and the calendar files.

use crate::{
    both,
    support::{Session, TestApp, error},
};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use moim_server::db::Db;
use serde_json::{Value, json};

both!(
    registration_races_never_overbook_and_the_waiting_list_moves_up,
    bad_registrations_record_nothing,
    check_in_takes_the_right_code_in_time_only,
    cms_act_on_their_own_consortia_only,
    calendars_carry_the_activities,
    a_kept_place_reaches_only_people_with_a_place,
    an_open_activity_takes_anyone_signed_in,
    attendee_categories_cap_their_places
);

/// A consortium with its CM and `n` member firms' people.
pub struct World {
    pub admin: Session,
    pub cm: Session,
    pub members: Vec<Session>,
    pub outsider: Session,
    pub consortium: i64,
}

pub async fn world(app: &TestApp, n: u32) -> World {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "공단지사", 10).await;
    let consortium = app
        .consortium(&admin, "창원 공작기계 미니클러스터", Some(&cm))
        .await;
    let mut members = Vec::new();
    for i in 0..n {
        let m = app
            .firm_member(
                &format!("m{i}@firm{i}.example"),
                &format!("회원사{i}"),
                20 + i,
            )
            .await;
        app.join(&m, consortium, &cm).await;
        members.push(m);
    }
    let outsider = app.firm_member("park@gumi.example", "구미전자", 13).await;
    World {
        admin,
        cm,
        members,
        outsider,
        consortium,
    }
}

pub fn visit(consortium: i64, capacity: i64, start_in: Duration) -> Value {
    let start = Utc::now() + start_in;
    json!({
        "consortium_ids": [consortium], "kind": "company_visit", "title": "한빛정밀 공장 견학",
        "description": "5축 가공 라인을 봅니다.", "starts_at": start, "ends_at": start + Duration::hours(2),
        "place": "경남 창원시 성산구 공단로 1", "capacity": capacity
    })
}

pub async fn schedule(app: &TestApp, cm: &Session, body: Value) -> i64 {
    let (status, a) = app.post("/api/activities", body, Some(cm)).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    a["id"].as_i64().unwrap()
}

pub async fn register(app: &TestApp, id: i64, s: &Session) -> (StatusCode, Value) {
    app.post(
        &format!("/api/activities/{id}/registration"),
        json!({}),
        Some(s),
    )
    .await
}

async fn unregister(app: &TestApp, id: i64, s: &Session) -> (StatusCode, Value) {
    app.call(
        Method::DELETE,
        &format!("/api/activities/{id}/registration"),
        None,
        Some(s),
    )
    .await
}

/// Sets a time of an activity (tests cannot wait for tomorrow): `q` binds the id
/// as `$1`, the time as `$2` and two hours later as `$3`.
async fn set_time(db: &Db, q: &str, id: i64, t: DateTime<Utc>) {
    let later = t + Duration::hours(2);
    match db {
        Db::Sqlite(p) => sqlx::query(q)
            .bind(id)
            .bind(t)
            .bind(later)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query(q)
            .bind(id)
            .bind(t)
            .bind(later)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

/// Moves an activity in time.
pub async fn shift(db: &Db, id: i64, starts: DateTime<Utc>) {
    let q = "UPDATE activities SET starts_at = $2, ends_at = $3, deadline = $2 WHERE id = $1";
    set_time(db, q, id, starts).await;
}

pub async fn counts(app: &TestApp, id: i64, s: &Session) -> (i64, i64) {
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(s)).await;
    (
        a["registered"].as_i64().unwrap(),
        a["waitlisted"].as_i64().unwrap(),
    )
}

async fn registration_races_never_overbook_and_the_waiting_list_moves_up(app: &TestApp) {
    let w = world(app, 6).await;
    let id = schedule(app, &w.cm, visit(w.consortium, 2, Duration::days(3))).await;
    // The members were told of the new activity.
    let (_, n) = app.get("/api/notifications", Some(&w.members[0])).await;
    assert_eq!(n[0]["kind"], "activity_scheduled", "{n}");
    assert_eq!(n[0]["activity_id"], id);

    // Six people race for two places.
    let results = futures_join(app, id, &w.members).await;
    let places = results
        .iter()
        .filter(|r| r["status"] == "registered")
        .count();
    let waiting: Vec<i64> = results
        .iter()
        .filter_map(|r| r["position"].as_i64())
        .collect();
    assert_eq!(places, 2, "{results:?}");
    let mut sorted = waiting.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [1, 2, 3, 4],
        "every waiting person has their own place in line"
    );
    assert_eq!(counts(app, id, &w.cm).await, (2, 4));

    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 6);
    let first_waiting = list.iter().find(|a| a["position"] == 1).unwrap()["user_id"]
        .as_i64()
        .unwrap();
    let holder = list.iter().find(|a| a["status"] == "registered").unwrap()["user_id"]
        .as_i64()
        .unwrap();
    let holder = w.members.iter().find(|m| m.id() == holder).unwrap();
    let promoted = w.members.iter().find(|m| m.id() == first_waiting).unwrap();

    // Registering again changes nothing.
    let (status, again) = register(app, id, holder).await;
    assert_eq!(
        (status, again["status"].as_str()),
        (StatusCode::OK, Some("registered"))
    );
    assert_eq!(counts(app, id, &w.cm).await, (2, 4));

    // A place frees up: the first in line takes it and is told.
    let mail_before = outbox_for(&app.db, promoted.id()).await;
    let (status, gone) = unregister(app, id, holder).await;
    assert_eq!(
        (status, gone["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    assert_eq!(counts(app, id, &w.cm).await, (2, 3));
    let (_, mine) = app
        .get(&format!("/api/activities/{id}"), Some(promoted))
        .await;
    assert_eq!(mine["my_status"], "registered", "{mine}");
    let (_, n) = app.get("/api/notifications", Some(promoted)).await;
    assert_eq!(n[0]["kind"], "activity_promoted", "{n}");
    assert_eq!(n[0]["activity_title"], "한빛정밀 공장 견학");
    // Promotion is mail-worthy by default: its email waits in the outbox.
    assert_eq!(outbox_for(&app.db, promoted.id()).await, mail_before + 1);

    // A larger capacity moves the line up too.
    let mut bigger = visit(w.consortium, 4, Duration::days(3));
    bigger["title"] = json!("한빛정밀 공장 견학");
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(bigger),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(
        (a["registered"].as_i64(), a["waitlisted"].as_i64()),
        (Some(4), Some(1))
    );
    // But never below the places already taken.
    let (status, e) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(visit(w.consortium, 1, Duration::days(3))),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

/// Six people register at once (polled together, so their transactions overlap
/// on the pool's connections); each answer is what that person got.
async fn futures_join(app: &TestApp, id: i64, p: &[Session]) -> Vec<Value> {
    let (a, b, c, d, e, f) = tokio::join!(
        register(app, id, &p[0]),
        register(app, id, &p[1]),
        register(app, id, &p[2]),
        register(app, id, &p[3]),
        register(app, id, &p[4]),
        register(app, id, &p[5]),
    );
    [a, b, c, d, e, f]
        .into_iter()
        .map(|(status, body)| {
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        })
        .collect()
}

pub async fn outbox_for(db: &Db, user: i64) -> i64 {
    let q = "SELECT COUNT(*) FROM mail_outbox WHERE user_id = $1";
    let (n,): (i64,) = match db {
        Db::Sqlite(p) => sqlx::query_as(q).bind(user).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(q).bind(user).fetch_one(p).await,
    }
    .unwrap();
    n
}

async fn bad_registrations_record_nothing(app: &TestApp) {
    let w = world(app, 3).await;
    // Full with no waiting list: refused.
    let mut body = visit(w.consortium, 1, Duration::days(2));
    body["waitlist"] = json!(false);
    let id = schedule(app, &w.cm, body).await;
    assert_eq!(register(app, id, &w.members[0]).await.0, StatusCode::OK);
    let (status, e) = register(app, id, &w.members[1]).await;
    assert_eq!((status, error(&e)), (StatusCode::CONFLICT, "conflict"));
    assert_eq!(e["code"], "activity_full");
    assert_eq!(counts(app, id, &w.cm).await, (1, 0));

    // Not a member of the consortium.
    let (status, e) = register(app, id, &w.outsider).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_member"))
    );

    // Past the deadline.
    let id2 = schedule(app, &w.cm, visit(w.consortium, 5, Duration::days(2))).await;
    let past = Utc::now() - Duration::minutes(1);
    set_time(
        &app.db,
        "UPDATE activities SET deadline = $2 WHERE id = $1 AND $3 IS NOT NULL",
        id2,
        past,
    )
    .await;
    let (status, e) = register(app, id2, &w.members[2]).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("registration_closed"))
    );
    assert_eq!(counts(app, id2, &w.cm).await, (0, 0));

    // Cancelled activities take nobody; everyone on the list is told.
    let id3 = schedule(app, &w.cm, visit(w.consortium, 5, Duration::days(2))).await;
    assert_eq!(register(app, id3, &w.members[2]).await.0, StatusCode::OK);
    let (status, _) = app
        .post(
            &format!("/api/activities/{id3}/cancel"),
            json!({"note": "태풍 예보"}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, n) = app.get("/api/notifications", Some(&w.members[2])).await;
    assert_eq!(
        (n[0]["kind"].as_str(), n[0]["note"].as_str()),
        (Some("activity_cancelled"), Some("태풍 예보"))
    );
    let (status, e) = register(app, id3, &w.members[1]).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("registration_closed"))
    );

    // Bad schedules: named fields, nothing created.
    let mut bad = visit(w.consortium, 0, Duration::days(1));
    bad["ends_at"] = bad["starts_at"].clone();
    bad["online_url"] = json!("javascript:alert(1)");
    let (status, e) = app.post("/api/activities", bad, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["ends_at", "online_url", "capacity"]);
    let (status, e) = app
        .post(
            "/api/activities",
            visit(w.consortium, 5, -Duration::hours(1)),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, e["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("in_past"))
    );
    let (status, _) = app
        .post("/api/activities", json!({"title": 3}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/api/activities/999999", Some(&w.cm)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/activities?from=yesterday", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn check_in_takes_the_right_code_in_time_only(app: &TestApp) {
    let w = world(app, 4).await;
    let id = schedule(app, &w.cm, visit(w.consortium, 2, Duration::days(2))).await;
    for m in &w.members[..3] {
        assert_eq!(register(app, id, m).await.0, StatusCode::OK);
    }
    let code_url = format!("/api/activities/{id}/checkin-code");
    // Two days ahead: check-in is not open yet.
    let (status, e) = app.post(&code_url, json!({}), Some(&w.cm)).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("checkin_closed"))
    );

    shift(&app.db, id, Utc::now() - Duration::minutes(10)).await;
    // Members cannot open check-in; the CM can, and asking again gives the same code.
    assert_eq!(
        app.post(&code_url, json!({}), Some(&w.members[0])).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, c) = app.post(&code_url, json!({}), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let code = c["code"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post(&code_url, json!({}), Some(&w.cm)).await.1["code"],
        code.as_str()
    );
    assert_eq!(c["path"], format!("/activities/{id}/check-in?code={code}"));
    let (status, svg) = app
        .get(&format!("/api/activities/{id}/checkin-qr"), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(svg.as_str().unwrap().contains("<svg"), "{svg}");

    let check = format!("/api/activities/{id}/check-in");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, e) = app
        .post(&check, json!({"code": wrong}), Some(&w.members[0]))
        .await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code"))
    );
    // Guessing is limited per person and activity: after five wrong codes even
    // the right one waits (a million codes cannot be run through).
    for _ in 0..4 {
        let (status, _) = app
            .post(&check, json!({"code": wrong}), Some(&w.members[1]))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, e) = app
        .post(&check, json!({"code": wrong}), Some(&w.members[1]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, e) = app
        .post(&check, json!({"code": code}), Some(&w.members[1]))
        .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests")),
        "{e}"
    );
    let (status, _) = app
        .post(&check, json!({"code": "12ab"}), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(&w.cm)).await;
    assert_eq!(a["attended"], false);

    let (status, a) = app
        .post(&check, json!({"code": code}), Some(&w.members[0]))
        .await;
    assert_eq!(
        (status, a["attended"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{a}"
    );
    // Twice is once.
    assert_eq!(
        app.post(&check, json!({"code": code}), Some(&w.members[0]))
            .await
            .0,
        StatusCode::OK
    );
    // The third registered person is on the waiting list, the fourth never registered.
    let (status, e) = app
        .post(&check, json!({"code": code}), Some(&w.members[2]))
        .await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_registered"))
    );
    // Someone without a place learns nothing about the code: right or wrong,
    // the same answer.
    for c in [code.as_str(), wrong] {
        let (status, e) = app
            .post(&check, json!({"code": c}), Some(&w.members[3]))
            .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::CONFLICT, Some("not_registered"))
        );
    }

    // The CM marks the waiting person present by hand: they came, so they count.
    let mark = format!("/api/activities/{id}/attendees/{}", w.members[2].id());
    let (status, list) = app
        .call(
            Method::PUT,
            &mark,
            Some(json!({"attended": true})),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user_id"] == w.members[2].id())
        .unwrap()
        .clone();
    assert_eq!(
        (row["status"].as_str(), row["by_hand"].as_bool()),
        (Some("registered"), Some(true))
    );
    let nobody = format!("/api/activities/{id}/attendees/{}", w.members[3].id());
    let (status, _) = app
        .call(
            Method::PUT,
            &nobody,
            Some(json!({"attended": true})),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(&w.cm)).await;
    assert_eq!(
        (a["registered"].as_i64(), a["waitlisted"].as_i64()),
        (Some(3), Some(0))
    );
    let attended: (i64,) =
        scalar(&app.db, "SELECT attended FROM activities WHERE id = $1", id).await;
    assert_eq!(attended.0, 2);
    // The organiser's list as CSV: a BOM, a header, one line a person, how each came.
    let csv_url = format!("/api/activities/{id}/attendees.csv");
    let (status, csv) = app.get(&csv_url, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with("\u{feff}번호 (no.),이름 (name)"), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("회원사0") && l.contains("코드 (code)")),
        "{csv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("회원사2") && l.contains("수기 (by hand)")),
        "{csv}"
    );
    assert_eq!(
        app.get(&csv_url, Some(&w.members[0])).await.0,
        StatusCode::FORBIDDEN
    );

    // An expired code records nothing.
    let past = Utc::now() - Duration::minutes(1);
    set_time(
        &app.db,
        "UPDATE activities SET code_expires = $2 WHERE id = $1 AND $3 IS NOT NULL",
        id,
        past,
    )
    .await;
    let (status, e) = app
        .post(&check, json!({"code": code}), Some(&w.members[0]))
        .await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("checkin_closed"))
    );
    let attended: (i64,) =
        scalar(&app.db, "SELECT attended FROM activities WHERE id = $1", id).await;
    assert_eq!(attended.0, 2);

    // Minutes, for members, not for outsiders.
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}/minutes"),
            Some(json!({"minutes": "5축 가공 시연, 질의응답."})),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, a["minutes"].as_str()),
        (StatusCode::OK, Some("5축 가공 시연, 질의응답."))
    );
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(a["minutes"], Value::Null);
}

async fn scalar(db: &Db, q: &str, id: i64) -> (i64,) {
    match db {
        Db::Sqlite(p) => sqlx::query_as(q).bind(id).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(q).bind(id).fetch_one(p).await,
    }
    .unwrap()
}

async fn cms_act_on_their_own_consortia_only(app: &TestApp) {
    let w = world(app, 1).await;
    let other_cm = app.firm_member("cm2@kicox.example", "공단지사2", 40).await;
    let other = app
        .consortium(&w.admin, "구미 전자 미니클러스터", Some(&other_cm))
        .await;
    // Another consortium's CM cannot schedule here, nor run this one's activity.
    let (status, _) = app
        .post(
            "/api/activities",
            visit(w.consortium, 5, Duration::days(2)),
            Some(&other_cm),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let id = schedule(app, &w.cm, visit(w.consortium, 5, Duration::days(2))).await;
    for (method, uri, body) in [
        (
            Method::PUT,
            format!("/api/activities/{id}"),
            Some(visit(other, 5, Duration::days(2))),
        ),
        (
            Method::POST,
            format!("/api/activities/{id}/cancel"),
            Some(json!({})),
        ),
        (Method::GET, format!("/api/activities/{id}/attendees"), None),
        (
            Method::PUT,
            format!("/api/activities/{id}/minutes"),
            Some(json!({"minutes": "x"})),
        ),
    ] {
        let (status, e) = app.call(method, &uri, body, Some(&other_cm)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {e}");
    }
    // A cross-consortium activity: both CMs manage it, both memberships may register.
    let mut both = visit(w.consortium, 5, Duration::days(2));
    both["consortium_ids"] = json!([w.consortium, other]);
    let (status, _) = app.post("/api/activities", both.clone(), Some(&w.cm)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a CM schedules only for consortia they manage"
    );
    let (status, a) = app.post("/api/activities", both, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["consortia"].as_array().unwrap().len(), 2);
    assert_eq!(a["can_manage"], true);
    let (_, a) = app
        .get(&format!("/api/activities/{}", a["id"]), Some(&other_cm))
        .await;
    assert_eq!(a["can_manage"], true);
    let (_, mine) = app.get("/api/activities/schedulable", Some(&w.cm)).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
}

async fn calendars_carry_the_activities(app: &TestApp) {
    let w = world(app, 1).await;
    let id = schedule(app, &w.cm, visit(w.consortium, 5, Duration::days(2))).await;
    let (status, ics) = app.get(&format!("/api/activities/{id}/ics"), None).await;
    assert_eq!(status, StatusCode::OK);
    let ics = ics.as_str().unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("SUMMARY:한빛정밀 공장 견학"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:activity-{id}@moim")));
    // Its link names the portal's own address, whatever `Host` the request wrote.
    let req = axum::http::Request::builder()
        .uri(format!("/api/activities/{id}/ics"))
        .header("host", "evil.example")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, (status, forged)) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    let forged = forged.as_str().unwrap();
    assert!(
        forged.contains(&format!("/activities/{id}")) && !forged.contains("evil.example"),
        "{forged}"
    );

    // A member's feed: a secret link, no cookie needed, their activities only.
    let (status, feed) = app
        .post("/api/calendar", json!({}), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::OK);
    let path = feed["path"].as_str().unwrap().to_owned();
    let (_, empty) = app.get(&path, None).await;
    assert!(!empty.as_str().unwrap().contains("BEGIN:VEVENT"));
    assert_eq!(register(app, id, &w.members[0]).await.0, StatusCode::OK);
    let (status, full) = app.get(&path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(full.as_str().unwrap().contains("BEGIN:VEVENT"));
    // A renewed link retires the old one; a made-up one is not found.
    let (_, renewed) = app
        .post("/api/calendar", json!({}), Some(&w.members[0]))
        .await;
    assert_ne!(renewed["path"], path.as_str());
    assert_eq!(app.get(&path, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/calendar/abc.ics", None).await.0,
        StatusCode::NOT_FOUND
    );

    // Lists: everything, one consortium, my own.
    let (_, all) = app.get("/api/activities", None).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let (_, mine) = app
        .get("/api/activities?mine=true", Some(&w.members[0]))
        .await;
    assert_eq!(mine[0]["my_status"], "registered");
    let (_, none) = app.get("/api/activities?consortium=999", None).await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    let (status, _) = app.get("/api/activities?mine=true", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The place each reader gets from the page, the list and the public `.ics`.
async fn places(app: &TestApp, id: i64, s: Option<&Session>) -> (String, String, bool) {
    let (status, a) = app.get(&format!("/api/activities/{id}"), s).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let (_, list) = app.get("/api/activities", s).await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["place"], a["place"], "the list and the page agree");
    assert_eq!(listed["place_hidden"], a["place_hidden"]);
    let (_, ics) = app.get(&format!("/api/activities/{id}/ics"), s).await;
    (
        a["place"].as_str().unwrap().to_owned(),
        ics.as_str().unwrap().to_owned(),
        a["place_hidden"].as_bool().unwrap(),
    )
}

async fn a_kept_place_reaches_only_people_with_a_place(app: &TestApp) {
    let w = world(app, 2).await;
    // A company visit keeps its address unless the CM says otherwise.
    let id = schedule(app, &w.cm, visit(w.consortium, 1, Duration::days(2))).await;
    let address = "경남 창원시 성산구 공단로 1";
    for s in [None, Some(&w.outsider), Some(&w.members[0])] {
        let (place, ics, hidden) = places(app, id, s).await;
        assert_eq!((place.as_str(), hidden), ("", true));
        assert!(
            !ics.contains("공단로") && !ics.contains("LOCATION"),
            "{ics}"
        );
    }
    let (place, _, hidden) = places(app, id, Some(&w.cm)).await;
    assert_eq!((place.as_str(), hidden), (address, false));
    // The one with a place sees it, in their calendar feed too; the one waiting does not.
    assert_eq!(register(app, id, &w.members[0]).await.0, StatusCode::OK);
    assert_eq!(
        register(app, id, &w.members[1]).await.1["status"],
        "waitlisted"
    );
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[0]))
        .await;
    assert_eq!(
        (a["place"].as_str(), a["place_hidden"].as_bool()),
        (Some(address), Some(false))
    );
    let (_, list) = app
        .get("/api/activities?mine=true", Some(&w.members[0]))
        .await;
    assert_eq!(list[0]["place"], address);
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[1]))
        .await;
    assert_eq!(a["place_hidden"], true);
    for (m, shown) in [(&w.members[0], true), (&w.members[1], false)] {
        let (_, feed) = app.post("/api/calendar", json!({}), Some(m)).await;
        let (_, ics) = app.get(feed["path"].as_str().unwrap(), None).await;
        let ics = ics.as_str().unwrap();
        assert!(ics.contains("BEGIN:VEVENT"));
        assert_eq!(ics.contains("공단로 1"), shown, "{ics}");
    }
    // The CM's own `.ics` carries the address; an edit that leaves the new
    // fields out keeps them.
    let (_, ics) = app
        .get(&format!("/api/activities/{id}/ics"), Some(&w.cm))
        .await;
    assert!(ics.as_str().unwrap().contains("공단로 1"));
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(visit(w.consortium, 1, Duration::days(2))),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, a["place_public"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{a}"
    );
    // A seminar shows its place to everyone, and so does a visit the CM opens up.
    let mut body = visit(w.consortium, 1, Duration::days(2));
    body["place_public"] = json!(true);
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(body),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, a["place_public"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{a}"
    );
    let (place, ics, _) = places(app, id, None).await;
    assert_eq!(place, address);
    assert!(
        ics.contains("LOCATION:경남 창원시 성산구 공단로 1"),
        "{ics}"
    );
}

async fn an_open_activity_takes_anyone_signed_in(app: &TestApp) {
    let w = world(app, 1).await;
    let mut body = visit(w.consortium, 10, Duration::days(2));
    body["kind"] = json!("seminar");
    // Its programme: kept in time order, on the page and in the `.ics`.
    let start: DateTime<Utc> = serde_json::from_value(body["starts_at"].clone()).unwrap();
    body["programme"] = json!([
        {"starts_at": start + Duration::minutes(30), "title": "주제 발표", "speaker": "안재훈 교수", "affiliation": "동남과학기술대학교"},
        {"starts_at": start, "title": " 개회사 "},
    ]);
    let mut late = body.clone();
    late["programme"][0]["starts_at"] = json!(start + Duration::hours(2));
    let (status, e) = app.post("/api/activities", late, Some(&w.cm)).await;
    assert_eq!(
        (
            status,
            e["fields"][0]["field"].as_str(),
            e["fields"][0]["code"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("programme[0].starts_at"),
            Some("outside_activity")
        ),
        "{e}"
    );
    let id = schedule(app, &w.cm, body.clone()).await;
    let (_, a) = app.get(&format!("/api/activities/{id}"), None).await;
    assert_eq!(
        (
            a["programme"][0]["title"].as_str(),
            a["programme"][1]["speaker"].as_str()
        ),
        (Some("개회사"), Some("안재훈 교수")),
        "{a}"
    );
    let (_, ics) = app.get(&format!("/api/activities/{id}/ics"), None).await;
    let unfolded = ics.as_str().unwrap().replace("\r\n ", "");
    assert!(
        unfolded.contains("주제 발표 — 안재훈 교수 (동남과학기술대학교)"),
        "{unfolded}"
    );
    // For members only: an outsider may not register.
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(
        (a["can_register"].as_bool(), a["audience"].as_str()),
        (Some(false), Some("members"))
    );
    let (status, e) = register(app, id, &w.outsider).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_member"))
    );
    // Opened to everyone signed in: the outsider registers, and sees what people
    // with a place see; someone without a session still cannot register.
    body["audience"] = json!("signed_in");
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(body.clone()),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, a["audience"].as_str()),
        (StatusCode::OK, Some("signed_in")),
        "{a}"
    );
    // An edit that leaves out the audience and the programme keeps both; one
    // that moves the hours away from the kept programme is refused.
    let mut plain = body.clone();
    plain.as_object_mut().unwrap().remove("audience");
    plain.as_object_mut().unwrap().remove("programme");
    let (status, a) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(plain.clone()),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (
            status,
            a["audience"].as_str(),
            a["programme"].as_array().map(Vec::len)
        ),
        (StatusCode::OK, Some("signed_in"), Some(2)),
        "{a}"
    );
    plain["starts_at"] = json!(start + Duration::hours(1));
    plain["ends_at"] = json!(start + Duration::hours(3));
    let (status, e) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}"),
            Some(plain),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("programme[0].starts_at")
        ),
        "{e}"
    );
    let (_, a) = app.get(&format!("/api/activities/{id}"), None).await;
    assert_eq!(a["can_register"], false);
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(a["can_register"], true);
    let (status, r) = register(app, id, &w.outsider).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::OK, Some("registered")),
        "{r}"
    );
    assert_eq!(register(app, id, &w.members[0]).await.0, StatusCode::OK);
    assert_eq!(counts(app, id, &w.cm).await, (2, 0));
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| p["org_name"] == "구미전자"),
        "{list}"
    );
    // Afterwards the minutes reach the outsider who had a place, not another.
    shift(&app.db, id, Utc::now() - Duration::hours(3)).await;
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{id}/minutes"),
            Some(json!({"minutes": "발표와 질의응답."})),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A GIF is taken as the API document says (its comment dropped).
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xfe\x03abc\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";
    let (status, a) = app
        .multipart(
            &format!("/api/activities/{id}/photos"),
            &[("photo", Some("모임.gif"), gif)],
            &w.cm,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let photo = format!("/api/activities/{id}/photos/{}", a["photos"][0]["id"]);
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(a["minutes"], "발표와 질의응답.");
    assert_eq!(a["photos"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.get(&photo, Some(&w.outsider)).await.0, StatusCode::OK);
    let stranger = app.firm_member("lee@daegu.example", "대구소재", 14).await;
    let (_, a) = app
        .get(&format!("/api/activities/{id}"), Some(&stranger))
        .await;
    assert_eq!(a["minutes"], Value::Null);
    assert_eq!(
        app.get(&photo, Some(&stranger)).await.0,
        StatusCode::NOT_FOUND
    );
    // Only the two audiences exist.
    let mut bad = visit(w.consortium, 10, Duration::days(3));
    bad["audience"] = json!("everyone");
    let (status, _) = app.post("/api/activities", bad, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn register_as(app: &TestApp, id: i64, s: &Session, category: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/activities/{id}/registration"),
        json!({ "category": category }),
        Some(s),
    )
    .await
}

async fn attendee_categories_cap_their_places(app: &TestApp) {
    let w = world(app, 4).await;
    let mut body = visit(w.consortium, 10, Duration::days(2));
    body["kind"] = json!("forum");
    body["categories"] = json!([{"name": " 정부 ", "capacity": 2}, {"name": "회원사"}]);
    let id = schedule(app, &w.cm, body.clone()).await;
    // None chosen, or one the activity does not have: 422, nothing recorded.
    let (status, e) = register(app, id, &w.members[0]).await;
    assert_eq!(
        (
            status,
            e["fields"][0]["field"].as_str(),
            e["fields"][0]["code"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("category"),
            Some("required")
        )
    );
    let (status, e) = register_as(app, id, &w.members[0], "언론").await;
    assert_eq!(
        (status, e["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_choice"))
    );
    assert_eq!(counts(app, id, &w.cm).await, (0, 0));
    // Three people race for the two places of 정부: exactly two get them.
    let (a, b, c) = tokio::join!(
        register_as(app, id, &w.members[0], "정부"),
        register_as(app, id, &w.members[1], "정부"),
        register_as(app, id, &w.members[2], "정부"),
    );
    let mut got = [&a, &b, &c].map(|(s, _)| *s).to_vec();
    got.sort();
    assert_eq!(
        got,
        [StatusCode::OK, StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?} {c:?}"
    );
    let refused = [&a, &b, &c]
        .into_iter()
        .find(|(s, _)| *s == StatusCode::CONFLICT)
        .unwrap();
    assert_eq!(refused.1["code"], "category_full");
    assert_eq!(
        register_as(app, id, &w.members[3], "회원사").await.0,
        StatusCode::OK
    );
    let (_, v) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[3]))
        .await;
    assert_eq!(
        (
            v["categories"][0]["name"].as_str(),
            v["categories"][0]["taken"].as_i64()
        ),
        (Some("정부"), Some(2)),
        "{v}"
    );
    assert_eq!(
        (v["my_category"].as_str(), v["registered"].as_i64()),
        (Some("회원사"), Some(3))
    );
    // The organiser's list names each one's category.
    let (_, csv) = app
        .get(&format!("/api/activities/{id}/attendees.csv"), Some(&w.cm))
        .await;
    assert!(csv.as_str().unwrap().contains(",회원사,,\r\n"), "{csv}");
    // A category someone chose cannot go, nor its cap drop below them; an edit
    // that leaves the categories out keeps them.
    let cm = &w.cm;
    let put = |b: Value| {
        let uri = format!("/api/activities/{id}");
        async move { app.call(Method::PUT, &uri, Some(b), Some(cm)).await }
    };
    let mut gone = body.clone();
    gone["categories"] = json!([{"name": "회원사"}]);
    let (status, e) = put(gone).await;
    assert_eq!(
        (status, e["code"].as_str()),
        (StatusCode::CONFLICT, Some("category_in_use"))
    );
    let mut smaller = body.clone();
    smaller["categories"][0]["capacity"] = json!(1);
    let (status, e) = put(smaller).await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("categories[0].capacity")
        )
    );
    let mut kept = body.clone();
    kept.as_object_mut().unwrap().remove("categories");
    let (status, v) = put(kept).await;
    assert_eq!(
        (status, v["categories"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(2)),
        "{v}"
    );
    // A cancellation frees the category's place.
    let quitter = [&w.members[0], &w.members[1], &w.members[2]]
        .into_iter()
        .zip([&a, &b, &c])
        .find(|(_, (s, _))| *s == StatusCode::OK)
        .unwrap()
        .0;
    let waiting = [&w.members[0], &w.members[1], &w.members[2]]
        .into_iter()
        .zip([&a, &b, &c])
        .find(|(_, (s, _))| *s == StatusCode::CONFLICT)
        .unwrap()
        .0;
    assert_eq!(unregister(app, id, quitter).await.0, StatusCode::OK);
    assert_eq!(
        register_as(app, id, waiting, "정부").await.0,
        StatusCode::OK
    );
    // An activity without categories takes none.
    let plain = schedule(app, &w.cm, visit(w.consortium, 10, Duration::days(3))).await;
    let (status, e) = register_as(app, plain, &w.members[0], "정부").await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
}
