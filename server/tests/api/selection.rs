//! Selection (선정): the call's admin decides on each submitted application
//! with a reason, the grants within the call's budget, announces the results
//! once all are decided; each team is told its own decision, everyone reads the
//! selected ones, and a later change is a visible correction, never an edit.

use crate::{
    both,
    calls::{call, draft, into_evaluation, notified, regions, scores},
    support::*,
};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use moim_server::db;
use serde_json::{Value, json};

both!(
    the_admin_selects_within_the_budget_announces_and_corrects,
    teams_are_told_as_the_days_move_the_call_on
);

fn decide(decision: &str, grant: Option<i64>, reason: &str) -> Value {
    json!({"decision": decision, "grant_manwon": grant, "reason": reason})
}

/// Each ranked application's current decision and grant, by title.
fn decisions(v: &Value) -> Vec<(String, Value, Value)> {
    let mut out: Vec<(String, Value, Value)> = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_owned(),
                r["decision"]["decision"].clone(),
                r["decision"]["grant_manwon"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

async fn the_admin_selects_within_the_budget_announces_and_corrects(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead1 = app.firm_member("l1@sel.example", "한빛정밀", 541).await;
    let partner = app.firm_member("p@sel.example", "세진메카", 542).await;
    let lead2 = app.firm_member("l2@sel.example", "남동몰드", 543).await;
    let lead3 = app.firm_member("l3@sel.example", "서해전자", 544).await;
    let lead4 = app.firm_member("l4@sel.example", "반월화학", 545).await;
    let judge = app.firm_member("judge@sel.example", "평가법인", 546).await;
    let mut open = call(&region);
    open["rules"] = json!({});
    open["budget_manwon"] = json!(5000);
    let (_, c) = app.post("/api/calls", open, Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    let mut apps = Vec::new();
    for (i, lead) in [&lead1, &lead2, &lead3, &lead4].into_iter().enumerate() {
        let (_, a) = app
            .post(
                &format!("/api/calls/{cid}/applications"),
                json!({"title": format!("과제 {}", i + 1)}),
                Some(lead),
            )
            .await;
        let url = format!("/api/applications/{}", a["id"]);
        let partners = if i == 0 {
            vec![(partner.org(), 100)]
        } else {
            vec![]
        };
        let mut d = draft(&partners, true);
        d["title"] = json!(format!("과제 {}", i + 1));
        let (status, v) = app.call(Method::PUT, &url, Some(d), Some(lead)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        if i == 0 {
            let (status, v) = app
                .post(
                    &format!("{url}/team"),
                    json!({"confirm": true}),
                    Some(&partner),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        let (status, v) = app
            .post(&format!("{url}/submit"), json!({}), Some(lead))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        apps.push(url);
    }
    // The fourth is withdrawn before the evaluation.
    let (status, _) = app
        .post(&format!("{}/withdraw", apps[3]), json!({}), Some(&lead4))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.post(
        &format!("/api/calls/{cid}/evaluators"),
        json!({"email": "judge@sel.example"}),
        Some(&admin),
    )
    .await;
    let decision = |i: usize| format!("{}/decision", apps[i]);
    let evaluation = format!("/api/calls/{cid}/evaluation");
    let announce = format!("/api/calls/{cid}/announce");

    // Nothing is decided before the evaluation starts.
    let (status, body) = app
        .call(
            Method::PUT,
            &decision(0),
            Some(decide("selected", Some(3000), "우수")),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_evaluating"))
    );
    let (status, body) = app.post(&announce, json!({}), Some(&admin)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_evaluating"))
    );
    into_evaluation(app, cid).await;
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("{}/review", apps[0]),
            Some(scores(&[8, 7, 9, 5])),
            Some(&judge),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Only the call's admin decides; an applicant cannot, on its own or another's.
    let ok = decide("selected", Some(3000), "기술성과 협력 구성이 우수함");
    assert_eq!(
        app.call(Method::PUT, &decision(0), Some(ok.clone()), Some(&lead1))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(Method::PUT, &decision(0), Some(ok.clone()), Some(&lead2))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(Method::PUT, &decision(0), Some(ok.clone()), Some(&judge))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "an evaluator reads it but decides nothing"
    );
    // Bad decisions: no grant, a grant beyond what was asked (3,000), no reason,
    // a withdrawn application.
    for (body, field, code) in [
        (decide("selected", None, "우수"), "grant_manwon", "required"),
        (
            decide("selected", Some(3001), "우수"),
            "grant_manwon",
            "out_of_range",
        ),
        (
            decide("reserve", Some(100), "예비"),
            "grant_manwon",
            "invalid_choice",
        ),
        (decide("reserve", None, "  "), "reason", "required"),
    ] {
        let (status, v) = app
            .call(Method::PUT, &decision(0), Some(body), Some(&admin))
            .await;
        assert_eq!(
            (status, refused(&v)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![(field.into(), code.into())]
            )
        );
    }
    let (status, body) = app
        .call(
            Method::PUT,
            &decision(3),
            Some(decide("not_selected", None, "철회")),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_submitted"))
    );

    // Within the budget (5,000): 3,000 and then 2,500 is too much.
    let (status, v) = app
        .call(Method::PUT, &decision(0), Some(ok.clone()), Some(&admin))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["selection"]["granted_manwon"].clone(),
            v["selection"]["undecided"].clone()
        ),
        (json!(3000), json!(2))
    );
    let (status, body) = app
        .call(
            Method::PUT,
            &decision(1),
            Some(decide("selected", Some(2500), "사업성 우수")),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("over_budget"))
    );
    let (_, v) = app.get(&evaluation, Some(&admin)).await;
    assert_eq!(
        decisions(&v),
        vec![
            ("과제 1".into(), json!("selected"), json!(3000)),
            ("과제 2".into(), Value::Null, Value::Null),
            ("과제 3".into(), Value::Null, Value::Null),
        ]
    );
    let (status, _) = app
        .call(
            Method::PUT,
            &decision(1),
            Some(decide("selected", Some(2000), "사업성 우수, 감액 선정")),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The call's budget cannot fall below what is granted.
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&admin)).await;
    let mut lower = seen["call"].clone();
    lower["budget_manwon"] = json!(4000);
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/calls/{cid}"),
            Some(lower),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("over_budget"))
    );

    // Announcing needs every application decided.
    let (status, body) = app.post(&announce, json!({}), Some(&admin)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("undecided"))
    );
    // Before the announcement a decision is replaced, and nobody else reads it.
    for d in [
        decide("not_selected", None, "사업 계획 구체성 부족"),
        decide("reserve", None, "예비 1순위"),
    ] {
        let (status, _) = app
            .call(Method::PUT, &decision(2), Some(d), Some(&admin))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, v) = app.get(&apps[2], Some(&admin)).await;
    assert_eq!(v["decisions"].as_array().unwrap().len(), 1, "{v}");
    let (_, v) = app.get(&apps[2], Some(&lead3)).await;
    assert_eq!(v["decisions"], json!([]));
    let (_, public) = app.get(&format!("/api/calls/{cid}"), None).await;
    assert_eq!(
        (public["phase"].clone(), public["announced"].clone()),
        (json!("evaluation"), json!(false))
    );
    let results = format!("/api/calls/{cid}/results");
    assert_eq!(app.get(&results, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.post(&announce, json!({}), Some(&lead1)).await.0,
        StatusCode::FORBIDDEN
    );

    // The announcement: once; each team is told (the partner too).
    let (status, v) = app.post(&announce, json!({}), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["selection"]["announced_at"].is_string(), "{v}");
    let (status, body) = app.post(&announce, json!({}), Some(&admin)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_announced"))
    );
    for who in [&lead1, &partner, &lead2, &lead3] {
        assert_eq!(notified(app, who, "application_decided").await, 1);
    }
    assert_eq!(notified(app, &lead4, "application_decided").await, 0);
    let (_, v) = app.get(&apps[0], Some(&partner)).await;
    assert_eq!(
        (
            v["decisions"][0]["decision"].clone(),
            v["decisions"][0]["grant_manwon"].clone(),
            v["decisions"][0]["reason"].clone()
        ),
        (
            json!("selected"),
            json!(3000),
            json!("기술성과 협력 구성이 우수함")
        )
    );
    let (_, v) = app.get(&apps[2], Some(&lead3)).await;
    assert_eq!(v["decisions"][0]["decision"], "reserve");
    // An evaluator reads the application, not the decision.
    let (status, v) = app.get(&apps[0], Some(&judge)).await;
    assert_eq!(
        (status, v["decisions"].clone()),
        (StatusCode::OK, json!([]))
    );
    // Announced, the call's days stay.
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&admin)).await;
    let mut later = seen["call"].clone();
    later["evaluation_on"] = json!(crate::calls::day(3));
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/calls/{cid}"),
            Some(later),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_announced"))
    );
    // Nor are its evaluators dismissed or appointed (the announced ranking
    // stays).
    let (status, body) = app
        .post(
            &format!("/api/calls/{cid}/evaluators"),
            json!({"email": "p@sel.example"}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_announced"))
    );
    let (_, ranked) = app.get(&evaluation, Some(&admin)).await;
    let judge_id = ranked["evaluators"][0]["person"]["id"].as_i64().unwrap();
    let (status, body) = app
        .call(
            Method::DELETE,
            &format!("/api/calls/{cid}/evaluators/{judge_id}"),
            None,
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_announced"))
    );
    // Everyone reads the selected ones, the largest grant first; the
    // evaluation is over.
    let (_, public) = app.get(&format!("/api/calls/{cid}"), None).await;
    assert_eq!(
        (public["phase"].clone(), public["announced"].clone()),
        (json!("announced"), json!(true))
    );
    let (_, public) = app.get(&results, None).await;
    let selected: Vec<(Value, Value, Value)> = public["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["title"].clone(),
                s["lead"].clone(),
                s["grant_manwon"].clone(),
            )
        })
        .collect();
    assert_eq!(
        selected,
        vec![
            (json!("과제 1"), json!("한빛정밀"), json!(3000)),
            (json!("과제 2"), json!("남동몰드"), json!(2000)),
        ]
    );
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("{}/review", apps[1]),
            Some(scores(&[5, 5, 5, 5])),
            Some(&judge),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_evaluating"))
    );

    // A correction is a new entry beside the announced one, told to the team
    // and, as it changes the selected list, shown to everyone.
    let (status, _) = app
        .call(
            Method::PUT,
            &decision(1),
            Some(decide("not_selected", None, "지역 요건 재확인 결과 제외")),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, v) = app
        .call(
            Method::PUT,
            &decision(2),
            Some(decide("selected", Some(2000), "예비 1순위 승계")),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, v) = app.get(&apps[1], Some(&lead2)).await;
    let history: Vec<(Value, Value, Value)> = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["decision"].clone(),
                d["correction"].clone(),
                d["was"].clone(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            (json!("selected"), json!(false), Value::Null),
            (json!("not_selected"), json!(true), json!("selected")),
        ]
    );
    assert_eq!(notified(app, &lead2, "application_decided").await, 2);
    let (_, public) = app.get(&results, None).await;
    let titles: Vec<&str> = public["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["과제 1", "과제 3"]);
    let corrections: Vec<(Value, Value, Value)> = public["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].clone(), c["was"].clone(), c["decision"].clone()))
        .collect();
    assert_eq!(
        corrections,
        vec![
            (json!("과제 2"), json!("selected"), json!("not_selected")),
            (json!("과제 3"), json!("reserve"), json!("selected")),
        ]
    );
    // A correction stays within the budget too.
    let (status, body) = app
        .call(
            Method::PUT,
            &decision(1),
            Some(decide("selected", Some(1), "재선정")),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("over_budget"))
    );

    // Who decided what and when is in the audit trail.
    let (_, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| {
            [
                "application_decided",
                "call_announced",
                "decision_corrected",
            ]
            .contains(a)
        })
        .collect();
    assert_eq!(
        actions,
        [
            "decision_corrected",
            "decision_corrected",
            "call_announced",
            "application_decided",
            "application_decided",
            "application_decided",
            "application_decided"
        ]
    );
}

