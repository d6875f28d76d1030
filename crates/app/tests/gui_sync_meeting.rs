#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 5 on two laptops in one process (live sync on loopback, relays and mDNS off):
//! post-its written on both laptops appear on both; a post-it dragged onto a theme on one
//! laptop (a real mouse drag through kittest) is on that theme on the other; two groups
//! order their strips at the same time on their own laptops and the comparison on both
//! shows both orders, as the model's `compare_rankings` computes them.

mod sync_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::Role;
use leerrijk_model::analysis::compare_rankings;
use sync_support::*;

const PHASE3: &str = "Ervaringen en voorbeelden uitwisselen";
const PHASE4: &str = "Focussen en kiezen";
const MINE: &str = "Bij elkaar in de klas kijken";
const HIS: &str = "Te weinig tijd om samen voor te bereiden";

#[test]
fn postits_drags_and_concurrent_rankings_travel_between_laptops() {
    let (mut a, id) = initiator(&[], 3);
    let mut b = colleague("Bram", Role::Leerkracht);
    invite_and_join(&mut a, &mut b, &id, "Bram");
    b.show_phase(3, PHASE3);

    // Anja adds the two themes.
    a.type_into(A11y::TextInput, "Thema", "Samen lesgeven");
    a.click("Thema toevoegen");
    a.type_into(A11y::TextInput, "Thema", "Werkdruk");
    a.h.get_by_role_and_label(A11y::RadioButton, "Belemmerend")
        .click();
    a.step();
    a.click("Thema toevoegen");

    // Both write a post-it at the same time.
    a.type_into(A11y::TextInput, "Briefje", MINE);
    b.type_into(A11y::TextInput, "Briefje", HIS);
    a.click("Briefje plakken");
    b.click("Briefje plakken");
    wait_until(&mut a, &mut b, "both post-its on both laptops", |a, b| {
        [a, b].iter().all(|l| {
            l.shows_exactly(&format!("{MINE} — Anja"))
                && l.shows_exactly(&format!("{HIS} — Bram"))
                && l.shows_exactly("Nog niet op een thema (2)")
        })
    });
    wait_until(&mut a, &mut b, "Bram sees the themes", |_, b| {
        b.shows_exactly("Samen lesgeven") && b.shows_exactly("Werkdruk")
    });

    // Bram drags Anja's post-it onto "Samen lesgeven"; Anja sees it there.
    let from = b.h.get_by_label_contains(MINE).rect().center();
    let to = b.h.get_by_label("Samen lesgeven").rect().center();
    b.drag(from, to);
    let samen = b
        .view(&id)
        .themes
        .iter()
        .find(|t| t.title == "Samen lesgeven")
        .unwrap()
        .id
        .clone();
    let moved = |l: &Laptop| {
        l.view(&id)
            .postits
            .iter()
            .any(|p| p.text == MINE && p.theme.as_deref() == Some(samen.as_str()))
    };
    assert!(moved(&b), "the drag moved the post-it on Bram's laptop");
    wait_until(&mut a, &mut b, "the drag seen on Anja's laptop", |a, _| {
        moved(a) && a.shows_exactly("Briefjes op Samen lesgeven: 1")
    });
    assert!(a.shows_exactly("Nog niet op een thema (1)"));

    // Phase 4: Anja forms two groups (Anja's and Bram's); each laptop orders its own group.
    let v = a.view(&id);
    let anja = v.initiator.clone().unwrap();
    let bram = v
        .participants
        .iter()
        .find(|p| p.name == "Bram")
        .unwrap()
        .id
        .clone();
    a.hub
        .edit(&id, |t| t.add_group("Groep 1", std::slice::from_ref(&anja)))
        .unwrap();
    a.hub
        .edit(&id, |t| t.add_group("Groep 2", std::slice::from_ref(&bram)))
        .unwrap();
    a.show_phase(4, PHASE4);
    b.show_phase(4, PHASE4);
    wait_until(
        &mut a,
        &mut b,
        "Bram's laptop orders for Groep 2",
        |_, b| b.view(&id).groups.len() == 2 && b.shows("Werkdruk onderaan leggen"),
    );
    b.settle();

    // At the same time: Anja puts Werkdruk first, Bram puts Samen lesgeven first.
    a.h.get_by_label("Werkdruk onderaan leggen").click();
    b.h.get_by_label("Samen lesgeven onderaan leggen").click();
    a.settle();
    b.settle();
    a.h.get_by_label("Samen lesgeven onderaan leggen").click();
    b.h.get_by_label("Werkdruk onderaan leggen").click();
    a.settle();
    b.settle();

    // Both laptops end with both orders, and their comparisons show both groups.
    wait_until(&mut a, &mut b, "both rankings on both laptops", |a, b| {
        [a, b].iter().all(|l| {
            let c = compare_rankings(&l.view(&id));
            c.groups.len() == 2 && c.groups.iter().all(|(_, _, order)| order.len() == 2)
        })
    });
    for l in [&mut a, &mut b] {
        l.settle();
        let v = l.view(&id);
        let c = compare_rankings(&v);
        let order = |name: &str| {
            let g = v.groups.iter().find(|g| g.name == name).unwrap();
            g.ranking
                .iter()
                .map(|t| v.theme(t).unwrap().title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(order("Groep 1"), ["Werkdruk", "Samen lesgeven"]);
        assert_eq!(order("Groep 2"), ["Samen lesgeven", "Werkdruk"]);
        assert!(l.shows_exactly("De volgordes vergelijken"));
        assert!(l.h.get_all_by_label("Groep 1").count() >= 1);
        assert!(l.h.get_all_by_label("Groep 2").count() >= 1);
        let w = format!("{:.2}", c.kendall_w.unwrap()).replace('.', ",");
        assert!(l.shows(&format!("overeenstemming {w} van 1")));
        assert!(l.shows_exactly(
            "Geen thema staat met stip bovenaan. Bespreek de bovenste drie: waar zit het verschil?"
        ));
    }
}
