//! Fixed-effects panel regression (Zhang 2024 §4: path dependence of resilience and the
//! effect of digital transformation, with a moderating term): the within estimator with
//! standard errors clustered by entity.
//!
//! **Model.** y_it = α_i + ρ·y_i,t−1 + Σ_k β_k x_k,it + Σ γ·x_a,it·x_b,it + ε_it, entity
//! (region or regional chain) effects α_i. [`design`] builds the regressors from a long
//! panel: the lag `L.<dependent>` of the previous calendar year (path dependence), the
//! drivers, and each interaction `a×b` as the plain product (centre the variables before
//! if main effects at the mean are wanted). Observations missing any variable, or the
//! previous year for the lag, are dropped and counted.
//!
//! **Estimator** (Wooldridge 2010, ch. 10): every variable is demeaned within its entity,
//! ÿ = y − ȳ_i, Ẍ = X − X̄_i, and β̂ = (ẌᵀẌ)⁻¹Ẍᵀÿ (Cholesky, [`crate::cholesky`]);
//! residuals e = ÿ − Ẍβ̂; R² within = 1 − eᵀe / ÿᵀÿ.
//!
//! **Cluster-robust covariance** (Arellano 1987; Liang–Zeger), clusters = entities:
//! V = c·(ẌᵀẌ)⁻¹ (Σ_g s_g s_gᵀ) (ẌᵀẌ)⁻¹ with s_g = Σ_{t∈g} ẍ_t e_t, and the small-sample
//! factor c = n/(n − d − k)·[g/(g − 1)·(n − 1)/n] where n observations, k regressors,
//! g clusters; d = g if the absorbed effects are counted, else 0; the bracket only with
//! `groups`; n/(n − d − k) becomes n/(n − d) without `regressors`. The default
//! ([`Correction::default`]) is Stata's `xtreg, fe vce(cluster)` as linearmodels describes
//! it: regressors and groups on, effects not counted (they are nested in the clusters).
//! t = β̂/se; p from Student's t with n − g − k degrees of freedom (linearmodels'
//! `df_resid` for a model without a constant) when `regressors` is on, else from the
//! normal. Checked against linearmodels' `PanelOLS(entity_effects=True)
//! .fit(cov_type="clustered", cluster_entity=True, debiased=…, group_debias=…,
//! auto_df=False, count_effects=…)` in tests/reference/panel_generate.py.
//!
//! **Caveat (Nickell 1981)**: with the lag of the dependent variable and entity effects
//! the within estimator of ρ is biased by O(1/T) for short panels (T years); this is the
//! paper's specification, not a dynamic-panel GMM (Arellano–Bond), which is not offered.
//!
//! Cost: O(n·k² + k³).

use crate::cholesky::Cholesky;
use crate::error::{Error, Result};
use crate::special::{normal_two_sided, t_two_sided};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Small-sample factors of the clustered covariance (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Correction {
    /// n/(n − d − k) and Student-t p-values (linearmodels' `debiased`).
    pub regressors: bool,
    /// g/(g − 1)·(n − 1)/n (linearmodels' `group_debias`).
    pub groups: bool,
    /// Count the g absorbed entity effects as d (linearmodels' `count_effects`).
    pub effects: bool,
}

impl Default for Correction {
    fn default() -> Self {
        Correction {
            regressors: true,
            groups: true,
            effects: false,
        }
    }
}

/// What to regress: the dependent variable and its regressors, by variable name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub dependent: String,
    /// Include the dependent variable of the previous year, `L.<dependent>`.
    #[serde(default = "yes")]
    pub lag: bool,
    #[serde(default)]
    pub drivers: Vec<String>,
    /// Pairs of regressors (drivers or `L.<dependent>`) whose product enters the model.
    #[serde(default)]
    pub interactions: Vec<[String; 2]>,
    #[serde(default)]
    pub correction: Correction,
}

fn yes() -> bool {
    true
}

/// Values of named variables per (entity, year).
pub type LongPanel = BTreeMap<(String, i32), BTreeMap<String, f64>>;

/// The estimation sample: one row per used observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub entities: Vec<String>,
    /// Entity index of each observation.
    pub entity: Vec<usize>,
    pub year: Vec<i32>,
    pub y: Vec<f64>,
    /// Regressors, one row per observation, columns named by `names`.
    pub x: Vec<Vec<f64>>,
    pub names: Vec<String>,
    /// Observations left out for a missing variable or a missing previous year.
    pub dropped: usize,
}

/// Name of the lagged dependent variable.
pub fn lag_name(dependent: &str) -> String {
    format!("L.{dependent}")
}

