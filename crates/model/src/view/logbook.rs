use serde::Serialize;

use crate::Quadrant;

/// One logbook entry: a work situation sorted into the 2×2 grid.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LogbookEntry {
    /// Id.
    pub id: String,
    /// Participant id of the author.
    pub author: String,
    /// Where it sits in the grid.
    pub quadrant: Quadrant,
    /// Hours spent.
    pub hours: f64,
    /// What it was.
    pub text: String,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
