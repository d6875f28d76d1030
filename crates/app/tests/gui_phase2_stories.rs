#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Phase 2 stories, driven by accessible labels over the real app state: answers stay a private
//! draft in the local notebook (saved durably while typing) until "Delen met het team"; then
//! they are a story in the trajectory with the author's name, which the author can still edit.

mod phase2_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::{AssignmentKind, Role};
use phase2_support::*;

const SITUATION: &str = "Wat was de situatie?";
const MATTERS: &str = "Wat zegt dit over wat voor jou echt belangrijk is in je werk?";

#[test]
fn a_story_is_a_private_draft_until_shared_then_shows_the_author_and_stays_editable() {
    let dir = tempfile::tempdir().unwrap();
    let (id, me, _) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::Satisfaction, AssignmentKind::BrainCracker],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    let hub = h.state().hub().clone();

    // Only the handed-out assignments are offered.
    h.get_by_role_and_label(A11y::Button, "Moment van voldoening")
        .click();
    settle(&mut h);
    assert!(h.query_by_role_and_label(A11y::Button, "Logboek").is_none());
    h.get_by_label("Gesprek met een collega over een 'Moment van voldoening'");

    type_into(&mut h, A11y::TextInput, "Collega met wie je sprak", "Bram");
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        SITUATION,
        "De schoolmusical van groep 8.",
    );
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        MATTERS,
        "Samen iets moois maken.",
    );
    click_away(&mut h);
    settle(&mut h);

    // A draft: durably in the notebook on disk, not in the trajectory.
    let drafts = drafts_on_disk(dir.path(), &id);
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(drafts[0].kind, AssignmentKind::Satisfaction);
    assert_eq!(drafts[0].answers["q1"], "De schoolmusical van groep 8.");
    assert_eq!(drafts[0].answers["q5"], "Samen iets moois maken.");
    assert_eq!(drafts[0].colleague.as_deref(), Some("Bram"));
    assert!(hub.read(&id, |t| t.view().stories).unwrap().is_empty());
    assert!(
        on_disk(dir.path(), &id).stories.is_empty(),
        "nothing of the draft in the document"
    );
    h.get_by_label_contains("Concept bewaard op deze laptop");
    h.get_by_label("Nog niemand heeft antwoorden bij deze opdracht gedeeld.");

    // Share, with one more answer typed just before (not saved yet): it goes along.
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        "Wie waren erbij betrokken?",
        "De hele bovenbouw.",
    );
    h.get_by_role_and_label(A11y::Button, "Delen met het team")
        .click();
    settle(&mut h);
    let stories = on_disk(dir.path(), &id).stories;
    assert_eq!(stories.len(), 1);
    let s = &stories[0];
    assert_eq!(s.author, me);
    assert_eq!(s.kind, AssignmentKind::Satisfaction);
    assert_eq!(s.colleague.as_deref(), Some("Bram"));
    assert_eq!(s.answers["q1"], "De schoolmusical van groep 8.");
    assert_eq!(s.answers["q2"], "De hele bovenbouw.");
    assert_eq!(s.answers["q5"], "Samen iets moois maken.");
    assert!(
        drafts_on_disk(dir.path(), &id).is_empty(),
        "the draft left the notebook"
    );
    assert!(
        h.state()
            .messages()
            .iter()
            .any(|m| m == "Gedeeld met het team.")
    );

    // The shared story shows its author; the form is empty again for a next story.
    h.get_by_label("Gedeeld met het team (1)");
    h.get_by_label("Anja de Vries");
    h.get_by_label("Gesprek met Bram");
    h.get_by_label("De schoolmusical van groep 8.");
    assert_eq!(
        h.get_by_role_and_label(A11y::MultilineTextInput, SITUATION)
            .value()
            .as_deref(),
        Some("")
    );
    h.get_by_label("Nog niets ingevuld.");

    // The author can still change it.
    h.get_by_label("Aanpassen").click();
    settle(&mut h);
    let fields = h
        .query_all_by_role_and_label(A11y::MultilineTextInput, SITUATION)
        .count();
    assert_eq!(fields, 2, "the draft form and the story being edited");
    let edit = h
        .query_all_by_role_and_label(A11y::MultilineTextInput, SITUATION)
        .last()
        .unwrap();
    edit.click();
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    let edit = h
        .query_all_by_role_and_label(A11y::MultilineTextInput, SITUATION)
        .last()
        .unwrap();
    edit.type_text(" Met live muziek.");
    h.run();
    h.get_by_label("Klaar").click();
    settle(&mut h);
    let stories = on_disk(dir.path(), &id).stories;
    assert_eq!(
        stories[0].answers["q1"],
        "De schoolmusical van groep 8. Met live muziek."
    );
    assert!(
        drafts_on_disk(dir.path(), &id).is_empty(),
        "editing a story makes no draft"
    );
}

