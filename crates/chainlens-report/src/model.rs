//! Presentation input: plain serde structs the CLI fills from analysis results.
//!
//! The report crate deliberately knows nothing of the analysis crates; every
//! section is optional so that a partially configured workspace still renders.

pub use chainlens_model::{AlertStatus, Grade, Lang, RiskLevel, SectorClass, Segment, Vocabulary};
use serde::{Deserialize, Serialize};

/// Everything a report shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportInput {
    pub meta: ReportMeta,
    pub lang: Lang,
    pub overview: Option<Overview>,
    pub chains: Vec<ChainMap>,
    pub linkage: Option<LinkageView>,
    pub resilience: Option<ResilienceView>,
    pub risks: Option<RiskView>,
    pub alerts: Option<AlertsView>,
    pub scenarios: Vec<ScenarioView>,
    pub measures: Vec<Measure>,
}

/// Provenance of the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportMeta {
    pub title: String,
    pub workspace: String,
    /// RFC 3339 UTC time.
    pub generated_at: String,
    pub input_digest: String,
    pub chainlens_version: String,
}

/// Headline figures for the overview section.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Overview {
    /// Home region of the workspace.
    pub home_region: String,
    /// Names of the landmark chains.
    pub landmark_chains: Vec<String>,
    /// Latest grade per region.
    pub region_grades: Vec<RegionGrade>,
    /// Number of open alerts per level 1..=4 (index 0 = level 1).
    pub open_alerts_by_level: [u32; 4],
}

/// A region's latest resilience index and grade.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionGrade {
    pub region: String,
    pub year: i32,
    pub index: f64,
    pub grade: Grade,
}

/// One landmark chain drawn as stages × region lanes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ChainMap {
    pub id: String,
    pub name: String,
    /// Stages in chain order.
    pub stages: Vec<StageView>,
    /// Region lanes, the home region first.
    pub regions: Vec<String>,
    /// Enterprises placed in (stage, region) cells.
    pub enterprises: Vec<EnterpriseView>,
    /// Stage ids with no enterprise in the home region.
    pub gaps: Vec<String>,
    pub single_points: Vec<SinglePoint>,
}

/// A stage of a chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageView {
    pub id: String,
    pub name: String,
    pub segment: Segment,
    pub core: bool,
}

/// An enterprise in one cell of a chain map.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnterpriseView {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub region: String,
    pub capacity: f64,
}

/// An enterprise whose failure cuts off others (a dominator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SinglePoint {
    pub enterprise: String,
    /// What it dominates, in words or ids.
    pub dominates: Vec<String>,
    /// Output dominated.
    pub dominated_output: f64,
}

/// Input-output linkage results.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LinkageView {
    pub sectors: Vec<SectorLinkage>,
    /// Region names, the axes of `spillover`.
    pub regions: Vec<String>,
    /// `spillover[i][j]`: output multiplier effect of region i's demand on region j.
    pub spillover: Vec<Vec<f64>>,
}

/// Linkage measures of one region-sector.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectorLinkage {
    pub region: String,
    pub sector: String,
    pub output: f64,
    pub output_multiplier: f64,
    pub backward_linkage: f64,
    pub forward_linkage: f64,
    pub class: SectorClass,
}

/// Resilience index results.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResilienceView {
    pub rows: Vec<ResilienceRow>,
    /// Index per region and year (lines of the trend chart).
    pub trends: Vec<RegionTrend>,
    pub gaps: Option<GapFigures>,
    pub obstacles: Vec<ObstacleRow>,
    pub rank_intervals: Vec<RankInterval>,
}

/// One Table 3-1 row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResilienceRow {
    pub region: String,
    pub year: i32,
    pub structural: f64,
    pub functional: f64,
    pub evolutionary: f64,
    pub index: f64,
    pub grade: Grade,
}

/// Index series of one region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionTrend {
    pub region: String,
    /// (year, index) in year order.
    pub points: Vec<(i32, f64)>,
}

/// Regional gap figures of one year.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GapFigures {
    pub year: i32,
    /// (group name, mean index).
    pub group_means: Vec<(String, f64)>,
    pub cv: f64,
    pub theil: f64,
    pub theil_between: f64,
    pub theil_within: f64,
}

/// Indicators holding a region back most.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObstacleRow {
    pub region: String,
    /// (indicator, obstacle degree 0..1), largest first.
    pub indicators: Vec<(String, f64)>,
}

/// Rank uncertainty of a region under alternative methods.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RankInterval {
    pub region: String,
    pub min_rank: u32,
    pub median_rank: f64,
    pub max_rank: u32,
}

