//! Calls (공모) and applications: an admin publishes a call; a firm drafts an
//! application with partners whose representatives confirm, sees the call's
//! rules checked as it goes, submits, withdraws and submits again; the team is
//! told; the admin reads what was submitted. Bad input, closed phases and
//! people without a seat get clear errors and nothing is kept.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

both!(
    a_firm_applies_with_its_team_and_submits,
    calls_and_applications_refuse_bad_input_and_closed_phases,
    evaluators_score_behind_a_conflict_wall_and_the_admin_ranks
);

pub fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(9)).date_naive() + Duration::days(offset)).to_string()
}

pub fn call(region: &str) -> Value {
    json!({
        "title": "2027 테마클러스터 공모", "kind": "theme_cluster",
        "description": "미래차 부품 테마클러스터를 선정합니다.\n\n기업 3곳 이상과 대학이 함께 신청합니다.",
        "budget_manwon": 50000,
        "rules": {"min_firms": 3, "needs_institution": true, "min_firm_share_pct": 20,
                  "min_project_manwon": 1000, "region": region},
        "opens_on": day(0), "closes_on": day(14), "evaluation_on": day(20),
        "announce_on": day(30), "agreement_on": day(40),
        "form": {"sections": [{"title": "사업 계획", "questions": [
            {"key": "plan", "text": "추진 목표와 내용", "type": "long_text", "required": true},
            {"key": "members", "text": "참여 인력", "type": "number", "unit": "명"}
        ]}]},
        "criteria": [{"name": "기술성", "weight": 30, "max": 10}, {"name": "사업성", "weight": 30, "max": 10},
                     {"name": "협력 구성", "weight": 20, "max": 10}, {"name": "지역 파급", "weight": 20, "max": 10}]
    })
}

