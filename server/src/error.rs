//! Errors of the server's two layers: the database, and the HTTP answer.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use moim_core::ApiError;

/// A database failure, classified so handlers never see sqlx types.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for does not exist.
    #[error("row not found")]
    NotFound,
    /// A unique rule refused the write: a handler that expects it matches the
    /// rule (`Violation::of`); any other is a fault, answered 500.
    #[error("unique violation: {0}")]
    Unique(Violation),
    /// A foreign key refused the write (a referenced row is missing).
    #[error("foreign key violation: {0}")]
    ForeignKey(String),
    /// The disk the database writes to is full (SQLite's `SQLITE_FULL`,
    /// PostgreSQL's `disk_full`): nothing was written.
    #[error("database storage full: {0}")]
    Full(String),
    /// The database does not answer: unreachable, shutting down, out of
    /// connections, or (SQLite) locked by another process past the busy
    /// timeout. Nothing was done; it may answer again soon.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else: syntax, decode...
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => DbError::Unavailable(e.to_string()),
            sqlx::Error::Database(d)
                if is_away_code(d.code().as_deref(), is_sqlite(d.as_ref())) =>
            {
                DbError::Unavailable(d.message().to_owned())
            }
            sqlx::Error::Database(d) => match d.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    DbError::Unique(Violation::from_error(d.as_ref()))
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    DbError::ForeignKey(d.message().to_owned())
                }
                // SQLITE_FULL is 13 (its extended codes keep the low byte);
                // PostgreSQL's SQLSTATE 53100 is disk_full.
                _ if is_full_code(d.code().as_deref(), is_sqlite(d.as_ref())) => {
                    DbError::Full(d.message().to_owned())
                }
                _ => DbError::Other(e),
            },
            _ => DbError::Other(e),
        }
    }
}

/// Which unique rule a write broke. PostgreSQL names the constraint or unique
/// index; SQLite names the columns (`table.a, table.b`), or the index when it
/// is on an expression. Neither's message text is read for anything else.
#[derive(Debug)]
pub struct Violation(String);

impl Violation {
    fn from_error(d: &dyn sqlx::error::DatabaseError) -> Violation {
        if let Some(name) = d.constraint() {
            return Violation(name.to_owned());
        }
        // SQLite: "UNIQUE constraint failed: t.a, t.b" or "… failed: index 'name'".
        let what = d.message().split_once(": ").map_or(d.message(), |(_, w)| w);
        let what = what
            .strip_prefix("index '")
            .and_then(|w| w.strip_suffix('\''))
            .unwrap_or(what);
        Violation(what.to_owned())
    }

