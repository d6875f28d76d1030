//! Phase 2, "Ervaringen en voorbeelden verzamelen": each participant works alone on the
//! practice assignments the initiator handed out.
//!
//! * Answers to the assignment questions are **private drafts** in the local notebook
//!   ([`Drafts`](drafts::Drafts), never synced) until the author presses "Delen met het team";
//!   then they become a story in the trajectory, with the author's name, which the author can
//!   still edit.
//! * The red–green placement, logbook entries and photos go into the trajectory directly (the
//!   screen says so).
//! * Photos are decoded, downscaled and stored as blobs off the GUI thread; the document holds
//!   only their hash ([`photos`]).
//!
//! Notebook changes and photo imports are [`Phase2Command`]s run by the executor
//! ([`execute`]); document changes are [`Edit`](super::command::Edit)s.

mod command;
mod drafts;
mod execute;
mod images;
mod logbook;
mod photos;
mod red_green;
mod services;
mod stories;

use std::collections::HashMap;

use egui::RichText;
use leerrijk_model::assignment::Assignment;
use leerrijk_model::{AssignmentKind, QuestionCatalog};

pub use command::Phase2Command;
pub use drafts::{DraftsState, NOTEBOOK_NAME};
pub use photos::{JPEG_QUALITY, MAX_SIDE, THUMB_SIDE, Thumb};
pub use services::Phase2Services;

use super::command::Command;
use super::i18n::I18n;
use super::phases::{PhaseCtx, PhaseScreen};
use super::widgets;

/// The phase 2 screen and its form state.
#[derive(Debug, Default)]
pub struct Phase2 {
    selected: Option<AssignmentKind>,
    show_all: Option<bool>,
    forms: HashMap<AssignmentKind, stories::DraftForm>,
    shared: stories::SharedStories,
    red_green: red_green::RedGreen,
    logbook: logbook::Logbook,
    images: images::Images,
}

/// The short name of an assignment (its tab).
pub fn short_title(tr: &I18n, kind: AssignmentKind) -> String {
    tr.t(match kind {
        AssignmentKind::RedGreen => "phase2.tab.red_green",
        AssignmentKind::Satisfaction => "phase2.tab.satisfaction",
        AssignmentKind::BrainCracker => "phase2.tab.brain_cracker",
        AssignmentKind::Logbook => "phase2.tab.logbook",
        AssignmentKind::Images => "phase2.tab.images",
    })
}

impl PhaseScreen for Phase2 {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        cx.phase2.drafts.poll();
        let Some(me) = cx.me.map(str::to_owned) else {
            widgets::card(ui, |ui| {
                widgets::note(ui, tr.t("phase2.not_participant"));
            });
            return;
        };
        let handed_out = cx.view.assignments.clone();
        let kinds = self.visible_kinds(ui, cx, &handed_out);
        if kinds.is_empty() {
            return;
        }
        let selected = match self.selected {
            Some(k) if kinds.contains(&k) => k,
            _ => kinds[0],
        };
        self.selected = Some(selected);
        self.take_dropped_files(ui, cx, &kinds);
        ui.add_space(6.0);

