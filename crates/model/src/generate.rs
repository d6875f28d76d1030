//! Realistic generated trajectories, for benchmarks and trying things out at scale
//! (feature `generate`; the app's hidden `leerrijk dev generate` uses it).
//!
//! Everything is made through the model's own edit functions, one automerge change per edit,
//! each by the acting participant's own actor id, so the document looks like one a real team
//! built over a year: participants, stories of about 1 KB, a logbook, red–green placements,
//! themes with post-its, groups with rankings, actions, a marketplace, and then
//! `history_rounds` rounds of small edits (post-its moved and reworded, themes renamed,
//! rankings reordered, action statuses changed, a few deletions).
//!
//! The content is deterministic for a given [`GenSpec`] (seeded [`StdRng`], manual clock,
//! actor ids from the seed). Item ids are UUIDv7 from [`crate::new_id`], so two runs give
//! documents of the same shape and size but not byte-identical ones.

mod words;

use automerge::ActorId;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

use crate::{
    ActionStatus, AssignmentKind, Clock, NewAction, NewLogbookEntry, NewPostIt, NewStory,
    ParticipantId, Polarity, Quadrant, QuestionCatalog, Result, Role, Trajectory,
};
use words::{note, paragraph, pick};

/// 2026-09-01T00:00:00Z, the start of the generated school year (ms since the epoch).
const START_MS: i64 = 1_788_220_800_000;

/// Post-it colours the generator uses.
const COLOURS: &[&str] = &["yellow", "pink", "green", "blue", "orange"];

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenSpec {
    /// Number of participants (the initiator included; at least 1).
    pub participants: usize,
    /// Number of post-its.
    pub postits: usize,
    /// Number of shared stories (about 1 KB of answers each).
    pub stories: usize,
    /// Number of marketplace offers (as many requests are added).
    pub offers: usize,
    /// Rounds of small edits after everything was added (the "long edit history").
    pub history_rounds: usize,
    /// Seed of the random choices.
    pub seed: u64,
}

/// A named size preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenSize {
    /// 10 people, about 200 items.
    Small,
    /// 100 people, 20,000 post-its, 2,000 stories of about 1 KB.
    Large,
    /// About 50,000 items and a long edit history.
    Huge,
}

impl GenSize {
    /// Every preset, smallest first.
    pub const ALL: [GenSize; 3] = [GenSize::Small, GenSize::Large, GenSize::Huge];

    /// Lower-case name (`small`, `large`, `huge`).
    pub fn name(self) -> &'static str {
        match self {
            GenSize::Small => "small",
            GenSize::Large => "large",
            GenSize::Huge => "huge",
        }
    }

    /// Parses a preset name.
    pub fn parse(s: &str) -> Option<GenSize> {
        GenSize::ALL.into_iter().find(|g| g.name() == s)
    }

    /// The spec of this preset (seed 1).
    pub fn spec(self) -> GenSpec {
        match self {
            GenSize::Small => GenSpec {
                participants: 10,
                postits: 100,
                stories: 20,
                offers: 15,
                history_rounds: 2,
                seed: 1,
            },
            GenSize::Large => GenSpec {
                participants: 100,
                postits: 20_000,
                stories: 2_000,
                offers: 500,
                history_rounds: 3,
                seed: 1,
            },
            GenSize::Huge => GenSpec {
                participants: 200,
                postits: 42_000,
                stories: 3_000,
                offers: 2_000,
                history_rounds: 20,
                seed: 1,
            },
        }
    }
}

impl GenSpec {
    /// Number of core themes: one per 50 post-its, 4 to 60.
    pub fn themes(&self) -> usize {
        (self.postits / 50).clamp(4, 60)
    }

    /// Number of ranking groups: one per 5 participants, 1 to 20.
    pub fn groups(&self) -> usize {
        (self.participants / 5).clamp(1, 20)
    }

    /// Number of actions: two per theme.
    pub fn actions(&self) -> usize {
        self.themes() * 2
    }

    /// Number of logbook entries: three per participant.
    pub fn logbook(&self) -> usize {
        self.participants * 3
    }

    /// Number of small edits per history round: one per 40 items, at least 20.
    pub fn edits_per_round(&self) -> usize {
        (self.items() / 40).max(20)
    }

    /// Total number of items (participants, stories, logbook entries, placements, themes,
    /// post-its, groups, actions, offers and requests).
    pub fn items(&self) -> usize {
        self.participants * 2
            + self.stories
            + self.logbook()
            + self.themes()
            + self.postits
            + self.groups()
            + self.actions()
            + self.offers * 2
    }
}

