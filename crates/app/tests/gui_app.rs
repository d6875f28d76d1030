#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The desktop app, driven by its accessible labels with egui_kittest, over a real hub on a
//! real (temporary) data directory.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{Command, Dialog, LeerrijkApp, NoSync, ThemeChoice, UiState};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{AssignmentKind, Clock, Role, Trajectory};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

fn new_app(dir: &Path, state: UiState) -> LeerrijkApp {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    LeerrijkApp::new(hub, Arc::new(NoSync), state)
}

fn harness(app: LeerrijkApp) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([1280.0, 2600.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Runs frames until background work (loading, writing) is done and the UI settled.
fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    h.run();
    for _ in 0..50 {
        assert!(h.state().wait_for_background(Duration::from_secs(10)));
        h.run();
        if !h
            .state()
            .hub()
            .list()
            .unwrap()
            .iter()
            .any(|id| !h.state().hub().is_open(id))
            && h.state().wait_for_background(Duration::ZERO)
        {
            break;
        }
    }
    h.run();
}

fn type_into(h: &mut Harness<'static, LeerrijkApp>, role: A11y, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// First run (name and role), then "Nieuw traject" through the dialog. Returns the id.
fn start_as_initiator(h: &mut Harness<'static, LeerrijkApp>) -> String {
    settle(h);
    h.get_by_label("Welkom bij Leerrijk");
    type_into(h, A11y::TextInput, "Jouw naam", "Anja de Vries");
    h.get_by_role_and_label(A11y::ComboBox, "Jouw rol op school")
        .click();
    h.run();
    h.get_by_label("Directie").click();
    h.run();
    // Enter in the name field continues, like the button.
    h.get_by_role_and_label(A11y::TextInput, "Jouw naam")
        .click();
    h.run();
    h.key_press(Key::Enter);
    settle(h);
    let profile = h.state().ui_state().profile.clone().unwrap();
    assert_eq!(
        (profile.name.as_str(), profile.role),
        ("Anja de Vries", Role::Directie)
    );

    h.get_by_label("Nieuw traject").click();
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::NewTrajectory));
    type_into(h, A11y::TextInput, "Titel", "Leren loont het langst");
    type_into(h, A11y::TextInput, "School", "OBS De Regenboog");
    assert_eq!(
        h.get_by_role_and_label(A11y::TextInput, "Jouw naam")
            .value()
            .as_deref(),
        Some("Anja de Vries"),
        "the name is prefilled from the profile"
    );
    h.get_by_label("Traject starten").click();
    settle(h);
    assert_eq!(h.state().dialog(), None);
    h.state()
        .ui_state()
        .open_trajectory
        .clone()
        .expect("the new trajectory is open")
}

#[test]
fn create_trajectory_add_participant_and_change_role() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    let id = start_as_initiator(&mut h);
    let hub = h.state().hub().clone();
    let v = hub.read(&id, |t| t.view()).unwrap();
    assert_eq!(v.title, "Leren loont het langst");
    assert_eq!(v.school, "OBS De Regenboog");
    assert_eq!(v.initiator_name().as_deref(), Some("Anja de Vries"));
    assert!(
        v.letter.contains("OBS De Regenboog"),
        "letter prefilled from the template"
    );

    // Phase 1 is shown, with the voices hint.
    h.get_by_label("Deelnemers");
    h.get_by_label_contains("Het advies is 8 tot 10");
    h.get_by_label_contains("Nog niemand met de rol");

    type_into(&mut h, A11y::TextInput, "Naam", "Bram Jansen");
    h.get_by_label("Toevoegen").click();
    settle(&mut h);
    let v = hub.read(&id, |t| t.view()).unwrap();
    let bram = v
        .participants
        .iter()
        .find(|p| p.name == "Bram Jansen")
        .expect("Bram added");
    assert_eq!(bram.role, Role::Leerkracht);
    let bram_id = bram.id.clone();

    h.get_by_role_and_label(A11y::ComboBox, "Rol van Bram Jansen")
        .click();
    h.run();
    h.get_by_label("Intern begeleider (IB'er)").click();
    settle(&mut h);
    let v = hub.read(&id, |t| t.view()).unwrap();
    assert_eq!(v.participant(&bram_id).unwrap().role, Role::Ib);
    // The hint follows the document: the IB role is no longer missing.
    let hint = h
        .get_by_label_contains("Nog niemand met de rol")
        .value()
        .unwrap_or_default();
    assert!(!hint.contains("Intern begeleider"), "{hint}");
}

