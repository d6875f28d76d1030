//! Phase 1, "Start en introductie": who takes part (and whether all voices are heard), which
//! practice assignments are handed out, the time plan, and the information letter.

use egui::{RichText, TextStyle};
use leerrijk_model::analysis::{SUGGESTED_PARTICIPANTS, voices_coverage};
use leerrijk_model::{AssignmentKind, Role, TrajectoryView};

use super::command::{Command, Edit};
use super::date;
use super::i18n::I18n;
use super::markdown;
use super::phases::{PhaseCtx, PhaseScreen};
use super::style;
use super::widgets::{self, DraftText};

/// A date field of the time plan.
#[derive(Debug, Default, Clone)]
struct DateField {
    text: String,
    base: Option<String>,
    invalid: bool,
    editing: bool,
}

impl DateField {
    fn sync(&mut self, doc: Option<&String>) {
        if !self.editing && self.base.as_ref() != doc {
            self.base = doc.cloned();
            self.text = doc.map(|d| date::display(d)).unwrap_or_default();
            self.invalid = false;
        }
    }
}

/// A button showing `text` whose accessible name is the longer `label` ("Naam van Bram
/// wijzigen" where the row shows "Naam wijzigen").
fn named_button(ui: &mut egui::Ui, text: &str, label: &str) -> egui::Response {
    let r = ui.small_button(text);
    let label = label.to_owned();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    r.on_hover_text(label)
}

/// The phase 1 screen and its form state.
#[derive(Debug)]
pub struct Phase1 {
    new_name: String,
    new_role: Role,
    /// The participant being renamed and the name typed so far.
    renaming: Option<(String, String)>,
    /// The rename field takes the keyboard focus in its first frame.
    focus_rename: bool,
    /// The participant whose removal waits for a "yes".
    confirm_remove: Option<String>,
    letter: DraftText,
    confirm_reset: bool,
    /// The initiator looks at the letter as it will read instead of editing it.
    preview: bool,
    dates: [DateField; 5],
}

impl Default for Phase1 {
    fn default() -> Self {
        Phase1 {
            new_name: String::new(),
            new_role: Role::Leerkracht,
            renaming: None,
            focus_rename: false,
            confirm_remove: None,
            letter: DraftText::default(),
            confirm_reset: false,
            preview: false,
            dates: Default::default(),
        }
    }
}

impl PhaseScreen for Phase1 {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        self.participants(ui, cx);
        ui.add_space(14.0);
        self.assignments(ui, cx);
        ui.add_space(14.0);
        self.time_plan(ui, cx);
        ui.add_space(14.0);
        self.letter(ui, cx);
    }

    fn flush(&mut self, cx: &mut PhaseCtx<'_>) {
        if cx.is_initiator
            && let Some(text) = self.letter.take_pending()
        {
            cx.edit(Edit::SetLetter(text));
        }
    }
}

