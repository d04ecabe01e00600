//! A test server on a fresh database, and a tiny client for it.

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use moim_server::{AppState, Config, Db, app, db, files::Storage};
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;
use std::{
    str::FromStr,
    sync::atomic::{AtomicU32, Ordering},
};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// Runs `$scenario(app)` on both backends as `$scenario::sqlite` and `$scenario::postgres`.
#[macro_export]
macro_rules! both {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::sqlite().await;
                super::$scenario(&app).await;
                app.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::support::TestApp::postgres().await {
                    super::$scenario(&app).await;
                    app.finish().await;
                }
            }
        }
    )*};
}

/// The bucket of the test S3 server (`.ci/run` creates it).
pub const TEST_BUCKET: &str = "moim-test";

/// The test S3 server (`MOIM_TEST_S3`, e.g. `http://127.0.0.1:9000`). Without
/// it the PostgreSQL half keeps files in a directory and says so, unless
/// `MOIM_REQUIRE_S3=1` (CI sets it) makes that a failure.
pub fn s3_endpoint() -> Option<String> {
    let endpoint = std::env::var("MOIM_TEST_S3").ok().filter(|e| !e.is_empty());
    if endpoint.is_none() {
        assert!(
            std::env::var("MOIM_REQUIRE_S3").as_deref() != Ok("1"),
            "an S3 server is required (MOIM_TEST_S3)"
        );
    }
    endpoint
}

/// What the storage needs to reach the test S3 server.
pub fn s3_options(endpoint: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("aws_endpoint", endpoint),
        ("aws_allow_http", "true"),
        ("aws_access_key_id", "moim-test"),
        ("aws_secret_access_key", "moim-test"),
        ("aws_region", "us-east-1"),
    ]
}

pub struct TestApp {
    pub db: Db,
    state: AppState,
    pub router: Router,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Schema(String, String),
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// A session as the browser holds it: the cookie and the CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub me: Value,
}

impl Session {
    pub fn id(&self) -> i64 {
        self.me["id"].as_i64().unwrap()
    }
    pub fn org(&self) -> i64 {
        self.me["organisation"]["id"].as_i64().unwrap()
    }
}

impl TestApp {
    async fn with(db: Db, cleanup: Cleanup, data_dir: Option<&std::path::Path>) -> TestApp {
        db.migrate().await.unwrap();
        db::reference::seed(&db).await.unwrap();
        let config = Config {
            data_dir: data_dir.map_or_else(
                || std::env::temp_dir().join(format!("moim-test-files-{}", unique())),
                std::path::Path::to_path_buf,
            ),
            // A domain name, as passkeys need (browsers refuse them for an IP).
            public_url: Some("http://localhost".to_owned()),
            ..Config::default()
        };
        // SQLite keeps files in a directory, as one machine does; PostgreSQL in
        // the S3 store of `MOIM_TEST_S3`, as instances behind a load balancer do.
        let files = match (&cleanup, s3_endpoint()) {
            (Cleanup::Schema(..), Some(endpoint)) => Storage::s3(
                &format!("s3://{TEST_BUCKET}/{}", unique()),
                &s3_options(&endpoint),
            )
            .unwrap(),
            _ => Storage::local(&config.data_dir.join("attachments")).unwrap(),
        };
        let state = AppState::new(db.clone(), files, config);
        let router = app(state.clone());
        TestApp {
            db,
            state,
            router,
            cleanup,
        }
    }

    /// The same server (same database) serving the built app in `dir`, a fixture.
    pub fn serving(&self, dir: std::path::PathBuf) -> Router {
        app(self
            .state
            .clone()
            .with_site(moim_server::assets::Site::from_dir(dir)))
    }

