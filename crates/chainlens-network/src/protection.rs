//! Chain protection over time (DESIGN.md §4.6; Gao 2021's Futong case: slow receivables
//! starved an upstream cable supplier until a bank's receivables platform restored its cash
//! flow): receivables that fall due on settlement dates, a clearing on each date, and the
//! two supply-chain finance instruments that move cash forward.
//!
//! **Dated clearing.** Settlement dates t = 0, 1, …, T−1 lie `period_days` apart (date 0
//! is today). Each obligation L (debtor i owes creditor j) falls due on one date. On date
//! t every firm owes what falls due then plus its arrears, the unpaid part of earlier
//! obligations, which stays owed to the same creditors. The date is cleared as Eisenberg
//! & Noe (2001) clear one period — p_i = min(p̄_i, c_i + Σ_j Π_ji p_j), the greatest
//! clearing vector by the fictitious-default algorithm of [`crate::clearing`] — with the
//! cash c_i the firm holds on that date (its external assets e_i on date 0, thereafter
//! what was left: c_i(t+1) = c_i(t) + inflow_i(t) − p_i(t)). A firm *defaults on date t*
//! when it pays less than it owes then; late payment is a default here even if the firm
//! pays later (a supplier without cash cannot buy materials in between). With one date
//! the dated clearing is exactly the static clearing. Cost: one fictitious-default
//! clearing per date, O(T·(n + m)·rounds) plus the dense solves of the defaulters.
//!
//! **Finance.** An instrument sells a set of obligations to a bank (outside the network)
//! at an annual simple discount rate r: the creditor receives L·(1 − r·τ) on date 0, τ =
//! t·period_days/365 years before the due date t, and the debtor owes L to the bank on
//! date t; the bank, not the supplier, bears the debtor's default (no recourse).
//! *Reverse factoring*: a core firm confirms its payables, so all obligations it owes are
//! sold, at the bank's rate for the core's credit. *Factoring*: a supplier sells all its
//! receivables, at a (higher) factoring rate for its buyers' credit.
//!
//! **Least liquidity.** With every firm paying in full, the flows are known and firm i's
//! cash on date t is e_i + x_i + Σ_{s≤t} (in_i(s) − out_i(s)), so the injection on date 0
//! x_i = max(0, max_t Σ_{s≤t} (out_i(s) − in_i(s)) − e_i) is the least that keeps i
//! paying on every date. The vector x is the componentwise least injection under which
//! no firm defaults: any injection without defaults makes everyone pay in full, so it
//! needs these flows, hence ≥ x; and with x the greatest clearing vector of each date is
//! full payment. Firms that default without it but have x_i = 0 default only because
//! others pay late: injecting x elsewhere stops their cascade. O(T·n + m).

use crate::clearing::{ClearingProblem, fictitious_default, receivable_entries};
use crate::error::{Error, Result};
use chainlens_model::Dataset;
use serde::{Deserialize, Serialize};

/// Days per year of the simple discount.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// One obligation: `debtor` owes `creditor` `amount` on settlement date `date`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Obligation {
    pub debtor: usize,
    pub creditor: usize,
    pub amount: f64,
    pub date: usize,
}

/// A checked receivables network with due dates.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedProblem {
    /// All obligations due at once (the static Eisenberg–Noe problem).
    pub undated: ClearingProblem,
    pub obligations: Vec<Obligation>,
    /// Days between settlement dates.
    pub period_days: f64,
}

impl DatedProblem {
    /// From entries `(row, debtor, creditor, amount, date)`; the checks (and errors) are
    /// those of [`ClearingProblem::new`].
    pub fn new(
        ids: Vec<String>,
        entries: &[(usize, usize, usize, f64, usize)],
        assets: Vec<f64>,
        period_days: f64,
    ) -> Result<Self> {
        if !(period_days.is_finite() && period_days > 0.0) {
            return Err(Error::BadSetting {
                key: "period_days",
                value: period_days,
                reason: "must be a positive number of days",
            });
        }
        let flat: Vec<(usize, usize, usize, f64)> = entries
            .iter()
            .map(|&(row, i, j, a, _)| (row, i, j, a))
            .collect();
        let undated = ClearingProblem::new(ids, &flat, assets)?;
        let obligations = entries
            .iter()
            .filter(|e| e.3 > 0.0)
            .map(|&(_, debtor, creditor, amount, date)| Obligation {
                debtor,
                creditor,
                amount,
                date,
            })
            .collect();
        Ok(DatedProblem {
            undated,
            obligations,
            period_days,
        })
    }

