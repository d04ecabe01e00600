//! The pages: `index.html` with the route's hints and its first API answers (as
//! the visitor would get them), this build's files cached for good, another
//! build's files gone, unknown addresses a 404 — against a fixture build.

use crate::{both, support::TestApp};
use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt as _;

both!(
    pages_carry_hints_and_answers,
    build_files_and_other_addresses,
    answers_carry_the_security_headers
);

/// A build as `.ci/build-app` lays it out, with four modules (one empty, one a
/// page's staff panel).
fn fixture() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("moim-site-{}-{nanos}", std::process::id()));
    let base = dir.join("b/v1");
    std::fs::create_dir_all(base.join("p")).unwrap();
    let site = json!({
        "version": "v1",
        "base": "/b/v1/",
        "modules": {
            "ideas_route": {"name": "__ideas_route_view_7", "pack": "p/ideas_route.pack"},
            "idea_route": {"name": "__idea_route_view_7", "pack": "p/idea_route.pack"},
            "idea_moderation": {"name": "__idea_moderation_3", "pack": "p/idea_moderation.pack"},
            "idea_tools": {"name": "__idea_tools_4", "pack": "p/idea_tools.pack"},
            "problem_route": {"name": "__problem_route_view_7", "pack": "p/problem_route.pack"},
            "problem_panels": {"name": "__problem_panels_5", "pack": "p/problem_panels.pack"},
            "problem_firm": {"name": "__problem_firm_6", "pack": "p/problem_firm.pack"},
            "home_route": {"name": "__home_route_view_7", "pack": null}
        },
        "combined": {
            "problem_route+problem_firm": {"pack": "p/problem_route-with-problem_firm.pack",
                "modules": ["__problem_route_view_7", "__problem_firm_6"]}
        }
    });
    std::fs::write(dir.join("site.json"), site.to_string()).unwrap();
    std::fs::write(
        base.join("index.html"),
        "<!doctype html><html data-build=\"/b/v1/\"><head><title>모임</title></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(base.join("p/ideas_route.pack"), b"pack").unwrap();
    std::fs::write(base.join("p/ideas_route.pack.br"), b"br-pack").unwrap();
    std::fs::write(dir.join("sw.js"), "// sw").unwrap();
    dir
}

