//! `ingest enterprises` on the shipped registry fixtures (examples/import, made by
//! make_fixtures.py): banner and note rows, encodings, duplicates, invalid codes, unknown
//! cities, and the workspace never half-written.

use chainlens_data::ingest::{self, MapFile, Options};
use chainlens_data::workspace::Workspace;
use std::path::{Path, PathBuf};

fn example(name: &str) -> (PathBuf, String) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/import")
        .join(name);
    (p, name.to_owned())
}

fn map() -> MapFile {
    let (p, shown) = example("map.toml");
    MapFile::read(&p, &shown).unwrap()
}

fn firm<'a>(d: &'a chainlens_model::Dataset, id: &str) -> &'a chainlens_model::Enterprise {
    d.enterprises.iter().find(|e| e.id == id).unwrap()
}

fn lines(ps: &[chainlens_data::Located]) -> Vec<String> {
    ps.iter().map(ToString::to_string).collect()
}

#[test]
fn gbk_export_with_banner_notes_duplicates_and_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let o = ingest::enterprises(
        &ws,
        &[example("registry_gbk.csv")],
        &MapFile::default(),
        &Options::default(),
    )
    .unwrap();
    let (_, h) = &o.headers[0];
    assert_eq!((h.row, h.layout.as_str()), (3, "registry-cn"));
    assert_eq!((o.banner_rows, o.note_rows), (2, 2));
    assert_eq!((o.matched, o.merged), (5, 1));
    assert_eq!(
        lines(&o.unmatched),
        [
            "registry_gbk.csv:8:3: 统一社会信用代码: `杭州无效代码有限公司`: the check character is `0` but characters 1-17 give `T` (a character is mistyped)",
            "registry_gbk.csv:9:8: 所属城市: `杭州笔误城市有限公司`: unknown city `杭洲市` in 浙江省 (did you mean `杭州市`?)",
            "registry_gbk.csv:11: industry: `嘉兴恒通汽车零部件有限公司`: industry `汽车零部件` is neither a GB/T 4754-2017 code nor the name of a sector of the workspace: write its code in the cell (e.g. `C36`) or map it in the mapping file's [industries]",
        ]
    );
    assert_eq!(
        lines(&o.notes),
        [
            "registry_gbk.csv:10:5: 注册资本: registered capital `800万美元` is not in CNY: left out (no exchange rate is assumed)"
        ]
    );
    // Unmatched rows: nothing written, not even the folder.
    assert!(o.written.is_none());
    assert!(!ws.exists());

    // --skip-unmatched writes the others into a new workspace that validates.
    let skip = Options {
        skip_unmatched: true,
        ..Options::default()
    };
    let o = ingest::enterprises(
        &ws,
        &[example("registry_gbk.csv")],
        &MapFile::default(),
        &skip,
    )
    .unwrap();
    let w = o.written.unwrap();
    assert!(w.created);
    let loaded = Workspace::load(&ws).unwrap();
    let d = loaded.dataset;
    assert_eq!(d.enterprises.len(), 4);
    let e = firm(&d, "91330206MA2CK1E10E");
    assert_eq!(e.name, "宁波新能特钢有限公司");
    assert_eq!(e.region, "330200");
    assert_eq!(e.sector.as_deref(), Some("C3130"));
    assert_eq!(e.employees, Some(1488.0));
    assert_eq!(e.attributes["registered_capital"], 5000.0);
    assert_eq!(e.attributes["founded_year"], 2008.0);
    // Full-width code and employees, short province and city names.
    let e = firm(&d, "91330106704283168M");
    assert_eq!((e.region.as_str(), e.employees), ("330100", Some(1163.0)));
    assert_eq!(e.attributes["registered_capital"], 1200.0);
    // Region from the address alone; capital in 亿元.
    let e = firm(&d, "91331002MA28G5TW5H");
    assert_eq!(e.region, "331000");
    assert_eq!(e.attributes["registered_capital"], 30000.0);
    // Shanghai, a municipality; its capital in USD left out.
    let e = firm(&d, "91310115MA1FL3QD7L");
    assert_eq!(e.region, "310000");
    assert!(!e.attributes.contains_key("registered_capital"));
    let mut regions: Vec<(&str, &str, Option<&str>)> = d
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_str(), r.parent.as_deref()))
        .collect();
    regions.sort();
    assert_eq!(
        regions,
        [
            ("310000", "上海市", None),
            ("330000", "浙江省", None),
            ("330100", "杭州市", Some("330000")),
            ("330200", "宁波市", Some("330000")),
            ("331000", "台州市", Some("330000")),
        ]
    );
    // A second ingest of the same file finds every firm already there and adds nothing.
    let before = std::fs::read(ws.join("data/enterprises.csv")).unwrap();
    let o = ingest::enterprises(
        &ws,
        &[example("registry_gbk.csv")],
        &MapFile::default(),
        &skip,
    )
    .unwrap();
    assert_eq!((o.existing.len(), o.added_enterprises), (4, 0));
    assert_eq!(
        std::fs::read(ws.join("data/enterprises.csv")).unwrap(),
        before
    );
}

