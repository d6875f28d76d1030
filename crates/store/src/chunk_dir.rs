//! One document stored as a directory of content-addressed chunk files.
//!
//! Shared by trajectories and notebooks. See the crate documentation for the layout and
//! the rules that make several processes writing one directory safe.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use automerge::{AutoCommit, ChangeHash};

use crate::chunk_file::{self, ChunkKind, ChunkName, Parsed};
use crate::fsutil::{self, WriteMode};
use crate::{CompactReport, DamagedFile, DocRef, LoadReport, RefreshOutcome, StoreError};

/// How many times loading re-lists the directory when files vanished under it (another
/// process compacted meanwhile) or history is missing right after new files were loaded.
const LOAD_PASSES: usize = 4;

/// Default number of chunk files after which `save` compacts automatically.
pub(crate) const DEFAULT_COMPACT_THRESHOLD: usize = 100;

/// What loading one file gave.
enum FileLoad {
    /// The whole file was applied.
    Intact,
    /// The file was cut off; its intact part was applied.
    Torn(DamagedFile),
}

/// A document's chunk directory, as seen by one process.
#[derive(Debug)]
pub(crate) struct ChunkDir {
    /// The directory.
    dir: PathBuf,
    /// Which document this is, for errors.
    doc_ref: DocRef,
    /// Chunk files whose whole content is in the in-memory document (loaded or written by
    /// this store). Compaction removes exactly these, never anything else.
    loaded: BTreeSet<ChunkName>,
    /// Files found unreadable by `refresh`; left alone and not retried.
    rejected: BTreeSet<ChunkName>,
    /// Sorted heads of the document as persisted: every change in their history is in some
    /// chunk file. `save` writes the changes after these.
    persisted: Vec<ChangeHash>,
    /// Auto-compaction threshold for `save` (number of files in `loaded`).
    compact_threshold: Option<usize>,
}

/// The document's heads, sorted, so they can be compared.
fn sorted_heads(doc: &mut AutoCommit) -> Vec<ChangeHash> {
    let mut heads = doc.get_heads();
    heads.sort();
    heads
}

/// Applies the automerge payloads of one file to `doc`.
fn apply(doc: &mut AutoCommit, records: &[&[u8]]) -> Result<(), String> {
    let bytes: Vec<u8> = records.concat();
    if bytes.is_empty() {
        return Ok(());
    }
    doc.load_incremental(&bytes)
        .map(|_| ())
        .map_err(|e| format!("its saved changes could not be applied: {e}"))
}

impl ChunkDir {
    /// A store for `dir` that has seen nothing yet.
    fn new(dir: PathBuf, doc_ref: DocRef) -> ChunkDir {
        ChunkDir {
            dir,
            doc_ref,
            loaded: BTreeSet::new(),
            rejected: BTreeSet::new(),
            persisted: Vec::new(),
            compact_threshold: Some(DEFAULT_COMPACT_THRESHOLD),
        }
    }

    /// Loads every chunk file in the existing directory `dir` into a new document.
    ///
    /// Any unreadable file fails the whole load (nothing is changed on disk then).
    pub(crate) fn open(
        dir: PathBuf,
        doc_ref: DocRef,
    ) -> Result<(ChunkDir, AutoCommit, LoadReport), StoreError> {
        let mut this = ChunkDir::new(dir, doc_ref);
        let mut doc = AutoCommit::new();
        let (report, _) = this.load_new(&mut doc, true)?;
        this.persisted = sorted_heads(&mut doc);
        Ok((this, doc, report))
    }

    /// Writes `doc` as the first snapshot in the existing directory `dir`.
    pub(crate) fn create(
        dir: PathBuf,
        doc_ref: DocRef,
        doc: &mut AutoCommit,
    ) -> Result<ChunkDir, StoreError> {
        let mut this = ChunkDir::new(dir, doc_ref);
        let bytes = doc.save();
        let name = this.write_chunk(ChunkKind::Snapshot, &[&bytes])?;
        this.loaded.insert(name);
        this.persisted = sorted_heads(doc);
        Ok(this)
    }

    /// The directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of chunk files this store knows hold the document.
    pub(crate) fn file_count(&self) -> usize {
        self.loaded.len()
    }

