//! The indicator panel — one observed value per (region, chain, year, indicator) — and the
//! indicator registry: every indicator of Zhang (2024), Table 2-1, defined once.
//!
//! The registry ([`TABLE_2_1`]) holds each indicator's code, Chinese and English name,
//! dimension and sub-dimension, unit, direction, formula, the data fields it needs, how
//! ChainLens derives it (when it can) and the paper's weight. It lives in the model
//! because three rooms read it without depending on each other: the data layer's
//! validation (codes and units of the indicators table), the resilience engine (the
//! default indicator system is built from it) and the documentation
//! (`docs/indicators.md` is generated from it by [`registry_markdown`], and a test fails
//! when the file is stale).

use crate::problem::{echo, suggest};
use crate::{Problem, TableKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub region: String,
    /// The chain the value is about; `None`: it applies to every chain of the region.
    #[serde(default)]
    pub chain: Option<String>,
    pub year: i32,
    pub indicator: String,
    pub value: f64,
    pub source: Option<String>,
    /// The value was filled in rather than observed.
    pub imputed: bool,
}

/// Whether larger values of an indicator are better (`benefit`, "+") or worse (`cost`, "−").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    #[default]
    Benefit,
    Cost,
}

impl Direction {
    /// "+" or "−", as Table 2-1 writes it.
    pub fn sign(self) -> &'static str {
        match self {
            Direction::Benefit => "+",
            Direction::Cost => "−",
        }
    }
}

/// The unit of an indicator, and with it the values it can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A part of a whole, in [0, 1].
    Share,
    /// A non-negative ratio without an upper bound (a location quotient, a turnover).
    Ratio,
    /// Money (10⁴ CNY) per employee, non-negative.
    PerEmployee,
    /// A count per enterprise, non-negative.
    PerEnterprise,
    /// A duration in days, non-negative.
    Days,
    /// Any finite number (an indicator the registry does not know, unless configured).
    Any,
}

impl Unit {
    pub const NAMES: [&'static str; 6] = [
        "share",
        "ratio",
        "per-employee",
        "per-enterprise",
        "days",
        "any",
    ];

    /// How the unit is written in the documentation.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Share => "share in [0, 1]",
            Unit::Ratio => "ratio ≥ 0",
            Unit::PerEmployee => "10⁴ CNY per employee",
            Unit::PerEnterprise => "count per enterprise",
            Unit::Days => "days",
            Unit::Any => "any number",
        }
    }

    /// Why `value` is impossible for this unit, if it is.
    pub fn impossible(self, value: f64) -> Option<String> {
        if !value.is_finite() {
            return Some(format!("{value} is not a finite number"));
        }
        match self {
            Unit::Any => None,
            Unit::Share if !(0.0..=1.0).contains(&value) => Some(format!(
                "{value} is outside [0, 1], impossible for a share (a percentage? divide by 100)"
            )),
            _ if value < 0.0 => Some(format!(
                "{value} is negative, impossible for {}",
                self.label()
            )),
            _ => None,
        }
    }
}

/// How ChainLens computes an indicator from the workspace's own data instead of reading
/// it from the indicators table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Derivation {
    /// D111: local supporting enterprises / all supporting enterprises (supply network).
    LocalMatchingRate,
    /// D112: chain stages covered in the region / all stages (supply network).
    ChainCoverage,
    /// D121: regional output of the industry / national output (output data).
    IndustryConcentration,
    /// D122: location quotient (output data).
    LocationQuotient,
    /// D211: value added / output (enterprise years).
    AddedValueRate,
    /// D212: output / employees (enterprise years).
    LabourProductivity,
    /// D221: operating income / average total assets (enterprise years).
    CapitalTurnover,
    /// D222: output / capacity (enterprise years).
    EquipmentUtilisation,
    /// D311: R&D expenditure / operating income (enterprise years).
    RdIntensity,
    /// D312: invention patents / enterprises (enterprise years).
    PatentDensity,
}