    /// Number of settlement dates (at least 1).
    pub fn dates(&self) -> usize {
        self.obligations
            .iter()
            .map(|o| o.date + 1)
            .max()
            .unwrap_or(1)
    }

    fn firms(&self) -> usize {
        self.undated.ids.len()
    }
}

/// A supply-chain finance instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// The firm (a core buyer) confirms its payables; its suppliers discount them.
    ReverseFactoring,
    /// The firm (a supplier) sells its receivables.
    Factoring,
}

/// One use of an instrument by one firm at an annual simple discount rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Finance {
    pub instrument: Instrument,
    pub firm: usize,
    pub rate: f64,
}

impl Finance {
    fn covers(&self, o: &Obligation) -> bool {
        match self.instrument {
            Instrument::ReverseFactoring => o.debtor == self.firm,
            Instrument::Factoring => o.creditor == self.firm,
        }
    }
}

/// What the bank advanced, is owed and collected.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct BankPosition {
    /// Paid to creditors on date 0 (face value less discount).
    pub advanced: f64,
    /// Face value of the obligations bought.
    pub face: f64,
    pub collected: f64,
    /// face − collected: what defaulting debtors did not pay the bank.
    pub loss: f64,
}

/// One settlement date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateClearing {
    pub date: usize,
    pub day: f64,
    /// Owed on the date (falling due plus arrears), over all firms.
    pub due: f64,
    pub paid: f64,
    /// Firms paying less than they owe on this date.
    pub defaults: Vec<usize>,
}

/// The dated clearing and what it means for each firm (vectors indexed like `ids`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatedClearing {
    pub dates: Vec<DateClearing>,
    /// The first date each firm pays less than it owes.
    pub first_default: Vec<Option<usize>>,
    /// Firms defaulting on some date, in index order.
    pub defaults: Vec<usize>,
    /// Arrears left after the last date.
    pub unpaid: Vec<f64>,
    /// Cash after the last date.
    pub cash: Vec<f64>,
    /// The least injection on date 0 under which no firm defaults on any date.
    pub least_liquidity: Vec<f64>,
    /// Discount paid to the bank by each creditor that sold obligations.
    pub discount: Vec<f64>,
    pub bank: BankPosition,
}

/// The obligations after `finance`: sold ones owed to the bank (index n), and each
/// creditor's date-0 advance and discount.
struct Financed {
    obligations: Vec<Obligation>,
    advance: Vec<f64>,
    discount: Vec<f64>,
    bank: BankPosition,
}

fn apply(problem: &DatedProblem, finance: &[Finance]) -> Financed {
    let n = problem.firms();
    let mut advance = vec![0.0; n];
    let mut discount = vec![0.0; n];
    let mut bank = BankPosition::default();
    let obligations = problem
        .obligations
        .iter()
        .map(|o| match finance.iter().find(|f| f.covers(o)) {
            None => *o,
            Some(f) => {
                let tau = o.date as f64 * problem.period_days / DAYS_PER_YEAR;
                let paid = o.amount * (1.0 - f.rate * tau).max(0.0);
                advance[o.creditor] += paid;
                discount[o.creditor] += o.amount - paid;
                bank.advanced += paid;
                bank.face += o.amount;
                Obligation { creditor: n, ..*o }
            }
        })
        .collect();
    Financed {
        obligations,
        advance,
        discount,
        bank,
    }
}

