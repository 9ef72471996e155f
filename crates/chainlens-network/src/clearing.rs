//! Chain protection / chain financing: clearing a receivables network (Eisenberg & Noe
//! 2001, "Systemic Risk in Financial Systems", Management Science 47(2)).
//!
//! Firm i owes L_ij to firm j (a buyer owes its supplier the receivable) and holds
//! external liquid assets e_i (cash). Its total obligation is p̄_i = Σ_j L_ij and the
//! relative liabilities are Π_ij = L_ij / p̄_i. A clearing vector p satisfies
//! p_i = min(p̄_i, e_i + Σ_j Π_ji p_j): every firm pays in full or pays all it has.
//!
//! Fictitious-default algorithm (EN §3): start from p = p̄ and D = ∅; repeatedly take the
//! firms that cannot pay given what the others pay, D = {i : e_i + Σ_j Π_ji p_j < p̄_i},
//! and solve the linear system p_i = e_i + Σ_j Π_ji p_j for i ∈ D with the others paying
//! in full, until D stops growing. D only grows, so there are at most n rounds; each
//! solves a |D|×|D| system (dense Gaussian elimination: O(|D|³), fine to a few thousand
//! defaulters). Starting from p̄ it converges to the *greatest* clearing vector. `rounds`
//! is the number of default waves (0 when everyone pays).
//!
//! The clearing vector is unique when every firm's risk orbit holds external assets (EN
//! Theorem 2). When a closed group (its members owe only each other, in a cycle) has no
//! external assets, any scaled circulation inside it also clears: the result says so and
//! returns the greatest vector.
//!
//! Contagion: a defaulter with e_i + Σ_j L_ji ≥ p̄_i would have paid had its debtors paid
//! in full — it defaults only because others pay late. Smallest injection x_i preventing
//! the default of i: clear with i forced to pay p̄_i (the greatest vector p⁽ⁱ⁾ of the
//! others), then x_i = max(0, p̄_i − e_i − Σ_j Π_ji p⁽ⁱ⁾_j). Exact: with x ≥ x_i the forced
//! vector clears the injected system, and with less the greatest clearing vector would
//! have to exceed p⁽ⁱ⁾.

use crate::error::{Error, Result};
use chainlens_model::{Dataset, Enterprise};
use serde::Serialize;
use std::collections::HashMap;

/// A checked receivables network.
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingProblem {
    pub ids: Vec<String>,
    /// Per debtor: (creditor, amount), amounts positive.
    owed: Vec<Vec<(usize, f64)>>,
    pub assets: Vec<f64>,
}

impl ClearingProblem {
    /// From liability entries `(row, debtor, creditor, amount)` (row: the input record,
    /// named in errors) and external assets per firm (same order as `ids`).
    pub fn new(
        ids: Vec<String>,
        entries: &[(usize, usize, usize, f64)],
        assets: Vec<f64>,
    ) -> Result<Self> {
        if assets.len() != ids.len() {
            return Err(Error::ShapeMismatch {
                rows: ids.len(),
                assets: assets.len(),
            });
        }
        for (i, &a) in assets.iter().enumerate() {
            if !(a.is_finite() && a >= 0.0) {
                return Err(Error::BadValue {
                    what: "asset row",
                    record: i,
                    field: "assets",
                    value: a,
                });
            }
        }
        let mut owed: Vec<Vec<(usize, f64)>> = vec![Vec::new(); ids.len()];
        for &(row, i, j, amount) in entries {
            if !(amount.is_finite() && amount >= 0.0) {
                return Err(Error::BadValue {
                    what: "liabilities row",
                    record: row,
                    field: "amount",
                    value: amount,
                });
            }
            if i == j && amount != 0.0 {
                return Err(Error::NonZeroDiagonal {
                    row,
                    id: ids[i].clone(),
                    value: amount,
                });
            }
            if amount > 0.0 {
                match owed[i].iter_mut().find(|(c, _)| *c == j) {
                    Some(e) => e.1 += amount,
                    None => owed[i].push((j, amount)),
                }
            }
        }
        Ok(ClearingProblem { ids, owed, assets })
    }

    /// From already checked parts (amounts positive, no firm owing itself).
    pub(crate) fn from_parts(
        ids: Vec<String>,
        owed: Vec<Vec<(usize, f64)>>,
        assets: Vec<f64>,
    ) -> Self {
        ClearingProblem { ids, owed, assets }
    }

