//! ChainLens reports: one self-contained HTML file with inline SVG charts, an
//! XLSX workbook, and plain tables for CSV/JSON.
//!
//! The crate depends on no analysis crate: the caller fills a [`ReportInput`]
//! (plain serde structs) from its results, then calls [`render_html`],
//! [`write_workbook`] or [`tables()`]. Labels come in English and Chinese
//! ([`Lang`]).

pub mod chart;
pub mod error;
pub mod format;
pub mod html;
pub mod i18n;
pub mod model;
pub mod svg;
pub mod tables;
pub mod workbook;

pub use error::{ReportError, Result};
pub use html::render_html;
pub use model::*;
pub use tables::{Cell, Table, tables};
pub use workbook::write_workbook;
