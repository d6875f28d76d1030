//! [`Hub`]: the one place in a process where trajectories are open.
//!
//! The GUI, the `serve` command and the sync host all go through the hub, so every edit in this
//! process (a click, a CLI command, a change from a peer) lands in the same in-memory document.
//! Listeners (the GUI's view cache, the sync driver's "local change" notification) are called
//! after each change, never with a lock held, and *before* the change's fsync: the save is
//! staged under the document's lock and committed (one append + one `fdatasync`) after it is
//! released, so a peer receives an edit and the screens show a peer's change while the disk
//! is still busy. [`Hub::edit`] and [`Hub::remote_changes_applied`] still return only once the
//! change is durable. (A peer holding a change this laptop has not fsynced yet loses nothing:
//! if this laptop crashes, the change comes back from the peer.)
//!
//! Compaction (one snapshot instead of many saves) runs on a background thread, never inside
//! an edit: [`Hub::edit`] starts one when the store says it is due, at most one per trajectory
//! at a time, and no sooner after the previous one than twenty times its duration (so a large
//! trajectory's 3-second compaction takes at most 5% of a core).
//!
//! Changes written by *another process* on the same data directory (a CLI command while the GUI
//! runs) are picked up by [`Hub::start_watcher`], which refreshes the open documents from disk
//! within a second and reports them like any other change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use leerrijk_model::{ModelError, Role, Trajectory};
use leerrijk_store::{DocRef, StagedSave, WatchEvent, Watcher};

use crate::library::{Library, Session};

/// Where a change came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOrigin {
    /// An edit made in this process.
    Local,
    /// Files written by another process on the same data directory.
    OtherProcess,
    /// A peer, through sync.
    Peer,
}

/// Something listeners hear about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubEvent {
    /// A trajectory's document changed.
    Changed {
        /// Trajectory id.
        trajectory: String,
        /// Where the change came from.
        origin: ChangeOrigin,
    },
    /// A trajectory appeared in the data directory (created or joined, here or elsewhere).
    Added(String),
}

type Listener = Box<dyn Fn(&HubEvent) + Send + Sync>;

/// Background compaction of one trajectory: whether one runs, and when the next may start.
#[derive(Debug, Default)]
struct CompactionPace {
    running: bool,
    not_before: Option<Instant>,
}

/// How many times its own duration a compaction waits before the next one may start.
const COMPACTION_SPACING: u32 = 20;

