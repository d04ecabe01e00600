//! Export matchmaking (수출상담회): the organiser's setup, profiles, the booking
//! rules (phase, once per pair, not oneself, caps, a race for someone's last
//! meeting), answers, the schedule (sound, kept when run twice, meetings moved
//! by hand stay) and the agenda's `.ics`; guests without an account taking
//! part with their mailed link.

use crate::{
    activities::{register, schedule, world},
    both,
    support::{Session, TestApp},
};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use moim_server::db;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

both!(
    meetings_are_booked_within_the_rules_and_scheduled_soundly,
    the_booking_phase_and_the_setup_bound_every_request,
    each_side_is_asked_what_came_of_its_meetings_until_it_answers,
    guests_take_part_with_their_mailed_link
);

fn code(e: &Value) -> &str {
    e["code"].as_str().unwrap_or("")
}

/// The first field a 422 names.
fn field(e: &Value) -> &str {
    e["fields"][0]["field"].as_str().unwrap_or("")
}

/// A 수출상담회 in three days, eight hours long.
fn fair(consortium: i64) -> Value {
    let start = Utc::now() + Duration::days(3);
    json!({
        "consortium_ids": [consortium], "kind": "matchmaking", "title": "2027 창원 수출상담회",
        "description": "해외 바이어와 1:1 상담", "starts_at": start, "ends_at": start + Duration::hours(8),
        "place": "창원컨벤션센터 3층", "capacity": 20, "audience": "signed_in"
    })
}

/// Two sessions of six 20-minute slots, two tables, two meetings a person.
fn setup(app_start: chrono::DateTime<Utc>, booking_open: bool) -> Value {
    let (opens, closes) = if booking_open {
        (
            Utc::now() - Duration::hours(1),
            Utc::now() + Duration::days(1),
        )
    } else {
        (
            Utc::now() - Duration::days(2),
            Utc::now() - Duration::days(1),
        )
    };
    json!({
        "sessions": [
            {"starts_at": app_start + Duration::hours(5), "ends_at": app_start + Duration::hours(7)},
            {"starts_at": app_start + Duration::hours(1), "ends_at": app_start + Duration::hours(3)},
        ],
        "slot_minutes": 20, "tables": 2, "cap": 2,
        "booking_opens_at": opens, "booking_closes_at": closes,
        "interpreters": [{"name": "김통역", "languages": ["ko", "en"]}]
    })
}

fn profile(role: &str, offer: &str, country: &str, lang: &str) -> Value {
    json!({
        "role": role, "offer": offer, "seek": "", "country": country, "languages": [lang],
        "interpreter": lang != "ko", "unavailable": []
    })
}

async fn start_of(app: &TestApp, id: i64, s: &Session) -> chrono::DateTime<Utc> {
    let (_, a) = app.get(&format!("/api/activities/{id}"), Some(s)).await;
    serde_json::from_value(a["starts_at"].clone()).unwrap()
}

async fn ask(app: &TestApp, id: i64, from: &Session, to: i64) -> (StatusCode, Value) {
    app.post(
        &format!("/api/activities/{id}/matchmaking/requests"),
        json!({"to": to, "message": "Let us talk about molds."}),
        Some(from),
    )
    .await
}

async fn answer(
    app: &TestApp,
    id: i64,
    s: &Session,
    request: i64,
    accept: bool,
) -> (StatusCode, Value) {
    app.post(
        &format!("/api/activities/{id}/matchmaking/requests/{request}"),
        json!({ "accept": accept }),
        Some(s),
    )
    .await
}

