//! The read endpoints on the bundled example, checked against what the example is known
//! to hold (examples/zhejiang/README.md): 258 enterprises (41 in Ningbo), 3 chains with
//! 26 stages, 5 risks (Table 4-6), 4 scenarios, 28 alerts once the rules are evaluated.

use crate::common::{request, shared};
use chainlens_data::store::tokens::Role;

fn viewer() -> String {
    shared().token("zhejiang", Role::Viewer, "reader")
}

#[test]
fn overview_counts_sections_and_alerts() {
    let s = shared();
    let o = s.get("/api/workspaces/zhejiang/overview", &viewer()).json();
    assert_eq!(o["workspace"]["name"], "zhejiang");
    assert_eq!(o["workspace"]["home_region"], "zhejiang");
    assert_eq!(o["counts"]["enterprises"], 258);
    assert_eq!(o["counts"]["chains"], 3);
    assert_eq!(o["counts"]["stages"], 26);
    assert_eq!(o["counts"]["risks"], 5);
    for section in [
        "linkage",
        "networks",
        "resilience",
        "risks",
        "alerts",
        "scenarios",
    ] {
        assert_eq!(o["sections"][section], "done", "{section}");
    }
    assert_eq!(o["last_import"]["counts"]["supply_links"], 848);
    // 11 cities graded in the latest year.
    assert_eq!(o["grades"].as_array().unwrap().len(), 11);
    assert!(
        o["grades"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["year"] == 2023)
    );
    assert!(o["alerts_by_level"].is_object());
}

#[test]
fn chains_and_their_network_reports_and_maps() {
    let s = shared();
    let v = viewer();
    let chains = s.get("/api/workspaces/zhejiang/chains", &v).json();
    let ids: Vec<&str> = chains
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["nev", "optical", "computing"]);
    let stages: usize = chains
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stages"].as_array().unwrap().len())
        .sum();
    assert_eq!(stages, 26);
    assert_eq!(chains[1]["stages"][1]["id"], "preform");

    let optical = s.get("/api/workspaces/zhejiang/chains/optical", &v).json();
    assert_eq!(optical["chain"], "optical");
    let map = s.get(
        "/api/workspaces/zhejiang/chains/optical/map.svg?lang=zh",
        &v,
    );
    assert_eq!(map.status, 200);
    assert_eq!(map.header("content-type"), Some("image/svg+xml"));
    assert!(map.text().starts_with("<svg"));
    assert_eq!(
        s.get("/api/workspaces/zhejiang/chains/nope", &v).status,
        404
    );
    assert_eq!(
        s.get(
            "/api/workspaces/zhejiang/chains/optical/map.svg?lang=fr",
            &v
        )
        .status,
        400
    );
}

#[test]
fn enterprises_page_through_all_and_filter() {
    let s = shared();
    let v = viewer();
    let first = s.get("/api/workspaces/zhejiang/enterprises", &v).json();
    assert_eq!(first["total"], 258);
    assert_eq!(first["limit"], 100);
    assert_eq!(first["items"].as_array().unwrap().len(), 100);
    assert_eq!(first["items"][0]["id"], "e001");
    let mut seen = Vec::new();
    for offset in (0..300).step_by(70) {
        let p = s
            .get(
                &format!("/api/workspaces/zhejiang/enterprises?offset={offset}&limit=70"),
                &v,
            )
            .json();
        seen.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
    }
    assert_eq!(seen.len(), 258);
    seen.dedup();
    assert_eq!(seen.len(), 258);
    let ningbo = s
        .get(
            "/api/workspaces/zhejiang/enterprises?region=ningbo&limit=1000",
            &v,
        )
        .json();
    assert_eq!(ningbo["total"], 41);
    let optical = s
        .get("/api/workspaces/zhejiang/enterprises?chain=optical", &v)
        .json();
    assert!(
        optical["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["stages"].to_string().contains("optical"))
    );
    assert_eq!(
        s.get("/api/workspaces/zhejiang/enterprises?limit=1001", &v)
            .status,
        400
    );
}

#[test]
fn analyses_answer_as_json_and_svg() {
    let s = shared();
    let v = viewer();
    let linkage = s.get("/api/workspaces/zhejiang/linkage", &v).json();
    // Two regions with 10 sectors each.
    assert_eq!(linkage["sectors"].as_array().unwrap().len(), 20);
    let res = s.get("/api/workspaces/zhejiang/resilience", &v).json();
    assert_eq!(
        res["years"],
        serde_json::json!([2018, 2019, 2020, 2021, 2022, 2023])
    );
    assert_eq!(res["scores"].as_array().unwrap().len(), 11 * 6);
    assert_eq!(res["trends"].as_array().unwrap().len(), 11);
    let radar = s.get("/api/workspaces/zhejiang/resilience/radar.svg", &v);
    assert_eq!(radar.header("content-type"), Some("image/svg+xml"));
    let risks = s.get("/api/workspaces/zhejiang/risks", &v).json();
    assert_eq!(risks["assessments"].as_array().unwrap().len(), 5);
    assert!(risks["matrix"].is_object());
    let scenarios = s.get("/api/workspaces/zhejiang/scenarios", &v).json();
    let names: Vec<&str> = scenarios
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "battery_stop",
            "ningbo_cutoff",
            "preform_outage",
            "risk_register"
        ]
    );
    assert_eq!(scenarios[3]["kind"], "monte_carlo");
}