/// A generated trajectory.
#[derive(Debug)]
pub struct Generated {
    /// The trajectory (its document holds the whole history; nothing is saved yet).
    pub trajectory: Trajectory,
    /// The initiator's participant id.
    pub initiator: ParticipantId,
    /// Number of edits made (each commits one automerge change, unless it changed nothing).
    pub edits: usize,
}

/// What the generator keeps track of while it works.
struct Gen {
    t: Trajectory,
    rng: StdRng,
    edits: usize,
    /// (participant id, name, actor).
    people: Vec<(ParticipantId, String, ActorId)>,
    themes: Vec<String>,
    postits: Vec<String>,
    groups: Vec<String>,
    actions: Vec<String>,
    /// (story id, author index, kind).
    stories: Vec<(String, usize, AssignmentKind)>,
    offers: Vec<String>,
}

/// Generates a trajectory as described by `spec`.
pub fn generate(spec: &GenSpec) -> Result<Generated> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let clock = Clock::manual(START_MS);
    let school = format!("Stichting De Brug, {} scholen", 1 + spec.participants / 10);
    let initiator_name = person_name(&mut rng, 0);
    let (mut t, initiator) = Trajectory::create(
        "Leren loont het langst",
        &school,
        &initiator_name,
        Role::Directie,
        clock,
    )?;
    let actor = actor(&mut rng);
    t.doc_mut().set_actor(actor.clone());
    let mut g = Gen {
        t,
        rng,
        edits: 1,
        people: vec![(initiator.clone(), initiator_name, actor)],
        themes: Vec::new(),
        postits: Vec::new(),
        groups: Vec::new(),
        actions: Vec::new(),
        stories: Vec::new(),
        offers: Vec::new(),
    };
    g.phase1(spec)?;
    g.phase2(spec)?;
    g.phase3(spec)?;
    g.phase4(spec)?;
    g.phase5(spec)?;
    for _ in 0..spec.history_rounds {
        g.history_round(spec)?;
    }
    Ok(Generated {
        trajectory: g.t,
        initiator,
        edits: g.edits,
    })
}

/// A deterministic actor id from the generator's randomness.
fn actor(rng: &mut StdRng) -> ActorId {
    let bytes: [u8; 16] = rng.random();
    ActorId::from(bytes.as_slice())
}

/// A unique-looking person name; `i` makes it unique.
fn person_name(rng: &mut StdRng, i: usize) -> String {
    let first = pick(rng, words::FIRST_NAMES);
    let last = pick(rng, words::LAST_NAMES);
    if i < words::FIRST_NAMES.len() {
        format!("{first} {last}")
    } else {
        format!("{first} {last} ({})", i + 1)
    }
}

impl Gen {
    /// Runs one edit as participant `who` (its actor id acts).
    fn as_person<T>(
        &mut self,
        who: usize,
        f: impl FnOnce(&mut Trajectory) -> Result<T>,
    ) -> Result<T> {
        let actor = self.people[who].2.clone();
        self.t.doc_mut().set_actor(actor);
        let out = f(&mut self.t)?;
        self.edits += 1;
        Ok(out)
    }

    fn initiator(&self) -> String {
        self.people[0].0.clone()
    }

    fn random_person(&mut self) -> usize {
        self.rng.random_range(0..self.people.len())
    }

    /// Participants join, the initiator hands out the assignments and plans the dates.
    fn phase1(&mut self, spec: &GenSpec) -> Result<()> {
        let init = self.initiator();
        for i in 1..spec.participants.max(1) {
            let name = person_name(&mut self.rng, i);
            let role = match self.rng.random_range(0..10) {
                0 => Role::Ib,
                1 => Role::Bouwcoordinator,
                2 => Role::Onderwijsondersteuner,
                3 if i % 20 == 3 => Role::Directie,
                _ => Role::Leerkracht,
            };
            let actor = actor(&mut self.rng);
            self.t.doc_mut().set_actor(actor.clone());
            let id = self.t.add_participant(&name, role)?;
            self.edits += 1;
            self.people.push((id, name, actor));
        }
        for kind in AssignmentKind::ALL {
            self.as_person(0, |t| t.set_assignment(&init, kind, true))?;
        }
        for phase in 1..=5_i64 {
            let month = 8 + 2 * phase;
            let date = if month > 12 {
                format!("2027-{:02}-15", month - 12)
            } else {
                format!("2026-{month:02}-15")
            };
            self.as_person(0, |t| t.set_phase_date(&init, phase, Some(&date)))?;
        }
        self.as_person(0, |t| t.set_phase(&init, 2))
    }

