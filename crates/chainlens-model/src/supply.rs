//! Supply links between enterprises: who supplies whom, with what, how much, how fast,
//! how much stock the buyer holds, and what the buyer still owes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplyLink {
    pub supplier: String,
    pub buyer: String,
    /// The chain and stage of what is supplied (the supplier's stage).
    pub chain: Option<String>,
    pub stage: Option<String>,
    /// Annual value of the flow.
    pub value: Option<f64>,
    /// Share of the buyer's input of this stage bought from this supplier (0–1).
    pub share: Option<f64>,
    pub lead_time_days: Option<f64>,
    /// The buyer's inventory of this input, in days of use.
    pub inventory_days: Option<f64>,
    /// The buyer cannot produce without this input category.
    pub essential: bool,
    /// Amount the buyer owes the supplier (chain financing / protection).
    pub receivable: Option<f64>,
    /// Days the receivable is past due (0 when current).
    pub overdue_days: Option<f64>,
}
