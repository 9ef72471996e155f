//! English and Chinese labels: one table of (key, English, Chinese) for the report, the
//! workbook and the dashboard (which reads it, with the model's vocabularies, from
//! [`catalogue`] — served as `/assets/labels.json` — and holds no copy of a label).

use crate::model::{Lang, MeasureKind, Vocabulary};
use chainlens_model::{AlertAction, AlertStatus, Grade, Position, RiskLevel, SectorClass, Segment};
use serde::Serialize;
use std::collections::BTreeMap;

const TABLE: &[(&str, &str, &str)] = &[
    ("overview", "Overview", "概览"),
    ("chains", "Chain maps", "产业链图谱"),
    ("linkage", "Industrial linkage", "产业关联"),
    ("resilience", "Resilience", "韧性评价"),
    ("risk", "Risk and early warning", "风险与预警"),
    ("scenarios", "Scenarios", "情景模拟"),
    ("measures", "Recommended measures", "对策建议"),
    (
        "not_configured",
        "Not configured in this workspace.",
        "本工作区未配置此项。",
    ),
    ("workspace", "Workspace", "工作区"),
    ("generated", "Generated", "生成时间"),
    ("digest", "Input digest", "输入摘要"),
    ("version", "ChainLens version", "ChainLens 版本"),
    ("home_region", "Home region", "本地区"),
    ("landmark", "Landmark chains", "标志性产业链"),
    (
        "open_alerts",
        "Unresolved alerts by level",
        "各级未处理预警",
    ),
    ("region", "Region", "地区"),
    ("year", "Year", "年份"),
    ("sector", "Sector", "部门"),
    ("output", "Output", "总产出"),
    ("multiplier", "Output multiplier", "产出乘数"),
    ("bl", "Backward linkage (BL)", "影响力系数"),
    ("fl", "Forward linkage (FL)", "感应度系数"),
    ("class", "Class", "类型"),
    (
        "top_sectors",
        "Top sectors by output multiplier",
        "产出乘数前列部门",
    ),
    (
        "quadrant",
        "Key-sector quadrant (BL vs FL)",
        "关键部门象限图",
    ),
    ("spillover", "Regional spillover matrix", "区域溢出矩阵"),
    (
        "from_region",
        "Demand in region (row) → output in region (column)",
        "行地区需求 → 列地区产出",
    ),
    ("structural", "Structural", "结构韧性"),
    ("functional", "Functional", "功能韧性"),
    ("evolutionary", "Evolutionary", "演化韧性"),
    ("index", "Index", "综合指数"),
    ("grade", "Grade", "等级"),
    (
        "res_table",
        "Dimension scores and comprehensive index",
        "各维度得分与综合指数",
    ),
    ("radar", "Three dimensions per region", "各地区三维度雷达图"),
    ("trend", "Index trend", "指数趋势"),
    ("gaps", "Regional gaps", "区域差异"),
    ("group_mean", "Group mean", "组均值"),
    ("cv", "Coefficient of variation", "变异系数"),
    ("theil", "Theil index", "泰尔指数"),
    ("theil_between", "Theil between groups", "组间泰尔指数"),
    ("theil_within", "Theil within groups", "组内泰尔指数"),
    ("obstacles", "Obstacle indicators", "障碍因子"),
    ("obstacle_degree", "Obstacle degree", "障碍度"),
    ("indicator", "Indicator", "指标"),
    ("rank_intervals", "Rank uncertainty", "排名不确定性"),
    ("rank", "Rank", "排名"),
    ("min_rank", "Best rank", "最好排名"),
    ("median_rank", "Median rank", "排名中位数"),
    ("max_rank", "Worst rank", "最差排名"),
    ("risk_matrix", "Risk matrix", "风险矩阵"),
    ("probability", "Probability", "发生概率"),
    ("impact", "Impact", "影响程度"),
    ("level", "Level", "等级"),
    ("factor", "Risk factor", "风险因素"),
    ("alerts", "Alerts", "预警"),
    ("subject", "Subject", "对象"),
    ("rule", "Rule", "规则"),
    ("owner", "Owner", "责任主体"),
    ("deadline", "Deadline", "时限"),
    ("status", "Status", "状态"),
    ("response_effect", "Response effect", "响应效果"),
    ("avg_response", "Average response time", "平均响应时间"),
    ("limit", "Time limit", "时限要求"),
    ("hours", "hours", "小时"),
    ("resolution_rate", "Resolution rate", "处置率"),
    ("curve", "Resilience curve", "韧性曲线"),
    ("day", "Day", "天"),
    ("performance", "Performance", "绩效"),
    ("minimum", "Minimum", "最低点"),
    ("loss_area", "Loss area", "损失面积"),
    ("ttr", "Time to recover", "恢复时间"),
    ("not_recovered", "not recovered", "未恢复"),
    ("failed_firms", "Failed firms", "失效企业"),
    ("failed_chains", "Failed chains", "断裂产业链"),
    (
        "tts_ttr",
        "Time to survive vs time to recover",
        "生存时间与恢复时间",
    ),
    ("node", "Node", "节点"),
    ("tts_days", "TTS (days)", "生存时间（天）"),
    ("ttr_days", "TTR (days)", "恢复时间（天）"),
    ("days", "days", "天"),
    ("kind", "Kind", "类别"),
    ("measure", "Measure", "措施"),
    ("evidence", "Evidence", "依据"),
    ("stage", "Stage", "环节"),
    ("enterprise", "Enterprise", "企业"),
    ("capacity", "Capacity", "产能"),
    (
        "gap",
        "Gap (no enterprise in home region)",
        "断点（本地区无企业）",
    ),
    ("spof", "Single points of failure", "单点故障"),
    ("dominates", "Dominates", "支配"),
    ("dominated_output", "Dominated output", "支配产出"),
    ("core", "core", "核心"),
    ("none", "none", "无"),
    ("chain", "Chain", "产业链"),
    ("id", "ID", "编号"),
    ("name", "Name", "名称"),
    ("item", "Item", "项目"),
    ("value", "Value", "数值"),
    ("segment", "Segment", "环节类别"),
    ("stage_name", "Stage name", "环节名称"),
    ("scenario", "Scenario", "情景"),
    (
        "no_response_yet",
        "No alert has been acknowledged or resolved yet.",
        "尚无预警被确认或处置。",
    ),
    ("gap_short", "gap: no firm here", "断点：本地无企业"),
    ("more_firms", "more", "家其他企业"),
    (
        "loss_hist",
        "Loss distribution over the risk register",
        "风险清单损失分布",
    ),
    (
        "lost_days",
        "Output lost (days of normal network output)",
        "产出损失（正常产出天数）",
    ),
    // The dashboard's own words (served to it as /assets/labels.json).
    ("login", "Log in", "登录"),
    ("logout", "Log out", "退出"),
    ("token", "Access token", "访问令牌"),
    (
        "token_help",
        "Paste the token an administrator created for you (chainlens token create).",
        "粘贴管理员为您创建的令牌（chainlens token create）。",
    ),
    ("bad_token", "The token was not accepted.", "令牌无效。"),
    ("loading", "Loading…", "加载中…"),
    ("risks", "Risk matrix", "风险矩阵"),
    ("role", "Role", "角色"),
    ("role_viewer", "viewer", "查看者"),
    ("role_analyst", "analyst", "分析员"),
    ("role_admin", "admin", "管理员"),
    ("counts", "Data", "数据"),
    ("last_import", "Last import", "最近导入"),
    ("sections", "Analyses", "分析状态"),
    ("n_regions", "Regions", "地区"),
    ("n_sectors", "Sectors", "部门"),
    ("n_chains", "Chains", "产业链"),
    ("n_stages", "Stages", "环节"),
    ("n_enterprises", "Enterprises", "企业"),
    ("n_supply_links", "Supply links", "供应关系"),
    ("n_indicator_values", "Indicator values", "指标值"),
    ("n_risks", "Risks", "风险"),
    ("s_done", "done", "完成"),
    ("s_not_configured", "not configured", "未配置"),
    ("s_failed", "failed", "失败"),
    ("s_clearing", "Clearing", "清算"),
    ("s_networks", "Chain networks", "产业链网络"),
    ("s_risks", "Risks", "风险"),
    ("latest_grades", "Latest resilience grades", "最新韧性等级"),
    ("firms", "Enterprises", "企业数"),
    ("links", "Supply links", "供应关系"),
    ("coverage", "Stage coverage", "环节覆盖率"),
    ("missing", "Missing stages", "缺失环节"),
    ("bottleneck", "Capacity bottleneck", "产能瓶颈"),
    (
        "local_matching",
        "Local matching rate (by value)",
        "本地配套率（按金额）",
    ),
    ("breakpoints", "Breakpoints", "断点"),
    ("detail", "Detail", "详情"),
    ("dominated_count", "Firms dominated", "支配企业数"),
    ("articulation", "Cut vertex", "割点"),
    ("yes", "yes", "是"),
    ("no", "no", "否"),
    (
        "bp_stage_missing_in_region",
        "no enterprise in the region",
        "本地区无企业",
    ),
    ("bp_stage_missing", "no enterprise anywhere", "无任何企业"),
    (
        "bp_single_enterprise_stage",
        "one enterprise serves the stage",
        "单一企业环节",
    ),
    ("bp_single_supplier", "single supplier", "单一供应商"),
    ("buyer", "buyer", "采购方"),
    ("supplier", "supplier", "供应商"),
    ("input", "input", "投入"),
    (
        "sectors_table",
        "Sectors (click a heading to sort)",
        "部门（点击表头排序）",
    ),
    (
        "index_grid",
        "Comprehensive index by region and year",
        "各地区各年份综合指数",
    ),
    ("dims_table", "Dimension scores", "各维度得分"),
    ("type", "Type", "类型"),
    ("risk_measures", "Measures", "措施"),
    ("unresolved", "unresolved", "未处置"),
    ("assessments", "Assessed risks", "风险评估"),
    ("actions", "Actions", "操作"),
    ("action", "Action", "动作"),
    ("message", "Message", "说明"),
    ("response", "Response", "响应措施"),
    ("history", "History", "处置记录"),
    ("at", "Time", "时间"),
    ("by", "By", "处理人"),
    ("note", "Note", "备注"),
    ("note_ph", "optional", "可选"),
    ("note_for", "Note with Ack / Resolve", "确认或处置时的备注"),
    ("ack", "Ack", "确认"),
    ("resolve", "Resolve", "处置完成"),
    ("show", "Details", "详情"),
    ("system", "system", "系统"),
    ("all", "all", "全部"),
    ("total", "total", "共"),
    ("prev", "Previous", "上一页"),
    ("next", "Next", "下一页"),
    ("no_alerts", "No alerts match.", "没有符合条件的预警。"),
    ("description", "Description", "说明"),
    ("run", "Run", "运行"),
    ("queued", "queued", "排队中"),
    ("running", "running", "运行中"),
    ("cancelled", "cancelled", "已取消"),
    ("done", "done", "完成"),
    ("failed", "failed", "失败"),
    ("progress", "Progress", "进度"),
    ("network", "whole network", "整体网络"),
    ("res_index", "Resilience index", "韧性指数"),
    ("firms_shocked", "Firms shocked", "受冲击企业"),
    ("firms_disrupted", "Firms disrupted", "受影响企业"),
    (
        "monte_carlo",
        "Monte Carlo over the risk register",
        "风险清单蒙特卡洛模拟",
    ),
    ("trials", "Trials", "试验次数"),
    ("mean_loss", "Mean loss", "平均损失"),
    ("var", "Value at risk", "风险价值"),
    ("es", "Expected shortfall", "预期损失"),
    (
        "loss_probability",
        "Probability of a loss",
        "发生损失的概率",
    ),
    (
        "robustness",
        "Output as firms are removed",
        "移除企业后的产出",
    ),
    ("removed_share", "Share of firms removed", "移除企业比例"),
    ("random", "random", "随机移除"),
    ("targeted", "targeted (by ESRI)", "定向移除（按ESRI）"),
    (
        "viewer_note",
        "Your role can view but not act on alerts or run scenarios.",
        "您的角色仅可查看，不能处置预警或运行情景。",
    ),
    ("report", "Report", "报告"),
    ("report_html", "Open the report", "打开报告"),
    ("report_xlsx", "Download the workbook", "下载工作簿"),
    ("error", "Error", "错误"),
    ("fit", "Fit to width", "适应宽度"),
    ("actual_size", "Actual size", "实际大小"),
    ("no_disruption", "no disruption", "未受扰动"),
];