/// Clears `problem` date by date with `finance` in force (none: as the receivables are).
pub fn clear_over_time(problem: &DatedProblem, finance: &[Finance]) -> DatedClearing {
    let n = problem.firms();
    let bank = n;
    let f = apply(problem, finance);
    let mut ids = problem.undated.ids.clone();
    ids.push("bank".to_owned());
    let mut cash: Vec<f64> = (0..n)
        .map(|i| problem.undated.assets[i] + f.advance[i])
        .chain([0.0])
        .collect();
    // owed[i] = (creditor, amount) due now, arrears included.
    let mut arrears: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n + 1];
    let mut first_default = vec![None; n];
    let mut dates = Vec::new();
    for t in 0..problem.dates() {
        let mut owed = std::mem::take(&mut arrears);
        owed.resize(n + 1, Vec::new());
        for o in f.obligations.iter().filter(|o| o.date == t) {
            match owed[o.debtor].iter_mut().find(|e| e.0 == o.creditor) {
                Some(e) => e.1 += o.amount,
                None => owed[o.debtor].push((o.creditor, o.amount)),
            }
        }
        let cp = ClearingProblem::from_parts(ids.clone(), owed, cash.clone());
        let pbar = cp.obligations();
        let (p, defaults, _) = fictitious_default(&cp, &pbar, None);
        let inflow = cp.inflows(&p, &pbar);
        for i in 0..=n {
            cash[i] = (cash[i] + inflow[i] - p[i]).max(0.0);
        }
        arrears = vec![Vec::new(); n + 1];
        for &i in &defaults {
            let left = 1.0 - p[i] / pbar[i];
            arrears[i] = cp.owed_by(i).iter().map(|&(j, a)| (j, a * left)).collect();
            if i < n && first_default[i].is_none() {
                first_default[i] = Some(t);
            }
        }
        dates.push(DateClearing {
            date: t,
            day: t as f64 * problem.period_days,
            due: pbar.iter().sum(),
            paid: p.iter().sum(),
            defaults: defaults.into_iter().filter(|&i| i < n).collect(),
        });
    }
    let mut position = f.bank;
    position.collected = cash[bank];
    position.loss = (position.face - position.collected).max(0.0);
    let unpaid = (0..n)
        .map(|i| arrears[i].iter().map(|e| e.1).sum())
        .collect();
    cash.truncate(n);
    DatedClearing {
        dates,
        defaults: (0..n).filter(|&i| first_default[i].is_some()).collect(),
        first_default,
        unpaid,
        cash,
        least_liquidity: least_liquidity(problem, &f),
        discount: f.discount,
        bank: position,
    }
}

/// x_i = max(0, max_t Σ_{s≤t}(out_i(s) − in_i(s)) − e_i − advance_i) under full payment.
fn least_liquidity(problem: &DatedProblem, f: &Financed) -> Vec<f64> {
    let n = problem.firms();
    let dates = problem.dates();
    let mut net = vec![vec![0.0; dates]; n];
    for o in &f.obligations {
        net[o.debtor][o.date] += o.amount;
        if o.creditor < n {
            net[o.creditor][o.date] -= o.amount;
        }
    }
    (0..n)
        .map(|i| {
            let mut cumulative = 0.0;
            let mut worst: f64 = 0.0;
            for &x in &net[i] {
                cumulative += x;
                worst = worst.max(cumulative);
            }
            (worst - problem.undated.assets[i] - f.advance[i]).max(0.0)
        })
        .collect()
}

/// `[plan.protection]` of chainlens.toml: how receivables fall due and what finance costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProtectionConfig {
    /// Days between settlement dates (default 30).
    pub period_days: f64,
    /// Payment terms of a current receivable (default 60 days).
    pub terms_days: f64,
    /// Annual discount rate of reverse factoring, on the core's credit (default 0.04).
    pub bank_rate: f64,
    /// Annual discount rate of plain factoring, on the buyers' credit (default 0.10).
    pub factoring_rate: f64,
    /// Core firms that can confirm their payables (default: the chain's leading enterprises).
    pub cores: Option<Vec<String>>,
}

impl Default for ProtectionConfig {
    fn default() -> Self {
        ProtectionConfig {
            period_days: 30.0,
            terms_days: 60.0,
            bank_rate: 0.04,
            factoring_rate: 0.10,
            cores: None,
        }
    }
}