#[test]
fn xlsx_export_with_a_mapping_file_into_an_existing_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let skip = Options {
        skip_unmatched: true,
        ..Options::default()
    };
    // The workbook and the map: 汽车零部件 mapped to C3670; the same two bad rows.
    let o = ingest::enterprises(&ws, &[example("registry.xlsx")], &map(), &skip).unwrap();
    let (file, h) = &o.headers[0];
    assert_eq!(file, "registry.xlsx[企业名单]");
    assert_eq!((h.row, o.banner_rows, o.note_rows), (2, 1, 1));
    assert_eq!(o.unmatched.len(), 2);
    assert_eq!(
        o.unmatched[0]
            .to_string()
            .split(':')
            .take(3)
            .collect::<Vec<_>>(),
        ["registry.xlsx[企业名单]", "7", "3"]
    );
    let d = Workspace::load(&ws).unwrap().dataset;
    assert_eq!(d.enterprises.len(), 5);
    let e = firm(&d, "91330402MA29J7UK6R");
    assert_eq!(e.sector.as_deref(), Some("C3670"));
    assert_eq!(e.attributes["registered_capital"], 2000.0);
    assert_eq!(
        d.sectors.iter().find(|s| s.id == "C3670").unwrap().name,
        "汽车零部件"
    );
}

#[test]
fn a_failed_ingest_leaves_the_workspace_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let skip = Options {
        skip_unmatched: true,
        ..Options::default()
    };
    ingest::enterprises(
        &ws,
        &[example("registry_gbk.csv")],
        &MapFile::default(),
        &skip,
    )
    .unwrap();
    let snapshot = |ws: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![ws.to_owned()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push((p.to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    let before = snapshot(&ws);
    // A mapping file that sends Jiaxing to a region id the workspace lacks is caught by
    // the validation of the staged workspace: nothing changes.
    let mut bad = map();
    bad.regions.insert("330400".into(), "jiaxing".into());
    let e = ingest::enterprises(&ws, &[example("registry.xlsx")], &bad, &skip).unwrap_err();
    let text = lines(&e.problems()).join("\n");
    assert!(text.contains("unknown region `jiaxing`"), "{text}");
    assert_eq!(snapshot(&ws), before);
    // So does a dry run that would succeed.
    let dry = Options {
        dry_run: true,
        ..skip.clone()
    };
    let o = ingest::enterprises(&ws, &[example("registry.xlsx")], &map(), &dry).unwrap();
    assert!(o.written.is_none() && o.added_enterprises == 1);
    assert_eq!(snapshot(&ws), before);
}

// The fuzz approach of the other readers (geojson::tests): every prefix and byte
// substitutions of each fixture, read by all three readers, give records or located
// problems, never a panic.
#[test]
fn every_prefix_and_byte_flip_of_the_fixtures_is_read_or_refused_never_a_panic() {
    let limits = chainlens_data::Limits::default().records();
    let map = map();
    let dataset = chainlens_model::Dataset::default();
    let read = |b: &[u8]| {
        if let Ok(grid) = chainlens_data::table::parse_csv_grid(b, "f.csv", b',', &limits) {
            let mut r = ingest::registry::RegistryRead::default();
            let _ = ingest::registry::read_registry(&grid, &map, None, &mut r);
            let _ = ingest::yearbook::read_yearbook(&grid, &map, &dataset, None);
            let _ = ingest::purchases::read_purchases(&grid, &map, &dataset);
        }
    };
    for name in ["registry_gbk.csv", "yearbook.csv", "purchases.csv"] {
        let bytes = std::fs::read(example(name).0).unwrap();
        for end in 0..=bytes.len() {
            read(&bytes[..end]);
        }
        for at in 0..bytes.len() {
            for b in [0u8, b',', b'"', b'\n', 0xFF, 0xA3] {
                let mut m = bytes.clone();
                m[at] = b;
                read(&m);
            }
        }
    }
}

/// The example's regions by their GB/T 2260 names.
const ZH: [(&str, &str); 16] = [
    ("zhejiang", "浙江省"),
    ("shanghai", "上海市"),
    ("jiangsu", "江苏省"),
    ("anhui", "安徽省"),
    ("guangdong", "广东省"),
    ("hangzhou", "杭州市"),
    ("ningbo", "宁波市"),
    ("wenzhou", "温州市"),
    ("jiaxing", "嘉兴市"),
    ("huzhou", "湖州市"),
    ("shaoxing", "绍兴市"),
    ("jinhua", "金华市"),
    ("quzhou", "衢州市"),
    ("zhoushan", "舟山市"),
    ("taizhou", "台州市"),
    ("lishui", "丽水市"),
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let q = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).unwrap();
        }
    }
}

