//! "Logboek bijhouden": work situations sorted into the 2×2 grid (goes easily or not (yet) ×
//! fun or not fun) with hours, and the totals drawn as that grid. The totals come from
//! [`leerrijk_model::analysis::logbook_totals`] (cached with the read view).

use egui::{Color32, RichText};
use leerrijk_model::Quadrant;
use leerrijk_model::analysis::QuadrantHours;

use crate::gui::command::Edit;
use crate::gui::i18n::{I18n, Lang};
use crate::gui::phases::PhaseCtx;
use crate::gui::widgets;

/// The entry form and what the grid shows.
#[derive(Debug)]
pub struct Logbook {
    quadrant: Quadrant,
    hours: String,
    text: String,
    error: Option<String>,
    team: bool,
}

impl Default for Logbook {
    fn default() -> Self {
        Logbook {
            quadrant: Quadrant::EasyFun,
            hours: String::new(),
            text: String::new(),
            error: None,
            team: false,
        }
    }
}

/// The name of a box of the grid.
pub fn quadrant_name(tr: &I18n, q: Quadrant) -> String {
    tr.t(match q {
        Quadrant::EasyFun => "phase2.logbook.q.easy_fun",
        Quadrant::EasyNotFun => "phase2.logbook.q.easy_not_fun",
        Quadrant::HardFun => "phase2.logbook.q.hard_fun",
        Quadrant::HardNotFun => "phase2.logbook.q.hard_not_fun",
    })
}

