//! The ChainLens server (DESIGN.md §5): the paper's early-warning information platform
//! as an HTTP API over one or more workspaces, with token authentication and roles per
//! workspace, and the dashboard built into the binary.
//!
//! [`AppState::open`] loads and analyses the workspaces; [`serve`] answers on a listener
//! until a shutdown signal; [`run`] does both for `chainlens serve`.

pub mod api;
pub mod auth;
mod dashboard;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod runs;
pub mod state;
pub mod upload;

pub use error::{ApiError, Result};
pub use state::AppState;

use std::net::SocketAddr;
use std::path::PathBuf;

/// JSON request bodies larger than this answer 413 (data uploads have their own limit,
/// [`upload::LIMIT`]).
pub const BODY_LIMIT: usize = 1 << 20;

/// Tokio's blocking threads (store reads and writes, token lookups, reports, uploads; not
/// scenario runs): SQLite connections are bounded per workspace anyway, so more threads
/// would only wait, and the bound keeps the thread count fixed under any load.
const BLOCKING_THREADS: usize = 64;

/// How `chainlens serve` serves: its limits on concurrent work.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The scenario run queue.
    pub queue: runs::QueueConfig,
}

/// The whole application: API and dashboard.
pub fn router(state: AppState) -> axum::Router {
    let mut api = axum::Router::new();
    for (path, route) in api::routes() {
        api = api.route(path, route);
    }
    api.merge(dashboard::routes())
        .fallback(no_endpoint)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Runs blocking work (SQLite, analyses, files) on tokio's blocking threads, off the
/// request threads (scenario runs have their own workers: [`runs::Queue`]).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f).await?
}

/// Anything not routed: a JSON 404 naming what was asked for.
async fn no_endpoint(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no endpoint {method} {}", uri.path()))
}

/// Serves `state` on `listener` until `shutdown` completes; requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Why `chainlens serve` could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The tokio runtime the server runs on: one request thread per core and at most
/// [`BLOCKING_THREADS`] blocking ones.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
}

/// `chainlens serve`: loads the workspaces, binds `addr`, calls `ready` with the bound
/// address and the names served, and serves until Ctrl-C or SIGTERM.
pub fn run(
    workspaces: &[PathBuf],
    addr: SocketAddr,
    config: Config,
    ready: impl FnOnce(SocketAddr, Vec<String>),
) -> std::result::Result<(), ServeError> {
    runtime()?.block_on(async {
        let roots = workspaces.to_vec();
        let state = tokio::task::spawn_blocking(move || AppState::open(&roots, config.queue))
            .await
            .map_err(ApiError::from)??;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        ready(
            listener.local_addr()?,
            state.sites.keys().cloned().collect(),
        );
        serve(listener, state, shutdown_signal()).await?;
        Ok(())
    })
}
