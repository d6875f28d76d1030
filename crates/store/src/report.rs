//! What loading, refreshing and compacting found and did.

use std::fmt;
use std::path::PathBuf;

use crate::StoreError;

/// What opening (or refreshing) a document found on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Number of intact chunk files loaded, plus change logs new records were read from.
    pub files_loaded: usize,
    /// Files that were cut off (torn writes): their intact part was loaded and saved again
    /// in a fresh snapshot, the rest is described here, and the file itself was moved aside.
    pub damaged: Vec<DamagedFile>,
    /// Number of changes the loaded files refer to but that are in no file. Normally 0;
    /// anything else means some history is missing (for example a file was deleted by hand).
    /// The document still opens, without the changes that depend on the missing ones.
    pub missing_changes: usize,
}

impl LoadReport {
    /// Whether everything loaded without any loss.
    pub fn is_clean(&self) -> bool {
        self.damaged.is_empty() && self.missing_changes == 0
    }
}

/// What was wrong with a [`DamagedFile`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// It ends early: a write torn by a crash. Only the unfinished save at its end is lost,
    /// and that save was never reported done.
    Torn,
    /// Its bytes were altered (disk or file system damage, or not a Leerrijk file). Every
    /// intact record before and after the damage was kept; what the damaged records held
    /// comes back from any teammate at the next sync (see [`crate::DataDir::repair_needed`]).
    Altered {
        /// What the checks found, in English.
        reason: String,
        /// Stretches of damaged records that were dropped (at least this many saves).
        records_dropped: usize,
    },
}

/// A chunk file or change log that ended early (a torn write of a writer that is gone) or
/// whose bytes were altered, and whose intact records were recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DamagedFile {
    /// The file as it was found.
    pub file: PathBuf,
    /// Where it was moved to (`<name>.damaged`), or `None` if another process moved it first.
    pub moved_to: Option<PathBuf>,
    /// Saved changes recovered from it (for a change log: saves, each one or more changes).
    pub changes_kept: usize,
    /// Saved changes the file should have held, if known (never for a change log: it has
    /// no count).
    pub changes_expected: Option<usize>,
    /// Size of the file as found.
    pub file_len: u64,
    /// Bytes that belonged to an incomplete or damaged change and were dropped.
    pub bytes_dropped: u64,
    /// Torn or altered.
    pub damage: Damage,
}

impl DamagedFile {
    /// Saved changes that could not be recovered, if known.
    pub fn changes_dropped(&self) -> Option<usize> {
        self.changes_expected
            .map(|expected| expected.saturating_sub(self.changes_kept))
    }
}

impl fmt::Display for DamagedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Damage::Altered {
            reason,
            records_dropped,
        } = &self.damage
        {
            write!(
                f,
                "{} is damaged ({reason}): kept {} intact saved change(s), dropped {records_dropped} damaged stretch(es) ({} byte(s)); a sync with a teammate brings back what they held",
                self.file.display(),
                self.changes_kept,
                self.bytes_dropped
            )?;
            if let Some(moved) = &self.moved_to {
                write!(f, "; the file was kept as {}", moved.display())?;
            }
            return Ok(());
        }
        write!(
            f,
            "{} was cut off (torn write): kept {} saved change(s)",
            self.file.display(),
            self.changes_kept
        )?;
        match self.changes_dropped() {
            Some(dropped) => write!(f, ", dropped {dropped}")?,
            None => write!(f, ", dropped an unknown number")?,
        }
        write!(f, " ({} incomplete byte(s))", self.bytes_dropped)?;
        if let Some(moved) = &self.moved_to {
            write!(f, "; the file was kept as {}", moved.display())?;
        }
        Ok(())
    }
}

/// The result of [`crate::TrajectoryStore::refresh`].
#[derive(Debug, Default)]
pub struct RefreshOutcome {
    /// Whether the document changed (new changes from other processes were applied).
    pub changed: bool,
    /// What was loaded.
    pub report: LoadReport,
    /// New files that could not be read (damaged or from a newer version). They were left
    /// untouched and are not retried by this store; the document stays usable without them.
    pub unreadable: Vec<StoreError>,
}

/// The result of a compaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactReport {
    /// The snapshot that now holds the whole document.
    pub snapshot: PathBuf,
    /// Number of older files removed (all of them were contained in the snapshot).
    pub files_removed: usize,
    /// The document heads the snapshot holds (sorted).
    pub heads: Vec<automerge::ChangeHash>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_file_message_says_what_was_dropped() {
        let d = DamagedFile {
            file: PathBuf::from("/d/abc.chg"),
            moved_to: Some(PathBuf::from("/d/abc.chg.damaged")),
            changes_kept: 3,
            changes_expected: Some(5),
            file_len: 300,
            bytes_dropped: 17,
            damage: Damage::Torn,
        };
        assert_eq!(d.changes_dropped(), Some(2));
        assert_eq!(
            d.to_string(),
            "/d/abc.chg was cut off (torn write): kept 3 saved change(s), dropped 2 \
             (17 incomplete byte(s)); the file was kept as /d/abc.chg.damaged"
        );
    }
}
