//! Sign-up, sign-in, sessions, CSRF and throttling.

use crate::{both, support::*};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use moim_server::db::recovery::AccountMail;
use serde_json::json;

both!(
    signup_signin_signout,
    signup_refuses_bad_input,
    signup_refuses_guessable_passwords_and_line_breaks,
    second_person_joins_existing_org,
    affiliation_needs_the_representative,
    csrf_is_enforced,
    signin_is_throttled,
    a_burst_of_guesses_is_held_to_the_limit,
    expert_profile
);

async fn signup_signin_signout(app: &TestApp) {
    let s = app
        .firm_member("Kim@Hanbit.Example", "(주)한빛정밀", 1)
        .await;
    assert_eq!(
        s.me["email"], "kim@hanbit.example",
        "emails are stored normalised"
    );
    assert_eq!(
        s.me["organisation"]["business_no"].as_str().unwrap().len(),
        12,
        "shown as 123-45-67890"
    );
    assert_eq!(
        s.me["organisation"]["representative_id"], s.me["id"],
        "the first person of a firm represents it"
    );
    assert_eq!(app.me(&s).await["name"], "김민수");
    let (status, current) = app.get("/api/auth/session", Some(&s)).await;
    assert_eq!(
        (status, current["id"].clone()),
        (StatusCode::OK, s.me["id"].clone())
    );

    let (status, body) = app
        .call(Method::POST, "/api/auth/signout", None, Some(&s))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = app.get("/api/auth/me", Some(&s)).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNAUTHORIZED, "unauthenticated"),
        "the old cookie is dead"
    );
    let (status, current) = app.get("/api/auth/session", Some(&s)).await;
    assert_eq!((status, current), (StatusCode::OK, serde_json::Value::Null));

    let (status, body) = app
        .signin("kim@hanbit.example", "wrong password!")
        .await
        .unwrap_err();
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let (status, body) = app
        .signin("nobody@hanbit.example", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(
        (status, error(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        "unknown email looks the same"
    );

    let again = app.signin("KIM@hanbit.example ", PASSWORD).await.unwrap();
    assert_ne!(again.cookie, s.cookie, "a new session token every sign-in");
    assert_eq!(again.me["id"], s.me["id"]);
}

/// Passwords an outside test got through (issue 11), judged by zxcvbn with the
/// person's own email, name and firm counted as guessable; and line breaks in a
/// one-line field, which would add lines to other people's mail.
async fn signup_refuses_guessable_passwords_and_line_breaks(app: &TestApp) {
    let weak = [
        ("        ", "repeated"),
        ("aaaaaaaa", "repeated"),
        ("abcdefgh1", "sequence"),
        ("11111111a", "repeated"),
        ("0000000000000", "repeated"),
        ("hanbit2026", ""),
        ("qwertyuiop12", ""),
    ];
    for (n, (password, hint)) in (0u32..).zip(weak) {
        let mut req = firm_signup(&format!("weak{n}@hanbit.example"), "한빛정밀", 40 + n);
        req["password"] = json!(password);
        let (status, body) = app.post("/api/auth/signup", req, None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password:?}: {body}"
        );
        let field = &body["fields"][0];
        assert_eq!(
            (field["field"].as_str(), field["code"].as_str()),
            (Some("password"), Some("weak_password")),
            "{password:?}: {body}"
        );
        if !hint.is_empty() {
            assert_eq!(field["hint"], hint, "{password:?}");
        }
    }
    let mut req = firm_signup("weak@hanbit.example", "한빛정밀", 60);
    req["name"] = json!("김민수\r\nBcc: x@evil.example");
    req["department"] = json!("생산\t기술");
    let (status, body) = app.post("/api/auth/signup", req, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<(&str, &str)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "control_characters"),
            ("department", "control_characters")
        ]
    );
    // A strong password of the same person goes through.
    let mut req = firm_signup("strong@hanbit.example", "한빛정밀", 61);
    req["password"] = json!("냉각 채널 사출 여름 2026");
    let (status, body) = app.post("/api/auth/signup", req, None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
}

