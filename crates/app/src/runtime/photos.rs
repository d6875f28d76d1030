//! Waiting for photos after a one-shot sync (`join`, `sync`): the document arrives first,
//! the photos it references follow as blobs; a short-lived peer stays until they are here
//! or stop coming.

use std::sync::Arc;
use std::time::Duration;

use leerrijk_sync::{DocumentHost as _, SyncEvent, SyncHandle, TrajectoryId};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use crate::runtime::host::AppHost;

/// Without a photo arriving for this long, the peers are taken not to have the rest.
const IDLE: Duration = Duration::from_secs(3);

/// Waits until every photo the trajectory references is stored here, no photo arrived for a
/// few seconds (the connected peers do not have the rest), or `timeout` passed. Returns how
/// many are still missing.
pub async fn wait_for_photos(
    host: &Arc<AppHost>,
    sync: &SyncHandle,
    id: &TrajectoryId,
    timeout: Duration,
) -> usize {
    let mut events = sync.subscribe();
    let deadline = Instant::now() + timeout;
    let mut idle_until = Instant::now() + IDLE;
    loop {
        let (h, t) = (host.clone(), id.clone());
        let missing = tokio::task::spawn_blocking(move || h.wanted_blobs(&t).len())
            .await
            .unwrap_or(0);
        if missing == 0 {
            return 0;
        }
        let until = idle_until.min(deadline);
        if Instant::now() >= until {
            tracing::info!(trajectory = %id, missing, "photos not received (no connected peer has them now); they follow at a next sync");
            return missing;
        }
        match tokio::time::timeout_at(until, events.recv()).await {
            Ok(Ok(SyncEvent::BlobStored { trajectory, .. })) if trajectory == *id => {
                idle_until = Instant::now() + IDLE;
            }
            Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => {}
            Ok(Err(RecvError::Closed)) => return missing,
            Err(_) => {}
        }
    }
}