    /// What firm `i` owes, as (creditor, amount).
    pub fn owed_by(&self, i: usize) -> &[(usize, f64)] {
        &self.owed[i]
    }

    /// Total obligations p̄.
    pub fn obligations(&self) -> Vec<f64> {
        self.owed
            .iter()
            .map(|o| o.iter().map(|e| e.1).sum())
            .collect()
    }

    /// Σ_j L_ji: what each firm is owed.
    pub fn receivables(&self) -> Vec<f64> {
        let mut r = vec![0.0; self.ids.len()];
        for o in &self.owed {
            for &(j, a) in o {
                r[j] += a;
            }
        }
        r
    }

    /// Σ_j Π_ji p_j for every i.
    pub fn inflows(&self, p: &[f64], pbar: &[f64]) -> Vec<f64> {
        let mut inflow = vec![0.0; self.ids.len()];
        for (i, o) in self.owed.iter().enumerate() {
            if pbar[i] > 0.0 {
                for &(j, a) in o {
                    inflow[j] += a / pbar[i] * p[i];
                }
            }
        }
        inflow
    }
}

/// The receivables of a workspace: each supply link's `receivable` is owed by the buyer
/// to the supplier (links without one owe nothing); external assets are the enterprises'
/// `cash` (0 when missing). Only enterprises of `chain` (and its links) when given.
pub fn from_dataset(data: &Dataset, chain: Option<&str>) -> Result<ClearingProblem> {
    let (firms, entries) = receivable_entries(data, chain)?;
    ClearingProblem::new(
        firms.iter().map(|e| e.id.clone()).collect(),
        &entries,
        firms.iter().map(|e| e.cash.unwrap_or(0.0)).collect(),
    )
}

/// A liability entry: (input record, debtor, creditor, amount).
pub(crate) type Entry = (usize, usize, usize, f64);

/// The firms of `chain` (all when `None`) and the receivables among them as
/// `(supply-link row, debtor, creditor, amount)`, debtor and creditor indexing the firms.
pub(crate) fn receivable_entries<'a>(
    data: &'a Dataset,
    chain: Option<&str>,
) -> Result<(Vec<&'a Enterprise>, Vec<Entry>)> {
    if let Some(c) = chain
        && data.chain(c).is_none()
    {
        return Err(Error::UnknownChain(c.to_owned()));
    }
    let firms: Vec<&Enterprise> = data
        .enterprises
        .iter()
        .filter(|e| chain.is_none_or(|c| e.stages.iter().any(|s| s.chain == c)))
        .collect();
    let index: HashMap<&str, usize> = firms
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut entries = Vec::new();
    for (row, l) in data.supply_links.iter().enumerate() {
        let in_chain = match (chain, &l.chain) {
            (Some(c), Some(lc)) => c == lc,
            _ => true,
        };
        if let (true, Some(amount), Some(&debtor), Some(&creditor)) = (
            in_chain,
            l.receivable,
            index.get(l.buyer.as_str()),
            index.get(l.supplier.as_str()),
        ) {
            entries.push((row, debtor, creditor, amount));
        }
    }
    Ok((firms, entries))
}

/// The smallest cash injection that keeps a defaulter paying in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Injection {
    pub id: String,
    pub amount: f64,
}

/// The clearing and what it means for each firm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clearing {
    pub payments: Vec<f64>,
    pub obligations: Vec<f64>,
    /// e_i + Σ_j Π_ji p_j − p_i (≥ 0).
    pub equity: Vec<f64>,
    /// Indices of the firms paying less than they owe, in index order.
    pub defaults: Vec<usize>,
    pub rounds: usize,
    /// Defaulters that would pay in full if their debtors did.
    pub contagion: Vec<usize>,
    pub injections: Vec<(usize, f64)>,
    /// Set when the clearing vector is not unique (the greatest one is returned).
    pub note: Option<String>,
}

