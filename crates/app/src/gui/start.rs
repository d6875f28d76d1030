//! The start screen (my trajectories, new, join) and the first-run question (who are you?).

use egui::RichText;

use super::app::LeerrijkApp;
use super::command::Command;
use super::date;
use super::state::{Dialog, Profile};
use super::widgets;
use super::{Lang, style};

/// Lays out a centred column at most `max` wide.
pub fn centered<R>(ui: &mut egui::Ui, max: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let avail = ui.available_width();
    // Always a little air on both sides, more when the window is wide.
    let side = ((avail - max) / 2.0).max(18.0);
    ui.horizontal_top(|ui| {
        ui.add_space(side);
        ui.vertical(|ui| {
            ui.set_max_width(max.min(avail - 2.0 * side).max(120.0));
            add(ui)
        })
        .inner
    })
    .inner
}

/// The first start: ask the user's name and role, once.
pub fn first_run(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space((ui.available_height() * 0.12).clamp(16.0, 120.0));
        centered(ui, 520.0, |ui| {
            let tr = &app.tr;
            widgets::card(ui, |ui| {
                ui.label(RichText::new(tr.t("first.title")).size(28.0).strong());
                ui.add_space(4.0);
                ui.label(tr.t("first.intro"));
                ui.add_space(10.0);
                let name = widgets::form_field(
                    ui,
                    &tr.t("first.name"),
                    &mut app.forms.profile_name,
                    &tr.t("first.name_hint"),
                    360.0,
                );
                // Read before anything changes focus (lost_focus asks egui's memory).
                let enter = name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if !enter && ui.memory(|m| m.focused().is_none()) {
                    name.request_focus();
                }
                widgets::role_field(
                    ui,
                    tr,
                    "first-role",
                    &tr.t("first.role"),
                    &mut app.forms.profile_role,
                );
                if let Some(e) = &app.forms.profile_error {
                    ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let ready = !app.forms.profile_name.trim().is_empty();
                    let next = ui
                        .add_enabled_ui(ready, |ui| {
                            widgets::primary_button(ui, tr.t("first.continue"))
                        })
                        .inner
                        .clicked();
                    if (next || enter) && ready {
                        app.commands.push(Command::SetProfile(Profile {
                            name: app.forms.profile_name.clone(),
                            role: app.forms.profile_role,
                        }));
                    }
                    ui.add_space(16.0);
                    let other = app.state.lang.other();
                    let label = match other {
                        Lang::En => "In English",
                        Lang::Nl => "In het Nederlands",
                    };
                    if ui.link(label).clicked() {
                        app.commands.push(Command::SetLanguage(other));
                    }
                });
                ui.add_space(4.0);
                widgets::note(ui, tr.t("first.privacy"));
            });
        });
    });
}

/// My trajectories, with "new" and "join".
pub fn start_screen(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(28.0);
                centered(ui, 860.0, |ui| start_content(app, ui));
                ui.add_space(28.0);
            });
    });
}

fn start_content(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    let dark = ui.visuals().dark_mode;
    ui.label(
        RichText::new(tr.t("app.name"))
            .size(34.0)
            .strong()
            .color(style::accent(dark)),
    );
    ui.label(RichText::new(tr.t("start.tagline")).size(18.0));
    if let Some(p) = &app.state.profile {
        widgets::note(ui, tr.f("start.hello", &[("name", &p.name)]));
    }
    ui.add_space(14.0);
    ui.horizontal(|ui| {
        if widgets::primary_button(ui, tr.t("start.new")).clicked() {
            app.commands
                .push(Command::OpenDialog(Dialog::NewTrajectory));
        }
        if ui.button(tr.t("start.join")).clicked() {
            app.commands.push(Command::OpenDialog(Dialog::Join));
        }
        if ui
            .button(tr.t("import.button"))
            .on_hover_text(tr.t("import.button_tip"))
            .clicked()
        {
            app.commands.push(Command::Import);
        }
    });
    ui.add_space(22.0);
    ui.label(RichText::new(tr.t("start.mine")).size(22.0).strong());
    ui.add_space(4.0);
    if !app.list.loaded {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr.t("start.loading"));
        });
        return;
    }
    if app.list.items.is_empty() {
        widgets::hint_box(ui, |ui| {
            ui.label(tr.t("start.empty"));
        });
    }
    let now = date::now_secs();
    for s in &app.list.items {
        // The whole card opens the trajectory (its buttons still work on their own).
        let card = ui.scope_builder(egui::UiBuilder::new().sense(egui::Sense::click()), |ui| {
            widgets::card(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_max_width((ui.available_width() - 140.0).max(200.0));
                        let title = ui.add(
                            egui::Button::new(RichText::new(&s.title).size(20.0).strong())
                                .frame(false)
                                .wrap(),
                        );
                        if title.clicked() {
                            app.commands.push(Command::OpenTrajectory(s.id.clone()));
                        }
                        if !s.school.is_empty() {
                            ui.label(RichText::new(&s.school).weak());
                        }
                        let phase = tr.f(
                            "start.phase",
                            &[("n", &s.phase), ("title", &tr.phase_title(s.phase))],
                        );
                        ui.label(phase);
                        let mut facts = vec![tr.f("start.participants", &[("n", &s.participants)])];
                        if let Some(t) = s.last_change {
                            facts.push(
                                tr.f("start.changed", &[("when", &date::relative(tr, t, now))]),
                            );
                        }
                        if s.initiator {
                            facts.push(tr.t("start.you_initiator"));
                        }
                        if s.archived {
                            facts.push(tr.t("start.archived"));
                        }
                        ui.label(RichText::new(facts.join("  ·  ")).small().weak());
                        let status = app.sync.status(&s.id);
                        let online = if status.online.is_empty() {
                            tr.t("start.nobody_online")
                        } else {
                            let names: Vec<&str> =
                                status.online.iter().map(|p| p.name.as_str()).collect();
                            tr.f("start.online", &[("names", &names.join(", "))])
                        };
                        ui.label(RichText::new(online).small().weak());
                    });
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let open = ui
                            .button(tr.t("start.open"))
                            .accessible_name(tr.f("start.open_named", &[("title", &s.title)]));
                        if open.clicked() {
                            app.commands.push(Command::OpenTrajectory(s.id.clone()));
                        }
                    });
                });
            });
        });
        if card.response.clicked() {
            app.commands.push(Command::OpenTrajectory(s.id.clone()));
        }
        card.response
            .on_hover_cursor(egui::CursorIcon::PointingHand);
        ui.add_space(4.0);
    }
    for (id, why) in &app.list.broken {
        widgets::hint_box(ui, |ui| {
            ui.label(
                RichText::new(tr.f("start.broken", &[("id", id), ("error", why)]))
                    .color(ui.visuals().error_fg_color),
            );
        });
    }
}
