//! An organisation's representative hands the role to a confirmed colleague,
//! who accepts; an admin sets it when the representative is gone. Each change
//! is in the audit trail.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    the_representative_hands_over_to_a_confirmed_colleague,
    an_admin_makes_someone_representative
);

async fn the_representative_hands_over_to_a_confirmed_colleague(app: &TestApp) {
    let rep = app.firm_member("rep@hand.example", "넘김정밀", 1).await;
    let colleague = app.colleague("next@hand.example", &rep).await;
    let pending = app
        .pending_colleague("waiting@hand.example", rep.org())
        .await;
    let outsider = app.firm_member("out@other.example", "남남", 2).await;

    // The representative sees whom the role can go to: confirmed colleagues only.
    let (status, state) = app.get("/api/me/handover", Some(&rep)).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["representative"]["id"], rep.id());
    let ids: Vec<i64> = state["colleagues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [colleague.id()]);
    // Nobody else offers it, and not to anyone.
    let (status, _) = app
        .post(
            "/api/me/handover",
            json!({"to": rep.id()}),
            Some(&colleague),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for to in [pending.id(), outsider.id(), rep.id(), 999_999] {
        let (status, body) = app
            .post("/api/me/handover", json!({"to": to}), Some(&rep))
            .await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("to")),
            "{to}"
        );
    }
    let (status, _) = app.get("/api/me/handover", Some(&pending)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "not before they are confirmed"
    );
    // Accepting without an offer: nothing to accept.
    let (status, _) = app
        .call(
            Method::POST,
            "/api/me/handover/accept",
            None,
            Some(&colleague),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Offered, withdrawn, offered again, accepted.
    let (status, state) = app
        .post(
            "/api/me/handover",
            json!({"to": colleague.id()}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["offered_to"]["id"], colleague.id());
    let (status, _) = app
        .call(Method::DELETE, "/api/me/handover", None, Some(&rep))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, state) = app.get("/api/me/handover", Some(&colleague)).await;
    assert!(state["offered_to"].is_null());
    app.post(
        "/api/me/handover",
        json!({"to": colleague.id()}),
        Some(&rep),
    )
    .await;
    let (status, me) = app
        .call(
            Method::POST,
            "/api/me/handover/accept",
            None,
            Some(&colleague),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["organisation"]["representative_id"], colleague.id());
    // The new representative confirms people; the one before no longer does.
    let (status, _) = app.get("/api/me/colleagues", Some(&colleague)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get("/api/me/colleagues", Some(&rep)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, state) = app.get("/api/me/handover", Some(&rep)).await;
    assert_eq!(state["representative"]["id"], colleague.id());
    assert!(state["offered_to"].is_null());
    assert_eq!(
        state["colleagues"],
        json!([]),
        "only the representative sees them"
    );
    let changed = app
        .texts("SELECT action FROM audit_log WHERE action = 'representative_changed'")
        .await;
    assert_eq!(changed.len(), 1);
}

async fn an_admin_makes_someone_representative(app: &TestApp) {
    let admin = app.admin().await;
    let rep = app.firm_member("gone@hand.example", "떠난대표", 1).await;
    let waiting = app.pending_colleague("stays@hand.example", rep.org()).await;
    let (_, found) = app
        .get("/api/admin/users?q=hand.example", Some(&admin))
        .await;
    let flags: Vec<(String, bool)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["email"].as_str().unwrap().to_owned(),
                u["representative"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        flags.contains(&("gone@hand.example".into(), true)),
        "{flags:?}"
    );
    assert!(
        flags.contains(&("stays@hand.example".into(), false)),
        "{flags:?}"
    );
    let uri = format!("/api/admin/users/{}/representative", waiting.id());
    let (status, _) = app.call(Method::POST, &uri, None, Some(&rep)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call(Method::POST, &uri, None, Some(&admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Confirmed and representing from now on; twice is a conflict.
    let me = app.me(&waiting).await;
    assert_eq!(me["affiliation"], "confirmed");
    assert_eq!(me["organisation"]["representative_id"], waiting.id());
    let (status, _) = app.call(Method::POST, &uri, None, Some(&admin)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, audit) = app.get("/api/admin/audit", Some(&admin)).await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "representative_changed")
        .expect("an audit entry");
    assert_eq!(entry["actor"]["id"], admin.id());
}