#[test]
fn typing_in_a_draft_is_kept_when_the_window_closes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _, _) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::BrainCracker],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    h.get_by_role_and_label(A11y::Button, "Hersenkrakers");
    type_into(&mut h, A11y::TextInput, "Hoe vaak deze week?", "4");
    type_into(
        &mut h,
        A11y::MultilineTextInput,
        "Wat heb je ervan geleerd?",
        "Eerst vragen, dan doen.",
    );
    close_window(&mut h);

    let drafts = drafts_on_disk(dir.path(), &id);
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].kind, AssignmentKind::BrainCracker);
    assert_eq!(drafts[0].times_past_week, Some(4));
    assert_eq!(drafts[0].answers["q4"], "Eerst vragen, dan doen.");
    assert!(on_disk(dir.path(), &id).stories.is_empty());

    // A new window on the same data directory shows the draft again, still private.
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    assert_eq!(
        h.get_by_role_and_label(A11y::MultilineTextInput, "Wat heb je ervan geleerd?")
            .value()
            .as_deref(),
        Some("Eerst vragen, dan doen.")
    );
    assert_eq!(
        h.get_by_role_and_label(A11y::TextInput, "Hoe vaak deze week?")
            .value()
            .as_deref(),
        Some("4")
    );

    // Throwing it away empties the notebook.
    h.get_by_label("Concept weggooien").click();
    h.run();
    h.get_by_label("Ja, weggooien").click();
    settle(&mut h);
    assert!(drafts_on_disk(dir.path(), &id).is_empty());
    assert_eq!(
        h.get_by_role_and_label(A11y::MultilineTextInput, "Wat heb je ervan geleerd?")
            .value()
            .as_deref(),
        Some("")
    );
}

#[test]
fn others_stories_show_their_name_and_cannot_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _, karin) = seed(
        dir.path(),
        "Anja de Vries",
        false,
        &[AssignmentKind::BrainCracker],
        2,
    );
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    // Karin's story arrives (as sync would bring it).
    h.state()
        .hub()
        .edit(&id, |t| {
            t.add_story(leerrijk_model::NewStory {
                kind: AssignmentKind::BrainCracker,
                author: karin.clone(),
                colleague: Some("Joost".into()),
                times_past_week: Some(3),
                answers: vec![("q1".into(), "Een ouder die boos was.".into())],
            })
        })
        .unwrap();
    settle(&mut h);
    h.get_by_label("Karin Smit");
    h.get_by_label("Een ouder die boos was.");
    h.get_by_label("3 keer flink moeten nadenken deze week");
    assert!(h.query_by_label("Aanpassen").is_none(), "not the author");
}

#[test]
fn without_handed_out_assignments_a_participant_gets_a_calm_note_and_the_initiator_sees_all() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), "Anja de Vries", false, &[], 2);
    let mut h = harness(new_app(
        dir.path(),
        profile("Anja de Vries", Role::Leerkracht),
    ));
    open_phase2(&mut h);
    h.get_by_label("Er zijn nog geen praktijkopdrachten uitgedeeld.");
    h.get_by_label_contains("De initiatiefnemer kiest ze");
    assert!(h.query_by_label("Delen met het team").is_none());

    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), "Karin Smit", true, &[], 2);
    let mut h = harness(new_app(dir.path(), profile("Karin Smit", Role::Directie)));
    open_phase2(&mut h);
    h.get_by_label("Er zijn nog geen praktijkopdrachten uitgedeeld.");
    for tab in [
        "Versmallen of blijven leren",
        "Moment van voldoening",
        "Hersenkrakers",
        "Logboek",
        "Mooie beelden",
    ] {
        h.get_by_role_and_label(A11y::Button, tab);
    }
    h.get_by_label_contains("alleen jij als initiatiefnemer ziet hem");
    // The initiator can hide the ones that are not handed out.
    h.get_by_label("Ook de opdrachten tonen die niet zijn uitgedeeld")
        .click();
    settle(&mut h);
    assert!(
        h.query_by_role_and_label(A11y::Button, "Hersenkrakers")
            .is_none()
    );
}
