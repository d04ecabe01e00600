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

both!(the_admin_records_the_agreement_and_the_payments_within_the_grant);

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
}
