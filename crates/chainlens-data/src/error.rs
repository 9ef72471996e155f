//! The data layer's errors. Problems in the user's data are not errors one at a time:
//! they are collected and returned together as [`Error::Invalid`].

use crate::Located;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The data has problems; each names its file, row and column.
    #[error("{} problem{} found", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Invalid { problems: Vec<Located> },
    #[error("{}: not a ChainLens workspace (no chainlens.toml)", .0.display())]
    NotAWorkspace(PathBuf),
    #[error("store {}: {source}", path.display())]
    Store {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("store {}: schema version {found} is newer than this ChainLens understands ({supported})", path.display())]
    StoreTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// A store opened read-only that needs a migration first.
    #[error("store {}: schema version {found} is older than this ChainLens's ({supported}): run `chainlens import` where the workspace is writable", path.display())]
    StoreTooOld {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}: {message}", path.display())]
    Write { path: PathBuf, message: String },
    #[error("section [{section}] of chainlens.toml: {message}")]
    Section { section: String, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The located problems of an [`Error::Invalid`]; a single synthetic one otherwise.
    pub fn problems(&self) -> Vec<Located> {
        match self {
            Error::Invalid { problems } => problems.clone(),
            other => vec![Located::whole_file(String::new(), other.to_string())],
        }
    }
}
