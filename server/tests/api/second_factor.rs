//! A second factor: an authenticator app is set up with a code from it, then
//! asked for at every sign-in (a code good once, and never an older one);
//! recovery codes work once and can be renewed; the second step is throttled;
//! the factor is turned off with the password; each change is mailed.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(
    an_app_is_set_up_with_its_code_and_then_asked_for_at_sign_in,
    recovery_codes_work_once_and_are_renewed,
    the_second_step_is_throttled_and_the_factor_turned_off
);

/// The code `secret`'s app shows `offset` seconds from now.
fn code(secret: &str, offset: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let app = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = chrono::Utc::now().timestamp() + offset;
    app.generate(u64::try_from(now).unwrap()).to_string()
}

fn wrong(field: &str, code: &str) -> Value {
    json!({"error": "validation", "fields": [{"field": field, "code": code}]})
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
    assert_eq!(none, json!({"totp_since": null, "recovery_codes_left": 0}));

    // The password is asked for first.
    let (status, body) = app
        .post(
            "/api/me/totp/setup",
            json!({"password": "not-it-at-all"}),
            Some(&s),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("password", "wrong_password")
        )
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
    let (status, body) = app
        .post("/api/me/totp", json!({"code": "000000"}), Some(&s))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("code", "wrong_code")
        )
    );
    let (status, body) = app
        .post("/api/me/totp", json!({"code": "abcd"}), Some(&s))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("code", "wrong_code")
        )
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
    let (status, body) = app
        .post(
            "/api/me/totp/setup",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("second_factor_on")),
        "{body}"
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
    let (status, body) = second_step(app, ticket, &now).await.unwrap_err();
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("code", "wrong_code")
        )
    );
    let (status, _) = second_step(app, ticket, &code(secret, -30))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The next step's code (a phone's clock a little ahead) signs in, once.
    let next = code(secret, 30);
    let signed = second_step(app, ticket, &next).await.unwrap();
    assert_eq!(signed.me["email"], email);
    let (status, body) = second_step(app, ticket, &code(secret, 30))
        .await
        .unwrap_err();
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("ticket", "invalid_link")
        )
    );
    // A ticket expires.
    let late = first_step(app, email).await;
    app.exec("UPDATE signin_tickets SET expires_at = created_at")
        .await;
    let (status, body) = second_step(app, &late, &code(secret, 30))
        .await
        .unwrap_err();
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("ticket", "invalid_link")
        )
    );
    let (status, body) = second_step(app, "made-up", "123456").await.unwrap_err();
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("ticket", "invalid_link")
        )
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
    let (status, body) = second_step(app, &ticket, &codes[0]).await.unwrap_err();
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("code", "wrong_code")
        )
    );
    let (_, left) = app.get("/api/me/second-factor", Some(&signed)).await;
    assert_eq!(left["recovery_codes_left"], 9);

    // New codes: the old ones stop working.
    let (status, body) = app
        .post(
            "/api/me/recovery-codes",
            json!({"password": "not-it-at-all"}),
            Some(&signed),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("password", "wrong_password")
        )
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
    let (status, body) = app
        .post(
            "/api/me/recovery-codes",
            json!({"password": PASSWORD}),
            Some(&other),
        )
        .await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("second_factor_off")),
        "{body}"
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
    let (status, body) = app
        .call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": "not-it-at-all"})),
            Some(&s),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            wrong("password", "wrong_password")
        )
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
    let (status, body) = app
        .call(
            Method::DELETE,
            "/api/me/totp",
            Some(json!({"password": PASSWORD})),
            Some(&s),
        )
        .await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("second_factor_off")),
        "{body}"
    );
    let (status, body) = app
        .post("/api/me/totp", json!({"code": "123456"}), Some(&s))
        .await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("second_factor_off")),
        "{body}"
    );
    // Somebody who is not signed in can do none of it.
    let (status, _) = app
        .post("/api/me/totp/setup", json!({"password": PASSWORD}), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
