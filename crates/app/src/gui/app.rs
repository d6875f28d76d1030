//! [`LeerrijkApp`]: the window's state and its frame loop.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use crate::hub::Hub;

use super::background::{Background, Done, Summary};
use super::cache::ViewCache;
use super::command::Command;
use super::dialogs::{self, Forms};
use super::i18n::I18n;
use super::invite::QrCache;
use super::phase2::Phase2Services;
use super::phases::{PhaseCtx, PhaseScreens};
use super::repaint::Repaint;
use super::state::{Dialog, ThemeChoice, UiState};
use super::sync_port::{JoinState, SyncPort};
use super::toasts::{Kind, Toasts};
use super::undo::UndoStacks;
use super::{beamer, menu, shell, shortcuts, start, style};

/// The start screen's list.
#[derive(Debug, Default)]
pub(super) struct StartList {
    /// Readable trajectories, latest change first.
    pub items: Vec<Summary>,
    /// Trajectories that could not be read: (id, reason).
    pub broken: Vec<(String, String)>,
    /// Whether the list was loaded at least once.
    pub loaded: bool,
}

/// The desktop app: UI state, caches, and the hub it edits through.
pub struct LeerrijkApp {
    pub(super) hub: Arc<Hub>,
    pub(super) sync: Arc<dyn SyncPort>,
    pub(super) state: UiState,
    pub(super) tr: I18n,
    pub(super) cache: ViewCache,
    pub(super) bg: Background,
    pub(super) repaint: Repaint,
    pub(super) commands: Vec<Command>,
    pub(super) toasts: Toasts,
    pub(super) dialog: Option<Dialog>,
    pub(super) forms: Forms,
    pub(super) screens: HashMap<String, PhaseScreens>,
    pub(super) list: StartList,
    pub(super) opening: HashSet<String>,
    pub(super) open_errors: HashMap<String, String>,
    pub(super) qr: QrCache,
    pub(super) last_join: JoinState,
    pub(super) phase2: Phase2Services,
    /// Inverses of this device's own edits, per trajectory.
    pub(super) undo: UndoStacks,
    /// Beamer mode (full screen projector view of the open trajectory).
    pub(super) beamer: bool,
    /// What the beamer shows (its own phase, the entry panel); reset when it opens.
    pub(super) beamer_view: beamer::BeamerView,
    /// Per open trajectory, the team's phase as last drawn: a change while this laptop looks
    /// at another phase raises a notice.
    pub(super) team_phase_seen: HashMap<String, u8>,
    /// Per trajectory, the team's new phase to announce ("Ga naar fase N").
    pub(super) phase_notice: HashMap<String, u8>,
    /// A ticket from an invitation file opened before the first-run question was answered.
    pub(super) pending_invitation: Option<String>,
    /// Per trajectory, when its repair note was last read and the damaged files it names
    /// (the repair banner of the trajectory screen).
    pub(super) repair_seen: HashMap<String, (std::time::Instant, Vec<String>)>,
    look: Option<(ThemeChoice, f32)>,
    attached: bool,
}

impl std::fmt::Debug for LeerrijkApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeerrijkApp")
            .field("state", &self.state)
            .field("dialog", &self.dialog)
            .finish_non_exhaustive()
    }
}

impl LeerrijkApp {
    /// An app over a hub, a sync port and the remembered UI state.
    pub fn new(hub: Arc<Hub>, sync: Arc<dyn SyncPort>, state: UiState) -> Self {
        let repaint = Repaint::default();
        let cache = ViewCache::default();
        cache.subscribe(&hub, repaint.clone());
        cache.mark_list_dirty();
        let r = repaint.clone();
        sync.set_notify(Box::new(move || r.request()));
        let bg = Background::new(hub.clone(), repaint.clone());
        let phase2 = Phase2Services::new(hub.library().data_dir(), repaint.clone());
        let mut forms = Forms::default();
        if let Some(p) = &state.profile {
            forms.fill_from_profile(p);
        }
        LeerrijkApp {
            tr: I18n::new(state.lang),
            hub,
            sync,
            state,
            cache,
            bg,
            repaint,
            commands: Vec::new(),
            toasts: Toasts::default(),
            dialog: None,
            forms,
            screens: HashMap::new(),
            list: StartList::default(),
            opening: HashSet::new(),
            open_errors: HashMap::new(),
            qr: QrCache::default(),
            last_join: JoinState::Idle,
            phase2,
            undo: UndoStacks::default(),
            beamer: false,
            beamer_view: beamer::BeamerView::default(),
            team_phase_seen: HashMap::new(),
            phase_notice: HashMap::new(),
            pending_invitation: None,
            repair_seen: HashMap::new(),
            look: None,
            attached: false,
        }
    }

    /// Connects the app to its window: styles, repaint wake-ups. Called once; [`Self::show`]
    /// does it on the first frame if not done before.
    pub fn attach(&self, ctx: &egui::Context) {
        self.repaint.attach(ctx);
        style::install(ctx);
    }

    /// The UI state (what is persisted).
    pub fn ui_state(&self) -> &UiState {
        &self.state
    }

    /// The hub this app edits through.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// The open dialog, if any.
    pub fn dialog(&self) -> Option<Dialog> {
        self.dialog
    }

    /// Messages currently shown at the bottom of the window.
    pub fn messages(&self) -> Vec<String> {
        self.toasts.texts()
    }

    /// How many read views were built so far (they are rebuilt only after a change).
    pub fn view_rebuilds(&self) -> u64 {
        self.cache.rebuilds()
    }

    /// For tests: while `hold` is set, the analyses computed off the UI thread after an edit
    /// (the marketplace matching) wait, and the screens keep showing the previous results
    /// marked as being updated; [`Self::wait_for_background`] does not wait for them.
    pub fn hold_background_analyses(&self, hold: bool) {
        self.cache.hold_analyses(hold);
    }

