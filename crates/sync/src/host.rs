//! The interface the application implements so sync can reach its documents.

use crate::blob::BlobHash;
use crate::ids::{DeviceId, JoinSecret, TrajectoryId};

/// Error reported by a [`DocumentHost`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The host does not (or no longer) serve this trajectory.
    #[error("trajectory {0} is not available")]
    UnknownTrajectory(TrajectoryId),
    /// Anything else (storage failure, ...), as one line for logs and the UI.
    #[error("{0}")]
    Other(String),
}

/// What sync needs from the application: the served documents, their join secrets and the
/// devices that act for their participants.
///
/// Sync never imports the store; the application implements this trait over its store and
/// model. All methods are called from async tasks, so they must return quickly: keep
/// documents in memory and do durable writes in [`DocumentHost::remote_changes_applied`]
/// (which sync calls from a blocking-friendly thread).
pub trait DocumentHost: Send + Sync + 'static {
    /// All trajectories this device serves. May grow while running; sync re-reads it when
    /// told through [`crate::SyncHandle::local_change`] or
    /// [`crate::SyncHandle::trajectories_changed`].
    fn trajectories(&self) -> Vec<TrajectoryId>;

    /// The 32-byte join secret of a served trajectory; `None` if the trajectory is unknown.
    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret>;

    /// Runs `f` with exclusive access to the document. The access is short and never held
    /// across awaits. Changes that `f` makes through the sync protocol are announced
    /// afterwards with [`DocumentHost::remote_changes_applied`].
    fn with_doc(
        &self,
        id: &TrajectoryId,
        f: &mut dyn FnMut(&mut automerge::AutoCommit),
    ) -> Result<(), HostError>;

    /// Checks the changes of an incoming sync message against the document as it is now,
    /// before any of them is applied. `Err` (one line: why) refuses the whole message: nothing
    /// is applied and the connection closes with
    /// [`CloseReason::ChangesRefused`](crate::proto::CloseReason::ChangesRefused). Called under
    /// [`DocumentHost::with_doc`] with its document; must not lock it again.
    fn check_incoming(
        &self,
        id: &TrajectoryId,
        doc: &automerge::AutoCommit,
        changes: &[&[u8]],
    ) -> Result<(), String>;

    /// Called after changes from a peer were merged into the document: the host stores
    /// them durably and notifies its UI. Called on a blocking thread (it may fsync); calls
    /// for the same trajectory are coalesced while one is running.
    fn remote_changes_applied(&self, id: &TrajectoryId) -> Result<(), HostError>;

    /// The devices that act for this trajectory's participants (from the document's
    /// participant records). Sync dials them to form a mesh.
    fn known_devices(&self, id: &TrajectoryId) -> Vec<DeviceId>;

    /// Called on a blocking thread when a connection found that the document has exactly
    /// the heads the peer last reported: everything that peer has is here now. The host
    /// may use it to clear a "something is missing" state (a damaged file whose content a
    /// teammate was to bring back). The default does nothing.
    fn in_step_with_peer(&self, id: &TrajectoryId) {
        let _ = id;
    }

    /// Whether the trajectory's document references the photo `hash` (an image record holds
    /// it). Sync serves and accepts only referenced photos. Called from async tasks: read
    /// the in-memory document, no IO. The default references nothing (no photos travel).
    fn references_blob(&self, id: &TrajectoryId, hash: &BlobHash) -> bool {
        let _ = (id, hash);
        false
    }

    /// The bytes of a photo this trajectory references, if stored here. Called on a
    /// blocking thread (it may read a file), only after [`DocumentHost::references_blob`]
    /// said yes. Bytes whose hash does not match, or over [`crate::blob::MAX_BLOB_LEN`],
    /// are not sent.
    fn blob(&self, id: &TrajectoryId, hash: &BlobHash) -> Option<Vec<u8>> {
        let _ = (id, hash);
        None
    }

    /// Photos the trajectory references that are not stored here yet. Called on a blocking
    /// thread after sync rounds; sync asks connected peers for them.
    fn wanted_blobs(&self, id: &TrajectoryId) -> Vec<BlobHash> {
        let _ = id;
        Vec::new()
    }

    /// Stores a photo that arrived from a peer. Sync has checked that the trajectory
    /// references it, that it is at most [`crate::blob::MAX_BLOB_LEN`] bytes and that its
    /// BLAKE3 hash is `hash`. Called on a blocking thread.
    fn store_blob(
        &self,
        id: &TrajectoryId,
        hash: &BlobHash,
        bytes: &[u8],
    ) -> Result<(), HostError> {
        let _ = (id, hash, bytes);
        Err(HostError::Other("this host stores no photos".into()))
    }
}
