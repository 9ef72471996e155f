//! Firms from a registry → the rows to add to a workspace: each firm's region, sector
//! and role resolved against what the workspace already holds.
//!
//! - **Region**: the firm's GB/T 2260 unit is the workspace region named for it in the
//!   mapping file's `[regions]` (by code, full or short name), else the region whose id is
//!   the code, else the region whose name is the unit's full or short Chinese name; else a
//!   new region is added (id = the code, name = the Chinese name, level `province` or
//!   `city`, parent = its province — added too when missing — or the workspace's country).
//! - **Sector** ([`resolve_industry`]): `[industries]` of the mapping file (by text or
//!   code; the value a sector id of the workspace or a GB/T 4754 code), else the workspace sector whose GB/T 4754-2017 code is the longest prefix of
//!   the code in the cell (`C3670 汽车零部件及配件制造` → the sector coded `36`), else the
//!   sector of the same name; else, when the cell carries a code, a new sector (id = the
//!   code with its section letter, e.g. `C3670`); else the firm is unmatched.
//! - **Enterprise**: a firm already in the workspace (id = its credit code, or the same
//!   name) is kept as it is and counted as existing; a new one gets the credit code as id.
//!   Role from the role column (`leading`/龙头/链主, `specialised`/专精特新,
//!   `supporting`/配套) or `[defaults] role`, else `supporting`.
//!
//! O(firms × (regions + sectors)) with hash lookups for names and ids.

use super::registry::Firm;
use super::{MapFile, fold_key};
use crate::divisions::{Division, DivisionLevel, divisions};
use crate::{Located, Location};
use chainlens_model::problem::{echo, suggest};
use chainlens_model::{Dataset, EnterpriseRole};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A row to add, column → value.
pub type Row = BTreeMap<String, String>;

/// What an ingest adds to the workspace.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Plan {
    pub regions: Vec<Row>,
    pub sectors: Vec<Row>,
    pub enterprises: Vec<Row>,
    pub indicators: Vec<Row>,
    pub supply_links: Vec<Row>,
    /// Firms already in the workspace: (credit code, enterprise id).
    pub existing: Vec<(String, String)>,
    /// Firms that could not be placed, each with its row and reason.
    pub unmatched: Vec<Located>,
}

/// Where a firm's first row is, for its problems.
fn at(firm: &Firm, field: &str, message: String, suggestion: Option<String>) -> Located {
    let (file, row) = firm.rows[0].clone();
    Located {
        file,
        location: Location::Cell { row, column: None },
        field: Some(field.to_owned()),
        message,
        suggestion,
    }
}

/// Workspace regions for GB/T 2260 units, adding the missing ones (module docs).
pub(crate) struct Regions<'a> {
    map: &'a MapFile,
    by_id: HashSet<String>,
    by_name: HashMap<String, String>,
    country: Option<String>,
    pub(crate) added: Vec<Row>,
}

impl<'a> Regions<'a> {
    pub(crate) fn new(dataset: &Dataset, map: &'a MapFile, country: Option<&str>) -> Self {
        Regions {
            map,
            by_id: dataset.regions.iter().map(|r| r.id.clone()).collect(),
            by_name: dataset
                .regions
                .iter()
                .map(|r| (fold_key(&r.name), r.id.clone()))
                .collect(),
            country: country
                .filter(|c| dataset.regions.iter().any(|r| r.id == *c))
                .map(str::to_owned),
            added: Vec::new(),
        }
    }

    /// The workspace's country region, if it has one.
    pub(crate) fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    pub(crate) fn id(&mut self, d: &Division) -> String {
        for k in [d.code, d.name, d.short_name] {
            if let Some(id) = self.map.regions.get(k) {
                return id.clone();
            }
        }
        if self.by_id.contains(d.code) {
            return d.code.to_owned();
        }
        for k in [d.name, d.short_name] {
            if let Some(id) = self.by_name.get(k) {
                return id.clone();
            }
        }
        let parent = match d.parent.and_then(|p| divisions().by_code(p)) {
            Some(p) => Some(self.id(p)),
            None => self.country.clone(),
        };
        let mut row = Row::new();
        row.insert("id".into(), d.code.into());
        row.insert("name".into(), d.name.into());
        row.insert(
            "level".into(),
            match d.level {
                DivisionLevel::Province => "province",
                DivisionLevel::Prefecture => "city",
            }
            .into(),
        );
        row.insert("parent".into(), parent.unwrap_or_default());
        self.by_id.insert(d.code.to_owned());
        self.added.push(row);
        d.code.to_owned()
    }
}

