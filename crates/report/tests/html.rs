#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The HTML report: structure, escaping, embedded photos, languages, privacy.

mod common;

use common::demo;
use leerrijk_report::{ExportOptions, Lang, NoBlobs, csv_files, html, json, markdown};

#[test]
fn html_has_every_section_and_embeds_photos() {
    let (f, v) = demo();
    let page = html(&v, &ExportOptions::default(), &|h: &str| f.photo(h)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"nl\">"));
    for heading in [
        "<h1>Leren loont het langst</h1>",
        "<h2>Deelnemers</h2>",
        "<h2>Fase 1 — Start en introductie</h2>",
        "<h2>Fase 2 — Ervaringen en voorbeelden verzamelen</h2>",
        "<h2>Fase 3 — Ervaringen en voorbeelden uitwisselen</h2>",
        "<h2>Fase 4 — Focussen en kiezen</h2>",
        "<h2>Fase 5 — Over naar actie</h2>",
        "<h3>Rood–groen continuüm</h3>",
        "<h3>Hersenkrakers</h3>",
        "<h3>Mooie beelden</h3>",
        "<h4>Wie kan je vinden voor wat</h4>",
    ] {
        assert!(page.contains(heading), "missing {heading}");
    }
    // Both photos embedded as PNG data URIs, and nothing loaded from elsewhere.
    assert_eq!(page.matches("src=\"data:image/png;base64,").count(), 2);
    assert!(
        !page.contains("http://")
            || page.matches("http://").count()
                == page.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!page.contains("https://"));
    // Charts are inline SVG.
    assert!(page.contains("<svg class=\"chart red-green\""));
    assert!(page.contains("<svg class=\"chart quadrants\""));
    // Print rules.
    assert!(page.contains("@page { size: A4;"));
    assert!(page.contains("break-before: page"));
    // The clear top, the agreement in words, the archived state, late items.
    assert!(page.contains("Met stip bovenaan:"));
    assert!(page.contains("&quot;Samenwerken in de bouw&quot;. Hier beginnen we mee."));
    assert!(page.contains("Kendalls W = "));
    assert!(page.contains("Gearchiveerd op 24-11-2025"));
    assert!(page.contains("door Anja de Vries"));
    assert_eq!(
        page.matches("<span class=\"late\">na archivering toegevoegd</span>")
            .count(),
        3,
        "the note on the title page, the late post-it and the late offer"
    );
}

