//! Analyses of index values over regions and years (the paper's "horizontal comparison,
//! longitudinal trend and dynamic evolution"), and the obstacle degree.
//!
//! * **Ranking**: 1 = best; ties share the best rank (competition ranking "1224").
//! * **Trend**: average annual growth rate (E_T/E_0)^(1/T) − 1 over T = last year − first
//!   year (geometric; undefined when E_0 ≤ 0), and year-on-year change E_t − E_{t−1} with
//!   the rate (E_t − E_{t−1})/E_{t−1}.
//! * **Kernel density** of the index across regions in a year: Gaussian kernel,
//!   f(x) = (1/(n h)) Σ_i φ((x − y_i)/h), bandwidth by Silverman's rule
//!   h = 0.9·min(s, IQR/1.34)·n^(−1/5) (s the sample standard deviation; if the IQR is 0,
//!   s alone; if both are 0, h = 0.01).
//! * **Markov transition matrix** of grades between consecutive years (Quah 1993 style):
//!   counts n_kl of regions moving from grade k in year t to grade l in t+1, and
//!   p_kl = n_kl / Σ_l n_kl (a row with no observations stays 0).
//! * **Obstacle degree** (the usual "factor contribution × deviation" model):
//!   O_j = w_j (1 − r_j) / Σ_k w_k (1 − r_k), with r_j clamped to [0, 1]; the indicators with
//!   the largest O_j hold a region back most. A region at the top of every indicator has
//!   O = 0 everywhere.

use crate::grade::Grade;
use serde::Serialize;

/// Competition ranks of `values` (1 = largest).
pub fn ranks(values: &[f64]) -> Vec<usize> {
    values
        .iter()
        .map(|v| 1 + values.iter().filter(|w| *w > v).count())
        .collect()
}

/// Change of the index from one year to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearChange {
    pub year: i32,
    pub change: f64,
    pub rate: Option<f64>,
}

/// Longitudinal trend of one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub first_year: i32,
    pub last_year: i32,
    /// Average annual growth rate (geometric).
    pub average_growth: Option<f64>,
    pub year_on_year: Vec<YearChange>,
}

/// Trend of a series of (year, value) sorted by year.
pub fn trend(series: &[(i32, f64)]) -> Option<Trend> {
    let (&(y0, e0), &(yt, et)) = (series.first()?, series.last()?);
    let span = (yt - y0) as f64;
    let average_growth =
        (e0 > 0.0 && et >= 0.0 && span > 0.0).then(|| (et / e0).powf(1.0 / span) - 1.0);
    let year_on_year = series
        .windows(2)
        .map(|w| YearChange {
            year: w[1].0,
            change: w[1].1 - w[0].1,
            rate: (w[0].1 != 0.0).then(|| (w[1].1 - w[0].1) / w[0].1),
        })
        .collect();
    Some(Trend {
        first_year: y0,
        last_year: yt,
        average_growth,
        year_on_year,
    })
}

/// Silverman's rule-of-thumb bandwidth.
pub fn silverman_bandwidth(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    if values.len() < 2 {
        return 0.01;
    }
    let m = values.iter().sum::<f64>() / n;
    let s = (values.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let iqr = quantile(&sorted, 0.75) - quantile(&sorted, 0.25);
    let spread = if iqr > 0.0 { s.min(iqr / 1.34) } else { s };
    if spread > 0.0 {
        0.9 * spread * n.powf(-0.2)
    } else {
        0.01
    }
}

/// Linear-interpolation quantile of sorted data (numpy's default, "type 7").
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A kernel density estimate on a grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Density {
    pub bandwidth: f64,
    pub x: Vec<f64>,
    pub density: Vec<f64>,
}

/// Gaussian kernel density of `values` at the points `grid`.
pub fn kernel_density(values: &[f64], grid: &[f64]) -> Density {
    let h = silverman_bandwidth(values);
    let c = 1.0 / (values.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    let density = grid
        .iter()
        .map(|x| {
            c * values
                .iter()
                .map(|y| (-0.5 * ((x - y) / h).powi(2)).exp())
                .sum::<f64>()
        })
        .collect();
    Density {
        bandwidth: h,
        x: grid.to_vec(),
        density,
    }
}

/// Grade transitions between consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Markov {
    /// Grades of the rows and columns, low → high.
    pub grades: [Grade; 5],
    pub counts: [[u32; 5]; 5],
    pub probabilities: [[f64; 5]; 5],
}

/// The transition matrix of (from, to) grade pairs.
pub fn markov(transitions: &[(Grade, Grade)]) -> Markov {
    let mut counts = [[0u32; 5]; 5];
    for &(a, b) in transitions {
        counts[a as usize][b as usize] += 1;
    }
    let mut probabilities = [[0.0; 5]; 5];
    for (p, c) in probabilities.iter_mut().zip(&counts) {
        let total: u32 = c.iter().sum();
        if total > 0 {
            for (x, y) in p.iter_mut().zip(c) {
                *x = f64::from(*y) / f64::from(total);
            }
        }
    }
    Markov {
        grades: Grade::ALL,
        counts,
        probabilities,
    }
}

/// Obstacle degree of each indicator for one region and year.
pub fn obstacle_degree(scores: &[f64], weights: &[f64]) -> Vec<f64> {
    let gaps: Vec<f64> = scores
        .iter()
        .zip(weights)
        .map(|(r, w)| w * (1.0 - r.clamp(0.0, 1.0)))
        .collect();
    let total: f64 = gaps.iter().sum();
    gaps.into_iter()
        .map(|g| if total > 0.0 { g / total } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[0.5, 0.9, 0.5, 0.1]), vec![2, 1, 2, 4]);
    }

    #[test]
    fn growth_is_geometric() {
        let t = trend(&[(2018, 0.5), (2019, 0.6), (2020, 0.72)]).unwrap();
        assert!((t.average_growth.unwrap() - 0.2).abs() < 1e-12);
        assert!((t.year_on_year[1].change - 0.12).abs() < 1e-12);
    }

    #[test]
    fn density_integrates_to_one() {
        let v = [0.3, 0.5, 0.55, 0.7, 0.9];
        let grid: Vec<f64> = (0..=2000).map(|i| -1.0 + 3.0 * i as f64 / 2000.0).collect();
        let d = kernel_density(&v, &grid);
        let integral: f64 = d.density.iter().sum::<f64>() * 3.0 / 2000.0;
        assert!((integral - 1.0).abs() < 1e-6);
    }

    #[test]
    fn markov_rows_are_distributions() {
        let m = markov(&[
            (Grade::Medium, Grade::Strong),
            (Grade::Medium, Grade::Medium),
            (Grade::High, Grade::High),
        ]);
        assert_eq!(m.probabilities[2][3], 0.5);
        assert_eq!(m.probabilities[4][4], 1.0);
        assert_eq!(m.probabilities[0], [0.0; 5]);
    }

    #[test]
    fn obstacles_sum_to_one() {
        let o = obstacle_degree(&[1.0, 0.5, 0.0], &[0.2, 0.4, 0.4]);
        assert_eq!(o, vec![0.0, 1.0 / 3.0, 2.0 / 3.0]);
    }
}
