//! A second factor: an authenticator app is set up with a code from it, then
//! asked for at every sign-in (a code good once, and never an older one);
//! recovery codes work once and can be renewed; the second step is throttled;
//! the factor is turned off with the password; each change is mailed; agency
//! admins and CMs use their powers only once they have one.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(
    an_app_is_set_up_with_its_code_and_then_asked_for_at_sign_in,
    recovery_codes_work_once_and_are_renewed,
    the_second_step_is_throttled_and_the_factor_turned_off,
    admins_and_cms_use_their_powers_only_with_a_second_factor,
    an_admin_resets_the_factor_of_a_person_who_lost_it
);

fn wrong(field: &str, code: &str) -> Value {
    json!({"error": "validation", "fields": [{"field": field, "code": code}]})
}

/// A 422 that refuses `field` with `code`.
fn refused(answer: (StatusCode, Value), field: &str, code: &str) {
    assert_eq!(
        answer,
        (StatusCode::UNPROCESSABLE_ENTITY, wrong(field, code))
    );
}

/// A 409 of `code`.
fn conflict((status, body): (StatusCode, Value), code: &str) {
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!(code)),
        "{body}"
    );
}

async fn count(app: &TestApp, sql: &str) -> usize {
    app.texts(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM ({sql}) AS x"))
        .await[0]
        .parse()
        .unwrap()
}

/// Sets up an app for `s`; returns its secret and the recovery codes.
async fn set_up(app: &TestApp, s: &Session) -> (String, Vec<String>) {
    let (status, setup) = app
        .post("/api/me/totp/setup", json!({"password": PASSWORD}), Some(s))
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let (status, codes) = app
        .post("/api/me/totp", json!({"code": code(&secret, 0)}), Some(s))
        .await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let codes = codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

/// The first step of signing in to an account with a second factor: its ticket.
async fn first_step(app: &TestApp, email: &str) -> String {
    let (status, body) = app
        .post(
            "/api/auth/signin",
            json!({"email": email, "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    body["ticket"].as_str().unwrap().to_owned()
}

async fn second_step(
    app: &TestApp,
    ticket: &str,
    code: &str,
) -> Result<Session, (StatusCode, Value)> {
    app.session_from(
        "/api/auth/signin/second-factor",
        json!({"ticket": ticket, "code": code}),
    )
    .await
}

async fn an_app_is_set_up_with_its_code_and_then_asked_for_at_sign_in(app: &TestApp) {
    let email = "two@firm.example";
    let s = app.firm_member(email, "이단계", 1).await;
    let (status, none) = app.get("/api/me/second-factor", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        none,
        json!({"totp_since": null, "recovery_codes_left": 0, "passkeys": []})
    );

    // The password is asked for first.
    refused(
        app.post(
            "/api/me/totp/setup",
            json!({"password": "not-it-at-all"}),
            Some(&s),
        )
        .await,
        "password",
        "wrong_password",
    );
    let (status, setup) = app
        .post(
            "/api/me/totp/setup",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap();
    assert!(secret.len() >= 32, "160 bits: {secret}");
    let uri = setup["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Moim:two%40firm.example?"),
        "{uri}"
    );
    assert!(
        uri.contains(&format!("secret={secret}")) && uri.contains("issuer=Moim"),
        "{uri}"
    );
    assert!(setup["qr_svg"].as_str().unwrap().contains("<svg"));

    // Until a code confirms it, nothing changes at sign-in.
    app.signin(email, PASSWORD).await.unwrap();
    refused(
        app.post("/api/me/totp", json!({"code": "000000"}), Some(&s))
            .await,
        "code",
        "wrong_code",
    );
    refused(
        app.post("/api/me/totp", json!({"code": "abcd"}), Some(&s))
            .await,
        "code",
        "wrong_code",
    );
    let now = code(secret, 0);
    let (status, codes) = app
        .post(
            "/api/me/totp",
            json!({"code": format!("{} {}", &now[..3], &now[3..])}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    assert_eq!(codes["codes"].as_array().unwrap().len(), 10);
    let (_, status_now) = app.get("/api/me/second-factor", Some(&s)).await;
    assert!(status_now["totp_since"].is_string());
    assert_eq!(status_now["recovery_codes_left"], 10);
    assert_eq!(
        count(
            app,
            "SELECT id FROM mail_outbox WHERE purpose = 'second_factor_on'"
        )
        .await,
        1
    );
    // A second setup while one is in use: 409.
    conflict(
        app.post(
            "/api/me/totp/setup",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await,
        "second_factor_on",
    );

    // Signing in now takes two steps; the first sets no cookie.
    let (headers, (status, body)) = app
        .send(
            axum::http::Request::post("/api/auth/signin")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"email": email, "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert!(headers.get("set-cookie").is_none());
    let ticket = body["ticket"].as_str().unwrap();
    // The code that confirmed the app was used: a replay is refused, and so is
    // a code older than it.
    refused(
        second_step(app, ticket, &now).await.unwrap_err(),
        "code",
        "wrong_code",
    );
    let (status, _) = second_step(app, ticket, &code(secret, -30))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The next step's code (a phone's clock a little ahead) signs in, once.
    let next = code(secret, 30);
    let signed = second_step(app, ticket, &next).await.unwrap();
    assert_eq!(signed.me["email"], email);
    refused(
        second_step(app, ticket, &code(secret, 30))
            .await
            .unwrap_err(),
        "ticket",
        "invalid_link",
    );
    // A ticket expires.
    let late = first_step(app, email).await;
    app.exec("UPDATE signin_tickets SET expires_at = created_at")
        .await;
    refused(
        second_step(app, &late, &code(secret, 30))
            .await
            .unwrap_err(),
        "ticket",
        "invalid_link",
    );
    refused(
        second_step(app, "made-up", "123456").await.unwrap_err(),
        "ticket",
        "invalid_link",
    );
    // A wrong password is the usual 401: nobody learns the account asks for more.
    let (status, body) = app
        .post(
            "/api/auth/signin",
            json!({"email": email, "password": "wrong-password-1"}),
            None,
        )
        .await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_credentials"))
    );
    // Secrets stay on the server: the data export leaves them out.
    let (_, export) = app.get("/api/me/export", Some(&signed)).await;
    let text = export.to_string();
    assert!(!text.contains(secret), "the secret is not exported");
    assert!(text.contains("totp_factors"), "the row is, without it");
}

async fn recovery_codes_work_once_and_are_renewed(app: &TestApp) {
    let email = "lost@firm.example";
    let s = app.firm_member(email, "분실폰", 1).await;
    let (_, codes) = set_up(app, &s).await;
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 19 && c.matches('-').count() == 3),
        "{codes:?}"
    );
    // Only their hashes are kept.
    let stored = app.texts("SELECT code_hash FROM recovery_codes").await;
    assert_eq!(stored.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| !stored.iter().any(|h| h.contains(&c.replace('-', ""))))
    );

    // A recovery code, typed any way, signs in once.
    let typed = codes[0].to_lowercase().replace('-', " ");
    let ticket = first_step(app, email).await;
    let signed = second_step(app, &ticket, &typed).await.unwrap();
    let ticket = first_step(app, email).await;
    refused(
        second_step(app, &ticket, &codes[0]).await.unwrap_err(),
        "code",
        "wrong_code",
    );
    let (_, left) = app.get("/api/me/second-factor", Some(&signed)).await;
    assert_eq!(left["recovery_codes_left"], 9);

    // New codes: the old ones stop working.
    refused(
        app.post(
            "/api/me/recovery-codes",
            json!({"password": "not-it-at-all"}),
            Some(&signed),
        )
        .await,
        "password",
        "wrong_password",
    );
    let (status, renewed) = app
        .post(
            "/api/me/recovery-codes",
            json!({"password": PASSWORD}),
            Some(&signed),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let renewed: Vec<String> = renewed["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert!(renewed.iter().all(|c| !codes.contains(c)));
    let (status, _) = second_step(app, &ticket, &codes[1]).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    second_step(app, &ticket, &renewed[1]).await.unwrap();
    let (_, left) = app.get("/api/me/second-factor", Some(&signed)).await;
    assert_eq!(left["recovery_codes_left"], 9);

    // Without an app there is nothing to renew.
    let other = app.firm_member("plain@firm.example", "한단계", 2).await;
    conflict(
        app.post(
            "/api/me/recovery-codes",
            json!({"password": PASSWORD}),
            Some(&other),
        )
        .await,
        "second_factor_off",
    );
}

async fn the_second_step_is_throttled_and_the_factor_turned_off(app: &TestApp) {
    let email = "guess@firm.example";
    let s = app.firm_member(email, "추측", 1).await;
    let (secret, _) = set_up(app, &s).await;
    // Five wrong codes, then even the right one waits: 429 with the wait.
    let ticket = first_step(app, email).await;
    for guess in ["111111", "222222", "333333", "444444", "555555"] {
        let (status, _) = second_step(app, &ticket, guess).await.unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, body) = second_step(app, &ticket, &code(&secret, 30))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body["retry_after"].as_u64().unwrap() > 0);

    // Turning it off takes the password; then the password alone signs in.
    refused(
        app.call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": "not-it-at-all"})),
            Some(&s),
        )
        .await,
        "password",
        "wrong_password",
    );
    let (status, body) = app
        .call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": PASSWORD})),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        count(
            app,
            "SELECT id FROM mail_outbox WHERE purpose = 'second_factor_off'"
        )
        .await,
        1
    );
    assert_eq!(count(app, "SELECT code_hash FROM recovery_codes").await, 0);
    app.signin(email, PASSWORD).await.unwrap();
    conflict(
        app.call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": PASSWORD})),
            Some(&s),
        )
        .await,
        "second_factor_off",
    );
    conflict(
        app.post("/api/me/totp", json!({"code": "123456"}), Some(&s))
            .await,
        "second_factor_off",
    );
    // Somebody who is not signed in can do none of it.
    let (status, _) = app
        .post("/api/me/totp/setup", json!({"password": PASSWORD}), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn admins_and_cms_use_their_powers_only_with_a_second_factor(app: &TestApp) {
    let admin = app.admin().await;
    let id = app.consortium(&admin, "이단계 협의체", None).await;
    // A CM appointed now has no second factor yet: the app is told, and every
    // act beyond their own account is refused with the reason.
    let cm = app.firm_member("cm@two.example", "씨엠", 1).await;
    let (status, body) = app
        .post(
            &format!("/api/consortia/{id}/managers"),
            json!({"user_id": cm.id()}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.me(&cm).await["second_factor_required"], true);
    let member = app.firm_member("member@two.example", "회원사", 2).await;
    assert_eq!(app.me(&member).await["second_factor_required"], false);
    let (status, request) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": "함께 기술 애로를 풀고 싶습니다."}),
            Some(&member),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{request}");
    let decide = format!("/api/requests/{}/decision", request["id"]);
    let (status, body) = app.post(&decide, json!({"approve": true}), Some(&cm)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "second_factor_required"})
        )
    );
    // Reading with their powers is a power too: pages that need them signed in
    // say why, public ones show what a visitor sees; their account is open.
    let (status, body) = app.get("/api/offers", Some(&cm)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "second_factor_required"})
        )
    );
    let (status, _) = app.get(&format!("/api/consortia/{id}"), Some(&cm)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get("/api/me/second-factor", Some(&cm)).await;
    assert_eq!(status, StatusCode::OK);
    // Their own account stays theirs: they add an app, and then act.
    let (status, _) = app
        .put(
            "/api/me",
            json!({"name": "씨엠", "department": "기획팀", "is_expert": false}),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    set_up(app, &cm).await;
    assert_eq!(app.me(&cm).await["second_factor_required"], false);
    let (status, body) = app.post(&decide, json!({"approve": true}), Some(&cm)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // An admin who turns theirs off loses the admin's pages and acts until
    // they add one again.
    let (status, _) = app
        .call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": PASSWORD})),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.me(&admin).await["second_factor_required"], true);
    let (status, body) = app.get("/api/admin/users?q=two", Some(&admin)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({"error": "second_factor_required"})
        )
    );
    let (status, _) = app
        .post("/api/consortia", json!({"name": "새 협의체", "kind": "mini_cluster", "complex_id": 1, "field_id": 1, "description": "설명"}), Some(&admin))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A member with no powers was never asked.
    let (status, _) = app
        .post(
            "/api/ideas",
            json!({"title": "냉각수 재활용", "body": "공정 냉각수를 모아 다시 씁니다.", "tags": [], "idempotency_key": "two-step-idea-1"}),
            Some(&member),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn an_admin_resets_the_factor_of_a_person_who_lost_it(app: &TestApp) {
    let admin = app.admin().await;
    let email = "lost.all@firm.example";
    let s = app.firm_member(email, "분실", 1).await;
    set_up(app, &s).await;
    let (_, found) = app.get("/api/admin/users?q=lost.all", Some(&admin)).await;
    assert_eq!(found[0]["second_factor"], true, "{found}");
    // Nobody else may, and an admin's own is not reset here.
    let other = app.firm_member("other@firm.example", "다른", 2).await;
    let reset = format!("/api/admin/users/{}/second-factor/reset", s.id());
    let (status, _) = app.call(Method::POST, &reset, None, Some(&other)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let own = format!("/api/admin/users/{}/second-factor/reset", admin.id());
    let (status, _) = app.call(Method::POST, &own, None, Some(&admin)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call(Method::POST, &reset, None, Some(&admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The password alone signs in now; the person was mailed; the audit says who.
    app.signin(email, PASSWORD).await.unwrap();
    assert_eq!(
        count(
            app,
            "SELECT id FROM mail_outbox WHERE purpose = 'second_factor_off'"
        )
        .await,
        1
    );
    let (_, audit) = app.get("/api/admin/audit", Some(&admin)).await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "second_factor_reset")
        .expect("an audit entry");
    assert_eq!(entry["actor"]["id"], admin.id());
    conflict(
        app.call(Method::POST, &reset, None, Some(&admin)).await,
        "second_factor_off",
    );
}
