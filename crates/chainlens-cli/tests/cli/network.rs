//! `chainlens network`, `supplement` and `clearing` end to end (issue 5's "done means").
//!
//! The expected values are independent of the code under test: the example's weaknesses
//! and the cable supplier's clearing are stated and hand-computed in
//! examples/zhejiang/README.md; where a figure needs the example's data (which firms serve
//! a stage, a supplier's capacity), the test reads it straight from the CSV files and
//! applies the documented formula. Small fixtures are computed by hand in the comments.

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn text_of(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// Runs a command that must fail with exit code 1; returns its stderr.
fn failure(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{args:?} printed a result");
    let e = stderr(&o);
    assert!(!e.contains("panicked"), "{e}");
    e
}

/// The example's CSV rows as header → cell maps (the example has no quoted cells).
fn rows(dir: &Path, file: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("data").join(file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, c)| ((*h).to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col].parse().unwrap()
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    (tmp, dir)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn the_nev_map_shows_the_power_semis_gap_and_coverage() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    // README: `nev/power_semis` has no maker in Zhejiang (the home region), 4 elsewhere.
    let r = json_of(&["network", d, "--chain", "nev", "--format", "json"]);
    assert_eq!(r["region"], "zhejiang", "defaults to home_region");
    let gap = serde_json::json!({"kind": "stage_missing_in_region", "stage": "power_semis", "region": "zhejiang"});
    let bps = r["breakpoints"].as_array().unwrap();
    assert!(bps.contains(&gap), "{bps:?}");
    // Every other stage has a firm in Zhejiang: D112 = 13/14.
    let cov = &r["integrity"]["coverage"];
    assert_eq!(cov["missing"], serde_json::json!(["power_semis"]));
    assert_eq!(
        (cov["covered"].as_u64(), cov["stages"].as_u64()),
        (Some(13), Some(14))
    );
    assert!(close(cov["rate"].as_f64().unwrap(), 13.0 / 14.0));
    // README: e027 has a single source of power semiconductors.
    assert!(
        bps.iter().any(|b| b["kind"] == "single_supplier"
            && b["buyer"] == "e027"
            && b["input"] == "power_semis"),
        "{bps:?}"
    );
    // §5 keys of every node.
    for n in r["nodes"].as_array().unwrap() {
        for key in ["id", "idom", "dominated_count", "articulation"] {
            assert!(n.get(key).is_some(), "{key} missing in {n}");
        }
    }

    // D111 by hand from the CSV files: the leading nev enterprises in Zhejiang (all the
    // example's cities are in Zhejiang) and the share of their nev supply links whose
    // supplier is in Zhejiang, by count and by value.
    let firms = rows(&dir, "enterprises.csv");
    let outside: BTreeSet<&str> = [
        "shanghai",
        "jiangsu",
        "anhui",
        "guangdong",
        "abroad",
        "china",
    ]
    .into_iter()
    .collect();
    let region: BTreeMap<&str, &str> = firms
        .iter()
        .map(|f| (f["id"].as_str(), f["region"].as_str()))
        .collect();
    let in_nev: BTreeSet<&str> = firms
        .iter()
        .filter(|f| f["stages"].split(';').any(|s| s.starts_with("nev/")))
        .map(|f| f["id"].as_str())
        .collect();
    let leaders: BTreeSet<&str> = firms
        .iter()
        .filter(|f| f["role"] == "leading" && in_nev.contains(f["id"].as_str()))
        .filter(|f| !outside.contains(f["region"].as_str()))
        .map(|f| f["id"].as_str())
        .collect();
    let (mut n, mut local_n, mut v, mut local_v) = (0, 0, 0.0, 0.0);
    for l in rows(&dir, "supply_links.csv") {
        if l["chain"] != "nev"
            || !leaders.contains(l["buyer"].as_str())
            || !in_nev.contains(l["supplier"].as_str())
        {
            continue;
        }
        let local = !outside.contains(region[l["supplier"].as_str()]);
        n += 1;
        v += num(&l, "value");
        if local {
            local_n += 1;
            local_v += num(&l, "value");
        }
    }
    let m = &r["integrity"]["local_matching"];
    assert_eq!(
        m["leading_enterprises"].as_u64(),
        Some(leaders.len() as u64)
    );
    assert_eq!(
        (m["links"].as_u64(), m["local_links"].as_u64()),
        (Some(n), Some(local_n))
    );
    assert!(close(
        m["rate_by_count"].as_f64().unwrap(),
        local_n as f64 / n as f64
    ));
    assert!(close(m["rate_by_value"].as_f64().unwrap(), local_v / v));

    // The terminal map says the same.
    let t = text_of(&["network", d, "--chain", "nev"]);
    assert!(
        t.contains("Chain coverage (D112) in zhejiang: 13/14 stages"),
        "{t}"
    );
    assert!(t.contains("missing: power_semis"), "{t}");
    assert!(t.contains("Local matching (D111)"), "{t}");
    let gap_row = t
        .lines()
        .find(|l| l.contains(" power_semis ") && l.contains("GAP"))
        .unwrap_or_else(|| panic!("no gap row:\n{t}"));
    assert!(gap_row.contains("shanghai 1"), "{gap_row}");
    assert!(gap_row.contains("abroad 2"), "{gap_row}");
    assert!(
        t.contains("stage `power_semis` has no enterprise in zhejiang"),
        "{t}"
    );
    assert!(t.contains("External dependence of core stages"), "{t}");
    assert!(t.contains("Single points of failure"), "{t}");
    assert!(t.contains("Concentration hot spots"), "{t}");
}

#[test]
fn the_preform_maker_e154_dominates_the_optical_chain() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    let r = json_of(&["network", d, "--chain", "optical", "--format", "json"]);
    // README: e154 is the only preform supplier of the 5 fibre makers and through them
    // dominates all 37 enterprises of the fibre, cable, devices and switches stages.
    let expected: BTreeSet<String> = rows(&dir, "enterprises.csv")
        .into_iter()
        .filter(|f| {
            f["stages"].split(';').any(|s| {
                [
                    "optical/fibre",
                    "optical/cable",
                    "optical/devices",
                    "optical/switches",
                ]
                .contains(&s)
            })
        })
        .map(|f| f["id"].clone())
        .collect();
    assert_eq!(expected.len(), 37);
    let nodes = r["nodes"].as_array().unwrap();
    let idom: BTreeMap<&str, Option<&str>> = nodes
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["idom"].as_str()))
        .collect();
    let dominated: BTreeSet<String> = idom
        .keys()
        .filter(|&&v| {
            let mut cur = idom[v];
            while let Some(d) = cur {
                if d == "e154" {
                    return true;
                }
                cur = idom[d];
            }
            false
        })
        .map(|v| (*v).to_owned())
        .collect();
    assert_eq!(dominated, expected);
    for f in ["e156", "e157", "e158", "e159", "e160"] {
        assert_eq!(idom[f], Some("e154"), "{f}");
    }
    let e154 = nodes.iter().find(|n| n["id"] == "e154").unwrap();
    assert_eq!(e154["dominated_count"], 37);
    // Dominated output = the 37 firms' output, summed from the CSV.
    let output: f64 = rows(&dir, "enterprises.csv")
        .iter()
        .filter(|f| expected.contains(&f["id"]))
        .map(|f| num(f, "output"))
        .sum();
    assert!(close(e154["dominated_output"].as_f64().unwrap(), output));
    let top = &r["single_points"][0];
    assert_eq!(top["id"], "e154");
    assert_eq!(top["region"], "hangzhou");
    // e154 feeds the rest of the network: a cut vertex of the undirected graph.
    assert_eq!(e154["articulation"], true);
    for f in ["e156", "e157", "e158", "e159", "e160"] {
        let single = serde_json::json!({"kind": "single_supplier", "buyer": f, "input": "preform", "supplier": "e154"});
        assert!(
            r["breakpoints"].as_array().unwrap().contains(&single),
            "{f}"
        );
    }

    let t = text_of(&["network", d, "--chain", "optical", "--region", "zhejiang"]);
    let row = t
        .lines()
        .find(|l| l.trim_start().starts_with("1 ") && l.contains("e154"))
        .unwrap_or_else(|| panic!("e154 is not the first single point:\n{t}"));
    // Each firm counted once, at its first stage (e173 serves devices and switches).
    assert!(
        row.contains("Hangzhou Tianxing Optical Preform Co."),
        "{row}"
    );
    assert!(row.contains(" 37 "), "{row}");
    assert!(
        row.contains("fibre 5, cable 12, devices 12, switches 8"),
        "{row}"
    );

    // CSV: one row per firm with the same screens.
    let csv = text_of(&["network", d, "--chain", "optical", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,region,stages,idom,dominated_count,dominated_output,post_idom,post_dominated_count,articulation"
    );
    assert_eq!(lines.count(), nodes.len());
}

