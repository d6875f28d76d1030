//! Shared pieces of the meeting screens (phases 3–5 and the beamer): colours of post-its and
//! polarities, the text scale (the beamer draws the same screens with larger type), the
//! sticky-note widget and drag payloads.

use egui::accesskit::Role as A11y;
use egui::text::LayoutJob;
use egui::{
    Color32, CornerRadius, FontId, Frame, Margin, Rect, Response, RichText, Sense, Stroke,
    StrokeKind, TextStyle, Ui, Vec2, WidgetInfo,
};
use leerrijk_model::Polarity;

/// The body text size of the normal style; screens scale their own sizes by
/// [`scale`] so the beamer's larger style enlarges everything.
const BASE_BODY: f32 = 16.0;

/// How much larger than normal the current style draws text (1.0 normally, ~1.6 on the beamer).
pub fn scale(ui: &Ui) -> f32 {
    let body = ui
        .style()
        .text_styles
        .get(&TextStyle::Body)
        .map_or(BASE_BODY, |f| f.size);
    (body / BASE_BODY).max(0.5)
}

/// Text of a size relative to the body text (1.0 = body).
pub fn sized(ui: &Ui, text: impl Into<String>, factor: f32) -> RichText {
    RichText::new(text).size(BASE_BODY * factor * scale(ui))
}

/// The fill of a post-it of the named colour.
pub fn note_fill(colour: &str, dark: bool) -> Color32 {
    let (r, g, b) = match colour {
        "pink" => (0xf9, 0xc6, 0xd3),
        "green" => (0xc8, 0xe8, 0xc0),
        "blue" => (0xc4, 0xdd, 0xf4),
        "orange" => (0xfb, 0xd3, 0xa6),
        _ => (0xfb, 0xee, 0x9a),
    };
    if dark {
        // Slightly muted, still light enough for dark text.
        Color32::from_rgb(r - 0x18, g - 0x18, b - 0x18)
    } else {
        Color32::from_rgb(r, g, b)
    }
}

/// Text on a post-it: always dark (post-its are light in both themes).
pub const NOTE_TEXT: Color32 = Color32::from_rgb(0x26, 0x24, 0x1f);

/// The colour that marks a polarity (green for bevorderend, red for belemmerend).
pub fn polarity_colour(p: Polarity, dark: bool) -> Color32 {
    match (p, dark) {
        (Polarity::Positive, false) => Color32::from_rgb(0x2f, 0x7d, 0x4a),
        (Polarity::Positive, true) => Color32::from_rgb(0x7c, 0xc7, 0x93),
        (Polarity::Negative, false) => Color32::from_rgb(0xb0, 0x3a, 0x2e),
        (Polarity::Negative, true) => Color32::from_rgb(0xef, 0x8a, 0x7c),
    }
}

/// A soft tint behind a polarity's column.
pub fn polarity_tint(p: Polarity, dark: bool) -> Color32 {
    match (p, dark) {
        (Polarity::Positive, false) => Color32::from_rgb(0xee, 0xf6, 0xef),
        (Polarity::Positive, true) => Color32::from_rgb(0x25, 0x33, 0x2a),
        (Polarity::Negative, false) => Color32::from_rgb(0xfa, 0xee, 0xec),
        (Polarity::Negative, true) => Color32::from_rgb(0x38, 0x28, 0x27),
    }
}

/// The size of one post-it at the current text scale.
pub fn note_size(ui: &Ui) -> Vec2 {
    Vec2::new(188.0, 78.0) * scale(ui)
}

/// What is dragged when a post-it is picked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DragNote {
    /// Post-it id.
    pub postit: String,
}

/// What is dragged when a theme strip is picked up (phase 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DragStrip {
    /// Theme id.
    pub theme: String,
}

/// How to draw a post-it.
pub struct NoteLook<'a> {
    /// The text (or the face-down label).
    pub text: &'a str,
    /// The small line under the text (author, "anoniem").
    pub byline: Option<&'a str>,
    /// Colour name.
    pub colour: &'a str,
    /// Face down (silent writing).
    pub covered: bool,
    /// Accessible name.
    pub label: &'a str,
}

/// Draws a post-it of fixed size with a stable `id` (so a drag survives re-layout) and the
/// given sense; the response carries the accessible name and the full text as tooltip.
pub fn sticky_note(ui: &mut Ui, id: egui::Id, sense: Sense, look: &NoteLook<'_>) -> Response {
    let size = note_size(ui);
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let response = ui.interact(rect, id, sense);
    let label = look.label.to_owned();
    response.widget_info(|| WidgetInfo::labeled(A11y::Button, true, &label));
    if ui.is_rect_visible(rect) {
        let lifted = response.hovered() && !response.dragged();
        let dimmed = response.dragged();
        paint_note(ui, ui.painter(), rect, look, lifted, dimmed);
    }
    if response.dragged()
        && let Some(pos) = ui.ctx().pointer_interact_pos()
    {
        // The note follows the pointer on top of everything while it is dragged.
        let layer = egui::LayerId::new(egui::Order::Tooltip, id.with("dragged"));
        let painter = ui.ctx().layer_painter(layer);
        paint_note(
            ui,
            &painter,
            Rect::from_center_size(pos, size),
            look,
            true,
            false,
        );
    }
    response.on_hover_text(look.text)
}

