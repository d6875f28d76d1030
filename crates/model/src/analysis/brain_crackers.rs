use serde::Serialize;

use crate::{AssignmentKind, TrajectoryView};

/// One brain-cracker named in a story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BrainCrackerItem {
    /// Story id.
    pub story: String,
    /// Author's name.
    pub author: String,
    /// Colleague interviewed.
    pub colleague: Option<String>,
    /// The situation (answer to question 1).
    pub situation: String,
    /// How often in the past week.
    pub times_past_week: Option<i64>,
}

/// The brain-crackers named and how often.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BrainCrackerTally {
    /// Every brain-cracker, most frequent first.
    pub items: Vec<BrainCrackerItem>,
    /// Sum of the weekly counts given.
    pub total_times: i64,
    /// Mean weekly count over stories that gave one.
    pub mean_times: Option<f64>,
}

/// Lists the brain-crackers named and their frequency.
pub fn brain_cracker_tally(v: &TrajectoryView) -> BrainCrackerTally {
    let mut items: Vec<BrainCrackerItem> = v
        .stories
        .iter()
        .filter(|s| s.kind == AssignmentKind::BrainCracker)
        .map(|s| BrainCrackerItem {
            story: s.id.clone(),
            author: v.name_of(&s.author),
            colleague: s.colleague.clone(),
            situation: s.answers.get("q1").cloned().unwrap_or_default(),
            times_past_week: s.times_past_week,
        })
        .collect();
    items.sort_by(|a, b| {
        b.times_past_week
            .unwrap_or(-1)
            .cmp(&a.times_past_week.unwrap_or(-1))
            .then(a.story.cmp(&b.story))
    });
    let counts: Vec<i64> = items.iter().filter_map(|i| i.times_past_week).collect();
    let total_times = counts.iter().sum();
    let mean_times = (!counts.is_empty()).then(|| total_times as f64 / counts.len() as f64);
    BrainCrackerTally {
        items,
        total_times,
        mean_times,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Story;

    fn story(id: &str, kind: AssignmentKind, times: Option<i64>) -> Story {
        Story {
            id: id.into(),
            kind,
            author: "a".into(),
            colleague: None,
            times_past_week: times,
            answers: [("q1".to_owned(), format!("situatie {id}"))].into(),
            created_at: 0,
            shared_at: 0,
            after_archive: false,
        }
    }

    #[test]
    fn tally_orders_by_frequency_and_sums() {
        let v = TrajectoryView {
            stories: vec![
                story("s1", AssignmentKind::BrainCracker, Some(2)),
                story("s2", AssignmentKind::BrainCracker, Some(5)),
                story("s3", AssignmentKind::BrainCracker, None),
                story("s4", AssignmentKind::Satisfaction, Some(9)),
            ],
            ..Default::default()
        };
        let t = brain_cracker_tally(&v);
        assert_eq!(
            t.items.iter().map(|i| i.story.as_str()).collect::<Vec<_>>(),
            ["s2", "s1", "s3"]
        );
        assert_eq!(t.total_times, 7);
        assert_eq!(t.mean_times, Some(3.5));
        assert_eq!(t.items[0].situation, "situatie s2");
    }
}
