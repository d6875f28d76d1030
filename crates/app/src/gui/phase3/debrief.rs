//! The debrief views of phase 3, one per practice assignment. Each shows one of the model's
//! analyses ([`Derived`](super::super::derived::Derived)); nothing is computed here.

use egui::{Color32, CornerRadius, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};
use leerrijk_model::analysis::QuadrantHours;
use leerrijk_model::{AssignmentKind, Quadrant};

use super::super::i18n::I18n;
use super::super::meeting_look::{scale, sized};
use super::super::phase2::Thumb;
use super::super::phases::PhaseCtx;
use super::super::widgets;
use super::View3;

/// Shows the debrief view `which`.
pub fn show(ui: &mut Ui, cx: &mut PhaseCtx<'_>, which: View3) {
    widgets::card(ui, |ui| match which {
        View3::RedGreen => red_green(ui, cx),
        View3::Logbook => logbook(ui, cx),
        View3::BrainCrackers => brain_crackers(ui, cx),
        View3::Satisfaction => satisfaction(ui, cx),
        View3::Images => images(ui, cx),
        View3::FlipOver => {}
    });
}

fn title(ui: &mut Ui, tr: &I18n, key: &str, intro: &str) {
    ui.label(sized(ui, tr.t(key), 1.25).strong());
    widgets::note(ui, tr.t(intro));
    ui.add_space(6.0);
}

fn one_decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

const RED: Color32 = Color32::from_rgb(0xc6, 0x3b, 0x2f);
const AMBER: Color32 = Color32::from_rgb(0xe3, 0xa7, 0x2f);
const GREEN: Color32 = Color32::from_rgb(0x3d, 0x93, 0x4f);

fn continuum_colour(t: f32) -> Color32 {
    if t < 0.5 {
        lerp(RED, AMBER, t * 2.0)
    } else {
        lerp(AMBER, GREEN, (t - 0.5) * 2.0)
    }
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let f = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(f(a.r(), b.r()), f(a.g(), b.g()), f(a.b(), b.b()))
}

fn red_green(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let d = cx.derived.red_green();
    title(ui, tr, "phase3.red_green.title", "phase3.red_green.intro");
    if d.positions.is_empty() {
        widgets::note(ui, tr.t("phase3.red_green.empty"));
        return;
    }
    let s = scale(ui);
    let width = ui.available_width();
    let bar_h = 30.0 * s;
    let lane_h = 22.0 * s;
    let lanes = 4;
    let (rect, _) = ui.allocate_exact_size(
        Vec2::new(width, bar_h + lane_h * lanes as f32 + 28.0 * s),
        Sense::hover(),
    );
    let bar = Rect::from_min_size(rect.min + Vec2::new(0.0, 20.0 * s), Vec2::new(width, bar_h));
    let painter = ui.painter();
    let steps = 48;
    for i in 0..steps {
        let t0 = i as f32 / steps as f32;
        let t1 = (i + 1) as f32 / steps as f32;
        let r = Rect::from_min_max(
            Pos2::new(bar.left() + t0 * width, bar.top()),
            Pos2::new(bar.left() + t1 * width + 0.5, bar.bottom()),
        );
        painter.rect_filled(r, 0.0, continuum_colour((t0 + t1) / 2.0));
    }
    let text = ui.visuals().text_color();
    let font = egui::FontId::proportional(13.0 * s);
    painter.text(
        Pos2::new(bar.left(), rect.top()),
        egui::Align2::LEFT_TOP,
        tr.t("phase3.red_green.red_end"),
        font.clone(),
        RED,
    );
    painter.text(
        Pos2::new(bar.right(), rect.top()),
        egui::Align2::RIGHT_TOP,
        tr.t("phase3.red_green.green_end"),
        font.clone(),
        GREEN,
    );
    // Names in lanes under the bar, so close positions do not overlap.
    let mut lane_end = vec![f32::NEG_INFINITY; lanes];
    for (_, name, value) in &d.positions {
        let x = bar.left() + f32::from(*value) / 100.0 * width;
        painter.line_segment(
            [
                Pos2::new(x, bar.top() - 4.0),
                Pos2::new(x, bar.bottom() + 4.0),
            ],
            Stroke::new(3.0 * s, text),
        );
        let galley = painter.layout_no_wrap(name.clone(), font.clone(), text);
        let w = galley.size().x;
        let left = (x - w / 2.0).clamp(bar.left(), bar.right() - w);
        let lane = lane_end
            .iter()
            .position(|end| left > *end + 6.0)
            .unwrap_or(lanes - 1);
        lane_end[lane] = left + w;
        let y = bar.bottom() + 6.0 + lane as f32 * lane_h;
        painter.line_segment(
            [Pos2::new(x, bar.bottom()), Pos2::new(x, y + 2.0)],
            Stroke::new(1.0, text.gamma_multiply(0.4)),
        );
        painter.galley(Pos2::new(left, y + 2.0), galley, text);
    }
    if let (Some(mean), Some(median), Some((lo, hi))) = (d.mean, d.median, d.range) {
        ui.label(sized(
            ui,
            tr.f(
                "phase3.red_green.summary",
                &[
                    ("mean", &one_decimal(mean)),
                    ("median", &one_decimal(median)),
                    ("low", &lo),
                    ("high", &hi),
                ],
            ),
            1.0,
        ));
    }
    ui.add_space(6.0);
    egui::Grid::new("red-green-bands")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (i, n) in d.bands.iter().enumerate() {
                let lo = i * 20;
                let hi = if i == 4 { 100 } else { lo + 19 };
                ui.label(tr.f("phase3.red_green.band", &[("low", &lo), ("high", &hi)]));
                ui.horizontal(|ui| {
                    let (r, _) = ui.allocate_exact_size(
                        Vec2::new(18.0 * s * *n as f32 + 2.0, 14.0 * s),
                        Sense::hover(),
                    );
                    ui.painter().rect_filled(
                        r,
                        CornerRadius::same(3),
                        continuum_colour((lo as f32 + 10.0) / 100.0),
                    );
                    ui.label(n.to_string());
                });
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    egui::CollapsingHeader::new(tr.t("phase3.red_green.list"))
        .id_salt("red-green-list")
        .show(ui, |ui| {
            for (_, name, value) in &d.positions {
                ui.label(tr.f(
                    "phase3.red_green.person",
                    &[("name", name), ("value", value)],
                ));
            }
        });
}

fn quadrant_key(q: Quadrant) -> &'static str {
    match q {
        Quadrant::EasyFun => "phase3.logbook.easy_fun",
        Quadrant::EasyNotFun => "phase3.logbook.easy_not_fun",
        Quadrant::HardFun => "phase3.logbook.hard_fun",
        Quadrant::HardNotFun => "phase3.logbook.hard_not_fun",
    }
}

