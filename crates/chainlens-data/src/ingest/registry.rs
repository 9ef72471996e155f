//! Enterprise registry exports → firms: the lists a chain office exports from a business
//! registry (CSV in UTF-8/GBK/GB18030 or an XLSX sheet, Chinese headers, banner rows above
//! the header, note rows below the records).
//!
//! 1. The header is the first of the first [`HEADER_SEARCH_ROWS`] (50) rows in which both the
//!    name and the credit-code column are found, under a preset's header names ([`PRESETS`])
//!    or the mapping file's `[columns]`. Rows above it are banner rows.
//! 2. A note row (crate::ingest::is_note: at most one filled cell, as `注：…`, `数据来源：…`
//!    or a merged title, or a first cell `合计`/`总计`/`小计`) is skipped. Every other row is a firm or is refused with its line and reason: no name,
//!    no or an invalid unified social credit code (crate::credit_code), no region
//!    (crate::divisions: province and city columns, else the address), an industry that
//!    resolves to no sector (see [`Industry`]).
//! 3. Rows with the same credit code are merged into one firm: the first row's values win,
//!    empty ones are filled from later rows; a different name under the same code is noted.
//!
//! Values: 注册资本 `5000万人民币`, `1,200.5 万元`, `3亿元`, `800000元` → 10^4 CNY (the
//! workspace's money unit); a header unit such as `注册资本(万元)` applies to bare numbers;
//! other currencies are noted and left out. 参保人数 `120`, `120人`, `-` → employees.
//! 成立日期 `2015-03-12`, `2015/3/12`, `2015年3月12日` or an Excel date serial → the year.
//! O(rows × columns).

use super::{HEADER_SEARCH_ROWS, MapFile, find_header_row, fold_key, header_key};
use crate::credit_code::CreditCode;
use crate::divisions::divisions;
use crate::table::Grid;
use crate::{Located, Location};
use chainlens_model::problem::echo;
use std::collections::HashMap;

/// The fields a registry row can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    CreditCode,
    Founded,
    RegisteredCapital,
    Industry,
    Province,
    City,
    Address,
    Employees,
    Role,
    Stages,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Name,
        Field::CreditCode,
        Field::Founded,
        Field::RegisteredCapital,
        Field::Industry,
        Field::Province,
        Field::City,
        Field::Address,
        Field::Employees,
        Field::Role,
        Field::Stages,
    ];

    /// The field's key in a mapping file's `[columns]`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::CreditCode => "credit_code",
            Field::Founded => "founded",
            Field::RegisteredCapital => "registered_capital",
            Field::Industry => "industry",
            Field::Province => "province",
            Field::City => "city",
            Field::Address => "address",
            Field::Employees => "employees",
            Field::Role => "role",
            Field::Stages => "stages",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// A built-in layout: the header names under which each field is found.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    pub columns: &'static [(Field, &'static [&'static str])],
}

/// The built-in layouts (docs/import.md lists them).
pub const PRESETS: [Preset; 2] = [
    Preset {
        name: "registry-cn",
        description: "Chinese business-registry export (企业名称, 统一社会信用代码, 成立日期, 注册资本, 所属行业, 所属省份, 所属城市, 注册地址, 参保人数)",
        columns: &[
            (Field::Name, &["企业名称", "公司名称", "名称", "企业名"]),
            (
                Field::CreditCode,
                &["统一社会信用代码", "社会信用代码", "信用代码"],
            ),
            (Field::Founded, &["成立日期", "成立时间", "注册日期"]),
            (Field::RegisteredCapital, &["注册资本", "注册资金"]),
            (
                Field::Industry,
                &["所属行业", "国标行业", "行业", "行业代码", "行业名称"],
            ),
            (Field::Province, &["所属省份", "省份", "所在省份", "省"]),
            (Field::City, &["所属城市", "城市", "所在城市", "地市", "市"]),
            (
                Field::Address,
                &[
                    "注册地址",
                    "企业地址",
                    "地址",
                    "住所",
                    "通信地址",
                    "经营地址",
                ],
            ),
            (
                Field::Employees,
                &["参保人数", "从业人数", "员工人数", "职工人数"],
            ),
            (Field::Role, &["角色", "企业角色"]),
            (Field::Stages, &["产业链环节", "环节"]),
        ],
    },
    Preset {
        name: "registry-en",
        description: "the same fields under English headers (name, credit_code, founded, registered_capital, industry, province, city, address, employees, role, stages)",
        columns: &[
            (Field::Name, &["name", "company", "enterprise"]),
            (
                Field::CreditCode,
                &["credit_code", "uscc", "unified social credit code"],
            ),
            (Field::Founded, &["founded", "established"]),
            (Field::RegisteredCapital, &["registered_capital", "capital"]),
            (Field::Industry, &["industry", "industry_code"]),
            (Field::Province, &["province"]),
            (Field::City, &["city"]),
            (Field::Address, &["address", "registered_address"]),
            (Field::Employees, &["employees", "insured_employees"]),
            (Field::Role, &["role"]),
            (Field::Stages, &["stages"]),
        ],
    },
];