/// Hours as people write them: "3", "1,5" (Dutch) or "1.5" (English).
pub fn format_hours(lang: Lang, hours: f64) -> String {
    let s = if (hours - hours.round()).abs() < 0.05 {
        format!("{:.0}", hours.round())
    } else {
        format!("{hours:.1}")
    };
    match lang {
        Lang::Nl => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Reads hours typed with a comma or a point; more than 0 and at most a week.
pub fn parse_hours(s: &str) -> Option<f64> {
    let h: f64 = s.trim().replace(',', ".").parse().ok()?;
    (h.is_finite() && h > 0.0 && h <= 168.0).then_some(h)
}

/// A calm tint per box: green for easy and fun, amber for the mixed ones, red for neither.
fn tint(q: Quadrant, dark: bool) -> Color32 {
    let (r, g, b) = match q {
        Quadrant::EasyFun => (0x3f, 0x94, 0x5c),
        Quadrant::HardFun => (0x3f, 0x7f, 0x9a),
        Quadrant::EasyNotFun => (0xd0, 0x9a, 0x3a),
        Quadrant::HardNotFun => (0xc6, 0x45, 0x3a),
    };
    Color32::from_rgba_unmultiplied(r, g, b, if dark { 46 } else { 30 })
}

/// A fixed-width column inside a horizontal row.
fn column(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.vertical(|ui| {
        ui.set_width(width);
        add(ui);
    });
}

impl Logbook {
    /// Draws the entry form and the grid.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, me: &str) {
        let tr = cx.tr;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase2.logbook.title"));
            widgets::note(ui, tr.t("phase2.logbook.intro"));
            ui.add_space(8.0);
            self.form(ui, cx);
        });
        ui.add_space(12.0);
        widgets::card(ui, |ui| {
            self.grid(ui, cx, me);
        });
    }

    fn form(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let mut submit = false;
        egui::Grid::new("logbook-form")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                ui.label(tr.t("phase2.logbook.quadrant"));
                let name = tr.t("phase2.logbook.quadrant");
                let r = egui::ComboBox::from_id_salt("logbook-quadrant")
                    .selected_text(quadrant_name(tr, self.quadrant))
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for q in Quadrant::ALL {
                            ui.selectable_value(&mut self.quadrant, *q, quadrant_name(tr, *q));
                        }
                    })
                    .response;
                let _ = r.accessible_name(&name);
                ui.end_row();

                let l = ui.label(tr.t("phase2.logbook.hours"));
                ui.horizontal(|ui| {
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.hours)
                                .hint_text(tr.t("phase2.logbook.hours_hint"))
                                .desired_width(90.0),
                        )
                        .labelled_by(l.id);
                    submit |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.label(RichText::new(tr.t("phase2.logbook.hours_unit")).weak());
                });
                ui.end_row();

                let l = ui.label(tr.t("phase2.logbook.what"));
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.text)
                            .hint_text(tr.t("phase2.logbook.what_hint"))
                            .desired_width(440.0),
                    )
                    .labelled_by(l.id);
                submit |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();
            });
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr.t("phase2.logbook.add")).clicked() {
                submit = true;
            }
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
        });
        if submit {
            match (parse_hours(&self.hours), self.text.trim()) {
                (None, _) => self.error = Some(tr.t("phase2.logbook.hours_invalid")),
                (Some(_), "") => self.error = Some(tr.t("phase2.logbook.what_empty")),
                (Some(hours), text) => {
                    cx.edit(Edit::AddLogbookEntry {
                        quadrant: self.quadrant,
                        hours,
                        text: text.to_owned(),
                    });
                    self.error = None;
                    self.hours.clear();
                    self.text.clear();
                }
            }
        }
    }

    fn grid(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, me: &str) {
        let tr = cx.tr;
        let lang = tr.lang();
        // `analysis::logbook_totals`, computed once per read view (see `Derived`).
        let totals = cx.derived.logbook();
        let mine = totals.per_person.get(me).cloned().unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            widgets::section_title(ui, tr.t("phase2.logbook.grid_title"));
            ui.add_space(12.0);
            if ui
                .selectable_label(!self.team, tr.t("phase2.logbook.show_mine"))
                .clicked()
            {
                self.team = false;
            }
            if ui
                .selectable_label(self.team, tr.t("phase2.logbook.show_team"))
                .clicked()
            {
                self.team = true;
            }
        });
        let shown: &QuadrantHours = if self.team { &totals.team } else { &mine };
        ui.add_space(6.0);
        let dark = ui.visuals().dark_mode;
        let mut delete = None;
        let avail = ui.available_width();
        // Row names beside the grid when there is room, above each row when narrow.
        let side_labels = avail >= 640.0;
        let label_w = if side_labels { 150.0 } else { 0.0 };
        let cell_w = ((avail - label_w) / 2.0 - 40.0).max(120.0);
        ui.spacing_mut().item_spacing = egui::vec2(10.0, 10.0);
        ui.horizontal_top(|ui| {
            if side_labels {
                column(ui, label_w, |_| {});
            }
            for head in ["phase2.logbook.fun", "phase2.logbook.not_fun"] {
                column(ui, cell_w + 24.0, |ui| {
                    ui.vertical_centered(|ui| ui.label(RichText::new(tr.t(head)).strong()));
                });
            }
        });
        for (row, qs) in [
            (
                "phase2.logbook.easy",
                [Quadrant::EasyFun, Quadrant::EasyNotFun],
            ),
            (
                "phase2.logbook.not_easy",
                [Quadrant::HardFun, Quadrant::HardNotFun],
            ),
        ] {
            if !side_labels {
                ui.label(RichText::new(tr.t(row)).strong());
            }
            ui.horizontal_top(|ui| {
                if side_labels {
                    column(ui, label_w, |ui| {
                        ui.add_space(12.0);
                        ui.label(RichText::new(tr.t(row)).strong());
                    });
                }
                for q in qs {
                    egui::Frame::new()
                        .fill(tint(q, dark))
                        .corner_radius(8)
                        .inner_margin(egui::Margin::same(12))
                        .show(ui, |ui| {
                            ui.set_width(cell_w);
                            ui.set_min_height(96.0);
                            // The row lays out horizontally; a cell reads top to bottom.
                            ui.vertical(|ui| {
                                ui.label(
                                    RichText::new(tr.f(
                                        "phase2.logbook.cell",
                                        &[
                                            ("hours", &format_hours(lang, shown.get(q))),
                                            ("percent", &format!("{:.0}", shown.percent(q))),
                                        ],
                                    ))
                                    .size(20.0)
                                    .strong(),
                                );
                                let (bar, _) = ui.allocate_exact_size(
                                    egui::vec2(cell_w, 6.0),
                                    egui::Sense::hover(),
                                );
                                ui.painter()
                                    .rect_filled(bar, 3.0, ui.visuals().extreme_bg_color);
                                let mut filled = bar;
                                filled.set_width(bar.width() * (shown.percent(q) / 100.0) as f32);
                                ui.painter()
                                    .rect_filled(filled, 3.0, tint(q, dark).to_opaque());
                                if !self.team {
                                    for e in cx
                                        .view
                                        .logbook
                                        .iter()
                                        .filter(|e| e.author == me && e.quadrant == q)
                                    {
                                        ui.horizontal_top(|ui| {
                                            let text_w = (ui.available_width() - 48.0).max(60.0);
                                            let line = format!(
                                                "{} · {}",
                                                e.text,
                                                tr.f(
                                                    "phase2.logbook.hours_short",
                                                    &[("hours", &format_hours(lang, e.hours))]
                                                )
                                            );
                                            column(ui, text_w, |ui| {
                                                ui.add(egui::Label::new(line).wrap());
                                            });
                                            if ui
                                                .small_button("×")
                                                .on_hover_text(tr.t("phase2.logbook.delete"))
                                                .clicked()
                                            {
                                                delete = Some(e.id.clone());
                                            }
                                        });
                                    }
                                }
                            });
                        });
                }
            });
        }
        if let Some(entry) = delete {
            cx.edit(Edit::DeleteLogbookEntry { entry });
        }
        ui.add_space(8.0);
        let total = shown.total();
        if total > 0.0 {
            let most = shown
                .largest()
                .map(|q| quadrant_name(tr, q))
                .unwrap_or_default();
            let least = Quadrant::ALL
                .iter()
                .copied()
                .min_by(|a, b| shown.get(*a).total_cmp(&shown.get(*b)))
                .map(|q| quadrant_name(tr, q))
                .unwrap_or_default();
            ui.label(tr.f(
                "phase2.logbook.summary",
                &[
                    ("total", &format_hours(lang, total)),
                    ("most", &most),
                    ("least", &least),
                ],
            ));
        } else {
            widgets::note(ui, tr.t("phase2.logbook.empty"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_and_written_the_dutch_way() {
        assert_eq!(parse_hours("1,5"), Some(1.5));
        assert_eq!(parse_hours(" 2.25 "), Some(2.25));
        assert_eq!(parse_hours("0"), None);
        assert_eq!(parse_hours("200"), None);
        assert_eq!(parse_hours("twee"), None);
        assert_eq!(format_hours(Lang::Nl, 3.5), "3,5");
        assert_eq!(format_hours(Lang::En, 3.5), "3.5");
        assert_eq!(format_hours(Lang::Nl, 4.0), "4");
    }
}
