//! One store's own change log: the appending side, shared with [`StagedSave`]s.

use std::collections::VecDeque;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::chunk_file;
use crate::fsutil;
use crate::log_file::{self, LogName};
use crate::{DocRef, StoreError};

/// The appending side of one change log. Shared (in an [`Arc`]) by the store that staged
/// the saves and the [`StagedSave`]s waiting to be committed.
///
/// Two locks: `queue` is only ever held briefly (staging never waits for IO), `file` is
/// held for a whole append + sync and serialises the appends.
#[derive(Debug)]
pub(crate) struct LogWriter {
    /// The log's file name.
    name: LogName,
    /// The log's full path.
    path: PathBuf,
    /// The document directory.
    dir: PathBuf,
    /// Which document, for errors.
    doc_ref: DocRef,
    /// Staged records and progress.
    queue: Mutex<Queue>,
    /// The open log.
    file: Mutex<FileState>,
}

/// Staged records and what is durable (the part of a [`LogWriter`] that staging touches).
#[derive(Debug, Default)]
struct Queue {
    /// Encoded records staged but not yet written: (sequence number, bytes, whether its
    /// [`StagedSave`] was dropped without committing).
    pending: VecDeque<(u64, Vec<u8>, bool)>,
    /// The sequence number the next staged record gets (starts at 1).
    next_seq: u64,
    /// Every record with a sequence number up to this one is durable.
    durable_seq: u64,
    /// Bytes of the log that are written and synced (header and whole records).
    len: u64,
    /// Records written and synced.
    records: usize,
    /// Whether the log file exists.
    created: bool,
    /// Set when a write or sync failed: the log is not appended to again.
    failed: Option<String>,
}

/// The open log file (the part of a [`LogWriter`] that appending touches).
#[derive(Debug, Default)]
struct FileState {
    /// The open log, holding its exclusive lock; `None` until the first commit creates it.
    file: Option<File>,
    /// Test hook: make the next commit fail as if the disk had refused the write.
    #[cfg(test)]
    fail_next: bool,
}

/// What a store learns from its writer when it stages the next save.
#[derive(Debug, Default)]
pub(crate) struct WriterState {
    /// Every record up to this sequence number is durable.
    pub(crate) durable_seq: u64,
    /// Whether a write failed (the log must be replaced and unsaved changes staged again).
    pub(crate) failed: bool,
    /// Bytes written and synced.
    pub(crate) len: u64,
    /// Records written and synced.
    pub(crate) records: usize,
    /// Whether the file exists on disk.
    pub(crate) created: bool,
    /// The highest sequence number of a staged record whose [`StagedSave`] was dropped
    /// without committing, if one is still waiting to be written.
    pub(crate) abandoned: Option<u64>,
}

