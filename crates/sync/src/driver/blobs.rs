//! Photo transfer on one connection: which photos to ask this peer for, and the blocking
//! host calls (read, list, store) moved off the async tasks.
//!
//! After sync rounds (remote changes merged, or the trajectory in sync with the peer) the
//! connection asks the host which photos of the trajectory are missing and requests them
//! from the peer, a few at a time; a photo is fetched by one connection at a time across
//! the whole peer ([`Shared::claim_blob`]). Photos the peer does not have (or sent wrongly)
//! are not asked from it again on this connection.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::SyncEvent;
use crate::blob::BlobHash;
use crate::driver::shared::{ConnCmd, Shared};
use crate::ids::TrajectoryId;
use crate::proto::{MAX_PENDING_BLOBS, Session};

/// Photo bookkeeping of one connection.
#[derive(Debug)]
pub(crate) struct BlobFetch {
    conn: u64,
    /// This connection's own command channel (results of blocking host calls come back here).
    tx: mpsc::UnboundedSender<ConnCmd>,
    /// Trajectories whose missing photos are being listed; `true`: list again afterwards.
    listing: HashMap<TrajectoryId, bool>,
    /// Photos this peer did not have or sent wrongly.
    skip: BTreeSet<(TrajectoryId, BlobHash)>,
}

impl BlobFetch {
    pub(crate) fn new(conn: u64, tx: mpsc::UnboundedSender<ConnCmd>) -> Self {
        Self {
            conn,
            tx,
            listing: HashMap::new(),
            skip: BTreeSet::new(),
        }
    }

    /// Lists the trajectory's missing photos (on a blocking thread), unless a listing runs;
    /// then it runs once more when that one is done.
    pub(crate) fn schedule(&mut self, shared: &Arc<Shared>, trajectory: &TrajectoryId) {
        if let Some(again) = self.listing.get_mut(trajectory) {
            *again = true;
            return;
        }
        self.listing.insert(trajectory.clone(), false);
        let host = shared.host.clone();
        let tx = self.tx.clone();
        let t = trajectory.clone();
        tokio::task::spawn_blocking(move || {
            let wanted = host.wanted_blobs(&t);
            let _ = tx.send(ConnCmd::WantBlobs(t, wanted));
        });
    }

    /// The host's missing photos: request what this connection may.
    pub(crate) fn wanted(
        &mut self,
        shared: &Arc<Shared>,
        session: &mut Session,
        trajectory: &TrajectoryId,
        hashes: Vec<BlobHash>,
    ) {
        for hash in hashes {
            if session.pending_blobs() >= MAX_PENDING_BLOBS {
                break;
            }
            if self.skip.contains(&(trajectory.clone(), hash))
                || session.is_blob_pending(trajectory, &hash)
                || !shared.claim_blob(self.conn, trajectory, hash)
            {
                continue;
            }
            if !session.request_blob(trajectory, hash) {
                shared.release_blob(self.conn, trajectory, hash);
            }
        }
        if self.listing.remove(trajectory) == Some(true) {
            self.schedule(shared, trajectory);
        }
    }

    /// The peer asked for a photo the trajectory references: read it on a blocking thread
    /// and answer through the connection.
    pub(crate) fn serve(&self, shared: &Arc<Shared>, trajectory: TrajectoryId, hash: BlobHash) {
        let host = shared.host.clone();
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let bytes = host.blob(&trajectory, &hash);
            let _ = tx.send(ConnCmd::BlobReady {
                trajectory,
                hash,
                bytes,
            });
        });
    }

    /// A verified photo arrived: store it on a blocking thread, then look for more.
    pub(crate) fn store(
        &self,
        shared: &Arc<Shared>,
        trajectory: TrajectoryId,
        hash: BlobHash,
        bytes: Vec<u8>,
    ) {
        let shared = shared.clone();
        let tx = self.tx.clone();
        let conn = self.conn;
        tokio::task::spawn_blocking(move || {
            let result = shared.host.store_blob(&trajectory, &hash, &bytes);
            shared.release_blob(conn, &trajectory, hash);
            match result {
                Ok(()) => {
                    tracing::debug!(trajectory = %trajectory, %hash, len = bytes.len(), "photo stored");
                    shared.emit(SyncEvent::BlobStored {
                        trajectory: trajectory.clone(),
                        hash,
                    });
                }
                Err(e) => {
                    tracing::warn!(trajectory = %trajectory, %hash, error = %e, "could not store a photo");
                    shared.emit(SyncEvent::Error {
                        trajectory: Some(trajectory.clone()),
                        device: None,
                        message: format!("could not store photo {hash}: {e}"),
                    });
                }
            }
            let _ = tx.send(ConnCmd::FetchBlobs(trajectory));
        });
    }

    /// The peer does not have a photo, or sent it wrongly: do not ask it again here.
    pub(crate) fn not_from_here(
        &mut self,
        shared: &Arc<Shared>,
        trajectory: TrajectoryId,
        hash: BlobHash,
    ) {
        shared.release_blob(self.conn, &trajectory, hash);
        self.skip.insert((trajectory, hash));
    }
}
