//! Guests without an account at activities open to anyone: registering, the
//! mailed link that confirms, cancels and checks in, one line with the members
//! (capacity, category caps, the waiting list), the throttle, and forgetting
//! guests after the event.

use crate::{
    activities::{counts, schedule, shift, visit, world},
    both,
    support::{TestApp, error},
};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use moim_server::db::guests::GuestMail;
use serde_json::{Value, json};

both!(
    guests_confirm_by_mail_and_share_the_line_with_members,
    bad_guest_registrations_record_nothing,
    guests_racing_for_a_category_never_pass_its_cap,
    guests_check_in_with_their_link_and_are_forgotten_after_the_event,
    registration_questions_are_answered_by_members_and_guests_alike
);

/// A 409's code.
fn conflict(e: &Value) -> &str {
    e["code"].as_str().unwrap_or("")
}

fn guest(name: &str, email: &str, category: &str) -> Value {
    json!({
        "name": name, "org_name": "Acme Trading", "email": email, "phone": "+1 415-555-0100",
        "category": category, "agree": true
    })
}

/// An open forum for two, with a capped category for buyers from abroad.
fn open_forum(consortium: i64, start_in: Duration) -> Value {
    let mut body = visit(consortium, 2, start_in);
    body["kind"] = json!("forum");
    body["audience"] = json!("anyone");
    body["place_public"] = json!(false);
    body["categories"] = json!([{"name": "해외 바이어", "capacity": 1}, {"name": "기타"}]);
    body
}

async fn sign_up(app: &TestApp, id: i64, body: Value) -> (StatusCode, Value) {
    app.post(&format!("/api/activities/{id}/guests"), body, None)
        .await
}

async fn by_link(app: &TestApp, what: &str, token: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/api/guests/{what}"),
        json!({ "token": token }),
        None,
    )
    .await
}

