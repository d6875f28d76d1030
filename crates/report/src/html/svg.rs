//! Charts as inline SVG: the red–green continuum and the logbook quadrants.

use std::fmt::Write as _;

use leerrijk_model::Quadrant;
use leerrijk_model::analysis::QuadrantHours;

use crate::format::esc;
use crate::prepared::Prepared;

const RG_LEFT: f64 = 60.0;
const RG_WIDTH: f64 = 560.0;
const LABEL_CHAR_W: f64 = 6.6;
const LANE_H: f64 = 16.0;

/// Assigns each label a lane so labels in one lane do not overlap. `spans` are (centre, width)
/// in display order (sorted by centre); returns the lane of each.
fn lanes(spans: &[(f64, f64)]) -> Vec<usize> {
    let mut lane_end: Vec<f64> = Vec::new();
    spans
        .iter()
        .map(|(c, w)| {
            let start = c - w / 2.0;
            match lane_end.iter().position(|end| *end + 4.0 <= start) {
                Some(l) => {
                    lane_end[l] = c + w / 2.0;
                    l
                }
                None => {
                    lane_end.push(c + w / 2.0);
                    lane_end.len() - 1
                }
            }
        })
        .collect()
}

/// The red–green continuum with everyone's position (names left out when anonymous).
pub(super) fn red_green(r: &Prepared) -> String {
    let positions = &r.red_green.positions;
    let spans: Vec<(f64, f64)> = positions
        .iter()
        .map(|(id, _, value)| {
            let x = RG_LEFT + f64::from(*value) / 100.0 * RG_WIDTH;
            let w = match r.person(id) {
                Some(name) => name.chars().count() as f64 * LABEL_CHAR_W + 4.0,
                None => 12.0,
            };
            (x, w)
        })
        .collect();
    let lane_of = lanes(&spans);
    let n_lanes = lane_of.iter().copied().max().map_or(1, |m| m + 1);
    let top = 14.0 + n_lanes as f64 * LANE_H;
    let bar_y = top + 8.0;
    let height = bar_y + 70.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg class="chart red-green" viewBox="0 0 680 {height}" width="680" height="{height}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">
<defs><linearGradient id="rg-gradient" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#c62828"/><stop offset="0.5" stop-color="#e8d9a8"/><stop offset="1" stop-color="#2e7d32"/></linearGradient></defs>
<rect x="{RG_LEFT}" y="{bar_y}" width="{RG_WIDTH}" height="18" rx="9" fill="url(#rg-gradient)"/>"##,
        label = esc(r.t("rg.title")),
    );
    for tick in [0u8, 25, 50, 75, 100] {
        let x = RG_LEFT + f64::from(tick) / 100.0 * RG_WIDTH;
        let _ = writeln!(
            s,
            r##"<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="#555" stroke-width="1"/><text x="{x}" y="{ty}" font-size="10" text-anchor="middle" fill="#444">{tick}</text>"##,
            y1 = bar_y + 18.0,
            y2 = bar_y + 23.0,
            ty = bar_y + 34.0,
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{RG_LEFT}" y="{y}" font-size="11" font-weight="bold" fill="#c62828">{red}</text><text x="{right}" y="{y}" font-size="11" font-weight="bold" text-anchor="end" fill="#2e7d32">{green}</text>"##,
        y = bar_y + 50.0,
        right = RG_LEFT + RG_WIDTH,
        red = esc(r.t("rg.red_end")),
        green = esc(r.t("rg.green_end")),
    );
    for (((id, _, value), (x, _)), lane) in positions.iter().zip(&spans).zip(&lane_of) {
        let label_y = top - *lane as f64 * LANE_H;
        let _ = writeln!(
            s,
            r##"<line x1="{x}" x2="{x}" y1="{ly}" y2="{bar_y}" stroke="#777" stroke-width="0.8" stroke-dasharray="2 2"/><circle cx="{x}" cy="{cy}" r="6" fill="#fff" stroke="#222" stroke-width="2"><title>{value}</title></circle>"##,
            ly = label_y + 3.0,
            cy = bar_y + 9.0,
        );
        if let Some(name) = r.person(id) {
            let _ = writeln!(
                s,
                r##"<text x="{x}" y="{label_y}" font-size="11" text-anchor="middle" fill="#222">{}</text>"##,
                esc(&name)
            );
        }
    }
    if let Some(mean) = r.red_green.mean {
        let x = RG_LEFT + mean / 100.0 * RG_WIDTH;
        let y = bar_y + 40.0;
        let _ = writeln!(
            s,
            r##"<path d="M{x} {y} l-6 10 h12 z" fill="#1565c0"/><text x="{x}" y="{ty}" font-size="10" text-anchor="middle" fill="#1565c0">{label}</text>"##,
            ty = y + 22.0,
            label = esc(&r.s.f("rg.mean_marker", &[("value", &r.s.num(mean, 0))])),
        );
    }
    s.push_str("</svg>");
    s
}

