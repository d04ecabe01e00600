//! Email from the outbox against a real SMTP conversation: a sink started by the
//! test speaks SMTP on 127.0.0.1, can hold a message without answering (the
//! worker is then stopped mid-send) or refuse one for now (451). Every mail
//! arrives exactly once; per-kind preferences decide who gets mail, a digest or
//! nothing.

use crate::{
    activities::{schedule, visit, world},
    both,
    support::{TestApp, refused},
};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use moim_server::mail::{Mailer, tick};
use serde_json::json;
use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

both!(outbox_mail_arrives_exactly_once_across_a_restart);

/// A minimal SMTP server that records the Message-ID of each message it accepted.
#[derive(Default)]
struct Sink {
    accepted: Mutex<Vec<String>>,
    /// Messages whose data arrived (accepted or not).
    seen: AtomicUsize,
    /// Hold the message with this number (1-based) without ever answering.
    stall_on: AtomicUsize,
    /// Refuse this many next messages with 451.
    refuse: AtomicUsize,
}

impl Sink {
    async fn start() -> (Arc<Sink>, u16) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Arc::new(Sink::default());
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(s.clone().session(conn));
            }
        });
        (sink, port)
    }

    async fn session(self: Arc<Sink>, conn: tokio::net::TcpStream) {
        let (read, mut write) = conn.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 sink ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 sink\r\n",
                "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                "DATA" => {
                    let _ = write.write_all(b"354 go on\r\n").await;
                    let mut id = String::new();
                    while let Ok(Some(l)) = lines.next_line().await {
                        if l == "." {
                            break;
                        }
                        if l.to_ascii_lowercase().starts_with("message-id:") {
                            id = l[11..].trim().to_owned();
                        }
                    }
                    let n = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
                    if self.stall_on.load(Ordering::SeqCst) == n {
                        // Never answer: the sender is stopped while it waits.
                        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                        return;
                    }
                    if self.refuse.load(Ordering::SeqCst) > 0 {
                        self.refuse.fetch_sub(1, Ordering::SeqCst);
                        b"451 try again later\r\n"
                    } else {
                        self.accepted.lock().unwrap().push(id);
                        b"250 queued\r\n"
                    }
                }
                _ => b"502 not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }

    fn accepted(&self) -> Vec<String> {
        self.accepted.lock().unwrap().clone()
    }
}

async fn statuses(app: &TestApp) -> Vec<(String, i64)> {
    moim_server::db::outbox::counts(&app.db).await.unwrap()
}

