//! English and Chinese labels: one table of (key, English, Chinese).

use crate::model::{Grade, Lang, MeasureKind, RiskLevel, SectorClass, Segment};

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
    ("open_alerts", "Open alerts by level", "各级未处理预警"),
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
    ("spof", "Single point of failure", "单点故障"),
    ("dominates", "Dominates", "支配"),
    ("dominated_output", "Dominated output", "支配产出"),
    ("core", "core", "核心"),
    ("none", "none", "无"),
    ("chain", "Chain", "产业链"),
    ("id", "ID", "编号"),
    ("name", "Name", "名称"),
    ("item", "Item", "项目"),
    ("value", "Value", "数值"),
];

/// The label for `key` in `lang`; the key itself if it is not in the table.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    TABLE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or(key)
}

fn pick(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

/// Grade name (高/较强/中等/较弱/低).
pub fn grade(lang: Lang, g: Grade) -> &'static str {
    match g {
        Grade::High => pick(lang, "high", "高"),
        Grade::Strong => pick(lang, "strong", "较强"),
        Grade::Medium => pick(lang, "medium", "中等"),
        Grade::Weaker => pick(lang, "weaker", "较弱"),
        Grade::Low => pick(lang, "low", "低"),
    }
}

/// Risk level name.
pub fn risk_level(lang: Lang, l: RiskLevel) -> &'static str {
    match l {
        RiskLevel::High => pick(lang, "high", "高"),
        RiskLevel::Medium => pick(lang, "medium", "中"),
        RiskLevel::Low => pick(lang, "low", "低"),
    }
}

/// Emergency level name (Table 4-8).
pub fn alert_level(lang: Lang, level: u8) -> String {
    match lang {
        Lang::En => format!("Level {level}"),
        Lang::Zh => {
            let n = ["一", "二", "三", "四"].get(usize::from(level).wrapping_sub(1));
            format!("{}级", n.copied().unwrap_or("?"))
        }
    }
}

/// Sector class name.
pub fn sector_class(lang: Lang, c: SectorClass) -> &'static str {
    match c {
        SectorClass::Key => pick(lang, "key", "关键部门"),
        SectorClass::Backward => pick(lang, "backward-oriented", "后向型"),
        SectorClass::Forward => pick(lang, "forward-oriented", "前向型"),
        SectorClass::Weak => pick(lang, "weak", "弱关联"),
    }
}

/// Segment name.
pub fn segment(lang: Lang, s: Segment) -> &'static str {
    match s {
        Segment::PreProduction => pick(lang, "pre-production", "产前"),
        Segment::Production => pick(lang, "production", "产中"),
        Segment::Circulation => pick(lang, "circulation", "流通"),
        Segment::PostProduction => pick(lang, "post-production", "产后"),
    }
}

/// Measure kind name.
pub fn measure_kind(lang: Lang, k: MeasureKind) -> &'static str {
    match k {
        MeasureKind::Protection => pick(lang, "chain protection", "护链"),
        MeasureKind::Supplement => pick(lang, "chain supplement", "补链"),
        MeasureKind::Creation => pick(lang, "chain creation", "建链"),
        MeasureKind::Financing => pick(lang, "chain financing", "融链"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_in_chinese_follow_the_paper() {
        let names: Vec<_> = [
            Grade::High,
            Grade::Strong,
            Grade::Medium,
            Grade::Weaker,
            Grade::Low,
        ]
        .into_iter()
        .map(|g| grade(Lang::Zh, g))
        .collect();
        assert_eq!(names, ["高", "较强", "中等", "较弱", "低"]);
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
