use serde::Serialize;

/// Who archived the trajectory, when, and at which document heads.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// When (ms since epoch).
    pub at: i64,
    /// Participant id of the initiator who archived it.
    pub by: String,
    /// The document heads at archiving (hex change hashes).
    pub heads: Vec<String>,
}

/// The shared marketplace workshop timer.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct WorkshopTimer {
    /// Start (ms since epoch).
    pub started_at: i64,
    /// Length in minutes.
    pub minutes: i64,
}

impl WorkshopTimer {
    /// Milliseconds left at `now_ms` (0 when over).
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        (self.started_at + self.minutes * 60_000 - now_ms).max(0)
    }
}
