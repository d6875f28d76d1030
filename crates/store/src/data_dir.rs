//! The data directory: layout, format marker and listing.

mod blobs;
mod identity;
mod join_secret;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use automerge::AutoCommit;

use crate::chunk_dir::{ChunkDir, list_files};
use crate::fsutil::{self, WriteMode};
use crate::id::validate_notebook_name;
use crate::{CompactReport, DocRef, LoadReport, StoreError, TrajectoryId, TrajectoryStore};

/// Name of the format marker file in the data directory root.
pub(crate) const FORMAT_FILE: &str = "leerrijk-store-format";
/// Subdirectory holding one directory per trajectory.
pub(crate) const TRAJECTORIES: &str = "trajectories";
/// Subdirectory holding photo blobs.
pub(crate) const BLOBS: &str = "blobs";
/// Subdirectory holding local notebooks.
pub(crate) const NOTEBOOK: &str = "notebook";

/// An opened trajectory: its store, its document and what loading found.
pub type OpenedTrajectory = (TrajectoryStore, AutoCommit, LoadReport);

/// The outcome of opening one trajectory in [`DataDir::open_all`].
pub type OpenResult = Result<OpenedTrajectory, StoreError>;

/// A Leerrijk data directory (see the crate documentation for its layout).
///
/// Cheap to clone; holds only the path. Several processes may use one data directory at
/// the same time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDir {
    /// The root directory.
    root: PathBuf,
}

impl DataDir {
    /// The storage format this version writes, and the highest it opens.
    ///
    /// Format 2 added per-writer change logs (`.log`). A format-1 directory (only `.snap`
    /// and `.chg` files) opens unchanged and is marked format 2 when opened, so that an
    /// older Leerrijk, which would ignore the logs and silently miss edits, refuses it.
    pub const FORMAT: u32 = 2;

    /// The platform's default data directory (e.g. `~/.local/share/leerrijk` on Linux).
    ///
    /// The app resolves `--data-dir` and `LEERRIJK_DATA_DIR` first and only falls back to this.
    pub fn default_path() -> Result<PathBuf, StoreError> {
        directories::ProjectDirs::from("nl", "Leerrijk", "Leerrijk")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .ok_or(StoreError::NoDefaultDataDir)
    }

    /// Opens (creating if needed) the data directory at `path`.
    ///
    /// Fails with [`StoreError::NewerFormat`] if a newer Leerrijk has marked it with a higher
    /// storage format; nothing is changed then.
    pub fn open(path: impl Into<PathBuf>) -> Result<DataDir, StoreError> {
        let root = path.into();
        fsutil::ensure_dir(&root)?;
        let dir = DataDir { root };
        dir.check_format()?;
        for sub in [TRAJECTORIES, BLOBS, NOTEBOOK] {
            fsutil::ensure_dir(&dir.root.join(sub))?;
        }
        Ok(dir)
    }

