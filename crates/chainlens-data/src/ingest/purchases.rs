//! Tables of purchases → supply links: an ERP or invoice export with one row per
//! purchase (buyer, supplier, amount, product, date), summed into one yearly link per
//! supplier, buyer and stage.
//!
//! - **Header**: as for registry exports (crate::ingest::find_header_row), under the
//!   names in [`COLUMNS`] or the mapping file's `[columns]` (keys `buyer`, `buyer_code`,
//!   `supplier`, `supplier_code`, `amount`, `product`, `year`); a buyer (name or code), a
//!   supplier (name or code) and an amount are required.
//! - **Firms** are matched to the workspace's enterprises by unified social credit code
//!   (the enterprise id, as `ingest enterprises` writes it) or, failing that, by name
//!   (full-width folded, spaces dropped). An unknown firm is unmatched, with the closest
//!   name as a suggestion.
//! - **Amounts** in the header's unit (`金额（元）`, `（万元）`) or `[purchases] unit`,
//!   default 元, converted to 10^4 CNY; negative amounts (credit notes) count.
//! - **Year**: the year of the date or year column (`2023-05-06`, `2023年`); only the rows
//!   of `[purchases] year` are kept, by default the latest year present, so that a link's
//!   value is one year's flow. Rows of other years are counted, not added.
//! - **Product → stage**: `[products]` of the mapping file maps a product text to a
//!   `chain/stage`; without one the link has no stage.
//! - A link already in the workspace (same supplier, buyer, chain and stage) is kept as it
//!   is and counted as existing.
//!
//! O(rows) with hash lookups.

use super::plan::Row;
use super::{MapFile, find_header_row, fold_key, header_key};
use crate::table::Grid;
use crate::{Located, Location};
use chainlens_model::Dataset;
use chainlens_model::problem::{echo, suggest};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The fields of a purchase row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Buyer,
    BuyerCode,
    Supplier,
    SupplierCode,
    Amount,
    Product,
    Year,
}

/// Header names of each field (Chinese and English); a mapping file's `[columns]` adds
/// to them.
pub const COLUMNS: [(Field, &str, &[&str]); 7] = [
    (
        Field::Buyer,
        "buyer",
        &[
            "采购方",
            "采购单位",
            "买方",
            "购买方",
            "购方名称",
            "客户",
            "buyer",
        ],
    ),
    (
        Field::BuyerCode,
        "buyer_code",
        &[
            "采购方信用代码",
            "买方统一社会信用代码",
            "购方税号",
            "购买方纳税人识别号",
            "buyer_code",
        ],
    ),
    (
        Field::Supplier,
        "supplier",
        &["供应商", "供应方", "卖方", "销售方", "销方名称", "supplier"],
    ),
    (
        Field::SupplierCode,
        "supplier_code",
        &[
            "供应商信用代码",
            "卖方统一社会信用代码",
            "销方税号",
            "销售方纳税人识别号",
            "supplier_code",
        ],
    ),
    (
        Field::Amount,
        "amount",
        &[
            "金额",
            "采购金额",
            "含税金额",
            "价税合计",
            "amount",
            "value",
        ],
    ),
    (
        Field::Product,
        "product",
        &[
            "产品",
            "物料",
            "物料名称",
            "商品名称",
            "货物名称",
            "product",
        ],
    ),
    (
        Field::Year,
        "year",
        &[
            "年份",
            "年度",
            "日期",
            "开票日期",
            "采购日期",
            "year",
            "date",
        ],
    ),
];

/// A link's supplier, buyer, chain and stage (empty when not given).
type LinkKey = (String, String, String, String);

/// `[purchases]` of a mapping file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The year kept (default: the latest present).
    #[serde(default)]
    pub year: Option<i32>,
    /// The amount column's unit when its header names none (default 元).
    #[serde(default)]
    pub unit: Option<String>,
}

/// What a table of purchases gave.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PurchasesRead {
    /// Supply-link rows to add.
    pub links: Vec<Row>,
    /// Purchase rows summed into them.
    pub rows: usize,
    /// The year kept.
    pub year: Option<i32>,
    /// Rows of other years, not added.
    pub other_years: usize,
    /// Links the workspace already has.
    pub existing: usize,
    pub unmatched: Vec<Located>,
    pub note_rows: usize,
}

