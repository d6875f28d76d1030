//! Starting a sync peer and the handle the application keeps.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use iroh::endpoint::{Connection, PortmapperConfig, presets};
use iroh::protocol::{AcceptError, ProtocolHandler, Router};
use iroh::{Endpoint, RelayMode, SecretKey, Watcher};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

use crate::driver::address_book::AddressBook;
use crate::driver::config::{RelayChoice, SyncConfig};
use crate::driver::events::{LocalPresence, PeerPresence, PeerStatus, SyncEvent};
use crate::driver::shared::{ConnCmd, Shared};
use crate::driver::{ALPN, connection, live, mesh};
use crate::host::DocumentHost;
use crate::ids::{DeviceId, TrajectoryId};
use crate::ticket::Ticket;

/// Errors from starting or using the sync driver.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The endpoint could not bind its sockets.
    #[error("could not start the network endpoint: {0}")]
    Bind(String),
    /// The trajectory is not served by the host.
    #[error("trajectory {0} is not available on this device")]
    UnknownTrajectory(TrajectoryId),
    /// The ticket's inviter id is not a valid endpoint id.
    #[error("the ticket's device id is invalid")]
    InvalidDevice,
}

/// Why [`SyncHandle::wait_in_sync`] gave up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    /// No peer that syncs this trajectory was connected before the deadline.
    #[error("no peer reachable for trajectory {0}")]
    NoPeer(TrajectoryId),
    /// Peers were connected but not yet in sync at the deadline.
    #[error(
        "trajectory {trajectory} not in sync with {pending} of {peers} peers before the deadline"
    )]
    NotInSync {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// Connected peers syncing it.
        peers: usize,
        /// Of those, not yet in sync.
        pending: usize,
    },
    /// The driver shut down.
    #[error("sync stopped")]
    Stopped,
}

#[derive(Debug, Clone)]
struct Acceptor {
    shared: Arc<Shared>,
}

impl ProtocolHandler for Acceptor {
    async fn accept(&self, connection: Connection) -> Result<(), AcceptError> {
        if self.shared.is_shutting_down() {
            connection.close(0u8.into(), b"shutting down");
            return Ok(());
        }
        connection::run(self.shared.clone(), connection, false).await;
        Ok(())
    }
}

