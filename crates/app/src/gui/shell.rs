//! Inside a trajectory: the top bar (title, sync state, invite), the five phases as a sidebar,
//! and the screen of the phase being looked at.

use egui::{Color32, RichText, Sense, Vec2};

use super::app::LeerrijkApp;
use super::command::{Command, Edit};
use super::hand_out;
use super::i18n::I18n;
use super::phases::PhaseCtx;
use super::start::centered;
use super::state::Dialog;
use super::style;
use super::sync_port::{Connection, SyncStatus};
use super::widgets;

/// Draws the open trajectory `id`.
pub fn trajectory(app: &mut LeerrijkApp, ui: &mut egui::Ui, id: &str) {
    let Some(cached) = app.cache.get(&app.hub, id) else {
        loading(app, ui, id);
        return;
    };
    let view = cached.view.clone();
    let me = cached.me.clone();
    let is_initiator = me.is_some() && view.initiator == me;
    let viewed = app
        .state
        .viewed_phase
        .get(id)
        .copied()
        .filter(|p| (1..=5).contains(p))
        .unwrap_or(view.phase);
    if let Some(p) = &app.state.profile {
        app.sync.set_viewing(Some(id), Some(viewed), &p.name);
    }
    // The team moved (someone else's laptop, or this one) while this laptop looks at another
    // phase: say so, with a way there. Looking at the new phase ends the notice.
    let seen = app.team_phase_seen.insert(id.to_owned(), view.phase);
    if seen.is_some_and(|s| s != view.phase) && viewed != view.phase {
        app.phase_notice.insert(id.to_owned(), view.phase);
    }
    if viewed == view.phase {
        app.phase_notice.remove(id);
    }
    let notice = app.phase_notice.get(id).copied();

    let status = app.sync.status(id);
    egui::Panel::top("trajectory-top")
        .frame(
            egui::Frame::new()
                .fill(ui.visuals().panel_fill)
                .inner_margin(egui::Margin::symmetric(18, 10)),
        )
        .show(ui, |ui| top_bar(app, ui, id, &view, &status));

    // Narrower on small windows, so the phase screen keeps room.
    let sidebar_width = (ui.available_width() * 0.25).clamp(220.0, 300.0);
    egui::Panel::left("phases")
        .resizable(false)
        .exact_size(sidebar_width)
        .frame(
            egui::Frame::new()
                .fill(ui.visuals().faint_bg_color)
                .inner_margin(egui::Margin::symmetric(16, 18)),
        )
        .show(ui, |ui| {
            sidebar(app, ui, &view, me.as_deref(), is_initiator, viewed);
        });

    let now = ui.input(|i| i.time);
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .id_salt(("phase-scroll", id, viewed))
            .show(ui, |ui| {
                ui.add_space(8.0);
                centered(ui, 880.0, |ui| {
                    repair_banner(app, ui, id);
                    hand_out::archived_banner(ui, &app.tr, &view, is_initiator, &mut app.commands);
                    trust_notice(ui, &app.tr, &view, &status);
                    if let Some(n) = notice {
                        phase_notice(ui, &app.tr, n, &mut app.commands);
                    }
                    phase_header(
                        app,
                        ui,
                        &view.id,
                        (view.phase, viewed),
                        is_initiator,
                        view.archived.is_some(),
                    );
                    ui.add_space(10.0);
                    let screens = app.screens.entry(id.to_owned()).or_default();
                    let read_only = view.archived.is_some();
                    let mut cx = PhaseCtx {
                        tr: &app.tr,
                        view: &view,
                        me: me.as_deref(),
                        is_initiator: is_initiator && !read_only,
                        read_only,
                        now,
                        commands: &mut app.commands,
                        phase2: &mut app.phase2,
                        derived: &cached.derived,
                    };
                    if let Some(screen) = screens.get(viewed) {
                        screen.ui(ui, &mut cx);
                    }
                    ui.add_space(24.0);
                });
            });
    });
}

/// The title keeps at least this much room next to the actions; less, and the actions get a
/// row of their own (wrapping when even that is too narrow).
const MIN_TITLE_WIDTH: f32 = 260.0;