/// A dimension or sub-dimension of the system: code and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Node {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// One indicator of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndicatorSpec {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub dimension: Node,
    pub subdimension: Node,
    pub unit: Unit,
    pub direction: Direction,
    /// The paper's formula (Table 2-1, "how computed").
    pub formula: &'static str,
    /// The workspace fields it is computed from (`table.field`).
    pub fields: &'static [&'static str],
    pub derivation: Option<Derivation>,
    /// The paper's global weight.
    pub weight: f64,
}

const B1: Node = Node {
    code: "B1",
    en: "structural",
    zh: "结构韧性",
};
const B2: Node = Node {
    code: "B2",
    en: "functional",
    zh: "功能韧性",
};
const B3: Node = Node {
    code: "B3",
    en: "evolutionary",
    zh: "演化韧性",
};
const C11: Node = Node {
    code: "C11",
    en: "chain integrity",
    zh: "产业链完整性",
};
const C12: Node = Node {
    code: "C12",
    en: "agglomeration",
    zh: "产业集聚",
};
const C21: Node = Node {
    code: "C21",
    en: "value creation",
    zh: "价值创造能力",
};
const C22: Node = Node {
    code: "C22",
    en: "allocation efficiency",
    zh: "资源配置效率",
};
const C31: Node = Node {
    code: "C31",
    en: "innovation",
    zh: "创新能力",
};
const C32: Node = Node {
    code: "C32",
    en: "adaptability",
    zh: "适应能力",
};