impl ProtectionConfig {
    /// Refuses non-positive periods and terms and rates outside [0, 1).
    pub fn check(&self) -> Result<()> {
        let positive = |key, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(Error::BadSetting {
                    key,
                    value,
                    reason: "must be a positive number of days",
                })
            }
        };
        let rate = |key, value: f64| {
            if (0.0..1.0).contains(&value) {
                Ok(())
            } else {
                Err(Error::BadSetting {
                    key,
                    value,
                    reason: "an annual rate is a fraction in [0, 1), e.g. 0.04",
                })
            }
        };
        positive("period_days", self.period_days)?;
        positive("terms_days", self.terms_days)?;
        rate("bank_rate", self.bank_rate)?;
        rate("factoring_rate", self.factoring_rate)
    }

    /// The share of a current receivable falling due on each date 1, 2, …: invoices
    /// issued evenly over the terms have ages uniform on [0, terms), so they fall due
    /// uniformly over (0, terms]; date t takes the part due in ((t−1)·period, t·period].
    pub fn schedule(&self) -> Vec<f64> {
        let (p, terms) = (self.period_days, self.terms_days);
        let k = (terms / p).ceil() as usize;
        (1..=k)
            .map(|t| ((t as f64 * p).min(terms) - (t - 1) as f64 * p) / terms)
            .collect()
    }
}

