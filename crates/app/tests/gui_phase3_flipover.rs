#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Phase 3 on the real app state: the flip-over (themes in two columns, post-its written and
//! dragged onto themes, counts, a theme renamed twice at once, the initiator's controls, undo
//! of one's own edits) driven by accessible labels with egui_kittest.

mod meeting_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::{NodeT, Queryable};
use leerrijk_model::analysis::postits_per_theme;
use leerrijk_model::{NewPostIt, Polarity, Role, Trajectory};
use meeting_support::*;

fn theme_id(hub: &leerrijk_app::hub::Hub, id: &str, title: &str) -> String {
    view(hub, id)
        .themes
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no theme {title}"))
        .id
        .clone()
}

fn undo_disabled(h: &egui_kittest::Harness<'static, leerrijk_app::gui::LeerrijkApp>) -> bool {
    h.get_by_role_and_label(A11y::Button, "Ongedaan maken")
        .accesskit_node()
        .is_disabled()
}

#[test]
fn themes_postits_drag_counts_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht), ("Els", Role::Ib)]);
    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);
    h.get_by_label("Flap: kernthema's");

    // Two themes, one in each column.
    type_into(&mut h, A11y::TextInput, "Thema", "Samen lesgeven");
    click(&mut h, "Thema toevoegen");
    type_into(&mut h, A11y::TextInput, "Thema", "Werkdruk");
    h.get_by_role_and_label(A11y::RadioButton, "Belemmerend")
        .click();
    h.run();
    click(&mut h, "Thema toevoegen");
    let v = view(&hub, &id);
    let polarities: Vec<(&str, Polarity)> = v
        .themes
        .iter()
        .map(|t| (t.title.as_str(), t.polarity))
        .collect();
    assert_eq!(
        polarities,
        [
            ("Samen lesgeven", Polarity::Positive),
            ("Werkdruk", Polarity::Negative)
        ]
    );
    h.get_by_label("Samen lesgeven");
    h.get_by_label("Werkdruk");

    // Two post-its: one named, one anonymous.
    type_into(
        &mut h,
        A11y::TextInput,
        "Briefje",
        "Bij elkaar in de klas kijken",
    );
    click(&mut h, "Briefje plakken");
    type_into(
        &mut h,
        A11y::TextInput,
        "Briefje",
        "Te weinig tijd om samen voor te bereiden",
    );
    h.get_by_label("Anoniem").click();
    h.run();
    click(&mut h, "Briefje plakken");
    let v = view(&hub, &id);
    assert_eq!(v.postits.len(), 2);
    let anja = v.initiator.clone().unwrap();
    assert_eq!(v.postits[0].author.as_deref(), Some(anja.as_str()));
    assert!(v.postits[1].anonymous && v.postits[1].author.is_none());
    assert!(v.postits.iter().all(|p| p.theme.is_none()));
    h.get_by_label("Nog niet op een thema (2)");
    h.get_by_label("Bij elkaar in de klas kijken — Anja");
    h.get_by_label("Te weinig tijd om samen voor te bereiden — anoniem");

    // Drag the first post-it onto "Samen lesgeven".
    let from = centre_of(&h, "Bij elkaar in de klas kijken");
    let to = centre(&h, "Samen lesgeven");
    drag(&mut h, from, to);
    let samen = theme_id(&hub, &id, "Samen lesgeven");
    let werkdruk = theme_id(&hub, &id, "Werkdruk");
    assert_eq!(
        view(&hub, &id).postits[0].theme.as_deref(),
        Some(samen.as_str())
    );
    h.get_by_label("Briefjes op Samen lesgeven: 1");
    h.get_by_label("Nog niet op een thema (1)");

    // And the second one by dragging onto "Werkdruk".
    let from = centre_of(&h, "Te weinig tijd");
    let to = centre(&h, "Werkdruk");
    drag(&mut h, from, to);
    assert_eq!(
        view(&hub, &id).postits[1].theme.as_deref(),
        Some(werkdruk.as_str())
    );

    // Without dragging: right-click and pick a theme.
    h.get_by_label_contains("Te weinig tijd").click_secondary();
    h.run();
    h.get_by_role_and_label(A11y::Button, "Samen lesgeven")
        .click();
    settle(&mut h);
    assert_eq!(
        view(&hub, &id).postits[1].theme.as_deref(),
        Some(samen.as_str())
    );

    // The counts shown are the model's counts.
    let counts = postits_per_theme(&view(&hub, &id));
    for c in counts.iter().filter(|c| c.theme.is_some()) {
        h.get_by_label(&format!("Briefjes op {}: {}", c.title, c.count));
    }
    h.get_by_label("Alle briefjes hangen op een thema.");

    // Undo: my last edit (the move) is taken back, then the drag before it.
    h.get_by_role_and_label(A11y::Button, "Ongedaan maken")
        .click();
    settle(&mut h);
    assert_eq!(
        view(&hub, &id).postits[1].theme.as_deref(),
        Some(werkdruk.as_str())
    );
    h.get_by_role_and_label(A11y::Button, "Ongedaan maken")
        .click();
    settle(&mut h);
    assert!(view(&hub, &id).postits[1].theme.is_none());

    // Someone else's edit (here: Bram's, arriving as if from his laptop) is never undone.
    let bram = view(&hub, &id).participants[1].id.clone();
    hub.edit(&id, |t| {
        t.add_postit(NewPostIt {
            text: "Vaste overlegmomenten".into(),
            author: Some(bram.clone()),
            ..Default::default()
        })
    })
    .unwrap();
    settle(&mut h);
    h.get_by_label("Vaste overlegmomenten — Bram");
    for _ in 0..10 {
        if !undo_disabled(&h) {
            h.get_by_role_and_label(A11y::Button, "Ongedaan maken")
                .click();
            settle(&mut h);
        }
    }
    let v = view(&hub, &id);
    assert!(undo_disabled(&h));
    assert_eq!(
        v.postits
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>(),
        ["Vaste overlegmomenten"],
        "all my own edits are undone, Bram's post-it stays"
    );
}

