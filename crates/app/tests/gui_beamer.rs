#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Beamer mode on the real app state: the projector view of the team's current phase, driven
//! by the initiator, who enters post-its and marketplace items for someone without a laptop.

mod meeting_support;

use egui::Key;
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::{Polarity, Role};
use meeting_support::*;

#[test]
fn beamer_shows_the_current_phase_and_the_initiator_enters_for_others() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    hub.edit(&id, |t| t.add_theme("Werkdruk", Polarity::Negative, None))
        .unwrap();
    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);

    click(&mut h, "Beamer");
    h.get_by_label("Fase 3 · Ervaringen en voorbeelden uitwisselen");
    // The entry panel is closed at first: the shared view has the screen.
    assert!(h.query_by_label("Namens").is_none());
    // The normal screen's forms are not on the projector; the flip-over is.
    assert!(h.query_by_label("Nieuw kernthema").is_none());
    h.get_by_label("Werkdruk");
    click(&mut h, "Invoeren namens iemand zonder laptop");

    // Bram has no laptop: the initiator writes his post-it, straight onto a theme.
    choose(&mut h, "Namens", "Bram");
    choose(&mut h, "Op thema", "Werkdruk");
    type_into(&mut h, A11y::TextInput, "Briefje", "Te veel vergaderingen");
    click(&mut h, "Briefje plakken");
    let v = view(&hub, &id);
    let p = &v.postits[0];
    assert_eq!(p.text, "Te veel vergaderingen");
    assert_eq!(p.author.as_deref(), Some(v.participants[1].id.as_str()));
    assert_eq!(p.theme.as_deref(), Some(v.themes[0].id.as_str()));
    h.get_by_label("Te veel vergaderingen — Bram");
    // The text on the beamer is larger than on the laptop.
    assert!(h.get_by_label("Werkdruk").rect().height() > 26.0);

    // Paging the beamer shows phase 4 without moving the team; moving the team is its own
    // button.
    click(&mut h, "Fase 4 tonen »");
    h.get_by_label("De volgordes vergelijken");
    assert_eq!(view(&hub, &id).phase, 3, "the team stays in phase 3");
    h.get_by_label("Het team is in fase 3; de beamer toont een andere fase.");
    click(&mut h, "« Fase 3 tonen");
    h.get_by_label("Werkdruk");
    click(&mut h, "Fase 4 tonen »");
    click(&mut h, "Team naar fase 4 brengen");
    assert_eq!(view(&hub, &id).phase, 4);
    assert!(!shows(&h, "de beamer toont een andere fase"));
    click(&mut h, "Fase 5 tonen »");
    click(&mut h, "Team naar fase 5 brengen");
    h.get_by_label("Aanbod (0)");
    // The entry panel the initiator opened in phase 3 is open in phase 5 too; the same
    // button closes and reopens it.
    h.get_by_label("Wie biedt het aan");
    click(&mut h, "Invoeren namens iemand zonder laptop");
    assert!(h.query_by_label("Wie biedt het aan").is_none());
    click(&mut h, "Invoeren namens iemand zonder laptop");

    // In phase 5 the initiator types offers and requests for others (names are free text).
    type_into(&mut h, A11y::TextInput, "Aanbod", "Kleuters en taal");
    type_into(&mut h, A11y::TextInput, "Wie biedt het aan", "Ria");
    click(&mut h, "Op het aanbodvel");
    type_into(&mut h, A11y::TextInput, "Vraag", "Taal bij kleuters");
    type_into(&mut h, A11y::TextInput, "Wie vraagt het", "Sem");
    click(&mut h, "Op het vraagvel");
    let v = view(&hub, &id);
    assert_eq!(v.offers[0].people, vec!["Ria".to_owned()]);
    assert_eq!(v.requests[0].person, "Sem");
    h.get_by_label("Ria kan Sem helpen: Taal bij kleuters");

    // Esc leaves the beamer.
    h.key_press(Key::Escape);
    settle(&mut h);
    h.get_by_label("Beamer");
    assert!(
        h.query_by_label("Invoeren namens iemand zonder laptop")
            .is_none()
    );
}