fn quadrant_fill(q: Quadrant) -> &'static str {
    match q {
        Quadrant::EasyFun => "#2e7d32",
        Quadrant::HardFun => "#1565c0",
        Quadrant::EasyNotFun => "#ef6c00",
        Quadrant::HardNotFun => "#c62828",
    }
}

/// The logbook's 2×2 grid with hours and shares. `big` draws the team chart with axis labels;
/// otherwise a small chart for one person.
pub(super) fn quadrants(r: &Prepared, h: &QuadrantHours, title: &str, big: bool) -> String {
    let (cell_w, cell_h, left, top) = if big {
        (190.0, 90.0, 180.0, 44.0)
    } else {
        (92.0, 54.0, 8.0, 26.0)
    };
    let width = left + 2.0 * cell_w + 8.0;
    let height = top + 2.0 * cell_h + 8.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg class="chart quadrants{small}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">
<text x="{tx}" y="{ty}" font-size="{fs}" font-weight="bold" text-anchor="middle" fill="#222">{label}</text>"##,
        small = if big { "" } else { " small" },
        tx = left + cell_w,
        ty = 14.0,
        fs = if big { 13 } else { 11 },
        label = esc(title),
    );
    if big {
        // As the app draws it: fun or not in the columns, easy or not in the rows.
        for (col, key) in ["quadrant.axis.fun", "quadrant.axis.not_fun"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                s,
                r##"<text x="{x}" y="{y}" font-size="11" text-anchor="middle" fill="#444">{}</text>"##,
                esc(r.t(key)),
                x = left + cell_w * (col as f64 + 0.5),
                y = top - 8.0,
            );
        }
        for (row, key) in ["quadrant.axis.easy", "quadrant.axis.hard"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                s,
                r##"<text x="{x}" y="{y}" font-size="11" text-anchor="end" fill="#444">{}</text>"##,
                esc(r.t(key)),
                x = left - 8.0,
                y = top + cell_h * (row as f64 + 0.5) + 4.0,
            );
        }
    }
    let layout = [
        (Quadrant::EasyFun, 0.0, 0.0),
        (Quadrant::EasyNotFun, 1.0, 0.0),
        (Quadrant::HardFun, 0.0, 1.0),
        (Quadrant::HardNotFun, 1.0, 1.0),
    ];
    let largest = h.largest();
    for (q, col, row) in layout {
        let pct = h.percent(q);
        let x = left + col * cell_w;
        let y = top + row * cell_h;
        let opacity = 0.08 + 0.72 * pct / 100.0;
        let text_fill = if opacity > 0.45 { "#fff" } else { "#222" };
        let stroke_w = if largest == Some(q) { 3 } else { 1 };
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" fill-opacity="{opacity:.2}" stroke="#333" stroke-width="{stroke_w}"><title>{qname}</title></rect>
<text x="{cx}" y="{cy1}" font-size="{fs1}" font-weight="bold" text-anchor="middle" fill="{text_fill}">{pct}%</text><text x="{cx}" y="{cy2}" font-size="{fs2}" text-anchor="middle" fill="{text_fill}">{hours}</text>"##,
            fill = quadrant_fill(q),
            qname = esc(r.quadrant(q)),
            cx = x + cell_w / 2.0,
            cy1 = y + cell_h / 2.0 - if big { 2.0 } else { 1.0 },
            cy2 = y + cell_h / 2.0 + if big { 16.0 } else { 12.0 },
            fs1 = if big { 20 } else { 13 },
            fs2 = if big { 12 } else { 10 },
            pct = r.s.num(pct, 0),
            hours = esc(&r.s.f("unit.hours", &[("n", &r.s.num(h.get(q), 1))])),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::lanes;

    #[test]
    fn overlapping_labels_get_separate_lanes() {
        assert_eq!(
            lanes(&[(10.0, 20.0), (15.0, 20.0), (60.0, 20.0)]),
            [0, 1, 0]
        );
    }
}
