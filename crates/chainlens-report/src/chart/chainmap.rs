//! Chain map: a layered drawing of one chain — stages left to right, grouped under their
//! segment (pre-production → post-production, the order the caller gives), region lanes
//! top to bottom (home region first), and in each (stage, region) cell its enterprises
//! as a list: a circle whose area is proportional to capacity, then the name shortened
//! to the column (the full name, region and capacity on hover). Gaps — stages with no
//! enterprise in the home region — are a dashed red cell saying so; single points of
//! failure a heavy double ring and a bold name; core stages a ★. A legend explains
//! each mark.
//!
//! The module is in three parts, each tested on its own: *formatting* (text width
//! estimate, shortening), *layout* (column widths, lane heights and every text box from
//! the content, so that no two boxes overlap and no label is below 11 px), and
//! *drawing* (the SVG from the layout). Cells with more than [`ROWS_PER_CELL`]
//! enterprises show the largest and a "+N" row, so a chain of hundreds of firms stays
//! readable. Layout is O(stages × regions + enterprises).

use crate::i18n::t;
use crate::model::{ChainMap, EnterpriseView, Lang, Vocabulary};
use crate::svg::{Svg, esc};

/// Smallest font size used anywhere on the map.
pub const MIN_FONT: f64 = 11.0;
/// Enterprises listed per cell before a "+N" row.
pub const ROWS_PER_CELL: usize = 6;
const ROW_H: f64 = 18.0;
const FIRM_FONT: f64 = 11.0;
const STAGE_FONT: f64 = 12.0;
const MAX_COL_W: f64 = 190.0;
const MIN_COL_W: f64 = 110.0;
const PAD: f64 = 6.0;
const RING: &str = "#000";
const GAP: &str = "#c00";

// ------------------------------------------------------------------ formatting

pub use crate::svg::{shorten, text_width};

// ------------------------------------------------------------------ layout

/// A text box: where a label is drawn (x is its left edge, y its baseline).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

impl TextBox {
    fn new(x: f64, y: f64, text: String, size: f64) -> Self {
        TextBox {
            x,
            y,
            width: text_width(&text, size),
            size,
            text,
        }
    }

    /// Do two boxes overlap (ascent 0.9 em above the baseline, descent 0.25 em below)?
    pub fn overlaps(&self, o: &TextBox) -> bool {
        let (a0, a1) = (self.y - 0.9 * self.size, self.y + 0.25 * self.size);
        let (b0, b1) = (o.y - 0.9 * o.size, o.y + 0.25 * o.size);
        self.x < o.x + o.width && o.x < self.x + self.width && a0 < b1 && b0 < a1
    }
}

/// One listed enterprise (or the "+N" row, `firm == None`) of a cell.
#[derive(Debug, Clone)]
pub struct FirmRow<'a> {
    pub firm: Option<&'a EnterpriseView>,
    pub cx: f64,
    pub cy: f64,
    pub radius: f64,
    pub label: TextBox,
    pub single_point: bool,
}

/// Where everything of a chain map goes.
#[derive(Debug, Clone)]
pub struct Layout<'a> {
    pub width: f64,
    pub height: f64,
    /// Left edge and width of each stage column.
    pub columns: Vec<(f64, f64)>,
    /// Top edge and height of each region lane.
    pub lanes: Vec<(f64, f64)>,
    /// Segment bands: (x, width, label).
    pub segments: Vec<(f64, f64, TextBox)>,
    /// Stage headers (one or two lines each).
    pub headers: Vec<Vec<TextBox>>,
    pub lane_labels: Vec<TextBox>,
    pub rows: Vec<FirmRow<'a>>,
    /// Gap cells: (x, y, w, h, label).
    pub gaps: Vec<(f64, f64, f64, f64, TextBox)>,
    pub legend_y: f64,
}

impl Layout<'_> {
    /// Every text box of the map (headers, lanes, firms, gaps), for overlap checks.
    pub fn text_boxes(&self) -> Vec<&TextBox> {
        let mut out: Vec<&TextBox> = self.segments.iter().map(|s| &s.2).collect();
        out.extend(self.headers.iter().flatten());
        out.extend(&self.lane_labels);
        out.extend(self.rows.iter().map(|r| &r.label));
        out.extend(self.gaps.iter().map(|g| &g.4));
        out
    }
}

