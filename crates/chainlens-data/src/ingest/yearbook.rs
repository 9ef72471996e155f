//! Statistical-yearbook tables → the long indicator panel (region, year, indicator,
//! value, source).
//!
//! A yearbook table is wide: a title (`表3-5 各市地区生产总值`), perhaps a unit line
//! (`单位：亿元`), one or two header rows (the upper one's cells merged across the columns
//! they head), a first column of row labels, footnotes below (`注：…`, `资料来源：…`) and
//! blank or section rows (`东部地区`) in between. Read here:
//!
//! - **Title rows**: the rows with one filled cell above the header. A unit in them
//!   (`单位：亿元`, `（万人）`) is the table's unit; a year (`2022年`) is its year; the title
//!   text is looked up in `[indicators]` for a one-indicator table.
//! - **Header**: the first row with two or more filled cells; when the next row has an
//!   empty first cell, it is a second header row, and each column's label is the upper
//!   label (carried right over merged, empty cells) followed by the lower one.
//! - **Orientation**, from the labels: columns that are years and rows that are regions
//!   (one indicator), or the other way round; or columns that are indicators and rows that
//!   are regions (one year: the title's or `[yearbook] year`).
//! - **Units**: a column's unit is the bracketed unit of its label (`地区生产总值（亿元）`),
//!   else the table's. Values are converted to the unit `[indicators]` asks for, within one
//!   family: 元, 千元, 万元, 百万元, 亿元 (money); 人, 万人 (people); %, ‰ and `ratio` (shares);
//!   anything else only to itself. Every factor is a power of ten, applied by shifting the
//!   decimal exponent of the number as written (crate::ingest::decimal_scaled), so that
//!   `3.86` % is exactly the f64 nearest 0.0386.
//! - **Values**: thousands separators and full-width digits folded; `…`, `-`, `—`, `/`, `x`
//!   (not available, confidential) are missing and skipped; a footnote mark after a number
//!   (`12.3*`, `12.3①`) is dropped.
//! - **Regions**: row or column labels resolved through GB/T 2260 (crate::divisions) to
//!   workspace regions as the registry ingest does (crate::ingest::plan); `全国`, `合计`
//!   and `总计` go to the workspace's country region.
//!
//! Every value records its source: `[yearbook] source` (default: the file name) and the
//! cell it came from, e.g. `浙江统计年鉴2023 表3-5 (gdp.csv:5:3)`. O(rows × columns).

use super::plan::{Regions, Row};
use super::{MapFile, fold_key, split_unit};
use crate::divisions::divisions;
use crate::table::Grid;
use crate::{Located, Location};
use chainlens_model::Dataset;
use chainlens_model::problem::echo;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// An indicator a yearbook label stands for, and the unit the workspace keeps it in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub code: String,
    #[serde(default)]
    pub unit: Option<String>,
}

/// `[yearbook]` of a mapping file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Recorded on every value (default: the file name).
    #[serde(default)]
    pub source: Option<String>,
    /// The year of a region × indicator table, when its title does not say.
    #[serde(default)]
    pub year: Option<i32>,
    /// The indicator (a key of `[indicators]`) of a region × year table, when its title
    /// does not name one.
    #[serde(default)]
    pub indicator: Option<String>,
}

/// What a yearbook table gave.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct YearbookRead {
    /// Indicator rows to add.
    pub values: Vec<Row>,
    /// Regions added for labels the workspace did not have.
    pub regions: Vec<Row>,
    /// Values already in the workspace with the same value.
    pub existing: usize,
    /// Cells and rows refused, each with its place and reason.
    pub unmatched: Vec<Located>,
    /// Title, unit and footnote rows skipped.
    pub note_rows: usize,
    /// `years`, `regions` or `indicators`: what the columns are.
    pub columns: String,
}