/// The top bar: back, the title (ellipsised, the full title on hover) and the actions. Nothing
/// overlaps at any width: the actions are measured first (an invisible sizing pass) and move
/// to their own, wrapping row when the title would get less than [`MIN_TITLE_WIDTH`].
fn top_bar(
    app: &mut LeerrijkApp,
    ui: &mut egui::Ui,
    id: &str,
    view: &leerrijk_model::TrajectoryView,
    status: &SyncStatus,
) {
    let actions_width = {
        let mut probe = ui.new_child(
            egui::UiBuilder::new()
                .sizing_pass()
                .invisible()
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        // Invisible means disabled too: nothing in the probe can be clicked.
        top_actions(app, &mut probe, id, status, true);
        probe.min_rect().width()
    };
    let back_label = app.tr.t("shell.back");
    let mut narrow = false;
    ui.horizontal(|ui| {
        if ui.button(back_label).clicked() {
            app.commands.push(Command::GoToStart);
        }
        ui.add_space(12.0);
        narrow = ui.available_width() - actions_width - 24.0 < MIN_TITLE_WIDTH;
        if narrow {
            title_block(ui, view);
        } else {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                top_actions(app, ui, id, status, false);
                ui.add_space(12.0);
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    title_block(ui, view);
                });
            });
        }
    });
    if narrow {
        ui.add_space(4.0);
        // Reading order, wrapping onto a further row when even a row of their own is too
        // narrow (large zoom on a small screen).
        ui.horizontal_wrapped(|ui| top_actions(app, ui, id, status, true));
    }
}

/// Title and school, each on one line, ellipsised to the room there is.
fn title_block(ui: &mut egui::Ui, view: &leerrijk_model::TrajectoryView) {
    ui.vertical(|ui| {
        ui.add(egui::Label::new(RichText::new(&view.title).size(21.0).strong()).truncate());
        if !view.school.is_empty() {
            ui.add(egui::Label::new(RichText::new(&view.school).weak()).truncate());
        }
    });
}

/// One of the top bar's actions.
#[derive(Clone, Copy)]
enum TopAction {
    Sync,
    Undo,
    Beamer,
    HandOut,
    Invite,
}

/// The top bar's actions, as they read from left to right.
const TOP_ACTIONS: [TopAction; 5] = [
    TopAction::Sync,
    TopAction::Undo,
    TopAction::Beamer,
    TopAction::HandOut,
    TopAction::Invite,
];

/// The top bar's actions: sync state, undo, beamer, export/archive, invite; drawn in reading
/// order when `left_to_right`, else from the right edge inwards.
fn top_actions(
    app: &mut LeerrijkApp,
    ui: &mut egui::Ui,
    id: &str,
    status: &SyncStatus,
    left_to_right: bool,
) {
    let mut order = TOP_ACTIONS;
    if !left_to_right {
        order.reverse();
    }
    for action in order {
        match action {
            TopAction::Invite => {
                if widgets::primary_button(ui, app.tr.t("shell.invite")).clicked() {
                    app.commands.push(Command::OpenDialog(Dialog::Invite));
                }
            }
            TopAction::HandOut => {
                if let Some(c) = app.cache.get(&app.hub, id) {
                    let is_initiator = c.me.is_some() && c.view.initiator == c.me;
                    let more =
                        hand_out::top_actions(ui, &app.tr, &c.view, is_initiator, left_to_right);
                    app.commands.extend(more);
                }
            }
            TopAction::Beamer => {
                if ui
                    .button(app.tr.t("beamer.open"))
                    .on_hover_text(app.tr.t("beamer.open_tip"))
                    .clicked()
                {
                    app.commands.push(Command::SetBeamer(true));
                }
            }
            TopAction::Undo => {
                let depth = app.undo.depth(id);
                if ui
                    .add_enabled(depth > 0, egui::Button::new(app.tr.t("meeting.undo")))
                    .on_hover_text(app.tr.t("meeting.undo_tip"))
                    .clicked()
                {
                    app.commands.push(Command::Undo {
                        trajectory: id.to_owned(),
                    });
                }
            }
            TopAction::Sync => {
                // A wider gap between the state and the buttons, on the buttons' side.
                if !left_to_right {
                    ui.add_space(12.0);
                }
                sync_chip(ui, &app.tr, status);
                if left_to_right {
                    ui.add_space(12.0);
                }
            }
        }
    }
}

fn loading(app: &mut LeerrijkApp, ui: &mut egui::Ui, id: &str) {
    if let Some(err) = app.open_errors.get(id).cloned() {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            centered(ui, 640.0, |ui| {
                widgets::card(ui, |ui| {
                    widgets::section_title(ui, app.tr.t("shell.open_failed"));
                    ui.label(RichText::new(&err).color(ui.visuals().error_fg_color));
                    if ui.button(app.tr.t("shell.back")).clicked() {
                        app.commands.push(Command::GoToStart);
                    }
                });
            });
        });
        return;
    }
    // Open in the hub: the read view is being built off the UI thread, which wakes the window
    // when it is ready (no spinner: it would repaint every frame meanwhile).
    let building = app.hub.is_open(id);
    if !building && app.opening.insert(id.to_owned()) {
        app.bg.open(id);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        centered(ui, 640.0, |ui| {
            ui.horizontal(|ui| {
                if !building {
                    ui.spinner();
                }
                ui.label(app.tr.t("shell.loading"));
            });
        });
    });
}

