//! Firm-level systemic risk: the Economic Systemic Risk Index and time-to-survive versus
//! time-to-recover.
//!
//! # ESRI (Diem, Borsos, Reisch, Kertész & Thurner 2022, "Quantifying firm-level
//! economic systemic risk from nation-wide supply networks", Sci. Rep. 12:7719)
//! Firm i fails (h_i = 0); every other firm's relative production h_j ∈ [0, 1] settles
//! at the largest fixed point of
//! * downstream (supply shock, generalised Leontief): h_j^d = min( min over essential
//!   categories c of a_c, 1 − Σ over non-essential c of w_c (1 − a_c) ), where
//!   a_c = Σ_{k∈c} s_k h_k is the share of category c still delivered and w_c the
//!   category's share of j's input value;
//! * upstream (demand shock): h_j^u = Σ_b W_jb h_b / Σ_b W_jb over j's customers b
//!   (1 for a firm without customers);
//! * h_j = min(h_j^d, h_j^u), where the downstream fixed point is found first and the
//!   upstream one is driven by the customers' resulting production (a firm that sells
//!   less still supplies its other customers in full; feeding demand losses back as
//!   supply losses would drive every Leontief-coupled cycle to zero).
//!
//! ESRI_i = Σ_j σ_j (1 − h_j), σ_j = size_j / Σ size (output, else sales): the share of the
//! network's production lost when i fails. The fixed point is reached by a worklist
//! (values only decrease; a firm is revisited when a neighbour moved by more than
//! `tolerance`), so the cost of one firm is proportional to the part of the network its
//! failure reaches; all firms run in parallel (rayon).
//!
//! # Time to survive / time to recover (Simchi-Levi, Schmidt, Wei, Zhang, Combs, Ge,
//! Gusikhin, Sanders & Zhang 2015, "Identifying risks and mitigating disruptions in the
//! automotive supply chain", Interfaces 45(5))
//! TTR_k is how long node k needs to come back (given). TTS_k is how long the network
//! can keep its output once k stops: here the number of days, in the firm-level cascade
//! with its inventories ([`crate::firm`]), from k's stop until the size-weighted output
//! of the other firms first falls below normal (`None` when it never does within the
//! horizon). A node with TTR > TTS is exposed: its outage outlasts the buffers.

use crate::error::{Result, SimError};
use crate::firm::{CascadeConfig, FirmNetwork, FirmShock, cascade_levels};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::VecDeque;

#[derive(Debug, Clone, Serialize)]
pub struct Esri {
    pub id: String,
    pub esri: f64,
    /// Firms whose production fell by more than half.
    pub firms_affected: usize,
}

/// The ESRI of every firm of `net`, computed in parallel.
pub fn esri_all(net: &FirmNetwork, tolerance: f64) -> Result<Vec<Esri>> {
    if !(tolerance > 0.0 && tolerance < 1.0) {
        return Err(SimError::Parameter {
            name: "tolerance",
            value: tolerance,
            reason: "must be in (0, 1)",
        });
    }
    let n = net.len();
    let total: f64 = net.size.iter().sum();
    let weights: Vec<f64> = net.size.iter().map(|s| s / total).collect();
    let pre = Precomputed::new(net);
    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            let h = pre.fixed_point(net, &[i], tolerance);
            Esri {
                id: net.ids[i].clone(),
                esri: h.iter().zip(&weights).map(|(h, w)| w * (1.0 - h)).sum(),
                firms_affected: h.iter().filter(|&&h| h < 0.5).count(),
            }
        })
        .collect())
}

/// Category weights and customer totals, shared by every firm's run.
pub(crate) struct Precomputed {
    /// Share of the buyer's input value per category.
    category_weight: Vec<Vec<f64>>,
    /// Suppliers of each firm (for the worklist): (supplier) per link.
    suppliers: Vec<Vec<usize>>,
    sales: Vec<f64>,
}