#[test]
fn alerts_are_listed_filtered_and_paginated() {
    let s = shared();
    let v = viewer();
    let all = s
        .get("/api/workspaces/zhejiang/alerts?limit=1000", &v)
        .json();
    assert_eq!(all["total"], 28);
    let items = all["items"].as_array().unwrap();
    assert!(items.iter().all(|a| a["history"][0]["action"] == "raised"));
    let page = s
        .get("/api/workspaces/zhejiang/alerts?offset=25&limit=10", &v)
        .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let level1 = s
        .get("/api/workspaces/zhejiang/alerts?level=1&limit=1000", &v)
        .json();
    let n1 = items.iter().filter(|a| a["level"] == 1).count();
    assert_eq!(level1["total"], n1);
    assert_eq!(
        s.get("/api/workspaces/zhejiang/alerts?status=bogus", &v)
            .status,
        400
    );
    let one = s.get("/api/workspaces/zhejiang/alerts/3", &v).json();
    assert_eq!(one["id"], 3);
    assert_eq!(s.get("/api/workspaces/zhejiang/alerts/999", &v).status, 404);
    // Malformed parameters and unknown endpoints answer JSON errors too.
    let bad = s.get("/api/workspaces/zhejiang/alerts/abc", &v);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].is_string());
    let bad = s.get("/api/workspaces/zhejiang/alerts?limit=many", &v);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].is_string());
    let none = s.get("/api/workspaces/zhejiang/nothing", &v);
    assert_eq!(none.status, 404);
    assert_eq!(
        none.json()["error"],
        "no endpoint GET /api/workspaces/zhejiang/nothing"
    );
}

#[test]
fn the_report_downloads_as_html_and_xlsx() {
    let s = shared();
    let v = viewer();
    let html = s.get("/api/workspaces/zhejiang/report?lang=zh", &v);
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.text().contains("<svg"));
    let xlsx = s.get("/api/workspaces/zhejiang/report.xlsx", &v);
    assert_eq!(xlsx.status, 200);
    // An XLSX file is a ZIP archive.
    assert_eq!(&xlsx.body[..4], b"PK\x03\x04");
}

#[test]
fn an_oversize_body_is_refused_with_413() {
    let s = shared();
    let a = s.token("zhejiang", Role::Analyst, "big");
    let note = "x".repeat(2 << 20);
    let body = format!("{{\"note\":\"{note}\"}}");
    let r = request(
        s.addr,
        "POST",
        "/api/workspaces/zhejiang/alerts/4/ack",
        Some(&a),
        body.as_bytes(),
    );
    assert_eq!(r.status, 413);
    // Not acknowledged.
    let alert = s.get("/api/workspaces/zhejiang/alerts/4", &a).json();
    assert_eq!(alert["status"], "open");
}
