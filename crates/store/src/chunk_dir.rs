//! One document stored as a directory of content-addressed chunk files and per-writer
//! change logs.
//!
//! Shared by trajectories and notebooks. See the crate documentation for the layout and
//! the rules that make several processes writing one directory safe.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use automerge::{AutoCommit, ChangeHash};

use crate::chunk_file::{self, ChunkKind, ChunkName, Parsed};
use crate::fsutil::{self, WriteMode};
use crate::log_file::{self, LogName, Tail};
use crate::log_writer::{LogWriter, StagedSave, try_lock_log};
use crate::repair;
use crate::{CompactReport, Damage, DamagedFile, DocRef, LoadReport, RefreshOutcome, StoreError};

/// How many times loading re-lists the directory when files vanished under it (another
/// process compacted meanwhile) or history is missing right after new files were loaded.
const LOAD_PASSES: usize = 4;

/// Default number of pieces (chunk files plus log records) after which `save` compacts
/// automatically, and after which [`ChunkDir::compaction_due`] says so.
pub(crate) const DEFAULT_COMPACT_THRESHOLD: usize = 100;

/// What loading one chunk file gave.
enum FileLoad {
    /// The whole file was applied.
    Intact,
    /// The file was cut off or altered; its intact records were applied.
    Damaged(DamagedFile),
}

/// What reading on in one change log gave.
enum LogLoad {
    /// No new bytes.
    Nothing,
    /// New records were applied (possibly none: a write in progress in a live log).
    Applied,
    /// The log ends in a torn record and its writer is gone, or it holds altered bytes;
    /// its intact records were applied. `quarantine`: move it aside (its writer is gone).
    Damaged {
        /// What was found.
        file: DamagedFile,
        /// Whether the log may be moved aside (no writer will append to it).
        quarantine: bool,
    },
    /// The log is gone (removed by a compaction).
    Vanished,
}

/// How far this store has read one change log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LogSeen {
    /// Bytes applied (header and whole records): always a record boundary.
    applied: u64,
    /// The file's length when it was last read.
    seen_len: u64,
    /// Records applied.
    records: usize,
}

/// A document's directory, as seen by one store in one process.
#[derive(Debug)]
pub(crate) struct ChunkDir {
    /// The directory.
    dir: PathBuf,
    /// Which document this is, for errors.
    doc_ref: DocRef,
    /// Chunk files whose whole content is in the in-memory document (loaded or written by
    /// this store). Compaction removes exactly these, never anything else.
    loaded: BTreeSet<ChunkName>,
    /// Change logs of other writers (and this store's earlier logs), with how far their
    /// content is in the in-memory document.
    logs: BTreeMap<LogName, LogSeen>,
    /// File names found unreadable by `refresh`; left alone and not retried.
    rejected: BTreeSet<String>,
    /// This store's own change log (created by the first commit).
    writer: Option<Arc<LogWriter>>,
    /// Records staged in `writer` and not known durable: (sequence number, the staged
    /// heads before it). If the writer fails, staging restarts from the first of these.
    outstanding: VecDeque<(u64, Vec<ChangeHash>)>,
    /// Records staged in `writer`.
    own_records: usize,
    /// Sorted heads of everything in a file or staged for this store's log: `stage`
    /// takes the changes after these.
    staged: Vec<ChangeHash>,
    /// Auto-compaction threshold for `save` (pieces: chunk files plus log records).
    compact_threshold: Option<usize>,
}

/// The document's heads, sorted, so they can be compared.
fn sorted_heads(doc: &mut AutoCommit) -> Vec<ChangeHash> {
    let mut heads = doc.get_heads();
    heads.sort();
    heads
}

/// Applies automerge payloads to `doc`.
fn apply(doc: &mut AutoCommit, records: &[&[u8]]) -> Result<(), String> {
    let bytes: Vec<u8> = records.concat();
    if bytes.is_empty() {
        return Ok(());
    }
    doc.load_incremental(&bytes)
        .map(|_| ())
        .map_err(|e| format!("its saved changes could not be applied: {e}"))
}

/// Applies records one by one, skipping those automerge cannot read (for a file already
/// known to be damaged). Returns how many were skipped.
fn apply_each(doc: &mut AutoCommit, records: &[&[u8]]) -> usize {
    if apply(doc, records).is_ok() {
        return 0;
    }
    records
        .iter()
        .filter(|r| !r.is_empty() && doc.load_incremental(r).is_err())
        .count()
}

/// Reads `file` from byte `from` to its end.
fn read_from(file: &mut File, from: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(from))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

impl ChunkDir {
    /// A store for `dir` that has seen nothing yet.
    fn new(dir: PathBuf, doc_ref: DocRef) -> ChunkDir {
        ChunkDir {
            dir,
            doc_ref,
            loaded: BTreeSet::new(),
            logs: BTreeMap::new(),
            rejected: BTreeSet::new(),
            writer: None,
            outstanding: VecDeque::new(),
            own_records: 0,
            staged: Vec::new(),
            compact_threshold: Some(DEFAULT_COMPACT_THRESHOLD),
        }
    }

    /// Loads every chunk file and change log in the existing directory `dir` into a new
    /// document.
    ///
    /// Any unreadable file fails the whole load (nothing is changed on disk then).
    pub(crate) fn open(
        dir: PathBuf,
        doc_ref: DocRef,
    ) -> Result<(ChunkDir, AutoCommit, LoadReport), StoreError> {
        let mut this = ChunkDir::new(dir, doc_ref);
        let mut doc = AutoCommit::new();
        let (report, _) = this.load_new(&mut doc, true)?;
        this.staged = sorted_heads(&mut doc);
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
        this.staged = sorted_heads(doc);
        Ok(this)
    }