    /// Whether the write broke `rule`.
    pub fn of(&self, rule: &UniqueRule) -> bool {
        self.0 == rule.postgres || self.0 == rule.sqlite
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A unique rule of the schema a handler answers for, as each backend names
/// it: PostgreSQL's constraint or index name, SQLite's columns (or its index
/// name, for an index on an expression).
pub struct UniqueRule {
    /// PostgreSQL's name (`table_column_key`, `table_pkey` or the index's).
    pub postgres: &'static str,
    /// SQLite's `table.column, table.column` (or the index's name).
    pub sqlite: &'static str,
}

/// SQLite's codes are numbers whose low byte is the primary code; PostgreSQL's
/// are SQLSTATEs, some of them all digits too (22021): told apart by backend.
fn is_sqlite(d: &dyn sqlx::error::DatabaseError) -> bool {
    d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
}

/// SQLite's primary code of an error code, for SQLite errors only.
fn sqlite_primary(code: Option<&str>, sqlite: bool) -> Option<i32> {
    code.filter(|_| sqlite)?
        .parse::<i32>()
        .ok()
        .map(|n| n & 0xff)
}

/// True for the codes of a database that does not answer now: PostgreSQL's
/// connection exceptions (class 08), shutting down or starting (57P01–57P03),
/// too many connections (53300), a transaction rolled back by a serialization
/// failure or a deadlock (40001, 40P01: nothing was written, the same request
/// again will do); SQLite's busy or locked (5, 6) once the busy timeout has
/// passed.
fn is_away_code(code: Option<&str>, sqlite: bool) -> bool {
    if sqlite {
        return matches!(sqlite_primary(code, true), Some(5 | 6));
    }
    code.is_some_and(|c| {
        c.starts_with("08")
            || matches!(c, "57P01" | "57P02" | "57P03" | "53300" | "40001" | "40P01")
    })
}

/// True for the codes a full disk is reported with: SQLite's `SQLITE_FULL`
/// (13), PostgreSQL's `disk_full` (53100).
fn is_full_code(code: Option<&str>, sqlite: bool) -> bool {
    if sqlite {
        return sqlite_primary(code, true) == Some(13);
    }
    code == Some("53100")
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        DbError::Other(sqlx::Error::Migrate(Box::new(e)))
    }
}

/// What a handler fails with: an API error for the client, or an internal fault
/// whose cause goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A client-facing error, sent as is.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A database fault.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The data directory's disk is full (`ENOSPC`, a quota): nothing was kept.
    #[error("storage full: {0}")]
    Full(String),
    /// The file store does not answer (an object store away, a network fault).
    #[error("file storage unavailable: {0}")]
    Unavailable(String),
    /// Any other fault.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// A file operation's failure: a full disk or quota is [`AppError::Full`],
    /// anything else internal.
    pub fn from_io(what: &str, e: &std::io::Error) -> AppError {
        // ENOSPC 28, EDQUOT 122 (Linux).
        if e.kind() == std::io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 122))
        {
            AppError::Full(format!("{what}: {e}"))
        } else {
            AppError::Internal(format!("{what}: {e}"))
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("blocking task failed: {e}"))
    }
}

/// Handler result.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// The error as the client will see it.
    pub fn to_api(&self) -> ApiError {
        match self {
            AppError::Api(e) => e.clone(),
            AppError::Db(DbError::NotFound) => ApiError::NotFound,
            AppError::Db(DbError::ForeignKey(_)) => ApiError::NotFound,
            AppError::Db(DbError::Full(_)) | AppError::Full(_) => ApiError::StorageFull {
                retry_after: FULL_RETRY_SECONDS,
            },
            AppError::Db(DbError::Unavailable(_)) | AppError::Unavailable(_) => {
                ApiError::Unavailable {
                    retry_after: AWAY_RETRY_SECONDS,
                }
            }
            // A unique rule no handler expected is a fault of the server's, not
            // a conflict to word for the person: logged, and answered 500.
            AppError::Db(DbError::Other(_) | DbError::Unique(_)) | AppError::Internal(_) => {
                ApiError::Internal
            }
        }
    }
}

/// How long a client waits before writing again when the disk is full.
const FULL_RETRY_SECONDS: u64 = 60;
/// How long a client waits when the database does not answer.
const AWAY_RETRY_SECONDS: u64 = 5;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let api = self.to_api();
        match api {
            ApiError::Internal => tracing::error!(error = %self, "request failed"),
            ApiError::StorageFull { .. } => {
                tracing::error!(error = %self, "storage full: writes refused until space is freed")
            }
            ApiError::Unavailable { .. } => tracing::warn!(error = %self, "request refused"),
            _ => {}
        }
        api_error_response(api)
    }
}

/// The one JSON shape of every error response.
pub fn api_error_response(api: ApiError) -> Response {
    let status = StatusCode::from_u16(api.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry = match &api {
        ApiError::TooManyRequests { retry_after }
        | ApiError::StorageFull { retry_after }
        | ApiError::Unavailable { retry_after } => {
            HeaderValue::from_str(&retry_after.to_string()).ok()
        }
        _ => None,
    };
    let mut response = (status, Json(api)).into_response();
    if let Some(v) = retry {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