/// The GB/T 4754 code in an industry cell: an optional section letter and 2–4 digits
/// (`C3670`, `(C36)`, `3670`), and the text without it.
pub fn industry_code(text: &str) -> (Option<(Option<char>, String)>, String) {
    let t = fold_key(text);
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let letter = chars[i].is_ascii_uppercase().then_some(chars[i]);
        let start = if letter.is_some() { i + 1 } else { i };
        let mut end = start;
        while end < chars.len() && chars[end].is_ascii_digit() {
            end += 1;
        }
        let before_ok = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if before_ok
            && (2..=4).contains(&(end - start))
            && (end == chars.len() || !chars[end].is_ascii_alphanumeric())
        {
            let digits: String = chars[start..end].iter().collect();
            let rest: String = chars[..i]
                .iter()
                .chain(&chars[end..])
                .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '-' | ':'))
                .collect();
            return (Some((letter, digits)), rest);
        }
        i += 1;
    }
    (None, t)
}

/// How an industry cell was resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Industry {
    Sector(String),
    /// A new sector: id, name, code.
    New(String, String, String),
}

/// Resolves an industry cell to a workspace sector (module docs).
pub fn resolve_industry(
    text: &str,
    dataset: &Dataset,
    map: &MapFile,
) -> Result<Industry, (String, Option<String>)> {
    let (code, name) = industry_code(text);
    let mut keys = vec![fold_key(text), name.clone()];
    if let Some((letter, digits)) = &code {
        keys.push(digits.clone());
        if let Some(l) = letter {
            keys.push(format!("{l}{digits}"));
        }
    }
    for k in &keys {
        if let Some(id) = map.industries.get(k) {
            return if dataset.sectors.iter().any(|s| &s.id == id) {
                Ok(Industry::Sector(id.clone()))
            } else if industry_code(id).0.is_some() {
                // A GB/T 4754 code: resolved as if the cell had said it, under the cell's name.
                let unmapped = MapFile::default();
                resolve_industry(id, dataset, &unmapped).map(|i| match i {
                    Industry::New(id, _, digits) => Industry::New(id, name.clone(), digits),
                    other => other,
                })
            } else {
                Err((
                    format!(
                        "the mapping file maps `{}` to sector `{}`, which the workspace does not have",
                        echo(k),
                        echo(id)
                    ),
                    suggest(id, dataset.sectors.iter().map(|s| s.id.as_str())),
                ))
            };
        }
    }
    if let Some((letter, digits)) = &code {
        let best = dataset
            .sectors
            .iter()
            .filter(|s| {
                s.classification
                    .as_deref()
                    .is_none_or(|c| c.contains("4754"))
            })
            .filter_map(|s| {
                let c: String = s
                    .code
                    .as_deref()?
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                (!c.is_empty() && digits.starts_with(&c)).then_some((c.len(), s))
            })
            .max_by_key(|(len, _)| *len);
        if let Some((_, s)) = best {
            return Ok(Industry::Sector(s.id.clone()));
        }
        if let Some(s) = dataset.sectors.iter().find(|s| fold_key(&s.name) == name) {
            return Ok(Industry::Sector(s.id.clone()));
        }
        let id = format!("{}{digits}", letter.map(String::from).unwrap_or_default());
        let shown = if name.is_empty() { id.clone() } else { name };
        return Ok(Industry::New(id, shown, digits.clone()));
    }
    if let Some(s) = dataset.sectors.iter().find(|s| fold_key(&s.name) == name) {
        return Ok(Industry::Sector(s.id.clone()));
    }
    Err((
        format!(
            "industry `{}` is neither a GB/T 4754-2017 code nor the name of a sector of the workspace: \
             write its code in the cell (e.g. `C36`) or map it in the mapping file's [industries]",
            echo(text)
        ),
        suggest(&name, dataset.sectors.iter().map(|s| s.name.as_str())),
    ))
}

/// A role cell in English or Chinese.
pub fn role_of(text: &str) -> Option<EnterpriseRole> {
    let t = fold_key(text).to_lowercase();
    let t = t.trim_end_matches("企业");
    EnterpriseRole::parse(t).or(match t {
        "龙头" | "链主" | "链主龙头" => Some(EnterpriseRole::Leading),
        "专精特新" | "专精特新小巨人" => Some(EnterpriseRole::Specialised),
        "配套" => Some(EnterpriseRole::Supporting),
        _ => None,
    })
}

