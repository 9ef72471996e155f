//! Loading a workspace: valid data loads; each kind of bad input is reported with its
//! file, row and column, all at once.

use crate::fixtures::{edit, write_workspace};
use chainlens_data::Error;
use chainlens_data::workspace::Workspace;

fn problems(dir: &std::path::Path) -> Vec<String> {
    match Workspace::load(dir) {
        Ok(_) => Vec::new(),
        Err(Error::Invalid { problems }) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => vec![format!("not a data problem: {other}")],
    }
}

#[test]
fn the_mini_workspace_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let ws = Workspace::load(&dir).unwrap();
    let d = &ws.dataset;
    assert_eq!(
        (
            d.regions.len(),
            d.chains.len(),
            d.stage_count(),
            d.enterprises.len()
        ),
        (5, 1, 4, 3)
    );
    assert_eq!(d.regions[3].name, "Hangzhou 杭州");
    assert!(!d.chains[0].stages[2].inputs[1].essential);
    assert_eq!(d.enterprises[0].attributes["dev_cycle_days"], 200.0);
    assert!(d.supply_links[1].essential);
    assert!(d.indicators[2].imputed);
    assert_eq!(ws.digest.len(), 64);
    assert_eq!(ws.config.workspace.home_region.as_deref(), Some("zhejiang"));
}

#[test]
fn the_digest_follows_the_content() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let before = Workspace::load(&dir).unwrap().digest;
    assert_eq!(Workspace::load(&dir).unwrap().digest, before);
    edit(&dir, "data/risks.csv", "0.234", "0.235");
    assert_ne!(Workspace::load(&dir).unwrap().digest, before);
}

#[test]
fn a_folder_without_config_is_not_a_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Workspace::load(tmp.path()),
        Err(Error::NotAWorkspace(_))
    ));
}

#[test]
fn dangling_references_are_located_with_suggestions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(
        &dir,
        "data/enterprises.csv",
        "e2,Yangtze Fibre,ningbo",
        "e2,Yangtze Fibre,hangzou",
    );
    edit(
        &dir,
        "data/supply_links.csv",
        "e2,e3,optical,fibre",
        "e2,e9,optical,fibre",
    );
    assert_eq!(
        problems(&dir),
        vec![
            "data/enterprises.csv:3:3: region: unknown region `hangzou` (did you mean `hangzhou`?)",
            "data/supply_links.csv:3:2: buyer: unknown enterprise `e9` (did you mean `e1`?)",
        ]
    );
}

#[test]
fn wrong_types_and_duplicates_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(&dir, "data/enterprises.csv", "1000,900", "1000,lots");
    edit(&dir, "data/enterprises.csv", "e3,Zhongtian", "e1,Zhongtian");
    edit(&dir, "data/risks.csv", "0.234,0.867", "1.234,0.867");
    // Cell problems first (table by table), then what model validation finds.
    assert_eq!(
        problems(&dir),
        vec![
            "data/enterprises.csv:2:8: output: `lots` is not a number",
            "data/enterprises.csv:4:1: id: duplicate id `e1` (first used by record 1)",
            // The renamed enterprise's links now dangle: reported too.
            "data/supply_links.csv:3:2: buyer: unknown enterprise `e3` (did you mean `e1`?)",
            "data/risks.csv:2:4: probability: 1.234 is outside [0, 1]",
        ]
    );
}

#[test]
fn missing_and_unknown_columns_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(
        &dir,
        "data/supply_links.csv",
        "supplier,buyer",
        "suplier,buyer",
    );
    let text = std::fs::read_to_string(dir.join("data/indicators.csv")).unwrap();
    let with_notes: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "notes" } else { "" }))
        .collect();
    std::fs::write(dir.join("data/indicators.csv"), with_notes).unwrap();
    let got = problems(&dir);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(
        got[2],
        "data/indicators.csv:1:7: notes: unknown column (expected region, year, indicator, value, chain, source, imputed)"
    );
    assert!(got.iter().any(|p| p == "data/supply_links.csv:1:1: suplier: unknown column (expected supplier, buyer, chain, stage, value, share, lead_time_days, inventory_days, essential, receivable, overdue_days) (did you mean `supplier`?)"), "{got:#?}");
    assert!(got.iter().any(|p| p == "data/supply_links.csv:1: supplier: required column is missing (did you mean `suplier`?)"), "{got:#?}");
}

#[test]
fn missing_files_empty_files_and_bad_encodings_are_whole_file_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    std::fs::remove_file(dir.join("data/risks.csv")).unwrap();
    std::fs::write(dir.join("data/sectors.csv"), "").unwrap();
    std::fs::write(
        dir.join("data/indicators.csv"),
        b"region,year,indicator,value\nhangzhou,2020,D111,\xff\xfe\xfa\n",
    )
    .unwrap();
    let got = problems(&dir);
    // References into the unreadable tables are not reported until they can be read.
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(
        got[0],
        "data/sectors.csv: file is empty: expected a header row"
    );
    assert_eq!(
        got[2],
        "chainlens.toml:tables.risks: file `data/risks.csv` does not exist"
    );
    assert!(
        got[1].starts_with(
            "data/indicators.csv: is neither GB18030 nor UTF-8: invalid byte 0xFF at line 2"
        ),
        "{got:#?}"
    );
}

#[test]
fn gb18030_files_from_chinese_excel_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    let text = std::fs::read_to_string(dir.join("data/regions.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(dir.join("data/regions.csv"), &gbk).unwrap();
    let ws = Workspace::load(&dir).unwrap();
    assert_eq!(ws.dataset.regions[4].name, "Ningbo 宁波");
    let src = ws
        .sources
        .iter()
        .find(|s| s.file == "data/regions.csv")
        .unwrap();
    assert_eq!(src.encoding, Some(chainlens_data::table::Encoding::Gb18030));
}

#[test]
fn config_problems_name_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(
        &dir,
        "chainlens.toml",
        "inputs = [\"preform\"]",
        "inputs = [\"prefrom\"]",
    );
    edit(
        &dir,
        "chainlens.toml",
        "segment = \"circulation\"",
        "segment = \"circulaton\"",
    );
    edit(&dir, "chainlens.toml", "[tables]", "[resilence]\n[tables]");
    let got = problems(&dir);
    assert_eq!(
        got,
        vec![
            "chainlens.toml:resilence: unknown section (known: workspace, tables, chains, limits, io, network, resilience, warning, scenarios, spatial, plan) (did you mean `resilience`?)",
            "chainlens.toml:chains[0].stages[3].segment: `circulaton` is not one of pre-production, production, circulation, post-production (did you mean `circulation`?)",
            "chainlens.toml:chains[0].stages[1].inputs: unknown stage of chain `optical` `prefrom` (did you mean `preform`?)",
        ]
    );
}

#[test]
fn cyclic_stage_graphs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(
        &dir,
        "chainlens.toml",
        "  core = true\n",
        "  core = true\n  inputs = [\"cable\"]\n",
    );
    let got = problems(&dir);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with(
            "chainlens.toml:chains[0].stages[0].inputs: the inputs of chain `optical` form a cycle"
        ),
        "{got:#?}"
    );
}

#[test]
fn toml_syntax_errors_give_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_workspace(tmp.path());
    edit(&dir, "chainlens.toml", "name = \"mini\"", "name = mini");
    let got = problems(&dir);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("chainlens.toml:3:8: not valid TOML"),
        "{got:#?}"
    );
}