impl Precomputed {
    pub(crate) fn new(net: &FirmNetwork) -> Self {
        let n = net.len();
        let mut value_in = vec![Vec::new(); n];
        let mut suppliers = vec![Vec::new(); n];
        for b in 0..n {
            for cat in &net.inputs[b] {
                value_in[b].push(1.0 / net.inputs[b].len() as f64);
                suppliers[b].extend(cat.suppliers.iter().map(|&(k, _)| k));
            }
        }
        // Category weights from link values where they are known.
        let mut cat_value: Vec<Vec<f64>> = net.inputs.iter().map(|c| vec![0.0; c.len()]).collect();
        for (k, customers) in net.customers.iter().enumerate() {
            for &(b, v) in customers {
                for (c, cat) in net.inputs[b].iter().enumerate() {
                    if cat.suppliers.iter().any(|&(s, _)| s == k) {
                        cat_value[b][c] += v;
                        break;
                    }
                }
            }
        }
        let category_weight = cat_value
            .into_iter()
            .zip(value_in)
            .map(|(v, equal)| {
                let t: f64 = v.iter().sum();
                if t > 0.0 {
                    v.iter().map(|x| x / t).collect()
                } else {
                    equal
                }
            })
            .collect();
        let sales = net
            .customers
            .iter()
            .map(|c| c.iter().map(|&(_, v)| v).sum())
            .collect();
        Precomputed {
            category_weight,
            suppliers,
            sales,
        }
    }

    /// Supply-side level of `j`: generalised Leontief over its input categories.
    fn level_down(&self, net: &FirmNetwork, h: &[f64], j: usize) -> f64 {
        let mut down = 1.0f64;
        let mut linear = 1.0f64;
        for (c, cat) in net.inputs[j].iter().enumerate() {
            let a: f64 = cat.suppliers.iter().map(|&(k, s)| s * h[k]).sum();
            if cat.essential {
                down = down.min(a);
            } else {
                linear -= self.category_weight[j][c] * (1.0 - a);
            }
        }
        down.min(linear).clamp(0.0, 1.0)
    }

    /// Demand-side level of `j`: its customers' production, weighted by sales.
    fn level_up(&self, net: &FirmNetwork, effective: impl Fn(usize) -> f64, j: usize) -> f64 {
        if self.sales[j] > 0.0 {
            (net.customers[j]
                .iter()
                .map(|&(b, v)| v * effective(b))
                .sum::<f64>()
                / self.sales[j])
                .clamp(0.0, 1.0)
        } else {
            1.0
        }
    }

