//! Backups while the portal serves, and restores (SQLite: the database and the
//! files; PostgreSQL's database is pg_dump's business, its files are copied).

use crate::support::{Session, TestApp, jpeg_with_location};
use axum::http::StatusCode;
use moim_server::{AppState, Config, app, backup, db::Db, files::Storage};
use serde_json::json;

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "moim-test-backup-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ))
}

/// Posts a public idea with a photo; its id once acknowledged.
async fn post(app: &TestApp, s: &Session, n: usize) -> i64 {
    let body = json!({"title": format!("백업 중에 올린 아이디어 {n}"), "body": "사진과 함께", "tags": [], "idempotency_key": format!("backup-{n}")}).to_string();
    let photo = jpeg_with_location();
    let (status, created) = app
        .multipart(
            "/api/ideas",
            &[
                ("idea", None, body.as_bytes()),
                ("photo", Some("p.jpg"), &photo),
            ],
            s,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

async fn idea_ids(db: &Db) -> Vec<i64> {
    let Db::Sqlite(p) = db else { unreachable!() };
    sqlx::query_as::<_, (i64,)>("SELECT id FROM ideas ORDER BY id")
        .fetch_all(p)
        .await
        .unwrap()
        .into_iter()
        .map(|(i,)| i)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_during_writes_restores_whole() {
    let app = TestApp::sqlite().await;
    let author = app
        .firm_member("backup@hanbit.example", "한빛정밀", 41)
        .await;
    let mut acknowledged = Vec::new();
    for n in 0..8 {
        acknowledged.push(post(&app, &author, n).await);
    }
    // The backup runs while ideas with photos keep being posted.
    let dir = temp("dir");
    let (made, during) = tokio::join!(backup::backup(&app.db, app.files(), &dir), async {
        let mut ids = Vec::new();
        for n in 100..120 {
            ids.push(post(&app, &author, n).await);
        }
        ids
    });
    let manifest = made.unwrap();
    assert_eq!(manifest.backend, "sqlite");
    assert!(manifest.missing.is_empty(), "{manifest:?}");
    assert!(manifest.files >= acknowledged.len(), "{manifest:?}");
    // Never over an earlier backup.
    let again = backup::backup(&app.db, app.files(), &dir).await;
    assert!(again.unwrap_err().to_string().contains("not empty"));

    // Restored into a new database file and an empty storage.
    let db_path = temp("restored.db");
    let url = format!("sqlite://{}", db_path.display());
    let storage = Storage::local(&temp("files")).unwrap();
    let restored = backup::restore(&dir, &url, &storage).await.unwrap();
    assert_eq!(restored.integrity_check().await.unwrap(), "ok");
    let ids = idea_ids(&restored).await;
    for id in &acknowledged {
        assert!(
            ids.contains(id),
            "idea {id}, acknowledged before the backup, restored"
        );
    }
    // Whatever of the writes during the backup it holds, it holds whole: every
    // restored idea's photo is served from the restored storage.
    let kept_during = during.iter().filter(|id| ids.contains(id)).count();
    assert_eq!(ids.len(), acknowledged.len() + kept_during);
    let portal = app_over(restored.clone(), storage.clone());
    for id in &ids {
        let (_, status, view) = TestApp::fetch(&portal, &format!("/api/ideas/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let view: serde_json::Value = serde_json::from_slice(&view).unwrap();
        let (_, status, photo) = TestApp::fetch(
            &portal,
            &format!("/api/ideas/{id}/photos/{}", view["photos"][0]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "photo of idea {id}");
        assert!(photo.starts_with(&[0xFF, 0xD8, 0xFF]));
    }
    // Never over a database that exists, nor into a storage that holds files.
    let over_db = backup::restore(&dir, &url, &Storage::local(&temp("empty")).unwrap()).await;
    assert!(
        over_db
            .unwrap_err()
            .to_string()
            .contains("refusing to overwrite")
    );
    let into_files = backup::restore(
        &dir,
        &format!("sqlite://{}", temp("new.db").display()),
        &storage,
    )
    .await;
    assert!(
        into_files
            .unwrap_err()
            .to_string()
            .contains("already holds files")
    );
    restored.close().await;
    app.finish().await;
}

fn app_over(db: Db, files: Storage) -> axum::Router {
    app(AppState::new(db, files, Config::default()))
}
