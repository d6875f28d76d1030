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
/// the saves and the [`StagedSave`]s waiting to be committed; appends are serialised by the
/// mutex.
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
    /// Mutable state.
    inner: Mutex<Inner>,
}

/// The mutable state of a [`LogWriter`].
#[derive(Debug, Default)]
struct Inner {
    /// The open log, holding its exclusive lock; `None` until the first commit creates it.
    file: Option<File>,
    /// Bytes of the log that are written and synced (header and whole records).
    len: u64,
    /// Encoded records staged but not yet written, with their sequence numbers.
    pending: VecDeque<(u64, Vec<u8>)>,
    /// The sequence number the next staged record gets (starts at 1).
    next_seq: u64,
    /// Every record with a sequence number up to this one is durable.
    durable_seq: u64,
    /// Records written and synced.
    records: usize,
    /// Set when a write or sync failed: the log is not appended to again.
    failed: Option<String>,
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
            inner: Mutex::new(Inner {
                next_seq: 1,
                ..Inner::default()
            }),
        }
    }

    /// The log's file name.
    pub(crate) fn name(&self) -> &LogName {
        &self.name
    }

    /// Locks the state. A panic in another thread while appending leaves the state
    /// consistent enough to read (`failed` is set before anything risky), so a poisoned
    /// mutex is used as is.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues `payload` as the next record; returns its sequence number.
    pub(crate) fn enqueue(&self, payload: &[u8]) -> u64 {
        let mut record = Vec::with_capacity(chunk_file::record_len(payload.len()));
        chunk_file::encode_record(&mut record, payload);
        let mut inner = self.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.pending.push_back((seq, record));
        seq
    }

    /// The writer's progress, for the store.
    pub(crate) fn state(&self) -> WriterState {
        let inner = self.lock();
        WriterState {
            durable_seq: inner.durable_seq,
            failed: inner.failed.is_some(),
            len: inner.len,
            records: inner.records,
            created: inner.file.is_some(),
        }
    }

    /// Test hook: the next commit fails.
    #[cfg(test)]
    pub(crate) fn fail_next_commit(&self) {
        self.lock().fail_next = true;
    }

    /// Makes every record up to `seq` durable: writes the pending ones in one `write_all`
    /// and syncs the data (the first commit creates the log instead, see the crate docs).
    pub(crate) fn commit(&self, seq: u64) -> Result<(), StoreError> {
        let mut inner = self.lock();
        if inner.durable_seq >= seq {
            return Ok(());
        }
        if let Some(reason) = &inner.failed {
            return Err(StoreError::SaveFailed {
                doc: self.doc_ref.clone(),
                path: self.path.clone(),
                reason: format!(
                    "an earlier write to it failed ({reason}); the next save writes these \
                     changes to a new log"
                ),
            });
        }
        let mut bytes = Vec::new();
        let mut last = inner.durable_seq;
        let mut count = 0;
        for (s, record) in inner.pending.iter().take_while(|(s, _)| *s <= seq) {
            bytes.extend_from_slice(record);
            last = *s;
            count += 1;
        }
        let result = self.write(&mut inner, &bytes);
        match result {
            Ok(()) => {
                inner.pending.drain(..count);
                inner.durable_seq = last;
                inner.records += count;
                Ok(())
            }
            Err((action, source)) => {
                inner.failed = Some(source.to_string());
                // Best effort: cut a partly written record off, so the log does not end
                // in a torn record that a later reader would report.
                let good_len = inner.len;
                if let Some(file) = &inner.file
                    && let Err(e) = file.set_len(good_len)
                {
                    tracing::warn!(log = %self.path.display(), error = %e, "could not cut off a failed write");
                }
                tracing::error!(doc = %self.doc_ref, log = %self.path.display(), error = %source, "a save failed");
                Err(StoreError::Io {
                    action,
                    path: self.path.clone(),
                    source,
                })
            }
        }
    }

    /// Appends `bytes` (whole records) and syncs, creating the log on first use.
    fn write(&self, inner: &mut Inner, bytes: &[u8]) -> Result<(), (&'static str, io::Error)> {
        #[cfg(test)]
        if std::mem::take(&mut inner.fail_next) {
            return Err((
                "append to the change log",
                io::Error::other("injected failure (test)"),
            ));
        }
        match &mut inner.file {
            Some(file) => {
                file.write_all(bytes)
                    .map_err(|e| ("append to the change log", e))?;
                file.sync_data().map_err(|e| ("flush the change log", e))?;
                inner.len += bytes.len() as u64;
            }
            None => {
                let mut first = log_file::header().to_vec();
                first.extend_from_slice(bytes);
                let file = self.create(&first)?;
                inner.file = Some(file);
                inner.len = first.len() as u64;
            }
        }
        Ok(())
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
}

impl StagedSave {
    /// A staged save of record `seq` in `writer`.
    pub(crate) fn new(writer: Arc<LogWriter>, seq: u64) -> StagedSave {
        StagedSave { writer, seq }
    }

    /// Durably writes the staged changes (and any staged before them). When this returns
    /// `Ok`, they survive a crash or power loss.
    ///
    /// On error nothing is lost from the document: the store's next `stage`/`save` writes
    /// the changes again, to a new log. The error names the log and what failed.
    pub fn commit(self) -> Result<(), StoreError> {
        self.writer.commit(self.seq)
    }

    /// The change log this save goes to.
    pub fn log_path(&self) -> &Path {
        &self.writer.path
    }
}
