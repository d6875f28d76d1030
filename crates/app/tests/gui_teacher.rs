#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 13, "the meeting room as a teacher meets it": the fixes, driven by accessible label
//! over a real hub on a temporary data directory.

mod meeting_support;

use egui::accesskit::Role as A11y;
use egui::{Key, Modifiers, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{Command, LeerrijkApp};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{ActionStatus, NewAction, Polarity, Role, Trajectory};
use meeting_support::{app, choose, click, seed, settle, shows, type_into, view};

const LONG_TITLE: &str = "Leren loont het langst: samen ontdekken wat ons werk op OBS De \
                          Regenboog leerrijk maakt, schooljaar 2026–2027";

fn sized(app: LeerrijkApp, w: f32, h: f32) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([w, h])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

#[test]
fn top_bar_never_overlaps_and_ellipsises_a_long_title() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::new(Library::open(Some(dir.path().to_path_buf())).unwrap());
    let id = hub
        .create(LONG_TITLE, "OBS De Regenboog", "Anja", Role::Directie)
        .unwrap();
    for (w, h) in [
        (800.0, 600.0),
        (1024.0, 640.0),
        (1200.0, 800.0),
        (1920.0, 1080.0),
    ] {
        for zoom_steps in [0, 3] {
            let mut harness = sized(app(&hub, &id, 1), w, h);
            for _ in 0..zoom_steps {
                harness.state_mut().push(Command::ZoomIn);
            }
            settle(&mut harness);
            let screen = harness.ctx.content_rect();
            let mut rects: Vec<(String, Rect)> = Vec::new();
            let title = harness.get_by_label(LONG_TITLE).rect();
            rects.push(("title".into(), title));
            for label in [
                "‹  Mijn trajecten",
                "Uitnodigen",
                "Beamer",
                "Ongedaan maken",
                "Exporteren…",
                "Archiveren…",
                "Offline",
            ] {
                rects.push((label.into(), harness.get_by_label(label).rect()));
            }
            let at = format!("{w}×{h}, {zoom_steps} zoom steps");
            for (i, (a, ra)) in rects.iter().enumerate() {
                assert!(
                    ra.left() >= screen.left() - 0.5 && ra.right() <= screen.right() + 0.5,
                    "{at}: {a:?} {ra:?} leaves the window {screen:?}"
                );
                for (b, rb) in &rects[i + 1..] {
                    assert!(
                        !ra.shrink(0.5).intersects(rb.shrink(0.5)),
                        "{at}: {a:?} {ra:?} overlaps {b:?} {rb:?}"
                    );
                }
            }
            // The long title is cut off (its full text is in the tooltip), not wrapped.
            assert!(title.height() < 40.0, "{at}: one line: {title:?}");
            assert!(title.width() < screen.width(), "{at}: ellipsised");
        }
    }
}

#[test]
fn initiator_renames_and_removes_a_participant_in_phase_1() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(
        dir.path(),
        &[("Bram", Role::Leerkracht), ("Carla", Role::Ib)],
    );
    let mut h = meeting_support::harness(app(&hub, &id, 1));
    settle(&mut h);
    // The initiator cannot remove herself; everyone else has both buttons.
    assert!(h.query_by_label("Anja weghalen").is_none());
    h.get_by_label("Naam van Anja wijzigen");

    click(&mut h, "Naam van Bram wijzigen");
    let field = h.get_by_role_and_label(A11y::TextInput, "Nieuwe naam voor Bram");
    assert_eq!(
        field.value().as_deref(),
        Some("Bram"),
        "starts from the name"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(A11y::TextInput, "Nieuwe naam voor Bram")
        .type_text("Bram de Jong");
    h.run();
    click(&mut h, "Opslaan");
    let names: Vec<String> = view(&hub, &id)
        .participants
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Anja", "Bram de Jong", "Carla"]);
    assert!(
        h.query_by_label("Nieuwe naam voor Bram").is_none(),
        "field closed"
    );

    // Removing asks first; "Annuleren" keeps her, "Ja, weghalen" removes her.
    click(&mut h, "Carla weghalen");
    assert!(shows(
        &h,
        "Carla weghalen? Wat Carla al schreef, blijft staan."
    ));
    click(&mut h, "Annuleren");
    assert_eq!(view(&hub, &id).participants.len(), 3);
    click(&mut h, "Carla weghalen");
    click(&mut h, "Ja, weghalen");
    let names: Vec<String> = view(&hub, &id)
        .participants
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Anja", "Bram de Jong"]);
    assert!(h.query_by_label("Naam van Carla wijzigen").is_none());
}

