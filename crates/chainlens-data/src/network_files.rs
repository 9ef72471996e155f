//! Networks and receivables without a workspace (DESIGN.md §5, "Networks without a
//! workspace"): the plain layout of `../shared/data/supply/*/`, and the liabilities and
//! external-assets files of `chainlens clearing`.
//!
//! * `NODES.csv`: an id column — `id`, or `node_id`, or (Willems layout, keyed by
//!   `chain,stage`) `stage` — plus any attribute columns; `output` and `capacity` are read
//!   as numbers. A node id given twice is kept once, with a warning.
//! * `EDGES.csv`: `src,dst` (src supplies dst) and optional `category`, `value`,
//!   `essential`; other columns are ignored. When the files have a `chain` column, `group`
//!   keeps the rows of one chain. Edges to unknown nodes, self-supply and negative values
//!   are errors naming file, row and column; a duplicate edge is **merged with a warning**
//!   (values added, essential if either is).
//! * Liabilities: either long (`debtor,creditor,amount`) or a square matrix (first column
//!   the debtor id, header the creditor ids in the same order; entry = what the row owes
//!   the column). Negative amounts and a non-zero diagonal are errors naming the cell.
//! * Assets: `id` and one of `assets`, `external_assets`, `cash`. A firm of the liabilities
//!   without assets holds none (warning); a firm with assets only is added.

use crate::table::{RawTable, read_table};
use crate::{Error, Limits, Located, Result};
use chainlens_model::problem::echo;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct NodeRecord {
    pub id: String,
    pub output: Option<f64>,
    pub capacity: Option<f64>,
    /// The other columns, as text.
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRecord {
    pub src: String,
    pub dst: String,
    pub category: Option<String>,
    pub value: Option<f64>,
    pub essential: bool,
}

/// A checked plain network: every edge names known nodes, no duplicates remain.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFiles {
    pub nodes: Vec<NodeRecord>,
    pub edges: Vec<EdgeRecord>,
    pub warnings: Vec<Located>,
}

/// A checked receivables network: `entries` are (debtor, creditor, amount > 0) indices
/// into `ids`, `assets` aligned with `ids`.
#[derive(Debug, Clone, PartialEq)]
pub struct Liabilities {
    pub ids: Vec<String>,
    pub entries: Vec<(usize, usize, f64)>,
    pub assets: Vec<f64>,
    pub warnings: Vec<Located>,
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn cell(t: &RawTable, record: usize, column: Option<usize>) -> Option<&str> {
    column
        .and_then(|c| t.rows[record].cells.get(c))
        .and_then(|c| c.as_deref())
        .map(str::trim)
}

fn number(
    t: &RawTable,
    record: usize,
    column: Option<usize>,
    field: &str,
    problems: &mut Vec<Located>,
) -> Option<f64> {
    let raw = cell(t, record, column)?;
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
        Ok(v) => {
            problems.push(t.problem(
                t.cell(record, column),
                Some(field),
                format!("{v} is negative or not finite"),
            ));
            None
        }
        Err(_) => {
            problems.push(t.problem(
                t.cell(record, column),
                Some(field),
                format!("`{raw}` is not a number", raw = echo(raw)),
            ));
            None
        }
    }
}

fn boolean(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" | "" => Some(false),
        _ => None,
    }
}

/// Keeps the rows of one chain when `group` is given (the table needs a `chain` column).
fn selected(t: &RawTable, group: Option<&str>, problems: &mut Vec<Located>) -> Vec<usize> {
    let Some(g) = group else {
        return (0..t.rows.len()).collect();
    };
    let Some(c) = t.column("chain") else {
        problems.push(t.problem(
            t.header_cell(None),
            Some("chain"),
            format!("no `chain` column to select chain `{g}`", g = echo(g)),
        ));
        return Vec::new();
    };
    (0..t.rows.len())
        .filter(|&r| cell(t, r, Some(c)) == Some(g))
        .collect()
}

