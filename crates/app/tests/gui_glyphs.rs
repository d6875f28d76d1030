#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every translated text can be drawn with the fonts the app ships (egui's default fonts):
//! a character no font has would show as a box ("tofu") on every laptop.

use egui::{FontFamily, FontId};
use leerrijk_app::gui::{I18n, Lang};

#[test]
fn every_translation_is_drawable_with_the_bundled_fonts() {
    let ctx = egui::Context::default();
    // One pass loads the fonts.
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    let i = I18n::new(Lang::Nl);
    let mut missing = Vec::new();
    for lang in Lang::ALL {
        for key in i.keys(lang) {
            let text = i.get(lang, &key).unwrap();
            for c in text.chars().filter(|c| !c.is_control()) {
                let ok =
                    ctx.fonts_mut(|f| f.has_glyph(&FontId::new(16.0, FontFamily::Proportional), c));
                if !ok {
                    missing.push(format!("{}:{key}: {c:?}", lang.code()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "characters without a glyph: {missing:#?}"
    );
}
