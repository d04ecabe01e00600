//! Extractors that turn every malformed input into the one `ApiError` shape and
//! run `core`'s validation before a handler sees a request.

use crate::error::AppError;
use axum::{
    extract::{FromRequest, FromRequestParts, Path, Query, Request, rejection::JsonRejection},
    http::{StatusCode, request::Parts},
};
use moim_core::{ApiError, Validate};
use serde::de::DeserializeOwned;

/// Largest JSON body the API reads.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON body, rejected as `ApiError` (400, 413, 415).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection).into()),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            limit: JSON_LIMIT as u64,
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        _ => ApiError::BadRequest {
            message: r.body_text(),
        },
    }
}

/// A JSON body that passed its `validate()`; else 422 with every field error.
pub struct Valid<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequest<S> for Valid<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiJson(v) = ApiJson::<T>::from_request(req, state).await?;
        v.validate().map_err(ApiError::from)?;
        Ok(Valid(v))
    }
}

/// A query string, read and validated like a body.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(v) = Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|r| ApiError::BadRequest {
                message: r.body_text(),
            })?;
        v.validate().map_err(ApiError::from)?;
        Ok(ApiQuery(v))
    }
}

/// Path parameters; an id that is not a number names nothing, so 404.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(v) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        Ok(ApiPath(v))
    }
}