#[test]
fn unknown_chain_region_stage_and_enterprise_are_named_with_a_suggestion() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    let e = failure(&["network", d, "--chain", "nevv"]);
    assert!(
        e.contains("--chain: unknown chain `nevv` (did you mean `nev`?)"),
        "{e}"
    );
    assert!(
        e.contains("chainlens.toml defines: nev, optical, computing"),
        "{e}"
    );
    let e = failure(&["network", d, "--chain", "nev", "--region", "zhejaing"]);
    assert!(
        e.contains("--region: unknown region `zhejaing` (did you mean `zhejiang`?)"),
        "{e}"
    );
    let e = failure(&["supplement", d, "--chain", "nev", "--stage", "power_semi"]);
    assert!(
        e.contains("--stage: chain `nev` has no stage `power_semi` (did you mean `power_semis`?)"),
        "{e}"
    );
    let e = failure(&["supplement", d, "--chain", "optical", "--replace", "e1544"]);
    assert!(e.contains("--replace: unknown enterprise `e1544`"), "{e}");
    let e = failure(&["clearing", d, "--chain", "optcal"]);
    assert!(e.contains("(did you mean `optical`?)"), "{e}");
    // Usage errors: no chain, or both --stage and --replace missing.
    assert_eq!(run(&["network", d]).status.code(), Some(2));
    assert_eq!(
        run(&["supplement", d, "--chain", "nev"]).status.code(),
        Some(2)
    );
}