/// Risk register placed on the risk matrix.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RiskView {
    pub risks: Vec<RiskItem>,
    /// Upper bounds of probability bins (ascending, last = 1.0).
    pub probability_bins: Vec<f64>,
    /// Upper bounds of impact bins (ascending, last = 1.0).
    pub impact_bins: Vec<f64>,
    /// `cells[i][j]`: level of probability bin i × impact bin j.
    pub cells: Vec<Vec<RiskLevel>>,
}

/// One register entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RiskItem {
    pub id: String,
    pub factor: String,
    pub probability: f64,
    pub impact: f64,
    pub level: RiskLevel,
}

/// Alerts and how the response went.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AlertsView {
    pub alerts: Vec<AlertRow>,
    pub effect: Option<ResponseEffect>,
}

/// One alert.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: String,
    /// Emergency level 1 (most severe) to 4.
    pub level: u8,
    pub subject: String,
    pub rule: String,
    pub owner: String,
    /// RFC 3339 UTC time (`2026-11-26T23:00:00Z`).
    pub deadline: String,
    pub status: AlertStatus,
}

/// Response-effect evaluation from the alert history.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResponseEffect {
    /// Average response time in hours per level 1..=4.
    pub avg_response_hours: [f64; 4],
    /// Time limit in hours per level 1..=4.
    pub limit_hours: [f64; 4],
    /// Share of alerts resolved, 0..1.
    pub resolution_rate: f64,
}

/// One disruption scenario.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScenarioView {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// (day, performance 0..1) of the whole network.
    pub curve: Vec<(f64, f64)>,
    /// Each chain's curve: (chain name, (day, performance)).
    #[serde(default)]
    pub chain_curves: Vec<(String, Vec<(f64, f64)>)>,
    pub minimum: f64,
    /// Day of the minimum.
    #[serde(default)]
    pub day_of_minimum: f64,
    pub loss_area: f64,
    /// Days to recover; None if not recovered within the horizon.
    pub time_to_recover: Option<f64>,
    /// Names of the firms that failed, earliest first.
    pub failed_firms: Vec<String>,
    /// Names of the chains with a failed firm.
    pub failed_chains: Vec<String>,
    /// The firms this scenario disrupts with the shortest time to survive, then the
    /// longest time to recover.
    pub tts_ttr: Vec<TtsTtr>,
    /// The loss distribution of a Monte Carlo run over the risk register.
    #[serde(default)]
    pub losses: Option<LossView>,
}

/// Time-to-survive vs time-to-recover of one node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TtsTtr {
    /// The firm's name.
    pub node: String,
    pub tts_days: f64,
    pub ttr_days: f64,
}

/// A Monte Carlo loss distribution (days of normal network output lost).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LossView {
    pub trials: usize,
    /// The level of VaR and ES, e.g. 0.95.
    pub alpha: f64,
    pub mean: f64,
    pub var: f64,
    pub expected_shortfall: f64,
    /// Share of trials with any loss.
    pub loss_probability: f64,
    /// Histogram of the losses: (lower edge, upper edge, trials).
    pub histogram: Vec<(f64, f64, u32)>,
}

/// A recommended measure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measure {
    pub kind: MeasureKind,
    pub text: String,
    pub evidence: String,
}

/// The paper's four kinds of measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    Protection,
    Supplement,
    Creation,
    Financing,
}

impl Vocabulary for MeasureKind {
    const VALUES: &'static [Self] = &[
        MeasureKind::Protection,
        MeasureKind::Supplement,
        MeasureKind::Creation,
        MeasureKind::Financing,
    ];

    fn key(self) -> &'static str {
        match self {
            MeasureKind::Protection => "protection",
            MeasureKind::Supplement => "supplement",
            MeasureKind::Creation => "creation",
            MeasureKind::Financing => "financing",
        }
    }

    /// Gao (2021): 护链, 补链, 建链, 融链.
    fn words(self) -> [&'static str; 2] {
        match self {
            MeasureKind::Protection => ["chain protection", "护链"],
            MeasureKind::Supplement => ["chain supplement", "补链"],
            MeasureKind::Creation => ["chain creation", "建链"],
            MeasureKind::Financing => ["chain financing", "融链"],
        }
    }

    fn colour(self) -> &'static str {
        chainlens_model::vocabulary::QUALITATIVE[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared words are tested in chainlens-model; the report's own is here.
    #[test]
    fn measure_keys_are_the_serde_names() {
        for &m in MeasureKind::VALUES {
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(json.as_str(), Some(m.key()));
            assert_eq!(MeasureKind::parse(m.key()), Some(m));
        }
    }
}
