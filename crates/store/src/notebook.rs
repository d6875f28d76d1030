//! [`NotebookStore`]: local-only documents (private drafts), never synced.

use std::path::Path;

use automerge::AutoCommit;

use crate::chunk_dir::ChunkDir;
use crate::fsutil;
use crate::id::validate_notebook_name;
use crate::{CompactReport, DataDir, DocRef, LoadReport, RefreshOutcome, StagedSave, StoreError};

/// The persistent side of one local notebook document under `notebook/<name>/`.
///
/// Same file mechanism and guarantees as [`crate::TrajectoryStore`]; the sync layer never
/// sees these documents.
#[derive(Debug)]
pub struct NotebookStore {
    /// The notebook name.
    name: String,
    /// Its files.
    chunks: ChunkDir,
}

impl NotebookStore {
    /// Opens notebook `name`, creating it (empty) if it does not exist yet.
    ///
    /// Names are 1–64 characters of letters, digits, `-` and `_`
    /// ([`StoreError::InvalidNotebookName`] otherwise).
    pub fn open(
        data_dir: &DataDir,
        name: &str,
    ) -> Result<(NotebookStore, AutoCommit, LoadReport), StoreError> {
        validate_notebook_name(name)?;
        let dir = data_dir.notebook_dir(name);
        fsutil::ensure_dir(&dir)?;
        let (chunks, doc, report) = ChunkDir::open(dir, DocRef::Notebook(name.to_owned()))?;
        let store = NotebookStore {
            name: name.to_owned(),
            chunks,
        };
        Ok((store, doc, report))
    }

    /// The notebook name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The notebook's directory.
    pub fn dir(&self) -> &Path {
        self.chunks.dir()
    }

    /// Durably saves the changes in `doc` not in any file yet (see
    /// [`crate::TrajectoryStore::save`]).
    pub fn save(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        self.chunks.save(doc).map(|_| ())
    }

    /// Stages the unsaved changes for a later [`StagedSave::commit`] (see
    /// [`crate::TrajectoryStore::stage`]).
    pub fn stage(&mut self, doc: &mut AutoCommit) -> Result<Option<StagedSave>, StoreError> {
        self.chunks.stage(doc)
    }

    /// Loads changes written by other processes (see [`crate::TrajectoryStore::refresh`]).
    pub fn refresh(&mut self, doc: &mut AutoCommit) -> Result<RefreshOutcome, StoreError> {
        self.chunks.refresh(doc)
    }

    /// Rewrites the notebook as one snapshot (see [`crate::TrajectoryStore::compact`]).
    pub fn compact(&mut self, doc: &mut AutoCommit) -> Result<CompactReport, StoreError> {
        self.chunks.compact(doc)
    }

    /// Whether another process wrote files not loaded yet.
    pub fn poll_changed(&self) -> Result<bool, StoreError> {
        self.chunks.poll_changed()
    }

    /// Sets the automatic compaction threshold (see
    /// [`crate::TrajectoryStore::set_compact_threshold`]).
    pub fn set_compact_threshold(&mut self, threshold: Option<usize>) {
        self.chunks.set_compact_threshold(threshold);
    }

    /// Whether a compaction is due (see [`crate::TrajectoryStore::compaction_due`]).
    pub fn compaction_due(&self) -> bool {
        self.chunks.compaction_due()
    }

    /// Closes this store's change log (see [`crate::TrajectoryStore::rotate_log`]).
    pub fn rotate_log(&mut self) {
        self.chunks.retire_writer();
    }

    /// Adopts a background compaction's snapshot (see
    /// [`crate::TrajectoryStore::adopt_snapshot`]).
    pub fn adopt_snapshot(&mut self, doc: &mut AutoCommit, report: &CompactReport) -> bool {
        self.chunks.adopt_snapshot(doc, report)
    }
}
