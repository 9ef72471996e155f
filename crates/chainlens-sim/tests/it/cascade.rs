//! The firm-level cascade in its boolean limit against networkx reachability
//! (tests/reference/reachability_reference.py): zero inventories, every input essential
//! and single-sourced, shocked firms removed for good → exactly the shocked firms and
//! their descendants stop.

use chainlens_sim::{CascadeConfig, FirmNetwork, FirmShock, Link, simulate_cascade};
use serde_json::Value;

#[test]
fn boolean_cascade_equals_networkx_descendants() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/expected/reachability.json"
    );
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let n = expected["nodes"].as_u64().unwrap() as usize;
    let links: Vec<Link> = expected["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Link {
            supplier: e[0].as_u64().unwrap() as usize,
            buyer: e[1].as_u64().unwrap() as usize,
            category: None,
            value: None,
            inventory_days: Some(0.0),
            essential: true,
        })
        .collect();
    let net = FirmNetwork::from_links((0..n).map(|i| i.to_string()).collect(), &links).unwrap();
    let config = CascadeConfig {
        days: n + 2,
        ..Default::default()
    };
    for case in expected["cases"].as_array().unwrap() {
        let ids = |key: &str| -> Vec<usize> {
            case[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect()
        };
        let shock = FirmShock {
            firms: ids("shocked"),
            share: 1.0,
            start: 1,
            days: usize::MAX / 2,
        };
        let run = simulate_cascade(&net, &[shock], &config).unwrap();
        let last = run.levels.last().unwrap();
        let failed: Vec<usize> = (0..n).filter(|&i| last[i] == 0.0).collect();
        assert_eq!(failed, ids("failed"));
        assert!(last.iter().all(|&q| q == 0.0 || q == 1.0));
    }
}