#[test]
fn supplement_ranks_partners_for_the_power_semis_gap() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    let s = json_of(&[
        "supplement",
        d,
        "--chain",
        "nev",
        "--stage",
        "power_semis",
        "--format",
        "json",
    ]);
    // The four makers (README), scored by the documented formula with the CSV's figures:
    // 0.40·spare/max spare + 0.30·(1 − class/4) + 0.20·(1 − output/capacity), no relation.
    // Needed in Zhejiang: Shanghai and Jiangsu are neighbouring provinces (class 2),
    // abroad is class 4.
    let firms = rows(&dir, "enterprises.csv");
    let makers: Vec<&BTreeMap<String, String>> = firms
        .iter()
        .filter(|f| f["stages"] == "nev/power_semis")
        .collect();
    let spare = |f: &BTreeMap<String, String>| num(f, "capacity") - num(f, "output");
    let max_spare = makers.iter().map(|f| spare(f)).fold(0.0, f64::max);
    let mut expected: Vec<(String, f64)> = makers
        .iter()
        .map(|f| {
            let near = if f["region"] == "abroad" { 0.0 } else { 0.5 };
            let score = 0.4 * spare(f) / max_spare
                + 0.3 * near
                + 0.2 * (1.0 - num(f, "output") / num(f, "capacity"));
            (f["id"].clone(), score)
        })
        .collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1));
    let got: Vec<(String, f64)> = s["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got.iter().map(|g| &g.0).collect::<Vec<_>>(),
        expected.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    assert_eq!(got[0].0, "e020", "Shanghai, most spare capacity");
    for (g, e) in got.iter().zip(&expected) {
        assert!(close(g.1, e.1), "{g:?} vs {e:?}");
    }
    let first = &s["candidates"][0];
    assert_eq!(first["distance"], "neighbouring_province");
    assert!(
        first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "neighbouring province"),
        "{first}"
    );
    assert_eq!(s["assignment"], serde_json::json!([]));

    let t = text_of(&["supplement", d, "--chain", "nev", "--stage", "power_semis"]);
    assert!(
        t.contains("Candidates for stage `power_semis` of chain nev, needed in zhejiang"),
        "{t}"
    );
    let row = t.lines().find(|l| l.starts_with("1 ")).unwrap();
    assert!(
        row.contains("e020") && row.contains("spare capacity"),
        "{row}"
    );
}

