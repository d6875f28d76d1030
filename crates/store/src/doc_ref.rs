//! Which stored document an error or event is about.

use std::fmt;

use crate::TrajectoryId;

/// Names one stored document: a trajectory (synced) or a local notebook (never synced).
///
/// Every error about a document carries one of these, and its `Display` form
/// (`trajectory 0190…` / `notebook "drafts"`) is what a teacher sees.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocRef {
    /// A trajectory under `trajectories/<id>/`.
    Trajectory(TrajectoryId),
    /// A local notebook under `notebook/<name>/`.
    Notebook(String),
}

impl DocRef {
    /// The trajectory id, if this is a trajectory.
    pub fn trajectory(&self) -> Option<&TrajectoryId> {
        match self {
            DocRef::Trajectory(id) => Some(id),
            DocRef::Notebook(_) => None,
        }
    }
}

impl fmt::Display for DocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocRef::Trajectory(id) => write!(f, "trajectory {id}"),
            DocRef::Notebook(name) => write!(f, "notebook \"{name}\""),
        }
    }
}
