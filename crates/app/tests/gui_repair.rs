#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A trajectory with a damaged change log opens in the window with a Dutch warning naming
//! the file that was moved aside; the warning goes once the repair note is cleared (what a
//! sync with a teammate does, see tests/tests/repair.rs).

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, NoSync, Profile, UiState};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{Clock, NewPostIt, Role, Trajectory};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

const BANNER: &str = "Een beschadigd bestand van dit traject is apart gezet";

#[test]
fn a_damaged_log_opens_with_a_dutch_warning_that_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(Some(dir.path().to_path_buf())).unwrap();
    let (mut t, _) = Trajectory::create(
        "Samen blijven leren",
        "Het Kompas",
        "Anja de Vries",
        Role::Leerkracht,
        Clock::System,
    )
    .unwrap();
    let me = t.find_participant_by_name("Anja de Vries").unwrap();
    t.add_device(&me, lib.device_id()).unwrap();
    let id = t.id();
    let tid = TrajectoryId::parse(&id).unwrap();
    let data = DataDir::open(dir.path()).unwrap();
    let mut store = TrajectoryStore::create(&data, &tid, t.doc_mut()).unwrap();
    for text in ["eerste", "tweede", "derde"] {
        t.add_postit(NewPostIt {
            text: text.into(),
            ..Default::default()
        })
        .unwrap();
        store.save(t.doc_mut()).unwrap();
    }
    drop(store);
    // One byte of the second save flipped on disk.
    let tdir = data.trajectory_dir(&tid);
    let log = std::fs::read_dir(&tdir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "log"))
        .unwrap();
    let mut bytes = std::fs::read(&log).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x10;
    std::fs::write(&log, &bytes).unwrap();

    let hub = Hub::new(lib);
    let state = UiState {
        profile: Some(Profile {
            name: "Anja de Vries".into(),
            role: Role::Leerkracht,
        }),
        open_trajectory: Some(id.clone()),
        ..UiState::default()
    };
    let app = LeerrijkApp::new(hub, Arc::new(NoSync), state);
    let mut h = Harness::builder()
        .with_size([1280.0, 1600.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app);
    let mut shown = false;
    // The note is read when the screen is drawn and again every 2 s; the trajectory is
    // opened in the background first.
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(50));
        h.step();
        assert!(h.state().wait_for_background(Duration::from_secs(10)));
        if h.query_by_label_contains(BANNER).is_some() {
            shown = true;
            break;
        }
    }
    assert!(
        shown,
        "no repair warning; note: {:?}",
        data.repair_needed(&tid)
    );
    let moved = log.file_name().unwrap().to_string_lossy().into_owned() + ".damaged";
    let named = format!("{BANNER} ({moved})");
    assert!(
        h.query_by_label_contains(&named).is_some(),
        "the warning names the file {moved}"
    );
    assert!(tdir.join(&moved).exists());
    // The trajectory itself is usable: its title is on screen.
    assert!(h.query_by_label_contains("Samen blijven leren").is_some());

    // Once the note is cleared (a sync completed the trajectory), the warning goes.
    data.repair_done(&tid).unwrap();
    let mut gone = false;
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(50));
        h.step();
        if h.query_by_label_contains(BANNER).is_none() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the warning stays after the repair");
}