#[test]
fn supplement_replaces_e154_with_e155_and_reports_unmet_volume() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    let s = json_of(&[
        "supplement",
        d,
        "--chain",
        "optical",
        "--replace",
        "e154",
        "--format",
        "json",
    ]);
    // README: e155 (Changzhou, Jiangsu) has spare capacity and no relation yet.
    let ids: Vec<&str> = s["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["e155"]);
    assert_eq!(s["replaced"], "e154");
    assert_eq!(s["stages"], serde_json::json!(["preform"]));
    let e155 = &s["candidates"][0];
    assert_eq!(e155["region"], "jiangsu");
    assert_eq!(e155["existing_relations"], serde_json::json!([]));
    // Lost volume: e154's links, from the CSV; e155 can take its spare capacity only.
    let links = rows(&dir, "supply_links.csv");
    let lost: f64 = links
        .iter()
        .filter(|l| l["supplier"] == "e154")
        .map(|l| num(l, "value"))
        .sum();
    let firms = rows(&dir, "enterprises.csv");
    let f155 = firms.iter().find(|f| f["id"] == "e155").unwrap();
    let spare = num(f155, "capacity") - num(f155, "output");
    assert!(close(s["lost_volume"].as_f64().unwrap(), lost));
    assert!(close(s["unmet_volume"].as_f64().unwrap(), lost - spare));
    let assigned: f64 = s["assignment"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|a| assert_eq!(a["supplier"], "e155"))
        .map(|a| a["volume"].as_f64().unwrap())
        .sum();
    assert!(close(assigned, spare));

    let t = text_of(&["supplement", d, "--chain", "optical", "--replace", "e154"]);
    assert!(
        t.contains("Replacing e154 (Hangzhou Tianxing Optical Preform Co."),
        "{t}"
    );
    assert!(t.contains("Changzhou Hengguang Preform"), "{t}");
    assert!(t.contains("neighbouring province"), "{t}");
    assert!(
        t.contains("Lost volume 524,445; reassigned 28,656; unmet 495,789"),
        "{t}"
    );
}

#[test]
fn clearing_finds_the_cable_suppliers_default_and_its_injection() {
    let (_tmp, dir) = example_copy();
    let d = dir.to_str().unwrap();
    let c = json_of(&["clearing", d, "--format", "json"]);
    // README's table: round 1 D1 (e174) and D2 (e175), round 2 C (e161); nobody else.
    assert_eq!(c["defaults"], serde_json::json!(["e161", "e174", "e175"]));
    assert_eq!(c["rounds"], 2);
    let pay = |id: &str| c["payments"][id].as_f64().unwrap();
    assert!(close(pay("e174"), 3465.0));
    assert!(close(pay("e175"), 1800.0));
    assert!(close(pay("e161"), 8875.0));
    assert!(close(c["obligations"]["e161"].as_f64().unwrap(), 10_000.0));
    // C defaults only because its debtors pay late; D1 and D2 fall short on their own.
    assert_eq!(c["contagion"], serde_json::json!(["e161"]));
    // Smallest injections: C 10,000 − 600 − 8,275 = 1,125 (README); D1 9,900 − 465 −
    // 3,000 = 6,435; D2 6,000 − 300 − 1,500 = 4,200 (their debtors pay in full).
    assert!(close(c["injections"]["e161"].as_f64().unwrap(), 1125.0));
    assert!(close(c["injections"]["e174"].as_f64().unwrap(), 6435.0));
    assert!(close(c["injections"]["e175"].as_f64().unwrap(), 4200.0));
    assert_eq!(c["unique"], true);
    assert_eq!(c["note"], Value::Null);
    // Everybody else pays in full.
    let payments = c["payments"].as_object().unwrap();
    for (id, p) in payments {
        if !["e161", "e174", "e175"].contains(&id.as_str()) {
            assert!(
                close(p.as_f64().unwrap(), c["obligations"][id].as_f64().unwrap()),
                "{id}"
            );
        }
    }

    let t = text_of(&["clearing", d]);
    assert!(t.contains("3 default(s) in 2 round(s)"), "{t}");
    let row = t.lines().find(|l| l.starts_with("e161")).unwrap();
    for part in [
        "10,000",
        "8,875",
        "88.75 %",
        "only because its debtors pay late",
        "1,125",
    ] {
        assert!(row.contains(part), "{part} not in {row}");
    }
    // README's knock-on losses: e156 receives 5,325 of 6,000 from C.
    let e156 = t.lines().find(|l| l.starts_with("e156")).unwrap();
    assert!(e156.contains("absorbs the loss"), "{e156}");
    // The optical chain alone holds the whole story.
    let o = json_of(&["clearing", d, "--chain", "optical", "--format", "json"]);
    assert_eq!(o["defaults"], serde_json::json!(["e161", "e174", "e175"]));
}