/// Reads and checks `NODES.csv` and `EDGES.csv` (any format [`read_table`] reads) within
/// the record tables' limits.
pub fn read_network(
    nodes: &Path,
    edges: &Path,
    group: Option<&str>,
    limits: &Limits,
) -> Result<NetworkFiles> {
    let invalid = |p: Located| Error::Invalid { problems: vec![p] };
    let nt = read_table(nodes, &shown(nodes), "nodes", &limits.records()).map_err(invalid)?;
    let et = read_table(edges, &shown(edges), "edges", &limits.records()).map_err(invalid)?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let id_col = nt
        .column("id")
        .or_else(|| nt.column("node_id"))
        .or_else(|| nt.column("chain").and(nt.column("stage")));
    let Some(id_col) = id_col else {
        return Err(invalid(nt.problem(
            nt.header_cell(None),
            Some("id"),
            "no `id` column (nor `node_id`, nor `chain,stage`)",
        )));
    };
    let (out_col, cap_col) = (nt.column("output"), nt.column("capacity"));
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut node_records = Vec::new();
    for r in selected(&nt, group, &mut problems) {
        let Some(id) = cell(&nt, r, Some(id_col)).filter(|s| !s.is_empty()) else {
            problems.push(nt.problem(nt.cell(r, Some(id_col)), Some("id"), "id is empty"));
            continue;
        };
        if let Some(&first) = index.get(id) {
            warnings.push(nt.problem(
                nt.cell(r, Some(id_col)),
                Some("id"),
                format!(
                    "node `{id}` given again (first at row {}): the first is kept",
                    nt.rows[first].position,
                    id = echo(id),
                ),
            ));
            continue;
        }
        index.insert(id.to_owned(), r);
        let attributes = nt
            .header
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != id_col && Some(c) != out_col && Some(c) != cap_col)
            .filter_map(|(c, h)| cell(&nt, r, Some(c)).map(|v| (h.clone(), v.to_owned())))
            .collect();
        node_records.push(NodeRecord {
            id: id.to_owned(),
            output: number(&nt, r, out_col, "output", &mut problems),
            capacity: number(&nt, r, cap_col, "capacity", &mut problems),
            attributes,
        });
    }
    let (src, dst) = (et.column("src"), et.column("dst"));
    for (name, col) in [("src", src), ("dst", dst)] {
        if col.is_none() {
            problems.push(et.problem(
                et.header_cell(None),
                Some(name),
                format!("missing column `{name}`", name = echo(name)),
            ));
        }
    }
    let (cat_col, val_col, ess_col) = (
        et.column("category"),
        et.column("value"),
        et.column("essential"),
    );
    let mut edge_records: Vec<EdgeRecord> = Vec::new();
    let mut seen: HashMap<(String, String), (usize, usize)> = HashMap::new();
    if src.is_some() && dst.is_some() {
        for r in selected(&et, group, &mut problems) {
            let mut ends = Vec::new();
            for (name, col) in [("src", src), ("dst", dst)] {
                match cell(&et, r, col) {
                    Some(id) if index.contains_key(id) => ends.push(id.to_owned()),
                    Some(id) => problems.push(et.problem(
                        et.cell(r, col),
                        Some(name),
                        format!("unknown node `{id}`", id = echo(id)),
                    )),
                    None => problems.push(et.problem(et.cell(r, col), Some(name), "empty node id")),
                }
            }
            let value = number(&et, r, val_col, "value", &mut problems);
            let essential = match cell(&et, r, ess_col).map(|s| (s, boolean(s))) {
                None => false,
                Some((_, Some(b))) => b,
                Some((s, None)) => {
                    problems.push(et.problem(
                        et.cell(r, ess_col),
                        Some("essential"),
                        format!("`{s}` is not true/false", s = echo(s)),
                    ));
                    false
                }
            };
            let [s, d] = <[String; 2]>::try_from(ends).unwrap_or_default();
            if s.is_empty() {
                continue;
            }
            if s == d {
                problems.push(et.problem(
                    et.cell(r, dst),
                    Some("dst"),
                    format!("`{s}` supplies itself", s = echo(&s)),
                ));
                continue;
            }
            if let Some(&(k, first)) = seen.get(&(s.clone(), d.clone())) {
                let e = &mut edge_records[k];
                e.value = match (e.value, value) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                e.essential |= essential;
                warnings.push(et.problem(
                    et.cell(r, None),
                    None,
                    format!(
                        "duplicate edge `{s}` → `{d}` (first at row {first}) merged: values added",
                        s = echo(&s),
                        d = echo(&d),
                    ),
                ));
                continue;
            }
            seen.insert(
                (s.clone(), d.clone()),
                (edge_records.len(), et.rows[r].position),
            );
            edge_records.push(EdgeRecord {
                src: s,
                dst: d,
                category: cell(&et, r, cat_col).map(str::to_owned),
                value,
                essential,
            });
        }
    }
    if problems.is_empty() {
        Ok(NetworkFiles {
            nodes: node_records,
            edges: edge_records,
            warnings,
        })
    } else {
        Err(Error::Invalid { problems })
    }
}