async fn get(
    router: &Router,
    uri: &str,
    cookie: Option<&str>,
    encoding: &str,
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::builder()
        .uri(uri)
        .header(header::ACCEPT_ENCODING, encoding);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, format!("moim_session={c}"));
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn pages_carry_hints_and_answers(app: &TestApp) {
    let dir = fixture();
    let site = app.serving(dir.clone());
    let author = app.firm_member("kim@hanbit.example", "한빛정밀", 11).await;
    let title = "</script><script>alert(1)</script> 냉각수";
    let (status, created) = app
        .post(
            "/api/ideas",
            json!({"title": title, "body": "회원사끼리 함께 해 보면 좋겠습니다.", "tags": ["공동구매"], "idempotency_key": "p-1"}),
            Some(&author),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();

    // Anonymous: the feed's module and stylesheet named, the session (nobody) and
    // the feed answered inside the page, never cached by anyone else.
    let (status, headers, html) = get(&site, "/ideas", None, "identity").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
    assert!(html.contains(r#"<link rel="preload" href="/b/v1/p/ideas_route.pack" as="fetch" crossorigin data-module="__ideas_route_view_7">"#), "{html}");
    assert!(
        html.contains(r#"<link rel="stylesheet" href="/b/v1/ideas.css">"#),
        "{html}"
    );
    assert!(html.contains(r#"<script type="application/json" data-api="/api/auth/session" data-status="200">null</script>"#), "{html}");
    assert!(
        html.contains(r#"data-api="/api/ideas" data-status="200">{"#),
        "{html}"
    );
    // The title is in the feed's answer, but cannot end the script element early.
    assert!(!html.contains("</script><script>alert"), "{html}");
    assert!(
        html.contains("\\u003c/script>\\u003cscript>alert(1)"),
        "{html}"
    );
    assert!(html.ends_with("</body></html>"));

    // Signed in: the person's own session, with its CSRF token.
    let (_, _, html) = get(&site, "/ideas", Some(&author.cookie), "identity").await;
    assert!(
        html.contains(&format!("\"csrf_token\":\"{}\"", author.csrf)),
        "{html}"
    );

    // An idea page; a missing idea's answer is its 404, for the page to show.
    let (status, _, html) = get(&site, &format!("/ideas/{id}"), None, "identity").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"data-api="/api/ideas/{id}" data-status="200""#)),
        "{html}"
    );
    // Its moderation panel is named for the staff alone: not for a visitor or the
    // author, for an admin; a signed-in person's tools (follow, report, comment)
    // for anyone signed in, not for a visitor.
    let moderation = r#"href="/b/v1/p/idea_moderation.pack" as="fetch" crossorigin data-module="__idea_moderation_3""#;
    let tools =
        r#"href="/b/v1/p/idea_tools.pack" as="fetch" crossorigin data-module="__idea_tools_4""#;
    assert!(!html.contains("idea_moderation"), "{html}");
    assert!(!html.contains("idea_tools"), "{html}");
    let (_, _, html) = get(
        &site,
        &format!("/ideas/{id}"),
        Some(&author.cookie),
        "identity",
    )
    .await;
    assert!(!html.contains("idea_moderation"), "{html}");
    assert!(html.contains(tools), "{html}");
    let admin = app.admin().await;
    // A CM of some consortium is staff too (who is staff is read per request).
    let cm = app.firm_member("cm@moim.example", "정다운 CM", 12).await;
    app.consortium(&admin, "창원 금형 미니클러스터", Some(&cm))
        .await;
    let (_, _, html) = get(&site, &format!("/ideas/{id}"), Some(&cm.cookie), "identity").await;
    assert!(html.contains(moderation), "{html}");
    assert!(html.contains(tools), "{html}");
    // A problem's signed-in panels are named for people who are signed in, not
    // for a visitor, as the problem's access calls for: the firm gets its tools
    // (not an expert's proposal form), a member of the consortium the questions.
    let panels = r#"href="/b/v1/p/problem_panels.pack" as="fetch" crossorigin data-module="__problem_panels_5""#;
    let firm =
        r#"href="/b/v1/p/problem_firm.pack" as="fetch" crossorigin data-module="__problem_firm_6""#;
    let rep = app.firm_member("rep@firm.example", "패널정밀", 13).await;
    let consortium = app.consortium(&admin, "패널 미니클러스터", Some(&cm)).await;
    app.join(&rep, consortium, &cm).await;
    let (status, posted) = app
        .post(
            "/api/problems",
            json!({"consortium_id": consortium, "title": "금형 냉각 채널 설계", "summary": "사출 금형의 냉각이 고르지 않아 불량률이 높습니다. 해결 방안을 찾습니다.",
                "details": "", "field_ids": [2], "keywords": ["금형 냉각"], "help": ["mentoring"], "timeline_months": 6,
                "budget": "from_10m_to_50m", "confidentiality": "members", "publish": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let problem = posted["summary"]["id"].as_i64().unwrap();
    let (_, _, html) = get(&site, &format!("/problems/{problem}"), None, "identity").await;
    assert!(html.contains("p/problem_route.pack"), "{html}");
    assert!(!html.contains("problem_panels"), "{html}");
    let (_, _, html) = get(
        &site,
        &format!("/problems/{problem}"),
        Some(&rep.cookie),
        "identity",
    )
    .await;
    // The page with the firm's panels as one module, where the build has it.
    assert!(
        html.contains(r#"href="/b/v1/p/problem_route-with-problem_firm.pack" as="fetch" crossorigin data-module="__problem_route_view_7 __problem_firm_6""#),
        "{html}"
    );
    assert!(!html.contains("p/problem_route.pack"), "{html}");
    assert!(!html.contains(firm), "{html}");
    assert!(!html.contains("problem_panels"), "{html}");
    let member = app.firm_member("member@firm.example", "회원정밀", 14).await;
    app.join(&member, consortium, &cm).await;
    let (_, _, html) = get(
        &site,
        &format!("/problems/{problem}"),
        Some(&member.cookie),
        "identity",
    )
    .await;
    assert!(html.contains("p/problem_route.pack"), "{html}");
    assert!(html.contains(panels), "{html}");
    assert!(!html.contains("problem_firm"), "{html}");
    // Not for a problem that is not there: its page draws no panel.
    let (_, _, html) = get(&site, "/problems/999999", Some(&rep.cookie), "identity").await;
    assert!(html.contains("p/problem_route.pack"), "{html}");
    assert!(!html.contains("problem_panels"), "{html}");
    assert!(!html.contains("problem_firm"), "{html}");
    let (_, _, html) = get(
        &site,
        &format!("/ideas/{id}"),
        Some(&admin.cookie),
        "identity",
    )
    .await;
    assert!(html.contains(moderation), "{html}");
    let (_, _, html) = get(&site, "/ideas/999999", None, "identity").await;
    assert!(
        html.contains(r#"data-api="/api/ideas/999999" data-status="404">{"error":"not_found"}"#),
        "{html}"
    );

    // A list's query in the one canonical form the app also sends.
    let (_, _, html) = get(
        &site,
        "/ideas?tag=%EA%B8%88%ED%98%95&sort=rising&q=+",
        None,
        "identity",
    )
    .await;
    assert!(
        html.contains(r#"data-api="/api/ideas?sort=rising&amp;tag=%EA%B8%88%ED%98%95""#),
        "{html}"
    );

    // A page whose module turned out empty, and a page only signed-in people have:
    // no pack named; the API's 401 goes with the page.
    let (_, _, html) = get(&site, "/", None, "identity").await;
    assert!(!html.contains(".pack"), "{html}");
    assert!(
        html.contains(r#"data-api="/api/stats" data-status="200""#),
        "{html}"
    );
    let (_, _, html) = get(&site, "/notifications", None, "identity").await;
    assert!(
        html.contains(r#"data-api="/api/notifications" data-status="401""#),
        "{html}"
    );

    // Pages are compressed on the way out.
    let (_, headers, _) = get(&site, "/ideas", None, "br").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let _ = std::fs::remove_dir_all(dir);
}

async fn build_files_and_other_addresses(app: &TestApp) {
    let dir = fixture();
    let site = app.serving(dir.clone());
    // This build's files: precompressed, cached for a year.
    let (status, headers, body) = get(&site, "/b/v1/p/ideas_route.pack", None, "gzip, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "br-pack");
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (_, _, body) = get(&site, "/b/v1/p/ideas_route.pack", None, "identity").await;
    assert_eq!(body, "pack");
    // Another build's files are gone: an old page learns to reload.
    let (status, _, _) = get(&site, "/b/v0/p/ideas_route.pack", None, "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&site, "/b/v1/../site.json", None, "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Root files are revalidated; a missing file is a plain 404.
    let (status, headers, _) = get(&site, "/sw.js", None, "br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let res = site
        .clone()
        .oneshot(
            Request::builder()
                .uri("/sw.js")
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let (status, _, _) = get(&site, "/missing.png", None, "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An address no page has: the shell, so the app can say so, with a 404.
    let (status, _, html) = get(&site, "/nowhere/at/all", None, "identity").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(!html.contains(".pack"), "{html}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Every answer forbids plugins, framing, other origins' windows and the
/// devices a page never needs; API answers (the CSRF token among them) are kept
/// by no cache; over TLS, browsers are told to stay on it.
async fn answers_carry_the_security_headers(app: &TestApp) {
    let site = app.serving(fixture());
    let member = app.firm_member("kim@hanbit.example", "한빛정밀", 12).await;
    for (uri, cookie) in [
        ("/api/auth/me", Some(member.cookie.as_str())),
        ("/ideas", None),
        ("/api/nothing", None),
    ] {
        let (_, h, _) = get(&site, uri, cookie, "identity").await;
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{uri}: {csp}"
        );
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{uri}");
        assert!(
            h["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("geolocation=()"),
            "{uri}"
        );
        assert!(
            h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "{uri}: not over TLS"
        );
        let cache = h
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned());
        if uri.starts_with("/api/") {
            assert_eq!(cache.as_deref(), Some("no-store"), "{uri}");
        } else {
            assert_ne!(
                cache.as_deref(),
                Some("no-store"),
                "{uri}: pages keep their own"
            );
        }
    }
    // A route that says how its answer is cached keeps its say.
    let (_, h, _) = get(&site, "/b/v1/p/ideas_route.pack", None, "br").await;
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let tls = app.configured(|c| c.cookie_secure = true);
    let (_, h, _) = get(&tls, "/api/health", None, "identity").await;
    assert_eq!(h[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}