    /// The SQLite file of a SQLite test app.
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        match &self.cleanup {
            Cleanup::File(path) => Some(path),
            Cleanup::Schema(..) => None,
        }
    }

    /// The same server over another pool (of the same database).
    pub fn over(&self, db: Db) -> Router {
        let mut state = self.state.clone();
        state.db = db;
        app(state)
    }

    /// The file storage the server keeps uploads in.
    pub fn files(&self) -> &Storage {
        &self.state.files
    }

    /// The same server (same database) keeping files in another storage.
    pub fn storing(&self, files: Storage) -> Router {
        let mut state = self.state.clone();
        state.files = files;
        app(state)
    }

    /// The same server (same database) with its configuration changed by `f`.
    pub fn configured(&self, f: impl FnOnce(&mut Config)) -> Router {
        let mut config = (*self.state.config).clone();
        f(&mut config);
        let mut state = self.state.clone();
        state.config = std::sync::Arc::new(config);
        app(state)
    }

    pub async fn sqlite() -> TestApp {
        let path = std::env::temp_dir().join(format!("moim-test-{}.db", unique()));
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        TestApp::with(db, Cleanup::File(path), None).await
    }

    /// A SQLite test app whose data directory (database and files) is `dir`.
    pub async fn sqlite_in(dir: &std::path::Path) -> TestApp {
        let path = dir.join("moim.db");
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        TestApp::with(db, Cleanup::File(path), Some(dir)).await
    }

    /// A fresh schema in `MOIM_TEST_POSTGRES` (default: the local `test` database).
    /// Without a server the test says so loudly and passes, unless
    /// `MOIM_REQUIRE_POSTGRES=1` (CI sets it) makes that a failure.
    pub async fn postgres() -> Option<TestApp> {
        let url = std::env::var("MOIM_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        TestApp::postgres_on(&url).await
    }

    /// A fresh schema in the PostgreSQL database at `url`; `None` (said loudly)
    /// when it does not answer and `MOIM_REQUIRE_POSTGRES` is not set.
    pub async fn postgres_on(url: &str) -> Option<TestApp> {
        let url = url.to_owned();
        let admin = match sqlx::PgPool::connect(&url).await {
            Ok(p) => p,
            Err(e) => {
                assert!(
                    std::env::var("MOIM_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "PostgreSQL required but unreachable at {url}: {e}"
                );
                eprintln!(
                    "\n!!!!! PostgreSQL unreachable at {url} ({e}): the PostgreSQL half of this test did NOT run !!!!!\n"
                );
                return None;
            }
        };
        let schema = format!("moim_t_{}", unique());
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let options = PgConnectOptions::from_str(&url)
            .unwrap()
            .options([("search_path", schema.as_str())]);
        let db = Db::postgres(options).await.unwrap();
        Some(TestApp::with(db, Cleanup::Schema(url, schema), None).await)
    }

    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema(url, schema) => {
                if let Ok(p) = sqlx::PgPool::connect(&url).await {
                    let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                        .execute(&p)
                        .await;
                    p.close().await;
                }
            }
        }
    }

    /// Sends a request; returns the status and the JSON body (Null when empty).
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<Value>,
        session: Option<&Session>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(s) = session {
            req = req
                .header(header::COOKIE, format!("moim_session={}", s.cookie))
                .header("x-csrf-token", &s.csrf);
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await.1
    }

    /// Sends a raw request; returns headers too.
    pub async fn send(&self, req: Request<Body>) -> (axum::http::HeaderMap, (StatusCode, Value)) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        assert!(
            status.as_u16() < 500 || body["error"] == "internal",
            "a 5xx must carry the generic body: {body}"
        );
        (headers, (status, body))
    }

    /// A GET as `session`; returns the status, headers and the body's bytes.
    pub async fn bytes(
        &self,
        uri: &str,
        session: &Session,
    ) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
        let req = Request::builder()
            .uri(uri)
            .header(header::COOKIE, format!("moim_session={}", session.cookie))
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes)
    }

    /// Runs a statement straight on the database (to move a clock, say).
    pub async fn exec(&self, sql: &str) {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap();
    }

    /// The first column of every row `sql` selects, as text.
    /// Every `table.column` of the schema that refers to a person (its
    /// foreign keys to `users`, and `users.id` itself).
    pub async fn person_columns(&self) -> std::collections::BTreeSet<String> {
        let mut columns: std::collections::BTreeSet<String> =
            moim_server::db::export::references_to(&self.db, "users")
                .await
                .unwrap()
                .into_iter()
                .map(|(t, c)| format!("{t}.{c}"))
                .collect();
        columns.insert("users.id".to_owned());
        columns
    }

    pub async fn texts(&self, sql: &str) -> Vec<String> {
        let rows: Vec<(String,)> = match &self.db {
            Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
            Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
        }
        .unwrap();
        rows.into_iter().map(|r| r.0).collect()
    }

    pub async fn get(&self, uri: &str, session: Option<&Session>) -> (StatusCode, Value) {
        self.call(Method::GET, uri, None, session).await
    }

    pub async fn post(
        &self,
        uri: &str,
        body: Value,
        session: Option<&Session>,
    ) -> (StatusCode, Value) {
        self.call(Method::POST, uri, Some(body), session).await
    }

    /// Signs up (or in) and returns the session.
    pub async fn session_from(
        &self,
        uri: &str,
        body: Value,
    ) -> Result<Session, (StatusCode, Value)> {
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (headers, (status, me)) = self.send(req).await;
        if !status.is_success() {
            return Err((status, me));
        }
        let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("moim_session=")
            .to_owned();
        Ok(Session {
            cookie: token,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            me,
        })
    }

    pub async fn signin(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Session, (StatusCode, Value)> {
        self.session_from(
            "/api/auth/signin",
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs up as a person does: the sign-up (202), the verification mail the
    /// worker writes (only that kind is sent: other mail stays for the test),
    /// and its link, which signs the person in.
    /// The required consent is given (as the form asks) unless `body` says.
    pub async fn signup(&self, mut body: Value) -> Result<Session, (StatusCode, Value)> {
        if body.get("consents").is_none() {
            body["consents"] = consents();
        }
        let email = body["email"].as_str().unwrap_or_default().to_lowercase();
        let (status, answer) = self.post("/api/auth/signup", body, None).await;
        if status != StatusCode::ACCEPTED {
            return Err((status, answer));
        }
        let token = self
            .link_mailed(&email, moim_server::db::recovery::AccountMail::Verify)
            .await
            .expect("a verification mail");
        self.verify(&token).await
    }

    /// The token of the newest link of `kind` mailed to `email`, once the worker
    /// has written the mail of that kind (and nothing else).
    pub async fn link_mailed(
        &self,
        email: &str,
        kind: moim_server::db::recovery::AccountMail,
    ) -> Option<String> {
        self.newest_link(email, "#token=", |db, mailer| async move {
            moim_server::mail::tick_account_mail(&db, &mailer, chrono::Utc::now(), kind)
                .await
                .unwrap();
        })
        .await
    }

    /// The token of the newest guest link of `kind` mailed to `email`, once the
    /// worker has written the guest mail of that kind (and nothing else).
    pub async fn guest_link_mailed(
        &self,
        email: &str,
        kind: moim_server::db::guests::GuestMail,
    ) -> Option<String> {
        self.guest_link_mailed_at(email, kind, chrono::Utc::now())
            .await
    }

    /// [`Self::guest_link_mailed`] with the mail worker's clock at `at`.
    pub async fn guest_link_mailed_at(
        &self,
        email: &str,
        kind: moim_server::db::guests::GuestMail,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Option<String> {
        self.newest_link(email, "#guest=", |db, mailer| async move {
            moim_server::mail::tick_guest_mail(&db, &mailer, at, kind)
                .await
                .unwrap();
        })
        .await
    }

    /// The 64-digit token after `marker` in the newest mail to `email` that
    /// `tick` writes.
    async fn newest_link<F, Fut>(&self, email: &str, marker: &str, tick: F) -> Option<String>
    where
        F: FnOnce(Db, moim_server::mail::Mailer) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let dir = self.state.config.data_dir.join("signup-mail");
        let mailer = moim_server::mail::Mailer::new(
            None,
            "모임 Moim <no-reply@moim.example>",
            "http://moim.test",
            &dir,
        )
        .unwrap();
        let written = || -> Vec<std::path::PathBuf> {
            std::fs::read_dir(dir.join("mail"))
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default()
        };
        let before = written();
        tick(self.db.clone(), mailer).await;
        // Only what this round wrote: mails of that kind.
        let mut paths: Vec<_> = written()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        paths.sort();
        paths.iter().rev().find_map(|p| {
            let mail = std::fs::read_to_string(p).ok()?;
            if !mail.contains(&format!("<{email}>")) {
                return None;
            }
            let at = mail.find(marker)? + marker.len();
            mail.get(at..at + 64).map(str::to_owned)
        })
    }

    /// The mails [`Self::link_mailed`] has written to `to` so far, whole.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let dir = self.state.config.data_dir.join("signup-mail/mail");
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .filter(|m| m.contains(&format!("<{to}>")))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Opens a verification link as a browser does: the answer with its headers.
    pub async fn open_link(&self, token: &str) -> (axum::http::HeaderMap, (StatusCode, Value)) {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/auth/verify-email")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "token": token }).to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Opens a verification link: a new account's signs the person in.
    pub async fn verify(&self, token: &str) -> Result<Session, (StatusCode, Value)> {
        let (headers, (status, body)) = self.open_link(token).await;
        if status != StatusCode::OK {
            return Err((status, body));
        }
        assert_eq!(body, "account");
        let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        let token = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("moim_session=")
            .to_owned();
        let probe = Session {
            cookie: token.clone(),
            csrf: String::new(),
            me: Value::Null,
        };
        let (status, me) = self.get("/api/auth/me", Some(&probe)).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        Ok(Session {
            cookie: token,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            me,
        })
    }

    /// Signs up a person with a new firm in the first complex.
    pub async fn firm_member(&self, email: &str, firm: &str, n: u32) -> Session {
        self.signup(firm_signup(email, firm, n)).await.unwrap()
    }

    /// Signs up a second person of an existing organisation, pending until confirmed.
    pub async fn pending_colleague(&self, email: &str, org: i64) -> Session {
        let body = json!({"email": email, "password": PASSWORD, "name": "동료", "organisation": {"mode": "existing", "id": org}});
        let s = self.signup(body).await.unwrap();
        assert_eq!(s.me["affiliation"], "pending");
        s
    }

    /// A second person of `rep`'s organisation, confirmed by the representative.
    pub async fn colleague(&self, email: &str, rep: &Session) -> Session {
        let s = self.pending_colleague(email, rep.org()).await;
        let (status, body) = self
            .post(
                &format!("/api/me/colleagues/{}", s.id()),
                json!({"confirm": true}),
                Some(rep),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        s
    }

    /// An admin, created the way the `create-admin` sub-command does.
    pub async fn admin(&self) -> Session {
        let hash = moim_server::auth::hash_password(PASSWORD.into())
            .await
            .unwrap();
        let agency = moim_core::account::NewOrganisation {
            kind: moim_core::account::OrgKind::Agency,
            name: "한국산업단지공단".into(),
            business_no: None,
            complex_id: None,
            headcount: None,
            industry: None,
        };
        let user = db::users::NewUser {
            email: "admin@kicox.example",
            password_hash: &hash,
            name: "관리자",
            department: None,
            is_expert: false,
            role: moim_core::account::Role::Admin,
            is_sample: false,
            verified: true,
            consented: true,
        };
        db::users::insert(
            &self.db,
            &user,
            db::users::OrgTarget::New(&agency),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let admin = self.signin("admin@kicox.example", PASSWORD).await.unwrap();
        self.give_second_factor(&admin).await;
        admin
    }

    /// Gives `s`'s account an authenticator app (as if set up on the security
    /// page): admins and CMs use their powers only with one. Returns its secret.
    pub async fn give_second_factor(&self, s: &Session) -> String {
        let secret = moim_server::factor::new_secret();
        let (user, now) = (moim_core::UserId(s.id()), chrono::Utc::now());
        if !db::factors::start_totp(&self.db, user, &secret, now)
            .await
            .unwrap()
        {
            // One already (a CM of two consortia).
            let app = db::factors::totp(&self.db, user).await.unwrap().unwrap();
            return app.secret;
        }
        let mut tx = self.db.begin().await.unwrap();
        assert!(
            db::factors::accept_step(&mut tx, user, 1, Some(&secret), now)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        secret
    }

    /// A consortium created by `admin` in the first complex, with `cm` appointed.
    pub async fn consortium(&self, admin: &Session, name: &str, cm: Option<&Session>) -> i64 {
        let (status, c) = self.post("/api/consortia", json!({"name": name, "kind": "mini_cluster", "complex_id": 1, "field_id": 1, "description": "테스트 협의체"}), Some(admin)).await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        let id = c["summary"]["id"].as_i64().unwrap();
        if let Some(cm) = cm {
            let (status, body) = self
                .post(
                    &format!("/api/consortia/{id}/managers"),
                    json!({"user_id": cm.id()}),
                    Some(admin),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            self.give_second_factor(cm).await;
        }
        id
    }

    /// A professor with an expert profile at a new university.
    pub async fn expert(&self, email: &str, name: &str, univ: &str, profile: Value) -> Session {
        let body = json!({"email": email, "password": PASSWORD, "name": name, "department": "기계공학과", "is_expert": true,
            "organisation": {"mode": "new", "kind": "university", "name": univ}});
        let s = self.signup(body).await.unwrap();
        let (status, saved) = self
            .call(
                Method::PUT,
                "/api/me/expert-profile",
                Some(profile),
                Some(&s),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        s
    }

    /// `member`'s organisation asks to join and the CM approves.
    pub async fn join(&self, member: &Session, consortium: i64, cm: &Session) {
        let (status, r) = self
            .post(
                &format!("/api/consortia/{consortium}/requests"),
                json!({"motivation": "함께 기술 애로를 풀고 싶습니다."}),
                Some(member),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        let (status, d) = self
            .post(
                &format!("/api/requests/{}/decision", r["id"]),
                json!({"approve": true}),
                Some(cm),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{d}");
    }

    pub async fn put(
        &self,
        uri: &str,
        body: Value,
        session: Option<&Session>,
    ) -> (StatusCode, Value) {
        self.call(Method::PUT, uri, Some(body), session).await
    }

    /// Uploads `bytes` as the multipart field `file`.
    pub async fn upload(
        &self,
        uri: &str,
        name: &str,
        bytes: &[u8],
        session: &Session,
    ) -> (StatusCode, Value) {
        self.multipart(uri, &[("file", Some(name), bytes)], session)
            .await
    }

    /// Posts a multipart form: (field, file name, bytes) per part.
    pub async fn multipart(
        &self,
        uri: &str,
        parts: &[(&str, Option<&str>, &[u8])],
        session: &Session,
    ) -> (StatusCode, Value) {
        self.send(Self::multipart_request(uri, parts, session))
            .await
            .1
    }

    /// A multipart POST as a browser sends it: (field, file name, bytes) per part.
    pub fn multipart_request(
        uri: &str,
        parts: &[(&str, Option<&str>, &[u8])],
        session: &Session,
    ) -> Request<Body> {
        let boundary = "moimtestboundary7MA4YWxk";
        let mut body = Vec::new();
        for (field, file, bytes) in parts {
            let disposition = match file {
                Some(f) => format!(
                    "form-data; name=\"{field}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream"
                ),
                None => format!("form-data; name=\"{field}\""),
            };
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").into_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, format!("moim_session={}", session.cookie))
            .header("x-csrf-token", &session.csrf)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap()
    }

    /// A GET through `router`, its body as bytes.
    pub async fn fetch(
        router: &Router,
        uri: &str,
    ) -> (axum::http::HeaderMap, StatusCode, axum::body::Bytes) {
        let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let res = router.clone().oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        (
            parts.headers,
            parts.status,
            body.collect().await.unwrap().to_bytes(),
        )
    }

    /// Re-reads a session's `me` (counts change).
    pub async fn me(&self, s: &Session) -> Value {
        let (status, me) = self.get("/api/auth/me", Some(s)).await;
        assert_eq!(status, StatusCode::OK);
        me
    }
}

/// The code `secret`'s authenticator app shows `offset` seconds from now.
pub fn code(secret: &str, offset: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let app = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = chrono::Utc::now().timestamp() + offset;
    app.generate(u64::try_from(now).unwrap()).to_string()
}

pub fn firm_signup(email: &str, firm: &str, n: u32) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "name": "김민수",
        "organisation": {
            "mode": "new",
            "kind": "firm",
            "name": firm,
            "business_no": moim_server::seed::business_number(200_000_000 + n),
            "complex_id": 1,
            "headcount": 35,
            "industry": "금형"
        },
        "consents": consents()
    })
}

/// The consents a sign-up gives: the required one, to the policy in force.
pub fn consents() -> Value {
    json!({"policy_version": moim_core::privacy::PRIVACY_POLICY_VERSION, "privacy": true, "news_mail": false})
}

/// The error code of a 4xx body.
pub fn error(body: &Value) -> &str {
    body["error"].as_str().unwrap_or("")
}

/// The fields a 422 refused, with their codes.
pub fn refused(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A JPEG whose EXIF segment holds GPS coordinates.
pub fn jpeg_with_location() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    v.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude35.2285GPSLongitude128.6811";
    v.extend([0xFF, 0xE1]);
    v.extend(u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    v.extend(exif);
    v.extend([
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9,
    ]);
    v
}

/// Sends `req`: the status, the `Retry-After` header and the body (JSON, or
/// the text as a JSON string).
pub async fn answer(router: &Router, req: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let retry = res
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, retry, body)
}

/// A JPEG of about `n` bytes (its location kept in an EXIF segment).
pub fn big_jpeg(n: usize) -> Vec<u8> {
    let mut photo = jpeg_with_location();
    let end = photo.split_off(photo.len() - 2);
    photo.extend((0..n).map(|i| u8::try_from(i % 251).unwrap()));
    photo.extend(end);
    photo
}