/// Split `s` into at most two lines that fit `width` at `size` (the second shortened).
fn two_lines(s: &str, width: f64, size: f64) -> Vec<String> {
    if text_width(s, size) <= width {
        return vec![s.to_owned()];
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 1 {
        let mut first = String::new();
        let mut k = 0;
        while k < words.len() {
            let next = if first.is_empty() {
                words[k].to_owned()
            } else {
                format!("{first} {}", words[k])
            };
            if text_width(&next, size) > width && !first.is_empty() {
                break;
            }
            first = next;
            k += 1;
        }
        let rest = words[k..].join(" ");
        let mut out = vec![shorten(&first, width, size)];
        if !rest.is_empty() {
            out.push(shorten(&rest, width, size));
        }
        return out;
    }
    // One long word or CJK text: cut by characters.
    let mut first = String::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        first.push(c);
        if text_width(&first, size) > width {
            first.pop();
            break;
        }
        chars.next();
    }
    let rest: String = chars.collect();
    let mut out = vec![first];
    if !rest.is_empty() {
        out.push(shorten(&rest, width, size));
    }
    out
}

/// The enterprises of a cell, largest first.
fn cell<'a>(chain: &'a ChainMap, stage: &str, region: &str) -> Vec<&'a EnterpriseView> {
    let mut v: Vec<&EnterpriseView> = chain
        .enterprises
        .iter()
        .filter(|e| e.stage == stage && e.region == region)
        .collect();
    v.sort_by(|a, b| b.capacity.total_cmp(&a.capacity).then(a.name.cmp(&b.name)));
    v
}