    /// Reads the format marker, writing it on first use.
    fn check_format(&self) -> Result<(), StoreError> {
        let path = self.root.join(FORMAT_FILE);
        if fsutil::read_optional(&path)?.is_none() {
            let text = format!("{}\n", DataDir::FORMAT);
            fsutil::write_atomic(
                &self.root,
                FORMAT_FILE,
                text.as_bytes(),
                WriteMode::Exclusive,
            )?;
        }
        let bytes = fsutil::read_optional(&path)?.unwrap_or_default();
        let bad = |reason: &str| StoreError::BadFormatMarker {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        let text = std::str::from_utf8(&bytes).map_err(|_| bad("it is not text"))?;
        let found: u32 = text
            .trim()
            .parse()
            .map_err(|_| bad("it does not hold a format number"))?;
        if found > DataDir::FORMAT {
            return Err(StoreError::NewerFormat {
                path,
                found,
                supported: DataDir::FORMAT,
            });
        }
        if found == 0 {
            return Err(bad("it holds format number 0"));
        }
        if found < DataDir::FORMAT {
            // Before anything in the new format is written: from now on older versions
            // refuse this directory instead of missing what is in change logs.
            let text = format!("{}\n", DataDir::FORMAT);
            fsutil::write_atomic(&self.root, FORMAT_FILE, text.as_bytes(), WriteMode::Replace)?;
            tracing::info!(path = %path.display(), from = found, to = DataDir::FORMAT, "upgraded the storage format marker");
        }
        Ok(())
    }

    /// The root directory.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The directory holding trajectory `id`'s files.
    pub fn trajectory_dir(&self, id: &TrajectoryId) -> PathBuf {
        self.root.join(TRAJECTORIES).join(id.as_str())
    }

    /// The directory holding notebook `name`'s files (`name` must be valid).
    pub(crate) fn notebook_dir(&self, name: &str) -> PathBuf {
        self.root.join(NOTEBOOK).join(name)
    }

    /// The files of trajectory `id` that were damaged and moved aside, while what they held
    /// may still be missing (empty when nothing is). Loading writes this note when it
    /// quarantines an altered file; [`DataDir::repair_done`] removes it.
    pub fn repair_needed(&self, id: &TrajectoryId) -> Result<Vec<PathBuf>, StoreError> {
        crate::repair::noted(&self.trajectory_dir(id))
    }

    /// Says that trajectory `id` was completed from a teammate (a sync ended in step with a
    /// peer, with no change missing), so [`DataDir::repair_needed`] is empty again. The
    /// quarantined files themselves stay (`*.damaged`).
    pub fn repair_done(&self, id: &TrajectoryId) -> Result<(), StoreError> {
        crate::repair::clear(&self.trajectory_dir(id))
    }

    /// Whether trajectory `id` has saved data here.
    pub fn trajectory_exists(&self, id: &TrajectoryId) -> Result<bool, StoreError> {
        has_data(&self.trajectory_dir(id))
    }

    /// The trajectories with saved data, sorted by id. Directory entries that are not
    /// valid trajectory ids, and directories without data, are skipped.
    pub fn list_trajectories(&self) -> Result<Vec<TrajectoryId>, StoreError> {
        let mut ids: Vec<TrajectoryId> = list_subdirs(&self.root.join(TRAJECTORIES))?
            .into_iter()
            .filter_map(|(name, path)| match TrajectoryId::parse(&name) {
                Ok(id) => Some((id, path)),
                Err(_) => {
                    tracing::debug!(entry = %name, "ignoring entry that is not a trajectory id");
                    None
                }
            })
            .filter(|(_, path)| has_data(path).unwrap_or(true))
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Opens every trajectory. One unreadable trajectory does not stop the others: each
    /// gets its own result.
    pub fn open_all(&self) -> Result<Vec<(TrajectoryId, OpenResult)>, StoreError> {
        Ok(self
            .list_trajectories()?
            .into_iter()
            .map(|id| {
                let opened = TrajectoryStore::open(self, &id);
                (id, opened)
            })
            .collect())
    }

    /// Compacts trajectory `id` without needing its open document: loads its files into a
    /// fresh document of its own, writes one snapshot, and removes what that snapshot
    /// contains and may be removed (chunk files, and change logs whose writer is gone and
    /// that were read to their end). Logs still being written by a live store (in this or
    /// another process) are left alone, so this is safe while others keep saving.
    ///
    /// Meant for a background thread of a long-running process: call
    /// [`TrajectoryStore::rotate_log`] first (with the document lock held) so the store's own
    /// log can be removed too, run this without the lock, then give the report to
    /// [`TrajectoryStore::adopt_snapshot`] so the live store does not read the snapshot back.
    /// Costs one load and one save of the whole document.
    pub fn compact_trajectory(&self, id: &TrajectoryId) -> Result<CompactReport, StoreError> {
        let dir = self.trajectory_dir(id);
        let doc_ref = DocRef::Trajectory(id.clone());
        if !has_data(&dir)? {
            return Err(StoreError::NotFound {
                doc: doc_ref,
                path: dir,
            });
        }
        compact_dir(dir, doc_ref)
    }

    /// Compacts local notebook `name` like [`DataDir::compact_trajectory`].
    pub fn compact_notebook(&self, name: &str) -> Result<CompactReport, StoreError> {
        validate_notebook_name(name)?;
        let dir = self.notebook_dir(name);
        let doc_ref = DocRef::Notebook(name.to_owned());
        if !has_data(&dir)? {
            return Err(StoreError::NotFound {
                doc: doc_ref,
                path: dir,
            });
        }
        compact_dir(dir, doc_ref)
    }

    /// The local notebooks with saved data, sorted by name.
    pub fn list_notebooks(&self) -> Result<Vec<String>, StoreError> {
        let mut names: Vec<String> = list_subdirs(&self.root.join(NOTEBOOK))?
            .into_iter()
            .filter(|(name, path)| {
                validate_notebook_name(name).is_ok() && has_data(path).unwrap_or(true)
            })
            .map(|(name, _)| name)
            .collect();
        names.sort();
        Ok(names)
    }
}

/// Whether `dir` holds at least one chunk file or change log (`false` if it does not
/// exist).
pub(crate) fn has_data(dir: &Path) -> Result<bool, StoreError> {
    match list_files(dir) {
        Ok((chunks, logs)) => Ok(!chunks.is_empty() || !logs.is_empty()),
        Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Loads `dir` into a fresh document and compacts it (see [`DataDir::compact_trajectory`]).
fn compact_dir(dir: PathBuf, doc_ref: DocRef) -> Result<CompactReport, StoreError> {
    let (mut chunks, mut doc, report) = ChunkDir::open(dir, doc_ref.clone())?;
    if !report.is_clean() {
        tracing::warn!(doc = %doc_ref, ?report, "compaction found damage");
    }
    chunks.compact(&mut doc)
}

/// The subdirectories of `dir` as (UTF-8 name, path).
pub(crate) fn list_subdirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, StoreError> {
    let entries = fs::read_dir(dir).map_err(StoreError::io("read the directory", dir))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(StoreError::io("read the directory", dir))?;
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if let (true, Ok(name)) = (is_dir, entry.file_name().into_string()) {
            out.push((name, entry.path()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_layout_and_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        let dir = DataDir::open(&root).unwrap();
        assert_eq!(dir.path(), root);
        for sub in [TRAJECTORIES, BLOBS, NOTEBOOK] {
            assert!(root.join(sub).is_dir(), "{sub}");
        }
        assert_eq!(fs::read_to_string(root.join(FORMAT_FILE)).unwrap(), "2\n");
        // Opening again is fine.
        DataDir::open(&root).unwrap();
        assert!(dir.list_trajectories().unwrap().is_empty());
    }

    #[test]
    fn newer_format_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(FORMAT_FILE), "3\n").unwrap();
        let err = DataDir::open(tmp.path()).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NewerFormat {
                    found: 3,
                    supported: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains("newer version of Leerrijk"), "{msg}");
        assert!(msg.contains(FORMAT_FILE), "{msg}");
        assert_eq!(
            fs::read_to_string(tmp.path().join(FORMAT_FILE)).unwrap(),
            "3\n"
        );
        assert!(!tmp.path().join(TRAJECTORIES).exists());
    }

    #[test]
    fn a_format_1_directory_is_marked_format_2_when_opened() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(FORMAT_FILE), "1\n").unwrap();
        DataDir::open(tmp.path()).unwrap();
        // An older Leerrijk (format 1) now refuses it instead of missing change logs.
        assert_eq!(
            fs::read_to_string(tmp.path().join(FORMAT_FILE)).unwrap(),
            "2\n"
        );
    }

    #[test]
    fn garbage_marker_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join(FORMAT_FILE), "banana").unwrap();
        let err = DataDir::open(tmp.path()).unwrap_err();
        assert!(matches!(err, StoreError::BadFormatMarker { .. }), "{err:?}");
        assert_eq!(
            fs::read_to_string(tmp.path().join(FORMAT_FILE)).unwrap(),
            "banana"
        );
    }

    #[test]
    fn default_path_ends_in_app_dir() {
        // With a home directory this resolves, and it must name the app.
        if std::env::var_os("HOME").is_some() {
            let path = DataDir::default_path().unwrap();
            let text = path.to_string_lossy().to_lowercase();
            assert!(text.contains("leerrijk"), "{text}");
        }
    }
}
