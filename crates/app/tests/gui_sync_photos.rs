#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 4, "photos are downscaled and travel to the other laptops without bloating the
//! document", on two laptops in one process (live sync on loopback, relays and mDNS off):
//! the document carries only the photo's BLAKE3 hash; the bytes follow as a blob over sync
//! and Bram's gallery shows the photo.

mod sync_support;

use std::path::Path;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use image::{ImageEncoder, Rgb, RgbImage};
use leerrijk_app::gui::{Command, Phase2Command};
use leerrijk_model::{AssignmentKind, Role};
use sync_support::*;

const PHASE2: &str = "Ervaringen en voorbeelden verzamelen";
const CAPTION: &str = "Het nieuwe leesplein";

/// A photo-like PNG (a gradient with noise).
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

#[test]
fn a_photo_added_on_one_laptop_shows_on_the_other_and_the_document_holds_only_its_hash() {
    let (mut a, id) = initiator(&[AssignmentKind::Images], 2);
    let mut b = colleague("Bram", Role::Leerkracht);
    invite_and_join(&mut a, &mut b, &id, "Bram");
    b.show_phase(2, PHASE2);
    b.click_button("Mooie beelden");
    assert!(b.shows_exactly("Nog geen foto's."));

    // Anja adds a photo (as the file dialog or a drop hands it over).
    let photo = a.dir.path().join("leesplein.png");
    write_png(&photo, 2000, 1500);
    a.h.state_mut()
        .push(Command::Phase2(Phase2Command::AddPhoto {
            trajectory: id.clone(),
            path: photo,
            caption: CAPTION.into(),
        }));
    a.settle();
    a.settle();
    let img = a.view(&id).images[0].clone();
    let bytes = a
        .hub
        .library()
        .data_dir()
        .get_blob(&img.blob)
        .unwrap()
        .expect("stored on Anja's laptop");

    // On Bram's laptop: first the record, then the photo itself, shown in the gallery.
    wait_until(&mut a, &mut b, "the photo in Bram's gallery", |_, b| {
        b.h.query_all_by_role_and_label(A11y::Image, CAPTION)
            .next()
            .is_some()
    });
    assert!(b.shows_exactly("Foto's van het team (1)"));
    assert!(b.shows_exactly("Van Anja"));
    let arrived = b
        .hub
        .library()
        .data_dir()
        .get_blob(&img.blob)
        .unwrap()
        .expect("the blob is in Bram's blob store");
    assert_eq!(arrived, bytes, "the same downscaled JPEG");

    // The document holds the hash and size, never the bytes.
    let doc = b.hub.with_doc(&id, |d| d.save()).unwrap();
    assert!(
        doc.len() < 64 * 1024 && bytes.len() > 64 * 1024,
        "document {} bytes, photo {} bytes",
        doc.len(),
        bytes.len()
    );
}