#[test]
fn initiator_moves_phase_picks_assignments_and_plans() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    let id = start_as_initiator(&mut h);
    let hub = h.state().hub().clone();

    h.get_by_label("Logboek bijhouden").click();
    settle(&mut h);
    h.get_by_label("Mooie beelden").click();
    settle(&mut h);
    h.get_by_label("Mooie beelden").click();
    settle(&mut h);
    assert_eq!(
        hub.read(&id, |t| t.view().assignments).unwrap(),
        vec![AssignmentKind::Logbook]
    );

    type_into(
        &mut h,
        A11y::TextInput,
        "Fase 2 · Ervaringen en voorbeelden verzamelen",
        "15-01-2027",
    );
    h.key_press(Key::Enter);
    settle(&mut h);
    let dates = hub.read(&id, |t| t.view().dates).unwrap();
    assert_eq!(dates.get("2").map(String::as_str), Some("2027-01-15"));

    // Looking at phase 2 does not move the team; the initiator's button does.
    h.get_by_label("2.  Ervaringen en voorbeelden verzamelen")
        .click();
    settle(&mut h);
    assert_eq!(hub.read(&id, |t| t.view().phase).unwrap(), 1);
    h.get_by_label_contains("Het team is in fase 1");
    h.get_by_label("Team naar fase 2 brengen").click();
    settle(&mut h);
    assert_eq!(hub.read(&id, |t| t.view().phase).unwrap(), 2);
    h.get_by_label("Hier is het team nu.");

    // Ctrl+1 goes back to phase 1 (viewing only).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    settle(&mut h);
    assert_eq!(h.state().ui_state().viewed_phase.get(&id), Some(&1));
    assert_eq!(hub.read(&id, |t| t.view().phase).unwrap(), 2);
}

#[test]
fn initiator_edits_the_letter_and_it_is_saved_on_close() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    let id = start_as_initiator(&mut h);

    // Typing, then leaving the field: saved.
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        "Informatiebrief",
        "Beste collega's, ",
    );
    h.key_press(Key::Escape);
    settle(&mut h);
    let letter = h.state().hub().read(&id, |t| t.view().letter).unwrap();
    assert!(letter.contains("Beste collega's, "), "{letter}");

    // Typing and closing the window at once: still saved, and on disk.
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        "Informatiebrief",
        "Groet, Anja. ",
    );
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    // What eframe does last: flush any typing left, wait for background writes.
    eframe::App::on_exit(h.state_mut(), None);
    let fresh = Library::open(Some(dir.path().to_path_buf())).unwrap();
    let letter = fresh
        .open_trajectory(&id)
        .unwrap()
        .trajectory()
        .view()
        .letter;
    assert!(letter.contains("Groet, Anja. "), "{letter}");
}

#[test]
fn letter_export_writes_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    let id = start_as_initiator(&mut h);
    let out = dir.path().join("brief.md");
    h.state_mut().push(Command::ExportLetterTo {
        trajectory: id.clone(),
        path: out.clone(),
    });
    settle(&mut h);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written,
        h.state().hub().read(&id, |t| t.view().letter).unwrap()
    );
    assert!(h.state().messages().iter().any(|m| m.contains("brief.md")));
}

/// A trajectory started on another laptop, in which this device is a plain participant.
fn seed_foreign_trajectory(dir: &Path) -> String {
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let (mut t, _) = Trajectory::create(
        "Samen blijven leren",
        "Het Kompas",
        "Karin",
        Role::Directie,
        Clock::System,
    )
    .unwrap();
    let me = t
        .add_participant("Anja de Vries", Role::Leerkracht)
        .unwrap();
    t.add_device(&me, lib.device_id()).unwrap();
    let id = t.id();
    let data = DataDir::open(dir).unwrap();
    TrajectoryStore::create(&data, &TrajectoryId::parse(&id).unwrap(), t.doc_mut()).unwrap();
    id
}

fn with_profile() -> UiState {
    UiState {
        profile: Some(leerrijk_app::gui::Profile {
            name: "Anja de Vries".into(),
            role: Role::Leerkracht,
        }),
        ..UiState::default()
    }
}

