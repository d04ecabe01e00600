//! Founding (협의체 구성): once a call's results are announced, its admin founds
//! the theme cluster a selected application proposed. The lead runs it, the
//! lead and the partners that confirmed are its members, its CM one of their
//! people; it appears in the directory and its members' people are told.
//! Founded once, by the call's admin only, from a selected application only.

use crate::{
    both,
    calls::{call, decide_each, into_evaluation, notified, regions, submitted},
    support::*,
};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

both!(a_selected_application_founds_its_theme_cluster);

fn founding(name: &str, manager: i64) -> Value {
    json!({
        "name": name, "kind": "theme_cluster", "complex_id": 1, "field_id": 1,
        "description": "미래차 경량 부품을 함께 개발하는 테마클러스터",
        "term_start": "2027-03-01", "term_end": "2030-02-28", "manager": manager
    })
}

/// A 409's code.
fn conflict(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

async fn count(app: &TestApp, sql: &str) -> usize {
    app.texts(sql).await.len()
}

async fn a_selected_application_founds_its_theme_cluster(app: &TestApp) {
    let admin = app.admin().await;
    let (region, _) = regions(app).await;
    let lead = app.firm_member("lead@found.example", "한빛정밀", 561).await;
    let cm = app.colleague("cm@found.example", &lead).await;
    let partner = app.firm_member("p@found.example", "세진메카", 562).await;
    let decliner = app.firm_member("d@found.example", "남동몰드", 563).await;
    let other_lead = app.firm_member("o@found.example", "서해전자", 564).await;
    let outsider = app.firm_member("x@found.example", "반월화학", 565).await;
    let mut open = call(&region);
    open["rules"] = json!({});
    open["budget_manwon"] = json!(5000);
    let (_, c) = app.post("/api/calls", open, Some(&admin)).await;
    let cid = c["id"].as_i64().unwrap();
    let agreement_on = c["call"]["agreement_on"].clone();
    let urls = [
        submitted(
            app,
            cid,
            &lead,
            &[(&partner, 100, true), (&decliner, 50, false)],
        )
        .await,
        submitted(app, cid, &other_lead, &[]).await,
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
                json!({"decision": "not_selected", "reason": "협력 구성 미흡"}),
            ),
        ],
    )
    .await;
    let found = format!("{}/consortium", urls[0]);
    let consortia = "SELECT name FROM consortia";

    // Nothing is founded before the results are announced.
    let (status, body) = app
        .post(
            &found,
            founding("미래차 경량 부품 테마클러스터", cm.id()),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, conflict(&body)),
        (StatusCode::CONFLICT, "not_selected")
    );
    let (_, v) = app.get(&urls[0], Some(&admin)).await;
    assert!(v["founding"].is_null(), "{v}");
    let (status, _) = app
        .post(
            &format!("/api/calls/{cid}/announce"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The admin's form starts from the application: the theme cluster's kind,
    // the lead's complex, the agreement day, the team's confirmed people (the
    // lead's first; none of the partner that declined, nor of anyone else).
    let (_, v) = app.get(&urls[0], Some(&admin)).await;
    let f = &v["founding"];
    assert_eq!(f["kinds"], json!(["theme_cluster"]), "{v}");
    assert_eq!(f["complex_id"], 1);
    assert_eq!(f["term_start"], agreement_on);
    let people: Vec<i64> = f["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(people.len(), 3, "{f}");
    assert!(people[..2].contains(&lead.id()) && people[..2].contains(&cm.id()));
    assert_eq!(people[2], partner.id());
    // The team sees no form; the not-selected one has none either.
    let (_, v) = app.get(&urls[0], Some(&lead)).await;
    assert!(v["founding"].is_null() && v["consortium"].is_null(), "{v}");
    let (_, v) = app.get(&urls[1], Some(&admin)).await;
    assert!(v["founding"].is_null(), "{v}");

    // Only the call's admin founds, only a selected application, only a kind
    // the call founds, only with a CM from the team; nothing is kept otherwise.
    let ok = founding("미래차 경량 부품 테마클러스터", cm.id());
    assert_eq!(
        app.post(&found, ok.clone(), Some(&lead)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&found, ok.clone(), Some(&outsider)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = app
        .post(&format!("{}/consortium", urls[1]), ok.clone(), Some(&admin))
        .await;
    assert_eq!(
        (status, conflict(&body)),
        (StatusCode::CONFLICT, "not_selected")
    );
    let mut mini = ok.clone();
    mini["kind"] = json!("mini_cluster");
    let mut no_term = ok.clone();
    no_term["term_end"] = Value::Null;
    let mut nowhere = ok.clone();
    nowhere["complex_id"] = json!(9_999_999);
    let refusals = [
        (mini, "kind"),
        (no_term, "term_end"),
        (nowhere, "complex_id"),
        (
            founding("미래차 경량 부품 테마클러스터", outsider.id()),
            "manager",
        ),
        (
            founding("미래차 경량 부품 테마클러스터", decliner.id()),
            "manager",
        ),
        (
            founding("미래차 경량 부품 테마클러스터", admin.id()),
            "manager",
        ),
    ];
    for (body, field) in refusals {
        let (status, v) = app.post(&found, body, Some(&admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert_eq!(refused(&v)[0].0, field, "{v}");
    }
    let taken = app.consortium(&admin, "같은 이름 클러스터", None).await;
    let (status, v) = app
        .post(
            &found,
            founding("같은 이름 클러스터", cm.id()),
            Some(&admin),
        )
        .await;
    assert_eq!((status, conflict(&v)), (StatusCode::CONFLICT, "name_taken"));
    assert_eq!(count(app, consortia).await, 1);
    assert_eq!(notified(app, &partner, "consortium_founded").await, 0);

    // Founded: the application links it, its team is its membership, the lead
    // runs it, the CM is appointed, and it is in the directory.
    let (status, v) = app.post(&found, ok.clone(), Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert!(v["founding"].is_null(), "{v}");
    let id = v["consortium"]["id"].as_i64().unwrap();
    assert_ne!(id, taken);
    assert_eq!(v["consortium"]["name"], "미래차 경량 부품 테마클러스터");
    let (_, page) = app.get(&format!("/api/consortia/{id}"), Some(&admin)).await;
    assert_eq!(page["summary"]["kind"], "theme_cluster");
    assert_eq!(page["term_start"], "2027-03-01");
    assert_eq!(page["term_end"], "2030-02-28");
    assert_eq!(page["origin"]["operator"], "한빛정밀");
    assert_eq!(page["origin"]["call_id"], cid);
    assert_eq!(page["origin"]["call_title"], "2027 테마클러스터 공모");
    assert_eq!(page["managers"][0]["id"], cm.id());
    let mut members: Vec<&str> = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organisation"]["name"].as_str().unwrap())
        .collect();
    members.sort_unstable();
    assert_eq!(members, ["세진메카", "한빛정밀"]);
    let (_, anyone) = app.get(&format!("/api/consortia/{id}"), None).await;
    assert_eq!(anyone["origin"]["operator"], "한빛정밀");
    assert!(anyone["members"].is_null());
    let (_, list) = app.get("/api/consortia?q=경량", None).await;
    assert_eq!(list["items"][0]["id"], id, "{list}");
    let (_, v) = app.get(&urls[0], Some(&partner)).await;
    assert_eq!(v["consortium"]["id"], id);

    // The members' people are told (the CM of their appointment too); the
    // partner that declined and the other applicant are not.
    for s in [&lead, &cm, &partner] {
        assert_eq!(notified(app, s, "consortium_founded").await, 1);
    }
    for s in [&decliner, &other_lead, &outsider] {
        assert_eq!(notified(app, s, "consortium_founded").await, 0);
    }
    assert_eq!(notified(app, &cm, "appointed_manager").await, 1);
    // The partner's person is a member now: their consortia list it.
    let (_, mine) = app.get("/api/consortia?mine=true", Some(&partner)).await;
    assert_eq!(mine["items"][0]["id"], id, "{mine}");

    // What was founded on the decision stands: no correction after.
    let (status, body) = app
        .call(
            Method::PUT,
            &format!("{}/decision", urls[0]),
            Some(json!({"decision": "not_selected", "reason": "재검토"})),
            Some(&admin),
        )
        .await;
    assert_eq!(
        (status, conflict(&body)),
        (StatusCode::CONFLICT, "already_founded")
    );

    // Once.
    let (status, body) = app.post(&found, ok, Some(&admin)).await;
    assert_eq!(
        (status, conflict(&body)),
        (StatusCode::CONFLICT, "already_founded")
    );
    assert_eq!(count(app, consortia).await, 2);
    let (_, v) = app.get(&urls[0], Some(&admin)).await;
    assert!(
        v["founding"].is_null() && v["consortium"]["id"] == id,
        "{v}"
    );
}