    /// Sets the auto-compaction threshold (`None` disables it).
    pub(crate) fn set_compact_threshold(&mut self, threshold: Option<usize>) {
        self.compact_threshold = threshold;
    }

    /// Durably writes the changes in `doc` that are not yet in any chunk file.
    /// Returns whether a file was written.
    pub(crate) fn save(&mut self, doc: &mut AutoCommit) -> Result<bool, StoreError> {
        let heads = sorted_heads(doc);
        if heads == self.persisted {
            return Ok(false);
        }
        let mut changes = doc.get_changes(&self.persisted);
        let mut wrote = false;
        if !changes.is_empty() {
            let records: Vec<Vec<u8>> =
                changes.iter_mut().map(|c| c.bytes().into_owned()).collect();
            let records: Vec<&[u8]> = records.iter().map(Vec::as_slice).collect();
            let name = self.write_chunk(ChunkKind::Changes, &records)?;
            tracing::debug!(doc = %self.doc_ref, file = %name, changes = records.len(), "saved changes");
            self.loaded.insert(name);
            wrote = true;
        }
        self.persisted = heads;
        if let Some(threshold) = self.compact_threshold
            && self.loaded.len() > threshold
        {
            self.compact(doc)?;
        }
        Ok(wrote)
    }

    /// Saves pending local changes, then loads chunk files written by others since the last
    /// look.
    pub(crate) fn refresh(&mut self, doc: &mut AutoCommit) -> Result<RefreshOutcome, StoreError> {
        self.save(doc)?;
        let before = sorted_heads(doc);
        let (report, unreadable) = self.load_new(doc, false)?;
        let after = sorted_heads(doc);
        let changed = before != after;
        // Every change now in `doc` came from a file or was just saved: all persisted.
        self.persisted = after;
        Ok(RefreshOutcome {
            changed,
            report,
            unreadable,
        })
    }

