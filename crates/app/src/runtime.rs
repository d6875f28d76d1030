//! The sync runtime: wires the peer-to-peer sync driver (`leerrijk-sync`) to the hub.
//!
//! * [`host::AppHost`] implements [`leerrijk_sync::DocumentHost`] over the [`crate::hub::Hub`]
//!   (and documents being joined, which are not on disk yet).
//! * [`peer`] starts a sync peer for a data directory and forwards hub events (edits in
//!   this process, writes by other processes, new trajectories) to it.
//! * [`join`] joins a trajectory from a ticket: sync it, store it, register the participant
//!   and this device.
//! * Photos: [`host::AppHost`] serves and stores the blobs the documents reference; sync
//!   fetches missing ones after each round; [`photos::wait_for_photos`] lets the one-shot
//!   commands stay until they arrived.
//!
//! Files in the data directory used by sync: `live/<device-id>.json` (the running peer's
//! addresses, for `invite` in other processes) and `peers.json` (the address book).

pub mod host;
pub mod join;
pub mod peer;
pub mod photos;