/// The least time before a background compaction is tried again after one failed.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// Open trajectories of one process, shared by the GUI, the CLI and sync.
pub struct Hub {
    library: Library,
    sessions: Mutex<HashMap<String, Arc<Mutex<Session>>>>,
    /// Per trajectory being loaded: held during the load, so other callers wait for it.
    loading: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    /// How many times a trajectory was loaded from disk (for tests and logs).
    loads: std::sync::atomic::AtomicUsize,
    listeners: Mutex<Vec<Listener>>,
    watcher: Mutex<Option<Watcher>>,
    compactions: Arc<Mutex<HashMap<String, CompactionPace>>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("library", &self.library)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock cannot leave our data half-written (edits are atomic
    // automerge commits), so recover the guard instead of propagating the poison.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Hub {
    /// A hub over a library.
    pub fn new(library: Library) -> Arc<Hub> {
        Arc::new(Hub {
            library,
            sessions: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
            loads: std::sync::atomic::AtomicUsize::new(0),
            listeners: Mutex::new(Vec::new()),
            watcher: Mutex::new(None),
            compactions: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// The library (data directory and device identity).
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Registers a listener, called after every change (on the thread that made it).
    pub fn subscribe(&self, f: impl Fn(&HubEvent) + Send + Sync + 'static) {
        lock(&self.listeners).push(Box::new(f));
    }

    fn emit(&self, event: HubEvent) {
        for l in lock(&self.listeners).iter() {
            l(&event);
        }
    }

    /// The open session of a trajectory, opening it from disk on first use.
    ///
    /// A trajectory is loaded once: threads asking for it while it loads (the screens, sync's
    /// scan of known devices) wait for that load instead of loading a second copy (a large
    /// trajectory takes seconds and half a gigabyte per copy).
    pub fn session(&self, id: &str) -> anyhow::Result<Arc<Mutex<Session>>> {
        let id = id.trim();
        if let Some(s) = lock(&self.sessions).get(id) {
            return Ok(s.clone());
        }
        let gate = lock(&self.loading)
            .entry(id.to_owned())
            .or_default()
            .clone();
        let _loading = lock(&gate);
        if let Some(s) = lock(&self.sessions).get(id) {
            return Ok(s.clone());
        }
        let started = Instant::now();
        self.loads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let opened = self.library.open_trajectory(id).map(|mut opened| {
            tracing::info!(trajectory = %id, took = ?started.elapsed(), "opened");
            opened.compact_in_background();
            let session = Arc::new(Mutex::new(opened));
            lock(&self.sessions)
                .entry(id.to_owned())
                .or_insert(session)
                .clone()
        });
        // Only now (the session is in the map, or the load failed and may be tried again):
        // a caller arriving after this finds the session instead of starting a second load.
        lock(&self.loading).remove(id);
        opened
    }

    /// Whether the trajectory is open in this process.
    pub fn is_open(&self, id: &str) -> bool {
        lock(&self.sessions).contains_key(id)
    }

    /// Reads the trajectory.
    pub fn read<T>(&self, id: &str, f: impl FnOnce(&Trajectory) -> T) -> anyhow::Result<T> {
        let s = self.session(id)?;
        let guard = lock(&s);
        Ok(f(guard.trajectory()))
    }

    /// Applies a model edit, tells the listeners, and returns once the edit is saved
    /// durably (the fsync runs after the listeners, without the document's lock).
    pub fn edit<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Trajectory) -> Result<T, ModelError>,
    ) -> anyhow::Result<T> {
        let s = self.session(id)?;
        let (out, staged) = {
            let mut guard = lock(&s);
            guard.edit_staged(f)?
        };
        self.emit(HubEvent::Changed {
            trajectory: id.to_owned(),
            origin: ChangeOrigin::Local,
        });
        self.commit(id, &s, staged)?;
        Ok(out)
    }

    /// Makes a staged save durable, then starts a background compaction if one is due.
    fn commit(
        &self,
        id: &str,
        session: &Arc<Mutex<Session>>,
        staged: Option<StagedSave>,
    ) -> anyhow::Result<()> {
        if let Some(staged) = staged {
            staged.commit()?;
        }
        self.maybe_compact(id, session);
        Ok(())
    }

    /// Starts compacting the trajectory on a background thread if its store is due and no
    /// compaction of it runs or ran too recently.
    fn maybe_compact(&self, id: &str, session: &Arc<Mutex<Session>>) {
        let mut paces = lock(&self.compactions);
        let pace = paces.entry(id.to_owned()).or_default();
        if pace.running || pace.not_before.is_some_and(|t| Instant::now() < t) {
            return;
        }
        // Never wait for the document here: whoever holds it (a sync round, a view build)
        // would delay the edit's return. The next save looks again.
        let mut guard = match session.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        let Some(store_id) = guard.prepare_compaction() else {
            return;
        };
        drop(guard);
        pace.running = true;
        drop(paces);
        let data_dir = self.library.data_dir().clone();
        let session = Arc::downgrade(session);
        let paces = self.compactions.clone();
        let id = id.to_owned();
        let spawned = std::thread::Builder::new()
            .name(format!("compact-{}", id.chars().take(8).collect::<String>()))
            .spawn({
                let id = id.clone();
                let paces = paces.clone();
                move || {
                    let started = Instant::now();
                    let spacing = match data_dir.compact_trajectory(&store_id) {
                        Ok(report) => {
                            if let Some(session) = session.upgrade() {
                                lock(&session).adopt_compaction(&report);
                            }
                            tracing::info!(trajectory = %id, took = ?started.elapsed(), removed = report.files_removed, "compacted in the background");
                            started.elapsed() * COMPACTION_SPACING
                        }
                        Err(e) => {
                            tracing::warn!(trajectory = %id, error = %e, "background compaction failed; the saved changes stay as they are");
                            // A quick failure (a damaged file) must not make every following
                            // save start a new log and a new attempt.
                            (started.elapsed() * COMPACTION_SPACING).max(RETRY_AFTER_FAILURE)
                        }
                    };
                    let mut paces = lock(&paces);
                    let pace = paces.entry(id).or_default();
                    pace.running = false;
                    pace.not_before = Some(Instant::now() + spacing);
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(trajectory = %id, error = %e, "could not start a background compaction");
            lock(&paces).entry(id).or_default().running = false;
        }
    }

    /// Gives sync short, exclusive access to a document (no IO inside).
    pub fn with_doc<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut automerge::AutoCommit) -> T,
    ) -> anyhow::Result<T> {
        let s = self.session(id)?;
        let mut guard = lock(&s);
        Ok(f(guard.doc_mut()))
    }

    /// After sync merged a peer's changes: tell the listeners, then save the changes durably
    /// (returns once they are).
    pub fn remote_changes_applied(&self, id: &str) -> anyhow::Result<()> {
        let s = self.session(id)?;
        let staged = lock(&s).stage()?;
        self.emit(HubEvent::Changed {
            trajectory: id.to_owned(),
            origin: ChangeOrigin::Peer,
        });
        self.commit(id, &s, staged)
    }

    /// Creates a trajectory (this device becomes its initiator) and opens it.
    pub fn create(
        &self,
        title: &str,
        school: &str,
        initiator: &str,
        role: Role,
    ) -> anyhow::Result<String> {
        let mut session = self.library.create(title, school, initiator, role)?;
        session.compact_in_background();
        let id = session.trajectory().id();
        lock(&self.sessions).insert(id.clone(), Arc::new(Mutex::new(session)));
        self.emit(HubEvent::Added(id.clone()));
        Ok(id)
    }

    /// Every trajectory id in the data directory.
    pub fn list(&self) -> anyhow::Result<Vec<String>> {
        Ok(self
            .library
            .list()?
            .into_iter()
            .map(|i| i.to_string())
            .collect())
    }

    /// Loads changes other processes wrote for an open trajectory; tells listeners if any.
    pub fn refresh(&self, id: &str) -> anyhow::Result<bool> {
        let Some(s) = lock(&self.sessions).get(id).cloned() else {
            return Ok(false);
        };
        let changed = lock(&s).refresh()?;
        if changed {
            self.emit(HubEvent::Changed {
                trajectory: id.to_owned(),
                origin: ChangeOrigin::OtherProcess,
            });
        }
        Ok(changed)
    }

    /// Starts watching the data directory for other processes' writes (idempotent).
    pub fn start_watcher(self: &Arc<Self>) -> anyhow::Result<()> {
        let mut slot = lock(&self.watcher);
        if slot.is_some() {
            return Ok(());
        }
        let weak = Arc::downgrade(self);
        let watcher = Watcher::spawn(self.library.data_dir(), Duration::from_millis(250), move |event| {
            let Some(hub) = weak.upgrade() else { return };
            match event {
                WatchEvent::Changed(DocRef::Trajectory(id)) => {
                    if let Err(e) = hub.refresh(id.as_str()) {
                        tracing::warn!(trajectory = %id, error = %e, "could not load changes from disk");
                    }
                }
                WatchEvent::Added(DocRef::Trajectory(id)) => hub.emit(HubEvent::Added(id.to_string())),
                _ => {}
            }
        })
        .map_err(|e| anyhow!(e))?;
        *slot = Some(watcher);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use leerrijk_model::NewPostIt;

    use super::*;

    fn hub() -> (tempfile::TempDir, Arc<Hub>, String) {
        let tmp = tempfile::tempdir().unwrap();
        let library = Library::open(Some(tmp.path().to_path_buf())).unwrap();
        let hub = Hub::new(library);
        let id = hub
            .create("Leren loont", "De Linde", "Anna", Role::Leerkracht)
            .unwrap();
        (tmp, hub, id)
    }

    fn add(hub: &Hub, id: &str, text: &str) {
        hub.edit(id, |t| {
            t.add_postit(NewPostIt {
                text: text.into(),
                ..Default::default()
            })
        })
        .unwrap();
    }

    fn files_in(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".log") || n.ends_with(".snap") || n.ends_with(".chg"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn edits_compact_in_the_background_and_nothing_is_lost() {
        let (tmp, hub, id) = hub();
        let dir = hub
            .library()
            .data_dir()
            .trajectory_dir(&leerrijk_store::TrajectoryId::parse(&id).unwrap());
        // More saves than the compaction threshold (100 pieces).
        for i in 0..130 {
            add(&hub, &id, &format!("idee {i}"));
        }
        // The compaction runs on its own thread: wait for it.
        wait_for_compaction(&hub, &id);
        // More edits after the compaction go to a new log.
        for i in 130..140 {
            add(&hub, &id, &format!("idee {i}"));
        }
        let files = files_in(&dir);
        let snaps = files.iter().filter(|n| n.ends_with(".snap")).count();
        let logs = files.iter().filter(|n| n.ends_with(".log")).count();
        assert_eq!(snaps, 1, "one snapshot after compaction: {files:?}");
        assert!(logs <= 1, "the compacted log was removed: {files:?}");
        assert!(!files.iter().any(|n| n.ends_with(".chg")), "{files:?}");

        // A second process sees every edit.
        let other = Library::open(Some(tmp.path().to_path_buf())).unwrap();
        let session = other.open_trajectory(&id).unwrap();
        let texts: std::collections::BTreeSet<String> = session
            .trajectory()
            .view()
            .postits
            .iter()
            .map(|p| p.text.clone())
            .collect();
        for i in 0..140 {
            assert!(texts.contains(&format!("idee {i}")), "idee {i} lost");
        }
    }

    /// Waits until a background compaction of `id` has ended (fails only if none ever ends).
    fn wait_for_compaction(hub: &Hub, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !lock(&hub.compactions)
            .get(id)
            .is_some_and(|p| !p.running && p.not_before.is_some())
        {
            assert!(Instant::now() < deadline, "no background compaction ended");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_failed_compaction_is_not_retried_at_every_save() {
        let (_tmp, hub, id) = hub();
        let dir = hub
            .library()
            .data_dir()
            .trajectory_dir(&leerrijk_store::TrajectoryId::parse(&id).unwrap());
        // A damaged file another process left: the background compaction cannot read it.
        std::fs::write(dir.join(format!("{}.chg", "ab".repeat(32))), b"damaged").unwrap();
        for i in 0..110 {
            add(&hub, &id, &format!("idee {i}"));
        }
        wait_for_compaction(&hub, &id);
        let logs =
            |dir: &std::path::Path| files_in(dir).iter().filter(|n| n.ends_with(".log")).count();
        let before = logs(&dir);
        // Enough saves for the store to be due again (more than 100 pieces since the rotation).
        for i in 110..230 {
            add(&hub, &id, &format!("idee {i}"));
        }
        assert_eq!(
            logs(&dir),
            before,
            "a failed compaction was tried again (and the log rotated) within a minute"
        );
    }

    #[test]
    fn a_trajectory_asked_for_by_several_threads_at_once_is_loaded_once() {
        let (tmp, hub, id) = hub();
        add(&hub, &id, "eerste");
        // A fresh hub over the same data directory: nothing open yet.
        let hub = Hub::new(Library::open(Some(tmp.path().to_path_buf())).unwrap());
        let barrier = Arc::new(std::sync::Barrier::new(8));
        let sessions: Vec<Arc<Mutex<Session>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let (hub, id, barrier) = (hub.clone(), id.clone(), barrier.clone());
                    scope.spawn(move || {
                        barrier.wait();
                        hub.session(&id).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for s in &sessions[1..] {
            assert!(Arc::ptr_eq(&sessions[0], s));
        }
        assert_eq!(
            hub.loads.load(Ordering::SeqCst),
            1,
            "a second copy was loaded"
        );
        assert!(lock(&hub.loading).is_empty());
        // A failed load is not remembered: a bad id fails every time, clearly.
        assert!(hub.session("0190f5a8c3e47b2a9d1e5f6a7b8c9d0e").is_err());
        assert!(hub.session("0190f5a8c3e47b2a9d1e5f6a7b8c9d0e").is_err());
        assert!(lock(&hub.loading).is_empty());
    }

    #[test]
    fn an_edit_is_announced_once_and_a_refused_edit_not_at_all() {
        let (_tmp, hub, id) = hub();
        let heard = Arc::new(AtomicUsize::new(0));
        let h = heard.clone();
        hub.subscribe(move |e| {
            if matches!(
                e,
                HubEvent::Changed {
                    origin: ChangeOrigin::Local,
                    ..
                }
            ) {
                h.fetch_add(1, Ordering::SeqCst);
            }
        });
        add(&hub, &id, "eerste");
        assert_eq!(heard.load(Ordering::SeqCst), 1);
        // A failing edit is not announced.
        let err = hub.edit(&id, |t| {
            t.add_postit(NewPostIt {
                text: "   ".into(),
                ..Default::default()
            })
        });
        assert!(err.is_err());
        assert_eq!(heard.load(Ordering::SeqCst), 1);
    }
}