    /// Stories, logbook entries and red–green placements.
    fn phase2(&mut self, spec: &GenSpec) -> Result<()> {
        let catalog = QuestionCatalog::get()?;
        for _ in 0..spec.stories {
            let who = self.random_person();
            let kind = *AssignmentKind::ALL
                .choose(&mut self.rng)
                .unwrap_or(&AssignmentKind::Satisfaction);
            let questions: Vec<String> = catalog
                .assignment(kind)
                .map(|a| a.questions.iter().map(|q| q.id.clone()).collect())
                .unwrap_or_default();
            let per_answer = 1_000 / questions.len().max(1);
            let answers = questions
                .into_iter()
                .map(|q| (q, paragraph(&mut self.rng, per_answer)))
                .collect();
            let colleague = self
                .rng
                .random_bool(0.3)
                .then(|| person_name(&mut self.rng, 0));
            let times =
                (kind == AssignmentKind::BrainCracker).then(|| self.rng.random_range(0..20));
            let story = NewStory {
                kind,
                author: self.people[who].0.clone(),
                colleague,
                times_past_week: times,
                answers,
            };
            let id = self.as_person(who, |t| t.add_story(story))?;
            self.stories.push((id, who, kind));
        }
        for _ in 0..spec.logbook() {
            let who = self.random_person();
            let quadrant = *[
                Quadrant::EasyFun,
                Quadrant::EasyNotFun,
                Quadrant::HardFun,
                Quadrant::HardNotFun,
            ]
            .choose(&mut self.rng)
            .unwrap_or(&Quadrant::EasyFun);
            let entry = NewLogbookEntry {
                author: self.people[who].0.clone(),
                quadrant,
                hours: f64::from(self.rng.random_range(1..=16_u32)) / 2.0,
                text: note(&mut self.rng),
            };
            self.as_person(who, |t| t.add_logbook_entry(entry))?;
        }
        for who in 0..self.people.len() {
            let id = self.people[who].0.clone();
            let value = self.rng.random_range(0..=100);
            let text = if self.rng.random_bool(0.5) {
                note(&mut self.rng)
            } else {
                String::new()
            };
            self.as_person(who, |t| t.set_placement(&id, value, &text))?;
        }
        let init = self.initiator();
        self.as_person(0, |t| t.set_phase(&init, 3))
    }

    /// Core themes and post-its on them.
    fn phase3(&mut self, spec: &GenSpec) -> Result<()> {
        for i in 0..spec.themes() {
            let who = self.random_person();
            let title = theme_title(&mut self.rng, i);
            let polarity = if self.rng.random_bool(0.6) {
                Polarity::Positive
            } else {
                Polarity::Negative
            };
            let by = self.people[who].0.clone();
            let id = self.as_person(who, |t| t.add_theme(&title, polarity, Some(&by)))?;
            self.themes.push(id);
        }
        for _ in 0..spec.postits {
            let who = self.random_person();
            let theme = if self.rng.random_bool(0.85) {
                self.themes.choose(&mut self.rng).cloned()
            } else {
                None
            };
            let postit = NewPostIt {
                text: note(&mut self.rng),
                theme,
                author: Some(self.people[who].0.clone()),
                anonymous: self.rng.random_bool(0.1),
                colour: Some(pick(&mut self.rng, COLOURS).to_owned()),
            };
            let id = self.as_person(who, |t| t.add_postit(postit))?;
            self.postits.push(id);
        }
        let init = self.initiator();
        self.as_person(0, |t| t.set_phase(&init, 4))
    }

    /// Groups rank the themes; actions are agreed.
    fn phase4(&mut self, spec: &GenSpec) -> Result<()> {
        let mut order: Vec<usize> = (0..self.people.len()).collect();
        order.shuffle(&mut self.rng);
        let groups = spec.groups();
        for gi in 0..groups {
            let members: Vec<String> = order
                .iter()
                .skip(gi)
                .step_by(groups)
                .map(|&i| self.people[i].0.clone())
                .collect();
            let name = format!("Groep {}", gi + 1);
            let who = order.get(gi).copied().unwrap_or(0);
            let id = self.as_person(who, |t| t.add_group(&name, &members))?;
            let mut themes = self.themes.clone();
            themes.shuffle(&mut self.rng);
            for (pos, th) in themes.iter().take(10).enumerate() {
                self.as_person(who, |t| t.rank_theme(&id, th, pos))?;
            }
            self.groups.push(id);
        }
        for _ in 0..spec.actions() {
            let who = self.random_person();
            let action = NewAction {
                text: format!(
                    "{} {}",
                    pick(&mut self.rng, words::ACTION_VERBS),
                    pick(&mut self.rng, words::TOPICS)
                ),
                owner: Some(self.people[who].0.clone()),
                due: Some(format!("2027-{:02}-01", self.rng.random_range(1..=6))),
                theme: self.themes.choose(&mut self.rng).cloned(),
                status: ActionStatus::Open,
            };
            let id = self.as_person(who, |t| t.add_action(action))?;
            self.actions.push(id);
        }
        let init = self.initiator();
        self.as_person(0, |t| t.set_phase(&init, 5))
    }

