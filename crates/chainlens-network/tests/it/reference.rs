//! Dominators, post-dominators and articulation points against networkx on Willems (2008)
//! chains (up to chain 38, 2,025 stages) and the ETO semiconductor graph. Expected values:
//! tests/reference/expected.json, written by tests/reference/network_reference.py.

use chainlens_network::{NetworkBuilder, NodeAttrs, node_reports};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
const EXPECTED: &str = include_str!("../reference/expected.json");

fn data_dir() -> Option<PathBuf> {
    let p = Path::new(DATA).join("supply");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: ../shared/data not found");
        None
    }
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn check(name: &str, nodes: &[String], edges: &[(String, String)]) {
    let expected = &serde_json::from_str::<Value>(EXPECTED).unwrap()["graphs"][name];
    let mut b = NetworkBuilder::new();
    let mut seen = HashSet::new();
    for id in nodes {
        if seen.insert(id) {
            b.add_node(id, NodeAttrs::default()).unwrap();
        }
    }
    for (s, d) in edges {
        b.add_edge(s, d, Default::default()).unwrap();
    }
    let (net, warnings) = b.build().unwrap();
    assert!(warnings.is_empty());
    assert_eq!(
        net.node_count() as u64,
        expected["nodes"].as_u64().unwrap(),
        "{name}"
    );
    assert_eq!(
        net.edge_count() as u64,
        expected["edges"].as_u64().unwrap(),
        "{name}"
    );
    let (reports, _) = node_reports(&net);
    let mut mismatches = 0;
    for r in &reports {
        let want = |key: &str| expected[key][&r.id].as_str().map(str::to_owned);
        let count = |key: &str| expected[key][&r.id].as_u64().unwrap_or(0) as u32;
        if r.idom != want("idom")
            || r.post_idom != want("post_idom")
            || r.dominated_count != count("dominated_count")
            || r.post_dominated_count != count("post_dominated_count")
        {
            mismatches += 1;
            eprintln!("{name}: {} got {:?}/{:?}", r.id, r.idom, r.post_idom);
        }
    }
    assert_eq!(mismatches, 0, "{name}: dominator mismatches");
    let mut cut: Vec<&str> = reports
        .iter()
        .filter(|r| r.articulation)
        .map(|r| r.id.as_str())
        .collect();
    cut.sort_unstable();
    let want: Vec<&str> = expected["articulation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(cut, want, "{name}: articulation points");
    assert!(expected["idom_unreachable"].as_array().unwrap().is_empty());
}

#[test]
fn willems_chains_match_networkx() {
    let Some(dir) = data_dir() else { return };
    let nodes = rows(&dir.join("willems2008/nodes.csv"));
    let edges = rows(&dir.join("willems2008/edges.csv"));
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let names: Vec<&String> = expected["graphs"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("willems_"))
        .collect();
    assert_eq!(names.len(), 7);
    for name in names {
        let chain = name.trim_start_matches("willems_");
        let ids: Vec<String> = nodes
            .iter()
            .filter(|r| r["chain"] == chain)
            .map(|r| r["stage"].clone())
            .collect();
        let links: Vec<(String, String)> = edges
            .iter()
            .filter(|r| r["chain"] == chain)
            .map(|r| (r["src"].clone(), r["dst"].clone()))
            .collect();
        check(name, &ids, &links);
    }
}

#[test]
fn eto_semiconductor_graph_matches_networkx() {
    let Some(dir) = data_dir() else { return };
    let ids: Vec<String> = rows(&dir.join("eto_chip_explorer/nodes.csv"))
        .into_iter()
        .map(|r| r["node_id"].clone())
        .collect();
    let links: Vec<(String, String)> = rows(&dir.join("eto_chip_explorer/edges.csv"))
        .into_iter()
        .map(|r| (r["src"].clone(), r["dst"].clone()))
        .collect();
    check("eto", &ids, &links);
}
