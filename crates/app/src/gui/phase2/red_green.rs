//! "Waar sta jij?": the participant's place on the continuum from 100% red (narrowing) to 100%
//! green (keep learning). The slider paints the red–green scale; the placement is stored as soon
//! as the user lets go (or steps with the keyboard), never while dragging.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, RichText, Shape, Stroke, Vec2};

use crate::gui::command::Edit;
use crate::gui::i18n::I18n;
use crate::gui::phases::PhaseCtx;
use crate::gui::widgets::{self, DraftText};

/// The red end of the scale.
pub const RED: Color32 = Color32::from_rgb(0xc6, 0x45, 0x3a);
/// The middle of the scale.
const AMBER: Color32 = Color32::from_rgb(0xe0, 0xb2, 0x4c);
/// The green end of the scale.
pub const GREEN: Color32 = Color32::from_rgb(0x3f, 0x94, 0x5c);

/// How long a sent placement is shown before the document is trusted again.
const SENT_HOLD_SECS: f64 = 3.0;

/// Slider state and the note field.
#[derive(Debug, Default)]
pub struct RedGreen {
    /// The value while the handle is held.
    dragging: Option<f64>,
    /// A value sent to the document and when (shown until the document has it).
    sent: Option<(u8, f64)>,
    note: DraftText,
}

/// The colour of a place on the scale (0 red … 100 green).
pub fn scale_colour(value: f64) -> Color32 {
    let t = (value / 100.0).clamp(0.0, 1.0) as f32;
    if t < 0.5 {
        lerp(RED, AMBER, t * 2.0)
    } else {
        lerp(AMBER, GREEN, (t - 0.5) * 2.0)
    }
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

/// "40% rood · 60% groen".
pub fn readout(tr: &I18n, value: u8) -> String {
    format!(
        "{} · {}",
        tr.f(
            "phase2.red_green.red_part",
            &[("n", &(100 - value.min(100)))]
        ),
        tr.f("phase2.red_green.green_part", &[("n", &value.min(100))])
    )
}

impl RedGreen {
    /// Draws the placement card.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, me: &str) {
        let tr = cx.tr;
        let view = cx.view;
        let placed = view.placements.iter().find(|p| p.participant == me);
        if let Some((v, at)) = self.sent
            && (placed.map(|p| p.value) == Some(v) || cx.now - at > SENT_HOLD_SECS)
        {
            self.sent = None;
        }
        self.note
            .sync(placed.map(|p| p.note.as_str()).unwrap_or(""));
        let shown: Option<f64> = self
            .dragging
            .or(self.sent.map(|(v, _)| f64::from(v)))
            .or(placed.map(|p| f64::from(p.value)));
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase2.red_green.title"));
            widgets::note(ui, tr.t("phase2.red_green.intro"));
            ui.add_space(10.0);
            let label = ui.label(RichText::new(tr.t("phase2.red_green.slider")).strong());
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let (red, green) = text_colours(ui.visuals().dark_mode);
                ui.label(
                    RichText::new(tr.t("phase2.red_green.red_end"))
                        .color(red)
                        .strong(),
                );
                let ends = 2.0 * 96.0;
                let width = (ui.available_width() - ends).max(160.0);
                let mut value = shown.unwrap_or(50.0);
                let under = ui.painter().add(Shape::Noop);
                let r = ui
                    .scope(|ui| {
                        let s = ui.spacing_mut();
                        s.slider_width = width;
                        s.slider_rail_height = 0.0;
                        s.interact_size.y = 34.0;
                        let dark = ui.visuals().dark_mode;
                        let handle_stroke = Stroke::new(
                            2.0,
                            if dark {
                                Color32::WHITE
                            } else {
                                Color32::from_gray(40)
                            },
                        );
                        let visuals = ui.visuals_mut();
                        for w in [
                            &mut visuals.widgets.inactive,
                            &mut visuals.widgets.hovered,
                            &mut visuals.widgets.active,
                        ] {
                            w.bg_fill = if dark {
                                Color32::from_gray(30)
                            } else {
                                Color32::WHITE
                            };
                            w.fg_stroke = handle_stroke;
                        }
                        ui.add(
                            egui::Slider::new(&mut value, 0.0..=100.0)
                                .show_value(false)
                                .step_by(1.0)
                                .trailing_fill(false)
                                .handle_shape(egui::style::HandleShape::Rect {
                                    aspect_ratio: 0.45,
                                }),
                        )
                    })
                    .inner
                    .labelled_by(label.id);
                ui.painter()
                    .set(under, scale_shape(r.rect, shown.is_some()));
                ui.label(
                    RichText::new(tr.t("phase2.red_green.green_end"))
                        .color(green)
                        .strong(),
                );
                let v = value.round().clamp(0.0, 100.0);
                if r.dragged() && !r.drag_stopped() {
                    self.dragging = Some(v);
                } else if r.drag_stopped() || r.changed() {
                    self.dragging = None;
                    let v = v as u8;
                    if placed.map(|p| p.value) != Some(v) || shown.is_none() {
                        self.sent = Some((v, cx.now));
                        cx.edit(Edit::SetPlacement {
                            value: v,
                            note: placed.map(|p| p.note.clone()).unwrap_or_default(),
                        });
                    }
                }
            });
            ui.add_space(6.0);
            match shown {
                Some(v) => {
                    let v = v.round().clamp(0.0, 100.0) as u8;
                    you_label(ui, tr, v);
                }
                None => {
                    widgets::note(ui, tr.t("phase2.red_green.not_placed"));
                }
            }
            if let Some(p) = placed {
                ui.add_space(8.0);
                let l = ui.label(tr.t("phase2.red_green.note"));
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.note.text)
                            .hint_text(tr.t("phase2.red_green.note_hint"))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                if let Some(note) = self.note.after_edit(&r, cx.now) {
                    cx.edit(Edit::SetPlacement {
                        value: p.value,
                        note,
                    });
                }
            }
            let others: Vec<String> = view
                .placements
                .iter()
                .filter(|p| p.participant != me)
                .map(|p| {
                    format!(
                        "{} ({})",
                        view.name_of(&p.participant),
                        readout(tr, p.value)
                    )
                })
                .collect();
            if !others.is_empty() {
                ui.add_space(8.0);
                widgets::note(
                    ui,
                    tr.f("phase2.red_green.team", &[("list", &others.join(" · "))]),
                );
            }
        });
    }

    /// Hands over an unsaved note.
    pub fn flush(&mut self, trajectory: &str, cx: &mut PhaseCtx<'_>) {
        let Some(me) = cx.me else { return };
        let Some(p) = cx.view.placements.iter().find(|p| p.participant == me) else {
            return;
        };
        if let Some(note) = self.note.take_pending() {
            cx.commands.push(crate::gui::command::Command::Edit {
                trajectory: trajectory.to_owned(),
                edit: Edit::SetPlacement {
                    value: p.value,
                    note,
                },
            });
        }
    }
}