    /// The marketplace: offers and requests.
    fn phase5(&mut self, spec: &GenSpec) -> Result<()> {
        for _ in 0..spec.offers {
            let who = self.random_person();
            let topic = market_topic(&mut self.rng);
            let mut people = vec![self.people[who].1.clone()];
            if self.rng.random_bool(0.3) {
                let other = self.random_person();
                people.push(self.people[other].1.clone());
            }
            let tags = vec![pick(&mut self.rng, words::TAGS).to_owned()];
            let id = self.as_person(who, |t| t.add_offer(&topic, &people, &tags))?;
            self.offers.push(id);
        }
        for _ in 0..spec.offers {
            let who = self.random_person();
            let topic = market_topic(&mut self.rng);
            let person = self.people[who].1.clone();
            let from: Vec<String> = if self.rng.random_bool(0.2) {
                let other = self.random_person();
                vec![self.people[other].1.clone()]
            } else {
                Vec::new()
            };
            let tags = vec![pick(&mut self.rng, words::TAGS).to_owned()];
            self.as_person(who, |t| t.add_request(&topic, &person, &from, &tags))?;
        }
        Ok(())
    }

    /// One round of small edits: moves, rewordings, renames, reorderings, status changes and
    /// a few deletions.
    fn history_round(&mut self, spec: &GenSpec) -> Result<()> {
        for _ in 0..spec.edits_per_round() {
            let who = self.random_person();
            let roll = self.rng.random_range(0..100);
            match roll {
                0..=39 if !self.postits.is_empty() => {
                    let p = self.pick_id(Kind::Postit);
                    let theme = self.themes.choose(&mut self.rng).cloned();
                    self.as_person(who, |t| t.move_postit(&p, theme.as_deref()))?;
                }
                40..=59 if !self.postits.is_empty() => {
                    let p = self.pick_id(Kind::Postit);
                    let text = note(&mut self.rng);
                    self.as_person(who, |t| t.set_postit_text(&p, &text))?;
                }
                60..=64 if !self.themes.is_empty() => {
                    let th = self.pick_id(Kind::Theme);
                    let i = self.rng.random_range(0..1000);
                    let title = theme_title(&mut self.rng, i);
                    self.as_person(who, |t| t.rename_theme(&th, &title))?;
                }
                65..=74 if !self.groups.is_empty() && !self.themes.is_empty() => {
                    let g = self.pick_id(Kind::Group);
                    let th = self.pick_id(Kind::Theme);
                    let pos = self.rng.random_range(0..10);
                    self.as_person(who, |t| t.rank_theme(&g, &th, pos))?;
                }
                75..=84 if !self.actions.is_empty() => {
                    let a = self.pick_id(Kind::Action);
                    let status = *[ActionStatus::Open, ActionStatus::Doing, ActionStatus::Done]
                        .choose(&mut self.rng)
                        .unwrap_or(&ActionStatus::Doing);
                    self.as_person(who, |t| t.set_action_status(&a, status))?;
                }
                85..=89 if !self.stories.is_empty() => {
                    let i = self.rng.random_range(0..self.stories.len());
                    let (story, author, kind) = self.stories[i].clone();
                    let author_id = self.people[author].0.clone();
                    let q = QuestionCatalog::get()?
                        .assignment(kind)
                        .and_then(|a| a.questions.first())
                        .map(|q| q.id.clone())
                        .unwrap_or_else(|| "q1".to_owned());
                    let text = paragraph(&mut self.rng, 200);
                    self.as_person(author, |t| {
                        t.set_story_answer(&author_id, &story, &q, &text)
                    })?;
                }
                90..=93 if !self.offers.is_empty() => {
                    let o = self.pick_id(Kind::Offer);
                    let name = self.people[who].1.clone();
                    self.as_person(who, |t| t.add_offer_person(&o, &name))?;
                }
                94..=95 if self.postits.len() > 1 => {
                    let i = self.rng.random_range(0..self.postits.len());
                    let p = self.postits.swap_remove(i);
                    self.as_person(who, |t| t.delete_postit(&p))?;
                }
                _ => {
                    let id = self.people[who].0.clone();
                    let value = self.rng.random_range(0..=100);
                    self.as_person(who, |t| t.set_placement(&id, value, ""))?;
                }
            }
        }
        Ok(())
    }

