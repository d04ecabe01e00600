//! A consortium's member fees and donations (회비·기부금): its CM sets a
//! year's fees by class of member, issues the year's invoices to members
//! without one, records payments, waivers and donations; the ledger adds
//! them up, also as CSV, and each change is in the audit trail. Only its CMs
//! and admins see or change it; bad input changes nothing.

use crate::{both, calls::day, support::*};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(
    a_cm_keeps_the_fees_and_donations_of_a_year,
    the_ledger_refuses_bad_input_and_strangers
);

fn year() -> i32 {
    day(0)[..4].parse().unwrap()
}

fn schedule(due_on: &str) -> Value {
    json!({"due_on": due_on, "rates": [
        {"class": "firm_small", "amount_manwon": 50},
        {"class": "firm_large", "amount_manwon": 300},
        {"class": "university", "amount_manwon": 0}
    ]})
}

async fn university(app: &TestApp, email: &str, name: &str) -> Session {
    app.signup(
        json!({"email": email, "password": PASSWORD, "name": "이교수",
        "organisation": {"mode": "new", "kind": "university", "name": name}}),
    )
    .await
    .unwrap()
}

fn totals(l: &Value) -> [i64; 6] {
    let t = &l["totals"];
    [
        "invoiced_manwon",
        "paid_manwon",
        "waived_manwon",
        "unpaid_manwon",
        "overdue",
        "donations_manwon",
    ]
    .map(|k| t[k].as_i64().unwrap_or(-1))
}