/// Lay out `chain`.
pub fn layout<'a>(chain: &'a ChainMap, lang: Lang) -> Layout<'a> {
    let spof: Vec<&str> = chain
        .single_points
        .iter()
        .map(|s| s.enterprise.as_str())
        .collect();
    let max_cap = chain
        .enterprises
        .iter()
        .map(|e| e.capacity)
        .fold(0.0, f64::max);
    let radius = |cap: f64| {
        if max_cap > 0.0 {
            3.0 + 5.0 * (cap / max_cap).sqrt()
        } else {
            5.0
        }
    };
    // Column widths: the widest firm name or stage word, within [MIN_COL_W, MAX_COL_W].
    let widths: Vec<f64> = chain
        .stages
        .iter()
        .map(|st| {
            let firms = chain
                .enterprises
                .iter()
                .filter(|e| e.stage == st.id)
                .map(|e| text_width(&e.name, FIRM_FONT) + 2.0 * ROW_H)
                .fold(0.0, f64::max);
            let header = st
                .name
                .split_whitespace()
                .map(|w| text_width(w, STAGE_FONT) + 2.0 * PAD)
                .fold(0.0, f64::max);
            firms.max(header).clamp(MIN_COL_W, MAX_COL_W)
        })
        .collect();
    let lane_w = chain
        .regions
        .iter()
        .map(|r| text_width(r, STAGE_FONT))
        .fold(60.0, f64::max)
        .min(150.0);
    let left = lane_w + 2.0 * PAD;
    let mut columns = Vec::new();
    let mut x = left;
    for w in &widths {
        columns.push((x, *w));
        x += w;
    }
    let right = x;
    // Segment bands and stage headers (two lines at most).
    let seg_y = 18.0;
    let mut segments = Vec::new();
    let mut k = 0;
    while k < chain.stages.len() {
        let seg = chain.stages[k].segment;
        let run = chain.stages[k..]
            .iter()
            .take_while(|s| s.segment == seg)
            .count();
        let (x0, _) = columns[k];
        let (xl, wl) = columns[k + run - 1];
        let w = xl + wl - x0;
        let label = shorten(seg.label(lang), w - 2.0 * PAD, STAGE_FONT);
        let tw = text_width(&label, STAGE_FONT);
        segments.push((
            x0,
            w,
            TextBox::new(x0 + (w - tw) / 2.0, seg_y, label, STAGE_FONT),
        ));
        k += run;
    }
    let headers: Vec<Vec<TextBox>> = chain
        .stages
        .iter()
        .zip(&columns)
        .map(|(st, &(x0, w))| {
            let name = if st.core {
                format!("{} ★", st.name)
            } else {
                st.name.clone()
            };
            two_lines(&name, w - 2.0 * PAD, STAGE_FONT)
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    let tw = text_width(&line, STAGE_FONT);
                    TextBox::new(
                        x0 + (w - tw) / 2.0,
                        46.0 + 15.0 * i as f64,
                        line,
                        STAGE_FONT,
                    )
                })
                .collect()
        })
        .collect();
    let top = 72.0;
    let mut lanes = Vec::new();
    let mut lane_labels = Vec::new();
    let mut rows = Vec::new();
    let mut gaps = Vec::new();
    let mut y = top;
    for (r, region) in chain.regions.iter().enumerate() {
        let cells: Vec<Vec<&EnterpriseView>> = chain
            .stages
            .iter()
            .map(|st| cell(chain, &st.id, region))
            .collect();
        let most = cells
            .iter()
            .map(|c| c.len().min(ROWS_PER_CELL + 1))
            .max()
            .unwrap_or(0)
            .max(2);
        let h = most as f64 * ROW_H + 2.0 * PAD;
        lanes.push((y, h));
        let label = shorten(region, lane_w, STAGE_FONT);
        lane_labels.push(TextBox::new(PAD, y + h / 2.0 + 4.0, label, STAGE_FONT));
        for (s, firms) in cells.iter().enumerate() {
            let (x0, w) = columns[s];
            if r == 0 && firms.is_empty() && chain.gaps.contains(&chain.stages[s].id) {
                let text = shorten(t(lang, "gap_short"), w - 4.0 * PAD, FIRM_FONT);
                let tw = text_width(&text, FIRM_FONT);
                gaps.push((
                    x0 + 3.0,
                    y + 3.0,
                    w - 6.0,
                    h - 6.0,
                    TextBox::new(x0 + (w - tw) / 2.0, y + h / 2.0 + 4.0, text, FIRM_FONT),
                ));
            }
            let shown = if firms.len() > ROWS_PER_CELL + 1 {
                ROWS_PER_CELL
            } else {
                firms.len()
            };
            for (i, e) in firms.iter().take(shown).enumerate() {
                let cy = y + PAD + ROW_H * (i as f64 + 0.5);
                let cx = x0 + PAD + 8.0;
                let label_x = cx + 12.0;
                let text = shorten(&e.name, x0 + w - PAD - label_x, FIRM_FONT);
                rows.push(FirmRow {
                    firm: Some(e),
                    cx,
                    cy,
                    radius: radius(e.capacity),
                    label: TextBox::new(label_x, cy + 4.0, text, FIRM_FONT),
                    single_point: spof.contains(&e.id.as_str()),
                });
            }
            if shown < firms.len() {
                let cy = y + PAD + ROW_H * (shown as f64 + 0.5);
                let more = format!("+{} {}", firms.len() - shown, t(lang, "more_firms"));
                let text = shorten(&more, w - 2.0 * PAD - 20.0, FIRM_FONT);
                rows.push(FirmRow {
                    firm: None,
                    cx: x0 + PAD + 8.0,
                    cy,
                    radius: 0.0,
                    label: TextBox::new(x0 + PAD + 20.0, cy + 4.0, text, FIRM_FONT),
                    single_point: false,
                });
            }
        }
        y += h;
    }
    let legend_y = y + 26.0;
    Layout {
        width: right.max(legend_width(lang) + left) + PAD,
        height: legend_y + 20.0,
        columns,
        lanes,
        segments,
        headers,
        lane_labels,
        rows,
        gaps,
        legend_y,
    }
}

/// The legend's entries, each (mark width, label).
fn legend_entries(lang: Lang) -> [String; 4] {
    [
        format!("{} ∝ {}", t(lang, "enterprise"), t(lang, "capacity")),
        t(lang, "gap").to_owned(),
        t(lang, "spof").to_owned(),
        format!("★ {}", t(lang, "core")),
    ]
}

fn legend_width(lang: Lang) -> f64 {
    legend_entries(lang)
        .iter()
        .map(|l| 30.0 + text_width(l, MIN_FONT) + 18.0)
        .sum()
}

// ------------------------------------------------------------------ drawing

