//! Chain map: stages left to right (grouped by segment), regions as lanes,
//! enterprises as circles whose area is proportional to capacity; gaps are
//! hatched cells with a cross, single points of failure a heavy double ring.

use crate::i18n::t;
use crate::model::{ChainMap, Lang, Vocabulary};
use crate::svg::{Svg, color, esc};

/// Draw one chain map.
pub fn chain_map(chain: &ChainMap, lang: Lang) -> String {
    let col_w = 130.0;
    let lane_h = 92.0;
    let left = 120.0;
    let top = 64.0;
    let n_st = chain.stages.len().max(1) as f64;
    let n_rg = chain.regions.len().max(1) as f64;
    let w = (left + col_w * n_st + 20.0).max(640.0);
    let h = top + lane_h * n_rg + 60.0;
    let mut svg = Svg::new(w, h, &chain.name);
    let max_cap = chain
        .enterprises
        .iter()
        .map(|e| e.capacity)
        .fold(0.0, f64::max);
    let spof: Vec<&str> = chain
        .single_points
        .iter()
        .map(|s| s.enterprise.as_str())
        .collect();
    // Segment bands above the stage names.
    let mut k = 0;
    while k < chain.stages.len() {
        let seg = chain.stages[k].segment;
        let run = chain.stages[k..]
            .iter()
            .take_while(|s| s.segment == seg)
            .count();
        let x = left + col_w * k as f64;
        svg.rect(
            x + 2.0,
            4.0,
            col_w * run as f64 - 4.0,
            20.0,
            "#eee",
            " stroke=\"#999\"",
        );
        svg.text(
            x + col_w * run as f64 / 2.0,
            18.0,
            seg.label(lang),
            "middle",
            11.0,
        );
        k += run;
    }
    for (s, st) in chain.stages.iter().enumerate() {
        let x = left + col_w * (s as f64 + 0.5);
        let label = if st.core {
            format!("{} ★", st.name)
        } else {
            st.name.clone()
        };
        svg.text(x, 44.0, &label, "middle", 12.0);
    }
    for (r, region) in chain.regions.iter().enumerate() {
        let y = top + lane_h * r as f64;
        let fill = if r % 2 == 0 { "#f7f7f7" } else { "#fff" };
        svg.rect(left, y, col_w * n_st, lane_h, fill, " stroke=\"#ccc\"");
        svg.text(left - 8.0, y + lane_h / 2.0 + 4.0, region, "end", 12.0);
        for (s, st) in chain.stages.iter().enumerate() {
            let cx0 = left + col_w * s as f64;
            let firms: Vec<_> = chain
                .enterprises
                .iter()
                .filter(|e| e.stage == st.id && &e.region == region)
                .collect();
            if r == 0 && chain.gaps.contains(&st.id) {
                svg.rect(
                    cx0 + 6.0,
                    y + 6.0,
                    col_w - 12.0,
                    lane_h - 12.0,
                    "#fff",
                    " stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray=\"6 3\"",
                );
                svg.line(
                    cx0 + 20.0,
                    y + 20.0,
                    cx0 + col_w - 20.0,
                    y + lane_h - 20.0,
                    "#c00",
                    " stroke-width=\"1.5\"",
                );
                svg.line(
                    cx0 + 20.0,
                    y + lane_h - 20.0,
                    cx0 + col_w - 20.0,
                    y + 20.0,
                    "#c00",
                    " stroke-width=\"1.5\"",
                );
            }
            let n = firms.len().max(1) as f64;
            for (i, e) in firms.iter().enumerate() {
                let fx = cx0 + col_w * (i as f64 + 0.5) / n;
                let fy = y + lane_h / 2.0 - 8.0;
                let rad = if max_cap > 0.0 {
                    4.0 + 14.0 * (e.capacity / max_cap).sqrt()
                } else {
                    6.0
                };
                let ci = chain.regions.iter().position(|x| x == region).unwrap_or(0);
                svg.raw(&format!(
                    "<circle cx=\"{fx:.1}\" cy=\"{fy:.1}\" r=\"{rad:.1}\" fill=\"{}\" fill-opacity=\"0.55\" stroke=\"#000\" stroke-width=\"0.8\"><title>{} · {} {:.0}</title></circle>",
                    color(ci),
                    esc(&e.name),
                    t(lang, "capacity"),
                    e.capacity
                ));
                if spof.contains(&e.id.as_str()) {
                    svg.raw(&format!(
                        "<circle cx=\"{fx:.1}\" cy=\"{fy:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\"/><circle cx=\"{fx:.1}\" cy=\"{fy:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"#c00\" stroke-width=\"1.2\"/>",
                        rad + 3.0,
                        rad + 6.0
                    ));
                }
                let fit = ((col_w / n) / 5.5) as usize;
                let name: String = if e.name.chars().count() > fit {
                    e.name
                        .chars()
                        .take(fit.saturating_sub(1))
                        .chain(['…'])
                        .collect()
                } else {
                    e.name.clone()
                };
                svg.text(
                    fx,
                    y + lane_h - 10.0 - 11.0 * (i % 2) as f64 * f64::from(u8::from(n > 1.0)),
                    &name,
                    "middle",
                    10.0,
                );
            }
        }
    }
    // Legend.
    let ly = top + lane_h * n_rg + 24.0;
    svg.raw(&format!("<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"8\" fill=\"{}\" fill-opacity=\"0.55\" stroke=\"#000\"/>", left + 8.0, color(0)));
    svg.text(
        left + 22.0,
        ly + 4.0,
        &format!("{} ∝ {}", t(lang, "enterprise"), t(lang, "capacity")),
        "start",
        11.0,
    );
    svg.rect(
        left + 180.0,
        ly - 8.0,
        24.0,
        16.0,
        "#fff",
        " stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray=\"6 3\"",
    );
    svg.text(left + 210.0, ly + 4.0, t(lang, "gap"), "start", 11.0);
    svg.raw(&format!(
        "<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"7\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\"/>",
        left + 440.0
    ));
    svg.text(
        left + 454.0,
        ly + 4.0,
        &format!("{} · ★ {}", t(lang, "spof"), t(lang, "core")),
        "start",
        11.0,
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnterpriseView, Segment, SinglePoint, StageView};

    #[test]
    fn marks_gaps_and_single_points() {
        let st = |id: &str, segment| StageView {
            id: id.into(),
            name: id.into(),
            segment,
            core: false,
        };
        let e = |id: &str, stage: &str, region: &str| EnterpriseView {
            id: id.into(),
            name: id.into(),
            stage: stage.into(),
            region: region.into(),
            capacity: 10.0,
        };
        let c = ChainMap {
            id: "c".into(),
            name: "c".into(),
            stages: vec![
                st("s1", Segment::Production),
                st("s2", Segment::Circulation),
            ],
            regions: vec!["home".into(), "other".into()],
            enterprises: vec![e("e1", "s1", "home"), e("e2", "s2", "other")],
            gaps: vec!["s2".into()],
            single_points: vec![SinglePoint {
                enterprise: "e1".into(),
                dominates: vec![],
                dominated_output: 1.0,
            }],
        };
        let svg = chain_map(&c, Lang::Zh);
        assert!(svg.contains("产中") && svg.contains("流通"));
        assert_eq!(
            svg.matches("stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray")
                .count(),
            2,
            "gap cell and legend"
        );
        assert_eq!(
            svg.matches("stroke-width=\"2.5\"").count(),
            2,
            "single point and legend"
        );
    }
}