/// Reads a table of purchases into supply links between the enterprises of `dataset`.
pub fn read_purchases(
    grid: &Grid,
    map: &MapFile,
    dataset: &Dataset,
) -> Result<PurchasesRead, Located> {
    let mut names: HashMap<String, Field> = COLUMNS
        .iter()
        .flat_map(|(f, _, hs)| hs.iter().map(move |h| (header_key(h).0, *f)))
        .collect();
    for (key, headers) in &map.columns {
        if let Some((f, _, _)) = COLUMNS.iter().find(|(_, k, _)| k == key) {
            for h in headers.list() {
                names.insert(header_key(h).0, *f);
            }
        }
    }
    let required: [&[Field]; 3] = [
        &[Field::Buyer, Field::BuyerCode],
        &[Field::Supplier, Field::SupplierCode],
        &[Field::Amount],
    ];
    let Some((h, found)) = find_header_row(grid, &names, &required) else {
        return Err(Located::whole_file(
            grid.file.clone(),
            "no header row with a buyer, a supplier and an amount column in the first 50 rows; \
             name them in a mapping file's [columns] (buyer, supplier, amount, …)",
        ));
    };
    let col = |f: Field| found.iter().find(|(g, _, _)| *g == f).map(|(_, c, _)| *c);
    let unit = found
        .iter()
        .find(|(f, _, _)| *f == Field::Amount)
        .and_then(|(_, _, u)| u.clone())
        .or(map.purchases.unit.clone())
        .unwrap_or_else(|| "元".to_owned());
    // The power of ten to 10^4 CNY (crate::ingest::decimal_scaled).
    let exp = match unit.as_str() {
        "元" => -4,
        "万元" => 0,
        "亿元" => 4,
        other => {
            return Err(Located::whole_file(
                grid.file.clone(),
                format!("amount unit `{}`: use 元, 万元 or 亿元", echo(other)),
            ));
        }
    };
    let by_id: HashSet<&str> = dataset.enterprises.iter().map(|e| e.id.as_str()).collect();
    let by_name: HashMap<String, &str> = dataset
        .enterprises
        .iter()
        .map(|e| (fold_key(&e.name), e.id.as_str()))
        .collect();
    let mut out = PurchasesRead::default();
    // (supplier, buyer, chain, stage) → summed value
    let mut sums: BTreeMap<LinkKey, f64> = BTreeMap::new();
    let mut rows: Vec<(i32, LinkKey, f64)> = Vec::new();
    for row in &grid.rows[h + 1..] {
        if super::is_note(row) {
            out.note_rows += 1;
            continue;
        }
        let cell = |f: Field| col(f).and_then(|c| row.cells.get(c).cloned().flatten());
        let problem = |f: Field, m: String, s: Option<String>| Located {
            file: grid.file.clone(),
            location: Location::Cell {
                row: row.position,
                column: col(f).map(|c| c + 1),
            },
            field: col(f).and_then(|c| grid.rows[h].cells.get(c).cloned().flatten()),
            message: m,
            suggestion: s,
        };
        let firm = |name: Field, code: Field| -> Result<String, Located> {
            if let Some(c) = cell(code).map(|c| crate::credit_code::normalise(&c))
                && by_id.contains(c.as_str())
            {
                return Ok(c);
            }
            match cell(name) {
                Some(n) => by_name
                    .get(&fold_key(&n))
                    .map(|id| id.to_string())
                    .ok_or_else(|| {
                        problem(
                            name,
                            format!("no enterprise of the workspace is named `{}`", echo(&n)),
                            suggest(&n, dataset.enterprises.iter().map(|e| e.name.as_str())),
                        )
                    }),
                None => Err(problem(
                    code,
                    format!(
                        "no enterprise of the workspace has the credit code `{}`",
                        echo(&cell(code).unwrap_or_default())
                    ),
                    None,
                )),
            }
        };
        let (buyer, supplier) = match (
            firm(Field::Buyer, Field::BuyerCode),
            firm(Field::Supplier, Field::SupplierCode),
        ) {
            (Ok(b), Ok(s)) => (b, s),
            (b, s) => {
                out.unmatched.extend(b.err());
                out.unmatched.extend(s.err());
                continue;
            }
        };
        let amount = match cell(Field::Amount)
            .and_then(|a| super::decimal_scaled(&fold_key(&a).replace(',', ""), exp))
        {
            Some(v) => v,
            None => {
                out.unmatched.push(problem(
                    Field::Amount,
                    format!(
                        "amount `{}` is not a number",
                        echo(&cell(Field::Amount).unwrap_or_default())
                    ),
                    None,
                ));
                continue;
            }
        };
        let year = cell(Field::Year)
            .and_then(|y| super::registry::year_of(&y))
            .unwrap_or(0);
        let (chain, stage) = match cell(Field::Product) {
            Some(p) => match map
                .products
                .get(&p)
                .or_else(|| map.products.get(&fold_key(&p)))
            {
                Some(cs) => match chainlens_model::StageRef::parse(cs) {
                    Some(r) => (r.chain, r.stage),
                    None => {
                        out.unmatched.push(problem(
                            Field::Product,
                            format!(
                                "[products] maps `{}` to `{}`, which is not chain/stage",
                                echo(&p),
                                echo(cs)
                            ),
                            None,
                        ));
                        continue;
                    }
                },
                None => (String::new(), String::new()),
            },
            None => (String::new(), String::new()),
        };
        rows.push((year, (supplier, buyer, chain, stage), amount));
    }
    let keep = map
        .purchases
        .year
        .or_else(|| rows.iter().map(|r| r.0).max().filter(|&y| y > 0));
    out.year = keep;
    for (year, key, amount) in rows {
        if keep.is_some_and(|k| year != k && year != 0) {
            out.other_years += 1;
            continue;
        }
        out.rows += 1;
        *sums.entry(key).or_insert(0.0) += amount;
    }
    let known: HashSet<(&str, &str, &str, &str)> = dataset
        .supply_links
        .iter()
        .map(|l| {
            (
                l.supplier.as_str(),
                l.buyer.as_str(),
                l.chain.as_deref().unwrap_or(""),
                l.stage.as_deref().unwrap_or(""),
            )
        })
        .collect();
    for ((supplier, buyer, chain, stage), value) in sums {
        if known.contains(&(
            supplier.as_str(),
            buyer.as_str(),
            chain.as_str(),
            stage.as_str(),
        )) {
            out.existing += 1;
            continue;
        }
        let mut row = Row::from([
            ("supplier".to_owned(), supplier),
            ("buyer".to_owned(), buyer),
            ("value".to_owned(), crate::table::format_number(value)),
        ]);
        if !chain.is_empty() {
            row.insert("chain".into(), chain);
            row.insert("stage".into(), stage);
        }
        out.links.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::table::parse_csv_grid;
    use chainlens_model::{Enterprise, EnterpriseRole};

    fn firm(id: &str, name: &str) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: name.into(),
            region: "330100".into(),
            sector: None,
            stages: Vec::new(),
            role: EnterpriseRole::Supporting,
            capacity: None,
            output: None,
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: None,
            attributes: Default::default(),
        }
    }

    #[test]
    fn purchases_sum_into_yearly_links_matched_by_code_or_name() {
        let dataset = Dataset {
            enterprises: vec![
                firm("91330206MA2CK1E10E", "宁波新能特钢有限公司"),
                firm("91331002MA28G5TW5H", "台州星辰电池有限公司"),
                firm("e3", "杭州整车有限公司"),
            ],
            ..Dataset::default()
        };
        let map: MapFile =
            toml::from_str("[products]\n\"电芯\" = \"nev/battery\"\n[purchases]\nunit = \"元\"\n")
                .unwrap();
        let text = "采购明细（ERP 导出）,,,,,\n采购方,供应商,供应商信用代码,物料名称,金额（元）,开票日期\n\
            杭州整车有限公司,台州星辰电池,91331002MA28G5TW5H,电芯,\"1,200,000\",2023-03-01\n\
            杭州整车有限公司,台州星辰电池有限公司,,电芯,800000,2023-09-30\n\
            杭州整车有限公司,宁波新能特钢有限公司,,钢材,50000,2023-01-05\n\
            杭州整车有限公司,宁波新能特钢有限公司,,钢材,70000,2022-12-20\n\
            杭州整车有限公司,宁波新能特刚有限公司,,钢材,10,2023-02-01\n\
            合计：,,,,2120010,\n";
        let grid =
            parse_csv_grid(text.as_bytes(), "p.csv", b',', &Limits::default().records()).unwrap();
        let r = read_purchases(&grid, &map, &dataset).unwrap();
        assert_eq!(r.year, Some(2023));
        assert_eq!((r.rows, r.other_years), (3, 1));
        let links: Vec<(&str, &str, &str, &str)> = r
            .links
            .iter()
            .map(|l| {
                (
                    l["supplier"].as_str(),
                    l["buyer"].as_str(),
                    l.get("stage").map_or("", String::as_str),
                    l["value"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            links,
            [
                ("91330206MA2CK1E10E", "e3", "", "5"),
                ("91331002MA28G5TW5H", "e3", "battery", "200"),
            ]
        );
        assert_eq!(
            r.unmatched
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "p.csv:7:2: 供应商: no enterprise of the workspace is named `宁波新能特刚有限公司` (did you mean `宁波新能特钢有限公司`?)"
            ]
        );
        // The 合计 row is a note, not a purchase.
        assert_eq!(r.note_rows, 1);
    }
}