/// The header row found in a grid: which column holds each field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Header {
    /// Index of the header row in the grid's rows.
    #[serde(skip)]
    pub index: usize,
    /// Its spreadsheet row.
    pub row: usize,
    /// The layout that found it: a preset's name, or `map`.
    pub layout: String,
    /// Field → 0-based column.
    pub columns: Vec<(Field, usize)>,
    /// The unit written in the registered-capital header, if any.
    #[serde(skip)]
    pub capital_unit: Option<String>,
}

/// Finds the header: the first row in which the name and credit-code columns are found.
pub fn find_header(grid: &Grid, map: &MapFile, preset: Option<&str>) -> Result<Header, Located> {
    let layouts: Vec<(String, HashMap<String, Field>)> = {
        let mut v = Vec::new();
        if !map.columns.is_empty() {
            let mut names = HashMap::new();
            for (key, headers) in &map.columns {
                if let Some(f) = Field::from_key(key) {
                    for h in headers.list() {
                        names.insert(header_key(h).0, f);
                    }
                }
            }
            v.push(("map".to_owned(), names));
        }
        for p in PRESETS
            .iter()
            .filter(|p| preset.is_none_or(|n| n == p.name))
        {
            let names = p
                .columns
                .iter()
                .flat_map(|(f, hs)| hs.iter().map(move |h| (header_key(h).0, *f)))
                .collect();
            v.push((p.name.to_owned(), names));
        }
        v
    };
    for (layout, names) in &layouts {
        if let Some((index, found)) =
            find_header_row(grid, names, &[&[Field::Name], &[Field::CreditCode]])
        {
            let capital_unit = found
                .iter()
                .find(|(f, _, _)| *f == Field::RegisteredCapital)
                .and_then(|(_, _, u)| u.clone());
            let mut columns: Vec<(Field, usize)> =
                found.into_iter().map(|(f, c, _)| (f, c)).collect();
            columns.sort();
            return Ok(Header {
                index,
                row: grid.rows[index].position,
                layout: layout.clone(),
                columns,
                capital_unit,
            });
        }
    }
    Err(Located {
        file: grid.file.clone(),
        location: Location::File,
        field: None,
        message: format!(
            "no header row with an enterprise-name and a credit-code column in the first {HEADER_SEARCH_ROWS} rows \
             (presets: {}); name the columns in a mapping file's [columns] (--map)",
            PRESETS
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        suggestion: None,
    })
}

/// One firm read from a registry (several rows merged when they share a credit code).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Firm {
    pub credit_code: CreditCode,
    pub name: String,
    /// GB/T 2260 code of its region.
    pub division: &'static str,
    /// The industry as the registry wrote it.
    pub industry: Option<String>,
    pub founded: Option<i32>,
    /// 10^4 CNY.
    pub registered_capital: Option<f64>,
    pub employees: Option<f64>,
    pub role: Option<String>,
    pub stages: Option<String>,
    /// File and spreadsheet row of every row it came from.
    pub rows: Vec<(String, usize)>,
}

/// What a registry file gave.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RegistryRead {
    pub firms: Vec<Firm>,
    /// Rows folded into an earlier row of the same firm.
    pub merged: usize,
    /// Rows refused, each with its line and reason.
    pub unmatched: Vec<Located>,
    /// Things worth knowing that refuse nothing (a currency left out, a name differing
    /// between duplicates).
    pub notes: Vec<Located>,
    /// Rows above the header and note rows skipped.
    pub banner_rows: usize,
    pub note_rows: usize,
    pub header: Option<Header>,
}