/// The region of complex 1, and a complex of another region.
pub async fn regions(app: &TestApp) -> (String, i64) {
    let (_, r) = app.get("/api/reference", None).await;
    let complexes = r["complexes"].as_array().unwrap();
    let first = complexes.iter().find(|c| c["id"] == 1).unwrap()["region"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = complexes
        .iter()
        .find(|c| c["region"] != first.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    (first, other)
}

pub async fn notified(app: &TestApp, s: &Session, kind: &str) -> usize {
    let (_, list) = app.get("/api/notifications", Some(s)).await;
    list.as_array()
        .map(|l| l.iter().filter(|n| n["kind"] == kind).count())
        .unwrap_or_default()
}

fn check<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {v}"))
}

pub fn draft(partners: &[(i64, i64)], answered: bool) -> Value {
    let answers = if answered {
        json!({"plan": "전기차 감속기 하우징 경량화를 함께 개발합니다.", "members": 12})
    } else {
        json!({"members": 12})
    };
    json!({
        "title": "미래차 경량 부품 테마클러스터",
        "answers": answers,
        "partners": partners.iter().map(|(o, s)| json!({"org": o, "share_manwon": s})).collect::<Vec<_>>(),
        "government_manwon": 3000, "lead_share_manwon": 500,
        "milestones": [{"title": "시제품 설계", "due_on": day(60), "amount_manwon": 1500},
                       {"title": "시험 평가", "due_on": day(120), "amount_manwon": 2300}]
    })
}

async fn a_firm_applies_with_its_team_and_submits(app: &TestApp) {
    let admin = app.admin().await;
    let (region, elsewhere) = regions(app).await;
    let lead = app.firm_member("lead@calls.example", "한빛정밀", 501).await;
    let lead_colleague = app.colleague("col@calls.example", &lead).await;
    let firm2 = app.firm_member("f2@calls.example", "세진메카", 502).await;
    let firm2_colleague = app.colleague("f2col@calls.example", &firm2).await;
    let mut far = firm_signup("far@calls.example", "먼곳산업", 503);
    far["organisation"]["complex_id"] = json!(elsewhere);
    let far = app.signup(far).await.unwrap();
    let firm4 = app.firm_member("f4@calls.example", "남동몰드", 504).await;
    let univ = app
        .signup(json!({"email": "prof@calls.example", "password": PASSWORD, "name": "안재훈",
            "organisation": {"mode": "new", "kind": "university", "name": "동남과기대"}, "consents": consents()}))
        .await
        .unwrap();
    let outsider = app.firm_member("out@calls.example", "바깥기업", 505).await;

    // Only an admin publishes; everyone reads.
    let (status, body) = app.post("/api/calls", call(&region), Some(&lead)).await;
    assert_eq!((status, error(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, c) = app.post("/api/calls", call(&region), Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_i64().unwrap();
    let (status, list) = app.get("/api/calls", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["calls"][0]["phase"], "open");
    assert_eq!(list["calls"][0]["days_left"], 14);
    assert_eq!(list["can_create"], false);
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&lead)).await;
    assert_eq!(
        (seen["can_apply"].clone(), seen["can_manage"].clone()),
        (json!(true), json!(false))
    );

    // The lead starts one application, and only one.
    let start = json!({"title": "미래차 경량 부품 테마클러스터"});
    let (status, a) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            start.clone(),
            Some(&lead),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let aid = a["id"].as_i64().unwrap();
    let (status, body) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            start,
            Some(&lead_colleague),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("application_exists"))
    );
    let url = format!("/api/applications/{aid}");

    // A draft with three partners: nobody has confirmed, the form is short.
    let partners = [(firm2.org(), 200), (far.org(), 100), (univ.org(), 0)];
    let (status, v) = app
        .call(
            Method::PUT,
            &url,
            Some(draft(&partners, false)),
            Some(&lead),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["project_manwon"], 3800);
    assert_eq!(check(&v, "min_firms")["have"], 1);
    assert_eq!(check(&v, "partners_confirmed")["have"], 0);
    assert_eq!(check(&v, "form")["ok"], false);
    assert_eq!(v["can_submit"], false);
    assert_eq!(v["team"][0]["status"], "invited");
    for rep in [&firm2, &far, &univ] {
        assert_eq!(notified(app, rep, "application_invited").await, 1);
    }
    // Nobody else reads it; a partner's colleague reads it but does not answer.
    assert_eq!(
        app.get(&url, Some(&outsider)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&url, Some(&admin)).await.0, StatusCode::NOT_FOUND);
    let (status, seen) = app.get(&url, Some(&firm2_colleague)).await;
    assert_eq!(
        (status, seen["can_edit"].clone()),
        (StatusCode::OK, json!(false))
    );
    // Only the representative answers for the partner.
    assert_eq!(seen["answer_for"], Value::Null);
    let answer = format!("{url}/team");
    let (status, _) = app
        .post(&answer, json!({"confirm": true}), Some(&firm2_colleague))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(
            Method::PUT,
            &url,
            Some(draft(&partners, true)),
            Some(&firm2),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Submitting now refuses, and says which rules.
    let (status, body) = app
        .post(&format!("{url}/submit"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("rules_not_met"))
    );

    // The representatives confirm; the lead's people are told.
    for rep in [&firm2, &far, &univ] {
        let (status, v) = app.post(&answer, json!({"confirm": true}), Some(rep)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    assert_eq!(
        notified(app, &lead_colleague, "application_confirmed").await,
        3
    );
    let (_, v) = app.get(&url, Some(&lead)).await;
    assert_eq!(check(&v, "partners_confirmed")["ok"], true);
    assert_eq!(check(&v, "institution")["ok"], true);
    // The far firm is outside the call's region.
    assert_eq!(check(&v, "region")["outside"], json!(["먼곳산업"]));
    assert_eq!(check(&v, "min_firms")["have"], 3);

    // The far firm makes way for one in the region, which confirms; the form
    // is answered: every rule is met (firms pay 800 of 3,800: 21%).
    let partners = [(firm2.org(), 200), (firm4.org(), 100), (univ.org(), 0)];
    let (_, v) = app
        .call(Method::PUT, &url, Some(draft(&partners, true)), Some(&lead))
        .await;
    assert_eq!(check(&v, "partners_confirmed")["have"], 2);
    assert_eq!(notified(app, &firm4, "application_invited").await, 1);
    let (_, _) = app
        .post(&answer, json!({"confirm": true}), Some(&firm4))
        .await;
    let (_, v) = app.get(&url, Some(&lead)).await;
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true),
        "{v}"
    );
    assert_eq!(check(&v, "firm_share")["have"], 21);
    assert_eq!(v["can_submit"], true);
    // Taken off the team, the far firm reads it no more.
    assert_eq!(app.get(&url, Some(&far)).await.0, StatusCode::NOT_FOUND);

    let (status, v) = app
        .post(&format!("{url}/submit"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{v}"
    );
    assert_eq!(notified(app, &firm2, "application_submitted").await, 1);
    assert_eq!(
        notified(app, &lead_colleague, "application_submitted").await,
        1
    );
    assert_eq!(notified(app, &far, "application_submitted").await, 0);
    // Submitted, it is changed only after withdrawing.
    let (status, body) = app
        .call(Method::PUT, &url, Some(draft(&partners, true)), Some(&lead))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("application_submitted"))
    );

    // The admin reads what was submitted; the call's rules now stay.
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&admin)).await;
    assert_eq!(seen["submitted"], 1);
    assert_eq!(seen["applications"][0]["lead"], "한빛정밀");
    assert_eq!(seen["applications"][0]["project_manwon"], 3800);
    assert_eq!(app.get(&url, Some(&admin)).await.0, StatusCode::OK);
    let mut stricter = call(&region);
    stricter["rules"]["min_firms"] = json!(10);
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/calls/{cid}"),
            Some(stricter),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("call_has_applications"))
    );
    let mut longer = call(&region);
    longer["closes_on"] = json!(day(16));
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("/api/calls/{cid}"),
            Some(longer),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, body["days_left"].clone()),
        (StatusCode::OK, json!(16)),
        "{body}"
    );

    // Withdrawn, changed (a new share is asked again), submitted again.
    let (status, v) = app
        .post(&format!("{url}/withdraw"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("withdrawn"))
    );
    assert_eq!(notified(app, &firm2, "application_withdrawn").await, 1);
    let partners = [(firm2.org(), 300), (firm4.org(), 100), (univ.org(), 0)];
    let (_, v) = app
        .call(Method::PUT, &url, Some(draft(&partners, true)), Some(&lead))
        .await;
    assert_eq!(v["status"], "draft");
    assert_eq!(v["team"][0]["status"], "invited");
    assert_eq!(v["team"][1]["status"], "confirmed");
    assert_eq!(notified(app, &firm2, "application_invited").await, 2);
    let (_, _) = app
        .post(&answer, json!({"confirm": true}), Some(&firm2))
        .await;
    let (status, v) = app
        .post(&format!("{url}/submit"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{v}"
    );

    // Each phase change is in the audit trail, newest first, with who did it.
    let (_, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("call_") || a.starts_with("application_"))
        .collect();
    assert_eq!(
        actions,
        [
            "application_submitted",
            "application_withdrawn",
            "call_changed",
            "application_submitted",
            "call_published"
        ]
    );
    assert_eq!(trail[0]["org_name"], "한빛정밀", "{}", trail[0]);

    // Each organisation finds it among its applications.
    let (_, mine) = app.get("/api/calls", Some(&firm2)).await;
    assert_eq!(mine["mine"][0]["id"], aid);
    assert_eq!(mine["mine"][0]["leads"], false);
    let (_, mine) = app.get("/api/calls", Some(&lead_colleague)).await;
    assert_eq!(mine["mine"][0]["leads"], true);
    let (_, mine) = app.get("/api/calls", Some(&far)).await;
    assert_eq!(mine["mine"], json!([]));
}

