//! Leerrijk sync: peer-to-peer exchange of trajectory documents over iroh.
//!
//! (Crate documentation is completed below once the driver lands.)

pub mod driver;
pub mod host;
pub mod ids;
pub mod proto;

pub use host::{DocumentHost, HostError};
pub use ids::{DeviceId, InvalidDeviceId, InvalidTrajectoryId, JoinSecret, TrajectoryId};
pub mod ticket;
pub use driver::{
    ALPN, LocalPresence, PeerPresence, PeerStatus, RelayChoice, SyncConfig, SyncError, SyncEvent,
    SyncHandle, WaitError, start,
};
pub use ticket::{Ticket, TicketError};
