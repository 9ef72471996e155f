//! The XLSX workbook opens and holds every table with its header.

use crate::fixture::fixture;
use calamine::{Data, Reader, Xlsx};
use chainlens_report::{Lang, ReportInput, tables, write_workbook};
use std::io::Cursor;

#[test]
fn workbook_has_every_table_as_a_sheet() {
    let input = fixture(Lang::En);
    let bytes = write_workbook(&input).expect("workbook");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens");
    let expected = [
        "region_grades",
        "chain_enterprises",
        "chain_gaps",
        "single_points",
        "linkage_sectors",
        "spillover",
        "resilience",
        "regional_gaps",
        "obstacles",
        "rank_intervals",
        "risks",
        "alerts",
        "response_effect",
        "scenarios",
        "scenario_curves",
        "tts_ttr",
        "measures",
    ];
    assert_eq!(wb.sheet_names(), expected);
    for t in tables(&input) {
        let range = wb.worksheet_range(&t.name).expect("sheet");
        let header: Vec<String> = range
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(|c| c.to_string())
            .collect();
        let labels: Vec<String> = t
            .header
            .iter()
            .map(|k| chainlens_report::i18n::header(Lang::En, k))
            .collect();
        assert_eq!(header, labels, "{}", t.name);
        assert_eq!(range.height(), t.rows.len() + 1, "{}", t.name);
    }
    let res = wb.worksheet_range("resilience").expect("resilience");
    let last = res.rows().find(|r| {
        r[0] == Data::String("Middle Yangtze River".into()) && r[1] == Data::Float(2023.0)
    });
    assert_eq!(last.expect("2023 row")[5], Data::Float(0.745));
    let risks = wb.worksheet_range("risks").expect("risks");
    assert_eq!(risks.get((2, 2)), Some(&Data::Float(0.345)));
}

#[test]
fn empty_input_still_gives_a_workbook() {
    let bytes = write_workbook(&ReportInput::default()).expect("workbook");
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens");
    assert_eq!(wb.sheet_names(), ["empty"]);
    assert!(tables(&ReportInput::default()).is_empty());
}

#[test]
fn a_chinese_workbook_has_chinese_headers_with_units_dates_and_no_float_noise() {
    let mut input = fixture(Lang::Zh);
    input.resilience.as_mut().unwrap().rows[0].index = 0.1 + 0.2;
    let bytes = write_workbook(&input).expect("workbook");
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens");
    let res = wb.worksheet_range("resilience").expect("resilience");
    let header: Vec<String> = res
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "地区",
            "年份",
            "结构韧性",
            "功能韧性",
            "演化韧性",
            "综合指数",
            "等级"
        ]
    );
    assert_eq!(res.get((1, 5)), Some(&Data::Float(0.3)));
    let sc = wb.worksheet_range("scenarios").expect("scenarios");
    let header: Vec<String> = sc
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(header.contains(&"损失面积 (天)".to_owned()), "{header:?}");
    let alerts = wb.worksheet_range("alerts").expect("alerts");
    assert!(
        matches!(alerts.get((1, 5)), Some(Data::DateTime(_))),
        "{:?}",
        alerts.get((1, 5))
    );
}