/// More people online than this: the bar shows the count, the tooltip the names.
const MAX_NAMES_IN_BAR: usize = 4;

/// The connection state: a coloured dot and a short text; names in the tooltip.
fn sync_chip(ui: &mut egui::Ui, tr: &I18n, status: &SyncStatus) {
    let (color, text, tip) = match &status.connection {
        Connection::Offline => (
            Color32::from_rgb(0x9a, 0x9a, 0x96),
            tr.t("sync.offline"),
            tr.t("sync.offline_tip"),
        ),
        Connection::Looking => (
            Color32::from_rgb(0xd0, 0x9a, 0x3a),
            tr.t("sync.looking"),
            tr.t("sync.looking_tip"),
        ),
        Connection::Connected(n) => {
            // Who, and which phase screen each looks at (presence).
            let names: Vec<String> = status
                .online
                .iter()
                .map(|p| match p.phase {
                    Some(phase) => tr.f("sync.name_phase", &[("name", &p.name), ("n", &phase)]),
                    None => p.name.clone(),
                })
                .collect();
            let text = if names.is_empty() {
                tr.f("sync.connected", &[("n", n)])
            } else if names.len() > MAX_NAMES_IN_BAR {
                tr.f("sync.online_count", &[("n", &names.len())])
            } else {
                tr.f(
                    "sync.online_names",
                    &[("n", &names.len()), ("names", &names.join(", "))],
                )
            };
            let mut tip = tr.t("sync.connected_tip");
            for name in &names {
                tip.push_str("\n• ");
                tip.push_str(name);
            }
            (Color32::from_rgb(0x3f, 0x9a, 0x6a), text, tip)
        }
    };
    // One widget (text, then the dot), so a wrapping row moves it as a whole.
    let galley = egui::WidgetText::from(text.as_str()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let gap = ui.spacing().item_spacing.x;
    let size = Vec2::new(galley.size().x + gap + 12.0, galley.size().y.max(12.0));
    let (rect, r) = ui.allocate_exact_size(size, Sense::hover());
    if ui.is_rect_visible(rect) {
        let text_pos = egui::pos2(rect.left(), rect.center().y - galley.size().y / 2.0);
        ui.painter()
            .galley(text_pos, galley, ui.visuals().text_color());
        let dot = egui::pos2(rect.right() - 6.0, rect.center().y);
        ui.painter().circle_filled(dot, 5.0, color);
    }
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    r.on_hover_text(tip);
}

fn sidebar(
    app: &mut LeerrijkApp,
    ui: &mut egui::Ui,
    view: &leerrijk_model::TrajectoryView,
    me: Option<&str>,
    is_initiator: bool,
    viewed: u8,
) {
    let tr = &app.tr;
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(tr.t("shell.phases")).small().weak());
    ui.add_space(4.0);
    for phase in 1..=5u8 {
        let current = phase == view.phase;
        let mut text = RichText::new(format!("{phase}.  {}", tr.phase_title(phase)));
        if current {
            text = text.strong();
        }
        let r = ui
            .with_layout(egui::Layout::top_down_justified(egui::Align::Min), |ui| {
                ui.add(
                    egui::Button::selectable(phase == viewed, text)
                        .wrap()
                        .min_size(Vec2::new(0.0, 36.0)),
                )
            })
            .inner;
        if current {
            let y = r.rect.center().y;
            ui.painter().rect_filled(
                egui::Rect::from_min_size(
                    egui::pos2(r.rect.left() - 10.0, y - 12.0),
                    Vec2::new(4.0, 24.0),
                ),
                2.0,
                style::accent(dark),
            );
            ui.horizontal(|ui| {
                ui.add_space(16.0);
                ui.label(
                    RichText::new(tr.t("shell.current_phase"))
                        .small()
                        .color(style::accent(dark)),
                );
            });
        }
        if r.clicked() {
            app.commands.push(Command::ShowPhase(phase));
        }
    }
    ui.add_space(16.0);
    ui.separator();
    ui.add_space(8.0);
    if let Some(p) = me.and_then(|m| view.participant(m)) {
        ui.label(tr.f(
            "shell.you",
            &[("name", &p.name), ("role", &tr.role(p.role))],
        ));
        if is_initiator {
            ui.label(
                RichText::new(tr.t("shell.you_initiator"))
                    .small()
                    .color(style::accent(dark)),
            );
        }
    } else {
        widgets::note(ui, tr.t("shell.not_participant"));
    }
    ui.add_space(6.0);
    if !is_initiator {
        widgets::note(ui, tr.t("shell.only_initiator_moves"));
    }
}

