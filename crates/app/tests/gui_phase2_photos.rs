#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! "Mooie beelden": a photo added by path (as the file dialog or a drop would hand it over) is
//! downscaled off the GUI thread, stored in the blob store under its BLAKE3 hash, and recorded
//! in the trajectory by hash only; its thumbnail shows up.

mod phase2_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use image::{ImageEncoder, Rgb, RgbImage};
use leerrijk_app::gui::{Command, MAX_SIDE, Phase2Command};
use leerrijk_model::{AssignmentKind, Role};
use leerrijk_store::DataDir;
use phase2_support::*;

/// A photo-like PNG: a gradient with sensor noise (which PNG cannot compress well either).
fn write_png(path: &Path, w: u32, h: u32) {
    let mut seed = 0x2545_f491_u32;
    let img = RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed % 48) as u8;
        Rgb([(x * 200 / w) as u8 + n, (y * 200 / h) as u8 + n, 90 + n])
    });
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_photo_is_downscaled_stored_as_a_blob_and_recorded_by_hash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (id, me, _) = seed(&data, "Anja de Vries", false, &[AssignmentKind::Images], 2);
    let mut h = harness(new_app(&data, profile("Anja de Vries", Role::Leerkracht)));
    open_phase2(&mut h);
    h.get_by_label("Nog geen foto's.");

    let photo = dir.path().join("leesplein.png");
    write_png(&photo, 2000, 1500);
    let size = std::fs::metadata(&photo).unwrap().len();
    h.state_mut().push(Command::Phase2(Phase2Command::AddPhoto {
        trajectory: id.clone(),
        path: photo.clone(),
        caption: "Het nieuwe leesplein".into(),
    }));
    settle(&mut h);
    settle(&mut h);

    let v = on_disk(&data, &id);
    assert_eq!(v.images.len(), 1);
    let img = &v.images[0];
    assert_eq!(img.author, me);
    assert_eq!(img.caption, "Het nieuwe leesplein");
    assert_eq!(img.mime, "image/jpeg");
    assert_eq!(
        (img.width, img.height),
        (MAX_SIDE, 1200),
        "longest side 1600, aspect kept"
    );
    let blob = DataDir::open(&data)
        .unwrap()
        .get_blob(&img.blob)
        .unwrap()
        .expect("blob stored");
    let decoded = image::load_from_memory(&blob).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200));
    assert!((blob.len() as u64) < size, "smaller than the original");

    // The document holds the hash, never the bytes.
    let doc_bytes = h.state().hub().with_doc(&id, |d| d.save()).unwrap();
    assert!(
        doc_bytes.len() < 64 * 1024,
        "document is {} bytes",
        doc_bytes.len()
    );

    // The gallery shows it with the author's name and its caption (editable by the author).
    h.get_by_label("Foto's van het team (1)");
    h.get_by_label("Van Anja de Vries");
    assert!(h.query_by_label("Laden…").is_none(), "thumbnail loaded");
    h.get_by_role_and_label(A11y::Image, "Het nieuwe leesplein");

    // Clicking the thumbnail shows the photo large; "Sluiten" closes it.
    h.get_by_role_and_label(A11y::Image, "Het nieuwe leesplein")
        .click();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(
        h.query_all_by_role_and_label(A11y::Image, "Het nieuwe leesplein")
            .count(),
        2,
        "the thumbnail and the large photo"
    );
    h.get_by_label("Sluiten").click();
    settle(&mut h);
    assert_eq!(
        h.query_all_by_role_and_label(A11y::Image, "Het nieuwe leesplein")
            .count(),
        1
    );

    // The author changes the caption under the photo.
    h.get_by_role_and_label(A11y::MultilineTextInput, "Onderschrift bij je foto")
        .click();
    h.run();
    h.key_press(egui::Key::End);
    h.get_by_role_and_label(A11y::MultilineTextInput, "Onderschrift bij je foto")
        .type_text(" van groep 5");
    h.run();
    click_away(&mut h);
    settle(&mut h);
    assert_eq!(
        on_disk(&data, &id).images[0].caption,
        "Het nieuwe leesplein van groep 5"
    );

    // Dropping a file onto the window adds it with the caption typed above.
    let second = dir.path().join("gang.png");
    write_png(&second, 400, 300);
    type_into(
        &mut h,
        A11y::TextInput,
        "Onderschrift: waarom is dit mooi?",
        "Tekeningen in de gang",
    );
    h.input_mut().dropped_files.push(Arc::new(Dropped(second)));
    settle(&mut h);
    settle(&mut h);
    let v = on_disk(&data, &id);
    assert_eq!(v.images.len(), 2);
    let dropped = v
        .images
        .iter()
        .find(|i| i.caption == "Tekeningen in de gang")
        .unwrap();
    assert_eq!(
        (dropped.width, dropped.height),
        (400, 300),
        "small photos keep their size"
    );
    h.get_by_label("Foto's van het team (2)");
}

#[test]
fn a_file_that_is_no_photo_is_refused_clearly_and_nothing_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (id, _, _) = seed(&data, "Anja de Vries", false, &[AssignmentKind::Images], 2);
    let mut h = harness(new_app(&data, profile("Anja de Vries", Role::Leerkracht)));
    open_phase2(&mut h);
    let notes = dir.path().join("notities.txt");
    std::fs::write(&notes, "geen foto").unwrap();
    h.state_mut().push(Command::Phase2(Phase2Command::AddPhoto {
        trajectory: id.clone(),
        path: notes,
        caption: String::new(),
    }));
    settle(&mut h);
    settle(&mut h);
    assert!(
        h.state()
            .messages()
            .iter()
            .any(|m| m == "notities.txt is niet toegevoegd: alleen JPEG- en PNG-foto's kunnen worden toegevoegd."),
        "{:?}",
        h.state().messages()
    );
    assert!(on_disk(&data, &id).images.is_empty());
}
