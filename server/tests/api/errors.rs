//! Malformed input, unknown routes and id guessing all get the one JSON shape and
//! never a 5xx.

use crate::{both, support::*};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use serde_json::{Value, json};

both!(
    malformed_requests,
    unknown_ids_are_not_found,
    no_5xx_for_garbage,
    openapi_lists_routes,
    openapi_says_what_the_wire_carries,
    openapi_lists_401_where_a_session_is_needed,
    every_unique_rule_is_one_of_the_schema,
);

/// Every `$ref` under `v`, with where it is.
fn refs<'a>(v: &'a Value, at: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    if let Some(r) = x.as_str() {
                        out.push((at.to_owned(), r));
                    }
                } else {
                    refs(x, &format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                refs(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The OpenAPI document describes what goes over the wire, so that a client
/// generated from it works: every `$ref` names a schema of the document; every
/// path parameter is in its path and every other parameter is a query
/// parameter (list filters once came out as required path parameters); the
/// choices of a closed set are the codes serde writes (they came out as the
/// Rust variants' names).
async fn openapi_says_what_the_wire_carries(app: &TestApp) {
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut found = Vec::new();
    refs(&doc, "", &mut found);
    assert!(found.len() > 100, "{} refs", found.len());
    let dangling: std::collections::BTreeSet<&str> = found
        .iter()
        .map(|(_, r)| r.strip_prefix("#/components/schemas/").unwrap_or(r))
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(dangling.is_empty(), "not in the document: {dangling:?}");
    let mut queries = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str() {
                    Some("path") => assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: `{name}` is not a path parameter"
                    ),
                    Some("query") => queries += 1,
                    other => panic!("{method} {path}: `{name}` in {other:?}"),
                }
            }
        }
    }
    assert!(queries > 30, "{queries} query parameters");
    let choices = |name: &str| -> Vec<String> {
        serde_json::from_value(schemas[name]["enum"].clone())
            .unwrap_or_else(|_| panic!("{name}: {}", schemas[name]))
    };
    let wire = |all: Vec<Value>| -> Vec<String> {
        all.into_iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    use moim_core::{activity::ActivityKind, idea::IdeaStage, problem::Confidentiality};
    assert_eq!(
        choices("ActivityKind"),
        wire(ActivityKind::ALL.iter().map(|k| json!(k)).collect())
    );
    assert_eq!(
        choices("IdeaStage"),
        wire(IdeaStage::ALL.iter().map(|k| json!(k)).collect())
    );
    assert_eq!(
        choices("Confidentiality"),
        wire(Confidentiality::ALL.iter().map(|k| json!(k)).collect())
    );
    // And in general: no closed set offers a choice serde would not read.
    for (name, schema) in schemas {
        for v in schema["enum"].as_array().into_iter().flatten() {
            if let Some(v) = v.as_str() {
                assert!(
                    !v.chars().any(|c| c.is_ascii_uppercase()),
                    "{name}: `{v}` is a Rust name, not a wire code"
                );
            }
        }
    }
}

/// The unique rules handlers answer for (`db::UNIQUE_RULES`) are spelled as
/// each backend reports them: PostgreSQL's constraint or index names, SQLite's
/// columns of a unique index (or its name, for an index on an expression). A
/// misspelt one would turn its conflict into a 500.
async fn every_unique_rule_is_one_of_the_schema(app: &TestApp) {
    let names: std::collections::BTreeSet<String> = match &app.db {
        moim_server::Db::Postgres(_) => app
            .texts(
                "SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
                 WHERE n.nspname = current_schema() AND c.contype IN ('u', 'p') \
                 UNION SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()",
            )
            .await
            .into_iter()
            .collect(),
        moim_server::Db::Sqlite(_) => {
            let mut names = std::collections::BTreeSet::new();
            for table in app
                .texts("SELECT name FROM sqlite_master WHERE type = 'table'")
                .await
            {
                let indexes = app
                    .texts(&format!(
                        "SELECT name FROM pragma_index_list('{table}') WHERE \"unique\" = 1"
                    ))
                    .await;
                for index in indexes {
                    let columns = app
                        .texts(&format!(
                            "SELECT coalesce(name, '') FROM pragma_index_info('{index}') ORDER BY seqno"
                        ))
                        .await;
                    if columns.iter().any(String::is_empty) {
                        names.insert(index);
                    } else {
                        let columns: Vec<String> =
                            columns.iter().map(|c| format!("{table}.{c}")).collect();
                        names.insert(columns.join(", "));
                    }
                }
            }
            names
        }
    };
    for rule in moim_server::db::UNIQUE_RULES {
        let name = match app.db {
            moim_server::Db::Postgres(_) => rule.postgres,
            moim_server::Db::Sqlite(_) => rule.sqlite,
        };
        assert!(names.contains(name), "{name} is not in {names:?}");
    }
}