#[test]
fn theme_renamed_twice_shows_both_names_until_someone_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    let th = hub
        .edit(&id, |t| t.add_theme("Werkdruk", Polarity::Negative, None))
        .unwrap();
    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);

    // Another laptop renames it while this one does too; then the changes meet.
    let mut other = Trajectory::from_doc(hub.with_doc(&id, |d| d.fork()).unwrap()).unwrap();
    other.rename_theme(&th, "Tijdsdruk").unwrap();
    hub.edit(&id, |t| t.rename_theme(&th, "Werkdruk en planning"))
        .unwrap();
    hub.with_doc(&id, |d| d.merge(other.doc_mut()).map(|_| ()))
        .unwrap()
        .unwrap();
    hub.remote_changes_applied(&id).unwrap();
    settle(&mut h);

    h.get_by_label("Dit thema kreeg tegelijk twee namen. Kies er één:");
    h.get_by_label("Kies “Tijdsdruk”");
    h.get_by_label("Kies “Werkdruk en planning”").click();
    settle(&mut h);
    let v = view(&hub, &id);
    assert!(v.themes[0].title_conflicts.is_empty());
    assert_eq!(v.themes[0].title, "Werkdruk en planning");
    assert!(h.query_by_label("Kies “Tijdsdruk”").is_none());
}

#[test]
fn initiator_hides_authors_and_reveals_silent_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let bram = view(&hub, &id).participants[1].id.clone();
    let note = |text: &str| {
        let bram = bram.clone();
        let text = text.to_owned();
        hub.edit(&id, move |t| {
            t.add_postit(NewPostIt {
                text,
                author: Some(bram),
                ..Default::default()
            })
        })
        .unwrap();
    };
    note("Feedback van collega's");
    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);
    h.get_by_label("Feedback van collega's — Bram");

    // Hide names on post-its: the name disappears everywhere.
    h.get_by_label("Namen op briefjes verbergen").click();
    settle(&mut h);
    assert!(view(&hub, &id).hide_postit_authors);
    h.get_by_label("Feedback van collega's");
    assert!(!shows(&h, "— Bram"));

    // Silent writing: Bram's new note lies face down on this laptop until revealed.
    click(&mut h, "Stil schrijven starten");
    note("Meer tijd voor intervisie");
    settle(&mut h);
    h.get_by_label("Omgedraaid briefje");
    assert!(!shows(&h, "Meer tijd voor intervisie"));
    h.get_by_label("Stil schrijven loopt: 1 briefje ligt omgedraaid.");
    click(&mut h, "Briefjes onthullen");
    h.get_by_label("Meer tijd voor intervisie");
    assert!(h.query_by_label("Omgedraaid briefje").is_none());
    assert!(view(&hub, &id).silent_round().is_none());
}

#[test]
fn frames_without_changes_reuse_the_view_and_its_analyses() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[]);
    hub.edit(&id, |t| t.add_theme("Samen", Polarity::Positive, None))
        .unwrap();
    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);
    let before = h.state().view_rebuilds();
    h.run_steps(20);
    assert_eq!(
        h.state().view_rebuilds(),
        before,
        "no rebuild without a change"
    );
    hub.edit(&id, |t| t.add_theme("Rust", Polarity::Positive, None))
        .unwrap();
    h.run_steps(5);
    assert_eq!(
        h.state().view_rebuilds(),
        before + 1,
        "one rebuild per change"
    );
}
