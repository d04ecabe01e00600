//! Faults a client cannot cause but must be told of plainly: a full disk, a
//! database locked or away; readiness saying which.

use crate::support::{Session, TestApp, answer};
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use moim_server::db::Db;
use serde_json::{Value, json};
use sqlx::Connection as _;

async fn post(
    router: &Router,
    uri: &str,
    body: &Value,
    s: &Session,
) -> (StatusCode, Option<String>, Value) {
    let req = Request::post(uri)
        .header(header::COOKIE, format!("moim_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    answer(router, req).await
}

async fn get(router: &Router, uri: &str) -> (StatusCode, Option<String>, Value) {
    answer(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// SQLite's file may not grow (as on a full disk): a write answers 507 with
/// `storage_full` and a `Retry-After`, nothing half-written; reads go on; once
/// there is room again the same write lands, with no restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_plainly_and_they_work_again_after() {
    let app = TestApp::sqlite().await;
    let author = app.firm_member("kim@hanbit.example", "한빛정밀", 1).await;
    let path = app.sqlite_file().unwrap().to_owned();
    let (pages,): (i64,) = match &app.db {
        Db::Sqlite(p) => sqlx::query_as("PRAGMA page_count")
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(_) => unreachable!(),
    };
    // A second pool whose connections may not grow the file past its size now.
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .pragma("max_page_count", pages.to_string());
    let full = Db::sqlite(options).await.unwrap();
    let portal = app.over(full.clone());
    // Korean text of the longest body: more than a page, so it needs new ones.
    let idea = json!({"title": "공동 물류 창고", "body": "창고를 함께 쓰면 비용이 줄어듭니다. ".repeat(250).chars().take(5000).collect::<String>(),
        "tags": ["물류"], "idempotency_key": "full-1"});
    let (status, retry, body) = post(&portal, "/api/ideas", &idea, &author).await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");
    assert_eq!(body, json!({"error": "storage_full", "retry_after": 60}));
    assert_eq!(retry.as_deref(), Some("60"));
    // Nothing half-written, and reading goes on.
    let (status, feed) = app.get("/api/ideas", Some(&author)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(0), "{feed}");
    // Room again: the same write lands.
    full.close().await;
    let (status, _, body) = post(&app.over(app.db.clone()), "/api/ideas", &idea, &author).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.finish().await;
}

/// SQLite's file locked by another process past the busy timeout: a write
/// answers 503 `unavailable` with `Retry-After` (not 500), and lands once the
/// lock is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_database_answers_503_and_recovers() {
    let app = TestApp::sqlite().await;
    let author = app.firm_member("kim@hanbit.example", "한빛정밀", 1).await;
    let path = app.sqlite_file().unwrap().to_owned();
    let impatient = Db::sqlite(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .busy_timeout(std::time::Duration::from_millis(200)),
    )
    .await
    .unwrap();
    let portal = app.over(impatient);
    // Another process holds the write lock.
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let idea = json!({"title": "공동 물류 창고", "body": "창고를 함께 쓰면 비용이 줄어듭니다.",
        "tags": ["물류"], "idempotency_key": "locked-1"});
    let (status, retry, body) = post(&portal, "/api/ideas", &idea, &author).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body, json!({"error": "unavailable", "retry_after": 5}));
    assert_eq!(retry.as_deref(), Some("5"));
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let (status, _, body) = post(&portal, "/api/ideas", &idea, &author).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.finish().await;
}

/// A PostgreSQL that does not answer: pages that need it answer 503 with
/// `Retry-After`; the process stays alive (`/api/health`) and says it is not
/// ready (`/api/ready`: which part, 503); with its database back it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_away_answers_503_and_readiness_says_so() {
    let app = TestApp::sqlite().await;
    // Nothing listens on port 9 of the loopback.
    let options: sqlx::postgres::PgConnectOptions =
        "postgres://postgres@127.0.0.1:9/moim".parse().unwrap();
    let away = Db::Postgres(
        sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(std::time::Duration::from_secs(2))
            .connect_lazy_with(options),
    );
    let portal = app.over(away);
    let (status, retry, body) = get(&portal, "/api/ideas").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "unavailable");
    assert_eq!(retry.as_deref(), Some("5"));
    let (status, _, body) = get(&portal, "/api/health").await;
    assert_eq!((status, body), (StatusCode::OK, json!("ok")));
    let (status, retry, body) = get(&portal, "/api/ready").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({"database": "unavailable", "storage": "ok"}));
    assert_eq!(retry.as_deref(), Some("5"));
    let (status, _, body) = get(&app.over(app.db.clone()), "/api/ready").await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"database": "ok", "storage": "ok"}))
    );
    app.finish().await;
}
