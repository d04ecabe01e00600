//! The KPI cockpit against a fixture whose every figure was counted by hand. The
//! same expectations run on SQLite and PostgreSQL, so the two agree.

use crate::{
    activities::{register, schedule, shift, visit},
    both,
    support::{Session, TestApp},
};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use moim_core::KST;
use moim_server::db::Db;
use serde_json::{Value, json};

both!(cockpit_figures_match_the_hand_count);

/// A value to bind.
pub enum B {
    I(i64),
    N,
    S(&'static str),
    T(DateTime<Utc>),
    D(chrono::NaiveDate),
    /// A null date.
    ND,
}

/// Runs `sql` (which returns one BIGINT) with `binds`.
pub async fn exec(db: &Db, sql: &str, binds: Vec<B>) -> i64 {
    macro_rules! run {
        ($p:expr) => {{
            let mut q = sqlx::query_as::<_, (i64,)>(sql);
            for b in binds {
                q = match b {
                    B::I(v) => q.bind(v),
                    B::N => q.bind(Option::<i64>::None),
                    B::S(v) => q.bind(v),
                    B::T(v) => q.bind(v),
                    B::D(v) => q.bind(v),
                    B::ND => q.bind(Option::<chrono::NaiveDate>::None),
                };
            }
            q.fetch_one($p).await.unwrap().0
        }};
    }
    match db {
        Db::Sqlite(p) => run!(p),
        Db::Postgres(p) => run!(p),
    }
}

async fn problem(
    db: &Db,
    org: i64,
    consortium: i64,
    author: i64,
    status: &'static str,
    posted: DateTime<Utc>,
) -> i64 {
    exec(db, "INSERT INTO problems (org_id, consortium_id, author_id, title, summary, details, keywords, help, budget,
                confidentiality, status, created_at, updated_at, posted_at)
              VALUES ($1, $2, $3, '금형 냉각', '요약', '상세', '', '', '', 'members', $4, $5, $5, $5) RETURNING id",
        vec![B::I(org), B::I(consortium), B::I(author), B::S(status), B::T(posted)]).await
}

async fn proposal(db: &Db, problem: i64, expert: i64, key: &'static str, at: DateTime<Utc>) -> i64 {
    exec(db, "INSERT INTO proposals (problem_id, expert_id, approach, duration_months, cost_manwon, resources, ip_terms,
                status, idempotency_key, created_at) VALUES ($1, $2, '접근', 6, 1000, '', '', 'submitted', $3, $4) RETURNING id",
        vec![B::I(problem), B::I(expert), B::S(key), B::T(at)]).await
}

pub async fn collaboration(
    db: &Db,
    problem: Option<i64>,
    (org, consortium): (i64, i64),
    expert: i64,
    stage: &'static str,
    instrument: Option<&'static str>,
    at: DateTime<Utc>,
) -> i64 {
    exec(db, "INSERT INTO collaborations (problem_id, org_id, consortium_id, expert_id, stage, instrument, created_at, updated_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        vec![problem.map_or(B::N, B::I), B::I(org), B::I(consortium), B::I(expert), B::S(stage),
             instrument.map_or(B::N, B::S), B::T(at)]).await
}

async fn idea(
    db: &Db,
    author: i64,
    consortium: i64,
    stage: &'static str,
    state: &'static str,
    key: &'static str,
    at: DateTime<Utc>,
) -> i64 {
    exec(db, "INSERT INTO ideas (author_id, consortium_id, title, body, tags, stage, state, rising, idempotency_key, created_at)
              VALUES ($1, $2, '공동 구매', '본문', '', $3, $4, 0, $5, $6) RETURNING id",
        vec![B::I(author), B::I(consortium), B::S(stage), B::S(state), B::S(key), B::T(at)]).await
}

async fn kpi(app: &TestApp, s: &Session, query: &str) -> (StatusCode, Value) {
    app.get(&format!("/api/kpi?{query}"), Some(s)).await
}

