//! A whole workspace's data in memory, and [`validate`], which reports every problem at
//! once: duplicate ids, unknown references (with a near-miss suggestion), self-supply,
//! negative or non-finite quantities, shares that exceed one, cyclic stage graphs, years
//! out of range.
//!
//! Unknown references are reported per kind (table and field): the first
//! [`REPEATS_SHOWN`] with their suggestion, then one "and K more like this" problem, so a
//! file with thousands of the same mistake stays readable and the suggestion search (which
//! scans the known ids) runs at most `REPEATS_SHOWN` times per kind and once per distinct
//! unknown value: validation stays linear in the number of records.

use crate::problem::{echo, suggest};
use crate::{
    Chain, Enterprise, EnterpriseYear, IndicatorValue, Problem, Region, Risk, Sector, SupplyLink,
    TableKind,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Everything a workspace holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub regions: Vec<Region>,
    pub sectors: Vec<Sector>,
    pub chains: Vec<Chain>,
    pub enterprises: Vec<Enterprise>,
    /// Yearly figures of the enterprises (empty: none given).
    #[serde(default)]
    pub enterprise_years: Vec<EnterpriseYear>,
    pub supply_links: Vec<SupplyLink>,
    pub indicators: Vec<IndicatorValue>,
    pub risks: Vec<Risk>,
}

/// Years an indicator value may carry when the workspace sets no range.
pub const DEFAULT_YEARS: (i32, i32) = (1949, 2100);

impl Dataset {
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    pub fn chain(&self, id: &str) -> Option<&Chain> {
        self.chains.iter().find(|c| c.id == id)
    }

    pub fn stage_count(&self) -> usize {
        self.chains.iter().map(|c| c.stages.len()).sum()
    }

    /// Distinct indicator names, sorted.
    pub fn indicator_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .indicators
            .iter()
            .map(|v| v.indicator.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Every problem in `data`, in table order. `years` bounds indicator years (inclusive).
pub fn validate(data: &Dataset, years: (i32, i32)) -> Vec<Problem> {
    let mut v = Validator::default();
    let regions = v.unique_ids(
        TableKind::Regions,
        data.regions.iter().map(|r| r.id.as_str()),
    );
    let sectors = v.unique_ids(
        TableKind::Sectors,
        data.sectors.iter().map(|s| s.id.as_str()),
    );
    let chains = v.unique_ids(TableKind::Chains, data.chains.iter().map(|c| c.id.as_str()));
    let enterprises = v.unique_ids(
        TableKind::Enterprises,
        data.enterprises.iter().map(|e| e.id.as_str()),
    );
    v.unique_ids(TableKind::Risks, data.risks.iter().map(|r| r.id.as_str()));

    v.regions(data, &regions);
    v.chains(data);
    v.enterprises(data, &regions, &sectors, &chains);
    v.enterprise_years(data, &enterprises, years);
    v.supply_links(data, &enterprises, &chains);
    v.indicators(data, &regions, &chains, years);
    v.risks(data);
    v.finish()
}

/// How many unknown references of one kind (table and field) are reported one by one.
pub const REPEATS_SHOWN: usize = 20;

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    /// Unknown references per kind: how many, the position after the last one reported,
    /// and the first record left out.
    repeats: HashMap<(TableKind, String), Repeats>,
    /// Suggestions already looked up, by what was wanted and the unknown value.
    suggestions: HashMap<(String, String), Option<String>>,
}

#[derive(Default)]
struct Repeats {
    count: usize,
    insert_at: usize,
    first_left_out: usize,
    what: String,
}

type Ids<'a> = HashMap<&'a str, usize>;
/// A supply link's identity: supplier, buyer, chain, stage.
type LinkKey<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);
/// A buyer's input category: buyer, chain, stage.
type InputKey<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

impl Validator {
    fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// The problems, each capped kind followed by its "and K more like this".
    fn finish(mut self) -> Vec<Problem> {
        let mut summaries: Vec<(usize, Problem)> = self
            .repeats
            .into_iter()
            .filter(|(_, r)| r.count > REPEATS_SHOWN)
            .map(|((table, field), r)| {
                let more = r.count - REPEATS_SHOWN;
                let message = format!("and {more} more unknown {} ids like this", r.what);
                (
                    r.insert_at,
                    Problem::new(table, r.first_left_out, &field, message),
                )
            })
            .collect();
        // From the back, so that earlier positions stay valid (each kind has its own).
        summaries.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        for (at, p) in summaries {
            self.problems.insert(at, p);
        }
        self.problems
    }

