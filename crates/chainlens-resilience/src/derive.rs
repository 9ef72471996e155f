//! Indicators derived from enterprises' yearly figures (the workspace's `enterprise_years`
//! table), per regional chain and year — Zhang (2024), Table 2-1, computed from the data
//! instead of typed in (issue 16). The supply-network indicators D111/D112 are the
//! pipeline's (chainlens-network measures them).
//!
//! A regional chain (r, c) in year y gathers the enterprises located in r or in a region
//! below it that serve a stage of c and report figures for y (an enterprise serving several
//! chains belongs to each). Each ratio sums over the enterprises that report both of its
//! figures, and is undefined when none does or the denominator is 0:
//!
//! | code | formula |
//! |---|---|
//! | D121 | Σ output of (r, c) / Σ output of c in the country |
//! | D122 | [Σ output of (r, c) / Σ output in r] / [Σ output of c in the country / Σ output in the country] |
//! | D211 | Σ value added / Σ output |
//! | D212 | Σ output / Σ employees |
//! | D221 | Σ operating income / Σ average total assets (mean of y and y − 1 when the enterprise reports both, else y's) |
//! | D222 | Σ output / Σ capacity |
//! | D311 | Σ R&D expenditure / Σ operating income |
//! | D312 | Σ invention patents / number of enterprises reporting patents |
//!
//! "The country" is every enterprise whose region lies in the workspace's country (all
//! enterprises when it names none); enterprises outside it are left out altogether.
//! "Output in r" counts every enterprise of r once. The
//! value for a region as a whole (a unit without a chain) is the mean over the chains
//! present in the region of their values where defined, as for D111/D112.
//!
//! O(enterprise years × chains per enterprise × region depth).

use crate::panel::DerivedValues;
use crate::system::Derivation;
use chainlens_model::{Dataset, EnterpriseYear};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Sums of one group of enterprise years.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    /// (numerator, denominator) per ratio, over enterprises reporting both.
    added_value: (f64, f64),
    productivity: (f64, f64),
    turnover: (f64, f64),
    utilisation: (f64, f64),
    rd: (f64, f64),
    patents: (f64, f64),
    output: f64,
}

fn both(acc: &mut (f64, f64), a: Option<f64>, b: Option<f64>) {
    if let (Some(a), Some(b)) = (a, b) {
        acc.0 += a;
        acc.1 += b;
    }
}

impl Sums {
    fn add(&mut self, y: &EnterpriseYear, average_assets: Option<f64>) {
        both(&mut self.added_value, y.value_added, y.output);
        both(&mut self.productivity, y.output, y.employees);
        both(&mut self.turnover, y.operating_income, average_assets);
        both(&mut self.utilisation, y.output, y.capacity);
        both(&mut self.rd, y.rd_expenditure, y.operating_income);
        both(
            &mut self.patents,
            y.invention_patents,
            y.invention_patents.map(|_| 1.0),
        );
        self.output += y.output.unwrap_or(0.0);
    }
}

fn ratio((a, b): (f64, f64)) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// The derivations this module computes.
pub const FROM_ENTERPRISE_YEARS: [Derivation; 8] = [
    Derivation::IndustryConcentration,
    Derivation::LocationQuotient,
    Derivation::AddedValueRate,
    Derivation::LabourProductivity,
    Derivation::CapitalTurnover,
    Derivation::EquipmentUtilisation,
    Derivation::RdIntensity,
    Derivation::PatentDensity,
];

