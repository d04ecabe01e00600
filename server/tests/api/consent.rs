//! Consent to the collection and use of personal information: given at sign-up,
//! each consent on its own and recorded with the policy's version; a new
//! version asks again before the person acts; the optional news mail is
//! withdrawn as easily as it is given.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use moim_core::privacy::PRIVACY_POLICY_VERSION;
use serde_json::json;

both!(
    a_signup_records_each_consent_with_its_version,
    a_new_policy_asks_again_before_the_person_acts,
    news_mail_is_withdrawn_as_easily_as_given
);

fn fields(body: &serde_json::Value) -> Vec<&str> {
    body["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

async fn a_signup_records_each_consent_with_its_version(app: &TestApp) {
    // Nothing is taken for granted: no consent, no account.
    let mut body = firm_signup("consent@firm.example", "동의회사", 1);
    body.as_object_mut().unwrap().remove("consents");
    let (status, answer) = app.post("/api/auth/signup", body.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&answer),
        ["consents.privacy", "consents.policy_version"]
    );
    body["consents"] = json!({"policy_version": "2020-01-01", "privacy": true});
    let (status, answer) = app.post("/api/auth/signup", body.clone(), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&answer), ["consents.policy_version"]);

    body["consents"] =
        json!({"policy_version": PRIVACY_POLICY_VERSION, "privacy": true, "news_mail": true});
    let s = app.signup(body).await.unwrap();
    assert_eq!(s.me["consent_required"], false);
    let (status, consents) = app.get("/api/me/consents", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(consents["policy_version"], PRIVACY_POLICY_VERSION);
    assert_eq!(consents["current_version"], PRIVACY_POLICY_VERSION);
    assert_eq!(consents["news_mail"], true);
    let history = consents["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    for kind in ["privacy", "news_mail"] {
        let r = history.iter().find(|r| r["kind"] == kind).unwrap();
        assert_eq!(
            (&r["version"], &r["given"]),
            (&json!(PRIVACY_POLICY_VERSION), &json!(true))
        );
    }
    // Where it came from is kept as evidence, and it is in the person's data.
    assert_eq!(
        app.texts("SELECT address FROM consents WHERE kind = 'privacy'")
            .await,
        ["unknown"]
    );
    let (_, export) = app.get("/api/me/export", Some(&s)).await;
    assert_eq!(
        export["tables"]["consents.user_id"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn a_new_policy_asks_again_before_the_person_acts(app: &TestApp) {
    let s = app.firm_member("again@firm.example", "재동의", 1).await;
    // The policy changed since they agreed (as a new version would make it).
    app.exec("UPDATE users SET privacy_version = '2020-01-01'")
        .await;
    assert_eq!(app.me(&s).await["consent_required"], true);
    let idea = json!({"title": "금형 냉각 개선", "body": "냉각 채널을 바꿔 봅니다.", "tags": [], "idempotency_key": "consent-idea-1"});
    let (status, body) = app.post("/api/ideas", idea.clone(), Some(&s)).await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!({"error": "consent_required"}))
    );
    // Reading and their own account stay open.
    let (status, _) = app.get("/api/ideas", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .put(
            "/api/me",
            json!({"name": "김민수", "is_expert": false}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = app
        .post(
            "/api/me/consents",
            json!({"policy_version": PRIVACY_POLICY_VERSION, "privacy": false}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["privacy"]);
    let (status, me) = app
        .post(
            "/api/me/consents",
            json!({"policy_version": PRIVACY_POLICY_VERSION, "privacy": true, "news_mail": false}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["consent_required"], false);
    let (status, _) = app.post("/api/ideas", idea, Some(&s)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, consents) = app.get("/api/me/consents", Some(&s)).await;
    assert_eq!(
        consents["history"].as_array().unwrap().len(),
        4,
        "{consents}"
    );
}

async fn history(app: &TestApp, s: &Session) -> serde_json::Value {
    app.get("/api/me/consents", Some(s)).await.1
}

async fn news_mail_is_withdrawn_as_easily_as_given(app: &TestApp) {
    let s = app.firm_member("news@firm.example", "소식", 1).await;
    let set = |on: bool| json!({ "news_mail": on });
    let (status, _) = app
        .call(
            Method::PUT,
            "/api/me/consents/news-mail",
            Some(set(true)),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let after_on = history(app, &s).await;
    assert_eq!(after_on["news_mail"], true);
    // The same choice again records nothing.
    app.call(
        Method::PUT,
        "/api/me/consents/news-mail",
        Some(set(true)),
        Some(&s),
    )
    .await;
    assert_eq!(history(app, &s).await["history"], after_on["history"]);
    app.call(
        Method::PUT,
        "/api/me/consents/news-mail",
        Some(set(false)),
        Some(&s),
    )
    .await;
    let off = history(app, &s).await;
    assert_eq!(off["news_mail"], false);
    assert_eq!(off["history"][0]["kind"], "news_mail");
    assert_eq!(off["history"][0]["given"], false);
    assert_eq!(off["history"].as_array().unwrap().len(), 4);
    let (status, _) = app
        .call(
            Method::PUT,
            "/api/me/consents/news-mail",
            Some(set(true)),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
