//! What the sync driver tells the application.

use crate::ids::{DeviceId, TrajectoryId};
use crate::proto::CloseReason;

/// An event from the sync driver, delivered on the channel from
/// [`crate::SyncHandle::subscribe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// Changes from a peer were merged and [`crate::DocumentHost::remote_changes_applied`]
    /// returned successfully: the UI can re-read the document.
    RemoteChange {
        /// The trajectory that changed.
        trajectory: TrajectoryId,
    },
    /// A device is connected (its first connection completed the hello exchange).
    PeerConnected {
        /// The device.
        device: DeviceId,
    },
    /// A device's last connection closed.
    PeerDisconnected {
        /// The device.
        device: DeviceId,
    },
    /// A trajectory is synced with a device (both proved its join secret).
    TrajectoryOpened {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The device.
        device: DeviceId,
    },
    /// A trajectory was refused on a connection.
    Refused {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The device.
        device: DeviceId,
        /// Why, as one line.
        reason: String,
        /// `true` if the peer refused, `false` if we did.
        by_peer: bool,
    },
    /// Whether this device and a peer have the same heads for a trajectory.
    SyncStatus {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The peer.
        device: DeviceId,
        /// `true` when both have the same heads.
        in_sync: bool,
    },
    /// Presence for a trajectory changed; read it with [`crate::SyncHandle::presence`].
    PresenceChanged {
        /// The trajectory.
        trajectory: TrajectoryId,
    },
    /// A photo arrived from a peer (hash checked) and the host stored it.
    BlobStored {
        /// The trajectory whose image references it.
        trajectory: TrajectoryId,
        /// The photo's BLAKE3 hash.
        hash: crate::blob::BlobHash,
    },
    /// A peer's changes broke the document's limits: none of them was applied and the
    /// connection was closed. The app says so (the peer's laptop may run a modified app).
    ChangesRefused {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The device that sent them.
        device: DeviceId,
        /// Why, as one line.
        reason: String,
    },
    /// A connection closed for a reason other than an orderly shutdown.
    ConnectionClosed {
        /// The peer.
        device: DeviceId,
        /// The reason.
        reason: CloseReason,
        /// Detail for logs.
        detail: String,
        /// `true` if the peer closed it.
        by_peer: bool,
    },
    /// A problem that the user may need to know about.
    Error {
        /// The trajectory concerned, if any.
        trajectory: Option<TrajectoryId>,
        /// The device concerned, if any.
        device: Option<DeviceId>,
        /// One line.
        message: String,
    },
}

/// A remote participant's presence for one trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerPresence {
    /// The device.
    pub device: DeviceId,
    /// The participant's display name (may be empty).
    pub name: String,
    /// The phase screen (1–5) they look at, if any.
    pub phase: Option<u8>,
}

/// This device's presence for one trajectory, set with [`crate::SyncHandle::set_presence`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalPresence {
    /// The participant's display name.
    pub name: String,
    /// The phase screen (1–5) being viewed, if any.
    pub phase: Option<u8>,
}

/// One connected peer's sync state for a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerStatus {
    /// The peer.
    pub device: DeviceId,
    /// `true` when both have the same heads.
    pub in_sync: bool,
}
