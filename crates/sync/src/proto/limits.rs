//! Size limits of one connection: the frame cap and the cap on a sync message that travels
//! in parts.

use crate::proto::frame::MAX_FRAME_LEN;

/// Largest automerge sync message accepted from (or sent to) a peer, reassembled from
/// `SyncPart` frames: 256 MiB. It is also the most a connection buffers for reassembly, over
/// all trajectories together.
pub const MAX_SYNC_MESSAGE_LEN: usize = 256 * 1024 * 1024;

/// Largest frame accepted from a peer before it proved the join secret of any trajectory on
/// the connection: 64 KiB. Everything a correct peer sends before that (`Hello`, `Prove`,
/// `Refuse`, `Bye`) is far smaller, so an unauthenticated peer cannot make this device
/// buffer large frames.
pub const MAX_UNAUTHENTICATED_FRAME_LEN: usize = 64 * 1024;

/// Smallest frame cap [`Limits`] accepts; smaller values are raised to it, so that a part
/// always has room for its header and some data.
pub const MIN_FRAME_LEN: usize = 1024;

/// The size limits a [`crate::proto::Session`] works with.
///
/// Both peers of a connection must use the same frame cap: a sender splits its sync messages
/// by its own cap, and a receiver closes the connection on a frame over its cap. The
/// product always uses [`Limits::default`]; smaller caps exist so tests can exercise the
/// split path with small documents. Messages other than sync messages (presence, photos) are
/// not split: with a frame cap below [`crate::MAX_BLOB_LEN`] large photos cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest frame payload sent or accepted, at most [`MAX_FRAME_LEN`] (the default) and
    /// at least [`MIN_FRAME_LEN`].
    pub max_frame_len: usize,
    /// Largest sync message sent or reassembled, and the most a connection buffers for
    /// reassembly; at most [`MAX_SYNC_MESSAGE_LEN`] (the default).
    pub max_sync_message_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_len: MAX_FRAME_LEN,
            max_sync_message_len: MAX_SYNC_MESSAGE_LEN,
        }
    }
}

impl Limits {
    /// The limits with every value moved into its allowed range.
    pub fn clamped(self) -> Self {
        Self {
            max_frame_len: self.max_frame_len.clamp(MIN_FRAME_LEN, MAX_FRAME_LEN),
            max_sync_message_len: self.max_sync_message_len.min(MAX_SYNC_MESSAGE_LEN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_keeps_values_in_range() {
        let l = Limits {
            max_frame_len: 1,
            max_sync_message_len: usize::MAX,
        }
        .clamped();
        assert_eq!(l.max_frame_len, MIN_FRAME_LEN);
        assert_eq!(l.max_sync_message_len, MAX_SYNC_MESSAGE_LEN);
        let l = Limits {
            max_frame_len: usize::MAX,
            max_sync_message_len: 10,
        }
        .clamped();
        assert_eq!(l.max_frame_len, MAX_FRAME_LEN);
        assert_eq!(l.max_sync_message_len, 10);
        assert_eq!(Limits::default().clamped(), Limits::default());
    }
}
