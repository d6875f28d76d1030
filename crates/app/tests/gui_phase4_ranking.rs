#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Phase 4 on the real app state: the initiator forms groups from the "mix roles" suggestion,
//! a group orders the theme strips by dragging and with the buttons, and the comparison shows
//! every group's order, the aggregate and the verdict — the model's `compare_rankings`.

mod meeting_support;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_model::analysis::{SUGGESTED_GROUP_SIZE, compare_rankings, suggest_groups};
use leerrijk_model::{Polarity, Role};
use meeting_support::*;

const TEAM: &[(&str, Role)] = &[
    ("Bram", Role::Leerkracht),
    ("Carla", Role::Leerkracht),
    ("Daan", Role::Leerkracht),
    ("Eva", Role::Leerkracht),
    ("Fleur", Role::Ib),
    ("Gijs", Role::Bouwcoordinator),
    ("Hanna", Role::Leerkracht),
];

#[test]
fn suggested_groups_mix_roles_and_are_created_as_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), TEAM);
    let mut h = harness(app(&hub, &id, 4));
    settle(&mut h);
    h.get_by_label("Er zijn nog geen groepen.");
    click(&mut h, "Groepen voorstellen (rollen gemengd)");
    let expected = suggest_groups(&view(&hub, &id), SUGGESTED_GROUP_SIZE);
    assert_eq!(expected.len(), 2, "eight people make two groups of four");
    h.get_by_label_contains("Groep 1: ");
    click(&mut h, "Deze groepen maken");
    let v = view(&hub, &id);
    let made: Vec<Vec<String>> = v
        .groups
        .iter()
        .map(|g| {
            let mut m = g.members.clone();
            m.sort();
            m
        })
        .collect();
    let mut want: Vec<Vec<String>> = expected
        .into_iter()
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    want.sort();
    let mut made_sorted = made.clone();
    made_sorted.sort();
    assert_eq!(made_sorted, want);
    assert_eq!(
        v.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
        ["Groep 1", "Groep 2"]
    );
    // Director, IB'er and bouwcoördinator are not all in one group.
    for g in &v.groups {
        let special = g
            .members
            .iter()
            .filter(|m| v.participant(m).unwrap().role != Role::Leerkracht)
            .count();
        assert!(special <= 2, "{:?}", g.members);
    }

    // The initiator adjusts a group by hand: take someone out, add them elsewhere.
    let first = v.groups[0].clone();
    let someone = v.participant(&first.members[0]).unwrap().clone();
    let label = format!("{} ({})", someone.name, role_name(someone.role));
    click(&mut h, &format!("{label} uit de groep halen"));
    assert!(!view(&hub, &id).groups[0].members.contains(&someone.id));
    choose(&mut h, "Lid toevoegen aan Groep 2", &someone.name);
    assert!(view(&hub, &id).groups[1].members.contains(&someone.id));
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Leerkracht => "Leerkracht",
        Role::Directie => "Directie",
        Role::Ib => "Intern begeleider (IB'er)",
        Role::Bouwcoordinator => "Bouwcoördinator",
        Role::Onderwijsondersteuner => "Onderwijsondersteuner",
        Role::Anders => "Anders",
    }
}

#[test]
fn a_group_orders_strips_by_dragging_and_the_comparison_follows() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let themes: Vec<String> = [
        ("Samen lesgeven", Polarity::Positive),
        ("Werkdruk", Polarity::Negative),
        ("Feedback", Polarity::Positive),
    ]
    .iter()
    .map(|(t, p)| hub.edit(&id, |tr| tr.add_theme(t, *p, None)).unwrap())
    .collect();
    let v = view(&hub, &id);
    let anja = v.initiator.clone().unwrap();
    let g1 = hub
        .edit(&id, |t| t.add_group("Groep 1", std::slice::from_ref(&anja)))
        .unwrap();
    let g2 = hub.edit(&id, |t| t.add_group("Groep 2", &[])).unwrap();
    // Group 2 (another laptop) already has its order.
    hub.edit(&id, |t| {
        t.set_ranking(
            &g2,
            &[themes[1].clone(), themes[0].clone(), themes[2].clone()],
        )
    })
    .unwrap();
    let mut h = harness(app(&hub, &id, 4));
    settle(&mut h);
    // This laptop orders for Anja's group.
    h.get_by_label("Nog te leggen (3)");

    // "Leggen" puts a strip at the bottom; then drag the others in.
    h.get_by_label("Werkdruk onderaan leggen").click();
    settle(&mut h);
    let from = h
        .get_all_by_label("Samen lesgeven")
        .next()
        .unwrap()
        .rect()
        .center();
    let to = h
        .get_all_by_label("Werkdruk")
        .next()
        .unwrap()
        .rect()
        .center();
    drag(&mut h, from, to);
    assert_eq!(
        view(&hub, &id).groups[0].ranking,
        vec![themes[0].clone(), themes[1].clone()],
        "dropped on the first strip: now first"
    );
    let from = h
        .get_all_by_label("Feedback")
        .next()
        .unwrap()
        .rect()
        .center();
    let to = h
        .get_by_label("Sleep een strook hierheen om hem onderaan te leggen.")
        .rect()
        .center();
    drag(&mut h, from, to);
    assert_eq!(
        view(&hub, &id).groups[0].ranking,
        vec![themes[0].clone(), themes[1].clone(), themes[2].clone()]
    );
    // The buttons: Werkdruk one place up.
    h.get_by_label("Werkdruk een plek omhoog").click();
    settle(&mut h);
    let v = view(&hub, &id);
    assert_eq!(
        v.groups.iter().find(|g| g.id == g1).unwrap().ranking,
        vec![themes[1].clone(), themes[0].clone(), themes[2].clone()]
    );

    // Both groups put Werkdruk first: the comparison says it plainly.
    let c = compare_rankings(&v);
    assert_eq!(c.groups.len(), 2);
    assert_eq!(c.clear_top.as_deref(), Some(themes[1].as_str()));
    h.get_by_label("Met stip bovenaan:");
    assert!(
        h.get_all_by_label("Groep 1").count() >= 2,
        "group list and comparison"
    );
    assert!(h.get_all_by_label("Groep 2").count() >= 2);
    let w = format!("{:.2}", c.kendall_w.unwrap()).replace('.', ",");
    h.get_by_label_contains(&format!("overeenstemming {w} van 1"));
    // The aggregate order, as the model computes it.
    for (i, s) in c.aggregate.iter().enumerate() {
        assert!(h.get_all_by_label(&format!("{}.", i + 1)).count() >= 2);
        assert!(h.get_all_by_label(&s.title).count() >= 3);
    }
    assert!(
        h.query_by_role_and_label(A11y::Button, "Deze groepen maken")
            .is_none()
    );
}
