//! Coupling coordination degree of k ≥ 2 subsystems with scores U_1 … U_k ∈ [0, 1]
//! (e.g. industrial chain vs supply chain, or the index's three dimensions).
//!
//! * Coupling degree C = (Π_i U_i)^(1/k) / ((1/k) Σ_i U_i), the geometric over the
//!   arithmetic mean, which is the general form of C = k·[Π U_i / (Σ U_i)^k]^(1/k) and lies
//!   in [0, 1] (1 when all subsystems are equal). For k = 2 it is the familiar
//!   C = 2√(U_1 U_2)/(U_1 + U_2). The variant C = [Π U_i / Π_{i<j}(U_i + U_j)]^(1/k) found
//!   in parts of the literature does not reach 1 for k > 2 and is not used (Wang, Fang et
//!   al. 2021 discuss the error).
//! * Comprehensive development T = Σ_i α_i U_i, with α equal (1/k) unless given (rescaled
//!   to sum to 1).
//! * Coordination degree D = √(C·T).
//! * Class of D in ten steps of 0.1 (Liao 1999): extreme imbalance [0, 0.1), serious
//!   imbalance, moderate imbalance, mild imbalance, on the verge of imbalance, barely
//!   coordinated, primary coordination, intermediate coordination, good coordination,
//!   quality coordination [0.9, 1].
//!
//! C = 0 when any U_i = 0 (and D = 0 when all are).

use crate::error::{Error, Result};
use serde::Serialize;

pub const CLASSES: [&str; 10] = [
    "extreme imbalance",
    "serious imbalance",
    "moderate imbalance",
    "mild imbalance",
    "on the verge of imbalance",
    "barely coordinated",
    "primary coordination",
    "intermediate coordination",
    "good coordination",
    "quality coordination",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coupling {
    pub c: f64,
    pub t: f64,
    pub d: f64,
    pub class: &'static str,
}

/// Coupling coordination of the subsystem scores `u` with optional contributions `alpha`.
pub fn coupling(u: &[f64], alpha: Option<&[f64]>) -> Result<Coupling> {
    let k = u.len();
    if k < 2 {
        return Err(Error::Data(format!(
            "coupling needs at least two subsystems, got {k}"
        )));
    }
    if let Some(bad) = u.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return Err(Error::Data(format!(
            "subsystem score {bad} is not a non-negative number"
        )));
    }
    let alpha: Vec<f64> = match alpha {
        None => vec![1.0 / k as f64; k],
        Some(a) => {
            let s: f64 = a.iter().sum();
            if a.len() != k || a.iter().any(|x| *x < 0.0) || s.is_nan() || s <= 0.0 {
                return Err(Error::Weights(format!(
                    "{k} non-negative subsystem contributions needed, got {a:?}"
                )));
            }
            a.iter().map(|x| x / s).collect()
        }
    };
    let arithmetic = u.iter().sum::<f64>() / k as f64;
    let c = if u.contains(&0.0) {
        0.0
    } else {
        (u.iter().map(|x| x.ln()).sum::<f64>() / k as f64).exp() / arithmetic
    };
    let t: f64 = u.iter().zip(&alpha).map(|(x, a)| x * a).sum();
    let d = (c * t).sqrt();
    let class = CLASSES[((d * 10.0).floor() as usize).min(9)];
    Ok(Coupling { c, t, d, class })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_subsystems() {
        let r = coupling(&[0.4, 0.9], None).unwrap();
        assert!((r.c - 2.0 * 0.36f64.sqrt() / 1.3).abs() < 1e-15);
        assert!((r.d - (r.c * 0.65).sqrt()).abs() < 1e-15);
        assert_eq!(r.class, "intermediate coordination");
    }

    #[test]
    fn equal_subsystems_are_fully_coupled() {
        let r = coupling(&[0.5, 0.5, 0.5], None).unwrap();
        assert!((r.c - 1.0).abs() < 1e-15);
        assert_eq!(coupling(&[0.0, 0.5], None).unwrap().c, 0.0);
        assert!(coupling(&[0.5], None).is_err());
    }
}