#[test]
fn clearing_of_files_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // A owes B 10 and C 10; B owes C 8; C owes A 4. Cash A 6, B 1, C 0.
    // Round 1: A has 6 + 4 = 10 < 20 → defaults, pays 6 + 4 = 10 (half to B, half to C).
    // Round 2: B has 1 + 5 = 6 < 8 → defaults, pays 6; C gets 5 + 6 = 11 ≥ 4 and pays 4.
    // B would hold 1 + 10 ≥ 8 if A paid: contagion. A falls short on its own.
    // Injections: A forced to pay 20 still receives 4 → 20 − 6 − 4 = 10;
    //             B forced to pay 8 receives 5 from A → 8 − 1 − 5 = 2.
    let l = write(
        t,
        "l.csv",
        "debtor,creditor,amount\nA,B,10\nA,C,10\nB,C,8\nC,A,4\n",
    );
    let a = write(t, "e.csv", "id,assets\nA,6\nB,1\nC,0\n");
    let c = json_of(&[
        "clearing",
        "--liabilities",
        &l,
        "--assets",
        &a,
        "--format",
        "json",
    ]);
    assert_eq!(
        c["payments"],
        serde_json::json!({"A": 10.0, "B": 6.0, "C": 4.0})
    );
    assert_eq!(c["defaults"], serde_json::json!(["A", "B"]));
    assert_eq!(c["rounds"], 2);
    assert_eq!(c["contagion"], serde_json::json!(["B"]));
    assert!(close(c["injections"]["A"].as_f64().unwrap(), 10.0));
    assert!(close(c["injections"]["B"].as_f64().unwrap(), 2.0));
    // C's equity: 0 + 5 + 6 − 4 = 7.
    assert!(close(c["equity"]["C"].as_f64().unwrap(), 7.0));
    assert_eq!(c["unique"], true);

    // The same network as a square matrix gives the same clearing.
    let m = write(t, "m.csv", "id,A,B,C\nA,0,10,10\nB,0,0,8\nC,4,0,0\n");
    let cm = json_of(&[
        "clearing",
        "--liabilities",
        &m,
        "--assets",
        &a,
        "--format",
        "json",
    ]);
    assert_eq!(cm["payments"], c["payments"]);

    // A zero-asset cycle: any circulation clears; the greatest vector (all pay 5) is
    // returned and the output says the vector is not unique.
    let cyc = write(t, "cyc.csv", "id,A,B,C\nA,0,5,0\nB,0,0,5\nC,5,0,0\n");
    let zero = write(t, "zero.csv", "id,cash\nA,0\nB,0\nC,0\n");
    let z = json_of(&[
        "clearing",
        "--liabilities",
        &cyc,
        "--assets",
        &zero,
        "--format",
        "json",
    ]);
    assert_eq!(
        z["payments"],
        serde_json::json!({"A": 5.0, "B": 5.0, "C": 5.0})
    );
    assert_eq!(z["defaults"], serde_json::json!([]));
    assert_eq!(z["rounds"], 0);
    assert_eq!(z["unique"], false);
    assert!(z["note"].as_str().unwrap().contains("not unique"), "{z}");
    let text = text_of(&["clearing", "--liabilities", &cyc, "--assets", &zero]);
    assert!(
        text.contains("note: the clearing vector is not unique"),
        "{text}"
    );
    assert!(
        text.contains("Every firm pays its obligations in full."),
        "{text}"
    );

    // CSV: one row per firm.
    let csv = text_of(&[
        "clearing",
        "--liabilities",
        &l,
        "--assets",
        &a,
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with("A,6,20,10,0.5,true,false,10,"),
        "{csv}"
    );
}

