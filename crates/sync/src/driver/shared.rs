//! State shared by the driver's tasks: connections, address hints, presence.
//!
//! Guarded by one std mutex that is only held for short, non-async sections.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use iroh::Endpoint;
use tokio::sync::{Notify, broadcast, mpsc, watch};

use crate::blob::BlobHash;
use crate::driver::config::SyncConfig;
use crate::driver::events::{LocalPresence, PeerPresence, SyncEvent};
use crate::host::DocumentHost;
use crate::ids::{DeviceId, TrajectoryId};
use crate::proto::{PeerHint, Presence};

/// A command for one connection task.
#[derive(Debug, Clone)]
pub(crate) enum ConnCmd {
    /// The document changed (locally, or merged from another peer).
    LocalChange(TrajectoryId),
    /// Re-check which trajectories to open.
    Rescan,
    /// Send our presence for this trajectory.
    Presence(TrajectoryId),
    /// Ask the host which photos of this trajectory are missing, then request them.
    FetchBlobs(TrajectoryId),
    /// The photos of a trajectory the host is missing (answer to `FetchBlobs`).
    WantBlobs(TrajectoryId, Vec<BlobHash>),
    /// The host read a photo the peer asked for (`None`: not stored here).
    BlobReady {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo.
        hash: BlobHash,
        /// Its bytes.
        bytes: Option<Vec<u8>>,
    },
}

#[derive(Debug)]
pub(crate) struct ConnEntry {
    pub(crate) remote: DeviceId,
    pub(crate) cmd: mpsc::UnboundedSender<ConnCmd>,
    pub(crate) ready: bool,
    pub(crate) their_heads: HashMap<TrajectoryId, Vec<ChangeHash>>,
    pub(crate) granted: BTreeSet<TrajectoryId>,
    pub(crate) in_sync: BTreeSet<TrajectoryId>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    next_conn: u64,
    pub(crate) conns: HashMap<u64, ConnEntry>,
    pub(crate) hints: HashMap<DeviceId, BTreeSet<SocketAddr>>,
    pub(crate) relay_hints: HashMap<DeviceId, String>,
    pub(crate) presence_hints: HashMap<TrajectoryId, BTreeSet<DeviceId>>,
    pub(crate) explicit: HashMap<DeviceId, BTreeSet<TrajectoryId>>,
    pub(crate) dialers: HashSet<DeviceId>,
    pub(crate) presence: HashMap<TrajectoryId, HashMap<DeviceId, PeerPresence>>,
    pub(crate) local_presence: HashMap<TrajectoryId, LocalPresence>,
    /// Photos requested from some connection and not stored yet, by connection id, so two
    /// peers are not asked for the same photo at once.
    pub(crate) blobs_in_flight: HashMap<(TrajectoryId, BlobHash), u64>,
}

pub(crate) struct Shared {
    pub(crate) host: Arc<dyn DocumentHost>,
    pub(crate) endpoint: Endpoint,
    pub(crate) me: DeviceId,
    pub(crate) config: SyncConfig,
    pub(crate) events: broadcast::Sender<SyncEvent>,
    state: Mutex<State>,
    /// Wakes the mesh loop to re-read the wanted devices.
    pub(crate) mesh_wake: Notify,
    /// Bumped whenever connections, grants or reported heads change.
    pub(crate) status: watch::Sender<u64>,
    /// `true` once shutdown started.
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) persist_tx: Mutex<Option<mpsc::UnboundedSender<TrajectoryId>>>,
    /// Address hints changed since the address book was last saved.
    pub(crate) book_dirty: AtomicBool,
    /// The devices the mesh wants, as of its last scan.
    wanted: Mutex<BTreeSet<DeviceId>>,
    /// Incoming connections whose peer has not proved any trajectory yet.
    unauthenticated: AtomicUsize,
    /// When a refusal of each peer was last reported (see [`Shared::report_refusal`]).
    refusals_reported: Mutex<RateLimit>,
}

