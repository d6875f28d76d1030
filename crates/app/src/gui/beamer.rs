//! Beamer mode: the projector view of the meeting. Full screen, large type, high contrast; it
//! shows the shared view of the phase the team is in (the flip-over or a debrief in phase 3,
//! the ranking comparison in phase 4, the marketplace in phase 5). The initiator drives it:
//! moves the phase from here and types post-its, offers or requests for someone without a
//! laptop. Esc (or the button) leaves it.

use egui::{Color32, Key, RichText, Stroke};

use super::app::LeerrijkApp;
use super::command::{Command, Edit};
use super::meeting_look::sized;
use super::phases::PhaseCtx;
use super::{style, widgets};

/// How much larger the beamer draws text than the normal window.
pub const BEAMER_TEXT_SCALE: f32 = 1.6;

/// The beamer's style: the current style with larger text and spacing, in high contrast
/// (black on white: readable on a projector in a lit room).
pub fn beamer_style(base: &egui::Style) -> egui::Style {
    let mut s = base.clone();
    for font in s.text_styles.values_mut() {
        font.size *= BEAMER_TEXT_SCALE;
    }
    s.spacing.item_spacing *= 1.25;
    s.spacing.button_padding *= 1.3;
    s.spacing.interact_size *= 1.3;
    s.spacing.icon_width *= BEAMER_TEXT_SCALE;
    s.spacing.icon_width_inner *= BEAMER_TEXT_SCALE;
    s.spacing.icon_spacing *= BEAMER_TEXT_SCALE;
    let mut v = egui::Visuals::light();
    let ink = Color32::from_rgb(0x0b, 0x0b, 0x0b);
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.extreme_bg_color = Color32::WHITE;
    v.faint_bg_color = Color32::from_rgb(0xef, 0xef, 0xef);
    v.override_text_color = Some(ink);
    v.hyperlink_color = style::accent(false);
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.5, Color32::from_rgb(0x55, 0x55, 0x55));
    v.widgets.noninteractive.fg_stroke = Stroke::new(1.5, ink);
    v.widgets.inactive.bg_fill = Color32::from_rgb(0xe4, 0xe4, 0xe4);
    v.widgets.inactive.weak_bg_fill = Color32::from_rgb(0xe4, 0xe4, 0xe4);
    v.widgets.inactive.fg_stroke = Stroke::new(1.5, ink);
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, Color32::from_rgb(0x55, 0x55, 0x55));
    v.selection.bg_fill = Color32::from_rgb(0xbf, 0xe0, 0xdc);
    v.selection.stroke = Stroke::new(2.0, style::accent(false));
    v.window_stroke = v.widgets.noninteractive.bg_stroke;
    s.visuals = v;
    s
}

/// Draws the beamer view of trajectory `id`.
pub fn show(app: &mut LeerrijkApp, ui: &mut egui::Ui, id: &str) {
    let Some(cached) = app.cache.get(&app.hub, id) else {
        app.commands.push(Command::SetBeamer(false));
        return;
    };
    if ui.input(|i| i.key_pressed(Key::Escape)) {
        app.commands.push(Command::SetBeamer(false));
    }
    let view = cached.view.clone();
    let derived = cached.derived.clone();
    let me = cached.me.clone();
    let is_initiator = me.is_some() && view.initiator == me;
    let phase = view.phase;
    ui.set_style(beamer_style(ui.style()));
    let tr = &app.tr;

    egui::Panel::top("beamer-top")
        .frame(
            egui::Frame::new()
                .fill(Color32::WHITE)
                .inner_margin(egui::Margin::symmetric(28, 14)),
        )
        .show(ui, |ui| {
            // Row 1: the trajectory and the controls; row 2: the phase, large, full width.
            ui.horizontal(|ui| {
                ui.label(sized(ui, &view.title, 1.0).weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(tr.t("beamer.leave")).clicked() {
                        app.commands.push(Command::SetBeamer(false));
                    }
                    let depth = app.undo.depth(id);
                    if ui
                        .add_enabled(depth > 0, egui::Button::new(tr.t("meeting.undo")))
                        .on_hover_text(tr.t("meeting.undo_tip"))
                        .clicked()
                    {
                        app.commands.push(Command::Undo {
                            trajectory: id.to_owned(),
                        });
                    }
                    if is_initiator {
                        if phase < 5
                            && ui
                                .button(tr.f("beamer.next_phase", &[("n", &(phase + 1))]))
                                .clicked()
                        {
                            app.commands.push(Command::Edit {
                                trajectory: id.to_owned(),
                                edit: Edit::SetPhase(phase + 1),
                            });
                        }
                        if phase > 1
                            && ui
                                .button(tr.f("beamer.previous_phase", &[("n", &(phase - 1))]))
                                .clicked()
                        {
                            app.commands.push(Command::Edit {
                                trajectory: id.to_owned(),
                                edit: Edit::SetPhase(phase - 1),
                            });
                        }
                    }
                });
            });
            ui.label(
                sized(
                    ui,
                    tr.f(
                        "beamer.phase",
                        &[("n", &phase), ("title", &tr.phase_title(phase))],
                    ),
                    1.7,
                )
                .strong(),
            );
        });

    let now = ui.input(|i| i.time);
    let screens = app.screens.entry(id.to_owned()).or_default();
    let mut cx = PhaseCtx {
        tr: &app.tr,
        view: &view,
        me: me.as_deref(),
        is_initiator,
        now,
        commands: &mut app.commands,
        phase2: &mut app.phase2,
        derived: &derived,
    };
    if is_initiator && matches!(phase, 3 | 5) {
        egui::Panel::bottom("beamer-entry")
            .frame(
                egui::Frame::new()
                    .fill(Color32::from_rgb(0xf3, 0xf1, 0xea))
                    .inner_margin(egui::Margin::symmetric(28, 12)),
            )
            .show(ui, |ui| {
                ui.label(RichText::new(cx.tr.t("beamer.entry")).strong());
                if let Some(screen) = screens.get(phase) {
                    screen.beamer_entry(ui, &mut cx);
                }
            });
    }
    egui::CentralPanel::default()
        .frame(
            egui::Frame::new()
                .fill(Color32::WHITE)
                .inner_margin(egui::Margin::symmetric(28, 16)),
        )
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .id_salt(("beamer-scroll", phase))
                .show(ui, |ui| {
                    if let Some(screen) = screens.get(phase) {
                        screen.beamer(ui, &mut cx);
                    }
                    ui.add_space(24.0);
                });
        });
}

/// What the beamer shows for a phase without a shared view of its own: its title and what
/// happens in it (never a participant's private drafts).
pub fn phase_card(ui: &mut egui::Ui, cx: &PhaseCtx<'_>, phase: u8) {
    widgets::card(ui, |ui| {
        ui.add_space(12.0);
        ui.label(sized(ui, cx.tr.phase_summary(phase), 1.2));
        ui.add_space(12.0);
    });
}
