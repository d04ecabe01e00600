//! Passkeys (WebAuthn) against a software authenticator written here (P-256,
//! `none` attestation, as a phone's platform authenticator answers): adding
//! one (the password asked for, the first second factor with recovery codes,
//! a mail), signing in with it without a password, taking the second step of a
//! password sign-in with it, and every refusal: a ceremony answered twice, a
//! signature that does not verify, another site's origin, an older signature
//! counter (a cloned key), another account's passkey for a ticket, a removed
//! passkey, a portal without a domain name.

use crate::{both, support::*};
use axum::http::{Method, StatusCode};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

both!(
    a_passkey_is_added_and_signs_in_without_a_password,
    a_passkey_takes_the_second_step_of_a_password_sign_in,
    wrong_answers_are_refused_and_a_passkey_is_removed,
    a_passkey_is_the_second_factor_staff_need
);

/// The origin the test server calls its own (`support`'s public address).
const ORIGIN: &str = "http://localhost";

/// A software authenticator holding one passkey.
struct Authenticator {
    key: SigningKey,
    id: Vec<u8>,
    /// The account's handle, as the registration gave it.
    handle: Vec<u8>,
    counter: u32,
}

fn cbor_head(major: u8, n: usize) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | u8::try_from(n).unwrap()],
        24..=255 => vec![m | 24, u8::try_from(n).unwrap()],
        _ => {
            let mut v = vec![m | 25];
            v.extend(u16::try_from(n).unwrap().to_be_bytes());
            v
        }
    }
}

fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    let mut v = cbor_head(2, b.len());
    v.extend(b);
    v
}

fn cbor_text(s: &str) -> Vec<u8> {
    let mut v = cbor_head(3, s.len());
    v.extend(s.as_bytes());
    v
}

fn sha256(b: &[u8]) -> Vec<u8> {
    Sha256::digest(b).to_vec()
}

fn b64(s: &str) -> Vec<u8> {
    B64.decode(s).unwrap()
}

/// User present and verified.
const FLAGS: u8 = 0x01 | 0x04;

impl Authenticator {
    fn new(seed: u8) -> Authenticator {
        let key = SigningKey::from_slice(&sha256(&[seed, 7])).unwrap();
        Authenticator {
            key,
            id: sha256(&[seed, 1])[..16].to_vec(),
            handle: Vec::new(),
            counter: 0,
        }
    }

    /// The public key as COSE (EC2, ES256, P-256).
    fn cose(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_bytes();
        assert_eq!(point.len(), 65);
        let mut v = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        v.extend(cbor_bytes(&point[1..33]));
        v.push(0x22);
        v.extend(cbor_bytes(&point[33..65]));
        v
    }

    fn auth_data(&self, rp_id: &str, flags: u8, attested: bool) -> Vec<u8> {
        let mut d = sha256(rp_id.as_bytes());
        d.push(flags | if attested { 0x40 } else { 0 });
        d.extend(self.counter.to_be_bytes());
        if attested {
            d.extend([0u8; 16]);
            d.extend(u16::try_from(self.id.len()).unwrap().to_be_bytes());
            d.extend(&self.id);
            d.extend(self.cose());
        }
        d
    }

    fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        json!({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    /// `navigator.credentials.create()` for these options, as `toJSON()` gives it.
    fn create(&mut self, options: &Value) -> Value {
        let pk = &options["publicKey"];
        let rp_id = pk["rp"]["id"].as_str().unwrap();
        self.handle = b64(pk["user"]["id"].as_str().unwrap());
        let client_data =
            Self::client_data("webauthn.create", pk["challenge"].as_str().unwrap(), ORIGIN);
        let mut att = vec![0xa3];
        att.extend(cbor_text("fmt"));
        att.extend(cbor_text("none"));
        att.extend(cbor_text("attStmt"));
        att.push(0xa0);
        att.extend(cbor_text("authData"));
        att.extend(cbor_bytes(&self.auth_data(rp_id, FLAGS, true)));
        json!({
            "id": B64.encode(&self.id),
            "rawId": B64.encode(&self.id),
            "type": "public-key",
            "response": {
                "attestationObject": B64.encode(att),
                "clientDataJSON": B64.encode(client_data),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// `navigator.credentials.get()` for these options, from `origin`.
    fn get_from(&mut self, options: &Value, origin: &str) -> Value {
        let pk = &options["publicKey"];
        let rp_id = pk["rpId"].as_str().unwrap();
        self.counter += 1;
        let data = self.auth_data(rp_id, FLAGS, false);
        let client_data =
            Self::client_data("webauthn.get", pk["challenge"].as_str().unwrap(), origin);
        let mut signed = data.clone();
        signed.extend(sha256(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.id),
            "rawId": B64.encode(&self.id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(&data),
                "clientDataJSON": B64.encode(&client_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.handle),
            },
            "clientExtensionResults": {},
        })
    }

    fn get(&mut self, options: &Value) -> Value {
        self.get_from(options, ORIGIN)
    }
}

fn refused((status, body): (StatusCode, Value), field: &str, code: &str) {
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "validation", "fields": [{"field": field, "code": code}]})
        )
    );
}

async fn count(app: &TestApp, sql: &str) -> usize {
    app.texts(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM ({sql}) AS x"))
        .await[0]
        .parse()
        .unwrap()
}

/// Adds a passkey of `key` to `s`'s account; the answer (201).
async fn add(app: &TestApp, s: &Session, key: &mut Authenticator, name: &str) -> Value {
    let (status, challenge) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": PASSWORD}),
            Some(s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    let credential = key.create(&challenge["options"]);
    let (status, added) = app
        .post(
            "/api/me/passkeys",
            json!({"ceremony": challenge["ceremony"], "name": name, "credential": credential}),
            Some(s),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    added
}

/// Starts a passkey sign-in (with a ticket, or none).
async fn options(app: &TestApp, ticket: Option<&str>) -> Value {
    let (status, challenge) = app
        .post("/api/auth/passkey/options", json!({"ticket": ticket}), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    challenge
}

async fn sign_in(
    app: &TestApp,
    challenge: &Value,
    credential: Value,
) -> Result<Session, (StatusCode, Value)> {
    app.session_from(
        "/api/auth/passkey",
        json!({"ceremony": challenge["ceremony"], "credential": credential}),
    )
    .await
}

async fn a_passkey_is_added_and_signs_in_without_a_password(app: &TestApp) {
    let s = app.firm_member("key@one.example", "패스키정밀", 1).await;
    let (status, challenge) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{challenge}");
    let pk = &challenge["options"]["publicKey"];
    assert_eq!(pk["rp"]["id"], "localhost");
    assert_eq!(pk["user"]["name"], "key@one.example");
    assert_eq!(
        pk["authenticatorSelection"]["residentKey"], "required",
        "a passkey the device keeps, so that it signs in by itself"
    );
    assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
    // The ceremony's state is the database's, not the instance's memory.
    assert_eq!(count(app, "SELECT 1 FROM passkey_ceremonies").await, 1);
    let mut key = Authenticator::new(1);
    let credential = key.create(&challenge["options"]);
    let body =
        json!({"ceremony": challenge["ceremony"], "name": "내 휴대폰", "credential": credential});
    let (status, added) = app.post("/api/me/passkeys", body.clone(), Some(&s)).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["passkey"]["name"], "내 휴대폰");
    assert_eq!(
        added["recovery_codes"].as_array().unwrap().len(),
        10,
        "the first second factor comes with recovery codes"
    );
    // The same ceremony again: used up.
    refused(
        app.post("/api/me/passkeys", body, Some(&s)).await,
        "ceremony",
        "invalid_link",
    );
    let (_, status) = app.get("/api/me/second-factor", Some(&s)).await;
    assert_eq!(status["passkeys"][0]["name"], "내 휴대폰");
    assert_eq!(status["passkeys"][0]["last_used_at"], Value::Null);
    assert_eq!(status["recovery_codes_left"], 10);
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT 1 FROM mail_outbox WHERE purpose = 'passkey_added' AND user_id = {}",
                s.id()
            )
        )
        .await,
        1
    );
    // A second passkey: no new codes; the first authenticator is excluded.
    let mut laptop = Authenticator::new(2);
    let (_, challenge) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    let excluded = &challenge["options"]["publicKey"]["excludeCredentials"];
    assert_eq!(excluded[0]["id"], B64.encode(&key.id));
    let credential = laptop.create(&challenge["options"]);
    let (status, added) = app
        .post(
            "/api/me/passkeys",
            json!({"ceremony": challenge["ceremony"], "name": "노트북", "credential": credential}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["recovery_codes"], json!([]));
    assert_eq!(
        laptop.handle, key.handle,
        "one handle per account on every authenticator"
    );

    // Signing in with no email and no password: the device picks the passkey.
    let challenge = options(app, None).await;
    assert!(
        challenge["options"]["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "no account named: any passkey the device keeps may answer"
    );
    let signed = sign_in(app, &challenge, key.get(&challenge["options"]))
        .await
        .unwrap();
    assert_eq!(signed.id(), s.id());
    let (_, status) = app.get("/api/me/second-factor", Some(&signed)).await;
    assert_ne!(status["passkeys"][0]["last_used_at"], Value::Null);
    // The same answer to a new ceremony: its challenge is another.
    let old = key.get(&challenge["options"]);
    let fresh = options(app, None).await;
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": fresh["ceremony"], "credential": old}),
            None,
        )
        .await,
        "credential",
        "wrong_code",
    );
    // A clone of the key, whose signature counter is behind the one seen.
    let again = options(app, None).await;
    key.counter = 0;
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": again["ceremony"], "credential": key.get(&again["options"])}),
            None,
        )
        .await,
        "credential",
        "wrong_code",
    );
    // The laptop's passkey signs in too.
    let challenge = options(app, None).await;
    let signed = sign_in(app, &challenge, laptop.get(&challenge["options"]))
        .await
        .unwrap();
    assert_eq!(signed.id(), s.id());
}