async fn signup_refuses_bad_input(app: &TestApp) {
    let mut bad = firm_signup("not-an-email", "", 2);
    bad["password"] = json!("1q2w3e4r");
    bad["organisation"]["business_no"] = json!("123-45-67890");
    let (status, body) = app.post("/api/auth/signup", bad, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(&str, &str)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "invalid_email"),
            ("password", "common_password"),
            ("organisation.name", "required"),
            ("organisation.business_no", "invalid_business_number")
        ]
    );

    app.firm_member("first@firm.example", "첫회사", 3).await;
    let (status, body) = app
        .post(
            "/api/auth/signup",
            firm_signup("second@firm.example", "같은번호", 3),
            None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("business_number_taken"))
    );

    let mut unknown_complex = firm_signup("third@firm.example", "세번째", 5);
    unknown_complex["organisation"]["complex_id"] = json!(999_999);
    let (status, body) = app.post("/api/auth/signup", unknown_complex, None).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("organisation.complex_id")
        )
    );

    let (status, body) = app.post("/api/auth/signup", json!({"email": "x@y.example", "organisation": {"mode": "existing", "id": 424242}, "password": PASSWORD, "name": "이름", "consents": consents()}), None).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("organisation"))
    );
}

async fn second_person_joins_existing_org(app: &TestApp) {
    let rep = app.firm_member("rep@org.example", "대표회사", 10).await;
    let (status, found) = app
        .get(
            &format!(
                "/api/orgs/lookup?business_no={}",
                moim_server::seed::business_number(200_000_010)
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["organisation"]["id"], rep.org());
    let colleague = app.colleague("colleague@org.example", &rep).await;
    assert_eq!(colleague.org(), rep.org());
    assert_eq!(
        colleague.me["organisation"]["representative_id"], rep.me["id"],
        "the representative stays"
    );
    let (status, list) = app.get("/api/orgs?q=대표", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, _) = app.get("/api/orgs/lookup?business_no=123", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Knowing a firm's (public) business number is not enough to act for it.
async fn affiliation_needs_the_representative(app: &TestApp) {
    let admin = app.admin().await;
    let rep = app.firm_member("rep@firm.example", "대표회사", 15).await;
    let id = app.consortium(&admin, "소속 협의체", None).await;
    let (_, r) = app
        .post(
            &format!("/api/consortia/{id}/requests"),
            json!({"motivation": "가입을 신청합니다. 함께해요"}),
            Some(&rep),
        )
        .await;
    app.post(
        &format!("/api/requests/{}/decision", r["id"]),
        json!({"approve": true}),
        Some(&admin),
    )
    .await;

    let claimant = app
        .pending_colleague("claim@elsewhere.example", rep.org())
        .await;
    let (_, notes) = app.get("/api/notifications", Some(&rep)).await;
    assert_eq!(
        notes[0]["kind"], "affiliation_requested",
        "the representative is told"
    );
    let (status, page) = app
        .get(&format!("/api/consortia/{id}"), Some(&claimant))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["standing"]["state"], "unconfirmed");
    assert_eq!(
        page["members"],
        serde_json::Value::Null,
        "no member list before confirmation"
    );
    let other = app.consortium(&admin, "다른 협의체", None).await;
    let (status, _) = app
        .post(
            &format!("/api/consortia/{other}/requests"),
            json!({"motivation": "대표회사 이름으로 가입 신청합니다"}),
            Some(&claimant),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "cannot act for the firm");
    let (_, mine) = app.get("/api/consortia?mine=true", Some(&claimant)).await;
    assert_eq!(mine["total"], 0);
    let (_, requests) = app.get("/api/me/requests", Some(&claimant)).await;
    assert_eq!(requests, json!([]));
    let (status, _) = app
        .get(&format!("/api/requests/{}", r["id"]), Some(&claimant))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/me/colleagues", Some(&claimant)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the representative answers"
    );

    let stranger = app
        .firm_member("stranger@firm.example", "낯선회사", 16)
        .await;
    let (status, _) = app
        .post(
            &format!("/api/me/colleagues/{}", claimant.id()),
            json!({"confirm": true}),
            Some(&stranger),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another firm's representative cannot confirm"
    );

    let (status, list) = app.get("/api/me/colleagues", Some(&rep)).await;
    assert_eq!(
        (status, list[0]["email"].as_str()),
        (StatusCode::OK, Some("claim@elsewhere.example"))
    );
    let (status, _) = app
        .post(
            &format!("/api/me/colleagues/{}", claimant.id()),
            json!({"confirm": false}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.me(&claimant).await["affiliation"], "declined");
    let (status, _) = app
        .post(
            &format!("/api/consortia/{other}/requests"),
            json!({"motivation": "대표회사 이름으로 가입 신청합니다"}),
            Some(&claimant),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "declined people do not act either"
    );

    let real = app.colleague("real@firm.example", &rep).await;
    assert_eq!(app.me(&real).await["affiliation"], "confirmed");
    let (_, notes) = app.get("/api/notifications", Some(&real)).await;
    assert_eq!(notes[0]["kind"], "affiliation_confirmed");
    let (_, page) = app.get(&format!("/api/consortia/{id}"), Some(&real)).await;
    assert_eq!(page["standing"]["state"], "member");
    let (status, _) = app
        .post(
            &format!("/api/consortia/{other}/requests"),
            json!({"motivation": "대표회사 이름으로 가입 신청합니다"}),
            Some(&real),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn csrf_is_enforced(app: &TestApp) {
    let s = app.firm_member("csrf@firm.example", "보안회사", 20).await;
    let forged = Session {
        csrf: "0".repeat(64),
        ..s.clone()
    };
    let (status, body) = app
        .call(
            Method::POST,
            "/api/notifications/read-all",
            None,
            Some(&forged),
        )
        .await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::FORBIDDEN, "csrf_rejected")
    );
    let (status, _) = app
        .call(Method::POST, "/api/notifications/read-all", None, Some(&s))
        .await;
    assert_eq!(status, StatusCode::OK);

    let cross_site = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/signin")
        .header(header::HOST, "moim.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": "csrf@firm.example", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let (_, (status, body)) = app.send(cross_site).await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::FORBIDDEN, "csrf_rejected"),
        "login CSRF is refused too"
    );
}

/// A sign-in request from `ip`, with the browser's device cookie if it has one.
fn signin_from(email: &str, password: &str, ip: [u8; 4], device: Option<&str>) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/signin")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(d) = device {
        req = req.header(header::COOKIE, d);
    }
    let mut req = req
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))));
    req
}

