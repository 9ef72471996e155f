//! Zhang (2024), Table 4-8: the four response levels, their time limits and
//! responsible parties, and one trigger of each level raising an alert that carries them.

use chainlens_model::Timestamp;
use chainlens_warning::{ResponsePlan, Settings, evaluate, reconcile};

use crate::pipeline::small_dataset;

#[test]
fn default_levels_are_table_4_8() {
    let plan = ResponsePlan::default();
    let got: Vec<(u8, &str, &str, f64, &str)> = plan
        .levels()
        .iter()
        .map(|l| {
            (
                l.level,
                l.trigger.as_str(),
                l.response.as_str(),
                l.hours,
                l.owner.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                1,
                "chain-break risk",
                "start alternatives",
                24.0,
                "regional command"
            ),
            (
                2,
                "tight supply",
                "reconcile inventory",
                48.0,
                "industry alliance"
            ),
            (
                3,
                "demand fluctuation",
                "capacity adjustment",
                72.0,
                "key enterprises"
            ),
            (
                4,
                "abnormal quality",
                "source control",
                96.0,
                "related companies"
            ),
        ]
    );
}

#[test]
fn each_trigger_raises_its_level_with_deadline_and_owner() {
    let data = small_dataset();
    let settings = Settings::default();
    let (metrics, facts) = chainlens_warning::inputs_from_dataset(&data, Some("zj"));
    let eval = evaluate(&settings, &metrics, &facts).unwrap();
    let now = Timestamp::parse("2026-11-22T08:00:00Z").unwrap();
    let mut alerts = Vec::new();
    reconcile(&mut alerts, &eval.findings, &settings.plan, now);
    let by_rule = |rule: &str| {
        alerts
            .iter()
            .find(|a| a.rule == rule)
            .unwrap_or_else(|| panic!("no {rule} alert: {alerts:#?}"))
    };

    let a = by_rule("chain_break");
    assert_eq!(
        (a.level, a.subject.as_str(), a.owner.as_str()),
        (1, "fibre/preform@zj", "regional command")
    );
    assert_eq!(
        (a.response.as_str(), a.measure.as_deref()),
        ("start alternatives", Some("supplement"))
    );
    assert_eq!(
        a.deadline,
        Timestamp::parse("2026-11-23T08:00:00Z").unwrap()
    );
    assert_eq!(a.candidates, ["sh1", "sh2"], "most spare capacity first");

    let a = by_rule("tight_supply");
    assert_eq!(
        (a.level, a.owner.as_str(), a.deadline),
        (2, "industry alliance", now.plus_hours(48.0))
    );
    assert_eq!(
        (a.evidence["min_cover_days"], a.evidence["lead_time_days"]),
        (5.0, 20.0)
    );
    assert_eq!(a.measure.as_deref(), Some("protection"));

    let a = by_rule("demand");
    assert_eq!(
        (a.level, a.subject.as_str(), a.deadline),
        (3, "hz", now.plus_hours(72.0))
    );
    assert!((a.evidence["change"] + 0.3).abs() < 1e-12);
    assert_eq!(a.response, "capacity adjustment");

    let a = by_rule("quality");
    assert_eq!(
        (a.level, a.subject.as_str(), a.owner.as_str()),
        (4, "hz_fibre", "related companies")
    );
    assert_eq!(
        (a.response.as_str(), a.deadline),
        ("source control", now.plus_hours(96.0))
    );
}

#[test]
fn configured_levels_change_limits_and_owners() {
    let cfg: chainlens_warning::WarningConfig = toml::from_str(
        r#"
        [[levels]]
        level = 1
        trigger = "chain break"
        response = "activate backup suppliers"
        hours = 12
        owner = "provincial task force"
        "#,
    )
    .unwrap();
    // One level only: the default rules and triggers of levels 2-4 no longer fit.
    assert!(cfg.check().unwrap_err().to_string().contains("not defined"));

    let mut levels = ResponsePlan::table_4_8();
    levels[0].hours = 12.0;
    levels[0].owner = "provincial task force".into();
    let settings = chainlens_warning::WarningConfig {
        levels: Some(levels),
        ..Default::default()
    }
    .check()
    .unwrap();
    let (metrics, facts) = chainlens_warning::inputs_from_dataset(&small_dataset(), Some("zj"));
    let eval = evaluate(&settings, &metrics, &facts).unwrap();
    let now = Timestamp(0);
    let mut alerts = Vec::new();
    reconcile(&mut alerts, &eval.findings, &settings.plan, now);
    assert_eq!(
        (alerts[0].level, alerts[0].owner.as_str()),
        (1, "provincial task force")
    );
    assert_eq!(alerts[0].deadline, Timestamp(12 * 3600));
}
