#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A demo data directory for the screenshots (`scripts/screenshots.sh`): two trajectories, one
//! started on this device (phase 1, a team of seven with one core role missing) and one started
//! on another laptop where this device is a plain participant (phase 2). Built through the
//! real hub and store. With `LEERRIJK_DEMO_DIR` set, it is written there and kept.

use std::path::Path;

use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{AssignmentKind, Clock, Role, Trajectory};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

fn now_ms() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(d.as_millis()).unwrap()
}

fn build_demo(dir: &Path) -> (String, String) {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let a = hub
        .create(
            "Leren loont het langst 2027",
            "OBS De Regenboog",
            "Anja de Vries",
            Role::Directie,
        )
        .unwrap();
    let device = hub.library().device_id().to_owned();
    hub.edit(&a, |t| {
        for (name, role) in [
            ("Bram Jansen", Role::Leerkracht),
            ("Els Bakker", Role::Ib),
            ("Fatima El Amrani", Role::Leerkracht),
            ("Joost Smit", Role::Leerkracht),
            ("Marieke de Boer", Role::Onderwijsondersteuner),
            ("Sanne Visser", Role::Leerkracht),
        ] {
            t.add_participant(name, role)?;
        }
        let me = t.participant_for_device(&device).unwrap();
        for (phase, date) in [(1, "2027-01-12"), (2, "2027-01-26"), (3, "2027-02-23")] {
            t.set_phase_date(&me, phase, Some(date))?;
        }
        for kind in [
            AssignmentKind::Satisfaction,
            AssignmentKind::BrainCracker,
            AssignmentKind::Logbook,
        ] {
            t.set_assignment(&me, kind, true)?;
        }
        Ok(())
    })
    .unwrap();

    // Started elsewhere by Karin; this device acts for participant Anja.
    let (mut t, karin) = Trajectory::create(
        "Samen blijven leren",
        "Basisschool Het Kompas",
        "Karin Mulder",
        Role::Directie,
        // Last changed three days ago, so the start screen lists it second.
        Clock::manual(now_ms() - 3 * 86_400_000),
    )
    .unwrap();
    let anja = t
        .add_participant("Anja de Vries", Role::Leerkracht)
        .unwrap();
    t.add_device(&anja, &device).unwrap();
    t.add_device(&karin, "karins-laptop").unwrap();
    for (name, role) in [
        ("Pieter Bos", Role::Leerkracht),
        ("Yasmina Ouali", Role::Bouwcoordinator),
        ("Ruud Kramer", Role::Ib),
    ] {
        t.add_participant(name, role).unwrap();
    }
    t.set_assignment(&karin, AssignmentKind::RedGreen, true)
        .unwrap();
    t.set_assignment(&karin, AssignmentKind::Images, true)
        .unwrap();
    t.set_phase(&karin, 2).unwrap();
    let b = t.id();
    let data = DataDir::open(dir).unwrap();
    TrajectoryStore::create(&data, &TrajectoryId::parse(&b).unwrap(), t.doc_mut()).unwrap();
    (a, b)
}

#[test]
fn demo_data_dir_is_complete() {
    let keep = std::env::var_os("LEERRIJK_DEMO_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let dir = keep.as_ref().map(Path::new).unwrap_or(tmp.path());
    let (a, b) = build_demo(dir);
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let ids = lib.list().unwrap();
    assert_eq!(ids.len(), 2);
    let va = lib.open_trajectory(&a).unwrap().trajectory().view();
    assert_eq!(va.participants.len(), 7);
    assert_eq!(va.assignments.len(), 3);
    let sb = lib.open_trajectory(&b).unwrap();
    let me = sb.me(lib.device_id()).unwrap();
    assert!(!sb.trajectory().is_initiator(&me));
    assert_eq!(sb.trajectory().view().phase, 2);
}
