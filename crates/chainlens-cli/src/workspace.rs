//! Loading a workspace at the CLI's edge: problems are printed on stderr, one per line,
//! with paths as the user can open them, and turn into exit code 1.

use chainlens_data::workspace::Workspace;
use chainlens_data::{Error, Limits, Located, Location};
use std::path::Path;
use std::process::ExitCode;

/// A problem with its file shown relative to where the user ran the command.
pub fn shown(dir: &Path, p: &Located) -> Located {
    let mut p = p.clone();
    if !p.file.is_empty() {
        p.file = dir.join(&p.file).to_string_lossy().into_owned();
    }
    p
}

/// The `[limits]` of the workspace around `path` (crate chainlens_data::limits), for
/// commands that read files outside a workspace; a broken `[limits]` is printed.
pub fn limits_around(path: &Path) -> Result<Limits, ExitCode> {
    Limits::around(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

/// Loads `dir`, or prints why not and says which exit code to return.
pub fn load(dir: &Path) -> Result<Workspace, ExitCode> {
    Workspace::load(dir).map_err(|e| report(dir, &e))
}

/// Prints a data-layer error: every problem on its own line, then a count.
pub fn report(dir: &Path, e: &Error) -> ExitCode {
    match e {
        Error::Invalid { problems } => {
            for p in problems {
                eprintln!("{}", shown(dir, p));
            }
            eprintln!("{e}");
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::FAILURE
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