    fn pick_id(&mut self, kind: Kind) -> String {
        let list = match kind {
            Kind::Postit => &self.postits,
            Kind::Theme => &self.themes,
            Kind::Group => &self.groups,
            Kind::Action => &self.actions,
            Kind::Offer => &self.offers,
        };
        list.choose(&mut self.rng).cloned().unwrap_or_default()
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Postit,
    Theme,
    Group,
    Action,
    Offer,
}

/// A theme title; `i` past the list of subjects adds a suffix and a number.
fn theme_title(rng: &mut StdRng, i: usize) -> String {
    let n = words::THEME_SUBJECTS.len();
    let subject = words::THEME_SUBJECTS[i % n];
    if i < n {
        subject.to_owned()
    } else {
        format!("{subject} {} ({})", pick(rng, words::THEME_SUFFIXES), i / n)
    }
}

/// A marketplace topic.
fn market_topic(rng: &mut StdRng) -> String {
    let topic = pick(rng, words::TOPICS);
    match rng.random_range(0..3) {
        0 => topic.to_owned(),
        1 => format!("{topic} in groep {}", rng.random_range(1..=8)),
        _ => format!("Praktische tips voor {topic}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> GenSpec {
        GenSpec {
            participants: 6,
            postits: 40,
            stories: 5,
            offers: 4,
            history_rounds: 2,
            seed: 7,
        }
    }

    #[test]
    fn generates_what_the_spec_asks() {
        let spec = tiny();
        let mut g = generate(&spec).unwrap();
        let v = g.trajectory.view();
        assert_eq!(v.participants.len(), 6);
        assert_eq!(v.stories.len(), 5);
        assert_eq!(v.themes.len(), spec.themes());
        assert_eq!(v.offers.len(), 4);
        assert_eq!(v.requests.len(), 4);
        assert_eq!(v.groups.len(), spec.groups());
        assert_eq!(v.actions.len(), spec.actions());
        assert_eq!(v.logbook.len(), spec.logbook());
        assert_eq!(v.placements.len(), 6);
        assert_eq!(v.phase, 5);
        // A few post-its may have been deleted in the history rounds.
        assert!(v.postits.len() <= 40 && v.postits.len() >= 40 - spec.edits_per_round());
        assert!(v.groups.iter().all(|gr| !gr.ranking.is_empty()));
        assert!(
            v.stories
                .iter()
                .all(|s| s.answers.values().map(String::len).sum::<usize>() >= 900)
        );
        assert!(g.edits > spec.items());
        // One change per edit, except edits that changed nothing (a theme ranked where it
        // already was, a person added to an offer twice).
        let changes = g.trajectory.doc_mut().get_changes(&[]).len();
        assert!(
            changes <= g.edits && changes >= g.edits * 9 / 10,
            "{changes} {}",
            g.edits
        );
    }

    #[test]
    fn same_seed_same_content() {
        let strip = |mut v: crate::TrajectoryView| {
            // Ids are fresh UUIDv7s; compare everything else.
            v.id.clear();
            // Equal placements are ordered by participant id, which differs between runs.
            v.placements.sort_by_key(|p| (p.value, p.updated_at));
            let json = serde_json::to_value(&v).unwrap();
            let mut s = json.to_string();
            for id in ids_in(&json) {
                s = s.replace(&id, "ID");
            }
            s
        };
        let a = generate(&tiny()).unwrap().trajectory.view();
        let b = generate(&tiny()).unwrap().trajectory.view();
        assert_eq!(strip(a.clone()), strip(b));
        let other = generate(&GenSpec { seed: 8, ..tiny() })
            .unwrap()
            .trajectory
            .view();
        assert_ne!(strip(a), strip(other));
    }

    fn ids_in(v: &serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        match v {
            serde_json::Value::String(s) if crate::is_valid_id(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| out.extend(ids_in(x))),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
                if crate::is_valid_id(k) {
                    out.push(k.clone());
                }
                out.extend(ids_in(x));
            }),
            _ => {}
        }
        out
    }

    #[test]
    fn presets_parse_and_grow() {
        for size in GenSize::ALL {
            assert_eq!(GenSize::parse(size.name()), Some(size));
        }
        assert!(GenSize::Small.spec().items() < GenSize::Large.spec().items());
        let huge = GenSize::Huge.spec().items();
        assert!((45_000..=60_000).contains(&huge), "{huge}");
        let small = GenSize::Small.spec().items();
        assert!((150..=300).contains(&small), "{small}");
    }
}
