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
    /// A unique constraint refused the write.
    #[error("unique violation: {0}")]
    Unique(String),
    /// A foreign key refused the write (a referenced row is missing).
    #[error("foreign key violation: {0}")]
    ForeignKey(String),
    /// Anything else: connection, syntax, decode...
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(d) => match d.kind() {
                sqlx::error::ErrorKind::UniqueViolation => DbError::Unique(d.message().to_owned()),
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    DbError::ForeignKey(d.message().to_owned())
                }
                _ => DbError::Other(e),
            },
            _ => DbError::Other(e),
        }
    }
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
    /// Any other fault.
    #[error("{0}")]
    Internal(String),
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
            // A constraint the handler did not anticipate: the request conflicts with
            // data, it is not a server fault.
            AppError::Db(DbError::Unique(_)) => ApiError::Conflict {
                code: moim_core::ConflictCode::AlreadyPending,
                field: None,
            },
            AppError::Db(DbError::ForeignKey(_)) => ApiError::NotFound,
            AppError::Db(DbError::Other(_)) | AppError::Internal(_) => ApiError::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let api = self.to_api();
        if api == ApiError::Internal {
            tracing::error!(error = %self, "request failed");
        }
        api_error_response(api)
    }
}

/// The one JSON shape of every error response.
pub fn api_error_response(api: ApiError) -> Response {
    let status = StatusCode::from_u16(api.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry = match &api {
        ApiError::TooManyRequests { retry_after } => {
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