/// Zhang (2024), Table 2-1: 3 dimensions, 6 sub-dimensions, 12 indicators, weights
/// summing to 1.000. Chinese names are the usual statistical terms (the paper is in
/// English).
pub const TABLE_2_1: [IndicatorSpec; 12] = [
    IndicatorSpec {
        code: "D111",
        en: "local matching rate",
        zh: "本地配套率",
        dimension: B1,
        subdimension: C11,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "local supporting enterprises / all supporting enterprises (by purchase value when links carry values)",
        fields: &[
            "supply_links.supplier",
            "supply_links.buyer",
            "supply_links.value",
            "enterprises.region",
        ],
        derivation: Some(Derivation::LocalMatchingRate),
        weight: 0.086,
    },
    IndicatorSpec {
        code: "D112",
        en: "chain coverage rate",
        zh: "产业链覆盖率",
        dimension: B1,
        subdimension: C11,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "chain stages with an enterprise in the region / all stages of the chain",
        fields: &["chains.stages", "enterprises.stages", "enterprises.region"],
        derivation: Some(Derivation::ChainCoverage),
        weight: 0.092,
    },
    IndicatorSpec {
        code: "D121",
        en: "industry concentration",
        zh: "产业集中度",
        dimension: B1,
        subdimension: C12,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "output of the chain in the region / output of the chain in the country",
        fields: &[
            "enterprise_years.output",
            "enterprises.region",
            "enterprises.stages",
        ],
        derivation: Some(Derivation::IndustryConcentration),
        weight: 0.078,
    },
    IndicatorSpec {
        code: "D122",
        en: "specialisation (location quotient)",
        zh: "专业化水平（区位熵）",
        dimension: B1,
        subdimension: C12,
        unit: Unit::Ratio,
        direction: Direction::Benefit,
        formula: "(chain output in the region / all output in the region) / (chain output in the country / all output in the country)",
        fields: &[
            "enterprise_years.output",
            "enterprises.region",
            "enterprises.stages",
        ],
        derivation: Some(Derivation::LocationQuotient),
        weight: 0.084,
    },
    IndicatorSpec {
        code: "D211",
        en: "added-value rate",
        zh: "工业增加值率",
        dimension: B2,
        subdimension: C21,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "value added / output",
        fields: &["enterprise_years.value_added", "enterprise_years.output"],
        derivation: Some(Derivation::AddedValueRate),
        weight: 0.095,
    },
    IndicatorSpec {
        code: "D212",
        en: "labour productivity",
        zh: "劳动生产率",
        dimension: B2,
        subdimension: C21,
        unit: Unit::PerEmployee,
        direction: Direction::Benefit,
        formula: "output / employees",
        fields: &["enterprise_years.output", "enterprise_years.employees"],
        derivation: Some(Derivation::LabourProductivity),
        weight: 0.088,
    },
    IndicatorSpec {
        code: "D221",
        en: "capital turnover",
        zh: "资本周转率",
        dimension: B2,
        subdimension: C22,
        unit: Unit::Ratio,
        direction: Direction::Benefit,
        formula: "operating income / average total assets",
        fields: &[
            "enterprise_years.operating_income",
            "enterprise_years.total_assets",
        ],
        derivation: Some(Derivation::CapitalTurnover),
        weight: 0.082,
    },
    IndicatorSpec {
        code: "D222",
        en: "equipment utilisation",
        zh: "设备利用率",
        dimension: B2,
        subdimension: C22,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "actual output / designed capacity",
        fields: &["enterprise_years.output", "enterprise_years.capacity"],
        derivation: Some(Derivation::EquipmentUtilisation),
        weight: 0.079,
    },
    IndicatorSpec {
        code: "D311",
        en: "R&D intensity",
        zh: "研发投入强度",
        dimension: B3,
        subdimension: C31,
        unit: Unit::Share,
        direction: Direction::Benefit,
        formula: "R&D expenditure / operating income",
        fields: &[
            "enterprise_years.rd_expenditure",
            "enterprise_years.operating_income",
        ],
        derivation: Some(Derivation::RdIntensity),
        weight: 0.093,
    },
    IndicatorSpec {
        code: "D312",
        en: "invention patent density",
        zh: "发明专利密度",
        dimension: B3,
        subdimension: C31,
        unit: Unit::PerEnterprise,
        direction: Direction::Benefit,
        formula: "invention patents / enterprises",
        fields: &["enterprise_years.invention_patents"],
        derivation: Some(Derivation::PatentDensity),
        weight: 0.087,
    },
    IndicatorSpec {
        code: "D321",
        en: "market response speed (development cycle)",
        zh: "市场响应速度（新产品开发周期）",
        dimension: B3,
        subdimension: C32,
        unit: Unit::Days,
        direction: Direction::Cost,
        formula: "new product development cycle (mean over enterprises)",
        fields: &["enterprises.dev_cycle_days"],
        derivation: None,
        weight: 0.071,
    },
    IndicatorSpec {
        code: "D322",
        en: "supply-chain adjustment (switch time)",
        zh: "供应链调整能力（供应商切换完成时间）",
        dimension: B3,
        subdimension: C32,
        unit: Unit::Days,
        direction: Direction::Cost,
        formula: "time to complete a supplier switch (mean over enterprises)",
        fields: &["enterprises.switch_days"],
        derivation: None,
        weight: 0.065,
    },
];

/// The registry's entry for `code` (exact, case-sensitive).
pub fn spec(code: &str) -> Option<&'static IndicatorSpec> {
    TABLE_2_1.iter().find(|s| s.code == code)
}

/// Whether `code` is written like a Table 2-1 code: `D` and three digits, in any case.
pub fn looks_like_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 4 && b[0].eq_ignore_ascii_case(&b'd') && b[1..].iter().all(u8::is_ascii_digit)
}

