#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Phase 5 on the real app state: actions with owner, due date, status and theme; the
//! marketplace sheets, the shared workshop timer, and the matching views exactly as the model's
//! `market_matching` finds them.

mod meeting_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::analysis::market_matching;
use leerrijk_model::{ActionStatus, Polarity, Role};
use meeting_support::*;

#[test]
fn actions_with_owner_due_date_status_and_theme() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let samen = hub
        .edit(&id, |t| {
            t.add_theme("Samen lesgeven", Polarity::Positive, None)
        })
        .unwrap();
    let mut h = harness(app(&hub, &id, 5));
    settle(&mut h);
    h.get_by_label("Er zijn nog geen acties.");
    type_into(
        &mut h,
        A11y::TextInput,
        "Nieuwe actie",
        "Elke maand bij elkaar in de klas",
    );
    choose(&mut h, "Wie", "Bram");
    type_into(&mut h, A11y::TextInput, "Klaar op", "1-3-2027");
    choose(&mut h, "Thema", "Samen lesgeven");
    click(&mut h, "Actie toevoegen");
    let v = view(&hub, &id);
    let a = &v.actions[0];
    assert_eq!(a.text, "Elke maand bij elkaar in de klas");
    assert_eq!(a.owner.as_deref(), Some(v.participants[1].id.as_str()));
    assert_eq!(a.due.as_deref(), Some("2027-03-01"));
    assert_eq!(a.theme.as_deref(), Some(samen.as_str()));
    assert_eq!(a.status, ActionStatus::Open);
    h.get_by_label("01-03-2027");

    choose(
        &mut h,
        "Stand van Elke maand bij elkaar in de klas",
        "Klaar",
    );
    assert_eq!(view(&hub, &id).actions[0].status, ActionStatus::Done);

    // A due date that is not a date is refused with a message; nothing is added.
    type_into(&mut h, A11y::TextInput, "Nieuwe actie", "Nog een");
    type_into(&mut h, A11y::TextInput, "Klaar op", "volgende week");
    click(&mut h, "Actie toevoegen");
    assert_eq!(view(&hub, &id).actions.len(), 1);
    h.get_by_label_contains("Geen geldige datum");

    click(&mut h, "Actie Elke maand bij elkaar in de klas weghalen");
    assert!(view(&hub, &id).actions.is_empty());
}

#[test]
fn marketplace_sheets_timer_and_matching() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    // Other subgroups fill the sheets at the same time (their laptops).
    hub.edit(&id, |t| t.add_offer("Digibord", &["Bram".into()], &[]))
        .unwrap();
    hub.edit(&id, |t| t.add_offer("Rekenspellen", &["Bram".into()], &[]))
        .unwrap();
    hub.edit(&id, |t| {
        t.add_request(
            "Hoe gebruik ik het digibord?",
            "Piet",
            &["Anja".into()],
            &[],
        )
    })
    .unwrap();
    let mut h = harness(app(&hub, &id, 5));
    settle(&mut h);

    // The workshop timer everyone sees.
    click(&mut h, "Start de 20 minuten");
    assert_eq!(
        view(&hub, &id).workshop_timer.as_ref().map(|t| t.minutes),
        Some(20)
    );
    h.get_by_label("van de 20 minuten over");

    // An offer of my own ("Anja" is prefilled) and a request nobody offers yet.
    type_into(&mut h, A11y::TextInput, "Aanbod", "Werken met het digibord");
    assert_eq!(
        h.get_by_role_and_label(A11y::TextInput, "Wie biedt het aan")
            .value()
            .as_deref(),
        Some("Anja")
    );
    click(&mut h, "Op het aanbodvel");
    type_into(
        &mut h,
        A11y::TextInput,
        "Vraag",
        "Omgaan met gedragsproblemen",
    );
    click(&mut h, "Op het vraagvel");
    // "Me too" on Bram's offer.
    click(&mut h, "Ik kan “Rekenspellen” ook aanbieden");

    let v = view(&hub, &id);
    assert_eq!(v.offers.len(), 3);
    assert_eq!(v.requests.len(), 2);
    assert_eq!(
        v.offers
            .iter()
            .find(|o| o.topic == "Rekenspellen")
            .unwrap()
            .people,
        vec!["Anja".to_owned(), "Bram".to_owned()]
    );
    h.get_by_label("Aanbod (3)");
    h.get_by_label("Vraag (2)");

    // The matching views show exactly the model's matching.
    let m = market_matching(&v);
    assert!(!m.shared_offers.is_empty() && !m.matches.is_empty());
    for c in &m.shared_offers {
        h.get_by_label(&format!(
            "{} mensen: {}",
            c.people.len(),
            c.people.join(", ")
        ));
    }
    for x in &m.matches {
        let topic = &v.requests.iter().find(|r| r.id == x.request).unwrap().topic;
        let mut line = format!("{} kan {} helpen: {topic}", x.from.join(", "), x.to);
        if x.asked_for_by_name {
            line.push_str(" (bij naam gevraagd)");
        }
        h.get_by_label(&line);
    }
    assert_eq!(m.unmet_requests.len(), 1);
    h.get_by_label("Omgaan met gedragsproblemen (gevraagd door Anja)");
    // Piet asked for Anja by name, and Anja now offers the digibord.
    h.get_by_label("Anja kan Piet helpen: Hoe gebruik ik het digibord? (bij naam gevraagd)");

    click(&mut h, "Klok stoppen");
    assert!(view(&hub, &id).workshop_timer.is_none());
    assert!(h.query_by_label("van de 20 minuten over").is_none());
}

