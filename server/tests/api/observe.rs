//! Seeing what the server does: `/metrics` only for the token's bearer, request
//! counts by route template, the gauges read at scrape time, and request ids.

use crate::both;
use crate::support::TestApp;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use tower::ServiceExt;

both!(
    metrics_need_the_token_and_name_routes,
    every_answer_carries_a_request_id
);

async fn get(router: &Router, uri: &str, auth: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::builder().uri(uri);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn metrics_need_the_token_and_name_routes(app: &TestApp) {
    // Without a token set, there is no /metrics.
    let plain = app.configured(|_| {});
    let (status, body) = get(&plain, "/metrics", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, r#"{"error":"not_found"}"#);
    let portal = app.configured(|c| c.metrics_token = Some("s3cret-scraper".into()));
    for auth in [None, Some("Bearer wrong"), Some("s3cret-scraper")] {
        let (status, body) = get(&portal, "/metrics", auth).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(body.contains(r#""error":"#), "{body}");
    }
    // Requests counted by route template, not by path.
    let _ = app
        .signup(crate::support::firm_signup(
            "metrics@hanbit.example",
            "한빛정밀",
            31,
        ))
        .await;
    get(&portal, "/api/consortia", None).await;
    let (status, _) = get(&portal, "/api/ideas/987654", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text) = get(&portal, "/metrics", Some("Bearer s3cret-scraper")).await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        r#"moim_http_requests_total{method="GET",route="/api/consortia",status="200"}"#,
        r#"moim_http_requests_total{method="GET",route="/api/ideas/{id}",status="404"}"#,
        r#"moim_http_request_duration_seconds_bucket{method="GET",route="/api/consortia",le="0.5"}"#,
        r#"moim_db_pool_connections{state="idle"}"#,
        "moim_db_pool_max_connections ",
        // The sign-up's transaction waited for its connection (and write lock).
        r#"moim_db_transaction_wait_seconds_bucket{le="0.01"}"#,
        "moim_db_transaction_wait_seconds_count ",
        "moim_mail_outbox_due ",
        "moim_mail_outbox_oldest_due_seconds ",
        "moim_mail_failed ",
        "moim_sessions_signed_in ",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    assert!(
        !text.contains("/api/ideas/987654"),
        "paths never become labels"
    );
    // The sign-up above is a live session (other tests' apps share the process's
    // counters, but the gauges are this database's).
    let signed_in = text
        .lines()
        .find_map(|l| l.strip_prefix("moim_sessions_signed_in "))
        .and_then(|n| n.trim().parse::<f64>().ok())
        .unwrap();
    assert!(signed_in >= 1.0, "{signed_in}");
}

async fn every_answer_carries_a_request_id(app: &TestApp) {
    let router = app.configured(|_| {});
    let res = router
        .clone()
        .oneshot(
            Request::builder()
                .uri("/api/health")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    // One a client sets is not believed (it could forge or collide ids in the
    // logs); one the trusted balancer sets is kept and sent back, if plain.
    let with = |id: &'static str| {
        Request::builder()
            .uri("/api/health")
            .header("x-request-id", id)
            .body(Body::empty())
            .unwrap()
    };
    let res = router.clone().oneshot(with("lb-0042")).await.unwrap();
    assert_ne!(res.headers()["x-request-id"], "lb-0042");
    let behind = app.configured(|c| c.trust_proxy = true);
    let res = behind
        .clone()
        .oneshot(with("a forged id with spaces"))
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"].len(), 16);
    let res = behind
        .oneshot(
            Request::builder()
                .uri("/api/health")
                .header("x-request-id", "lb-0042")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "lb-0042");
}
