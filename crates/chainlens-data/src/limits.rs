//! Hard limits on what ChainLens reads and computes, in one place (docs/limits.md).
//!
//! Hostile or accidental input — a 200 MB CSV without a newline, 100,000 columns, a
//! simulation over ten million days — must be refused *at once*, before it costs seconds
//! or gigabytes, with a message that names the limit, its value and the `chainlens.toml`
//! key that raises it:
//!
//! ```text
//! data/risks.csv:1: line 1 is longer than the limit max_line_bytes = 1048576 bytes;
//! raise it in chainlens.toml: [limits] max_line_bytes = …
//! ```
//!
//! Every limit has a default ([`Limits::default`]); a workspace raises (or lowers) any of
//! them under `[limits]` in chainlens.toml, which `validate` checks like every section.
//! Commands that read a table outside a workspace (`simulate ario --table`, `linkage`)
//! take the `[limits]` of the nearest enclosing workspace ([`Limits::around`]).
//!
//! File sizes are checked from the file's metadata before a byte is read; line lengths
//! while reading, in chunks, so an over-long line stops the read after at most
//! `max_line_bytes` plus one chunk. Checks are O(1) per byte read.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;

/// The limits, as `[limits]` of chainlens.toml spells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Longest physical line of a CSV/TSV file, in bytes.
    pub max_line_bytes: u64,
    /// Longest cell (or column name), in bytes.
    pub max_field_bytes: u64,
    /// Most columns of a record table (regions, enterprises, …; JSON: distinct keys).
    pub max_columns: u64,
    /// Most columns of an input-output table (one per region × sector, plus labels).
    pub max_io_columns: u64,
    /// Largest record table file.
    pub max_table_bytes: u64,
    /// Largest input-output table file.
    pub max_io_table_bytes: u64,
    /// Largest data file the server accepts in one upload.
    pub max_upload_bytes: u64,
    /// Longest simulation horizon in days (`simulate ario --days`, a scenario's `days`).
    pub max_days: u64,
    /// Most Monte Carlo draws (a scenario's `monte_carlo.trials`).
    pub max_draws: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: MIB,
            max_field_bytes: 64 * KIB,
            max_columns: 1_000,
            max_io_columns: 20_000,
            max_table_bytes: 256 * MIB,
            max_io_table_bytes: 2048 * MIB,
            max_upload_bytes: 32 * MIB,
            max_days: 36_525,
            max_draws: 1_000_000,
        }
    }
}

/// One limit: its value and its key under `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub value: u64,
    pub key: &'static str,
}

/// A limit passed: what passed it, and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} {relation} the limit {key} = {limit}{unit}; raise it in chainlens.toml: [limits] {key} = …",
    key = bound.key,
    limit = bound.value,
)]
pub struct Exceeded {
    /// What passed the limit, e.g. `--days 10000000`, `line 1`.
    pub what: String,
    /// `is more than` when the value is known, `is longer than` when reading stopped.
    relation: &'static str,
    unit: &'static str,
    pub bound: Bound,
}

impl Bound {
    /// `Ok` when `value` is within the limit; otherwise an [`Exceeded`] naming `what`
    /// (e.g. `--days 10000000`, `the file (300000000 bytes)`).
    pub fn check(self, what: impl fmt::Display, value: u64) -> Result<(), Exceeded> {
        if value <= self.value {
            Ok(())
        } else {
            Err(self.passed(what.to_string(), "is more than"))
        }
    }

    /// The limit passed by something whose full size is not known (reading stopped).
    pub fn passed(self, what: String, relation: &'static str) -> Exceeded {
        let unit = if self.key.ends_with("_bytes") {
            " bytes"
        } else {
            ""
        };
        Exceeded {
            what,
            relation,
            unit,
            bound: self,
        }
    }
}

/// The limits that apply to reading one table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLimits {
    pub file_bytes: Bound,
    pub line_bytes: Bound,
    pub field_bytes: Bound,
    pub columns: Bound,
}