/// The power of ten of a unit in its family's base, and the family.
fn unit_exponent(unit: &str) -> Option<(&'static str, i32)> {
    Some(match unit {
        "元" | "元人民币" => ("money", 0),
        "千元" => ("money", 3),
        "万元" => ("money", 4),
        "百万元" => ("money", 6),
        "亿元" => ("money", 8),
        "人" => ("people", 0),
        "万人" => ("people", 4),
        "%" => ("share", -2),
        "‰" => ("share", -3),
        "ratio" | "1" => ("share", 0),
        _ => return None,
    })
}

/// The power of ten converting a value in `from` to `to`, or why not.
pub fn conversion(from: Option<&str>, to: Option<&str>) -> Result<i32, String> {
    match (from, to) {
        (_, None) | (None, _) => Ok(0),
        (Some(f), Some(t)) if f == t => Ok(0),
        (Some(f), Some(t)) => match (unit_exponent(f), unit_exponent(t)) {
            (Some((a, x)), Some((b, y))) if a == b => Ok(x - y),
            _ => Err(format!("cannot convert `{f}` to `{t}`")),
        },
    }
}

/// A year label: `2022`, `2022年`.
fn year_label(label: &str) -> Option<i32> {
    let k = fold_key(label);
    let k = k.strip_suffix('年').unwrap_or(&k);
    (k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()))
        .then(|| k.parse().ok())
        .flatten()
}

/// The unit of a title line: `单位：亿元`, `（单位：万人）`, `(亿元)`.
fn title_unit(text: &str) -> Option<String> {
    let k = fold_key(text);
    if let Some(i) = k.find("单位:") {
        let rest = &k[i + "单位:".len()..];
        let end = rest.find([')', ',', ';']).unwrap_or(rest.len());
        return Some(rest[..end].to_owned());
    }
    split_unit(&k).1.filter(|u| unit_exponent(u).is_some())
}

/// A year written in a title: the first `NNNN年`.
fn title_year(text: &str) -> Option<i32> {
    let k = fold_key(text);
    let chars: Vec<char> = k.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
    })
}

/// A cell's number times 10^`exp`; `Ok(None)` for the yearbooks' not-available marks.
pub fn value_of(text: &str, exp: i32) -> Result<Option<f64>, String> {
    let k = fold_key(text).replace(',', "");
    if matches!(
        k.as_str(),
        "" | "…" | "..." | "-" | "—" | "--" | "——" | "/" | "x" | "X"
    ) {
        return Ok(None);
    }
    let end = k
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
        .map_or(k.len(), |(i, _)| i);
    let mark = k[end..]
        .chars()
        .all(|c| matches!(c, '*' | '#' | '①'..='⑩' | 'a'..='e'));
    match super::decimal_scaled(&k[..end], exp) {
        Some(v) if mark => Ok(Some(v)),
        _ => Err(format!("`{}` is not a number", echo(text))),
    }
}

/// What a label is.
#[derive(Debug, Clone, PartialEq)]
enum Label {
    Year(i32),
    Region(String),
    Indicator(String, Option<String>),
}