/// Builds the regressors of `model` from `data`.
pub fn design(model: &Model, data: &LongPanel) -> Result<Design> {
    let lag = lag_name(&model.dependent);
    let mut names: Vec<String> = Vec::new();
    if model.lag {
        names.push(lag.clone());
    }
    names.extend(model.drivers.iter().cloned());
    for [a, b] in &model.interactions {
        for v in [a, b] {
            if !names.contains(v) {
                return Err(Error::Config(format!(
                    "interaction `{a}×{b}`: `{v}` is not a regressor of the model (regressors: {})",
                    names.join(", ")
                )));
            }
        }
    }
    let base = names.len();
    names.extend(model.interactions.iter().map(|[a, b]| format!("{a}×{b}")));
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(Error::Config(format!("regressor `{dup}` is listed twice")));
    }
    let known: std::collections::BTreeSet<&str> = data
        .values()
        .flat_map(|v| v.keys().map(String::as_str))
        .collect();
    for v in std::iter::once(&model.dependent).chain(&model.drivers) {
        if !known.contains(v.as_str()) {
            return Err(Error::Config(format!(
                "variable `{v}` has no value in the panel (known: {})",
                known.iter().copied().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut out = Design {
        entities: Vec::new(),
        entity: Vec::new(),
        year: Vec::new(),
        y: Vec::new(),
        x: Vec::new(),
        names,
        dropped: 0,
    };
    for ((entity, year), vars) in data {
        let value = |v: &str| vars.get(v).copied().filter(|x| x.is_finite());
        let lagged = || {
            data.get(&(entity.clone(), year - 1))
                .and_then(|v| v.get(&model.dependent))
                .copied()
                .filter(|x| x.is_finite())
        };
        let Some(y) = value(&model.dependent) else {
            out.dropped += 1;
            continue;
        };
        let mut row = Vec::with_capacity(out.names.len());
        if model.lag {
            row.extend(lagged());
        }
        row.extend(model.drivers.iter().filter_map(|d| value(d)));
        if row.len() != base {
            out.dropped += 1;
            continue;
        }
        for [a, b] in &model.interactions {
            let ia = out.names.iter().position(|n| n == a).expect("checked");
            let ib = out.names.iter().position(|n| n == b).expect("checked");
            row.push(row[ia] * row[ib]);
        }
        if out.entities.last() != Some(entity) {
            out.entities.push(entity.clone());
        }
        out.entity.push(out.entities.len() - 1);
        out.year.push(*year);
        out.y.push(y);
        out.x.push(row);
    }
    Ok(out)
}

/// One estimated coefficient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: f64,
    pub p_value: f64,
}

/// The fitted within regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixedEffects {
    pub coefficients: Vec<Coefficient>,
    pub observations: usize,
    pub entities: usize,
    /// n − g − k.
    pub df_resid: usize,
    pub r2_within: f64,
    pub correction: Correction,
    pub dropped: usize,
}

/// The within estimator with entity-clustered standard errors.
pub fn fixed_effects(d: &Design, correction: Correction) -> Result<FixedEffects> {
    let (n, k, g) = (d.y.len(), d.names.len(), d.entities.len());
    if k == 0 {
        return Err(Error::Config("the model has no regressor".into()));
    }
    if g < 2 {
        return Err(Error::Data(format!(
            "clustered errors need at least two entities, the sample has {g}"
        )));
    }
    if n <= g + k {
        return Err(Error::Data(format!(
            "{n} observations of {g} entities leave no degrees of freedom for {k} regressors"
        )));
    }
    // Within transformation.
    let mut count = vec![0.0; g];
    let mut y_mean = vec![0.0; g];
    let mut x_mean = vec![vec![0.0; k]; g];
    for (o, &e) in d.entity.iter().enumerate() {
        count[e] += 1.0;
        y_mean[e] += d.y[o];
        for (m, x) in x_mean[e].iter_mut().zip(&d.x[o]) {
            *m += x;
        }
    }
    for e in 0..g {
        y_mean[e] /= count[e];
        x_mean[e].iter_mut().for_each(|m| *m /= count[e]);
    }
    let yw: Vec<f64> = (0..n).map(|o| d.y[o] - y_mean[d.entity[o]]).collect();
    let xw: Vec<Vec<f64>> = (0..n)
        .map(|o| {
            d.x[o]
                .iter()
                .zip(&x_mean[d.entity[o]])
                .map(|(x, m)| x - m)
                .collect()
        })
        .collect();
    let mut xtx = vec![vec![0.0; k]; k];
    let mut xty = vec![0.0; k];
    // Lower triangle only: all that the Cholesky factorisation reads.
    for (row, y) in xw.iter().zip(&yw) {
        for (i, (xi, acc)) in row.iter().zip(xtx.iter_mut()).enumerate() {
            xty[i] += xi * y;
            for (a, xj) in acc.iter_mut().zip(&row[..=i]) {
                *a += xi * xj;
            }
        }
    }
    let chol = Cholesky::new(&xtx).map_err(|j| Error::Singular {
        what: "fixed-effects regression (after removing entity means)",
        variable: d.names[j].clone(),
    })?;
    let beta = chol.solve(&xty);
    let resid: Vec<f64> = xw
        .iter()
        .zip(&yw)
        .map(|(row, y)| y - row.iter().zip(&beta).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    let ssr: f64 = resid.iter().map(|e| e * e).sum();
    let tss: f64 = yw.iter().map(|y| y * y).sum();
    // Scores summed per cluster.
    let mut s = vec![vec![0.0; k]; g];
    for o in 0..n {
        for (sj, x) in s[d.entity[o]].iter_mut().zip(&xw[o]) {
            *sj += x * resid[o];
        }
    }
    let mut meat = vec![vec![0.0; k]; k];
    for sg in &s {
        for i in 0..k {
            for j in 0..k {
                meat[i][j] += sg[i] * sg[j];
            }
        }
    }
    let (nf, gf) = (n as f64, g as f64);
    let d_eff = if correction.effects { gf } else { 0.0 };
    let k_eff = if correction.regressors { k as f64 } else { 0.0 };
    let mut scale = nf / (nf - d_eff - k_eff);
    if correction.groups {
        scale *= gf / (gf - 1.0) * (nf - 1.0) / nf;
    }
    let bread = chol.inverse();
    let product = |a: &[Vec<f64>], b: &[Vec<f64>]| -> Vec<Vec<f64>> {
        (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| (0..k).map(|m| a[i][m] * b[m][j]).sum())
                    .collect()
            })
            .collect()
    };
    let cov = product(&product(&bread, &meat), &bread);
    let df_resid = n - g - k;
    let coefficients = d
        .names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let std_error = (scale * cov[j][j]).sqrt();
            let t = beta[j] / std_error;
            Coefficient {
                name: name.clone(),
                estimate: beta[j],
                std_error,
                t,
                p_value: if correction.regressors {
                    t_two_sided(t, df_resid as f64)
                } else {
                    normal_two_sided(t)
                },
            }
        })
        .collect();
    Ok(FixedEffects {
        coefficients,
        observations: n,
        entities: g,
        df_resid,
        r2_within: if tss > 0.0 { 1.0 - ssr / tss } else { 0.0 },
        correction,
        dropped: d.dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row<'a> = (&'a str, i32, &'a [(&'a str, f64)]);

    fn panel(rows: &[Row]) -> LongPanel {
        rows.iter()
            .map(|(e, y, vars)| {
                (
                    (e.to_string(), *y),
                    vars.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn design_builds_lag_and_interaction_and_drops_gaps() {
        let data = panel(&[
            ("a", 2020, &[("E", 1.0), ("dx", 2.0)]),
            ("a", 2021, &[("E", 2.0), ("dx", 3.0)]),
            ("a", 2023, &[("E", 4.0), ("dx", 5.0)]),
            ("b", 2020, &[("E", 1.5)]),
            ("b", 2021, &[("E", 2.5), ("dx", 1.0)]),
        ]);
        let model = Model {
            dependent: "E".into(),
            lag: true,
            drivers: vec!["dx".into()],
            interactions: vec![["L.E".into(), "dx".into()]],
            correction: Correction::default(),
        };
        let d = design(&model, &data).unwrap();
        assert_eq!(d.names, ["L.E", "dx", "L.E×dx"]);
        // a 2020 and b 2020: no previous year; a 2023: 2022 missing.
        assert_eq!(d.dropped, 3);
        assert_eq!(d.x, vec![vec![1.0, 3.0, 3.0], vec![1.5, 1.0, 1.5]]);
        assert_eq!(d.entities, ["a", "b"]);
        let bad = Model {
            interactions: vec![["dx".into(), "gdp".into()]],
            ..model.clone()
        };
        assert!(
            design(&bad, &data)
                .unwrap_err()
                .to_string()
                .contains("`gdp`")
        );
        let unknown = Model {
            drivers: vec!["gdp".into()],
            interactions: vec![],
            ..model
        };
        let e = design(&unknown, &data).unwrap_err().to_string();
        assert!(e.contains("`gdp`") && e.contains("known: E, dx"), "{e}");
    }

    #[test]
    fn exact_fit_and_collinearity() {
        // y = 2x + entity effect exactly: β = 2, R² within = 1.
        let mut d = Design {
            entities: vec!["a".into(), "b".into()],
            entity: vec![0, 0, 0, 1, 1, 1],
            year: vec![1, 2, 3, 1, 2, 3],
            y: vec![],
            x: vec![
                vec![1.0],
                vec![2.0],
                vec![4.0],
                vec![0.0],
                vec![3.0],
                vec![5.0],
            ],
            names: vec!["x".into()],
            dropped: 0,
        };
        d.y =
            d.x.iter()
                .zip(&d.entity)
                .map(|(x, &e)| 2.0 * x[0] + e as f64 * 10.0)
                .collect();
        let f = fixed_effects(&d, Correction::default()).unwrap();
        assert!((f.coefficients[0].estimate - 2.0).abs() < 1e-14);
        assert!((f.r2_within - 1.0).abs() < 1e-14);
        // A regressor constant within each entity is absorbed by the effects.
        d.x.iter_mut()
            .zip(&d.entity)
            .for_each(|(r, &e)| r.push(e as f64));
        d.names.push("region_dummy".into());
        let e = fixed_effects(&d, Correction::default()).unwrap_err();
        assert!(e.to_string().contains("`region_dummy`"), "{e}");
    }
}