    fn unique_ids<'a>(&mut self, table: TableKind, ids: impl Iterator<Item = &'a str>) -> Ids<'a> {
        let mut seen: Ids<'a> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.push(Problem::new(table, i, "id", "id is empty"));
            } else if let Some(first) = seen.get(id) {
                self.push(Problem::new(
                    table,
                    i,
                    "id",
                    format!(
                        "duplicate id `{}` (first used by record {})",
                        echo(id),
                        first + 1
                    ),
                ));
            } else {
                seen.insert(id, i);
            }
        }
        seen
    }

    fn reference(
        &mut self,
        table: TableKind,
        i: usize,
        field: &str,
        id: &str,
        known: &Ids,
        what: &str,
    ) {
        if known.contains_key(id) {
            return;
        }
        let repeats = self.repeats.entry((table, field.to_owned())).or_default();
        repeats.count += 1;
        if repeats.count > REPEATS_SHOWN {
            if repeats.count == REPEATS_SHOWN + 1 {
                repeats.first_left_out = i;
            }
            return;
        }
        repeats.insert_at = self.problems.len() + 1;
        repeats.what = what.to_owned();
        let suggestion = self
            .suggestions
            .entry((what.to_owned(), id.to_owned()))
            .or_insert_with(|| suggest(id, known.keys().copied()))
            .clone();
        self.push(
            Problem::new(
                table,
                i,
                field,
                format!("unknown {what} `{id}`", id = echo(id)),
            )
            .with_suggestion(suggestion),
        );
    }

    fn quantity(&mut self, table: TableKind, i: usize, field: &str, value: Option<f64>) {
        if let Some(x) = value {
            if !x.is_finite() {
                self.push(Problem::new(
                    table,
                    i,
                    field,
                    format!("{x} is not a finite number"),
                ));
            } else if x < 0.0 {
                self.push(Problem::new(table, i, field, format!("{x} is negative")));
            }
        }
    }

    fn unit_interval(&mut self, table: TableKind, i: usize, field: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.push(Problem::new(
                table,
                i,
                field,
                format!("{value} is outside [0, 1]"),
            ));
        }
    }

    fn regions(&mut self, data: &Dataset, ids: &Ids) {
        let t = TableKind::Regions;
        for (i, r) in data.regions.iter().enumerate() {
            if let Some(parent) = &r.parent {
                if parent == &r.id {
                    self.push(Problem::new(
                        t,
                        i,
                        "parent",
                        "a region cannot be its own parent",
                    ));
                } else if let Some(&p) = ids.get(parent.as_str()) {
                    let pl = data.regions[p].level;
                    if pl.depth() >= r.level.depth() {
                        self.push(Problem::new(
                            t,
                            i,
                            "parent",
                            format!(
                                "parent `{}` is a {} and cannot contain a {}",
                                echo(parent),
                                pl.as_str(),
                                r.level.as_str()
                            ),
                        ));
                    }
                } else {
                    self.reference(t, i, "parent", parent, ids, "region");
                }
            }
            for n in &r.neighbours {
                self.reference(t, i, "neighbours", n, ids, "region");
            }
            if let Some(lat) = r.latitude
                && !(-90.0..=90.0).contains(&lat)
            {
                self.push(Problem::new(
                    t,
                    i,
                    "latitude",
                    format!("{lat} is outside [-90, 90]"),
                ));
            }
            if let Some(lon) = r.longitude
                && !(-180.0..=180.0).contains(&lon)
            {
                self.push(Problem::new(
                    t,
                    i,
                    "longitude",
                    format!("{lon} is outside [-180, 180]"),
                ));
            }
        }
    }

    fn chains(&mut self, data: &Dataset) {
        let t = TableKind::Stages;
        let mut offset = 0;
        for chain in &data.chains {
            let ids = self.unique_ids_at(t, offset, chain.stages.iter().map(|s| s.id.as_str()));
            for (k, stage) in chain.stages.iter().enumerate() {
                for input in &stage.inputs {
                    if input.stage == stage.id {
                        self.push(Problem::new(
                            t,
                            offset + k,
                            "inputs",
                            format!("stage `{}` lists itself as an input", echo(&stage.id)),
                        ));
                    } else {
                        self.reference(
                            t,
                            offset + k,
                            "inputs",
                            &input.stage,
                            &ids,
                            &format!("stage of chain `{}`", echo(&chain.id)),
                        );
                    }
                }
            }
            if let Err(cycle) = chain.topological_order() {
                let names: Vec<&str> = cycle.iter().map(|&k| chain.stages[k].id.as_str()).collect();
                // Self-loops are reported above; report a longer cycle once, at its first stage.
                if names.len() > 1
                    || !chain.stages[cycle[0]]
                        .inputs
                        .iter()
                        .any(|i| i.stage == names[0])
                {
                    self.push(Problem::new(
                        t,
                        offset + cycle[0],
                        "inputs",
                        format!(
                            "the inputs of chain `{}` form a cycle through stages {}",
                            echo(&chain.id),
                            names.join(", ")
                        ),
                    ));
                }
            }
            offset += chain.stages.len();
        }
    }

    fn unique_ids_at<'a>(
        &mut self,
        table: TableKind,
        offset: usize,
        ids: impl Iterator<Item = &'a str>,
    ) -> Ids<'a> {
        let before = self.problems.len();
        let seen = self.unique_ids(table, ids);
        for p in &mut self.problems[before..] {
            p.record += offset;
        }
        seen
    }

    fn enterprises(&mut self, data: &Dataset, regions: &Ids, sectors: &Ids, chains: &Ids) {
        let t = TableKind::Enterprises;
        for (i, e) in data.enterprises.iter().enumerate() {
            self.reference(t, i, "region", &e.region, regions, "region");
            if let Some(s) = &e.sector {
                self.reference(t, i, "sector", s, sectors, "sector");
            }
            for sr in &e.stages {
                match chains.get(sr.chain.as_str()) {
                    None => self.reference(t, i, "stages", &sr.chain, chains, "chain"),
                    Some(&c) => {
                        let chain = &data.chains[c];
                        if chain.stage(&sr.stage).is_none() {
                            self.push(
                                Problem::new(
                                    t,
                                    i,
                                    "stages",
                                    format!(
                                        "chain `{}` has no stage `{}`",
                                        echo(&chain.id),
                                        echo(&sr.stage)
                                    ),
                                )
                                .with_suggestion(
                                    suggest(&sr.stage, chain.stages.iter().map(|s| s.id.as_str()))
                                        .map(|s| format!("{}/{s}", chain.id)),
                                ),
                            );
                        }
                    }
                }
            }
            for (field, value) in [
                ("capacity", e.capacity),
                ("output", e.output),
                ("employees", e.employees),
                ("total_assets", e.total_assets),
                ("operating_income", e.operating_income),
                ("rd_expenditure", e.rd_expenditure),
                ("invention_patents", e.invention_patents),
                ("cash", e.cash),
            ] {
                self.quantity(t, i, field, value);
            }
            for (field, &value) in &e.attributes {
                if !value.is_finite() {
                    self.push(Problem::new(
                        t,
                        i,
                        field,
                        format!("{value} is not a finite number"),
                    ));
                }
            }
        }
    }

    fn enterprise_years(&mut self, data: &Dataset, enterprises: &Ids, years: (i32, i32)) {
        let t = TableKind::EnterpriseYears;
        let mut seen: HashSet<(&str, i32)> = HashSet::new();
        for (i, y) in data.enterprise_years.iter().enumerate() {
            self.reference(t, i, "enterprise", &y.enterprise, enterprises, "enterprise");
            if y.year < years.0 || y.year > years.1 {
                self.push(Problem::new(
                    t,
                    i,
                    "year",
                    format!("year {} is outside {}–{}", y.year, years.0, years.1),
                ));
            }
            if !seen.insert((&y.enterprise, y.year)) {
                self.push(Problem::new(
                    t,
                    i,
                    "year",
                    format!("`{}` in {} is given twice", echo(&y.enterprise), y.year),
                ));
            }
            for (field, value) in [
                ("output", y.output),
                ("value_added", y.value_added),
                ("employees", y.employees),
                ("operating_income", y.operating_income),
                ("total_assets", y.total_assets),
                ("capacity", y.capacity),
                ("rd_expenditure", y.rd_expenditure),
                ("invention_patents", y.invention_patents),
            ] {
                self.quantity(t, i, field, value);
            }
        }
    }

    fn supply_links(&mut self, data: &Dataset, enterprises: &Ids, chains: &Ids) {
        let t = TableKind::SupplyLinks;
        let mut seen: HashMap<LinkKey, usize> = HashMap::new();
        let mut shares: BTreeMap<InputKey, (f64, usize)> = BTreeMap::new();
        for (i, l) in data.supply_links.iter().enumerate() {
            self.reference(t, i, "supplier", &l.supplier, enterprises, "enterprise");
            self.reference(t, i, "buyer", &l.buyer, enterprises, "enterprise");
            if l.supplier == l.buyer {
                self.push(Problem::new(
                    t,
                    i,
                    "buyer",
                    format!("`{}` supplies itself", echo(&l.buyer)),
                ));
            }
            match (&l.chain, &l.stage) {
                (Some(c), Some(s)) => match chains.get(c.as_str()) {
                    None => self.reference(t, i, "chain", c, chains, "chain"),
                    Some(&ci) => {
                        let chain = &data.chains[ci];
                        if chain.stage(s).is_none() {
                            self.push(
                                Problem::new(
                                    t,
                                    i,
                                    "stage",
                                    format!(
                                        "chain `{c}` has no stage `{s}`",
                                        c = echo(c),
                                        s = echo(s)
                                    ),
                                )
                                .with_suggestion(suggest(
                                    s,
                                    chain.stages.iter().map(|s| s.id.as_str()),
                                )),
                            );
                        } else if let Some(&si) = enterprises.get(l.supplier.as_str()) {
                            let supplier = &data.enterprises[si];
                            if !supplier
                                .stages
                                .iter()
                                .any(|r| &r.chain == c && &r.stage == s)
                            {
                                self.push(Problem::new(
                                    t,
                                    i,
                                    "stage",
                                    format!(
                                        "supplier `{}` does not serve stage `{}/{}`",
                                        echo(&l.supplier),
                                        echo(c),
                                        echo(s)
                                    ),
                                ));
                            }
                        }
                    }
                },
                (Some(c), None) => {
                    self.reference(t, i, "chain", c, chains, "chain");
                }
                (None, Some(_)) => self.push(Problem::new(
                    t,
                    i,
                    "chain",
                    "a stage is given without its chain",
                )),
                (None, None) => {}
            }
            for (field, value) in [
                ("value", l.value),
                ("lead_time_days", l.lead_time_days),
                ("inventory_days", l.inventory_days),
                ("receivable", l.receivable),
                ("overdue_days", l.overdue_days),
            ] {
                self.quantity(t, i, field, value);
            }
            let key = (
                l.supplier.as_str(),
                l.buyer.as_str(),
                l.chain.as_deref(),
                l.stage.as_deref(),
            );
            if let Some(first) = seen.insert(key, i) {
                self.push(Problem::new(
                    t,
                    i,
                    "supplier",
                    format!(
                        "duplicate link `{}` → `{}` for the same stage (first at record {})",
                        echo(&l.supplier),
                        echo(&l.buyer),
                        first + 1
                    ),
                ));
            }
            if let Some(share) = l.share {
                if !share.is_finite() || !(0.0..=1.0).contains(&share) {
                    self.push(Problem::new(
                        t,
                        i,
                        "share",
                        format!("{share} is outside [0, 1]"),
                    ));
                } else {
                    let entry = shares
                        .entry((l.buyer.as_str(), l.chain.as_deref(), l.stage.as_deref()))
                        .or_insert((0.0, i));
                    entry.0 += share;
                    entry.1 = i;
                }
            }
        }
        for ((buyer, chain, stage), (total, last)) in shares {
            if total > 1.0 + 1e-6 {
                let what = match (chain, stage) {
                    (Some(c), Some(s)) => format!(" of `{c}/{s}`", c = echo(c), s = echo(s)),
                    _ => String::new(),
                };
                self.push(Problem::new(
                    t,
                    last,
                    "share",
                    format!("the shares of `{buyer}`'s suppliers{what} add up to {total:.4}, more than 1", buyer = echo(buyer)),
                ));
            }
        }
    }

    fn indicators(&mut self, data: &Dataset, regions: &Ids, chains: &Ids, years: (i32, i32)) {
        let t = TableKind::Indicators;
        let mut seen: HashSet<(&str, Option<&str>, i32, &str)> = HashSet::new();
        for (i, v) in data.indicators.iter().enumerate() {
            self.reference(t, i, "region", &v.region, regions, "region");
            if let Some(chain) = &v.chain {
                self.reference(t, i, "chain", chain, chains, "chain");
            }
            if v.year < years.0 || v.year > years.1 {
                self.push(Problem::new(
                    t,
                    i,
                    "year",
                    format!("year {} is outside {}–{}", v.year, years.0, years.1),
                ));
            }
            if v.indicator.trim().is_empty() {
                self.push(Problem::new(t, i, "indicator", "indicator name is empty"));
            }
            if !v.value.is_finite() {
                self.push(Problem::new(
                    t,
                    i,
                    "value",
                    format!("{} is not a finite number", v.value),
                ));
            }
            if !seen.insert((&v.region, v.chain.as_deref(), v.year, &v.indicator)) {
                let unit = match &v.chain {
                    Some(c) => format!("{}/{}", echo(&v.region), echo(c)),
                    None => echo(&v.region).into_owned(),
                };
                self.push(Problem::new(
                    t,
                    i,
                    "indicator",
                    format!(
                        "`{}` for `{unit}` in {} is given twice",
                        echo(&v.indicator),
                        v.year
                    ),
                ));
            }
        }
    }

    fn risks(&mut self, data: &Dataset) {
        let t = TableKind::Risks;
        for (i, r) in data.risks.iter().enumerate() {
            self.unit_interval(t, i, "probability", r.probability);
            self.unit_interval(t, i, "impact", r.impact);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EnterpriseRole, Position, RegionLevel, Segment, Stage, StageInput, StageRef};

    fn region(id: &str, level: RegionLevel, parent: Option<&str>) -> Region {
        Region {
            id: id.into(),
            name: id.into(),
            level,
            parent: parent.map(Into::into),
            group: None,
            neighbours: vec![],
            latitude: None,
            longitude: None,
        }
    }

    fn enterprise(id: &str, region: &str, stage: &str) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: id.into(),
            region: region.into(),
            sector: None,
            stages: vec![StageRef {
                chain: "fibre".into(),
                stage: stage.into(),
            }],
            role: EnterpriseRole::Supporting,
            capacity: Some(100.0),
            output: Some(80.0),
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: None,
            attributes: BTreeMap::new(),
        }
    }

    fn link(s: &str, b: &str, stage: &str, share: Option<f64>) -> SupplyLink {
        SupplyLink {
            supplier: s.into(),
            buyer: b.into(),
            chain: Some("fibre".into()),
            stage: Some(stage.into()),
            value: Some(10.0),
            share,
            lead_time_days: Some(5.0),
            inventory_days: Some(10.0),
            essential: true,
            receivable: None,
            overdue_days: None,
        }
    }

    fn stage(id: &str, inputs: &[&str]) -> Stage {
        Stage {
            id: id.into(),
            name: id.into(),
            segment: Segment::Production,
            position: Position::Midstream,
            core: false,
            sector: None,
            inputs: inputs
                .iter()
                .map(|s| StageInput {
                    stage: (*s).into(),
                    essential: true,
                })
                .collect(),
        }
    }

    fn valid() -> Dataset {
        Dataset {
            regions: vec![
                region("zhejiang", RegionLevel::Province, None),
                region("hangzhou", RegionLevel::City, Some("zhejiang")),
            ],
            sectors: vec![],
            chains: vec![Chain {
                id: "fibre".into(),
                name: "Optical fibre".into(),
                description: None,
                stages: vec![stage("preform", &[]), stage("fibre", &["preform"])],
            }],
            enterprise_years: vec![],
            enterprises: vec![
                enterprise("a", "hangzhou", "preform"),
                enterprise("b", "hangzhou", "fibre"),
            ],
            supply_links: vec![link("a", "b", "preform", Some(1.0))],
            indicators: vec![IndicatorValue {
                region: "hangzhou".into(),
                chain: None,
                year: 2020,
                indicator: "D111".into(),
                value: 0.5,
                source: None,
                imputed: false,
            }],
            risks: vec![],
        }
    }

    #[test]
    fn a_consistent_dataset_has_no_problems() {
        assert_eq!(validate(&valid(), DEFAULT_YEARS), vec![]);
    }

    #[test]
    fn finds_every_problem_at_once() {
        let mut d = valid();
        d.enterprises.push(enterprise("a", "hangzou", "cable"));
        d.supply_links.push(link("b", "b", "fibre", None));
        d.supply_links.push(link("a", "c", "preform", Some(0.5)));
        d.supply_links.push(link("a", "b", "preform", None));
        d.indicators[0].year = 1800;
        let problems = validate(&d, DEFAULT_YEARS);
        let got: Vec<(TableKind, usize, &str)> = problems
            .iter()
            .map(|p| (p.table, p.record, p.field.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (TableKind::Enterprises, 2, "id"),
                (TableKind::Enterprises, 2, "region"),
                (TableKind::Enterprises, 2, "stages"),
                (TableKind::SupplyLinks, 1, "buyer"),
                (TableKind::SupplyLinks, 2, "buyer"),
                (TableKind::SupplyLinks, 3, "supplier"),
                (TableKind::Indicators, 0, "year"),
            ],
            "{problems:#?}"
        );
        assert_eq!(problems[1].suggestion.as_deref(), Some("hangzhou"));
    }

    #[test]
    fn shares_above_one_and_cycles_are_reported() {
        let mut d = valid();
        d.enterprises.push(enterprise("c", "hangzhou", "preform"));
        d.supply_links.push(link("c", "b", "preform", Some(0.4)));
        d.chains[0].stages[0].inputs.push(StageInput {
            stage: "fibre".into(),
            essential: false,
        });
        let problems = validate(&d, DEFAULT_YEARS);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].table, TableKind::Stages);
        assert!(problems[0].message.contains("cycle"));
        assert_eq!(
            (problems[1].record, problems[1].field.as_str()),
            (1, "share")
        );
        assert!(problems[1].message.contains("1.4000"));
    }

    #[test]
    fn region_hierarchy_must_descend() {
        let mut d = valid();
        d.regions[0].parent = Some("hangzhou".into());
        let problems = validate(&d, DEFAULT_YEARS);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("cannot contain"));
    }

    #[test]
    fn repeated_unknown_references_are_capped() {
        let mut d = valid();
        let extra = REPEATS_SHOWN + 5;
        for k in 0..extra {
            d.supply_links
                .push(link("a", &format!("x{k}"), "preform", None));
        }
        d.supply_links.push(link("zz", "b", "preform", None));
        let problems = validate(&d, DEFAULT_YEARS);
        let buyers: Vec<&Problem> = problems.iter().filter(|p| p.field == "buyer").collect();
        assert_eq!(buyers.len(), REPEATS_SHOWN + 1, "{problems:#?}");
        let summary = buyers[REPEATS_SHOWN];
        assert_eq!(
            summary.message,
            "and 5 more unknown enterprise ids like this"
        );
        // Records 1.. are the extra links; the first one left out is record REPEATS_SHOWN + 1.
        assert_eq!(summary.record, REPEATS_SHOWN + 1);
        // The summary follows the last reported problem of its kind, before the next kind.
        let at = problems.iter().position(|p| p == summary).unwrap();
        assert_eq!(
            problems[at - 1].message,
            format!("unknown enterprise `x{}`", REPEATS_SHOWN - 1)
        );
        assert_eq!(problems[at + 1].field, "supplier");
    }
}
