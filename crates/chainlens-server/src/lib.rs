//! The ChainLens server (DESIGN.md §5): the paper's early-warning information platform
//! as an HTTP API over one or more workspaces, with token authentication and roles per
//! workspace, and the dashboard built into the binary.
//!
//! [`AppState::open`] loads and analyses the workspaces; [`serve`] answers on a listener
//! until a shutdown signal; [`run`] does both for `chainlens serve`.
//!
//! Connections (issue 22, item 4) are bounded by hyper's and tower's own settings, in
//! [`serve`]'s accept loop: at most [`Config::max_connections`] open at once (more wait
//! in the kernel's backlog until one closes); hyper's header-read timeout closes a
//! connection that has not sent a whole request head within [`Config::header_timeout`]
//! — a slow ("slowloris") client, and equally an idle keep-alive connection, which is
//! waiting for its next request head; and every request's handling, body included, is
//! cut off after [`Config::request_timeout`] with 503 (tower's `TimeoutLayer`).

pub mod api;
pub mod auth;
mod dashboard;
pub mod error;
pub mod extract;
pub mod headers;
pub mod openapi;
pub mod runs;
pub mod state;
pub mod upload;

pub use error::{ApiError, Result};
pub use state::AppState;

use axum::error_handling::HandleErrorLayer;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// JSON request bodies larger than this answer 413 (data uploads have their own limit,
/// [`upload::largest_limit`], from the workspaces' `[limits]`).
pub const BODY_LIMIT: usize = 1 << 20;

/// Tokio's blocking threads (store reads and writes, token lookups, reports, uploads; not
/// scenario runs): SQLite connections are bounded per workspace anyway, so more threads
/// would only wait, and the bound keeps the thread count fixed under any load.
const BLOCKING_THREADS: usize = 64;

/// How `chainlens serve` serves: its limits on concurrent work and its timeouts.
#[derive(Debug, Clone)]
pub struct Config {
    /// The scenario run queue.
    pub queue: runs::QueueConfig,
    /// A connection that has not sent a whole request head in this time is closed.
    pub header_timeout: Duration,
    /// A request not answered in this time answers 503.
    pub request_timeout: Duration,
    /// Connections open at once; more wait until one closes.
    pub max_connections: usize,
    /// Host names a loopback-bound server answers to besides its loopback names.
    pub allow_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            queue: runs::QueueConfig::default(),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(120),
            max_connections: 512,
            allow_hosts: Vec::new(),
        }
    }
}

/// The whole application, API and dashboard, for a server answering to `hosts`: every
/// response with [`headers::secure`]'s headers, every request cut off after
/// `request_timeout`.
pub fn router(state: AppState, hosts: headers::Hosts, request_timeout: Duration) -> axum::Router {
    let mut api = axum::Router::new();
    for (path, route) in api::routes(upload::largest_limit(&state)) {
        api = api.route(path, route);
    }
    api.merge(dashboard::routes())
        .fallback(no_endpoint)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            tower::ServiceBuilder::new()
                .layer(HandleErrorLayer::new(
                    move |_: tower::BoxError| async move { ApiError::Timeout(request_timeout) },
                ))
                .layer(tower::timeout::TimeoutLayer::new(request_timeout)),
        )
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            headers::check_host,
        ))
        .layer(axum::middleware::from_fn(headers::secure))
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

/// Serves `state` on `listener` with `config`'s limits until `shutdown` completes; then
/// stops accepting, lets the requests in flight finish and closes idle connections.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hosts = headers::Hosts::for_bind(listener.local_addr()?, &config.allow_hosts);
    let app = router(state, hosts, config.request_timeout);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let (stop, stopping) = tokio::sync::watch::channel(());
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or a connection reset before it was taken:
                // wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _slot = slot;
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopping.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(());
    while connections.join_next().await.is_some() {}
    Ok(())
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
        let queue = config.queue;
        let state = tokio::task::spawn_blocking(move || AppState::open(&roots, queue))
            .await
            .map_err(ApiError::from)??;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        ready(
            listener.local_addr()?,
            state.sites.keys().cloned().collect(),
        );
        serve(listener, state, &config, shutdown_signal()).await?;
        Ok(())
    })
}