#[test]
fn an_archived_trajectory_has_no_input_fields_and_says_so_on_the_beamer_too() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    hub.edit(&id, |t| t.add_theme("Werkdruk", Polarity::Negative, None))
        .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 3));
    settle(&mut h);
    // Before: the forms are there.
    h.get_by_label("Nieuw kernthema");
    assert!(h.query_all_by_role(A11y::TextInput).next().is_some());

    hub.edit(&id, |t| t.archive(&anja)).unwrap();
    settle(&mut h);
    for phase in 1..=5u8 {
        h.state_mut().push(Command::ShowPhase(phase));
        settle(&mut h);
        assert!(
            shows(&h, "Dit traject is gearchiveerd op"),
            "phase {phase}: banner"
        );
        let inputs: Vec<String> = h
            .query_all_by_role(A11y::TextInput)
            .map(|n| format!("{n:?}"))
            .collect();
        assert!(inputs.is_empty(), "phase {phase}: input fields {inputs:?}");
        assert!(
            !shows(&h, "Team naar fase"),
            "phase {phase}: no move button"
        );
        assert!(!shows(&h, "Deelnemer toevoegen"));
        assert!(h.query_by_label("Rol van Bram").is_none());
    }
    // The flip-over is still there to read.
    h.state_mut().push(Command::ShowPhase(3));
    settle(&mut h);
    h.get_by_label("Werkdruk");

    // The beamer says it too, and offers no entry panel.
    click(&mut h, "Beamer");
    assert!(shows(&h, "Dit traject is gearchiveerd op"));
    assert!(
        h.query_by_label("Invoeren namens iemand zonder laptop")
            .is_none()
    );
}

#[test]
fn post_it_and_action_choices_reset_per_entry_and_the_add_button_stays_put() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    let werkdruk = hub
        .edit(&id, |t| t.add_theme("Werkdruk", Polarity::Negative, None))
        .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 3));
    settle(&mut h);

    // One post-it on a theme, anonymous; the next one, typed right after, is neither.
    choose(&mut h, "Op thema", "Werkdruk");
    click(&mut h, "Anoniem");
    type_into(&mut h, A11y::TextInput, "Briefje", "Te veel vergaderingen");
    click(&mut h, "Briefje plakken");
    type_into(&mut h, A11y::TextInput, "Briefje", "Koffie met collega's");
    click(&mut h, "Briefje plakken");
    let v = view(&hub, &id);
    let first = v
        .postits
        .iter()
        .find(|p| p.text == "Te veel vergaderingen")
        .unwrap();
    let second = v
        .postits
        .iter()
        .find(|p| p.text == "Koffie met collega's")
        .unwrap();
    assert_eq!(
        (first.theme.as_deref(), first.anonymous),
        (Some(werkdruk.as_str()), true)
    );
    assert_eq!((second.theme.as_deref(), second.anonymous), (None, false));

    // Phase 5: an action with owner and theme; the next one starts without them; the add
    // button is at the same place before typing, after typing, after adding and after a
    // refused date.
    hub.edit(&id, |t| t.set_phase(&anja, 5)).unwrap();
    h.state_mut().push(Command::ShowPhase(5));
    settle(&mut h);
    // (Within a pixel: an empty field's hint text is a hair taller than typed text.)
    let at = |h: &Harness<'static, LeerrijkApp>| h.get_by_label("Actie toevoegen").rect().min;
    let start = at(&h);
    let same = |p: egui::Pos2| (p - start).length() < 2.0;
    type_into(
        &mut h,
        A11y::TextInput,
        "Nieuwe actie",
        "Samen de weekplanning",
    );
    assert!(same(at(&h)));
    choose(&mut h, "Wie", "Bram");
    choose(&mut h, "Thema", "Werkdruk");
    assert!(same(at(&h)));
    click(&mut h, "Actie toevoegen");
    assert!(same(at(&h)));
    type_into(&mut h, A11y::TextInput, "Nieuwe actie", "Minder vergaderen");
    type_into(&mut h, A11y::TextInput, "Klaar op", "volgende week");
    click(&mut h, "Actie toevoegen");
    assert!(same(at(&h)), "the date's error comes after the button");
    h.get_by_role_and_label(A11y::TextInput, "Klaar op").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Backspace);
    h.run();
    click(&mut h, "Actie toevoegen");
    let v = view(&hub, &id);
    let a1 = v
        .actions
        .iter()
        .find(|a| a.text == "Samen de weekplanning")
        .unwrap();
    let a2 = v
        .actions
        .iter()
        .find(|a| a.text == "Minder vergaderen")
        .unwrap();
    assert_eq!(a1.theme.as_deref(), Some(werkdruk.as_str()));
    assert!(a1.owner.is_some());
    assert_eq!((a2.theme.as_deref(), a2.owner.as_deref()), (None, None));
}

