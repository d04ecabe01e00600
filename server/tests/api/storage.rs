//! File storage: on SQLite the files live in a directory, on PostgreSQL in the
//! S3-compatible test store (moto, started by `.ci/run`), so every upload test
//! runs on both backends. Here: streaming back whole, sweeping orphans, moving
//! files between storages, and a store that does not answer.

use crate::both;
use crate::support::{Session, TestApp, big_jpeg, error, jpeg_with_location};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use moim_server::files::{self, Storage};
use serde_json::{Value, json};

both!(
    a_photo_streams_back_whole,
    a_sweep_removes_only_old_files_no_row_names,
    moving_files_copies_and_checks_them,
    a_store_that_does_not_answer_is_503,
);

/// A firm member with a public idea carrying `photo`; the idea's id and the
/// photo's URL.
async fn idea_with_photo(app: &TestApp, n: u32, photo: &[u8]) -> (Session, String) {
    let key = format!("photo-{n}");
    let author = app
        .firm_member(
            &format!("{key}@hanbit.example"),
            &format!("한빛정밀 {n}"),
            n,
        )
        .await;
    let body = json!({"title": "현장 사진으로 보는 칩 배출 문제", "body": "사진을 보세요.", "tags": [], "idempotency_key": key}).to_string();
    let (status, created) = app
        .multipart(
            "/api/ideas",
            &[
                ("idea", None, body.as_bytes()),
                ("photo", Some("IMG_0001.jpg"), photo),
            ],
            &author,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, view) = app
        .get(&format!("/api/ideas/{}", created["id"]), Some(&author))
        .await;
    let url = format!("/api/ideas/{}/photos/{}", created["id"], view["photos"][0]);
    (author, url)
}

/// The photo as stored: the upload without its location metadata.
fn stored(photo: &[u8]) -> Vec<u8> {
    files::strip_metadata("image/jpeg", photo.to_vec().into())
        .unwrap()
        .to_vec()
}

async fn a_photo_streams_back_whole(app: &TestApp) {
    // Larger than one read of the stream, so the answer is several chunks.
    let photo = big_jpeg(700 * 1024);
    let (_, url) = idea_with_photo(app, 11, &photo).await;
    let (headers, status, body) = TestApp::fetch(&app.storing(app.files().clone()), &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["content-length"], body.len().to_string().as_str());
    assert_eq!(body.as_ref(), stored(&photo).as_slice());
    assert!(
        !body.windows(11).any(|w| w == b"GPSLatitude"),
        "location stripped"
    );
}

async fn a_sweep_removes_only_old_files_no_row_names(app: &TestApp) {
    let photo = jpeg_with_location();
    let (_, url) = idea_with_photo(app, 12, &photo).await;
    // A file whose transaction failed after it was written.
    let orphan = app
        .files()
        .put(b"left behind".to_vec().into())
        .await
        .unwrap();
    assert_eq!(app.files().size(&orphan).await.unwrap(), Some(11));
    // Written within the grace: it may be an upload still committing.
    let kept = files::sweep(&app.db, app.files(), Utc::now() - files::SWEEP_GRACE)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    assert_eq!(app.files().size(&orphan).await.unwrap(), Some(11));
    // Past it: the orphan goes, the idea's photo stays.
    let removed = files::sweep(&app.db, app.files(), Utc::now() + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(app.files().size(&orphan).await.unwrap(), None);
    let (_, status, body) = TestApp::fetch(&app.storing(app.files().clone()), &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_ref(), stored(&photo).as_slice());
}

/// Another storage of the same kind as the app's: a directory, or a new prefix
/// of the test bucket.
fn other_storage(app: &TestApp, name: &str) -> Storage {
    match (app.sqlite_file(), crate::support::s3_endpoint()) {
        (None, Some(endpoint)) => Storage::s3(
            &format!(
                "s3://{}/moved-{name}-{}",
                crate::support::TEST_BUCKET,
                std::process::id()
            ),
            &crate::support::s3_options(&endpoint),
        )
        .unwrap(),
        _ => Storage::local(&std::env::temp_dir().join(format!(
            "moim-test-moved-{name}-{}-{}",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or_default()
        )))
        .unwrap(),
    }
}

async fn moving_files_copies_and_checks_them(app: &TestApp) {
    let first = jpeg_with_location();
    let second = big_jpeg(1000);
    let (_, url1) = idea_with_photo(app, 13, &first).await;
    let (_, url2) = idea_with_photo(app, 14, &second).await;
    let target = other_storage(app, &format!("{}", Utc::now().timestamp_micros()));
    let moved = files::copy_all(&app.db, app.files(), &target)
        .await
        .unwrap();
    assert_eq!((moved.copied, moved.present), (2, 0), "{moved:?}");
    assert!(moved.missing.is_empty() && moved.failed.is_empty());
    // Again (after an interruption): checked, not copied.
    let again = files::copy_all(&app.db, app.files(), &target)
        .await
        .unwrap();
    assert_eq!((again.copied, again.present), (0, 2), "{again:?}");
    // The portal over the new storage serves both photos as they were.
    let moved_portal = app.storing(target.clone());
    for (url, photo) in [(&url1, &first), (&url2, &second)] {
        let (_, status, body) = TestApp::fetch(&moved_portal, url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.as_ref(), stored(photo).as_slice());
    }
    // A file named by a row but in neither storage is reported, not invented.
    let keys = moim_server::db::files::keys(&app.db).await.unwrap();
    app.files().remove(&keys[..1]).await;
    target.remove(&keys[..1]).await;
    let gone = files::copy_all(&app.db, app.files(), &target)
        .await
        .unwrap();
    assert_eq!(gone.missing, keys[..1].to_vec());
    assert_eq!(gone.present, 1);
}

async fn a_store_that_does_not_answer_is_503(app: &TestApp) {
    let photo = jpeg_with_location();
    let (author, url) = idea_with_photo(app, 15, &photo).await;
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let away = Storage::s3(
        "s3://moim-test/away",
        &crate::support::s3_options(&endpoint),
    )
    .unwrap();
    let portal = app.storing(away);
    // Reading a photo: 503 with Retry-After, the generic body.
    let (headers, status, body) = TestApp::fetch(&portal, &url).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers["retry-after"], "5");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error(&body), "unavailable");
    // Readiness names the storage.
    let (_, status, body) = TestApp::fetch(&portal, "/api/ready").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body, json!({"database": "ok", "storage": "unavailable"}));
    // Posting an idea with a photo: 503, and no idea is made.
    let body = json!({"title": "저장소가 멈춘 동안 올린 사진", "body": "사진", "tags": [], "idempotency_key": "away-2"}).to_string();
    let req = TestApp::multipart_request(
        "/api/ideas",
        &[
            ("idea", None, body.as_bytes()),
            ("photo", Some("p.jpg"), &photo),
        ],
        &author,
    );
    let res = tower::ServiceExt::oneshot(portal.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (_, feed) = app.get("/api/ideas", Some(&author)).await;
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["현장 사진으로 보는 칩 배출 문제"]);
}
