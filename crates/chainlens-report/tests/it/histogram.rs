//! The loss histogram's bins against numpy.histogram (tests/reference/generate.py).

use chainlens_report::chart::histogram::bins;
use serde_json::Value;

#[test]
fn bins_match_numpy_histogram() {
    let text = include_str!("../reference/histogram.json");
    let json: Value = serde_json::from_str(text).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 9);
    for c in cases {
        let values: Vec<f64> = serde_json::from_value(c["values"].clone()).unwrap();
        let n = c["bins"].as_u64().unwrap() as usize;
        let counts: Vec<u32> = serde_json::from_value(c["counts"].clone()).unwrap();
        let edges: Vec<f64> = serde_json::from_value(c["edges"].clone()).unwrap();
        let got = bins(&values, n);
        let name = c["name"].as_str().unwrap();
        assert_eq!(
            got.iter().map(|b| b.2).collect::<Vec<_>>(),
            counts,
            "{name}/{n}"
        );
        for (k, b) in got.iter().enumerate() {
            assert!(
                (b.0 - edges[k]).abs() <= 1e-12 * edges[k].abs().max(1.0),
                "{name}/{n}"
            );
            assert!((b.1 - edges[k + 1]).abs() <= 1e-12 * edges[k + 1].abs().max(1.0));
        }
    }
}