/// The label for `key` in `lang`; the key itself if it is not in the table.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    TABLE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or(key)
}

/// The label of `key` in `lang`, if the table has it.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| lang.pick(en, zh))
}

/// A workbook column header: the label of a table's stable column key in `lang`, with
/// its unit where the key implies one; the key itself when it has no label.
pub fn header(lang: Lang, key: &str) -> String {
    let label_key = match key {
        "output_multiplier" => "multiplier",
        "backward_linkage" => "bl",
        "forward_linkage" => "fl",
        "time_to_recover" => "ttr",
        "text" => "measure",
        k => k,
    };
    let label = lookup(lang, label_key).unwrap_or(key);
    match key {
        "loss_area" | "time_to_recover" => format!("{label} ({})", t(lang, "days")),
        "obstacle_degree" => format!("{label} (0–1)"),
        _ => label.to_owned(),
    }
}

/// Emergency level name (Table 4-8).
pub fn alert_level(lang: Lang, level: u8) -> String {
    match usize::from(level).checked_sub(1).filter(|&k| k < 4) {
        Some(k) => lang.pick(LEVELS_EN[k], LEVELS_ZH[k]).to_owned(),
        None => lang.pick("Level ?", "?级").to_owned(),
    }
}

/// The colour of emergency level 1 (most severe) to 4: the grades' red-to-blue scale.
pub fn alert_level_colour(level: u8) -> &'static str {
    chainlens_model::vocabulary::SCALE5[usize::from(level.clamp(1, 4)) - 1]
}

