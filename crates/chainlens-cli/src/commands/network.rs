//! `chainlens network WORKSPACE --chain C [--region R]` or `chainlens network --nodes
//! NODES.csv --edges EDGES.csv [--chain ID]`: the firm-level supply network of a chain
//! (DESIGN.md §4.2; chainlens-network documents the methods).
//!
//! With a workspace, `--region` defaults to the workspace's `home_region` (the gaps,
//! chain coverage D112 and local matching D111 are measured there); the firm network is
//! the whole chain, so cross-region supply counts. `[network]` in chainlens.toml sets
//! `hot_spot_hhi` (0.25) and `top` (10); `--top` overrides the latter.
//!
//! `--format table` prints the chain map: stages in chain order with their enterprises
//! and capacity in and outside the region, the breakpoints, the top single points of
//! failure with what they dominate (count, output, stages), concentration hot spots,
//! coverage and local matching by count and value, and the external dependence of the
//! core stages. `--format json` is the whole `ChainReport`: `{"chain","region","firms",
//! "links","nodes":[{"id","idom","dominated_count","dominated_output","post_idom",
//! "post_dominated_count","articulation"}],"breakpoints":[{"kind",…}],"single_points",
//! "hot_spots","coverage","integrity","stage_concentration","buyer_concentration",
//! "external_dependence","shape","capacity","warnings"}`. `--format csv` lists the nodes.
//!
//! With `--nodes/--edges` (the layout of `../shared/data/supply/*/`; `--chain` keeps the
//! rows of one chain when the files have a `chain` column) the output is the node reports,
//! the single points of failure and the buyers with a single supplier of an essential
//! input: JSON `{"firms","links","nodes":[…],"breakpoints":[…],"single_points":[…],
//! "warnings":[…]}`. Unknown chains, stages and regions, edges to unknown nodes and
//! negative values are errors (exit 1) that say where.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_cell, print_json, text_table};
use crate::workspace;
use chainlens_data::network_files::read_network;
use chainlens_model::Dataset;
use chainlens_model::problem::suggest;
use chainlens_network::breakpoints::HotSpot;
use chainlens_network::{
    Breakpoint, ChainReport, EdgeAttrs, Geography, NetworkBuilder, NetworkConfig, NodeAttrs,
    NodeReport, analyse_chain, node_reports, single_points, single_suppliers,
};
use chainlens_pipeline::Workspace;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["workspace", "nodes"]))]
pub struct Args {
    /// The workspace folder (its enterprises, supply links and chains).
    pub workspace: Option<PathBuf>,
    /// The chain to analyse (with --nodes: the value of the files' `chain` column to keep).
    #[arg(long)]
    pub chain: Option<String>,
    /// The region where gaps, coverage and local matching are measured (default: the
    /// workspace's home_region).
    #[arg(long, requires = "workspace")]
    pub region: Option<String>,
    /// A plain network instead of a workspace: NODES.csv with an `id` column.
    #[arg(
        long,
        value_name = "NODES.csv",
        requires = "edges",
        conflicts_with = "workspace"
    )]
    pub nodes: Option<PathBuf>,
    /// EDGES.csv with `src,dst` (src supplies dst) and optional `category,value,essential`.
    #[arg(long, value_name = "EDGES.csv", requires = "nodes")]
    pub edges: Option<PathBuf>,
    /// How many single points of failure to list (default: `[network] top`, else 10).
    #[arg(long)]
    pub top: Option<usize>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args) -> Result<()> {
    if let (Some(nodes), Some(edges)) = (&args.nodes, &args.edges) {
        return plain(nodes, edges, &args);
    }
    let Some(dir) = &args.workspace else {
        return Err(CliError::usage(
            "give a WORKSPACE or --nodes NODES.csv --edges EDGES.csv",
        ));
    };
    let ws = workspace::load(dir)?;
    let Some(chain) = args.chain.as_deref() else {
        return Err(CliError::usage(format!(
            "give the chain with --chain ID (chains: {})",
            chain_ids(&ws.dataset).join(", ")
        )));
    };
    let mut config = ws.settings.network.clone();
    if let Some(top) = args.top {
        config.top = top;
    }
    let region = args
        .region
        .as_deref()
        .or(ws.config.workspace.home_region.as_deref());
    if let Err(message) = check_chain(&ws, chain).and_then(|()| check_region(&ws, region)) {
        return Err(CliError::Problems(vec![message.to_string()]));
    }
    let country = ws.config.workspace.country.as_deref();
    let report = match analyse_chain(&ws.dataset, chain, region, country, &config) {
        Ok(r) => r,
        Err(e) => {
            return Err(CliError::input(e));
        }
    };
    for w in &report.warnings {
        eprintln!("warning: {}", w.message);
    }
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Csv => print!("{}", nodes_csv(&report.nodes, Some(&ws.dataset), chain)),
        Format::Table => print!("{}", chain_map(&ws, &report, &config)),
    }
    Ok(())
}

