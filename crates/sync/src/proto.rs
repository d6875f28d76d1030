//! The sans-IO protocol core: frames, messages, join proofs, presence and the
//! per-connection [`Session`] state machine.
//!
//! Nothing here touches a socket, a clock or an async runtime; the driver feeds bytes in and
//! writes the session's output out. That keeps every protocol rule unit-testable without a
//! network.

pub mod auth;
pub mod frame;
pub mod limits;
pub mod message;
pub mod presence;
pub mod session;
pub(crate) mod wire;

pub use frame::{
    FrameDecoder, FrameError, MAX_FRAME_LEN, decode_header, decode_header_max, encode_frame,
    encode_frame_max,
};
pub use limits::{Limits, MAX_SYNC_MESSAGE_LEN, MAX_UNAUTHENTICATED_FRAME_LEN, MIN_FRAME_LEN};
pub use message::{CloseReason, Message, PROTOCOL_VERSION, RefuseReason, SYNC_PART_OVERHEAD};
pub use presence::{PeerHint, Presence};
pub use session::{MAX_PENDING_BLOBS, MAX_SERVING_BLOBS, Output, Session, SessionEvent};
pub use wire::WireError;