/// Reads the firms of one grid; `read` accumulates over several files (duplicates merge
/// across files too).
pub fn read_registry(
    grid: &Grid,
    map: &MapFile,
    preset: Option<&str>,
    read: &mut RegistryRead,
) -> Result<(), Located> {
    let header = find_header(grid, map, preset)?;
    read.banner_rows += header.index;
    let col = |f: Field| header.columns.iter().find(|(g, _)| *g == f).map(|c| c.1);
    let mut by_code: HashMap<String, usize> = read
        .firms
        .iter()
        .enumerate()
        .map(|(i, f)| (f.credit_code.as_str().to_owned(), i))
        .collect();
    for row in &grid.rows[header.index + 1..] {
        if super::is_note(row) {
            read.note_rows += 1;
            continue;
        }
        let cell = |f: Field| {
            col(f)
                .and_then(|c| row.cells.get(c).cloned().flatten())
                .map(|s| fold_key_keep_spaces(&s))
                .filter(|s| !s.is_empty())
        };
        let problem = |f: Field, message: String, suggestion: Option<String>| Located {
            file: grid.file.clone(),
            location: Location::Cell {
                row: row.position,
                column: col(f).map(|c| c + 1),
            },
            field: col(f).and_then(|c| grid.rows[header.index].cells.get(c).cloned().flatten()),
            message,
            suggestion,
        };
        let Some(name) = cell(Field::Name) else {
            read.unmatched
                .push(problem(Field::Name, "no enterprise name".into(), None));
            continue;
        };
        let code = match cell(Field::CreditCode).map(|c| CreditCode::parse(&c)) {
            None => {
                read.unmatched.push(problem(
                    Field::CreditCode,
                    format!("`{}`: no unified social credit code", echo(&name)),
                    None,
                ));
                continue;
            }
            Some(Err(e)) => {
                read.unmatched.push(problem(
                    Field::CreditCode,
                    format!("`{}`: {e}", echo(&name)),
                    None,
                ));
                continue;
            }
            Some(Ok(code)) => code,
        };
        let address = cell(Field::Address);
        let division = match divisions().resolve(
            cell(Field::Province).as_deref(),
            cell(Field::City).as_deref(),
            address.as_deref(),
        ) {
            Ok(d) => d,
            Err(e) => {
                let f = if cell(Field::City).is_some() {
                    Field::City
                } else if cell(Field::Province).is_some() {
                    Field::Province
                } else {
                    Field::Address
                };
                let suggestion = e.suggestion().map(str::to_owned);
                read.unmatched
                    .push(problem(f, format!("`{}`: {e}", echo(&name)), suggestion));
                continue;
            }
        };
        let capital = cell(Field::RegisteredCapital).and_then(|c| {
            match capital_in_10k_cny(&c, header.capital_unit.as_deref()) {
                Ok(v) => v,
                Err(m) => {
                    read.notes.push(problem(Field::RegisteredCapital, m, None));
                    None
                }
            }
        });
        let firm = Firm {
            credit_code: code.clone(),
            name: name.clone(),
            division: division.code,
            industry: cell(Field::Industry),
            founded: cell(Field::Founded).and_then(|c| year_of(&c)),
            registered_capital: capital,
            employees: cell(Field::Employees).and_then(|c| count_of(&c)),
            role: cell(Field::Role),
            stages: cell(Field::Stages),
            rows: vec![(grid.file.clone(), row.position)],
        };
        match by_code.get(code.as_str()) {
            Some(&i) => {
                read.merged += 1;
                let first = &mut read.firms[i];
                if first.name != firm.name {
                    read.notes.push(problem(
                        Field::Name,
                        format!(
                            "`{}` has the credit code of `{}` ({}): merged into it",
                            echo(&firm.name),
                            echo(&first.name),
                            format_args!("{}:{}", first.rows[0].0, first.rows[0].1)
                        ),
                        None,
                    ));
                }
                first.industry = first.industry.take().or(firm.industry);
                first.founded = first.founded.or(firm.founded);
                first.registered_capital = first.registered_capital.or(firm.registered_capital);
                first.employees = first.employees.or(firm.employees);
                first.role = first.role.take().or(firm.role);
                first.stages = first.stages.take().or(firm.stages);
                first.rows.extend(firm.rows);
            }
            None => {
                by_code.insert(code.as_str().to_owned(), read.firms.len());
                read.firms.push(firm);
            }
        }
    }
    if read.header.is_none() {
        read.header = Some(header);
    }
    Ok(())
}