    /// The directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of files this store knows hold the document (chunk files and logs).
    pub(crate) fn file_count(&self) -> usize {
        let own = usize::from(self.writer.as_ref().is_some_and(|w| w.state().created));
        self.loaded.len() + self.logs.len() + own
    }

    /// Pieces the document is stored in, as known to this store: chunk files plus log
    /// records. Loading costs grow with this; compaction brings it back to 1.
    pub(crate) fn pieces(&self) -> usize {
        self.loaded.len() + self.logs.values().map(|l| l.records).sum::<usize>() + self.own_records
    }

    /// Sets the auto-compaction threshold (`None` disables it).
    pub(crate) fn set_compact_threshold(&mut self, threshold: Option<usize>) {
        self.compact_threshold = threshold;
    }

    /// Whether the document is stored in more pieces than the compaction threshold (or
    /// [`DEFAULT_COMPACT_THRESHOLD`] when automatic compaction is off).
    pub(crate) fn compaction_due(&self) -> bool {
        self.pieces() > self.compact_threshold.unwrap_or(DEFAULT_COMPACT_THRESHOLD)
    }

    /// Collects the changes in `doc` that are in no file and not staged yet, and queues
    /// them for this store's log. No IO.
    pub(crate) fn stage(&mut self, doc: &mut AutoCommit) -> Result<Option<StagedSave>, StoreError> {
        self.check_writer();
        let heads = sorted_heads(doc);
        if heads == self.staged {
            return Ok(None);
        }
        let mut changes = doc.get_changes(&self.staged);
        if changes.is_empty() {
            self.staged = heads;
            return Ok(None);
        }
        let mut payload = Vec::new();
        for change in &mut changes {
            payload.extend_from_slice(&change.bytes());
        }
        let writer = self
            .writer
            .get_or_insert_with(|| Arc::new(LogWriter::new(&self.dir, self.doc_ref.clone())))
            .clone();
        let seq = writer.enqueue(&payload);
        let before = std::mem::replace(&mut self.staged, heads);
        self.outstanding.push_back((seq, before));
        self.own_records += 1;
        tracing::trace!(doc = %self.doc_ref, changes = changes.len(), bytes = payload.len(), "staged a save");
        Ok(Some(StagedSave::new(writer, seq)))
    }

    /// Learns what the writer made durable; if one of its writes failed, retires it and
    /// stages the changes that may not be on disk again.
    fn check_writer(&mut self) {
        let Some(writer) = &self.writer else {
            return;
        };
        let state = writer.state();
        while self
            .outstanding
            .front()
            .is_some_and(|(seq, _)| *seq <= state.durable_seq)
        {
            self.outstanding.pop_front();
        }
        if state.failed {
            tracing::warn!(doc = %self.doc_ref, "an earlier save failed; saving its changes again to a new log");
            self.retire_writer();
        }
    }

    /// Stops appending to this store's log: it becomes an ordinary (dead, once the last
    /// staged save holding it is gone) log that compaction can remove. Changes staged for
    /// it but not known durable are staged again for the next log.
    pub(crate) fn retire_writer(&mut self) {
        let Some(writer) = self.writer.take() else {
            return;
        };
        let state = writer.state();
        if let Some((_, before)) = self
            .outstanding
            .iter()
            .find(|(seq, _)| *seq > state.durable_seq)
        {
            self.staged = before.clone();
        }
        self.outstanding.clear();
        self.own_records = 0;
        if state.created {
            self.logs.insert(
                writer.name().clone(),
                LogSeen {
                    applied: state.len,
                    seen_len: state.len,
                    records: state.records,
                },
            );
        }
    }

    /// Commits the staged records whose [`StagedSave`] was dropped without committing
    /// (and those before them). Records whose `StagedSave` is still held are left to it, so
    /// this does not wait for another thread's commit unless there is such a record.
    fn flush(&mut self) -> Result<(), StoreError> {
        if let Some(writer) = &self.writer
            && let Some(seq) = writer.state().abandoned
        {
            writer.commit(seq)?;
        }
        Ok(())
    }

    /// Durably writes the changes in `doc` that are not yet in any file (stage + commit),
    /// then compacts if past the threshold. Returns whether anything was written.
    pub(crate) fn save(&mut self, doc: &mut AutoCommit) -> Result<bool, StoreError> {
        let wrote = match self.stage(doc)? {
            Some(staged) => {
                staged.commit()?;
                true
            }
            None => {
                self.flush()?;
                false
            }
        };
        if let Some(threshold) = self.compact_threshold
            && self.pieces() > threshold
        {
            self.compact(doc)?;
        }
        Ok(wrote)
    }

    /// Saves pending local changes, then loads what others wrote since the last look.
    pub(crate) fn refresh(&mut self, doc: &mut AutoCommit) -> Result<RefreshOutcome, StoreError> {
        self.save(doc)?;
        let before = sorted_heads(doc);
        let (report, unreadable) = self.load_new(doc, false)?;
        let after = sorted_heads(doc);
        let changed = before != after;
        // Every change now in `doc` came from a file or was just saved or staged.
        self.staged = after;
        Ok(RefreshOutcome {
            changed,
            report,
            unreadable,
        })
    }