/// Reads one yearbook table into indicator rows for the workspace holding `dataset`.
pub fn read_yearbook(
    grid: &Grid,
    map: &MapFile,
    dataset: &Dataset,
    country: Option<&str>,
) -> Result<YearbookRead, Located> {
    let whole = |m: String| Located::whole_file(grid.file.clone(), m);
    let mut out = YearbookRead::default();
    let filled = |i: usize| grid.rows[i].cells.iter().flatten().count();
    let Some(h) = (0..grid.rows.len()).find(|&i| filled(i) >= 2) else {
        return Err(whole(
            "no header row (a row with two or more filled cells)".into(),
        ));
    };
    // Title rows: unit, year, indicator.
    let titles: Vec<String> = grid.rows[..h]
        .iter()
        .flat_map(|r| r.cells.iter().flatten().cloned())
        .collect();
    out.note_rows += h;
    let table_unit = titles.iter().find_map(|t| title_unit(t));
    let table_year = map
        .yearbook
        .year
        .or_else(|| titles.iter().find_map(|t| title_year(t)));
    let table_indicator = map.yearbook.indicator.clone().or_else(|| {
        titles.iter().find_map(|t| {
            let k = fold_key(t);
            map.indicators
                .keys()
                .filter(|name| k.contains(&fold_key(name)))
                .max_by_key(|name| name.len())
                .cloned()
        })
    });
    // Header labels, with a second header row merged in.
    let width = grid.rows[h..]
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    let cell = |r: usize, c: usize| {
        grid.rows
            .get(r)
            .and_then(|row| row.cells.get(c).cloned().flatten())
    };
    let two_rows = h + 1 < grid.rows.len() && cell(h + 1, 0).is_none() && filled(h + 1) >= 1;
    let mut labels: Vec<Option<String>> = Vec::with_capacity(width);
    let mut upper: Option<String> = None;
    for c in 1..width {
        if let Some(u) = cell(h, c) {
            upper = Some(u);
        }
        let label = match (two_rows, &upper, cell(h + 1, c)) {
            (true, Some(u), Some(l)) => Some(format!("{u} {l}")),
            (true, None, Some(l)) => Some(l),
            (_, u, _) => u.clone().filter(|_| cell(h, c).is_some() || two_rows),
        };
        labels.push(label);
    }
    let first_data = h + 1 + usize::from(two_rows);
    out.note_rows += usize::from(two_rows);
    let label_of = |text: &str| -> Label {
        if let Some(y) = year_label(text) {
            return Label::Year(y);
        }
        let k = fold_key(text);
        if matches!(k.as_str(), "全国" | "合计" | "总计") || divisions().is_name(&k) {
            return Label::Region(k);
        }
        let (name, unit) = split_unit(text);
        Label::Indicator(name, unit)
    };
    let column_labels: Vec<Option<Label>> =
        labels.iter().map(|l| l.as_deref().map(label_of)).collect();
    let count = |f: fn(&Label) -> bool| column_labels.iter().flatten().filter(|l| f(l)).count();
    let years = count(|l| matches!(l, Label::Year(_)));
    let regions_across = count(|l| matches!(l, Label::Region(_)));
    out.columns = if years >= regions_across && years > 0 {
        "years"
    } else if regions_across > 0 {
        "regions"
    } else {
        "indicators"
    }
    .to_owned();
    let mut regions = Regions::new(dataset, map, country);
    let known: HashMap<(String, i32, String), f64> = dataset
        .indicators
        .iter()
        .map(|v| ((v.region.clone(), v.year, v.indicator.clone()), v.value))
        .collect();
    let mut seen: BTreeMap<(String, i32, String), usize> = BTreeMap::new();
    let source = map
        .yearbook
        .source
        .clone()
        .unwrap_or_else(|| grid.file.clone());
    let target = |name: &str| -> Option<&Target> {
        map.indicators
            .iter()
            .find(|(k, _)| fold_key(k) == fold_key(name))
            .map(|(_, t)| t)
    };
    for row in &grid.rows[first_data..] {
        let problem = |c: Option<usize>, m: String| Located {
            file: grid.file.clone(),
            location: Location::Cell {
                row: row.position,
                column: c.map(|c| c + 1),
            },
            field: None,
            message: m,
            suggestion: None,
        };
        if row.cells.iter().flatten().count() <= 1 {
            out.note_rows += 1; // footnote, source line, section title
            continue;
        }
        let Some(head) = row.cells.first().cloned().flatten() else {
            out.unmatched.push(problem(Some(0), "no row label".into()));
            continue;
        };
        let row_label = label_of(&head);
        for (ci, text) in row.cells.iter().enumerate().skip(1) {
            let Some(text) = text else { continue };
            let Some(col_label) = column_labels.get(ci - 1).cloned().flatten() else {
                continue;
            };
            // (region label, year, indicator name, unit)
            let (region, year, indicator, unit) = match (&row_label, &col_label) {
                (Label::Region(r), Label::Year(y)) | (Label::Year(y), Label::Region(r)) => (
                    r.clone(),
                    Some(*y),
                    table_indicator.clone(),
                    table_unit.clone(),
                ),
                (Label::Region(r), Label::Indicator(name, u)) => (
                    r.clone(),
                    table_year,
                    Some(name.clone()),
                    u.clone().or(table_unit.clone()),
                ),
                _ => {
                    out.unmatched.push(problem(
                        Some(ci),
                        format!(
                            "row `{}` and column `{}`: expected a region against a year or an indicator",
                            echo(&head),
                            echo(labels[ci - 1].as_deref().unwrap_or(""))
                        ),
                    ));
                    break;
                }
            };
            let Some(year) = year else {
                out.unmatched.push(problem(
                    Some(ci),
                    "no year: the title names none; give `[yearbook] year`".into(),
                ));
                continue;
            };
            let Some(indicator) = indicator else {
                out.unmatched.push(problem(Some(ci), "no indicator: the title names none of [indicators]; give `[yearbook] indicator`".into()));
                continue;
            };
            let Some(t) = target(&indicator) else {
                let mut p = problem(
                    Some(ci),
                    format!(
                        "indicator `{}` is not in the mapping file's [indicators]",
                        echo(&indicator)
                    ),
                );
                p.suggestion = chainlens_model::problem::suggest(
                    &indicator,
                    map.indicators.keys().map(String::as_str),
                );
                out.unmatched.push(p);
                continue;
            };
            let exp = match conversion(unit.as_deref(), t.unit.as_deref()) {
                Ok(e) => e,
                Err(m) => {
                    out.unmatched
                        .push(problem(Some(ci), format!("`{}`: {m}", echo(&indicator))));
                    continue;
                }
            };
            let value = match value_of(text, exp) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(m) => {
                    out.unmatched.push(problem(Some(ci), m));
                    continue;
                }
            };
            let region_id = if matches!(region.as_str(), "全国" | "合计" | "总计") {
                match regions.country() {
                    Some(c) => c.to_owned(),
                    None => {
                        out.unmatched.push(problem(Some(0), format!("`{region}`: the workspace has no `country` region for the national total")));
                        break;
                    }
                }
            } else {
                let d = divisions()
                    .province(&region)
                    .or_else(|_| divisions().city(&region, None))
                    .expect("a region label resolves");
                regions.id(d)
            };
            let key = (region_id.clone(), year, t.code.clone());
            if let Some(&old) = known.get(&key) {
                if (old - value).abs() <= 1e-9 * old.abs().max(1.0) {
                    out.existing += 1;
                } else {
                    out.unmatched.push(problem(
                        Some(ci),
                        format!(
                            "the workspace has {} {} {year} = {old}; this table says {value}",
                            region_id, t.code
                        ),
                    ));
                }
                continue;
            }
            if let Some(&first) = seen.get(&key) {
                out.unmatched.push(problem(
                    Some(ci),
                    format!(
                        "{} {} {year} is also at row {first} of this table",
                        region_id, t.code
                    ),
                ));
                continue;
            }
            seen.insert(key, row.position);
            out.values.push(Row::from([
                ("region".to_owned(), region_id),
                ("year".to_owned(), year.to_string()),
                ("indicator".to_owned(), t.code.clone()),
                ("value".to_owned(), crate::table::format_number(value)),
                (
                    "source".to_owned(),
                    format!("{source} ({}:{}:{})", grid.file, row.position, ci + 1),
                ),
                ("imputed".to_owned(), "false".to_owned()),
            ]));
        }
    }
    out.regions = regions.added;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::table::parse_csv_grid;

    fn map() -> MapFile {
        toml::from_str(
            r#"
            [indicators]
            "地区生产总值" = { code = "gdp", unit = "万元" }
            "年末常住人口" = { code = "population", unit = "万人" }
            "研发经费投入强度" = { code = "rd_intensity", unit = "ratio" }
            [yearbook]
            source = "浙江统计年鉴2023"
            "#,
        )
        .unwrap()
    }

    fn grid(text: &str) -> Grid {
        parse_csv_grid(text.as_bytes(), "t.csv", b',', &Limits::default().records()).unwrap()
    }

    #[test]
    fn units_convert_within_a_family() {
        assert_eq!(conversion(Some("亿元"), Some("万元")), Ok(4));
        assert_eq!(conversion(Some("%"), Some("ratio")), Ok(-2));
        assert!(conversion(Some("亿元"), Some("万人")).is_err());
        assert_eq!(value_of("1,234.5", 0), Ok(Some(1234.5)));
        assert_eq!(value_of("１２.３*", 0), Ok(Some(12.3)));
        // Exact to the last bit: 3.86 / 100 in floating point is 0.038599999999999995.
        assert_eq!(value_of("3.86", -2), Ok(Some(0.0386)));
        assert_eq!(value_of("…", 0), Ok(None));
        assert!(value_of("n/a1", 0).is_err());
    }

    #[test]
    fn regions_down_years_across_with_title_unit_and_footnotes() {
        let g = grid(
            "表3-5 各市地区生产总值,,\n单位：亿元,,\n地区,2021年,2022年\n杭州市,\"18,109\",18753\n\n宁　波,14595,15704\n东部地区,,\n温州市,…,8030\n注：按当年价格计算。,,\n",
        );
        let r = read_yearbook(&g, &map(), &Dataset::default(), None).unwrap();
        assert_eq!(r.columns, "years");
        assert_eq!(r.unmatched, vec![]);
        assert_eq!(r.note_rows, 2 + 1 + 1);
        let v: Vec<(&str, &str, &str, &str)> = r
            .values
            .iter()
            .map(|x| {
                (
                    x["region"].as_str(),
                    x["year"].as_str(),
                    x["indicator"].as_str(),
                    x["value"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            v,
            [
                ("330100", "2021", "gdp", "181090000"),
                ("330100", "2022", "gdp", "187530000"),
                ("330200", "2021", "gdp", "145950000"),
                ("330200", "2022", "gdp", "157040000"),
                ("330300", "2022", "gdp", "80300000"),
            ]
        );
        assert_eq!(r.values[0]["source"], "浙江统计年鉴2023 (t.csv:4:2)");
        assert_eq!(r.regions.len(), 4); // Zhejiang and its three cities
    }

    #[test]
    fn regions_down_indicators_across_with_a_merged_header() {
        let g = grid(
            "2022年主要指标,,,\n地区,地区生产总值,年末常住人口,研发经费投入强度\n,（亿元）,（万人）,（%）\n杭州,18753,1237.6,3.86\n宁波,15704,961.8,x\n资料来源：浙江省统计局。,,,\n",
        );
        let r = read_yearbook(&g, &map(), &Dataset::default(), None).unwrap();
        assert_eq!(r.columns, "indicators");
        assert_eq!(r.unmatched, vec![]);
        let v: Vec<(&str, &str, &str)> = r
            .values
            .iter()
            .map(|x| {
                (
                    x["region"].as_str(),
                    x["indicator"].as_str(),
                    x["value"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            v,
            [
                ("330100", "gdp", "187530000"),
                ("330100", "population", "1237.6"),
                ("330100", "rd_intensity", "0.0386"),
                ("330200", "gdp", "157040000"),
                ("330200", "population", "961.8"),
            ]
        );
        assert!(r.values.iter().all(|x| x["year"] == "2022"));
    }

    #[test]
    fn years_down_regions_across_and_located_problems() {
        let g = grid(
            "地区生产总值（单位：亿元）,,\n年份,杭州,宁波\n2021,18109,abc\n2022,18753,15704\n",
        );
        let r = read_yearbook(&g, &map(), &Dataset::default(), None).unwrap();
        assert_eq!(r.columns, "regions");
        assert_eq!(r.values.len(), 3);
        assert_eq!(
            r.unmatched
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["t.csv:3:3: `abc` is not a number"]
        );
        // An indicator the mapping file does not know.
        let g = grid("地区,工业增加值（亿元）\n杭州,5000\n");
        let mut m = map();
        m.yearbook.year = Some(2022);
        let r = read_yearbook(&g, &m, &Dataset::default(), None).unwrap();
        assert_eq!(
            r.unmatched[0].to_string(),
            "t.csv:2:2: indicator `工业增加值` is not in the mapping file's [indicators]"
        );
    }
}