    /// Production levels after the firms in `failed` stop for good: the downstream
    /// (supply) fixed point first, then the upstream (demand) fixed point driven by the
    /// customers' resulting production; h = min of the two. A demand loss is not passed
    /// on as a supply loss to the supplier's other customers (they still buy), which in
    /// Leontief-coupled cycles would drive every cycle to zero.
    pub(crate) fn fixed_point(
        &self,
        net: &FirmNetwork,
        failed: &[usize],
        tolerance: f64,
    ) -> Vec<f64> {
        let n = net.len();
        let mut stopped = vec![false; n];
        for &f in failed {
            stopped[f] = true;
        }
        let mut hd = vec![1.0; n];
        for &f in failed {
            hd[f] = 0.0;
        }
        let mut queued = vec![false; n];
        let mut queue = VecDeque::new();
        for &f in failed {
            for &(b, _) in &net.customers[f] {
                enqueue(b, &stopped, &mut queued, &mut queue);
            }
        }
        while let Some(j) = queue.pop_front() {
            queued[j] = false;
            let new = self.level_down(net, &hd, j).min(hd[j]);
            if hd[j] - new > tolerance {
                hd[j] = new;
                for &(b, _) in &net.customers[j] {
                    enqueue(b, &stopped, &mut queued, &mut queue);
                }
            }
        }
        let mut hu = vec![1.0; n];
        for &f in failed {
            hu[f] = 0.0;
        }
        let mut queued = vec![false; n];
        for (b, &h) in hd.iter().enumerate() {
            if h < 1.0 {
                for &k in &self.suppliers[b] {
                    enqueue(k, &stopped, &mut queued, &mut queue);
                }
            }
        }
        while let Some(j) = queue.pop_front() {
            queued[j] = false;
            let new = self.level_up(net, |b| hd[b].min(hu[b]), j).min(hu[j]);
            if hu[j] - new > tolerance {
                hu[j] = new;
                for &k in &self.suppliers[j] {
                    enqueue(k, &stopped, &mut queued, &mut queue);
                }
            }
        }
        hd.iter().zip(&hu).map(|(d, u)| d.min(*u)).collect()
    }
}
fn enqueue(j: usize, stopped: &[bool], queued: &mut [bool], queue: &mut VecDeque<usize>) {
    if !stopped[j] && !queued[j] {
        queued[j] = true;
        queue.push_back(j);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SurvivalTime {
    pub id: String,
    /// Days the rest of the network keeps its output after this node stops.
    pub time_to_survive: Option<usize>,
    pub time_to_recover: f64,
    /// TTR > TTS: the node's outage outlasts the network's buffers.
    pub exposed: bool,
}

/// TTS of every node (in parallel) against the given TTR (days per node).
pub fn survival_times(
    net: &FirmNetwork,
    ttr: &[f64],
    config: &CascadeConfig,
) -> Result<Vec<SurvivalTime>> {
    config.check()?;
    if ttr.len() != net.len() {
        return Err(SimError::Event(format!(
            "{} times to recover for {} firms",
            ttr.len(),
            net.len()
        )));
    }
    let total: f64 = net.size.iter().sum();
    Ok((0..net.len())
        .into_par_iter()
        .map(|k| {
            let shock = FirmShock {
                firms: vec![k],
                share: 1.0,
                start: 0,
                days: config.days,
            };
            let levels = cascade_levels(net, &[shock], config);
            let others = total - net.size[k];
            let tts = levels.iter().position(|row| {
                let out: f64 = row
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != k)
                    .map(|(i, q)| net.size[i] * q)
                    .sum();
                out < others * (1.0 - 1e-9)
            });
            SurvivalTime {
                id: net.ids[k].clone(),
                time_to_survive: tts,
                time_to_recover: ttr[k],
                exposed: tts.is_some_and(|t| ttr[k] > t as f64),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firm::Link;

    fn link(s: usize, b: usize, essential: bool, inv: f64) -> Link {
        Link {
            supplier: s,
            buyer: b,
            category: None,
            value: Some(1.0),
            inventory_days: Some(inv),
            essential,
        }
    }

    #[test]
    fn esri_of_a_line_by_hand() {
        // a → b → c, all essential, equal sizes (sales 1, 1, and c has none → size 1).
        let net = FirmNetwork::from_links(
            vec!["a".into(), "b".into(), "c".into()],
            &[link(0, 1, true, 0.0), link(1, 2, true, 0.0)],
        )
        .unwrap();
        let e = esri_all(&net, 1e-9).unwrap();
        // Any failure stops the whole line (downstream by supply, upstream by demand).
        for x in &e {
            assert!((x.esri - 1.0).abs() < 1e-12, "{x:?}");
            assert_eq!(x.firms_affected, 3);
        }
    }

    #[test]
    fn non_essential_inputs_reduce_linearly() {
        // d buys from a (essential) and b (non-essential), equal values; b fails:
        // d loses half its input value linearly → 0.5; a loses its customer's demand
        // by half → 0.5.
        let net = FirmNetwork::from_links(
            vec!["a".into(), "b".into(), "d".into()],
            &[link(0, 2, true, 0.0), link(1, 2, false, 0.0)],
        )
        .unwrap();
        let e = esri_all(&net, 1e-12).unwrap();
        assert!(
            (e[1].esri - (1.0 + 0.5 + 0.5) / 3.0).abs() < 1e-9,
            "{:?}",
            e[1]
        );
    }

    #[test]
    fn survival_time_counts_inventory_days() {
        let net = FirmNetwork::from_links(vec!["a".into(), "b".into()], &[link(0, 1, true, 5.0)])
            .unwrap();
        let cfg = CascadeConfig {
            days: 30,
            ..Default::default()
        };
        let t = survival_times(&net, &[10.0, 1.0], &cfg).unwrap();
        // a stops on day 0; b runs on day 0 (delivery of day −1) and 5 days of stock.
        assert_eq!(t[0].time_to_survive, Some(6));
        assert!(t[0].exposed);
        assert_eq!(t[1].time_to_survive, None);
        assert!(!t[1].exposed);
    }
}
