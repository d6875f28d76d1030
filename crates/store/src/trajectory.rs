//! [`TrajectoryStore`]: one trajectory's files, as used by one process.

use std::io;
use std::path::Path;

use automerge::AutoCommit;

use crate::chunk_dir::ChunkDir;
use crate::data_dir::{OpenedTrajectory, has_data};
use crate::fsutil;
use crate::{CompactReport, DataDir, DocRef, RefreshOutcome, StagedSave, StoreError, TrajectoryId};

/// The persistent side of one open trajectory in this process.
///
/// Keep one per open trajectory per process, next to its [`AutoCommit`], and pass that same
/// document to every call. Other processes may hold their own store for the same trajectory
/// at the same time; see the crate documentation.
#[derive(Debug)]
pub struct TrajectoryStore {
    /// The trajectory.
    id: TrajectoryId,
    /// Its files.
    chunks: ChunkDir,
}

impl TrajectoryStore {
    /// Stores a new trajectory: writes `doc` as its first snapshot (durable on return).
    ///
    /// Refuses with [`StoreError::AlreadyExists`] if the trajectory already has saved data.
    /// A directory holding only a join secret (or left empty by a crash) is taken over.
    pub fn create(
        data_dir: &DataDir,
        id: &TrajectoryId,
        doc: &mut AutoCommit,
    ) -> Result<TrajectoryStore, StoreError> {
        let dir = data_dir.trajectory_dir(id);
        let doc_ref = DocRef::Trajectory(id.clone());
        match fsutil::create_new_dir_private(&dir) {
            Ok(()) => {
                if let Some(parent) = dir.parent() {
                    fsutil::sync_dir(parent)?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if has_data(&dir)? {
                    return Err(StoreError::AlreadyExists {
                        doc: doc_ref,
                        path: dir,
                    });
                }
            }
            Err(e) => {
                return Err(StoreError::Io {
                    action: "create the directory",
                    path: dir,
                    source: e,
                });
            }
        }
        let chunks = ChunkDir::create(dir, doc_ref, doc)?;
        tracing::info!(trajectory = %id, "created trajectory");
        Ok(TrajectoryStore {
            id: id.clone(),
            chunks,
        })
    }

    /// Opens a trajectory: loads all its files into a new document.
    ///
    /// A cut-off file (torn write) is recovered as far as possible and described in the
    /// [`LoadReport`](crate::LoadReport). A damaged or unreadable file fails with
    /// [`StoreError::Corrupt`] (or [`StoreError::NewerFormat`]) naming it, and nothing on disk
    /// is changed. The returned document has a fresh actor id (see the crate docs on actor
    /// ids).
    pub fn open(data_dir: &DataDir, id: &TrajectoryId) -> Result<OpenedTrajectory, StoreError> {
        let dir = data_dir.trajectory_dir(id);
        let doc_ref = DocRef::Trajectory(id.clone());
        if !dir.is_dir() {
            return Err(StoreError::NotFound {
                doc: doc_ref,
                path: dir,
            });
        }
        let (chunks, doc, report) = ChunkDir::open(dir.clone(), doc_ref.clone())?;
        if chunks.file_count() == 0 {
            return Err(StoreError::NotFound {
                doc: doc_ref,
                path: dir,
            });
        }
        if !report.is_clean() {
            // The caller gets the report and tells the user; this is for logs only.
            tracing::info!(trajectory = %id, ?report, "trajectory opened with losses");
        }
        let store = TrajectoryStore {
            id: id.clone(),
            chunks,
        };
        Ok((store, doc, report))
    }

    /// The trajectory id.
    pub fn id(&self) -> &TrajectoryId {
        &self.id
    }

    /// The trajectory's directory.
    pub fn dir(&self) -> &Path {
        self.chunks.dir()
    }

    /// Durably saves the changes in `doc` that are not in any file yet (local edits and
    /// changes received from peers). When this returns `Ok`, the changes survive a crash or
    /// power loss. Writes nothing if there is nothing new.
    ///
    /// Same as [`TrajectoryStore::stage`] followed by [`StagedSave::commit`]: one append to
    /// this store's change log and one `fdatasync` (the first save after opening also
    /// creates the log). When the trajectory is stored in more pieces than the compaction
    /// threshold, this also compacts (a full snapshot: turn it off with
    /// [`TrajectoryStore::set_compact_threshold`] in long-running processes and use
    /// [`DataDir::compact_trajectory`] off the edit path instead).
    pub fn save(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        self.chunks.save(doc).map(|_| ())
    }

    /// Takes the changes in `doc` that are in no file and not staged yet, for a
    /// [`StagedSave::commit`] that may run later on another thread, without the document
    /// or this store. Cheap (no IO); `None` when there is nothing new.
    ///
    /// This is how a process that keeps the store and document behind one lock saves
    /// without holding the lock during the fsync: lock, edit, `stage`, unlock, `commit`.
    /// An edit counts as saved once its commit returned `Ok`. If a commit fails, the next
    /// `stage` or `save` includes its changes again. Never compacts.
    pub fn stage(&mut self, doc: &mut AutoCommit) -> Result<Option<StagedSave>, StoreError> {
        self.chunks.stage(doc)
    }

    /// Loads changes written by other processes since the last look into `doc` (saving any
    /// pending local changes first). Cheap when nothing is new.
    pub fn refresh(&mut self, doc: &mut AutoCommit) -> Result<RefreshOutcome, StoreError> {
        self.chunks.refresh(doc)
    }

    /// Rewrites the trajectory as one snapshot of `doc` and removes what it contains: the
    /// chunk files this store loaded or wrote, its own change log (the next save starts a
    /// new one), and logs of writers that are gone that this store read to their end. Files
    /// written meanwhile, and logs other stores are still writing, are left alone, so
    /// compacting while others write loses nothing. A full snapshot: slow for large
    /// documents (see [`DataDir::compact_trajectory`] for doing it off the edit path).
    pub fn compact(&mut self, doc: &mut AutoCommit) -> Result<CompactReport, StoreError> {
        self.chunks.compact(doc)
    }

    /// Whether another store (in this or another process) has written files, or appended to
    /// its change log, since this store last loaded (one directory listing and one `stat`
    /// per other log; call [`TrajectoryStore::refresh`] to load them).
    pub fn poll_changed(&self) -> Result<bool, StoreError> {
        self.chunks.poll_changed()
    }

    /// Number of files holding the trajectory, as known to this store (chunk files and
    /// change logs).
    pub fn file_count(&self) -> usize {
        self.chunks.file_count()
    }

    /// Number of pieces the trajectory is stored in, as known to this store: chunk files
    /// plus saves in change logs. Opening costs grow with it; compaction makes it 1.
    pub fn pieces(&self) -> usize {
        self.chunks.pieces()
    }

    /// Sets after how many pieces (see [`TrajectoryStore::pieces`]) [`TrajectoryStore::save`]
    /// compacts automatically (default 100; `None` turns automatic compaction off).
    pub fn set_compact_threshold(&mut self, threshold: Option<usize>) {
        self.chunks.set_compact_threshold(threshold);
    }

    /// Whether the trajectory is stored in more pieces than the compaction threshold (100
    /// when automatic compaction is off): time to run [`DataDir::compact_trajectory`]
    /// in the background (after [`TrajectoryStore::rotate_log`]).
    pub fn compaction_due(&self) -> bool {
        self.chunks.compaction_due()
    }

    /// Closes this store's change log: the next save starts a new one. The closed log
    /// can then be removed by a compaction ([`DataDir::compact_trajectory`]) once staged
    /// saves still holding it are committed or dropped. Changes staged but not yet durable
    /// are staged again for the new log (saving them twice is harmless).
    pub fn rotate_log(&mut self) {
        self.chunks.retire_writer();
    }

    /// Tells this store about a compaction done by [`DataDir::compact_trajectory`]: if `doc`
    /// already holds everything in its snapshot, the snapshot is marked as loaded, so the
    /// next refresh does not read the whole document back (returns whether it was). Files
    /// the compaction removed are forgotten either way, so [`TrajectoryStore::pieces`] and
    /// [`TrajectoryStore::compaction_due`] count what is left. One directory listing.
    pub fn adopt_snapshot(&mut self, doc: &mut AutoCommit, report: &CompactReport) -> bool {
        self.chunks.adopt_snapshot(doc, report)
    }
}
