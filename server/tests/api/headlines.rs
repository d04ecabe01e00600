//! The headline numbers against a fixture modelled on the programme's record:
//! firms in two consortia with a baseline year and the current year,
//! cooperation recorded in Moim and declared for the year, R&D figures,
//! certifications, and industry averages uploaded from a file. Every figure
//! below was counted by hand; the same expectations run on SQLite and
//! PostgreSQL. Then what a CM may see (n < 5 withheld) and the upload's
//! checks.

use crate::{
    both,
    cockpit::{B, collaboration, exec},
    support::{Session, TestApp, error, refused},
};
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use moim_server::db::kpi::kst_midnight;
use serde_json::{Value, json};

both!(
    headline_numbers_match_the_hand_count,
    industry_averages_are_checked_line_by_line,
    the_sample_portal_shows_its_results
);

fn this_year() -> i32 {
    (Utc::now() + chrono::Duration::hours(9)).year()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    kst_midnight(day(y, m, d)) + chrono::Duration::hours(2)
}

/// A firm of `employees` (registered headcount) in KSIC `ksic`.
async fn firm(
    app: &TestApp,
    name: &'static str,
    headcount: i64,
    ksic: Option<&'static str>,
) -> i64 {
    exec(
        &app.db,
        "INSERT INTO organisations (kind, name, headcount, ksic, created_at) VALUES ('firm', $1, $2, $3, $4) RETURNING id",
        vec![B::S(name), B::I(headcount), ksic.map_or(B::N, B::S), B::T(at(2000, 1, 1))],
    )
    .await
}

async fn member(app: &TestApp, consortium: i64, org: i64, joined: DateTime<Utc>) {
    exec(
        &app.db,
        "INSERT INTO memberships (consortium_id, org_id, joined_at) VALUES ($1, $2, $3) RETURNING org_id",
        vec![B::I(consortium), B::I(org), B::T(joined)],
    )
    .await;
}

/// A year's figures: sales, exports, R&D (백만원), employees, declared projects.
async fn figures(
    app: &TestApp,
    org: i64,
    year: i32,
    (sales, exports, rnd, employees, coop): (i64, i64, Option<i64>, i64, Option<i64>),
) {
    exec(
        &app.db,
        "INSERT INTO firm_figures (org_id, year, sales, exports, rnd_spending, employees, coop_projects, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING org_id",
        vec![
            B::I(org),
            B::I(i64::from(year)),
            B::I(sales),
            B::I(exports),
            rnd.map_or(B::N, B::I),
            B::I(employees),
            coop.map_or(B::N, B::I),
            B::T(Utc::now()),
        ],
    )
    .await;
}

async fn certified(
    app: &TestApp,
    org: i64,
    kind: &'static str,
    on: NaiveDate,
    until: Option<NaiveDate>,
) {
    exec(
        &app.db,
        "INSERT INTO firm_certifications (org_id, kind, certified_on, expires_on) VALUES ($1, $2, $3, $4) RETURNING org_id",
        vec![B::I(org), B::S(kind), B::D(on), until.map_or(B::ND, B::D)],
    )
    .await;
}

async fn upload(app: &TestApp, admin: &Session, file: &str, dry: bool) -> (StatusCode, Value) {
    app.upload(
        &format!("/api/kpi/industry-averages?dry_run={dry}"),
        "업종평균.csv",
        file.as_bytes(),
        admin,
    )
    .await
}

