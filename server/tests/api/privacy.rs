//! One's own data: "내 정보 내려받기" holds every row that names the person and
//! nothing secret, and the list of tables it reads cannot fall behind the schema.

use crate::{
    both,
    support::{PASSWORD, TestApp},
};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use serde_json::json;
use std::collections::BTreeSet;

both!(the_export_holds_everything_about_the_person_and_no_secret);

async fn the_export_holds_everything_about_the_person_and_no_secret(app: &TestApp) {
    let me = app.firm_member("yoon@firm.example", "윤정밀", 7).await;
    let other = app
        .firm_member("stranger@firm.example", "다른정밀", 8)
        .await;
    app.signin("yoon@firm.example", PASSWORD).await.unwrap();
    assert!(
        app.signin("yoon@firm.example", "wrong password")
            .await
            .is_err()
    );
    let (status, _) = app
        .post(
            "/api/auth/forgot-password",
            json!({"email": "yoon@firm.example"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let req = Request::builder()
        .method(Method::GET)
        .uri("/api/me/export")
        .header(header::COOKIE, format!("moim_session={}", me.cookie))
        .body(Body::empty())
        .unwrap();
    let (headers, (status, body)) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"moim-"),
        "{disposition}"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(body["format"], "moim-export/1");
    assert_eq!(body["person"]["email"], "yoon@firm.example");
    let tables = body["tables"].as_object().unwrap();

    // Every column of the schema that refers to a person is exported, and the
    // export names no column that does not.
    let mut schema = app.person_columns().await;
    schema.insert("login_failures.key".to_owned());
    // …and every column that refers to a person's matchmaking participation.
    for (t, c) in moim_server::db::export::references_to(&app.db, "match_participants")
        .await
        .unwrap()
    {
        schema.insert(format!("{t}.{c}"));
    }
    let mut weighed: BTreeSet<String> = tables.keys().cloned().collect();
    for (t, c) in moim_server::db::export::OTHERS {
        assert!(
            weighed.insert(format!("{t}.{c}")),
            "{t}.{c} both exported and not"
        );
    }
    assert_eq!(
        weighed, schema,
        "a column that holds a person's id must be in db::export::TABLES or OTHERS"
    );

    // What is there: the account, both sessions, the verification and reset
    // mails, the used verification link, the attempts.
    let rows = |k: &str| tables[k].as_array().unwrap().clone();
    assert_eq!(rows("users.id").len(), 1);
    assert_eq!(rows("users.id")[0]["email"], "yoon@firm.example");
    assert_eq!(rows("sessions.user_id").len(), 2);
    assert_eq!(rows("organisations.representative_id")[0]["name"], "윤정밀");
    assert_eq!(rows("mail_outbox.user_id").len(), 2);
    assert_eq!(rows("account_tokens.user_id").len(), 1);
    let keys: Vec<String> = rows("login_failures.key")
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        keys.iter().any(|k| k == "reset:yoon@firm.example"),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|k| k.starts_with("pair:yoon@firm.example|")),
        "{keys:?}"
    );

    // Nothing secret, and nobody else.
    let text = body.to_string();
    for secret in [
        "password_hash",
        "token_hash",
        "csrf_token",
        &me.cookie,
        &me.csrf,
    ] {
        assert!(!text.contains(secret), "{secret} in the export");
    }
    assert!(!text.contains("stranger@firm.example"));
    assert!(!text.contains(&format!("\"user_id\":{}", other.id())));

    assert_eq!(
        app.get("/api/me/export", None).await,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "unauthenticated"})
        )
    );
}
