//! The questions of an assignment: the private draft form ([`DraftForm`]) and the stories the
//! team shared ([`SharedStories`]), which their author can still edit.

use std::collections::{BTreeMap, HashMap};

use egui::{RichText, TextStyle};
use leerrijk_model::assignment::Assignment;
use leerrijk_model::view::Story;
use leerrijk_model::{AssignmentKind, DraftStory};

use super::Phase2Command;
use super::drafts::DraftsState;
use crate::gui::command::{Command, Edit};
use crate::gui::date;
use crate::gui::phases::PhaseCtx;
use crate::gui::style;
use crate::gui::widgets::{self, DraftText};

/// Whether an assignment asks for the colleague interviewed.
fn has_colleague(kind: AssignmentKind) -> bool {
    matches!(
        kind,
        AssignmentKind::Satisfaction | AssignmentKind::BrainCracker
    )
}

/// Parses the brain-cracker count: empty is none, otherwise a whole number 0–500.
fn parse_times(s: &str) -> Result<Option<i64>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=500).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

/// The form of one assignment's open draft.
#[derive(Debug, Default)]
pub struct DraftForm {
    answers: BTreeMap<String, DraftText>,
    colleague: DraftText,
    times: DraftText,
    times_invalid: bool,
    confirm_discard: bool,
}