/// Reads and checks a liabilities file and an external-assets file. The liabilities
/// matrix has a column per firm, so it is held to the input-output tables' limits.
pub fn read_liabilities(
    liabilities: &Path,
    assets_file: &Path,
    limits: &Limits,
) -> Result<Liabilities> {
    let invalid = |p: Located| Error::Invalid { problems: vec![p] };
    let lt = read_table(
        liabilities,
        &shown(liabilities),
        "liabilities",
        &limits.io_tables(),
    )
    .map_err(invalid)?;
    let at = read_table(
        assets_file,
        &shown(assets_file),
        "assets",
        &limits.records(),
    )
    .map_err(invalid)?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut id_of = |s: &str, ids: &mut Vec<String>| {
        *index.entry(s.to_owned()).or_insert_with(|| {
            ids.push(s.to_owned());
            ids.len() - 1
        })
    };
    let mut entries = Vec::new();
    if let (Some(dc), Some(cc)) = (lt.column("debtor"), lt.column("creditor")) {
        let ac = lt.column("amount");
        if ac.is_none() {
            problems.push(lt.problem(
                lt.header_cell(None),
                Some("amount"),
                "missing column `amount`",
            ));
        }
        for r in 0..lt.rows.len() {
            let (Some(d), Some(c)) = (cell(&lt, r, Some(dc)), cell(&lt, r, Some(cc))) else {
                problems.push(lt.problem(
                    lt.cell(r, None),
                    None,
                    "debtor and creditor are required",
                ));
                continue;
            };
            let amount = number(&lt, r, ac, "amount", &mut problems).unwrap_or(0.0);
            if d == c && amount != 0.0 {
                problems.push(lt.problem(
                    lt.cell(r, ac),
                    Some("amount"),
                    format!("`{d}` cannot owe itself ({amount})", d = echo(d)),
                ));
                continue;
            }
            let (i, j) = (id_of(d, &mut ids), id_of(c, &mut ids));
            if amount > 0.0 {
                entries.push((i, j, amount));
            }
        }
    } else {
        let columns: Vec<String> = lt.header.iter().skip(1).cloned().collect();
        for c in &columns {
            id_of(c, &mut ids);
        }
        for r in 0..lt.rows.len() {
            let Some(d) = cell(&lt, r, Some(0)).filter(|s| !s.is_empty()) else {
                problems.push(lt.problem(lt.cell(r, Some(0)), None, "the row has no debtor id"));
                continue;
            };
            if columns.get(r).map(String::as_str) != Some(d) {
                problems.push(lt.problem(
                    lt.cell(r, Some(0)),
                    None,
                    format!(
                        "row `{d}` is not in the order of the header (expected `{}`)",
                        echo(columns.get(r).map_or("", |s| s)),
                        d = echo(d),
                    ),
                ));
                continue;
            }
            for (k, creditor) in columns.iter().enumerate() {
                let amount = number(&lt, r, Some(k + 1), creditor, &mut problems).unwrap_or(0.0);
                if k == r && amount != 0.0 {
                    problems.push(lt.problem(
                        lt.cell(r, Some(k + 1)),
                        Some(creditor),
                        format!("diagonal: `{d}` cannot owe itself ({amount})", d = echo(d)),
                    ));
                } else if amount > 0.0 {
                    entries.push((r, k, amount));
                }
            }
        }
        if lt.rows.len() != columns.len() {
            problems.push(lt.problem(
                lt.header_cell(None),
                None,
                format!(
                    "{} columns but {} rows: the matrix must be square",
                    columns.len(),
                    lt.rows.len()
                ),
            ));
        }
    }
    let id_col = at.column("id");
    let val_col = ["assets", "external_assets", "cash"]
        .iter()
        .find_map(|c| at.column(c));
    let mut assets = vec![None; ids.len()];
    match (id_col, val_col) {
        (Some(ic), Some(vc)) => {
            for r in 0..at.rows.len() {
                let Some(id) = cell(&at, r, Some(ic)).filter(|s| !s.is_empty()) else {
                    problems.push(at.problem(at.cell(r, Some(ic)), Some("id"), "id is empty"));
                    continue;
                };
                let v = number(&at, r, Some(vc), &at.header[vc], &mut problems);
                let i = id_of(id, &mut ids);
                assets.resize(ids.len(), None);
                assets[i] = Some(v.unwrap_or(0.0));
            }
        }
        _ => problems.push(at.problem(
            at.header_cell(None),
            None,
            "expected columns `id` and `assets` (or `cash`)",
        )),
    }
    for (i, a) in assets.iter().enumerate() {
        if a.is_none() && problems.is_empty() {
            warnings.push(Located::whole_file(
                shown(assets_file),
                format!("no assets for `{}`: taken as 0", ids[i]),
            ));
        }
    }
    if problems.is_empty() {
        Ok(Liabilities {
            ids,
            entries,
            assets: assets.into_iter().map(|a| a.unwrap_or(0.0)).collect(),
            warnings,
        })
    } else {
        Err(Error::Invalid { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_plain_networks_and_merges_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let n = write(
            dir.path(),
            "nodes.csv",
            "id,output,kind\na,5,x\nb,,y\nc,1,z\nb,,y\n",
        );
        let e = write(
            dir.path(),
            "edges.csv",
            "src,dst,value,essential\na,b,2,yes\nb,c,1,no\na,b,3,no\n",
        );
        let net = read_network(&n, &e, None, &Limits::default()).unwrap();
        assert_eq!(net.nodes.len(), 3);
        assert_eq!(net.nodes[0].output, Some(5.0));
        assert_eq!(net.edges.len(), 2);
        assert_eq!(
            (net.edges[0].value, net.edges[0].essential),
            (Some(5.0), true)
        );
        assert_eq!(net.warnings.len(), 2);
        assert!(
            net.warnings[1]
                .to_string()
                .contains(":4: duplicate edge `a` → `b` (first at row 2)")
        );
    }

    #[test]
    fn bad_edges_name_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let n = write(dir.path(), "nodes.csv", "chain,stage\n1,a\n1,b\n2,a\n");
        let e = write(
            dir.path(),
            "edges.csv",
            "chain,src,dst,value\n1,a,x,1\n1,a,b,-2\n1,b,b,1\n",
        );
        let err = read_network(&n, &e, Some("1"), &Limits::default()).unwrap_err();
        let text: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].ends_with("edges.csv:2:3: dst: unknown node `x`"),
            "{text:?}"
        );
        assert!(
            text[1].ends_with("edges.csv:3:4: value: -2 is negative or not finite"),
            "{text:?}"
        );
        assert!(
            text[2].ends_with("edges.csv:4:3: dst: `b` supplies itself"),
            "{text:?}"
        );
    }

    #[test]
    fn liabilities_long_and_matrix() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "assets.csv", "id,assets\nA,1\nB,2\nC,0\n");
        let long = write(
            dir.path(),
            "l.csv",
            "debtor,creditor,amount\nA,B,10\nB,C,4\n",
        );
        let l = read_liabilities(&long, &a, &Limits::default()).unwrap();
        assert_eq!(l.ids, ["A", "B", "C"]);
        assert_eq!(l.entries, [(0, 1, 10.0), (1, 2, 4.0)]);
        assert_eq!(l.assets, [1.0, 2.0, 0.0]);
        let m = write(
            dir.path(),
            "m.csv",
            "id,A,B,C\nA,0,10,0\nB,0,0,4\nC,0,0,0\n",
        );
        assert_eq!(
            read_liabilities(&m, &a, &Limits::default())
                .unwrap()
                .entries,
            l.entries
        );
        let bad = write(
            dir.path(),
            "bad.csv",
            "id,A,B,C\nA,1,10,0\nB,0,0,-4\nC,0,0,0\n",
        );
        let text: Vec<String> = read_liabilities(&bad, &a, &Limits::default())
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            text[0].ends_with("bad.csv:2:2: A: diagonal: `A` cannot owe itself (1)"),
            "{text:?}"
        );
        assert!(
            text[1].ends_with("bad.csv:3:4: C: -4 is negative or not finite"),
            "{text:?}"
        );
    }
}
