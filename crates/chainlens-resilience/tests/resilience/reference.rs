//! Against tests/reference/expected.json, produced by tests/reference/make_reference.py
//! with ahpy, pymcdm and a separate numpy implementation (versions recorded in the file).

use chainlens_resilience::aggregate::topsis;
use chainlens_resilience::ahp::{AhpMethod, JudgmentMatrix, RandomIndex, ahp, combine_experts};
use chainlens_resilience::coupling::coupling;
use chainlens_resilience::gaps::regional_gaps;
use chainlens_resilience::normalize::{Direction, min_max_matrix};
use chainlens_resilience::weights::{critic_weights, entropy_weights};
use serde_json::Value;

const TOL: f64 = 1e-9;

fn expected() -> Value {
    serde_json::from_str(include_str!("../reference/expected.json")).expect("valid reference JSON")
}

fn vec(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn mat(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("array").iter().map(vec).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_owned())
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol,
            "{what}[{i}]: {x} vs {y} (tolerance {tol})"
        );
    }
}

#[test]
fn ahp_matches_ahpy_and_numpy() {
    let e = expected();
    for case in e["ahp"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let m = JudgmentMatrix::new(Some(strings(&case["items"])), &mat(&case["matrix"])).unwrap();
        let r = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty).unwrap();
        close(&r.weights, &vec(&case["weights"]), TOL, name);
        close(
            &[r.lambda_max, r.ci, r.cr],
            &[
                case["lambda_max"].as_f64().unwrap(),
                case["ci"].as_f64().unwrap(),
                case["cr_saaty"].as_f64().unwrap(),
            ],
            TOL,
            name,
        );
        assert_eq!(r.ri_table, "saaty");
        assert_eq!(r.consistent, r.cr < 0.1);
        for (table, key) in [
            (RandomIndex::Saaty2005, "cr_saaty2005"),
            (RandomIndex::DoneganDodd, "cr_donegan-dodd"),
        ] {
            let r = ahp(&m, AhpMethod::Eigenvector, table).unwrap();
            close(
                &[r.cr],
                &[case[key].as_f64().unwrap()],
                TOL,
                &format!("{name} {key}"),
            );
        }
        let g = ahp(&m, AhpMethod::GeometricMean, RandomIndex::Saaty).unwrap();
        close(
            &g.weights,
            &vec(&case["gm_weights"]),
            TOL,
            &format!("{name} geometric mean"),
        );
        close(
            &[g.lambda_max],
            &[case["gm_lambda_max"].as_f64().unwrap()],
            TOL,
            &format!("{name} geometric-mean λ"),
        );
        if let Some(p) = case.get("published") {
            // Published to three decimals.
            if let Some(w) = p.get("weights") {
                close(
                    &r.weights,
                    &vec(w),
                    5e-4,
                    &format!("{name} published weights"),
                );
            }
            let r05 = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty2005).unwrap();
            close(
                &[r05.cr],
                &[p["cr_saaty2005"].as_f64().unwrap()],
                5e-4,
                &format!("{name} published CR"),
            );
        }
        if name == "inconsistent" {
            assert!(!r.consistent);
            let worst = &r.inconsistencies[0];
            assert_eq!((worst.row.as_str(), worst.column.as_str()), ("p", "s"));
        }
        if let Some(experts) = case.get("experts") {
            let ms: Vec<JudgmentMatrix> = experts
                .as_array()
                .unwrap()
                .iter()
                .map(|x| JudgmentMatrix::new(Some(strings(&case["items"])), &mat(x)).unwrap())
                .collect();
            let g = ahp(
                &combine_experts(&ms, None).unwrap(),
                AhpMethod::Eigenvector,
                RandomIndex::Saaty,
            )
            .unwrap();
            close(&g.weights, &vec(&case["weights"]), TOL, "group AHP");
        }
    }
}

#[test]
fn entropy_critic_topsis_match_pymcdm() {
    let e = expected();
    let m = &e["mcdm"];
    let x = mat(&m["matrix"]);
    let names: Vec<String> = (0..x[0].len()).map(|j| format!("c{j}")).collect();
    close(
        &entropy_weights(&x, &names).unwrap(),
        &vec(&m["entropy_pymcdm"]),
        TOL,
        "entropy",
    );
    close(
        &entropy_weights(&mat(&m["matrix_with_zeros"]), &names).unwrap(),
        &vec(&m["entropy_zeros_numpy"]),
        TOL,
        "entropy with zeros",
    );
    let dirs: Vec<Direction> = vec(&m["types"])
        .iter()
        .map(|t| {
            if *t > 0.0 {
                Direction::Benefit
            } else {
                Direction::Cost
            }
        })
        .collect();
    let r = min_max_matrix(&x, &names, &dirs).unwrap();
    close(
        &critic_weights(&r, &names).unwrap(),
        &vec(&m["critic_pymcdm_on_minmax"]),
        TOL,
        "CRITIC",
    );
    close(
        &topsis(&r, &vec(&m["weights"])),
        &vec(&m["topsis_pymcdm"]),
        TOL,
        "TOPSIS",
    );
}