impl DraftForm {
    /// Draws the form for `assignment`.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, assignment: &Assignment) {
        let tr = cx.tr;
        let kind = assignment.kind;
        let lang = tr.lang().code();
        let trajectory = cx.trajectory().to_owned();
        let state = cx.phase2.drafts.state();
        let draft: Option<DraftStory> = cx.phase2.drafts.current(&trajectory, kind);
        let ready = state == DraftsState::Ready;
        widgets::card(ui, |ui| {
            let title = tr.t("phase2.draft.title");
            widgets::section_title(ui, &title);
            widgets::hint_box(ui, |ui| {
                ui.label(tr.t("phase2.draft.private"));
            });
            match &state {
                DraftsState::Loading => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tr.t("phase2.draft.loading"));
                    });
                    return;
                }
                DraftsState::Failed(e) => {
                    ui.label(
                        RichText::new(tr.f("phase2.draft.failed", &[("error", e)]))
                            .color(ui.visuals().error_fg_color),
                    );
                    return;
                }
                DraftsState::Ready => {}
            }
            ui.add_space(6.0);
            if has_colleague(kind) {
                self.details(ui, cx, kind, draft.as_ref());
                ui.add_space(6.0);
            }
            for q in &assignment.questions {
                let field = self.answers.entry(q.id.clone()).or_default();
                field.sync(
                    draft
                        .as_ref()
                        .and_then(|d| d.answers.get(&q.id))
                        .map(String::as_str)
                        .unwrap_or(""),
                );
                ui.add_space(6.0);
                let l = ui.label(RichText::new(q.text(lang)).strong());
                let r = ui
                    .add_enabled(
                        ready,
                        egui::TextEdit::multiline(&mut field.text)
                            .font(TextStyle::Body)
                            .desired_rows(3)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                if let Some(text) = field.after_edit(&r, cx.now) {
                    cx.push(Command::Phase2(Phase2Command::SetDraftAnswer {
                        trajectory: trajectory.clone(),
                        kind,
                        question: q.id.clone(),
                        text,
                    }));
                }
            }
            ui.add_space(10.0);
            let has_text = self.answers.values().any(|a| !a.text.trim().is_empty());
            ui.horizontal_wrapped(|ui| {
                let share = ui.add_enabled(
                    has_text,
                    egui::Button::new(RichText::new(tr.t("phase2.draft.share")).strong().color(
                        if ui.visuals().dark_mode {
                            egui::Color32::from_rgb(0x12, 0x1a, 0x19)
                        } else {
                            egui::Color32::WHITE
                        },
                    ))
                    .fill(style::accent(ui.visuals().dark_mode)),
                );
                if share.clicked() {
                    let previous = draft.as_ref().and_then(|d| d.times_past_week);
                    self.flush(&trajectory, kind, previous, cx.commands);
                    cx.push(Command::Phase2(Phase2Command::ShareDraft {
                        trajectory: trajectory.clone(),
                        kind,
                    }));
                }
                if draft.is_some() {
                    if self.confirm_discard {
                        ui.label(tr.t("phase2.draft.discard_confirm"));
                        if ui.button(tr.t("phase2.draft.discard_yes")).clicked() {
                            self.confirm_discard = false;
                            self.forget_pending();
                            cx.push(Command::Phase2(Phase2Command::DiscardDraft {
                                trajectory: trajectory.clone(),
                                kind,
                            }));
                        }
                        if ui.button(tr.t("common.cancel")).clicked() {
                            self.confirm_discard = false;
                        }
                    } else if ui.button(tr.t("phase2.draft.discard")).clicked() {
                        self.confirm_discard = true;
                    }
                }
            });
            let status = if self.pending() {
                tr.t("phase2.draft.saving")
            } else if let Some(d) = &draft {
                tr.f(
                    "phase2.draft.saved",
                    &[(
                        "when",
                        &date::relative(tr, d.updated_at / 1000, date::now_secs()),
                    )],
                )
            } else {
                tr.t("phase2.draft.empty")
            };
            ui.label(RichText::new(status).small().weak());
        });
    }

    /// The colleague interviewed (and, for brain-crackers, how often this week).
    fn details(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        kind: AssignmentKind,
        draft: Option<&DraftStory>,
    ) {
        let tr = cx.tr;
        self.colleague
            .sync(draft.and_then(|d| d.colleague.as_deref()).unwrap_or(""));
        self.times.sync(
            &draft
                .and_then(|d| d.times_past_week)
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        let mut due = false;
        egui::Grid::new(("draft-details", kind.slug()))
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let l = ui.label(tr.t("phase2.draft.colleague"));
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.colleague.text)
                            .hint_text(tr.t("phase2.draft.colleague_hint"))
                            .desired_width(280.0),
                    )
                    .labelled_by(l.id);
                due |= self.colleague.after_edit(&r, cx.now).is_some();
                ui.end_row();
                if kind == AssignmentKind::BrainCracker {
                    let l = ui.label(tr.t("phase2.draft.times"));
                    ui.horizontal(|ui| {
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.times.text)
                                    .hint_text("0")
                                    .desired_width(70.0),
                            )
                            .labelled_by(l.id);
                        due |= self.times.after_edit(&r, cx.now).is_some();
                        ui.label(RichText::new(tr.t("phase2.draft.times_unit")).weak());
                        if self.times_invalid {
                            ui.label(
                                RichText::new(tr.t("phase2.draft.times_invalid"))
                                    .color(ui.visuals().error_fg_color),
                            );
                        }
                    });
                    ui.end_row();
                }
            });
        if due {
            let previous = draft.and_then(|d| d.times_past_week);
            let c = self.details_command(cx.trajectory(), kind, previous);
            cx.push(c);
        }
    }

    /// The details as typed; an invalid count keeps `previous_times` (and is shown as an error).
    fn details_command(
        &mut self,
        trajectory: &str,
        kind: AssignmentKind,
        previous_times: Option<i64>,
    ) -> Command {
        let times = match parse_times(&self.times.text) {
            Ok(n) => {
                self.times_invalid = false;
                n
            }
            Err(()) => {
                self.times_invalid = true;
                previous_times
            }
        };
        let colleague = Some(self.colleague.text.trim().to_owned()).filter(|c| !c.is_empty());
        Command::Phase2(Phase2Command::SetDraftDetails {
            trajectory: trajectory.to_owned(),
            kind,
            colleague,
            times_past_week: times,
        })
    }

    fn pending(&self) -> bool {
        self.answers.values().any(DraftText::is_pending)
            || self.colleague.is_pending()
            || self.times.is_pending()
    }

    fn forget_pending(&mut self) {
        for a in self.answers.values_mut() {
            a.take_pending();
        }
        self.colleague.take_pending();
        self.times.take_pending();
    }

    /// Hands over unsaved typing as notebook commands (`previous_times`: the draft's count, kept
    /// if the typed one is not a number).
    pub fn flush(
        &mut self,
        trajectory: &str,
        kind: AssignmentKind,
        previous_times: Option<i64>,
        out: &mut Vec<Command>,
    ) {
        for (question, field) in &mut self.answers {
            if let Some(text) = field.take_pending() {
                out.push(Command::Phase2(Phase2Command::SetDraftAnswer {
                    trajectory: trajectory.to_owned(),
                    kind,
                    question: question.clone(),
                    text,
                }));
            }
        }
        let colleague = self.colleague.take_pending().is_some();
        let times = self.times.take_pending().is_some();
        if colleague || times {
            out.push(self.details_command(trajectory, kind, previous_times));
        }
    }
}

/// The stories the team shared for an assignment; the author's own can be edited.
#[derive(Debug, Default)]
pub struct SharedStories {
    editing: Option<String>,
    fields: HashMap<(String, String), DraftText>,
    confirm_delete: Option<String>,
}