fn number(v: f64) -> String {
    crate::table::format_number(v)
}

/// The rows to add for `firms` to the workspace holding `dataset`.
pub fn plan(firms: &[Firm], dataset: &Dataset, map: &MapFile, country: Option<&str>) -> Plan {
    let mut out = Plan::default();
    let mut regions = Regions::new(dataset, map, country);
    let by_id: HashSet<&str> = dataset.enterprises.iter().map(|e| e.id.as_str()).collect();
    let by_name: HashMap<String, &str> = dataset
        .enterprises
        .iter()
        .map(|e| (fold_key(&e.name), e.id.as_str()))
        .collect();
    let mut new_sectors: BTreeMap<String, Row> = BTreeMap::new();
    for firm in firms {
        let code = firm.credit_code.as_str();
        if by_id.contains(code) {
            out.existing.push((code.to_owned(), code.to_owned()));
            continue;
        }
        if let Some(id) = by_name.get(&fold_key(&firm.name)) {
            out.existing.push((code.to_owned(), (*id).to_owned()));
            continue;
        }
        let sector = match firm
            .industry
            .as_deref()
            .map(|t| resolve_industry(t, dataset, map))
        {
            None => None,
            Some(Ok(Industry::Sector(id))) => Some(id),
            Some(Ok(Industry::New(id, name, digits))) => {
                new_sectors.entry(id.clone()).or_insert_with(|| {
                    Row::from([
                        ("id".to_owned(), id.clone()),
                        ("name".to_owned(), name),
                        ("code".to_owned(), digits),
                        ("classification".to_owned(), "GB/T 4754-2017".to_owned()),
                    ])
                });
                Some(id)
            }
            Some(Err((message, suggestion))) => {
                out.unmatched.push(at(
                    firm,
                    "industry",
                    format!("`{}`: {message}", echo(&firm.name)),
                    suggestion,
                ));
                continue;
            }
        };
        let role = match firm.role.as_deref().or(map.defaults.role.as_deref()) {
            None => EnterpriseRole::Supporting,
            Some(r) => match role_of(r) {
                Some(role) => role,
                None => {
                    out.unmatched.push(at(
                        firm,
                        "role",
                        format!(
                            "`{}`: unknown role `{}` (leading / specialised / supporting, or 龙头 / 专精特新 / 配套)",
                            echo(&firm.name),
                            echo(r)
                        ),
                        suggest(r, EnterpriseRole::NAMES),
                    ));
                    continue;
                }
            },
        };
        let division = divisions()
            .by_code(firm.division)
            .expect("a firm's division comes from the table");
        let region = regions.id(division);
        let mut row = Row::new();
        row.insert("id".into(), code.to_owned());
        row.insert("name".into(), firm.name.clone());
        row.insert("region".into(), region);
        row.insert("role".into(), role.as_str().to_owned());
        if let Some(s) = firm.stages.as_ref().or(map.defaults.stages.as_ref()) {
            row.insert("stages".into(), s.clone());
        }
        if let Some(s) = sector {
            row.insert("sector".into(), s);
        }
        if let Some(v) = firm.employees {
            row.insert("employees".into(), number(v));
        }
        if let Some(v) = firm.registered_capital {
            row.insert("registered_capital".into(), number(v));
        }
        if let Some(y) = firm.founded {
            row.insert("founded_year".into(), y.to_string());
        }
        out.enterprises.push(row);
    }
    out.regions = regions.added;
    out.sectors = new_sectors.into_values().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_codes_are_found_in_the_cell() {
        let code = |t: &str| industry_code(t).0;
        assert_eq!(
            code("C3670 汽车零部件及配件制造"),
            Some((Some('C'), "3670".into()))
        );
        assert_eq!(code("汽车制造业（C36）"), Some((Some('C'), "36".into())));
        assert_eq!(code("3670"), Some((None, "3670".into())));
        assert_eq!(code("制造业"), None);
        assert_eq!(industry_code("汽车制造业(C36)").1, "汽车制造业");
    }

    #[test]
    fn roles_in_both_languages() {
        assert_eq!(role_of("龙头企业"), Some(EnterpriseRole::Leading));
        assert_eq!(role_of("专精特新"), Some(EnterpriseRole::Specialised));
        assert_eq!(role_of("Supporting"), Some(EnterpriseRole::Supporting));
        assert_eq!(role_of("other"), None);
    }
}