/// Registers a guest and opens the mailed link: their token.
async fn confirmed(app: &TestApp, id: i64, body: Value) -> (String, Value) {
    let email = body["email"].as_str().unwrap().to_owned();
    let (status, v) = sign_up(app, id, body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let token = app
        .guest_link_mailed(&email, GuestMail::Confirm)
        .await
        .expect("a link mailed");
    let (status, v) = by_link(app, "confirm", &token).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    (token, v)
}

async fn guests_confirm_by_mail_and_share_the_line_with_members(app: &TestApp) {
    let w = world(app, 2).await;
    let id = schedule(app, &w.cm, open_forum(w.consortium, Duration::days(3))).await;
    // Anyone may register without signing in; the answer names the address.
    let (_, v) = app.get(&format!("/api/activities/{id}"), None).await;
    assert_eq!(
        (v["can_register"].as_bool(), v["audience"].as_str()),
        (Some(true), Some("anyone")),
        "{v}"
    );
    let (status, v) = sign_up(
        app,
        id,
        guest("Jane Buyer", " Jane@Abroad.example ", "해외 바이어"),
    )
    .await;
    assert_eq!(
        (status, v["email"].as_str()),
        (StatusCode::ACCEPTED, Some("jane@abroad.example")),
        "{v}"
    );
    // Pending: no place is held until the link is opened.
    assert_eq!(counts(app, id, &w.cm).await, (0, 0));
    let token = app
        .guest_link_mailed("jane@abroad.example", GuestMail::Confirm)
        .await
        .expect("a link mailed");
    let mail = app.mails_to("jane@abroad.example").pop().unwrap();
    assert!(
        mail.contains(&format!("/activities/{id}#guest={token}")),
        "{mail}"
    );
    assert!(!mail.contains("공단로"), "no address in mail: {mail}");
    let (status, v) = by_link(app, "view", &token).await;
    assert_eq!(
        (status, v["status"].as_str(), v["place"].as_str()),
        (StatusCode::OK, Some("pending"), Some("")),
        "{v}"
    );
    let (status, v) = by_link(app, "confirm", &token).await;
    assert_eq!(
        (status, v["status"].as_str(), v["category"].as_str()),
        (StatusCode::OK, Some("registered"), Some("해외 바이어")),
        "{v}"
    );
    // With a place, the kept address shows to the guest.
    assert!(v["place"].as_str().unwrap().contains("공단로"), "{v}");
    // Opening the link again changes nothing.
    assert_eq!(by_link(app, "confirm", &token).await.0, StatusCode::OK);
    assert_eq!(counts(app, id, &w.cm).await, (1, 0));
    // The buyers' one place is taken: said at once.
    let (status, e) = sign_up(app, id, guest("Li Wei", "li@abroad.example", "해외 바이어")).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "category_full"),
        "{e}"
    );
    // Jane, who holds that place, is answered as anyone would be: the answer
    // never tells whether an address holds a place.
    let (status, e) = sign_up(
        app,
        id,
        guest("Jane Buyer", "jane@abroad.example", "해외 바이어"),
    )
    .await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "category_full")
    );
    let (li, _) = confirmed(app, id, guest("Li Wei", "li@abroad.example", "기타")).await;
    assert_eq!(counts(app, id, &w.cm).await, (2, 0));
    // A member comes after them in the one line and waits.
    let (status, _) = app
        .post(
            &format!("/api/activities/{id}/registration"),
            json!({ "category": "기타" }),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(counts(app, id, &w.cm).await, (2, 1));
    let (_, me) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[0]))
        .await;
    assert_eq!(me["my_position"], 1, "{me}");
    // A guest confirming now waits behind the member.
    let (ana, v) = confirmed(app, id, guest("Ana Lima", "ana@abroad.example", "기타")).await;
    assert_eq!(
        (v["status"].as_str(), v["position"].as_i64()),
        (Some("waitlisted"), Some(2)),
        "{v}"
    );
    // A member behind the guest counts the guest ahead of them.
    let (status, _) = app
        .post(
            &format!("/api/activities/{id}/registration"),
            json!({ "category": "기타" }),
            Some(&w.members[1]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[1]))
        .await;
    assert_eq!(me["my_position"], 3, "{me}");
    // Jane cancels with her link: the member, first in line, takes the place.
    let (status, v) = by_link(app, "cancel", &token).await;
    assert_eq!(
        (status, v["status"].as_str(), v["can_cancel"].as_bool()),
        (StatusCode::OK, Some("cancelled"), Some(false)),
        "{v}"
    );
    let (_, me) = app
        .get(&format!("/api/activities/{id}"), Some(&w.members[0]))
        .await;
    assert_eq!(me["my_status"], "registered", "{me}");
    let (_, v) = by_link(app, "view", &ana).await;
    assert_eq!(v["position"].as_i64(), Some(1), "{v}");
    // Li cancels: Ana, a guest, is promoted and told by mail.
    assert_eq!(by_link(app, "cancel", &li).await.0, StatusCode::OK);
    let (_, v) = by_link(app, "view", &ana).await;
    assert_eq!(v["status"], "registered", "{v}");
    assert!(
        app.guest_link_mailed("ana@abroad.example", GuestMail::Promoted)
            .await
            .is_some()
    );
    assert_eq!(counts(app, id, &w.cm).await, (2, 1));
    // The organiser's list has the guests, with how to reach them; the CSV too.
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    let ana_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Ana Lima")
        .unwrap();
    assert_eq!(
        (
            ana_row["email"].as_str(),
            ana_row["user_id"].as_i64(),
            ana_row["status"].as_str()
        ),
        (Some("ana@abroad.example"), None, Some("registered")),
        "{list}"
    );
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["name"] != "Jane Buyer" || a["status"] == "cancelled")
    );
    let (_, csv) = app
        .get(&format!("/api/activities/{id}/attendees.csv"), Some(&w.cm))
        .await;
    assert!(
        csv.as_str().unwrap().contains("ana@abroad.example"),
        "{csv}"
    );
    // Members cannot see the list; a made-up link opens nothing.
    assert_eq!(
        app.get(
            &format!("/api/activities/{id}/attendees"),
            Some(&w.members[1])
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, e) = by_link(app, "view", &"ab".repeat(32)).await;
    assert_eq!(
        (status, e["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_link"))
    );
    // The same address again gets a fresh link to the same registration.
    let (status, _) = sign_up(app, id, guest("Ana L.", "ana@abroad.example", "기타")).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let again = app
        .guest_link_mailed("ana@abroad.example", GuestMail::Confirm)
        .await
        .unwrap();
    let (_, v) = by_link(app, "view", &again).await;
    assert_eq!(
        (v["status"].as_str(), v["name"].as_str()),
        (Some("registered"), Some("Ana Lima")),
        "{v}"
    );
}

