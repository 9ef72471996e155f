//! The input files of `chainlens spatial` without a workspace (issue 19): a variable per
//! region (`id,value`), neighbour pairs (`id,neighbour`, one row per direction) and point
//! coordinates (`id,x,y`). Any container [`read_table`] reads (CSV, JSON, a workbook's
//! sheet named `values`, `neighbours` or `coordinates`); other columns are ignored.
//!
//! Every problem is located `file:row:column` and returned together: empty or
//! non-numeric cells, a region listed twice (values, coordinates), a neighbour pair naming
//! a region the values do not have (with the closest id as a suggestion). Whether the
//! pairs are symmetric is the spatial weights' check; [`SpatialTable::problem`] locates
//! what it finds. O(rows) with a hash set of ids.

use crate::records::{Row, Schema, parse_table};
use crate::table::{RawTable, read_table};
use crate::{Error, Limits, Located, Result};
use chainlens_model::problem::suggest;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Records read from one file, `records[k]` from the table's row `k`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialTable<T> {
    pub table: RawTable,
    pub records: Vec<T>,
}

impl<T> SpatialTable<T> {
    /// A problem about `field` of record `record` (0-based), at its cell.
    pub fn problem(
        &self,
        record: usize,
        field: &str,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> Located {
        let column = self.table.column(field);
        Located {
            suggestion,
            ..self
                .table
                .problem(self.table.cell(record, column), Some(field), message)
        }
    }
}

/// Reads `path` within the record tables' limits and parses each row with `parse_row`;
/// any problem fails the whole file.
fn read<T>(
    path: &Path,
    shown: &str,
    limits: &Limits,
    sheet: &str,
    schema: &Schema,
    parse_row: impl FnMut(&mut Row) -> T,
) -> Result<SpatialTable<T>> {
    let table = read_table(path, shown, sheet, &limits.records())
        .map_err(|p| Error::Invalid { problems: vec![p] })?;
    let parsed = parse_table(&table, schema, parse_row);
    if !parsed.problems.is_empty() {
        return Err(Error::Invalid {
            problems: parsed.problems,
        });
    }
    if parsed.records.is_empty() {
        return Err(Error::Invalid {
            problems: vec![Located::whole_file(shown, "the file has no rows")],
        });
    }
    Ok(SpatialTable {
        table,
        records: parsed.records,
    })
}

/// Refuses a region id given on two rows.
fn unique<T>(t: &SpatialTable<T>, id: impl Fn(&T) -> &str) -> Result<()> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (k, record) in t.records.iter().enumerate() {
        if let Some(&earlier) = first.get(id(record)) {
            problems.push(t.problem(
                k,
                "id",
                format!(
                    "region `{}` is already on row {}",
                    id(record),
                    t.table.rows[earlier].position
                ),
                None,
            ));
        } else {
            first.insert(id(record), k);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { problems })
    }
}

/// `id,value`: one value per region.
pub fn read_values(
    path: &Path,
    shown: &str,
    limits: &Limits,
) -> Result<SpatialTable<(String, f64)>> {
    const SCHEMA: Schema = Schema {
        required: &["id", "value"],
        optional: &[],
        open: true,
    };
    let t = read(path, shown, limits, "values", &SCHEMA, |r| {
        (r.required("id"), r.required_number("value"))
    })?;
    unique(&t, |(id, _)| id)?;
    Ok(t)
}

/// `id,x,y`: one point per region (e.g. longitude, latitude or projected metres).
pub fn read_coordinates(
    path: &Path,
    shown: &str,
    limits: &Limits,
) -> Result<SpatialTable<(String, [f64; 2])>> {
    const SCHEMA: Schema = Schema {
        required: &["id", "x", "y"],
        optional: &[],
        open: true,
    };
    let t = read(path, shown, limits, "coordinates", &SCHEMA, |r| {
        (
            r.required("id"),
            [r.required_number("x"), r.required_number("y")],
        )
    })?;
    unique(&t, |(id, _)| id)?;
    Ok(t)
}