#[test]
fn bad_liabilities_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let a = write(t, "e.csv", "id,assets\nA,1\nB,1\n");
    let neg = write(t, "neg.csv", "debtor,creditor,amount\nA,B,3\nB,A,-5\n");
    let e = failure(&["clearing", "--liabilities", &neg, "--assets", &a]);
    assert!(
        e.contains("neg.csv:3:3: amount: -5 is negative or not finite"),
        "{e}"
    );
    let diag = write(t, "diag.csv", "id,A,B\nA,2,1\nB,0,0\n");
    let e = failure(&["clearing", "--liabilities", &diag, "--assets", &a]);
    assert!(
        e.contains("diag.csv:2:2: A: diagonal: `A` cannot owe itself (2)"),
        "{e}"
    );
    let selfowe = write(t, "self.csv", "debtor,creditor,amount\nA,A,2\n");
    let e = failure(&["clearing", "--liabilities", &selfowe, "--assets", &a]);
    assert!(
        e.contains("self.csv:2:3: amount: `A` cannot owe itself (2)"),
        "{e}"
    );
    let bad_assets = write(t, "bad_e.csv", "id,assets\nA,x\n");
    let ok = write(t, "ok.csv", "debtor,creditor,amount\nA,B,3\n");
    let e = failure(&["clearing", "--liabilities", &ok, "--assets", &bad_assets]);
    assert!(
        e.contains("bad_e.csv:2:2: assets: `x` is not a number"),
        "{e}"
    );
    let missing = t.join("nope.csv");
    let e = failure(&[
        "clearing",
        "--liabilities",
        missing.to_str().unwrap(),
        "--assets",
        &a,
    ]);
    assert!(e.contains("nope.csv"), "{e}");
}

/// r → m → {x, y} → z, plus a second chain that `--chain 1` leaves out.
fn tiny(t: &Path) -> (String, String) {
    let nodes = write(
        t,
        "nodes.csv",
        "chain,id,output\n1,r,10\n1,m,20\n1,x,5\n1,y,7\n1,z,30\n2,q,1\n2,w,1\n",
    );
    let edges = write(
        t,
        "edges.csv",
        "chain,src,dst,category,value,essential\n\
         1,r,m,steel,4,true\n\
         1,m,x,parts,3,true\n\
         1,m,y,parts,2,true\n\
         1,x,z,sub,1,true\n\
         1,y,z,sub,1,true\n\
         2,q,w,,1,false\n",
    );
    (nodes, edges)
}

