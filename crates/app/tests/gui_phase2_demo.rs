#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A demo data directory for the phase 2 screenshots (`scripts/screenshots_phase2.sh`): a
//! trajectory in phase 2, started on another laptop, in which this device is participant Anja;
//! all five assignments handed out; colleagues' stories, placements, logbook hours and photos;
//! and one private draft of Anja's in the local notebook. Built through the real hub, store and
//! notebook. With `LEERRIJK_DEMO_DIR` set, it is written there and kept.

use std::path::Path;

use image::{ImageEncoder, Rgb, RgbImage};
use leerrijk_app::gui::NOTEBOOK_NAME;
use leerrijk_app::library::Library;
use leerrijk_model::{
    AssignmentKind, Clock, NewImage, NewLogbookEntry, NewStory, Notebook, Quadrant, Role,
    Trajectory,
};
use leerrijk_store::{DataDir, NotebookStore, TrajectoryId, TrajectoryStore};

/// A calm synthetic "photo": sky, sun and a field, in a given palette.
fn photo(w: u32, h: u32, sky: [u8; 3], field: [u8; 3], sun_x: f32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let horizon = 0.62 + 0.05 * (fx * 6.0).sin();
        let d = (((fx - sun_x) * w as f32 / h as f32).powi(2) + (fy - 0.3).powi(2)).sqrt();
        let c = if fy > horizon {
            let k = 1.0 - 0.35 * (fy - horizon);
            field.map(|v| (f32::from(v) * k) as u8)
        } else if d < 0.09 {
            [250, 215, 120]
        } else {
            let k = 0.75 + 0.25 * fy;
            sky.map(|v| (f32::from(v) * k) as u8)
        };
        Rgb(c)
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

fn build_demo(dir: &Path) -> String {
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let device = lib.device_id().to_owned();
    let (mut t, karin) = Trajectory::create(
        "Samen blijven leren",
        "Basisschool Het Kompas",
        "Karin Mulder",
        Role::Directie,
        Clock::System,
    )
    .unwrap();
    let anja = t
        .add_participant("Anja de Vries", Role::Leerkracht)
        .unwrap();
    t.add_device(&anja, &device).unwrap();
    let pieter = t.add_participant("Pieter Bos", Role::Leerkracht).unwrap();
    let yasmina = t
        .add_participant("Yasmina Ouali", Role::Bouwcoordinator)
        .unwrap();
    t.add_participant("Ruud Kramer", Role::Ib).unwrap();
    for kind in AssignmentKind::ALL {
        t.set_assignment(&karin, kind, true).unwrap();
    }
    t.set_phase(&karin, 2).unwrap();

    t.add_story(NewStory {
        kind: AssignmentKind::Satisfaction,
        author: pieter.clone(),
        colleague: Some("Yasmina".into()),
        times_past_week: None,
        answers: vec![
            (
                "q1".into(),
                "Een leerling die na maanden eindelijk durfde voor te lezen in de kring.".into(),
            ),
            (
                "q3".into(),
                "Ik gaf haar elke dag een kort moment alleen met mij om te oefenen.".into(),
            ),
            (
                "q5".into(),
                "Dat ik kinderen zie groeien, stap voor stap.".into(),
            ),
        ],
    })
    .unwrap();
    t.add_story(NewStory {
        kind: AssignmentKind::BrainCracker,
        author: yasmina.clone(),
        colleague: Some("Ruud".into()),
        times_past_week: Some(4),
        answers: vec![
            (
                "q1".into(),
                "Een nieuwe leerling die geen Nederlands spreekt.".into(),
            ),
            (
                "q3".into(),
                "Met de IB'er en een vertaalapp; en veel met plaatjes gewerkt.".into(),
            ),
        ],
    })
    .unwrap();
    t.set_placement(&karin, 65, "").unwrap();
    t.set_placement(&pieter, 40, "").unwrap();
    t.set_placement(&anja, 58, "Meer groen sinds we samen lessen voorbereiden")
        .unwrap();
    for (q, hours, text) in [
        (Quadrant::EasyFun, 6.0, "Voorlezen en kringgesprekken"),
        (Quadrant::EasyFun, 3.5, "Gymles"),
        (Quadrant::HardFun, 2.5, "Nieuwe rekenmethode uitproberen"),
        (Quadrant::EasyNotFun, 1.5, "Kopiëren en klaarleggen"),
        (
            Quadrant::HardNotFun,
            2.0,
            "Administratie in het nieuwe systeem",
        ),
    ] {
        t.add_logbook_entry(NewLogbookEntry {
            author: anja.clone(),
            quadrant: q,
            hours,
            text: text.into(),
        })
        .unwrap();
    }
    t.add_logbook_entry(NewLogbookEntry {
        author: pieter.clone(),
        quadrant: Quadrant::EasyNotFun,
        hours: 4.0,
        text: "Surveilleren".into(),
    })
    .unwrap();

    let data = DataDir::open(dir).unwrap();
    for (author, caption, sky, field, sun) in [
        (
            &anja,
            "De moestuin van groep 5 in de ochtendzon",
            [120, 170, 220],
            [90, 150, 70],
            0.75,
        ),
        (
            &pieter,
            "Het nieuwe leesplein",
            [200, 160, 200],
            [170, 120, 80],
            0.3,
        ),
        (&yasmina, "", [240, 180, 120], [110, 140, 90], 0.5),
    ] {
        let bytes = photo(1200, 800, sky, field, sun);
        let blob = data.put_blob(&bytes).unwrap();
        t.add_image(NewImage {
            author: author.clone(),
            caption: caption.into(),
            blob,
            mime: "image/jpeg".into(),
            width: 1200,
            height: 800,
        })
        .unwrap();
    }
    let id = t.id();
    TrajectoryStore::create(&data, &TrajectoryId::parse(&id).unwrap(), t.doc_mut()).unwrap();

    // Anja's private draft of "Hersenkrakers".
    let (mut store, doc, _) = NotebookStore::open(&data, NOTEBOOK_NAME).unwrap();
    let mut nb = Notebook::from_doc(doc);
    let d = nb.new_draft(&id, AssignmentKind::BrainCracker).unwrap();
    nb.set_details(&d, Some("Joost"), Some(3)).unwrap();
    nb.set_answer(
        &d,
        "q1",
        "Twee kinderen die elke pauze ruzie kregen over de voetbal.",
    )
    .unwrap();
    nb.set_answer(&d, "q2", "Lastig, maar ook uitdagend.")
        .unwrap();
    store.save(nb.doc_mut()).unwrap();
    id
}

#[test]
fn phase2_demo_data_dir_is_complete() {
    let keep = std::env::var_os("LEERRIJK_DEMO_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let dir = keep.as_ref().map(Path::new).unwrap_or(tmp.path());
    let id = build_demo(dir);
    let lib = Library::open(Some(dir.to_path_buf())).unwrap();
    let v = lib.open_trajectory(&id).unwrap().trajectory().view();
    assert_eq!(v.phase, 2);
    assert_eq!(v.assignments.len(), 5);
    assert_eq!(v.stories.len(), 2);
    assert_eq!(v.images.len(), 3);
    let data = DataDir::open(dir).unwrap();
    assert!(v.images.iter().all(|i| data.has_blob(&i.blob).unwrap()));
    let (_, doc, _) = NotebookStore::open(&data, NOTEBOOK_NAME).unwrap();
    assert_eq!(Notebook::from_doc(doc).drafts(&id).len(), 1);
}
