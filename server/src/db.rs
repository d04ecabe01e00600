//! The database: SQLite embedded by default, PostgreSQL for deployments that
//! outgrow one machine, picked from `DATABASE_URL`'s scheme. SQL is written once in
//! the portable subset (`$n` placeholders, `RETURNING`, timestamps made in Rust);
//! `with_db!`/`with_tx!` expand each query for both pools.

pub mod activities;
pub mod audit;
pub mod calls;
pub mod collaborations;
pub mod consents;
pub mod consortia;
pub mod evaluation;
pub mod experts;
pub mod export;
pub mod factors;
pub mod figures;
pub mod files;
pub mod founding;
pub mod grants;
pub mod guests;
pub mod headlines;
pub mod ideas;
pub mod import;
pub mod kpi;
pub mod leaving;
pub mod ledger;
pub mod matchmaking;
pub mod notifications;
pub mod orgs;
pub mod outbox;
pub mod partners;
pub mod passkeys;
pub mod problems;
pub mod recovery;
pub mod reference;
pub mod registry;
pub mod requests;
pub mod selection;
pub mod sessions;
pub mod surveys;
pub mod users;

use crate::error::DbError;
use sqlx::{
    PgPool, Postgres, Sqlite, SqlitePool,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

/// A pool of one of the two backends.
#[derive(Clone, Debug)]
pub enum Db {
    /// Embedded SQLite (one file, WAL).
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// A transaction of one of the two backends.
pub enum Tx {
    /// SQLite.
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    /// PostgreSQL.
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// Runs `$body` with `$pool` bound to the pool of whichever backend `$db` is.
macro_rules! with_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection; use `&mut *$conn`.
macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use {with_db, with_tx};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), creating a SQLite file
    /// and its directory when missing.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Ok(Db::postgres(options).await?)
        } else {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            if let Some(dir) = std::path::Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|e| DbError::Other(sqlx::Error::Io(e)))?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true);
            Ok(Db::sqlite(options).await?)
        }
    }

    /// A SQLite pool: WAL so readers never wait for the writer, foreign keys on, and
    /// a busy timeout so concurrent writers queue instead of failing.
    pub async fn sqlite(options: SqliteConnectOptions) -> Result<Db, sqlx::Error> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            // A COMMIT that fails (SQLITE_FULL on a full disk: SQLite rolls the
            // transaction back itself) leaves sqlx counting a transaction the
            // connection no longer has, and every later BEGIN on it fails. Such a
            // connection is closed, not reused. A connection that still counts a
            // transaction may only have a dropped one's rollback queued on its
            // worker: a ping lets that finish before it is asked again (the
            // common release, outside a transaction, costs no round trip).
            .after_release(|conn, _| {
                Box::pin(async move {
                    if sqlx::Connection::is_in_transaction(conn) {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(!sqlx::Connection::is_in_transaction(conn))
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    /// A PostgreSQL pool.
    pub async fn postgres(options: PgConnectOptions) -> Result<Db, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    /// The pool's connections: open, idle, and the most it opens.
    pub fn pool_use(&self) -> (u32, u32, u32) {
        with_db!(self, p => (
            p.size(),
            u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
            p.options().get_max_connections(),
        ))
    }

    /// Runs the embedded migrations of this backend.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Starts a transaction. SQLite's takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred one that reads first and writes later cannot wait
    /// for a writer that committed meanwhile (its snapshot is stale) and fails
    /// at once with "database is locked", whatever the busy timeout — two saves
    /// of one draft a moment apart did. Immediate ones queue behind each other
    /// for up to the busy timeout; plain reads outside transactions never wait.
    ///
    /// How long that took is the `moim_db_transaction_wait_seconds` histogram:
    /// the wait for a pool connection (and, on SQLite, for the write lock), which
    /// every write pays before its first statement.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        let started = std::time::Instant::now();
        let tx = match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        metrics::histogram!("moim_db_transaction_wait_seconds")
            .record(started.elapsed().as_secs_f64());
        Ok(tx)
    }

    /// `"sqlite"` or `"postgres"`, for logs and benchmarks.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Answers once the database does: the cheapest round trip, for health checks.
    pub async fn ping(&self) -> Result<(), DbError> {
        with_db!(self, p => sqlx::query("SELECT 1").execute(p).await?.rows_affected());
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check` (`ok` when the file is sound);
    /// PostgreSQL checks its own pages, so `ok` once it answers.
    pub async fn integrity_check(&self) -> Result<String, DbError> {
        Ok(match self {
            Db::Sqlite(p) => {
                let (r,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_one(p)
                    .await?;
                r
            }
            Db::Postgres(p) => {
                let (r,): (String,) = sqlx::query_as("SELECT 'ok'").fetch_one(p).await?;
                r
            }
        })
    }

    /// Closes the pool.
    pub async fn close(&self) {
        with_db!(self, p => p.close().await)
    }
}

impl Tx {
    /// Commits.
    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// Every unique rule a handler answers for (`DbError::Unique` of any other
/// rule is a fault). A test checks that each names a rule of both schemas.
pub const UNIQUE_RULES: [&crate::error::UniqueRule; 9] = [
    &orgs::BUSINESS_NO,
    &users::EMAIL,
    &consortia::NAME,
    &consortia::MANAGER,
    &requests::ONE_OPEN,
    &collaborations::PROPOSAL_KEY,
    &collaborations::PROPOSAL_LIVE,
    &ideas::REPORT_ONCE,
    &partners::NAME,
];

/// The migration versions of each backend, so a test can check they match.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    let versions = |m: &sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect();
    (versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS))
}

/// A JSON column read back (the server wrote it, so a failure is a fault).
fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Other(sqlx::Error::Decode(Box::new(e))))
}

/// A value written to a JSON column.
fn encode<T: serde::Serialize>(v: &T) -> Result<String, DbError> {
    serde_json::to_string(v).map_err(|e| DbError::Other(sqlx::Error::Encode(Box::new(e))))
}

/// The choice a stored code names (the CHECK constraints keep it one).
fn code<T>(code: &str, from_code: fn(&str) -> Option<T>) -> Result<T, DbError> {
    from_code(code)
        .ok_or_else(|| DbError::Other(sqlx::Error::Decode(format!("unknown code {code}").into())))
}

/// A repeatable stream of pseudo-random numbers (xorshift64) from `seed`
/// (not zero), for the benchmarks' synthetic data.
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut rng = seed;
    move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    }
}

/// Ids as a comma-separated list for `IN (…)`: integers only, so nothing to escape,
/// and one statement whatever the number of ids.
pub(crate) fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// `%word%` for `LIKE … ESCAPE '\'`, lower-cased, with `%`, `_` and `\` escaped.
pub fn like_pattern(word: &str) -> String {
    let mut p = String::with_capacity(word.len() + 2);
    p.push('%');
    for c in word.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}