    /// Writes one snapshot of `doc`, then removes the files this store had loaded or written
    /// (the snapshot contains all of them). Files that appeared meanwhile are not touched.
    pub(crate) fn compact(&mut self, doc: &mut AutoCommit) -> Result<CompactReport, StoreError> {
        // `save` keeps changes with missing dependencies too (automerge's `retain_orphans`),
        // so the snapshot holds everything in every file this store loaded.
        let bytes = doc.save();
        let snapshot = self.write_chunk(ChunkKind::Snapshot, &[&bytes])?;
        let old: Vec<ChunkName> = self
            .loaded
            .iter()
            .filter(|name| **name != snapshot)
            .cloned()
            .collect();
        let mut kept = BTreeSet::new();
        let mut removed = 0;
        for name in old {
            let path = self.dir.join(name.to_string());
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(file = %path.display(), error = %e, "could not remove a compacted file; keeping it");
                    kept.insert(name);
                }
            }
        }
        fsutil::sync_dir(&self.dir)?;
        kept.insert(snapshot.clone());
        self.loaded = kept;
        self.persisted = sorted_heads(doc);
        fsutil::remove_stale_temps(&self.dir);
        tracing::info!(doc = %self.doc_ref, %snapshot, removed, "compacted");
        Ok(CompactReport {
            snapshot: self.dir.join(snapshot.to_string()),
            files_removed: removed,
        })
    }

    /// Whether the directory holds chunk files this store has not seen.
    pub(crate) fn poll_changed(&self) -> Result<bool, StoreError> {
        Ok(self
            .list()?
            .iter()
            .any(|name| !self.loaded.contains(name) && !self.rejected.contains(name)))
    }

    /// The chunk files in the directory, snapshots first, each group by name.
    fn list(&self) -> Result<Vec<ChunkName>, StoreError> {
        list_chunks(&self.dir)
    }

    /// Durably writes a chunk file and returns its name. An existing file of the same name
    /// is kept if intact (it holds the same bytes), or moved aside first if damaged.
    fn write_chunk(&self, kind: ChunkKind, records: &[&[u8]]) -> Result<ChunkName, StoreError> {
        let bytes = chunk_file::encode(kind, records);
        let name = ChunkName::for_bytes(kind, &bytes);
        let file_name = name.to_string();
        let path = self.dir.join(&file_name);
        if let Some(existing) = fsutil::read_optional(&path)? {
            if name.matches(&existing) {
                return Ok(name);
            }
            fsutil::move_aside(&path)?;
        }
        fsutil::write_atomic(&self.dir, &file_name, &bytes, WriteMode::KeepExisting)?;
        Ok(name)
    }

    /// Loads the chunk files not loaded yet into `doc`.
    ///
    /// `strict`: an unreadable file fails the call. Otherwise it is remembered as rejected
    /// and returned in the list. Torn files are recovered either way: their intact part is
    /// saved again in a fresh snapshot before the torn file is moved aside.
    fn load_new(
        &mut self,
        doc: &mut AutoCommit,
        strict: bool,
    ) -> Result<(LoadReport, Vec<StoreError>), StoreError> {
        let mut report = LoadReport::default();
        let mut unreadable = Vec::new();
        let mut listing = Vec::new();
        for pass in 1..=LOAD_PASSES {
            listing = self.list()?;
            let mut vanished = false;
            let mut loaded_any = false;
            for name in &listing {
                if self.loaded.contains(name) || self.rejected.contains(name) {
                    continue;
                }
                let path = self.dir.join(name.to_string());
                let bytes = match fs::read(&path) {
                    Ok(bytes) => bytes,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        // Removed by another process's compaction after it wrote a snapshot
                        // holding it; the next listing shows that snapshot.
                        vanished = true;
                        continue;
                    }
                    Err(e) => {
                        let err = StoreError::Io {
                            action: "read",
                            path,
                            source: e,
                        };
                        if strict {
                            return Err(err);
                        }
                        unreadable.push(err);
                        continue;
                    }
                };
                match self.load_file(doc, name, &path, &bytes) {
                    Ok(FileLoad::Intact) => {
                        self.loaded.insert(name.clone());
                        report.files_loaded += 1;
                        loaded_any = true;
                    }
                    Ok(FileLoad::Torn(damaged)) => {
                        report.damaged.push(damaged);
                        loaded_any = true;
                    }
                    Err(err) => {
                        if strict {
                            return Err(err);
                        }
                        tracing::warn!(doc = %self.doc_ref, error = %err, "skipping unreadable file");
                        self.rejected.insert(name.clone());
                        unreadable.push(err);
                    }
                }
            }
            report.missing_changes = doc.get_missing_deps(&[]).len();
            let retry = vanished || (report.missing_changes > 0 && loaded_any);
            if !retry {
                break;
            }
            tracing::debug!(doc = %self.doc_ref, pass, vanished, missing = report.missing_changes, "listing again");
        }
        // Forget files that are gone (compacted by another process) so the set stays small.
        let present: BTreeSet<&ChunkName> = listing.iter().collect();
        let mine_now = self.loaded.clone();
        self.loaded = mine_now
            .into_iter()
            .filter(|name| present.contains(name))
            .collect();
        if !report.damaged.is_empty() {
            // Make the recovered changes durable under a proper name before the torn file
            // is moved out of the way.
            let bytes = doc.save();
            let snapshot = self.write_chunk(ChunkKind::Snapshot, &[&bytes])?;
            self.loaded.insert(snapshot);
            for damaged in &mut report.damaged {
                damaged.moved_to = fsutil::move_aside(&damaged.file)?;
                tracing::warn!(doc = %self.doc_ref, "{damaged}");
            }
        }
        Ok((report, unreadable))
    }

    /// Checks one file's bytes and applies what is intact.
    fn load_file(
        &self,
        doc: &mut AutoCommit,
        name: &ChunkName,
        path: &Path,
        bytes: &[u8],
    ) -> Result<FileLoad, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            doc: self.doc_ref.clone(),
            file: path.to_path_buf(),
            reason,
        };
        let name_matches = name.matches(bytes);
        match chunk_file::parse(bytes, name.kind) {
            Parsed::Newer { version } => Err(StoreError::NewerFormat {
                path: path.to_path_buf(),
                found: version,
                supported: chunk_file::FORMAT_VERSION,
            }),
            Parsed::Corrupt { reason } => Err(corrupt(reason)),
            Parsed::Complete { records } => {
                if !name_matches {
                    return Err(corrupt("its contents do not match its name".into()));
                }
                apply(doc, &records).map_err(corrupt)?;
                Ok(FileLoad::Intact)
            }
            Parsed::Truncated {
                records,
                expected,
                valid_len,
            } => {
                if name_matches {
                    return Err(corrupt("it is incomplete".into()));
                }
                if name.kind == ChunkKind::Snapshot {
                    return Err(corrupt(
                        "the snapshot in it is cut off, so the document cannot be read from it"
                            .into(),
                    ));
                }
                apply(doc, &records).map_err(corrupt)?;
                Ok(FileLoad::Torn(DamagedFile {
                    file: path.to_path_buf(),
                    moved_to: None,
                    changes_kept: records.len(),
                    changes_expected: expected.map(|n| n as usize),
                    file_len: bytes.len() as u64,
                    bytes_dropped: (bytes.len() - valid_len) as u64,
                }))
            }
        }
    }
}

