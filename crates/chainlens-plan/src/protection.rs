//! Chain protection plan (Gao 2021: keep existing links alive; the Futong case): the
//! receivables of a chain cleared three ways and side by side —
//!
//! 1. static Eisenberg–Noe clearing, everything due at once ([`chainlens_network::clear`]);
//! 2. dated clearing as the receivables fall due (past-due ones today, current ones over
//!    the payment terms; [`chainlens_network::protection`]), as is;
//! 3. the same with reverse factoring by the core firms (`[plan.protection] cores`, by
//!    default the chain's leading enterprises) at the bank rate, and with plain factoring
//!    by every firm that defaults as is, at the factoring rate —
//!
//! and the measures that follow: the least liquidity on date 0, and to whom, that stops
//! every default (componentwise least, see the network module), and each finance
//! instrument that lowers the number of defaulters, with its discount cost and the
//! liquidity still needed. Cost: four clearings plus the static one's per-defaulter
//! injections (one clearing per defaulter).

use crate::error::Result;
use crate::measure::{Measure, MeasureKind};
use chainlens_model::{Dataset, EnterpriseRole};
use chainlens_network::protection::{
    BankPosition, DatedClearing, DatedProblem, Finance, Instrument, ProtectionConfig,
    clear_over_time, dated_from_dataset,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// The static Eisenberg–Noe clearing, by firm id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaticClearing {
    pub owed: f64,
    pub paid: f64,
    pub defaults: Vec<String>,
    /// Defaulters that would pay in full if their debtors did.
    pub contagion: Vec<String>,
    /// The smallest injection that keeps each defaulter paying in full.
    pub injections: BTreeMap<String, f64>,
    pub rounds: usize,
}

/// A firm that misses a payment on some date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmDefault {
    pub id: String,
    pub first_date: usize,
    pub first_day: f64,
    /// Still unpaid after the last date.
    pub unpaid: f64,
}

/// One settlement date of an option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateSummary {
    pub date: usize,
    pub day: f64,
    pub due: f64,
    pub paid: f64,
    pub defaults: Vec<String>,
}

/// The dated clearing under one arrangement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtectionOption {
    /// `as_is`, `reverse_factoring` or `factoring`.
    pub name: &'static str,
    /// Firms using the instrument (cores confirming, suppliers selling).
    pub users: Vec<String>,
    /// Annual discount rate (none as is).
    pub rate: Option<f64>,
    pub defaults: Vec<FirmDefault>,
    /// The least injection on date 0 under which no firm defaults, per firm that needs one.
    pub least_liquidity: BTreeMap<String, f64>,
    pub liquidity: f64,
    /// Discount paid to the bank by the suppliers.
    pub discount: f64,
    pub bank: BankPosition,
    pub dates: Vec<DateSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtectionPlan {
    pub chain: Option<String>,
    pub settings: ProtectionConfig,
    pub firms: usize,
    /// Receivables in the network (face value).
    pub receivables: f64,
    #[serde(rename = "static")]
    pub static_clearing: StaticClearing,
    /// `as_is`, then `reverse_factoring` and `factoring` when someone can use them.
    pub options: Vec<ProtectionOption>,
    /// Firms that miss a payment only because of timing: they default on some date but
    /// not in the static clearing (a liquidity, not a solvency, problem).
    pub timing_only: Vec<String>,
    pub measures: Vec<Measure>,
}

