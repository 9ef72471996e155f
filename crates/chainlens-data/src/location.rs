//! Where a problem is: file, row, column (as a spreadsheet shows them), and the field.
//!
//! Printed as `file:row:column: field: reason`. Row 1 of a CSV file or sheet is its header
//! row, so the first record is row 2; columns count from 1. JSON has no rows, so its
//! records are numbered (`file:record 3: field: reason`); TOML gives the key path.

use chainlens_model::problem::echo;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// The file as a whole (missing, empty, undecodable).
    File,
    /// A cell (or the row, when `column` is `None`) of a CSV file or a sheet.
    Cell { row: usize, column: Option<usize> },
    /// A record of a JSON array, 1-based.
    Record { record: usize },
    /// A key path in a TOML file, e.g. `chains[1].stages[0].inputs`.
    Key { path: String },
}

/// A problem with its place in the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    /// The file as the user named it (relative to the workspace where possible).
    pub file: String,
    pub location: Location,
    pub field: Option<String>,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Located {
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Located {
            file: file.into(),
            location: Location::File,
            field: None,
            message: message.into(),
            suggestion: None,
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        match &self.location {
            Location::File => {}
            Location::Cell {
                row,
                column: Some(c),
            } => write!(f, ":{row}:{c}")?,
            Location::Cell { row, column: None } => write!(f, ":{row}")?,
            Location::Record { record } => write!(f, ":record {record}")?,
            Location::Key { path } => write!(f, ":{path}")?,
        }
        if let Some(field) = &self.field {
            write!(f, ": {}", echo(field))?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{}`?)", echo(s))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_file_row_column_field_reason() {
        let p = Located {
            file: "data/enterprises.csv".into(),
            location: Location::Cell {
                row: 7,
                column: Some(3),
            },
            field: Some("region".into()),
            message: "unknown region `hangzou`".into(),
            suggestion: Some("hangzhou".into()),
        };
        assert_eq!(
            p.to_string(),
            "data/enterprises.csv:7:3: region: unknown region `hangzou` (did you mean `hangzhou`?)"
        );
        let q = Located::whole_file("data/risks.csv", "file is empty");
        assert_eq!(q.to_string(), "data/risks.csv: file is empty");
    }
}
