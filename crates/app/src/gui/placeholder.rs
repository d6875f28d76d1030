//! The screen of a phase whose own module is not built yet: its title, what happens in it,
//! and a calm note.

use egui::RichText;

use super::phases::{PhaseCtx, PhaseScreen};
use super::widgets;

/// A phase without its own screen yet.
#[derive(Debug)]
pub struct Placeholder {
    phase: u8,
}

impl Placeholder {
    /// For phase 2–5.
    pub fn new(phase: u8) -> Self {
        Placeholder { phase }
    }
}

impl PhaseScreen for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        widgets::card(ui, |ui| {
            ui.label(RichText::new(cx.tr.phase_summary(self.phase)));
            ui.add_space(8.0);
            widgets::note(ui, cx.tr.t("placeholder.coming"));
        });
    }
}