/// A running sync peer. Cheap to clone; call [`SyncHandle::shutdown`] to stop it.
#[derive(Clone, Debug)]
pub struct SyncHandle {
    shared: Arc<Shared>,
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    router: Mutex<Option<Router>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

async fn bind(config: &SyncConfig) -> Result<Endpoint, SyncError> {
    let relay_mode = match &config.relay {
        RelayChoice::Off => RelayMode::Disabled,
        RelayChoice::Default => RelayMode::Default,
        RelayChoice::Custom(url) => RelayMode::custom([url.clone()]),
    };
    let builder = || {
        let mut b = Endpoint::builder(presets::Minimal)
            .secret_key(SecretKey::from_bytes(&config.secret_key))
            .relay_mode(relay_mode.clone());
        if config.relay == RelayChoice::Off {
            b = b.portmapper_config(PortmapperConfig::Disabled);
        }
        b
    };
    let book_port = config
        .address_book
        .as_deref()
        .and_then(|p| AddressBook::load(p).own_port);
    if let Some(port) = config.port.or(book_port) {
        let attempt = builder().bind_addr(SocketAddr::from(([0, 0, 0, 0], port)));
        if let Ok(b) = attempt {
            match b.bind().await {
                Ok(ep) => return Ok(ep),
                Err(e) => {
                    tracing::info!(port, error = %e, "preferred port unavailable; using a random port");
                }
            }
        }
    }
    builder()
        .bind()
        .await
        .map_err(|e| SyncError::Bind(e.to_string()))
}

/// Starts a sync peer: binds the endpoint, accepts connections on [`ALPN`], dials the
/// devices of the host's trajectories, and publishes its live addresses if configured.
/// When this returns, the peer accepts connections.
pub async fn start(
    config: SyncConfig,
    host: Arc<dyn DocumentHost>,
) -> Result<SyncHandle, SyncError> {
    let endpoint = bind(&config).await?;
    if config.mdns {
        match iroh_mdns_address_lookup::MdnsAddressLookup::builder()
            .service_name("leerrijk")
            .build(endpoint.id())
        {
            Ok(mdns) => match endpoint.address_lookup() {
                Ok(lookup) => lookup.add(mdns),
                Err(e) => tracing::warn!(error = %e, "mDNS unavailable"),
            },
            Err(e) => tracing::warn!(error = %e, "mDNS unavailable; LAN discovery off"),
        }
    }
    let (persist_tx, persist_rx) = mpsc::unbounded_channel();
    let book = config.address_book.as_deref().map(AddressBook::load);
    let shared = Arc::new(Shared::new(host, endpoint.clone(), config, persist_tx));
    if let Some(book) = &book {
        shared.load_address_book(book);
    }
    let router = Router::builder(endpoint)
        .accept(
            ALPN,
            Acceptor {
                shared: shared.clone(),
            },
        )
        .spawn();
    let mut tasks = vec![
        tokio::spawn(mesh::mesh_loop(shared.clone())),
        tokio::spawn(persister(shared.clone(), persist_rx)),
    ];
    if let Some(dir) = shared.config.live_dir.clone() {
        tasks.push(tokio::spawn(publish_live(shared.clone(), dir)));
    }
    if shared.config.address_book.is_some() {
        shared.save_address_book(true);
        tasks.push(tokio::spawn(keep_address_book(shared.clone())));
    }
    tracing::info!(device = %shared.me, "sync peer started");
    Ok(SyncHandle {
        shared,
        inner: Arc::new(Inner {
            router: Mutex::new(Some(router)),
            tasks: Mutex::new(tasks),
        }),
    })
}

/// Persists merged documents through the host, coalescing bursts per trajectory.
async fn persister(shared: Arc<Shared>, mut rx: mpsc::UnboundedReceiver<TrajectoryId>) {
    while let Some(first) = rx.recv().await {
        let mut batch = BTreeSet::from([first]);
        while let Ok(t) = rx.try_recv() {
            batch.insert(t);
        }
        for t in batch {
            let host = shared.host.clone();
            let id = t.clone();
            let result =
                tokio::task::spawn_blocking(move || host.remote_changes_applied(&id)).await;
            match result {
                Ok(Ok(())) => shared.emit(SyncEvent::RemoteChange { trajectory: t }),
                Ok(Err(e)) => {
                    tracing::error!(trajectory = %t, error = %e, "could not store merged changes");
                    shared.emit(SyncEvent::Error {
                        trajectory: Some(t),
                        device: None,
                        message: format!("could not store merged changes: {e}"),
                    });
                }
                Err(e) => {
                    tracing::error!(trajectory = %t, error = %e, "storing merged changes failed");
                }
            }
        }
    }
}

/// Saves the address book every few seconds while hints change.
async fn keep_address_book(shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => shared.save_address_book(false),
            _ = shutdown.wait_for(|v| *v) => {
                shared.save_address_book(true);
                return;
            }
        }
    }
}

/// Writes the live address file now and whenever the addresses change.
async fn publish_live(shared: Arc<Shared>, dir: std::path::PathBuf) {
    let mut watcher = shared.endpoint.watch_addr();
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        let info = live::LiveInfo {
            device: shared.me.to_string(),
            pid: std::process::id(),
            addrs: shared.own_addrs(),
            relay: shared.own_relay(),
        };
        if let Err(e) = live::write_live(&dir, &shared.me, &info) {
            tracing::warn!(dir = %dir.display(), error = %e, "could not publish live addresses");
        }
        tokio::select! {
            r = watcher.updated() => if r.is_err() { return },
            _ = shutdown.wait_for(|v| *v) => return,
        }
    }
}

impl SyncHandle {
    /// This device's id (its endpoint id).
    pub fn device_id(&self) -> DeviceId {
        self.shared.me
    }

    /// The iroh endpoint (for diagnostics and tests).
    pub fn endpoint(&self) -> &Endpoint {
        &self.shared.endpoint
    }