/// The chunk files in `dir`, snapshots first, each group sorted by name.
pub(crate) fn list_chunks(dir: &Path) -> Result<Vec<ChunkName>, StoreError> {
    let entries = fs::read_dir(dir).map_err(StoreError::io("read the directory", dir))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(StoreError::io("read the directory", dir))?;
        if let Some(name) = entry.file_name().to_str().and_then(ChunkName::parse) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ROOT, ReadDoc};

    use super::*;

    fn doc_ref() -> DocRef {
        DocRef::Notebook("t".into())
    }

    fn put(doc: &mut AutoCommit, key: &str) {
        doc.put(ROOT, key, key).unwrap();
    }

    fn keys(doc: &AutoCommit) -> BTreeSet<String> {
        doc.keys(ROOT).collect()
    }

    fn files(dir: &Path) -> BTreeSet<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    }

    fn new_dir() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("doc");
        fs::create_dir(&dir).unwrap();
        (tmp, dir)
    }

    #[test]
    fn save_writes_only_new_changes_and_reopen_sees_all() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "a");
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        assert_eq!(files(&dir).len(), 1);
        assert!(
            !store.save(&mut doc).unwrap(),
            "nothing new: nothing written"
        );
        assert_eq!(files(&dir).len(), 1);
        put(&mut doc, "b");
        put(&mut doc, "c");
        assert!(store.save(&mut doc).unwrap());
        assert_eq!(files(&dir).len(), 2);
        assert!(!store.save(&mut doc).unwrap());

        let (_, reopened, report) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(report.is_clean());
        assert_eq!(report.files_loaded, 2);
        assert_eq!(keys(&reopened), ["a", "b", "c"].map(String::from).into());
    }

    #[test]
    fn changes_from_another_store_are_not_written_again() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();

        put(&mut doc_b, "from-b");
        b.save(&mut doc_b).unwrap();
        assert!(a.poll_changed().unwrap());
        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(outcome.changed);
        assert!(outcome.unreadable.is_empty());
        assert!(!a.poll_changed().unwrap());
        assert_eq!(keys(&doc_a), ["from-b".to_string()].into());
        let before = files(&dir);
        assert!(
            !a.save(&mut doc_a).unwrap(),
            "loaded changes are already on disk"
        );
        assert_eq!(files(&dir), before);

        // A refresh with nothing new changes nothing.
        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(!outcome.changed);
        assert_eq!(outcome.report.files_loaded, 0);
    }

    #[test]
    fn refresh_saves_pending_local_changes_first() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        put(&mut doc_b, "b");
        b.save(&mut doc_b).unwrap();
        put(&mut doc_a, "a-unsaved");
        a.refresh(&mut doc_a).unwrap();
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_eq!(keys(&reopened), ["a-unsaved", "b"].map(String::from).into());
    }

    #[test]
    fn compaction_leaves_files_it_did_not_load() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        for i in 0..5 {
            put(&mut doc_a, &format!("a{i}"));
            a.save(&mut doc_a).unwrap();
        }
        // B writes after A's last look; A has not loaded it.
        put(&mut doc_b, "b0");
        b.save(&mut doc_b).unwrap();
        let b_file = b
            .loaded
            .iter()
            .find(|n| n.kind == ChunkKind::Changes)
            .unwrap()
            .to_string();

        let report = a.compact(&mut doc_a).unwrap();
        assert_eq!(
            report.files_removed, 6,
            "the first snapshot and 5 change files"
        );
        let left = files(&dir);
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&b_file));
        assert_eq!(a.file_count(), 1);

        let (_, reopened, report) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(report.is_clean());
        let want: BTreeSet<String> = ["a0", "a1", "a2", "a3", "a4", "b0"]
            .map(String::from)
            .into();
        assert_eq!(keys(&reopened), want);

        // B refreshes: its loaded files vanished, the snapshot replaces them.
        let outcome = b.refresh(&mut doc_b).unwrap();
        assert!(outcome.changed);
        assert_eq!(keys(&doc_b), want);
    }

    #[test]
    fn compacting_twice_keeps_the_snapshot() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "x");
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let first = store.compact(&mut doc).unwrap();
        let second = store.compact(&mut doc).unwrap();
        assert_eq!(first.snapshot, second.snapshot, "same document, same name");
        assert!(second.snapshot.is_file());
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_eq!(keys(&reopened), ["x".to_string()].into());
    }

    #[test]
    fn save_compacts_past_the_threshold() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        store.set_compact_threshold(Some(5));
        for i in 0..12 {
            put(&mut doc, &format!("k{i}"));
            store.save(&mut doc).unwrap();
            assert!(
                store.file_count() <= 5,
                "after save {i}: {}",
                store.file_count()
            );
        }
        assert_eq!(files(&dir).len(), store.file_count());
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_eq!(keys(&reopened).len(), 12);
    }

    #[test]
    fn refresh_skips_an_unreadable_new_file_once() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "ok");
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let garbage = b"this is not a chunk".to_vec();
        let name = ChunkName::for_bytes(ChunkKind::Changes, &garbage);
        fs::write(dir.join(name.to_string()), &garbage).unwrap();

        let outcome = store.refresh(&mut doc).unwrap();
        assert!(!outcome.changed);
        assert_eq!(outcome.unreadable.len(), 1);
        assert!(
            matches!(&outcome.unreadable[0], StoreError::Corrupt { file, .. } if file.ends_with(name.to_string()))
        );
        assert!(!store.poll_changed().unwrap());
        assert!(
            store.refresh(&mut doc).unwrap().unreadable.is_empty(),
            "not retried"
        );
        assert_eq!(fs::read(dir.join(name.to_string())).unwrap(), garbage);
        // Saving and compacting still work, and leave the file alone.
        put(&mut doc, "more");
        store.save(&mut doc).unwrap();
        store.compact(&mut doc).unwrap();
        assert_eq!(fs::read(dir.join(name.to_string())).unwrap(), garbage);
    }

    #[test]
    fn writing_over_a_damaged_file_of_the_same_name_moves_it_aside() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "x");
        let store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let snap = store.loaded.iter().next().unwrap().to_string();
        fs::write(dir.join(&snap), b"damaged").unwrap();
        let bytes = doc.save();
        let again = store.write_chunk(ChunkKind::Snapshot, &[&bytes]).unwrap();
        assert_eq!(again.to_string(), snap);
        assert!(again.matches(&fs::read(dir.join(&snap)).unwrap()));
        assert_eq!(
            fs::read(dir.join(format!("{snap}.damaged"))).unwrap(),
            b"damaged"
        );
    }

    #[test]
    fn each_store_gets_its_own_actor() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "x");
        ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let (_, a, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        let (_, b, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_ne!(a.get_actor(), b.get_actor());
        assert_ne!(a.get_actor(), doc.get_actor());
    }

    #[test]
    fn refresh_recovers_a_torn_file_written_by_another_store() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        for i in 0..5 {
            put(&mut doc_b, &format!("b{i}"));
            doc_b.commit();
        }
        b.save(&mut doc_b).unwrap();
        let chg = b
            .loaded
            .iter()
            .find(|n| n.kind == ChunkKind::Changes)
            .unwrap()
            .to_string();
        let full = fs::read(dir.join(&chg)).unwrap();
        fs::write(dir.join(&chg), &full[..full.len() - 1]).unwrap();

        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(outcome.changed);
        assert!(outcome.unreadable.is_empty());
        assert_eq!(outcome.report.damaged.len(), 1);
        assert_eq!(outcome.report.damaged[0].changes_kept, 4);
        assert_eq!(keys(&doc_a), (0..4).map(|i| format!("b{i}")).collect());
        assert!(!dir.join(&chg).exists());
        assert!(dir.join(format!("{chg}.damaged")).exists());
        // The recovered part is on disk under a proper name.
        let (_, reopened, report) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(report.is_clean());
        assert_eq!(keys(&reopened), keys(&doc_a));
    }
}