/// Clears `problem` with the fictitious-default algorithm.
pub fn clear(problem: &ClearingProblem) -> Clearing {
    let n = problem.ids.len();
    let pbar = problem.obligations();
    let (payments, defaults, rounds) = fictitious_default(problem, &pbar, None);
    let inflow = problem.inflows(&payments, &pbar);
    let equity: Vec<f64> = (0..n)
        .map(|i| (problem.assets[i] + inflow[i] - payments[i]).max(0.0))
        .collect();
    let receivable = problem.receivables();
    let contagion = defaults
        .iter()
        .copied()
        .filter(|&i| problem.assets[i] + receivable[i] >= pbar[i] * (1.0 - 1e-12))
        .collect();
    let injections = defaults
        .iter()
        .map(|&i| {
            let (p, _, _) = fictitious_default(problem, &pbar, Some(i));
            let inflow = problem.inflows(&p, &pbar);
            (i, (pbar[i] - problem.assets[i] - inflow[i]).max(0.0))
        })
        .collect();
    Clearing {
        payments,
        obligations: pbar,
        equity,
        defaults,
        rounds,
        contagion,
        injections,
        note: non_uniqueness(problem),
    }
}

/// Returns the greatest clearing vector, the defaulters and the number of default waves;
/// `forced` pays in full whatever it receives.
pub(crate) fn fictitious_default(
    problem: &ClearingProblem,
    pbar: &[f64],
    forced: Option<usize>,
) -> (Vec<f64>, Vec<usize>, usize) {
    let n = pbar.len();
    let mut p = pbar.to_vec();
    let mut in_default = vec![false; n];
    let mut rounds = 0;
    loop {
        let inflow = problem.inflows(&p, pbar);
        let new: Vec<usize> = (0..n)
            .filter(|&i| !in_default[i] && Some(i) != forced)
            .filter(|&i| problem.assets[i] + inflow[i] < pbar[i] - 1e-12 * pbar[i].max(1.0))
            .collect();
        if new.is_empty() {
            break;
        }
        rounds += 1;
        for i in new {
            in_default[i] = true;
        }
        let d: Vec<usize> = (0..n).filter(|&i| in_default[i]).collect();
        let mut pos = vec![usize::MAX; n];
        for (a, &i) in d.iter().enumerate() {
            pos[i] = a;
        }
        // (I − Π_DDᵀ) p_D = e_D + Σ_{j∉D} Π_jD p̄_j
        let k = d.len();
        let mut a = vec![0.0; k * k];
        let mut b: Vec<f64> = d.iter().map(|&i| problem.assets[i]).collect();
        for r in 0..k {
            a[r * k + r] = 1.0;
        }
        for (j, o) in problem.owed.iter().enumerate() {
            if pbar[j] <= 0.0 {
                continue;
            }
            for &(i, amount) in o {
                if pos[i] == usize::MAX {
                    continue;
                }
                let share = amount / pbar[j];
                if pos[j] == usize::MAX {
                    b[pos[i]] += share * pbar[j];
                } else {
                    a[pos[i] * k + pos[j]] -= share;
                }
            }
        }
        let x = solve(&mut a, &mut b, k);
        for (r, &i) in d.iter().enumerate() {
            p[i] = x[r].clamp(0.0, pbar[i]);
        }
    }
    let defaults = (0..n).filter(|&i| in_default[i]).collect();
    (p, defaults, rounds)
}