/// `id,neighbour`: one row per direction of each pair; both ids must be among `ids`.
pub fn read_neighbours(
    path: &Path,
    shown: &str,
    ids: &[String],
    limits: &Limits,
) -> Result<SpatialTable<(String, String)>> {
    const SCHEMA: Schema = Schema {
        required: &["id", "neighbour"],
        optional: &[],
        open: true,
    };
    let t = read(path, shown, limits, "neighbours", &SCHEMA, |r| {
        (r.required("id"), r.required("neighbour"))
    })?;
    let known: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for (k, (id, neighbour)) in t.records.iter().enumerate() {
        for (field, name) in [("id", id), ("neighbour", neighbour)] {
            if !known.contains(name.as_str()) {
                problems.push(t.problem(
                    k,
                    field,
                    format!("region `{name}` has no value in the values file"),
                    suggest(name, ids.iter().map(String::as_str)),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(Error::Invalid { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    fn messages(e: Error) -> Vec<String> {
        e.problems().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn values_keep_file_order_and_ignore_other_columns() {
        let f = file("id,name,value\nb,B,2.5\na,A,-1\n");
        let t = read_values(f.path(), "v.csv", &Limits::default()).unwrap();
        assert_eq!(t.records, vec![("b".into(), 2.5), ("a".into(), -1.0)]);
    }

    #[test]
    fn bad_values_are_located() {
        let f = file("id,value\na,1\na,2\nb,x\nc,\n");
        let m = messages(read_values(f.path(), "v.csv", &Limits::default()).unwrap_err());
        assert_eq!(
            m,
            vec![
                "v.csv:4:2: value: `x` is not a number",
                "v.csv:5:2: value: is empty but required"
            ]
        );
        let f = file("id,value\na,1\nb,2\na,3\n");
        let m = messages(read_values(f.path(), "v.csv", &Limits::default()).unwrap_err());
        assert_eq!(m, vec!["v.csv:4:1: id: region `a` is already on row 2"]);
        let f = file("id,valeu\na,1\n");
        let m = messages(read_values(f.path(), "v.csv", &Limits::default()).unwrap_err());
        assert_eq!(
            m,
            vec!["v.csv:1: value: required column is missing (did you mean `valeu`?)"]
        );
        let f = file("id,value\n");
        let m = messages(read_values(f.path(), "v.csv", &Limits::default()).unwrap_err());
        assert_eq!(m, vec!["v.csv: the file has no rows"]);
    }

    #[test]
    fn neighbours_must_name_known_regions() {
        let ids: Vec<String> = ["hangzhou", "huzhou"].map(String::from).into();
        let f = file("id,neighbour\nhangzhou,huzhou\nhuzhou,hangzhuo\n");
        let m = messages(read_neighbours(f.path(), "n.csv", &ids, &Limits::default()).unwrap_err());
        assert_eq!(
            m,
            vec![
                "n.csv:3:2: neighbour: region `hangzhuo` has no value in the values file (did you mean `hangzhou`?)"
            ]
        );
        let f = file("id,neighbour\nhangzhou,huzhou\nhuzhou,hangzhou\n");
        let t = read_neighbours(f.path(), "n.csv", &ids, &Limits::default()).unwrap();
        assert_eq!(
            t.problem(1, "neighbour", "asymmetric", None).to_string(),
            "n.csv:3:2: neighbour: asymmetric"
        );
    }

    #[test]
    fn coordinates_need_two_numbers() {
        let f = file("id,x,y\na,1,2\nb,3,inf\n");
        let m = messages(read_coordinates(f.path(), "c.csv", &Limits::default()).unwrap_err());
        assert_eq!(m, vec!["c.csv:3:3: y: `inf` is not a finite number"]);
        let f = file("id,x,y\na,1,2\n");
        assert_eq!(
            read_coordinates(f.path(), "c.csv", &Limits::default())
                .unwrap()
                .records,
            vec![("a".into(), [1.0, 2.0])]
        );
    }
}