/// The protection plan of the receivables of `chain` (all chains when `None`).
pub fn protection_plan(
    data: &Dataset,
    chain: Option<&str>,
    settings: &ProtectionConfig,
) -> Result<ProtectionPlan> {
    let problem = dated_from_dataset(data, chain, settings)?;
    let ids = &problem.undated.ids;
    let id = |i: usize| ids[i].clone();
    let fixed = chainlens_network::clear(&problem.undated);
    let static_clearing = StaticClearing {
        owed: fixed.obligations.iter().sum(),
        paid: fixed.payments.iter().sum(),
        defaults: fixed.defaults.iter().map(|&i| id(i)).collect(),
        contagion: fixed.contagion.iter().map(|&i| id(i)).collect(),
        injections: fixed.injections.iter().map(|&(i, x)| (id(i), x)).collect(),
        rounds: fixed.rounds,
    };
    let as_is = clear_over_time(&problem, &[]);
    let mut options = vec![option(&problem, "as_is", &[], None, &as_is)];
    let owes = |i: usize| problem.obligations.iter().any(|o| o.debtor == i);
    let cores: Vec<usize> = (0..ids.len())
        .filter(|&i| match &settings.cores {
            Some(list) => list.contains(&ids[i]),
            None => data
                .enterprises
                .iter()
                .any(|e| e.id == ids[i] && e.role == EnterpriseRole::Leading),
        })
        .filter(|&i| owes(i))
        .collect();
    let confirm: Vec<Finance> = cores
        .iter()
        .map(|&firm| Finance {
            instrument: Instrument::ReverseFactoring,
            firm,
            rate: settings.bank_rate,
        })
        .collect();
    if !confirm.is_empty() {
        let c = clear_over_time(&problem, &confirm);
        options.push(option(
            &problem,
            "reverse_factoring",
            &cores,
            Some(settings.bank_rate),
            &c,
        ));
    }
    let sellers: Vec<usize> = as_is
        .defaults
        .iter()
        .copied()
        .filter(|&i| problem.obligations.iter().any(|o| o.creditor == i))
        .collect();
    if !sellers.is_empty() {
        let sell: Vec<Finance> = sellers
            .iter()
            .map(|&firm| Finance {
                instrument: Instrument::Factoring,
                firm,
                rate: settings.factoring_rate,
            })
            .collect();
        let c = clear_over_time(&problem, &sell);
        options.push(option(
            &problem,
            "factoring",
            &sellers,
            Some(settings.factoring_rate),
            &c,
        ));
    }
    let timing_only: Vec<String> = as_is
        .defaults
        .iter()
        .filter(|&&i| !fixed.defaults.contains(&i))
        .map(|&i| id(i))
        .collect();
    let measures = measures(&options, &timing_only);
    Ok(ProtectionPlan {
        chain: chain.map(str::to_owned),
        settings: settings.clone(),
        firms: ids.len(),
        receivables: static_clearing.owed,
        static_clearing,
        options,
        timing_only,
        measures,
    })
}

fn option(
    problem: &DatedProblem,
    name: &'static str,
    users: &[usize],
    rate: Option<f64>,
    c: &DatedClearing,
) -> ProtectionOption {
    let ids = &problem.undated.ids;
    let least_liquidity: BTreeMap<String, f64> = c
        .least_liquidity
        .iter()
        .enumerate()
        .filter(|&(_, &x)| x > 0.0)
        .map(|(i, &x)| (ids[i].clone(), x))
        .collect();
    ProtectionOption {
        name,
        users: users.iter().map(|&i| ids[i].clone()).collect(),
        rate,
        defaults: c
            .defaults
            .iter()
            .map(|&i| {
                let first = c.first_default[i].unwrap_or(0);
                FirmDefault {
                    id: ids[i].clone(),
                    first_date: first,
                    first_day: c.dates[first].day,
                    unpaid: c.unpaid[i],
                }
            })
            .collect(),
        liquidity: least_liquidity.values().sum(),
        least_liquidity,
        discount: c.discount.iter().sum(),
        bank: c.bank,
        dates: c
            .dates
            .iter()
            .map(|d| DateSummary {
                date: d.date,
                day: d.day,
                due: d.due,
                paid: d.paid,
                defaults: d.defaults.iter().map(|&i| ids[i].clone()).collect(),
            })
            .collect(),
    }
}

