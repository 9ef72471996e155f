//! Holt's linear exponential smoothing (Holt 1957; Hyndman & Athanasopoulos,
//! *Forecasting: Principles and Practice*, §8.2), the trend extrapolation behind the
//! forecast warning.
//!
//! For observations y₁ … y_T at equally spaced periods:
//!
//! ```text
//! level  ℓ_t = α·y_t + (1 − α)·(ℓ_{t−1} + b_{t−1})
//! trend  b_t = β·(ℓ_t − ℓ_{t−1}) + (1 − β)·b_{t−1}
//! forecast ŷ_{T+h} = ℓ_T + h·b_T
//! ```
//!
//! initialised with ℓ₁ = y₁ and b₁ = y₂ − y₁ (so a straight line is reproduced
//! exactly). 0 < α, β ≤ 1. O(T) time, O(1) memory.

use serde::Serialize;

/// The smoothed state after the last observation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoltFit {
    pub level: f64,
    pub trend: f64,
}

impl HoltFit {
    /// The forecast `h` periods after the last observation.
    pub fn forecast(&self, h: u32) -> f64 {
        self.level + f64::from(h) * self.trend
    }
}

/// Fits Holt's linear method to `y`; `None` with fewer than two observations.
pub fn holt(y: &[f64], alpha: f64, beta: f64) -> Option<HoltFit> {
    let (&y1, rest) = y.split_first()?;
    let &y2 = rest.first()?;
    let mut fit = HoltFit {
        level: y1,
        trend: y2 - y1,
    };
    for &yt in rest {
        let level = alpha * yt + (1.0 - alpha) * (fit.level + fit.trend);
        fit.trend = beta * (level - fit.level) + (1.0 - beta) * fit.trend;
        fit.level = level;
    }
    Some(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_holt() {
        // y = 1, 2, 4 with α = β = 0.5:
        // ℓ1 = 1, b1 = 1; ℓ2 = .5·2 + .5·(1 + 1) = 2, b2 = .5·(2 − 1) + .5·1 = 1;
        // ℓ3 = .5·4 + .5·(2 + 1) = 3.5, b3 = .5·(3.5 − 2) + .5·1 = 1.25;
        // ŷ4 = 4.75, ŷ5 = 6.0.
        let fit = holt(&[1.0, 2.0, 4.0], 0.5, 0.5).unwrap();
        assert_eq!(
            fit,
            HoltFit {
                level: 3.5,
                trend: 1.25
            }
        );
        assert_eq!(fit.forecast(1), 4.75);
        assert_eq!(fit.forecast(2), 6.0);
    }

    #[test]
    fn straight_lines_are_reproduced_and_short_series_refused() {
        let fit = holt(&[10.0, 8.0, 6.0, 4.0], 0.3, 0.2).unwrap();
        assert!((fit.level - 4.0).abs() < 1e-12 && (fit.trend + 2.0).abs() < 1e-12);
        assert_eq!(holt(&[1.0], 0.5, 0.5), None);
        assert_eq!(holt(&[], 0.5, 0.5), None);
    }
}