pub(crate) fn chain_ids(data: &Dataset) -> Vec<&str> {
    data.chains.iter().map(|c| c.id.as_str()).collect()
}

fn config_file(ws: &Workspace) -> String {
    ws.root
        .join(chainlens_data::workspace::CONFIG_FILE)
        .display()
        .to_string()
}

fn did_you_mean(s: Option<String>) -> String {
    s.map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// A chain the workspace defines, or a message naming the option, the suggestion and the
/// file that defines the chains.
pub(crate) fn check_chain(ws: &Workspace, chain: &str) -> Result<(), String> {
    if ws.dataset.chain(chain).is_some() {
        return Ok(());
    }
    let ids = chain_ids(&ws.dataset);
    Err(format!(
        "error: --chain: unknown chain `{chain}`{}; {} defines: {}",
        did_you_mean(suggest(chain, ids.iter().copied())),
        config_file(ws),
        ids.join(", ")
    ))
}

pub(crate) fn check_stage(ws: &Workspace, chain: &str, stage: &str) -> Result<(), String> {
    let Some(c) = ws.dataset.chain(chain) else {
        return check_chain(ws, chain);
    };
    if c.stage(stage).is_some() {
        return Ok(());
    }
    let ids: Vec<&str> = c.stages.iter().map(|s| s.id.as_str()).collect();
    Err(format!(
        "error: --stage: chain `{chain}` has no stage `{stage}`{}; its stages: {}",
        did_you_mean(suggest(stage, ids.iter().copied())),
        ids.join(", ")
    ))
}

pub(crate) fn check_region(ws: &Workspace, region: Option<&str>) -> Result<(), String> {
    let Some(r) = region else { return Ok(()) };
    if ws.dataset.region(r).is_some() {
        return Ok(());
    }
    let from_option = ws.config.workspace.home_region.as_deref() != Some(r);
    Err(format!(
        "error: {}: unknown region `{r}`{}",
        if from_option {
            "--region".to_owned()
        } else {
            format!("{}: workspace.home_region", config_file(ws))
        },
        did_you_mean(suggest(r, ws.dataset.regions.iter().map(|x| x.id.as_str())))
    ))
}

pub(crate) fn check_enterprise(ws: &Workspace, id: &str) -> Result<(), String> {
    if ws.dataset.enterprises.iter().any(|e| e.id == id) {
        return Ok(());
    }
    Err(format!(
        "error: --replace: unknown enterprise `{id}`{}",
        did_you_mean(suggest(
            id,
            ws.dataset.enterprises.iter().map(|e| e.id.as_str())
        ))
    ))
}

/// 1234567.8 → "1,234,568".
pub(crate) fn amount(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

pub(crate) fn percent(x: Option<f64>) -> String {
    // `+ 0.0` turns a negative zero (an empty float sum) into 0.
    x.map(|x| format!("{:.1} %", x * 100.0 + 0.0))
        .unwrap_or_else(|| "-".to_owned())
}

/// Shortens `s` to `n` characters with an ellipsis.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn chain_map(ws: &Workspace, r: &ChainReport, config: &NetworkConfig) -> String {
    let data = &ws.dataset;
    let chain = data.chain(&r.chain).expect("checked");
    let geo = Geography::new(&data.regions, ws.config.workspace.country.as_deref());
    let firm: HashMap<&str, &chainlens_model::Enterprise> = data
        .enterprises
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let inside = |region: &str| r.region.as_deref().is_none_or(|a| geo.within(region, a));
    let mut out = String::new();
    let where_ = r
        .region
        .as_deref()
        .map(|x| format!(" — region {x}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Chain {} ({}){where_}: {} enterprises, {} supply links in the whole chain; longest path {} tiers{}",
        chain.id,
        chain.name,
        r.firms,
        r.links,
        r.shape.length,
        if r.shape.on_cycles > 0 {
            format!(" ({} firms on supplier cycles)", r.shape.on_cycles)
        } else {
            String::new()
        }
    );
    match (&r.integrity, &r.coverage) {
        (Some(i), _) => {
            let c = &i.coverage;
            let m = &i.local_matching;
            let _ = writeln!(
                out,
                "Chain coverage (D112) in {}: {}/{} stages = {}{}",
                i.region,
                c.covered,
                c.stages,
                percent(Some(c.rate)),
                if c.missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing: {}", c.missing.join(", "))
                }
            );
            let _ = writeln!(
                out,
                "Local matching (D111) of its {} leading enterprise(s): by count {}/{} links = {}; by value {}/{} = {}",
                m.leading_enterprises,
                m.local_links,
                m.links,
                percent(m.rate_by_count),
                amount(m.local_value),
                amount(m.value),
                percent(m.rate_by_value)
            );
        }
        (None, Some(c)) => {
            let _ = writeln!(
                out,
                "Chain coverage anywhere: {}/{} stages = {}{}",
                c.covered,
                c.stages,
                percent(Some(c.rate)),
                if c.missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing: {}", c.missing.join(", "))
                }
            );
        }
        _ => {}
    }

    // The map: stages in chain order, in and outside the region.
    let _ = writeln!(
        out,
        "\nStages (enterprises and capacity; capacity relative to the stage mean; bottleneck: {})",
        r.capacity.bottleneck.as_deref().unwrap_or("-")
    );
    let gap: Vec<&str> =
        r.breakpoints
            .iter()
            .filter_map(|b| match b {
                Breakpoint::StageMissing { stage }
                | Breakpoint::StageMissingInRegion { stage, .. } => Some(stage.as_str()),
                _ => None,
            })
            .collect();
    let mut rows = Vec::new();
    for (k, s) in chain.stages.iter().enumerate() {
        let cells: Vec<_> = r
            .capacity
            .cells
            .iter()
            .filter(|c| c.stage == s.id)
            .collect();
        let (mut n_in, mut cap_in, mut n_out, mut cap_out) = (0, 0.0, 0, 0.0);
        let mut places: Vec<(bool, f64, String)> = Vec::new();
        for c in &cells {
            let local = inside(&c.region);
            if local {
                n_in += c.enterprises;
                cap_in += c.capacity;
            } else {
                n_out += c.enterprises;
                cap_out += c.capacity;
            }
            places.push((local, c.capacity, format!("{} {}", c.region, c.enterprises)));
        }
        places.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        let local = first_places(&places, true);
        let other = first_places(&places, false);
        let relative = r
            .capacity
            .stages
            .iter()
            .find(|b| b.stage == s.id)
            .and_then(|b| b.relative);
        let mut row = vec![
            (k + 1).to_string(),
            s.id.clone(),
            if s.core { "core" } else { "" }.to_owned(),
        ];
        if r.region.is_some() {
            row.extend([
                n_in.to_string(),
                amount(cap_in),
                n_out.to_string(),
                amount(cap_out),
            ]);
        } else {
            row.extend([(n_in + n_out).to_string(), amount(cap_in + cap_out)]);
        }
        row.push(relative.map(|x| format!("{x:.2}")).unwrap_or_default());
        row.push(if gap.contains(&s.id.as_str()) {
            if cells.is_empty() {
                "GAP: none anywhere".to_owned()
            } else {
                format!("GAP: only outside | {other}")
            }
        } else if other.is_empty() || local.is_empty() || r.region.is_none() {
            [local, other]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            format!("{local} | {other}")
        });
        rows.push(row);
    }
    let in_region = r.region.as_deref().map(|x| format!("in {x}"));
    let header: Vec<&str> = if let Some(in_region) = &in_region {
        vec![
            "#",
            "stage",
            "",
            in_region,
            "capacity",
            "outside",
            "capacity",
            "rel.",
            "where (inside | outside, firms per region)",
        ]
    } else {
        vec!["#", "stage", "", "firms", "capacity", "rel.", "where"]
    };
    out.push_str(&text_table(&header, &rows));
    out.push('\n');

    // Breakpoints.
    let _ = writeln!(out, "\nBreakpoints ({}):", r.breakpoints.len());
    if r.breakpoints.is_empty() {
        out.push_str("  none\n");
    }
    const MAX_BREAKPOINTS: usize = 30;
    for b in r.breakpoints.iter().take(MAX_BREAKPOINTS) {
        let _ = writeln!(out, "  - {}", b.describe());
    }
    if r.breakpoints.len() > MAX_BREAKPOINTS {
        let _ = writeln!(
            out,
            "  … and {} more (--format json lists all)",
            r.breakpoints.len() - MAX_BREAKPOINTS
        );
    }

    // Single points of failure, with the stages of what they dominate.
    let idom: HashMap<&str, Option<&str>> = r
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.idom.as_deref()))
        .collect();
    let chain_output: f64 = r
        .nodes
        .iter()
        .filter_map(|n| firm.get(n.id.as_str()).and_then(|e| e.output))
        .sum();
    let _ = writeln!(
        out,
        "\nSingle points of failure (dominators: every supply path to the firms they dominate runs through them; top {}):",
        config.top
    );
    if r.single_points.is_empty() {
        out.push_str("  none\n");
    } else {
        let rows: Vec<Vec<String>> = r
            .single_points
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let mut by_stage: BTreeMap<usize, usize> = BTreeMap::new();
                for n in &r.nodes {
                    if dominated_by(&idom, &n.id, &p.id) {
                        let stage = firm
                            .get(n.id.as_str())
                            .and_then(|e| {
                                e.stages
                                    .iter()
                                    .filter(|s| s.chain == chain.id)
                                    .filter_map(|s| {
                                        chain.stages.iter().position(|t| t.id == s.stage)
                                    })
                                    .min()
                            })
                            .unwrap_or(usize::MAX);
                        *by_stage.entry(stage).or_default() += 1;
                    }
                }
                let stages: Vec<String> = by_stage
                    .iter()
                    .map(|(&k, n)| {
                        let name = chain.stages.get(k).map_or("?", |s| s.id.as_str());
                        format!("{name} {n}")
                    })
                    .collect();
                let e = firm.get(p.id.as_str());
                vec![
                    (k + 1).to_string(),
                    p.id.clone(),
                    clip(e.map_or("", |e| e.name.as_str()), 40),
                    p.region.clone().unwrap_or_default(),
                    p.dominated_count.to_string(),
                    amount(p.dominated_output),
                    if chain_output > 0.0 {
                        percent(Some(p.dominated_output / chain_output))
                    } else {
                        "-".to_owned()
                    },
                    if p.articulation { "yes" } else { "" }.to_owned(),
                    stages.join(", "),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &[
                "#",
                "firm",
                "name",
                "region",
                "dominates",
                "output",
                "of chain",
                "cut",
                "dominated firms by stage",
            ],
            &rows,
        ));
        out.push('\n');
    }

    // Concentration hot spots.
    let stages: Vec<&HotSpot> = r
        .hot_spots
        .iter()
        .filter(|h| h.subject == "stage")
        .collect();
    let buyers: Vec<&HotSpot> = r
        .hot_spots
        .iter()
        .filter(|h| h.subject == "buyer")
        .collect();
    let single = buyers.iter().filter(|h| h.counterparts == 1).count();
    let _ = writeln!(
        out,
        "\nConcentration hot spots (supplier HHI ≥ {}): {} stage(s); {} buyer × input pair(s), {} of them single-sourced",
        config.hot_spot_hhi,
        stages.len(),
        buyers.len(),
        single
    );
    let shown: Vec<&HotSpot> = stages
        .iter()
        .copied()
        .chain(buyers.iter().copied().filter(|h| h.counterparts > 1))
        .take(config.top.max(1) + stages.len())
        .collect();
    if !shown.is_empty() {
        let rows: Vec<Vec<String>> = shown
            .iter()
            .map(|h| {
                vec![
                    h.subject.clone(),
                    h.id.clone(),
                    h.input.clone().unwrap_or_default(),
                    h.counterparts.to_string(),
                    format!("{:.3}", h.cr3),
                    format!("{:.3}", h.hhi),
                ]
            })
            .collect();
        out.push_str(&text_table(
            &["subject", "id", "input", "suppliers", "CR3", "HHI"],
            &rows,
        ));
        out.push('\n');
    }

    // External dependence of the core stages.
    if let Some(reg) = &r.region {
        let _ = writeln!(
            out,
            "\nExternal dependence of core stages (input value bought by their enterprises in {reg}):"
        );
        if r.external_dependence.is_empty() {
            out.push_str("  no core stage\n");
        } else {
            let rows: Vec<Vec<String>> = r
                .external_dependence
                .iter()
                .map(|d| {
                    if d.by_count && d.outside_region.is_none() {
                        return vec![d.stage.clone(), "none in region".to_owned()];
                    }
                    vec![
                        d.stage.clone(),
                        if d.by_count {
                            "(by count)".to_owned()
                        } else {
                            amount(d.input_value)
                        },
                        percent(d.outside_region),
                        percent(d.outside_country),
                    ]
                })
                .collect();
            out.push_str(&text_table(
                &[
                    "core stage",
                    "input value",
                    "outside region",
                    "outside country",
                ],
                &rows,
            ));
            out.push('\n');
        }
    }
    out
}