/// The phase notices of each team's people, oldest first.
async fn phases_told(app: &TestApp, s: &Session) -> Vec<String> {
    let (_, list) = app.get("/api/notifications", Some(s)).await;
    let mut notes: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "call_phase_changed")
        .map(|n| n["note"].as_str().unwrap_or_default().to_owned())
        .collect();
    notes.reverse();
    notes
}

async fn teams_are_told_as_the_days_move_the_call_on(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead1 = app.firm_member("l1@phase.example", "한빛정밀", 551).await;
    let partner = app.firm_member("p@phase.example", "세진메카", 552).await;
    let lead2 = app.firm_member("l2@phase.example", "남동몰드", 553).await;
    let drafter = app.firm_member("d@phase.example", "서해전자", 554).await;
    let mut open = call(&region);
    open["rules"] = json!({});
    let (_, c) = app.post("/api/calls", open, Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    let mut apps = Vec::new();
    for (i, lead) in [&lead1, &lead2, &drafter].into_iter().enumerate() {
        let (_, a) = app
            .post(
                &format!("/api/calls/{cid}/applications"),
                json!({"title": format!("과제 {}", i + 1)}),
                Some(lead),
            )
            .await;
        let url = format!("/api/applications/{}", a["id"]);
        let partners = if i == 0 {
            vec![(partner.org(), 100)]
        } else {
            vec![]
        };
        app.call(Method::PUT, &url, Some(draft(&partners, true)), Some(lead))
            .await;
        if i == 0 {
            app.post(
                &format!("{url}/team"),
                json!({"confirm": true}),
                Some(&partner),
            )
            .await;
        }
        if i < 2 {
            let (status, v) = app
                .post(&format!("{url}/submit"), json!({}), Some(lead))
                .await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        apps.push(url);
    }

    // While it is open nothing moves; published in it, it starts from it.
    let now = Utc::now();
    assert_eq!(db::calls::tell_phases(&app.db, now).await.unwrap(), 0);
    // The day after the deadline every submitting team hears of the check,
    // once however often the job looks (as two instances would).
    let after = |days: i64| now + Duration::days(days);
    assert_eq!(db::calls::tell_phases(&app.db, after(15)).await.unwrap(), 1);
    assert_eq!(db::calls::tell_phases(&app.db, after(15)).await.unwrap(), 0);
    for s in [&lead1, &partner, &lead2] {
        assert_eq!(phases_told(app, s).await, ["review"]);
    }
    assert!(phases_told(app, &drafter).await.is_empty());
    // The deadline moved later takes the phase told back: the check is told
    // again when it comes.
    let mut later = call(&region);
    later["rules"] = json!({});
    later["closes_on"] = json!(crate::calls::day(16));
    let (status, v) = app
        .call(
            Method::PUT,
            &format!("/api/calls/{cid}"),
            Some(later),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(db::calls::tell_phases(&app.db, after(15)).await.unwrap(), 0);
    assert_eq!(db::calls::tell_phases(&app.db, after(17)).await.unwrap(), 1);
    assert_eq!(phases_told(app, &lead2).await, ["review", "review"]);

    // Days moved by hand into the evaluation: the next look tells it.
    into_evaluation(app, cid).await;
    assert_eq!(db::calls::tell_phases(&app.db, now).await.unwrap(), 1);
    assert_eq!(
        phases_told(app, &lead2).await,
        ["review", "review", "evaluation"]
    );
    let (_, n) = app.get("/api/notifications", Some(&lead1)).await;
    let newest = &n[0];
    assert_eq!(
        (newest["kind"].clone(), newest["call_title"].clone()),
        (json!("call_phase_changed"), json!("2027 테마클러스터 공모"))
    );

    // The announcement tells by itself; the agreements are told only to the
    // selected ones' teams, and not before the results are out (the days
    // may pass first: then the announcement's day is all that moves).
    assert_eq!(db::calls::tell_phases(&app.db, after(41)).await.unwrap(), 1);
    assert_eq!(
        phases_told(app, &lead1).await,
        ["review", "review", "evaluation"]
    );
    for (i, d) in [
        decide("selected", Some(1000), "기술성이 뛰어납니다."),
        decide("not_selected", None, "사업성이 부족합니다."),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, v) = app
            .call(
                Method::PUT,
                &format!("{}/decision", apps[i]),
                Some(d),
                Some(&admin),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    let (status, v) = app
        .post(
            &format!("/api/calls/{cid}/announce"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(db::calls::tell_phases(&app.db, after(41)).await.unwrap(), 1);
    assert_eq!(db::calls::tell_phases(&app.db, after(42)).await.unwrap(), 0);
    for s in [&lead1, &partner] {
        assert_eq!(
            phases_told(app, s).await,
            ["review", "review", "evaluation", "agreement"]
        );
    }
    assert_eq!(
        phases_told(app, &lead2).await,
        ["review", "review", "evaluation"]
    );
    assert_eq!(notified(app, &lead2, "application_decided").await, 1);
}
