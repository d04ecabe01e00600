//! Real outages rather than simulated ones (`faults.rs` simulates them with pool
//! settings): the data directory on a small filesystem that fills up, and a
//! PostgreSQL server of the test's own, stopped under load and started again.
//!
//! Both need what a developer's machine may not allow: root, to mount a small
//! filesystem, and PostgreSQL's server programs (`initdb`, `pg_ctl`). Without them
//! a test says so loudly and passes, unless `MOIM_REQUIRE_OUTAGES=1` (CI sets it)
//! makes that a failure.

use crate::support::{PASSWORD, Session, TestApp, answer, big_jpeg, error};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use moim_server::db::{self, Db};
use serde_json::{Value, json};
use std::{
    collections::BTreeSet,
    io::Write as _,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

/// What a test cannot set up: fails under `MOIM_REQUIRE_OUTAGES=1`, else is said.
fn cannot(what: &str) {
    assert!(
        std::env::var("MOIM_REQUIRE_OUTAGES").as_deref() != Ok("1"),
        "outage test required but {what}"
    );
    eprintln!("\n!!!!! {what}: this outage test did NOT run !!!!!\n");
}

fn unique_dir(what: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    std::env::temp_dir().join(format!("moim-{what}-{}-{nanos}", std::process::id()))
}

/// A tmpfs of a few megabytes mounted for the test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = unique_dir("small-disk");
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "moim-small-disk",
            ])
            .arg(&dir)
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(SmallDisk(dir)),
            other => {
                let _ = std::fs::remove_dir(&dir);
                cannot(&format!(
                    "a small filesystem could not be mounted ({})",
                    match other {
                        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                        Err(e) => e.to_string(),
                    }
                ));
                None
            }
        }
    }

    /// Fills what is left with one file; its path.
    fn fill(&self) -> PathBuf {
        let path = self.0.join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = vec![0x5a_u8; 64 * 1024];
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(28) => break,
                Err(e) => panic!("filling the small disk: {e}"),
            }
        }
        // Whatever a partial block left over, to the last byte.
        while file.write(&[0x5a]).is_ok_and(|n| n == 1) {}
        path
    }

    fn free_bytes(&self) -> u64 {
        let out = Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(&self.0)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.trim().parse().ok())
            .unwrap()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

fn json_post(uri: &str, body: &Value, s: Option<&Session>) -> Request<Body> {
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(s) = s {
        req = req
            .header(header::COOKIE, format!("moim_session={}", s.cookie))
            .header("x-csrf-token", &s.csrf);
    }
    req.body(Body::from(body.to_string())).unwrap()
}

fn idea(key: &str) -> Value {
    json!({"title": format!("현장 개선 아이디어 {key}"), "body": "절삭유 회수 방식을 바꾸면 폐유가 줄어듭니다.",
        "tags": ["공정"], "idempotency_key": key})
}

fn idea_with_photo(key: &str, photo: &[u8], s: &Session) -> Request<Body> {
    let body = idea(key).to_string();
    TestApp::multipart_request(
        "/api/ideas",
        &[
            ("idea", None, body.as_bytes()),
            ("photo", Some("IMG_0002.jpg"), photo),
        ],
        s,
    )
}

/// The keys of the files under `dir` (stored as `ab/<key>`).
fn stored_keys(dir: &Path) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for shard in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(shard.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            keys.insert(file.file_name().to_string_lossy().into_owned());
        }
    }
    keys
}