#[test]
fn theil_and_dagum_match_numpy() {
    let e = expected();
    for case in e["gaps"].as_array().unwrap() {
        let g = regional_gaps(&vec(&case["values"]), &strings(&case["groups"])).unwrap();
        let order: Vec<String> = g.groups.iter().map(|x| x.group.clone()).collect();
        assert_eq!(order, strings(&case["order"]));
        let got = [
            g.cv,
            g.theil.total,
            g.theil.within,
            g.theil.between,
            g.dagum.total,
            g.dagum.within,
            g.dagum.between_net,
            g.dagum.transvariation,
        ];
        let want: Vec<f64> = [
            "cv",
            "theil",
            "theil_within",
            "theil_between",
            "gini",
            "gini_within",
            "gini_between_net",
            "gini_transvariation",
        ]
        .iter()
        .map(|k| case[*k].as_f64().unwrap())
        .collect();
        close(&got, &want, TOL, "gaps");
        assert!(
            (g.dagum.total - g.dagum.within - g.dagum.between_net - g.dagum.transvariation).abs()
                < 1e-12
        );
    }
}

#[test]
fn coupling_matches_numpy() {
    let e = expected();
    for case in e["coupling"].as_array().unwrap() {
        let c = coupling(&vec(&case["u"]), None).unwrap();
        close(
            &[c.c, c.t, c.d],
            &[
                case["c"].as_f64().unwrap(),
                case["t"].as_f64().unwrap(),
                case["d"].as_f64().unwrap(),
            ],
            TOL,
            "coupling",
        );
    }
}

/// AHP configured in the `[resilience]` section weights the dimensions as ahpy does.
#[test]
fn ahp_from_configuration_matches_ahpy() {
    use chainlens_model::IndicatorValue;
    use chainlens_resilience::{NoDerivations, ResilienceConfig, evaluate};
    let e = expected();
    let case = e["ahp"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "leader: criteria")
        .unwrap();
    let items = strings(&case["items"]);
    let mut toml = String::from(
        "[weights]\nmethod = \"ahp\"\n[[weights.judgments]]\nnode = \"root\"\nmatrix = [",
    );
    for row in mat(&case["matrix"]) {
        toml.push_str(&format!(
            "[{}],",
            row.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    toml.push_str("]\n");
    for item in &items {
        toml.push_str(&format!(
            "[[dimensions]]\nid = \"{item}\"\n[[dimensions.subdimensions]]\nid = \"{item}-s\"\nindicators = [{{ id = \"{item}-i\" }}]\n"
        ));
    }
    let config = ResilienceConfig::from_toml(&toml).unwrap();
    let mut values = Vec::new();
    for (r, region) in ["a", "b", "c"].iter().enumerate() {
        for (j, item) in items.iter().enumerate() {
            let value = (r * 3 + j * 2 % 5) as f64;
            values.push(IndicatorValue {
                region: region.to_string(),
                chain: None,
                year: 2020,
                indicator: format!("{item}-i"),
                value,
                source: None,
                imputed: false,
            });
        }
    }
    let ev = evaluate(&config, &values, &[], &NoDerivations).unwrap();
    let got: Vec<f64> = items.iter().map(|i| ev.weights.dimensions[i]).collect();
    close(&got, &vec(&case["weights"]), TOL, "configured AHP");
    assert_eq!(ev.weights.ahp[0].result.ri_table, "saaty");
    assert!(ev.weights.consistent);
}

/// The rank Monte Carlo against benches/monte_carlo_numpy.py, which re-implements it in
/// numpy with the same xoshiro256** draws (`--replications 1000` prints these values).
#[test]
fn monte_carlo_matches_numpy_script() {
    use chainlens_model::rng::Rng;
    use chainlens_resilience::uncertainty::{McConfig, McInput, rank_uncertainty};
    let (n, t, k) = (31, 6, 12);
    let mut rng = Rng::new(2024);
    let values: Vec<f64> = (0..n * t * k).map(|_| 1.0 + 9.0 * rng.uniform()).collect();
    let names: Vec<String> = (0..k).map(|j| format!("D{j}")).collect();
    let mut directions = vec![Direction::Benefit; k];
    directions[10] = Direction::Cost;
    directions[11] = Direction::Cost;
    let weights = [
        0.086, 0.092, 0.078, 0.084, 0.095, 0.088, 0.082, 0.079, 0.093, 0.087, 0.071, 0.065,
    ];
    let input = McInput {
        values: &values,
        regions: n,
        years: t,
        indicators: &names,
        directions: &directions,
        weights: &weights,
    };
    let r = rank_uncertainty(
        &input,
        &McConfig {
            replications: 1000,
            seed: 42,
            weight_spread: 0.5,
        },
    )
    .unwrap();
    let numpy = [
        (0.6621305279624911, 0.25183324211607555),
        (0.006596862051410581, 0.0018531900379516243),
        (0.7267539280548698, 0.6657385732122448),
    ];
    for (s, (first, total)) in r.sensitivity.iter().zip(numpy) {
        close(&[s.first_order, s.total], &[first, total], TOL, s.factor);
    }
}