/// Problems of the indicators table against an indicator system, given as each
/// indicator's panel column and unit:
///
/// * an **unknown code**: a name that is not a column of the system but is written like a
///   Table 2-1 code (`D` and three digits, any case) or is a near miss of a column
///   (`d111` → `D111`). Other names (monitoring series such as `capital_turnover`,
///   regression drivers) are other series of the panel and pass. Each distinct unknown
///   code is reported once, at its first row, with how many rows repeat it;
/// * a value **impossible for the unit** (a share above 1, a negative count), each row.
///
/// Years out of range and duplicate rows are [`crate::validate`]'s. O(rows + columns).
pub fn check_indicators(values: &[IndicatorValue], system: &[(&str, Unit)]) -> Vec<Problem> {
    let units: HashMap<&str, Unit> = system.iter().copied().collect();
    let mut problems = Vec::new();
    let mut unknown: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut order = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let name = v.indicator.as_str();
        match units.get(name) {
            Some(unit) => {
                if let Some(why) = unit.impossible(v.value) {
                    problems.push(Problem::new(
                        TableKind::Indicators,
                        i,
                        "value",
                        format!("`{}`: {why}", echo(name)),
                    ));
                }
            }
            None => {
                let entry = unknown.entry(name).or_insert_with(|| {
                    order.push(name);
                    (i, 0)
                });
                entry.1 += 1;
            }
        }
    }
    for name in order {
        let (first, rows) = unknown[name];
        let suggestion = suggest(name, system.iter().map(|(c, _)| *c));
        if suggestion.is_none() && !looks_like_code(name) {
            continue;
        }
        let more = if rows > 1 {
            format!(" (and {} more rows)", rows - 1)
        } else {
            String::new()
        };
        problems.push(
            Problem::new(
                TableKind::Indicators,
                first,
                "indicator",
                format!(
                    "`{}` is not an indicator of the system ({}){more}",
                    echo(name),
                    system
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_suggestion(suggestion),
        );
    }
    problems
}

/// `docs/indicators.md`: the registry as a document.
pub fn registry_markdown() -> String {
    let mut s = String::new();
    s.push_str(
        "# Indicators\n\n\
         <!-- Generated from crates/chainlens-model/src/indicator.rs (TABLE_2_1); do not edit.\n     \
         Regenerate: CHAINLENS_UPDATE_DOCS=1 cargo test -p chainlens-model registry_doc -->\n\n\
         The default indicator system of the resilience index: Zhang (2024), *Study how to \
         enhance and restructure the resilience of regional industrial chains*, Table 2-1. \
         Three dimensions, six sub-dimensions, twelve indicators; the weights are the \
         paper's and sum to 1.000. `[resilience]` in chainlens.toml may change the system \
         (see docs/workspace-format.md); an indicator of a configured system with one of \
         these codes takes its unit from here unless it sets `unit`.\n\n\
         Direction: `+` larger is better (benefit), `−` smaller is better (cost). \
         Derived: ChainLens computes the value from the workspace's own data (`derive = …` \
         in the system); otherwise the value is read from the indicators table.\n\n",
    );
    s.push_str(
        "| code | indicator | 指标 | dimension | sub-dimension | unit | dir. | weight | formula | fields | derived |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for i in &TABLE_2_1 {
        let derived = match i.derivation {
            Some(d) => format!("`{}`", derivation_name(d)),
            None => "—".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} {} ({}) | {} {} ({}) | {} | {} | {:.3} | {} | {} | {} |",
            i.code,
            i.en,
            i.zh,
            i.dimension.code,
            i.dimension.en,
            i.dimension.zh,
            i.subdimension.code,
            i.subdimension.en,
            i.subdimension.zh,
            i.unit.label(),
            i.direction.sign(),
            i.weight,
            i.formula,
            i.fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", "),
            derived,
        );
    }
    s.push_str(
        "\n## Units and what `chainlens validate` refuses\n\n\
         | unit | values allowed |\n|---|---|\n",
    );
    for (name, unit) in Unit::NAMES.iter().zip([
        Unit::Share,
        Unit::Ratio,
        Unit::PerEmployee,
        Unit::PerEnterprise,
        Unit::Days,
        Unit::Any,
    ]) {
        let allowed = match unit {
            Unit::Share => "0 ≤ x ≤ 1",
            Unit::Any => "any finite number",
            _ => "x ≥ 0",
        };
        let _ = writeln!(s, "| `{name}` ({}) | {allowed} |", unit.label());
    }
    s
}

