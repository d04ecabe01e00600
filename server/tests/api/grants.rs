//! The money of a selected application (협약·지급): once the results are
//! announced the call's admin records its agreement — the grant as decided,
//! the milestones as planned — and the payments against its milestones, never
//! beyond the grant; the team reads them; the call's totals count them.

use crate::{
    both,
    calls::{call, day, decide_each, draft, into_evaluation, regions, submitted},
    support::*,
};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(
    the_admin_records_the_agreement_and_the_payments_within_the_grant,
    a_supported_problem_shows_its_selection_and_its_money
);

fn conflict(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

async fn put(app: &TestApp, url: &str, body: Value, who: &Session) -> (StatusCode, Value) {
    app.call(Method::PUT, url, Some(body), Some(who)).await
}

fn pay(amount: i64, on: &str) -> Value {
    json!({"paid_manwon": amount, "paid_on": on})
}

async fn the_admin_records_the_agreement_and_the_payments_within_the_grant(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead = app.firm_member("lead@grant.example", "한빛정밀", 571).await;
    let partner = app.firm_member("p@grant.example", "세진메카", 572).await;
    let reserve = app.firm_member("r@grant.example", "남동몰드", 573).await;
    let outsider = app.firm_member("x@grant.example", "반월화학", 574).await;
    let mut open = call(&region);
    open["rules"] = json!({});
    open["budget_manwon"] = json!(5000);
    let (_, c) = app.post("/api/calls", open, Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    // A milestone's day outside the years Moim keeps is refused on it
    // (PostgreSQL could not keep it as a date once agreed).
    let (_, a) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": "과제"}),
            Some(&outsider),
        )
        .await;
    let mut far = draft(&[], true);
    far["milestones"][1]["due_on"] = json!("1800-01-01");
    let (status, v) = app
        .call(
            Method::PUT,
            &format!("/api/applications/{}", a["id"]),
            Some(far),
            Some(&outsider),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(refused(&v)[0].0, "milestones.1.due_on");
    let urls = [
        submitted(app, cid, &lead, &[(&partner, 100, true)]).await,
        submitted(app, cid, &reserve, &[]).await,
    ];
    into_evaluation(app, cid).await;
    decide_each(
        app,
        &admin,
        &[
            (
                urls[0].as_str(),
                json!({"decision": "selected", "grant_manwon": 3000, "reason": "우수"}),
            ),
            (
                urls[1].as_str(),
                json!({"decision": "reserve", "reason": "예비"}),
            ),
        ],
    )
    .await;
    let agree = format!("{}/grant", urls[0]);
    let payment = |n: i64| format!("{}/milestones/{n}/payment", urls[0]);
    let today = day(0);

    // Nothing is agreed before the announcement, nor paid before the agreement.
    let (status, v) = app
        .post(&agree, json!({"agreed_on": today}), Some(&admin))
        .await;
    assert_eq!(
        (status, conflict(&v)),
        (StatusCode::CONFLICT, "not_selected")
    );
    app.post(
        &format!("/api/calls/{cid}/announce"),
        json!({}),
        Some(&admin),
    )
    .await;
    let (status, v) = app
        .call(
            Method::PUT,
            &payment(1),
            Some(pay(100, &today)),
            Some(&admin),
        )
        .await;
    assert_eq!((status, conflict(&v)), (StatusCode::CONFLICT, "not_agreed"));
    let (_, v) = app.get(&urls[0], Some(&admin)).await;
    assert!(v["can_agree"] == true && v["grant"].is_null(), "{v}");
    let (_, v) = app.get(&urls[0], Some(&lead)).await;
    assert!(v["can_agree"] == false && v["grant"].is_null(), "{v}");

    // Only the call's admin records it, only for a selected one, on a day
    // from the announcement on.
    let ok = json!({"agreed_on": today});
    assert_eq!(
        app.post(&agree, ok.clone(), Some(&lead)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&agree, ok.clone(), Some(&outsider)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, v) = app
        .post(&format!("{}/grant", urls[1]), ok.clone(), Some(&admin))
        .await;
    assert_eq!(
        (status, conflict(&v)),
        (StatusCode::CONFLICT, "not_selected")
    );
    for bad in [day(-30), "2101-01-01".to_owned()] {
        let (status, v) = app
            .post(&agree, json!({"agreed_on": bad}), Some(&admin))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(refused(&v)[0].0, "agreed_on");
    }

    // Recorded: the grant as decided, the milestones as planned.
    let (status, v) = app.post(&agree, ok.clone(), Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let g = &v["grant"];
    assert_eq!(g["grant_manwon"], 3000);
    assert_eq!(g["agreed_on"], today.as_str());
    assert_eq!(g["paid_manwon"], 0);
    let milestones = g["milestones"].as_array().unwrap();
    assert_eq!(milestones.len(), 2);
    assert_eq!(milestones[0]["title"], "시제품 설계");
    assert_eq!(milestones[0]["amount_manwon"], 1500);
    assert_eq!(milestones[1]["due_on"], day(120).as_str());
    assert!(milestones.iter().all(|m| m["status"] == "planned"));
    assert!(v["can_agree"] == false && v["can_pay"] == true, "{v}");
    let (status, v) = app.post(&agree, ok, Some(&admin)).await;
    assert_eq!(
        (status, conflict(&v)),
        (StatusCode::CONFLICT, "already_agreed")
    );
    // What was agreed on the decision stands: no correction after.
    let (status, v) = app
        .call(
            Method::PUT,
            &format!("{}/decision", urls[0]),
            Some(json!({"decision": "selected", "grant_manwon": 2000, "reason": "감액"})),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, conflict(&v)),
        (StatusCode::CONFLICT, "already_agreed")
    );

    // Payments: within the grant, not before the agreement, on a milestone
    // there is, by the admin; recorded again, one replaces the one before.
    let (status, v) = put(app, &payment(1), pay(2000, &today), &admin).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["grant"]["paid_manwon"], 2000);
    assert_eq!(v["grant"]["milestones"][0]["status"], "paid");
    assert_eq!(
        put(app, &payment(3), pay(100, &today), &admin).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        put(app, &payment(1), pay(100, &today), &lead).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, v) = put(app, &payment(2), pay(1500, &today), &admin).await;
    assert_eq!((status, conflict(&v)), (StatusCode::CONFLICT, "over_grant"));
    let (status, v) = put(app, &payment(2), pay(500, &day(-1)), &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(refused(&v)[0].0, "paid_on");
    let (status, v) = put(app, &payment(2), pay(0, &today), &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(refused(&v)[0].0, "paid_manwon");
    // A milestone whose day has passed unpaid is overdue.
    app.exec(&format!(
        "UPDATE grant_milestones SET due_on = '{}' WHERE position = 2",
        day(-1)
    ))
    .await;
    let (_, v) = app.get(&urls[0], Some(&lead)).await;
    assert_eq!(v["grant"]["milestones"][1]["status"], "overdue");
    let (status, v) = put(app, &payment(2), pay(1000, &today), &admin).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["grant"]["paid_manwon"], 3000);
    let (status, v) = put(app, &payment(1), pay(1500, &today), &admin).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["grant"]["paid_manwon"], 2500);

    // The team reads it (and records nothing); the call's totals count it.
    for s in [&lead, &partner] {
        let (_, v) = app.get(&urls[0], Some(s)).await;
        assert_eq!(v["grant"]["paid_manwon"], 2500, "{v}");
        assert_eq!(v["can_pay"], false);
    }
    let (_, e) = app
        .get(&format!("/api/calls/{cid}/evaluation"), Some(&admin))
        .await;
    assert_eq!(e["selection"]["agreed_manwon"], 3000, "{e}");
    assert_eq!(e["selection"]["paid_manwon"], 2500);
    let trail = app
        .texts("SELECT action FROM audit_log WHERE action IN ('grant_agreed', 'grant_paid') ORDER BY id")
        .await;
    assert_eq!(
        trail,
        ["grant_agreed", "grant_paid", "grant_paid", "grant_paid"]
    );

    // The cockpit rolls the money up. Before a consortium is founded from
    // it, the project is its lead's region's and no consortium's.
    let (_, elsewhere) = regions(app).await;
    let (_, reference) = app.get("/api/reference", None).await;
    let other = reference["complexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == elsewhere)
        .unwrap()["region"]
        .as_str()
        .unwrap()
        .to_owned();
    let kpi = |scope: &str| format!("/api/kpi?from={}&to={today}{scope}", day(-30));
    let money = |v: &Value| {
        let m = &v["money"];
        [
            "projects",
            "committed_manwon",
            "paid_manwon",
            "outstanding_manwon",
            "overdue",
        ]
        .map(|k| m[k].as_i64().unwrap_or(-1))
    };
    let (status, r) = app.get(&kpi(""), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(money(&r), [1, 3000, 2500, 500, 0], "{r}");
    let m = &r["money"];
    let row = |by: &str| m[by][0].clone();
    assert_eq!(row("by_year")["key"], &today[..4]);
    assert_eq!(row("by_call")["label"], "2027 테마클러스터 공모");
    assert_eq!(
        (
            row("by_call")["committed_manwon"].clone(),
            row("by_call")["paid_manwon"].clone()
        ),
        (json!(3000), json!(2500))
    );
    assert_eq!(row("by_consortium")["key"], "none");
    assert_eq!(row("by_region")["key"], region.as_str());
    let (_, r) = app
        .get(&kpi(&format!("&region={region}")), Some(&admin))
        .await;
    assert_eq!(money(&r)[0], 1, "{r}");
    let (_, r) = app
        .get(&kpi(&format!("&region={other}")), Some(&admin))
        .await;
    assert_eq!(money(&r), [0; 5], "{r}");
    // A period that ends before the agreement holds none of it.
    let before = format!("/api/kpi?from={}&to={}", day(-30), day(-1));
    let (_, r) = app.get(&before, Some(&admin)).await;
    assert_eq!(money(&r), [0; 5], "{r}");

    // Founded in a complex of another region, the project is that
    // consortium's and that region's; its CM reads it.
    let (status, v) = app
        .post(
            &format!("{}/consortium", urls[0]),
            json!({
                "name": "미래차 경량 부품 테마클러스터", "kind": "theme_cluster",
                "complex_id": elsewhere, "field_id": 1, "description": "함께 개발합니다",
                "term_start": today, "term_end": day(1000), "manager": lead.id()
            }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let founded = v["consortium"]["id"].as_i64().unwrap();
    let (_, r) = app
        .get(&kpi(&format!("&region={region}")), Some(&admin))
        .await;
    assert_eq!(money(&r)[0], 0, "{r}");
    let (_, r) = app
        .get(&kpi(&format!("&region={other}")), Some(&admin))
        .await;
    assert_eq!(money(&r)[0], 1, "{r}");
    // Its CM uses the power once they have a second factor.
    app.give_second_factor(&lead).await;
    let (status, r) = app
        .get(&kpi(&format!("&consortium={founded}")), Some(&lead))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(money(&r), [1, 3000, 2500, 500, 0], "{r}");
    assert_eq!(
        r["money"]["by_consortium"][0]["label"],
        "미래차 경량 부품 테마클러스터"
    );
    // A period that ends after the agreement but before the payments: all
    // of the grant was still to pay at its end (0% paid to date).
    app.exec(&format!("UPDATE grants SET agreed_on = '{}'", day(-10)))
        .await;
    let (_, r) = app
        .get(
            &format!("/api/kpi?from={}&to={}", day(-30), day(-1)),
            Some(&admin),
        )
        .await;
    assert_eq!(money(&r), [1, 3000, 0, 3000, 0], "{r}");
    assert_eq!(r["money"]["agreed_to_date_manwon"], 3000, "{r}");
    app.exec(&format!("UPDATE grants SET agreed_on = '{today}'"))
        .await;
    // A milestone due before today and unpaid is overdue.
    app.exec(&format!(
        "UPDATE grant_milestones SET paid_manwon = NULL, paid_on = NULL, due_on = '{}' WHERE position = 2",
        day(-1)
    ))
    .await;
    let (_, r) = app.get(&kpi(""), Some(&admin)).await;
    assert_eq!(money(&r), [1, 3000, 1500, 1500, 1], "{r}");
    assert_eq!(r["money"]["overdue_manwon"], 2300);
    // As CSV: the total, then each year, call, consortium and region.
    let (status, csv) = app
        .get(
            &format!("/api/kpi/csv?table=money&from={}&to={today}", day(-30)),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(
        lines[1].contains("합계 (total)") && lines[1].ends_with(",1,3000,1500"),
        "{csv}"
    );
    assert!(lines[3].contains("2027 테마클러스터 공모"), "{csv}");
}

async fn a_supported_problem_shows_its_selection_and_its_money(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let cm = app
        .firm_member("cm@support.example", "금형지원센터", 581)
        .await;
    let firm = app
        .firm_member("firm@support.example", "한빛정밀", 582)
        .await;
    let outsider = app.firm_member("x@support.example", "반월화학", 583).await;
    let consortium = app.consortium(&admin, "금형 미니클러스터", Some(&cm)).await;
    app.join(&firm, consortium, &cm).await;
    let (status, p) = app
        .post(
            "/api/problems",
            json!({"consortium_id": consortium, "title": "사출 금형 냉각 불량", "summary": "냉각 채널을 바꿔 휨 불량을 줄일 전문가를 찾습니다.",
                   "details": "세부 내용", "field_ids": [1], "keywords": ["냉각"], "help": ["joint_rnd"], "timeline_months": 6,
                   "budget": "under_10m", "confidentiality": "members", "publish": true}),
            Some(&firm),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let problem = format!("/api/problems/{}", p["summary"]["id"]);
    let mut support = call(&region);
    support["kind"] = json!("support");
    support["rules"] = json!({"open_problem": true});
    support["budget_manwon"] = json!(5000);
    let (status, c) = app.post("/api/calls", support, Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_i64().unwrap();
    let (_, a) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": "과제"}),
            Some(&firm),
        )
        .await;
    let url = format!("/api/applications/{}", a["id"]);
    let mut d = draft(&[], true);
    d["problem"] = p["summary"]["id"].clone();
    let (status, v) = app.call(Method::PUT, &url, Some(d), Some(&firm)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = app
        .post(&format!("{url}/submit"), json!({}), Some(&firm))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    into_evaluation(app, cid).await;
    decide_each(
        app,
        &admin,
        &[(
            url.as_str(),
            json!({"decision": "selected", "grant_manwon": 2000, "reason": "우수"}),
        )],
    )
    .await;
    // Nothing shows before the results are announced.
    let (_, v) = app.get(&problem, Some(&firm)).await;
    assert_eq!(v["support"], json!([]), "{v}");
    app.post(
        &format!("/api/calls/{cid}/announce"),
        json!({}),
        Some(&admin),
    )
    .await;
    let today = day(0);
    let (status, v) = app
        .post(
            &format!("{url}/grant"),
            json!({"agreed_on": today}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = put(
        app,
        &format!("{url}/milestones/1/payment"),
        pay(500, &today),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");

    // Anyone who reads the problem reads the selection, as the results are
    // public; the firm's people also its application (with the money), its
    // CM and anyone else not.
    let (status, v) = app.get(&problem, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let s = &v["support"][0];
    assert_eq!(
        (
            s["call"].as_i64(),
            s["call_title"].as_str(),
            s["grant_manwon"].as_i64()
        ),
        (Some(cid), Some("2027 테마클러스터 공모"), Some(2000)),
        "{v}"
    );
    assert!(s["application"].is_null(), "{v}");
    for who in [&outsider, &cm] {
        let (_, v) = app.get(&problem, Some(who)).await;
        assert!(v["support"][0]["application"].is_null(), "{v}");
        assert_eq!(v["support"][0]["grant_manwon"], 2000, "{v}");
    }
    let (_, v) = app.get(&problem, Some(&firm)).await;
    assert_eq!(v["support"][0]["application"], a["id"], "{v}");

    // The cockpit counts it under the problem's consortium, for its CM.
    let (status, r) = app
        .get(
            &format!(
                "/api/kpi?from={}&to={today}&consortium={consortium}",
                day(-30)
            ),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let row = &r["money"]["by_consortium"][0];
    assert_eq!(
        (
            row["label"].as_str(),
            row["committed_manwon"].as_i64(),
            row["paid_manwon"].as_i64()
        ),
        (Some("금형 미니클러스터"), Some(2000), Some(500)),
        "{r}"
    );
}