#[test]
fn a_team_move_is_announced_to_whoever_looks_at_another_phase() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    // This laptop looks at phase 1 (chosen); the team is moved on elsewhere.
    let mut h = meeting_support::harness(app(&hub, &id, 1));
    settle(&mut h);
    assert!(!shows(&h, "Het team is nu in fase"));
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    settle(&mut h);
    h.get_by_label("Het team is nu in fase 3: Ervaringen en voorbeelden uitwisselen.");
    click(&mut h, "Ga naar fase 3");
    assert_eq!(h.state().ui_state().viewed_phase.get(&id), Some(&3));
    assert!(!shows(&h, "Het team is nu in fase"));

    // Looking at phase 2, the team moves to 4: "Hier blijven" keeps phase 2, without notice.
    h.state_mut().push(Command::ShowPhase(2));
    settle(&mut h);
    hub.edit(&id, |t| t.set_phase(&anja, 4)).unwrap();
    settle(&mut h);
    h.get_by_label("Ga naar fase 4");
    click(&mut h, "Hier blijven");
    assert!(!shows(&h, "Het team is nu in fase"));
    assert_eq!(h.state().ui_state().viewed_phase.get(&id), Some(&2));
}

#[test]
fn phase_4_puts_nobody_in_two_groups_and_remove_group_stays_put() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(
        dir.path(),
        &[("Bram", Role::Leerkracht), ("Carla", Role::Ib)],
    );
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 4)).unwrap();
    hub.edit(&id, |t| {
        t.add_group("Groep 1", &[])?;
        t.add_group("Groep 2", &[]).map(|_| ())
    })
    .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 4));
    settle(&mut h);
    let remove_at = |h: &Harness<'static, LeerrijkApp>| {
        h.get_all_by_label("Groep weghalen")
            .next()
            .unwrap()
            .rect()
            .min
    };
    let before = remove_at(&h);
    choose(&mut h, "Lid toevoegen aan Groep 1", "Bram");
    choose(&mut h, "Lid toevoegen aan Groep 1", "Carla");
    assert!(
        (remove_at(&h) - before).length() < 1.0,
        "Groep weghalen moved"
    );
    let v = view(&hub, &id);
    assert_eq!(v.groups[0].members.len(), 2);
    // Groep 2 offers only who is in no group yet: Anja, not Bram.
    let count = |h: &Harness<'static, LeerrijkApp>, name: &str| h.query_all_by_label(name).count();
    let (bram, anja) = (count(&h, "Bram"), count(&h, "Anja"));
    h.get_by_role_and_label(A11y::ComboBox, "Lid toevoegen aan Groep 2")
        .click();
    h.run();
    assert_eq!(count(&h, "Anja"), anja + 1, "Anja is offered");
    assert_eq!(count(&h, "Bram"), bram, "Bram is not offered again");
}

