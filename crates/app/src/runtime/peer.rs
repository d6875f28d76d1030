//! Starting a sync peer for a data directory.

use std::sync::Arc;

use leerrijk_sync::{RelayChoice, SyncConfig, SyncHandle, TrajectoryId};

use crate::hub::{ChangeOrigin, Hub, HubEvent};
use crate::runtime::host::AppHost;

/// What kind of peer this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerRole {
    /// The data directory's long-running peer (`serve`, the desktop app): it publishes its
    /// live addresses for `invite` and keeps its UDP port across restarts.
    Serve,
    /// A short-lived peer (`join`, `sync`): it publishes nothing, so it never shadows a
    /// running `serve` of the same data directory.
    OneShot,
}

/// Network options from the command line.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Relay servers.
    pub relay: RelayChoice,
    /// LAN discovery with mDNS.
    pub mdns: bool,
}

/// Starts a sync peer over `host` and forwards the hub's changes to it: edits in this
/// process and writes by other processes go to peers at once, new trajectories are offered.
pub async fn start_peer(
    host: &Arc<AppHost>,
    net: &NetOptions,
    role: PeerRole,
) -> anyhow::Result<SyncHandle> {
    let hub = host.hub().clone();
    let data_dir = hub.library().data_dir();
    let key = data_dir.identity_key()?;
    let mut config = SyncConfig::new(key);
    config.relay = net.relay.clone();
    config.mdns = net.mdns;
    config.address_book = Some(data_dir.path().join("peers.json"));
    if role == PeerRole::Serve {
        config.live_dir = Some(data_dir.path().join("live"));
    }
    let dyn_host: Arc<dyn leerrijk_sync::DocumentHost> = host.clone();
    let sync = leerrijk_sync::start(config, dyn_host).await?;
    forward_hub_events(&hub, &sync);
    Ok(sync)
}

fn forward_hub_events(hub: &Hub, sync: &SyncHandle) {
    let sync = sync.clone();
    hub.subscribe(move |event| match event {
        HubEvent::Changed { trajectory, origin } if *origin != ChangeOrigin::Peer => {
            if let Ok(id) = TrajectoryId::new(trajectory.as_str()) {
                sync.local_change(&id);
            }
        }
        HubEvent::Added(trajectory) => {
            sync.trajectories_changed();
            if let Ok(id) = TrajectoryId::new(trajectory.as_str()) {
                sync.local_change(&id);
            }
        }
        HubEvent::Changed { .. } => {}
    });
}
