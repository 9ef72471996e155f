//! Resilience-curve metrics of a run (Bruneau et al. 2003, "A framework to
//! quantitatively assess and enhance the seismic resilience of communities").
//!
//! Performance Q(t) is a daily series relative to normal (1 = the pre-shock level).
//! * minimum and the day it is reached;
//! * loss area (the "resilience triangle") R = Σ_t max(0, Q₀ − Q(t)) · 1 day, the discrete
//!   form of ∫ [Q₀ − Q(t)] dt, in "days of normal performance lost";
//! * time to recover: days from the first day below Q₀ − tol to the first day from which
//!   Q stays at or above Q₀ − tol until the end (`None` when it never does);
//! * resilience index 1 − R / (days · Q₀), the share of normal performance kept.
//!
//! O(days).

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResilienceMetrics {
    /// The performance series itself, relative to normal.
    pub performance: Vec<f64>,
    pub minimum: f64,
    pub day_of_minimum: usize,
    /// First day below normal − tolerance.
    pub disrupted_from: Option<usize>,
    /// Σ max(0, baseline − Q(t)) over the days, in days of normal performance.
    pub loss_area: f64,
    /// Days from disruption to lasting recovery; `None` if not recovered by the end.
    pub time_to_recover: Option<usize>,
    pub recovered: bool,
    /// 1 − loss_area / (days × baseline).
    pub resilience_index: f64,
}

/// The metrics of `performance` (one value per day) against `baseline`, where values
/// within `tol` of the baseline count as normal.
pub fn resilience_metrics(performance: &[f64], baseline: f64, tol: f64) -> ResilienceMetrics {
    let mut m = ResilienceMetrics {
        performance: performance.to_vec(),
        minimum: baseline,
        ..Default::default()
    };
    if performance.is_empty() {
        m.recovered = true;
        m.resilience_index = 1.0;
        return m;
    }
    for (t, &q) in performance.iter().enumerate() {
        if q < m.minimum {
            m.minimum = q;
            m.day_of_minimum = t;
        }
        m.loss_area += (baseline - q).max(0.0);
    }
    let below = |q: f64| q < baseline - tol;
    m.disrupted_from = performance.iter().position(|&q| below(q));
    match m.disrupted_from {
        None => m.recovered = true,
        Some(start) => {
            let last_below = performance
                .iter()
                .rposition(|&q| below(q))
                .expect("a day below");
            if last_below + 1 < performance.len() {
                m.recovered = true;
                m.time_to_recover = Some(last_below + 1 - start);
            }
        }
    }
    m.resilience_index = 1.0 - m.loss_area / (performance.len() as f64 * baseline);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_by_hand() {
        // Drop to 0.5 on day 2, back linearly by day 5.
        let q = [1.0, 1.0, 0.5, 0.7, 0.9, 1.0, 1.0];
        let m = resilience_metrics(&q, 1.0, 1e-9);
        assert_eq!(m.minimum, 0.5);
        assert_eq!(m.day_of_minimum, 2);
        assert!((m.loss_area - 0.9).abs() < 1e-12);
        assert_eq!(m.disrupted_from, Some(2));
        assert_eq!(m.time_to_recover, Some(3));
        assert!((m.resilience_index - (1.0 - 0.9 / 7.0)).abs() < 1e-12);
    }

    #[test]
    fn never_recovering_and_never_disrupted() {
        let m = resilience_metrics(&[1.0, 0.4, 0.4], 1.0, 1e-9);
        assert!(!m.recovered);
        assert_eq!(m.time_to_recover, None);
        let m = resilience_metrics(&[1.0, 1.0], 1.0, 1e-9);
        assert!(m.recovered);
        assert_eq!(m.loss_area, 0.0);
    }
}