#[test]
fn anders_is_visible_in_the_role_list() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let mut h = sized(app(&hub, &id, 1), 1024.0, 640.0);
    settle(&mut h);
    h.get_by_role_and_label(A11y::ComboBox, "Rol van Bram")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(A11y::ComboBox, "Rol van Bram")
        .click();
    h.run();
    // Every option is inside the window and can be clicked where it is drawn.
    let screen = h.ctx.content_rect();
    let anders = h.get_all_by_label("Anders").last().unwrap().rect();
    assert!(screen.contains_rect(anders), "{anders:?} in {screen:?}");
    h.get_all_by_label("Anders").last().unwrap().click();
    settle(&mut h);
    assert_eq!(view(&hub, &id).participants[1].role, Role::Anders);
}

#[test]
fn an_invalid_date_says_so_without_widening_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    let mut h = sized(app(&hub, &id, 1), 1024.0, 2400.0);
    settle(&mut h);
    let field = "Fase 1 · Start en introductie";
    let title_before = h.get_by_label("Tijdsplanning").rect();
    h.get_by_role_and_label(A11y::TextInput, field).click();
    h.run();
    h.get_by_role_and_label(A11y::TextInput, field)
        .type_text("volgende week");
    h.run();
    h.key_press(Key::Tab);
    settle(&mut h);
    let error = h.get_by_label_contains("Geen geldige datum").rect();
    let screen = h.ctx.content_rect();
    assert!(error.right() <= screen.right(), "{error:?} in {screen:?}");
    assert!(error.width() <= 261.0, "wrapped: {error:?}");
    assert_eq!(h.get_by_label("Tijdsplanning").rect(), title_before);
    assert!(view(&hub, &id).dates.is_empty(), "nothing saved");
}

#[test]
fn a_concurrent_action_status_shows_both_and_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 5)).unwrap();
    let action = hub
        .edit(&id, |t| {
            t.add_action(NewAction {
                text: "Samen plannen".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
        })
        .unwrap();
    // Anne sets "Bezig" here while Bram, offline, set "Klaar"; then the two merge.
    hub.edit(&id, |t| {
        let mut bram = Trajectory::from_doc(t.doc_mut().fork())?;
        bram.set_action_status(&action, ActionStatus::Done)?;
        t.set_action_status(&action, ActionStatus::Doing)?;
        t.doc_mut()
            .merge(bram.doc_mut())
            .map(|_| ())
            .map_err(leerrijk_model::ModelError::from)
    })
    .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 5));
    settle(&mut h);
    h.get_by_label("Twee mensen kozen tegelijk iets anders. Kies wat het wordt:");
    h.get_by_label("Stand 'Bezig' kiezen voor Samen plannen");
    click(&mut h, "Stand 'Klaar' kiezen voor Samen plannen");
    let a = &view(&hub, &id).actions[0];
    assert_eq!(a.status, ActionStatus::Done);
    assert!(a.status_conflicts.is_empty());
    assert!(!shows(&h, "Twee mensen kozen tegelijk"));
}

#[test]
fn counts_of_one_are_singular() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    hub.edit(&id, |t| t.add_theme("Werkdruk", Polarity::Negative, None))
        .unwrap();
    hub.edit(&id, |t| t.add_theme("Samen", Polarity::Positive, None))
        .unwrap();
    hub.edit(&id, |t| t.add_theme("Ruimte", Polarity::Positive, None))
        .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 3));
    settle(&mut h);
    h.get_by_label("1 thema");
    h.get_by_label("2 thema's");
    assert!(!shows(&h, "1 thema's"));
}