/// The receivables of a workspace with due dates: a receivable past due
/// (`overdue_days` > 0) falls due today (date 0); a current one over the dates of
/// [`ProtectionConfig::schedule`]. Firms, cash and chain filter as [`crate::clearing::from_dataset`].
pub fn dated_from_dataset(
    data: &Dataset,
    chain: Option<&str>,
    config: &ProtectionConfig,
) -> Result<DatedProblem> {
    config.check()?;
    let (firms, entries) = receivable_entries(data, chain)?;
    let schedule = config.schedule();
    let mut dated = Vec::new();
    for (row, debtor, creditor, amount) in entries {
        if data.supply_links[row].overdue_days.unwrap_or(0.0) > 0.0 {
            dated.push((row, debtor, creditor, amount, 0));
        } else {
            for (k, share) in schedule.iter().enumerate() {
                dated.push((row, debtor, creditor, amount * share, k + 1));
            }
        }
    }
    DatedProblem::new(
        firms.iter().map(|e| e.id.clone()).collect(),
        &dated,
        firms.iter().map(|e| e.cash.unwrap_or(0.0)).collect(),
        config.period_days,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clearing::clear;

    fn dated(
        ids: &[&str],
        entries: &[(usize, usize, f64, usize)],
        assets: &[f64],
        period_days: f64,
    ) -> DatedProblem {
        let e: Vec<_> = entries
            .iter()
            .enumerate()
            .map(|(r, &(i, j, a, t))| (r, i, j, a, t))
            .collect();
        DatedProblem::new(
            ids.iter().map(|s| (*s).to_owned()).collect(),
            &e,
            assets.to_vec(),
            period_days,
        )
        .unwrap()
    }

    /// Equal within 1e-12 (the defaulters' payments come from a linear solve).
    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-12 * y.abs().max(1.0))
    }

    #[test]
    fn one_date_is_the_static_clearing() {
        // The two-wave case of the clearing module plus a cycle: all due on date 0.
        let p = dated(
            &["A", "B", "C", "D"],
            &[
                (0, 1, 10.0, 0),
                (1, 2, 10.0, 0),
                (2, 3, 4.0, 0),
                (3, 1, 3.0, 0),
            ],
            &[2.0, 3.0, 1.0, 0.5],
            30.0,
        );
        let by_date = clear_over_time(&p, &[]);
        let fixed = clear(&p.undated);
        assert_eq!(by_date.dates.len(), 1);
        assert_eq!(by_date.defaults, fixed.defaults);
        assert_eq!(by_date.dates[0].defaults, fixed.defaults);
        let paid: f64 = fixed.payments.iter().sum();
        assert_eq!(by_date.dates[0].paid, paid);
        assert_eq!(by_date.cash, fixed.equity);
    }

    #[test]
    fn timing_alone_makes_a_solvent_supplier_default() {
        // The Futong case in miniature. Core K owes cable maker S 100 on date 2 (60 days);
        // S owes its copper supplier M 60 on date 1 (30 days); S holds 20, K holds 200.
        // Static (all at once): S has 20 + 100 ≥ 60, nobody defaults.
        // Dated: on date 1 S has 20 < 60 → pays 20 (defaults), arrears 40 to M;
        // on date 2 S receives 100, pays 40: cash 20 + 100 − 20 − 40 = 60.
        let p = dated(
            &["K", "S", "M"],
            &[(0, 1, 100.0, 2), (1, 2, 60.0, 1)],
            &[200.0, 20.0, 0.0],
            30.0,
        );
        assert!(clear(&p.undated).defaults.is_empty());
        let c = clear_over_time(&p, &[]);
        assert_eq!(c.defaults, vec![1]);
        assert_eq!(c.first_default, vec![None, Some(1), None]);
        let paid: Vec<f64> = c.dates.iter().map(|d| d.paid).collect();
        assert!(close(&paid, &[0.0, 20.0, 140.0]), "{paid:?}");
        assert!(close(&c.cash, &[100.0, 60.0, 60.0]), "{:?}", c.cash);
        assert!(close(&c.unpaid, &[0.0; 3]));
        // Least liquidity: S's cumulative net outflow peaks at 60 on date 1: 60 − 20 = 40.
        assert_eq!(c.least_liquidity, vec![0.0, 40.0, 0.0]);
        // With 40 injected into S nobody defaults.
        let mut rescued = p.clone();
        rescued.undated.assets[1] += 40.0;
        assert!(clear_over_time(&rescued, &[]).defaults.is_empty());
        // Reverse factoring by K at 7.3 % a year: S receives 100·(1 − 0.073·60/365)
        // = 100·(1 − 0.012) = 98.8 on date 0, pays M 60 on date 1 and keeps 58.8;
        // K pays the bank 100 on date 2. Discount 1.2, bank loss 0.
        let rf = [Finance {
            instrument: Instrument::ReverseFactoring,
            firm: 0,
            rate: 0.073,
        }];
        let c = clear_over_time(&p, &rf);
        assert!(c.defaults.is_empty());
        assert!((c.discount[1] - 1.2).abs() < 1e-12);
        assert!((c.cash[1] - 58.8).abs() < 1e-12);
        assert_eq!(c.least_liquidity, vec![0.0; 3]);
        assert!((c.bank.advanced - 98.8).abs() < 1e-12);
        assert_eq!(
            (c.bank.face, c.bank.collected, c.bank.loss),
            (100.0, 100.0, 0.0)
        );
    }

    #[test]
    fn factoring_moves_the_buyers_default_to_the_bank() {
        // Buyer B owes supplier S 80 on date 1 and holds 30; S owes M 50 on date 1 and
        // holds 0. As is: B pays 30 (defaults), S receives 30 and pays 30 of 50
        // (defaults, contagion). S factors its receivable at 36.5 %/yr, τ = 30/365:
        // S gets 80·(1 − 0.365·30/365) = 80·0.97 = 77.6 on date 0 and pays M in full;
        // the bank collects B's 30 of 80 and loses 50.
        let p = dated(
            &["B", "S", "M"],
            &[(0, 1, 80.0, 1), (1, 2, 50.0, 1)],
            &[30.0, 0.0, 0.0],
            30.0,
        );
        let c = clear_over_time(&p, &[]);
        assert_eq!(c.defaults, vec![0, 1]);
        assert!(close(&c.unpaid, &[50.0, 20.0, 0.0]), "{:?}", c.unpaid);
        // Least liquidity: B needs 80 − 30 = 50; S then receives in full and needs none.
        assert_eq!(c.least_liquidity, vec![50.0, 0.0, 0.0]);
        let f = [Finance {
            instrument: Instrument::Factoring,
            firm: 1,
            rate: 0.365,
        }];
        let c = clear_over_time(&p, &f);
        assert_eq!(c.defaults, vec![0]);
        assert!((c.cash[1] - 27.6).abs() < 1e-12);
        assert!((c.bank.loss - 50.0).abs() < 1e-12);
        assert_eq!(c.bank.collected, 30.0);
    }

    #[test]
    fn current_receivables_fall_due_over_the_terms() {
        let c = ProtectionConfig {
            terms_days: 45.0,
            ..ProtectionConfig::default()
        };
        // (0, 30] and (30, 45] of 45 days: 2/3 and 1/3.
        let s = c.schedule();
        assert_eq!(s.len(), 2);
        assert!((s[0] - 2.0 / 3.0).abs() < 1e-15 && (s[1] - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(ProtectionConfig::default().schedule(), vec![0.5, 0.5]);
        let bad = ProtectionConfig {
            bank_rate: 4.0,
            ..ProtectionConfig::default()
        };
        assert!(matches!(
            bad.check(),
            Err(Error::BadSetting {
                key: "bank_rate",
                ..
            })
        ));
    }
}