/// A 2×2 quadrant schema with hours and shares.
fn quadrant_grid(ui: &mut Ui, tr: &I18n, name: &str, h: &QuadrantHours, cell: f32) {
    let s = scale(ui);
    ui.vertical(|ui| {
        ui.label(
            RichText::new(tr.f(
                "phase3.logbook.person",
                &[("name", &name), ("hours", &one_decimal(h.total()))],
            ))
            .strong()
            .size(14.0 * s),
        );
        let accent = super::super::style::accent(ui.visuals().dark_mode);
        for row in [
            [Quadrant::EasyFun, Quadrant::EasyNotFun],
            [Quadrant::HardFun, Quadrant::HardNotFun],
        ] {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 3.0;
                for q in row {
                    let pct = h.percent(q);
                    let (r, resp) =
                        ui.allocate_exact_size(Vec2::new(cell, cell * 0.62), Sense::hover());
                    let label = tr.f(
                        "phase3.logbook.cell",
                        &[
                            ("quadrant", &tr.t(quadrant_key(q))),
                            ("hours", &one_decimal(h.get(q))),
                            ("percent", &format!("{pct:.0}")),
                        ],
                    );
                    resp.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, &label)
                    });
                    let alpha = (pct / 100.0 * 0.85 + 0.08) as f32;
                    ui.painter().rect_filled(
                        r,
                        CornerRadius::same(4),
                        accent.gamma_multiply(alpha),
                    );
                    let text = ui.visuals().strong_text_color();
                    ui.painter().text(
                        r.center() - Vec2::new(0.0, 7.0 * s),
                        egui::Align2::CENTER_CENTER,
                        format!("{pct:.0}%"),
                        egui::FontId::proportional(15.0 * s),
                        text,
                    );
                    ui.painter().text(
                        r.center() + Vec2::new(0.0, 10.0 * s),
                        egui::Align2::CENTER_CENTER,
                        tr.t(quadrant_key(q)),
                        egui::FontId::proportional(10.5 * s),
                        text,
                    );
                }
            });
        }
    });
}

fn logbook(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    let totals = cx.derived.logbook();
    title(ui, tr, "phase3.logbook.title", "phase3.logbook.intro");
    if totals.per_person.is_empty() {
        widgets::note(ui, tr.t("phase3.logbook.empty"));
        return;
    }
    let s = scale(ui);
    quadrant_grid(
        ui,
        tr,
        &tr.t("phase3.logbook.team"),
        &totals.team,
        150.0 * s,
    );
    if let Some(q) = totals.team.largest() {
        ui.label(tr.f(
            "phase3.logbook.largest",
            &[("quadrant", &tr.t(quadrant_key(q)))],
        ));
    }
    ui.add_space(10.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = Vec2::new(22.0, 16.0);
        for (id, h) in &totals.per_person {
            quadrant_grid(ui, tr, &view.name_of(id), h, 96.0 * s);
        }
    });
}