/// After an offer is added, the offers sheet shows it in the very next frames while the
/// matching (computed off the UI thread, held back here) still shows the previous result,
/// marked as being updated; once the background work is done the new match is shown, exactly
/// as the model's `market_matching` finds it.
#[test]
fn new_match_appears_after_the_background_matching() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    hub.edit(&id, |t| t.add_offer("Digibord", &["Bram".into()], &[]))
        .unwrap();
    hub.edit(&id, |t| {
        t.add_request("Omgaan met gedragsproblemen", "Els", &[], &[])
    })
    .unwrap();
    let mut h = harness(app(&hub, &id, 5));
    settle(&mut h);
    let unmet = "Omgaan met gedragsproblemen (gevraagd door Els)";
    let matched = "Anja kan Els helpen: Omgaan met gedragsproblemen";
    let updating = "De vellen zijn veranderd: de verbindingen hieronder worden bijgewerkt…";
    h.get_by_label(unmet);
    assert!(h.query_by_label(updating).is_none());

    h.state().hold_background_analyses(true);
    type_into(&mut h, A11y::TextInput, "Aanbod", "Gedragsproblemen");
    click(&mut h, "Op het aanbodvel");
    let v = view(&hub, &id);
    assert_eq!(v.offers.len(), 2);
    let m = market_matching(&v);
    assert_eq!(m.matches.len(), 1, "the new offer meets the request");
    assert!(m.unmet_requests.is_empty());
    // The sheet shows the new offer at once; the matching is the previous one, marked.
    h.get_by_label("Aanbod (2)");
    h.get_by_label("Gedragsproblemen");
    h.get_by_label(updating);
    h.get_by_label(unmet);
    assert!(h.query_by_label(matched).is_none());
    // More frames change nothing while the work is held back.
    h.run_steps(3);
    h.get_by_label(updating);
    assert!(h.query_by_label(matched).is_none());

    h.state().hold_background_analyses(false);
    settle(&mut h);
    h.get_by_label(matched);
    assert!(h.query_by_label(unmet).is_none());
    assert!(h.query_by_label(updating).is_none());
    h.get_by_label("Aanbod (2)");
}

/// Opening the marketplace never computes the matching in a frame: with the background work
/// held back, the sheets are drawn at once with a note where the connections will be, and no
/// connection is shown; once the builder thread has computed it, every connection and every
/// unmet request is shown exactly as the model's `market_matching` finds them.
#[test]
fn opening_the_marketplace_computes_the_matching_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(
        dir.path(),
        &[("Bram", Role::Leerkracht), ("Els", Role::Leerkracht)],
    );
    hub.edit(&id, |t| {
        t.add_offer("Gedragsproblemen", &["Anja".into()], &[])
    })
    .unwrap();
    hub.edit(&id, |t| t.add_offer("Digibord", &["Bram".into()], &[]))
        .unwrap();
    hub.edit(&id, |t| {
        t.add_request("Omgaan met gedragsproblemen", "Els", &[], &[])
    })
    .unwrap();
    hub.edit(&id, |t| {
        t.add_request("Werken met het digibord", "Anja", &[], &[])
    })
    .unwrap();
    hub.edit(&id, |t| t.add_request("Schooltuin", "Bram", &[], &[]))
        .unwrap();
    let v = view(&hub, &id);
    let m = market_matching(&v);
    let topic = |r: &str| {
        v.requests
            .iter()
            .find(|x| x.id == r)
            .map(|x| x.topic.clone())
            .unwrap()
    };
    let lines: Vec<String> = m
        .matches
        .iter()
        .map(|x| {
            let mut line = format!(
                "{} kan {} helpen: {}",
                x.from.join(", "),
                x.to,
                topic(&x.request)
            );
            if x.asked_for_by_name {
                line.push_str(" (bij naam gevraagd)");
            }
            line
        })
        .collect();
    let unmet: Vec<String> = m
        .unmet_requests
        .iter()
        .map(|r| {
            let r = v.requests.iter().find(|x| &x.id == r).unwrap();
            format!("{} (gevraagd door {})", r.topic, r.person)
        })
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(unmet, ["Schooltuin (gevraagd door Bram)"]);
    let computing = "De verbindingen worden berekend…";

    let app = app(&hub, &id, 5);
    app.hold_background_analyses(true);
    let mut h = harness(app);
    settle(&mut h);
    // The sheets at once; where the connections will be, the note; no connection yet.
    h.get_by_label("Aanbod (2)");
    h.get_by_label("Vraag (3)");
    h.get_by_label("Gedragsproblemen");
    h.get_by_label("Schooltuin");
    h.get_by_label(computing);
    for line in lines.iter().chain(&unmet) {
        assert!(h.query_by_label(line).is_none(), "{line}");
    }
    // More frames change nothing while the work is held back.
    h.run_steps(3);
    h.get_by_label(computing);
    assert!(h.query_by_label(&lines[0]).is_none());

    h.state().hold_background_analyses(false);
    settle(&mut h);
    assert!(h.query_by_label(computing).is_none());
    for line in lines.iter().chain(&unmet) {
        h.get_by_label(line);
    }
    h.get_by_label("Aanbod (2)");
}
