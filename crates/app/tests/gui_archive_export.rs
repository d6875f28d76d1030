#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Archive and hand-out in the desktop app, driven by accessible labels over a real hub on
//! real (temporary) data directories: the initiator archives through the confirmation dialog,
//! the banner and the refusal of edits, no archive action for other participants, exports
//! (HTML, CSV) and importing an exported automerge file.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::archive::ExportFormat;
use leerrijk_app::gui::{Command, Dialog, Edit, LeerrijkApp, NoSync, Profile, UiState};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{Clock, Role, Trajectory};
use leerrijk_report::{ExportOptions, Lang};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

const ARCHIVED: &str = "Dit traject is gearchiveerd en kan niet meer worden gewijzigd.";

fn new_app(dir: &Path, state: UiState) -> LeerrijkApp {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    LeerrijkApp::new(hub, Arc::new(NoSync), state)
}

fn harness(app: LeerrijkApp) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([1280.0, 2000.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Runs frames until background work (loading, writing, importing) is done.
fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    h.run();
    for _ in 0..50 {
        assert!(h.state().wait_for_background(Duration::from_secs(20)));
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

fn profile(name: &str, role: Role) -> UiState {
    UiState {
        profile: Some(Profile {
            name: name.into(),
            role,
        }),
        ..UiState::default()
    }
}

fn type_into(h: &mut Harness<'static, LeerrijkApp>, role: A11y, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// "Nieuw traject" through the dialog, as Anja (directie). Returns the id.
fn start_as_initiator(h: &mut Harness<'static, LeerrijkApp>) -> String {
    settle(h);
    h.get_by_label("Nieuw traject").click();
    h.run();
    type_into(h, A11y::TextInput, "Titel", "Leren loont het langst");
    type_into(h, A11y::TextInput, "School", "OBS De Regenboog");
    h.get_by_label("Traject starten").click();
    settle(h);
    h.state()
        .ui_state()
        .open_trajectory
        .clone()
        .expect("the new trajectory is open")
}

/// A trajectory started by Karin on another laptop, in which this device is Anja, a plain
/// participant; archived by Karin if `archived`.
fn seed_foreign_trajectory(dir: &Path, archived: bool) -> String {
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let (mut t, karin) = Trajectory::create(
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
    if archived {
        t.archive(&karin).unwrap();
    }
    let id = t.id();
    let data = DataDir::open(dir).unwrap();
    TrajectoryStore::create(&data, &TrajectoryId::parse(&id).unwrap(), t.doc_mut()).unwrap();
    id
}

fn messages_contain(h: &Harness<'static, LeerrijkApp>, text: &str) -> bool {
    h.state().messages().iter().any(|m| m.contains(text))
}

#[test]
fn the_initiator_archives_through_the_dialog_and_edits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Directie),
    ));
    let id = start_as_initiator(&mut h);
    let hub = h.state().hub().clone();

    // Cancel first: nothing happens.
    h.get_by_label("Archiveren…").click();
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::Archive));
    h.get_by_label("Traject archiveren?");
    h.get_by_label_contains("alleen-lezen");
    h.get_by_label_contains("ongedaan maken");
    h.get_by_label("Annuleren").click();
    settle(&mut h);
    assert_eq!(h.state().dialog(), None);
    assert!(!hub.read(&id, Trajectory::is_archived).unwrap());

    // Archive.
    h.get_by_label("Archiveren…").click();
    h.run();
    h.get_by_label("Archiveren").click();
    settle(&mut h);
    assert_eq!(h.state().dialog(), None);
    assert!(hub.read(&id, Trajectory::is_archived).unwrap());
    let v = hub.read(&id, |t| t.view()).unwrap();
    assert_eq!(
        v.archived.as_ref().map(|a| Some(a.by.clone())),
        Some(v.initiator.clone())
    );
    assert!(messages_contain(&h, "Het traject is gearchiveerd."));

    // The banner, on this and every other phase screen; the archive action is gone.
    h.get_by_label_contains("Dit traject is gearchiveerd op");
    h.get_by_label_contains("door Anja de Vries — alleen-lezen");
    assert!(h.query_by_label("Archiveren…").is_none());
    h.state_mut().push(Command::ShowPhase(4));
    settle(&mut h);
    h.get_by_label_contains("Dit traject is gearchiveerd op");
    h.state_mut().push(Command::ShowPhase(1));
    settle(&mut h);

    // The screens are read-only: no form to add a participant. An edit that still reaches
    // the executor (a late command) is refused, with the archived message.
    assert!(h.query_by_role_and_label(A11y::TextInput, "Naam").is_none());
    let before = hub.read(&id, |t| t.view().participants.len()).unwrap();
    h.state_mut().push(Command::Edit {
        trajectory: id.clone(),
        edit: Edit::AddParticipant {
            name: "Bram Jansen".into(),
            role: Role::Leerkracht,
        },
    });
    settle(&mut h);
    assert!(messages_contain(&h, ARCHIVED), "{:?}", h.state().messages());
    assert_eq!(
        hub.read(&id, |t| t.view().participants.len()).unwrap(),
        before
    );

    // The initiator can undo it from the banner; then edits work again.
    h.get_by_label("Archivering opheffen").click();
    settle(&mut h);
    assert!(!hub.read(&id, Trajectory::is_archived).unwrap());
    assert!(
        h.query_by_label_contains("Dit traject is gearchiveerd op")
            .is_none()
    );
    h.get_by_label("Archiveren…");
}

