//! Backups and restores while the portal serves.
//!
//! A backup is a directory: `backup.json` (what it holds), `moim.db` (SQLite:
//! a consistent copy made by `VACUUM INTO` inside one read transaction, so
//! writers go on) and `files/` (every file a row of that copy names, read back
//! and compared). For PostgreSQL the database is copied by `pg_dump` (see the
//! README) and the backup holds the files. A restore brings a backup into an
//! empty database and an empty file storage, and refuses anything else.

use crate::{
    db::Db,
    files::{self, Storage},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a backup directory holds (`backup.json`).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// `sqlite` (the database is `moim.db` beside it) or `postgres` (it is not:
    /// `pg_dump` made it).
    pub backend: String,
    pub created_at: DateTime<Utc>,
    /// Files copied into `files/`.
    pub files: usize,
    /// Files a row names that the storage did not have when the copy was made
    /// (removed with their row after the database was copied).
    pub missing: Vec<String>,
}

/// The database file of a backup.
pub const DATABASE: &str = "moim.db";
const MANIFEST: &str = "backup.json";

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Backs up `db` and the files of `storage` into `dir`, which must not exist
/// or be empty.
pub async fn backup(db: &Db, storage: &Storage, dir: &Path) -> Result<Manifest, Error> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(format!(
            "{} is not empty: a backup goes into a new directory",
            dir.display()
        )
        .into());
    }
    std::fs::create_dir_all(dir)?;
    let created_at = Utc::now();
    // The rows whose files are copied: the database's copy's own, so the two
    // agree (a file written after the copy is not in it, nor its row).
    let snapshot = match db {
        Db::Sqlite(pool) => {
            let path = dir.join(DATABASE);
            sqlx::query("VACUUM INTO $1")
                .bind(path.to_string_lossy().into_owned())
                .execute(pool)
                .await?;
            Some(Db::connect(&format!("sqlite://{}", path.display())).await?)
        }
        Db::Postgres(_) => None,
    };
    let source = snapshot.as_ref().unwrap_or(db);
    let target = Storage::local(&dir.join("files"))?;
    let copied = files::copy_all(source, storage, &target).await?;
    if let Some(s) = snapshot {
        s.close().await;
    }
    if !copied.failed.is_empty() {
        return Err(format!("{} files did not copy whole", copied.failed.len()).into());
    }
    let manifest = Manifest {
        backend: db.backend().to_owned(),
        created_at,
        files: copied.copied + copied.present,
        missing: copied.missing,
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

/// The SQLite file a `sqlite://` URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    Some(PathBuf::from(
        url.trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:"),
    ))
}

/// Restores the backup in `dir` into the database at `database_url` and into
/// `storage`. A SQLite database must not exist yet (an empty file is taken); a
/// PostgreSQL one must have been restored by `pg_restore` first. The storage
/// must hold no file. Returns the restored database, checked.
pub async fn restore(dir: &Path, database_url: &str, storage: &Storage) -> Result<Db, Error> {
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(dir.join(MANIFEST))?)?;
    if storage.has_files().await? {
        return Err(format!(
            "{} already holds files: a restore goes into an empty storage",
            storage.describe
        )
        .into());
    }
    let db = match (manifest.backend.as_str(), sqlite_path(database_url)) {
        ("sqlite", Some(path)) => {
            if std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                return Err(format!(
                    "{} exists: refusing to overwrite a database (restore into a new path)",
                    path.display()
                )
                .into());
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            // Whole or not at all: copied beside it, then renamed.
            let part = path.with_extension("restoring");
            std::fs::copy(dir.join(DATABASE), &part)?;
            std::fs::rename(&part, &path)?;
            Db::connect(database_url).await?
        }
        ("postgres", None) => {
            let db = Db::connect(database_url).await?;
            if crate::db::files::keys(&db).await.is_err() {
                return Err("restore the database with pg_restore first (see the README)".into());
            }
            db
        }
        (backend, _) => {
            return Err(
                format!("this backup is of {backend}; --database-url names another kind").into(),
            );
        }
    };
    let integrity = db.integrity_check().await?;
    if integrity != "ok" {
        return Err(format!("the restored database fails its integrity check: {integrity}").into());
    }
    let copied = files::copy_all(&db, &Storage::local(&dir.join("files"))?, storage).await?;
    if !copied.failed.is_empty() {
        return Err(format!("{} files did not copy whole", copied.failed.len()).into());
    }
    Ok(db)
}