/// Each person's participant number, by profile.
async fn join(app: &TestApp, id: i64, s: &Session, body: Value) -> i64 {
    let (status, v) = register(app, id, s).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = app
        .put(
            &format!("/api/activities/{id}/matchmaking/profile"),
            body,
            Some(s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["me"]["id"].as_i64().unwrap()
}

/// No person and no table twice in a slot; nobody in a slot they cannot make.
fn sound(meetings: &Value, unavailable: &[(i64, u64)]) {
    let mut people = HashSet::new();
    let mut tables = HashSet::new();
    for m in meetings.as_array().unwrap() {
        let Some(slot) = m["slot"].as_u64() else {
            continue;
        };
        let table = m["table"].as_u64().unwrap();
        assert!((1..=2).contains(&table), "{m}");
        assert!(tables.insert((slot, table)), "a table twice: {meetings}");
        for side in ["from", "to"] {
            let who = m[side]["id"].as_i64().unwrap();
            assert!(people.insert((who, slot)), "a person twice: {meetings}");
            assert!(!unavailable.contains(&(who, slot)), "{m}");
        }
    }
}

async fn meetings_are_booked_within_the_rules_and_scheduled_soundly(app: &TestApp) {
    let w = world(app, 4).await;
    let id = schedule(app, &w.cm, fair(w.consortium)).await;
    let base = format!("/api/activities/{id}/matchmaking");
    let start = start_of(app, id, &w.cm).await;

    // Before the organiser sets it up there is nothing to take part in.
    let (status, b) = app.get(&base, Some(&w.members[0])).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(
        (b["setup"].is_null(), b["manager"].as_bool()),
        (true, Some(false))
    );
    let (status, _) = app
        .put(
            &format!("{base}/profile"),
            profile("seller", "금형", "KR", "ko"),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only its organisers set it up, and a setup that does not fit is refused.
    let (status, _) = app
        .put(&base, setup(start, true), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut bad = setup(start, true);
    bad["sessions"][0]["ends_at"] = json!(start + Duration::hours(9));
    bad["tables"] = json!(0);
    let (status, e) = app.put(&base, bad, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"matchmaking.sessions[0].ends_at"), "{e}");
    assert!(fields.contains(&"matchmaking.tables"), "{e}");
    let (status, b) = app.put(&base, setup(start, true), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["slots"].as_array().unwrap().len(), 12);
    assert_eq!(b["booking_open"], true);
    // Slots run in time order whatever order the sessions came in.
    assert_eq!(
        serde_json::from_value::<chrono::DateTime<Utc>>(b["slots"][0]["starts_at"].clone())
            .unwrap(),
        start + Duration::hours(1)
    );

    // Another kind of activity has no matchmaking.
    let visit = schedule(
        app,
        &w.cm,
        crate::activities::visit(w.consortium, 5, Duration::days(3)),
    )
    .await;
    let (status, _) = app
        .get(&format!("/api/activities/{visit}/matchmaking"), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A profile needs a place at the event, and says something sound.
    let (status, e) = app
        .put(
            &format!("{base}/profile"),
            profile("seller", "금형", "KR", "ko"),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "not_registered"),
        "{e}"
    );
    let (status, _) = register(app, id, &w.members[0]).await;
    assert_eq!(status, StatusCode::OK);
    let mut wrong = profile("seller", "", "Korea", "xx");
    wrong["unavailable"] = json!([12]);
    let (status, e) = app
        .put(&format!("{base}/profile"), wrong, Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let mut late = profile("seller", "금형", "KR", "ko");
    late["unavailable"] = json!([12]);
    let (status, e) = app
        .put(&format!("{base}/profile"), late, Some(&w.members[0]))
        .await;
    assert_eq!(
        (status, field(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "unavailable"),
        "{e}"
    );

    let seller = join(
        app,
        id,
        &w.members[0],
        profile("seller", "사출금형 설계와 제작", "KR", "ko"),
    )
    .await;
    let maker = join(
        app,
        id,
        &w.members[1],
        profile("seller", "CNC 가공 부품", "KR", "ko"),
    )
    .await;
    let third = join(
        app,
        id,
        &w.members[2],
        profile("partner", "물류 대행", "KR", "ko"),
    )
    .await;
    let mut b = profile("buyer", "", "US", "en");
    b["seek"] = json!("Injection molds for EV parts");
    b["unavailable"] = json!([0, 1]);
    let buyer = join(app, id, &w.members[3], b).await;

    // Someone without a profile does not browse; participants do, by words, role, country.
    let (status, e) = app
        .get(&format!("{base}/participants"), Some(&w.outsider))
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "not_participating"),
        "{e}"
    );
    let (_, list) = app
        .get(&format!("{base}/participants?q=금형"), Some(&w.members[3]))
        .await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [seller], "{list}");
    let (_, list) = app
        .get(
            &format!("{base}/participants?role=buyer&country=US"),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["profile"]["seek"], "Injection molds for EV parts");
    let (_, list) = app
        .get(&format!("{base}/participants"), Some(&w.members[0]))
        .await;
    assert_eq!(list.as_array().unwrap().len(), 3, "not oneself: {list}");
    let (status, list) = app
        .get(
            &format!("{base}/participants?country=usa"),
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(
        (status, list.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{list}"
    );

    // Requests: not oneself, not to a stranger, once per pair either way round.
    let (status, m) = ask(app, id, &w.members[3], seller).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let first = m["id"].as_i64().unwrap();
    assert_eq!(
        (m["status"].as_str(), m["to"]["organisation"].as_str()),
        (Some("pending"), Some("회원사0"))
    );
    let (status, e) = ask(app, id, &w.members[0], buyer).await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "already_requested"),
        "{e}"
    );
    let (status, e) = ask(app, id, &w.members[3], buyer).await;
    assert_eq!(
        (status, field(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "to"),
        "{e}"
    );
    let (status, _) = ask(app, id, &w.members[3], 999_999).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = ask(app, id, &w.outsider, seller).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .post(
            &format!("{base}/requests"),
            json!({"to": seller, "message": "x".repeat(301)}),
            Some(&w.members[1]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The cap (two): the buyer's second request takes their last meeting.
    let (status, m) = ask(app, id, &w.members[3], maker).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let second = m["id"].as_i64().unwrap();
    let (status, e) = ask(app, id, &w.members[3], third).await;
    assert_eq!(
        (status, code(&e), e["field"].as_str()),
        (StatusCode::CONFLICT, "meeting_cap_reached", Some("me")),
        "{e}"
    );

    // Two people race for the seller's last meeting: exactly one gets it.
    let (a, c) = tokio::join!(
        ask(app, id, &w.members[1], seller),
        ask(app, id, &w.members[2], seller)
    );
    let mut won = [&a, &c]
        .iter()
        .filter(|r| r.0 == StatusCode::CREATED)
        .count();
    assert_eq!(won, 1, "{a:?} {c:?}");
    let lost = if a.0 == StatusCode::CREATED { &c } else { &a };
    assert_eq!(
        (code(&lost.1), lost.1["field"].as_str()),
        ("meeting_cap_reached", Some("to")),
        "{lost:?}"
    );
    let (_, b) = app.get(&base, Some(&w.members[0])).await;
    assert_eq!(
        (b["used"].as_u64(), b["meetings"].as_array().unwrap().len()),
        (Some(2), 2),
        "{b}"
    );

    // Answers: only the one asked; once, one way.
    let (status, _) = answer(app, id, &w.members[1], first, true).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, m) = answer(app, id, &w.members[0], first, true).await;
    assert_eq!(
        (status, m["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{m}"
    );
    let (status, _) = answer(app, id, &w.members[0], first, true).await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = answer(app, id, &w.members[0], first, false).await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "already_decided"),
        "{e}"
    );
    // A decline frees a meeting of both: the buyer may ask the third now.
    let (status, _) = answer(app, id, &w.members[1], second, false).await;
    assert_eq!(status, StatusCode::OK);
    // Each side heard of it: the one asked with the message, the one who asked
    // of each answer (by email too, the default for these kinds).
    let asked = told(app, &w.members[0], "meeting_requested").await;
    assert_eq!(
        asked.len(),
        2,
        "the buyer's and the race's winner's: {asked:?}"
    );
    assert_eq!(asked[0]["note"], "Let us talk about molds.", "{asked:?}");
    assert!(asked[0]["actor_name"].is_string(), "{asked:?}");
    assert_eq!(told(app, &w.members[3], "meeting_accepted").await.len(), 1);
    assert_eq!(told(app, &w.members[3], "meeting_declined").await.len(), 1);
    assert_eq!(told(app, &w.members[0], "meeting_accepted").await.len(), 0);
    let (status, _) = ask(app, id, &w.members[3], third).await;
    assert_eq!(status, StatusCode::CREATED);
    won += 1;
    assert_eq!(won, 2);

    // The schedule: organisers only; sound; the buyer's meetings with the interpreter.
    let (status, _) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, r) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["accepted"].as_u64(), r["accepted_placed"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    assert_eq!(
        (r["pending"].as_u64(), r["pending_placed"].as_u64()),
        (Some(2), Some(2)),
        "{r}"
    );
    let away = [(buyer, 0), (buyer, 1)];
    let (_, all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    assert_eq!(
        all.as_array().unwrap().len(),
        4,
        "the declined one is listed: {all}"
    );
    sound(&all, &away);
    for m in all.as_array().unwrap() {
        let with_buyer = m["from"]["id"] == buyer || m["to"]["id"] == buyer;
        if m["status"] == "declined" {
            assert!(m["slot"].is_null(), "{m}");
        } else if with_buyer {
            assert_eq!(m["interpreter"], "김통역", "{m}");
        }
    }
    let (status, _) = app
        .get(&format!("{base}/meetings"), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Run twice (and twice at once): still sound.
    let run = format!("{base}/schedule");
    let (x, y) = tokio::join!(
        app.post(&run, json!({}), Some(&w.cm)),
        app.post(&run, json!({}), Some(&w.cm))
    );
    assert_eq!((x.0, y.0), (StatusCode::OK, StatusCode::OK));
    let (_, all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    sound(&all, &away);

    // By hand: not onto a taken table or a time the buyer cannot make; else kept.
    let placed: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["slot"].is_u64())
        .collect();
    let (one, other) = (placed[0], placed[1]);
    let taken = json!({"slot": other["slot"], "table": other["table"]});
    let (status, e) = app
        .put(
            &format!("{base}/meetings/{}", one["id"]),
            taken,
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "slot_taken"),
        "{e}"
    );
    let (status, e) = app
        .put(
            &format!("{base}/meetings/{first}"),
            json!({"slot": 1, "table": 2}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "slot_taken"),
        "the buyer is away: {e}"
    );
    let (status, m) = app
        .put(
            &format!("{base}/meetings/{first}"),
            json!({"slot": 11, "table": 2}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, m["pinned"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{m}"
    );
    let (status, _) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, m) = app.get(&base, Some(&w.members[3])).await;
    let kept = m["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == first)
        .unwrap();
    assert_eq!(
        (kept["slot"].as_u64(), kept["table"].as_u64()),
        (Some(11), Some(2)),
        "{kept}"
    );

    // The buyer's agenda as a calendar file: one event per placed meeting.
    let (status, ics) = app
        .get(&format!("{base}/agenda.ics"), Some(&w.members[3]))
        .await;
    assert_eq!(status, StatusCode::OK);
    let ics = ics.as_str().unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    assert!(
        ics.contains("Table 2") && ics.contains("김통역") && ics.contains("회원사0"),
        "{ics}"
    );
    let (status, e) = app
        .get(&format!("{base}/agenda.ics"), Some(&w.outsider))
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "not_participating")
    );

    // The day before, each participant's reminder carries their meetings in
    // time order (the seller's too).
    let start = start_of(app, id, &w.cm).await;
    let sent = db::activities::send_reminders(&app.db, start - Duration::hours(12))
        .await
        .unwrap();
    assert_eq!(sent, 2, "the fair and the visit, on the same day");
    let buyer_note = told(app, &w.members[3], "activity_reminder").await;
    assert_eq!(buyer_note.len(), 1, "{buyer_note:?}");
    let note = buyer_note[0]["note"].as_str().unwrap_or_default();
    assert_eq!(note.matches("Table ").count(), 2, "{note}");
    assert!(
        note.contains("Table 2") && note.contains("김통역") && note.contains("회원사0"),
        "{note}"
    );
    let seller_note = told(app, &w.members[0], "activity_reminder").await;
    assert_eq!(seller_note.len(), 1, "{seller_note:?}");
    assert!(
        seller_note[0]["note"]
            .as_str()
            .is_some_and(|n| n.contains("회원사3") && n.contains("Table 2")),
        "{seller_note:?}"
    );

    // What came of it: each side reports once the meeting's time has come.
    let report = format!("{base}/meetings/{first}/report");
    let held = json!({"attendance": "held", "rating": 5});
    let (status, e) = app.put(&report, held.clone(), Some(&w.members[3])).await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "meeting_not_yet"),
        "{e}"
    );
    for (bad, f) in [
        (json!({"attendance": "held", "rating": 6}), "rating"),
        (
            json!({"attendance": "no_show", "follow_up": "negotiating"}),
            "follow_up",
        ),
        (
            json!({"attendance": "held", "follow_up": "contract_signed", "amount": -5, "currency": "usd"}),
            "amount",
        ),
        (
            json!({"attendance": "held", "follow_up": "contract_signed", "amount": 5, "currency": "gbp"}),
            "currency",
        ),
        (
            json!({"attendance": "held", "follow_up": "contract_signed"}),
            "amount",
        ),
    ] {
        let (status, e) = app.put(&report, bad.clone(), Some(&w.members[3])).await;
        assert_eq!(
            (status, field(&e)),
            (StatusCode::UNPROCESSABLE_ENTITY, f),
            "{bad}: {e}"
        );
    }
    let (_, b) = app.get(&base, Some(&w.members[3])).await;
    let begun: chrono::DateTime<Utc> =
        serde_json::from_value(b["slots"][11]["starts_at"].clone()).unwrap();
    let (me3, me0) = (buyer, seller);
    let report_as = |who: i64, r: Value| {
        let r: moim_core::matchmaking::MeetingReport = serde_json::from_value(r).unwrap();
        let db = app.db.clone();
        async move {
            db::matchmaking::report(
                &db,
                moim_core::ActivityId(id),
                first,
                who,
                &r,
                begun + Duration::minutes(5),
            )
            .await
        }
    };
    // Not a side of the meeting: not found; the sides: kept, the later replacing.
    assert!(report_as(third, held.clone()).await.is_err());
    report_as(me3, held.clone()).await.unwrap();
    report_as(me0, json!({"attendance": "held", "rating": 3}))
        .await
        .unwrap();
    let signed = json!({"attendance": "held", "rating": 5, "follow_up": "contract_signed",
        "amount": 50_000, "currency": "usd", "signed_on_site": true});
    report_as(me0, signed).await.unwrap();
    // Each side sees their own report only; the organiser sees both.
    let mine = |b: &Value| {
        b["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == first)
            .cloned()
            .unwrap()
    };
    let (_, b) = app.get(&base, Some(&w.members[3])).await;
    let m = mine(&b);
    assert_eq!(
        (
            m["from_report"]["rating"].as_i64(),
            m["to_report"].is_null()
        ),
        (Some(5), true),
        "{m}"
    );
    let (_, b) = app.get(&base, Some(&w.members[0])).await;
    let m = mine(&b);
    assert_eq!(
        (
            m["to_report"]["amount"].as_i64(),
            m["to_report"]["currency"].as_str(),
            m["from_report"].is_null()
        ),
        (Some(50_000), Some("usd"), true),
        "{m}"
    );
    // Answering again (the same way, a no-op) shows the same view, not the asker's report.
    let (status, m) = answer(app, id, &w.members[0], first, true).await;
    assert_eq!(
        (
            status,
            m["from_report"].is_null(),
            m["to_report"].is_object()
        ),
        (StatusCode::OK, true, true),
        "{m}"
    );
    let (_, all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    let m = all
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == first)
        .unwrap();
    assert_eq!(
        (
            m["from_report"]["attendance"].as_str(),
            m["to_report"]["follow_up"].as_str(),
            m["to_report"]["signed_on_site"].as_bool()
        ),
        (Some("held"), Some("contract_signed"), Some(true)),
        "{m}"
    );

    // What happened stays: a reported meeting is not moved, the slots and
    // tables stay while one exists, and a run after the meetings began keeps
    // every begun meeting where it is (not marked as moved by hand).
    let (status, e) = app
        .put(
            &format!("{base}/meetings/{first}"),
            json!({"slot": 10, "table": 1}),
            Some(&w.cm),
        )
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "meeting_reported"),
        "{e}"
    );
    let mut more_tables = setup(start, true);
    more_tables["tables"] = json!(3);
    let (status, e) = app.put(&base, more_tables, Some(&w.cm)).await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "meeting_reported"),
        "{e}"
    );
    let places = |all: &Value| -> Vec<(Value, Value, Value, Value)> {
        all.as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["id"].clone(),
                    m["slot"].clone(),
                    m["table"].clone(),
                    m["pinned"].clone(),
                )
            })
            .collect()
    };
    // One meeting the schedule placed goes (as if moved on the day) to the
    // last slot nobody uses, unpinned: a run that did not keep what has
    // happened would put it back earlier.
    let (_, now_all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    let list = now_all.as_array().unwrap();
    let used: HashSet<u64> = list.iter().filter_map(|m| m["slot"].as_u64()).collect();
    let free = (2..12).rev().find(|s| !used.contains(s)).unwrap();
    let moved = list
        .iter()
        .find(|m| m["slot"].is_u64() && m["pinned"] == false && m["id"] != first)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.exec(&format!(
        "UPDATE match_requests SET slot = {free}, table_no = 1, pinned = FALSE WHERE id = {moved}"
    ))
    .await;
    // …and its sides now say they cannot make that slot: what happened stays.
    app.exec(&format!(
        "UPDATE match_participants SET unavailable = '[{free}]'
         WHERE id IN (SELECT from_id FROM match_requests WHERE id = {moved})
            OR id IN (SELECT to_id FROM match_requests WHERE id = {moved})"
    ))
    .await;
    let (_, before) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    let late = start + Duration::hours(8);
    db::matchmaking::run_schedule(&app.db, moim_core::ActivityId(id), late)
        .await
        .unwrap();
    let (_, after) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    assert_eq!(places(&before), places(&after));
}

