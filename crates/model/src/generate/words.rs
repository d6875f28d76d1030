//! Dutch-looking word lists and sentence builders for generated trajectories.

use rand::Rng;
use rand::seq::IndexedRandom;

pub(super) const FIRST_NAMES: &[&str] = &[
    "Anja", "Bram", "Carla", "Daan", "Els", "Femke", "Gert", "Hanneke", "Ilse", "Joost", "Karin",
    "Lotte", "Marieke", "Niels", "Olga", "Pieter", "Quinten", "Rianne", "Sanne", "Thijs", "Ursula",
    "Vera", "Willem", "Yvonne", "Zeynep", "Fatima", "Mohammed", "Noor", "Sem", "Lieke", "Ruud",
    "Ingrid", "Kees", "Mirjam", "Jeroen", "Annemiek", "Bas", "Esther", "Frank", "Gonny",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "Yilmaz",
];

pub(super) const THEME_SUBJECTS: &[&str] = &[
    "Feedback van collega's",
    "Tijd voor overleg",
    "Werkdruk",
    "Bij elkaar in de klas kijken",
    "Ruimte om te experimenteren",
    "Steun van de directie",
    "Scholing op maat",
    "Vergaderingen",
    "Samen lesvoorbereiden",
    "Leerlingen als spiegel",
    "Administratieve last",
    "Vertrouwen in het team",
    "Doorgaande leerlijn",
    "Coaching",
    "Intervisie",
    "Roosterdruk",
    "Onduidelijke verwachtingen",
    "Kennis delen",
    "Nieuwe methodes",
    "Ouders als partner",
];

pub(super) const THEME_SUFFIXES: &[&str] = &[
    "in de onderbouw",
    "in de bovenbouw",
    "tussen scholen",
    "op maandag",
    "na schooltijd",
    "in de teamkamer",
];

const NOUNS: &[&str] = &[
    "collega",
    "klas",
    "les",
    "leerling",
    "directeur",
    "ouder",
    "rooster",
    "vergadering",
    "methode",
    "toets",
    "rapport",
    "teamoverleg",
    "studiedag",
    "bouw",
    "groep",
    "intervisie",
    "feedback",
    "tijd",
    "ruimte",
    "werkdruk",
    "schoolplein",
    "mentor",
    "stagiair",
    "leerlijn",
    "rekenles",
    "leesgroep",
    "observatie",
    "gesprek",
    "map",
    "planning",
];

const VERBS: &[&str] = &[
    "leer",
    "merk",
    "zie",
    "probeer",
    "bespreek",
    "deel",
    "vraag",
    "help",
    "plan",
    "bedenk",
    "onderzoek",
    "verbeter",
    "oefen",
    "ervaar",
    "waardeer",
];

const ADJECTIVES: &[&str] = &[
    "leuk",
    "lastig",
    "nuttig",
    "druk",
    "rustig",
    "nieuw",
    "spannend",
    "fijn",
    "moeilijk",
    "waardevol",
    "onduidelijk",
    "inspirerend",
    "vermoeiend",
    "concreet",
    "open",
];

const ADVERBS: &[&str] = &[
    "vaak",
    "soms",
    "meestal",
    "zelden",
    "graag",
    "samen",
    "eigenlijk",
    "gelukkig",
    "vooral",
    "steeds",
    "weer",
    "echt",
];

const OPENERS: &[&str] = &[
    "Ik",
    "Wij",
    "Mijn collega",
    "Het team",
    "De directie",
    "Een leerling",
    "Niemand",
    "Iedereen",
];

pub(super) const TOPICS: &[&str] = &[
    "coöperatief leren",
    "rekenen met het drieslagmodel",
    "begrijpend lezen",
    "digitale geletterdheid",
    "klassenmanagement",
    "gesprekken met ouders",
    "executieve functies",
    "formatief toetsen",
    "muziek in de klas",
    "programmeren met Scratch",
    "woordenschatonderwijs",
    "bewegend leren",
    "kindgesprekken",
    "werken met dag- en weektaken",
    "feedback geven",
    "teken- en handvaardigheid",
    "het jonge kind",
    "hoogbegaafdheid",
    "NT2 en nieuwkomers",
    "mediawijsheid",
];

pub(super) const TAGS: &[&str] = &[
    "rekenen",
    "taal",
    "ict",
    "didactiek",
    "ouders",
    "gedrag",
    "kunst",
    "bewegen",
    "zorg",
    "planning",
];

pub(super) const ACTION_VERBS: &[&str] = &[
    "Plan",
    "Organiseer",
    "Start",
    "Evalueer",
    "Bespreek",
    "Maak een rooster voor",
];

/// One plain sentence (5–14 words), capitalised, ending in a full stop.
pub(super) fn sentence(rng: &mut impl Rng) -> String {
    let mut out = String::new();
    out.push_str(pick(rng, OPENERS));
    out.push(' ');
    out.push_str(pick(rng, VERBS));
    let extra = rng.random_range(3..12);
    for i in 0..extra {
        out.push(' ');
        match i % 4 {
            0 => out.push_str(pick(rng, ADVERBS)),
            1 => {
                out.push_str("de ");
                out.push_str(pick(rng, NOUNS));
            }
            2 => out.push_str(pick(rng, ADJECTIVES)),
            _ => {
                out.push_str(if rng.random_bool(0.5) { "en" } else { "met" });
                out.push(' ');
                out.push_str(pick(rng, NOUNS));
            }
        }
    }
    out.push('.');
    out
}

/// A short note (one or two sentences), like a post-it.
pub(super) fn note(rng: &mut impl Rng) -> String {
    let mut s = sentence(rng);
    if rng.random_bool(0.3) {
        s.push(' ');
        s.push_str(&sentence(rng));
    }
    s
}

/// Sentences until at least `bytes` long.
pub(super) fn paragraph(rng: &mut impl Rng, bytes: usize) -> String {
    let mut s = String::new();
    while s.len() < bytes {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&sentence(rng));
    }
    s
}

/// A random element of a non-empty list.
pub(super) fn pick<'a>(rng: &mut impl Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("")
}
