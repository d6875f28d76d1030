use serde::Serialize;

use crate::Polarity;

/// A core theme on the flip-over.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Theme {
    /// Id.
    pub id: String,
    /// Title (automerge's deterministic pick when a conflict stands).
    pub title: String,
    /// Every title given concurrently while a rename conflict stands (empty when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub title_conflicts: Vec<String>,
    /// Positive (bevorderend) or negative (belemmerend).
    pub polarity: Polarity,
    /// Participant id of whoever added it.
    pub created_by: Option<String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