    /// Waits (at most `timeout`) until background jobs (loading, file writes, edits, read
    /// views being rebuilt) are done; the next frame then draws their results.
    pub fn wait_for_background(&self, timeout: Duration) -> bool {
        // The view builder last: the other jobs' edits queue rebuilds.
        self.bg.wait_idle(timeout)
            && self.phase2.wait_idle(timeout)
            && self.cache.wait_idle(timeout)
    }

    /// Queues a command, as a button would.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// One frame: take in what happened elsewhere, draw, then run the commands the frame produced.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.attached {
            self.attach(&ctx);
            self.attached = true;
        }
        self.logic(&ctx);

        let beamer = self.beamer && self.state.open_trajectory.is_some();
        if !beamer {
            let menu = egui::Panel::top("menu-bar")
                .frame(
                    egui::Frame::new()
                        .inner_margin(egui::Margin::symmetric(10, 4))
                        .fill(ui.visuals().panel_fill),
                )
                .show(ui, |ui| menu::bar(ui, &self.tr, &self.state))
                .inner;
            self.commands.extend(menu);
        }

        if self.state.profile.is_none() {
            start::first_run(self, ui);
        } else if let Some(id) = self.state.open_trajectory.clone() {
            if beamer {
                beamer::show(self, ui, &id);
            } else {
                shell::trajectory(self, ui, &id);
            }
        } else {
            start::start_screen(self, ui);
        }
        dialogs::show(self, &ctx);
        self.toasts.show(&ctx);

        if ctx.input(|i| i.viewport().close_requested()) {
            self.flush_all(&ctx);
        }
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            // What the commands changed (theme, zoom, screen, documents) shows in the next frame.
            ctx.request_repaint();
        }
        for c in commands {
            self.execute(&ctx, c);
        }
    }

    fn logic(&mut self, ctx: &egui::Context) {
        if self.look != Some((self.state.theme, self.state.zoom)) {
            style::apply(ctx, self.state.theme, self.state.zoom);
            self.look = Some((self.state.theme, self.state.zoom));
        }
        for done in self.bg.drain() {
            self.on_done(done);
        }
        self.poll_phase2(ctx);
        // The start list reads every trajectory's view (half a second for a large one, under
        // its document's lock): only while it is shown, not after every change elsewhere.
        if self.state.open_trajectory.is_none() && self.cache.take_list_dirty() {
            self.bg.load_summaries();
        }
        let join = self.sync.join_state();
        if join != self.last_join {
            if let JoinState::Joined(id) = &join {
                self.commands.push(Command::CloseDialog);
                self.commands.push(Command::OpenTrajectory(id.clone()));
            }
            self.last_join = join;
        }
        let open = self.state.open_trajectory.clone();
        if open.is_none()
            && let Some(p) = &self.state.profile
        {
            // Presence: on the start screen, no phase (the open trajectory's shell says which).
            self.sync.set_viewing(None, None, &p.name);
        }
        self.commands
            .extend(shortcuts::handle(ctx, open.as_deref()));
    }

    fn on_done(&mut self, done: Done) {
        match done {
            Done::Summaries(results) => {
                let mut items = Vec::new();
                let mut broken = Vec::new();
                for r in results {
                    match r {
                        Ok(s) => items.push(s),
                        Err(b) => broken.push(b),
                    }
                }
                items.sort_by(|a, b| {
                    b.last_change
                        .cmp(&a.last_change)
                        .then(a.title.cmp(&b.title))
                });
                self.list = StartList {
                    items,
                    broken,
                    loaded: true,
                };
            }
            Done::Opened(id, result) => {
                self.opening.remove(&id);
                if let Err(e) = result {
                    self.open_errors.insert(id, e);
                }
            }
            Done::Saved(path) => self.toasts.push(
                Kind::Info,
                self.tr.f("toast.saved", &[("path", &path.display())]),
            ),
            Done::SaveFailed(e) => self.toasts.push(
                Kind::Error,
                self.tr.f("toast.save_failed", &[("error", &e)]),
            ),
            Done::InviteFileRead(text) => self.show_invitation(text),
            Done::InviteFileFailed(e) => {
                let message = self.tr.f("join.file_failed", &[("error", &e)]);
                if self.dialog == Some(Dialog::Join) {
                    self.forms.join_message = Some(message);
                } else {
                    self.toasts.push(Kind::Error, message);
                }
            }
            Done::Cancelled => {}
            Done::HandOut(d) => self.on_hand_out_done(d),
        }
    }

    /// Sends every screen's unsaved typing to the document (before leaving a screen or closing).
    pub fn flush_all(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let ids: Vec<String> = self.screens.keys().cloned().collect();
        for id in ids {
            let Some(cached) = self.cache.get(&self.hub, &id) else {
                continue;
            };
            let is_initiator = cached.me.is_some() && cached.view.initiator == cached.me;
            if let Some(screens) = self.screens.get_mut(&id) {
                let mut cx = PhaseCtx {
                    tr: &self.tr,
                    view: &cached.view,
                    me: cached.me.as_deref(),
                    is_initiator,
                    read_only: cached.view.archived.is_some(),
                    now,
                    commands: &mut self.commands,
                    phase2: &mut self.phase2,
                    derived: &cached.derived,
                };
                screens.flush_all(&mut cx);
            }
        }
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.execute(ctx, c);
        }
    }
}

impl eframe::App for LeerrijkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.state.save(storage);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Normally flushed when the close was requested; this catches any other way out.
        let ctx = egui::Context::default();
        self.flush_all(&ctx);
        self.wait_for_background(Duration::from_secs(5));
    }
}
