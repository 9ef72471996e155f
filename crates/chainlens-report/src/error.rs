//! Errors of the report crate.

/// What can go wrong while producing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The XLSX writer refused a sheet, cell or the final buffer.
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, ReportError>;
