//! The ChainLens server (DESIGN.md §5): the paper's early-warning information platform
//! as an HTTP API over one or more workspaces, with token authentication and roles per
//! workspace, and the dashboard built into the binary.

mod dashboard;

/// The whole application: API and dashboard.
pub fn router() -> axum::Router {
    axum::Router::new().merge(dashboard::routes())
}