async fn headlines(app: &TestApp, s: &Session, query: &str) -> Value {
    let (status, body) = app
        .get(&format!("/api/kpi/headlines?{query}"), Some(s))
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

/// A figure's value and the firms behind it.
fn v(stat: &Value) -> (Option<f64>, i64) {
    (stat["value"].as_f64(), stat["n"].as_i64().unwrap())
}

async fn headline_numbers_match_the_hand_count(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@headline.example", "공단지사", 41).await;
    let cm_b = app
        .firm_member("cm-b@headline.example", "공단지사2", 42)
        .await;
    let outsider = app
        .firm_member("out@headline.example", "남남정밀", 43)
        .await;
    let expert = app
        .expert(
            "prof@headline.example",
            "김교수",
            "창원대학교",
            json!({"fields": ["금형"], "keywords": ["금형"], "equipment": "", "bio": "금형"}),
        )
        .await;
    let a = app.consortium(&admin, "가 협의체", Some(&cm)).await;
    let b = app.consortium(&admin, "나 협의체", Some(&cm_b)).await;
    let (now, base) = (this_year(), this_year() - 1);

    // Eight firms: F1–F6 in 가, F5–F7 and F8 in 나 (F8 only from this year,
    // but counted in both years: the same firms are compared).
    let f1 = firm(app, "F1 정밀", 10, Some("29")).await;
    let f2 = firm(app, "F2 기계", 20, Some("29")).await;
    let f3 = firm(app, "F3 금형", 30, Some("29")).await;
    let f4 = firm(app, "F4 소재", 40, Some("29")).await;
    let f5 = firm(app, "F5 전자", 100, Some("30")).await;
    let f6 = firm(app, "F6 부품", 200, Some("30")).await;
    let f7 = firm(app, "F7 중공업", 400, Some("30")).await;
    let f8 = firm(app, "F8 신생", 25, None).await;
    for f in [f1, f2, f3, f4, f5, f6] {
        member(app, a, f, at(base, 3, 1)).await;
    }
    for f in [f5, f6, f7] {
        member(app, b, f, at(base, 3, 1)).await;
    }
    member(app, b, f8, at(now, 1, 1)).await;

    // (sales, exports, R&D, employees, declared cooperation projects)
    let baseline = [
        (f1, (800, 100, Some(40), 9, None)),
        (f2, (2_000, 0, Some(80), 18, Some(1))),
        (f3, (2_500, 250, Some(100), 30, None)),
        (f4, (4_000, 400, Some(100), 35, None)),
        (f5, (8_000, 1_500, Some(400), 90, None)),
        (f6, (20_000, 4_000, Some(900), 210, None)),
        (f7, (40_000, 8_000, Some(1_500), 380, None)),
    ];
    let current = [
        (f1, (1_000, 100, Some(50), 10, Some(0))),
        (f2, (2_000, 0, Some(100), 20, Some(2))),
        (f3, (3_000, 300, Some(150), 30, None)),
        (f4, (4_000, 400, None, 40, None)),
        (f5, (10_000, 2_000, Some(500), 100, Some(1))),
        (f6, (20_000, 5_000, Some(1_000), 200, None)),
        (f7, (50_000, 10_000, Some(2_000), 400, None)),
    ];
    for (f, v) in baseline {
        figures(app, f, base, v).await;
    }
    for (f, v) in current {
        figures(app, f, now, v).await;
    }
    // Cooperation recorded in Moim: F3 last year, F1 once and F5 twice this year.
    let e = expert.id();
    collaboration(
        &app.db,
        None,
        (f3, a),
        e,
        "completed",
        None,
        at(base, 6, 15),
    )
    .await;
    collaboration(
        &app.db,
        None,
        (f1, a),
        e,
        "in_progress",
        None,
        at(now, 1, 1),
    )
    .await;
    collaboration(&app.db, None, (f5, b), e, "matched", None, at(now, 1, 1)).await;
    collaboration(&app.db, None, (f5, a), e, "matched", None, at(now, 1, 1)).await;
    // Innovative SMEs: F2 throughout; F6's lapsed in the middle of last
    // year; F4 and F5 certified this year; F7's research institute is not one.
    certified(app, f2, "innobiz", day(base - 3, 5, 1), None).await;
    certified(
        app,
        f6,
        "mainbiz",
        day(base - 3, 1, 1),
        Some(day(base, 6, 30)),
    )
    .await;
    certified(app, f4, "innobiz", day(now, 1, 1), None).await;
    certified(app, f5, "venture", day(now, 1, 1), Some(day(now + 2, 1, 1))).await;
    certified(app, f7, "rnd_lab", day(base - 5, 1, 1), None).await;

    let file = format!(
        "산업분류,연도,매출증가율,수출증가율,고용증가율\n29,{now},4.0,2.0,1.0\n30,{now},10%,\"5,0\",−2\n29,{base},3,,\n"
    );
    let (status, report) = upload(app, &admin, &file, false).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["problems"], json!([]), "{report}");
    assert_eq!(
        (report["imported"].clone(), report["rows"].clone()),
        (json!(true), json!(3))
    );
    assert_eq!(report["years"], json!([base, now]));

    // The whole programme, as the admin sees it.
    let h = headlines(app, &admin, &format!("baseline={base}&current={now}")).await;
    assert_eq!(h["suppress_below"], Value::Null);
    let (b0, c0) = (&h["total"]["baseline"], &h["total"]["current"]);
    assert_eq!(
        (b0["firms"].clone(), c0["firms"].clone()),
        (json!(8), json!(8))
    );
    // Cooperating: last year F2 (declared) and F3 (Moim) of the 8; this year
    // F1, F2 and F5. Projects 2 / 8 and (1 + 2 + 2 + 1) / 8.
    assert_eq!(v(&b0["cooperating"]), (Some(2.0), 8));
    assert_eq!(v(&b0["cooperation_share"]), (Some(25.0), 8));
    assert_eq!(v(&b0["projects_per_firm"]), (Some(0.25), 8));
    assert_eq!(v(&c0["cooperation_share"]), (Some(37.5), 8));
    assert_eq!(v(&c0["projects_per_firm"]), (Some(0.75), 8));
    // R&D: 3120 / 7 and its median 100; this year 3800 / 6 and (150 + 500) / 2.
    assert_eq!(v(&b0["rnd_mean"]), (Some(445.7), 7));
    assert_eq!(v(&b0["rnd_median"]), (Some(100.0), 7));
    assert_eq!(v(&c0["rnd_mean"]), (Some(633.3), 6));
    assert_eq!(v(&c0["rnd_median"]), (Some(325.0), 6));
    assert_eq!(v(&b0["innovative"]), (Some(1.0), 8));
    assert_eq!(v(&c0["innovative"]), (Some(3.0), 8));
    // Growth this year: sales 90000 / 77300 − 1; exports (F2 had none) 17800
    // / 14250 − 1; employees 800 / 772 − 1. Their industries: (4×4 + 3×10) /
    // 7, (3×2 + 3×5) / 6, (4×1 − 3×2) / 7.
    assert_eq!(v(&c0["sales_growth"]["members"]), (Some(16.4), 7));
    assert_eq!(v(&c0["sales_growth"]["industry"]), (Some(6.6), 7));
    assert_eq!(v(&c0["exports_growth"]["members"]), (Some(24.9), 6));
    assert_eq!(v(&c0["exports_growth"]["industry"]), (Some(3.5), 6));
    assert_eq!(v(&c0["employees_growth"]["members"]), (Some(3.6), 7));
    assert_eq!(v(&c0["employees_growth"]["industry"]), (Some(-0.3), 7));
    // Last year has no year before it to grow from.
    assert_eq!(v(&b0["sales_growth"]["members"]), (None, 0));

    // By size band this year: F1–F4 and F8 (25 registered) small, F5 and F6
    // medium, F7 large; last year by last year's people (F8 by its headcount).
    let bands: Vec<(String, i64, i64)> = h["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["size_band"].as_str().unwrap().to_owned(),
                r["baseline"]["firms"].as_i64().unwrap(),
                r["current"]["firms"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        bands,
        [
            ("small".into(), 5, 5),
            ("medium".into(), 2, 2),
            ("large".into(), 1, 1)
        ]
    );
    assert_eq!(
        v(&h["bands"][0]["current"]["cooperation_share"]),
        (Some(40.0), 5)
    );
    // By consortium: 가 has F1–F6, 나 F5–F7 and F8 this year.
    let by: Vec<(String, i64)> = h["consortia"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_owned(),
                r["current"]["firms"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by, [("가 협의체".into(), 6), ("나 협의체".into(), 4)]);
    assert_eq!(
        v(&h["consortia"][1]["baseline"]["innovative"]),
        (Some(0.0), 4)
    );

    // One industry only.
    let h29 = headlines(
        app,
        &admin,
        &format!("baseline={base}&current={now}&ksic=29"),
    )
    .await;
    assert_eq!(h29["total"]["current"]["firms"], 4);
    assert_eq!(
        v(&h29["total"]["current"]["sales_growth"]["members"]),
        (Some(7.5), 4)
    );

    // Every scope an admin has: a consortium, the complex both are in; and
    // each table's CSV for a consortium and a complex (numbers in a query
    // that the cockpit's CSV once refused).
    for (scope, firms, consortia) in [
        (format!("consortium={b}"), 4, 1),
        ("complex=1".to_owned(), 8, 2),
    ] {
        let h = headlines(
            app,
            &admin,
            &format!("{scope}&baseline={base}&current={now}"),
        )
        .await;
        assert_eq!(h["total"]["current"]["firms"], firms, "{scope}");
        assert_eq!(
            h["consortia"].as_array().unwrap().len(),
            consortia,
            "{scope}"
        );
    }
    let share = "협력 참여율 % (share cooperating)";
    for (table, scope, row) in [
        (
            "consortia",
            format!("consortium={a}"),
            format!("가 협의체,{share},33.3,6,50,6"),
        ),
        (
            "consortia",
            "complex=1".to_owned(),
            format!("가 협의체,{share},33.3,6,50,6"),
        ),
        (
            "bands",
            format!("consortium={a}"),
            format!("전체 (all),{share},33.3,6,50,6"),
        ),
        (
            "bands",
            "complex=1".to_owned(),
            format!("전체 (all),{share},25,8,37.5,8"),
        ),
    ] {
        let (status, csv) = app
            .get(
                &format!(
                    "/api/kpi/headlines/csv?table={table}&{scope}&baseline={base}&current={now}"
                ),
                Some(&admin),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{table} {scope}: {csv}");
        let csv = csv.as_str().unwrap();
        assert!(csv.contains(&row), "{table} {scope}: {csv}");
    }

    // The CM of 가 sees their consortium's six firms: figures on five or more
    // are shown, smaller groups withheld.
    let mine = headlines(app, &cm, &format!("baseline={base}&current={now}")).await;
    assert_eq!(mine["suppress_below"], 5);
    let c = &mine["total"]["current"];
    assert_eq!(c["firms"], 6);
    assert_eq!(v(&c["cooperation_share"]), (Some(50.0), 6));
    assert_eq!(v(&c["rnd_mean"]), (Some(360.0), 5));
    assert_eq!(v(&c["rnd_median"]), (Some(150.0), 5));
    assert_eq!(v(&c["sales_growth"]["members"]), (Some(7.2), 6));
    assert_eq!(v(&c["sales_growth"]["industry"]), (Some(6.0), 6));
    assert_eq!(v(&c["exports_growth"]["members"]), (Some(24.8), 5));
    assert_eq!(v(&c["employees_growth"]["members"]), (Some(2.0), 6));
    assert_eq!(v(&mine["total"]["baseline"]["rnd_mean"]), (Some(270.0), 6));
    // Four small firms this year: withheld, and said so.
    let small = &mine["bands"][0]["current"]["rnd_mean"];
    assert_eq!(
        (
            small["hidden"].clone(),
            small["value"].clone(),
            small["n"].clone()
        ),
        (json!(true), Value::Null, json!(3))
    );
    assert_eq!(
        mine["bands"][1]["current"]["cooperation_share"]["hidden"],
        true
    );
    assert_eq!(mine["consortia"].as_array().unwrap().len(), 1);
    // One industry is the agency's split: beside the view above it would
    // give the other industries' few firms away.
    let (status, body) = app
        .get(
            &format!("/api/kpi/headlines?baseline={base}&current={now}&ksic=29"),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, csv) = app
        .get(
            &format!("/api/kpi/headlines/csv?table=bands&baseline={base}&current={now}"),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    assert!(
        csv.contains(
            "소기업 (50명 이하),\"기업당 연구개발비 평균 백만원 (R&D per firm, mean)\",n < 5,4,n < 5,3"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("전체 (all),협력 참여율 % (share cooperating),33.3,6,50,6"),
        "{csv}"
    );

    // Not another consortium, not the programme's regions; not a firm that
    // manages nothing.
    let (status, _) = app
        .get(
            &format!("/api/kpi/headlines?consortium={b}&baseline={base}&current={now}"),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .get(
            &format!("/api/kpi/headlines?region=dongnam&baseline={base}&current={now}"),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .get(
            &format!("/api/kpi/headlines?baseline={base}&current={now}"),
            Some(&outsider),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let theirs = headlines(
        app,
        &cm_b,
        &format!("consortium={b}&baseline={base}&current={now}"),
    )
    .await;
    assert_eq!(theirs["total"]["current"]["firms"], 4);
    assert_eq!(
        theirs["total"]["current"]["cooperation_share"]["hidden"],
        true
    );

    // The records behind each figure: exactly the firms it counts, the
    // largest part first, for the admin and for a CM of their consortia.
    let firms_of = |who: &Session, query: String| {
        let path = format!("/api/kpi/headlines/firms?baseline={base}&current={now}&{query}");
        let who = who.clone();
        async move {
            let (status, body) = app.get(&path, Some(&who)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            let names: Vec<String> = body["firms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["name"].as_str().unwrap().to_owned())
                .collect();
            (body, names)
        }
    };
    let (body, names) = firms_of(&admin, "figure=cooperation".into()).await;
    assert_eq!(body["total"], 8, "{body}");
    // F5: two in Moim and one declared; F2 two declared; F1 one in Moim; then
    // F3 (last year's); the rest in the order they joined.
    assert_eq!(
        names,
        [
            "F5 전자",
            "F2 기계",
            "F1 정밀",
            "F3 금형",
            "F4 소재",
            "F6 부품",
            "F7 중공업",
            "F8 신생"
        ]
    );
    let f5_part = &body["firms"][0]["current"];
    assert_eq!(
        (
            f5_part["collaborations"].clone(),
            f5_part["coop_projects"].clone()
        ),
        (json!(2), json!(1))
    );
    assert_eq!(body["firms"][0]["org_id"], f5);
    assert_eq!(body["firms"][0]["size_band"], "medium");
    let cooperating = |body: &Value, year: &str| {
        body["firms"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                let p = &f[year];
                p["collaborations"].as_i64().unwrap() > 0
                    || p["coop_projects"].as_i64().is_some_and(|n| n > 0)
            })
            .count()
    };
    assert_eq!(
        (
            cooperating(&body, "baseline"),
            cooperating(&body, "current")
        ),
        (2, 3)
    );
    // R&D: the seven that report it in either year, the most first.
    let (body, names) = firms_of(&admin, "figure=rnd".into()).await;
    assert_eq!(body["total"], 7);
    assert_eq!(names[..3], ["F7 중공업", "F6 부품", "F5 전자"]);
    assert!(!names.contains(&"F8 신생".to_owned()));
    // Innovative SMEs rest on every firm: those certified at a year's end
    // first (F2 both years, then F4 and F5 this year).
    let (body, names) = firms_of(&admin, "figure=innovative".into()).await;
    assert_eq!(body["total"], 8);
    assert_eq!(names[..3], ["F2 기계", "F4 소재", "F5 전자"]);
    // Sales growth: the seven with both years' sales; the three that grew
    // 25 % first.
    let (body, names) = firms_of(&admin, "figure=sales".into()).await;
    assert_eq!(body["total"], 7);
    assert_eq!(names[..3], ["F1 정밀", "F5 전자", "F7 중공업"]);
    // One size band; a page past the end is empty but says how many.
    let (body, names) = firms_of(&admin, "figure=cooperation&band=small".into()).await;
    assert_eq!(body["total"], 5);
    assert_eq!(
        names,
        ["F2 기계", "F1 정밀", "F3 금형", "F4 소재", "F8 신생"]
    );
    let (body, names) = firms_of(&admin, "page=2".into()).await;
    assert_eq!((body["total"].clone(), names.len()), (json!(8), 0));
    // Each year's list holds as many firms as its figure says it rests on,
    // for the whole group and each size band (by that year's people).
    let stats = [
        ("cooperation", "/cooperation_share/n"),
        ("rnd", "/rnd_mean/n"),
        ("innovative", "/innovative/n"),
        ("sales", "/sales_growth/members/n"),
        ("exports", "/exports_growth/members/n"),
        ("employees", "/employees_growth/members/n"),
    ];
    let groups = std::iter::once((String::new(), h["total"].clone())).chain(
        h["bands"].as_array().unwrap().iter().map(|r| {
            (
                format!("&band={}", r["size_band"].as_str().unwrap()),
                r.clone(),
            )
        }),
    );
    for (band, row) in groups {
        for (figure, n) in stats {
            for (year, part) in [(base, "baseline"), (now, "current")] {
                let expected = row[part].pointer(n).unwrap().as_i64().unwrap();
                let (body, _) =
                    firms_of(&admin, format!("figure={figure}&year={year}{band}")).await;
                assert_eq!(body["total"], expected, "{figure} {year}{band}");
            }
        }
    }
    // The baseline's R&D list: seven firms, last year's largest first.
    let (body, names) = firms_of(&admin, format!("figure=rnd&year={base}")).await;
    assert_eq!(body["total"], 7);
    assert_eq!(names[0], "F7 중공업");
    let (status, body) = app
        .get(
            &format!(
                "/api/kpi/headlines/firms?baseline={base}&current={now}&year={}",
                base - 1
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].0, "year");
    // The CM of 가: its six firms, whose figures the CM reads anyway; not
    // those of 나, and nothing for a firm that manages nothing.
    let (body, _) = firms_of(&cm, "figure=cooperation".into()).await;
    assert_eq!(body["total"], 6);
    assert_eq!(body["scope"], "내 협의체");
    for (who, query) in [
        (&cm, format!("consortium={b}")),
        (&cm, "ksic=29".to_owned()),
        (&outsider, String::new()),
    ] {
        let (status, body) = app
            .get(
                &format!("/api/kpi/headlines/firms?baseline={base}&current={now}&{query}"),
                Some(who),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{query}: {body}");
    }
    let (status, body) = app
        .get(
            &format!("/api/kpi/headlines/firms?baseline={base}&current={now}&page=0"),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].0, "page");

    // Years the wrong way round, too far apart, or to come.
    for (query, field) in [
        (format!("baseline={now}&current={base}"), "current"),
        (format!("baseline=1990&current={now}"), "baseline"),
        (format!("baseline={base}&current={}", now + 1), "current"),
        (format!("baseline={base}&current={now}&ksic=x"), "ksic"),
    ] {
        let (status, body) = app
            .get(&format!("/api/kpi/headlines?{query}"), Some(&admin))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(refused(&body)[0].0, field, "{query}: {body}");
    }
}

async fn industry_averages_are_checked_line_by_line(app: &TestApp) {
    let admin = app.admin().await;
    let member = app.firm_member("m@averages.example", "평균정밀", 44).await;
    let (now, base) = (this_year(), this_year() - 1);
    let good = format!("ksic,year,sales_growth\n29,{base},3.1\n30,{base},2.2\n29,{now},4.0\n");
    let (status, report) = upload(app, &admin, &good, false).await;
    assert_eq!(
        (status, report["imported"].clone()),
        (StatusCode::OK, json!(true)),
        "{report}"
    );

    // Every problem by line and column; nothing written, not even the good rows.
    let bad = format!(
        "산업분류,연도,매출증가율,수출증가율\n2x,{now},1,1\n31,{},1,1\n31,{now},많이,1\n31,{now},-150,1\n32,{now},1,1\n32,{now},2,2\n,{now},1,\n",
        now + 1
    );
    let (status, report) = upload(app, &admin, &bad, false).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], false);
    let problems: Vec<(i64, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
                p["issue"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (2, "산업분류", "invalid_ksic"),
        (3, "연도", "out_of_range"),
        (4, "매출증가율", "not_a_number"),
        (5, "매출증가율", "out_of_range"),
        (7, "산업분류", "duplicate_row"),
        (8, "산업분류", "required"),
    ];
    let want: Vec<(i64, String, String)> = want
        .iter()
        .map(|(l, c, i)| (*l, (*c).to_owned(), (*i).to_owned()))
        .collect();
    assert_eq!(problems, want);
    let (_, kept) = app.get("/api/kpi/industry-averages", Some(&admin)).await;
    assert_eq!(kept["averages"].as_array().unwrap().len(), 3, "{kept}");

    // A header it does not know, a file it cannot read.
    let (_, report) = upload(app, &admin, "ksic,year,profit\n29,2020,1\n", false).await;
    assert_eq!(report["problems"][0]["issue"], "unknown_column", "{report}");
    let (_, report) = upload(app, &admin, "ksic,year\n", false).await;
    assert_eq!(report["problems"][0]["issue"], "empty", "{report}");

    // A dry run writes nothing; a file of this year replaces this year only.
    let (_, report) = upload(
        app,
        &admin,
        &format!("ksic,year,sales_growth\n31,{now},9\n"),
        true,
    )
    .await;
    assert_eq!(
        (report["imported"].clone(), report["problems"].clone()),
        (json!(false), json!([]))
    );
    let (_, report) = upload(
        app,
        &admin,
        &format!("ksic,year,sales_growth\n31,{now},9\n"),
        false,
    )
    .await;
    assert_eq!(report["imported"], true);
    let (status, kept) = app.get("/api/kpi/industry-averages", Some(&member)).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, i64, Option<f64>)> = kept["averages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ksic"].as_str().unwrap().to_owned(),
                r["year"].as_i64().unwrap(),
                r["sales_growth"].as_f64(),
            )
        })
        .collect();
    let (now, base) = (i64::from(now), i64::from(base));
    assert_eq!(
        rows,
        [
            ("31".into(), now, Some(9.0)),
            ("29".into(), base, Some(3.1)),
            ("30".into(), base, Some(2.2)),
        ]
    );

    // Only an admin uploads; a form without its file is refused.
    let (status, body) = upload(app, &member, &good, false).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .multipart(
            "/api/kpi/industry-averages?dry_run=false",
            &[("other", None, b"x")],
            &admin,
        )
        .await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        "{body}"
    );
}

/// The sample portal loads on both databases, and its headline numbers show
/// something: last year against the year before, for the whole programme.
async fn the_sample_portal_shows_its_results(app: &TestApp) {
    moim_server::seed::demo(&app.db).await.unwrap();
    let current = this_year() - 1;
    let h = moim_server::db::headlines::headlines(
        &app.db,
        &None,
        String::new(),
        None,
        current - 1,
        current,
    )
    .await
    .unwrap();
    let (b, c) = (&h.total.baseline, &h.total.current);
    assert_eq!((b.firms, c.firms), (15, 15));
    assert_eq!(b.cooperation_share.value, Some(33.3));
    assert_eq!(c.cooperation_share.value, Some(80.0));
    assert!(c.rnd_mean.value > b.rnd_mean.value);
    assert!(c.innovative.value > b.innovative.value);
    assert!(c.sales_growth.members.value > c.sales_growth.industry.value);
    assert_eq!(c.sales_growth.industry.n, 15);
    // The cockpit's own figure of the last twelve months: firms collaborating.
    let today = (Utc::now() + chrono::Duration::hours(9)).date_naive();
    let r = moim_server::db::kpi::report(
        &app.db,
        &None,
        String::new(),
        today - chrono::Duration::days(365),
        today,
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(r.firms_collaborating >= 5, "{}", r.firms_collaborating);
    // The sample 수출상담회 ten days ago: three firms and three buyers who came
    // as guests, three meetings held and a no-show, a contract signed on site
    // (USD 120,000 at 1,380 won) and one in progress (USD 80,000).
    let m = &r.matchmaking;
    assert_eq!((m.events, m.participants), (1, 6), "{m:?}");
    let o = &m.outcomes;
    assert_eq!((o.held, o.no_show, o.negotiating), (3, 1, 1), "{o:?}");
    assert_eq!(
        (o.signed.count, o.signed.krw, o.signed_on_site),
        (1, Some(165_600_000), 1)
    );
    assert_eq!(
        (o.in_progress.count, o.in_progress.krw),
        (1, Some(110_400_000))
    );
    let countries: Vec<&str> = m.by_country.iter().map(|g| g.key.as_str()).collect();
    assert!(
        ["US", "VN"].iter().all(|c| countries.contains(c)),
        "{countries:?}"
    );
    // Loading it again changes nothing.
    moim_server::seed::demo(&app.db).await.unwrap();
}