fn derivation_name(d: Derivation) -> &'static str {
    match d {
        Derivation::LocalMatchingRate => "local-matching-rate",
        Derivation::ChainCoverage => "chain-coverage",
        Derivation::IndustryConcentration => "industry-concentration",
        Derivation::LocationQuotient => "location-quotient",
        Derivation::AddedValueRate => "added-value-rate",
        Derivation::LabourProductivity => "labour-productivity",
        Derivation::CapitalTurnover => "capital-turnover",
        Derivation::EquipmentUtilisation => "equipment-utilisation",
        Derivation::RdIntensity => "rd-intensity",
        Derivation::PatentDensity => "patent-density",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_2_1_weights_sum_to_one_by_dimension() {
        let sum = |d: &str| -> f64 {
            TABLE_2_1
                .iter()
                .filter(|i| i.dimension.code == d)
                .map(|i| i.weight)
                .sum()
        };
        assert!((sum("B1") - 0.340).abs() < 1e-12);
        assert!((sum("B2") - 0.344).abs() < 1e-12);
        assert!((sum("B3") - 0.316).abs() < 1e-12);
        assert!(TABLE_2_1.iter().all(|i| looks_like_code(i.code)));
        assert!(looks_like_code("d111") && !looks_like_code("D11") && !looks_like_code("demand"));
    }

    #[test]
    fn units_refuse_impossible_values() {
        assert!(Unit::Share.impossible(1.0).is_none());
        assert!(
            Unit::Share
                .impossible(1.2)
                .unwrap()
                .contains("outside [0, 1]")
        );
        assert!(Unit::Share.impossible(-0.1).is_some());
        assert!(Unit::Ratio.impossible(3.5).is_none());
        assert!(Unit::Days.impossible(-1.0).unwrap().contains("negative"));
        assert!(Unit::Any.impossible(-1e9).is_none());
        assert!(Unit::Any.impossible(f64::NAN).is_some());
    }

    fn v(indicator: &str, value: f64) -> IndicatorValue {
        IndicatorValue {
            region: "hz".into(),
            chain: None,
            year: 2020,
            indicator: indicator.into(),
            value,
            source: None,
            imputed: false,
        }
    }

    #[test]
    fn unknown_codes_and_impossible_values_are_problems() {
        let system: Vec<(&str, Unit)> = TABLE_2_1.iter().map(|s| (s.code, s.unit)).collect();
        let values = vec![
            v("D111", 0.5),
            v("d111", 0.5),
            v("D999", 1.0),
            v("capital_turnover", 2.0),
            v("D111", 1.2),
            v("d111", 0.4),
            v("D321", -3.0),
            v("D122", 2.4),
        ];
        let p = check_indicators(&values, &system);
        let shown: Vec<(usize, &str, Option<&str>)> = p
            .iter()
            .map(|p| (p.record, p.field.as_str(), p.suggestion.as_deref()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (4, "value", None),
                (6, "value", None),
                (1, "indicator", Some("D111")),
                (2, "indicator", None),
            ]
        );
        assert!(p[0].message.contains("1.2 is outside [0, 1]"), "{}", p[0]);
        assert!(p[2].message.contains("(and 1 more rows)"), "{}", p[2]);
    }

    #[test]
    fn derivation_names_are_the_serde_names() {
        for i in &TABLE_2_1 {
            if let Some(d) = i.derivation {
                let json = format!("\"{}\"", derivation_name(d));
                let back: Derivation = serde_json::from_str(&json).unwrap();
                assert_eq!(back, d);
            }
        }
    }

    /// docs/indicators.md is the registry as generated; stale when this fails.
    #[test]
    fn registry_doc_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/indicators.md");
        let expected = registry_markdown();
        if std::env::var("CHAINLENS_UPDATE_DOCS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/indicators.md is stale: regenerate with \
             CHAINLENS_UPDATE_DOCS=1 cargo test -p chainlens-model registry_doc"
        );
    }
}