/// Most incoming connections at once whose peer has not yet proved a join secret; more are
/// closed at once, so unauthenticated peers cannot make this device hold many handshakes.
pub(crate) const MAX_UNAUTHENTICATED_CONNECTIONS: usize = 32;

/// A refusal of one peer is reported (logged and emitted) at most once per this interval.
pub(crate) const REFUSAL_REPORT_INTERVAL: Duration = Duration::from_secs(60);

/// Remembers when something was last reported per peer, for at most [`RateLimit::MAX_PEERS`]
/// peers at a time.
#[derive(Debug, Default)]
pub(crate) struct RateLimit {
    seen: HashMap<DeviceId, Instant>,
}

impl RateLimit {
    /// Most peers remembered; beyond that (thousands of distinct peers refused within one
    /// interval) nothing more is reported rather than the map growing.
    const MAX_PEERS: usize = 4096;

    /// `true` if `peer` was not reported within [`REFUSAL_REPORT_INTERVAL`] before `now`
    /// (and records `now`).
    pub(crate) fn allow(&mut self, peer: DeviceId, now: Instant) -> bool {
        let recent = |t: &Instant| now.saturating_duration_since(*t) < REFUSAL_REPORT_INTERVAL;
        if self.seen.get(&peer).is_some_and(recent) {
            return false;
        }
        if self.seen.len() >= Self::MAX_PEERS && !self.seen.contains_key(&peer) {
            self.seen.retain(|_, t| recent(t));
            if self.seen.len() >= Self::MAX_PEERS {
                return false;
            }
        }
        self.seen.insert(peer, now);
        true
    }
}

/// One incoming connection counted against [`MAX_UNAUTHENTICATED_CONNECTIONS`]; dropping it
/// (at the first grant, or when the connection ends) frees the place.
#[derive(Debug)]
pub(crate) struct UnauthenticatedSlot {
    shared: Arc<Shared>,
}

