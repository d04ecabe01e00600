//! Extractors that turn every malformed input into the one `ApiError` shape and
//! run `core`'s validation before a handler sees a request.

use crate::error::AppError;
use axum::{
    extract::{FromRequest, FromRequestParts, Path, Query, Request, rejection::JsonRejection},
    http::{StatusCode, request::Parts},
};
use moim_core::{ApiError, ErrorCode, Validate};
use serde::de::DeserializeOwned;

/// Largest JSON body the API reads.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON body, rejected as `ApiError` (400, 413, 415; 422 naming a field of
/// the wrong kind).
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
    if let Some(e) = field_of(&r) {
        return ApiError::from(e);
    }
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

/// A well-formed body with a field of the wrong kind (`"sales": "12"`, a
/// choice not on the list) names that field, as validation does: 422 with
/// the field, so a form can show it where it belongs; a missing field is
/// `required` on it. A body that is not JSON, or not an object at all, stays
/// a 400.
fn field_of(r: &JsonRejection) -> Option<moim_core::FieldErrors> {
    let JsonRejection::JsonDataError(e) = r else {
        return None;
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(e) = s.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            let (path, message) = (e.path().to_string(), e.inner().to_string());
            let path = if path == "." { String::new() } else { path };
            // "missing field `title`" is said of the object that lacks it.
            let missing = message
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next());
            let (field, code) = match missing {
                Some(name) if path.is_empty() => (name.to_owned(), ErrorCode::Required),
                Some(name) => (format!("{path}.{name}"), ErrorCode::Required),
                None if path.is_empty() => return None,
                None if message.starts_with("unknown variant") => (path, ErrorCode::InvalidChoice),
                None => (path, ErrorCode::InvalidType),
            };
            let mut errors = moim_core::FieldErrors::default();
            errors.add(field, code);
            return Some(errors);
        }
        source = s.source();
    }
    None
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