#[test]
fn the_letter_follows_the_time_plan_and_the_initiators_name_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    let anja = view(&hub, &id).initiator.unwrap();
    let own = format!(
        "{}\n\nEen zin die Anja zelf schreef.",
        view(&hub, &id).letter
    );
    hub.edit(&id, |t| t.set_letter(&anja, &own)).unwrap();
    assert!(view(&hub, &id).letter.contains("(nog in te vullen)"));
    let mut h = sized(app(&hub, &id, 1), 1280.0, 3000.0);
    settle(&mut h);
    let set_date = |h: &mut Harness<'static, LeerrijkApp>, text: &str| {
        let field = "Fase 1 · Start en introductie";
        h.get_by_role_and_label(A11y::TextInput, field).click();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_role_and_label(A11y::TextInput, field)
            .type_text(text);
        h.run();
        h.key_press(Key::Tab);
        settle(h);
    };
    set_date(&mut h, "15-01-2027");
    let letter = view(&hub, &id).letter;
    assert!(!letter.contains("(nog in te vullen)"), "{letter}");
    assert!(
        letter.contains("Fase 1 · Start en introductie: 15-01-2027"),
        "{letter}"
    );
    assert!(letter.contains("Een zin die Anja zelf schreef."));

    set_date(&mut h, "22-01-2027");
    let letter = view(&hub, &id).letter;
    assert!(letter.contains("Start en introductie: 22-01-2027") && !letter.contains("15-01-2027"));
    assert!(letter.contains("Een zin die Anja zelf schreef."));

    // The initiator's new name reaches the signature.
    click(&mut h, "Naam van Anja wijzigen");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(A11y::TextInput, "Nieuwe naam voor Anja")
        .type_text("Anja de Vries");
    h.run();
    click(&mut h, "Opslaan");
    let letter = view(&hub, &id).letter;
    assert!(letter.contains("Anja de Vries"), "{letter}");
    assert!(letter.contains("Een zin die Anja zelf schreef."));
}

#[test]
fn the_letter_exports_as_a_word_document() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    let mut h = meeting_support::harness(app(&hub, &id, 1));
    settle(&mut h);
    h.get_by_label("Exporteren als Word…");
    let out = dir.path().join("brief.docx");
    h.state_mut().push(Command::ExportLetterTo {
        trajectory: id.clone(),
        path: out.clone(),
    });
    settle(&mut h);
    for _ in 0..50 {
        if out.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run();
    }
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip package");
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("word/document.xml"), "a Word document");
    // The same document the report crate makes of the letter (one Markdown reader).
    let expected = leerrijk_report::docx_from_markdown(&view(&hub, &id).letter).unwrap();
    assert_eq!(bytes.len(), expected.len());
}

#[test]
fn someone_put_in_two_groups_on_two_laptops_is_shown_with_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 4)).unwrap();
    let bram = view(&hub, &id).participants[1].id.clone();
    let (g1, g2) = hub
        .edit(&id, |t| {
            Ok((t.add_group("Groep 1", &[])?, t.add_group("Groep 2", &[])?))
        })
        .unwrap();
    // Two laptops, apart: one puts Bram in Groep 1, the other in Groep 2; then they merge.
    hub.edit(&id, |t| {
        let mut other = Trajectory::from_doc(t.doc_mut().fork())?;
        other.set_group_member(&g2, &bram, true)?;
        t.set_group_member(&g1, &bram, true)?;
        t.doc_mut()
            .merge(other.doc_mut())
            .map(|_| ())
            .map_err(leerrijk_model::ModelError::from)
    })
    .unwrap();
    let mut h = meeting_support::harness(app(&hub, &id, 4));
    settle(&mut h);
    assert!(shows(
        &h,
        "Bram staat in twee groepen tegelijk (Groep 1, Groep 2)"
    ));
    click(&mut h, "Bram in Groep 2 houden");
    let v = view(&hub, &id);
    assert!(!v.groups[0].members.contains(&bram));
    assert!(v.groups[1].members.contains(&bram));
    assert!(!shows(&h, "twee groepen tegelijk"));
}
