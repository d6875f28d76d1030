#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! "Logboek bijhouden": entries go into the 2×2 grid with hours; the grid shows the totals of
//! `analysis::logbook_totals`.

mod phase2_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::analysis::logbook_totals;
use leerrijk_model::{AssignmentKind, Quadrant, Role};
use phase2_support::*;

fn add_entry(
    h: &mut egui_kittest::Harness<'static, leerrijk_app::gui::LeerrijkApp>,
    quadrant: &str,
    hours: &str,
    text: &str,
) {
    h.get_by_role_and_label(A11y::ComboBox, "Hokje").click();
    h.run();
    h.get_by_role_and_label(A11y::Button, quadrant).click();
    h.run();
    type_into(h, A11y::TextInput, "Uren", hours);
    type_into(h, A11y::TextInput, "Wat deed je?", text);
    h.get_by_label("Toevoegen aan logboek").click();
    settle(h);
}

#[test]
fn logbook_entries_fill_the_quadrant_with_their_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (id, me, karin) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::Logbook],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    h.get_by_label("Nog geen uren in het logboek.");

    add_entry(&mut h, "Gaat makkelijk · leuk", "3", "Voorlezen in groep 4");
    add_entry(
        &mut h,
        "Gaat (nog) niet makkelijk · leuk",
        "1,5",
        "Nieuwe rekenmethode",
    );
    add_entry(&mut h, "Gaat makkelijk · leuk", "2,5", "Kringgesprek");
    add_entry(
        &mut h,
        "Gaat (nog) niet makkelijk · niet leuk",
        "2",
        "Administratie in het nieuwe systeem",
    );

    let v = on_disk(dir.path(), &id);
    assert_eq!(v.logbook.len(), 4);
    assert!(v.logbook.iter().all(|e| e.author == me));
    let t = &logbook_totals(&v).per_person[&me];
    assert_eq!(
        (t.easy_fun, t.hard_fun, t.hard_not_fun, t.easy_not_fun),
        (5.5, 1.5, 2.0, 0.0)
    );

    // The grid shows exactly those totals and shares of the 9 hours.
    h.get_by_label("5,5 uur · 61%");
    h.get_by_label("1,5 uur · 17%");
    h.get_by_label("2 uur · 22%");
    h.get_by_label("0 uur · 0%");
    h.get_by_label("Kringgesprek · 2,5 uur");
    h.get_by_label(
        "Samen 9 uur. Het meeste in 'Gaat makkelijk · leuk', het minste in 'Gaat makkelijk · niet leuk'.",
    );

    // Bad input is refused with a clear message and nothing is added.
    type_into(&mut h, A11y::TextInput, "Uren", "twee");
    type_into(&mut h, A11y::TextInput, "Wat deed je?", "Overleg");
    h.get_by_label("Toevoegen aan logboek").click();
    settle(&mut h);
    h.get_by_label_contains("Vul het aantal uren in");
    assert_eq!(on_disk(dir.path(), &id).logbook.len(), 4);

    // The team view adds a colleague's hours.
    h.state()
        .hub()
        .edit(&id, |t| {
            t.add_logbook_entry(leerrijk_model::NewLogbookEntry {
                author: karin.clone(),
                quadrant: Quadrant::EasyNotFun,
                hours: 1.0,
                text: "Surveilleren".into(),
            })
        })
        .unwrap();
    settle(&mut h);
    h.get_by_label("0 uur · 0%");
    h.get_by_label("Het hele team").click();
    settle(&mut h);
    h.get_by_label("1 uur · 10%");
    h.get_by_label("5,5 uur · 55%");

    // Removing an entry of one's own.
    h.get_by_label("Mijn uren").click();
    settle(&mut h);
    let remove = h.query_all_by_label("×").count();
    assert_eq!(remove, 4);
    h.query_all_by_label("×").next().unwrap().click();
    settle(&mut h);
    assert_eq!(
        on_disk(dir.path(), &id).logbook.len(),
        4,
        "Karin's entry plus my three"
    );
}
