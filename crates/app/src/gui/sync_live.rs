//! [`LiveSync`]: the GUI's [`SyncPort`] over the real sync runtime.
//!
//! It owns a small tokio runtime (two worker threads named `leerrijk-sync`) that runs the
//! data directory's long-running peer ([`runtime::peer::start_peer`] with
//! [`PeerRole::Serve`]: live addresses for `invite` in other processes, a stable port).
//! Everything the GUI asks is answered from memory: connection state and presence come
//! from the driver's state (short mutex sections, no IO), tickets are made on a worker
//! thread and cached, joins run as tasks on the runtime. The GUI's repaint callback is
//! called on every sync event it shows: remote changes, peers connecting and leaving,
//! presence, join progress, photos that arrived (and once more when the photo thumbnails
//! look for a missing photo again).
//!
//! ```no_run
//! # fn demo(hub: std::sync::Arc<leerrijk_app::hub::Hub>) -> anyhow::Result<()> {
//! use leerrijk_app::gui::{LiveSync, LiveSyncOptions};
//! let sync = LiveSync::start(hub, LiveSyncOptions::loopback())?; // tests: relays and mDNS off
//! // LeerrijkApp::new(hub, sync.clone(), state) ...
//! sync.shutdown();
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use leerrijk_model::Role;
use leerrijk_sync::{
    DeviceId, LocalPresence, RelayChoice, SyncEvent, SyncHandle, Ticket, TicketError, TrajectoryId,
};
use tokio::sync::broadcast::error::RecvError;

use super::sync_port::{
    Connection, JoinFailure, JoinState, OnlinePeer, SyncError, SyncPort, SyncStatus, TicketProblem,
};
use crate::hub::Hub;
use crate::runtime::host::AppHost;
use crate::runtime::join::JoinError;
use crate::runtime::peer::{NetOptions, PeerRole, start_peer};
use crate::runtime::{self};

/// How long starting the peer (binding the endpoint) may take.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long stopping the peer (saying bye to everyone) may take.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// A shown ticket is remade this often, so it carries the current addresses.
const TICKET_REFRESH: Duration = Duration::from_secs(5);
/// A photo not received yet is looked for again after 5 s (the photo thumbnails' retry);
/// after a photo arrived, the GUI is woken once more just after that.
const PHOTO_RETRY_WAKE: Duration = Duration::from_millis(5_200);

/// Network settings of the GUI's sync peer.
#[derive(Debug, Clone)]
pub struct LiveSyncOptions {
    /// Relays and mDNS.
    pub net: NetOptions,
    /// How long a join may take before it reports the inviter as unreachable.
    pub join_timeout: Duration,
}

impl LiveSyncOptions {
    /// The product defaults: relays as the README explains (`default`), mDNS on the LAN.
    pub fn product() -> Self {
        LiveSyncOptions {
            net: NetOptions {
                relay: RelayChoice::Default,
                mdns: true,
            },
            join_timeout: Duration::from_secs(30),
        }
    }

    /// For tests and harness builds: relays off, mDNS off (direct addresses on loopback).
    pub fn loopback() -> Self {
        LiveSyncOptions {
            net: NetOptions {
                relay: RelayChoice::Off,
                mdns: false,
            },
            join_timeout: Duration::from_secs(20),
        }
    }
}

type Notify = Arc<dyn Fn() + Send + Sync>;

/// A ticket being made or made.
#[derive(Debug, Default)]
struct TicketEntry {
    /// The trajectory's title (read once, off the GUI thread).
    title: Option<String>,
    /// The last result: ticket text or a one-line error.
    result: Option<Result<String, String>>,
    /// When `result` was made.
    made: Option<Instant>,
    /// A worker is making it now.
    running: bool,
}

/// What the user looks at, as last told by the GUI.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Viewing {
    trajectory: Option<String>,
    phase: Option<u8>,
    name: String,
}

#[derive(Default)]
struct Inner {
    join: JoinState,
    viewing: Viewing,
    tickets: HashMap<String, TicketEntry>,
    /// Participant names of peer devices, from the documents (for peers whose presence
    /// carries no name, such as `leerrijk serve`).
    names: HashMap<(TrajectoryId, DeviceId), String>,
    /// Devices whose changes were refused, per trajectory (the GUI says so).
    refused: HashMap<TrajectoryId, Vec<DeviceId>>,
}

/// State shared with the runtime's tasks.
struct PortState {
    inner: Mutex<Inner>,
    notify: Mutex<Option<Notify>>,
    stopped: AtomicBool,
}