impl Drop for UnauthenticatedSlot {
    fn drop(&mut self) {
        self.shared.unauthenticated.fetch_sub(1, Ordering::AcqRel);
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(
        host: Arc<dyn DocumentHost>,
        endpoint: Endpoint,
        config: SyncConfig,
        persist_tx: mpsc::UnboundedSender<TrajectoryId>,
    ) -> Self {
        let me = DeviceId(*endpoint.id().as_bytes());
        Self {
            host,
            endpoint,
            me,
            config,
            events: broadcast::channel(1024).0,
            state: Mutex::new(State::default()),
            mesh_wake: Notify::new(),
            status: watch::channel(0).0,
            shutdown: watch::channel(false).0,
            persist_tx: Mutex::new(Some(persist_tx)),
            book_dirty: AtomicBool::new(false),
            wanted: Mutex::new(BTreeSet::new()),
            unauthenticated: AtomicUsize::new(0),
            refusals_reported: Mutex::new(RateLimit::default()),
        }
    }

    /// Takes a place for an incoming connection that has not proved anything yet, or
    /// `None` if [`MAX_UNAUTHENTICATED_CONNECTIONS`] are already waiting.
    pub(crate) fn unauthenticated_slot(self: &Arc<Self>) -> Option<UnauthenticatedSlot> {
        let taken = self
            .unauthenticated
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_UNAUTHENTICATED_CONNECTIONS).then_some(n + 1)
            });
        taken.ok().map(|_| UnauthenticatedSlot {
            shared: self.clone(),
        })
    }

    /// Whether a refusal of `peer`'s proof should be reported now: at most once per
    /// [`REFUSAL_REPORT_INTERVAL`] per peer, so a peer retrying a bad proof cannot flood
    /// the log.
    pub(crate) fn report_refusal(&self, peer: DeviceId) -> bool {
        self.refusals_reported
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .allow(peer, Instant::now())
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn emit(&self, e: SyncEvent) {
        // No subscriber is fine.
        let _ = self.events.send(e);
    }

    pub(crate) fn bump_status(&self) {
        self.status.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub(crate) fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// This endpoint's direct addresses.
    pub(crate) fn own_addrs(&self) -> Vec<SocketAddr> {
        self.endpoint.addr().ip_addrs().copied().collect()
    }

    /// This endpoint's relay URL, if any.
    pub(crate) fn own_relay(&self) -> Option<String> {
        self.endpoint
            .addr()
            .relay_urls()
            .next()
            .map(|u| u.to_string())
    }

    pub(crate) fn register(&self, remote: DeviceId, cmd: mpsc::UnboundedSender<ConnCmd>) -> u64 {
        let mut st = self.state();
        st.next_conn += 1;
        let id = st.next_conn;
        st.conns.insert(
            id,
            ConnEntry {
                remote,
                cmd,
                ready: false,
                their_heads: HashMap::new(),
                granted: BTreeSet::new(),
                in_sync: BTreeSet::new(),
            },
        );
        id
    }

    /// Marks a connection ready; emits `PeerConnected` for the device's first one.
    pub(crate) fn set_ready(&self, conn: u64) {
        let first = {
            let mut st = self.state();
            let Some(remote) = st.conns.get(&conn).map(|c| c.remote) else {
                return;
            };
            let first = !st.conns.values().any(|c| c.remote == remote && c.ready);
            if let Some(c) = st.conns.get_mut(&conn) {
                c.ready = true;
            }
            first.then_some(remote)
        };
        if let Some(device) = first {
            tracing::info!(peer = %device, "peer connected");
            self.emit(SyncEvent::PeerConnected { device });
        }
        self.bump_status();
        self.mesh_wake.notify_one();
    }

    /// Removes a connection; emits `PeerDisconnected` and drops presence when it was the
    /// device's last one.
    pub(crate) fn unregister(&self, conn: u64) {
        let (gone, presence_changed) = {
            let mut st = self.state();
            let Some(entry) = st.conns.remove(&conn) else {
                return;
            };
            let remote = entry.remote;
            st.blobs_in_flight.retain(|_, c| *c != conn);
            let still = st.conns.values().any(|c| c.remote == remote && c.ready);
            let mut changed = Vec::new();
            if entry.ready && !still {
                for (t, map) in st.presence.iter_mut() {
                    if map.remove(&remote).is_some() {
                        changed.push(t.clone());
                    }
                }
            }
            ((entry.ready && !still).then_some(remote), changed)
        };
        if let Some(device) = gone {
            tracing::info!(peer = %device, "peer disconnected");
            self.emit(SyncEvent::PeerDisconnected { device });
        }
        for trajectory in presence_changed {
            self.emit(SyncEvent::PresenceChanged { trajectory });
        }
        self.bump_status();
        self.mesh_wake.notify_one();
    }

    pub(crate) fn is_connected(&self, device: &DeviceId) -> bool {
        self.state()
            .conns
            .values()
            .any(|c| c.remote == *device && c.ready)
    }

    pub(crate) fn on_granted(&self, conn: u64, trajectory: &TrajectoryId) {
        let (remote, others) = {
            let mut st = self.state();
            let Some(c) = st.conns.get_mut(&conn) else {
                return;
            };
            c.granted.insert(trajectory.clone());
            let remote = c.remote;
            let others: Vec<_> = st
                .conns
                .iter()
                .filter(|(id, c)| **id != conn && c.granted.contains(trajectory))
                .map(|(_, c)| c.cmd.clone())
                .collect();
            (remote, others)
        };
        tracing::info!(peer = %remote, trajectory = %trajectory, "syncing trajectory");
        self.emit(SyncEvent::TrajectoryOpened {
            trajectory: trajectory.clone(),
            device: remote,
        });
        // Others learn about this device through our presence.
        for cmd in others {
            let _ = cmd.send(ConnCmd::Presence(trajectory.clone()));
        }
        self.bump_status();
    }

    pub(crate) fn on_revoked(&self, conn: u64, trajectory: &TrajectoryId) {
        if let Some(c) = self.state().conns.get_mut(&conn) {
            c.granted.remove(trajectory);
            c.in_sync.remove(trajectory);
            c.their_heads.remove(trajectory);
        }
        self.bump_status();
    }

    pub(crate) fn set_in_sync(&self, conn: u64, trajectory: &TrajectoryId, in_sync: bool) {
        let remote = {
            let mut st = self.state();
            let Some(c) = st.conns.get_mut(&conn) else {
                return;
            };
            if in_sync {
                c.in_sync.insert(trajectory.clone());
            } else {
                c.in_sync.remove(trajectory);
            }
            c.remote
        };
        self.emit(SyncEvent::SyncStatus {
            trajectory: trajectory.clone(),
            device: remote,
            in_sync,
        });
        self.bump_status();
    }

    pub(crate) fn set_their_heads(
        &self,
        conn: u64,
        trajectory: &TrajectoryId,
        heads: Option<Vec<ChangeHash>>,
    ) {
        let changed = {
            let mut st = self.state();
            let Some(c) = st.conns.get_mut(&conn) else {
                return;
            };
            match heads {
                Some(h) => c.their_heads.insert(trajectory.clone(), h.clone()) != Some(h),
                None => c.their_heads.remove(trajectory).is_some(),
            }
        };
        if changed {
            self.bump_status();
        }
    }

    /// Merged remote changes: persist them and pass them on to the other peers.
    pub(crate) fn remote_changed(&self, conn: u64, trajectory: &TrajectoryId) {
        if let Some(tx) = self
            .persist_tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            let _ = tx.send(trajectory.clone());
        }
        self.broadcast(Some(conn), ConnCmd::LocalChange(trajectory.clone()));
    }

    /// Claims a photo for connection `conn` to request; `false` if another connection is
    /// already fetching it.
    pub(crate) fn claim_blob(&self, conn: u64, trajectory: &TrajectoryId, hash: BlobHash) -> bool {
        let mut st = self.state();
        let key = (trajectory.clone(), hash);
        if st.blobs_in_flight.contains_key(&key) {
            return false;
        }
        st.blobs_in_flight.insert(key, conn);
        true
    }

    /// Releases a photo that connection `conn` claimed with [`Shared::claim_blob`] (stored,
    /// unavailable, refused). A claim of another connection stays.
    pub(crate) fn release_blob(&self, conn: u64, trajectory: &TrajectoryId, hash: BlobHash) {
        let mut st = self.state();
        let key = (trajectory.clone(), hash);
        if st.blobs_in_flight.get(&key) == Some(&conn) {
            st.blobs_in_flight.remove(&key);
        }
    }

    /// Sends a command to every connection except `skip`.
    pub(crate) fn broadcast(&self, skip: Option<u64>, cmd: ConnCmd) {
        let targets: Vec<_> = self
            .state()
            .conns
            .iter()
            .filter(|(id, _)| Some(**id) != skip)
            .map(|(_, c)| c.cmd.clone())
            .collect();
        for t in targets {
            let _ = t.send(cmd.clone());
        }
    }

    /// Records a peer's presence and the devices and addresses it told us about.
    pub(crate) fn on_presence(&self, remote: DeviceId, p: Presence) {
        let mut new_device = false;
        {
            let mut st = self.state();
            let own = st.hints.entry(remote).or_default();
            let before = own.len();
            own.extend(p.addrs.iter().copied());
            if own.len() != before {
                self.book_dirty.store(true, Ordering::Relaxed);
            }
            for PeerHint { device, addrs } in &p.peers {
                if *device == self.me {
                    continue;
                }
                st.hints
                    .entry(*device)
                    .or_default()
                    .extend(addrs.iter().copied());
                new_device |= st
                    .presence_hints
                    .entry(p.trajectory.clone())
                    .or_default()
                    .insert(*device);
            }
            st.presence.entry(p.trajectory.clone()).or_default().insert(
                remote,
                PeerPresence {
                    device: remote,
                    name: p.name.clone(),
                    phase: p.phase,
                },
            );
        }
        self.emit(SyncEvent::PresenceChanged {
            trajectory: p.trajectory,
        });
        if new_device {
            self.mesh_wake.notify_one();
        }
    }

    /// Our presence for `trajectory`, as sent to `to`.
    pub(crate) fn presence_message(&self, trajectory: &TrajectoryId, to: DeviceId) -> Presence {
        let addrs = self.own_addrs();
        let st = self.state();
        let local = st
            .local_presence
            .get(trajectory)
            .cloned()
            .unwrap_or_default();
        let mut peers: Vec<PeerHint> = Vec::new();
        let mut seen = BTreeSet::new();
        for c in st.conns.values() {
            if c.remote == to || !c.granted.contains(trajectory) || !seen.insert(c.remote) {
                continue;
            }
            peers.push(PeerHint {
                device: c.remote,
                addrs: st
                    .hints
                    .get(&c.remote)
                    .map(|s| s.iter().copied().collect())
                    .unwrap_or_default(),
            });
        }
        Presence {
            trajectory: trajectory.clone(),
            name: local.name,
            phase: local.phase,
            addrs,
            peers,
        }
    }

    /// Whether to offer `trajectory` to `remote`: it is a known device of the trajectory,
    /// a device another member told us about, or an explicit dial target for it.
    pub(crate) fn should_open(&self, trajectory: &TrajectoryId, remote: &DeviceId) -> bool {
        {
            let st = self.state();
            if st
                .explicit
                .get(remote)
                .is_some_and(|s| s.contains(trajectory))
                || st
                    .presence_hints
                    .get(trajectory)
                    .is_some_and(|s| s.contains(remote))
            {
                return true;
            }
        }
        self.host.known_devices(trajectory).contains(remote)
    }

    /// Whether `device` was wanted at the mesh's last scan (cheap; for dial tasks).
    pub(crate) fn is_wanted(&self, device: &DeviceId) -> bool {
        self.wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(device)
    }

    /// Re-reads the wanted devices (documents, presence, explicit dials) and caches them.
    pub(crate) fn scan_wanted(&self) -> BTreeSet<DeviceId> {
        let wanted = self.wanted_devices();
        *self.wanted.lock().unwrap_or_else(PoisonError::into_inner) = wanted.clone();
        wanted
    }

    /// Devices the mesh should be connected to.
    fn wanted_devices(&self) -> BTreeSet<DeviceId> {
        let mut out = BTreeSet::new();
        for t in self.host.trajectories() {
            out.extend(self.host.known_devices(&t));
        }
        {
            let st = self.state();
            out.extend(st.explicit.keys().copied());
            for set in st.presence_hints.values() {
                out.extend(set.iter().copied());
            }
        }
        out.remove(&self.me);
        out
    }

    /// The address to dial a device at: id plus every address hint we have.
    pub(crate) fn dial_addr(&self, device: &DeviceId) -> Option<iroh::EndpointAddr> {
        let id = iroh::EndpointId::from_bytes(device.as_bytes()).ok()?;
        let st = self.state();
        let mut addrs: Vec<iroh::TransportAddr> = st
            .hints
            .get(device)
            .map(|s| s.iter().map(|a| iroh::TransportAddr::Ip(*a)).collect())
            .unwrap_or_default();
        if let Some(url) = st
            .relay_hints
            .get(device)
            .and_then(|r| r.parse::<iroh::RelayUrl>().ok())
        {
            addrs.push(iroh::TransportAddr::Relay(url));
        }
        Some(iroh::EndpointAddr::from_parts(id, addrs))
    }

    /// Checks whether `trajectory` is in sync with every connected peer that syncs it:
    /// returns (peers syncing it, peers whose last reported heads equal ours).
    pub(crate) fn sync_counts(&self, trajectory: &TrajectoryId) -> (usize, usize) {
        let mut ours = None;
        let _ = self.host.with_doc(trajectory, &mut |doc| {
            ours = Some(doc.get_heads());
        });
        let ours: BTreeSet<ChangeHash> = ours.unwrap_or_default().into_iter().collect();
        let st = self.state();
        let mut devices = BTreeSet::new();
        let mut synced = BTreeSet::new();
        for c in st.conns.values() {
            if !c.granted.contains(trajectory) {
                continue;
            }
            devices.insert(c.remote);
            let theirs: Option<BTreeSet<ChangeHash>> = c
                .their_heads
                .get(trajectory)
                .map(|h| h.iter().copied().collect());
            if theirs.as_ref() == Some(&ours) {
                synced.insert(c.remote);
            }
        }
        (devices.len(), synced.len())
    }
}

