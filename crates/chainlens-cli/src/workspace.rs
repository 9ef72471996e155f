//! Loading a workspace at the CLI's edge: problems are printed on stderr, one per line,
//! with paths as the user can open them, and turn into exit code 1 (crate::error).

use crate::error::CliError;
use chainlens_data::{Error, Limits, Located, Location};
use std::path::Path;

/// A problem with its file shown relative to where the user ran the command.
pub fn shown(dir: &Path, p: &Located) -> Located {
    let mut p = p.clone();
    if !p.file.is_empty() {
        p.file = dir.join(&p.file).to_string_lossy().into_owned();
    }
    p
}

/// The `[limits]` of the workspace around `path` (crate chainlens_data::limits), for
/// commands that read files outside a workspace.
pub fn limits_around(path: &Path) -> Result<Limits, CliError> {
    Limits::around(path).map_err(CliError::from)
}

/// Opens the workspace in `dir` with its settings; its problems shown with paths as the
/// user can open them.
pub fn load(dir: &Path) -> Result<chainlens_pipeline::Workspace, CliError> {
    chainlens_pipeline::Workspace::open(dir).map_err(|e| located(dir, e))
}

/// A data-layer error with every problem's file shown relative to where the user ran the
/// command.
pub fn located(dir: &Path, e: Error) -> CliError {
    match e {
        Error::Invalid { problems } => {
            CliError::Problems(problems.iter().map(|p| shown(dir, p).to_string()).collect())
        }
        other => other.into(),
    }
}

/// `Location` of a problem as a JSON-friendly triple.
pub fn problem_json(dir: &Path, p: &Located) -> serde_json::Value {
    let p = shown(dir, p);
    let (row, column) = match &p.location {
        Location::Cell { row, column } => (Some(*row), *column),
        Location::Record { record } => (Some(*record), None),
        _ => (None, None),
    };
    serde_json::json!({
        "file": p.file,
        "row": row,
        "column": column,
        "key": match &p.location { Location::Key { path } => Some(path.clone()), _ => None },
        "field": p.field,
        "message": p.message,
        "suggestion": p.suggestion,
        "text": p.to_string(),
    })
}