/// The status a sign-in from `ip` (with the browser's device cookie, if any) gets.
async fn signin_status(
    app: &TestApp,
    email: &str,
    password: &str,
    ip: [u8; 4],
    device: Option<&str>,
) -> StatusCode {
    app.send(signin_from(email, password, ip, device)).await.1.0
}

/// The device cookie a response set, as the browser sends it back (`name=value`).
fn device_cookie(headers: &axum::http::HeaderMap) -> String {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("moim_device_"))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned()
}

/// Guessing is slow, and nobody can lock a person out of the browser they use:
/// failures elsewhere never count against a browser that signed in before.
async fn signin_is_throttled(app: &TestApp) {
    let (status, _) = app
        .post(
            "/api/auth/signup",
            firm_signup("target@firm.example", "표적회사", 30),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // The verification link signs the person in: this browser knows the account.
    let token = app
        .link_mailed("target@firm.example", AccountMail::Verify)
        .await
        .unwrap();
    let (headers, (status, _)) = app.open_link(&token).await;
    assert_eq!(status, StatusCode::OK);
    let me = app
        .signin("target@firm.example", PASSWORD)
        .await
        .unwrap()
        .me;
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("moim_device_"))
        .unwrap();
    assert!(
        cookie.starts_with(&format!("moim_device_{}=", me["id"])),
        "one device cookie per account: {cookie}"
    );
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/auth"),
        "{cookie}"
    );
    let owner = device_cookie(&headers);

    // One address guesses: five failures, then even the right password waits there.
    let attacker = [203, 0, 113, 7];
    for _ in 0..5 {
        let status = signin_status(
            app,
            "target@firm.example",
            "guess guess guess",
            attacker,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (headers, (status, body)) = app
        .send(signin_from("target@firm.example", PASSWORD, attacker, None))
        .await;
    assert_eq!(
        (status, error(&body)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
        "the guessing address waits, even with the right password"
    );
    let retry: u64 = headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert_eq!(body["retry_after"].as_u64(), Some(retry));

    // Many addresses guess: twenty failures hold the account for new browsers...
    for n in 1..=3u8 {
        for _ in 0..5 {
            let status = signin_status(
                app,
                "target@firm.example",
                "guess guess guess",
                [198, 51, 100, n],
                None,
            )
            .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    }
    let status = signin_status(app, "target@firm.example", PASSWORD, [192, 0, 2, 1], None).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a new browser waits while the account is under attack"
    );
    // ...but the person's own browser signs in, from the attacker's address too.
    let (headers, (status, body)) = app
        .send(signin_from(
            "target@firm.example",
            PASSWORD,
            attacker,
            Some(&owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        device_cookie(&headers),
        owner,
        "a known browser keeps its device cookie"
    );
    // A planted cookie of the same name does not hide the real one.
    let decoy = format!("{}=made-up; {owner}", owner.split('=').next().unwrap());
    let status = signin_status(
        app,
        "target@firm.example",
        PASSWORD,
        [192, 0, 2, 1],
        Some(&decoy),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the real device cookie is found behind a decoy"
    );
    // That browser has a budget of its own: its own failures count, nobody else's.
    for _ in 0..5 {
        let status = signin_status(
            app,
            "target@firm.example",
            "my typo typo",
            [192, 0, 2, 9],
            Some(&owner),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let status = signin_status(
        app,
        "target@firm.example",
        PASSWORD,
        [192, 0, 2, 9],
        Some(&owner),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a known browser's own guesses are limited too"
    );

    // A device cookie of another account, or a made-up one, is no pass.
    let other = app.firm_member("other@firm.example", "다른회사", 31).await;
    let made_up = format!("moim_device_{}=made-up", other.me["id"]);
    for device in [Some(owner.as_str()), Some(made_up.as_str()), None] {
        let status = signin_status(app, "other@firm.example", PASSWORD, attacker, device).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "another account from the guessing address is not held by this one's failures"
        );
    }

    // An account is known on its ten most recent browsers: a script signing in
    // again and again adds no rows beyond them, and the oldest is forgotten.
    let (headers, _) = app
        .send(signin_from("other@firm.example", PASSWORD, attacker, None))
        .await;
    let first = device_cookie(&headers);
    for _ in 0..10 {
        app.send(signin_from("other@firm.example", PASSWORD, attacker, None))
            .await;
    }
    let (headers, (status, _)) = app
        .send(signin_from(
            "other@firm.example",
            PASSWORD,
            attacker,
            Some(&first),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        device_cookie(&headers),
        first,
        "the eleventh browser back is a new one"
    );
}

/// Twenty guesses sent at once: the limit (5) are checked, the rest turned away,
/// since each attempt is counted (one after another) before its password is hashed.
async fn a_burst_of_guesses_is_held_to_the_limit(app: &TestApp) {
    app.firm_member("burst@firm.example", "돌발회사", 32).await;
    let burst = (0..20).map(|_| {
        app.send(signin_from(
            "burst@firm.example",
            "guess guess guess",
            [203, 0, 113, 99],
            None,
        ))
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(burst)
        .await
        .into_iter()
        .map(|(_, (status, _))| status)
        .collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let held = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + held, 20, "{statuses:?}");
    // Attempts are counted one after another: exactly five get through.
    assert_eq!(checked, 5, "{statuses:?}");
    // The turned-away attempts were not counted: the owner's next try from a new
    // address is held by the account's five failures only, not by twenty.
    let status = signin_status(app, "burst@firm.example", PASSWORD, [192, 0, 2, 50], None).await;
    assert_eq!(status, StatusCode::OK);
}

async fn expert_profile(app: &TestApp) {
    let body = json!({"email": "prof@univ.example", "password": PASSWORD, "name": "안재훈", "department": "기계공학과", "is_expert": true,
        "organisation": {"mode": "new", "kind": "university", "name": "동남과학기술대학교"}});
    let prof = app.signup(body).await.unwrap();
    let profile = json!({"fields": ["금형", " 사출성형 "], "keywords": ["금형 냉각", "CNC 가공"], "equipment": "3D 금속 프린터", "bio": "금형 냉각 채널 연구"});
    let (status, saved) = app
        .call(
            Method::PUT,
            "/api/me/expert-profile",
            Some(profile),
            Some(&prof),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["fields"], json!(["금형", "사출성형"]));
    let (_, read) = app.get("/api/me/expert-profile", Some(&prof)).await;
    assert_eq!(read, saved);
    let too_many = json!({"fields": [], "keywords": (0..21).map(|i| i.to_string()).collect::<Vec<_>>(), "equipment": "", "bio": ""});
    let (status, _) = app
        .call(
            Method::PUT,
            "/api/me/expert-profile",
            Some(too_many),
            Some(&prof),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let firm = app
        .firm_member("notexpert@firm.example", "일반회사", 40)
        .await;
    let (status, _) = app.get("/api/me/expert-profile", Some(&firm)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
