//! [`TrajectoryStore`]: one trajectory's files, as used by one process.

use std::io;
use std::path::Path;

use automerge::AutoCommit;

use crate::chunk_dir::ChunkDir;
use crate::data_dir::{OpenedTrajectory, has_chunks};
use crate::fsutil;
use crate::{CompactReport, DataDir, DocRef, RefreshOutcome, StoreError, TrajectoryId};

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
                if has_chunks(&dir)? {
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
            tracing::warn!(trajectory = %id, ?report, "trajectory opened with losses");
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
    /// When more than the compaction threshold of files have piled up, this also compacts.
    pub fn save(&mut self, doc: &mut AutoCommit) -> Result<(), StoreError> {
        self.chunks.save(doc).map(|_| ())
    }

    /// Loads changes written by other processes since the last look into `doc` (saving any
    /// pending local changes first). Cheap when nothing is new.
    pub fn refresh(&mut self, doc: &mut AutoCommit) -> Result<RefreshOutcome, StoreError> {
        self.chunks.refresh(doc)
    }

    /// Rewrites the trajectory as one snapshot of `doc` and removes the files this store had
    /// loaded or written. Files written meanwhile by another process are left alone, so
    /// compacting while others write loses nothing.
    pub fn compact(&mut self, doc: &mut AutoCommit) -> Result<CompactReport, StoreError> {
        self.chunks.compact(doc)
    }

    /// Whether another process has written files this store has not loaded yet (one
    /// directory listing; call [`TrajectoryStore::refresh`] to load them).
    pub fn poll_changed(&self) -> Result<bool, StoreError> {
        self.chunks.poll_changed()
    }

    /// Number of files holding the trajectory, as known to this store.
    pub fn file_count(&self) -> usize {
        self.chunks.file_count()
    }

    /// Sets after how many files [`TrajectoryStore::save`] compacts automatically
    /// (default 100; `None` turns automatic compaction off).
    pub fn set_compact_threshold(&mut self, threshold: Option<usize>) {
        self.chunks.set_compact_threshold(threshold);
    }
}
