//! `chainlens run` and `chainlens report` on the bundled example: every analysis runs,
//! the report is self-contained and complete in both languages, the tables are written.

use crate::common::*;

/// Every `src`, `href` and `url(` target in the page, which must all be in-page anchors.
fn external_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["src=\"", "href=\"", "url("] {
        for (i, _) in html.match_indices(marker) {
            let rest = &html[i + marker.len()..];
            let target: String = rest
                .chars()
                .take_while(|c| !matches!(c, '"' | ')'))
                .collect();
            if !target.starts_with('#') {
                found.push(target);
            }
        }
    }
    found
}

#[test]
fn run_writes_both_reports_the_workbook_and_every_result() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let o = run(&["run", d]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    for section in [
        "linkage",
        "supply networks",
        "resilience index",
        "index research",
        "risk register",
        "early warning",
        "clearing",
        "spatial statistics",
    ] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(section) && l.trim_end().ends_with("done")),
            "{section} did not run:\n{out}"
        );
    }
    // The optical chain's preform maker dominates the fibre, cable, device and switch
    // makers (examples/zhejiang/README.md, computed by generate.py's own check).
    assert!(
        out.contains("top single point of failure e154 (37 firms depend on it)"),
        "{out}"
    );
    assert!(out.contains("(1 firm depends on it)"), "{out}");

    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/results.json")).unwrap()).unwrap();
    assert_eq!(results["risks"]["status"], "done");
    let research = &results["research"]["detail"];
    assert!(
        research["validation"]["reliability"]["alpha"]
            .as_f64()
            .unwrap()
            > 0.9
    );
    assert_eq!(research["regression"]["coefficients"][0]["name"], "L.index");
    assert_eq!(research["decomposition"].as_array().unwrap().len(), 11);
    // [spatial]: the index's Moran's I for each of the six years, on the cities' outlines.
    assert_eq!(results["spatial"]["status"], "done");
    assert_eq!(
        results["spatial"]["detail"]["years"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    let levels: Vec<&str> = results["risks"]["detail"]["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    // Zhang (2024), Table 4-6.
    assert_eq!(levels, ["high", "high", "medium", "low", "medium"]);
    // The cable supplier defaults because its customers pay late; 1,125 prevents it
    // (hand calculation in examples/zhejiang/README.md).
    let clearing = &results["clearing"]["detail"];
    assert!(
        clearing["contagion"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "e161"),
        "{clearing}"
    );
    let injection = clearing["injections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "e161")
        .unwrap()[1]
        .as_f64()
        .unwrap();
    assert!((injection - 1125.0).abs() < 1e-6, "{injection}");

    for lang in ["en", "zh"] {
        let html = std::fs::read_to_string(dir.join(format!("out/report.{lang}.html"))).unwrap();
        assert_eq!(external_references(&html), Vec::<String>::new(), "{lang}");
        assert!(!html.contains("<script"), "{lang}");
        assert!(html.matches("<svg").count() >= 8, "{lang}: too few charts");
    }
    let zh = std::fs::read_to_string(dir.join("out/report.zh.html")).unwrap();
    assert!(
        zh.contains("产业关联") && zh.contains("韧性"),
        "Chinese headings missing"
    );
    assert!(dir.join("out/report.xlsx").metadata().unwrap().len() > 1000);
    let risks_csv = std::fs::read_to_string(dir.join("out/tables/risks.csv")).unwrap();
    assert_eq!(risks_csv.lines().count(), 6, "{risks_csv}");
}

#[test]
fn report_writes_one_language_and_raises_no_alerts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let d = dir.to_str().unwrap();
    let file = tmp.path().join("zh.html");
    let o = run(&["report", d, "--out", file.to_str().unwrap(), "--lang", "zh"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("韧性"));
    // No store was written: `report` only reads.
    assert!(!dir.join("chainlens.db").exists());
}

/// Where the panel lacks D111/D112 in its latest year, the index takes them from the
/// supply network instead of imputing them; a city without leading enterprises has no
/// local matching rate, so that one value is still imputed (and flagged).
#[test]
fn missing_structural_indicators_are_derived_from_the_supply_network() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let path = dir.join("data/indicators.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !(l.contains(",2023,D111,") || l.contains(",2023,D112,")))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(kept.len() < text.len());
    std::fs::write(&path, kept).unwrap();
    let o = run(&["evaluate", dir.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let imputed: Vec<(String, String)> = e["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["year"] == 2023 && a["from"].is_null())
        .map(|a| {
            (
                a["region"].as_str().unwrap().to_owned(),
                a["indicator"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Hangzhou hosts leading firms of every chain: both values are measured, none imputed.
    assert!(!imputed.iter().any(|(r, _)| r == "hangzhou"), "{imputed:?}");
    // Coverage (D112) is defined for every city, so it is never imputed.
    assert!(!imputed.iter().any(|(_, i)| i == "D112"), "{imputed:?}");
}

/// `evaluate --research` with a configured model: the regressors as named, and a driver
/// the panel does not have is a warning naming it, not a failure of the other checks.
#[test]
fn evaluate_research_runs_the_configured_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let toml = dir.join("chainlens.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[resilience.research]\ndecomposition = [2019, 2022]\n[resilience.research.regression]\ndependent = \"index\"\ndrivers = [\"independent_innovation_rate\"]\ninteractions = [[\"L.index\", \"independent_innovation_rate\"]]\n",
    );
    std::fs::write(&toml, &text).unwrap();
    let d = dir.to_str().unwrap();
    let o = run(&["evaluate", d, "--research", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(e["scores"].as_array().is_some_and(|s| s.len() == 66));
    let names: Vec<&str> = e["research"]["regression"]["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "L.index",
            "independent_innovation_rate",
            "L.index×independent_innovation_rate"
        ]
    );
    assert_eq!(e["research"]["decomposition"][0]["from_year"], 2019);
    assert!(
        e["research"]["validation"]["kmo"]["overall"]
            .as_f64()
            .unwrap()
            > 0.5
    );

    std::fs::write(&toml, text.replace("independent_innovation_rate", "gdp")).unwrap();
    let o = run(&["evaluate", d, "--research"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("panel regression skipped") && err.contains("`gdp`"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Cronbach's α"));
}