/// A [`Bound`] per field of [`Limits`], its key being the field's name (one place).
macro_rules! bounds {
    ($($(#[$doc:meta])* $name:ident => $field:ident;)*) => {
        impl Limits {
            $(
                $(#[$doc])*
                pub fn $name(&self) -> Bound {
                    Bound { value: self.$field, key: stringify!($field) }
                }
            )*

            /// Every limit with its key, in the order of [`Limits`]' fields.
            pub fn all(&self) -> Vec<Bound> {
                vec![$(self.$name()),*]
            }
        }
    };
}

bounds! {
    /// `max_line_bytes`.
    line_bytes => max_line_bytes;
    /// `max_field_bytes`.
    field_bytes => max_field_bytes;
    /// `max_columns`.
    columns => max_columns;
    /// `max_io_columns`.
    io_columns => max_io_columns;
    /// `max_table_bytes`.
    table_bytes => max_table_bytes;
    /// `max_io_table_bytes`.
    io_table_bytes => max_io_table_bytes;
    /// `max_upload_bytes`: the server's largest upload.
    upload_bytes => max_upload_bytes;
    /// `max_days`: the simulation horizon.
    days => max_days;
    /// `max_draws`: Monte Carlo draws.
    draws => max_draws;
}

impl Limits {
    /// Limits for a workspace's record tables.
    pub fn records(&self) -> TableLimits {
        TableLimits {
            file_bytes: self.table_bytes(),
            line_bytes: self.line_bytes(),
            field_bytes: self.field_bytes(),
            columns: self.columns(),
        }
    }

    /// Limits for input-output tables, which are wider and larger than record tables.
    pub fn io_tables(&self) -> TableLimits {
        TableLimits {
            file_bytes: self.io_table_bytes(),
            columns: self.io_columns(),
            ..self.records()
        }
    }

    /// Checks the values themselves: a limit of 0 would refuse everything.
    pub fn check(&self) -> Result<(), String> {
        match self.all().into_iter().find(|b| b.value == 0) {
            Some(b) => Err(format!(
                "{} = 0 would refuse every input: give a positive value",
                b.key
            )),
            None => Ok(()),
        }
    }

    /// The `[limits]` of the nearest workspace (a folder with chainlens.toml) holding
    /// `path`, or the defaults when there is none. A `[limits]` section that does not
    /// parse is an error (the workspace's `validate` names the key).
    pub fn around(path: &Path) -> crate::Result<Limits> {
        let start = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let Some(config) = start
            .ancestors()
            .map(|d| d.join(crate::workspace::CONFIG_FILE))
            .find(|c| c.is_file())
        else {
            return Ok(Limits::default());
        };
        let text = std::fs::read_to_string(&config).map_err(|e| crate::Error::io(&config, e))?;
        let raw: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| crate::Error::Section {
                    section: "limits".into(),
                    message: format!("{}: {}", config.display(), e.message()),
                })?;
        Self::from_section(raw.get("limits")).map_err(|message| crate::Error::Section {
            section: "limits".into(),
            message: format!("{}: {message}", config.display()),
        })
    }

    /// Parses `[limits]` (absent: the defaults) and checks its values.
    pub(crate) fn from_section(value: Option<&toml::Value>) -> Result<Limits, String> {
        let limits = match value {
            None => Limits::default(),
            Some(v) => v
                .clone()
                .try_into::<Limits>()
                .map_err(|e| e.message().to_owned())?,
        };
        limits.check()?;
        Ok(limits)
    }
}

/// Counts physical lines while a file is read in chunks, and stops at the first line
/// longer than the limit. O(1) per byte.
#[derive(Debug)]
pub(crate) struct LineMeter {
    limit: Bound,
    /// 1-based number of the line being read.
    line: usize,
    /// Bytes of that line read so far.
    run: u64,
}

impl LineMeter {
    pub(crate) fn new(limit: Bound) -> Self {
        LineMeter {
            limit,
            line: 1,
            run: 0,
        }
    }

    /// Feeds the next chunk; the error names the over-long line.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), (usize, Exceeded)> {
        let mut rest = chunk;
        loop {
            let (head, newline) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], Some(i)),
                None => (rest, None),
            };
            self.run += head.len() as u64;
            if self.run > self.limit.value {
                let what = format!("line {}", self.line);
                return Err((self.line, self.limit.passed(what, "is longer than")));
            }
            match newline {
                Some(i) => {
                    self.line += 1;
                    self.run = 0;
                    rest = &rest[i + 1..];
                }
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit_its_value_and_the_key() {
        let limits = Limits::default();
        let e = limits
            .days()
            .check("--days 10000000", 10_000_000)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--days 10000000 is more than the limit max_days = 36525; \
             raise it in chainlens.toml: [limits] max_days = …"
        );
        assert!(limits.days().check("--days", 36_525).is_ok());
        let e = limits
            .records()
            .file_bytes
            .check("the file", 300 << 20)
            .unwrap_err();
        assert!(
            e.to_string().contains("max_table_bytes = 268435456 bytes"),
            "{e}"
        );
    }

    #[test]
    fn the_line_meter_stops_at_the_first_long_line_across_chunks() {
        let mut m = LineMeter::new(Bound {
            value: 4,
            key: "max_line_bytes",
        });
        assert!(m.feed(b"abcd\nab").is_ok());
        assert!(m.feed(b"cd\n\nabc").is_ok());
        let (line, e) = m.feed(b"de").unwrap_err();
        assert_eq!(line, 4);
        assert!(
            e.to_string()
                .starts_with("line 4 is longer than the limit max_line_bytes = 4 bytes"),
            "{e}"
        );
    }

    #[test]
    fn the_section_is_parsed_checked_and_defaults_fill_the_rest() {
        let v: toml::Value = toml::from_str::<toml::Table>("max_days = 100000")
            .unwrap()
            .into();
        let l = Limits::from_section(Some(&v)).unwrap();
        assert_eq!(l.max_days, 100_000);
        assert_eq!(l.max_line_bytes, Limits::default().max_line_bytes);
        let v: toml::Value = toml::from_str::<toml::Table>("max_dayz = 1")
            .unwrap()
            .into();
        assert!(
            Limits::from_section(Some(&v))
                .unwrap_err()
                .contains("unknown field `max_dayz`")
        );
        let v: toml::Value = toml::from_str::<toml::Table>("max_columns = 0")
            .unwrap()
            .into();
        assert_eq!(
            Limits::from_section(Some(&v)).unwrap_err(),
            "max_columns = 0 would refuse every input: give a positive value"
        );
        assert_eq!(Limits::from_section(None).unwrap(), Limits::default());
    }
}