/// One value of a vocabulary as the dashboard reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Word {
    pub key: &'static str,
    /// English, Chinese.
    pub words: [&'static str; 2],
    pub colour: &'static str,
    pub ink: &'static str,
}

/// Every label and every vocabulary in both languages: what the dashboard shows.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Label key → [English, Chinese].
    pub labels: BTreeMap<&'static str, [&'static str; 2]>,
    /// Vocabulary name → its values in order.
    pub vocabularies: BTreeMap<&'static str, Vec<Word>>,
    /// Emergency levels 1..=4.
    pub alert_levels: Vec<Word>,
}

fn words<V: Vocabulary>() -> Vec<Word> {
    V::VALUES
        .iter()
        .map(|&v| Word {
            key: v.key(),
            words: v.words(),
            colour: v.colour(),
            ink: v.ink(),
        })
        .collect()
}

/// The catalogue of labels and vocabularies (the dashboard's `/assets/labels.json`).
pub fn catalogue() -> Catalogue {
    let levels = (1..=4u8)
        .map(|l| {
            let colour = alert_level_colour(l);
            Word {
                key: ["1", "2", "3", "4"][usize::from(l) - 1],
                words: [LEVELS_EN[usize::from(l) - 1], LEVELS_ZH[usize::from(l) - 1]],
                colour,
                ink: chainlens_model::vocabulary::ink_on(colour),
            }
        })
        .collect();
    Catalogue {
        labels: TABLE.iter().map(|&(k, en, zh)| (k, [en, zh])).collect(),
        vocabularies: BTreeMap::from([
            ("grade", words::<Grade>()),
            ("risk_level", words::<RiskLevel>()),
            ("sector_class", words::<SectorClass>()),
            ("segment", words::<Segment>()),
            ("position", words::<Position>()),
            ("alert_status", words::<AlertStatus>()),
            ("alert_action", words::<AlertAction>()),
            ("measure_kind", words::<MeasureKind>()),
        ]),
        alert_levels: levels,
    }
}

const LEVELS_EN: [&str; 4] = ["Level 1", "Level 2", "Level 3", "Level 4"];
const LEVELS_ZH: [&str; 4] = ["一级", "二级", "三级", "四级"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_labels_and_levels() {
        assert_eq!(alert_level(Lang::Zh, 1), "一级");
        assert_eq!(t(Lang::Zh, "overview"), "概览");
    }

    #[test]
    fn every_key_is_unique() {
        for (i, (k, _, _)) in TABLE.iter().enumerate() {
            assert!(TABLE[i + 1..].iter().all(|(o, _, _)| o != k), "{k}");
        }
    }
}
