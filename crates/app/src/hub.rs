//! [`Hub`]: the one place in a process where trajectories are open.
//!
//! The GUI, the `serve` command and the sync host all go through the hub, so every edit in this
//! process (a click, a CLI command, a change from a peer) lands in the same in-memory document
//! and is saved durably before anyone is told about it. Listeners (the GUI's repaint, the sync
//! driver's "local change" notification) are called after each change, never with a lock held.
//!
//! Changes written by *another process* on the same data directory (a CLI command while the GUI
//! runs) are picked up by [`Hub::start_watcher`], which refreshes the open documents from disk
//! within a second and reports them like any other change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::anyhow;
use leerrijk_model::{ModelError, Role, Trajectory};
use leerrijk_store::{DocRef, WatchEvent, Watcher};

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

/// Open trajectories of one process, shared by the GUI, the CLI and sync.
pub struct Hub {
    library: Library,
    sessions: Mutex<HashMap<String, Arc<Mutex<Session>>>>,
    listeners: Mutex<Vec<Listener>>,
    watcher: Mutex<Option<Watcher>>,
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
            listeners: Mutex::new(Vec::new()),
            watcher: Mutex::new(None),
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
    pub fn session(&self, id: &str) -> anyhow::Result<Arc<Mutex<Session>>> {
        let id = id.trim();
        if let Some(s) = lock(&self.sessions).get(id) {
            return Ok(s.clone());
        }
        let session = Arc::new(Mutex::new(self.library.open_trajectory(id)?));
        let mut sessions = lock(&self.sessions);
        Ok(sessions.entry(id.to_owned()).or_insert(session).clone())
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

    /// Applies a model edit, saves it durably, then tells the listeners.
    pub fn edit<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Trajectory) -> Result<T, ModelError>,
    ) -> anyhow::Result<T> {
        let s = self.session(id)?;
        let out = {
            let mut guard = lock(&s);
            guard.edit(f)?
        };
        self.emit(HubEvent::Changed {
            trajectory: id.to_owned(),
            origin: ChangeOrigin::Local,
        });
        Ok(out)
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

    /// After sync merged a peer's changes: save them durably, then tell the listeners.
    pub fn remote_changes_applied(&self, id: &str) -> anyhow::Result<()> {
        let s = self.session(id)?;
        lock(&s).persist()?;
        self.emit(HubEvent::Changed {
            trajectory: id.to_owned(),
            origin: ChangeOrigin::Peer,
        });
        Ok(())
    }

    /// Creates a trajectory (this device becomes its initiator) and opens it.
    pub fn create(
        &self,
        title: &str,
        school: &str,
        initiator: &str,
        role: Role,
    ) -> anyhow::Result<String> {
        let session = self.library.create(title, school, initiator, role)?;
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