impl Shared {
    /// This endpoint's bound IPv4 port (else any bound port).
    pub(crate) fn own_port(&self) -> Option<u16> {
        let socks = self.endpoint.bound_sockets();
        socks
            .iter()
            .find(|s| s.is_ipv4())
            .or(socks.first())
            .map(|s| s.port())
    }

    /// Saves the address book if hints changed (or `force`).
    pub(crate) fn save_address_book(&self, force: bool) {
        let Some(path) = &self.config.address_book else {
            return;
        };
        if !self.book_dirty.swap(false, Ordering::Relaxed) && !force {
            return;
        }
        // Only the data directory's long-running peer (the one publishing live addresses)
        // claims the port; short-lived peers must not overwrite it.
        let own_port = if self.config.live_dir.is_some() {
            self.own_port()
        } else {
            None
        };
        let mut book = crate::driver::address_book::AddressBook {
            own_port,
            ..Default::default()
        };
        for (device, addrs) in &self.state().hints {
            let addrs: Vec<SocketAddr> = addrs.iter().copied().collect();
            book.remember(device, &addrs);
        }
        if let Err(e) = book.save_merged(path) {
            tracing::warn!(path = %path.display(), error = %e, "could not save address book");
        }
    }

    /// Loads hints from the address book.
    pub(crate) fn load_address_book(&self, book: &crate::driver::address_book::AddressBook) {
        let mut st = self.state();
        for (device, addrs) in book.entries() {
            if device != self.me {
                st.hints
                    .entry(device)
                    .or_default()
                    .extend(addrs.iter().copied());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_reported_once_per_peer_per_minute() {
        let mut limit = RateLimit::default();
        let t0 = Instant::now();
        let a = DeviceId([1; 32]);
        let b = DeviceId([2; 32]);
        assert!(limit.allow(a, t0));
        assert!(!limit.allow(a, t0 + Duration::from_secs(1)));
        assert!(!limit.allow(a, t0 + Duration::from_secs(59)));
        assert!(limit.allow(b, t0 + Duration::from_secs(1)), "another peer");
        assert!(limit.allow(a, t0 + Duration::from_secs(60)));
        assert!(!limit.allow(a, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn the_rate_limit_never_remembers_more_than_its_cap() {
        let mut limit = RateLimit::default();
        let t0 = Instant::now();
        let peer = |i: usize| {
            let mut b = [0u8; 32];
            b[..8].copy_from_slice(&(i as u64).to_le_bytes());
            DeviceId(b)
        };
        for i in 0..RateLimit::MAX_PEERS {
            assert!(limit.allow(peer(i), t0));
        }
        assert!(!limit.allow(peer(RateLimit::MAX_PEERS), t0));
        assert_eq!(limit.seen.len(), RateLimit::MAX_PEERS);
        // A minute later the old entries make room.
        assert!(limit.allow(peer(RateLimit::MAX_PEERS), t0 + REFUSAL_REPORT_INTERVAL));
        assert_eq!(limit.seen.len(), 1);
    }
}
