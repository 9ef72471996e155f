//! Every configured analysis of a workspace, run in the order the papers reason: how
//! industries are linked (IO table), where each chain can break (supply network), how
//! resilient each region is (index) and how sound the index is (research), what the risks are (register), what needs acting on
//! now (alerts), what happens if (scenarios), who defaults because others pay late
//! (clearing).
//!
//! Each section records whether it ran, was not configured (and why), or failed (and
//! why): one failing analysis never stops the others, and the report says what is
//! missing. `chainlens run`, `chainlens report` and the server all start here.

use crate::Workspace;
use crate::alerts::{Raised, raise_alerts};
use chainlens_data::io_tables::{self, Layout};
use chainlens_linkage::{Config as LinkageConfig, ForwardConvention, LinkageReport};
use chainlens_model::{IoTable, Timestamp};
use chainlens_network::{ChainReport, analyse_chain};
use chainlens_resilience::panel::DerivedValues;
use chainlens_resilience::research::Research;
use chainlens_resilience::system::Derivation;
use chainlens_resilience::{Evaluation, RegionInfo, ResilienceConfig};
pub use chainlens_sim::{Scenario, ScenarioResult, ScenarioStep};
use chainlens_warning::{RiskAssessment, RiskMatrix, assess};
use serde::Serialize;

/// The outcome of one analysis.
#[derive(Debug, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "snake_case")]
pub enum Section<T> {
    Done(T),
    NotConfigured(String),
    Failed(String),
}

impl<T> Section<T> {
    pub fn done(&self) -> Option<&T> {
        match self {
            Section::Done(t) => Some(t),
            _ => None,
        }
    }

    /// A word for the terminal summary.
    pub fn status(&self) -> &'static str {
        match self {
            Section::Done(_) => "done",
            Section::NotConfigured(_) => "not configured",
            Section::Failed(_) => "FAILED",
        }
    }

    fn from_result<E: std::fmt::Display>(r: Result<T, E>) -> Self {
        match r {
            Ok(t) => Section::Done(t),
            Err(e) => Section::Failed(e.to_string()),
        }
    }
}

/// The risk register graded, with the matrix that graded it.
#[derive(Debug, Serialize)]
pub struct Risks {
    pub assessments: Vec<RiskAssessment>,
    pub matrix: RiskMatrix,
}