/// A person's notifications of one kind.
async fn told(app: &TestApp, s: &Session, kind: &str) -> Vec<Value> {
    let (_, list) = app.get("/api/notifications", Some(s)).await;
    list.as_array()
        .map(|l| l.iter().filter(|n| n["kind"] == kind).cloned().collect())
        .unwrap_or_default()
}

async fn the_booking_phase_and_the_setup_bound_every_request(app: &TestApp) {
    let w = world(app, 2).await;
    let id = schedule(app, &w.cm, fair(w.consortium)).await;
    let base = format!("/api/activities/{id}/matchmaking");
    let start = start_of(app, id, &w.cm).await;
    let (status, _) = app.put(&base, setup(start, true), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let a = join(
        app,
        id,
        &w.members[0],
        profile("seller", "금형", "KR", "ko"),
    )
    .await;
    let b = join(
        app,
        id,
        &w.members[1],
        profile("buyer", "Importer of car parts", "JP", "ja"),
    )
    .await;
    let _ = a;
    let (status, m) = ask(app, id, &w.members[0], b).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let request = m["id"].as_i64().unwrap();
    let (status, _) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK);

    // New slots take every meeting off the schedule.
    let mut longer = setup(start, true);
    longer["slot_minutes"] = json!(30);
    let (status, _) = app.put(&base, longer, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    assert!(all[0]["slot"].is_null(), "{all}");

    // After the booking phase: no request, no taking one back; answers still
    // come until the meetings begin.
    let (status, _) = app.put(&base, setup(start, false), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = app
        .call(
            Method::DELETE,
            &format!("{base}/requests/{request}"),
            None,
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "booking_closed"),
        "{e}"
    );
    let (_, b2) = app.get(&base, Some(&w.members[1])).await;
    assert_eq!(b2["booking_open"], false);
    let (status, e) = ask(app, id, &w.members[1], a).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (status, _) = answer(app, id, &w.members[1], request, true).await;
    assert_eq!(status, StatusCode::OK);

    // In the phase, the one who asked may take it back (and only they).
    let (status, _) = app.put(&base, setup(start, true), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{base}/requests/{request}"),
            None,
            Some(&w.members[1]),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{base}/requests/{request}"),
            None,
            Some(&w.members[0]),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, b2) = app.get(&base, Some(&w.members[0])).await;
    assert_eq!(b2["used"], 0, "{b2}");
}

/// The follow-up rounds: right after the event and the organiser's months
/// later, each side is asked once about the meetings that may have been held
/// and that it has not answered, reminded weekly (at most three times) until
/// it answers, never twice for the same ask; the later round asks anew.
async fn each_side_is_asked_what_came_of_its_meetings_until_it_answers(app: &TestApp) {
    use moim_core::{ActivityId, matchmaking::MeetingReport};
    let w = world(app, 4).await;
    let id = schedule(app, &w.cm, fair(w.consortium)).await;
    let base = format!("/api/activities/{id}/matchmaking");
    let start = start_of(app, id, &w.cm).await;
    let ends = start + Duration::hours(8);

    // The months and rates are checked with the setup.
    let mut s = setup(start, true);
    for (bad, f) in [
        (
            json!({"follow_up_months": 0}),
            "matchmaking.follow_up_months",
        ),
        (
            json!({"rates": [{"currency": "krw", "krw": 1}]}),
            "matchmaking.rates[0].currency",
        ),
        (
            json!({"rates": [{"currency": "usd", "krw": 0}]}),
            "matchmaking.rates[0].krw",
        ),
    ] {
        let mut body = s.clone();
        for (k, v) in bad.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, e) = app.put(&base, body, Some(&w.cm)).await;
        assert_eq!(
            (status, field(&e)),
            (StatusCode::UNPROCESSABLE_ENTITY, f),
            "{e}"
        );
    }
    s["follow_up_months"] = json!(6);
    s["rates"] = json!([{"currency": "usd", "krw": 1380}]);
    let (status, b) = app.put(&base, s, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["setup"]["rates"][0]["krw"], 1380, "{b}");

    let m = &w.members;
    let a = join(app, id, &m[0], profile("seller", "금형", "KR", "ko")).await;
    let b = join(app, id, &m[1], profile("buyer", "Car parts", "US", "en")).await;
    let c = join(app, id, &m[2], profile("seller", "센서", "KR", "ko")).await;
    let d = join(app, id, &m[3], profile("buyer", "Sensors", "JP", "ja")).await;
    let mut req = HashMap::new();
    for (from, fs, to, ts, accept) in [
        (a, &m[0], b, &m[1], true),
        (c, &m[2], d, &m[3], true),
        (a, &m[0], d, &m[3], true),
        // Placed in case it is accepted, never accepted, never said held: no
        // round asks about it.
        (b, &m[1], c, &m[2], false),
    ] {
        let (status, r) = ask(app, id, fs, to).await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        let rid = r["id"].as_i64().unwrap();
        if accept {
            let (status, _) = answer(app, id, ts, rid, true).await;
            assert_eq!(status, StatusCode::OK);
        }
        req.insert((from, to), rid);
    }
    let (status, _) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (ab, cd, ad) = (req[&(a, b)], req[&(c, d)], req[&(a, d)]);
    let say = |who: i64, request: i64, r: Value, at: chrono::DateTime<Utc>| {
        let r: MeetingReport = serde_json::from_value(r).unwrap();
        let db = app.db.clone();
        async move {
            db::matchmaking::report(&db, ActivityId(id), request, who, &r, at)
                .await
                .unwrap()
        }
    };
    // On the day: the one asked of a–b says held and in negotiation already; c
    // says nobody came to c–d (d says nothing).
    say(
        b,
        ab,
        json!({"attendance": "held", "follow_up": "negotiating"}),
        ends,
    )
    .await;
    say(c, cd, json!({"attendance": "no_show"}), ends).await;
    let (_, board) = app.get(&base, Some(&m[0])).await;
    assert!(board["follow_up"].is_null(), "no round open now: {board}");

    let round = |at: chrono::DateTime<Utc>| {
        let db = app.db.clone();
        async move { db::matchmaking::follow_ups(&db, at).await.unwrap() }
    };
    assert_eq!(
        round(ends - Duration::minutes(1)).await,
        0,
        "not before the end"
    );
    // Right after: a (about a–b and a–d) and d (about a–d only: c–d was a
    // no-show by every word); b has answered already (b–c was never accepted)
    // and c has nothing to answer. Once.
    assert_eq!(round(ends + Duration::hours(1)).await, 2);
    assert_eq!(round(ends + Duration::hours(2)).await, 0, "asked once");
    for (s, n) in [(&m[0], 1), (&m[1], 0), (&m[2], 0), (&m[3], 1)] {
        assert_eq!(told(app, s, "meeting_follow_up").await.len(), n);
    }
    let note = told(app, &m[0], "meeting_follow_up").await[0]["note"].clone();
    assert!(
        note.as_str().is_some_and(|n| n.contains("상담 2건")),
        "{note}"
    );
    let setup_now = db::matchmaking::setup(&app.db, ActivityId(id))
        .await
        .unwrap()
        .unwrap();
    let ask_of = |who: i64, at: chrono::DateTime<Utc>| {
        let (db, setup) = (app.db.clone(), setup_now.clone());
        async move {
            db::matchmaking::follow_up_of(&db, ActivityId(id), who, &setup, ends, at)
                .await
                .unwrap()
        }
    };
    // The organiser's count: a, b and d are asked (c is not); b has answered.
    let t = db::matchmaking::follow_up_tally(
        &app.db,
        ActivityId(id),
        &setup_now,
        ends,
        ends + Duration::hours(3),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((t.asked, t.answered), (3, 1), "{t:?}");
    let (_, board) = app.get(&base, Some(&w.cm)).await;
    assert!(board["follow_up_tally"].is_null(), "none open now: {board}");
    let f = ask_of(a, ends + Duration::hours(3)).await.unwrap();
    assert_eq!(
        (f.meetings, f.unanswered.clone()),
        (2, vec![ab, ad]),
        "{f:?}"
    );
    assert!(ask_of(c, ends + Duration::hours(3)).await.is_none());

    // a answers a–b; a week on, a (still a–d to answer) and d are reminded.
    say(
        a,
        ab,
        json!({"attendance": "held", "follow_up": "contract_in_progress", "amount": 20_000, "currency": "usd"}),
        ends + Duration::days(2),
    )
    .await;
    assert_eq!(round(ends + Duration::days(8)).await, 2);
    assert_eq!(round(ends + Duration::days(9)).await, 0, "a week apart");
    // a answers a–d too. d never answers: at most three reminders, and none
    // once the round closes.
    say(
        a,
        ad,
        json!({"attendance": "held", "follow_up": "no_contact"}),
        ends + Duration::days(10),
    )
    .await;
    assert_eq!(round(ends + Duration::days(15)).await, 1);
    assert_eq!(round(ends + Duration::days(22)).await, 1);
    assert_eq!(
        round(ends + Duration::days(29)).await,
        0,
        "three reminders at most"
    );
    assert_eq!(told(app, &m[3], "meeting_follow_up").await.len(), 4);
    assert_eq!(told(app, &m[0], "meeting_follow_up").await.len(), 2);
    assert!(
        ask_of(a, ends + Duration::days(29))
            .await
            .is_some_and(|f| f.unanswered.is_empty())
    );
    assert!(
        ask_of(a, ends + Duration::days(31)).await.is_none(),
        "closed"
    );

    // Six months on: everyone with a meeting held is asked anew (answers given
    // before the round do not count); c still has nothing to answer.
    let later = ends.checked_add_months(chrono::Months::new(6)).unwrap();
    assert_eq!(round(later - Duration::minutes(1)).await, 0);
    assert_eq!(round(later + Duration::minutes(1)).await, 3, "a, b and d");
    assert_eq!(told(app, &m[1], "meeting_follow_up").await.len(), 1);
    let f = ask_of(b, later + Duration::hours(1)).await.unwrap();
    assert_eq!(f.unanswered, vec![ab]);
    say(
        b,
        ab,
        json!({"attendance": "held", "follow_up": "contract_signed", "amount": 50_000, "currency": "usd"}),
        later + Duration::days(1),
    )
    .await;
    assert_eq!(round(later + Duration::days(8)).await, 2, "not b");

    // The organiser's figures count the signed contract in won at the rate.
    let (_, all) = app.get(&format!("{base}/meetings"), Some(&w.cm)).await;
    let list: Vec<moim_core::matchmaking::Meeting> = serde_json::from_value(all).unwrap();
    let o = moim_core::matchmaking::outcomes(&list, &setup_now.rates);
    assert_eq!((o.held, o.no_show), (2, 1), "{o:?}");
    assert_eq!(
        (o.signed.count, o.signed.krw),
        (1, Some(69_000_000)),
        "{o:?}"
    );

    // The cockpit counts the event once it has begun: hand-counted, a–b held
    // with a contract signed (US), a–d held (JP), c–d a no-show (JP); the
    // Korean firms banded by their people (c's firm has 120, the others 35).
    app.exec("UPDATE organisations SET headcount = 120 WHERE name = '회원사2'")
        .await;
    let day = (start + Duration::hours(9)).date_naive();
    let (_, k) = app
        .get(&format!("/api/kpi?from={day}&to={day}"), Some(&w.admin))
        .await;
    assert_eq!(k["matchmaking"]["events"], 0, "not begun yet: {k}");
    let report = |scope: Option<Vec<i64>>| {
        let db = app.db.clone();
        async move {
            db::kpi::report(&db, &scope, "전체".into(), day, day, later)
                .await
                .unwrap()
        }
    };
    let r = report(None).await;
    let f = &r.matchmaking;
    assert_eq!((f.events, f.participants), (1, 4), "{f:?}");
    assert_eq!(f.per_participant(), Some(1.0));
    assert_eq!((f.outcomes.held, f.outcomes.no_show), (2, 1));
    assert_eq!(
        (f.outcomes.signed.count, f.outcomes.signed.krw),
        (1, Some(69_000_000))
    );
    let split = |g: &[moim_core::matchmaking::MatchGroup]| -> Vec<(String, u32, u32, u32)> {
        g.iter()
            .map(|g| {
                (
                    g.key.clone(),
                    g.outcomes.held,
                    g.outcomes.no_show,
                    g.outcomes.signed.count,
                )
            })
            .collect()
    };
    assert_eq!(
        split(&f.by_country),
        [("JP".into(), 1, 1, 0), ("US".into(), 1, 0, 1)]
    );
    assert_eq!(
        split(&f.by_size),
        [("small".into(), 2, 0, 1), ("medium".into(), 0, 1, 0)]
    );
    let csv = moim_server::routes::kpi::csv(&r, moim_core::kpi::KpiTable::Summary);
    assert!(
        csv.contains("계약 체결 금액·원 (signed in KRW),69000000"),
        "{csv}"
    );
    // Another consortium's scope does not count it.
    let other = report(Some(vec![w.consortium + 1000])).await;
    assert_eq!(other.matchmaking.events, 0);

    // Each side's file of everything about them holds their meetings, reports
    // and rounds (found through their participation), not the others'.
    let (status, file) = app.get("/api/me/export", Some(&m[0])).await;
    assert_eq!(status, StatusCode::OK);
    let count = |f: &Value, k: &str| f["tables"][k].as_array().map(Vec::len);
    assert_eq!(count(&file, "match_requests.from_id"), Some(2), "a–b, a–d");
    assert_eq!(count(&file, "match_requests.to_id"), Some(0));
    assert_eq!(count(&file, "match_reports.participant_id"), Some(2));
    assert_eq!(count(&file, "match_follow_ups.participant_id"), Some(2));
    let (_, file) = app.get("/api/me/export", Some(&m[1])).await;
    assert_eq!(count(&file, "match_requests.to_id"), Some(1));
    assert_eq!(
        file["tables"]["match_reports.participant_id"][0]["follow_up"],
        "contract_signed"
    );
}

/// A call as a guest: their link's token in the guest header, no session.
async fn as_guest(
    app: &TestApp,
    method: Method,
    uri: &str,
    body: Option<Value>,
    token: &str,
) -> (StatusCode, Value) {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header(moim_core::activity::GUEST_HEADER, token);
    let req = match body {
        Some(b) => req
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(b.to_string())),
        None => req.body(axum::body::Body::empty()),
    }
    .unwrap();
    app.send(req).await.1
}

