//! Getting back in: reset links by mail (single use, short-lived, stored
//! hashed, the same answer for every address), changing the password, and the
//! list of one's signed-in browsers.

use crate::{
    both,
    support::{PASSWORD, Session, TestApp},
};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use moim_server::mail::{Mailer, tick};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

both!(
    a_forgotten_password_is_reset_once_by_mail,
    reset_links_expire_and_requests_are_throttled,
    changing_the_password_ends_the_other_sessions,
    each_browser_can_be_signed_out,
    an_admin_suspends_reactivates_and_sends_a_link,
);

const NEW_PASSWORD: &str = "파란 하늘 아래 금형 공장";

/// A mailer writing `.eml` files into a fresh directory.
fn mailer(app: &TestApp) -> (Mailer, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "moim-reset-{}-{}-{}",
        std::process::id(),
        app.db.backend(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let m = Mailer::new(
        None,
        "모임 Moim <no-reply@moim.example>",
        "http://moim.test",
        &dir,
    )
    .unwrap();
    (m, dir.join("mail"))
}

/// The mails written so far, oldest first.
fn mails(dir: &Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The token of the reset link in a mail.
fn token_in(mail: &str) -> String {
    let at = mail.find("/reset-password#token=").expect(mail) + "/reset-password#token=".len();
    mail[at..at + 64].to_owned()
}

async fn forgot(app: &TestApp, email: &str) -> (StatusCode, Value) {
    app.post("/api/auth/forgot-password", json!({"email": email}), None)
        .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> (StatusCode, Value) {
    app.post(
        "/api/auth/reset-password",
        json!({"token": token, "password": password}),
        None,
    )
    .await
}

async fn check(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.post(
        "/api/auth/reset-password/check",
        json!({"token": token}),
        None,
    )
    .await
}

async fn me_status(app: &TestApp, s: &Session) -> StatusCode {
    app.get("/api/auth/me", Some(s)).await.0
}

fn invalid_link() -> Value {
    json!({"error": "validation", "fields": [{"field": "token", "code": "invalid_link"}]})
}

async fn a_forgotten_password_is_reset_once_by_mail(app: &TestApp) {
    let first = app.firm_member("kim@firm.example", "대한금형", 1).await;
    let second = app.signin("kim@firm.example", PASSWORD).await.unwrap();
    let (m, dir) = mailer(app);

    // The same answer for an address with an account and one without.
    let known = forgot(app, "Kim@Firm.example").await;
    let unknown = forgot(app, "nobody@firm.example").await;
    assert_eq!(known, (StatusCode::ACCEPTED, Value::Null));
    assert_eq!(unknown, known);
    let (status, e) = forgot(app, "not an address").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // One mail goes out; the one for nobody is dropped.
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 1);
    let sent = mails(&dir);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("kim@firm.example"), "{}", sent[0]);
    let token = token_in(&sent[0]);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));

    // Only the token's hash is stored.
    let stored = app
        .texts("SELECT token_hash FROM account_tokens WHERE purpose = 'reset'")
        .await;
    assert_eq!(stored, [format!("{:x}", Sha256::digest(token.as_bytes()))]);

    let (status, link) = check(app, &token).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(link["email"], "kim@firm.example");

    // A weak password is refused and the link stays good.
    let (status, e) = reset(app, &token, "aaaaaaaaaa").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["fields"][0]["field"], "password");
    assert_eq!(me_status(app, &first).await, StatusCode::OK);

    let (status, body) = reset(app, &token, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // Whoever was signed in is out; the old password no longer works.
    assert_eq!(me_status(app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(app, &second).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.signin("kim@firm.example", PASSWORD)
            .await
            .unwrap_err()
            .0,
        StatusCode::UNAUTHORIZED
    );
    app.signin("kim@firm.example", NEW_PASSWORD).await.unwrap();

    // The link works once; a made-up one gets the very same answer.
    assert_eq!(
        reset(app, &token, "다른 새 비밀번호 하나 더").await,
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    let mut tampered = token.clone();
    tampered.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    assert_eq!(
        reset(app, &tampered, "다른 새 비밀번호 하나 더").await,
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    assert_eq!(
        check(app, &token).await,
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    app.signin("kim@firm.example", NEW_PASSWORD).await.unwrap();

    // And the owner is told.
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 1);
    let sent = mails(&dir);
    assert_eq!(sent.len(), 2);
    assert!(
        sent[1].contains("password of your Moim account was changed"),
        "{}",
        sent[1]
    );
    assert!(!sent[1].contains("#token="), "{}", sent[1]);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

async fn reset_links_expire_and_requests_are_throttled(app: &TestApp) {
    app.firm_member("lee@firm.example", "한빛정밀", 2).await;
    let (m, dir) = mailer(app);

    // A mail still unsent when its link would die is not sent at all.
    assert_eq!(
        forgot(app, "lee@firm.example").await.0,
        StatusCode::ACCEPTED
    );
    let late = Utc::now() + Duration::minutes(31);
    assert_eq!(tick(&app.db, &m, late).await.unwrap(), 0);
    assert!(mails(&dir).is_empty());

    // A link is good for 30 minutes.
    assert_eq!(
        forgot(app, "lee@firm.example").await.0,
        StatusCode::ACCEPTED
    );
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 1);
    let token = token_in(&mails(&dir)[0]);
    app.exec("UPDATE account_tokens SET expires_at = created_at")
        .await;
    assert_eq!(
        reset(app, &token, NEW_PASSWORD).await,
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    app.signin("lee@firm.example", PASSWORD).await.unwrap();

    // Three requests per address in the window, then 429 with Retry-After, for
    // an address with an account as for one without.
    for email in ["lee@firm.example", "ghost@firm.example"] {
        let already = if email.starts_with("lee") { 2 } else { 0 };
        for _ in already..3 {
            assert_eq!(forgot(app, email).await.0, StatusCode::ACCEPTED);
        }
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/auth/forgot-password")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"email": email}).to_string()))
            .unwrap();
        let (headers, (status, body)) = app.send(req).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        let retry: u64 = headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=15 * 60).contains(&retry), "{retry}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

async fn change(app: &TestApp, s: &Session, current: &str, new: &str) -> (StatusCode, Value) {
    app.post(
        "/api/me/password",
        json!({"current": current, "password": new}),
        Some(s),
    )
    .await
}

async fn changing_the_password_ends_the_other_sessions(app: &TestApp) {
    let here = app.firm_member("park@firm.example", "동남기계", 3).await;
    let there = app.signin("park@firm.example", PASSWORD).await.unwrap();
    let (m, dir) = mailer(app);

    let (status, e) = change(app, &here, "not the password", NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["fields"][0],
        json!({"field": "current", "code": "wrong_password"})
    );
    let (status, e) = change(app, &here, PASSWORD, "abcdefgh1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["fields"][0]["field"], "password");
    assert_eq!(me_status(app, &there).await, StatusCode::OK);

    // A reset asked for before the change is not sent after it: its link would
    // open an account whose password was just set.
    assert_eq!(
        forgot(app, "park@firm.example").await.0,
        StatusCode::ACCEPTED
    );
    let (status, body) = change(app, &here, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(me_status(app, &here).await, StatusCode::OK);
    assert_eq!(me_status(app, &there).await, StatusCode::UNAUTHORIZED);
    app.signin("park@firm.example", NEW_PASSWORD).await.unwrap();
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 1);
    let sent = mails(&dir);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("password of your Moim account was changed"));
    assert!(!sent[0].contains("#token="));

    // Guessing the current password from a signed-in browser is throttled too
    // (five wrong guesses in the window, the first one above included).
    for _ in 0..4 {
        let (status, _) = change(app, &here, "wrong guess", "또 다른 새 비밀번호 문장").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, e) = change(app, &here, NEW_PASSWORD, "또 다른 새 비밀번호 문장").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{e}");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

async fn each_browser_can_be_signed_out(app: &TestApp) {
    let here = app.firm_member("choi@firm.example", "새한전자", 4).await;
    let phone = {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/auth/signin")
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                header::USER_AGENT,
                "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            )
            .body(Body::from(
                json!({"email": "choi@firm.example", "password": PASSWORD}).to_string(),
            ))
            .unwrap();
        let (headers, (status, me)) = app.send(req).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        let cookie = headers[header::SET_COOKIE].to_str().unwrap();
        Session {
            cookie: cookie.split(';').next().unwrap()["moim_session=".len()..].to_owned(),
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            me,
        }
    };
    let laptop = app.signin("choi@firm.example", PASSWORD).await.unwrap();
    let stranger = app.firm_member("jung@firm.example", "다른회사", 5).await;

    let (status, list) = app.get("/api/me/sessions", Some(&here)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_row = list
        .iter()
        .find(|s| s["browser"] == "Samsung Internet · Android")
        .unwrap_or_else(|| panic!("{list:?}"));
    assert!(phone_row["id"].as_str().unwrap().len() >= 16);
    assert!(list.iter().all(|s| s.get("token_hash").is_none()));
    let phone_id = phone_row["id"].as_str().unwrap().to_owned();

    // Nobody else can end one's session, nor see it.
    let path = format!("/api/me/sessions/{phone_id}");
    assert_eq!(
        app.call(Method::DELETE, &path, None, Some(&stranger))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, theirs) = app.get("/api/me/sessions", Some(&stranger)).await;
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(me_status(app, &phone).await, StatusCode::OK);

    assert_eq!(
        app.call(Method::DELETE, &path, None, Some(&here)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(me_status(app, &phone).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.call(Method::DELETE, &path, None, Some(&here)).await.0,
        StatusCode::NOT_FOUND
    );

    let (status, _) = app
        .call(
            Method::POST,
            "/api/me/sessions/end-others",
            None,
            Some(&here),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(me_status(app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(app, &here).await, StatusCode::OK);
    assert_eq!(me_status(app, &stranger).await, StatusCode::OK);
    let (_, left) = app.get("/api/me/sessions", Some(&here)).await;
    assert_eq!(left.as_array().unwrap().len(), 1);
}

async fn an_admin_suspends_reactivates_and_sends_a_link(app: &TestApp) {
    let admin = app.admin().await;
    let member = app.firm_member("han@firm.example", "한결정밀", 6).await;
    let id = member.id();
    let (m, dir) = mailer(app);

    // Only admins, only real accounts, never oneself; a reason is required.
    let suspend = format!("/api/admin/users/{id}/suspend");
    let why = json!({"reason": "스팸 게시물 반복"});
    assert_eq!(
        app.post(&suspend, why.clone(), Some(&member)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/admin/users/999999/suspend", why.clone(), Some(&admin))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let own = format!("/api/admin/users/{}/suspend", admin.id());
    assert_eq!(
        app.post(&own, why.clone(), Some(&admin)).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, e) = app
        .post(&suspend, json!({"reason": "줄\n바꿈"}), Some(&admin))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(me_status(app, &member).await, StatusCode::OK);

    // Suspended: the session ends at once, and the right password is told why.
    assert_eq!(
        app.post(&suspend, why.clone(), Some(&admin)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(me_status(app, &member).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.signin("han@firm.example", PASSWORD).await.unwrap_err(),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "account_suspended", "reason": "스팸 게시물 반복"})
        )
    );
    // Nothing is mailed to a suspended account.
    assert_eq!(
        forgot(app, "han@firm.example").await.0,
        StatusCode::ACCEPTED
    );
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 0);
    // A wrong password still says only that.
    assert_eq!(
        app.signin("han@firm.example", "not it at all")
            .await
            .unwrap_err()
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (_, found) = app.get("/api/admin/users?q=han@", Some(&admin)).await;
    assert_eq!(found[0]["suspended"], true, "{found}");
    // Twice is once.
    assert_eq!(
        app.post(&suspend, why, Some(&admin)).await.0,
        StatusCode::NO_CONTENT
    );

    let reactivate = format!("/api/admin/users/{id}/reactivate");
    assert_eq!(
        app.post(&reactivate, json!({}), Some(&admin)).await.0,
        StatusCode::NO_CONTENT
    );
    app.signin("han@firm.example", PASSWORD).await.unwrap();

    // A reset link sent by an admin works like one asked for, for a day.
    let (status, _) = app
        .post(
            &format!("/api/admin/users/{id}/reset-link"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(tick(&app.db, &m, Utc::now()).await.unwrap(), 1);
    let token = token_in(&mails(&dir)[0]);
    let (status, link) = check(app, &token).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let expires: chrono::DateTime<Utc> = link["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires > Utc::now() + Duration::hours(23), "{link}");

    let (_, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .take(3)
        .collect();
    assert_eq!(
        actions,
        [
            "password_reset_sent",
            "account_reactivated",
            "account_suspended"
        ]
    );
    assert_eq!(trail[2]["note"], "스팸 게시물 반복");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}
