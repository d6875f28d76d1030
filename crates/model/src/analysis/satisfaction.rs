use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::{AssignmentKind, TrajectoryView, topic_words};

/// A source of satisfaction named by several people (question 5 of "Moment van voldoening").
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SharedSource {
    /// The word as people wrote it (lower case; the shortest form used, e.g. "kind" and
    /// "kinderen" both count and show as "kind").
    pub word: String,
    /// Names of the people whose answer contains it.
    pub people: Vec<String>,
}

/// Words (normalised, filler words removed) that at least two different people use in their
/// answer to "what does this say about what really matters to you in your work?", most people
/// first.
pub fn shared_satisfaction_sources(v: &TrajectoryView) -> Vec<SharedSource> {
    // stem → (shortest surface form, people)
    let mut by_stem: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    // Participant id → name (the first with that id, as `name_of` finds).
    let mut names: HashMap<&str, &str> = HashMap::with_capacity(v.participants.len());
    for p in &v.participants {
        names.entry(p.id.as_str()).or_insert(p.name.as_str());
    }
    for s in v
        .stories
        .iter()
        .filter(|s| s.kind == AssignmentKind::Satisfaction)
    {
        let Some(answer) = s.answers.get("q5") else {
            continue;
        };
        let name = names.get(s.author.as_str()).copied().unwrap_or(&s.author);
        for (stem, word) in topic_words(answer)
            .into_iter()
            .filter(|(_, w)| w.chars().count() >= 4)
        {
            let entry = by_stem
                .entry(stem)
                .or_insert_with(|| (word.clone(), BTreeSet::new()));
            if (word.chars().count(), &word) < (entry.0.chars().count(), &entry.0) {
                entry.0 = word;
            }
            if !entry.1.contains(name) {
                entry.1.insert(name.to_owned());
            }
        }
    }
    let mut out: Vec<SharedSource> = by_stem
        .into_values()
        .filter(|(_, p)| p.len() >= 2)
        .map(|(word, people)| SharedSource {
            word,
            people: people.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.people
            .len()
            .cmp(&a.people.len())
            .then(a.word.cmp(&b.word))
    });
    out
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{AssignmentKind, NewStory, Role};

    #[test]
    fn words_shared_by_two_people() {
        let (mut t, init) = fresh();
        let b = t.add_participant("Bram", Role::Leerkracht).unwrap();
        for (who, text) in [
            (&init, "Dat kinderen groeien en samenwerking"),
            (&b, "De samenwerking met collega's, kinderen zien groeien"),
            (&b, "Samenwerking"),
        ] {
            t.add_story(NewStory {
                kind: AssignmentKind::Satisfaction,
                author: who.clone(),
                colleague: None,
                times_past_week: None,
                answers: vec![("q5".into(), text.into())],
            })
            .unwrap();
        }
        let s = super::shared_satisfaction_sources(&t.view());
        let words: Vec<&str> = s.iter().map(|x| x.word.as_str()).collect();
        assert!(words.contains(&"samenwerking"), "{words:?}");
        assert!(words.contains(&"kinderen"), "shown as written: {words:?}");
        assert!(words.contains(&"groeien"), "{words:?}");
        assert!(!words.contains(&"collega"), "{words:?}");
        assert!(s.iter().all(|x| x.people.len() == 2));
    }
}