/// The mail to the guest that carries `link`.
fn mail_with(app: &TestApp, link: &str) -> String {
    app.mails_to("jane@abroad.example")
        .into_iter()
        .find(|m| m.contains(link))
        .expect("the mail with the link")
}

/// A guest registered for activity `id` and confirmed by the mailed link: their token.
async fn guest_of(app: &TestApp, id: i64, name: &str, email: &str) -> String {
    use moim_server::db::guests::GuestMail;
    let body = json!({"name": name, "org_name": "Acme Trading", "email": email, "agree": true});
    let (status, v) = app
        .post(&format!("/api/activities/{id}/guests"), body, None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    let token = app
        .guest_link_mailed(email, GuestMail::Confirm)
        .await
        .expect("a link mailed");
    let (status, v) = app
        .post("/api/guests/confirm", json!({ "token": token }), None)
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("registered")),
        "{v}"
    );
    token
}

async fn guests_take_part_with_their_mailed_link(app: &TestApp) {
    use moim_server::db::guests::GuestMail;
    let w = world(app, 3).await;
    let mut body = fair(w.consortium);
    body["audience"] = json!("anyone");
    let id = schedule(app, &w.cm, body).await;
    let base = format!("/api/activities/{id}/matchmaking");
    let start = start_of(app, id, &w.cm).await;
    let (status, b) = app.put(&base, setup(start, true), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let token = guest_of(app, id, "Jane Buyer", "jane@abroad.example").await;

    // Without a session or a link: 401; a link that opens nothing: 422 token.
    let (status, _) = app.get(&base, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, e) = as_guest(app, Method::GET, &base, None, &"0".repeat(64)).await;
    assert_eq!(
        (status, field(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "token"),
        "{e}"
    );
    // The guest with a place may write a profile.
    let (status, b) = as_guest(app, Method::GET, &base, None, &token).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(
        (
            b["can_join"].as_bool(),
            b["me"].is_null(),
            b["manager"].as_bool()
        ),
        (Some(true), true, Some(false)),
        "{b}"
    );
    // A guest's first profile starts as a buyer's.
    assert_eq!(b["draft"]["role"], "buyer", "{b}");
    let mut buyer = profile("buyer", "", "US", "en");
    buyer["seek"] = json!("Injection molds for EV parts");
    // Technology fields: known ones only.
    let known = db::reference::field_ids(&app.db).await.unwrap();
    let (moulds, other_field) = (known[1].0, known[2].0);
    buyer["fields"] = json!([i64::MAX]);
    let (status, e) = as_guest(
        app,
        Method::PUT,
        &format!("{base}/profile"),
        Some(buyer.clone()),
        &token,
    )
    .await;
    assert_eq!(
        (status, field(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "fields"),
        "{e}"
    );
    buyer["fields"] = json!([moulds]);
    let (status, b) = as_guest(
        app,
        Method::PUT,
        &format!("{base}/profile"),
        Some(buyer),
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let guest = b["me"]["id"].as_i64().unwrap();
    assert_eq!(
        (b["me"]["name"].as_str(), b["me"]["organisation"].as_str()),
        (Some("Jane Buyer"), Some("Acme Trading")),
        "{b}"
    );

    // Members find the guest by their words, and the guest finds members.
    let firm = join(
        app,
        id,
        &w.members[0],
        profile("seller", "자동차 부품용 사출금형", "KR", "ko"),
    )
    .await;
    // A firm's first profile starts as a seller's in Korea, in its consortia's fields.
    let (status, _) = register(app, id, &w.members[1]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, b) = app.get(&base, Some(&w.members[1])).await;
    let draft = &b["draft"];
    assert_eq!(
        (draft["role"].as_str(), draft["country"].as_str()),
        (Some("seller"), Some("KR")),
        "{b}"
    );
    assert_eq!(draft["fields"].as_array().map(Vec::len), Some(1), "{b}");
    let (status, b) = app
        .put(
            &format!("{base}/profile"),
            profile("seller", "공작기계", "KR", "ko"),
            Some(&w.members[1]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let (status, list) = app
        .get(&format!("{base}/participants?q=molds"), Some(&w.members[0]))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list[0]["id"].as_i64(), Some(guest), "{list}");
    // …and by field.
    for (f, n) in [(moulds, 1), (other_field, 0)] {
        let (_, list) = app
            .get(
                &format!("{base}/participants?field={f}"),
                Some(&w.members[0]),
            )
            .await;
        assert_eq!(list.as_array().map(Vec::len), Some(n), "field {f}: {list}");
    }
    let (status, list) = as_guest(
        app,
        Method::GET,
        &format!("{base}/participants?q=금형"),
        None,
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![firm]);

    // The guest asks the firm; the firm is told, the guest named in the note.
    let (status, m) = as_guest(
        app,
        Method::POST,
        &format!("{base}/requests"),
        Some(json!({"to": firm, "message": "We buy molds; can we meet?"})),
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let asked = m["id"].as_i64().unwrap();
    let notes = told(app, &w.members[0], "meeting_requested").await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = notes[0]["note"].as_str().unwrap_or_default();
    assert_eq!(note, "Jane Buyer (Acme Trading)", "{notes:?}");
    assert!(notes[0]["actor_name"].is_null(), "{notes:?}");
    // The firm accepts; the guest hears of it by mail, with a link to the meetings.
    let (status, v) = answer(app, id, &w.members[0], asked, true).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let link = app
        .guest_link_mailed("jane@abroad.example", GuestMail::MeetingAccepted)
        .await
        .expect("the answer mailed");
    let mail = mail_with(app, &link);
    assert!(
        mail.contains(&format!("/activities/{id}/matchmaking#guest={link}")),
        "{mail}"
    );
    assert!(mail.contains("accepted your meeting request"), "{mail}");
    // The new link opens the same guest.
    let (status, b) = as_guest(app, Method::GET, &base, None, &link).await;
    assert_eq!(
        (status, b["me"]["id"].as_i64()),
        (StatusCode::OK, Some(guest)),
        "{b}"
    );

    // The other firm asks the guest, who hears of it by mail and declines.
    let (status, m) = ask(app, id, &w.members[1], guest).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let theirs = m["id"].as_i64().unwrap();
    let link = app
        .guest_link_mailed("jane@abroad.example", GuestMail::MeetingRequested)
        .await
        .expect("the request mailed");
    let mail = mail_with(app, &link);
    assert!(
        mail.contains("Let us talk about molds.") && mail.contains("Accept or decline"),
        "{mail}"
    );
    let (status, v) = as_guest(
        app,
        Method::POST,
        &format!("{base}/requests/{theirs}"),
        Some(json!({"accept": false})),
        &token,
    )
    .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("declined")),
        "{v}"
    );
    assert_eq!(told(app, &w.members[1], "meeting_declined").await.len(), 1);
    // A request taken back before its mail went: the mail is not sent.
    let third = join(
        app,
        id,
        &w.members[2],
        profile("seller", "프레스 금형", "KR", "ko"),
    )
    .await;
    let (status, m) = ask(app, id, &w.members[2], guest).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{base}/requests/{}", m["id"]),
            None,
            Some(&w.members[2]),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        app.guest_link_mailed("jane@abroad.example", GuestMail::MeetingRequested)
            .await
            .is_none(),
        "no mail about a request taken back"
    );

    // The organiser's calls need an account; the schedule gives the guest an agenda.
    let (status, _) = as_guest(
        app,
        Method::POST,
        &format!("{base}/schedule"),
        Some(json!({})),
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, r) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, b) = as_guest(app, Method::GET, &base, None, &token).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let mine = &b["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == asked)
        .cloned()
        .unwrap();
    assert!(mine["slot"].is_u64() && mine["table"].is_u64(), "{mine}");
    let (status, ics) = as_guest(
        app,
        Method::GET,
        &format!("{base}/agenda.ics"),
        None,
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ics}");
    let ics = ics.as_str().unwrap_or_default();
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("UID:meeting-"),
        "{ics}"
    );
    let (_, firm_board) = app.get(&base, Some(&w.members[0])).await;
    let theirs_seen = firm_board["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == asked)
        .cloned()
        .unwrap();
    assert_eq!(
        (&theirs_seen["slot"], &theirs_seen["table"]),
        (&mine["slot"], &mine["table"])
    );

    // A guest's link opens their own event only.
    let elsewhere = schedule(app, &w.cm, fair(w.consortium)).await;
    let (status, _) = as_guest(
        app,
        Method::GET,
        &format!("/api/activities/{elsewhere}/matchmaking"),
        None,
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The reminder the day before carries the guest's meetings.
    app.exec(&format!(
        "UPDATE activities SET reminded_at = NULL WHERE id = {id}"
    ))
    .await;
    let soon = start - Duration::hours(12);
    db::activities::send_reminders(&app.db, soon).await.unwrap();
    let link = app
        .guest_link_mailed_at("jane@abroad.example", GuestMail::Reminder, soon)
        .await
        .expect("the reminder mailed");
    let mail = mail_with(app, &link);
    assert!(
        mail.contains("1:1 상담 Meetings:") && mail.contains("Table"),
        "{mail}"
    );

    // After the event the guest is asked by mail what came of the meeting
    // (the round's asks run with the clock past the end).
    let after = start + Duration::hours(9);
    assert_eq!(
        db::matchmaking::follow_ups(&app.db, after).await.unwrap(),
        2
    );
    let link = app
        .guest_link_mailed_at("jane@abroad.example", GuestMail::FollowUp, after)
        .await
        .expect("the follow-up mailed");
    let mail = mail_with(app, &link);
    assert!(
        mail.contains("What came of your one-to-one meetings"),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("/activities/{id}/matchmaking#guest=")),
        "{mail}"
    );
    // Asked once: nothing more until a reminder is due.
    assert_eq!(
        db::matchmaking::follow_ups(&app.db, after).await.unwrap(),
        0
    );

    // A guest who cancels has no place: no profile is written.
    let (status, _) = app
        .post("/api/guests/cancel", json!({ "token": token }), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = as_guest(
        app,
        Method::PUT,
        &format!("{base}/profile"),
        Some(profile("buyer", "Molds", "US", "en")),
        &token,
    )
    .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "not_registered"),
        "{e}"
    );
    // …nor asks or answers, is no longer listed, and cannot be asked.
    let (status, e) = as_guest(
        app,
        Method::POST,
        &format!("{base}/requests"),
        Some(json!({"to": third, "message": ""})),
        &token,
    )
    .await;
    assert_eq!(
        (status, code(&e)),
        (StatusCode::CONFLICT, "not_registered"),
        "{e}"
    );
    let (_, list) = app
        .get(&format!("{base}/participants?q=molds"), Some(&w.members[0]))
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    let (status, _) = ask(app, id, &w.members[2], guest).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The next schedule leaves the guest's meeting out.
    let (status, _) = app
        .post(&format!("{base}/schedule"), json!({}), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, b) = app.get(&base, Some(&w.members[0])).await;
    let with_guest = b["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == asked)
        .cloned()
        .unwrap();
    assert!(with_guest["slot"].is_null(), "{with_guest}");

    // 30 days after the event the guest's details go: the link opens nothing,
    // and the firm's notice no longer names them.
    db::guests::purge(&app.db, start + Duration::days(31))
        .await
        .unwrap();
    let (status, e) = as_guest(app, Method::GET, &base, None, &token).await;
    assert_eq!(
        (status, field(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "token"),
        "{e}"
    );
    let notes = told(app, &w.members[0], "meeting_requested").await;
    assert!(notes[0]["note"].is_null(), "{notes:?}");
}
