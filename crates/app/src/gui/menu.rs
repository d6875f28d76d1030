//! The menu bar. Every item produces a [`Command`].

use super::command::Command;
use super::i18n::{I18n, Lang};
use super::shortcuts::{self, Action};
use super::state::{Dialog, ThemeChoice, UiState};

fn item(ui: &mut egui::Ui, tr: &I18n, key: &str, action: Option<Action>, enabled: bool) -> bool {
    let mut button = egui::Button::new(tr.t(key));
    if let Some(sc) = action.and_then(shortcuts::for_action) {
        button = button.shortcut_text(ui.ctx().format_shortcut(&sc));
    }
    ui.add_enabled(enabled, button).clicked()
}

/// Draws the menu bar; returns the chosen commands.
pub fn bar(ui: &mut egui::Ui, tr: &I18n, state: &UiState) -> Vec<Command> {
    let mut out = Vec::new();
    let open = state.open_trajectory.as_deref();
    let profile_known = state.profile.is_some();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(tr.t("menu.app"), |ui| {
            if item(ui, tr, "menu.new", Some(Action::New), profile_known) {
                out.push(Command::OpenDialog(Dialog::NewTrajectory));
            }
            if item(ui, tr, "menu.join", Some(Action::Join), profile_known) {
                out.push(Command::OpenDialog(Dialog::Join));
            }
            if item(ui, tr, "import.menu", None, profile_known) {
                out.push(Command::Import);
            }
            ui.separator();
            if item(ui, tr, "menu.start", Some(Action::Start), open.is_some()) {
                out.push(Command::GoToStart);
            }
            if item(ui, tr, "menu.settings", Some(Action::Settings), true) {
                out.push(Command::OpenDialog(Dialog::Settings));
            }
            ui.separator();
            if item(ui, tr, "menu.quit", Some(Action::Quit), true) {
                out.push(Command::Quit);
            }
        });
        ui.menu_button(tr.t("menu.trajectory"), |ui| {
            if item(ui, tr, "menu.invite", Some(Action::Invite), open.is_some()) {
                out.push(Command::OpenDialog(Dialog::Invite));
            }
            if item(
                ui,
                tr,
                "menu.export_letter",
                Some(Action::ExportLetter),
                open.is_some(),
            ) && let Some(id) = open
            {
                out.push(Command::ExportLetter {
                    trajectory: id.to_owned(),
                });
            }
            if item(ui, tr, "export.menu", None, open.is_some()) {
                out.push(Command::OpenDialog(Dialog::Export));
            }
            ui.separator();
            for phase in 1..=5u8 {
                let text = tr.f(
                    "menu.phase",
                    &[("n", &phase), ("title", &tr.phase_title(phase))],
                );
                let mut b = egui::Button::new(text);
                if let Some(sc) = shortcuts::for_action(Action::Phase(phase)) {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&sc));
                }
                if ui.add_enabled(open.is_some(), b).clicked() {
                    out.push(Command::ShowPhase(phase));
                }
            }
        });
        ui.menu_button(tr.t("menu.view"), |ui| {
            ui.menu_button(tr.t("menu.language"), |ui| {
                for lang in Lang::ALL {
                    if ui.radio(state.lang == lang, lang.native_name()).clicked() {
                        out.push(Command::SetLanguage(lang));
                    }
                }
            });
            ui.menu_button(tr.t("menu.theme"), |ui| {
                for theme in ThemeChoice::ALL {
                    if ui.radio(state.theme == theme, tr.t(theme.key())).clicked() {
                        out.push(Command::SetTheme(theme));
                    }
                }
            });
            ui.separator();
            if item(ui, tr, "menu.zoom_in", Some(Action::ZoomIn), true) {
                out.push(Command::ZoomIn);
            }
            if item(ui, tr, "menu.zoom_out", Some(Action::ZoomOut), true) {
                out.push(Command::ZoomOut);
            }
            if item(ui, tr, "menu.zoom_reset", Some(Action::ZoomReset), true) {
                out.push(Command::ZoomReset);
            }
        });
        ui.menu_button(tr.t("menu.help"), |ui| {
            if item(ui, tr, "menu.shortcuts", Some(Action::Help), true) {
                out.push(Command::OpenDialog(Dialog::Shortcuts));
            }
            if item(ui, tr, "menu.about", None, true) {
                out.push(Command::OpenDialog(Dialog::About));
            }
        });
    });
    out
}
