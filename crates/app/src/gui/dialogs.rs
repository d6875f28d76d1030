//! The dialogs (modal windows) and the form fields they edit.

use egui::{Id, Modal, RichText};
use leerrijk_model::Role;

use super::app::LeerrijkApp;
use super::command::Command;
use super::hand_out::{self, ExportForm};
use super::i18n::Lang;
use super::invite;
use super::shortcuts;
use super::state::{Dialog, Profile, ThemeChoice};
use super::sync_port::JoinState;
use super::widgets;

/// Field contents of the dialogs and the first-run form.
#[derive(Debug, Clone)]
pub struct Forms {
    /// Profile: name.
    pub profile_name: String,
    /// Profile: role.
    pub profile_role: Role,
    /// Profile: problem to show.
    pub profile_error: Option<String>,
    /// New trajectory: title.
    pub new_title: String,
    /// New trajectory: school.
    pub new_school: String,
    /// New trajectory: the initiator's name.
    pub new_name: String,
    /// New trajectory: the initiator's role.
    pub new_role: Role,
    /// New trajectory: problem to show.
    pub new_error: Option<String>,
    /// Join: the pasted ticket.
    pub join_ticket: String,
    /// Join: message to show.
    pub join_message: Option<String>,
    /// Export: the chosen format, language and privacy switches.
    pub export: ExportForm,
}

impl Default for Forms {
    fn default() -> Self {
        Forms {
            profile_name: String::new(),
            profile_role: Role::Leerkracht,
            profile_error: None,
            new_title: String::new(),
            new_school: String::new(),
            new_name: String::new(),
            new_role: Role::Leerkracht,
            new_error: None,
            join_ticket: String::new(),
            join_message: None,
            export: ExportForm::default(),
        }
    }
}

impl Forms {
    /// Prefills name and role fields from the profile.
    pub fn fill_from_profile(&mut self, p: &Profile) {
        self.profile_name.clone_from(&p.name);
        self.profile_role = p.role;
        self.new_name.clone_from(&p.name);
        self.new_role = p.role;
    }

    /// Clears a dialog's fields before it opens.
    pub fn reset_for(&mut self, dialog: Dialog, profile: Option<&Profile>) {
        match dialog {
            Dialog::NewTrajectory => {
                self.new_title.clear();
                self.new_school.clear();
                self.new_error = None;
            }
            Dialog::Join => {
                self.join_ticket.clear();
                self.join_message = None;
            }
            _ => {}
        }
        self.profile_error = None;
        if let Some(p) = profile {
            self.fill_from_profile(p);
        }
    }
}

/// Shows the open dialog, if any.
pub fn show(app: &mut LeerrijkApp, ctx: &egui::Context) {
    let Some(dialog) = app.dialog else { return };
    let frame = egui::Frame::popup(&ctx.global_style())
        .inner_margin(egui::Margin::same(26))
        .corner_radius(egui::CornerRadius::same(12));
    let id = Id::unique(("dialog", format!("{dialog:?}")));
    let response = Modal::new(id).frame(frame).show(ctx, |ui| {
        ui.set_width(match dialog {
            Dialog::Invite => 680.0,
            Dialog::Join => 560.0,
            _ => 480.0,
        });
        match dialog {
            Dialog::NewTrajectory => new_trajectory(app, ui),
            Dialog::Join => join(app, ui),
            Dialog::Invite => invite_dialog(app, ui),
            Dialog::Settings => settings(app, ui),
            Dialog::Shortcuts => shortcuts_help(app, ui),
            Dialog::About => about(app, ui),
            Dialog::Archive => hand_out::archive_dialog(app, ui),
            Dialog::Export => hand_out::export_dialog(app, ui),
        }
    });
    if response.should_close() {
        app.commands.push(Command::CloseDialog);
    }
}

fn buttons_right(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    ui.add_space(8.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), add);
}