/// "Het team is nu in fase N" with "Ga naar fase N" and "Hier blijven".
fn phase_notice(ui: &mut egui::Ui, tr: &I18n, n: u8, commands: &mut Vec<Command>) {
    widgets::hint_box(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr.f(
                    "shell.team_moved",
                    &[("n", &n), ("title", &tr.phase_title(n))],
                ))
                .strong(),
            );
            if widgets::primary_button(ui, tr.f("shell.go_to_phase", &[("n", &n)])).clicked() {
                commands.push(Command::ShowPhase(n));
            }
            if ui.button(tr.t("shell.stay_here")).clicked() {
                commands.push(Command::DismissPhaseNotice);
            }
        });
    });
    ui.add_space(8.0);
}

fn phase_header(
    app: &mut LeerrijkApp,
    ui: &mut egui::Ui,
    id: &str,
    (current, viewed): (u8, u8),
    is_initiator: bool,
    archived: bool,
) {
    let tr = &app.tr;
    let dark = ui.visuals().dark_mode;
    ui.label(
        RichText::new(tr.f("shell.phase_of", &[("n", &viewed)]))
            .small()
            .weak(),
    );
    ui.label(RichText::new(tr.phase_title(viewed)).size(28.0).strong());
    ui.label(tr.phase_summary(viewed));
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        if viewed == current {
            ui.label(RichText::new(tr.t("shell.team_is_here")).color(style::accent(dark)));
        } else {
            ui.label(
                RichText::new(tr.f(
                    "shell.team_is_in",
                    &[("n", &current), ("title", &tr.phase_title(current))],
                ))
                .weak(),
            );
            if is_initiator
                && !archived
                && widgets::primary_button(ui, tr.f("shell.move_team", &[("n", &viewed)])).clicked()
            {
                app.commands.push(Command::Edit {
                    trajectory: id.to_owned(),
                    edit: Edit::SetPhase(viewed),
                });
            }
        }
    });
}

/// Says when the document held entries that break the rules (left out of every screen), or a
/// peer's changes were refused: both point at a faulty or modified app on another laptop.
fn trust_notice(
    ui: &mut egui::Ui,
    tr: &super::i18n::I18n,
    view: &leerrijk_model::TrajectoryView,
    status: &super::sync_port::SyncStatus,
) {
    let mut lines = Vec::new();
    match view.ignored {
        0 => {}
        1 => lines.push(tr.t("trust.ignored_one")),
        n => lines.push(tr.f("trust.ignored_many", &[("n", &n)])),
    }
    if !status.refused_from.is_empty() {
        lines.push(tr.f(
            "trust.refused",
            &[("names", &status.refused_from.join(", "))],
        ));
    }
    if lines.is_empty() {
        return;
    }
    super::widgets::hint_box(ui, |ui| {
        for line in lines {
            ui.label(line);
        }
    });
    ui.add_space(8.0);
}

/// How often the repair note of the open trajectory is read again.
const REPAIR_RECHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// While damaged files of trajectory `id` were moved aside and what they held has not come
/// back from a teammate yet: a warning naming them. The note is read at most every
/// [`REPAIR_RECHECK`].
fn repair_banner(app: &mut LeerrijkApp, ui: &mut egui::Ui, id: &str) {
    let stale = app
        .repair_seen
        .get(id)
        .is_none_or(|(at, _)| at.elapsed() >= REPAIR_RECHECK);
    if stale {
        let names = leerrijk_store::TrajectoryId::parse(id)
            .ok()
            .and_then(|tid| app.hub.library().data_dir().repair_needed(&tid).ok())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        app.repair_seen
            .insert(id.to_owned(), (std::time::Instant::now(), names));
    }
    let Some((_, names)) = app.repair_seen.get(id) else {
        return;
    };
    if names.is_empty() {
        return;
    }
    ui.ctx().request_repaint_after(REPAIR_RECHECK);
    let text = app.tr.f("repair.banner", &[("files", &names.join(", "))]);
    widgets::hint_box(ui, |ui| {
        ui.label(RichText::new(text).strong());
    });
    ui.add_space(8.0);
}