/// Gaussian elimination with partial pivoting of a dense k×k system (row-major).
fn solve(a: &mut [f64], b: &mut [f64], k: usize) -> Vec<f64> {
    for c in 0..k {
        let pivot = (c..k)
            .max_by(|&x, &y| a[x * k + c].abs().total_cmp(&a[y * k + c].abs()))
            .unwrap_or(c);
        if pivot != c {
            for j in 0..k {
                a.swap(c * k + j, pivot * k + j);
            }
            b.swap(c, pivot);
        }
        let d = a[c * k + c];
        if d.abs() < 1e-300 {
            continue;
        }
        for r in c + 1..k {
            let f = a[r * k + c] / d;
            if f != 0.0 {
                for j in c..k {
                    a[r * k + j] -= f * a[c * k + j];
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = vec![0.0; k];
    for r in (0..k).rev() {
        let s: f64 = (r + 1..k).map(|j| a[r * k + j] * x[j]).sum();
        let d = a[r * k + r];
        x[r] = if d.abs() < 1e-300 {
            0.0
        } else {
            (b[r] - s) / d
        };
    }
    x
}

/// A note when a closed group of firms owing only each other (in a cycle) has no external
/// assets: then the clearing vector is not unique (Eisenberg & Noe 2001, Theorem 2).
fn non_uniqueness(problem: &ClearingProblem) -> Option<String> {
    let n = problem.ids.len();
    let succ: Vec<Vec<usize>> = problem
        .owed
        .iter()
        .map(|o| o.iter().map(|e| e.0).collect())
        .collect();
    let comp = strongly_connected(&succ);
    let k = comp.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; k];
    let mut assets = vec![0.0; k];
    let mut closed = vec![true; k];
    for i in 0..n {
        size[comp[i]] += 1;
        assets[comp[i]] += problem.assets[i];
        if succ[i].iter().any(|&j| comp[j] != comp[i]) {
            closed[comp[i]] = false;
        }
    }
    let groups: Vec<String> = (0..k)
        .filter(|&c| closed[c] && size[c] > 1 && assets[c] == 0.0)
        .map(|c| {
            let names: Vec<&str> = (0..n)
                .filter(|&i| comp[i] == c)
                .map(|i| problem.ids[i].as_str())
                .collect();
            names.join(", ")
        })
        .collect();
    (!groups.is_empty()).then(|| {
        format!(
            "the clearing vector is not unique: {} owe only each other and hold no external assets; \
             the greatest clearing vector is returned",
            groups.iter().map(|g| format!("{{{g}}}")).collect::<Vec<_>>().join(" and ")
        )
    })
}

/// Strongly connected components (Kosaraju, iterative): component index per vertex.
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<usize> {
    let n = succ.len();
    let mut pred = vec![Vec::new(); n];
    for (i, s) in succ.iter().enumerate() {
        for &j in s {
            pred[j].push(i);
        }
    }
    let mut seen = vec![false; n];
    let mut finish = Vec::with_capacity(n);
    for s in 0..n {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut stack = vec![(s, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if i < succ[v].len() {
                top.1 += 1;
                let w = succ[v][i];
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                finish.push(v);
                stack.pop();
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut c = 0;
    for &s in finish.iter().rev() {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = c;
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            for &w in &pred[v] {
                if comp[w] == usize::MAX {
                    comp[w] = c;
                    stack.push(w);
                }
            }
        }
        c += 1;
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(ids: &[&str], entries: &[(usize, usize, f64)], assets: &[f64]) -> ClearingProblem {
        let e: Vec<(usize, usize, usize, f64)> = entries
            .iter()
            .enumerate()
            .map(|(r, &(i, j, a))| (r, i, j, a))
            .collect();
        ClearingProblem::new(
            ids.iter().map(|s| (*s).to_owned()).collect(),
            &e,
            assets.to_vec(),
        )
        .unwrap()
    }

    #[test]
    fn a_two_round_default_wave_by_hand() {
        // A owes B 10 and has 2; B owes C 10 and has 3. A pays 2; B then has 5: pays 5.
        let p = problem(
            &["A", "B", "C"],
            &[(0, 1, 10.0), (1, 2, 10.0)],
            &[2.0, 3.0, 0.0],
        );
        let c = clear(&p);
        assert_eq!(c.payments, vec![2.0, 5.0, 0.0]);
        assert_eq!((c.defaults.clone(), c.rounds), (vec![0, 1], 2));
        assert_eq!(c.contagion, vec![1]);
        // A needs 10 − 2 = 8; B, with A still paying 2, needs 10 − 3 − 2 = 5.
        assert_eq!(c.injections, vec![(0, 8.0), (1, 5.0)]);
        assert_eq!(c.note, None);
    }

    #[test]
    fn a_zero_asset_cycle_is_flagged_and_cleared_at_the_top() {
        let p = problem(
            &["A", "B", "C"],
            &[(0, 1, 10.0), (1, 2, 10.0), (2, 0, 10.0)],
            &[0.0; 3],
        );
        let c = clear(&p);
        assert_eq!(c.payments, vec![10.0; 3]);
        assert!(c.defaults.is_empty());
        assert!(c.note.unwrap().contains("{A, B, C}"));
    }

    #[test]
    fn bad_liabilities_name_their_row() {
        let ids = vec!["A".to_owned(), "B".to_owned()];
        let diag = ClearingProblem::new(ids.clone(), &[(4, 1, 1, 3.0)], vec![0.0, 0.0]);
        assert_eq!(
            diag,
            Err(Error::NonZeroDiagonal {
                row: 4,
                id: "B".into(),
                value: 3.0
            })
        );
        let neg = ClearingProblem::new(ids, &[(7, 0, 1, -3.0)], vec![0.0, 0.0]);
        assert!(matches!(neg, Err(Error::BadValue { record: 7, .. })));
    }
}