fn counts(v: &Value) -> Vec<(String, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

async fn cockpit_figures_match_the_hand_count(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@kicox.example", "공단지사", 10).await;
    let cm_b = app.firm_member("cm2@kicox.example", "공단지사2", 11).await;
    let a = app
        .consortium(&admin, "창원 공작기계 미니클러스터", Some(&cm))
        .await;
    let b = app
        .consortium(&admin, "창원 금형 미니클러스터", Some(&cm_b))
        .await;
    // Consortium A: firms 1 and 2 and a university; B: firm 3.
    let f1 = app.firm_member("f1@one.example", "일진정밀", 21).await;
    let f2 = app.firm_member("f2@two.example", "이화금속", 22).await;
    let f3 = app.firm_member("f3@three.example", "삼성기공", 23).await;
    let prof = app
        .expert(
            "prof@univ.example",
            "안교수",
            "창원대학교",
            json!({"fields": ["금형"], "keywords": ["금형"], "equipment": "", "bio": ""}),
        )
        .await;
    for s in [&f1, &f2, &prof] {
        app.join(s, a, &cm).await;
    }
    app.join(&f3, b, &cm_b).await;
    let (db, now) = (&app.db, Utc::now());
    let days = |n: i64| now - Duration::days(n);

    // Problems: P1 (A) first proposal after 2 days, matched; P2 (B) after 4 days,
    // resolved; P3 (A) no proposal; a draft and an old one do not count.
    let p1 = problem(db, f1.org(), a, f1.id(), "matched", days(20)).await;
    proposal(db, p1, prof.id(), "k1", days(18)).await;
    proposal(db, p1, cm.id(), "k2", days(15)).await;
    let p2 = problem(db, f3.org(), b, f3.id(), "matched", days(15)).await;
    proposal(db, p2, prof.id(), "k3", days(11)).await;
    problem(db, f1.org(), a, f1.id(), "open", days(10)).await;
    problem(db, f2.org(), a, f2.id(), "draft", days(9)).await;
    let old = problem(db, f2.org(), a, f2.id(), "matched", days(200)).await;
    // Collaborations: two begun in the period, one long before.
    collaboration(
        db,
        Some(p1),
        (f1.org(), a),
        prof.id(),
        "in_progress",
        Some("joint_rnd"),
        days(14),
    )
    .await;
    collaboration(
        db,
        Some(p2),
        (f3.org(), b),
        prof.id(),
        "completed",
        None,
        days(8),
    )
    .await;
    collaboration(
        db,
        Some(old),
        (f2.org(), a),
        prof.id(),
        "commercialised",
        Some("ip_filing"),
        days(190),
    )
    .await;
    // Ideas: three in the period (one adopted, one became a problem), one deleted.
    idea(db, f1.id(), a, "adopted", "live", "i1", days(12)).await;
    idea(db, f2.id(), a, "problem", "live", "i2", days(11)).await;
    idea(db, f3.id(), b, "new", "live", "i3", days(3)).await;
    idea(db, f3.id(), b, "adopted", "deleted", "i4", days(3)).await;

    // Activities: A1 held with 3 places taken and 2 present; B1 held, 1 and 1;
    // A2 cancelled; A3 still ahead.
    let a1 = schedule(app, &cm, visit(a, 5, Duration::days(2))).await;
    for s in [&f1, &f2, &prof] {
        assert_eq!(register(app, a1, s).await.0, StatusCode::OK);
    }
    let b1 = schedule(app, &cm_b, visit(b, 5, Duration::days(2))).await;
    assert_eq!(register(app, b1, &f3).await.0, StatusCode::OK);
    let a2 = schedule(app, &cm, visit(a, 5, Duration::days(2))).await;
    assert_eq!(register(app, a2, &f1).await.0, StatusCode::OK);
    assert_eq!(
        app.post(
            &format!("/api/activities/{a2}/cancel"),
            json!({}),
            Some(&cm)
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let a3 = schedule(app, &cm, visit(a, 5, Duration::days(2))).await;
    assert_eq!(register(app, a3, &f2).await.0, StatusCode::OK);
    shift(db, a1, days(6)).await;
    shift(db, b1, days(5)).await;
    shift(db, a2, days(4)).await;
    for (act, who, by) in [(a1, &f1, &cm), (a1, &prof, &cm), (b1, &f3, &cm_b)] {
        let uri = format!("/api/activities/{act}/attendees/{}", who.id());
        let (status, body) = app
            .call(Method::PUT, &uri, Some(json!({"attended": true})), Some(by))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let today = now.with_timezone(&KST).date_naive();
    let period = format!("from={}&to={}", today - Duration::days(60), today);

    // The whole programme, for an admin.
    let (status, r) = kpi(app, &admin, &period).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["scope"], "전체 프로그램");
    assert_eq!(
        counts(&r["members_by_kind"]),
        pairs(&[("firm", 3), ("university", 1)])
    );
    assert_eq!(
        (
            r["member_firms"].as_i64(),
            r["firms_collaborating"].as_i64()
        ),
        (Some(3), Some(2))
    );
    assert_eq!(
        counts(&r["collaborations_by_stage"]),
        pairs(&[("completed", 1), ("in_progress", 1)])
    );
    let mut by_instrument = counts(&r["collaborations_by_instrument"]);
    by_instrument.sort();
    assert_eq!(by_instrument, pairs(&[("joint_rnd", 1), ("none", 1)]));
    let problems = (
        r["problems_posted"].as_i64(),
        r["problems_matched"].as_i64(),
        r["problems_resolved"].as_i64(),
    );
    assert_eq!(problems, (Some(3), Some(2), Some(1)));
    assert_eq!(r["median_days_to_proposal"], 3.0);
    let acts = (
        r["activities_held"].as_i64(),
        r["registrations"].as_i64(),
        r["attended"].as_i64(),
    );
    assert_eq!(acts, (Some(2), Some(4), Some(3)));
    assert_eq!(
        (r["ideas_posted"].as_i64(), r["ideas_adopted"].as_i64()),
        (Some(3), Some(2))
    );
    let months = r["months"].as_array().unwrap();
    let total = |k: &str| months.iter().map(|m| m[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(
        (
            total("activities"),
            total("attended"),
            total("problems"),
            total("collaborations"),
            total("ideas")
        ),
        (2, 3, 3, 2, 3)
    );

    // Consortium A, for its CM: its own share of the same records.
    let (status, r) = kpi(app, &cm, &period).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        counts(&r["members_by_kind"]),
        pairs(&[("firm", 2), ("university", 1)])
    );
    assert_eq!(
        (
            r["member_firms"].as_i64(),
            r["firms_collaborating"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        (
            r["problems_posted"].as_i64(),
            r["problems_matched"].as_i64(),
            r["problems_resolved"].as_i64()
        ),
        (Some(2), Some(1), Some(0))
    );
    assert_eq!(r["median_days_to_proposal"], 2.0);
    assert_eq!(
        (
            r["activities_held"].as_i64(),
            r["registrations"].as_i64(),
            r["attended"].as_i64()
        ),
        (Some(1), Some(3), Some(2))
    );
    assert_eq!(
        (r["ideas_posted"].as_i64(), r["ideas_adopted"].as_i64()),
        (Some(2), Some(2))
    );

    // CSV: a BOM, Korean headers, the attendance rate.
    let (status, csv) = app
        .get(
            &format!("/api/kpi/csv?table=summary&{period}"),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM first");
    assert!(csv.contains("참석률 % (attendance rate),75"), "{csv}");
    let (_, months_csv) = app
        .get(&format!("/api/kpi/csv?table=months&{period}"), Some(&admin))
        .await;
    assert!(months_csv.as_str().unwrap().lines().count() >= 3);
    // Every table exports for every scope (an id in the address is read as a
    // number, not refused as text).
    let (_, detail) = app.get(&format!("/api/consortia/{a}"), Some(&admin)).await;
    let complex = detail["summary"]["complex_id"].as_i64().unwrap();
    for scope in [
        format!("consortium={a}&"),
        format!("complex={complex}&"),
        "region=dongnam&".to_owned(),
        String::new(),
    ] {
        for table in ["summary", "members", "collaborations", "months", "money"] {
            let (status, csv) = app
                .get(
                    &format!("/api/kpi/csv?table={table}&{scope}{period}"),
                    Some(&admin),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{table} {scope}: {csv}");
            assert!(csv.as_str().unwrap().starts_with('\u{feff}'));
        }
    }

    // Only managers and admins; a CM only for their own consortia.
    assert_eq!(
        kpi(app, &cm, &format!("consortium={b}&{period}")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kpi(app, &cm, &format!("region=dongnam&{period}")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(kpi(app, &f1, &period).await.0, StatusCode::FORBIDDEN);
    let (status, r) = kpi(app, &admin, &format!("consortium={b}&{period}")).await;
    assert_eq!(
        (status, r["activities_held"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    // A period within one month (one bucket of the monthly series) and a
    // single day are answered too.
    for q in [
        "from=2026-03-02&to=2026-03-30",
        "from=2026-03-05&to=2026-03-05",
    ] {
        let (status, r) = kpi(app, &admin, q).await;
        assert_eq!(
            (status, r["months"].as_array().map(Vec::len)),
            (StatusCode::OK, Some(1)),
            "{q}: {r}"
        );
    }
    // Bad periods and scopes are named.
    let (status, e) = kpi(
        app,
        &admin,
        &format!("from={today}&to={}", today - Duration::days(1)),
    )
    .await;
    assert_eq!(
        (status, e["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("to"))
    );
    assert_eq!(
        kpi(app, &admin, &format!("region=atlantis&{period}"))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        kpi(app, &admin, "from=2026-13-01&to=2026-12-01").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(
            &format!("/api/kpi/csv?table=secrets&{period}"),
            Some(&admin)
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
}
