//! The index per regional chain (issue 16) on the bundled example's indicators table with
//! chain-specific values laid over it (reference/chain_panel.csv), against numpy
//! (reference/chain_generate.py → chain_expected.json): units, index, dimension scores,
//! grades, ranks and the equal-weight roll-ups per region and per chain, at 1e-10.

use chainlens_model::IndicatorValue;
use chainlens_resilience::{NoDerivations, ResilienceConfig, evaluate};
use serde_json::Value;

fn values() -> Vec<IndicatorValue> {
    let example = include_str!("../../../../examples/zhejiang/data/indicators.csv");
    let chains = include_str!("../reference/chain_panel.csv");
    let mut values: Vec<IndicatorValue> = example
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            IndicatorValue {
                region: f[0].into(),
                chain: None,
                year: f[1].parse().expect("year"),
                indicator: f[2].into(),
                value: f[3].parse().expect("value"),
                source: None,
                imputed: f[5] == "true",
            }
        })
        .collect();
    values.extend(chains.lines().skip(1).map(|line| {
        let f: Vec<&str> = line.split(',').collect();
        IndicatorValue {
            region: f[0].into(),
            chain: Some(f[1].into()),
            year: f[2].parse().expect("year"),
            indicator: f[3].into(),
            value: f[4].parse().expect("value"),
            source: None,
            imputed: false,
        }
    }));
    values
}

#[track_caller]
fn close(got: f64, want: &Value, what: &str) {
    let want = want.as_f64().expect("a number");
    assert!((got - want).abs() <= 1e-10, "{what}: {got} vs {want}");
}

#[test]
fn regional_chain_index_matches_numpy() {
    let expected: Value =
        serde_json::from_str(include_str!("../reference/chain_expected.json")).unwrap();
    let e = evaluate(&ResilienceConfig::default(), &values(), &[], &NoDerivations).unwrap();
    let mut units: Vec<String> = e.scores.iter().map(|s| s.unit()).collect();
    units.dedup();
    let want: Vec<&str> = expected["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert_eq!(units, want);
    let clipped = e.adjustments.iter().filter(|a| a.from.is_some()).count();
    assert_eq!(clipped as u64, expected["clipped"].as_u64().unwrap());
    let scores = expected["scores"].as_array().unwrap();
    assert_eq!(e.scores.len(), scores.len());
    for (s, w) in e.scores.iter().zip(scores) {
        let what = format!("{} {}", s.unit(), s.year);
        assert_eq!(s.region, w["region"].as_str().unwrap(), "{what}");
        assert_eq!(s.chain.as_deref(), w["chain"].as_str(), "{what}");
        assert_eq!(i64::from(s.year), w["year"].as_i64().unwrap(), "{what}");
        close(s.index, &w["index"], &format!("{what} index"));
        for (d, x) in &s.dimensions {
            close(*x, &w["dimensions"][d], &format!("{what} {d}"));
        }
        assert_eq!(serde_json::to_value(s.grade).unwrap(), w["grade"], "{what}");
        assert_eq!(s.rank as u64, w["rank"].as_u64().unwrap(), "{what}");
    }
    let rollups = e.rollups.as_ref().expect("roll-ups of regional chains");
    for (got, want) in [
        (&rollups.regions, &expected["regions"]),
        (&rollups.chains, &expected["chains"]),
    ] {
        let want = want.as_array().unwrap();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            let what = format!("roll-up {} {}", g.id, g.year);
            assert_eq!(g.id, w["id"].as_str().unwrap(), "{what}");
            assert_eq!(i64::from(g.year), w["year"].as_i64().unwrap(), "{what}");
            close(g.index, &w["index"], &what);
            assert_eq!(serde_json::to_value(g.grade).unwrap(), w["grade"], "{what}");
            assert_eq!(g.units as u64, w["units"].as_u64().unwrap(), "{what}");
        }
    }
}
