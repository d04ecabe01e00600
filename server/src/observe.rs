//! What the server is doing: Prometheus metrics at `/metrics` (only with a
//! bearer token the operator sets; without one the route does not exist) and
//! the request id every log line of a request carries.
//!
//! Requests are counted by method, route template (`/api/ideas/{id}`, never the
//! path itself, so the series stay few) and status, with a latency histogram;
//! the database pool, the outbox's backlog, failed mails and the sessions
//! signed in are read when Prometheus scrapes.

use crate::{AppState, db, error::AppError};
use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use moim_core::ApiError;
use std::{sync::OnceLock, time::Instant};

/// Buckets of every histogram in seconds (request latency, transaction wait).
const BUCKETS: [f64; 12] = [
    0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder (one per process: tests make many apps).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: /metrics shows only gauges");
        }
        handle
    })
}

/// The route template of a matched API route, handed from inside the router
/// to [`track`] outside it.
#[derive(Clone)]
struct Route(String);

/// Inside the router (a route layer): names the route that answered.
pub async fn name_route(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(Route(route));
    }
    res
}

/// Outside the router: counts every request and how long its answer took to
/// start. What no API route answered is a page (`page`) or a file (`file`).
pub async fn track(req: Request, next: Next) -> Response {
    let _ = handle();
    let start = Instant::now();
    // A method the client made up is `other`: labels come from a fixed set.
    let method: &'static str = match *req.method() {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let path = req.uri().path();
    let other = if path.rsplit('/').next().is_some_and(|s| s.contains('.')) {
        "file"
    } else {
        "page"
    };
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<Route>()
        .map_or_else(|| other.to_owned(), |r| r.0.clone());
    let status = res.status().as_u16().to_string();
    metrics::counter!("moim_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("moim_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// `GET /metrics`: the Prometheus text format, for a scraper that sends
/// `Authorization: Bearer <MOIM_METRICS_TOKEN>`. 404 when no token is set,
/// 401 for a missing or wrong one.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return crate::error::api_error_response(ApiError::NotFound);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same(given, token) {
        return crate::error::api_error_response(ApiError::Unauthenticated);
    }
    match gauges(&state).await {
        Ok(()) => {}
        Err(e) => return e.into_response(),
    }
    let mut res = handle().render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

/// Compares two secrets through their SHA-256, so the time taken says nothing
/// of how much of the given one was right.
fn same(given: &str, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// Reads what is measured at scrape time.
async fn gauges(state: &AppState) -> Result<(), AppError> {
    let (size, idle, max) = state.db.pool_use();
    metrics::gauge!("moim_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("moim_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("moim_db_pool_max_connections").set(f64::from(max));
    let now = chrono::Utc::now();
    let (backlog, oldest) = db::outbox::backlog(&state.db, now).await?;
    metrics::gauge!("moim_mail_outbox_due").set(backlog as f64);
    metrics::gauge!("moim_mail_outbox_oldest_due_seconds").set(oldest.map_or(0.0, |due| {
        (now - due).num_milliseconds().max(0) as f64 / 1000.0
    }));
    let failed = db::outbox::counts(&state.db)
        .await?
        .into_iter()
        .find(|(status, _)| status == "failed")
        .map_or(0, |(_, n)| n);
    metrics::gauge!("moim_mail_failed").set(failed as f64);
    let idle_since =
        now - chrono::Duration::from_std(state.config.session_idle).unwrap_or_default();
    let sessions = db::sessions::live_count(&state.db, now, idle_since).await?;
    metrics::gauge!("moim_sessions_signed_in").set(sessions as f64);
    Ok(())
}

/// The request's id: the balancer's `x-request-id` when the balancer is
/// trusted (`--trust-proxy`) and the id is plain (1–64 of `A-Za-z0-9._-`), else
/// 16 random hex characters made here. Set on the request (the log span reads
/// it) and sent back with the answer.
pub async fn request_id(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            state.config.trust_proxy
                && (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
        .map(str::to_owned);
    let id = given.unwrap_or_else(|| {
        let token = crate::auth::random_token();
        token.get(..16).unwrap_or(&token).to_owned()
    });
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(REQUEST_ID, value);
    res
}

/// The header that carries a request's id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
