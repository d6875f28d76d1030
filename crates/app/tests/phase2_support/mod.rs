//! Shared set-up of the phase 2 GUI tests: a real hub on a temporary data directory, a
//! kittest harness around the real app, and trajectories seeded through the real store.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, NOTEBOOK_NAME, NoSync, Profile, UiState};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{AssignmentKind, Clock, DraftStory, Notebook, Role, Trajectory};
use leerrijk_store::{DataDir, NotebookStore, TrajectoryId, TrajectoryStore};

/// The app over the data directory `dir`.
pub fn new_app(dir: &Path, state: UiState) -> LeerrijkApp {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    LeerrijkApp::new(hub, Arc::new(NoSync), state)
}

/// A tall window, so the whole phase 2 screen is on screen without scrolling.
pub fn harness(app: LeerrijkApp) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([1280.0, 2600.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Runs frames until background work (loading, notebook, photos) is done and the UI settled.
pub fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    // A few frames first: they hand commands to the executor and may start background work
    // (with a spinner, which repaints until the work is done).
    h.run_steps(3);
    for _ in 0..50 {
        assert!(h.state().wait_for_background(Duration::from_secs(20)));
        h.run();
        let hub = h.state().hub().clone();
        if !hub.list().unwrap().iter().any(|id| !hub.is_open(id))
            && h.state().wait_for_background(Duration::ZERO)
        {
            break;
        }
    }
    h.run();
}

/// Clicks a text field and types into it.
pub fn type_into(h: &mut Harness<'static, LeerrijkApp>, role: A11y, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// The profile of this laptop's user.
pub fn profile(name: &str, role: Role) -> UiState {
    UiState {
        profile: Some(Profile {
            name: name.into(),
            role,
        }),
        ..UiState::default()
    }
}

/// A trajectory stored in `dir` in which this device acts for `me_name`. `initiator`: whether
/// that person is the initiator (otherwise "Karin" is). Returns (trajectory id, my participant
/// id, the other person's id).
pub fn seed(
    dir: &Path,
    me_name: &str,
    initiator: bool,
    assignments: &[AssignmentKind],
    phase: i64,
) -> (String, String, String) {
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let (init_name, other_name) = if initiator {
        (me_name, "Karin Smit")
    } else {
        ("Karin Smit", me_name)
    };
    let (mut t, init) = Trajectory::create(
        "Leren loont het langst",
        "OBS De Regenboog",
        init_name,
        Role::Directie,
        Clock::System,
    )
    .unwrap();
    let other = t.add_participant(other_name, Role::Leerkracht).unwrap();
    for kind in assignments {
        t.set_assignment(&init, *kind, true).unwrap();
    }
    t.set_phase(&init, phase).unwrap();
    let (me, them) = if initiator {
        (init, other)
    } else {
        (other, init)
    };
    t.add_device(&me, lib.device_id()).unwrap();
    let id = t.id();
    let data = DataDir::open(dir).unwrap();
    TrajectoryStore::create(&data, &TrajectoryId::parse(&id).unwrap(), t.doc_mut()).unwrap();
    (id, me, them)
}

/// Opens the trajectory from the start screen and shows phase 2.
pub fn open_phase2(h: &mut Harness<'static, LeerrijkApp>) {
    settle(h);
    h.get_by_label("Leren loont het langst").click();
    settle(h);
    h.get_by_label("2.  Ervaringen en voorbeelden verzamelen")
        .click();
    settle(h);
}

/// The drafts of a trajectory as stored on disk (a fresh read of the notebook files).
pub fn drafts_on_disk(dir: &Path, trajectory: &str) -> Vec<DraftStory> {
    let data = DataDir::open(dir).unwrap();
    let (_store, doc, _) = NotebookStore::open(&data, NOTEBOOK_NAME).unwrap();
    Notebook::from_doc(doc).drafts(trajectory)
}

/// The trajectory as stored on disk (a fresh read, not the hub's copy).
pub fn on_disk(dir: &Path, trajectory: &str) -> leerrijk_model::TrajectoryView {
    Library::open(Some(dir.to_path_buf()))
        .unwrap()
        .open_trajectory(trajectory)
        .unwrap()
        .trajectory()
        .view()
}

/// Asks the window to close (as the window manager would), then runs one frame.
pub fn close_window(h: &mut Harness<'static, LeerrijkApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

/// Clicks somewhere neutral (the phase title), so a focused field loses focus.
pub fn click_away(h: &mut Harness<'static, LeerrijkApp>) {
    h.get_by_label("Ervaringen en voorbeelden verzamelen")
        .click();
    h.run();
}