        // The assignments as tabs.
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 6.0;
            for kind in &kinds {
                let text = RichText::new(short_title(tr, *kind)).size(15.5);
                if ui
                    .add(
                        egui::Button::selectable(*kind == selected, text)
                            .min_size(egui::vec2(0.0, 32.0)),
                    )
                    .clicked()
                {
                    self.flush(cx);
                    self.selected = Some(*kind);
                }
            }
        });
        ui.add_space(10.0);
        let kind = self.selected.unwrap_or(selected);
        let Ok(catalog) = QuestionCatalog::get() else {
            return;
        };
        let Some(assignment) = catalog.assignment(kind) else {
            return;
        };
        let lang = tr.lang().code();
        widgets::card(ui, |ui| {
            widgets::section_title(ui, assignment.title.get(lang));
            ui.label(assignment.intro.get(lang));
            if !handed_out.contains(&kind) {
                ui.add_space(4.0);
                widgets::note(ui, tr.t("phase2.not_handed_out"));
            }
        });
        ui.add_space(12.0);
        // Archived: what was written shows, nothing can be typed or placed.
        ui.add_enabled_ui(!cx.read_only, |ui| {
            self.assignment_body(ui, cx, kind, assignment, &me)
        });
    }

    fn flush(&mut self, cx: &mut PhaseCtx<'_>) {
        let trajectory = cx.trajectory().to_owned();
        for (kind, form) in &mut self.forms {
            let previous = cx
                .phase2
                .drafts
                .current(&trajectory, *kind)
                .and_then(|d| d.times_past_week);
            form.flush(&trajectory, *kind, previous, cx.commands);
        }
        self.shared.flush(&trajectory, cx.commands);
        self.red_green.flush(&trajectory, cx);
        self.images.flush(&trajectory, cx.commands);
    }
}

impl Phase2 {
    /// The selected assignment's own part (red–green, logbook, photos), its story form and
    /// the shared stories.
    fn assignment_body(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        kind: AssignmentKind,
        assignment: &Assignment,
        me: &str,
    ) {
        let me = me.to_owned();
        match kind {
            AssignmentKind::RedGreen => {
                self.red_green.ui(ui, cx, &me);
                ui.add_space(12.0);
            }
            AssignmentKind::Logbook => {
                self.logbook.ui(ui, cx, &me);
                ui.add_space(12.0);
            }
            AssignmentKind::Images => {
                self.images.ui(ui, cx, &me);
                ui.add_space(12.0);
            }
            AssignmentKind::Satisfaction | AssignmentKind::BrainCracker => {}
        }
        let form = self.forms.entry(kind).or_default();
        form.ui(ui, cx, assignment);
        ui.add_space(12.0);
        self.shared.ui(ui, cx, assignment, &me);
    }
}

impl Phase2 {
    /// The assignments to show: those handed out; the initiator may also look at the others.
    fn visible_kinds(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        handed_out: &[AssignmentKind],
    ) -> Vec<AssignmentKind> {
        let tr = cx.tr;
        let show_all = *self.show_all.get_or_insert(handed_out.is_empty());
        widgets::hint_box(ui, |ui| {
            ui.label(tr.t("phase2.intro"));
            if handed_out.is_empty() {
                ui.add_space(4.0);
                ui.label(RichText::new(tr.t("phase2.none_handed_out")).strong());
                if cx.is_initiator {
                    ui.label(tr.t("phase2.none_handed_out_initiator"));
                } else {
                    ui.label(tr.t("phase2.none_handed_out_other"));
                }
            }
            if cx.is_initiator && handed_out.len() < AssignmentKind::ALL.len() {
                let mut all = show_all;
                if ui.checkbox(&mut all, tr.t("phase2.show_all")).changed() {
                    self.show_all = Some(all);
                }
            }
        });
        let show_all = cx.is_initiator && self.show_all.unwrap_or(false);
        AssignmentKind::ALL
            .into_iter()
            .filter(|k| show_all || handed_out.contains(k))
            .collect()
    }

    /// Photos dropped onto the window while phase 2 is shown go to "Mooie beelden".
    fn take_dropped_files(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        kinds: &[AssignmentKind],
    ) {
        let (dropped, hovering) = ui.input(|i| {
            (
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_path_buf())
                    .collect::<Vec<_>>(),
                !i.raw.hovered_files.is_empty(),
            )
        });
        if !kinds.contains(&AssignmentKind::Images) {
            return;
        }
        if hovering {
            images::drop_overlay(ui, cx.tr);
        }
        if dropped.is_empty() {
            return;
        }
        self.selected = Some(AssignmentKind::Images);
        let caption = self.images.take_caption();
        for path in dropped {
            cx.push(Command::Phase2(Phase2Command::AddPhoto {
                trajectory: cx.trajectory().to_owned(),
                path,
                caption: caption.clone(),
            }));
        }
    }
}
