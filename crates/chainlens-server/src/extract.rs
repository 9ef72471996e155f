//! axum's `Path` and `Query` extractors with the API's JSON errors: a malformed id or
//! query parameter answers 400 `{"error": "..."}` like every other error, not axum's
//! plain text.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Path parameters (`{ws}`, `{id}`, …).
pub struct Path<T>(pub T);

/// Query parameters (`?offset=&limit=`, `?lang=`, …).
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| Path(t))
            .map_err(|e| ApiError::Rejected(e.status(), e.body_text()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(t)| Query(t))
            .map_err(|e| ApiError::Rejected(e.status(), e.body_text()))
    }
}
