//! [`Phase2Command`]: what the phase 2 screen asks of the executor besides document edits —
//! the private notebook (drafts) and photo imports.

use std::path::PathBuf;

use leerrijk_model::AssignmentKind;

/// A phase 2 action that is not a plain document edit.
///
/// Each assignment has at most one open draft in the notebook (its form); the commands name
/// the assignment and the executor finds (or starts) that draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase2Command {
    /// Write one answer of the open draft of an assignment (starting the draft if needed).
    SetDraftAnswer {
        /// Trajectory id.
        trajectory: String,
        /// Which assignment.
        kind: AssignmentKind,
        /// Question id (`q1`, …).
        question: String,
        /// The answer so far.
        text: String,
    },
    /// Set the colleague interviewed and the brain-cracker count of the open draft.
    SetDraftDetails {
        /// Trajectory id.
        trajectory: String,
        /// Which assignment.
        kind: AssignmentKind,
        /// The colleague, if any.
        colleague: Option<String>,
        /// Brain-crackers: how often in the past week.
        times_past_week: Option<i64>,
    },
    /// "Delen met het team": move the open draft into the trajectory as a story.
    ShareDraft {
        /// Trajectory id.
        trajectory: String,
        /// Which assignment.
        kind: AssignmentKind,
    },
    /// Throw the open draft of an assignment away.
    DiscardDraft {
        /// Trajectory id.
        trajectory: String,
        /// Which assignment.
        kind: AssignmentKind,
    },
    /// Choose photos with the file dialog, then add them.
    PickPhotos {
        /// Trajectory id.
        trajectory: String,
        /// Caption for the chosen photos.
        caption: String,
    },
    /// Add a photo file (no dialog): downscaled and stored off the GUI thread, then recorded.
    AddPhoto {
        /// Trajectory id.
        trajectory: String,
        /// The photo file (JPEG or PNG).
        path: PathBuf,
        /// Caption.
        caption: String,
    },
}
