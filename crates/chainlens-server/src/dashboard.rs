//! The dashboard: static assets compiled into the binary (nothing is loaded from the
//! internet), served at `/` and `/assets/…`.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// Routes of the dashboard's assets; generic over the state so the API's router can merge them.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/", get(index))
}

async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("../assets/index.html"),
    )
}