impl Phase1 {
    fn participants(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase1.participants.title"));
            widgets::note(ui, tr.t("phase1.participants.intro"));
            ui.add_space(4.0);
            voices_hint(ui, tr, view);
            ui.add_space(6.0);
            // A participant who left the trajectory meanwhile has no row to edit.
            if let Some((id, _)) = &self.renaming
                && view.participant(id).is_none()
            {
                self.renaming = None;
            }
            if let Some(id) = &self.confirm_remove
                && view.participant(id).is_none()
            {
                self.confirm_remove = None;
            }
            // Narrow (small window, large zoom): a row's buttons go on a line of their own
            // under the role, so the table never gets wider than the card.
            let compact = ui.available_width() < 760.0;
            egui::Grid::new("participants")
                .num_columns(if compact { 2 } else { 3 })
                .spacing([24.0, 10.0])
                .striped(false)
                .show(ui, |ui| {
                    ui.label(RichText::new(tr.t("phase1.participants.name")).weak());
                    ui.label(RichText::new(tr.t("phase1.participants.role")).weak());
                    if !compact {
                        ui.label("");
                    }
                    ui.end_row();
                    for p in &view.participants {
                        let is_initiator_row = view.initiator.as_deref() == Some(p.id.as_str());
                        let may_change =
                            !cx.read_only && (cx.is_initiator || cx.me == Some(p.id.as_str()));
                        let renaming_this =
                            self.renaming.as_ref().is_some_and(|(id, _)| *id == p.id);
                        if renaming_this {
                            self.rename_field(ui, cx, &p.id, &p.name);
                        } else {
                            ui.horizontal(|ui| {
                                ui.label(&p.name);
                                if is_initiator_row {
                                    ui.label(
                                        RichText::new(tr.t("phase1.participants.initiator"))
                                            .small()
                                            .color(style::accent(ui.visuals().dark_mode)),
                                    );
                                }
                                if cx.me == Some(p.id.as_str()) {
                                    ui.label(
                                        RichText::new(tr.t("phase1.participants.you"))
                                            .small()
                                            .weak(),
                                    );
                                }
                            });
                        }
                        if may_change {
                            let mut role = p.role;
                            let name = tr.f("phase1.participants.role_of", &[("name", &p.name)]);
                            if widgets::role_combo(ui, tr, ("role", &p.id), &name, &mut role) {
                                cx.commands.push(Command::Edit {
                                    trajectory: view.id.clone(),
                                    edit: Edit::SetParticipantRole {
                                        participant: p.id.clone(),
                                        role,
                                    },
                                });
                            }
                        } else {
                            ui.label(tr.role(p.role));
                        }
                        let removable = cx.is_initiator && !is_initiator_row;
                        if compact && ((may_change && !renaming_this) || removable) {
                            ui.end_row();
                            ui.label("");
                        }
                        ui.horizontal(|ui| {
                            if may_change && !renaming_this {
                                let label =
                                    tr.f("phase1.participants.rename_of", &[("name", &p.name)]);
                                if named_button(ui, &tr.t("phase1.participants.rename"), &label)
                                    .clicked()
                                {
                                    self.renaming = Some((p.id.clone(), p.name.clone()));
                                    self.focus_rename = true;
                                    self.confirm_remove = None;
                                }
                            }
                            // The initiator can remove anyone but themself.
                            if removable {
                                let label =
                                    tr.f("phase1.participants.remove_of", &[("name", &p.name)]);
                                if named_button(ui, &tr.t("phase1.participants.remove"), &label)
                                    .clicked()
                                {
                                    self.confirm_remove = Some(p.id.clone());
                                    self.renaming = None;
                                }
                            }
                        });
                        ui.end_row();
                        if self.confirm_remove.as_deref() == Some(p.id.as_str()) {
                            ui.label("");
                            ui.horizontal_wrapped(|ui| {
                                ui.label(
                                    RichText::new(tr.f(
                                        "phase1.participants.confirm_remove",
                                        &[("name", &p.name)],
                                    ))
                                    .color(ui.visuals().warn_fg_color),
                                );
                                if ui
                                    .button(tr.t("phase1.participants.confirm_remove_yes"))
                                    .clicked()
                                {
                                    cx.commands.push(Command::Edit {
                                        trajectory: view.id.clone(),
                                        edit: Edit::RemoveParticipant {
                                            participant: p.id.clone(),
                                        },
                                    });
                                    self.confirm_remove = None;
                                }
                                if ui.button(tr.t("common.cancel")).clicked() {
                                    self.confirm_remove = None;
                                }
                            });
                            ui.end_row();
                        }
                    }
                });
            if cx.read_only {
                return;
            }
            ui.add_space(10.0);
            ui.label(RichText::new(tr.t("phase1.add.title")).strong());
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(tr.t("phase1.add.name"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.new_name).desired_width(220.0))
                    .labelled_by(l.id);
                ui.add_space(8.0);
                ui.label(tr.t("phase1.add.role"));
                let role_label = tr.t("phase1.add.role");
                widgets::role_combo(
                    ui,
                    tr,
                    "new-participant-role",
                    &role_label,
                    &mut self.new_role,
                );
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let clicked = ui
                    .add_enabled(
                        !self.new_name.trim().is_empty(),
                        egui::Button::new(tr.t("phase1.add.button")),
                    )
                    .clicked();
                if (clicked || enter) && !self.new_name.trim().is_empty() {
                    cx.commands.push(Command::Edit {
                        trajectory: view.id.clone(),
                        edit: Edit::AddParticipant {
                            name: self.new_name.trim().to_owned(),
                            role: self.new_role,
                        },
                    });
                    self.new_name.clear();
                }
            });
        });
    }

    /// The name cell of the row being renamed: a field (Enter saves, Escape cancels), "Opslaan"
    /// and "Annuleren".
    fn rename_field(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, id: &str, name: &str) {
        let tr = cx.tr;
        let focus = &mut self.focus_rename;
        let Some((_, text)) = self.renaming.as_mut() else {
            return;
        };
        let mut done = false;
        ui.horizontal(|ui| {
            let label = tr.f("phase1.participants.new_name_of", &[("name", &name)]);
            let field = ui.add(egui::TextEdit::singleline(text).desired_width(180.0));
            let value = text.clone();
            field.widget_info(|| egui::WidgetInfo {
                label: Some(label.clone()),
                ..egui::WidgetInfo::text_edit(true, name, &value, "")
            });
            if std::mem::take(focus) {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
            let ok = !text.trim().is_empty();
            let save = ui
                .add_enabled(ok, egui::Button::new(tr.t("common.save")))
                .clicked();
            if (save || enter) && ok {
                if text.trim() != name {
                    cx.commands.push(Command::Edit {
                        trajectory: cx.view.id.clone(),
                        edit: Edit::RenameParticipant {
                            participant: id.to_owned(),
                            name: text.trim().to_owned(),
                        },
                    });
                }
                done = true;
            }
            if ui.button(tr.t("common.cancel")).clicked() || escape {
                done = true;
            }
        });
        if done {
            self.renaming = None;
        }
    }

    fn assignments(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase1.assignments.title"));
            widgets::note(
                ui,
                if cx.is_initiator {
                    tr.t("phase1.assignments.intro_initiator")
                } else {
                    tr.t("phase1.assignments.intro_other")
                },
            );
            ui.add_space(4.0);
            if !cx.is_initiator {
                if view.assignments.is_empty() {
                    ui.label(RichText::new(tr.t("phase1.assignments.none")).weak());
                }
                for kind in AssignmentKind::ALL
                    .into_iter()
                    .filter(|k| view.assignments.contains(k))
                {
                    ui.horizontal_top(|ui| {
                        ui.label(RichText::new("•").strong());
                        ui.vertical(|ui| {
                            ui.label(RichText::new(tr.assignment_title(kind)).strong());
                            ui.label(RichText::new(tr.assignment_intro(kind)).weak());
                        });
                    });
                }
                return;
            }
            for kind in AssignmentKind::ALL {
                let mut on = view.assignments.contains(&kind);
                let changed = ui.checkbox(&mut on, tr.assignment_title(kind)).changed();
                if changed {
                    cx.commands.push(Command::Edit {
                        trajectory: view.id.clone(),
                        edit: Edit::SetAssignment { kind, on },
                    });
                }
                ui.indent(("intro", kind.slug()), |ui| {
                    ui.label(RichText::new(tr.assignment_intro(kind)).weak());
                });
            }
        });
    }

    fn time_plan(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase1.plan.title"));
            widgets::note(
                ui,
                if cx.is_initiator {
                    tr.t("phase1.plan.intro_initiator")
                } else {
                    tr.t("phase1.plan.intro_other")
                },
            );
            ui.add_space(4.0);
            // Wide: a table; narrow (small window, large zoom): each date under its phase.
            let wide = ui.available_width() >= 640.0;
            let mut row = |ui: &mut egui::Ui, phase: u8| {
                let field = &mut self.dates[usize::from(phase - 1)];
                field.sync(view.dates.get(&phase.to_string()));
                let l = ui.label(tr.f(
                    "phase1.plan.phase",
                    &[("n", &phase), ("title", &tr.phase_title(phase))],
                ));
                if cx.is_initiator {
                    date_field(ui, tr, field, l.id, phase, &view.id, cx.commands);
                } else {
                    match view.dates.get(&phase.to_string()) {
                        Some(d) => ui.label(date::display(d)),
                        None => ui.label(RichText::new(tr.t("phase1.plan.none")).weak()),
                    };
                }
            };
            if wide {
                egui::Grid::new("time-plan")
                    .num_columns(2)
                    .spacing([24.0, 10.0])
                    .show(ui, |ui| {
                        for phase in 1..=5u8 {
                            row(ui, phase);
                            ui.end_row();
                        }
                    });
            } else {
                for phase in 1..=5u8 {
                    ui.vertical(|ui| row(ui, phase));
                    ui.add_space(4.0);
                }
            }
        });
    }

    fn letter(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        self.letter.sync(&view.letter);
        widgets::card(ui, |ui| {
            let title = ui.label(
                RichText::new(tr.t("phase1.letter.title"))
                    .size(19.0)
                    .strong(),
            );
            widgets::note(
                ui,
                if cx.is_initiator {
                    tr.t("phase1.letter.intro_initiator")
                } else {
                    tr.t("phase1.letter.intro_other")
                },
            );
            ui.horizontal_wrapped(|ui| {
                if ui.button(tr.t("phase1.letter.export")).clicked() {
                    cx.commands.push(Command::ExportLetter {
                        trajectory: view.id.clone(),
                    });
                }
                if ui.button(tr.t("phase1.letter.export_docx")).clicked() {
                    cx.commands.push(Command::ExportLetterDocx {
                        trajectory: view.id.clone(),
                    });
                }
                if cx.is_initiator {
                    let label = if self.preview {
                        tr.t("phase1.letter.edit")
                    } else {
                        tr.t("phase1.letter.preview")
                    };
                    if ui.button(label).clicked() {
                        self.preview = !self.preview;
                    }
                    if self.confirm_reset {
                        ui.label(tr.t("phase1.letter.reset_confirm"));
                        if ui.button(tr.t("phase1.letter.reset_yes")).clicked() {
                            self.confirm_reset = false;
                            self.letter.take_pending();
                            cx.commands.push(Command::Edit {
                                trajectory: view.id.clone(),
                                edit: Edit::SetLetter(letter_from_template(tr, view)),
                            });
                        }
                        if ui.button(tr.t("common.cancel")).clicked() {
                            self.confirm_reset = false;
                        }
                    } else if ui.button(tr.t("phase1.letter.reset")).clicked() {
                        self.confirm_reset = true;
                    }
                }
            });
            ui.add_space(6.0);
            if cx.is_initiator && !self.preview {
                let r = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.letter.text)
                            .font(TextStyle::Body)
                            .desired_rows(18)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(title.id);
                if let Some(text) = self.letter.after_edit(&r, cx.now) {
                    cx.commands.push(Command::Edit {
                        trajectory: view.id.clone(),
                        edit: Edit::SetLetter(text),
                    });
                }
            } else {
                egui::Frame::new()
                    .fill(ui.visuals().extreme_bg_color)
                    .corner_radius(6)
                    .inner_margin(egui::Margin::symmetric(22, 16))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let text = if cx.is_initiator {
                            &self.letter.text
                        } else {
                            &view.letter
                        };
                        markdown::show(ui, text);
                    });
            }
        });
    }
}