/// Draw one chain map.
pub fn chain_map(chain: &ChainMap, lang: Lang) -> String {
    let l = layout(chain, lang);
    let mut svg = Svg::new(l.width, l.height, &chain.name);
    let text = |svg: &mut Svg, b: &TextBox, extra: &str| {
        svg.raw(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{:.0}\"{extra}>{}</text>",
            b.x,
            b.y,
            b.size,
            esc(&b.text)
        ));
    };
    for (x, w, label) in &l.segments {
        svg.rect(x + 2.0, 4.0, w - 4.0, 20.0, "#eef1f6", " stroke=\"#999\"");
        text(&mut svg, label, "");
    }
    for (k, lines) in l.headers.iter().enumerate() {
        let full = &chain.stages[k].name;
        svg.raw(&format!("<g><title>{}</title>", esc(full)));
        for b in lines {
            text(&mut svg, b, " font-weight=\"600\"");
        }
        svg.raw("</g>");
    }
    let (x0, x1) = (
        l.columns.first().map_or(0.0, |c| c.0),
        l.columns.last().map_or(0.0, |c| c.0 + c.1),
    );
    for (r, (y, h)) in l.lanes.iter().enumerate() {
        let fill = if r % 2 == 0 { "#f7f7f7" } else { "#fff" };
        svg.rect(x0, *y, x1 - x0, *h, fill, " stroke=\"#ccc\"");
        text(&mut svg, &l.lane_labels[r], "");
    }
    for (x, _) in l.columns.iter().skip(1) {
        let (top, bottom) = (
            l.lanes.first().map_or(0.0, |z| z.0),
            l.lanes.last().map_or(0.0, |z| z.0 + z.1),
        );
        svg.line(*x, top, *x, bottom, "#ddd", "");
    }
    for (x, y, w, h, label) in &l.gaps {
        svg.rect(
            *x,
            *y,
            *w,
            *h,
            "#fff",
            &format!(" stroke=\"{GAP}\" stroke-width=\"2\" stroke-dasharray=\"6 3\""),
        );
        text(&mut svg, label, &format!(" fill=\"{GAP}\""));
    }
    for row in &l.rows {
        match row.firm {
            Some(e) => {
                svg.raw(&format!(
                    "<g><title>{} · {} · {} {}</title>",
                    esc(&e.name),
                    esc(&e.region),
                    t(lang, "capacity"),
                    crate::format::number(e.capacity, 0)
                ));
                svg.raw(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\" fill-opacity=\"0.8\" stroke=\"#000\" stroke-width=\"0.8\"/>",
                    row.cx,
                    row.cy,
                    row.radius,
                    chain
                        .stages
                        .iter()
                        .find(|s| s.id == e.stage)
                        .map_or("#999", |s| s.segment.colour())
                ));
                if row.single_point {
                    svg.raw(&spof_ring(row.cx, row.cy, row.radius));
                    text(&mut svg, &row.label, " font-weight=\"700\"");
                } else {
                    text(&mut svg, &row.label, "");
                }
                svg.raw("</g>");
            }
            None => text(&mut svg, &row.label, " fill=\"#555\""),
        }
    }
    // Legend.
    let ly = l.legend_y;
    let mut x = l.columns.first().map_or(PAD, |c| c.0);
    let [cap, gap, spof, core] = legend_entries(lang);
    svg.raw(&format!(
        "<circle cx=\"{:.1}\" cy=\"{ly:.1}\" r=\"7\" fill=\"#999\" fill-opacity=\"0.8\" stroke=\"#000\"/>",
        x + 8.0
    ));
    svg.text(x + 22.0, ly + 4.0, &cap, "start", MIN_FONT);
    x += 30.0 + text_width(&cap, MIN_FONT) + 18.0;
    svg.rect(
        x,
        ly - 8.0,
        22.0,
        16.0,
        "#fff",
        &format!(" stroke=\"{GAP}\" stroke-width=\"2\" stroke-dasharray=\"6 3\""),
    );
    svg.text(x + 30.0, ly + 4.0, &gap, "start", MIN_FONT);
    x += 30.0 + text_width(&gap, MIN_FONT) + 18.0;
    svg.raw(&spof_ring(x + 10.0, ly, 4.0));
    svg.text(x + 30.0, ly + 4.0, &spof, "start", MIN_FONT);
    x += 30.0 + text_width(&spof, MIN_FONT) + 18.0;
    svg.text(x, ly + 4.0, &core, "start", MIN_FONT);
    svg.finish()
}