async fn malformed_requests(app: &TestApp) {
    let raw = |body: &'static str, content_type: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/auth/signin")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let (_, (status, body)) = app.send(raw("{not json", "application/json")).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let (_, (status, body)) = app
        .send(raw("email=a", "application/x-www-form-urlencoded"))
        .await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    let big = Box::leak(format!("{{\"email\":\"{}\"}}", "a".repeat(70 * 1024)).into_boxed_str());
    let (_, (status, body)) = app.send(raw(big, "application/json")).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    assert_eq!(body["limit"], 65536);

    let (status, body) = app.get("/api/nothing/here", None).await;
    assert_eq!((status, error(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, body) = app.call(Method::DELETE, "/api/stats", None, None).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let (status, body) = app.get("/api/consortia?page=0", None).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("page"))
    );
    let (status, body) = app.get("/api/consortia?region=mars", None).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
}

async fn unknown_ids_are_not_found(app: &TestApp) {
    let s = app.firm_member("probe@firm.example", "탐색회사", 50).await;
    for uri in [
        "/api/consortia/99999",
        "/api/consortia/abc",
        "/api/requests/99999",
        "/api/consortia/99999/requests",
    ] {
        let (status, body) = app.get(uri, Some(&s)).await;
        assert_eq!(
            (status, error(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{uri}"
        );
    }
    let (status, _) = app
        .post(
            "/api/consortia/99999/requests",
            json!({"motivation": "가입하고 싶습니다 정말로"}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(Method::POST, "/api/notifications/1/read", None, Some(&s))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.get("/api/consortia?mine=true", None).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

/// Every POST/PUT route fed with wrong types, nulls, huge numbers and junk.
async fn no_5xx_for_garbage(app: &TestApp) {
    let admin = app.admin().await;
    let id = app.consortium(&admin, "가비지 협의체", None).await;
    let routes = [
        (Method::POST, "/api/auth/signup".to_owned()),
        (Method::POST, "/api/auth/signin".to_owned()),
        (Method::POST, "/api/auth/signin/second-factor".to_owned()),
        (Method::POST, "/api/me/totp/setup".to_owned()),
        (Method::POST, "/api/me/totp".to_owned()),
        (Method::DELETE, "/api/me/totp".to_owned()),
        (Method::POST, "/api/me/recovery-codes".to_owned()),
        (Method::PUT, "/api/me".to_owned()),
        (Method::PUT, "/api/me/expert-profile".to_owned()),
        (Method::POST, "/api/consortia".to_owned()),
        (Method::PUT, format!("/api/consortia/{id}")),
        (Method::POST, format!("/api/consortia/{id}/managers")),
        (Method::POST, format!("/api/consortia/{id}/requests")),
        (Method::POST, format!("/api/consortia/{id}/invitations")),
        (Method::POST, "/api/requests/1/decision".to_owned()),
    ];
    let bodies: Vec<Value> = vec![
        json!(null),
        json!([]),
        json!("x"),
        json!({}),
        json!({"name": 1, "kind": "nope", "complex_id": "a"}),
        json!({"name": "유효한 이름", "kind": "mini_cluster", "complex_id": i64::MAX, "field_id": -1, "description": ""}),
        json!({"user_id": i64::MAX}),
        json!({"org_id": -5, "message": "x"}),
        json!({"motivation": "\u{0000}".repeat(20)}),
        json!({"approve": "yes"}),
        json!({"ticket": "x".repeat(5000), "code": "１２３４５６"}),
        json!({"code": "9".repeat(100), "password": ""}),
        json!({"email": "a@b.example", "password": "x".repeat(5000), "name": "n", "organisation": {"mode": "new", "kind": "firm", "name": "n", "headcount": -1}}),
    ];
    for (method, uri) in &routes {
        for body in &bodies {
            let (status, reply) = app
                .call(method.clone(), uri, Some(body.clone()), Some(&admin))
                .await;
            assert!(
                status.is_client_error(),
                "{method} {uri} {body} -> {status} {reply}"
            );
            assert!(
                reply["error"].is_string(),
                "{method} {uri} {body} -> {reply}"
            );
        }
    }
}

async fn openapi_lists_routes(app: &TestApp) {
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/auth/signup",
        "/api/consortia",
        "/api/consortia/{id}",
        "/api/requests/{id}/decision",
        "/api/notifications/unread",
        "/api/admin/audit",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(
        paths["/api/consortia"].get("post").is_some()
            && paths["/api/consortia"].get("get").is_some()
    );
    assert!(doc["components"]["schemas"].get("ApiError").is_some());
}

/// Every operation is called without a session (path parameters 1, no body):
/// each one that answers 401 says so in the document.
async fn openapi_lists_401_where_a_session_is_needed(app: &TestApp) {
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let mut undocumented = Vec::new();
    let mut unauthenticated = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let mut uri = String::new();
        for part in path.split('/').skip(1) {
            uri.push('/');
            uri.push_str(if part.starts_with('{') { "1" } else { part });
        }
        for (method, op) in ops.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let req = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .body(Body::empty())
                .unwrap();
            let (_, (status, _)) = app.send(req).await;
            if status == StatusCode::UNAUTHORIZED {
                unauthenticated += 1;
                if op["responses"].get("401").is_none() {
                    undocumented.push(format!("{method} {path}"));
                }
            }
        }
    }
    assert!(
        unauthenticated > 80,
        "{unauthenticated} operations need a session"
    );
    assert!(
        undocumented.is_empty(),
        "401 not documented: {undocumented:#?}"
    );
}