/// A date field of the time plan: read as `dd-mm-jjjj` (or ISO) when the field is left.
fn date_field(
    ui: &mut egui::Ui,
    tr: &I18n,
    field: &mut DateField,
    label: egui::Id,
    phase: u8,
    trajectory: &str,
    commands: &mut Vec<Command>,
) {
    // The error goes under the field, wrapped to a fixed width: a long message must not
    // widen the table (and with it the page).
    ui.vertical(|ui| {
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut field.text)
                    .hint_text(tr.t("date.hint"))
                    .desired_width(140.0),
            )
            .labelled_by(label);
        field.editing = r.has_focus();
        if r.lost_focus() {
            let text = field.text.trim();
            let parsed = if text.is_empty() {
                Some(None)
            } else {
                date::parse_input(text).map(Some)
            };
            match parsed {
                Some(d) => {
                    field.invalid = false;
                    if d != field.base {
                        commands.push(Command::Edit {
                            trajectory: trajectory.to_owned(),
                            edit: Edit::SetPhaseDate {
                                phase,
                                date: d.clone(),
                            },
                        });
                    }
                    field.text = d.as_deref().map(date::display).unwrap_or_default();
                }
                None => field.invalid = true,
            }
        }
        if field.invalid {
            ui.scope(|ui| {
                ui.set_max_width(ERROR_WIDTH);
                ui.add(
                    egui::Label::new(
                        RichText::new(tr.t("date.invalid")).color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
            });
        }
    });
}