#[test]
fn user_text_is_escaped() {
    let (f, v) = demo();
    let page = html(&v, &ExportOptions::default(), &|h: &str| f.photo(h)).unwrap();
    assert!(!page.contains("<script>"), "no script tag from user text");
    assert!(!page.contains("<b>vet</b>"));
    assert!(page.contains(
        "Niet &lt;b&gt;vet&lt;/b&gt; &amp; &quot;aanhalingstekens&quot; &lt;script&gt;alert(1)&lt;/script&gt;"
    ));
    assert!(page.contains("Vergaderen zonder doel &amp; richting"));
    let md = markdown(&v, &ExportOptions::default()).unwrap();
    assert!(
        md.contains(r#"Niet \<b\>vet\</b\> & "aanhalingstekens" \<script\>alert(1)\</script\>"#)
    );
}

#[test]
fn missing_photos_get_a_placeholder() {
    let (_, v) = demo();
    let page = html(&v, &ExportOptions::default(), &NoBlobs).unwrap();
    assert_eq!(page.matches("class=\"missing-photo\"").count(), 2);
    assert!(!page.contains("data:image/"));
}

#[test]
fn english_report_has_no_missing_strings() {
    let (f, v) = demo();
    for lang in Lang::ALL {
        let opts = ExportOptions {
            lang,
            local_time: false,
            ..Default::default()
        };
        let page = html(&v, &opts, &|h: &str| f.photo(h)).unwrap();
        let md = markdown(&v, &opts).unwrap();
        for text in [&page, &md] {
            for key in [
                "rg.", "lb.", "mkt.", "rank.", "title.", "phase.", "p3.", "act.",
            ] {
                // A missing translation shows its key, like "mkt.title".
                let found = text
                    .match_indices(key)
                    .map(|(i, _)| &text[i..(i + 20).min(text.len())])
                    .find(|s| {
                        s.chars()
                            .nth(key.len())
                            .is_some_and(|c| c.is_ascii_lowercase())
                    });
                assert!(found.is_none(), "{lang}: untranslated {found:?}");
            }
        }
    }
    let en = html(
        &v,
        &ExportOptions {
            lang: Lang::En,
            local_time: false,
            ..Default::default()
        },
        &NoBlobs,
    )
    .unwrap();
    assert!(en.contains("<h2>Phase 4 — Focusing and choosing</h2>"));
    assert!(en.contains("Who to find for what"));
    assert!(en.contains("Clearly on top:"));
}

/// The anonymous export contains no participant name, nor any other person's name, in any
/// format; names written inside free text are replaced too.
#[test]
fn anonymous_export_contains_no_name() {
    let (f, v) = demo();
    for lang in Lang::ALL {
        let opts = ExportOptions {
            anonymous: true,
            leave_out_logbook: false,
            lang,
            local_time: false,
        };
        let mut outputs = vec![
            ("html", html(&v, &opts, &|h: &str| f.photo(h)).unwrap()),
            ("md", markdown(&v, &opts).unwrap()),
            ("json", json(&v, &opts).unwrap()),
        ];
        for c in csv_files(&v, &opts).unwrap() {
            outputs.push((c.name, String::from_utf8(c.bytes).unwrap()));
        }
        for (what, text) in &outputs {
            // Whole words as a name is written (so "Groen" is a name, "groen" a colour).
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
            let lower = text.to_lowercase();
            for name in &f.names {
                for part in name.split(' ').filter(|p| p.len() >= 3) {
                    assert!(
                        !words.contains(&part),
                        "{lang} {what} contains {part:?} (from {name:?})"
                    );
                }
                assert!(
                    !lower.contains(&name.to_lowercase()),
                    "{lang} {what} contains {name}"
                );
            }
        }
        let md = &outputs[1].1;
        assert!(
            md.contains("[naam]") || md.contains("[name]"),
            "names in free text are redacted"
        );
        // Structure is still there: the counts and matches were computed before the names went.
        assert!(md.contains("Met stip bovenaan") || md.contains("Clearly on top"));
    }
    // Without the switch the names are there.
    let md = markdown(&v, &ExportOptions::default()).unwrap();
    for name in &f.names {
        assert!(md.contains(name.as_str()), "{name}");
    }
}

#[test]
fn leaving_out_the_logbook() {
    let (f, v) = demo();
    let opts = ExportOptions {
        leave_out_logbook: true,
        ..Default::default()
    };
    let page = html(&v, &opts, &|h: &str| f.photo(h)).unwrap();
    assert!(!page.contains("Logboek: makkelijk of niet"));
    assert!(!page.contains("Administratie en rapporten"));
    assert!(
        !page.contains("<h4>Logboek bijhouden</h4>"),
        "logbook stories left out too"
    );
    assert!(page.contains("Het logboek is weggelaten."));
    let full = html(&v, &ExportOptions::default(), &NoBlobs).unwrap();
    assert!(full.contains("Administratie en rapporten"));
}

#[test]
fn json_is_show_json() {
    let (_, v) = demo();
    let j = json(&v, &ExportOptions::default()).unwrap();
    assert_eq!(
        j,
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap())
    );
}

/// A participant who was removed later still authored things: the report says so instead of
/// showing an id.
#[test]
fn removed_participants_show_as_removed() {
    let (f, mut v) = demo();
    let bram = v
        .participants
        .iter()
        .position(|p| p.name == "Bram Jansen")
        .unwrap();
    let id = v.participants.remove(bram).id;
    let md = markdown(&v, &ExportOptions::default()).unwrap();
    assert!(md.contains("(verwijderde deelnemer)"));
    assert!(!md.contains(&id));
    let page = html(&v, &ExportOptions::default(), &|h: &str| f.photo(h)).unwrap();
    assert!(!page.contains(&format!(">{id}<")));
}

#[test]
fn the_archive_time_is_in_local_time_when_asked() {
    let (_f, v) = demo();
    let at = v.archived.as_ref().expect("the demo is archived").at;
    let local = chrono::TimeZone::timestamp_millis_opt(&chrono::Local, at)
        .single()
        .unwrap()
        .format("%d-%m-%Y %H:%M")
        .to_string();
    let opts = ExportOptions {
        lang: Lang::Nl,
        local_time: true,
        ..Default::default()
    };
    let md = markdown(&v, &opts).unwrap();
    assert!(
        md.contains(&format!("Gearchiveerd op {local} door")),
        "local time in the report"
    );
    assert!(!md.contains("UTC"));
    let page = html(&v, &opts, &NoBlobs).unwrap();
    assert!(page.contains(&local) && !page.contains(" UTC"));
}
