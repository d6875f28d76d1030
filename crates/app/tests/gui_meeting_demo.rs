#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A demo data directory for the meeting screenshots (`scripts/screenshots_meeting.sh`): one
//! trajectory in phase 3 started on this device, with a team of ten, their shared phase 2
//! work, a flip-over with ten core themes and 40 post-its, three groups that ranked the
//! themes, actions, and a filled marketplace with matches. Built through the real hub and
//! store. With `LEERRIJK_DEMO_DIR` set, it is written there and kept.

use std::path::Path;

use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::analysis::{compare_rankings, market_matching, postits_per_theme};
use leerrijk_model::{
    ActionStatus, AssignmentKind, NewAction, NewLogbookEntry, NewPostIt, NewStory, Polarity,
    Quadrant, Role,
};

const TEAM: &[(&str, Role)] = &[
    ("Bram Jansen", Role::Leerkracht),
    ("Els Bakker", Role::Ib),
    ("Fatima El Amrani", Role::Leerkracht),
    ("Joost Smit", Role::Bouwcoordinator),
    ("Marieke de Boer", Role::Onderwijsondersteuner),
    ("Sanne Visser", Role::Leerkracht),
    ("Pieter Bos", Role::Leerkracht),
    ("Yasmina Ouali", Role::Leerkracht),
    ("Ruud Kramer", Role::Leerkracht),
];

const THEMES: &[(&str, Polarity)] = &[
    ("Samen lesgeven en voorbereiden", Polarity::Positive),
    ("Feedback van collega's", Polarity::Positive),
    ("Ruimte om te experimenteren", Polarity::Positive),
    ("Leren van en met leerlingen", Polarity::Positive),
    ("Waardering door de schoolleiding", Polarity::Positive),
    ("Werkdruk en planning", Polarity::Negative),
    ("Vergaderingen zonder doel", Polarity::Negative),
    ("Weinig tijd voor overleg", Polarity::Negative),
    ("Eilandjes per bouw", Polarity::Negative),
    ("Administratie", Polarity::Negative),
];

const NOTES: &[&str] = &[
    "Bij elkaar in de klas kijken",
    "Samen de weekplanning maken",
    "Duo-lessen bij rekenen",
    "Na een les even napraten",
    "Collegiale consultatie elke maand",
    "Vragen durven stellen",
    "Open deuren",
    "Nieuwe werkvormen mogen uitproberen",
    "Fouten maken mag",
    "Pilot met leerpleinen",
    "Leerlingen geven feedback",
    "Kinderen leren mij nieuwe apps",
    "Compliment van de directeur",
    "Aandacht voor wat goed gaat",
    "Te veel vergaderingen",
    "Rapporten kosten avonden",
    "Geen tijd tussen de lessen",
    "Pauzes zijn surveillance",
    "Vergaderen zonder besluit",
    "Agenda komt te laat",
    "Onderbouw en bovenbouw zien elkaar nauwelijks",
    "Iedereen vindt het wiel opnieuw uit",
    "Dubbele registratie in twee systemen",
    "Formulieren voor alles",
    "Overleg gaat over regels, niet over onderwijs",
    "Intervisie geeft energie",
    "Studiedag over eigen vragen",
    "Leren van de IB'er",
    "Teamuitje met inhoud",
    "Samen toetsen analyseren",
    "Mentor voor nieuwe collega's",
    "Weinig overlap in roosters",
    "Kopieerapparaat altijd bezet",
    "Onduidelijke taakverdeling",
    "Veel losse projecten tegelijk",
    "Ruimte voor eigen ideeën",
    "Ouders als partner",
    "Trots op de moestuin",
    "Niet weten wat de ander doet",
    "Meer tijd voor intervisie",
];

const COLOURS: &[&str] = &["yellow", "pink", "green", "blue", "orange"];

