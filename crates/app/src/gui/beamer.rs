//! Beamer mode: the projector view of the meeting. Full screen, large type, high contrast; it
//! shows the shared view of the phase the team is in (the flip-over or a debrief in phase 3,
//! the ranking comparison in phase 4, the marketplace in phase 5). Anyone can page the beamer
//! to another phase without moving the team; the initiator moves the team with a separate,
//! explicit button, and opens a panel to type post-its, offers or requests for someone
//! without a laptop (closed by default, so the shared view keeps the screen). Esc (or the
//! button) leaves it.

use egui::{Color32, Key, RichText, Stroke};

use super::app::LeerrijkApp;
use super::command::{Command, Edit};
use super::meeting_look::sized;
use super::phases::PhaseCtx;
use super::{hand_out, style, widgets};

/// What the beamer shows, apart from the document: UI state, reset each time it opens.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BeamerView {
    /// The phase on the beamer (`None`: the team's phase).
    pub phase: Option<u8>,
    /// Whether the entry panel is open.
    pub entry_open: bool,
}

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
    let team_phase = view.phase;
    let phase = app
        .beamer_view
        .phase
        .filter(|p| (1..=5).contains(p))
        .unwrap_or(team_phase);
    let can_enter = is_initiator && view.archived.is_none() && matches!(phase, 3 | 5);
    let entry_open = can_enter && app.beamer_view.entry_open;
    ui.set_style(beamer_style(ui.style()));
    let tr = &app.tr;

    egui::Panel::top("beamer-top")
        .frame(
            egui::Frame::new()
                .fill(Color32::WHITE)
                .inner_margin(egui::Margin::symmetric(28, 14)),
        )
        .show(ui, |ui| {
            // Row 1: leave and undo right, the trajectory's title in the room left of them
            // (ellipsised, never under a button).
            ui.horizontal(|ui| {
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
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(egui::Label::new(sized(ui, &view.title, 1.0).weak()).truncate());
                    });
                });
            });
            if let Some(text) = hand_out::archived_text(tr, &view) {
                ui.label(RichText::new(text).strong());
            }
            // Row 2: the phase on the beamer, large.
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
            // Row 3: paging the beamer (moves only the beamer) and the entry panel's switch.
            ui.horizontal_wrapped(|ui| {
                if phase > 1
                    && ui
                        .button(tr.f("beamer.show_previous", &[("n", &(phase - 1))]))
                        .clicked()
                {
                    app.commands.push(Command::ShowOnBeamer(phase - 1));
                }
                if phase < 5
                    && ui
                        .button(tr.f("beamer.show_next", &[("n", &(phase + 1))]))
                        .clicked()
                {
                    app.commands.push(Command::ShowOnBeamer(phase + 1));
                }
                if can_enter {
                    ui.add_space(16.0);
                    if ui
                        .add(egui::Button::new(tr.t("beamer.entry")).selected(entry_open))
                        .on_hover_text(tr.t("beamer.entry_tip"))
                        .clicked()
                    {
                        app.commands.push(Command::SetBeamerEntry(!entry_open));
                    }
                }
            });
            if phase != team_phase {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(tr.f("beamer.team_is_in", &[("n", &team_phase)])).weak(),
                    );
                    if is_initiator
                        && view.archived.is_none()
                        && widgets::primary_button(ui, tr.f("shell.move_team", &[("n", &phase)]))
                            .clicked()
                    {
                        app.commands.push(Command::Edit {
                            trajectory: id.to_owned(),
                            edit: Edit::SetPhase(phase),
                        });
                    }
                    if ui
                        .button(tr.f("beamer.show_team_phase", &[("n", &team_phase)]))
                        .clicked()
                    {
                        app.commands.push(Command::ShowOnBeamer(team_phase));
                    }
                });
            }
        });

    let now = ui.input(|i| i.time);
    let screens = app.screens.entry(id.to_owned()).or_default();
    let mut cx = PhaseCtx {
        tr: &app.tr,
        view: &view,
        me: me.as_deref(),
        is_initiator: is_initiator && view.archived.is_none(),
        read_only: view.archived.is_some(),
        now,
        commands: &mut app.commands,
        phase2: &mut app.phase2,
        derived: &derived,
    };
    if entry_open {
        egui::Panel::bottom("beamer-entry")
            .frame(
                egui::Frame::new()
                    .fill(Color32::from_rgb(0xf3, 0xf1, 0xea))
                    .inner_margin(egui::Margin::symmetric(28, 12)),
            )
            .show(ui, |ui| {
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