/// The first places (by capacity) inside or outside the region, "+ k more" after five.
fn first_places(places: &[(bool, f64, String)], inside: bool) -> String {
    const MAX: usize = 5;
    let all: Vec<&str> = places
        .iter()
        .filter(|p| p.0 == inside)
        .map(|p| p.2.as_str())
        .collect();
    let mut out = all.iter().take(MAX).copied().collect::<Vec<_>>().join(", ");
    if all.len() > MAX {
        let _ = write!(out, " +{} more", all.len() - MAX);
    }
    out
}

/// Whether `dominator` is on the dominator-tree path above `id`.
fn dominated_by(idom: &HashMap<&str, Option<&str>>, id: &str, dominator: &str) -> bool {
    let mut cur = idom.get(id).copied().flatten();
    let mut steps = 0;
    while let Some(d) = cur {
        if d == dominator {
            return true;
        }
        steps += 1;
        if steps > idom.len() {
            return false;
        }
        cur = idom.get(d).copied().flatten();
    }
    false
}

fn nodes_csv(nodes: &[NodeReport], data: Option<&Dataset>, chain: &str) -> String {
    let firm: HashMap<&str, &chainlens_model::Enterprise> = data
        .map(|d| d.enterprises.iter().map(|e| (e.id.as_str(), e)).collect())
        .unwrap_or_default();
    let mut out = String::from("id,");
    if data.is_some() {
        out.push_str("name,region,stages,");
    }
    out.push_str(
        "idom,dominated_count,dominated_output,post_idom,post_dominated_count,articulation\n",
    );
    for n in nodes {
        out.push_str(&csv_cell(&n.id));
        out.push(',');
        if data.is_some() {
            let e = firm.get(n.id.as_str());
            let stages: Vec<&str> = e
                .map(|e| {
                    e.stages
                        .iter()
                        .filter(|s| s.chain == chain)
                        .map(|s| s.stage.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let _ = write!(
                out,
                "{},{},{},",
                csv_cell(e.map_or("", |e| e.name.as_str())),
                csv_cell(e.map_or("", |e| e.region.as_str())),
                csv_cell(&stages.join(";"))
            );
        }
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_cell(n.idom.as_deref().unwrap_or("")),
            n.dominated_count,
            n.dominated_output,
            csv_cell(n.post_idom.as_deref().unwrap_or("")),
            n.post_dominated_count,
            n.articulation
        );
    }
    out
}

/// `--nodes NODES.csv --edges EDGES.csv`: the graph screens of a plain network.
fn plain(nodes: &Path, edges: &Path, args: &Args) -> Result<()> {
    let limits = workspace::limits_around(nodes)?;
    let files = read_network(nodes, edges, args.chain.as_deref(), &limits)?;
    for w in &files.warnings {
        eprintln!("warning: {w}");
    }
    if files.nodes.is_empty() {
        return Err(CliError::Problems(vec![format!(
            "{}: no nodes{}",
            nodes.display(),
            args.chain
                .as_deref()
                .map(|c| format!(" with chain `{c}`"))
                .unwrap_or_default()
        )]));
    }
    let mut b = NetworkBuilder::new();
    let built = (|| {
        for n in &files.nodes {
            b.add_node(
                &n.id,
                NodeAttrs {
                    output: n.output,
                    capacity: n.capacity,
                },
            )?;
        }
        for e in &files.edges {
            b.add_edge(
                &e.src,
                &e.dst,
                EdgeAttrs {
                    value: e.value,
                    essential: e.essential,
                    category: e.category.clone(),
                },
            )?;
        }
        b.build()
    })();
    let (net, warnings) = match built {
        Ok(n) => n,
        Err(e) => {
            return Err(CliError::Problems(vec![format!(
                "{} / {}: {e}",
                nodes.display(),
                edges.display()
            )]));
        }
    };
    for w in &warnings {
        eprintln!("warning: {}", w.message);
    }
    let top = args.top.unwrap_or(NetworkConfig::default().top);
    let (reports, dom) = node_reports(&net);
    let cut: Vec<bool> = reports.iter().map(|n| n.articulation).collect();
    let points = single_points(&net, &dom, &cut, top);
    let breakpoints = single_suppliers(&net);
    match args.format {
        Format::Json => print_json(&serde_json::json!({
            "firms": net.node_count(),
            "links": net.edge_count(),
            "nodes": reports,
            "breakpoints": breakpoints,
            "single_points": points,
            "warnings": files
                .warnings
                .iter()
                .map(ToString::to_string)
                .chain(warnings.iter().map(|w| w.message.clone()))
                .collect::<Vec<_>>(),
        }))?,
        Format::Csv => print!("{}", nodes_csv(&reports, None, "")),
        Format::Table => {
            let mut out = String::new();
            let cuts = cut.iter().filter(|&&c| c).count();
            let dominating = reports.iter().filter(|n| n.dominated_count > 0).count();
            let _ = writeln!(
                out,
                "{} nodes, {} edges; {} dominate at least one other node; {} articulation point(s)",
                net.node_count(),
                net.edge_count(),
                dominating,
                cuts
            );
            let _ = writeln!(out, "\nSingle points of failure (top {top}):");
            if points.is_empty() {
                out.push_str("  none\n");
            } else {
                let rows: Vec<Vec<String>> = points
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        vec![
                            (k + 1).to_string(),
                            p.id.clone(),
                            p.dominated_count.to_string(),
                            amount(p.dominated_output),
                            if p.articulation { "yes" } else { "" }.to_owned(),
                            p.dominates.join(", "),
                        ]
                    })
                    .collect();
                out.push_str(&text_table(
                    &["#", "node", "dominates", "output", "cut", "first dominated"],
                    &rows,
                ));
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "\nNodes (immediate dominator and post-dominator; --format csv lists them all):"
            );
            let mut order: Vec<&NodeReport> = reports.iter().collect();
            order.sort_by(|a, b| {
                b.dominated_count
                    .cmp(&a.dominated_count)
                    .then(b.articulation.cmp(&a.articulation))
                    .then(a.id.cmp(&b.id))
            });
            const MAX_NODES: usize = 40;
            let rows: Vec<Vec<String>> = order
                .iter()
                .take(MAX_NODES)
                .map(|n| {
                    vec![
                        n.id.clone(),
                        n.idom.clone().unwrap_or_else(|| "(source)".to_owned()),
                        n.dominated_count.to_string(),
                        n.post_idom.clone().unwrap_or_else(|| "(sink)".to_owned()),
                        n.post_dominated_count.to_string(),
                        if n.articulation { "yes" } else { "" }.to_owned(),
                    ]
                })
                .collect();
            out.push_str(&text_table(
                &[
                    "node",
                    "idom",
                    "dominates",
                    "post-idom",
                    "post-dominates",
                    "cut",
                ],
                &rows,
            ));
            out.push('\n');
            if reports.len() > MAX_NODES {
                let _ = writeln!(out, "… {} more nodes", reports.len() - MAX_NODES);
            }
            let _ = writeln!(
                out,
                "\nSingle suppliers of essential inputs ({}):",
                breakpoints.len()
            );
            if breakpoints.is_empty() {
                out.push_str("  none (edges marked essential with one supplier per category)\n");
            }
            for b in &breakpoints {
                let _ = writeln!(out, "  - {}", b.describe());
            }
            print!("{out}");
        }
    }
    Ok(())
}