    /// Writes one snapshot of `doc`, then removes what it contains and may be removed: the
    /// chunk files this store loaded or wrote, and change logs whose writer is gone and
    /// whose every byte this store applied (this store's own log is retired first).
    /// Files and logs that appeared or grew meanwhile, and live logs, are not touched.
    pub(crate) fn compact(&mut self, doc: &mut AutoCommit) -> Result<CompactReport, StoreError> {
        // `save` keeps changes with missing dependencies too (automerge's `retain_orphans`),
        // so the snapshot holds everything in every file this store loaded.
        let bytes = doc.save();
        let heads = sorted_heads(doc);
        let snapshot = self.write_chunk(ChunkKind::Snapshot, &[&bytes])?;
        self.retire_writer();
        self.staged = heads.clone();
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
        let logs = std::mem::take(&mut self.logs);
        for (name, seen) in logs {
            match self.remove_dead_log(&name, seen.applied) {
                Ok(true) => removed += 1,
                Ok(false) => {
                    self.logs.insert(name, seen);
                }
                Err(e) => {
                    tracing::warn!(doc = %self.doc_ref, log = %name, error = %e, "could not remove a compacted change log; keeping it");
                    self.logs.insert(name, seen);
                }
            }
        }
        fsutil::sync_dir(&self.dir)?;
        kept.insert(snapshot.clone());
        self.loaded = kept;
        fsutil::remove_stale_temps(&self.dir);
        tracing::info!(doc = %self.doc_ref, %snapshot, removed, "compacted");
        Ok(CompactReport {
            snapshot: self.dir.join(snapshot.to_string()),
            files_removed: removed,
            heads,
        })
    }

