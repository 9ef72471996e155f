//! `chainlens plan` end to end on the bundled example (issue 18): the figures of the
//! cable supplier's case (examples/zhejiang/README.md) worked out by hand with dates.

use crate::common::*;
use serde_json::Value;

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64()
        .is_some_and(|a| (a - b).abs() <= 1e-6 * b.abs().max(1.0))
}

#[test]
fn protection_dates_the_cable_suppliers_case() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let p = json_of(&["plan", "protection", d, "--format", "json"]);
    // The static side is `chainlens clearing`'s: D1 (e174), D2 (e175) and C (e161).
    let c = json_of(&["clearing", d, "--format", "json"]);
    assert_eq!(p["static"]["defaults"], c["defaults"]);
    assert_eq!(p["static"]["injections"], c["injections"]);
    // Dated (30-day periods, 60-day terms: current receivables half on day 30, half on
    // day 60; past-due ones today). D1 owes C 8,100 and e162 1,800, both past due, and
    // holds 465; its own receivables are current: it needs 9,900 − 465 = 9,435 today.
    // D2 owes C 4,800 past due and e163 1,200 current (600 on each date) and holds 300;
    // e187 owes it 1,500 current (750 on each date): cumulative need 4,800 today, 4,650
    // and 4,500 later: 4,800 − 300 = 4,500. C owes 10,000 current (5,000 on each date)
    // and holds 600: paid in full by its debtors it is never short, so it needs nothing —
    // it defaults (on day 60) only because D1 and D2 pay late.
    let as_is = &p["options"][0];
    assert_eq!(as_is["name"], "as_is");
    let ll = as_is["least_liquidity"].as_object().unwrap();
    assert_eq!(ll.len(), 2, "{ll:?}");
    assert!(
        close(&ll["e174"], 9435.0) && close(&ll["e175"], 4500.0),
        "{ll:?}"
    );
    let ids: Vec<&str> = as_is["defaults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["e161", "e174", "e175"]);
    assert_eq!(as_is["defaults"][0]["first_day"], 60.0);
    let m = &p["measures"][0];
    assert_eq!(m["kind"], "protection");
    assert_eq!(m["firms"], serde_json::json!(["e174", "e175"]));
    assert!(close(&m["numbers"]["total"], 13935.0));
    let t = run(&["plan", "protection", d, "--chain", "optical"]);
    let text = String::from_utf8(t.stdout).unwrap();
    assert!(text.contains("0 (others pay late)"), "{text}");
    let bad = run(&["plan", "protection", d, "--chain", "optcal"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("did you mean `optical`"),
        "{}",
        stderr(&bad)
    );
}
