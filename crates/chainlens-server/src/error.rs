//! The server's errors and how each becomes an HTTP response: a status code and the JSON
//! body `{"error": "...", "problems": ["file:row:column: field: reason", ...]}` (the
//! problems only for invalid data, as `chainlens import` prints them).

use crate::runs::Full;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token, or one that is unknown or revoked.
    #[error("a valid token is required (Authorization: Bearer clt_…)")]
    Unauthorized,
    /// The token's role is too low for the action.
    #[error("the token's role `{have}` may not do this; `{need}` is required")]
    Forbidden { have: String, need: String },
    /// Nothing here, or a workspace the token is not for (the same answer, so a token
    /// cannot learn which other workspaces exist).
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Data that would not import; `problems` are the CLI's lines.
    #[error("{} problem{} found", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Invalid { problems: Vec<String> },
    /// The request conflicts with the current state (an analysis that did not run, an
    /// alert that cannot make this transition).
    #[error("{0}")]
    Conflict(String),
    /// A request body axum refused (over the size limit: 413).
    #[error("{1}")]
    Rejected(StatusCode, String),
    /// The run queue is full: 429 with `Retry-After`.
    #[error(
        "{} runs are already waiting for {}; try again in {} s (`chainlens serve --queue-per-workspace/--queue-total` raise the limits)",
        .0.limit, .0.what, .0.retry_after
    )]
    Busy(Full),
    /// The request was not answered in time: 503.
    #[error(
        "the request took longer than {} s and was stopped (`chainlens serve --request-timeout` raises the limit)",
        .0.as_secs()
    )]
    Timeout(std::time::Duration),
    #[error(transparent)]
    Data(#[from] chainlens_data::Error),
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) | ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Rejected(status, _) => *status,
            ApiError::Data(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(format!("a background task failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.to_string() });
        if let ApiError::Invalid { problems } = &self {
            body["problems"] = serde_json::json!(problems);
        }
        let mut response = (self.status(), axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match &self {
            ApiError::Unauthorized => {
                headers.insert(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
            }
            ApiError::Busy(full) => {
                headers.insert(axum::http::header::RETRY_AFTER, full.retry_after.into());
            }
            _ => {}
        }
        response
    }
}
