//! Building the app state without a window, for kittest tests and UI benchmarks: an app over
//! a data directory with one trajectory open at a given phase, loaded before the first frame.
//!
//! ```no_run
//! # fn demo(dir: &std::path::Path, id: &str) -> anyhow::Result<()> {
//! let mut app = leerrijk_app::gui::LeerrijkApp::headless(dir, id, 3)?;
//! // With egui_kittest: Harness::new_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
//! # let _ = &mut app; Ok(()) }
//! ```

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use leerrijk_model::Role;

use super::app::LeerrijkApp;
use super::state::{Profile, UiState};
use super::sync_port::{NoSync, SyncPort};
use crate::hub::Hub;
use crate::library::Library;

impl LeerrijkApp {
    /// An app on `data_dir` with trajectory `id` open at `phase` (1–5), offline. The trajectory
    /// is loaded before this returns, so the first frame draws it. The profile is this device's
    /// participant (or "Leerrijk" when the device takes no part).
    pub fn headless(data_dir: &Path, id: &str, phase: u8) -> anyhow::Result<LeerrijkApp> {
        Self::headless_with_sync(data_dir, id, phase, Arc::new(NoSync))
    }

    /// Like [`Self::headless`], with a sync port (two synced instances in one test process).
    pub fn headless_with_sync(
        data_dir: &Path,
        id: &str,
        phase: u8,
        sync: Arc<dyn SyncPort>,
    ) -> anyhow::Result<LeerrijkApp> {
        let library = Library::open(Some(data_dir.to_path_buf()))?;
        let hub = Hub::new(library);
        Self::headless_on_hub(hub, id, phase, sync)
    }

    /// Like [`Self::headless`], over an existing hub (shared with a sync runtime).
    pub fn headless_on_hub(
        hub: Arc<Hub>,
        id: &str,
        phase: u8,
        sync: Arc<dyn SyncPort>,
    ) -> anyhow::Result<LeerrijkApp> {
        hub.session(id)
            .with_context(|| format!("could not open trajectory {id}"))?;
        let device = hub.library().device_id().to_owned();
        let profile = hub.read(id, |t| {
            let v = t.view();
            t.participant_for_device(&device)
                .and_then(|me| v.participant(&me).cloned())
                .map(|p| Profile {
                    name: p.name,
                    role: p.role,
                })
        })?;
        let mut state = UiState {
            profile: Some(profile.unwrap_or(Profile {
                name: "Leerrijk".into(),
                role: Role::Anders,
            })),
            open_trajectory: Some(id.to_owned()),
            ..Default::default()
        };
        state.viewed_phase.insert(id.to_owned(), phase.clamp(1, 5));
        let mut app = LeerrijkApp::new(hub.clone(), sync, state);
        // The first view now, so the first frame draws it (later ones are built off the UI
        // thread).
        app.cache.load_now(&hub, id);
        Ok(app)
    }

    /// An app on the start screen over `hub`, for the user `profile` (first run done). With a
    /// [`super::LiveSync`] on loopback (`LiveSync::start(hub, LiveSyncOptions::loopback())`),
    /// a test drives a second laptop that joins through the GUI.
    pub fn headless_start(hub: Arc<Hub>, profile: Profile, sync: Arc<dyn SyncPort>) -> LeerrijkApp {
        let state = UiState {
            profile: Some(profile),
            ..Default::default()
        };
        LeerrijkApp::new(hub, sync, state)
    }
}