#[test]
fn plain_nodes_and_edges_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let (n, e) = tiny(tmp.path());
    let r = json_of(&[
        "network", "--nodes", &n, "--edges", &e, "--chain", "1", "--format", "json",
    ]);
    assert_eq!(
        (r["firms"].as_u64(), r["links"].as_u64()),
        (Some(5), Some(5))
    );
    let node = |id: &str| {
        r["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .clone()
    };
    // Dominators (virtual source → r): r → m → {x, y, z}; z is reached via x or y, so m.
    assert_eq!(node("r")["idom"], Value::Null);
    assert_eq!(node("m")["idom"], "r");
    for v in ["x", "y", "z"] {
        assert_eq!(node(v)["idom"], "m", "{v}");
    }
    assert_eq!(node("r")["dominated_count"], 4);
    assert_eq!(node("m")["dominated_count"], 3);
    assert_eq!(node("x")["dominated_count"], 0);
    // Post-dominators towards the final customer z.
    assert_eq!(node("r")["post_idom"], "m");
    assert_eq!(node("m")["post_idom"], "z");
    assert_eq!(node("x")["post_idom"], "z");
    // Undirected: only m separates (r hangs on it; m–x–z–y–m is a cycle).
    for (v, cut) in [
        ("r", false),
        ("m", true),
        ("x", false),
        ("y", false),
        ("z", false),
    ] {
        assert_eq!(node(v)["articulation"], cut, "{v}");
    }
    // r dominates the output of m, x, y, z: 20 + 5 + 7 + 30.
    assert_eq!(r["single_points"][0]["id"], "r");
    assert_eq!(r["single_points"][0]["dominated_output"], 62.0);
    // Single suppliers of an essential category: m (steel from r), x and y (parts from
    // m); z has two `sub` suppliers.
    let mut singles: Vec<(String, String, String)> = r["breakpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            assert_eq!(b["kind"], "single_supplier");
            (
                b["buyer"].as_str().unwrap().to_owned(),
                b["input"].as_str().unwrap().to_owned(),
                b["supplier"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    singles.sort();
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        singles,
        [
            s("m", "steel", "r"),
            s("x", "parts", "m"),
            s("y", "parts", "m")
        ]
    );

    let t = text_of(&["network", "--nodes", &n, "--edges", &e, "--chain", "1"]);
    assert!(t.contains("5 nodes, 5 edges"), "{t}");
    assert!(
        t.contains("`m` buys essential `steel` from `r` only"),
        "{t}"
    );
    // Without --chain both chains are read: 7 nodes.
    let all = json_of(&["network", "--nodes", &n, "--edges", &e, "--format", "json"]);
    assert_eq!(all["firms"], 7);
    let csv = text_of(&["network", "--nodes", &n, "--edges", &e, "--format", "csv"]);
    assert!(csv.starts_with(
        "id,idom,dominated_count,dominated_output,post_idom,post_dominated_count,articulation\n"
    ));
    assert_eq!(csv.lines().count(), 8);
}

#[test]
fn bad_networks_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let n = write(t, "nodes.csv", "id,output\na,1\nb,2\n");
    let e = write(t, "edges.csv", "src,dst,value\na,b,1\nb,nope,1\na,b,-3\n");
    let err = failure(&["network", "--nodes", &n, "--edges", &e]);
    assert!(
        err.contains("edges.csv:3:2: dst: unknown node `nope`"),
        "{err}"
    );
    assert!(
        err.contains("edges.csv:4:3: value: -3 is negative or not finite"),
        "{err}"
    );
    let no_id = write(t, "no_id.csv", "name\na\n");
    let err = failure(&["network", "--nodes", &no_id, "--edges", &e]);
    assert!(err.contains("no_id.csv:1: id: no `id` column"), "{err}");
    // Duplicates are merged with a warning, not refused.
    let dup = write(t, "dup.csv", "src,dst,value\na,b,1\na,b,2\n");
    let o = run(&[
        "network", "--nodes", &n, "--edges", &dup, "--format", "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("duplicate edge `a` → `b`"),
        "{}",
        stderr(&o)
    );
    // --chain on files without a chain column.
    let err = failure(&["network", "--nodes", &n, "--edges", &e, "--chain", "7"]);
    assert!(err.contains("no `chain` column"), "{err}");
}

#[test]
fn without_a_home_region_the_map_counts_every_firm() {
    let (_tmp, dir) = example_copy();
    let toml = dir.join("chainlens.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("home_region"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&toml, text).unwrap();
    let d = dir.to_str().unwrap();
    let r = json_of(&["network", d, "--chain", "optical", "--format", "json"]);
    assert_eq!(r["region"], Value::Null);
    assert_eq!(r["integrity"], Value::Null);
    // README: two preform makers, e154 (Hangzhou) and e155 (Jiangsu).
    let t = text_of(&["network", d, "--chain", "optical"]);
    assert!(t.contains("Chain coverage anywhere: 6/6 stages"), "{t}");
    let preform = t
        .lines()
        .find(|l| l.contains(" preform "))
        .unwrap_or_else(|| panic!("{t}"));
    let cells: Vec<&str> = preform.split_whitespace().collect();
    assert_eq!(&cells[..4], ["2", "preform", "core", "2"], "{preform}");
    assert!(preform.contains("hangzhou 1, jiangsu 1"), "{preform}");
}