/// Every derivation of [`FROM_ENTERPRISE_YEARS`] for every region with enterprises, chain
/// and year of `data.enterprise_years`, plus the regions as wholes. `country`: the region
/// id whose enterprises make the national totals (`None`: all enterprises).
pub fn enterprise_derivations(data: &Dataset, country: Option<&str>) -> DerivedValues {
    let parent: HashMap<&str, Option<&str>> = data
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.parent.as_deref()))
        .collect();
    // The region and the regions above it, nearest first (a cycle is cut).
    let lineage = |region: &str| -> Vec<String> {
        let mut out = vec![region.to_owned()];
        let mut at = region;
        while let Some(Some(p)) = parent.get(at) {
            if out.iter().any(|o| o == p) {
                break;
            }
            out.push((*p).to_owned());
            at = p;
        }
        out
    };
    let enterprises: HashMap<&str, (Vec<String>, BTreeSet<&str>)> = data
        .enterprises
        .iter()
        .map(|e| {
            let chains = e.stages.iter().map(|s| s.chain.as_str()).collect();
            (e.id.as_str(), (lineage(&e.region), chains))
        })
        .collect();
    let assets: HashMap<(&str, i32), f64> = data
        .enterprise_years
        .iter()
        .filter_map(|y| Some(((y.enterprise.as_str(), y.year), y.total_assets?)))
        .collect();
    // (region, chain) → year → sums; chain "" = every enterprise of the region.
    let mut groups: BTreeMap<(String, String), BTreeMap<i32, Sums>> = BTreeMap::new();
    let mut national: BTreeMap<(String, i32), f64> = BTreeMap::new();
    for y in &data.enterprise_years {
        let Some((regions, chains)) = enterprises.get(y.enterprise.as_str()) else {
            continue;
        };
        let average =
            y.total_assets.map(
                |now| match assets.get(&(y.enterprise.as_str(), y.year - 1)) {
                    Some(before) => (now + before) / 2.0,
                    None => now,
                },
            );
        if country.is_some_and(|c| !regions.iter().any(|r| r == c)) {
            continue; // abroad: neither a unit nor part of the national totals
        }
        for chain in chains.iter().copied().chain([""]) {
            *national.entry((chain.to_owned(), y.year)).or_default() += y.output.unwrap_or(0.0);
            for region in regions {
                groups
                    .entry((region.clone(), chain.to_owned()))
                    .or_default()
                    .entry(y.year)
                    .or_default()
                    .add(y, average);
            }
        }
    }
    let mut derived = DerivedValues::default();
    let mut per_region: BTreeMap<(Derivation, String, i32), Vec<f64>> = BTreeMap::new();
    for ((region, chain), years) in &groups {
        if chain.is_empty() {
            continue;
        }
        for (&year, s) in years {
            let all = groups[&(region.clone(), String::new())][&year];
            let national_chain = national.get(&(chain.clone(), year)).copied().unwrap_or(0.0);
            let national_all = national.get(&(String::new(), year)).copied().unwrap_or(0.0);
            let share = ratio((s.output, national_chain));
            let lq = match (
                ratio((s.output, all.output)),
                ratio((national_chain, national_all)),
            ) {
                (Some(a), Some(b)) if b > 0.0 => Some(a / b),
                _ => None,
            };
            for (d, x) in [
                (Derivation::IndustryConcentration, share),
                (Derivation::LocationQuotient, lq),
                (Derivation::AddedValueRate, ratio(s.added_value)),
                (Derivation::LabourProductivity, ratio(s.productivity)),
                (Derivation::CapitalTurnover, ratio(s.turnover)),
                (Derivation::EquipmentUtilisation, ratio(s.utilisation)),
                (Derivation::RdIntensity, ratio(s.rd)),
                (Derivation::PatentDensity, ratio(s.patents)),
            ] {
                if let Some(x) = x {
                    derived
                        .0
                        .insert((d, region.clone(), Some(chain.clone()), year), x);
                    per_region
                        .entry((d, region.clone(), year))
                        .or_default()
                        .push(x);
                }
            }
        }
    }
    for ((d, region, year), xs) in per_region {
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        derived.0.insert((d, region, None, year), mean);
    }
    derived
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainlens_model::{Enterprise, EnterpriseRole, Region, RegionLevel, StageRef};

    fn region(id: &str, parent: Option<&str>) -> Region {
        Region {
            id: id.into(),
            name: id.into(),
            level: RegionLevel::City,
            parent: parent.map(Into::into),
            group: None,
            neighbours: vec![],
            latitude: None,
            longitude: None,
        }
    }

    fn enterprise(id: &str, region: &str, chains: &[&str]) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            sector: None,
            stages: chains
                .iter()
                .map(|c| StageRef {
                    chain: (*c).into(),
                    stage: "s".into(),
                })
                .collect(),
            role: EnterpriseRole::Supporting,
            capacity: None,
            output: None,
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: None,
            attributes: BTreeMap::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn year(
        enterprise: &str,
        year: i32,
        output: f64,
        value_added: f64,
        employees: f64,
        income: f64,
        assets: f64,
        capacity: f64,
        rd: f64,
        patents: f64,
    ) -> EnterpriseYear {
        EnterpriseYear {
            enterprise: enterprise.into(),
            year,
            output: Some(output),
            value_added: Some(value_added),
            employees: Some(employees),
            operating_income: Some(income),
            total_assets: Some(assets),
            capacity: Some(capacity),
            rd_expenditure: Some(rd),
            invention_patents: Some(patents),
        }
    }

    /// Two cities of one country and a firm abroad; `a` and `b` serve nev in hz, `c`
    /// serves nev and optical in nb, `d` (abroad) serves nev.
    fn data() -> Dataset {
        Dataset {
            regions: vec![
                region("cn", None),
                region("hz", Some("cn")),
                region("nb", Some("cn")),
                region("abroad", None),
            ],
            enterprises: vec![
                enterprise("a", "hz", &["nev"]),
                enterprise("b", "hz", &["nev"]),
                enterprise("c", "nb", &["nev", "optical"]),
                enterprise("d", "abroad", &["nev"]),
            ],
            enterprise_years: vec![
                year("a", 2020, 100.0, 30.0, 10.0, 90.0, 200.0, 125.0, 4.5, 3.0),
                year("b", 2020, 60.0, 12.0, 5.0, 50.0, 100.0, 80.0, 1.5, 1.0),
                year("c", 2020, 40.0, 10.0, 8.0, 40.0, 80.0, 50.0, 2.0, 6.0),
                year("d", 2020, 1000.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
                year("a", 2021, 120.0, 30.0, 12.0, 110.0, 240.0, 150.0, 5.5, 4.0),
            ],
            ..Dataset::default()
        }
    }

    #[test]
    fn each_indicator_by_hand() {
        let d = enterprise_derivations(&data(), Some("cn"));
        let get = |dv: Derivation, region: &str, chain: Option<&str>, year: i32| {
            d.0[&(dv, region.to_owned(), chain.map(str::to_owned), year)]
        };
        let hz = |dv| get(dv, "hz", Some("nev"), 2020);
        // nev in hz 2020: a + b. Output 160 of the country's nev output 100+60+40 = 200
        // (d is abroad).
        assert_eq!(hz(Derivation::IndustryConcentration), 160.0 / 200.0);
        // LQ: (160 / 160 all output in hz) / (200 nev / 200 all in the country) = 1.
        assert_eq!(hz(Derivation::LocationQuotient), 1.0);
        assert_eq!(hz(Derivation::AddedValueRate), (30.0 + 12.0) / 160.0);
        assert_eq!(hz(Derivation::LabourProductivity), 160.0 / 15.0);
        // No 2019 figures: the average assets are 2020's.
        assert_eq!(hz(Derivation::CapitalTurnover), 140.0 / 300.0);
        assert_eq!(hz(Derivation::EquipmentUtilisation), 160.0 / 205.0);
        assert_eq!(hz(Derivation::RdIntensity), 6.0 / 140.0);
        assert_eq!(hz(Derivation::PatentDensity), 4.0 / 2.0);
        // optical in nb 2020: c alone; 40 of the country's optical output 40; LQ
        // (40 / 40) / (40 / 200) = 5.
        assert_eq!(
            get(
                Derivation::IndustryConcentration,
                "nb",
                Some("optical"),
                2020
            ),
            1.0
        );
        assert_eq!(
            get(Derivation::LocationQuotient, "nb", Some("optical"), 2020),
            5.0
        );
        // nb as a whole: mean over its chains nev (40/200 = 0.2) and optical (1.0).
        assert_eq!(
            get(Derivation::IndustryConcentration, "nb", None, 2020),
            0.6
        );
        // A city's enterprises count for the country above it too.
        assert_eq!(
            get(Derivation::IndustryConcentration, "cn", Some("nev"), 2020),
            1.0
        );
        // 2021: a alone; average assets (240 + 200) / 2 = 220; a is all of nev's output.
        assert_eq!(
            get(Derivation::CapitalTurnover, "hz", Some("nev"), 2021),
            110.0 / 220.0
        );
        assert_eq!(
            get(Derivation::IndustryConcentration, "hz", Some("nev"), 2021),
            1.0
        );
        // Abroad is outside the country: no unit, no part of the totals.
        assert!(d.0.keys().all(|(_, region, _, _)| region != "abroad"));
    }
}