fn measures(options: &[ProtectionOption], timing_only: &[String]) -> Vec<Measure> {
    let as_is = &options[0];
    if as_is.defaults.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let defaulters = as_is.defaults.len();
    let saved = as_is
        .defaults
        .iter()
        .filter(|d| !as_is.least_liquidity.contains_key(&d.id))
        .count();
    let mut numbers: BTreeMap<String, f64> = as_is
        .least_liquidity
        .iter()
        .map(|(k, &v)| (format!("lend_{k}"), v))
        .collect();
    numbers.insert("total".into(), as_is.liquidity);
    numbers.insert("defaults_as_is".into(), defaulters as f64);
    out.push(Measure {
        kind: MeasureKind::Protection,
        action: format!(
            "lend {} on date 0 to {}",
            round2(as_is.liquidity),
            as_is
                .least_liquidity
                .iter()
                .map(|(k, v)| format!("{k} ({})", round2(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        firms: as_is.least_liquidity.keys().cloned().collect(),
        reason: format!(
            "the least liquidity under which no firm misses a payment on any date: {defaulters} firm(s) default as is \
             ({} only on timing: they would pay in full if everything fell due at once); {saved} of them are short only \
             because others pay late and need nothing themselves",
            timing_only.len()
        ),
        numbers,
    });
    for o in &options[1..] {
        if o.defaults.len() >= defaulters {
            continue;
        }
        let rate = o.rate.unwrap_or(0.0);
        let what = match o.name {
            "reverse_factoring" => format!(
                "{} confirm their payables so that their suppliers can discount them at {:.2} % a year (reverse factoring)",
                o.users.join(", "),
                100.0 * rate
            ),
            _ => format!(
                "{} sell their receivables at {:.2} % a year (factoring)",
                o.users.join(", "),
                100.0 * rate
            ),
        };
        out.push(Measure {
            kind: MeasureKind::Protection,
            action: what,
            firms: o.users.clone(),
            reason: format!(
                "defaulters fall from {defaulters} to {}; suppliers pay {} in discount; the liquidity still needed falls \
                 from {} to {}; the bank advances {} and loses {} to defaulting debtors",
                o.defaults.len(),
                round2(o.discount),
                round2(as_is.liquidity),
                round2(o.liquidity),
                round2(o.bank.advanced),
                round2(o.bank.loss)
            ),
            numbers: BTreeMap::from([
                ("defaults_as_is".into(), defaulters as f64),
                ("defaults_after".into(), o.defaults.len() as f64),
                ("discount".into(), o.discount),
                ("liquidity_as_is".into(), as_is.liquidity),
                ("liquidity_after".into(), o.liquidity),
                ("bank_advanced".into(), o.bank.advanced),
                ("bank_loss".into(), o.bank.loss),
                ("rate".into(), rate),
            ]),
        });
    }
    out
}

/// Money to two decimals for the sentences (the numbers keep full precision).
pub(crate) fn round2(x: f64) -> String {
    format!("{x:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainlens_model::{Chain, Enterprise, StageRef, SupplyLink};

    fn firm(id: &str, role: EnterpriseRole, cash: f64) -> Enterprise {
        Enterprise {
            id: id.into(),
            name: id.into(),
            region: "r".into(),
            sector: None,
            stages: vec![StageRef {
                chain: "c".into(),
                stage: "s".into(),
            }],
            role,
            capacity: None,
            output: None,
            employees: None,
            total_assets: None,
            operating_income: None,
            rd_expenditure: None,
            invention_patents: None,
            cash: Some(cash),
            attributes: Default::default(),
        }
    }

    fn link(supplier: &str, buyer: &str, receivable: f64, overdue: f64) -> SupplyLink {
        SupplyLink {
            supplier: supplier.into(),
            buyer: buyer.into(),
            chain: Some("c".into()),
            stage: Some("s".into()),
            value: None,
            share: None,
            lead_time_days: None,
            inventory_days: None,
            essential: true,
            receivable: Some(receivable),
            overdue_days: Some(overdue),
        }
    }

    /// Core K (leading, cash 1000) owes cable maker Y 120 on 60-day terms; Y (cash 10)
    /// owes copper supplier M 50 past due and M (cash 0) owes its own supplier W 40 past due.
    fn futong() -> Dataset {
        Dataset {
            chains: vec![Chain {
                id: "c".into(),
                name: "c".into(),
                description: None,
                stages: Vec::new(),
            }],
            enterprises: vec![
                firm("K", EnterpriseRole::Leading, 1000.0),
                firm("Y", EnterpriseRole::Supporting, 10.0),
                firm("M", EnterpriseRole::Supporting, 0.0),
                firm("W", EnterpriseRole::Supporting, 0.0),
            ],
            supply_links: vec![
                link("Y", "K", 120.0, 0.0),
                link("M", "Y", 50.0, 30.0),
                link("W", "M", 40.0, 15.0),
            ],
            ..Dataset::default()
        }
    }

    #[test]
    fn the_futong_case_by_hand() {
        let plan = protection_plan(&futong(), Some("c"), &ProtectionConfig::default()).unwrap();
        // Static: Y has 10 + 120 ≥ 50, M has 0 + 50 ≥ 40: nobody defaults.
        assert!(plan.static_clearing.defaults.is_empty());
        // Dated, terms 60 days in 30-day periods: K owes Y 60 on date 1 and 60 on date 2;
        // the overdue 50 and 40 fall due on date 0. Date 0: Y pays its 10 (defaults),
        // M receives 10 and pays 10 of 40 (defaults only because Y pays late).
        let as_is = &plan.options[0];
        let ids: Vec<&str> = as_is.defaults.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["Y", "M"]);
        assert_eq!(plan.timing_only, ["Y", "M"]);
        // Least liquidity: Y needs 50 − 10 = 40 on date 0; then M is paid and needs none.
        assert_eq!(
            as_is.least_liquidity,
            BTreeMap::from([("Y".to_owned(), 40.0)])
        );
        // Reverse factoring by K at 4 %: Y receives 60·(1 − 0.04·30/365) + 60·(1 − 0.04·60/365)
        // = 120 − 0.04·60·90/365 = 120 − 216/365 on date 0 and pays M in full.
        let rf = &plan.options[1];
        assert_eq!(rf.name, "reverse_factoring");
        assert_eq!(rf.users, ["K"]);
        assert!(rf.defaults.is_empty());
        assert!((rf.discount - 216.0 / 365.0).abs() < 1e-12);
        assert_eq!(rf.liquidity, 0.0);
        // Factoring by the defaulters Y and M at 10 %: Y sells K's debt (date 1 and 2):
        // 120 − 0.1·60·90/365 = 120 − 540/365 ≥ 50 on date 0; M's receivable from Y is due
        // on date 0 (τ = 0): sold at face, the bank collects it from Y. Nobody defaults.
        let f = &plan.options[2];
        assert_eq!(f.users, ["Y", "M"]);
        assert!(f.defaults.is_empty());
        assert!((f.discount - 540.0 / 365.0).abs() < 1e-12);
        assert_eq!(f.bank.loss, 0.0);
        // Measures: lend 40 to Y; reverse factoring; factoring.
        assert_eq!(plan.measures.len(), 3);
        assert_eq!(plan.measures[0].firms, ["Y"]);
        assert_eq!(plan.measures[0].numbers["total"], 40.0);
        assert!(plan.measures[1].action.contains("K confirm"));
    }

    #[test]
    fn nothing_to_protect_gives_no_measure() {
        let mut d = futong();
        d.enterprises[1].cash = Some(100.0);
        let plan = protection_plan(&d, None, &ProtectionConfig::default()).unwrap();
        assert!(plan.options[0].defaults.is_empty());
        assert!(plan.measures.is_empty());
        assert_eq!(plan.options.len(), 2, "no defaulter, so no one factors");
    }
}
