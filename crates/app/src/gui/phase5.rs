//! Phase 5, "Over naar actie": concrete actions (owner, due date, status, the theme they serve)
//! and the workshop "Marktplaats interne deskundigheid": two sheets (offers, requests) filled
//! at the same time, a shared 20-minute timer, and the matching views of the model's
//! [`market_matching`](leerrijk_model::analysis::market_matching): offers held by several
//! people, offers that meet a request (drawn as connections), requests with no offer yet.

mod market;
mod rows;

use egui::{RichText, Ui};
use leerrijk_model::ActionStatus;
use leerrijk_model::view::Action;

use super::command::Edit;
use super::date;
use super::i18n::I18n;
use super::meeting_edit::MeetingEdit;
use super::meeting_look::sized;
use super::phases::{PhaseCtx, PhaseScreen};
use super::{style, widgets};

pub use market::Market;

/// The phase 5 screen and its form state.
#[derive(Debug, Default)]
pub struct Phase5 {
    action: String,
    owner: Option<String>,
    due: String,
    due_invalid: bool,
    theme: Option<String>,
    market: Market,
    /// The action cards: only those in view are drawn (a large trajectory has over a hundred).
    action_rows: rows::Rows,
}

impl PhaseScreen for Phase5 {
    fn ui(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        self.actions(ui, cx);
        ui.add_space(14.0);
        self.market.ui(ui, cx);
    }

    fn beamer(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        self.market.beamer(ui, cx);
    }

    fn beamer_entry(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        self.market.entry(ui, cx, true);
    }
}

fn status_key(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "phase5.status.open",
        ActionStatus::Doing => "phase5.status.doing",
        ActionStatus::Done => "phase5.status.done",
    }
}

fn name_or<'a>(
    view: &'a leerrijk_model::TrajectoryView,
    id: Option<&str>,
    none: &'a str,
) -> String {
    id.and_then(|id| view.participant(id))
        .map_or_else(|| none.to_owned(), |p| p.name.clone())
}

impl Phase5 {
    fn actions(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase5.actions.title"));
            widgets::note(ui, tr.t("phase5.actions.intro"));
            ui.add_space(4.0);
            if !cx.read_only {
                self.action_form(ui, cx);
                ui.add_space(8.0);
            }
            if view.actions.is_empty() {
                widgets::note(ui, tr.t("phase5.actions.none"));
                return;
            }
            self.action_rows.show(ui, view.actions.len(), |ui, i| {
                // Archived: the rows show status, owner and date without changing them.
                ui.add_enabled_ui(!cx.read_only, |ui| action_row(ui, cx, &view.actions[i]));
                ui.add_space(4.0);
            });
        });
    }

    fn action_form(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        let enter = ui
            .horizontal(|ui| {
                let l = ui.label(tr.t("phase5.actions.new"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.action)
                            .hint_text(tr.t("phase5.actions.hint"))
                            .desired_width(ui.available_width()),
                    )
                    .labelled_by(l.id);
                field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
            })
            .inner;
        ui.horizontal_wrapped(|ui| {
            let owner_label = tr.t("phase5.actions.owner");
            ui.label(&owner_label);
            participant_combo(
                ui,
                tr,
                view,
                "new-action-owner",
                &owner_label,
                &mut self.owner,
            );
            let l = ui.label(tr.t("phase5.actions.due"));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.due)
                        .hint_text(tr.t("phase5.actions.due_hint"))
                        .desired_width(110.0),
                )
                .labelled_by(l.id);
            if r.changed() {
                self.due_invalid = false;
            }
            let theme_label = tr.t("phase5.actions.theme");
            ui.label(&theme_label);
            theme_combo(
                ui,
                tr,
                view,
                "new-action-theme",
                &theme_label,
                &mut self.theme,
            );
        });
        // The button on a row of its own, so it never moves as the fields above change.
        ui.horizontal(|ui| {
            let ok = !self.action.trim().is_empty();
            let clicked = ui
                .add_enabled(ok, egui::Button::new(tr.t("phase5.actions.add")))
                .clicked();
            if (clicked || enter) && ok {
                let due = if self.due.trim().is_empty() {
                    Some(None)
                } else {
                    date::parse_input(&self.due).map(Some)
                };
                match due {
                    Some(due) => {
                        cx.edit(Edit::Meeting(MeetingEdit::AddAction {
                            text: self.action.trim().to_owned(),
                            owner: self.owner.clone(),
                            due,
                            theme: self.theme.clone(),
                        }));
                        // Each action starts blank: owner and theme do not carry over.
                        self.action.clear();
                        self.due.clear();
                        self.owner = None;
                        self.theme = None;
                    }
                    None => self.due_invalid = true,
                }
            }
            if self.due_invalid {
                ui.add(
                    egui::Label::new(
                        RichText::new(tr.t("date.invalid")).color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
            }
        });
    }
}

/// A participant picker with "nobody" first; returns whether it changed.
fn participant_combo(
    ui: &mut Ui,
    tr: &I18n,
    view: &leerrijk_model::TrajectoryView,
    salt: impl egui::AsIdSalt,
    name: &str,
    value: &mut Option<String>,
) -> bool {
    let before = value.clone();
    let nobody = tr.t("phase5.actions.nobody");
    let r = egui::ComboBox::from_id_salt(salt)
        .selected_text(name_or(view, value.as_deref(), &nobody))
        .width(150.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, &nobody);
            for p in &view.participants {
                ui.selectable_value(value, Some(p.id.clone()), &p.name);
            }
        })
        .response;
    let _ = r.accessible_name(name);
    *value != before
}