async fn calls_and_applications_refuse_bad_input_and_closed_phases(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead = app.firm_member("lead@bad.example", "한빛정밀", 511).await;
    let other = app.firm_member("other@bad.example", "세진메카", 512).await;

    // A call's phases in order, its money and days sensible.
    let mut bad = call(&region);
    bad["evaluation_on"] = json!(day(10));
    bad["budget_manwon"] = json!(0);
    bad["rules"]["min_firm_share_pct"] = json!(150);
    bad["rules"]["open_problem"] = json!(true);
    bad["criteria"][0]["weight"] = json!(40);
    let (status, body) = app.post("/api/calls", bad, Some(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused(&body).into_iter().map(|(f, _)| f).collect();
    for f in [
        "evaluation_on",
        "budget_manwon",
        "rules.min_firm_share_pct",
        "rules.open_problem",
        "criteria",
    ] {
        assert!(fields.contains(&f.to_owned()), "{f}: {body}");
    }
    let mut past = call(&region);
    for (k, d) in [
        ("opens_on", -20),
        ("closes_on", -1),
        ("evaluation_on", 1),
        ("announce_on", 2),
        ("agreement_on", 3),
    ] {
        past[k] = json!(day(d));
    }
    let (status, body) = app.post("/api/calls", past, Some(&admin)).await;
    assert_eq!(
        refused(&body),
        vec![("closes_on".into(), "in_past".into())],
        "{status}"
    );
    let (status, _) = app
        .post("/api/calls", json!({"title": "x"}), Some(&admin))
        .await;
    assert!(status.is_client_error());
    assert_eq!(
        app.get("/api/calls/999999", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/applications/999999", Some(&lead)).await.0,
        StatusCode::NOT_FOUND
    );

    let (_, c) = app.post("/api/calls", call(&region), Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    let (_, a) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": "과제"}),
            Some(&lead),
        )
        .await;
    let url = format!("/api/applications/{}", a["id"]);
    let (status, _) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": " "}),
            Some(&other),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Partners: open organisations other than the lead, each once, paying
    // nothing negative; answers to the form's questions only.
    let cases = [
        (json!([{"org": lead.org(), "share_manwon": 0}]), "partners"),
        (json!([{"org": 999_999, "share_manwon": 0}]), "partners"),
        // A whole number written with a fraction is read exactly (not as
        // ….5, refused as not whole): an unknown organisation, like the one above.
        (
            json!([{"org": 4_193_222_084_598_830.0_f64, "share_manwon": 0}]),
            "partners",
        ),
        (
            json!([{"org": other.org(), "share_manwon": 0}, {"org": other.org(), "share_manwon": 1}]),
            "partners.1.org",
        ),
        (
            json!([{"org": other.org(), "share_manwon": -5}]),
            "partners.0.share_manwon",
        ),
    ];
    for (partners, field) in cases {
        let mut d = draft(&[], true);
        d["partners"] = partners;
        let (status, body) = app.call(Method::PUT, &url, Some(d), Some(&lead)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            refused(&body).iter().any(|(f, _)| f == field),
            "{field}: {body}"
        );
    }
    let mut d = draft(&[], true);
    d["answers"]["nope"] = json!("?");
    let (status, body) = app.call(Method::PUT, &url, Some(d), Some(&lead)).await;
    assert_eq!(
        (status, refused(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("answers.nope".into(), "invalid_choice".into())]
        )
    );
    let mut d = draft(&[], true);
    d["problem"] = json!(999_999);
    let (status, body) = app.call(Method::PUT, &url, Some(d), Some(&lead)).await;
    assert_eq!(
        (status, refused(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("problem".into(), "invalid_choice".into())]
        )
    );
    // Nothing of it was kept.
    let (_, v) = app.get(&url, Some(&lead)).await;
    assert_eq!(
        (v["team"].clone(), v["draft"]["answers"].clone()),
        (json!([]), json!({}))
    );

    // The deadline passed: nothing is started, saved or submitted; after
    // evaluation starts nothing is withdrawn.
    let mut ok = draft(&[], true);
    ok["government_manwon"] = json!(100);
    app.call(Method::PUT, &url, Some(ok.clone()), Some(&lead))
        .await;
    app.exec(&format!(
        "UPDATE calls SET opens_on = '{}', closes_on = '{}', evaluation_on = '{}' WHERE id = {cid}",
        day(-10),
        day(-2),
        day(-1)
    ))
    .await;
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&other)).await;
    assert_eq!(
        (seen["phase"].clone(), seen["can_apply"].clone()),
        (json!("evaluation"), json!(false))
    );
    let (status, body) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": "늦은 과제"}),
            Some(&other),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("call_not_open"))
    );
    let (status, body) = app.call(Method::PUT, &url, Some(ok), Some(&lead)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("call_not_open"))
    );
    let (status, body) = app
        .post(&format!("{url}/submit"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("call_not_open"))
    );
    let (status, body) = app
        .post(&format!("{url}/withdraw"), json!({}), Some(&lead))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("evaluation_started"))
    );
    let (_, v) = app.get(&url, Some(&lead)).await;
    assert_eq!(
        (v["status"].clone(), v["can_edit"].clone()),
        (json!("draft"), json!(false))
    );
}