fn build_demo(dir: &Path) -> String {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let id = hub
        .create(
            "Leren loont het langst 2027",
            "OBS De Regenboog",
            "Anja de Vries",
            Role::Directie,
        )
        .unwrap();
    hub.edit(&id, |t| {
        for (name, role) in TEAM {
            t.add_participant(name, *role)?;
        }
        Ok(())
    })
    .unwrap();
    let v = hub.read(&id, |t| t.view()).unwrap();
    let anja = v.initiator.clone().unwrap();
    let people: Vec<String> = v.participants.iter().map(|p| p.id.clone()).collect();

    // Phase 2 work, shared: placements, logbooks, brain-crackers, satisfaction.
    for (i, p) in people.iter().enumerate() {
        let value = [35, 70, 55, 80, 45, 90, 60, 25, 75, 65][i % 10];
        hub.edit(&id, |t| t.set_placement(p, value, "")).unwrap();
        if i < 6 {
            for (q, h) in [
                (Quadrant::EasyFun, 8.0 + i as f64),
                (Quadrant::EasyNotFun, 4.0),
                (Quadrant::HardFun, 3.0 + (i % 3) as f64),
                (Quadrant::HardNotFun, 2.0 + (i % 2) as f64 * 3.0),
            ] {
                hub.edit(&id, |t| {
                    t.add_logbook_entry(NewLogbookEntry {
                        author: p.clone(),
                        quadrant: q,
                        hours: h,
                        text: "lesweek".into(),
                    })
                })
                .unwrap();
            }
        }
    }
    for (i, situation) in [
        "Een leerling die niet wilde lezen",
        "Het rooster voor de gymzaal",
        "Een boze ouder aan de telefoon",
        "Differentiëren bij rekenen",
    ]
    .iter()
    .enumerate()
    {
        hub.edit(&id, |t| {
            t.add_story(NewStory {
                kind: AssignmentKind::BrainCracker,
                author: people[i + 1].clone(),
                colleague: Some("Pieter".into()),
                times_past_week: Some([4, 7, 2, 5][i]),
                answers: vec![("q1".into(), (*situation).into())],
            })
        })
        .unwrap();
    }
    for (i, answer) in [
        "Dat kinderen groeien en ik daar samen met collega's aan bijdraag.",
        "Samen met collega's iets neerzetten waar kinderen van groeien.",
        "Als een leerling trots is op wat hij zelf ontdekt heeft.",
    ]
    .iter()
    .enumerate()
    {
        hub.edit(&id, |t| {
            t.add_story(NewStory {
                kind: AssignmentKind::Satisfaction,
                author: people[i].clone(),
                colleague: None,
                times_past_week: None,
                answers: vec![("q5".into(), (*answer).into())],
            })
        })
        .unwrap();
    }

    // Phase 3: the flip-over.
    let themes: Vec<String> = THEMES
        .iter()
        .map(|(title, p)| {
            hub.edit(&id, |t| t.add_theme(title, *p, Some(&anja)))
                .unwrap()
        })
        .collect();
    let on_theme: &[usize] = &[
        0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 8, 8, 9, 9, 6, 1, 1, 1, 4, 0,
    ];
    for (i, text) in NOTES.iter().enumerate() {
        let theme = on_theme.get(i).map(|&k| themes[k].clone());
        hub.edit(&id, |t| {
            t.add_postit(NewPostIt {
                text: (*text).into(),
                theme,
                author: Some(people[i % people.len()].clone()),
                anonymous: i % 7 == 3,
                colour: Some(COLOURS[i % COLOURS.len()].into()),
            })
        })
        .unwrap();
    }
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();

    // Phase 4: three groups ranked the strips (they agree on the top).
    let orders: [&[usize]; 3] = [
        &[5, 0, 1, 7, 2, 6, 3, 8, 4, 9],
        &[5, 1, 0, 2, 7, 3, 8, 6, 9, 4],
        &[5, 0, 7, 1, 6, 2, 9, 3, 4, 8],
    ];
    for (g, order) in orders.iter().enumerate() {
        let members: Vec<String> = people.iter().skip(g).step_by(3).cloned().collect();
        let gid = hub
            .edit(&id, |t| t.add_group(&format!("Groep {}", g + 1), &members))
            .unwrap();
        let ranking: Vec<String> = order.iter().map(|&k| themes[k].clone()).collect();
        hub.edit(&id, |t| t.set_ranking(&gid, &ranking)).unwrap();
    }

    // Phase 5: actions and the marketplace.
    for (text, owner, due, theme, status) in [
        (
            "Elke maand bij elkaar in de klas kijken",
            1,
            "2027-03-01",
            0,
            ActionStatus::Doing,
        ),
        (
            "Vergaderagenda een week vooraf",
            4,
            "2027-02-15",
            6,
            ActionStatus::Open,
        ),
        (
            "Rapportage in één systeem",
            2,
            "2027-04-01",
            9,
            ActionStatus::Open,
        ),
    ] {
        hub.edit(&id, |t| {
            t.add_action(NewAction {
                text: text.into(),
                owner: Some(people[owner].clone()),
                due: Some(due.into()),
                theme: Some(themes[theme].clone()),
                status,
            })
        })
        .unwrap();
    }
    for (topic, who) in [
        ("Werken met het digibord", &["Bram Jansen"][..]),
        ("Digibord", &["Sanne Visser", "Joost Smit"][..]),
        ("Gesprekken met ouders", &["Els Bakker"][..]),
        ("Coöperatieve werkvormen", &["Fatima El Amrani"][..]),
        ("Rekenspellen", &["Ruud Kramer"][..]),
    ] {
        let who: Vec<String> = who.iter().map(|s| (*s).to_owned()).collect();
        hub.edit(&id, |t| t.add_offer(topic, &who, &[])).unwrap();
    }
    for (topic, person, from) in [
        (
            "Hoe gebruik ik het digibord?",
            "Pieter Bos",
            &["Sanne Visser"][..],
        ),
        ("Lastige gesprekken met ouders", "Yasmina Ouali", &[][..]),
        ("Omgaan met gedragsproblemen", "Marieke de Boer", &[][..]),
        ("Coöperatief leren in groep 3", "Anja de Vries", &[][..]),
    ] {
        let from: Vec<String> = from.iter().map(|s| (*s).to_owned()).collect();
        hub.edit(&id, |t| t.add_request(topic, person, &from, &[]))
            .unwrap();
    }
    id
}

#[test]
fn demo_meeting_data() {
    let keep = std::env::var_os("LEERRIJK_DEMO_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let dir = keep
        .as_ref()
        .map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    let id = build_demo(&dir);
    let hub = Hub::new(Library::open(Some(dir)).unwrap());
    let v = hub.read(&id, |t| t.view()).unwrap();
    assert_eq!(v.phase, 3);
    assert_eq!(v.participants.len(), 10);
    assert_eq!(v.postits.len(), 40);
    assert_eq!(v.themes.len(), 10);
    let loose = postits_per_theme(&v).last().unwrap().count;
    assert_eq!(loose, 10);
    let c = compare_rankings(&v);
    assert_eq!(c.groups.len(), 3);
    assert_eq!(c.clear_top.as_deref(), Some(v.themes[5].id.as_str()));
    let m = market_matching(&v);
    assert!(!m.shared_offers.is_empty() && !m.matches.is_empty() && !m.unmet_requests.is_empty());
}