/// A theme picker with "no theme" first; returns whether it changed.
fn theme_combo(
    ui: &mut Ui,
    tr: &I18n,
    view: &leerrijk_model::TrajectoryView,
    salt: impl egui::AsIdSalt,
    name: &str,
    value: &mut Option<String>,
) -> bool {
    let before = value.clone();
    let none = tr.t("phase5.actions.no_theme");
    let current = value
        .as_deref()
        .and_then(|id| view.theme(id))
        .map_or_else(|| none.clone(), |t| t.title.clone());
    let r = egui::ComboBox::from_id_salt(salt)
        .selected_text(current)
        .width(180.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, &none);
            for t in &view.themes {
                ui.selectable_value(value, Some(t.id.clone()), &t.title);
            }
        })
        .response;
    let _ = r.accessible_name(name);
    *value != before
}

fn action_row(ui: &mut Ui, cx: &mut PhaseCtx<'_>, a: &Action) {
    let tr = cx.tr;
    let view = cx.view;
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .corner_radius(egui::CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let mut text = sized(ui, &a.text, 1.05);
            if a.status == ActionStatus::Done {
                text = text.strikethrough().weak();
            } else {
                text = text.strong();
            }
            ui.add(egui::Label::new(text).wrap());
            ui.horizontal_wrapped(|ui| {
                let mut status = a.status;
                let status_name = tr.f("phase5.actions.status_of", &[("text", &a.text)]);
                ui.label(RichText::new(tr.t("phase5.actions.status")).weak());
                let r = egui::ComboBox::from_id_salt(("status", &a.id))
                    .selected_text(tr.t(status_key(status)))
                    .width(120.0)
                    .show_ui(ui, |ui| {
                        for s in ActionStatus::ALL {
                            ui.selectable_value(&mut status, *s, tr.t(status_key(*s)));
                        }
                    })
                    .response;
                let _ = r.accessible_name(status_name);
                if status != a.status {
                    cx.edit(Edit::Meeting(MeetingEdit::SetActionStatus {
                        action: a.id.clone(),
                        status,
                    }));
                }
                ui.label(RichText::new(tr.t("phase5.actions.owner")).weak());
                let mut owner = a.owner.clone();
                let owner_name = tr.f("phase5.actions.owner_of", &[("text", &a.text)]);
                let owner_changed =
                    participant_combo(ui, tr, view, ("owner", &a.id), &owner_name, &mut owner);
                if let Some(due) = a.due.as_deref() {
                    ui.label(RichText::new(tr.t("phase5.actions.due")).weak());
                    ui.label(date::display(due));
                }
                ui.label(RichText::new(tr.t("phase5.actions.theme")).weak());
                let mut theme = a.theme.clone();
                let theme_name = tr.f("phase5.actions.theme_of", &[("text", &a.text)]);
                let theme_changed =
                    theme_combo(ui, tr, view, ("theme", &a.id), &theme_name, &mut theme);
                let remove = tr.f("phase5.actions.remove_of", &[("text", &a.text)]);
                if ui
                    .small_button("×")
                    .on_hover_text(&remove)
                    .accessible_name(&remove)
                    .clicked()
                {
                    cx.edit(Edit::Meeting(MeetingEdit::DeleteAction {
                        action: a.id.clone(),
                    }));
                }
                if owner_changed || theme_changed {
                    cx.edit(Edit::Meeting(MeetingEdit::SetActionDetails {
                        action: a.id.clone(),
                        owner,
                        due: a.due.clone(),
                        theme,
                    }));
                }
            });
            action_conflicts(ui, cx, a);
        });
}

/// Two laptops set a field of this action at the same time (offline): both values show, and
/// a click on one settles it for everyone, as with themes and post-its.
fn action_conflicts(ui: &mut Ui, cx: &mut PhaseCtx<'_>, a: &Action) {
    if a.status_conflicts.is_empty() && a.owner_conflicts.is_empty() && a.due_conflicts.is_empty() {
        return;
    }
    let tr = cx.tr;
    let view = cx.view;
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(tr.t("phase5.actions.conflict")).color(style::attention(dark)));
    ui.horizontal_wrapped(|ui| {
        for s in &a.status_conflicts {
            let text = tr.t(status_key(*s));
            let label = tr.f(
                "phase5.actions.choose_status",
                &[("value", &text), ("text", &a.text)],
            );
            if ui
                .button(&text)
                .on_hover_text(&label)
                .accessible_name(&label)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::SetActionStatus {
                    action: a.id.clone(),
                    status: *s,
                }));
            }
        }
        for o in &a.owner_conflicts {
            let name = view
                .participant(o)
                .map_or_else(|| o.clone(), |p| p.name.clone());
            let label = tr.f(
                "phase5.actions.choose_owner",
                &[("value", &name), ("text", &a.text)],
            );
            if ui
                .button(&name)
                .on_hover_text(&label)
                .accessible_name(&label)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::SetActionDetails {
                    action: a.id.clone(),
                    owner: Some(o.clone()),
                    due: a.due.clone(),
                    theme: a.theme.clone(),
                }));
            }
        }
        for d in &a.due_conflicts {
            let shown = date::display(d);
            let label = tr.f(
                "phase5.actions.choose_due",
                &[("value", &shown), ("text", &a.text)],
            );
            if ui
                .button(&shown)
                .on_hover_text(&label)
                .accessible_name(&label)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::SetActionDetails {
                    action: a.id.clone(),
                    owner: a.owner.clone(),
                    due: Some(d.clone()),
                    theme: a.theme.clone(),
                }));
            }
        }
    });
}