/// Moves call `id`'s days so that today falls in its evaluation.
pub async fn into_evaluation(app: &TestApp, id: i64) {
    app.exec(&format!(
        "UPDATE calls SET opens_on = '{}', closes_on = '{}', evaluation_on = '{}' WHERE id = {id}",
        day(-10),
        day(-2),
        day(-1)
    ))
    .await;
}

/// `lead`'s application to call `cid`, submitted: its team is `partners`
/// (each with its share, confirming or declining; those that decline are
/// taken off before submitting). Its URL.
pub async fn submitted(
    app: &TestApp,
    cid: i64,
    lead: &Session,
    partners: &[(&Session, i64, bool)],
) -> String {
    let (status, a) = app
        .post(
            &format!("/api/calls/{cid}/applications"),
            json!({"title": "과제"}),
            Some(lead),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let url = format!("/api/applications/{}", a["id"]);
    let team = |all: bool| -> Vec<(i64, i64)> {
        partners
            .iter()
            .filter(|(_, _, yes)| all || *yes)
            .map(|(s, share, _)| (s.org(), *share))
            .collect()
    };
    let save = |partners: Vec<(i64, i64)>| {
        let url = url.clone();
        async move {
            let (status, v) = app
                .call(Method::PUT, &url, Some(draft(&partners, true)), Some(lead))
                .await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
    };
    save(team(true)).await;
    for (who, _, yes) in partners {
        let (status, v) = app
            .post(&format!("{url}/team"), json!({"confirm": yes}), Some(who))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    if partners.iter().any(|(_, _, yes)| !yes) {
        save(team(false)).await;
    }
    let (status, v) = app
        .post(&format!("{url}/submit"), json!({}), Some(lead))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    url
}

/// The call's admin decides on each application (its URL) as given.
pub async fn decide_each(app: &TestApp, admin: &Session, decisions: &[(&str, Value)]) {
    for (url, d) in decisions {
        let (status, v) = app
            .call(
                Method::PUT,
                &format!("{url}/decision"),
                Some(d.clone()),
                Some(admin),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
}

pub fn scores(s: &[i64]) -> Value {
    json!({"conflict": false, "scores": s.iter().map(|v| json!({"score": v})).collect::<Vec<_>>()})
}

async fn evaluators_score_behind_a_conflict_wall_and_the_admin_ranks(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead1 = app.firm_member("l1@eval.example", "한빛정밀", 521).await;
    let lead2 = app.firm_member("l2@eval.example", "세진메카", 522).await;
    let insider = app.colleague("in@eval.example", &lead2).await;
    let judge = app.firm_member("judge@eval.example", "평가법인", 523).await;
    let declarer = app.firm_member("decl@eval.example", "심사기관", 524).await;
    let mut open = call(&region);
    open["rules"] = json!({});
    let (_, c) = app.post("/api/calls", open, Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    let mut apps = Vec::new();
    for lead in [&lead1, &lead2] {
        let (_, a) = app
            .post(
                &format!("/api/calls/{cid}/applications"),
                json!({"title": "과제"}),
                Some(lead),
            )
            .await;
        let url = format!("/api/applications/{}", a["id"]);
        app.call(Method::PUT, &url, Some(draft(&[], true)), Some(lead))
            .await;
        let (status, v) = app
            .post(&format!("{url}/submit"), json!({}), Some(lead))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        apps.push(url);
    }

    // The admin appoints evaluators by the address of their account.
    let appoint = format!("/api/calls/{cid}/evaluators");
    for who in ["judge@eval.example", "in@eval.example", "decl@eval.example"] {
        let (status, v) = app
            .post(&appoint, json!({"email": who}), Some(&admin))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    let (status, body) = app
        .post(
            &appoint,
            json!({"email": "nobody@eval.example"}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, refused(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("email".into(), "invalid_choice".into())]
        )
    );
    let (status, _) = app
        .post(
            &appoint,
            json!({"email": "judge@eval.example"}),
            Some(&judge),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, seen) = app.get(&format!("/api/calls/{cid}"), Some(&judge)).await;
    assert_eq!(seen["evaluating"], true);

    // Not yet the evaluation phase.
    let review = |i: usize| format!("{}/review", apps[i]);
    let (status, body) = app
        .call(
            Method::PUT,
            &review(0),
            Some(scores(&[8, 7, 9, 5])),
            Some(&judge),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_evaluating"))
    );
    into_evaluation(app, cid).await;

    // An evaluator from an applicant's organisation never sees its application.
    let evaluation = format!("/api/calls/{cid}/evaluation");
    let (_, mine) = app.get(&evaluation, Some(&insider)).await;
    assert_eq!(
        mine["mine"]["to_review"].as_array().unwrap().len(),
        1,
        "{mine}"
    );
    assert_eq!(
        app.call(
            Method::PUT,
            &review(1),
            Some(scores(&[9, 9, 9, 9])),
            Some(&insider)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // One who declares a conflict is kept away from then on.
    let (status, _) = app
        .call(
            Method::PUT,
            &review(0),
            Some(json!({"conflict": true})),
            Some(&declarer),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.get(&apps[0], Some(&declarer)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(
            Method::PUT,
            &review(0),
            Some(scores(&[1, 1, 1, 1])),
            Some(&declarer)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, mine) = app.get(&evaluation, Some(&declarer)).await;
    assert_eq!(
        (
            mine["mine"]["to_review"].as_array().unwrap().len(),
            mine["mine"]["conflicts"].clone()
        ),
        (1, json!(1))
    );

    // Scores within each criterion's range, one per criterion.
    let (status, body) = app
        .call(
            Method::PUT,
            &review(0),
            Some(scores(&[11, 7, 9, 5])),
            Some(&judge),
        )
        .await;
    assert_eq!(
        (status, refused(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![("scores.0.score".into(), "out_of_range".into())]
        )
    );
    let (status, _) = app
        .call(Method::PUT, &review(0), Some(scores(&[8, 7])), Some(&judge))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // 73.0 and 83.0 (the hand-computed fixture of core::evaluation), 79.0, 60.0.
    for (i, who, s) in [
        (0, &judge, [8, 7, 9, 5]),
        (1, &judge, [10, 9, 6, 7]),
        (0, &insider, [9, 8, 8, 6]),
        (1, &declarer, [6, 6, 6, 6]),
    ] {
        let (status, v) = app
            .call(Method::PUT, &review(i), Some(scores(&s)), Some(who))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    let (_, mine) = app.get(&evaluation, Some(&judge)).await;
    assert_eq!(mine["mine"]["to_review"][1]["total_tenths"], 830);
    // An evaluator reads their own scores only; an applicant reads none.
    assert_eq!(
        (mine["ranking"].clone(), mine["evaluators"].clone()),
        (json!([]), json!([]))
    );
    let (_, v) = app.get(&apps[0], Some(&judge)).await;
    assert_eq!(
        (
            v["can_review"].clone(),
            v["my_review"]["scores"][0]["score"].clone()
        ),
        (json!(true), json!(8))
    );
    assert_eq!(
        app.get(&evaluation, Some(&lead1)).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, v) = app.get(&apps[0], Some(&lead1)).await;
    assert_eq!(v["my_review"], Value::Null);

    // A person of an applicant not yet confirmed by it is kept away all the
    // same; so is an admin who evaluates and declared a conflict.
    let pending = app
        .pending_colleague("pend@eval.example", lead1.org())
        .await;
    app.post(
        &appoint,
        json!({"email": "pend@eval.example"}),
        Some(&admin),
    )
    .await;
    assert_eq!(
        app.get(&apps[0], Some(&pending)).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, mine) = app.get(&evaluation, Some(&pending)).await;
    assert_eq!(
        mine["mine"]["to_review"].as_array().unwrap().len(),
        1,
        "{mine}"
    );
    app.post(
        &appoint,
        json!({"email": "admin@kicox.example"}),
        Some(&admin),
    )
    .await;
    let (status, _) = app
        .call(
            Method::PUT,
            &review(1),
            Some(json!({"conflict": true})),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.get(&apps[1], Some(&admin)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&apps[0], Some(&admin)).await.0, StatusCode::OK);

    // The admin's ranking: by mean, with the spread and who was kept away.
    let (_, ranked) = app.get(&evaluation, Some(&admin)).await;
    let rows = |ranked: &Value| -> Vec<(i64, Value, Value, Value, i64)> {
        ranked["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rank"].as_i64().unwrap(),
                    r["totals"].clone(),
                    r["mean_tenths"].clone(),
                    r["spread_tenths"].clone(),
                    r["conflicts"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let before = vec![
        (1, json!([730, 790]), json!(760), json!(60), 2),
        (2, json!([600, 830]), json!(715), json!(230), 2),
    ];
    assert_eq!(rows(&ranked), before);
    let scored: Vec<i64> = ranked["evaluators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["scored"].as_i64().unwrap())
        .collect();
    assert_eq!(scored, [2, 1, 1, 0, 0]);

    // Dismissed, an evaluator's scores leave the ranking (and so does the
    // conflict they declared) and they read the evaluation no more; appointed
    // again, their scores count again. Only an admin dismisses; someone who
    // is no evaluator of the call is 404. Both in the audit trail.
    let declarer_id = ranked["evaluators"][2]["person"]["id"].as_i64().unwrap();
    let dismiss = format!("{appoint}/{declarer_id}");
    assert_eq!(
        app.call(Method::DELETE, &dismiss, None, Some(&judge))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, after) = app.call(Method::DELETE, &dismiss, None, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(
        rows(&after),
        vec![
            (1, json!([830]), json!(830), json!(0), 2),
            (2, json!([730, 790]), json!(760), json!(60), 1)
        ]
    );
    assert_eq!(after["evaluators"].as_array().unwrap().len(), 4);
    assert_eq!(
        app.get(&evaluation, Some(&declarer)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(Method::DELETE, &dismiss, None, Some(&admin))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/api/calls/999999/evaluators/{declarer_id}"),
            None,
            Some(&admin)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, again) = app
        .post(
            &appoint,
            json!({"email": "decl@eval.example"}),
            Some(&admin),
        )
        .await;
    assert_eq!(rows(&again), before);
    let (_, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("evaluator_"))
        .collect();
    assert_eq!(
        actions,
        [
            "evaluator_appointed",
            "evaluator_dismissed",
            "evaluator_appointed",
            "evaluator_appointed",
            "evaluator_appointed",
            "evaluator_appointed",
            "evaluator_appointed"
        ]
    );

    // Once the selection is announced, no review changes.
    app.exec(&format!(
        "UPDATE calls SET announce_on = '{}', agreement_on = '{}' WHERE id = {cid}",
        day(0),
        day(5)
    ))
    .await;
    let (status, body) = app
        .call(
            Method::PUT,
            &review(0),
            Some(scores(&[1, 1, 1, 1])),
            Some(&judge),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_evaluating"))
    );
}
