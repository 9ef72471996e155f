//! Typed records from raw tables: one parser per workspace table (columns as in
//! docs/workspace-format.md). Every cell problem is collected with its location. A row
//! with a bad cell still yields its record (the cell becomes missing or a default), so
//! that references to it do not turn into false problems; the failed cells are listed so
//! that model validation does not report them a second time.
//!
//! Each parsed table keeps an [`Origin`] so that problems found later by
//! [`chainlens_model::validate`] (which knows only record indices) are located too.

use crate::table::{Container, RawTable};
use crate::{Located, Location};
use chainlens_model::Vocabulary;
use chainlens_model::problem::{echo, suggest};
use chainlens_model::{
    Chain, Enterprise, EnterpriseRole, EnterpriseYear, IndicatorValue, Position, Problem, Region,
    RegionLevel, Risk, Sector, Segment, Stage, StageInput, StageRef, SupplyLink,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where each record of a table came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Table {
        file: String,
        container: Container,
        header: Vec<String>,
        /// Row (or JSON record) position of each record.
        positions: Vec<usize>,
    },
    /// Records written in chainlens.toml: the key path of each record.
    Toml { file: String, paths: Vec<String> },
}

impl Origin {
    pub(crate) fn of(table: &RawTable, rows: &[usize]) -> Self {
        Origin::Table {
            file: table.file.clone(),
            container: table.container.clone(),
            header: table.header.clone(),
            positions: rows.iter().map(|&r| table.rows[r].position).collect(),
        }
    }

    /// The same origin with its records in `order` (record k of the result is record
    /// `order[k]` of this one).
    pub fn reorder(&self, order: &[usize]) -> Origin {
        match self {
            Origin::Table {
                file,
                container,
                header,
                positions,
            } => Origin::Table {
                file: file.clone(),
                container: container.clone(),
                header: header.clone(),
                positions: order.iter().map(|&k| positions[k]).collect(),
            },
            Origin::Toml { file, paths } => Origin::Toml {
                file: file.clone(),
                paths: order.iter().map(|&k| paths[k].clone()).collect(),
            },
        }
    }

    /// The location of a problem the model found.
    pub fn locate(&self, p: &Problem) -> Located {
        let mut field = Some(p.field.clone());
        let (file, location) = match self {
            Origin::Table {
                file,
                container,
                header,
                positions,
            } => {
                let position = positions.get(p.record).copied().unwrap_or(0);
                let column = header.iter().position(|h| *h == p.field).map(|c| c + 1);
                let location = match container {
                    Container::Json => Location::Record { record: position },
                    _ => Location::Cell {
                        row: position,
                        column,
                    },
                };
                (file.clone(), location)
            }
            Origin::Toml { file, paths } => {
                let base = paths.get(p.record).cloned().unwrap_or_default();
                field = None; // the key path ends with it
                (
                    file.clone(),
                    Location::Key {
                        path: format!("{base}.{}", p.field),
                    },
                )
            }
        };
        Located {
            file,
            location,
            field,
            message: p.message.clone(),
            suggestion: p.suggestion.clone(),
        }
    }
}

/// Records of one table with the problems met while reading them.
#[derive(Debug)]
pub struct Parsed<T> {
    pub records: Vec<T>,
    pub origin: Origin,
    pub problems: Vec<Located>,
    /// (record, field) of every cell that had a problem.
    pub failed: HashSet<(usize, String)>,
    /// Every row was read: no required column is missing.
    pub complete: bool,
}

/// The columns a table accepts.
pub(crate) struct Schema {
    pub(crate) required: &'static [&'static str],
    pub(crate) optional: &'static [&'static str],
    /// Unknown columns are kept (as numeric attributes) instead of refused.
    pub(crate) open: bool,
}

/// Reads the cells of one row, recording problems.
pub(crate) struct Row<'a> {
    table: &'a RawTable,
    /// Header name → index of its first column (a linear search per cell is quadratic in
    /// the width of wide tables).
    columns: &'a HashMap<&'a str, usize>,
    record: usize,
    problems: &'a mut Vec<Located>,
    failed: &'a mut HashSet<(usize, String)>,
}

