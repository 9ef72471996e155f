//! The whole pipeline on a small data set: an optical-fibre chain whose preform stage
//! exists only outside the home region, a fibre maker with little preform stock, a
//! demand drop and a recorded quality incident.

use chainlens_model::{
    Chain, Dataset, Enterprise, EnterpriseRole, IndicatorValue, Position, Region, RegionLevel,
    Segment, Stage, StageInput, StageRef, SupplyLink, Timestamp,
};
use chainlens_warning::{Settings, evaluate, inputs_from_dataset, reconcile};
use std::collections::BTreeMap;

fn region(id: &str, level: RegionLevel, parent: Option<&str>) -> Region {
    Region {
        id: id.into(),
        name: id.into(),
        level,
        parent: parent.map(Into::into),
        group: None,
        neighbours: vec![],
        latitude: None,
        longitude: None,
    }
}

fn enterprise(id: &str, region: &str, stage: &str, capacity: f64, output: f64) -> Enterprise {
    Enterprise {
        id: id.into(),
        name: id.into(),
        region: region.into(),
        sector: None,
        stages: vec![StageRef {
            chain: "fibre".into(),
            stage: stage.into(),
        }],
        role: EnterpriseRole::Supporting,
        capacity: Some(capacity),
        output: Some(output),
        employees: None,
        total_assets: None,
        operating_income: None,
        rd_expenditure: None,
        invention_patents: None,
        cash: None,
        attributes: BTreeMap::new(),
    }
}

fn stage(id: &str, inputs: &[&str]) -> Stage {
    Stage {
        id: id.into(),
        name: id.into(),
        segment: Segment::Production,
        position: Position::Midstream,
        core: false,
        sector: None,
        inputs: inputs
            .iter()
            .map(|s| StageInput {
                stage: (*s).into(),
                essential: true,
            })
            .collect(),
    }
}

fn indicator(region: &str, year: i32, name: &str, value: f64) -> IndicatorValue {
    IndicatorValue {
        region: region.into(),
        chain: None,
        year,
        indicator: name.into(),
        value,
        source: None,
        imputed: false,
    }
}

pub fn small_dataset() -> Dataset {
    let mut fibre = enterprise("hz_fibre", "hz", "fibre", 100.0, 80.0);
    fibre.attributes.insert("quality_incidents".into(), 1.0);
    let mut cable = enterprise("hz_cable", "hz", "cable", 50.0, 40.0);
    cable.attributes.insert("quality_incidents".into(), 0.0);
    Dataset {
        regions: vec![
            region("zj", RegionLevel::Province, None),
            region("hz", RegionLevel::City, Some("zj")),
            region("sh", RegionLevel::Province, None),
        ],
        sectors: vec![],
        chains: vec![Chain {
            id: "fibre".into(),
            name: "Optical fibre".into(),
            description: None,
            stages: vec![
                stage("preform", &[]),
                stage("fibre", &["preform"]),
                stage("cable", &["fibre"]),
            ],
        }],
        enterprise_years: vec![],
        enterprises: vec![
            enterprise("sh1", "sh", "preform", 200.0, 120.0),
            enterprise("sh2", "sh", "preform", 90.0, 85.0),
            fibre,
            cable,
        ],
        supply_links: vec![
            SupplyLink {
                supplier: "sh1".into(),
                buyer: "hz_fibre".into(),
                chain: Some("fibre".into()),
                stage: Some("preform".into()),
                value: Some(30.0),
                share: None,
                lead_time_days: Some(20.0),
                inventory_days: Some(5.0),
                essential: true,
                receivable: None,
                overdue_days: None,
            },
            SupplyLink {
                supplier: "hz_fibre".into(),
                buyer: "hz_cable".into(),
                chain: Some("fibre".into()),
                stage: Some("fibre".into()),
                value: Some(20.0),
                share: None,
                lead_time_days: Some(3.0),
                inventory_days: Some(10.0),
                essential: true,
                receivable: None,
                overdue_days: None,
            },
        ],
        indicators: vec![
            indicator("hz", 2022, "demand", 100.0),
            indicator("hz", 2023, "demand", 70.0),
            indicator("hz", 2021, "supplier_concentration", 0.20),
            indicator("hz", 2022, "supplier_concentration", 0.22),
            indicator("hz", 2023, "supplier_concentration", 0.24),
        ],
        risks: vec![],
    }
}

#[test]
fn findings_cover_the_four_levels_and_rerunning_changes_nothing() {
    let data = small_dataset();
    assert_eq!(
        chainlens_model::validate(&data, chainlens_model::dataset::DEFAULT_YEARS),
        vec![]
    );
    let settings = Settings::default();
    let (metrics, facts) = inputs_from_dataset(&data, Some("zj"));
    let eval = evaluate(&settings, &metrics, &facts).unwrap();
    let levels: Vec<(u8, &str)> = eval
        .findings
        .iter()
        .map(|f| (f.level, f.rule.as_str()))
        .collect();
    assert_eq!(
        levels,
        [
            (1, "chain_break"),
            (2, "tight_supply"),
            (3, "demand"),
            (4, "quality")
        ]
    );
    // The default Table 4-7 rules other than supplier concentration have no data here.
    assert_eq!(eval.skipped.len(), 4, "{:?}", eval.skipped);

    let t0 = Timestamp::parse("2026-01-05T09:00:00Z").unwrap();
    let mut alerts = Vec::new();
    let first = reconcile(&mut alerts, &eval.findings, &settings.plan, t0);
    assert_eq!((first.raised.len(), first.updated.len()), (4, 0));
    let again = evaluate(&settings, &metrics, &facts).unwrap();
    let second = reconcile(
        &mut alerts,
        &again.findings,
        &settings.plan,
        t0.plus_hours(2.0),
    );
    assert!(second.raised.is_empty() && second.updated.is_empty());
    assert_eq!(alerts.len(), 4);
    // 25 hours later only the level-1 alert is past its deadline.
    let late = reconcile(
        &mut alerts,
        &again.findings,
        &settings.plan,
        t0.plus_hours(25.0),
    );
    assert_eq!(late.updated, vec![0]);
    assert_eq!(alerts[0].status, chainlens_model::AlertStatus::Escalated);
}

#[test]
fn explicit_rules_on_unknown_metrics_are_errors() {
    let cfg: chainlens_warning::WarningConfig = toml::from_str(
        r#"
        [[rules]]
        id = "concentration"
        metric = "supplier_concentraton"
        below = 0.3
        level = 2
        "#,
    )
    .unwrap();
    let settings = cfg.check().unwrap();
    let (metrics, facts) = inputs_from_dataset(&small_dataset(), Some("zj"));
    let err = evaluate(&settings, &metrics, &facts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "rule `concentration`: unknown metric `supplier_concentraton` (did you mean `supplier_concentration`?)"
    );
}