/// Red and green for text, readable on the light and the dark theme.
fn text_colours(dark: bool) -> (Color32, Color32) {
    if dark {
        (
            Color32::from_rgb(0xe8, 0x7a, 0x6e),
            Color32::from_rgb(0x7c, 0xc8, 0x92),
        )
    } else {
        (RED, GREEN)
    }
}

/// "Jij: 42% rood · 58% groen", with the red part in red and the green part in green (one
/// label, so it reads as one sentence).
fn you_label(ui: &mut egui::Ui, tr: &I18n, value: u8) {
    use egui::text::{LayoutJob, TextFormat};
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat::simple(font.clone(), ui.visuals().strong_text_color());
    let coloured = |c: Color32| TextFormat::simple(font.clone(), c);
    let (red, green) = text_colours(ui.visuals().dark_mode);
    let red_part = tr.f(
        "phase2.red_green.red_part",
        &[("n", &(100 - value.min(100)))],
    );
    let green_part = tr.f("phase2.red_green.green_part", &[("n", &value.min(100))]);
    let text = tr.f(
        "phase2.red_green.you",
        &[("where", &format!("{red_part} · {green_part}"))],
    );
    let mut job = LayoutJob::default();
    // Colour the two parts where they occur in the translated sentence.
    let mut rest = text.as_str();
    for (part, colour) in [(&red_part, red), (&green_part, green)] {
        if let Some(at) = rest.find(part.as_str()) {
            job.append(&rest[..at], 0.0, plain.clone());
            job.append(part, 0.0, coloured(colour));
            rest = &rest[at + part.len()..];
        }
    }
    job.append(rest, 0.0, plain);
    ui.label(job);
}

/// The red–amber–green scale behind the slider (faded until the user has placed themselves).
fn scale_shape(rect: Rect, placed: bool) -> Shape {
    let bar = Rect::from_center_size(rect.center(), Vec2::new(rect.width(), 16.0));
    let alpha = if placed { 255 } else { 150 };
    let mut mesh = Mesh::default();
    let steps = 24;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        let x = bar.left() + bar.width() * t;
        let c = scale_colour(f64::from(t) * 100.0);
        let c = Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha);
        mesh.colored_vertex(Pos2::new(x, bar.top()), c);
        mesh.colored_vertex(Pos2::new(x, bar.bottom()), c);
        if i > 0 {
            let base = (i as u32 - 1) * 2;
            mesh.add_triangle(base, base + 1, base + 2);
            mesh.add_triangle(base + 1, base + 2, base + 3);
        }
    }
    Shape::mesh(mesh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::Lang;

    #[test]
    fn scale_runs_from_red_to_green() {
        assert_eq!(scale_colour(0.0), RED);
        assert_eq!(scale_colour(100.0), GREEN);
        assert_eq!(scale_colour(50.0), AMBER);
        let tr = I18n::new(Lang::Nl);
        assert_eq!(readout(&tr, 35), "65% rood · 35% groen");
    }
}