impl Row<'_> {
    fn column(&self, field: &str) -> Option<usize> {
        self.columns.get(field).copied()
    }

    fn raw(&self, field: &str) -> Option<&str> {
        let c = self.column(field)?;
        self.table.rows[self.record].cells[c].as_deref()
    }

    fn fail(&mut self, field: &str, message: String) {
        let column = self.column(field);
        self.problems.push(self.table.problem(
            self.table.cell(self.record, column),
            Some(field),
            message,
        ));
        self.failed.insert((self.record, field.to_owned()));
    }

    fn text(&self, field: &str) -> Option<String> {
        self.raw(field).map(str::to_owned)
    }

    pub(crate) fn required(&mut self, field: &str) -> String {
        match self.raw(field) {
            Some(s) => s.to_owned(),
            None => {
                self.fail(field, "is empty but required".into());
                String::new()
            }
        }
    }

    fn number(&mut self, field: &str) -> Option<f64> {
        let s = self.raw(field)?.to_owned();
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            Ok(_) => {
                self.fail(field, format!("`{s}` is not a finite number", s = echo(&s)));
                None
            }
            Err(_) => {
                self.fail(field, format!("`{s}` is not a number", s = echo(&s)));
                None
            }
        }
    }

    pub(crate) fn required_number(&mut self, field: &str) -> f64 {
        if self.raw(field).is_none() {
            self.fail(field, "is empty but required".into());
            return 0.0;
        }
        self.number(field).unwrap_or(0.0)
    }

    fn year(&mut self, field: &str) -> i32 {
        let s = self.required(field);
        if s.is_empty() {
            return 0;
        }
        // Spreadsheets may store a year as 2020.0.
        match s.parse::<f64>() {
            Ok(y) if y.fract() == 0.0 && y.abs() < 1e6 => y as i32,
            _ => {
                self.fail(field, format!("`{s}` is not a year", s = echo(&s)));
                0
            }
        }
    }

    fn boolean(&mut self, field: &str) -> Option<bool> {
        let s = self.raw(field)?.to_owned();
        match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" => Some(true),
            "false" | "no" | "n" | "0" | "否" => Some(false),
            _ => {
                self.fail(
                    field,
                    format!(
                        "`{s}` is not a boolean (true/false, yes/no, 1/0)",
                        s = echo(&s)
                    ),
                );
                None
            }
        }
    }

    fn list(&self, field: &str) -> Vec<String> {
        self.raw(field)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn choice<T>(
        &mut self,
        field: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let s = self.required(field);
        if s.is_empty() {
            return None;
        }
        let v = parse(&s.to_ascii_lowercase());
        if v.is_none() {
            let column = self.column(field);
            self.problems.push(Located {
                suggestion: suggest(&s, names.iter().copied()),
                ..self.table.problem(
                    self.table.cell(self.record, column),
                    Some(field),
                    format!("`{}` is not one of {}", echo(&s), names.join(", ")),
                )
            });
            self.failed.insert((self.record, field.to_owned()));
        }
        v
    }
}