    /// Removes change log `name` if its writer is gone and it is exactly `applied` bytes
    /// long (all of it is in the document). Returns whether it was removed (or is gone).
    fn remove_dead_log(&self, name: &LogName, applied: u64) -> Result<bool, StoreError> {
        let path = self.dir.join(name.to_string());
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
            Err(e) => return Err(StoreError::io("open", &path)(e)),
        };
        if !try_lock_log(&file).map_err(StoreError::io("lock", &path))? {
            return Ok(false); // live: its writer may still append
        }
        // Locked: no writer can append any more. Remove only what is fully applied.
        let len = file
            .metadata()
            .map_err(StoreError::io("read the size of", &path))?
            .len();
        if len != applied {
            return Ok(false);
        }
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(StoreError::io("remove", &path)(e)),
        }
    }

    /// Marks the snapshot of a compaction done elsewhere (e.g. [`crate::DataDir`]'s
    /// `compact_trajectory`) as loaded if `doc` already holds everything in it, so the next
    /// refresh does not read it, and forgets files that compaction removed (so
    /// [`ChunkDir::pieces`] counts what is left). Returns whether it adopted the snapshot.
    pub(crate) fn adopt_snapshot(&mut self, doc: &mut AutoCommit, report: &CompactReport) -> bool {
        if let Ok((chunks, logs)) = self.list() {
            let chunks: BTreeSet<ChunkName> = chunks.into_iter().collect();
            let logs: BTreeSet<LogName> = logs.into_iter().collect();
            self.loaded.retain(|name| chunks.contains(name));
            self.logs.retain(|name, _| logs.contains(name));
        }
        let Some(name) = report
            .snapshot
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(ChunkName::parse)
        else {
            return false;
        };
        if report.snapshot.parent() != Some(self.dir.as_path())
            || name.kind != ChunkKind::Snapshot
            || !doc.get_missing_deps(&report.heads).is_empty()
        {
            return false;
        }
        self.loaded.insert(name);
        true
    }

    /// Whether the directory holds chunk files this store has not seen, or change logs of
    /// other writers that are new or changed size since this store last read them.
    pub(crate) fn poll_changed(&self) -> Result<bool, StoreError> {
        let (chunks, logs) = self.list()?;
        if chunks
            .iter()
            .any(|name| !self.loaded.contains(name) && !self.rejected.contains(&name.to_string()))
        {
            return Ok(true);
        }
        let own = self.writer.as_ref().map(|w| w.name());
        for name in logs {
            if Some(&name) == own || self.rejected.contains(&name.to_string()) {
                continue;
            }
            let Some(seen) = self.logs.get(&name) else {
                return Ok(true);
            };
            let path = self.dir.join(name.to_string());
            match fs::metadata(&path) {
                Ok(meta) if meta.len() != seen.seen_len => return Ok(true),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io("read the size of", &path)(e)),
            }
        }
        Ok(false)
    }

    /// The chunk files (snapshots first, each group by name) and change logs in the
    /// directory.
    fn list(&self) -> Result<(Vec<ChunkName>, Vec<LogName>), StoreError> {
        list_files(&self.dir)
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

    /// Loads the chunk files not loaded yet, and what is new in change logs, into `doc`.
    ///
    /// `strict`: an unreadable file fails the call. Otherwise it is remembered as rejected
    /// and returned in the list. Torn files (and torn dead logs) are recovered either way:
    /// their intact part is saved again in a fresh snapshot before the torn file is moved
    /// aside.
    fn load_new(
        &mut self,
        doc: &mut AutoCommit,
        strict: bool,
    ) -> Result<(LoadReport, Vec<StoreError>), StoreError> {
        let mut report = LoadReport::default();
        let mut unreadable = Vec::new();
        let mut quarantine: Vec<PathBuf> = Vec::new();
        let mut listing = (Vec::new(), Vec::new());
        for pass in 1..=LOAD_PASSES {
            listing = self.list()?;
            let mut vanished = false;
            let mut loaded_any = false;
            for name in &listing.0 {
                if self.loaded.contains(name) || self.rejected.contains(&name.to_string()) {
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
                    Ok(FileLoad::Damaged(damaged)) => {
                        // Read once: it is moved aside below.
                        self.rejected.insert(name.to_string());
                        quarantine.push(damaged.file.clone());
                        report.damaged.push(damaged);
                        loaded_any = true;
                    }
                    Err(err) => {
                        if strict {
                            return Err(err);
                        }
                        tracing::warn!(doc = %self.doc_ref, error = %err, "skipping unreadable file");
                        self.rejected.insert(name.to_string());
                        unreadable.push(err);
                    }
                }
            }
            let own = self.writer.as_ref().map(|w| w.name().clone());
            for name in &listing.1 {
                if Some(name) == own.as_ref() || self.rejected.contains(&name.to_string()) {
                    continue;
                }
                match self.load_log(doc, name) {
                    Ok(LogLoad::Nothing) => {}
                    Ok(LogLoad::Applied) => {
                        report.files_loaded += 1;
                        loaded_any = true;
                    }
                    Ok(LogLoad::Damaged {
                        file,
                        quarantine: q,
                    }) => {
                        if q {
                            quarantine.push(file.file.clone());
                        } else {
                            // A live log with altered bytes: its writer may still append,
                            // so it stays; this store does not read it again.
                            self.rejected.insert(name.to_string());
                        }
                        report.damaged.push(file);
                        loaded_any = true;
                    }
                    Ok(LogLoad::Vanished) => vanished = true,
                    Err(err) => {
                        if strict {
                            return Err(err);
                        }
                        tracing::warn!(doc = %self.doc_ref, error = %err, "skipping unreadable change log");
                        self.rejected.insert(name.to_string());
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
        // Forget files that are gone (compacted by another process) so the sets stay small.
        let present: BTreeSet<&ChunkName> = listing.0.iter().collect();
        self.loaded.retain(|name| present.contains(name));
        let present_logs: BTreeSet<&LogName> = listing.1.iter().collect();
        self.logs.retain(|name, _| present_logs.contains(name));
        if !quarantine.is_empty() {
            // Make the recovered changes durable under a proper name before the damaged
            // file is moved out of the way. (`save` keeps changes whose dependencies are
            // missing, so intact records after a damaged one are kept too.)
            let bytes = doc.save();
            let snapshot = self.write_chunk(ChunkKind::Snapshot, &[&bytes])?;
            self.loaded.insert(snapshot);
            let mut altered = Vec::new();
            for damaged in &mut report.damaged {
                if !quarantine.contains(&damaged.file) {
                    continue;
                }
                damaged.moved_to = fsutil::move_aside(&damaged.file)?;
                if let (Damage::Altered { .. }, Some(moved)) = (&damaged.damage, &damaged.moved_to)
                {
                    altered.push(moved.clone());
                }
                if let Some(name) = damaged
                    .file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(LogName::parse)
                {
                    self.logs.remove(&name);
                }
                // Returned in the report, which the caller shows; logged for the record.
                tracing::info!(doc = %self.doc_ref, "{damaged}");
            }
            if !altered.is_empty() {
                repair::note(&self.dir, &altered)?;
            }
        }
        Ok((report, unreadable))
    }

    /// Reads change log `name` on from where this store stopped, and applies its new whole
    /// records.
    ///
    /// An incomplete record at the end of a *live* log (its writer holds the lock) is a
    /// write in progress: it is read next time. At the end of a *dead* log it is a torn
    /// write: reported, and the rest applied.
    fn load_log(&mut self, doc: &mut AutoCommit, name: &LogName) -> Result<LogLoad, StoreError> {
        let path = self.dir.join(name.to_string());
        let seen = self.logs.get(name).copied().unwrap_or_default();
        let mut file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(LogLoad::Vanished),
            Err(e) => return Err(StoreError::io("open", &path)(e)),
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            doc: self.doc_ref.clone(),
            file: path.clone(),
            reason,
        };
        let bytes = read_from(&mut file, seen.applied).map_err(StoreError::io("read", &path))?;
        if bytes.is_empty() && seen.applied > 0 {
            let len = file
                .metadata()
                .map_err(StoreError::io("read the size of", &path))?
                .len();
            if len < seen.applied {
                return Err(corrupt("it became shorter after it was read".into()));
            }
            return Ok(LogLoad::Nothing);
        }
        let first = log_file::parse(&bytes, seen.applied, seen.records);
        // An incomplete end: if the writer is gone (the lock can be taken), nothing can be
        // added any more, so read again under the lock and treat what is there as final.
        let dead = first.tail == Tail::Incomplete
            && try_lock_log(&file).map_err(StoreError::io("lock", &path))?;
        let again = if dead {
            Some(read_from(&mut file, seen.applied).map_err(StoreError::io("read", &path))?)
        } else {
            None
        };
        let buf = again.as_deref().unwrap_or(&bytes);
        let piece = if dead {
            log_file::parse(buf, seen.applied, seen.records)
        } else {
            first
        };
        let read_len = seen.applied + buf.len() as u64;
        match piece.tail {
            Tail::Newer { version } => {
                return Err(StoreError::NewerFormat {
                    path: path.clone(),
                    found: version,
                    supported: log_file::LOG_VERSION,
                });
            }
            Tail::Corrupt { reason } => {
                // Altered bytes: keep every intact record before and after them.
                let live = !dead && !try_lock_log(&file).map_err(StoreError::io("lock", &path))?;
                let whole = if seen.applied == 0 {
                    buf.to_vec()
                } else {
                    read_from(&mut file, 0).map_err(StoreError::io("read", &path))?
                };
                let body = whole.get(log_file::HEADER_LEN..).unwrap_or_default();
                let salvaged = chunk_file::salvage(body);
                let unreadable = apply_each(doc, &salvaged.records);
                let kept = salvaged.records.len() - unreadable;
                let header_bytes = whole.len().min(log_file::HEADER_LEN);
                self.logs.insert(
                    name.clone(),
                    LogSeen {
                        applied: whole.len() as u64,
                        seen_len: whole.len() as u64,
                        records: salvaged.records.len(),
                    },
                );
                return Ok(LogLoad::Damaged {
                    file: DamagedFile {
                        file: path.clone(),
                        moved_to: None,
                        changes_kept: kept,
                        changes_expected: None,
                        file_len: whole.len() as u64,
                        bytes_dropped: salvaged.bytes_dropped
                            + if header_bytes < log_file::HEADER_LEN {
                                header_bytes as u64
                            } else {
                                0
                            },
                        damage: Damage::Altered {
                            reason,
                            records_dropped: salvaged.damaged + unreadable,
                        },
                    },
                    quarantine: !live,
                });
            }
            Tail::Clean | Tail::Incomplete => {}
        }
        let unreadable = apply_each(doc, &piece.records);
        if unreadable > 0 {
            // Intact by their checks, yet not automerge changes this version can read.
            let live = !dead && !try_lock_log(&file).map_err(StoreError::io("lock", &path))?;
            self.logs.insert(
                name.clone(),
                LogSeen {
                    applied: read_len,
                    seen_len: read_len,
                    records: seen.records + piece.records.len(),
                },
            );
            return Ok(LogLoad::Damaged {
                file: DamagedFile {
                    file: path.clone(),
                    moved_to: None,
                    changes_kept: seen.records + piece.records.len() - unreadable,
                    changes_expected: None,
                    file_len: read_len,
                    bytes_dropped: 0,
                    damage: Damage::Altered {
                        reason: "some of its saved changes could not be applied".into(),
                        records_dropped: unreadable,
                    },
                },
                quarantine: !live,
            });
        }
        let now = LogSeen {
            applied: seen.applied + piece.valid_len as u64,
            seen_len: read_len,
            records: seen.records + piece.records.len(),
        };
        self.logs.insert(name.clone(), now);
        if dead && piece.tail == Tail::Incomplete {
            return Ok(LogLoad::Damaged {
                file: DamagedFile {
                    file: path.clone(),
                    moved_to: None,
                    changes_kept: now.records,
                    changes_expected: None,
                    file_len: read_len,
                    bytes_dropped: read_len - now.applied,
                    damage: Damage::Torn,
                },
                quarantine: true,
            });
        }
        Ok(if piece.records.is_empty() && seen.applied != 0 {
            LogLoad::Nothing
        } else {
            LogLoad::Applied
        })
    }
    /// Checks one file's bytes and applies what is intact.
    fn load_file(
        &self,
        doc: &mut AutoCommit,
        name: &ChunkName,
        path: &Path,
        bytes: &[u8],
    ) -> Result<FileLoad, StoreError> {
        let name_matches = name.matches(bytes);
        let altered = |doc: &mut AutoCommit, reason: &str| salvage_chunk(doc, path, bytes, reason);
        match chunk_file::parse(bytes, name.kind) {
            Parsed::Newer { version } => Err(StoreError::NewerFormat {
                path: path.to_path_buf(),
                found: version,
                supported: chunk_file::FORMAT_VERSION,
            }),
            Parsed::Corrupt { reason } => Ok(altered(doc, &reason)),
            Parsed::Complete { records } => {
                if !name_matches {
                    return Ok(altered(doc, "its contents do not match its name"));
                }
                if apply(doc, &records).is_err() {
                    return Ok(altered(doc, "its saved changes could not be applied"));
                }
                Ok(FileLoad::Intact)
            }
            Parsed::Truncated {
                records,
                expected,
                valid_len,
            } => {
                if name_matches {
                    return Ok(altered(doc, "it is incomplete"));
                }
                let unreadable = apply_each(doc, &records);
                let damage = if name.kind == ChunkKind::Snapshot || unreadable > 0 {
                    Damage::Altered {
                        reason: "it is cut off".into(),
                        records_dropped: unreadable
                            + expected.map_or(1, |n| (n as usize).saturating_sub(records.len())),
                    }
                } else {
                    Damage::Torn
                };
                Ok(FileLoad::Damaged(DamagedFile {
                    file: path.to_path_buf(),
                    moved_to: None,
                    changes_kept: records.len() - unreadable,
                    changes_expected: expected.map(|n| n as usize),
                    file_len: bytes.len() as u64,
                    bytes_dropped: (bytes.len() - valid_len) as u64,
                    damage,
                }))
            }
        }
    }
}

/// Applies every intact record of an altered chunk file (the file is moved aside
/// afterwards).
fn salvage_chunk(doc: &mut AutoCommit, path: &Path, bytes: &[u8], reason: &str) -> FileLoad {
    let salvaged = chunk_file::salvage_file(bytes);
    let unreadable = apply_each(doc, &salvaged.records);
    FileLoad::Damaged(DamagedFile {
        file: path.to_path_buf(),
        moved_to: None,
        changes_kept: salvaged.records.len() - unreadable,
        changes_expected: None,
        file_len: bytes.len() as u64,
        bytes_dropped: salvaged.bytes_dropped,
        damage: Damage::Altered {
            reason: reason.to_owned(),
            records_dropped: salvaged.damaged + unreadable,
        },
    })
}

/// The chunk files (snapshots first, each group sorted by name) and change logs (by name)
/// in `dir`.
pub(crate) fn list_files(dir: &Path) -> Result<(Vec<ChunkName>, Vec<LogName>), StoreError> {
    let entries = fs::read_dir(dir).map_err(StoreError::io("read the directory", dir))?;
    let mut chunks = Vec::new();
    let mut logs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(StoreError::io("read the directory", dir))?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if let Some(chunk) = ChunkName::parse(&name) {
            chunks.push(chunk);
        } else if let Some(log) = LogName::parse(&name) {
            logs.push(log);
        }
    }
    chunks.sort();
    logs.sort();
    Ok((chunks, logs))
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

    /// The change logs in `dir`.
    fn logs(dir: &Path) -> Vec<String> {
        files(dir)
            .into_iter()
            .filter(|n| n.ends_with(".log"))
            .collect()
    }

    #[test]
    fn compaction_leaves_files_it_did_not_load_and_live_logs() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        for i in 0..5 {
            put(&mut doc_a, &format!("a{i}"));
            a.save(&mut doc_a).unwrap();
        }
        // B writes after A's last look; A has not loaded it, and B's log is live.
        put(&mut doc_b, "b0");
        b.save(&mut doc_b).unwrap();
        let b_log = b.writer.as_ref().unwrap().name().to_string();
        assert_eq!(logs(&dir).len(), 2);

        let report = a.compact(&mut doc_a).unwrap();
        assert_eq!(
            report.files_removed, 2,
            "the first snapshot and A's own log (5 saves)"
        );
        let left = files(&dir);
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&b_log));
        assert_eq!(a.file_count(), 1);
        assert_eq!(a.pieces(), 1);

        // A refreshes: it reads B's live log, but a compaction leaves it alone.
        a.refresh(&mut doc_a).unwrap();
        assert!(keys(&doc_a).contains("b0"));
        a.compact(&mut doc_a).unwrap();
        assert!(files(&dir).contains(&b_log), "live log kept");

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

        // Once B is gone its log is dead; a compaction that read it to the end removes it.
        drop(b);
        a.refresh(&mut doc_a).unwrap();
        a.compact(&mut doc_a).unwrap();
        assert_eq!(files(&dir).len(), 1, "{:?}", files(&dir));
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_eq!(keys(&reopened), want);
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
            assert!(store.pieces() <= 5, "after save {i}: {}", store.pieces());
            assert!(store.file_count() <= 2, "a snapshot and the log");
        }
        assert_eq!(files(&dir).len(), store.file_count());
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert_eq!(keys(&reopened).len(), 12);
    }

    #[test]
    fn refresh_moves_a_damaged_new_file_aside_once_and_notes_it() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        put(&mut doc, "ok");
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let garbage = b"this is not a chunk".to_vec();
        let name = ChunkName::for_bytes(ChunkKind::Changes, &garbage);
        let path = dir.join(name.to_string());
        fs::write(&path, &garbage).unwrap();

        let outcome = store.refresh(&mut doc).unwrap();
        assert!(!outcome.changed);
        assert!(outcome.unreadable.is_empty());
        assert_eq!(outcome.report.damaged.len(), 1, "{:?}", outcome.report);
        let damaged = &outcome.report.damaged[0];
        assert_eq!(damaged.file, path);
        assert!(matches!(damaged.damage, Damage::Altered { .. }));
        // Moved aside (kept, never deleted), and named in the repair note.
        let moved = damaged.moved_to.clone().unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read(&moved).unwrap(), garbage);
        assert_eq!(repair::noted(&dir).unwrap(), vec![moved]);
        assert!(!store.poll_changed().unwrap());
        assert!(store.refresh(&mut doc).unwrap().report.is_clean(), "once");
        // Saving and compacting still work.
        put(&mut doc, "more");
        store.save(&mut doc).unwrap();
        store.compact(&mut doc).unwrap();
        let (_, reopened, report) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(keys(&reopened), keys(&doc));
        repair::clear(&dir).unwrap();
        assert!(repair::noted(&dir).unwrap().is_empty());
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
    fn refresh_recovers_a_torn_log_of_a_writer_that_is_gone() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        for i in 0..5 {
            put(&mut doc_b, &format!("b{i}"));
            b.save(&mut doc_b).unwrap();
        }
        let log = b.writer.as_ref().unwrap().name().to_string();
        drop(b); // the writer is gone: its lock is released
        let full = fs::read(dir.join(&log)).unwrap();
        fs::write(dir.join(&log), &full[..full.len() - 1]).unwrap();

        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(outcome.changed);
        assert!(outcome.unreadable.is_empty());
        assert_eq!(outcome.report.damaged.len(), 1);
        let damaged = &outcome.report.damaged[0];
        assert_eq!(damaged.changes_kept, 4, "4 whole saves");
        assert_eq!(damaged.changes_expected, None);
        assert_eq!(damaged.file_len, full.len() as u64 - 1);
        assert!(damaged.bytes_dropped > 0 && damaged.bytes_dropped < 200);
        assert_eq!(keys(&doc_a), (0..4).map(|i| format!("b{i}")).collect());
        assert!(!dir.join(&log).exists());
        assert!(dir.join(format!("{log}.damaged")).exists());
        // The recovered part is on disk under a proper name.
        let (_, reopened, report) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(report.is_clean());
        assert_eq!(keys(&reopened), keys(&doc_a));
    }

    /// A real automerge change (as raw bytes) that `doc` has made but nobody saved.
    fn unsaved_change(doc: &mut AutoCommit, key: &str) -> Vec<u8> {
        let before = doc.get_heads();
        put(doc, key);
        doc.commit();
        let mut changes = doc.get_changes(&before);
        changes
            .iter_mut()
            .flat_map(|c| c.bytes().into_owned())
            .collect()
    }

    #[test]
    fn a_save_after_the_first_appends_one_record_and_adds_no_file() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        put(&mut doc, "first");
        store.save(&mut doc).unwrap();
        let names = files(&dir);
        assert_eq!(names.len(), 2, "snapshot and the new log: {names:?}");
        let log = dir.join(logs(&dir)[0].as_str());
        for i in 0..5 {
            let len_before = fs::metadata(&log).unwrap().len();
            put(&mut doc, &format!("k{i}"));
            let before = store.staged.clone();
            let mut changes = doc.get_changes(&before);
            let payload_len: usize = changes.iter_mut().map(|c| c.bytes().len()).sum();
            assert!(store.save(&mut doc).unwrap());
            assert_eq!(files(&dir), names, "no new directory entry");
            let len_after = fs::metadata(&log).unwrap().len();
            assert_eq!(
                len_after - len_before,
                chunk_file::record_len(payload_len) as u64,
                "exactly one record"
            );
        }
        assert_eq!(store.pieces(), 1 + 6);
        let (_, reopened, report) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(report.is_clean());
        assert_eq!(report.files_loaded, 2);
        assert_eq!(keys(&reopened).len(), 6);
    }

    #[test]
    fn two_stores_in_one_process_are_different_writers() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        put(&mut doc_a, "a");
        a.save(&mut doc_a).unwrap();
        let log = dir.join(a.writer.as_ref().unwrap().name().to_string());
        // Another open file description of the same log (what a second store in this
        // process uses) cannot take the lock while A lives: flock locks conflict per open
        // file, not per process.
        let other = File::open(&log).unwrap();
        assert!(!try_lock_log(&other).unwrap(), "A's log is live");
        drop(other);
        let (b, doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(keys(&doc_b).contains("a"));
        assert!(b.writer.is_none(), "opening does not create a log");
        drop(a);
        let other = File::open(&log).unwrap();
        assert!(try_lock_log(&other).unwrap(), "dead once A is gone");
    }

    #[test]
    fn an_incomplete_tail_of_a_live_log_is_read_later_not_reported() {
        let (_tmp, dir) = new_dir();
        let mut doc_a = AutoCommit::new();
        let mut a = ChunkDir::create(dir.clone(), doc_ref(), &mut doc_a).unwrap();
        let (mut b, mut doc_b, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        put(&mut doc_b, "b0");
        b.save(&mut doc_b).unwrap();
        let log = dir.join(b.writer.as_ref().unwrap().name().to_string());
        assert!(a.refresh(&mut doc_a).unwrap().changed);

        // B's next record, written in two halves as a slow write would appear.
        let change = unsaved_change(&mut doc_b, "b1");
        let mut record = Vec::new();
        chunk_file::encode_record(&mut record, &change);
        let (first, second) = record.split_at(record.len() / 2);
        let mut file = fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut file, first).unwrap();
        assert!(a.poll_changed().unwrap(), "growth is noticed");
        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(!outcome.changed);
        assert!(outcome.report.is_clean(), "{:?}", outcome.report);
        assert!(outcome.unreadable.is_empty());
        assert!(!a.poll_changed().unwrap(), "nothing new since");
        assert!(log.exists(), "a live log is never moved aside");

        std::io::Write::write_all(&mut file, second).unwrap();
        assert!(a.poll_changed().unwrap());
        let outcome = a.refresh(&mut doc_a).unwrap();
        assert!(outcome.changed);
        assert!(outcome.report.is_clean());
        assert!(keys(&doc_a).contains("b1"));
        drop(b);
    }

    #[test]
    fn a_damaged_record_in_a_log_is_quarantined_and_the_records_around_it_kept() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        // Separate roots per save, so later saves do not depend on the damaged one's
        // values (they still depend on it in history).
        for i in 0..4 {
            put(&mut doc, &format!("k{i}"));
            store.save(&mut doc).unwrap();
        }
        let log = dir.join(store.writer.as_ref().unwrap().name().to_string());
        drop(store);
        let original = fs::read(&log).unwrap();
        let record = |payload: usize| chunk_file::record_len(payload);
        let first_len = {
            let piece = log_file::parse(&original, 0, 0);
            piece
                .records
                .iter()
                .map(|r| record(r.len()))
                .collect::<Vec<_>>()
        };
        // A byte in the payload of the second save.
        let at = log_file::HEADER_LEN + first_len[0] + 50;
        let mut bytes = original.clone();
        bytes[at] ^= 0x01;
        fs::write(&log, &bytes).unwrap();
        let (_, opened, report) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert_eq!(report.damaged.len(), 1, "{report:?}");
        let d = &report.damaged[0];
        assert_eq!(d.file, log);
        assert_eq!(d.changes_kept, 3, "the saves before and after it: {d:?}");
        match &d.damage {
            Damage::Altered {
                reason,
                records_dropped,
            } => {
                assert!(reason.contains("saved item 2"), "{reason}");
                assert_eq!(*records_dropped, 1);
            }
            other => panic!("{other:?}"),
        }
        // k1 is gone, k0 is there; k2 and k3 wait for k1 (kept, not shown).
        let shown = keys(&opened);
        assert!(shown.contains("k0") && !shown.contains("k1"), "{shown:?}");
        assert!(report.missing_changes > 0);
        let moved = d.moved_to.clone().unwrap();
        assert_eq!(fs::read(&moved).unwrap(), bytes, "kept as it was found");
        assert_eq!(repair::noted(&dir).unwrap(), vec![moved]);
        // The intact saves after the damage are on disk under a proper name: once the
        // missing save comes back (from a teammate), everything is there.
        let (_, mut reopened, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        let healthy = {
            let piece = log_file::parse(&original, 0, 0);
            piece.records[1].to_vec()
        };
        reopened.load_incremental(&healthy).unwrap();
        assert_eq!(keys(&reopened), keys(&doc));
    }

    #[test]
    fn a_log_from_a_newer_version_is_refused() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        put(&mut doc, "x");
        store.save(&mut doc).unwrap();
        let log = dir.join(store.writer.as_ref().unwrap().name().to_string());
        drop(store);
        let mut bytes = fs::read(&log).unwrap();
        bytes[8..12].copy_from_slice(&9u32.to_le_bytes());
        let check = chunk_file::check4(&bytes[..12]);
        bytes[12..16].copy_from_slice(&check);
        fs::write(&log, &bytes).unwrap();
        let err = ChunkDir::open(dir.clone(), doc_ref()).unwrap_err();
        assert!(
            matches!(&err, StoreError::NewerFormat { path, found: 9, .. } if *path == log),
            "{err:?}"
        );
        // The same byte altered without a matching header check is damage, not a newer
        // version.
        bytes[12] ^= 0xff;
        fs::write(&log, &bytes).unwrap();
        let (_, _, report) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(
            matches!(&report.damaged[..], [d] if matches!(&d.damage, Damage::Altered { reason, .. } if reason.contains("header is damaged"))),
            "{report:?}"
        );
    }

    #[test]
    fn stage_on_one_thread_commit_on_another() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let mut handles = Vec::new();
        for i in 0..20 {
            put(&mut doc, &format!("k{i}"));
            let staged = store.stage(&mut doc).unwrap().unwrap();
            assert!(store.stage(&mut doc).unwrap().is_none(), "nothing new");
            // The document and store stay usable while the commit runs elsewhere.
            handles.push(std::thread::spawn(move || staged.commit()));
        }
        for handle in handles {
            handle.join().unwrap().unwrap();
        }
        let (_, reopened, report) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(keys(&reopened).len(), 20);
    }

    #[test]
    fn a_dropped_staged_save_is_written_by_the_next_save() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        put(&mut doc, "a");
        drop(store.stage(&mut doc).unwrap());
        assert!(!store.save(&mut doc).unwrap(), "nothing new to stage");
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(keys(&reopened).contains("a"));
    }

    #[test]
    fn save_leaves_a_staged_save_that_is_still_held_to_its_owner() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        put(&mut doc, "held");
        let staged = store.stage(&mut doc).unwrap().unwrap();
        // Nothing new to stage, and the held save is not written by someone else.
        assert!(!store.save(&mut doc).unwrap());
        let (mut reader, mut seen, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(!keys(&seen).contains("held"));
        staged.commit().unwrap();
        assert!(reader.poll_changed().unwrap());
        assert!(reader.refresh(&mut seen).unwrap().changed);
        assert!(keys(&seen).contains("held"));
    }

    #[test]
    fn after_a_failed_commit_the_next_save_writes_the_changes_again() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        put(&mut doc, "before");
        store.save(&mut doc).unwrap();
        let first_log = logs(&dir);

        put(&mut doc, "lost?");
        let staged = store.stage(&mut doc).unwrap().unwrap();
        store.writer.as_ref().unwrap().fail_next_commit();
        let err = staged.commit().unwrap_err();
        assert!(
            matches!(&err, StoreError::Io { action: "append to the change log", path, .. }
                if path.ends_with(&first_log[0])),
            "{err:?}"
        );
        assert!(err.to_string().contains("injected failure"), "{err}");
        // The next save notices the failure and writes the change again, to a new log.
        put(&mut doc, "after");
        store.save(&mut doc).unwrap();
        assert_eq!(logs(&dir).len(), 2, "a new log replaced the failed one");

        let (_, reopened, report) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(
            keys(&reopened),
            ["after", "before", "lost?"].map(String::from).into()
        );
    }

    #[test]
    fn a_commit_after_a_failure_in_the_same_log_says_so() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir, doc_ref(), &mut doc).unwrap();
        put(&mut doc, "a");
        let first = store.stage(&mut doc).unwrap().unwrap();
        put(&mut doc, "b");
        let second = store.stage(&mut doc).unwrap().unwrap();
        store.writer.as_ref().unwrap().fail_next_commit();
        assert!(first.commit().is_err());
        let err = second.commit().unwrap_err();
        assert!(matches!(err, StoreError::SaveFailed { .. }), "{err:?}");
        assert!(err.to_string().contains("next save"), "{err}");
        store.save(&mut doc).unwrap();
        let (_, reopened, _) = ChunkDir::open(store.dir().to_path_buf(), doc_ref()).unwrap();
        assert_eq!(keys(&reopened), ["a", "b"].map(String::from).into());
    }

    #[test]
    fn a_snapshot_of_a_background_compaction_is_adopted_not_read() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        for i in 0..4 {
            put(&mut doc, &format!("k{i}"));
            store.save(&mut doc).unwrap();
        }
        store.retire_writer();
        let (mut compactor, mut copy, _) = ChunkDir::open(dir.clone(), doc_ref()).unwrap();
        let report = compactor.compact(&mut copy).unwrap();
        assert_eq!(
            report.files_removed, 2,
            "the first snapshot and the retired log"
        );
        assert_eq!(files(&dir).len(), 1);
        assert_eq!(
            store.pieces(),
            5,
            "a snapshot and 4 saves in the retired log"
        );
        assert!(store.adopt_snapshot(&mut doc, &report));
        assert_eq!(
            store.pieces(),
            1,
            "what the compaction removed is forgotten"
        );
        assert!(!store.poll_changed().unwrap());
        let outcome = store.refresh(&mut doc).unwrap();
        assert!(!outcome.changed);
        assert_eq!(outcome.report.files_loaded, 0, "the snapshot was not read");
        // A document lacking some of the snapshot's changes does not adopt it.
        let mut other = AutoCommit::new();
        assert!(!store.adopt_snapshot(&mut other, &report));
    }

    #[test]
    fn legacy_change_files_are_still_read_and_compacted() {
        let (_tmp, dir) = new_dir();
        let mut doc = AutoCommit::new();
        let mut store = ChunkDir::create(dir.clone(), doc_ref(), &mut doc).unwrap();
        let mut other = doc.fork();
        let change = unsaved_change(&mut other, "legacy");
        let bytes = chunk_file::encode(ChunkKind::Changes, &[&change]);
        let name = ChunkName::for_bytes(ChunkKind::Changes, &bytes);
        fs::write(dir.join(name.to_string()), &bytes).unwrap();
        assert!(store.poll_changed().unwrap());
        assert!(store.refresh(&mut doc).unwrap().changed);
        assert!(keys(&doc).contains("legacy"));
        store.compact(&mut doc).unwrap();
        assert!(!dir.join(name.to_string()).exists());
        let (_, reopened, _) = ChunkDir::open(dir, doc_ref()).unwrap();
        assert!(keys(&reopened).contains("legacy"));
    }
}
