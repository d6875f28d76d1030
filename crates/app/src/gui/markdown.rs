//! The information letter as it will read: the one Markdown reader
//! ([`leerrijk_report::md_blocks`], pulldown-cmark) also used by the HTML report and the Word
//! export, drawn with egui (headings, paragraphs, lists, quotes, bold and italic).

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Ui};
use leerrijk_report::{MdBlock, MdSpan, md_blocks};

/// Lays out spans with their emphasis.
fn inline(ui: &Ui, spans: &[MdSpan], size: f32, strong: bool) -> LayoutJob {
    let normal = if strong {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let bold = ui.visuals().strong_text_color();
    let font = FontId::proportional(size);
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    for s in spans {
        if s.text.is_empty() {
            continue;
        }
        job.append(
            &s.text,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: if s.bold { bold } else { normal },
                italics: s.italic,
                ..Default::default()
            },
        );
    }
    job
}

/// Shows Markdown text as formatted, selectable text.
pub fn show(ui: &mut Ui, text: &str) {
    let body = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(16.0, |f| f.size);
    for block in md_blocks(text) {
        match &block {
            MdBlock::Heading(level, spans) => {
                let size = match level {
                    1 => body + 8.0,
                    2 => body + 3.0,
                    _ => body + 1.0,
                };
                ui.add_space(if *level == 1 { 2.0 } else { 8.0 });
                let job = inline(ui, spans, size, true);
                ui.add(egui::Label::new(job).wrap().selectable(true));
            }
            MdBlock::Paragraph { spans, quote } => {
                ui.horizontal_top(|ui| {
                    ui.add_space(18.0 * *quote as f32);
                    let job = inline(ui, spans, body, false);
                    ui.add(egui::Label::new(job).wrap().selectable(true));
                });
            }
            MdBlock::Item {
                marker,
                depth,
                spans,
            } => {
                ui.horizontal_top(|ui| {
                    ui.add_space(18.0 * depth.saturating_sub(1) as f32);
                    ui.add_sized([22.0, body + 4.0], egui::Label::new(marker.as_str()));
                    let job = inline(ui, spans, body, false);
                    ui.add(egui::Label::new(job).wrap().selectable(true));
                });
            }
            MdBlock::Rule => {
                ui.separator();
            }
        }
    }
}
