//! The ChainLens domain model (DESIGN.md §3): the types every other crate speaks, and
//! the validation that finds every problem in a data set at once.
//!
//! Nothing here reads files or touches the store. Records carry ids, not source
//! positions: [`validate`] reports a [`Problem`] against a table, a record index and a
//! field, and the data layer turns that into `file:row:column`.

pub mod alert;
pub mod chain;
pub mod dataset;
pub mod enterprise;
pub mod geometry;
pub mod grade;
pub mod indicator;
pub mod io_table;
pub mod matrix;
pub mod problem;
pub mod region;
pub mod risk;
pub mod rng;
pub mod sector;
pub mod supply;
pub mod vocabulary;

pub use alert::{Alert, AlertAction, AlertEvent, AlertStatus, Timestamp};
pub use chain::{Chain, Position, Segment, Stage, StageInput};
pub use dataset::{Dataset, validate};
pub use enterprise::{Enterprise, EnterpriseRole, EnterpriseYear, StageRef};
pub use geometry::{Outline, RegionOutline};
pub use grade::Grade;
pub use indicator::{Derivation, Direction, IndicatorSpec, IndicatorValue, Unit};
pub use io_table::{BalanceReport, FinalDemandLabel, Industry, IoTable, IoTableError};
pub use matrix::Matrix;
pub use problem::{Problem, TableKind};
pub use region::{Region, RegionLevel};
pub use risk::{Risk, RiskLevel};
pub use sector::{Sector, SectorClass};
pub use supply::SupplyLink;
pub use vocabulary::{Lang, Vocabulary};