/// Eisenberg–Noe clearing of the workspace's receivables, with firm ids.
#[derive(Debug, Serialize)]
pub struct Clearing {
    pub payments: std::collections::BTreeMap<String, f64>,
    pub defaults: Vec<String>,
    /// Firms that default only because others pay late.
    pub contagion: Vec<String>,
    /// The smallest liquidity injection that prevents each default.
    pub injections: Vec<(String, f64)>,
    pub rounds: usize,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct Analyses {
    pub linkage: Section<LinkageReport>,
    pub networks: Section<Vec<ChainReport>>,
    pub resilience: Section<Evaluation>,
    /// Validation, panel regression and decomposition of the index (`[resilience.research]`).
    pub research: Section<Research>,
    pub risks: Section<Risks>,
    pub alerts: Section<Raised>,
    pub scenarios: Section<Vec<Section<ScenarioResult>>>,
    pub clearing: Section<Clearing>,
    /// Spatial autocorrelation of the resilience index per year (`[spatial]`).
    pub spatial: Section<crate::spatial::WorkspaceSpatial>,
}

/// Runs everything the workspace configures. Alerts are raised in the store at `now`
/// when `raise` is true; otherwise the store's alerts are only read.
pub fn run_all(
    ws: &Workspace,
    now: Timestamp,
    raise: bool,
    progress: impl Fn(&str),
) -> chainlens_data::Result<Analyses> {
    progress("linkage");
    let linkage = linkage(ws);
    progress("supply networks");
    let networks = networks(ws);
    progress("resilience index");
    let resilience = resilience(ws);
    progress("index research");
    let research = research(ws, &resilience);
    progress("risk register");
    let risks = risks(ws);
    progress("early warning");
    let alerts = if raise {
        match raise_alerts(ws, now)? {
            Ok(r) => Section::Done(r),
            Err(message) => Section::Failed(message),
        }
    } else {
        stored_alerts(ws)?
    };
    progress("scenarios");
    let scenarios = scenarios(ws);
    progress("clearing");
    let clearing = clearing(ws);
    progress("spatial statistics");
    let spatial = spatial(ws, &resilience);
    Ok(Analyses {
        linkage,
        networks,
        resilience,
        research,
        risks,
        alerts,
        scenarios,
        clearing,
        spatial,
    })
}

/// The resilience index's spatial autocorrelation per year on the `[spatial]` map.
pub fn spatial(
    ws: &Workspace,
    resilience: &Section<Evaluation>,
) -> Section<crate::spatial::WorkspaceSpatial> {
    let Some(evaluation) = resilience.done() else {
        return Section::NotConfigured("no resilience index to map".into());
    };
    match crate::spatial::workspace_spatial(ws, evaluation) {
        Ok(Some(s)) => Section::Done(s),
        Ok(None) => Section::NotConfigured("no [spatial] geojson in chainlens.toml".into()),
        Err(crate::spatial::SpatialError::Data(e)) => Section::Failed(
            e.problems()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Err(e) => Section::Failed(e.to_string()),
    }
}

/// The workspace's `[io]` table, read with `layout` or else the layout chainlens.toml
/// gives (or else detected); `Ok(None)` when there is no `[io]`.
pub fn io_table(
    ws: &Workspace,
    layout: Option<Layout>,
) -> Result<Option<(IoTable, Layout)>, String> {
    let Some(io) = &ws.settings.io else {
        return Ok(None);
    };
    io_tables::read(
        &ws.root.join(&io.table),
        layout.or(io.layout),
        &ws.config.limits.io_tables(),
    )
    .map(Some)
    .map_err(|e| e.to_string())
}

fn linkage(ws: &Workspace) -> Section<LinkageReport> {
    let table = match io_table(ws, None) {
        Ok(Some((table, _))) => table,
        Ok(None) => return Section::NotConfigured("no [io] table in chainlens.toml".into()),
        Err(e) => return Section::Failed(e),
    };
    let config = LinkageConfig {
        forward: ForwardConvention::Ghosh,
        extraction: true,
        variation: true,
        matrices: false,
        network: None,
        paths: None,
    };
    Section::from_result(chainlens_linkage::analyse(&table, &config))
}

fn networks(ws: &Workspace) -> Section<Vec<ChainReport>> {
    if ws.dataset.chains.is_empty() {
        return Section::NotConfigured("no chains in chainlens.toml".into());
    }
    if ws.dataset.supply_links.is_empty() {
        return Section::NotConfigured("no supply links".into());
    }
    let config = &ws.settings.network;
    let home = ws.config.workspace.home_region.as_deref();
    let country = ws.config.workspace.country.as_deref();
    Section::from_result(
        ws.dataset
            .chains
            .iter()
            .map(|c| analyse_chain(&ws.dataset, &c.id, home, country, config))
            .collect::<Result<Vec<_>, _>>(),
    )
}

/// The resilience index of the workspace's indicator panel (`[resilience]`).
pub fn resilience(ws: &Workspace) -> Section<Evaluation> {
    if ws.dataset.indicators.is_empty() {
        return Section::NotConfigured("no indicator values".into());
    }
    let config = &ws.settings.resilience;
    Section::from_result(evaluate_panel(ws, config, &derivations(ws, config)))
}

/// The evaluation of the workspace's panel under `config` with `derived` values: what
/// `run` reports and what `validate` tries (crate::panel_check).
pub(crate) fn evaluate_panel(
    ws: &Workspace,
    config: &ResilienceConfig,
    derived: &DerivedValues,
) -> Result<Evaluation, chainlens_resilience::Error> {
    let regions: Vec<RegionInfo> = ws.dataset.regions.iter().map(RegionInfo::from).collect();
    let mut evaluation =
        chainlens_resilience::evaluate(config, &ws.dataset.indicators, &regions, derived)?;
    roll_up_by_output(ws, config, &mut evaluation);
    Ok(evaluation)
}

/// The research checks of the evaluated index (see chainlens-resilience's `research`).
fn research(ws: &Workspace, resilience: &Section<Evaluation>) -> Section<Research> {
    let Some(evaluation) = resilience.done() else {
        return Section::NotConfigured("the resilience index was not evaluated".into());
    };
    Section::Done(chainlens_resilience::research::research(
        &ws.settings.resilience.research,
        evaluation,
        &ws.dataset.indicators,
    ))
}

/// D111 (local matching rate) and D112 (chain coverage) measured on the supply network,
/// for the indicators the system derives that way, per unit of the panel: for a regional
/// chain (a region whose indicator values name chains) the chain's own rates; for a region
/// as a whole the mean over the workspace's chains of the coverage rate, and of the local
/// matching rate by value (by count when no link has a value), over the chains where it is
/// defined.
///
/// The supply network is a snapshot, so it speaks for the panel's latest year only.
/// Whether a derived value replaces a given one is `[resilience]
/// given_overrides_derived` (default false: the derived value is used).
pub fn network_derivations(ws: &Workspace, config: &ResilienceConfig) -> DerivedValues {
    let mut derived = DerivedValues::default();
    let Some(year) = ws.dataset.indicators.iter().map(|v| v.year).max() else {
        return derived;
    };
    let mut units: std::collections::BTreeMap<&str, std::collections::BTreeSet<Option<&str>>> =
        std::collections::BTreeMap::new();
    for v in &ws.dataset.indicators {
        units.entry(v.region.as_str()).or_default();
    }
    for v in &ws.dataset.indicators {
        if let Some(c) = &v.chain {
            units.entry(v.region.as_str()).or_default().insert(Some(c));
        }
    }
    for indicator in config.indicators() {
        let Some(d @ (Derivation::LocalMatchingRate | Derivation::ChainCoverage)) =
            indicator.derive
        else {
            continue;
        };
        let rate = |chain: &str, region: &str| {
            chainlens_network::chain_integrity(&ws.dataset, chain, region)
                .ok()
                .and_then(|i| match d {
                    Derivation::ChainCoverage => Some(i.coverage.rate),
                    _ => i
                        .local_matching
                        .rate_by_value
                        .or(i.local_matching.rate_by_count),
                })
        };
        for (&region, chains) in &units {
            if chains.is_empty() {
                let rates: Vec<f64> = ws
                    .dataset
                    .chains
                    .iter()
                    .filter_map(|c| rate(&c.id, region))
                    .collect();
                if !rates.is_empty() {
                    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
                    derived.0.insert((d, region.to_owned(), None, year), mean);
                }
            }
            for chain in chains.iter().flatten() {
                if let Some(x) = rate(chain, region) {
                    derived
                        .0
                        .insert((d, region.to_owned(), Some((*chain).to_owned()), year), x);
                }
            }
        }
    }
    derived
}

/// Every derived value of the workspace: D111/D112 from the supply network
/// ([`network_derivations`], latest year) and the indicators of the enterprises' yearly
/// figures (chainlens-resilience's `derive`, every year of `enterprise_years`).
pub fn derivations(ws: &Workspace, config: &ResilienceConfig) -> DerivedValues {
    let mut derived = chainlens_resilience::derive::enterprise_derivations(
        &ws.dataset,
        ws.config.workspace.country.as_deref(),
    );
    derived.0.extend(network_derivations(ws, config).0);
    derived
}

/// A regional chain's weight in the roll-ups: the output of the region's enterprises
/// serving the chain (an enterprise serving several chains split equally among them),
/// from the enterprises table (a snapshot: the same in every year). `None` where no
/// enterprise of the chain in the region reports output.
pub fn chain_output(ws: &Workspace) -> std::collections::BTreeMap<(String, String), f64> {
    let mut out = std::collections::BTreeMap::new();
    for e in &ws.dataset.enterprises {
        let Some(output) = e.output else { continue };
        let mut chains: Vec<&str> = e.stages.iter().map(|s| s.chain.as_str()).collect();
        chains.sort_unstable();
        chains.dedup();
        for c in &chains {
            *out.entry((e.region.clone(), (*c).to_owned()))
                .or_insert(0.0) += output / chains.len() as f64;
        }
    }
    out
}

/// Replaces the evaluation's equal-weight roll-ups by roll-ups weighted by chain output
/// ([`chain_output`]) when the workspace has enterprises with output.
pub fn roll_up_by_output(ws: &Workspace, config: &ResilienceConfig, evaluation: &mut Evaluation) {
    if evaluation.rollups.is_none() {
        return;
    }
    let output = chain_output(ws);
    if output.is_empty() {
        return;
    }
    let weight = |region: &str, chain: &str, _: i32| -> Option<f64> {
        output.get(&(region.to_owned(), chain.to_owned())).copied()
    };
    evaluation.rollups = Some(chainlens_resilience::evaluate::roll_up(
        &evaluation.scores,
        &config.grades,
        Some(&weight),
    ));
}

fn risks(ws: &Workspace) -> Section<Risks> {
    if ws.dataset.risks.is_empty() {
        return Section::NotConfigured("the risk register is empty".into());
    }
    let matrix = ws.settings.warning.matrix.clone();
    match assess(&ws.dataset.risks, &matrix) {
        Ok(assessments) => Section::Done(Risks {
            assessments,
            matrix,
        }),
        Err(e) => Section::Failed(e.to_string()),
    }
}

fn stored_alerts(ws: &Workspace) -> chainlens_data::Result<Section<Raised>> {
    let path = ws.store_path();
    if !path.exists() {
        return Ok(Section::NotConfigured(
            "no store yet: run `chainlens warn` or `chainlens run`".into(),
        ));
    }
    let store = chainlens_data::store::Store::open_read_only(&path)?;
    Ok(Section::Done(Raised::stored(store.alerts()?)))
}

/// One of the workspace's scenarios run on its firm network, announcing each step as it
/// starts (the command line's progress bar, the server's run status).
pub fn run_scenario(
    ws: &Workspace,
    scenario: &Scenario,
    progress: impl Fn(ScenarioStep),
) -> Result<ScenarioResult, String> {
    chainlens_sim::run_scenario_with_progress(&ws.dataset, scenario, progress)
        .map_err(|e| e.to_string())
}

fn scenarios(ws: &Workspace) -> Section<Vec<Section<ScenarioResult>>> {
    let scenarios = &ws.settings.scenarios;
    if scenarios.is_empty() {
        return Section::NotConfigured("no [[scenarios]] in chainlens.toml".into());
    }
    Section::Done(
        scenarios
            .iter()
            .map(|s| Section::from_result(run_scenario(ws, s, |_| {})))
            .collect(),
    )
}

fn clearing(ws: &Workspace) -> Section<Clearing> {
    if !ws
        .dataset
        .supply_links
        .iter()
        .any(|l| l.receivable.is_some_and(|r| r > 0.0))
    {
        return Section::NotConfigured("no receivables on the supply links".into());
    }
    let problem = match chainlens_network::clearing::from_dataset(&ws.dataset, None) {
        Ok(p) => p,
        Err(e) => return Section::Failed(e.to_string()),
    };
    let c = chainlens_network::clear(&problem);
    let id = |i: usize| problem.ids[i].clone();
    Section::Done(Clearing {
        payments: c
            .payments
            .iter()
            .enumerate()
            .map(|(i, &p)| (id(i), p))
            .collect(),
        defaults: c.defaults.iter().map(|&i| id(i)).collect(),
        contagion: c.contagion.iter().map(|&i| id(i)).collect(),
        injections: c.injections.iter().map(|&(i, x)| (id(i), x)).collect(),
        rounds: c.rounds,
        note: c.note,
    })
}