// Round trip: the example's enterprises exported as a registry-style workbook (Chinese
// headers, a banner row, region names, GB/T 4754 codes, made-up valid credit codes) and
// one indicator as a yearbook-style table (cities down, years across, title, footnote)
// come back into a copy of the example without them as the same records.
#[test]
fn the_example_exported_as_a_registry_workbook_and_a_yearbook_table_comes_back() {
    use chainlens_data::credit_code::check_character;
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/zhejiang");
    let original = Workspace::load(&example).unwrap().dataset;
    let zh: std::collections::HashMap<&str, &str> = ZH.into_iter().collect();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy_dir(&example, &ws);
    let _ = std::fs::remove_file(ws.join("chainlens.db"));
    let _ = std::fs::remove_dir_all(ws.join("out"));
    for (table, header) in [
        ("enterprises", "id,name,region,role,stages,sector"),
        ("supply_links", "supplier,buyer"),
        ("indicators", "region,year,indicator,value,source,imputed"),
    ] {
        std::fs::write(ws.join(format!("data/{table}.csv")), format!("{header}\n")).unwrap();
    }

    // The registry workbook.
    let firms: Vec<&chainlens_model::Enterprise> = original
        .enterprises
        .iter()
        .filter(|e| zh.contains_key(e.region.as_str()))
        .collect();
    assert!(firms.len() > 200);
    let code_of = |k: usize| {
        let first = format!("91330100{k:08}M");
        format!("{first}{}", check_character(&first).unwrap())
    };
    let book_path = dir.path().join("registry.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("企业名单").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            7,
            "示例企业名单（由 examples/zhejiang 导出）",
            &rust_xlsxwriter::Format::new(),
        )
        .unwrap();
    for (c, h) in [
        "企业名称",
        "统一社会信用代码",
        "所属省份",
        "所属城市",
        "所属行业",
        "参保人数",
        "角色",
        "产业链环节",
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, h).unwrap();
    }
    for (k, e) in firms.iter().enumerate() {
        let r = k as u32 + 2;
        let region = original.region(&e.region).unwrap();
        let (province, city) = match region.parent.as_deref() {
            Some(p) if p != "china" => (zh[p], zh[e.region.as_str()]),
            _ => (zh[e.region.as_str()], ""),
        };
        let sector_code = e
            .sector
            .as_deref()
            .and_then(|s| original.sectors.iter().find(|x| x.id == s))
            .and_then(|s| s.code.clone())
            .unwrap_or_default();
        let stages: Vec<String> = e
            .stages
            .iter()
            .map(|s| format!("{}/{}", s.chain, s.stage))
            .collect();
        for (c, v) in [
            e.name.clone(),
            code_of(k),
            province.to_owned(),
            city.to_owned(),
            sector_code,
            e.employees.map(|v| v.to_string()).unwrap_or_default(),
            e.role.as_str().to_owned(),
            stages.join(";"),
        ]
        .into_iter()
        .enumerate()
        {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, v).unwrap();
            }
        }
    }
    sheet
        .write_string(firms.len() as u32 + 3, 0, "注：信用代码为示例生成。")
        .unwrap();
    book.save(&book_path).unwrap();

    let mut map = MapFile::default();
    for (id, name) in ZH {
        map.regions.insert(name.to_owned(), id.to_owned());
    }
    let o = ingest::enterprises(
        &ws,
        &[(book_path, "registry.xlsx".into())],
        &map,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(lines(&o.unmatched), Vec::<String>::new());
    assert_eq!(
        (o.matched, o.merged, o.note_rows, o.banner_rows),
        (firms.len(), 0, 1, 1)
    );
    assert!(o.added_regions.is_empty() && o.added_sectors.is_empty());
    let back = Workspace::load(&ws).unwrap().dataset;
    assert_eq!(back.enterprises.len(), firms.len());
    for (k, e) in firms.iter().enumerate() {
        let b = firm(&back, &code_of(k));
        assert_eq!(
            (
                &b.name,
                &b.region,
                b.role,
                &b.stages,
                &b.sector,
                b.employees
            ),
            (
                &e.name,
                &e.region,
                e.role,
                &e.stages,
                &e.sector,
                e.employees
            ),
            "{}",
            e.id
        );
    }

    // The yearbook table: labour productivity (D212) of the cities, 2018-2023.
    let cities: Vec<&str> = ZH[5..].iter().map(|(id, _)| *id).collect();
    let mut table = String::from(
        "表 2-1 各市劳动生产率,,,,,,\n地区,2018年,2019年,2020年,2021年,2022年,2023年\n",
    );
    let mut expected = Vec::new();
    for city in &cities {
        table.push_str(zh[city]);
        for y in 2018..=2023 {
            let v = original
                .indicators
                .iter()
                .find(|v| v.region == *city && v.year == y && v.indicator == "D212")
                .map(|v| v.value);
            table.push(',');
            if let Some(v) = v {
                table.push_str(&chainlens_data::table::format_number(v));
                expected.push((city.to_string(), y, v));
            } else {
                table.push('…');
            }
        }
        table.push('\n');
    }
    table.push_str("注：示例数据。,,,,,,\n");
    assert!(expected.len() >= 60);
    let table_path = dir.path().join("yearbook.csv");
    std::fs::write(&table_path, table).unwrap();
    map.indicators.insert(
        "劳动生产率".into(),
        toml::from_str("code = \"D212\"").unwrap(),
    );
    let o = ingest::indicators(
        &ws,
        &[(table_path, "yearbook.csv".into())],
        &map,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(lines(&o.unmatched), Vec::<String>::new());
    assert_eq!(o.values, expected.len());
    let back = Workspace::load(&ws).unwrap().dataset;
    let mut got: Vec<(String, i32, f64)> = back
        .indicators
        .iter()
        .map(|v| (v.region.clone(), v.year, v.value))
        .collect();
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(got, expected);
    assert!(back.indicators.iter().all(|v| {
        v.indicator == "D212"
            && v.source
                .as_deref()
                .is_some_and(|s| s.starts_with("yearbook.csv (yearbook.csv:"))
    }));
}

// The walk of docs/import.md: registry CSV, registry workbook, yearbook table, purchases.
#[test]
fn the_documented_walk_from_files_to_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("nev");
    let skip = Options {
        skip_unmatched: true,
        ..Options::default()
    };
    ingest::enterprises(
        &ws,
        &[example("registry_gbk.csv")],
        &MapFile::default(),
        &skip,
    )
    .unwrap();
    ingest::enterprises(&ws, &[example("registry.xlsx")], &map(), &skip).unwrap();

    let o =
        ingest::indicators(&ws, &[example("yearbook.csv")], &map(), &Options::default()).unwrap();
    assert_eq!(
        o.tables,
        [("yearbook.csv".to_owned(), "indicators".to_owned())]
    );
    assert_eq!((o.values, o.existing, o.note_rows), (8, 0, 1 + 1 + 1 + 2));
    assert_eq!(lines(&o.unmatched), Vec::<String>::new());
    let d = Workspace::load(&ws).unwrap().dataset;
    let value = |r: &str, i: &str| {
        d.indicators
            .iter()
            .find(|v| v.region == r && v.indicator == i && v.year == 2022)
            .map(|v| v.value)
    };
    assert_eq!(value("330100", "gdp"), Some(187_530_000.0)); // 亿元 → 万元
    assert_eq!(value("330200", "rd_intensity"), Some(0.03)); // % → ratio
    assert_eq!(value("331000", "population"), Some(668.1));
    assert_eq!(value("331000", "rd_intensity"), None); // …
    assert_eq!(
        d.indicators[0].source.as_deref(),
        Some("示例统计年鉴2023（数值为示意） (yearbook.csv:4:2)")
    );
    // The same table again: every value is already there.
    let o =
        ingest::indicators(&ws, &[example("yearbook.csv")], &map(), &Options::default()).unwrap();
    assert_eq!((o.values, o.existing), (0, 8));

    let o = ingest::supply_links(
        &ws,
        &[example("purchases.csv")],
        &map(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(o.tables, [("purchases.csv".to_owned(), Some(2023))]);
    assert_eq!((o.rows, o.other_years, o.links, o.note_rows), (4, 1, 3, 1));
    assert_eq!(
        lines(&o.unmatched),
        [
            "purchases.csv:8:1: 采购方: no enterprise of the workspace is named `杭州未知整车有限公司`"
        ]
    );
    assert!(o.written.is_none());
    let o = ingest::supply_links(&ws, &[example("purchases.csv")], &map(), &skip).unwrap();
    assert!(o.written.is_some());
    let d = Workspace::load(&ws).unwrap().dataset;
    let mut links: Vec<(&str, &str, Option<f64>)> = d
        .supply_links
        .iter()
        .map(|l| (l.supplier.as_str(), l.buyer.as_str(), l.value))
        .collect();
    links.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(
        links,
        [
            ("91310115MA1FL3QD7L", "91331002MA28G5TW5H", Some(340.0)),
            ("91330106704283168M", "91330402MA29J7UK6R", Some(56.0)),
            ("91330206MA2CK1E10E", "91331002MA28G5TW5H", Some(223.0)),
        ]
    );
}
