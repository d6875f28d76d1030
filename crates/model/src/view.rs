//! Read views: plain, serialisable snapshots of the document for the UI, the CLI's
//! `show --json`, the report and the analyses.
//!
//! Field names are stable: scripts read `show --json`. Deleted items are left out. Lists are in
//! display order (by `created_at`, then id). `after_archive` is present and `true` only on items
//! that were added after the trajectory was archived (late offline edits merged in later).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::AssignmentKind;

mod action;
mod group;
mod image;
mod limits;
mod logbook;
mod market;
mod meta;
mod participant;
mod postit;
mod story;
mod theme;

pub use action::Action;
pub use group::Group;
pub use image::Image;
pub use logbook::LogbookEntry;
pub use market::{Offer, Request};
pub use meta::{ArchiveInfo, WorkshopTimer};
pub use participant::{Participant, Placement};
pub use postit::PostIt;
pub use story::Story;
pub use theme::Theme;

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The whole trajectory as read from the document.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TrajectoryView {
    /// Schema version of the document.
    pub schema: i64,
    /// Trajectory id.
    pub id: String,
    /// Title.
    pub title: String,
    /// School name.
    pub school: String,
    /// Participant id of the initiator.
    pub initiator: Option<String>,
    /// Current phase, 1–5.
    pub phase: u8,
    /// When the trajectory was created (ms since epoch).
    pub created_at: i64,
    /// Planned date per phase ("1".."5" → YYYY-MM-DD).
    pub dates: BTreeMap<String, String>,
    /// The information letter (Markdown).
    pub letter: String,
    /// Whether authors of post-its are hidden for everyone.
    pub hide_postit_authors: bool,
    /// Notes written before this moment are revealed in the debrief (ms since epoch).
    pub revealed_at: Option<i64>,
    /// A round of silent writing started at this moment (ms since epoch): post-its written since
    /// are face down until the next reveal. See [`TrajectoryView::is_covered`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silent_since: Option<i64>,
    /// The marketplace workshop timer, when running.
    pub workshop_timer: Option<WorkshopTimer>,
    /// Archive record, when archived.
    pub archived: Option<ArchiveInfo>,
    /// Practice assignments handed out.
    pub assignments: Vec<AssignmentKind>,
    /// Participants.
    pub participants: Vec<Participant>,
    /// Shared stories.
    pub stories: Vec<Story>,
    /// Red–green placements.
    pub placements: Vec<Placement>,
    /// Logbook entries.
    pub logbook: Vec<LogbookEntry>,
    /// Image records (photos are blobs stored beside the document).
    pub images: Vec<Image>,
    /// Core themes.
    pub themes: Vec<Theme>,
    /// Post-its.
    pub postits: Vec<PostIt>,
    /// Ranking groups.
    pub groups: Vec<Group>,
    /// Actions.
    pub actions: Vec<Action>,
    /// Marketplace offers.
    pub offers: Vec<Offer>,
    /// Marketplace requests.
    pub requests: Vec<Request>,
    /// Entries of the document that were left out of this view because they break the
    /// model's rules (a text over its limit, a value of the wrong type or out of range),
    /// e.g. written by a modified app. Absent from JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub ignored: usize,
}

impl TrajectoryView {
    /// A participant by id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The display name of a participant id (the id itself if unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.participant(id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }

    /// A theme by id.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// When the running round of silent writing started, if one runs (started and not
    /// revealed since).
    pub fn silent_round(&self) -> Option<i64> {
        let since = self.silent_since?;
        match self.revealed_at {
            Some(r) if r >= since => None,
            _ => Some(since),
        }
    }

    /// Whether a post-it is shown face down to participant `me`: it was written during the
    /// running silent round and `me` is not its (visible) author.
    pub fn is_covered(&self, p: &PostIt, me: Option<&str>) -> bool {
        self.silent_round().is_some_and(|since| {
            p.created_at >= since && (me.is_none() || p.author.as_deref() != me)
        })
    }

    /// The initiator's name, if known.
    pub fn initiator_name(&self) -> Option<String> {
        self.initiator
            .as_deref()
            .and_then(|id| self.participant(id))
            .map(|p| p.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use crate::NewPostIt;
    use crate::trajectory::test_support::fresh;

    #[test]
    fn silent_round_covers_other_peoples_new_notes_until_revealed() {
        // The manual clock advances one millisecond per edit, so the order is strict.
        let (mut t, init) = fresh();
        let bram = t.add_participant("Bram", crate::Role::Leerkracht).unwrap();
        let note = |t: &mut crate::Trajectory, author: &str, text: &str| {
            t.add_postit(NewPostIt {
                text: text.into(),
                author: Some(author.to_owned()),
                ..Default::default()
            })
            .unwrap()
        };
        let before = note(&mut t, &bram, "voor");
        t.start_silent_writing(&init).unwrap();
        let during = note(&mut t, &bram, "tijdens");
        let v = t.view();
        let get = |v: &crate::TrajectoryView, id: &str| {
            v.postits.iter().find(|p| p.id == id).unwrap().clone()
        };
        assert!(!v.is_covered(&get(&v, &before), Some(&init)));
        assert!(v.is_covered(&get(&v, &during), Some(&init)));
        assert!(v.is_covered(&get(&v, &during), None));
        assert!(
            !v.is_covered(&get(&v, &during), Some(&bram)),
            "the author sees it"
        );
        t.reveal_notes(&init).unwrap();
        let v = t.view();
        assert!(!v.is_covered(&get(&v, &during), Some(&init)));
        let after = note(&mut t, &bram, "na");
        let v = t.view();
        assert!(!v.is_covered(&get(&v, &after), Some(&init)), "live again");
    }
}