/// Width folded, ends trimmed (inner spaces of addresses kept).
fn fold_key_keep_spaces(s: &str) -> String {
    crate::text::fold_width(s).trim().to_owned()
}

/// Registered capital in 10^4 CNY; `Ok(None)` for a placeholder (`-`), `Err` for another
/// currency or text that is no amount.
pub fn capital_in_10k_cny(text: &str, header_unit: Option<&str>) -> Result<Option<f64>, String> {
    let t: String = fold_key(text).replace(',', "");
    if t.chars().all(|c| c == '-' || c == '—') || t == "暂无" || t == "未公开" {
        return Ok(None);
    }
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(t.len(), |(i, _)| i);
    let number = &t[..end];
    let rest = &t[end..];
    let unit = if rest.is_empty() {
        header_unit.unwrap_or("万元").to_owned()
    } else {
        rest.to_owned()
    };
    const CNY: [&str; 6] = ["人民币", "元", "rmb", "cny", "万", "亿"];
    let mut currency = unit.to_lowercase();
    for w in ["万", "亿"] {
        currency = currency.replacen(w, "", 1);
    }
    let currency = currency.replace("元", "").replace("人民币", "");
    let currency = currency.trim().to_lowercase();
    if !currency.is_empty() && !CNY.contains(&currency.as_str()) {
        return Err(format!(
            "registered capital `{}` is not in CNY: left out (no exchange rate is assumed)",
            echo(text)
        ));
    }
    let exp = if unit.contains('亿') {
        4
    } else if unit.contains('万') {
        0
    } else {
        -4
    };
    super::decimal_scaled(number, exp)
        .map(Some)
        .ok_or_else(|| format!("registered capital `{}` is not an amount", echo(text)))
}

/// The year of a founding date, or of an Excel date serial.
pub fn year_of(text: &str) -> Option<i32> {
    let t = fold_key(text);
    if let Ok(serial) = t.parse::<f64>()
        && (1.0..100_000.0).contains(&serial)
        && t.len() != 4
    {
        // Days since 1899-12-30 (Excel's 1900 date system, its leap-year bug included).
        let days = serial.floor() as i64 - 25_569; // to days since 1970-01-01
        return Some(civil_year(days));
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let year: i32 = digits.get(..4)?.parse().ok()?;
    (1800..=2100).contains(&year).then_some(year)
}

/// The proleptic Gregorian year of a day count since 1970-01-01 (Hinnant's algorithm).
fn civil_year(days: i64) -> i32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

/// A head count (`120`, `120人`); `None` for placeholders.
pub fn count_of(text: &str) -> Option<f64> {
    let t = fold_key(text).replace(',', "");
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_dates_and_counts() {
        assert_eq!(capital_in_10k_cny("5000万人民币", None), Ok(Some(5000.0)));
        assert_eq!(capital_in_10k_cny("1,200.5 万元", None), Ok(Some(1200.5)));
        assert_eq!(capital_in_10k_cny("3亿元", None), Ok(Some(30000.0)));
        assert_eq!(capital_in_10k_cny("800000元", None), Ok(Some(80.0)));
        assert_eq!(capital_in_10k_cny("８００", Some("万元")), Ok(Some(800.0)));
        assert_eq!(capital_in_10k_cny("800000", Some("元")), Ok(Some(80.0)));
        assert_eq!(capital_in_10k_cny("-", None), Ok(None));
        assert!(
            capital_in_10k_cny("500万美元", None)
                .unwrap_err()
                .contains("not in CNY")
        );
        assert!(capital_in_10k_cny("abc", None).is_err());
        assert_eq!(year_of("2015-03-12"), Some(2015));
        assert_eq!(year_of("2015年3月12日"), Some(2015));
        assert_eq!(year_of("42075"), Some(2015)); // 2015-03-12 as an Excel serial
        assert_eq!(year_of("2015"), Some(2015));
        assert_eq!(year_of("-"), None);
        assert_eq!(count_of("120人"), Some(120.0));
        assert_eq!(count_of("-"), None);
    }
}
