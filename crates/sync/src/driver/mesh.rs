//! The mesh: keep a connection to every device we share a trajectory with.
//!
//! Devices come from the documents ([`crate::DocumentHost::known_devices`]), from peers'
//! presence (devices they sync with) and from explicit dials (tickets, `sync`). The lower
//! device id dials; the higher one waits [`crate::SyncConfig::dial_grace`] first and then
//! dials too, in case the lower one is in a long backoff or cannot reach it. Explicit
//! targets are dialed at once. Failed attempts back off exponentially with jitter.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::driver::ALPN;
use crate::driver::connection;
use crate::driver::shared::Shared;
use crate::ids::DeviceId;

/// How often the mesh re-reads the documents' device lists without being woken.
const RESCAN: Duration = Duration::from_secs(5);
/// Scans at most this often, so a burst of changes costs one scan.
const MIN_SCAN_INTERVAL: Duration = Duration::from_millis(100);

/// Re-reads the wanted devices and starts a dial task for each new one.
pub(crate) async fn mesh_loop(shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        if shared.is_shutting_down() {
            return;
        }
        let wanted = shared.scan_wanted();
        let start: Vec<DeviceId> = {
            let mut st = shared.state();
            wanted
                .into_iter()
                .filter(|d| st.dialers.insert(*d))
                .collect()
        };
        for device in start {
            tokio::spawn(dial_task(shared.clone(), device));
        }
        let scanned = Instant::now();
        let woken = tokio::select! {
            _ = shared.mesh_wake.notified() => true,
            _ = tokio::time::sleep(RESCAN) => false,
            _ = shutdown.wait_for(|v| *v) => return,
        };
        if woken && scanned.elapsed() < MIN_SCAN_INTERVAL && !explicit_waiting(&shared) {
            // Coalesce bursts (every local edit wakes us) into one scan per interval; an
            // explicit dial (a ticket, `sync`) is not held back by that.
            tokio::time::sleep(MIN_SCAN_INTERVAL - scanned.elapsed()).await;
        }
    }
}

/// Whether an explicit dial target has no dial task yet.
fn explicit_waiting(shared: &Shared) -> bool {
    let st = shared.state();
    st.explicit.keys().any(|d| !st.dialers.contains(d))
}

fn jitter(d: Duration) -> Duration {
    let ms = d.as_millis() as u64;
    Duration::from_millis(ms + rand::random_range(0..=ms / 4 + 1))
}

/// Keeps one device connected while it is wanted.
async fn dial_task(shared: Arc<Shared>, device: DeviceId) {
    let cfg = shared.config.clone();
    let mut backoff = cfg.reconnect_min;
    let mut disconnected_since = Instant::now();
    let mut status = shared.status.subscribe();
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        if shared.is_shutting_down() || !shared.is_wanted(&device) {
            break;
        }
        if shared.is_connected(&device) {
            // Wait until something changes, then look again.
            tokio::select! {
                _ = status.changed() => {}
                _ = tokio::time::sleep(RESCAN) => {}
                _ = shutdown.wait_for(|v| *v) => break,
            }
            disconnected_since = Instant::now();
            backoff = cfg.reconnect_min;
            continue;
        }
        let explicit = shared.state().explicit.contains_key(&device);
        if !explicit && shared.me > device {
            let waited = disconnected_since.elapsed();
            if waited < cfg.dial_grace {
                tokio::select! {
                    _ = tokio::time::sleep(cfg.dial_grace - waited) => {}
                    _ = shutdown.wait_for(|v| *v) => break,
                }
                continue;
            }
        }
        let Some(addr) = shared.dial_addr(&device) else {
            tracing::warn!(peer = %device, "device id is not a valid endpoint id; not dialing");
            break;
        };
        tracing::debug!(peer = %device, ?addr, "dialing");
        let attempt =
            tokio::time::timeout(cfg.connect_timeout, shared.endpoint.connect(addr, ALPN));
        let result = tokio::select! {
            r = attempt => r,
            _ = shutdown.wait_for(|v| *v) => break,
        };
        let granted = match result {
            Ok(Ok(conn)) => {
                connection::run(shared.clone(), conn, true)
                    .await
                    .granted_any
            }
            Ok(Err(e)) => {
                tracing::debug!(peer = %device, error = %e, "dial failed");
                false
            }
            Err(_) => {
                tracing::debug!(peer = %device, "dial timed out");
                false
            }
        };
        if granted {
            backoff = cfg.reconnect_min;
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(jitter(backoff)) => {}
            _ = shutdown.wait_for(|v| *v) => break,
        }
        backoff = (backoff * 2).min(cfg.reconnect_max);
    }
    shared.state().dialers.remove(&device);
}