async fn a_passkey_takes_the_second_step_of_a_password_sign_in(app: &TestApp) {
    let s = app.firm_member("step@two.example", "단계정밀", 2).await;
    let mut key = Authenticator::new(3);
    let added = add(app, &s, &mut key, "휴대폰").await;
    let codes: Vec<String> = added["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    let first_step = || async {
        let (status, body) = app
            .post(
                "/api/auth/signin",
                json!({"email": "step@two.example", "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(
            (&body["app"], &body["passkey"]),
            (&json!(false), &json!(true))
        );
        body["ticket"].as_str().unwrap().to_owned()
    };
    let ticket = first_step().await;
    let challenge = options(app, Some(&ticket)).await;
    assert_eq!(
        challenge["options"]["publicKey"]["allowCredentials"][0]["id"],
        B64.encode(&key.id),
        "the account's own passkeys are offered"
    );
    // Another account's passkey cannot take this account's step.
    let other = app.firm_member("other@two.example", "다른정밀", 3).await;
    let mut stranger = Authenticator::new(4);
    add(app, &other, &mut stranger, "남의 것").await;
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": challenge["ceremony"], "credential": stranger.get(&challenge["options"])}),
            None,
        )
        .await,
        "credential",
        "wrong_code",
    );
    let challenge = options(app, Some(&ticket)).await;
    let signed = sign_in(app, &challenge, key.get(&challenge["options"]))
        .await
        .unwrap();
    assert_eq!(signed.id(), s.id());
    // The ticket went with it.
    refused(
        app.post(
            "/api/auth/signin/second-factor",
            json!({"ticket": ticket, "code": codes[0]}),
            None,
        )
        .await,
        "ticket",
        "invalid_link",
    );
    let (status, body) = app
        .post("/api/auth/passkey/options", json!({"ticket": ticket}), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "validation", "fields": [{"field": "ticket", "code": "invalid_link"}]})
        )
    );
    // Without the device: a recovery code takes the step (no app to ask).
    let ticket = first_step().await;
    let (status, me) = app
        .post(
            "/api/auth/signin/second-factor",
            json!({"ticket": ticket, "code": codes[1]}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    // An app as well: the step names both.
    let secret = app.give_second_factor(&s).await;
    let (_, body) = app
        .post(
            "/api/auth/signin",
            json!({"email": "step@two.example", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(
        (&body["app"], &body["passkey"]),
        (&json!(true), &json!(true))
    );
    let (status, _) = app
        .post(
            "/api/auth/signin/second-factor",
            json!({"ticket": body["ticket"], "code": code(&secret, 0)}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn wrong_answers_are_refused_and_a_passkey_is_removed(app: &TestApp) {
    let s = app.firm_member("wrong@three.example", "오답정밀", 4).await;
    // The password is asked for before anything.
    let (status, _) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": "not the password 1"}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An answer from another site, or one whose signature is not the key's.
    let mut key = Authenticator::new(5);
    let (_, challenge) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    let mut credential = key.create(&challenge["options"]);
    credential["response"]["clientDataJSON"] = json!(
        B64.encode(Authenticator::client_data(
            "webauthn.create",
            challenge["options"]["publicKey"]["challenge"]
                .as_str()
                .unwrap(),
            "http://evil.example"
        ))
    );
    refused(
        app.post(
            "/api/me/passkeys",
            json!({"ceremony": challenge["ceremony"], "name": "가짜", "credential": credential}),
            Some(&s),
        )
        .await,
        "credential",
        "wrong_code",
    );
    // Not a credential at all; a name with a line break; no ceremony.
    let (_, challenge) = app
        .post(
            "/api/me/passkeys/options",
            json!({"password": PASSWORD}),
            Some(&s),
        )
        .await;
    refused(
        app.post(
            "/api/me/passkeys",
            json!({"ceremony": challenge["ceremony"], "name": "휴대폰", "credential": {"id": 1}}),
            Some(&s),
        )
        .await,
        "credential",
        "wrong_code",
    );
    let (status, _) = app
        .post(
            "/api/me/passkeys",
            json!({"ceremony": "", "name": "a\nBcc: x", "credential": []}),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(app, "SELECT 1 FROM passkeys").await, 0);

    let added = add(app, &s, &mut key, "휴대폰").await;
    let id = added["passkey"]["id"].as_i64().unwrap();
    // A signature made with another key, and one from another origin.
    let challenge = options(app, None).await;
    let mut forged = key.get(&challenge["options"]);
    let mut impostor = Authenticator::new(6);
    impostor.id = key.id.clone();
    impostor.handle = key.handle.clone();
    forged["response"] = impostor.get(&challenge["options"])["response"].clone();
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": challenge["ceremony"], "credential": forged}),
            None,
        )
        .await,
        "credential",
        "wrong_code",
    );
    let challenge = options(app, None).await;
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": challenge["ceremony"], "credential": key.get_from(&challenge["options"], "http://evil.example")}),
            None,
        )
        .await,
        "credential",
        "wrong_code",
    );
    // An unknown ceremony.
    refused(
        app.post(
            "/api/auth/passkey",
            json!({"ceremony": "made-up", "credential": key.get(&challenge["options"])}),
            None,
        )
        .await,
        "ceremony",
        "invalid_link",
    );
    // Somebody else's passkey id is nobody's to remove; the password is asked.
    let other = app.firm_member("else@three.example", "남의정밀", 5).await;
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/me/passkeys/{id}"),
            Some(json!({"password": PASSWORD})),
            Some(&other),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/me/passkeys/{id}"),
            Some(json!({"password": "not the password 1"})),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("/api/me/passkeys/{id}"),
            Some(json!({"password": PASSWORD})),
            Some(&s),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The last second factor: the recovery codes went with it, a mail went out,
    // and the password alone signs in again.
    let (_, status) = app.get("/api/me/second-factor", Some(&s)).await;
    assert_eq!(
        (&status["passkeys"], &status["recovery_codes_left"]),
        (&json!([]), &json!(0))
    );
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT 1 FROM mail_outbox WHERE purpose = 'passkey_removed' AND user_id = {}",
                s.id()
            )
        )
        .await,
        1
    );
    app.signin("wrong@three.example", PASSWORD).await.unwrap();
    let challenge = options(app, None).await;
    assert!(
        sign_in(app, &challenge, key.get(&challenge["options"]))
            .await
            .is_err()
    );

    // A portal reached by an IP address has no passkeys (browsers refuse them).
    let by_ip = app.configured(|c| c.public_url = Some("http://127.0.0.1:8080".into()));
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/auth/passkey/options")
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let (status, _, body) = crate::support::answer(&by_ip, req).await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::CONFLICT, &json!("passkeys_unavailable"))
    );
}

async fn a_passkey_is_the_second_factor_staff_need(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@four.example", "씨엠정밀", 6).await;
    let id = app.consortium(&admin, "패스키 협의체", None).await;
    let (status, body) = app
        .post(
            &format!("/api/consortia/{id}/managers"),
            json!({"user_id": cm.id()}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.me(&cm).await["second_factor_required"], true);
    add(app, &cm, &mut Authenticator::new(7), "휴대폰").await;
    assert_eq!(app.me(&cm).await["second_factor_required"], false);
    // The admin's list of people shows the passkey as a second factor (the
    // reset button goes by it).
    let (status, found) = app.get("/api/admin/users?q=cm@four", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found[0]["second_factor"], true, "{found}");
    // An admin's reset takes passkeys away too.
    let (status, body) = app
        .post(
            &format!("/api/admin/users/{}/second-factor/reset", cm.id()),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        count(
            app,
            &format!("SELECT 1 FROM passkeys WHERE user_id = {}", cm.id())
        )
        .await,
        0
    );
    assert_eq!(app.me(&cm).await["second_factor_required"], true);
    let (_, found) = app.get("/api/admin/users?q=cm@four", Some(&admin)).await;
    assert_eq!(found[0]["second_factor"], false, "{found}");
}