/// Checks the header against the schema, then parses each row with `parse_row`.
pub(crate) fn parse_table<T>(
    table: &RawTable,
    schema: &Schema,
    mut parse_row: impl FnMut(&mut Row) -> T,
) -> Parsed<T> {
    let mut problems = Vec::new();
    let mut columns: HashMap<&str, usize> = HashMap::with_capacity(table.header.len());
    for (c, h) in table.header.iter().enumerate() {
        let first = *columns.entry(h.as_str()).or_insert(c) == c;
        if h.is_empty() {
            problems.push(table.problem(table.header_cell(Some(c)), None, "column has no name"));
        } else if !first {
            problems.push(table.problem(
                table.header_cell(Some(c)),
                Some(h),
                "column appears twice",
            ));
        } else if !schema.open
            && !schema.required.contains(&h.as_str())
            && !schema.optional.contains(&h.as_str())
        {
            let known = schema.required.iter().chain(schema.optional).copied();
            problems.push(Located {
                suggestion: suggest(h, known),
                ..table.problem(
                    table.header_cell(Some(c)),
                    Some(h),
                    format!(
                        "unknown column (expected {})",
                        schema
                            .required
                            .iter()
                            .chain(schema.optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            });
        }
    }
    let missing: Vec<&str> = schema
        .required
        .iter()
        .copied()
        .filter(|r| !columns.contains_key(r))
        .collect();
    for m in &missing {
        let known = table.header.iter().map(String::as_str);
        problems.push(Located {
            suggestion: suggest(m, known),
            ..table.problem(
                table.header_cell(None),
                Some(m),
                "required column is missing",
            )
        });
    }
    let mut records = Vec::new();
    let mut failed = HashSet::new();
    if missing.is_empty() {
        for record in 0..table.rows.len() {
            let mut row = Row {
                table,
                columns: &columns,
                record,
                problems: &mut problems,
                failed: &mut failed,
            };
            records.push(parse_row(&mut row));
        }
    }
    let rows: Vec<usize> = (0..records.len()).collect();
    Parsed {
        records,
        origin: Origin::of(table, &rows),
        problems,
        failed,
        complete: missing.is_empty(),
    }
}

pub fn regions(table: &RawTable) -> Parsed<Region> {
    const SCHEMA: Schema = Schema {
        required: &["id", "name", "level"],
        optional: &["parent", "group", "neighbours", "latitude", "longitude"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| Region {
        id: r.required("id"),
        name: r.required("name"),
        level: r
            .choice("level", RegionLevel::parse, &RegionLevel::NAMES)
            .unwrap_or(RegionLevel::Country),
        parent: r.text("parent"),
        group: r.text("group"),
        neighbours: r.list("neighbours"),
        latitude: r.number("latitude"),
        longitude: r.number("longitude"),
    })
}

pub fn sectors(table: &RawTable) -> Parsed<Sector> {
    const SCHEMA: Schema = Schema {
        required: &["id", "name"],
        optional: &["code", "classification"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| Sector {
        id: r.required("id"),
        name: r.required("name"),
        code: r.text("code"),
        classification: r.text("classification"),
    })
}

pub fn chains(table: &RawTable) -> Parsed<Chain> {
    const SCHEMA: Schema = Schema {
        required: &["id", "name"],
        optional: &["description"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| Chain {
        id: r.required("id"),
        name: r.required("name"),
        description: r.text("description"),
        stages: Vec::new(),
    })
}

/// Stages as a table: each row names its chain.
pub fn stages(table: &RawTable) -> Parsed<(String, Stage)> {
    const SCHEMA: Schema = Schema {
        required: &["chain", "id", "name", "segment", "position"],
        optional: &["core", "sector", "inputs"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| {
        let chain = r.required("chain");
        let stage = Stage {
            id: r.required("id"),
            name: r.required("name"),
            segment: r
                .choice("segment", Segment::parse, &Segment::keys())
                .unwrap_or(Segment::Production),
            position: r
                .choice("position", Position::parse, &Position::keys())
                .unwrap_or(Position::Midstream),
            core: r.boolean("core").unwrap_or(false),
            sector: r.text("sector"),
            inputs: r.list("inputs").iter().map(|s| stage_input(s)).collect(),
        };
        (chain, stage)
    })
}

/// `stage` is an essential input, `stage?` an optional one.
pub fn stage_input(s: &str) -> StageInput {
    match s.strip_suffix('?') {
        Some(id) => StageInput {
            stage: id.trim().to_owned(),
            essential: false,
        },
        None => StageInput {
            stage: s.trim().to_owned(),
            essential: true,
        },
    }
}

/// Columns of `enterprises` that are fields of [`Enterprise`]; others become attributes.
pub const ENTERPRISE_COLUMNS: [&str; 14] = [
    "id",
    "name",
    "region",
    "role",
    "stages",
    "sector",
    "capacity",
    "output",
    "employees",
    "total_assets",
    "operating_income",
    "rd_expenditure",
    "invention_patents",
    "cash",
];

pub fn enterprises(table: &RawTable) -> Parsed<Enterprise> {
    const SCHEMA: Schema = Schema {
        required: &["id", "name", "region", "role"],
        optional: &[],
        open: true,
    };
    let extra: Vec<String> = table
        .header
        .iter()
        .filter(|h| !ENTERPRISE_COLUMNS.contains(&h.as_str()) && !h.is_empty())
        .cloned()
        .collect();
    parse_table(table, &SCHEMA, |r| {
        let stages = r.list("stages");
        let mut refs = Vec::with_capacity(stages.len());
        for s in &stages {
            match StageRef::parse(s) {
                Some(sr) => refs.push(sr),
                None => r.fail("stages", format!("`{s}` is not `chain/stage`", s = echo(s))),
            }
        }
        let mut attributes = BTreeMap::new();
        for name in &extra {
            if let Some(v) = r.number(name) {
                attributes.insert(name.clone(), v);
            }
        }
        Enterprise {
            id: r.required("id"),
            name: r.required("name"),
            region: r.required("region"),
            sector: r.text("sector"),
            stages: refs,
            role: r
                .choice("role", EnterpriseRole::parse, &EnterpriseRole::NAMES)
                .unwrap_or(EnterpriseRole::Supporting),
            capacity: r.number("capacity"),
            output: r.number("output"),
            employees: r.number("employees"),
            total_assets: r.number("total_assets"),
            operating_income: r.number("operating_income"),
            rd_expenditure: r.number("rd_expenditure"),
            invention_patents: r.number("invention_patents"),
            cash: r.number("cash"),
            attributes,
        }
    })
}

pub fn enterprise_years(table: &RawTable) -> Parsed<EnterpriseYear> {
    const SCHEMA: Schema = Schema {
        required: &["enterprise", "year"],
        optional: &[
            "output",
            "value_added",
            "employees",
            "operating_income",
            "total_assets",
            "capacity",
            "rd_expenditure",
            "invention_patents",
        ],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| EnterpriseYear {
        enterprise: r.required("enterprise"),
        year: r.year("year"),
        output: r.number("output"),
        value_added: r.number("value_added"),
        employees: r.number("employees"),
        operating_income: r.number("operating_income"),
        total_assets: r.number("total_assets"),
        capacity: r.number("capacity"),
        rd_expenditure: r.number("rd_expenditure"),
        invention_patents: r.number("invention_patents"),
    })
}

pub fn supply_links(table: &RawTable) -> Parsed<SupplyLink> {
    const SCHEMA: Schema = Schema {
        required: &["supplier", "buyer"],
        optional: &[
            "chain",
            "stage",
            "value",
            "share",
            "lead_time_days",
            "inventory_days",
            "essential",
            "receivable",
            "overdue_days",
        ],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| SupplyLink {
        supplier: r.required("supplier"),
        buyer: r.required("buyer"),
        chain: r.text("chain"),
        stage: r.text("stage"),
        value: r.number("value"),
        share: r.number("share"),
        lead_time_days: r.number("lead_time_days"),
        inventory_days: r.number("inventory_days"),
        essential: r.boolean("essential").unwrap_or(true),
        receivable: r.number("receivable"),
        overdue_days: r.number("overdue_days"),
    })
}

pub fn indicators(table: &RawTable) -> Parsed<IndicatorValue> {
    const SCHEMA: Schema = Schema {
        required: &["region", "year", "indicator", "value"],
        optional: &["chain", "source", "imputed"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| IndicatorValue {
        region: r.required("region"),
        chain: r.text("chain"),
        year: r.year("year"),
        indicator: r.required("indicator"),
        value: r.required_number("value"),
        source: r.text("source"),
        imputed: r.boolean("imputed").unwrap_or(false),
    })
}

pub fn risks(table: &RawTable) -> Parsed<Risk> {
    const SCHEMA: Schema = Schema {
        required: &["id", "type", "factor", "probability", "impact"],
        optional: &["owner", "measures"],
        open: false,
    };
    parse_table(table, &SCHEMA, |r| Risk {
        id: r.required("id"),
        risk_type: r.required("type"),
        factor: r.required("factor"),
        probability: r.required_number("probability"),
        impact: r.required_number("impact"),
        owner: r.text("owner"),
        measures: r.text("measures"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse_csv;

    fn csv(text: &str) -> RawTable {
        parse_csv(
            text.as_bytes(),
            "t.csv",
            b',',
            &crate::Limits::default().records(),
        )
        .unwrap()
    }

    #[test]
    fn cell_problems_name_row_and_column() {
        let t =
            csv("region,year,indicator,value\nhz,2020,D111,0.5\nhz,20x0,D112,abc\nhz,2021,D111,\n");
        let p = indicators(&t);
        assert_eq!(p.records.len(), 3);
        assert!(p.failed.contains(&(1, "value".to_owned())));
        let msgs: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "t.csv:3:2: year: `20x0` is not a year",
                "t.csv:3:4: value: `abc` is not a number",
                "t.csv:4:4: value: is empty but required",
            ]
        );
    }

    #[test]
    fn header_problems_are_reported_once() {
        let t = csv("id,nmae,level,colour\na,b,city,red\n");
        let p = regions(&t);
        let msgs: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("t.csv:1:2: nmae: unknown column"));
        assert!(msgs[0].ends_with("(did you mean `name`?)"));
        assert!(msgs[1].starts_with("t.csv:1:4: colour: unknown column"));
        assert_eq!(
            msgs[2],
            "t.csv:1: name: required column is missing (did you mean `nmae`?)"
        );
        assert!(p.records.is_empty());
    }

    #[test]
    fn choices_suggest_the_nearest_name() {
        let t = csv("id,name,region,role\ne1,A,hz,leadng\n");
        let p = enterprises(&t);
        assert_eq!(
            p.problems[0].to_string(),
            "t.csv:2:4: role: `leadng` is not one of leading, specialised, supporting (did you mean `leading`?)"
        );
    }

    #[test]
    fn extra_enterprise_columns_are_numeric_attributes() {
        let t = csv(
            "id,name,region,role,stages,dev_cycle_days\ne1,A,hz,leading,nev/battery;nev/vehicle,180\n",
        );
        let p = enterprises(&t);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let e = &p.records[0];
        assert_eq!(e.stages.len(), 2);
        assert_eq!(e.attributes["dev_cycle_days"], 180.0);
    }

    #[test]
    fn model_problems_are_located_through_the_origin() {
        let t = csv(
            "id,type,factor,probability,impact\nr1,supply,cut,0.2,0.8\nr2,tech,block,1.3,0.9\n",
        );
        let p = risks(&t);
        let problem = Problem::new(
            chainlens_model::TableKind::Risks,
            1,
            "probability",
            "1.3 is outside [0, 1]",
        );
        assert_eq!(
            p.origin.locate(&problem).to_string(),
            "t.csv:3:4: probability: 1.3 is outside [0, 1]"
        );
    }

    #[test]
    fn optional_stage_inputs_end_with_a_question_mark() {
        assert!(!stage_input("packaging?").essential);
        assert_eq!(stage_input(" steel ").stage, "steel");
    }

    // Regression (crafted input run through fuzz/json): each cell lookup searched the
    // header linearly, so `enterprises` on a wide table (every unknown column is an
    // attribute) was rows × columns²: 10,000 keys and 1,500 `{}` records (123 KB) timed
    // out. Lookups now use an index; the first of duplicate columns is still the one read.
    #[test]
    fn wide_tables_use_the_first_of_duplicate_columns() {
        let extra: Vec<String> = (0..3000).map(|i| format!("x{i}")).collect();
        let header = format!("id,name,region,role,{},x1", extra.join(","));
        let row = format!("e1,A,hz,leading,{},9", vec!["7"; 3000].join(","));
        let text = format!("{header}\n{}", format!("{row}\n").repeat(50));
        let wide = crate::Limits {
            max_columns: 10_000,
            ..crate::Limits::default()
        };
        let p = enterprises(&parse_csv(text.as_bytes(), "t.csv", b',', &wide.records()).unwrap());
        assert_eq!(p.records.len(), 50);
        assert_eq!(p.records[49].attributes.len(), 3000);
        assert_eq!(p.records[49].attributes["x1"], 7.0);
        let msgs: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert_eq!(msgs, vec!["t.csv:1:3005: x1: column appears twice"]);
    }
}
