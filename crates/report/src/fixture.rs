//! A demo trajectory that covers every phase, with generated photos (feature `fixture`).
//!
//! Deterministic apart from ids (UUIDv7) and change hashes: every timestamp comes from a
//! manual clock, every text is fixed. Used by this crate's tests, the app's end-to-end tests,
//! and anyone who needs a realistic archived trajectory.

use std::io::Cursor;

use leerrijk_model::{
    ActionStatus, AssignmentKind, Clock, NewAction, NewImage, NewLogbookEntry, NewPostIt, NewStory,
    Polarity, Quadrant, Role, Trajectory,
};

/// Errors while building the fixture.
pub type FixtureError = Box<dyn std::error::Error + Send + Sync>;

/// The demo trajectory and what belongs with it.
#[derive(Debug)]
pub struct Fixture {
    /// The trajectory: archived, with one late post-it and one late offer merged in after.
    pub trajectory: Trajectory,
    /// The participant id of the initiator.
    pub initiator: String,
    /// The photos: (BLAKE3 hex hash, PNG bytes).
    pub photos: Vec<(String, Vec<u8>)>,
    /// Every person's name that appears anywhere in the trajectory.
    pub names: Vec<String>,
}

impl Fixture {
    /// The bytes of a photo by hash (a [`crate::BlobSource`] as a closure:
    /// `|h: &str| fixture.photo(h)`).
    pub fn photo(&self, hash: &str) -> Option<Vec<u8>> {
        self.photos
            .iter()
            .find(|(h, _)| h == hash)
            .map(|(_, b)| b.clone())
    }
}

/// The start of the fixture's manual clock (2025-11-24 16:00 UTC).
pub const START_MS: i64 = 1_764_000_000_000;

