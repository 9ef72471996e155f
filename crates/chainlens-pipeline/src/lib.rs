//! A workspace's analyses run together, in the order the papers reason, and their
//! translation into the report's presentation input.
//!
//! The analysis crates are pure (model in, results out); this crate is the one place that
//! reads a workspace's configuration sections (`settings`), hands each crate its inputs, and keeps
//! going when one analysis fails. `chainlens run`, `chainlens report` and the server all
//! start here, so the command line, the report and the dashboard show the same numbers.

pub mod alerts;
pub mod analyses;
pub mod panel_check;
pub mod plan;
pub mod report_view;
pub mod settings;
pub mod spatial;
pub mod workspace;

pub use alerts::{Raised, raise_alerts};
pub use analyses::{Analyses, Section, run_all};
pub use panel_check::{PanelCheck, check_panel};
pub use report_view::report_input;
pub use settings::Settings;
pub use workspace::Workspace;
