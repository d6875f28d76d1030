//! [`Watcher`]: notices files written by other processes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::chunk_dir::list_files;
use crate::data_dir::{NOTEBOOK, TRAJECTORIES, list_subdirs};
use crate::id::validate_notebook_name;
use crate::{DataDir, DocRef, StoreError, TrajectoryId};

/// What the [`Watcher`] noticed about one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WatchEvent {
    /// A document got its first saved data (created or joined, possibly by another process).
    Added(DocRef),
    /// A document's files changed: call `refresh` on its store. Also fires for this
    /// process's own saves, for which `refresh` is a cheap no-op.
    Changed(DocRef),
    /// A document's directory lost all its data (removed by hand or by another tool).
    Removed(DocRef),
}

impl WatchEvent {
    /// The document the event is about.
    pub fn doc(&self) -> &DocRef {
        match self {
            WatchEvent::Added(d) | WatchEvent::Changed(d) | WatchEvent::Removed(d) => d,
        }
    }
}

/// What one data file looked like: its name, and for change logs (which grow) its length
/// and modification time (chunk files never change after they appear).
type FileMark = (String, u64, Option<std::time::SystemTime>);

/// The data files of each document with data.
type Fingerprint = BTreeMap<DocRef, BTreeSet<FileMark>>;

/// A background thread that lists all trajectory and notebook directories every
/// `interval` (with one `stat` per change log, to see appends) and reports differences as
/// [`WatchEvent`]s.
///
/// Polling a few directory listings is cheap, portable, and works the same on network
/// drives; with the default interval of 250 ms a write by another process is noticed well
/// within a second. Stops when dropped.
#[derive(Debug)]
pub struct Watcher {
    /// Set to stop the thread.
    stop: Arc<AtomicBool>,
    /// The polling thread.
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// The default polling interval.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(250);

    /// Starts watching `data_dir`, calling `on_event` (on the watcher thread) for every
    /// change. Changes are relative to the state when this returns.
    pub fn spawn<F>(
        data_dir: &DataDir,
        interval: Duration,
        mut on_event: F,
    ) -> Result<Watcher, StoreError>
    where
        F: FnMut(WatchEvent) + Send + 'static,
    {
        let root = data_dir.path().to_path_buf();
        let mut last = scan(&root);
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("leerrijk-store-watch".into())
            .spawn(move || {
                while !thread_stop.load(Ordering::Acquire) {
                    std::thread::park_timeout(interval);
                    if thread_stop.load(Ordering::Acquire) {
                        break;
                    }
                    let now = scan(&root);
                    for event in diff(&last, &now) {
                        on_event(event);
                    }
                    last = now;
                }
            })
            .map_err(|source| StoreError::Watcher {
                path: data_dir.path().to_path_buf(),
                source,
            })?;
        Ok(Watcher {
            stop,
            thread: Some(thread),
        })
    }

    /// Like [`Watcher::spawn`], delivering events over a channel.
    pub fn channel(
        data_dir: &DataDir,
        interval: Duration,
    ) -> Result<(Watcher, Receiver<WatchEvent>), StoreError> {
        let (tx, rx) = mpsc::channel();
        let watcher = Watcher::spawn(data_dir, interval, move |event| {
            // A closed receiver just means nobody listens any more.
            let _ = tx.send(event);
        })?;
        Ok((watcher, rx))
    }

    /// Stops the thread and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Signals and joins the thread (idempotent).
    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            if thread.join().is_err() {
                tracing::warn!("the change watcher thread panicked");
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Lists every document directory with data. Unreadable directories are skipped (they may
/// be in the middle of being created or removed).
fn scan(root: &Path) -> Fingerprint {
    let mut out = Fingerprint::new();
    let mut add = |doc: DocRef, dir: PathBuf| match list_files(&dir) {
        Ok((chunks, logs)) if !chunks.is_empty() || !logs.is_empty() => {
            let mut marks: BTreeSet<FileMark> =
                chunks.iter().map(|c| (c.to_string(), 0, None)).collect();
            for log in logs {
                let name = log.to_string();
                // A log removed between listing and stat simply drops out.
                if let Ok(meta) = std::fs::metadata(dir.join(&name)) {
                    marks.insert((name, meta.len(), meta.modified().ok()));
                }
            }
            out.insert(doc, marks);
        }
        Ok(_) => {}
        Err(e) => tracing::debug!(error = %e, "watcher skipped a directory"),
    };
    if let Ok(dirs) = list_subdirs(&root.join(TRAJECTORIES)) {
        for (name, path) in dirs {
            if let Ok(id) = TrajectoryId::parse(&name) {
                add(DocRef::Trajectory(id), path);
            }
        }
    }
    if let Ok(dirs) = list_subdirs(&root.join(NOTEBOOK)) {
        for (name, path) in dirs {
            if validate_notebook_name(&name).is_ok() {
                add(DocRef::Notebook(name), path);
            }
        }
    }
    out
}

/// The events that turn `before` into `after`.
fn diff(before: &Fingerprint, after: &Fingerprint) -> Vec<WatchEvent> {
    let mut events = Vec::new();
    for (doc, names) in after {
        match before.get(doc) {
            None => events.push(WatchEvent::Added(doc.clone())),
            Some(old) if old != names => events.push(WatchEvent::Changed(doc.clone())),
            Some(_) => {}
        }
    }
    for doc in before.keys() {
        if !after.contains_key(doc) {
            events.push(WatchEvent::Removed(doc.clone()));
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(c: char) -> FileMark {
        (format!("{}.chg", c.to_string().repeat(64)), 0, None)
    }

    #[test]
    fn diff_reports_added_changed_removed() {
        let a = DocRef::Notebook("a".into());
        let b = DocRef::Notebook("b".into());
        let c = DocRef::Notebook("c".into());
        let before: Fingerprint = [
            (a.clone(), [name('1')].into()),
            (b.clone(), [name('2')].into()),
        ]
        .into();
        let after: Fingerprint = [
            (a.clone(), [name('1')].into()),
            (c.clone(), [name('3')].into()),
        ]
        .into();
        assert_eq!(
            diff(&before, &after),
            [WatchEvent::Added(c.clone()), WatchEvent::Removed(b.clone())]
        );
        let changed: Fingerprint = [(a.clone(), [name('1'), name('4')].into())].into();
        assert_eq!(
            diff(&[(a.clone(), [name('1')].into())].into(), &changed),
            [WatchEvent::Changed(a.clone())]
        );
        // A change log that grew is a change, even under the same name.
        let log = |len| (format!("{}.log", "5".repeat(32)), len, None);
        assert_eq!(
            diff(
                &[(a.clone(), [log(16)].into())].into(),
                &[(a.clone(), [log(80)].into())].into()
            ),
            [WatchEvent::Changed(a)]
        );
    }
}
