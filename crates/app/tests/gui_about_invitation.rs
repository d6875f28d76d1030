#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Help → "Over Leerrijk" (version, licence, where the data lives) and opening the app with an
//! invitation file (what double-clicking a `.leerrijk` file does), driven by accessible labels
//! with egui_kittest over a real hub on a real (temporary) data directory.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{Command, Dialog, LeerrijkApp, NoSync, Profile, UiState};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::Role;

fn harness(dir: &Path, state: UiState) -> Harness<'static, LeerrijkApp> {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let app = LeerrijkApp::new(hub, Arc::new(NoSync), state);
    Harness::builder()
        .with_size([1280.0, 1400.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Runs frames until the background jobs (start list, file reads) are done.
fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    for _ in 0..5 {
        h.run();
        assert!(h.state().wait_for_background(Duration::from_secs(10)));
    }
    h.run();
}

fn known_user() -> UiState {
    UiState {
        profile: Some(Profile {
            name: "Bram Jansen".into(),
            role: Role::Leerkracht,
        }),
        ..UiState::default()
    }
}

fn ticket_field(h: &Harness<'static, LeerrijkApp>) -> Option<String> {
    h.get_by_role_and_label(A11y::MultilineTextInput, "Uitnodiging")
        .value()
}

#[test]
fn about_shows_version_licence_and_the_data_directory() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(data.path(), known_user());
    settle(&mut h);
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label("Over Leerrijk").click();
    h.run();
    assert_eq!(h.state().dialog(), Some(Dialog::About));
    h.get_by_label(&format!("Versie {}", env!("CARGO_PKG_VERSION")));
    h.get_by_label("Licentie: MIT OR Apache-2.0 (vrije software)");
    h.get_by_label(&format!(
        "Je gegevens staan op deze laptop in: {}",
        data.path().display()
    ));
    h.get_by_label_contains("Kies 'Toegang toestaan'");
    h.get_by_label("Sluiten").click();
    h.run();
    assert_eq!(h.state().dialog(), None);
}

#[test]
fn an_invitation_file_opens_the_join_dialog_with_its_ticket() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("Uitnodiging - Leren loont.leerrijk");
    std::fs::write(&file, "  leerrijk1abcdefghijklmnop\r\n").unwrap();

    let mut h = harness(data.path(), known_user());
    settle(&mut h);
    assert_eq!(h.state().dialog(), None);
    h.state_mut().push(Command::OpenInvitation(file));
    settle(&mut h);
    assert_eq!(h.state().dialog(), Some(Dialog::Join));
    h.get_by_label("Meedoen aan een traject");
    assert_eq!(
        ticket_field(&h).as_deref(),
        Some("leerrijk1abcdefghijklmnop")
    );
}

#[test]
fn an_invitation_opened_on_first_start_waits_for_the_name() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("uitnodiging.leerrijk");
    std::fs::write(&file, "leerrijk1zyxwvu\n").unwrap();

    let mut h = harness(data.path(), UiState::default());
    h.state_mut().push(Command::OpenInvitation(file));
    settle(&mut h);
    // First the question who uses this laptop; no dialog over it.
    h.get_by_label("Welkom bij Leerrijk");
    assert_eq!(h.state().dialog(), None);
    h.get_by_role_and_label(A11y::TextInput, "Jouw naam")
        .click();
    h.run();
    h.get_by_role_and_label(A11y::TextInput, "Jouw naam")
        .type_text("Bram Jansen");
    h.run();
    h.get_by_label("Verder").click();
    settle(&mut h);
    assert_eq!(h.state().dialog(), Some(Dialog::Join));
    assert_eq!(ticket_field(&h).as_deref(), Some("leerrijk1zyxwvu"));
}

#[test]
fn an_unreadable_invitation_file_says_so_and_opens_nothing() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let missing = files.path().join("weg.leerrijk");
    let too_big = files.path().join("groot.leerrijk");
    std::fs::write(&too_big, vec![b'a'; 100 * 1024]).unwrap();

    let mut h = harness(data.path(), known_user());
    settle(&mut h);
    for file in [missing, too_big] {
        h.state_mut().push(Command::OpenInvitation(file.clone()));
        settle(&mut h);
        assert_eq!(h.state().dialog(), None);
        let messages = h.state().messages();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("Het bestand kon niet worden gelezen")
                    && m.contains(&file.display().to_string())),
            "{messages:?}"
        );
    }
}