/// How wide a date field's error may be before it wraps.
const ERROR_WIDTH: f32 = 260.0;

/// The "alle stemmen horen" hint: how many people, which core roles are still missing.
fn voices_hint(ui: &mut egui::Ui, tr: &I18n, view: &TrajectoryView) {
    let c = voices_coverage(view);
    let dark = ui.visuals().dark_mode;
    widgets::hint_box(ui, |ui| {
        ui.label(RichText::new(tr.t("voices.title")).strong());
        let count = tr.f("voices.count", &[("n", &c.participants)]);
        let advice = tr.f(
            "voices.advice",
            &[
                ("min", &SUGGESTED_PARTICIPANTS.0),
                ("max", &SUGGESTED_PARTICIPANTS.1),
            ],
        );
        if c.enough_participants {
            ui.label(format!("{count} {}", tr.t("voices.enough")));
        } else {
            ui.label(RichText::new(format!("{count} {advice}")).color(style::attention(dark)));
        }
        if c.roles_missing.is_empty() {
            ui.label(tr.t("voices.all_roles"));
        } else {
            let missing: Vec<String> = c.roles_missing.iter().map(|r| tr.role(*r)).collect();
            ui.label(
                RichText::new(tr.f("voices.missing", &[("roles", &missing.join(", "))]))
                    .color(style::attention(dark)),
            );
        }
        if !c.roles_present.is_empty() {
            let present: Vec<String> = c
                .roles_present
                .iter()
                .map(|(r, n)| format!("{} {n}", tr.role(*r)))
                .collect();
            ui.label(RichText::new(present.join("  ·  ")).small().weak());
        }
    });
}