/// Locks a mutex; a panic elsewhere while it was held leaves the state consistent enough
/// to go on (failures are recorded before anything risky), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl LogWriter {
    /// A writer for a new log in `dir` (nothing is created until the first commit).
    pub(crate) fn new(dir: &Path, doc_ref: DocRef) -> LogWriter {
        let name = LogName::random();
        LogWriter {
            path: dir.join(name.to_string()),
            name,
            dir: dir.to_path_buf(),
            doc_ref,
            queue: Mutex::new(Queue {
                next_seq: 1,
                ..Queue::default()
            }),
            file: Mutex::new(FileState::default()),
        }
    }

    /// The log's file name.
    pub(crate) fn name(&self) -> &LogName {
        &self.name
    }

    /// Queues `payload` as the next record; returns its sequence number. Never waits for
    /// a commit in progress.
    pub(crate) fn enqueue(&self, payload: &[u8]) -> u64 {
        let mut record = Vec::with_capacity(chunk_file::record_len(payload.len()));
        chunk_file::encode_record(&mut record, payload);
        let mut queue = lock(&self.queue);
        let seq = queue.next_seq;
        queue.next_seq += 1;
        queue.pending.push_back((seq, record, false));
        seq
    }

    /// Notes that the [`StagedSave`] of record `seq` was dropped without committing.
    fn abandon(&self, seq: u64) {
        let mut queue = lock(&self.queue);
        if let Some(entry) = queue.pending.iter_mut().find(|(s, _, _)| *s == seq) {
            entry.2 = true;
        }
    }

    /// The writer's progress, for the store. Never waits for a commit in progress.
    pub(crate) fn state(&self) -> WriterState {
        let queue = lock(&self.queue);
        WriterState {
            durable_seq: queue.durable_seq,
            failed: queue.failed.is_some(),
            len: queue.len,
            records: queue.records,
            created: queue.created,
            abandoned: queue
                .pending
                .iter()
                .filter(|(_, _, abandoned)| *abandoned)
                .map(|(seq, _, _)| *seq)
                .max(),
        }
    }

    /// Test hook: the next commit fails.
    #[cfg(test)]
    pub(crate) fn fail_next_commit(&self) {
        lock(&self.file).fail_next = true;
    }

    /// Makes every record up to `seq` durable: writes the pending ones in one `write_all`
    /// and syncs the data (the first commit creates the log instead, see the crate docs).
    pub(crate) fn commit(&self, seq: u64) -> Result<(), StoreError> {
        let mut file = lock(&self.file);
        let (bytes, last, count) = {
            let mut queue = lock(&self.queue);
            if queue.durable_seq >= seq {
                return Ok(());
            }
            if let Some(reason) = &queue.failed {
                return Err(StoreError::SaveFailed {
                    doc: self.doc_ref.clone(),
                    path: self.path.clone(),
                    reason: format!(
                        "an earlier write to it failed ({reason}); the next save writes \
                         these changes to a new log"
                    ),
                });
            }
            let count = queue
                .pending
                .iter()
                .take_while(|(s, _, _)| *s <= seq)
                .count();
            let mut bytes = Vec::new();
            let mut last = queue.durable_seq;
            for (s, record, _) in queue.pending.drain(..count) {
                bytes.extend_from_slice(&record);
                last = s;
            }
            (bytes, last, count)
        };
        let good_len = lock(&self.queue).len;
        match self.write(&mut file, good_len, &bytes) {
            Ok(new_len) => {
                let mut queue = lock(&self.queue);
                queue.durable_seq = last;
                queue.records += count;
                queue.len = new_len;
                queue.created = true;
                Ok(())
            }
            Err((action, source)) => {
                lock(&self.queue).failed = Some(source.to_string());
                // Best effort: cut a partly written record off, so the log does not end
                // in a torn record that a later reader would report.
                if let Some(f) = &file.file
                    && let Err(e) = f.set_len(good_len)
                {
                    tracing::warn!(log = %self.path.display(), error = %e, "could not cut off a failed write");
                }
                // The caller gets the error and reports it; logging it here as well would
                // show it twice.
                tracing::debug!(doc = %self.doc_ref, log = %self.path.display(), error = %source, "a save failed");
                Err(StoreError::Io {
                    action,
                    path: self.path.clone(),
                    source,
                })
            }
        }
    }

    /// Appends `bytes` (whole records) to the log of `good_len` bytes and syncs, creating
    /// the log on first use. Returns the log's new length.
    fn write(
        &self,
        state: &mut FileState,
        good_len: u64,
        bytes: &[u8],
    ) -> Result<u64, (&'static str, io::Error)> {
        #[cfg(test)]
        if std::mem::take(&mut state.fail_next) {
            return Err((
                "append to the change log",
                io::Error::other("injected failure (test)"),
            ));
        }
        match &mut state.file {
            Some(file) => {
                file.write_all(bytes)
                    .map_err(|e| ("append to the change log", e))?;
                file.sync_data().map_err(|e| ("flush the change log", e))?;
                Ok(good_len + bytes.len() as u64)
            }
            None => {
                let mut first = log_file::header().to_vec();
                first.extend_from_slice(bytes);
                let file = self.create(&first)?;
                state.file = Some(file);
                Ok(first.len() as u64)
            }
        }
    }

    /// Creates the log: temp file → lock → write → fsync → rename → fsync the directory,
    /// so the log is locked and complete before its name appears.
    fn create(&self, bytes: &[u8]) -> Result<File, (&'static str, io::Error)> {
        let temp = self
            .dir
            .join(format!("{}{}", fsutil::TEMP_PREFIX, self.name));
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let result = options.open(&temp).and_then(|mut file| {
            lock_exclusive(&file)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temp, &self.path)?;
            Ok(file)
        });
        let file = match result {
            Ok(file) => file,
            Err(e) => {
                let _ = fs::remove_file(&temp);
                return Err(("create the change log", e));
            }
        };
        fsutil::sync_dir(&self.dir).map_err(|e| match e {
            StoreError::Io { source, .. } => ("flush the directory of", source),
            other => (
                "flush the directory of",
                io::Error::other(other.to_string()),
            ),
        })?;
        tracing::debug!(doc = %self.doc_ref, log = %self.path.display(), "created change log");
        Ok(file)
    }
}

/// Takes the exclusive lock on a file this writer just created (never contended: nobody
/// else knows the temp name).
fn lock_exclusive(file: &File) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(fs::TryLockError::WouldBlock) => Err(io::Error::other(
            "a new change log was locked by someone else",
        )),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Tries to take the exclusive lock of an existing log without waiting. `Ok(true)`: taken
/// (the log's writer is gone; the lock is held as long as `file` is open). `Ok(false)`:
/// another store holds it (the log is live).
pub(crate) fn try_lock_log(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(fs::TryLockError::WouldBlock) => Ok(false),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Saved changes staged by [`crate::TrajectoryStore::stage`] (or
/// [`crate::NotebookStore::stage`]), waiting to be made durable.
///
/// Staging is cheap and needs the document; committing does the IO (one append and one
/// `fdatasync`) and needs neither the document nor the store, so it can run on another
/// thread while both are used. Commits of one store are serialised, and a commit also
/// writes any earlier staged saves that were not committed yet, in order.
///
/// If a commit fails, the store stages those changes again in its next save (to a new
/// log). Dropping a `StagedSave` without committing leaves its changes queued: the store's
/// next commit writes them.
#[derive(Debug)]
#[must_use = "a staged save is durable only after commit()"]
pub struct StagedSave {
    /// The log to append to.
    writer: Arc<LogWriter>,
    /// The record's sequence number in that log.
    seq: u64,
    /// Set once committed (or tried), so dropping does not mark it abandoned.
    done: bool,
}

impl StagedSave {
    /// A staged save of record `seq` in `writer`.
    pub(crate) fn new(writer: Arc<LogWriter>, seq: u64) -> StagedSave {
        StagedSave {
            writer,
            seq,
            done: false,
        }
    }

    /// Durably writes the staged changes (and any staged before them). When this returns
    /// `Ok`, they survive a crash or power loss.
    ///
    /// On error nothing is lost from the document: the store's next `stage`/`save` writes
    /// the changes again, to a new log. The error names the log and what failed.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.done = true;
        self.writer.commit(self.seq)
    }

    /// The change log this save goes to.
    pub fn log_path(&self) -> &Path {
        &self.writer.path
    }
}

impl Drop for StagedSave {
    fn drop(&mut self) {
        if !self.done {
            // Not committed: the store's next save writes it (no IO here).
            self.writer.abandon(self.seq);
        }
    }
}
