//! Email that belongs to the person: a sign-up verifies its address by a link
//! (and says the same for an address that has an account), an unverified person
//! reads but does not act, the link can be mailed again, and an account moves
//! to a new address only once that one is verified.

use crate::{both, support::*};
use axum::http::{Method, StatusCode, header};
use moim_server::db::recovery::AccountMail;
use serde_json::{Value, json};

both!(
    a_signup_verifies_its_address_and_tells_nobody_what_is_taken,
    an_unverified_person_reads_but_does_not_act,
    the_link_is_mailed_again_under_a_limit,
    an_account_moves_to_a_verified_new_address,
    a_link_signs_in_only_the_person_it_verifies_and_only_once
);

fn invalid_link() -> Value {
    json!({"error": "validation", "fields": [{"field": "token", "code": "invalid_link"}]})
}

/// How many rows `sql` counts.
async fn count(app: &TestApp, sql: &str) -> usize {
    app.texts(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM ({sql}) AS x"))
        .await[0]
        .parse()
        .unwrap()
}

async fn a_signup_verifies_its_address_and_tells_nobody_what_is_taken(app: &TestApp) {
    // A new address: 202 and no session; the account waits for its link.
    let (status, body) = app
        .post(
            "/api/auth/signup",
            firm_signup("new@firm.example", "새회사", 1),
            None,
        )
        .await;
    assert_eq!((status, &body), (StatusCode::ACCEPTED, &Value::Null));
    // A taken address: the very same answer, no second account, and the owner
    // is mailed how to get in (a sign-in page and the reset link), not a link.
    let (status_taken, body_taken) = app
        .post(
            "/api/auth/signup",
            firm_signup("new@firm.example", "다른회사", 2),
            None,
        )
        .await;
    assert_eq!((status_taken, body_taken), (status, body));
    assert_eq!(
        count(app, "SELECT id FROM users WHERE email = 'new@firm.example'").await,
        1
    );
    assert_eq!(
        count(app, "SELECT id FROM organisations WHERE name = '다른회사'").await,
        0
    );
    assert!(
        app.link_mailed("new@firm.example", AccountMail::AlreadyRegistered)
            .await
            .is_none(),
        "the notice carries no link"
    );
    assert_eq!(
        count(
            app,
            "SELECT id FROM mail_outbox WHERE purpose = 'already_registered' AND status = 'sent'"
        )
        .await,
        1
    );

    // Only the hash of the link's token is kept.
    let token = app
        .link_mailed("new@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    let stored = app
        .texts("SELECT token_hash FROM account_tokens WHERE purpose = 'verify'")
        .await;
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    // The link signs the person in, verified; a second opening is dead.
    let s = app.verify(&token).await.unwrap();
    assert_eq!(s.me["email"], "new@firm.example");
    assert_eq!(s.me["email_verified"], true);
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    // Made-up and expired links get the same answer.
    let (status, body) = app
        .post(
            "/api/auth/verify-email",
            json!({"token": "ab".repeat(32)}),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("late@firm.example", "늦은회사", 3),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let late = app
        .link_mailed("late@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    app.exec("UPDATE account_tokens SET expires_at = created_at WHERE used_at IS NULL")
        .await;
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": late}), None)
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": ""}), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Someone who signs up into a registered organisation is announced to its
    // representative once the address is theirs, not before.
    let rep = app.firm_member("rep@org.example", "대표회사", 10).await;
    let before = unread(app, &rep).await;
    let (status, _) = app
        .post(
            "/api/auth/signup",
            json!({"email": "colleague@org.example", "password": PASSWORD, "name": "동료",
                "organisation": {"mode": "existing", "id": rep.org()}, "consents": consents()}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        unread(app, &rep).await,
        before,
        "nobody is told of an unverified address"
    );
    let token = app
        .link_mailed("colleague@org.example", AccountMail::Verify)
        .await
        .unwrap();
    app.verify(&token).await.unwrap();
    assert_ne!(unread(app, &rep).await, before, "told once it is verified");
}

async fn unread(app: &TestApp, s: &Session) -> Value {
    app.get("/api/notifications/unread", Some(s)).await.1["unread"].clone()
}

async fn an_unverified_person_reads_but_does_not_act(app: &TestApp) {
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("slow@firm.example", "느린회사", 1),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // They sign in with their password, and are told the address waits.
    let s = app.signin("slow@firm.example", PASSWORD).await.unwrap();
    assert_eq!(s.me["email_verified"], false);
    let (status, _) = app.get("/api/ideas", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get("/api/consortia", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    // Posting, asking to join, acting for the firm: 403 email_unverified, nothing kept.
    let admin = app.admin().await;
    let consortium = app.consortium(&admin, "검증 협의체", None).await;
    for (uri, body) in [
        (
            "/api/ideas".to_owned(),
            json!({"title": "아직 인증 전에 쓰는 아이디어", "body": "본문입니다.", "tags": [], "idempotency_key": "k-unverified-1"}),
        ),
        (
            format!("/api/consortia/{consortium}/requests"),
            json!({"motivation": "함께하고 싶습니다."}),
        ),
    ] {
        let (status, body) = app.post(&uri, body, Some(&s)).await;
        assert_eq!(
            (status, body),
            (StatusCode::FORBIDDEN, json!({"error": "email_unverified"})),
            "{uri}"
        );
    }
    assert_eq!(count(app, "SELECT id FROM ideas").await, 0);
    // Their own account is theirs to look after meanwhile.
    let (status, body) = app
        .call(
            axum::http::Method::PUT,
            "/api/me",
            Some(json!({"name": "느린 사람", "department": null, "is_expert": false})),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .call(
            axum::http::Method::POST,
            "/api/me/verify-email",
            None,
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // Verified: the same request goes through.
    let token = app
        .link_mailed("slow@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    app.verify(&token).await.unwrap();
    let (status, body) = app
        .post(
            "/api/ideas",
            json!({"title": "인증 후에 쓰는 아이디어", "body": "본문입니다.", "tags": [], "idempotency_key": "k-unverified-2"}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn the_link_is_mailed_again_under_a_limit(app: &TestApp) {
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("again@firm.example", "다시회사", 1),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let s = app.signin("again@firm.example", PASSWORD).await.unwrap();
    let resend = || {
        app.call(
            axum::http::Method::POST,
            "/api/me/verify-email",
            None,
            Some(&s),
        )
    };
    for _ in 0..3 {
        assert_eq!(resend().await.0, StatusCode::ACCEPTED);
    }
    let req = axum::http::Request::builder()
        .method(axum::http::Method::POST)
        .uri("/api/me/verify-email")
        .header(header::COOKIE, format!("moim_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .body(axum::body::Body::empty())
        .unwrap();
    let (headers, (status, body)) = app.send(req).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(headers.get(header::RETRY_AFTER).is_some());
    // Every link mailed works until one is used; then all are.
    let tokens = app.texts("SELECT token_hash FROM account_tokens").await;
    assert!(tokens.is_empty(), "links are made when the mail is written");
    let token = app
        .link_mailed("again@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    assert_eq!(
        count(
            app,
            "SELECT token_hash FROM account_tokens WHERE purpose = 'verify'"
        )
        .await,
        4
    );
    app.verify(&token).await.unwrap();
    assert_eq!(
        count(
            app,
            "SELECT token_hash FROM account_tokens WHERE purpose = 'verify' AND used_at IS NULL"
        )
        .await,
        0
    );
    // Verified already: nothing to send.
    let s = app.signin("again@firm.example", PASSWORD).await.unwrap();
    let (status, body) = app
        .call(
            axum::http::Method::POST,
            "/api/me/verify-email",
            None,
            Some(&s),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::CONFLICT,
            json!({"error": "conflict", "code": "already_verified"})
        )
    );
}

async fn an_account_moves_to_a_verified_new_address(app: &TestApp) {
    let s = app.firm_member("old@firm.example", "옮기는회사", 1).await;
    let other = app.firm_member("other@firm.example", "다른회사", 2).await;
    let change = |email: &str, password: &str| {
        let body = json!({"email": email, "password": password});
        let s = s.clone();
        async move { app.post("/api/me/email", body, Some(&s)).await }
    };
    // The password is asked for.
    let (status, body) = change("new@firm.example", "not the password").await;
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("wrong_password"))
    );
    let (status, _) = change("old@firm.example", PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An address with an account: the same 202, and its owner is told instead.
    let (status, body) = change("Other@Firm.example", PASSWORD).await;
    assert_eq!((status, body), (StatusCode::ACCEPTED, Value::Null));
    assert!(
        app.link_mailed("other@firm.example", AccountMail::EmailChange)
            .await
            .is_none()
    );
    assert!(
        app.link_mailed("other@firm.example", AccountMail::AlreadyRegistered)
            .await
            .is_none()
    );
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT id FROM mail_outbox WHERE purpose = 'already_registered' AND user_id = {}",
                other.id()
            )
        )
        .await,
        1
    );
    // A free address: its link goes to it, and nothing moves until it is opened.
    let (status, _) = change("new@firm.example", PASSWORD).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = app
        .link_mailed("new@firm.example", AccountMail::EmailChange)
        .await
        .unwrap();
    assert_eq!(app.me(&s).await["email"], "old@firm.example");
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!("new_address")));
    assert_eq!(
        app.me(&s).await["email"],
        "new@firm.example",
        "the session stays"
    );
    // The old address is told; it signs in no more, the new one does.
    assert_eq!(
        count(
            app,
            "SELECT id FROM mail_outbox WHERE purpose = 'email_changed' AND address = 'old@firm.example'"
        )
        .await,
        1
    );
    assert!(app.signin("old@firm.example", PASSWORD).await.is_err());
    assert!(app.signin("new@firm.example", PASSWORD).await.is_ok());
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNPROCESSABLE_ENTITY, invalid_link())
    );
    // An address another account took between the mail and the click: refused,
    // nothing moves.
    let (status, _) = change("race@firm.example", PASSWORD).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let token = app
        .link_mailed("race@firm.example", AccountMail::EmailChange)
        .await
        .unwrap();
    app.firm_member("race@firm.example", "먼저회사", 3).await;
    let (status, body) = app
        .post("/api/auth/verify-email", json!({"token": token}), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("email_taken"))
    );
    assert_eq!(app.me(&s).await["email"], "new@firm.example");
}

async fn a_link_signs_in_only_the_person_it_verifies_and_only_once(app: &TestApp) {
    // Two links of one new account: the first signs in; a mail asked for again
    // and not sent by then is not sent at all, and the address's links are dead.
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("one@firm.example", "한번", 1),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let first = app
        .link_mailed("one@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    let early = app.signin("one@firm.example", PASSWORD).await.unwrap();
    let (status, _) = app
        .call(Method::POST, "/api/me/verify-email", None, Some(&early))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let one = app.verify(&first).await.unwrap();
    assert!(
        app.link_mailed("one@firm.example", AccountMail::Verify)
            .await
            .is_none(),
        "the verification mail asked for again is not sent once verified"
    );

    // Somebody signed in here is not swapped for the account of a link sent to
    // them: the address is verified, and its owner signs in themselves.
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("two@firm.example", "두번", 2),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let theirs = app
        .link_mailed("two@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/auth/verify-email")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("moim_session={}", one.cookie))
        .header("x-csrf-token", &one.csrf)
        .body(axum::body::Body::from(
            json!({ "token": theirs }).to_string(),
        ))
        .unwrap();
    let (headers, (status, body)) = app.send(req).await;
    assert_eq!((status, body), (StatusCode::OK, json!("sign_in")));
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert_eq!(app.me(&one).await["email"], "one@firm.example");
    app.signin("two@firm.example", PASSWORD).await.unwrap();

    // A complex that does not exist is refused alike for a taken address and a
    // new one (a foreign key refusing the new one only would tell them apart).
    for email in ["one@firm.example", "three@firm.example"] {
        let mut body = firm_signup(email, "없는단지", 3);
        body["organisation"]["complex_id"] = json!(999_999);
        let (status, answer) = app.post("/api/auth/signup", body, None).await;
        assert_eq!(
            (status, answer["fields"][0]["field"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("organisation.complex_id")
            ),
            "{email}"
        );
    }

    // Moving to a new address kills the links sent to the old one.
    let (status, _) = app
        .post(
            "/api/auth/forgot-password",
            json!({"email": "one@firm.example"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let reset = app
        .link_mailed("one@firm.example", AccountMail::Reset)
        .await
        .unwrap();
    let (status, _) = app
        .post(
            "/api/me/email",
            json!({"email": "moved@firm.example", "password": PASSWORD}),
            Some(&one),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let moving = app
        .link_mailed("moved@firm.example", AccountMail::EmailChange)
        .await
        .unwrap();
    let (status, body) = app.open_link(&moving).await.1;
    assert_eq!((status, body), (StatusCode::OK, json!("new_address")));
    let (status, _) = app
        .post(
            "/api/auth/reset-password/check",
            json!({"token": reset}),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old address's reset link is dead"
    );
}