/// The letter template in the interface language, filled with the trajectory's details and
/// time plan.
pub fn letter_from_template(tr: &I18n, view: &TrajectoryView) -> String {
    let lang = tr.lang().code();
    let plan = letter_plan(tr, view);
    let school = if view.school.trim().is_empty() {
        tr.t("letter.our_school")
    } else {
        view.school.clone()
    };
    leerrijk_model::assignment::letter_template(lang)
        .replace("{school}", &school)
        .replace("{title}", &view.title)
        .replace("{initiator}", &view.initiator_name().unwrap_or_default())
        .replace("{timeplan}", &plan)
}

/// The letter's time plan as the template writes it: one line per phase with its date.
pub fn letter_plan(tr: &I18n, view: &TrajectoryView) -> String {
    let mut plan = String::new();
    for phase in 1..=5u8 {
        let when = view
            .dates
            .get(&phase.to_string())
            .map(|d| date::display(d))
            .unwrap_or_else(|| tr.t("phase1.plan.none"));
        plan.push_str(&format!(
            "- {}: {when}\n",
            tr.f(
                "phase1.plan.phase",
                &[("n", &phase), ("title", &tr.phase_title(phase))]
            )
        ));
    }
    plan.trim_end().to_owned()
}

/// The time plan's line in the letter of a new trajectory (the model writes it in Dutch).
const CREATED_PLAN: &str = "\n(nog in te vullen)\n";

/// The letter after a change of the time plan or of the initiator's name, with only those
/// live parts rewritten: the time plan block as the template wrote it for `before` becomes
/// the one for `after`, and the initiator's old name in the signature (the last line that is
/// just that name) becomes the new one. Everything else the initiator wrote stays as it is. `None` when the
/// letter has nothing to follow (the block was edited by hand, or nothing changed).
pub fn letter_following(
    tr: &I18n,
    before: &TrajectoryView,
    after: &TrajectoryView,
) -> Option<String> {
    let mut letter = after.letter.clone();
    let (old_plan, new_plan) = (letter_plan(tr, before), letter_plan(tr, after));
    if old_plan != new_plan {
        if let Some(at) = letter.find(&old_plan) {
            letter.replace_range(at..at + old_plan.len(), &new_plan);
        } else if let Some(at) = letter.find(CREATED_PLAN) {
            // A new trajectory's letter has one placeholder line for the whole plan.
            let line = &CREATED_PLAN[1..CREATED_PLAN.len() - 1];
            letter.replace_range(at + 1..at + 1 + line.len(), &new_plan);
        }
    }
    if let (Some(old), Some(new)) = (before.initiator_name(), after.initiator_name())
        && old != new
        && !old.trim().is_empty()
    {
        // The signature: the last line that is just the old name.
        let mut lines: Vec<&str> = letter.split('\n').collect();
        if let Some(line) = lines.iter_mut().rev().find(|l| l.trim() == old.trim()) {
            *line = new.as_str();
            letter = lines.join("\n");
        }
    }
    (letter != after.letter).then_some(letter)
}

#[cfg(test)]
mod tests {
    use leerrijk_model::{Clock, Trajectory};

    use super::*;
    use crate::gui::Lang;

    #[test]
    fn template_letter_has_school_and_plan() {
        let (mut t, me) = Trajectory::create(
            "Blijven leren",
            "OBS De Linde",
            "Anja",
            Role::Directie,
            Clock::manual(1),
        )
        .unwrap();
        t.set_phase_date(&me, 2, Some("2027-01-15")).unwrap();
        let tr = I18n::new(Lang::Nl);
        let letter = letter_from_template(&tr, &t.view());
        assert!(letter.contains("OBS De Linde"));
        assert!(letter.contains("15-01-2027"));
        assert!(letter.contains("Anja"));
        assert!(!letter.contains('{'), "{letter}");
    }
}