#[test]
fn a_participant_has_no_archive_action_and_sees_the_banner() {
    let dir = tempfile::tempdir().unwrap();
    let open = seed_foreign_trajectory(dir.path(), false);
    let archived = seed_foreign_trajectory(dir.path(), true);
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    settle(&mut h);

    h.state_mut().push(Command::OpenTrajectory(open.clone()));
    settle(&mut h);
    h.get_by_label("Exporteren…");
    assert!(h.query_by_label("Archiveren…").is_none());
    // Even a command sent past the UI is refused by the model.
    h.state_mut().push(Command::Archive {
        trajectory: open.clone(),
    });
    settle(&mut h);
    assert!(messages_contain(
        &h,
        "Alleen de initiatiefnemer kan dit wijzigen."
    ));
    assert!(
        !h.state()
            .hub()
            .read(&open, Trajectory::is_archived)
            .unwrap()
    );

    h.state_mut().push(Command::OpenTrajectory(archived));
    settle(&mut h);
    h.get_by_label_contains("door Karin — alleen-lezen");
    assert!(h.query_by_label("Archivering opheffen").is_none());
    assert!(h.query_by_label("Archiveren…").is_none());
}

#[test]
fn export_dialog_and_exports_to_html_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Directie),
    ));
    let id = start_as_initiator(&mut h);

    // The dialog offers every format, the language and the privacy switches.
    h.get_by_label("Exporteren…").click();
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::Export));
    for label in [
        "HTML-verslag",
        "Markdown",
        "JSON",
        "Nederlands",
        "English",
        "Namen weglaten",
        "Logboek weglaten",
        "Opslaan als…",
    ] {
        h.get_by_label(label);
    }
    h.get_by_label_contains("CSV (");
    h.get_by_label_contains("Automerge (");
    h.get_by_label("Namen weglaten").click();
    h.run();
    h.get_by_label_contains("Zonder namen");
    h.get_by_label("Annuleren").click();
    settle(&mut h);
    assert_eq!(h.state().dialog(), None);

    // Export to a path (the save dialog is the native one): HTML.
    let html = dir.path().join("verslag.html");
    h.state_mut().push(Command::ExportTo {
        trajectory: id.clone(),
        format: ExportFormat::Html,
        options: ExportOptions::default(),
        path: html.clone(),
    });
    settle(&mut h);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        text.contains("Leren loont het langst"),
        "title in the report"
    );
    assert!(text.contains("OBS De Regenboog"));
    assert!(messages_contain(&h, "Geëxporteerd:"));
    assert!(messages_contain(&h, "verslag.html"));

    // CSV: a directory of tables.
    let csv = dir.path().join("tabellen");
    h.state_mut().push(Command::ExportTo {
        trajectory: id.clone(),
        format: ExportFormat::Csv,
        options: ExportOptions {
            lang: Lang::En,
            local_time: false,
            ..ExportOptions::default()
        },
        path: csv.clone(),
    });
    settle(&mut h);
    assert!(csv.is_dir());
    for f in ["actions.csv", "offers.csv", "requests.csv", "postits.csv"] {
        assert!(csv.join(f).is_file(), "{f}");
    }

    // A failure is said clearly (a CSV export onto an existing file).
    h.state_mut().push(Command::ExportTo {
        trajectory: id,
        format: ExportFormat::Csv,
        options: ExportOptions::default(),
        path: html,
    });
    settle(&mut h);
    assert!(messages_contain(&h, "Exporteren is niet gelukt"));
}

#[test]
fn import_of_an_exported_automerge_file_opens_it() {
    let source = tempfile::tempdir().unwrap();
    let mut a = harness(new_app(
        source.path(),
        profile("Anja de Vries", Role::Directie),
    ));
    let id = start_as_initiator(&mut a);
    let file = source.path().join("traject.automerge");
    a.state_mut().push(Command::ExportTo {
        trajectory: id.clone(),
        format: ExportFormat::Automerge,
        options: ExportOptions::default(),
        path: file.clone(),
    });
    settle(&mut a);
    assert!(file.is_file());
    let exported = a.state().hub().read(&id, |t| t.view()).unwrap();

    // Another laptop: the start screen has "Importeren…"; a bad file is refused clearly.
    let other = tempfile::tempdir().unwrap();
    let mut b = harness(new_app(other.path(), profile("Bram", Role::Leerkracht)));
    settle(&mut b);
    b.get_by_label("Importeren…");
    let bad = other.path().join("kapot.automerge");
    std::fs::write(&bad, b"dit is geen automerge").unwrap();
    b.state_mut().push(Command::ImportFrom(bad));
    settle(&mut b);
    assert!(
        messages_contain(&b, "‘kapot.automerge’ kon niet worden geïmporteerd"),
        "{:?}",
        b.state().messages()
    );
    assert!(b.state().ui_state().open_trajectory.is_none());
    assert!(b.state().hub().list().unwrap().is_empty());

    b.state_mut().push(Command::ImportFrom(file));
    settle(&mut b);
    assert_eq!(
        b.state().ui_state().open_trajectory.as_deref(),
        Some(id.as_str())
    );
    assert!(messages_contain(&b, "Het traject is geïmporteerd."));
    b.get_by_label("Leren loont het langst");
    let imported = b.state().hub().read(&id, |t| t.view()).unwrap();
    assert_eq!(imported, exported);
}
