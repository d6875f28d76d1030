//! The tokio/iroh driver: endpoint, accepting and dialing, one task per connection, the
//! mesh with reconnects, persistence of merged changes through the host, presence, and
//! live address files.

mod address_book;
mod blobs;
pub mod config;
mod connection;
pub mod events;
mod handle;
pub mod live;
mod mesh;
mod shared;

pub use config::{InvalidRelayChoice, RelayChoice, SyncConfig};
pub use events::{LocalPresence, PeerPresence, PeerStatus, SyncEvent};
pub use handle::{SyncError, SyncHandle, WaitError, start};

/// The ALPN of the Leerrijk sync protocol, version 1.
pub const ALPN: &[u8] = b"leerrijk/sync/1";

/// The device id (endpoint id) that a 32-byte secret key gives, without starting anything.
pub fn device_id_for_key(secret_key: &[u8; 32]) -> crate::DeviceId {
    crate::DeviceId(*iroh::SecretKey::from_bytes(secret_key).public().as_bytes())
}