fn new_trajectory(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    let f = &mut app.forms;
    ui.heading(tr.t("new.title"));
    widgets::note(ui, tr.t("new.intro"));
    ui.add_space(6.0);
    let title = widgets::form_field(
        ui,
        &tr.t("new.field_title"),
        &mut f.new_title,
        &tr.t("new.field_title_hint"),
        420.0,
    );
    if ui.memory(|m| m.focused().is_none()) {
        title.request_focus();
    }
    widgets::form_field(
        ui,
        &tr.t("new.field_school"),
        &mut f.new_school,
        &tr.t("new.field_school_hint"),
        420.0,
    );
    widgets::form_field(ui, &tr.t("new.field_name"), &mut f.new_name, "", 420.0);
    widgets::role_field(ui, tr, "new-role", &tr.t("new.field_role"), &mut f.new_role);
    if let Some(e) = &f.new_error {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
    let ready = !f.new_title.trim().is_empty() && !f.new_name.trim().is_empty();
    buttons_right(ui, |ui| {
        if ui
            .add_enabled_ui(ready, |ui| widgets::primary_button(ui, tr.t("new.create")))
            .inner
            .clicked()
        {
            app.commands.push(Command::CreateTrajectory {
                title: f.new_title.clone(),
                school: f.new_school.clone(),
                name: f.new_name.clone(),
                role: f.new_role,
            });
        }
        if ui.button(tr.t("common.cancel")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

fn join(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    ui.heading(tr.t("join.title"));
    widgets::note(ui, tr.t("join.intro"));
    ui.add_space(6.0);
    let l = ui.label(tr.t("join.field_ticket"));
    let field = ui
        .add(
            egui::TextEdit::multiline(&mut app.forms.join_ticket)
                .font(egui::TextStyle::Monospace)
                .hint_text(tr.t("join.field_ticket_hint"))
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    if ui.memory(|m| m.focused().is_none()) {
        field.request_focus();
    }
    if ui.button(tr.t("join.open_file")).clicked() {
        app.commands.push(Command::OpenInviteFile);
    }
    if let Some(p) = &app.state.profile {
        widgets::note(
            ui,
            tr.f("join.as", &[("name", &p.name), ("role", &tr.role(p.role))]),
        );
    }
    match app.sync.join_state() {
        JoinState::Joining => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr.t("join.joining"));
            });
        }
        JoinState::Failed(why) => {
            ui.label(RichText::new(why.message(tr)).color(ui.visuals().error_fg_color));
        }
        JoinState::Idle | JoinState::Joined(_) => {}
    }
    if let Some(m) = &app.forms.join_message {
        widgets::hint_box(ui, |ui| {
            ui.label(m);
        });
    }
    let ready = !app.forms.join_ticket.trim().is_empty();
    buttons_right(ui, |ui| {
        if ui
            .add_enabled_ui(ready, |ui| widgets::primary_button(ui, tr.t("join.button")))
            .inner
            .clicked()
        {
            app.commands.push(Command::Join {
                ticket: app.forms.join_ticket.clone(),
            });
        }
        if ui.button(tr.t("common.cancel")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

fn invite_dialog(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let Some(id) = app.state.open_trajectory.clone() else {
        return;
    };
    let title = app
        .cache
        .get(&app.hub, &id)
        .map(|c| c.view.title.clone())
        .unwrap_or_default();
    let ticket = app.sync.invite_ticket(&id);
    invite::ui(ui, &app.tr, &mut app.qr, &title, &ticket, &mut app.commands);
    buttons_right(ui, |ui| {
        if ui.button(app.tr.t("common.close")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

fn settings(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    ui.heading(tr.t("settings.title"));
    ui.add_space(6.0);
    widgets::form_field(
        ui,
        &tr.t("settings.name"),
        &mut app.forms.profile_name,
        "",
        360.0,
    );
    widgets::role_field(
        ui,
        tr,
        "settings-role",
        &tr.t("settings.role"),
        &mut app.forms.profile_role,
    );
    if let Some(e) = &app.forms.profile_error {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
    ui.add_space(8.0);
    ui.label(RichText::new(tr.t("settings.language")).strong());
    ui.horizontal(|ui| {
        for lang in Lang::ALL {
            if ui
                .radio(app.state.lang == lang, lang.native_name())
                .clicked()
            {
                app.commands.push(Command::SetLanguage(lang));
            }
        }
    });
    ui.label(RichText::new(tr.t("settings.theme")).strong());
    ui.horizontal(|ui| {
        for theme in ThemeChoice::ALL {
            if ui
                .radio(app.state.theme == theme, tr.t(theme.key()))
                .clicked()
            {
                app.commands.push(Command::SetTheme(theme));
            }
        }
    });
    ui.label(RichText::new(tr.t("settings.zoom")).strong());
    ui.horizontal(|ui| {
        if ui.button(tr.t("settings.smaller")).clicked() {
            app.commands.push(Command::ZoomOut);
        }
        ui.label(format!("{:.0}%", app.state.zoom * 100.0));
        if ui.button(tr.t("settings.larger")).clicked() {
            app.commands.push(Command::ZoomIn);
        }
    });
    buttons_right(ui, |ui| {
        if widgets::primary_button(ui, tr.t("common.save")).clicked() {
            app.commands.push(Command::SetProfile(Profile {
                name: app.forms.profile_name.clone(),
                role: app.forms.profile_role,
            }));
        }
        if ui.button(tr.t("common.close")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

fn shortcuts_help(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    ui.heading(tr.t("shortcuts.title"));
    ui.add_space(6.0);
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .spacing([28.0, 8.0])
        .show(ui, |ui| {
            for s in shortcuts::ALL.iter().filter(|s| s.listed) {
                ui.label(RichText::new(ui.ctx().format_shortcut(&s.keys)).monospace());
                let text = match s.action {
                    shortcuts::Action::Phase(n) => tr.f(s.action.key(), &[("n", &n)]),
                    a => tr.t(a.key()),
                };
                ui.label(text);
                ui.end_row();
            }
        });
    buttons_right(ui, |ui| {
        if ui.button(tr.t("common.close")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

fn about(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    ui.heading(tr.t("app.name"));
    widgets::note(
        ui,
        tr.f("about.version", &[("version", &env!("CARGO_PKG_VERSION"))]),
    );
    ui.add_space(6.0);
    ui.label(tr.t("about.body"));
    ui.add_space(4.0);
    widgets::note(ui, tr.t("about.source"));
    ui.add_space(6.0);
    ui.label(tr.f("about.licence", &[("licence", &env!("CARGO_PKG_LICENSE"))]));
    let data_dir = app.hub.library().data_dir().path().display().to_string();
    ui.add(egui::Label::new(tr.f("about.data_dir", &[("path", &data_dir)])).selectable(true));
    ui.add_space(4.0);
    widgets::note(ui, tr.t("about.firewall"));
    buttons_right(ui, |ui| {
        if ui.button(tr.t("common.close")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}