async fn outbox_mail_arrives_exactly_once_across_a_restart(app: &TestApp) {
    let w = world(app, 5).await;
    let prefs = "/api/notifications/preferences";
    for (m, channel) in w
        .members
        .iter()
        .zip(["email", "email", "email", "digest", "off"])
    {
        let body = json!({"items": [{"kind": "activity_scheduled", "channel": channel}]});
        let (status, saved) = app.call(Method::PUT, prefs, Some(body), Some(m)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let item = saved["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "activity_scheduled")
            .unwrap()
            .clone();
        assert_eq!(item["channel"], channel);
    }
    let (status, e) = app
        .call(
            Method::PUT,
            prefs,
            Some(json!({"items": [{"kind": "nope", "channel": "email"}]})),
            Some(&w.cm),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        refused(&e),
        [("items[0].kind".to_owned(), "invalid_choice".to_owned())]
    );

    // The join approvals' mail is not this test's.
    match &app.db {
        moim_server::Db::Sqlite(p) => sqlx::query("DELETE FROM mail_outbox")
            .execute(p)
            .await
            .map(|_| ()),
        moim_server::Db::Postgres(p) => sqlx::query("DELETE FROM mail_outbox")
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
    schedule(app, &w.cm, visit(w.consortium, 10, Duration::days(5))).await;
    // "off" means not even in the app.
    let (_, told) = app.get("/api/notifications", Some(&w.members[4])).await;
    assert!(
        told.as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "activity_scheduled"),
        "{told}"
    );
    let (_, told) = app.get("/api/notifications", Some(&w.members[3])).await;
    assert_eq!(told[0]["kind"], "activity_scheduled");
    assert_eq!(statuses(app).await, [("pending".to_owned(), 4)]);

    let (sink, port) = Sink::start().await;
    let dir = std::env::temp_dir().join(format!(
        "moim-mail-{}-{}",
        std::process::id(),
        app.db.backend()
    ));
    let mailer = Arc::new(
        Mailer::new(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "모임 Moim <no-reply@moim.example>",
            "http://moim.test",
            &dir,
        )
        .unwrap(),
    );
    let now = Utc::now();

    // The worker sends the first mail, then stops while the second is on the wire.
    sink.stall_on.store(2, Ordering::SeqCst);
    let (db, m) = (app.db.clone(), mailer.clone());
    let worker = tokio::spawn(async move { tick(&db, &m, now).await });
    for _ in 0..200 {
        if sink.seen.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(sink.seen.load(Ordering::SeqCst), 2);
    worker.abort();
    let _ = worker.await;
    assert_eq!(sink.accepted().len(), 1);
    let mut s = statuses(app).await;
    s.sort();
    assert_eq!(s, [("pending".to_owned(), 3), ("sent".to_owned(), 1)]);

    // A restarted worker waits out the dead one's lease, then sends the rest.
    sink.stall_on.store(0, Ordering::SeqCst);
    assert_eq!(
        tick(&app.db, &mailer, now + Duration::seconds(30))
            .await
            .unwrap(),
        0,
        "the lease still holds"
    );
    let later = now + Duration::minutes(3);
    assert_eq!(tick(&app.db, &mailer, later).await.unwrap(), 2);
    assert_eq!(
        tick(&app.db, &mailer, later).await.unwrap(),
        0,
        "nothing twice"
    );
    let accepted = sink.accepted();
    let mut unique = accepted.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((accepted.len(), unique.len()), (3, 3), "{accepted:?}");
    assert!(
        accepted
            .iter()
            .all(|id| id.starts_with("<outbox-") && id.ends_with("@moim.test>")),
        "{accepted:?}"
    );

    // The digest goes at 08:00 Korea time, once.
    assert_eq!(
        tick(
            &app.db,
            &mailer,
            now + Duration::days(1) + Duration::hours(1)
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        tick(&app.db, &mailer, now + Duration::days(2))
            .await
            .unwrap(),
        0
    );
    assert_eq!(sink.accepted().len(), 4);

    // A server that says "later" gets the mail later, with back-off.
    schedule(app, &w.cm, visit(w.consortium, 10, Duration::days(6))).await;
    sink.refuse.store(1, Ordering::SeqCst);
    let t = Utc::now();
    assert_eq!(tick(&app.db, &mailer, t).await.unwrap(), 2);
    assert_eq!(
        tick(&app.db, &mailer, t).await.unwrap(),
        0,
        "not before its retry time"
    );
    assert_eq!(
        tick(&app.db, &mailer, t + Duration::minutes(2))
            .await
            .unwrap(),
        1
    );
    let accepted = sink.accepted();
    let mut unique = accepted.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((accepted.len(), unique.len()), (7, 7), "{accepted:?}");

    // With no SMTP configured, mail becomes files a newcomer can open.
    let files = Mailer::new(
        None,
        "모임 Moim <no-reply@moim.example>",
        "http://moim.test",
        &dir,
    )
    .unwrap();
    schedule(app, &w.cm, visit(w.consortium, 10, Duration::days(7))).await;
    assert_eq!(tick(&app.db, &files, Utc::now()).await.unwrap(), 3);
    let written: Vec<_> = std::fs::read_dir(dir.join("mail"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(written.len(), 3);
    let text = std::fs::read_to_string(written[0].path()).unwrap();
    assert!(
        text.contains("Message-ID: <outbox-") && text.contains("To: "),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
