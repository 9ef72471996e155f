//! The HTML report: well-formed, self-contained, complete, escaped.

use crate::fixture::fixture;
use chainlens_report::html::SECTIONS;
use chainlens_report::i18n::t;
use chainlens_report::{Lang, ReportInput, render_html};

const VOID: [&str; 2] = ["meta", "br"];

/// Check that every element is closed in order (self-closing SVG elements and
/// HTML void elements aside); returns the number of elements seen.
fn check_balanced(html: &str) -> usize {
    let mut stack: Vec<String> = Vec::new();
    let mut count = 0;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unterminated tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("closing </{name}> without opening"));
            assert_eq!(open, name, "mismatched </{name}>, open was <{open}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "bad tag <{tag}>");
        count += 1;
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            let close = rest.find("</style>").expect("style closed");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    count
}

/// Every value of src=, href= and url(…) in the document.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["src=\"", "href=\"", "url("] {
        let mut rest = html;
        while let Some(i) = rest.find(key) {
            rest = &rest[i + key.len()..];
            let end = rest.find(['"', ')']).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn report_is_balanced_and_self_contained_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let html = render_html(&fixture(lang));
        assert!(check_balanced(&html) > 500);
        for r in references(&html) {
            assert!(r.starts_with('#'), "external reference {r}");
        }
        for bad in ["http://", "https://", "<script", "@import", "@font-face"] {
            assert!(!html.contains(bad), "{bad} in the report");
        }
        for s in SECTIONS {
            assert!(
                html.contains(&format!("<h2>{}</h2>", t(lang, s))),
                "{s} heading in {lang:?}"
            );
        }
        assert!(html.contains("Noto Sans CJK SC"));
    }
    let zh = render_html(&fixture(Lang::Zh));
    for heading in [
        "概览",
        "产业链图谱",
        "产业关联",
        "韧性评价",
        "风险与预警",
        "情景模拟",
        "对策建议",
    ] {
        assert!(zh.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(zh.contains("较强") && zh.contains("一级") && zh.contains("护链"));
}

#[test]
fn one_svg_per_chart() {
    let html = render_html(&fixture(Lang::En));
    // 3 chain maps, quadrant, spillover, radar, trend, rank intervals,
    // risk matrix, response effect, scenario curve, loss histogram, TTS vs TTR.
    assert_eq!(html.matches("<svg ").count(), 13);
    assert_eq!(
        html.matches("<svg ").count(),
        html.matches("</svg>").count()
    );
}

#[test]
fn user_text_is_escaped() {
    let html = render_html(&fixture(Lang::En));
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn empty_input_says_what_is_not_configured() {
    for lang in [Lang::En, Lang::Zh] {
        let html = render_html(&ReportInput {
            lang,
            ..ReportInput::default()
        });
        check_balanced(&html);
        assert_eq!(
            html.matches(t(lang, "not_configured")).count(),
            SECTIONS.len()
        );
        assert!(!html.contains("<svg"));
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(
        render_html(&fixture(Lang::Zh)),
        render_html(&fixture(Lang::Zh))
    );
}

#[test]
fn input_round_trips_through_json() {
    let input = fixture(Lang::Zh);
    let json = serde_json::to_string(&input).expect("serialise");
    let back: ReportInput = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(render_html(&back), render_html(&input));
    assert!(json.contains("\"lang\":\"zh\"") && json.contains("\"segment\":\"pre-production\""));
}

#[test]
fn overview_is_sorted_by_grade_then_index_and_grades_carry_their_colour_and_legend() {
    use chainlens_report::{Grade, RegionGrade, Vocabulary};
    let mut input = fixture(Lang::En);
    let o = input.overview.as_mut().unwrap();
    let g = |region: &str, index: f64, grade: Grade| RegionGrade {
        region: region.into(),
        year: 2023,
        index,
        grade,
    };
    // A higher index in a lower grade (thresholds can differ by year) still sorts below.
    o.region_grades = vec![
        g("Alpha", 0.50, Grade::Medium),
        g("Beta", 0.81, Grade::High),
        g("Gamma", 0.90, Grade::Strong),
        g("Delta", 0.85, Grade::High),
    ];
    let html = render_html(&input);
    let overview =
        &html[html.find("id=\"overview\"").unwrap()..html.find("id=\"chains\"").unwrap()];
    let at = |name: &str| overview.find(&format!("<td>{name}</td>")).unwrap();
    assert!(at("Delta") < at("Beta") && at("Beta") < at("Gamma") && at("Gamma") < at("Alpha"));
    // Badges in the vocabulary's colour, and a legend of all five grades.
    assert!(overview.contains(&format!(
        "background:{};color:{}\">high</span>",
        Grade::High.colour(),
        Grade::High.ink()
    )));
    assert!(overview.contains("class=\"legend\""));
    for g in Grade::VALUES {
        assert!(
            overview.contains(&format!("background:{}", g.colour())),
            "{g:?}"
        );
    }
}

#[test]
fn the_risk_matrix_colours_high_cells_like_low_grades() {
    use chainlens_report::{Grade, RiskLevel, Vocabulary};
    let html = render_html(&fixture(Lang::Zh));
    let risk = &html[html.find("id=\"risk\"").unwrap()..html.find("id=\"scenarios\"").unwrap()];
    assert_eq!(RiskLevel::High.colour(), Grade::Low.colour());
    for l in RiskLevel::VALUES {
        assert!(risk.contains(&format!("fill=\"{}\"", l.colour())), "{l:?}");
        assert!(risk.contains(l.label(Lang::Zh)));
    }
}
