//! Presentation input: plain serde structs the CLI fills from analysis results.
//!
//! The report crate deliberately knows nothing of the analysis crates; every
//! section is optional so that a partially configured workspace still renders.

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
    pub generated_at: String,
    pub input_digest: String,
    pub chainlens_version: String,
}

/// Label language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
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

/// The five resilience grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    High,
    Strong,
    Medium,
    Weaker,
    Low,
}

/// The four segments of a chain, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    PreProduction,
    Production,
    Circulation,
    PostProduction,
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

/// Rasmussen–Hirschman classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectorClass {
    Key,
    Backward,
    Forward,
    Weak,
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

/// Risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    High,
    Medium,
    Low,
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
    pub deadline: String,
    pub status: String,
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
    /// (day, performance 0..1).
    pub curve: Vec<(f64, f64)>,
    pub minimum: f64,
    pub loss_area: f64,
    /// Days to recover; None if not recovered within the horizon.
    pub time_to_recover: Option<f64>,
    pub failed_firms: Vec<String>,
    pub failed_chains: Vec<String>,
    pub tts_ttr: Vec<TtsTtr>,
}

/// Time-to-survive vs time-to-recover of one node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TtsTtr {
    pub node: String,
    pub tts_days: f64,
    pub ttr_days: f64,
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

macro_rules! keys {
    ($t:ty { $($v:ident => $k:literal),* $(,)? }) => {
        impl $t {
            /// The stable key (the serde name) of this value.
            pub fn key(self) -> &'static str {
                match self { $(Self::$v => $k),* }
            }
        }
    };
}

keys!(Grade { High => "high", Strong => "strong", Medium => "medium", Weaker => "weaker", Low => "low" });
keys!(Segment {
    PreProduction => "pre-production",
    Production => "production",
    Circulation => "circulation",
    PostProduction => "post-production",
});
keys!(SectorClass { Key => "key", Backward => "backward", Forward => "forward", Weak => "weak" });
keys!(RiskLevel { High => "high", Medium => "medium", Low => "low" });
keys!(MeasureKind { Protection => "protection", Supplement => "supplement", Creation => "creation", Financing => "financing" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_serde_names() {
        let name = |v: serde_json::Value| v.as_str().map(str::to_string);
        for g in [
            Grade::High,
            Grade::Strong,
            Grade::Medium,
            Grade::Weaker,
            Grade::Low,
        ] {
            assert_eq!(
                name(serde_json::to_value(g).unwrap()).as_deref(),
                Some(g.key())
            );
        }
        for s in [
            Segment::PreProduction,
            Segment::Production,
            Segment::Circulation,
            Segment::PostProduction,
        ] {
            assert_eq!(
                name(serde_json::to_value(s).unwrap()).as_deref(),
                Some(s.key())
            );
        }
        for c in [
            SectorClass::Key,
            SectorClass::Backward,
            SectorClass::Forward,
            SectorClass::Weak,
        ] {
            assert_eq!(
                name(serde_json::to_value(c).unwrap()).as_deref(),
                Some(c.key())
            );
        }
        for l in [RiskLevel::High, RiskLevel::Medium, RiskLevel::Low] {
            assert_eq!(
                name(serde_json::to_value(l).unwrap()).as_deref(),
                Some(l.key())
            );
        }
        for m in [
            MeasureKind::Protection,
            MeasureKind::Supplement,
            MeasureKind::Creation,
            MeasureKind::Financing,
        ] {
            assert_eq!(
                name(serde_json::to_value(m).unwrap()).as_deref(),
                Some(m.key())
            );
        }
    }
}
