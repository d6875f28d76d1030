//! The desktop app (egui/eframe): what a teacher sees when `leerrijk` starts without arguments.
//!
//! # Shape
//!
//! * Everything the user does becomes a [`Command`] ([`command`]): buttons, menus and keyboard
//!   shortcuts only *produce* commands; [`LeerrijkApp::execute`] is the one place that runs
//!   them, against the [`Hub`] (document edits) or the UI state.
//! * **UI state** ([`UiState`]: profile, language, theme, zoom, which trajectory and phase are
//!   open) is separate from **document state** and persists through eframe storage. Trajectory
//!   data lives only in the automerge document behind the hub.
//! * **Read views** ([`leerrijk_model::TrajectoryView`]) are cached per trajectory and rebuilt
//!   only after the hub reports a change (a listener marks them dirty and requests a repaint),
//!   never per frame. Loading trajectories from disk, file dialogs and file writes run on
//!   background threads; a frame never waits for the network. A document edit runs in the
//!   frame that made it (one in-memory change plus the store's fsync, 8–14 ms typical), so the
//!   next frame's view already shows it: screens build further edits from the view.
//! * Each phase is a screen module implementing [`phases::PhaseScreen`] (`phase1.rs` …
//!   `phase5.rs`, registered in [`phases::PhaseScreens::new`]): it renders a read view and
//!   pushes commands. The model's analyses of a view ([`Derived`]) are computed once per view,
//!   beside it in the cache. The meeting phases' edits are [`MeetingEdit`]s; the executor keeps
//!   the inverse of each edit made on this device for undo (`undo.rs`). Beamer mode
//!   (`beamer.rs`) draws a phase's shared view for the projector.
//! * Sync is reached through the [`SyncPort`] trait ([`sync_port`]); the window uses
//!   [`LiveSync`] (the sync runtime on its own threads), tests may use [`NoSync`] ("offline").
//! * Every user-facing string comes from `assets/i18n/{nl,en}.json` ([`I18n`]).

mod app;
mod background;
mod beamer;
mod cache;
pub mod command;
mod date;
mod derived;
mod dialogs;
mod execute;
mod hand_out;
mod headless;
pub mod i18n;
mod invite;
mod markdown;
pub mod meeting_edit;
mod meeting_look;
mod menu;
mod phase1;
mod phase2;
mod phase3;
mod phase4;
mod phase5;
pub mod phases;
mod repaint;
mod shell;
mod shortcuts;
mod start;
pub mod state;
mod style;
pub mod sync_live;
pub mod sync_port;
mod toasts;
mod undo;
mod widgets;

use std::path::PathBuf;
use std::sync::Arc;

pub use app::LeerrijkApp;
pub use command::{Command, Edit};
pub use derived::Derived;
pub use i18n::{I18n, Lang};
pub use meeting_edit::MeetingEdit;
pub use phase2::{
    DraftsState, JPEG_QUALITY, MAX_SIDE, NOTEBOOK_NAME, Phase2Command, Phase2Services, THUMB_SIDE,
};
pub use state::{Dialog, Profile, ThemeChoice, UiState};
pub use sync_live::{LiveSync, LiveSyncOptions};
pub use sync_port::{
    Connection, JoinFailure, JoinState, NoSync, OnlinePeer, SyncPort, SyncStatus, TicketProblem,
};

use crate::hub::Hub;
use crate::library::Library;

/// File name of the GUI state (eframe storage) inside the data directory.
pub const UI_STATE_FILE: &str = "gui-state.ron";

/// The app icon for the title bar and task bar (the same picture the installers use).
fn window_icon() -> egui::IconData {
    const PNG: &[u8] = include_bytes!("../../../assets/icons/leerrijk-256.png");
    eframe::icon_data::from_png_bytes(PNG).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the app icon could not be read");
        egui::IconData::default()
    })
}

/// Opens the desktop app on a data directory (the default one if `None`) and runs it until the
/// window closes. With an invitation file, the join dialog opens with its ticket.
pub fn run(data_dir: Option<PathBuf>, invitation: Option<PathBuf>) -> anyhow::Result<()> {
    let library = Library::open(data_dir)?;
    let state_file = library.data_dir().path().join(UI_STATE_FILE);
    let hub = Hub::new(library);
    if let Err(e) = hub.start_watcher() {
        tracing::warn!(error = %e, "not watching the data directory for other processes' changes");
    }
    // The sync peer runs on its own threads; without it the app still works, offline.
    let live = match LiveSync::start(hub.clone(), LiveSyncOptions::product()) {
        Ok(live) => Some(live),
        Err(e) => {
            tracing::warn!(error = %crate::exit::one_line(&e), "sync could not start; working offline");
            None
        }
    };
    let sync: Arc<dyn SyncPort> = match &live {
        Some(live) => live.clone(),
        None => Arc::new(NoSync),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Leerrijk")
            .with_app_id("leerrijk")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([760.0, 520.0])
            .with_icon(window_icon()),
        persistence_path: Some(state_file),
        persist_window: true,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Leerrijk",
        options,
        Box::new(move |cc| {
            let state = cc.storage.map(UiState::load).unwrap_or_default();
            let mut app = LeerrijkApp::new(hub, sync, state);
            if let Some(file) = invitation {
                app.push(Command::OpenInvitation(file));
            }
            app.attach(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"));
    // Say bye to the team (edits are already saved and sent).
    if let Some(live) = live {
        live.shutdown();
    }
    result
}
