//! The binary's one error type, printed once at the edge (`main`), and its exit codes.
//!
//! | exit code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the input has problems (each printed, located where it has a place) or a check failed |
//! | 2 | the command was used wrongly: a missing, contradictory or out-of-range option (clap's own usage errors are 2 as well) |
//! | 3 | the environment failed: a file, folder or the store could not be read or written (permissions, a full disk, a locked or newer store), or the server could not start |
//!
//! Commands return [`CliError`] instead of printing and choosing a code themselves; the
//! data layer's errors and `anyhow` chains convert into it, and their class decides the
//! code.

use chainlens_data::Error as DataError;
use std::process::ExitCode;

pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Problems in the input, each a complete line (`file:row:column: field: reason`),
    /// followed by their count. Exit 1.
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Problems(Vec<String>),
    /// One problem with the input, said as a sentence that names what it concerns.
    /// Exit 1.
    #[error("{0}")]
    Input(String),
    /// The output already says what failed (e.g. `validate --format json`). Exit 1.
    #[error("the check failed")]
    Reported,
    /// The command was used wrongly. Exit 2.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Data(#[from] DataError),
    /// The server could not start (the address is taken, a workspace cannot be served).
    #[error(transparent)]
    Serve(#[from] chainlens_server::ServeError),
    /// A result could not be written as JSON (a non-finite number where JSON has none).
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl CliError {
    /// A problem with the input, from anything printable.
    pub fn input(message: impl std::fmt::Display) -> Self {
        CliError::Input(message.to_string())
    }

    /// Problems in the input, each a line.
    pub fn problems<P: std::fmt::Display>(problems: &[P]) -> Self {
        CliError::Problems(problems.iter().map(ToString::to_string).collect())
    }

    /// A wrong use of the command.
    pub fn usage(message: impl std::fmt::Display) -> Self {
        CliError::Usage(message.to_string())
    }

    /// The exit code of the table in the module doc.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Problems(_) | CliError::Input(_) | CliError::Reported | CliError::Json(_) => {
                1
            }
            CliError::Serve(chainlens_server::ServeError::Api(_)) => 1,
            CliError::Serve(_) => 3,
            CliError::Usage(_) => 2,
            CliError::Data(e) => data_code(e),
            CliError::Other(e) => {
                if e.chain().any(|c| {
                    c.is::<std::io::Error>()
                        || c.downcast_ref::<DataError>()
                            .is_some_and(|d| data_code(d) == 3)
                }) {
                    3
                } else {
                    1
                }
            }
        }
    }

    /// Prints the error on stderr, once, and says which code to exit with.
    pub fn report(&self) -> ExitCode {
        match self {
            CliError::Problems(lines) => {
                for line in lines {
                    eprintln!("{line}");
                }
                if lines.len() > 1 {
                    eprintln!("{self}");
                }
            }
            CliError::Data(DataError::Invalid { problems }) => {
                for p in problems {
                    eprintln!("{p}");
                }
                eprintln!("{self}");
            }
            CliError::Reported => {}
            CliError::Other(e) => eprintln!("error: {}", once(e)),
            other => eprintln!("error: {other}"),
        }
        ExitCode::from(self.exit_code())
    }
}

fn data_code(e: &DataError) -> u8 {
    match e {
        DataError::Io { .. }
        | DataError::Store { .. }
        | DataError::StoreTooNew { .. }
        | DataError::StoreTooOld { .. }
        | DataError::Write { .. } => 3,
        DataError::Invalid { .. } | DataError::NotAWorkspace(_) | DataError::Section { .. } => 1,
    }
}

/// An error and its causes, each said once: the data layer's errors already quote their
/// source (`store chainlens.db: attempt to write a readonly database`), which anyhow's
/// `{:#}` would repeat after them.
fn once(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_said_once() {
        let e = anyhow::Error::new(std::io::Error::other("readonly database"))
            .context("store chainlens.db: readonly database");
        assert_eq!(once(&e), "store chainlens.db: readonly database");
        let e = anyhow::Error::new(std::io::Error::other("denied")).context("writing out");
        assert_eq!(once(&e), "writing out: denied");
    }

    #[test]
    fn the_class_decides_the_code() {
        assert_eq!(CliError::input("x").exit_code(), 1);
        assert_eq!(CliError::usage("x").exit_code(), 2);
        assert_eq!(CliError::Reported.exit_code(), 1);
        let io = DataError::Io {
            path: "a.csv".into(),
            source: std::io::Error::other("denied"),
        };
        assert_eq!(CliError::from(io).exit_code(), 3);
        let invalid = DataError::Invalid { problems: vec![] };
        assert_eq!(CliError::from(invalid).exit_code(), 1);
        let wrapped = anyhow::Error::new(std::io::Error::other("disk full")).context("writing out");
        assert_eq!(CliError::from(wrapped).exit_code(), 3);
        assert_eq!(
            CliError::from(anyhow::anyhow!("no such scenario")).exit_code(),
            1
        );
    }
}