    /// This device's current direct addresses.
    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.shared.own_addrs()
    }

    /// A ticket inviting to `trajectory`, with this peer's current addresses.
    pub fn ticket(&self, trajectory: &TrajectoryId, title: &str) -> Result<Ticket, SyncError> {
        let secret = self
            .shared
            .host
            .join_secret(trajectory)
            .ok_or_else(|| SyncError::UnknownTrajectory(trajectory.clone()))?;
        Ok(Ticket {
            trajectory: trajectory.clone(),
            secret,
            inviter: self.shared.me,
            addrs: self.shared.own_addrs(),
            relay: self.shared.own_relay(),
            title: title.to_string(),
        })
    }

    /// Subscribes to driver events.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.shared.events.subscribe()
    }

    /// Tells sync that `trajectory` changed locally (or is new): connected peers get the
    /// change at once, and new trajectories are offered to their known devices.
    pub fn local_change(&self, trajectory: &TrajectoryId) {
        self.shared
            .broadcast(None, ConnCmd::LocalChange(trajectory.clone()));
        self.shared.mesh_wake.notify_one();
    }

    /// Tells sync that the set of trajectories or their device lists changed.
    pub fn trajectories_changed(&self) {
        self.shared.broadcast(None, ConnCmd::Rescan);
        self.shared.mesh_wake.notify_one();
    }

    /// Connects to a ticket's inviter for its trajectory and keeps that connection up.
    /// The host must already serve the trajectory (an empty document with the ticket's
    /// secret); sync then fills it.
    pub fn join(&self, ticket: &Ticket) -> Result<(), SyncError> {
        if self.shared.host.join_secret(&ticket.trajectory).is_none() {
            return Err(SyncError::UnknownTrajectory(ticket.trajectory.clone()));
        }
        self.dial(
            ticket.inviter,
            &ticket.addrs,
            ticket.relay.as_deref(),
            Some(&ticket.trajectory),
        )
    }

    /// Dials a device explicitly (regardless of which id is lower) and keeps it connected.
    /// `trajectory`: offer this trajectory to it even if the document does not list it.
    pub fn dial(
        &self,
        device: DeviceId,
        addrs: &[SocketAddr],
        relay: Option<&str>,
        trajectory: Option<&TrajectoryId>,
    ) -> Result<(), SyncError> {
        if iroh::EndpointId::from_bytes(device.as_bytes()).is_err() {
            return Err(SyncError::InvalidDevice);
        }
        if device == self.shared.me {
            return Ok(());
        }
        {
            let mut st = self.shared.state();
            st.hints
                .entry(device)
                .or_default()
                .extend(addrs.iter().copied());
            self.shared
                .book_dirty
                .store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(r) = relay {
                st.relay_hints.insert(device, r.to_string());
            }
            let targets = st.explicit.entry(device).or_default();
            if let Some(t) = trajectory {
                targets.insert(t.clone());
            }
        }
        self.shared.broadcast(None, ConnCmd::Rescan);
        self.shared.mesh_wake.notify_one();
        Ok(())
    }

    /// Dials every known device of `trajectory` explicitly (for a one-shot `sync`).
    pub fn dial_known(&self, trajectory: &TrajectoryId) {
        for d in self.shared.host.known_devices(trajectory) {
            if d != self.shared.me {
                let _ = self.dial(d, &[], None, None);
            }
        }
    }

    /// Sets this device's presence for a trajectory and sends it to connected peers.
    pub fn set_presence(&self, trajectory: &TrajectoryId, presence: LocalPresence) {
        let changed = {
            let mut st = self.shared.state();
            st.local_presence
                .insert(trajectory.clone(), presence.clone())
                != Some(presence)
        };
        if changed {
            self.shared
                .broadcast(None, ConnCmd::Presence(trajectory.clone()));
        }
    }

    /// The presence of connected peers for a trajectory, sorted by device.
    pub fn presence(&self, trajectory: &TrajectoryId) -> Vec<PeerPresence> {
        let st = self.shared.state();
        let mut out: Vec<PeerPresence> = st
            .presence
            .get(trajectory)
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default();
        out.sort_by_key(|p| p.device);
        out
    }

    /// Connected peers that sync `trajectory`, and whether each is in sync.
    pub fn peers(&self, trajectory: &TrajectoryId) -> Vec<PeerStatus> {
        let st = self.shared.state();
        let mut out: Vec<PeerStatus> = Vec::new();
        for c in st.conns.values().filter(|c| c.granted.contains(trajectory)) {
            let in_sync = c.in_sync.contains(trajectory);
            match out.iter_mut().find(|p| p.device == c.remote) {
                Some(p) => p.in_sync |= in_sync,
                None => out.push(PeerStatus {
                    device: c.remote,
                    in_sync,
                }),
            }
        }
        out.sort_by_key(|p| p.device);
        out
    }

    /// Connected devices (any trajectory).
    pub fn connected_devices(&self) -> Vec<DeviceId> {
        let st = self.shared.state();
        let set: BTreeSet<DeviceId> = st
            .conns
            .values()
            .filter(|c| c.ready)
            .map(|c| c.remote)
            .collect();
        set.into_iter().collect()
    }

    /// Waits until at least one peer syncs `trajectory` and every connected peer that
    /// syncs it last reported exactly this device's current heads. Returns the number of
    /// such peers.
    pub async fn wait_in_sync(
        &self,
        trajectory: &TrajectoryId,
        timeout: Duration,
    ) -> Result<usize, WaitError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut status = self.shared.status.subscribe();
        loop {
            status.borrow_and_update();
            let (peers, synced) = self.shared.sync_counts(trajectory);
            if peers > 0 && synced == peers {
                return Ok(peers);
            }
            if self.shared.is_shutting_down() {
                return Err(WaitError::Stopped);
            }
            match tokio::time::timeout_at(deadline, status.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return Err(WaitError::Stopped),
                Err(_) => {
                    return Err(if peers == 0 {
                        WaitError::NoPeer(trajectory.clone())
                    } else {
                        WaitError::NotInSync {
                            trajectory: trajectory.clone(),
                            peers,
                            pending: peers - synced,
                        }
                    });
                }
            }
        }
    }

    /// Stops the peer: says bye to every peer (finishing streams so nothing in flight is
    /// lost), stops dialing and accepting, waits for pending writes through the host, and
    /// removes the live address file.
    pub async fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
        // Let connections say bye and finish their streams.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        let mut status = self.shared.status.subscribe();
        while !self.shared.state().conns.is_empty() {
            if tokio::time::timeout_at(deadline, status.changed())
                .await
                .is_err()
            {
                let left: Vec<String> = self
                    .shared
                    .state()
                    .conns
                    .values()
                    .map(|c| {
                        format!(
                            "{}{}",
                            c.remote.short(),
                            if c.ready { "" } else { " (not ready)" }
                        )
                    })
                    .collect();
                tracing::debug!(?left, "connections still open at shutdown");
                break;
            }
        }
        let router = self
            .inner
            .router
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Closing the endpoint waits for close acknowledgements; connections to live
        // peers were closed above, so only dial attempts that peers made to stopped devices
        // can hold it up (up to 3 s in iroh). Wait at most 1 s, but never cancel the close:
        // dropping `Router::shutdown` half-way aborts the router task inside
        // `Endpoint::close`, and the endpoint is later dropped unclosed (iroh logs "Endpoint
        // dropped without calling `Endpoint::close`"). The close runs in its own task and
        // finishes in the background if it takes longer.
        if let Some(router) = router {
            let mut closing = tokio::spawn(async move { router.shutdown().await });
            match tokio::time::timeout(Duration::from_secs(1), &mut closing).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::warn!(error = %e, "router shutdown failed"),
                Ok(Err(e)) => tracing::warn!(error = %e, "router shutdown task failed"),
                Err(_) => {
                    tracing::debug!(
                        "endpoint close not acknowledged within 1 s; finishing in the background"
                    );
                }
            }
        }
        // Stop the persister after it drained, then the other tasks.
        self.shared
            .persist_tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let tasks: Vec<_> = std::mem::take(
            &mut *self
                .inner
                .tasks
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for t in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
        }
        if let Some(dir) = &self.shared.config.live_dir {
            live::remove_live(dir, &self.shared.me);
        }
        tracing::info!(device = %self.shared.me, "sync peer stopped");
    }
}
