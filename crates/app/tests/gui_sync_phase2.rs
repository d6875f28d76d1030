#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 4 on two laptops in one process (live sync on loopback, relays and mDNS off): a
//! story Anja shares appears on Bram's laptop with her name, while her private draft never
//! leaves her laptop.

mod sync_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::{AssignmentKind, Role};
use sync_support::*;

const PHASE2: &str = "Ervaringen en voorbeelden verzamelen";
const SITUATION: &str = "Wat was de situatie?";
const LEARNED: &str = "Wat heb je ervan geleerd?";
const DRAFT: &str = "Mijn nog geheime gedachte over het rooster";

#[test]
fn a_shared_story_reaches_the_colleague_and_a_private_draft_does_not() {
    let (mut a, id) = initiator(
        &[AssignmentKind::Satisfaction, AssignmentKind::BrainCracker],
        2,
    );
    let mut b = colleague("Bram", Role::Leerkracht);
    invite_and_join(&mut a, &mut b, &id, "Bram");

    // Anja first writes a private draft (brain-crackers) and leaves it unshared.
    a.click_button("Hersenkrakers");
    a.type_into(A11y::MultilineTextInput, LEARNED, DRAFT);
    a.click(PHASE2); // click away: the field loses focus
    assert!(a.shows("Concept bewaard op deze laptop"));

    // Then she fills in and shares a "moment van voldoening".
    a.click_button("Moment van voldoening");
    a.type_into(A11y::TextInput, "Collega met wie je sprak", "Bram");
    a.type_into(
        A11y::MultilineTextInput,
        SITUATION,
        "De schoolmusical van groep 8.",
    );
    a.click_button("Delen met het team");
    assert!(a.shows_exactly("Gedeeld met het team (1)"));

    // Bram looks at phase 2: the shared story arrives with Anja's name.
    b.show_phase(2, PHASE2);
    b.click_button("Moment van voldoening");
    wait_until(
        &mut a,
        &mut b,
        "the shared story on Bram's laptop",
        |_, b| {
            b.shows_exactly("Gedeeld met het team (1)")
                && b.shows_exactly("De schoolmusical van groep 8.")
                && b.shows_exactly("Gesprek met Bram")
        },
    );
    assert!(b.shows_exactly("Anja"), "the author's name is shown");
    let stories = b.view(&id).stories;
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].answers["q1"], "De schoolmusical van groep 8.");

    // Everything Anja's document had before the share has reached Bram, and the draft was
    // not part of it: not in his document, not on his screen.
    b.click_button("Hersenkrakers");
    assert!(b.shows_exactly("Nog niemand heeft antwoorden bij deze opdracht gedeeld."));
    assert!(!b.shows(DRAFT));
    let doc = b.hub.read(&id, |t| format!("{:?}", t.view())).unwrap();
    assert!(!doc.contains(DRAFT), "the draft is not in Bram's document");
    let a_doc = a.hub.read(&id, |t| format!("{:?}", t.view())).unwrap();
    assert!(
        !a_doc.contains(DRAFT),
        "nor in Anja's: it lives in her notebook"
    );
    // On Anja's laptop the draft is still there, private.
    a.click_button("Hersenkrakers");
    assert_eq!(
        a.h.get_by_role_and_label(A11y::MultilineTextInput, LEARNED)
            .value()
            .as_deref(),
        Some(DRAFT)
    );
}
