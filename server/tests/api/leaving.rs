//! 회원 탈퇴: a person closes their account with their password (and second
//! factor); their personal data is erased, what they wrote for others stays
//! under "탈퇴한 회원", places at activities to come are given up; a
//! representative hands over first or closes the organisation as its last
//! person; the only admin stays. The list of what happens to each table cannot
//! fall behind the schema.

use crate::{
    activities::{counts, register, schedule, visit, world},
    both,
    support::*,
};
use axum::http::{StatusCode, header};
use chrono::Duration;
use moim_core::account::CLOSED_ACCOUNT_NAME;
use serde_json::json;
use std::collections::BTreeSet;

both!(
    a_member_leaves_and_what_they_wrote_stays_unnamed,
    a_representative_hands_over_first_or_closes_the_organisation,
    the_second_factor_is_asked_and_the_last_admin_stays,
    every_column_naming_a_person_has_a_fate,
    records_go_when_their_retention_ends
);

async fn close(
    app: &TestApp,
    s: &Session,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    app.post("/api/me/close", body, Some(s)).await
}

async fn a_member_leaves_and_what_they_wrote_stays_unnamed(app: &TestApp) {
    let w = world(app, 1).await;
    let rep = &w.members[0];
    let leaver = app.colleague("leaver@firm0.example", rep).await;
    // An idea of the representative's with the leaver's comment, a place at a
    // full visit (someone waits for it) and a followed idea.
    let (status, idea) = app
        .post("/api/ideas", json!({"title": "폐유 공동 처리", "body": "함께 처리하면 쌉니다.", "tags": [], "idempotency_key": "l-1"}), Some(rep))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{idea}");
    let idea = idea["id"].as_i64().unwrap();
    let (status, c) = app
        .post(
            &format!("/api/ideas/{idea}/comments"),
            json!({"body": "저도 참여합니다.", "idempotency_key": "l-2"}),
            Some(&leaver),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let visit = schedule(app, &w.cm, visit(w.consortium, 1, Duration::days(3))).await;
    assert_eq!(register(app, visit, &leaver).await.0, StatusCode::OK);
    assert_eq!(register(app, visit, rep).await.0, StatusCode::OK);
    assert_eq!(counts(app, visit, rep).await, (1, 1));

    // A wrong password changes nothing.
    let (status, body) = close(app, &leaver, json!({"password": "not the password"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["code"], "wrong_password");
    assert_eq!(
        app.get("/api/auth/me", Some(&leaver)).await.0,
        StatusCode::OK
    );

    let (headers, (status, body)) = app
        .send(
            axum::http::Request::post("/api/me/close")
                .header(header::COOKIE, format!("moim_session={}", leaver.cookie))
                .header("x-csrf-token", &leaver.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(
                    json!({"password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("Max-Age=0"), "{cookie}");

    // Signed out everywhere, and the address and password open nothing.
    assert_eq!(
        app.get("/api/auth/me", Some(&leaver)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = app
        .signin("leaver@firm0.example", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );

    // The comment stays in the thread, under "탈퇴한 회원".
    let (_, view) = app.get(&format!("/api/ideas/{idea}"), Some(rep)).await;
    let comments = view["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "{view}");
    assert_eq!(comments[0]["author"]["name"], CLOSED_ACCOUNT_NAME);
    assert_eq!(comments[0]["body"], "저도 참여합니다.");
    // A reply to it tells nobody: the account hears nothing any more.
    let (status, reply) = app
        .post(
            &format!("/api/ideas/{idea}/comments"),
            json!({"body": "감사합니다.", "parent_id": c["id"], "idempotency_key": "l-3"}),
            Some(rep),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    // The place went to the one waiting.
    assert_eq!(counts(app, visit, rep).await, (1, 0));

    // Nothing personal is left in the account's row or beside it.
    let id = leaver.id();
    let row = app
        .texts(&format!("SELECT email || '|' || name || '|' || COALESCE(department, '-') FROM users WHERE id = {id}"))
        .await;
    assert_eq!(
        row,
        [format!(
            "closed-{id}@closed.invalid|{CLOSED_ACCOUNT_NAME}|-"
        )]
    );
    for table in [
        "sessions",
        "consents",
        "notifications",
        "notification_prefs",
        "idea_follows",
        "account_tokens",
    ] {
        let n = app
            .texts(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM {table} WHERE user_id = {id}"
            ))
            .await;
        assert_eq!(n, ["0"], "{table}");
    }
    let queued = app
        .texts(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM mail_outbox WHERE user_id = {id} AND (status = 'pending' OR address IS NOT NULL)"))
        .await;
    assert_eq!(queued, ["0"], "no mail left to send them, no address kept");
    let actions = app
        .texts(&format!(
            "SELECT action FROM audit_log WHERE subject_user_id = {id} ORDER BY id"
        ))
        .await;
    assert_eq!(actions.last().map(String::as_str), Some("account_closed"));
    // The representative's list of colleagues no longer shows them.
    let (_, colleagues) = app.get("/api/me/colleagues", Some(rep)).await;
    assert!(
        !colleagues.to_string().contains(CLOSED_ACCOUNT_NAME),
        "{colleagues}"
    );

    // The address is free: the person can come back as someone new.
    let again = app
        .pending_colleague("leaver@firm0.example", rep.org())
        .await;
    assert_ne!(again.id(), id);
}

async fn a_representative_hands_over_first_or_closes_the_organisation(app: &TestApp) {
    let w = world(app, 2).await;
    let (rep, alone) = (&w.members[0], &w.members[1]);
    let colleague = app.colleague("next@firm0.example", rep).await;

    // With a colleague, the representative hands over first.
    let (status, body) = close(app, rep, json!({"password": PASSWORD})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("handover_first")),
        "{body}"
    );
    assert_eq!(app.get("/api/auth/me", Some(rep)).await.0, StatusCode::OK);
    // The colleague may leave; then the representative is alone and may too.
    assert_eq!(
        close(app, &colleague, json!({"password": PASSWORD}))
            .await
            .0,
        StatusCode::NO_CONTENT
    );

    // The last person of a firm closes it: it leaves its consortium, and its
    // business number can be registered again.
    let org = alone.org();
    let business_no = app
        .texts(&format!(
            "SELECT business_no FROM organisations WHERE id = {org}"
        ))
        .await;
    let (status, body) = close(app, alone, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let closed = app
        .texts(&format!("SELECT CAST(closed_at IS NOT NULL AS TEXT) || '|' || COALESCE(business_no, '-') || '|' || COALESCE(CAST(representative_id AS TEXT), '-') FROM organisations WHERE id = {org}"))
        .await;
    assert!(closed[0].ends_with("|-|-"), "{closed:?}");
    let members = app
        .texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM memberships WHERE org_id = {org}"
        ))
        .await;
    assert_eq!(members, ["0"]);
    let (_, consortium) = app
        .get(&format!("/api/consortia/{}", w.consortium), Some(rep))
        .await;
    assert!(!consortium.to_string().contains("회원사1"), "{consortium}");
    let mut body = firm_signup("new@firm1.example", "회원사1", 0);
    body["organisation"]["business_no"] = json!(business_no[0]);
    assert!(app.signup(body).await.is_ok(), "the number is free again");
    let actions = app
        .texts(&format!(
            "SELECT action FROM audit_log WHERE org_id = {org} ORDER BY id"
        ))
        .await;
    assert!(
        actions.contains(&"organisation_closed".to_owned()),
        "{actions:?}"
    );
}

async fn the_second_factor_is_asked_and_the_last_admin_stays(app: &TestApp) {
    let admin = app.admin().await;
    let secret = db_secret(app, &admin).await;
    // With a second factor, a code is asked for, and a wrong one refused.
    let (status, body) = close(app, &admin, json!({"password": PASSWORD})).await;
    assert_eq!(
        (status, &body["fields"][0]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"field": "code", "code": "required"})
        )
    );
    let (status, body) = close(app, &admin, json!({"password": PASSWORD, "code": "000000"})).await;
    assert_eq!(
        (status, &body["fields"][0]["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("wrong_code"))
    );
    // The only admin cannot leave; the code is not used up by the refusal.
    let now = code(&secret, 0);
    let (status, body) = close(app, &admin, json!({"password": PASSWORD, "code": now})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("last_admin")),
        "{body}"
    );

    // With a second admin, the first leaves (a recovery code serves as well).
    let other = app
        .firm_member("second@kicox.example", "공단 본부", 30)
        .await;
    moim_server::db::users::set_admin(&app.db, moim_core::UserId(other.id()))
        .await
        .unwrap();
    let (status, codes) = app
        .post(
            "/api/me/recovery-codes",
            json!({"password": PASSWORD}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let recovery = codes["codes"][0].as_str().unwrap();
    let (status, body) = close(app, &admin, json!({"password": PASSWORD, "code": recovery})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let left = app
        .texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM totp_factors WHERE user_id = {}",
            admin.id()
        ))
        .await;
    assert_eq!(left, ["0"]);
}

/// The secret of the authenticator app `app.admin()` gave `s`.
async fn db_secret(app: &TestApp, s: &Session) -> String {
    app.texts(&format!(
        "SELECT secret FROM totp_factors WHERE user_id = {}",
        s.id()
    ))
    .await
    .remove(0)
}

async fn every_column_naming_a_person_has_a_fate(app: &TestApp) {
    let schema = app.person_columns().await;
    let mut fates = BTreeSet::new();
    for (t, c, _) in moim_server::db::leaving::FATES {
        assert!(fates.insert(format!("{t}.{c}")), "{t}.{c} twice");
    }
    assert_eq!(
        fates, schema,
        "a column that holds a person's id must have its fate in db::leaving::FATES"
    );
}

async fn records_go_when_their_retention_ends(app: &TestApp) {
    let s = app.firm_member("kept@firm.example", "보관정밀", 3).await;
    assert!(
        app.signin("kept@firm.example", "wrong password")
            .await
            .is_err()
    );
    let (status, _) = app
        .post(
            "/api/me/email",
            json!({"email": "moved@firm.example", "password": PASSWORD}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    app.exec("UPDATE mail_outbox SET status = 'sent' WHERE address IS NOT NULL")
        .await;
    let count = |sql: &'static str| async move { app.texts(sql).await.remove(0) };
    let failures =
        "SELECT CAST(COUNT(*) AS TEXT) FROM login_failures WHERE key LIKE '%kept@firm.example%'";
    let sessions = "SELECT CAST(COUNT(*) AS TEXT) FROM sessions";
    let devices = "SELECT CAST(COUNT(*) AS TEXT) FROM known_devices";
    let addresses = "SELECT CAST(COUNT(*) AS TEXT) FROM mail_outbox WHERE address IS NOT NULL";
    assert_ne!(count(failures).await, "0");
    let retention = moim_server::config::Config::default().retention();
    let purge = |later: Duration| async move {
        moim_server::db::leaving::purge(&app.db, chrono::Utc::now() + later, retention)
            .await
            .unwrap()
    };
    // Within every retention: nothing goes.
    assert_eq!(purge(Duration::zero()).await, Default::default());
    // Past the throttle's window the failures go; the session stays.
    let purged = purge(Duration::minutes(16)).await;
    assert!(purged.attempts >= 1, "{purged:?}");
    assert_eq!(count(failures).await, "0");
    assert_ne!(count(sessions).await, "0");
    // An idle session ends; a sent mail's address goes after 30 days; a
    // remembered browser after a year.
    purge(Duration::hours(13)).await;
    assert_eq!(count(sessions).await, "0");
    assert_ne!(count(addresses).await, "0");
    purge(Duration::days(31)).await;
    assert_eq!(count(addresses).await, "0");
    assert_ne!(count(devices).await, "0");
    purge(Duration::days(366)).await;
    assert_eq!(count(devices).await, "0");
}