async fn bad_guest_registrations_record_nothing(app: &TestApp) {
    let w = world(app, 1).await;
    let members_only = schedule(app, &w.cm, visit(w.consortium, 5, Duration::days(3))).await;
    let (status, e) = sign_up(app, members_only, guest("A", "a@x.example", "기타")).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "not_member"),
        "{e}"
    );
    let id = schedule(app, &w.cm, open_forum(w.consortium, Duration::days(3))).await;
    for (body, field) in [
        (guest("A", "not-an-address", "기타"), "email"),
        (guest("", "a@x.example", "기타"), "name"),
        (guest("A", "a@x.example", "언론"), "category"),
        (
            {
                let mut b = guest("A", "a@x.example", "기타");
                b["phone"] = json!("call me");
                b
            },
            "phone",
        ),
        (
            {
                let mut b = guest("A", "a@x.example", "기타");
                b["agree"] = json!(false);
                b
            },
            "agree",
        ),
        (
            {
                let mut b = guest("A", "a@x.example", "기타");
                b.as_object_mut().unwrap().remove("category");
                b
            },
            "category",
        ),
    ] {
        let (status, e) = sign_up(app, id, body).await;
        assert_eq!(
            (status, e["fields"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{e}"
        );
    }
    assert_eq!(
        sign_up(app, 999_999, guest("A", "a@x.example", "기타"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // One address may ask three times in the window, then waits.
    for _ in 0..3 {
        assert_eq!(
            sign_up(app, id, guest("B", "b@x.example", "기타")).await.0,
            StatusCode::ACCEPTED
        );
    }
    let (status, e) = sign_up(app, id, guest("B", "b@x.example", "기타")).await;
    assert_eq!(
        (status, error(&e)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
        "{e}"
    );
    // Past the deadline: closed.
    shift(&app.db, id, Utc::now() - Duration::minutes(5)).await;
    let (status, e) = sign_up(app, id, guest("C", "c@x.example", "기타")).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "registration_closed"),
        "{e}"
    );
    assert_eq!(counts(app, id, &w.cm).await, (0, 0));
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    assert_eq!(list, json!([]), "pending guests are not on the list");
}

async fn guests_racing_for_a_category_never_pass_its_cap(app: &TestApp) {
    let w = world(app, 0).await;
    let mut body = open_forum(w.consortium, Duration::days(3));
    body["capacity"] = json!(10);
    let id = schedule(app, &w.cm, body).await;
    let mut tokens = Vec::new();
    for who in ["x", "y", "z"] {
        let email = format!("{who}@abroad.example");
        let (status, _) = sign_up(app, id, guest(who, &email, "해외 바이어")).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        tokens.push(
            app.guest_link_mailed(&email, GuestMail::Confirm)
                .await
                .unwrap(),
        );
    }
    // Three pending buyers open their links at once for the one place.
    let (a, b, c) = tokio::join!(
        by_link(app, "confirm", &tokens[0]),
        by_link(app, "confirm", &tokens[1]),
        by_link(app, "confirm", &tokens[2]),
    );
    let mut got = [&a, &b, &c].map(|(s, _)| *s).to_vec();
    got.sort();
    assert_eq!(
        got,
        [StatusCode::OK, StatusCode::CONFLICT, StatusCode::CONFLICT],
        "{a:?} {b:?} {c:?}"
    );
    assert_eq!(counts(app, id, &w.cm).await, (1, 0));
    // A link to confirm dies after three days.
    app.exec("UPDATE guest_links SET created_at = '2020-01-01T00:00:00Z'")
        .await;
    let late = [&a, &b, &c]
        .into_iter()
        .zip(&tokens)
        .find(|((s, _), _)| *s == StatusCode::CONFLICT)
        .unwrap()
        .1;
    let (status, e) = by_link(app, "confirm", late).await;
    assert_eq!(
        (status, e["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_link")),
        "{e}"
    );
}

async fn guests_check_in_with_their_link_and_are_forgotten_after_the_event(app: &TestApp) {
    let w = world(app, 0).await;
    let id = schedule(app, &w.cm, open_forum(w.consortium, Duration::days(3))).await;
    let (token, _) = confirmed(app, id, guest("Jane", "jane@abroad.example", "기타")).await;
    let check = |code: String| {
        let token = token.clone();
        async move {
            app.post(
                "/api/guests/check-in",
                json!({ "token": token, "code": code }),
                None,
            )
            .await
        }
    };
    // Not open yet.
    let (status, e) = check("123456".into()).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "checkin_closed")
    );
    shift(&app.db, id, Utc::now() - Duration::minutes(10)).await;
    let (_, c) = app
        .post(
            &format!("/api/activities/{id}/checkin-code"),
            json!({}),
            Some(&w.cm),
        )
        .await;
    let code = c["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let (status, _) = check(wrong.into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, v) = check(code.clone()).await;
    assert_eq!(
        (status, v["attended"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{v}"
    );
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(&w.cm)).await;
    assert_eq!(a["registered"], 1);
    // Started: a guest can no longer cancel.
    let (status, e) = by_link(app, "cancel", &token).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "registration_closed")
    );
    // The CM marks the guest absent by hand, then present again.
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    let gid = list[0]["guest_id"].as_i64().unwrap();
    let uri = format!("/api/activities/{id}/guests/{gid}");
    let mark = |present: bool| {
        app.call(
            Method::PUT,
            &uri,
            Some(json!({ "attended": present })),
            Some(&w.cm),
        )
    };
    let (status, list) = mark(false).await;
    assert_eq!(
        (status, list[0]["attended_at"].is_null()),
        (StatusCode::OK, true),
        "{list}"
    );
    let (_, list) = mark(true).await;
    assert_eq!(list[0]["by_hand"], true, "{list}");
    // A guest of another activity cannot be marked through this one.
    let other = schedule(app, &w.cm, open_forum(w.consortium, Duration::days(5))).await;
    shift(&app.db, other, Utc::now() - Duration::minutes(10)).await;
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/activities/{other}/guests/{gid}"),
            Some(json!({ "attended": true })),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // After the keeping time the guest's details go; the count and attendance stay.
    let kept = moim_server::db::guests::purge(&app.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(kept, 0, "kept until 30 days after the event");
    let later = Utc::now() + Duration::days(moim_core::activity::GUEST_KEEP_DAYS + 1);
    // (the activity ended two hours from its moved start, ten minutes ago)
    assert_eq!(
        moim_server::db::guests::purge(&app.db, later)
            .await
            .unwrap(),
        1
    );
    let (status, _) = by_link(app, "view", &token).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    assert_eq!(
        (
            list[0]["name"].as_str(),
            list[0]["email"].as_str(),
            list[0]["attended_at"].is_null()
        ),
        (Some(""), None, false),
        "{list}"
    );
    assert_eq!(
        app.texts("SELECT COALESCE(email, '-') FROM activity_guests")
            .await,
        vec!["-".to_owned()]
    );
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(&w.cm)).await;
    assert_eq!(a["registered"], 1);
}

/// Lunch (yes/no, required), and the dietary need only of those who come
/// to lunch; a choice of session.
fn questions() -> Value {
    json!([
        {"key": "lunch", "text": "오찬에 참석하십니까?", "type": "yes_no", "required": true},
        {"key": "diet", "text": "식단 요청", "type": "short_text", "required": true,
         "show_if": {"question": "lunch", "equals": true}},
        {"key": "session", "text": "관심 세션", "type": "single_choice", "options": ["수출", "기술"]}
    ])
}

async fn registration_questions_are_answered_by_members_and_guests_alike(app: &TestApp) {
    let w = world(app, 2).await;
    let mut body = open_forum(w.consortium, Duration::days(3));
    body["capacity"] = json!(10);
    // A questionnaire that is not sound is refused, field by field.
    body["questions"] =
        json!([{"key": "Bad Key", "text": "", "type": "single_choice", "options": ["하나"]}]);
    let (status, e) = app.post("/api/activities", body.clone(), Some(&w.cm)).await;
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        fields,
        ["questions.0.key", "questions.0.text", "questions.0.options"],
        "{e}"
    );
    body["questions"] = questions();
    let id = schedule(app, &w.cm, body.clone()).await;
    let (_, v) = app.get(&format!("/api/activities/{id}"), None).await;
    assert_eq!(v["question_count"], 3, "{v}");
    let (_, v) = app
        .get(&format!("/api/activities/{id}/questions"), None)
        .await;
    assert_eq!(v["questions"][1]["show_if"]["question"], "lunch", "{v}");
    // A member: the required answers, asked only as the conditions hold.
    let url = format!("/api/activities/{id}/registration");
    let reg = |answers: Value| {
        let url = url.clone();
        let s = &w.members[0];
        async move {
            app.post(
                &url,
                json!({"category": "기타", "answers": answers}),
                Some(s),
            )
            .await
        }
    };
    for (answers, field, code) in [
        (json!({}), "answers.lunch", "required"),
        (json!({"lunch": true}), "answers.diet", "required"),
        (
            json!({"lunch": false, "diet": "채식"}),
            "answers.diet",
            "invalid_choice",
        ),
        (json!({"lunch": "yes"}), "answers.lunch", "invalid_choice"),
        (
            json!({"lunch": false, "session": [2]}),
            "answers.session",
            "invalid_choice",
        ),
        (
            json!({"lunch": false, "extra": 1}),
            "answers.extra",
            "invalid_choice",
        ),
    ] {
        let (status, e) = reg(answers.clone()).await;
        assert_eq!(
            (
                status,
                e["fields"][0]["field"].as_str(),
                e["fields"][0]["code"].as_str()
            ),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field), Some(code)),
            "{answers}: {e}"
        );
    }
    assert_eq!(counts(app, id, &w.cm).await, (0, 0));
    let (status, v) = reg(json!({"lunch": true, "diet": "채식", "session": [1]})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, v) = app
        .get(
            &format!("/api/activities/{id}/questions"),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(v["my_answers"]["diet"], "채식", "{v}");
    // A guest answers the same questions.
    let mut g = guest("Jane Buyer", "jane@abroad.example", "해외 바이어");
    let (status, e) = sign_up(app, id, g.clone()).await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("answers.lunch")),
        "{e}"
    );
    g["answers"] = json!({"lunch": false, "session": [0]});
    let (token, v) = confirmed(app, id, g).await;
    assert_eq!(v["answers"]["session"], json!([0]), "{v}");
    // The organisers read the answers in the list and the CSV, choices by
    // their words.
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    assert_eq!(list[0]["answers"]["lunch"], true, "{list}");
    assert_eq!(list[1]["answers"]["lunch"], false, "{list}");
    let (_, csv) = app
        .get(&format!("/api/activities/{id}/attendees.csv"), Some(&w.cm))
        .await;
    let csv = csv.as_str().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].ends_with(",오찬에 참석하십니까?,식단 요청,관심 세션"),
        "{csv}"
    );
    assert!(lines[1].ends_with(",예,채식,기술"), "{csv}");
    assert!(lines[2].ends_with(",아니요,,수출"), "{csv}");
    // Someone registered: the questions stay (an edit that leaves them out,
    // or sends them unchanged, is fine).
    let uri = format!("/api/activities/{id}");
    let put = |b: Value| app.call(Method::PUT, &uri, Some(b), Some(&w.cm));
    let mut changed = body.clone();
    changed["questions"] = json!([{"key": "lunch", "text": "오찬?", "type": "yes_no"}]);
    let (status, e) = put(changed).await;
    assert_eq!(
        (status, conflict(&e)),
        (StatusCode::CONFLICT, "questions_answered"),
        "{e}"
    );
    let (status, v) = put(body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let mut left_out = body.clone();
    left_out.as_object_mut().unwrap().remove("questions");
    let (status, v) = put(left_out).await;
    assert_eq!(
        (status, v["question_count"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{v}"
    );
    // After the event, a guest's answers go with the rest of their details.
    shift(&app.db, id, Utc::now() - Duration::days(40)).await;
    moim_server::db::guests::purge(&app.db, Utc::now())
        .await
        .unwrap();
    let (_, list) = app
        .get(&format!("/api/activities/{id}/attendees"), Some(&w.cm))
        .await;
    let guest_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["guest_id"].is_i64())
        .unwrap();
    assert_eq!(guest_row["answers"], json!({}), "{list}");
    let _ = token;
}