impl SharedStories {
    /// Draws the shared stories of `assignment`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        assignment: &Assignment,
        me: &str,
    ) {
        let tr = cx.tr;
        let view = cx.view;
        let stories: Vec<&Story> = view
            .stories
            .iter()
            .filter(|s| s.kind == assignment.kind)
            .collect();
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.f("phase2.shared.title", &[("n", &stories.len())]));
            if stories.is_empty() {
                widgets::note(ui, tr.t("phase2.shared.none"));
                return;
            }
            widgets::note(ui, tr.t("phase2.shared.intro"));
            for story in stories {
                ui.add_space(8.0);
                self.story(ui, cx, assignment, story, story.author == me);
            }
        });
    }

    fn story(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PhaseCtx<'_>,
        assignment: &Assignment,
        story: &Story,
        mine: bool,
    ) {
        let tr = cx.tr;
        let lang = tr.lang().code();
        let editing = mine && self.editing.as_deref() == Some(story.id.as_str());
        egui::Frame::new()
            .fill(ui.visuals().faint_bg_color)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(8)
            .inner_margin(egui::Margin::symmetric(16, 12))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    let author = cx.view.name_of(&story.author);
                    ui.label(RichText::new(author).strong());
                    if mine {
                        ui.label(RichText::new(tr.t("phase2.shared.yours")).small().weak());
                    }
                    ui.label(
                        RichText::new(date::relative(tr, story.shared_at / 1000, date::now_secs()))
                            .small()
                            .weak(),
                    );
                });
                if let Some(c) = &story.colleague {
                    ui.label(RichText::new(tr.f("phase2.shared.colleague", &[("name", c)])).weak());
                }
                if let Some(n) = story.times_past_week {
                    ui.label(RichText::new(tr.f("phase2.shared.times", &[("n", &n)])).weak());
                }
                for q in &assignment.questions {
                    let answer = story.answers.get(&q.id).map(String::as_str).unwrap_or("");
                    if editing {
                        let field = self
                            .fields
                            .entry((story.id.clone(), q.id.clone()))
                            .or_default();
                        field.sync(answer);
                        ui.add_space(4.0);
                        let l = ui.label(RichText::new(q.text(lang)).small().strong());
                        let r = ui
                            .add(
                                egui::TextEdit::multiline(&mut field.text)
                                    .desired_rows(2)
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(l.id);
                        if let Some(text) = field.after_edit(&r, cx.now) {
                            cx.edit(Edit::SetStoryAnswer {
                                story: story.id.clone(),
                                question: q.id.clone(),
                                text,
                            });
                        }
                    } else if !answer.trim().is_empty() {
                        ui.add_space(4.0);
                        ui.label(RichText::new(q.text(lang)).small().weak());
                        ui.label(answer);
                    }
                }
                if mine {
                    ui.add_space(6.0);
                    ui.horizontal_wrapped(|ui| {
                        if editing {
                            if ui.button(tr.t("phase2.shared.done")).clicked() {
                                let trajectory = cx.trajectory().to_owned();
                                self.flush(&trajectory, cx.commands);
                                self.editing = None;
                            }
                        } else if ui.button(tr.t("phase2.shared.edit")).clicked() {
                            let trajectory = cx.trajectory().to_owned();
                            self.flush(&trajectory, cx.commands);
                            self.editing = Some(story.id.clone());
                        }
                        if self.confirm_delete.as_deref() == Some(story.id.as_str()) {
                            ui.label(tr.t("phase2.shared.delete_confirm"));
                            if ui.button(tr.t("phase2.shared.delete_yes")).clicked() {
                                self.confirm_delete = None;
                                self.editing = None;
                                cx.edit(Edit::DeleteStory {
                                    story: story.id.clone(),
                                });
                            }
                            if ui.button(tr.t("common.cancel")).clicked() {
                                self.confirm_delete = None;
                            }
                        } else if ui.button(tr.t("phase2.shared.delete")).clicked() {
                            self.confirm_delete = Some(story.id.clone());
                        }
                    });
                }
            });
    }

    /// Hands over unsaved edits of shared answers.
    pub fn flush(&mut self, trajectory: &str, out: &mut Vec<Command>) {
        for ((story, question), field) in &mut self.fields {
            if let Some(text) = field.take_pending() {
                out.push(Command::Edit {
                    trajectory: trajectory.to_owned(),
                    edit: Edit::SetStoryAnswer {
                        story: story.clone(),
                        question: question.clone(),
                        text,
                    },
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brain_cracker_counts_are_whole_numbers_up_to_500() {
        assert_eq!(parse_times(""), Ok(None));
        assert_eq!(parse_times(" 4 "), Ok(Some(4)));
        assert_eq!(parse_times("500"), Ok(Some(500)));
        assert!(parse_times("501").is_err());
        assert!(parse_times("-1").is_err());
        assert!(parse_times("vier").is_err());
    }
}