/// The double ring of a single point of failure around a circle of radius `r`.
fn spof_ring(cx: f64, cy: f64, r: f64) -> String {
    format!(
        "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{RING}\" stroke-width=\"2.5\"/><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"{GAP}\" stroke-width=\"1.2\"/>",
        r + 2.5,
        r + 5.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Segment, SinglePoint, StageView};

    fn st(id: &str, name: &str, segment: Segment) -> StageView {
        StageView {
            id: id.into(),
            name: name.into(),
            segment,
            core: false,
        }
    }

    fn firm(id: &str, name: &str, stage: &str, region: &str, capacity: f64) -> EnterpriseView {
        EnterpriseView {
            id: id.into(),
            name: name.into(),
            stage: stage.into(),
            region: region.into(),
            capacity,
        }
    }

    /// A chain with long names, a crowded cell, a gap and a single point of failure.
    fn crowded() -> ChainMap {
        let mut enterprises = vec![
            firm(
                "e1",
                "Ningbo Xinneng Special Steel Co.",
                "s1",
                "Hangzhou",
                10.0,
            ),
            firm(
                "e2",
                "浙江省杭州市某某新能源汽车零部件股份有限公司",
                "s3",
                "Hangzhou",
                5.0,
            ),
        ];
        for k in 0..15 {
            enterprises.push(firm(
                &format!("x{k}"),
                &format!("Jiangsu Precision Power Electronics Works No. {k}"),
                "s2",
                "Shanghai",
                f64::from(k),
            ));
        }
        ChainMap {
            id: "c".into(),
            name: "c".into(),
            stages: vec![
                st(
                    "s1",
                    "Lithium and nickel raw materials refining",
                    Segment::PreProduction,
                ),
                st(
                    "s2",
                    "Power semiconductors (IGBT, SiC)",
                    Segment::Production,
                ),
                st("s3", "整车制造与总装", Segment::Production),
                st(
                    "s4",
                    "After-sales service and battery recycling",
                    Segment::PostProduction,
                ),
            ],
            regions: vec!["Hangzhou".into(), "Shanghai".into()],
            enterprises,
            gaps: vec!["s2".into(), "s4".into()],
            single_points: vec![SinglePoint {
                enterprise: "e1".into(),
                dominates: vec![],
                dominated_output: 1.0,
            }],
        }
    }

    #[test]
    fn shortening_fits_and_marks_the_cut() {
        assert_eq!(shorten("Steel", 100.0, 11.0), "Steel");
        let s = shorten("Ningbo Xinneng Special Steel Co.", 80.0, 11.0);
        assert!(
            s.ends_with('…') && text_width(&s, 11.0) <= 80.0 + 11.0,
            "{s}"
        );
        assert!(text_width("浙江", 11.0) > text_width("ab", 11.0));
        assert_eq!(
            two_lines("Power semiconductors (IGBT, SiC)", 120.0, 12.0).len(),
            2
        );
    }

    #[test]
    fn no_two_text_boxes_overlap_and_none_is_below_11_px() {
        for lang in [Lang::En, Lang::Zh] {
            let c = crowded();
            let l = layout(&c, lang);
            let boxes = l.text_boxes();
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.size >= MIN_FONT, "{a:?}");
                for b in &boxes[i + 1..] {
                    assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
                }
            }
            // Every label stays inside the map.
            for b in &boxes {
                assert!(b.x >= 0.0 && b.x + b.width <= l.width + 1.0, "{b:?}");
            }
        }
    }

    #[test]
    fn crowded_cells_list_the_largest_then_the_rest_as_a_count() {
        let c = crowded();
        let l = layout(&c, Lang::En);
        let shanghai: Vec<_> = l.rows.iter().filter(|r| r.cy > l.lanes[1].0).collect();
        assert_eq!(shanghai.len(), ROWS_PER_CELL + 1);
        assert!(shanghai[0].label.text.contains("No. 14") || shanghai[0].label.text.ends_with('…'));
        assert!(shanghai[ROWS_PER_CELL].label.text.starts_with("+9"));
    }

    #[test]
    fn marks_gaps_single_points_and_names_with_a_legend() {
        let c = crowded();
        let svg = chain_map(&c, Lang::Zh);
        assert!(svg.contains("产前") && svg.contains("产中") && svg.contains("产后"));
        // Gaps: s2 and s4 in the home lane (s2 has firms only in Shanghai), and the legend.
        assert_eq!(svg.matches("stroke-dasharray=\"6 3\"").count(), 3);
        // The single point: its ring and the legend's.
        assert_eq!(svg.matches("stroke-width=\"2.5\"").count(), 2);
        assert!(svg.contains("<title>Ningbo Xinneng Special Steel Co. · Hangzhou"));
        assert!(!svg.contains(">e1<") && !svg.contains("font-size=\"10\""));
    }
}