#[test]
fn a_participant_sees_but_cannot_change_initiator_things() {
    let dir = tempfile::tempdir().unwrap();
    let id = seed_foreign_trajectory(dir.path());
    let mut h = harness(new_app(dir.path(), with_profile()));
    settle(&mut h);
    h.get_by_label("Samen blijven leren").click();
    settle(&mut h);
    assert_eq!(
        h.state().ui_state().open_trajectory.as_deref(),
        Some(id.as_str())
    );
    h.get_by_label_contains("Alleen de initiatiefnemer brengt het team");
    assert!(
        h.query_by_role_and_label(A11y::MultilineTextInput, "Informatiebrief")
            .is_none(),
        "the letter is read-only for participants"
    );
    // Their own role they may change, the initiator's not.
    h.get_by_role_and_label(A11y::ComboBox, "Rol van Anja de Vries");
    assert!(
        h.query_by_role_and_label(A11y::ComboBox, "Rol van Karin")
            .is_none()
    );
    // Assignments are listed, not ticked: nothing handed out yet, and no check boxes.
    h.get_by_label("Er zijn nog geen opdrachten uitgedeeld.");
    assert!(
        h.query_by_role_and_label(A11y::CheckBox, "Logboek bijhouden")
            .is_none()
    );
    // The letter reads as a letter (Markdown shown formatted, not as source).
    h.get_by_label("Leren loont het langst — Het Kompas");
    assert!(h.query_by_label_contains("# Leren loont").is_none());
    // Any phase can be looked at; there is no button to move the team.
    h.get_by_label("3.  Ervaringen en voorbeelden uitwisselen")
        .click();
    settle(&mut h);
    assert!(h.query_by_label("Team naar fase 3 brengen").is_none());
    assert_eq!(h.state().hub().read(&id, |t| t.view().phase).unwrap(), 1);
}

#[test]
fn views_are_rebuilt_only_on_change_and_outside_edits_show_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    let id = start_as_initiator(&mut h);
    settle(&mut h);
    let before = h.state().view_rebuilds();
    h.run_steps(20);
    assert_eq!(
        h.state().view_rebuilds(),
        before,
        "no rebuild without a change"
    );

    // An edit from elsewhere in the process (as sync or the watcher would make it).
    let hub = h.state().hub().clone();
    hub.edit(&id, |t| {
        t.add_participant("Zoë Peters", Role::Bouwcoordinator)
            .map(|_| ())
    })
    .unwrap();
    h.run();
    assert_eq!(h.state().view_rebuilds(), before + 1);
    h.get_by_label("Zoë Peters");
}

#[test]
fn shortcuts_switch_language_theme_and_zoom() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), with_profile()));
    settle(&mut h);
    h.get_by_label("Mijn trajecten");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    h.run();
    h.get_by_label("My trajectories");
    h.get_by_label("New trajectory");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    h.run();
    assert!((h.state().ui_state().zoom - 1.2).abs() < 1e-4);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!((h.state().ui_state().zoom - 1.0).abs() < 1e-4);
    let theme = h.state().ui_state().theme;
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    h.run();
    assert_eq!(h.state().ui_state().theme, theme.next());
    assert_ne!(h.state().ui_state().theme, ThemeChoice::System);
    h.key_press(Key::F1);
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::Shortcuts));
    h.get_by_label("Keyboard shortcuts");
}

#[test]
fn join_and_invite_say_clearly_that_sync_is_not_there_yet() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    start_as_initiator(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::I);
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::Invite));
    h.get_by_label("Uitnodigen kan nog niet");
    h.get_by_label("Sluiten").click();
    h.run();
    assert_eq!(h.state().dialog(), None);

    h.get_by_label("‹  Mijn trajecten").click();
    settle(&mut h);
    h.get_by_label("Meedoen met een uitnodiging").click();
    h.run();
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        "Uitnodiging",
        "leerrijk1abcdef",
    );
    h.get_by_label("Meedoen").click();
    h.run();
    h.get_by_label_contains("nog niet beschikbaar");
    assert_eq!(h.state().dialog(), Some(Dialog::Join));
}

/// An in-memory eframe storage, to check the UI state round trip.
#[derive(Default)]
struct MemStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn ui_state_round_trips_through_eframe_storage() {
    let mut state = with_profile();
    state.lang = leerrijk_app::gui::Lang::En;
    state.theme = ThemeChoice::Dark;
    state.zoom = 1.3;
    state.open_trajectory = Some("abc".into());
    state.viewed_phase.insert("abc".into(), 3);
    let mut storage = MemStorage::default();
    state.save(&mut storage);
    assert_eq!(UiState::load(&storage), state);
    // A damaged value falls back to defaults instead of failing.
    eframe::Storage::set_string(
        &mut storage,
        leerrijk_app::gui::state::STORAGE_KEY,
        "(((".into(),
    );
    assert_eq!(UiState::load(&storage), UiState::default());
}

#[test]
fn initiator_previews_the_letter_as_it_will_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(dir.path(), UiState::default()));
    start_as_initiator(&mut h);
    h.get_by_role_and_label(A11y::MultilineTextInput, "Informatiebrief");
    h.get_by_label("Voorbeeld").click();
    h.run();
    assert!(
        h.query_by_role_and_label(A11y::MultilineTextInput, "Informatiebrief")
            .is_none()
    );
    h.get_by_label("Leren loont het langst — OBS De Regenboog");
    h.get_by_label("Wat is de aanleiding van dit traject?");
    h.get_by_label("Bewerken").click();
    h.run();
    h.get_by_role_and_label(A11y::MultilineTextInput, "Informatiebrief");
}