/// Every file a row names is stored, and every stored file is named by a row.
async fn rows_and_files_agree(app: &TestApp, attachments: &Path) {
    let named: BTreeSet<String> = db::files::keys(&app.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(named, stored_keys(attachments), "rows and files differ");
}

/// The data directory on a 12 MB filesystem that is then filled: every kind of
/// write (an idea with a photo, one without, a comment, a sign-in) answers 507
/// `storage_full` with `Retry-After` and leaves nothing half-written; reading
/// goes on, for a signed-in person too; readiness says the storage is full; once
/// space is freed the same writes land, with no restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_filesystem_refuses_writes_plainly_and_takes_them_once_freed() {
    let Some(disk) = SmallDisk::mount("12m") else {
        return;
    };
    let app = TestApp::sqlite_in(&disk.0).await;
    let attachments = disk.0.join("attachments");
    let author = app.firm_member("full@hanbit.example", "한빛정밀", 1).await;
    let photo = big_jpeg(300 * 1024);
    let (status, _, first) = answer(&app.router, idea_with_photo("before", &photo, &author)).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (_, view) = app
        .get(&format!("/api/ideas/{}", first["id"]), Some(&author))
        .await;
    let photo_url = format!("/api/ideas/{}/photos/{}", first["id"], view["photos"][0]);
    let (_, _, photo_before) = TestApp::fetch(&app.router, &photo_url).await;

    // The person was last seen two minutes ago: their next read would note the
    // time, a write the full disk refuses.
    let Db::Sqlite(pool) = &app.db else {
        unreachable!()
    };
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(chrono::Utc::now() - chrono::Duration::minutes(2))
        .execute(pool)
        .await
        .unwrap();
    // SQLite's write-ahead log emptied, so that any write must grow a file.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .unwrap();
    let filler = disk.fill();
    assert!(disk.free_bytes() < 64 * 1024, "the disk is full");

    let signin = json!({"email": "full@hanbit.example", "password": PASSWORD});
    let comment = json!({"body": "좋은 생각입니다.", "idempotency_key": "c-full"});
    let comment_uri = format!("/api/ideas/{}/comments", first["id"]);
    for (what, req) in [
        (
            "an idea with a photo",
            idea_with_photo("full-1", &photo, &author),
        ),
        (
            "an idea",
            json_post("/api/ideas", &idea("full-2"), Some(&author)),
        ),
        (
            "a comment",
            json_post(&comment_uri, &comment, Some(&author)),
        ),
        ("a sign-in", json_post("/api/auth/signin", &signin, None)),
    ] {
        let (status, retry, body) = answer(&app.router, req).await;
        assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{what}: {body}");
        assert_eq!(error(&body), "storage_full", "{what}");
        assert_eq!(retry.as_deref(), Some("60"), "{what}");
    }

    // Reading goes on, signed in or not; readiness names the full storage.
    let (status, feed) = app.get("/api/ideas", Some(&author)).await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1), "{feed}");
    let (status, _) = app.get(&format!("/api/ideas/{}", first["id"]), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, status, bytes) = TestApp::fetch(&app.router, &photo_url).await;
    assert_eq!((status, &bytes), (StatusCode::OK, &photo_before));
    let (status, retry, body) = answer(
        &app.router,
        Request::get("/api/ready").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({"database": "ok", "storage": "full"}));
    assert!(retry.is_some());
    // Nothing half-written: no row without its file, no file without its row.
    rows_and_files_agree(&app, &attachments).await;

    // Room again: the same writes land, from the same running portal.
    std::fs::remove_file(filler).unwrap();
    let (status, _, body) = answer(&app.router, idea_with_photo("full-1", &photo, &author)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _, body) = answer(
        &app.router,
        json_post("/api/ideas", &idea("full-2"), Some(&author)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _, body) = answer(
        &app.router,
        json_post(&comment_uri, &comment, Some(&author)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _, body) = answer(&app.router, json_post("/api/auth/signin", &signin, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Every connection of the pool writes again (a failed COMMIT once left
    // connections that refused every later transaction).
    for n in 0..12 {
        let (status, _, body) = answer(
            &app.router,
            json_post("/api/ideas", &idea(&format!("after-{n}")), Some(&author)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, feed) = app.get("/api/ideas?limit=50", Some(&author)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(15), "{feed}");
    rows_and_files_agree(&app, &attachments).await;
    assert_eq!(app.db.integrity_check().await.unwrap(), "ok");
    app.finish().await;
}

/// A PostgreSQL server of the test's own (`initdb` and `pg_ctl` on a free port
/// and a directory of its own; never the machine's shared server), stopped when
/// dropped.
struct OwnPostgres {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

impl OwnPostgres {
    fn bin_dir() -> Option<PathBuf> {
        let from_config = Command::new("pg_config")
            .arg("--bindir")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        let mut dirs: Vec<PathBuf> = from_config.into_iter().collect();
        if let Ok(versions) = std::fs::read_dir("/usr/lib/postgresql") {
            let mut found: Vec<PathBuf> =
                versions.flatten().map(|v| v.path().join("bin")).collect();
            found.sort();
            dirs.extend(found.into_iter().rev());
        }
        dirs.into_iter()
            .find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
    }

    /// Runs one of PostgreSQL's programs; as the `postgres` user when this is
    /// root (the server refuses to run as root).
    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(program);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.args(args).output().unwrap()
    }

    /// `pg_ctl` on this server's data directory, waiting for it to finish.
    fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        let data = self.dir.join("data");
        let data = data.to_string_lossy();
        let mut all = vec!["-D", &*data, "-w"];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all)
    }

    fn start() -> Option<OwnPostgres> {
        let Some(bin) = Self::bin_dir() else {
            cannot("PostgreSQL's server programs (initdb, pg_ctl) are not installed");
            return None;
        };
        let dir = unique_dir("own-pg");
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let owned = Command::new("chown")
                .args(["postgres:"])
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            if !owned {
                let _ = std::fs::remove_dir(&dir);
                cannot("there is no `postgres` user to run PostgreSQL as");
                return None;
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = OwnPostgres { dir, port, bin };
        let data = pg.dir.join("data");
        let out = pg.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg.up();
        Some(pg)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log");
        let log = log.to_string_lossy();
        let out = self.pg_ctl(&["-o", &options, "-l", &log, "-t", "30", "start"]);
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the server at once (`fast`: sessions are ended, open transactions
    /// rolled back), as when a database host goes down.
    fn down(&self) {
        let out = self.pg_ctl(&["-m", "fast", "stop"]);
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// What one writer saw: acknowledged idempotency keys and every answer's status.
#[derive(Default)]
struct Seen {
    acknowledged: Vec<String>,
    statuses: Vec<(StatusCode, Option<String>, Value)>,
}

/// The portal's PostgreSQL is stopped while people post and read, then started
/// again: while it is away every request answers 503 `unavailable` with
/// `Retry-After` (never 500 or 422), the process stays alive, and the portal
/// takes writes again by itself once the database is back. Every write a client
/// saw acknowledged is there once; a client re-sending a write whose answer was
/// a 503 (as the app's outbox does) never makes a second copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_stopped_under_load_answers_503_and_the_portal_recovers() {
    let Some(pg) = OwnPostgres::start() else {
        return;
    };
    let app = TestApp::postgres_on(&pg.url())
        .await
        .expect("its own server");
    let author = app.firm_member("away@hanbit.example", "한빛정밀", 1).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (router, author, stop) = (app.router.clone(), author.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut seen = Seen::default();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let key = format!("away-{w}-{n}");
                // Re-sent until acknowledged, as the outbox does.
                loop {
                    let answer =
                        answer(&router, json_post("/api/ideas", &idea(&key), Some(&author))).await;
                    let status = answer.0;
                    seen.statuses.push(answer);
                    if status.is_success() {
                        seen.acknowledged.push(key);
                        break;
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            seen
        }));
    }
    let mut readers = Vec::new();
    for _ in 0..2 {
        let (router, author, stop) = (app.router.clone(), author.clone(), stop.clone());
        readers.push(tokio::spawn(async move {
            let mut seen = Seen::default();
            while !stop.load(Ordering::Relaxed) {
                let req = Request::get("/api/ideas")
                    .header(header::COOKIE, format!("moim_session={}", author.cookie))
                    .body(Body::empty())
                    .unwrap();
                seen.statuses.push(answer(&router, req).await);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            seen
        }));
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;
    pg.down();
    // Away: the process is alive and says it is not ready.
    let (status, _, _) = answer(
        &app.router,
        Request::get("/api/health").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, retry, body) = answer(
        &app.router,
        Request::get("/api/ready").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["database"], "unavailable");
    assert!(retry.is_some());
    tokio::time::sleep(Duration::from_secs(3)).await;
    pg.up();
    // Back: the portal takes a write by itself within a few seconds.
    let back = Instant::now();
    loop {
        let (status, _, body) = answer(
            &app.router,
            json_post(
                "/api/ideas",
                &idea(&format!("back-{}", back.elapsed().as_millis())),
                Some(&author),
            ),
        )
        .await;
        if status == StatusCode::CREATED {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "not back after 30 s: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    stop.store(true, Ordering::Relaxed);

    let mut acknowledged = Vec::new();
    let mut unavailable = 0;
    let mut answers = 0;
    for task in writers.into_iter().chain(readers) {
        let seen = task.await.unwrap();
        acknowledged.extend(seen.acknowledged);
        for (status, retry, body) in seen.statuses {
            answers += 1;
            if status == StatusCode::SERVICE_UNAVAILABLE {
                unavailable += 1;
                assert_eq!(error(&body), "unavailable", "{body}");
                assert!(retry.is_some(), "503 without Retry-After");
            } else {
                assert!(status.is_success(), "{status}: {body}");
            }
        }
    }
    eprintln!(
        "database away: {answers} answers, {unavailable} of them 503, {} writes acknowledged",
        acknowledged.len()
    );
    assert!(unavailable > 0, "the outage was seen");
    // Every acknowledged write is there, once.
    let titles = app
        .texts(
            "SELECT title FROM ideas WHERE title LIKE '현장 개선 아이디어 away-%' ORDER BY title",
        )
        .await;
    let expected: BTreeSet<String> = acknowledged
        .iter()
        .map(|k| format!("현장 개선 아이디어 {k}"))
        .collect();
    assert_eq!(titles.len(), expected.len(), "no idea twice");
    assert_eq!(titles.into_iter().collect::<BTreeSet<_>>(), expected);
    app.finish().await;
}