/// A generated landscape picture (sky, sun, grass), `w`×`h`, as PNG.
fn picture(w: u32, h: u32, sky: [u8; 3], ground: [u8; 3]) -> Result<Vec<u8>, FixtureError> {
    let horizon = h * 2 / 3;
    let (sun_x, sun_y, sun_r) = (i64::from(w) * 3 / 4, i64::from(h) / 4, i64::from(h) / 8);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (i64::from(x) - sun_x, i64::from(y) - sun_y);
        if dx * dx + dy * dy <= sun_r * sun_r {
            image::Rgb([255, 214, 64])
        } else if y < horizon {
            let t = y as f32 / horizon as f32;
            let c = |i: usize| (f32::from(sky[i]) * (1.0 - 0.4 * t)) as u8;
            image::Rgb([c(0), c(1), c(2)])
        } else {
            let stripe = if (x / 12 + y / 12) % 2 == 0 { 0 } else { 18 };
            image::Rgb([
                ground[0].saturating_sub(stripe),
                ground[1].saturating_sub(stripe),
                ground[2].saturating_sub(stripe),
            ])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn story(
    kind: AssignmentKind,
    author: &str,
    colleague: Option<&str>,
    times: Option<i64>,
    answers: &[(&str, &str)],
) -> NewStory {
    NewStory {
        kind,
        author: author.to_owned(),
        colleague: colleague.map(str::to_owned),
        times_past_week: times,
        answers: answers
            .iter()
            .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
            .collect(),
    }
}

fn postit(text: &str, theme: &str, author: Option<&str>, colour: &str) -> NewPostIt {
    NewPostIt {
        text: text.to_owned(),
        theme: Some(theme.to_owned()),
        author: author.map(str::to_owned),
        anonymous: false,
        colour: Some(colour.to_owned()),
    }
}

/// Builds the demo trajectory.
pub fn fixture() -> Result<Fixture, FixtureError> {
    let clock = Clock::manual(START_MS);
    let (mut t, anja) = Trajectory::create(
        "Leren loont het langst",
        "OBS De Regenboog",
        "Anja de Vries",
        Role::Directie,
        clock.clone(),
    )?;
    let bram = t.add_participant("Bram Jansen", Role::Leerkracht)?;
    let els = t.add_participant("Els Bakker", Role::Ib)?;
    let piet = t.add_participant("Piet Smit", Role::Bouwcoordinator)?;
    let sanne = t.add_participant("Sanne Visser", Role::Leerkracht)?;
    let fatima = t.add_participant("Fatima El Amrani", Role::Onderwijsondersteuner)?;
    let joost = t.add_participant("Joost Mulder", Role::Leerkracht)?;

    // Phase 1: planning, assignments.
    for (phase, date) in [
        (1, "2025-09-08"),
        (2, "2025-09-22"),
        (3, "2025-10-13"),
        (4, "2025-11-03"),
        (5, "2025-11-24"),
    ] {
        t.set_phase_date(&anja, phase, Some(date))?;
    }
    for kind in AssignmentKind::ALL {
        t.set_assignment(&anja, kind, true)?;
    }

    // Phase 2: stories, placements, logbook, images.
    t.set_phase(&anja, 2)?;
    t.add_story(story(
        AssignmentKind::RedGreen,
        &bram,
        None,
        None,
        &[
            (
                "q1",
                "Als de rapporten eraan komen en ik alleen nog afvink.",
            ),
            ("q2", "Als ik met groep 5 een nieuw project bedenk."),
            ("q3", "Ongeveer half om half; ik wil meer groen."),
            (
                "q5",
                "Zelf: vaker bij collega's binnenlopen.\nDaarbij heb ik Els nodig.",
            ),
        ],
    ))?;
    t.add_story(story(
        AssignmentKind::Satisfaction,
        &els,
        Some("Sanne Visser"),
        None,
        &[
            ("q1", "De schoolmusical van groep 8."),
            ("q2", "Alle leerkrachten van de bovenbouw en veel ouders."),
            ("q3", "Ik regelde de repetities en coachte de kinderen."),
            ("q4", "Kinderen die groeiden in zelfvertrouwen."),
            (
                "q5",
                "Dat kinderen groeien en de samenwerking met collega's.",
            ),
        ],
    ))?;
    t.add_story(story(
        AssignmentKind::Satisfaction,
        &piet,
        Some("Bram Jansen"),
        None,
        &[
            ("q1", "Een leerling die eindelijk kon lezen."),
            ("q5", "Kinderen zien groeien, en samenwerking in het team."),
        ],
    ))?;
    t.add_story(story(
        AssignmentKind::BrainCracker,
        &sanne,
        Some("Joost Mulder"),
        Some(3),
        &[
            (
                "q1",
                "Een leerling met een ontwikkelingsvoorsprong die zich verveelde.",
            ),
            ("q2", "Lastig maar uitdagend."),
            ("q3", "Samen met de IB'er en een boek over hoogbegaafdheid."),
            ("q4", "Dat ik eerder hulp moet vragen."),
            ("q5", "Vaker, als er tijd voor is."),
            ("q6", "Een vast moment in de week om te overleggen."),
        ],
    ))?;
    t.add_story(story(
        AssignmentKind::BrainCracker,
        &fatima,
        Some("Piet Smit"),
        Some(5),
        &[
            ("q1", "Het nieuwe leerlingvolgsysteem instellen."),
            (
                "q4",
                "Handleidingen lezen werkt, maar samen uitzoeken werkt beter.",
            ),
        ],
    ))?;
    t.add_story(story(
        AssignmentKind::Logbook,
        &bram,
        None,
        None,
        &[
            ("q1", "Het meeste in 'gaat makkelijk, leuk'."),
            ("q4", "Minder tijd kwijt aan administratie."),
        ],
    ))?;
    for (who, value, note) in [
        (&anja, 70, "Veel ruimte om te leren, soms te veel tegelijk."),
        (&bram, 45, ""),
        (&els, 80, "Ik leer elke dag van de gesprekken."),
        (&piet, 55, ""),
        (&sanne, 20, "Rond de rapporten vooral rood."),
        (&fatima, 62, ""),
        (&joost, 48, ""),
    ] {
        t.set_placement(who, value, note)?;
    }
    for (who, quadrant, hours, text) in [
        (&bram, Quadrant::EasyFun, 14.0, "Lesgeven aan groep 5"),
        (
            &bram,
            Quadrant::EasyNotFun,
            6.0,
            "Administratie en rapporten",
        ),
        (&bram, Quadrant::HardFun, 3.5, "Nieuw project techniek"),
        (
            &bram,
            Quadrant::HardNotFun,
            2.0,
            "Gesprek met ouders over gedrag",
        ),
        (&els, Quadrant::EasyFun, 10.0, "Leerlingbesprekingen"),
        (
            &els,
            Quadrant::HardFun,
            6.0,
            "Nieuwe methode begrijpend lezen",
        ),
        (&els, Quadrant::EasyNotFun, 4.0, "Dossiers bijwerken"),
        (
            &sanne,
            Quadrant::HardNotFun,
            5.0,
            "Toetsen invoeren in het nieuwe systeem",
        ),
        (&sanne, Quadrant::EasyFun, 12.0, "Kringgesprekken"),
    ] {
        t.add_logbook_entry(NewLogbookEntry {
            author: who.clone(),
            quadrant,
            hours,
            text: text.to_owned(),
        })?;
    }
    let mut photos = Vec::new();
    for (who, caption, (w, h), sky, ground) in [
        (
            &joost,
            "Het schoolplein op de eerste zonnige ochtend: iedereen speelt samen.",
            (480, 320),
            [120, 180, 235],
            [90, 170, 80],
        ),
        (
            &fatima,
            "De moestuin die groep 6 zelf heeft aangelegd.",
            (360, 420),
            [250, 170, 120],
            [150, 110, 60],
        ),
    ] {
        let bytes = picture(w, h, sky, ground)?;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        t.add_image(NewImage {
            author: who.clone(),
            caption: caption.to_owned(),
            blob: hash.clone(),
            mime: "image/png".to_owned(),
            width: w,
            height: h,
        })?;
        photos.push((hash, bytes));
    }

    // Phase 3: themes and post-its.
    t.set_phase(&anja, 3)?;
    let samen = t.add_theme("Samenwerken in de bouw", Polarity::Positive, Some(&els))?;
    let ruimte = t.add_theme("Ruimte voor eigen ideeën", Polarity::Positive, Some(&bram))?;
    let druk = t.add_theme("Werkdruk rond rapporten", Polarity::Negative, Some(&sanne))?;
    let vergader = t.add_theme(
        "Vergaderen zonder doel & richting",
        Polarity::Negative,
        None,
    )?;
    for p in [
        postit(
            "Bij elkaar in de klas kijken",
            &samen,
            Some(&bram),
            "yellow",
        ),
        postit(
            "Bouwvergadering gaat over inhoud",
            &samen,
            Some(&piet),
            "green",
        ),
        postit("We delen materialen", &samen, Some(&joost), "yellow"),
        postit(
            "Directie zegt vaker 'probeer maar'",
            &ruimte,
            Some(&fatima),
            "pink",
        ),
        postit(
            "Tijd om een project uit te werken",
            &ruimte,
            Some(&sanne),
            "blue",
        ),
        postit(
            "Drie weken alleen maar toetsen en invoeren",
            &druk,
            Some(&els),
            "orange",
        ),
        postit(
            "Niet <b>vet</b> & \"aanhalingstekens\" <script>alert(1)</script>",
            &vergader,
            Some(&joost),
            "yellow",
        ),
    ] {
        t.add_postit(p)?;
    }
    t.add_postit(NewPostIt {
        text: "Niemand durft te zeggen dat de agenda te vol is".to_owned(),
        theme: Some(vergader.clone()),
        author: Some(piet.clone()),
        anonymous: true,
        colour: Some("pink".to_owned()),
    })?;
    t.add_postit(NewPostIt {
        text: "Koffie om half acht helpt".to_owned(),
        theme: None,
        author: Some(bram.clone()),
        anonymous: false,
        colour: None,
    })?;

    t.add_postit(NewPostIt {
        text: "=1+1 is meer dan 2 als je samenwerkt".to_owned(),
        theme: None,
        author: Some(sanne.clone()),
        anonymous: false,
        colour: Some("blue".to_owned()),
    })?;

    // Phase 4: three groups rank the themes.
    t.set_phase(&anja, 4)?;
    for (name, members, order) in [
        (
            "Groep Zon",
            vec![anja.clone(), bram.clone()],
            [&samen, &druk, &ruimte, &vergader],
        ),
        (
            "Groep Maan",
            vec![els.clone(), piet.clone()],
            [&samen, &ruimte, &druk, &vergader],
        ),
        (
            "Groep Ster",
            vec![sanne.clone(), fatima.clone(), joost.clone()],
            [&samen, &druk, &vergader, &ruimte],
        ),
    ] {
        let g = t.add_group(name, &members)?;
        let order: Vec<String> = order.iter().map(|s| (*s).clone()).collect();
        t.set_ranking(&g, &order)?;
    }

    // Phase 5: actions and the marketplace.
    t.set_phase(&anja, 5)?;
    for (text, owner, due, status, theme) in [
        (
            "Elke maand een lesbezoek bij een collega uit de bouw",
            &bram,
            Some("2026-01-31"),
            ActionStatus::Doing,
            Some(&samen),
        ),
        (
            "Rapportperiode: toetsen spreiden over twee weken",
            &els,
            Some("2026-03-01"),
            ActionStatus::Open,
            Some(&druk),
        ),
        (
            "Agenda van de teamvergadering met doel per punt",
            &anja,
            None,
            ActionStatus::Done,
            Some(&vergader),
        ),
    ] {
        t.add_action(NewAction {
            text: text.to_owned(),
            owner: Some(owner.clone()),
            due: due.map(str::to_owned),
            theme: theme.cloned(),
            status,
        })?;
    }
    t.add_offer(
        "Werken met het digibord",
        &["Bram Jansen".to_owned()],
        &["ict".to_owned()],
    )?;
    t.add_offer(
        "Digibord en digitale lesmaterialen",
        &["Lotte Groen".to_owned()],
        &[],
    )?;
    t.add_offer("Gesprekken met ouders", &["Els Bakker".to_owned()], &[])?;
    t.add_offer(
        "Coöperatieve werkvormen",
        &["Sanne Visser".to_owned(), "Joost Mulder".to_owned()],
        &[],
    )?;
    t.add_request(
        "Hoe gebruik ik het digibord goed?",
        "Piet Smit",
        &["Lotte Groen".to_owned()],
        &[],
    )?;
    t.add_request(
        "Lastige gesprekken met ouders",
        "Fatima El Amrani",
        &[],
        &[],
    )?;
    t.add_request(
        "Omgaan met hoogbegaafde leerlingen",
        "Sanne Visser",
        &[],
        &[],
    )?;

    // Archive; a colleague who was offline adds a post-it and an offer, merged afterwards.
    let mut offline = Trajectory::from_doc(t.doc_mut().fork())?.with_clock(clock.clone());
    t.archive(&anja)?;
    offline.add_postit(NewPostIt {
        text: "Nagekomen: de pauzes samen doorbrengen".to_owned(),
        theme: Some(samen.clone()),
        author: Some(joost.clone()),
        anonymous: false,
        colour: Some("green".to_owned()),
    })?;
    offline.add_offer(
        "Schooltuin en natuurlessen",
        &["Fatima El Amrani".to_owned()],
        &[],
    )?;
    t.doc_mut().merge(offline.doc_mut())?;

    let names = [
        "Anja de Vries",
        "Bram Jansen",
        "Els Bakker",
        "Piet Smit",
        "Sanne Visser",
        "Fatima El Amrani",
        "Joost Mulder",
        "Lotte Groen",
    ]
    .map(str::to_owned)
    .to_vec();
    Ok(Fixture {
        trajectory: t,
        initiator: anja,
        photos,
        names,
    })
}
