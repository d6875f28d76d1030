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

    /// The initiator's name, if known.
    pub fn initiator_name(&self) -> Option<String> {
        self.initiator
            .as_deref()
            .and_then(|id| self.participant(id))
            .map(|p| p.name.clone())
    }
}
