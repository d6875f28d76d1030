//! Leerrijk sync: peer-to-peer exchange of trajectory documents over iroh.
//!
//! (Crate documentation is completed below once the driver lands.)

pub mod host;
pub mod ids;
pub mod proto;

pub use host::{DocumentHost, HostError};
pub use ids::{DeviceId, InvalidDeviceId, InvalidTrajectoryId, JoinSecret, TrajectoryId};
pub mod ticket;
pub use ticket::{Ticket, TicketError};
