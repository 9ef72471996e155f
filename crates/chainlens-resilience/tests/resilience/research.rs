//! The research checks end to end: the bundled example's indicators table
//! (examples/zhejiang/data/indicators.csv) evaluated with the paper's system (min-max over
//! the pooled panel, Table 2-1 weights, no outlier treatment), then
//! [`research`] — against the `example` cases of validation_expected.json (pingouin,
//! factor_analyzer, scipy) and panel_expected.json (linearmodels, numpy), which
//! normalise and weight the same table independently in Python.

use chainlens_model::IndicatorValue;
use chainlens_resilience::regression::Model;
use chainlens_resilience::research::{ResearchConfig, research};
use chainlens_resilience::system::Outliers;
use chainlens_resilience::{NoDerivations, ResilienceConfig, evaluate};
use serde_json::Value;

fn example_values() -> Vec<IndicatorValue> {
    let text = include_str!("../../../../examples/zhejiang/data/indicators.csv");
    text.lines()
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
        .collect()
}

fn case(json: &str) -> Value {
    let all: Value = serde_json::from_str(json).expect("reference JSON");
    all["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "example")
        .expect("example case")
        .clone()
}

#[track_caller]
fn close(got: f64, want: f64, rel: f64, what: &str) {
    let tol = rel * want.abs().max(if rel > 1e-10 { 0.0 } else { 1.0 });
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

#[test]
fn example_research_matches_python_references() {
    let validation = case(include_str!("../reference/validation_expected.json"));
    let panel = case(include_str!("../reference/panel_expected.json"));
    // The Python model names the dependent E; here it is the evaluation's `index`.
    let text = panel["model"]
        .to_string()
        .replace("\"E\"", "\"index\"")
        .replace("L.E", "L.index");
    let model: Model = serde_json::from_str(&text).unwrap();
    let config = ResilienceConfig {
        outliers: Outliers::None,
        research: ResearchConfig {
            regression: Some(Model {
                dependent: "index".into(),
                ..model
            }),
            ..ResearchConfig::default()
        },
        ..ResilienceConfig::default()
    };
    let values = example_values();
    let evaluation = evaluate(&config, &values, &[], &NoDerivations).unwrap();
    let r = research(&config.research, &evaluation, &values);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    let v = r.validation.expect("validation");
    let e = &validation["validation"];
    assert_eq!(v.observations, 66);
    close(
        v.reliability.alpha,
        e["alpha"].as_f64().unwrap(),
        1e-10,
        "α",
    );
    close(v.kmo.overall, e["kmo"].as_f64().unwrap(), 1e-10, "KMO");
    close(
        v.bartlett.chi2,
        e["bartlett_chi2"].as_f64().unwrap(),
        1e-10,
        "Bartlett χ²",
    );
    let c = r.correlations.expect("correlations");
    for (p, w) in c
        .pearson
        .iter()
        .zip(validation["correlations"].as_array().unwrap())
    {
        close(
            p.correlation.r,
            w["pearson_r"].as_f64().unwrap(),
            1e-10,
            &format!("{}–{}", p.a, p.b),
        );
    }

    let fit = &panel["fits"][0];
    let f = r.regression.expect("regression");
    assert_eq!(f.observations as u64, fit["nobs"].as_u64().unwrap());
    for (j, coef) in f.coefficients.iter().enumerate() {
        let what = format!("{} (Python: {})", coef.name, fit["names"][j]);
        close(
            coef.estimate,
            fit["params"][j].as_f64().unwrap(),
            1e-10,
            &what,
        );
        close(
            coef.std_error,
            fit["std_errors"][j].as_f64().unwrap(),
            1e-10,
            &what,
        );
        close(
            coef.p_value,
            fit["pvalues"][j].as_f64().unwrap(),
            1e-9,
            &what,
        );
    }

    assert_eq!(r.decomposition.len(), 11);
    for d in &r.decomposition {
        let from = evaluation
            .scores
            .iter()
            .find(|s| s.region == d.region && s.year == 2018)
            .unwrap();
        let to = evaluation
            .scores
            .iter()
            .find(|s| s.region == d.region && s.year == 2023)
            .unwrap();
        close(d.index_from, from.weighted_sum, 1e-12, "E(2018)");
        close(d.change, to.weighted_sum - from.weighted_sum, 1e-12, "ΔE");
        assert!(d.residual.abs() < 1e-14);
        let w = panel["decomposition"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["region"] == d.region.as_str())
            .unwrap();
        close(
            d.change,
            w["change"].as_f64().unwrap(),
            1e-10,
            &format!("{} ΔE", d.region),
        );
    }
}
