//! Partners abroad: the register kept by admins and read by everyone (the
//! contact by staff only), agreements with their signed documents, events
//! naming their co-organisers, and a partner in use staying in the register.

use crate::{
    activities::{schedule, visit, world},
    both,
    support::{PASSWORD, Session, TestApp, error, firm_signup, jpeg_with_location, refused},
};
use axum::http::{Method, StatusCode, header};
use chrono::Duration;
use serde_json::{Value, json};

both!(
    the_register_is_kept_by_admins_and_read_by_everyone,
    agreements_carry_their_signed_documents,
    events_name_their_co_organisers,
);

fn tci() -> Value {
    json!({"name": "TCI Network", "name_ko": "TCI 네트워크", "country": "ES", "kind": "cluster",
        "website": "https://www.tci-network.org", "description": "클러스터 실무자 국제 네트워크.\n세계클러스터총회 공동 주최.",
        "contact_name": "Alba Moreno", "contact_email": "alba@tci.example"})
}

fn eda() -> Value {
    json!({"name": "U.S. Economic Development Administration (EDA)", "name_ko": "미국 경제개발청",
        "country": "US", "kind": "agency"})
}

async fn register(app: &TestApp, admin: &Session, body: Value) -> i64 {
    let (status, p) = app.post("/api/partners", body, Some(admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p["id"].as_i64().unwrap()
}

/// The register's names for `query`, and its total.
async fn names(app: &TestApp, query: &str) -> (Vec<String>, i64) {
    let (status, list) = app.get(&format!("/api/partners{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let names = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    (names, list["total"].as_i64().unwrap())
}

async fn the_register_is_kept_by_admins_and_read_by_everyone(app: &TestApp) {
    let w = world(app, 1).await;
    let member = &w.members[0];
    // Only admins register.
    let (status, _) = app.post("/api/partners", tci(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for s in [member, &w.cm] {
        let (status, body) = app.post("/api/partners", tci(), Some(s)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    let mut bad = tci();
    bad["name"] = json!("T");
    bad["country"] = json!("es");
    bad["website"] = json!("javascript:alert(1)");
    bad["contact_email"] = json!("alba at tci");
    let (status, body) = app.post("/api/partners", bad, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<String> = refused(&body).into_iter().map(|f| f.0).collect();
    assert_eq!(fields, ["name", "country", "website", "contact_email"]);
    let (_, total) = names(app, "").await;
    assert_eq!(total, 0, "nothing recorded");

    let tci_id = register(app, &w.admin, tci()).await;
    let eda_id = register(app, &w.admin, eda()).await;
    // The same body twice, in another case, is the same partner.
    let mut again = tci();
    again["name"] = json!("tci network");
    let (status, body) = app.post("/api/partners", again, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "partner_name_taken");
    assert_eq!(body["field"], "name");

    // Everyone reads the register, filtered by either name, country and kind.
    let (all, total) = names(app, "").await;
    assert_eq!(total, 2);
    assert_eq!(all.len(), 2);
    assert_eq!(names(app, "?q=eda").await.1, 1);
    assert_eq!(
        names(app, "?q=%EA%B2%BD%EC%A0%9C").await.0,
        [eda()["name"].as_str().unwrap()]
    ); // 경제
    assert_eq!(names(app, "?country=ES").await.0, ["TCI Network"]);
    assert_eq!(names(app, "?kind=agency").await.1, 1);
    assert_eq!(
        names(app, "?q=%25").await.1,
        0,
        "a % is a character, not a wildcard"
    );
    assert_eq!(
        names(app, "?q=TCI&page=2").await.0.len(),
        0,
        "a page past the end"
    );
    // Letters beyond ASCII fold alike on both databases, in search and in the rule
    // of one entry per name.
    let mut oresund = eda();
    oresund["name"] = json!("Øresund Science Region");
    oresund["name_ko"] = json!("외레순 과학 지역");
    oresund["country"] = json!("DK");
    register(app, &w.admin, oresund.clone()).await;
    assert_eq!(names(app, "?q=%C3%B8resund").await.1, 1, "ø finds Ø");
    oresund["name"] = json!("ØRESUND SCIENCE REGION");
    let (status, _) = app.post("/api/partners", oresund, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let mut korea = eda();
    korea["name"] = json!("Korea Office");
    korea["country"] = json!("KR");
    let (status, body) = app.post("/api/partners", korea, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused(&body),
        [("country".into(), "invalid_choice".into())]
    );
    let (status, list) = app.get("/api/partners", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["countries"], json!(["DK", "ES", "US"]));
    assert_eq!(list["can_edit"], false);
    let (status, body) = app.get("/api/partners?country=es", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, list) = app.get("/api/partners", Some(&w.admin)).await;
    assert_eq!(list["can_edit"], true);

    // The contact is for admins and CMs.
    let uri = format!("/api/partners/{tci_id}");
    let (status, p) = partner(app, tci_id, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["contact"], Value::Null);
    assert_eq!(p["can_edit"], false);
    assert_eq!(p["website"], "https://www.tci-network.org");
    assert_eq!(
        partner(app, tci_id, Some(member)).await.1["contact"],
        Value::Null
    );
    assert_eq!(
        partner(app, tci_id, Some(&w.cm)).await.1["contact"]["email"],
        "alba@tci.example"
    );
    let (_, p) = partner(app, tci_id, Some(&w.admin)).await;
    assert_eq!(p["contact"]["name"], "Alba Moreno");
    assert_eq!(p["can_edit"], true);
    let (_, p) = app
        .get(&format!("/api/partners/{eda_id}"), Some(&w.admin))
        .await;
    assert_eq!(p["contact"], Value::Null, "none recorded");

    // Edits: admins only; an unknown partner is 404; a name taken is 409.
    let mut edit = tci();
    edit["website"] = json!("");
    edit["contact_email"] = json!(null);
    let (status, _) = app.put(&uri, edit.clone(), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, p) = app.put(&uri, edit.clone(), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["website"], Value::Null);
    assert_eq!(p["contact"]["email"], Value::Null);
    let (status, _) = app.put("/api/partners/9999", edit, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut clash = eda();
    clash["name"] = json!("TCI NETWORK");
    let (status, _) = app
        .put(&format!("/api/partners/{eda_id}"), clash, Some(&w.admin))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Removal: admins only; then it is gone.
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(partner(app, tci_id, None).await.0, StatusCode::NOT_FOUND);
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every change is in the audit trail.
    let actions = app
        .texts(
            "SELECT action || ' ' || note FROM audit_log WHERE action LIKE 'partner%' ORDER BY id",
        )
        .await;
    assert_eq!(
        actions,
        [
            "partner_saved TCI Network",
            "partner_saved U.S. Economic Development Administration (EDA)",
            "partner_saved Øresund Science Region",
            "partner_saved TCI Network",
            "partner_removed TCI Network"
        ]
    );
}

async fn partner(app: &TestApp, id: i64, s: Option<&Session>) -> (StatusCode, Value) {
    app.get(&format!("/api/partners/{id}"), s).await
}

fn mou(signed_on: &str, expires_on: Option<&str>) -> Value {
    json!({"kind": "mou", "title": "클러스터 협력 업무협약", "scope": "공동 포럼 개최, 기업 교류, 정보 공유",
        "signed_on": signed_on, "expires_on": expires_on})
}

async fn agreements_carry_their_signed_documents(app: &TestApp) {
    let w = world(app, 1).await;
    let member = &w.members[0];
    let id = register(app, &w.admin, tci()).await;
    let agreements = format!("/api/partners/{id}/agreements");
    // Refused: not an admin, an unknown partner, an end before the start.
    let (status, _) = app
        .post(&agreements, mou("2025-10-21", None), Some(&w.cm))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post(
            "/api/partners/9999/agreements",
            mou("2025-10-21", None),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .post(
            &agreements,
            mou("2025-10-21", Some("2025-10-21")),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [("expires_on".into(), "end_before_start".into())]
    );
    // Years both databases keep (PostgreSQL has no year -5000; SQLite would sort
    // +10000 before 2026).
    let (status, body) = app
        .post(
            &agreements,
            mou("-5000-01-01", Some("+10000-01-01")),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].1, "out_of_range");

    let (status, current) = app
        .post(
            &agreements,
            mou("2025-10-21", Some("2099-10-20")),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{current}");
    assert_eq!(current["document"], Value::Null);
    let mut old = mou("2019-05-02", Some("2022-05-01"));
    old["kind"] = json!("joint_declaration");
    old["title"] = json!("공동선언문");
    let (status, ended) = app.post(&agreements, old, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{ended}");
    // The list counts what is in force today and the latest signed.
    let (_, list) = app.get("/api/partners", None).await;
    assert_eq!(list["items"][0]["agreements_in_force"], 1);
    assert_eq!(list["items"][0]["latest_agreement"], "2025-10-21");
    let (_, p) = app.get(&format!("/api/partners/{id}"), None).await;
    let titles: Vec<&str> = p["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["클러스터 협력 업무협약", "공동선언문"],
        "latest first"
    );

    // The signed document: a PDF, or a scan; admins attach it.
    let doc = format!("{agreements}/{}/document", current["id"]);
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    let (status, _) = app.upload(&doc, "mou.pdf", pdf, &w.cm).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.upload(&doc, "mou.exe", b"MZ\x90\x00", &w.admin).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let big = [pdf.as_slice(), &vec![b' '; 10 * 1024 * 1024]].concat();
    let (status, body) = app.upload(&doc, "big.pdf", &big, &w.admin).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let (status, body) = app
        .multipart(&doc, &[("other", Some("mou.pdf"), pdf)], &w.admin)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .upload(
            &format!("{agreements}/9999/document"),
            "mou.pdf",
            pdf,
            &w.admin,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, a) = app.upload(&doc, "../TCI MOU 2025.pdf", pdf, &w.admin).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["document"]["name"], "TCI MOU 2025.pdf");
    assert_eq!(a["document"]["content_type"], "application/pdf");
    assert_eq!(a["document"]["size"], pdf.len());
    // Signed-in people whose address is verified download it.
    let (status, _) = app.get(&doc, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("new@made-up.example", "새회사", 7),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let fresh = app.signin("new@made-up.example", PASSWORD).await.unwrap();
    let (status, body) = app.get(&doc, Some(&fresh)).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::FORBIDDEN, "email_unverified")
    );
    let (status, headers, bytes) = app.bytes(&doc, member).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes.as_ref(), pdf);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    // A scan replaces it, without where it was taken.
    let scan = jpeg_with_location();
    let (status, a) = app.upload(&doc, "scan.jpg", &scan, &w.admin).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["document"]["content_type"], "image/jpeg");
    let (_, _, bytes) = app.bytes(&doc, member).await;
    assert!(bytes.len() < scan.len(), "the location data went");
    assert_eq!(
        app.texts("SELECT name FROM partner_documents").await,
        ["scan.jpg"],
        "one document an agreement"
    );

    // Edited and removed by admins, the document with it.
    let one = format!("{agreements}/{}", current["id"]);
    let mut edit = mou("2025-10-22", None);
    edit["title"] = json!("클러스터 협력 업무협약 (개정)");
    let (status, _) = app.put(&one, edit.clone(), Some(member)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, a) = app.put(&one, edit, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["expires_on"], Value::Null);
    assert_eq!(a["document"]["name"], "scan.jpg", "the document stays");
    let (status, _) = app.call(Method::DELETE, &one, None, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, ..) = app.bytes(&doc, member).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.put(&one, mou("2025-10-22", None), Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        app.texts("SELECT name FROM partner_documents")
            .await
            .is_empty()
    );
    // Another partner's agreement is not this one's.
    let other = register(app, &w.admin, eda()).await;
    let (status, _) = app
        .put(
            &format!("/api/partners/{other}/agreements/{}", ended["id"]),
            mou("2019-05-02", None),
            Some(&w.admin),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let notes = app
        .texts("SELECT action || ' ' || note FROM audit_log WHERE action LIKE 'agreement%' ORDER BY id")
        .await;
    assert_eq!(notes.len(), 6, "{notes:?}");
    assert_eq!(
        notes[5],
        "agreement_removed TCI Network: 클러스터 협력 업무협약 (개정)"
    );
}

async fn events_name_their_co_organisers(app: &TestApp) {
    let w = world(app, 1).await;
    let tci_id = register(app, &w.admin, tci()).await;
    let eda_id = register(app, &w.admin, eda()).await;
    let mut forum = visit(w.consortium, 50, Duration::days(30));
    forum["kind"] = json!("forum");
    forum["title"] = json!("세계 클러스터 포럼");
    // Co-organisers come from the register, each once.
    for partners in [json!([tci_id, 9999]), json!([tci_id, tci_id])] {
        let mut body = forum.clone();
        body["partners"] = partners;
        let (status, body) = app.post("/api/activities", body, Some(&w.cm)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(refused(&body)[0].0, "partners");
    }
    forum["partners"] = json!([tci_id, eda_id]);
    let id = schedule(app, &w.cm, forum.clone()).await;
    let (_, a) = app.get(&format!("/api/activities/{id}"), None).await;
    let names: Vec<&str> = a["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name_ko"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"TCI 네트워크") && names.contains(&"미국 경제개발청"));

    // The partner's page lists the event; the register counts it.
    let (_, p) = app.get(&format!("/api/partners/{tci_id}"), None).await;
    assert_eq!(p["events"][0]["id"], id);
    assert_eq!(p["events"][0]["title"], "세계 클러스터 포럼");
    assert_eq!(p["events"][0]["kind"], "forum");
    assert_eq!(p["events"][0]["cancelled"], false);
    let (_, list) = app.get("/api/partners?country=ES", None).await;
    assert_eq!(list["items"][0]["events"], 1);

    // A partner events name stays in the register.
    let uri = format!("/api/partners/{tci_id}");
    let (status, body) = app.call(Method::DELETE, &uri, None, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "partner_in_use");
    assert_eq!(error(&body), "conflict");

    // An edit that leaves them out keeps them; one that names fewer changes them.
    let edit = format!("/api/activities/{id}");
    let mut body = forum.clone();
    body.as_object_mut().unwrap().remove("partners");
    let (status, a) = app.put(&edit, body.clone(), Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["partners"].as_array().unwrap().len(), 2);
    body["partners"] = json!([eda_id]);
    let (status, a) = app.put(&edit, body, Some(&w.cm)).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["partners"][0]["id"], eda_id);
    let (_, p) = app.get(&uri, None).await;
    assert_eq!(p["events"], json!([]));
    let (status, _) = app.call(Method::DELETE, &uri, None, Some(&w.admin)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // A cancelled event (which cannot be edited) shows its co-organiser as
    // cancelled and no longer keeps it in the register.
    let (status, _) = app
        .post(
            &format!("/api/activities/{id}/cancel"),
            json!({"note": "연기"}),
            Some(&w.cm),
        )
        .await;
    assert!(status.is_success(), "{status}");
    let eda_uri = format!("/api/partners/{eda_id}");
    let (_, p) = app.get(&eda_uri, None).await;
    assert_eq!(p["events"][0]["cancelled"], true);
    let (status, _) = app
        .call(Method::DELETE, &eda_uri, None, Some(&w.admin))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, a) = app.get(&format!("/api/activities/{id}"), None).await;
    assert_eq!(a["partners"], json!([]));
}
