#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! "Versmallen of blijven leren": placing oneself on the red–green slider stores the placement
//! in the trajectory when the handle is let go — not while dragging.

mod phase2_support;

use egui::accesskit::Role as A11y;
use egui::{Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use leerrijk_model::{AssignmentKind, Role};
use phase2_support::*;

const SLIDER: &str = "Mijn plek tussen rood en groen";

fn my_placement(
    h: &egui_kittest::Harness<'static, leerrijk_app::gui::LeerrijkApp>,
    id: &str,
    me: &str,
) -> Option<u8> {
    h.state()
        .hub()
        .read(id, |t| t.view().placements)
        .unwrap()
        .into_iter()
        .find(|p| p.participant == me)
        .map(|p| p.value)
}

#[test]
fn placing_oneself_on_the_slider_lands_in_the_model_on_release() {
    let dir = tempfile::tempdir().unwrap();
    let (id, me, _) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::RedGreen],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    h.get_by_label("100% rood");
    h.get_by_label("100% groen");
    h.get_by_label_contains("Je hebt jezelf nog niet geplaatst.");
    // The five questions are there too.
    h.get_by_role_and_label(
        A11y::MultilineTextInput,
        "Wanneer zit je voornamelijk in de rode cirkel?",
    );
    h.get_by_role_and_label(
        A11y::MultilineTextInput,
        "Hoe zou die gewenste situatie meer mogelijk kunnen worden? Wat kun je daar zelf aan doen en wie heb je daar nog meer bij nodig?",
    );

    // Assistive technology sets a value: stored at once.
    h.get_by_role_and_label(A11y::Slider, SLIDER)
        .set_value_accesskit(70.0);
    settle(&mut h);
    assert_eq!(my_placement(&h, &id, &me), Some(70));
    assert_eq!(on_disk(dir.path(), &id).placements[0].value, 70);
    h.get_by_label("Jij: 30% rood · 70% groen");

    // Dragging with the mouse: nothing is stored until the handle is let go.
    let rect = h.get_by_role_and_label(A11y::Slider, SLIDER).rect();
    let y = rect.center().y;
    let at = |f: f32| Pos2::new(rect.left() + rect.width() * f, y);
    h.hover_at(at(0.7));
    h.run();
    h.event(egui::Event::PointerButton {
        pos: at(0.7),
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.run();
    for f in [0.6, 0.45, 0.3, 0.25] {
        h.hover_at(at(f));
        h.run();
    }
    assert_eq!(
        my_placement(&h, &id, &me),
        Some(70),
        "not stored while dragging"
    );
    assert!(
        h.query_by_label("Jij: 30% rood · 70% groen").is_none(),
        "the handle follows the pointer"
    );
    h.drop_at(at(0.25));
    settle(&mut h);
    let v = my_placement(&h, &id, &me).unwrap();
    assert!(
        (15..=35).contains(&v),
        "about a quarter from the red end: {v}"
    );
    h.get_by_label(&format!("Jij: {}% rood · {}% groen", 100 - v, v));

    // The keyboard steps too, and a note can be added.
    h.get_by_role_and_label(A11y::Slider, SLIDER).focus();
    h.run();
    h.key_press(egui::Key::ArrowRight);
    settle(&mut h);
    assert_eq!(my_placement(&h, &id, &me), Some(v + 1));
    type_into(
        &mut h,
        A11y::TextInput,
        "Toelichting (mag leeg blijven)",
        "Meer groen sinds het nieuwe rooster",
    );
    click_away(&mut h);
    settle(&mut h);
    let p = on_disk(dir.path(), &id)
        .placements
        .into_iter()
        .find(|p| p.participant == me)
        .unwrap();
    assert_eq!(
        (p.value, p.note.as_str()),
        (v + 1, "Meer groen sinds het nieuwe rooster")
    );
}

#[test]
fn colleagues_placements_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _, karin) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::RedGreen],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    h.state()
        .hub()
        .edit(&id, |t| t.set_placement(&karin, 20, ""))
        .unwrap();
    settle(&mut h);
    h.get_by_label("Het team tot nu toe: Karin Smit (80% rood · 20% groen)");
}
