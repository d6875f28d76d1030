#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Phase 3's debrief views on the real app state: what they show is exactly the model's
//! analyses of the shared phase 2 work (red–green continuum, logbook quadrants,
//! brain-crackers, shared sources of satisfaction) and the photo gallery from the blob store.

mod meeting_support;

use std::io::Cursor;
use std::time::{Duration, Instant};

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::analysis::{
    brain_cracker_tally, logbook_totals, red_green_distribution, shared_satisfaction_sources,
};
use leerrijk_model::{AssignmentKind, NewImage, NewLogbookEntry, NewStory, Quadrant, Role};
use meeting_support::*;

fn one_decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

#[test]
fn debrief_views_show_the_models_analyses() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(
        dir.path(),
        &[
            ("Bram", Role::Leerkracht),
            ("Els", Role::Ib),
            ("Sanne", Role::Leerkracht),
        ],
    );
    let ids: Vec<String> = view(&hub, &id)
        .participants
        .iter()
        .map(|p| p.id.clone())
        .collect();
    for (pid, value) in ids.iter().zip([35, 80, 55, 90]) {
        hub.edit(&id, |t| t.set_placement(pid, value, "")).unwrap();
    }
    for (pid, q, hours) in [
        (&ids[0], Quadrant::EasyFun, 10.0),
        (&ids[0], Quadrant::HardNotFun, 6.0),
        (&ids[1], Quadrant::HardFun, 4.5),
        (&ids[1], Quadrant::EasyNotFun, 1.5),
    ] {
        hub.edit(&id, |t| {
            t.add_logbook_entry(NewLogbookEntry {
                author: pid.clone(),
                quadrant: q,
                hours,
                text: "lesgeven".into(),
            })
        })
        .unwrap();
    }
    for (pid, times, situation) in [
        (&ids[1], 4, "Een leerling die niet wilde lezen"),
        (&ids[2], 7, "Het rooster voor de gymzaal"),
    ] {
        hub.edit(&id, |t| {
            t.add_story(NewStory {
                kind: AssignmentKind::BrainCracker,
                author: pid.clone(),
                colleague: Some("Piet".into()),
                times_past_week: Some(times),
                answers: vec![("q1".into(), situation.into())],
            })
        })
        .unwrap();
    }
    for (pid, answer) in [
        (
            &ids[0],
            "Dat kinderen groeien en ik daar samen met collega's aan bijdraag.",
        ),
        (
            &ids[3],
            "Samen met collega's iets neerzetten waar kinderen van groeien.",
        ),
    ] {
        hub.edit(&id, |t| {
            t.add_story(NewStory {
                kind: AssignmentKind::Satisfaction,
                author: pid.clone(),
                colleague: None,
                times_past_week: None,
                answers: vec![("q5".into(), answer.into())],
            })
        })
        .unwrap();
    }
    // A real photo in the blob store, recorded in the document.
    let mut png = Vec::new();
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let blob = hub.library().data_dir().put_blob(&png).unwrap();
    hub.edit(&id, |t| {
        t.add_image(NewImage {
            author: ids[2].clone(),
            caption: "De moestuin na de zomer".into(),
            blob: blob.clone(),
            mime: "image/png".into(),
            width: 64,
            height: 48,
        })
    })
    .unwrap();
    let v = view(&hub, &id);

    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);

    // Red–green: the summary line and every person, from red_green_distribution.
    click(&mut h, "Rood–groen");
    let d = red_green_distribution(&v);
    let (lo, hi) = d.range.unwrap();
    h.get_by_label(&format!(
        "Gemiddeld {}% groen · mediaan {}% · van {lo}% tot {hi}%",
        one_decimal(d.mean.unwrap()),
        one_decimal(d.median.unwrap())
    ));
    click(&mut h, "Alle plaatsen als lijst");
    for (_, name, value) in &d.positions {
        h.get_by_label(&format!("{name}: {value}% groen"));
    }

    // Logbooks: team and per person, from logbook_totals.
    click(&mut h, "Logboeken");
    let totals = logbook_totals(&v);
    h.get_by_label(&format!(
        "Het hele team · {} uur",
        one_decimal(totals.team.total())
    ));
    let bram = &totals.per_person[&ids[1]];
    h.get_by_label(&format!(
        "nog niet makkelijk · leuk: {} uur ({:.0}%)",
        one_decimal(bram.hard_fun),
        bram.percent(Quadrant::HardFun)
    ));
    h.get_by_label("Voor het team zit de meeste tijd in: makkelijk · leuk.");

    // Brain-crackers, most frequent first, with the totals.
    click(&mut h, "Hersenkrakers");
    let b = brain_cracker_tally(&v);
    h.get_by_label(&format!(
        "{} hersenkrakers; samen {} keer in de afgelopen week, gemiddeld {} keer per gesprek.",
        b.items.len(),
        b.total_times,
        one_decimal(b.mean_times.unwrap())
    ));
    h.get_by_label("Het rooster voor de gymzaal");
    h.get_by_label("7×");
    h.get_by_label("Els, gesprek met Piet");

    // Satisfaction: the sources several people name.
    click(&mut h, "Voldoening");
    let shared = shared_satisfaction_sources(&v);
    assert!(!shared.is_empty());
    for s in &shared {
        h.get_by_label(&s.word);
        let line = format!("genoemd door {}: {}", s.people.len(), s.people.join(", "));
        assert!(h.get_all_by_label(&line).count() >= 1);
    }

    // The gallery: caption, author, and the photo loaded off the frame.
    click(&mut h, "Mooie beelden");
    assert!(h.get_all_by_label("De moestuin na de zomer").count() >= 1);
    h.get_by_label("Els");
    let start = Instant::now();
    while h.query_all_by_role(A11y::Image).next().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the photo never loaded"
        );
        assert!(
            h.query_by_label("Foto nog niet binnen").is_none(),
            "the photo is in the store"
        );
        std::thread::sleep(Duration::from_millis(20));
        settle(&mut h);
    }
}