fn brain_crackers(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let t = cx.derived.brain_crackers();
    title(ui, tr, "phase3.brain.title", "phase3.brain.intro");
    if t.items.is_empty() {
        widgets::note(ui, tr.t("phase3.brain.empty"));
        return;
    }
    ui.label(sized(
        ui,
        match t.mean_times {
            Some(m) => tr.f(
                "phase3.brain.summary",
                &[
                    ("n", &t.items.len()),
                    ("total", &t.total_times),
                    ("mean", &one_decimal(m)),
                ],
            ),
            None => tr.f("phase3.brain.summary_no_counts", &[("n", &t.items.len())]),
        },
        1.0,
    ));
    ui.add_space(6.0);
    egui::Grid::new("brain-crackers")
        .num_columns(3)
        .striped(true)
        .spacing([18.0, 8.0])
        .show(ui, |ui| {
            ui.label(RichText::new(tr.t("phase3.brain.times")).weak());
            ui.label(RichText::new(tr.t("phase3.brain.situation")).weak());
            ui.label(RichText::new(tr.t("phase3.brain.who")).weak());
            ui.end_row();
            for item in &t.items {
                ui.label(
                    sized(
                        ui,
                        item.times_past_week.map_or_else(
                            || "–".to_owned(),
                            |n| tr.f("phase3.brain.x", &[("n", &n)]),
                        ),
                        1.1,
                    )
                    .strong(),
                );
                ui.add(egui::Label::new(sized(ui, &item.situation, 1.0)).wrap());
                let who = match &item.colleague {
                    Some(c) if !c.is_empty() => tr.f(
                        "phase3.brain.asked",
                        &[("author", &item.author), ("colleague", c)],
                    ),
                    _ => item.author.clone(),
                };
                ui.label(RichText::new(who).weak());
                ui.end_row();
            }
        });
}

fn satisfaction(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    let shared = cx.derived.satisfaction();
    title(
        ui,
        tr,
        "phase3.satisfaction.title",
        "phase3.satisfaction.intro",
    );
    if shared.is_empty() {
        widgets::note(ui, tr.t("phase3.satisfaction.none_shared"));
    } else {
        ui.label(RichText::new(tr.t("phase3.satisfaction.shared")).strong());
        ui.horizontal_wrapped(|ui| {
            for src in shared {
                widgets::hint_box(ui, |ui| {
                    ui.set_max_width(260.0 * scale(ui));
                    ui.label(sized(ui, &src.word, 1.2).strong());
                    ui.label(tr.f(
                        "phase3.satisfaction.named_by",
                        &[("n", &src.people.len()), ("names", &src.people.join(", "))],
                    ));
                });
            }
        });
    }
    ui.add_space(8.0);
    let answers: Vec<_> = view
        .stories
        .iter()
        .filter(|s| s.kind == AssignmentKind::Satisfaction)
        .filter_map(|s| s.answers.get("q5").map(|a| (view.name_of(&s.author), a)))
        .filter(|(_, a)| !a.trim().is_empty())
        .collect();
    if !answers.is_empty() {
        ui.label(RichText::new(tr.t("phase3.satisfaction.answers")).strong());
        for (name, answer) in answers {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{name}:")).strong());
                ui.add(egui::Label::new(sized(ui, answer, 1.0)).wrap());
            });
        }
    }
}

fn images(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    title(ui, tr, "phase3.images.title", "phase3.images.intro");
    if view.images.is_empty() {
        widgets::note(ui, tr.t("phase3.images.empty"));
        return;
    }
    let s = scale(ui);
    let w = 250.0 * s;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = Vec2::new(16.0, 16.0);
        for img in &view.images {
            ui.allocate_ui(Vec2::new(w, w * 1.25), |ui| {
                ui.vertical(|ui| {
                    ui.set_width(w);
                    let aspect = if img.width > 0 && img.height > 0 {
                        img.height as f32 / img.width as f32
                    } else {
                        0.75
                    };
                    let size = Vec2::new(w, (w * aspect).min(w * 1.1));
                    // Off screen: reserve the space, do not load the photo.
                    let probe = Rect::from_min_size(ui.cursor().min, size);
                    if !ui.is_rect_visible(probe) {
                        ui.allocate_space(size);
                    } else {
                        match cx.phase2.photos.thumbnail(&img.blob) {
                            Thumb::Ready(tex) => {
                                ui.add(
                                    egui::Image::new(&tex)
                                        .fit_to_exact_size(size)
                                        .corner_radius(6),
                                )
                                .on_hover_text(&img.caption);
                            }
                            Thumb::Loading => {
                                let (r, _) = ui.allocate_exact_size(size, Sense::hover());
                                ui.put(r, egui::Spinner::new());
                            }
                            Thumb::Missing(_) | Thumb::Failed(_) => {
                                let (r, _) = ui.allocate_exact_size(size, Sense::hover());
                                ui.painter().rect_filled(
                                    r,
                                    CornerRadius::same(6),
                                    ui.visuals().faint_bg_color,
                                );
                                ui.painter().text(
                                    r.center(),
                                    egui::Align2::CENTER_CENTER,
                                    tr.t("phase3.images.missing"),
                                    egui::FontId::proportional(13.0 * s),
                                    ui.visuals().weak_text_color(),
                                );
                            }
                        }
                    }
                    ui.add(egui::Label::new(sized(ui, &img.caption, 1.0)).wrap());
                    ui.label(RichText::new(view.name_of(&img.author)).weak());
                });
            });
        }
    });
}