impl PortState {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn notify(&self) {
        let f = self
            .notify
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(f) = f {
            f();
        }
    }

    /// This device's presence for `trajectory`.
    fn presence_for(&self, trajectory: &TrajectoryId) -> LocalPresence {
        let inner = self.inner();
        let v = &inner.viewing;
        LocalPresence {
            name: v.name.clone(),
            phase: v
                .phase
                .filter(|_| v.trajectory.as_deref() == Some(trajectory.as_str())),
        }
    }
}

/// The sync runtime behind the GUI: a running peer for the data directory, on its own
/// threads. See the module docs.
pub struct LiveSync {
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    rt: tokio::runtime::Handle,
    host: Arc<AppHost>,
    sync: SyncHandle,
    state: Arc<PortState>,
    options: LiveSyncOptions,
}

impl std::fmt::Debug for LiveSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSync")
            .field("device", &self.sync.device_id())
            .finish_non_exhaustive()
    }
}

impl LiveSync {
    /// Starts the data directory's sync peer over `hub` on a new runtime. Returns once the
    /// peer accepts connections (binding takes milliseconds; at most 10 s).
    pub fn start(hub: Arc<Hub>, options: LiveSyncOptions) -> anyhow::Result<Arc<LiveSync>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("leerrijk-sync")
            .enable_all()
            .build()
            .context("could not start the sync threads")?;
        let host = AppHost::new(hub);
        let sync = runtime.block_on(async {
            tokio::time::timeout(
                START_TIMEOUT,
                start_peer(&host, &options.net, PeerRole::Serve),
            )
            .await
            .map_err(|_| anyhow::anyhow!("the sync peer did not start within 10 s"))?
        })?;
        let state = Arc::new(PortState {
            inner: Mutex::new(Inner::default()),
            notify: Mutex::new(None),
            stopped: AtomicBool::new(false),
        });
        let rt = runtime.handle().clone();
        rt.spawn(watch_events(
            sync.subscribe(),
            sync.clone(),
            host.clone(),
            state.clone(),
        ));
        tracing::info!(device = %sync.device_id(), "sync started for the desktop app");
        Ok(Arc::new(LiveSync {
            runtime: Mutex::new(Some(runtime)),
            rt,
            host,
            sync,
            state,
            options,
        }))
    }

    /// The sync handle (for diagnostics and tests).
    pub fn handle(&self) -> &SyncHandle {
        &self.sync
    }

    /// Stops the peer: says bye to connected devices and removes the live address file.
    /// Blocks up to a few seconds; called when the window closed. Idempotent.
    pub fn shutdown(&self) {
        if self.state.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        let runtime = self
            .runtime
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(runtime) = runtime else { return };
        if tokio::runtime::Handle::try_current().is_ok() {
            // Inside another runtime we may not block; let the tasks end on their own.
            runtime.shutdown_background();
            return;
        }
        let sync = self.sync.clone();
        runtime.block_on(async {
            if tokio::time::timeout(STOP_TIMEOUT, sync.shutdown())
                .await
                .is_err()
            {
                tracing::warn!("sync did not stop within 5 s");
            }
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
        self.state.notify();
    }

    fn make_ticket(&self, trajectory: &str) {
        let host = self.host.clone();
        let sync = self.sync.clone();
        let state = self.state.clone();
        let id = trajectory.to_owned();
        let title = self
            .state
            .inner()
            .tickets
            .get(trajectory)
            .and_then(|e| e.title.clone());
        self.rt.spawn_blocking(move || {
            let title = title.or_else(|| host.hub().read(&id, |t| t.view().title).ok());
            let result = match (TrajectoryId::new(id.as_str()), &title) {
                (Ok(tid), Some(title)) => sync
                    .ticket(&tid, title)
                    .map(|t| t.to_string())
                    .map_err(|e| e.to_string()),
                (Err(e), _) => Err(e.to_string()),
                (_, None) => Err(format!("trajectory {id} could not be read")),
            };
            {
                let mut inner = state.inner();
                let entry = inner.tickets.entry(id).or_default();
                entry.title = title;
                entry.result = Some(result);
                entry.made = Some(Instant::now());
                entry.running = false;
            }
            state.notify();
        });
    }
}

impl Drop for LiveSync {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl SyncPort for LiveSync {
    fn status(&self, trajectory: &str) -> SyncStatus {
        if self.state.stopped.load(Ordering::SeqCst) {
            return SyncStatus::default();
        }
        let Ok(tid) = TrajectoryId::new(trajectory) else {
            return SyncStatus::default();
        };
        let peers = self.sync.peers(&tid);
        let inner = self.state.inner();
        let refused_from: Vec<String> = inner
            .refused
            .get(&tid)
            .map(|devices| {
                devices
                    .iter()
                    .map(|d| {
                        inner
                            .names
                            .get(&(tid.clone(), *d))
                            .cloned()
                            .unwrap_or_else(|| format!("{}…", d.short()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if peers.is_empty() {
            return SyncStatus {
                connection: Connection::Looking,
                online: Vec::new(),
                refused_from,
            };
        }
        let presence = self.sync.presence(&tid);
        let mut online: Vec<OnlinePeer> = peers
            .iter()
            .map(|p| {
                let seen = presence.iter().find(|q| q.device == p.device);
                let name = seen
                    .map(|q| q.name.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .or_else(|| inner.names.get(&(tid.clone(), p.device)).cloned())
                    .unwrap_or_else(|| format!("{}…", p.device.short()));
                OnlinePeer {
                    name,
                    device: p.device.to_string(),
                    phase: seen.and_then(|q| q.phase),
                }
            })
            .collect();
        online.sort_by(|a, b| a.name.cmp(&b.name).then(a.device.cmp(&b.device)));
        SyncStatus {
            connection: Connection::Connected(online.len()),
            online,
            refused_from,
        }
    }

    fn invite_ticket(&self, trajectory: &str) -> Result<String, SyncError> {
        if self.state.stopped.load(Ordering::SeqCst) {
            return Err(SyncError::Unavailable);
        }
        let (result, start) = {
            let mut inner = self.state.inner();
            let entry = inner.tickets.entry(trajectory.to_owned()).or_default();
            let stale = entry.made.is_none_or(|t| t.elapsed() >= TICKET_REFRESH);
            let start = stale && !entry.running;
            if start {
                entry.running = true;
            }
            (entry.result.clone(), start)
        };
        if start {
            self.make_ticket(trajectory);
        }
        match result {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(SyncError::Other(e)),
            None => Err(SyncError::Preparing),
        }
    }

    fn join(&self, ticket: &str, name: &str, role: Role) -> Result<(), SyncError> {
        if self.state.stopped.load(Ordering::SeqCst) {
            return Err(SyncError::Unavailable);
        }
        let ticket: Ticket = ticket
            .parse()
            .map_err(|e| SyncError::InvalidTicket(ticket_problem(&e)))?;
        {
            let mut inner = self.state.inner();
            if inner.join == JoinState::Joining {
                return Err(SyncError::Busy);
            }
            inner.join = JoinState::Joining;
        }
        self.state.notify();
        tracing::info!(trajectory = %ticket.trajectory, inviter = %ticket.inviter, "joining from the GUI");
        self.rt.spawn(run_join(
            self.host.clone(),
            self.sync.clone(),
            self.state.clone(),
            ticket,
            name.to_owned(),
            role,
            self.options.join_timeout,
        ));
        Ok(())
    }

    fn join_state(&self) -> JoinState {
        self.state.inner().join.clone()
    }

    fn set_notify(&self, notify: Box<dyn Fn() + Send + Sync>) {
        *self
            .state
            .notify
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::from(notify));
    }

    fn set_viewing(&self, trajectory: Option<&str>, phase: Option<u8>, name: &str) {
        let new = Viewing {
            trajectory: trajectory.map(str::to_owned),
            phase,
            name: name.trim().to_owned(),
        };
        let old = {
            let mut inner = self.state.inner();
            if inner.viewing == new {
                return;
            }
            std::mem::replace(&mut inner.viewing, new.clone())
        };
        if old.name != new.name {
            // The name goes into the presence of every trajectory (read off this thread).
            let host = self.host.clone();
            let sync = self.sync.clone();
            let state = self.state.clone();
            self.rt.spawn_blocking(move || {
                use leerrijk_sync::DocumentHost as _;
                for t in host.trajectories() {
                    sync.set_presence(&t, state.presence_for(&t));
                }
            });
            return;
        }
        for t in [old.trajectory, new.trajectory].into_iter().flatten() {
            if let Ok(tid) = TrajectoryId::new(t.as_str()) {
                self.sync.set_presence(&tid, self.state.presence_for(&tid));
            }
        }
    }
}

/// Reads the driver's events: keeps presence and names up to date and wakes the GUI.
async fn watch_events(
    mut rx: tokio::sync::broadcast::Receiver<SyncEvent>,
    sync: SyncHandle,
    host: Arc<AppHost>,
    state: Arc<PortState>,
) {
    loop {
        let event = match rx.recv().await {
            Ok(e) => e,
            Err(RecvError::Lagged(n)) => {
                tracing::debug!(missed = n, "GUI missed sync events");
                state.notify();
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        match &event {
            SyncEvent::TrajectoryOpened { trajectory, device } => {
                sync.set_presence(trajectory, state.presence_for(trajectory));
                let (host, state, t, d) =
                    (host.clone(), state.clone(), trajectory.clone(), *device);
                tokio::task::spawn_blocking(move || remember_name(&host, &state, t, d));
            }
            SyncEvent::BlobStored { .. } => {
                let state = state.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(PHOTO_RETRY_WAKE).await;
                    state.notify();
                });
            }
            SyncEvent::Error { message, .. } => {
                tracing::debug!(%message, "sync reported a problem");
            }
            SyncEvent::ChangesRefused {
                trajectory, device, ..
            } => {
                let mut inner = state.inner();
                let list = inner.refused.entry(trajectory.clone()).or_default();
                if !list.contains(device) {
                    list.push(*device);
                }
            }
            _ => {}
        }
        if shows(&event) {
            state.notify();
        }
    }
}

/// Whether the GUI shows something that `event` changes.
fn shows(event: &SyncEvent) -> bool {
    matches!(
        event,
        SyncEvent::RemoteChange { .. }
            | SyncEvent::PeerConnected { .. }
            | SyncEvent::PeerDisconnected { .. }
            | SyncEvent::TrajectoryOpened { .. }
            | SyncEvent::PresenceChanged { .. }
            | SyncEvent::Refused { .. }
            | SyncEvent::SyncStatus { .. }
            | SyncEvent::BlobStored { .. }
            | SyncEvent::ChangesRefused { .. }
    )
}

/// Looks up, in the document, the participant that `device` acts for.
fn remember_name(host: &AppHost, state: &PortState, trajectory: TrajectoryId, device: DeviceId) {
    let name = host
        .hub()
        .read(trajectory.as_str(), |t| {
            let pid = t.participant_for_device(&device.to_string())?;
            t.view().participant(&pid).map(|p| p.name.clone())
        })
        .ok()
        .flatten();
    if let Some(name) = name {
        state.inner().names.insert((trajectory, device), name);
        state.notify();
    }
}

/// Runs a join and records how it ended. A refusal by the inviter ends it at once (see
/// [`runtime::join::join`]).
async fn run_join(
    host: Arc<AppHost>,
    sync: SyncHandle,
    state: Arc<PortState>,
    ticket: Ticket,
    name: String,
    role: Role,
    timeout: Duration,
) {
    let id = ticket.trajectory.clone();
    let outcome = match runtime::join::join(&host, &sync, &ticket, &name, role, timeout).await {
        Ok(id) => JoinState::Joined(id.to_string()),
        Err(e) => {
            tracing::warn!(trajectory = %id, error = %crate::exit::one_line(&e), "join failed");
            JoinState::Failed(failure(&e))
        }
    };
    state.inner().join = outcome;
    state.notify();
}

fn failure(err: &anyhow::Error) -> JoinFailure {
    match JoinError::find(err) {
        Some(JoinError::Unreachable { .. }) => JoinFailure::Unreachable,
        Some(JoinError::Incomplete { .. }) => JoinFailure::Incomplete,
        Some(JoinError::Refused(_)) => JoinFailure::Refused,
        Some(JoinError::Damaged(_)) => JoinFailure::Damaged,
        Some(JoinError::OtherSecret(_)) => JoinFailure::OtherSecret,
        Some(JoinError::Unreadable(_)) => JoinFailure::Unreadable,
        None => JoinFailure::Other(crate::exit::one_line(err)),
    }
}

fn ticket_problem(e: &TicketError) -> TicketProblem {
    match e {
        TicketError::Foreign => TicketProblem::Foreign,
        TicketError::Truncated => TicketProblem::Truncated,
        TicketError::UnsupportedVersion(_) => TicketProblem::Newer,
        TicketError::Encoding | TicketError::Checksum | TicketError::Malformed(_) => {
            TicketProblem::Damaged
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_errors_map_to_problems_the_user_understands() {
        let foreign = "https://example.org/join".parse::<Ticket>().unwrap_err();
        assert_eq!(ticket_problem(&foreign), TicketProblem::Foreign);
        let cut = "leerrijk1aebagbaf".parse::<Ticket>().unwrap_err();
        assert_eq!(ticket_problem(&cut), TicketProblem::Truncated);
        let odd = "leerrijk1!!!!".parse::<Ticket>().unwrap_err();
        assert_eq!(ticket_problem(&odd), TicketProblem::Damaged);
    }
}
