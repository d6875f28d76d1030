use std::collections::BTreeMap;

use serde::Serialize;

use crate::AssignmentKind;

/// The shared answers of one participant to one practice assignment.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Story {
    /// Id.
    pub id: String,
    /// Which assignment.
    pub kind: AssignmentKind,
    /// Participant id of the author.
    pub author: String,
    /// The colleague interviewed (satisfaction, brain-crackers), if any.
    pub colleague: Option<String>,
    /// Brain-crackers: how often in the past week.
    pub times_past_week: Option<i64>,
    /// Answers: question id → text.
    pub answers: BTreeMap<String, String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Shared with the team (ms since epoch).
    pub shared_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
