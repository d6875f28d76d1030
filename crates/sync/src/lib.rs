//! Leerrijk sync: peer-to-peer exchange of trajectory documents over iroh, with no server.
//!
//! Two layers:
//! - [`proto`]: the sans-IO core. Length-prefixed frames with a hard 16 MiB cap checked
//!   before allocating, the message set (`Hello`, `Prove`, `Refuse`, `Sync`, `SyncPart`,
//!   `Presence`, `BlobRequest`, `Blob`, `Bye`), HMAC-SHA256 join proofs and the
//!   per-connection [`proto::Session`] state machine with one automerge sync state per
//!   trajectory. No tokio, no iroh; unit-tested without a network. A sync message larger
//!   than a frame (automerge sends a whole document at once to a peer that lacks most of it)
//!   travels as consecutive `SyncPart` frames and is applied only when complete, up to
//!   [`proto::MAX_SYNC_MESSAGE_LEN`] (256 MiB); see [`proto::session`].
//!
//!   Before a peer has proved a join secret on a connection, it gets little: frames are
//!   capped at [`proto::MAX_UNAUTHENTICATED_FRAME_LEN`] (64 KiB), at most 32 incoming
//!   connections may wait for a proof at once (more are closed with `Busy`), a wrong secret
//!   and an unknown trajectory get the same refusal (existence cannot be probed), and
//!   refusals are logged once per peer per minute.
//! - [`driver`]: tokio + iroh. An endpoint whose id is the device id, ALPN [`ALPN`], one
//!   bidirectional stream per connection (read and written concurrently), a mesh that dials
//!   the devices of every served trajectory and reconnects with backoff, optional mDNS, relay
//!   choice, live address files and an address book.
//!
//! Sync does not know the store or the model: the application implements
//! [`DocumentHost`] over them and keeps the [`SyncHandle`] that [`start`] returns.
//!
//! # Using it from the application
//!
//! ```no_run
//! # use std::sync::Arc;
//! # async fn demo(host: Arc<dyn leerrijk_sync::DocumentHost>, key: [u8; 32],
//! #     id: leerrijk_sync::TrajectoryId) -> Result<(), Box<dyn std::error::Error>> {
//! use leerrijk_sync::{SyncConfig, SyncEvent, RelayChoice};
//! let mut config = SyncConfig::new(key);          // the store's identity key
//! config.relay = "off".parse::<RelayChoice>()?;   // --relay off|default|URL
//! config.live_dir = Some("/data/live".into());     // for `invite` in other processes
//! config.address_book = Some("/data/peers.json".into());
//! let sync = leerrijk_sync::start(config, host).await?;
//! let mut events = sync.subscribe();
//! // After a local edit (or after the store saw another process write):
//! sync.local_change(&id);
//! // In the UI loop:
//! while let Ok(event) = events.try_recv() {
//!     if let SyncEvent::RemoteChange { trajectory } = event { /* reload, request_repaint */ }
//! }
//! sync.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Joining with a ticket: parse it ([`Ticket`]), create an empty document for the ticket's
//! trajectory with its secret in the store, call [`SyncHandle::join`], wait with
//! [`SyncHandle::wait_in_sync`], then register the participant and this device in the
//! document through the model and call [`SyncHandle::local_change`].
//!
//! # Access
//!
//! Each side proves knowledge of the trajectory's 32-byte join secret with
//! `HMAC-SHA256(secret, label ‖ prover id ‖ verifier id ‖ trajectory id ‖ prover nonce ‖
//! verifier nonce)` ([`proto::auth`]); endpoint ids are authenticated by QUIC/TLS and both
//! nonces are fresh per connection. Only trajectories proven by both sides are synced on a
//! connection. Unknown trajectory or wrong proof: that trajectory is refused; if nothing is
//! left, the connection closes with a reason. Malformed or oversized frames, a wrong
//! protocol version or an undecodable sync message close the connection with a reason
//! ([`proto::CloseReason`], also the QUIC close code); nothing is applied and the peer keeps
//! serving everyone else.
//!
//! # Photos
//!
//! Documents hold only the BLAKE3 hash of each photo ([`BlobHash`]); the bytes stay in the
//! application's blob store. After sync rounds each connection asks the host which photos
//! of a trajectory are missing ([`DocumentHost::wanted_blobs`]) and requests them from the
//! peer (`BlobRequest`), a few at a time and one connection per photo. A peer serves only
//! trajectories both sides proved and only photos that trajectory references
//! ([`DocumentHost::references_blob`]), at most [`MAX_BLOB_LEN`] bytes; the receiver checks
//! the size and the hash before [`DocumentHost::store_blob`] and announces
//! [`SyncEvent::BlobStored`]. A photo that is too large, unrequested or does not match its
//! hash is refused and logged; the connection stays up.
//!
//! # Mesh and presence
//!
//! A peer offers a trajectory to devices listed in it ([`DocumentHost::known_devices`]),
//! to devices other members report in their presence, and to explicit dial targets
//! (tickets). The lower device id dials first; the higher one dials after a grace period.
//! Sync states start fresh on every connection. Merged changes are passed on to the other
//! connected peers at once, persisted through [`DocumentHost::remote_changes_applied`], and
//! announced as [`SyncEvent::RemoteChange`]. Presence (name, phase screen, addresses) is
//! ephemeral: it is never written into the document ([`SyncHandle::set_presence`],
//! [`SyncHandle::presence`]).

pub mod blob;
pub mod driver;
pub mod host;
pub mod ids;
pub mod proto;
pub mod ticket;

pub use blob::{BlobHash, InvalidBlobHash, MAX_BLOB_LEN};
pub use driver::live::{LiveInfo, live_ticket, read_live};
pub use driver::{
    ALPN, InvalidRelayChoice, LocalPresence, PeerPresence, PeerStatus, RelayChoice, SyncConfig,
    SyncError, SyncEvent, SyncHandle, WaitError, device_id_for_key, start,
};
pub use host::{DocumentHost, HostError};
pub use ids::{DeviceId, InvalidDeviceId, InvalidTrajectoryId, JoinSecret, TrajectoryId};
pub use ticket::{Ticket, TicketError};