async fn a_cm_keeps_the_fees_and_donations_of_a_year(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app
        .firm_member("cm@ledger.example", "금형지원센터", 591)
        .await;
    let small = app.firm_member("a@ledger.example", "한빛정밀", 592).await;
    let big = app.firm_member("b@ledger.example", "대한중공업", 593).await;
    let univ = university(app, "u@ledger.example", "동남대학교").await;
    let late = app.firm_member("c@ledger.example", "세진메카", 594).await;
    // A firm is charged by its latest employees (500 last year), else its
    // headcount (35).
    app.exec(&format!(
        "INSERT INTO firm_figures (org_id, year, employees, updated_at) VALUES ({}, {}, 500, '2026-01-01T00:00:00Z')",
        big.org(),
        year() - 1
    ))
    .await;
    let c = app
        .consortium(&admin, "자생 금형 클러스터", Some(&cm))
        .await;
    for m in [&small, &big, &univ] {
        app.join(m, c, &cm).await;
    }
    let y = year();
    let ledger = format!("/api/consortia/{c}/ledger?year={y}");
    let invoices = format!("/api/consortia/{c}/ledger/{y}/invoices");
    let (status, l) = app.get(&ledger, Some(&cm)).await;
    assert_eq!(status, StatusCode::OK, "{l}");
    assert!(l["schedule"].is_null() && l["invoices"] == json!([]), "{l}");
    // Nothing is invoiced before the year's fees are set.
    let (status, v) = app.post(&invoices, json!({}), Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(refused(&v)[0].0, "schedule");

    // The fees of the year, due at its end: the university pays none.
    let (status, l) = app
        .call(
            Method::PUT,
            &format!("/api/consortia/{c}/ledger/{y}/schedule"),
            Some(schedule(&format!("{y}-12-31"))),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    assert_eq!(l["to_invoice"], 2, "{l}");
    let (status, l) = app.post(&invoices, json!({}), Some(&cm)).await;
    assert_eq!(status, StatusCode::OK, "{l}");
    let list = l["invoices"].as_array().unwrap();
    let lines: Vec<(&str, &str, i64)> = list
        .iter()
        .map(|i| {
            (
                i["org_name"].as_str().unwrap(),
                i["class"].as_str().unwrap(),
                i["amount_manwon"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("대한중공업", "firm_large", 300),
            ("한빛정밀", "firm_small", 50)
        ]
    );
    assert!(
        list.iter()
            .all(|i| i["overdue"] == false && i["status"] == "issued")
    );
    assert_eq!(totals(&l), [350, 0, 0, 350, 0, 0]);
    // Once their day has passed, unpaid ones are overdue.
    app.exec(&format!(
        "UPDATE fee_invoices SET due_on = '{}-12-31'",
        y - 1
    ))
    .await;
    let (_, l) = app.get(&ledger, Some(&cm)).await;
    assert_eq!(totals(&l), [350, 0, 0, 350, 2, 0], "{l}");
    assert_eq!(l["to_invoice"], 0);
    // Issued again, it reaches only a member that joined since.
    let (_, l) = app.post(&invoices, json!({}), Some(&cm)).await;
    assert_eq!(l["invoices"].as_array().unwrap().len(), 2);
    app.join(&late, c, &cm).await;
    let (_, l) = app.get(&ledger, Some(&cm)).await;
    assert_eq!(l["to_invoice"], 1, "{l}");
    let (_, l) = app.post(&invoices, json!({}), Some(&cm)).await;
    assert_eq!(l["invoices"].as_array().unwrap().len(), 3);
    let id_of = |l: &Value, org: &str| {
        l["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["org_name"] == org)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let settle = |id: i64| format!("/api/consortia/{c}/invoices/{id}");

    // Paid on a day; waived with its reason; a payment needs its day and a
    // waiver its reason.
    let (hanbit, daehan) = (id_of(&l, "한빛정밀"), id_of(&l, "대한중공업"));
    let today = day(0);
    let (status, l) = app
        .call(
            Method::PUT,
            &settle(hanbit),
            Some(json!({"status": "paid", "paid_on": today, "note": "계좌이체"})),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    for (bad, field) in [
        (json!({"status": "paid"}), "paid_on"),
        (json!({"status": "waived", "note": " "}), "note"),
        (json!({"status": "issued", "paid_on": today}), "paid_on"),
    ] {
        let (status, v) = app
            .call(Method::PUT, &settle(daehan), Some(bad), Some(&cm))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(refused(&v)[0].0, field);
    }
    let (_, l) = app
        .call(
            Method::PUT,
            &settle(daehan),
            Some(json!({"status": "waived", "note": "경영 악화로 올해 면제"})),
            Some(&cm),
        )
        .await;
    assert_eq!(totals(&l), [400, 50, 300, 50, 0, 0], "{l}");
    let paid = l["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["org_name"] == "한빛정밀")
        .unwrap()
        .clone();
    assert_eq!(
        (
            paid["status"].as_str(),
            paid["paid_on"].as_str(),
            paid["overdue"].as_bool()
        ),
        (Some("paid"), Some(today.as_str()), Some(false))
    );

    // Donations: this year's in this year's ledger, last year's in last
    // year's.
    let donations = format!("/api/consortia/{c}/donations");
    let (status, l) = app
        .post(
            &donations,
            json!({"donor": "동남기계(주)", "amount_manwon": 1000, "received_on": today, "note": "공동 장비 구입"}),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    assert_eq!(totals(&l)[5], 1000);
    let last = format!("{}-12-31", y - 1);
    let (status, l) = app
        .post(
            &donations,
            json!({"donor": "한빛정밀", "amount_manwon": 200, "received_on": last}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    assert_eq!(
        (l["year"].as_i64(), totals(&l)[5]),
        (Some(i64::from(y - 1)), 200)
    );
    let (_, l) = app.get(&ledger, Some(&admin)).await;
    assert_eq!(totals(&l), [400, 50, 300, 50, 0, 1000], "{l}");

    // As CSV: each invoice, each donation, then the totals (income = fees
    // paid + donations).
    let (status, csv) = app
        .get(
            &format!("/api/consortia/{c}/ledger.csv?year={y}"),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 3 + 1 + 6, "{csv}");
    assert!(
        lines[1].contains("대한중공업") && lines[1].contains("면제"),
        "{csv}"
    );
    assert!(
        lines[4].contains("동남기계(주)") && lines[4].contains(",1000,"),
        "{csv}"
    );
    assert!(
        lines[10].starts_with("수입 합계 (income)") && lines[10].contains(",1050,"),
        "{csv}"
    );

    // A new due day reaches the unpaid invoices only.
    let (status, l) = app
        .call(
            Method::PUT,
            &format!("/api/consortia/{c}/ledger/{y}/schedule"),
            Some(schedule(&format!("{y}-11-30"))),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    let due: Vec<(&str, &str)> = l["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["org_name"].as_str().unwrap(),
                i["due_on"].as_str().unwrap(),
            )
        })
        .collect();
    let before = format!("{}-12-31", y - 1);
    let after = format!("{y}-11-30");
    assert_eq!(
        due,
        [
            ("대한중공업", before.as_str()),
            ("세진메카", after.as_str()),
            ("한빛정밀", before.as_str())
        ]
    );

    // Every change is in the trail.
    let trail = app
        .texts("SELECT action FROM audit_log WHERE action IN ('fee_schedule_set', 'fee_invoiced', 'invoice_settled', 'donation_recorded') ORDER BY id")
        .await;
    assert_eq!(
        trail,
        [
            "fee_schedule_set",
            "fee_invoiced",
            "fee_invoiced",
            "fee_invoiced",
            "invoice_settled",
            "invoice_settled",
            "donation_recorded",
            "donation_recorded",
            "fee_schedule_set"
        ]
    );
}

async fn the_ledger_refuses_bad_input_and_strangers(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app
        .firm_member("cm@books.example", "금형지원센터", 595)
        .await;
    let member = app.firm_member("m@books.example", "한빛정밀", 596).await;
    let c = app
        .consortium(&admin, "자생 금형 클러스터", Some(&cm))
        .await;
    let other = app.consortium(&admin, "다른 클러스터", Some(&cm)).await;
    let other_cm = app
        .firm_member("cm2@books.example", "동남지원센터", 597)
        .await;
    let _third = app
        .consortium(&admin, "세 번째 클러스터", Some(&other_cm))
        .await;
    app.join(&member, c, &cm).await;
    let y = year();
    let end = format!("{y}-12-31");
    let ledger = format!("/api/consortia/{c}/ledger?year={y}");
    // Only its CMs and admins; a consortium there is not is 404.
    assert_eq!(app.get(&ledger, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&ledger, Some(&member)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/consortia/999999/ledger", Some(&admin))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = put(
        app,
        format!("/api/consortia/{c}/ledger/{y}/schedule"),
        schedule(&end),
        &member,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A CM of another consortium neither reads nor writes these books.
    assert_eq!(
        app.get(&ledger, Some(&other_cm)).await.0,
        StatusCode::FORBIDDEN
    );
    for (method, url, body) in [
        (
            Method::PUT,
            format!("/api/consortia/{c}/ledger/{y}/schedule"),
            schedule(&end),
        ),
        (
            Method::POST,
            format!("/api/consortia/{c}/ledger/{y}/invoices"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/consortia/{c}/donations"),
            json!({"donor": "동남기계", "amount_manwon": 10, "received_on": day(0)}),
        ),
    ] {
        let (status, v) = app.call(method, &url, Some(body), Some(&other_cm)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{url}: {v}");
    }
    // Years out of range, a class twice, an amount below zero, a day Moim
    // does not keep, a due day of another year: 422 on the field.
    let (status, v) = app
        .get(&format!("/api/consortia/{c}/ledger?year=1999"), Some(&cm))
        .await;
    assert_eq!(
        (status, refused(&v)[0].0.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "year")
    );
    let (status, v) = put(
        app,
        format!("/api/consortia/{c}/ledger/2101/schedule"),
        schedule(&end),
        &cm,
    )
    .await;
    assert_eq!(
        (status, refused(&v)[0].0.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "year")
    );
    let mut twice = schedule(&end);
    twice["rates"][1]["class"] = json!("firm_small");
    let mut below = schedule(&end);
    below["rates"][0]["amount_manwon"] = json!(-1);
    for (bad, field) in [
        (twice, "rates.1.class"),
        (below, "rates.0.amount_manwon"),
        (schedule("1800-01-01"), "due_on"),
        (schedule(&format!("{}-01-15", y + 1)), "due_on"),
    ] {
        let (status, v) = put(
            app,
            format!("/api/consortia/{c}/ledger/{y}/schedule"),
            bad,
            &cm,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(refused(&v)[0].0, field, "{v}");
    }
    let donations = format!("/api/consortia/{c}/donations");
    for (bad, field) in [
        (
            json!({"donor": "", "amount_manwon": 10, "received_on": day(0)}),
            "donor",
        ),
        (
            json!({"donor": "동남기계", "amount_manwon": 0, "received_on": day(0)}),
            "amount_manwon",
        ),
    ] {
        let (status, v) = app.post(&donations, bad, Some(&cm)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(refused(&v)[0].0, field, "{v}");
    }
    // None of it was kept.
    let (_, l) = app.get(&ledger, Some(&cm)).await;
    assert!(
        l["schedule"].is_null() && l["donations"] == json!([]),
        "{l}"
    );
    // An invoice is settled only through its own consortium.
    app.call(
        Method::PUT,
        &format!("/api/consortia/{c}/ledger/{y}/schedule"),
        Some(schedule(&end)),
        Some(&cm),
    )
    .await;
    let (_, l) = app
        .post(
            &format!("/api/consortia/{c}/ledger/{y}/invoices"),
            json!({}),
            Some(&cm),
        )
        .await;
    let id = l["invoices"][0]["id"].as_i64().unwrap();
    let (status, _) = put(
        app,
        format!("/api/consortia/{other}/invoices/{id}"),
        json!({"status": "paid", "paid_on": day(0)}),
        &cm,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nothing of the refused input was kept.
    let (_, l) = app.get(&ledger, Some(&cm)).await;
    assert_eq!(l["donations"], json!([]), "{l}");
    assert_eq!(l["invoices"][0]["status"], "issued");
    assert_eq!(l["schedule"]["due_on"], end.as_str());
    // An archived consortium's books are read, not written.
    let (status, v) = app
        .post(
            &format!("/api/consortia/{c}/archive"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(app.get(&ledger, Some(&cm)).await.0, StatusCode::OK);
    let (status, v) = put(
        app,
        format!("/api/consortia/{c}/invoices/{id}"),
        json!({"status": "paid", "paid_on": day(0)}),
        &cm,
    )
    .await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("archived")),
        "{v}"
    );
}

async fn put(app: &TestApp, url: String, body: Value, who: &Session) -> (StatusCode, Value) {
    app.call(Method::PUT, &url, Some(body), Some(who)).await
}