fn paint_note(
    ui: &Ui,
    painter: &egui::Painter,
    rect: Rect,
    look: &NoteLook<'_>,
    lifted: bool,
    dimmed: bool,
) {
    let dark = ui.visuals().dark_mode;
    let s = scale(ui);
    let lift = if lifted { 1.5 } else { 0.0 };
    let body = rect.translate(Vec2::new(0.0, -lift));
    painter.rect_filled(
        body.translate(Vec2::new(1.5, 2.0 + lift)),
        CornerRadius::same(3),
        Color32::from_black_alpha(if dark { 90 } else { 30 }),
    );
    let mut fill = if look.covered {
        if dark {
            Color32::from_rgb(0x55, 0x52, 0x4a)
        } else {
            Color32::from_rgb(0xd9, 0xd4, 0xc4)
        }
    } else {
        note_fill(look.colour, dark)
    };
    if dimmed {
        fill = fill.gamma_multiply(0.45);
    }
    painter.rect_filled(body, CornerRadius::same(3), fill);
    let pad = 8.0 * s;
    let inner = body.shrink(pad);
    let text_colour = if look.covered && dark {
        Color32::from_rgb(0xe8, 0xe4, 0xda)
    } else {
        NOTE_TEXT
    };
    let by_h = if look.byline.is_some() { 15.0 * s } else { 0.0 };
    let mut job = LayoutJob::simple(
        look.text.to_owned(),
        FontId::proportional(14.5 * s),
        text_colour,
        inner.width(),
    );
    job.wrap.max_rows = (((inner.height() - by_h) / (17.0 * s)).floor() as usize).max(1);
    job.wrap.overflow_character = Some('…');
    let galley = painter.layout_job(job);
    painter.galley(inner.min, galley, text_colour);
    if let Some(by) = look.byline {
        let by_rect = Rect::from_min_max(egui::pos2(inner.min.x, inner.max.y - by_h), inner.max);
        let mut job = LayoutJob::simple_singleline(
            by.to_owned(),
            FontId::proportional(11.5 * s),
            text_colour.gamma_multiply(0.75),
        );
        job.wrap.max_width = by_rect.width();
        job.wrap.max_rows = 1;
        job.wrap.overflow_character = Some('…');
        let g = painter.layout_job(job);
        painter.galley(by_rect.min, g, text_colour);
    }
}

/// A card with a coloured left edge (for theme cards and strips).
pub fn edged_frame(ui: &Ui, edge: Color32) -> Frame {
    let dark = ui.visuals().dark_mode;
    Frame::new()
        .fill(super::style::card_fill(dark))
        .stroke(Stroke::new(1.0, edge.gamma_multiply(0.6)))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(12, 10))
}

/// A small round count badge.
pub fn badge(ui: &mut Ui, n: usize, colour: Color32, label: &str) -> Response {
    let s = scale(ui);
    let text = n.to_string();
    let galley = ui
        .painter()
        .layout_no_wrap(text, FontId::proportional(13.0 * s), Color32::WHITE);
    let size = Vec2::new((galley.size().x + 14.0 * s).max(24.0 * s), 22.0 * s);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let label = label.to_owned();
    response.widget_info(|| WidgetInfo::labeled(A11y::Label, true, &label));
    ui.painter()
        .rect_filled(rect, CornerRadius::same(11), colour);
    ui.painter()
        .galley(rect.center() - galley.size() / 2.0, galley, Color32::WHITE);
    response
}

/// Paints a line showing where a dragged item would land.
pub fn drop_line(ui: &Ui, rect: Rect, top: bool) {
    let y = if top {
        rect.top() - 3.0
    } else {
        rect.bottom() + 3.0
    };
    let dark = ui.visuals().dark_mode;
    ui.painter().line_segment(
        [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
        Stroke::new(3.0, super::style::accent(dark)),
    );
}

/// Outline around a hovered drop target.
pub fn drop_outline(ui: &Ui, rect: Rect) {
    let dark = ui.visuals().dark_mode;
    ui.painter().rect_stroke(
        rect,
        CornerRadius::same(8),
        Stroke::new(2.5, super::style::accent(dark)),
        StrokeKind::Outside,
    );
}

/// A small button with a painted arrow (up or down): the default font has no arrow glyphs.
/// `label` is its accessible name.
pub fn arrow_button(ui: &mut Ui, up: bool, enabled: bool, label: &str) -> Response {
    let side = ui.spacing().interact_size.y;
    let sense = if enabled {
        Sense::click()
    } else {
        Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(side), sense);
    let label = label.to_owned();
    response.widget_info(|| WidgetInfo::labeled(A11y::Button, enabled, &label));
    if ui.is_rect_visible(rect) {
        let visuals = if enabled {
            *ui.style().interact(&response)
        } else {
            ui.visuals().widgets.noninteractive
        };
        ui.painter().rect(
            rect,
            visuals.corner_radius,
            visuals.weak_bg_fill,
            visuals.bg_stroke,
            StrokeKind::Inside,
        );
        let c = rect.center();
        let h = side * 0.22;
        let points = if up {
            vec![
                egui::pos2(c.x, c.y - h),
                egui::pos2(c.x + h * 1.2, c.y + h * 0.8),
                egui::pos2(c.x - h * 1.2, c.y + h * 0.8),
            ]
        } else {
            vec![
                egui::pos2(c.x - h * 1.2, c.y - h * 0.8),
                egui::pos2(c.x + h * 1.2, c.y - h * 0.8),
                egui::pos2(c.x, c.y + h),
            ]
        };
        let colour = if enabled {
            visuals.fg_stroke.color
        } else {
            ui.visuals().weak_text_color().gamma_multiply(0.5)
        };
        ui.painter()
            .add(egui::Shape::convex_polygon(points, colour, Stroke::NONE));
    }
    response
}
