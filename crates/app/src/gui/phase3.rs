//! Phase 3, "Ervaringen en voorbeelden uitwisselen": the debrief views per practice assignment
//! (red–green continuum, logbook quadrants, brain-crackers, moments of satisfaction, the image
//! gallery) and the **flip-over**: core themes in two columns, post-its dragged onto them.
//!
//! Everything shown comes from the cached read view and the model's analyses
//! ([`Derived`](super::derived::Derived)); edits are [`MeetingEdit`]s.

mod debrief;
mod flipover;

use egui::RichText;
use leerrijk_model::Polarity;
use leerrijk_model::view::Participant;

use super::command::Edit;
use super::meeting_edit::MeetingEdit;
use super::meeting_look::sized;
use super::phases::{PhaseCtx, PhaseScreen};
use super::widgets;

pub use flipover::FlipOver;

/// What the phase 3 screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View3 {
    /// Everyone's place on the red–green continuum.
    RedGreen,
    /// Logbook quadrants side by side.
    Logbook,
    /// Brain-crackers and how often.
    BrainCrackers,
    /// Moments of satisfaction and shared sources.
    Satisfaction,
    /// The beautiful images.
    Images,
    /// The flip-over with themes and post-its.
    FlipOver,
}

impl View3 {
    /// In tab order.
    pub const ALL: [View3; 6] = [
        View3::FlipOver,
        View3::RedGreen,
        View3::Logbook,
        View3::BrainCrackers,
        View3::Satisfaction,
        View3::Images,
    ];

    fn key(self) -> &'static str {
        match self {
            View3::RedGreen => "phase3.tab.red_green",
            View3::Logbook => "phase3.tab.logbook",
            View3::BrainCrackers => "phase3.tab.brain_crackers",
            View3::Satisfaction => "phase3.tab.satisfaction",
            View3::Images => "phase3.tab.images",
            View3::FlipOver => "phase3.tab.flipover",
        }
    }
}

/// The phase 3 screen and its form state.
#[derive(Debug)]
pub struct Phase3 {
    view: View3,
    flip: FlipOver,
}

impl Default for Phase3 {
    fn default() -> Self {
        Phase3 {
            view: View3::FlipOver,
            flip: FlipOver::default(),
        }
    }
}

impl PhaseScreen for Phase3 {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        self.tabs(ui, cx);
        ui.add_space(10.0);
        match self.view {
            View3::FlipOver => {
                if !cx.read_only {
                    self.flip.toolbar(ui, cx);
                    ui.add_space(10.0);
                }
                if cx.is_initiator {
                    initiator_controls(ui, cx);
                    ui.add_space(10.0);
                }
                self.flip.board(ui, cx);
            }
            other => debrief::show(ui, cx, other),
        }
    }

    fn beamer(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        self.tabs(ui, cx);
        ui.add_space(8.0);
        match self.view {
            View3::FlipOver => self.flip.board(ui, cx),
            other => debrief::show(ui, cx, other),
        }
    }

    fn beamer_entry(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        self.flip.note_form(ui, cx, true);
    }
}

impl Phase3 {
    fn tabs(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        ui.horizontal_wrapped(|ui| {
            for v in View3::ALL {
                if ui
                    .selectable_label(self.view == v, sized(ui, cx.tr.t(v.key()), 1.0))
                    .clicked()
                {
                    self.view = v;
                }
            }
        });
    }
}

/// The initiator's meeting controls on the flip-over: hide authors, silent writing, reveal.
fn initiator_controls(ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    widgets::hint_box(ui, |ui| {
        ui.label(RichText::new(tr.t("phase3.initiator.title")).strong());
        ui.horizontal_wrapped(|ui| {
            let mut hide = view.hide_postit_authors;
            if ui
                .checkbox(&mut hide, tr.t("phase3.initiator.hide_authors"))
                .changed()
            {
                cx.edit(Edit::Meeting(MeetingEdit::SetHideAuthors(hide)));
            }
            ui.add_space(12.0);
            match view.silent_round() {
                None => {
                    if ui.button(tr.t("phase3.initiator.silent_start")).clicked() {
                        cx.edit(Edit::Meeting(MeetingEdit::StartSilentWriting));
                    }
                }
                Some(_) => {
                    let covered = view
                        .postits
                        .iter()
                        .filter(|p| view.is_covered(p, None))
                        .count();
                    ui.label(tr.f("phase3.initiator.silent_running", &[("n", &covered)]));
                    if widgets::primary_button(ui, tr.t("phase3.initiator.reveal")).clicked() {
                        cx.edit(Edit::Meeting(MeetingEdit::RevealNotes));
                    }
                }
            }
        });
        widgets::note(ui, tr.t("phase3.initiator.tips"));
    });
}

/// The display name of a participant for a byline.
fn byline(
    tr: &super::i18n::I18n,
    participants: &[Participant],
    author: Option<&str>,
    anonymous: bool,
) -> Option<String> {
    if anonymous {
        return Some(tr.t("phase3.note.anonymous"));
    }
    let id = author?;
    participants
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
}

/// The translation key of a polarity's column title.
fn polarity_key(p: Polarity) -> &'static str {
    match p {
        Polarity::Positive => "phase3.column.positive",
        Polarity::Negative => "phase3.column.negative",
    }
}
