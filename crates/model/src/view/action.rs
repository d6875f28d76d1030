use serde::Serialize;

use crate::ActionStatus;

/// A concrete action chosen in phase 5.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Action {
    /// Id.
    pub id: String,
    /// What will be done.
    pub text: String,
    /// Participant id of the owner.
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD).
    pub due: Option<String>,
    /// Status.
    pub status: ActionStatus,
    /// Every status set concurrently (two laptops, offline) while that conflict stands,
    /// sorted; empty without a conflict. Setting the status again resolves it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status_conflicts: Vec<ActionStatus>,
    /// Every owner set concurrently while that conflict stands (participant ids, sorted);
    /// empty without a conflict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_conflicts: Vec<String>,
    /// Every due date set concurrently while that conflict stands (sorted); empty without a
    /// conflict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub due_conflicts: Vec<String>,
    /// Theme it serves.
    pub theme: Option<String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
