//! Presence: who is online for a trajectory and which phase screen they look at.
//!
//! Presence is ephemeral: it travels only in [`crate::proto::Message::Presence`] frames and
//! is never written into the document.

use std::net::SocketAddr;

use crate::ids::{DeviceId, TrajectoryId};
use crate::proto::wire::{Reader, WireError, Writer};

/// Longest participant name carried in presence, in bytes (longer names are truncated).
pub const MAX_PRESENCE_NAME: usize = 128;
/// Most addresses carried per device.
pub const MAX_ADDRS: usize = 16;
/// Most peer hints carried in one presence message.
pub const MAX_PEER_HINTS: usize = 64;

/// One device's presence for one trajectory, as sent to peers that share the trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// The trajectory this presence is about.
    pub trajectory: TrajectoryId,
    /// The participant's display name on this device (may be empty, e.g. for `serve`).
    pub name: String,
    /// The phase screen (1–5) the participant looks at, if any.
    pub phase: Option<u8>,
    /// The sender's own direct addresses, so others can dial it later.
    pub addrs: Vec<SocketAddr>,
    /// Other devices the sender currently syncs this trajectory with, so receivers can
    /// complete the mesh.
    pub peers: Vec<PeerHint>,
}

/// A device another peer syncs with, and the addresses it can be reached at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerHint {
    /// The device.
    pub device: DeviceId,
    /// Its direct addresses as known to the sender.
    pub addrs: Vec<SocketAddr>,
}

impl Presence {
    pub(crate) fn encode(&self, w: &mut Writer) {
        w.trajectory(&self.trajectory);
        w.string(&self.name, MAX_PRESENCE_NAME);
        w.u8(self.phase.filter(|p| (1..=5).contains(p)).unwrap_or(0));
        encode_addrs(w, &self.addrs);
        let n = w.count(self.peers.len(), MAX_PEER_HINTS);
        for hint in self.peers.iter().take(n) {
            w.device(&hint.device);
            encode_addrs(w, &hint.addrs);
        }
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let trajectory = r.trajectory()?;
        let name = r.string(MAX_PRESENCE_NAME)?;
        let phase = match r.u8()? {
            0 => None,
            p @ 1..=5 => Some(p),
            _ => return Err(WireError::Invalid("phase")),
        };
        let addrs = decode_addrs(r)?;
        let n = r.count(MAX_PEER_HINTS, 34)?;
        let mut peers = Vec::with_capacity(n);
        for _ in 0..n {
            let device = r.device()?;
            let addrs = decode_addrs(r)?;
            peers.push(PeerHint { device, addrs });
        }
        Ok(Self {
            trajectory,
            name,
            phase,
            addrs,
            peers,
        })
    }
}

fn encode_addrs(w: &mut Writer, addrs: &[SocketAddr]) {
    let n = w.count(addrs.len(), MAX_ADDRS);
    for a in addrs.iter().take(n) {
        w.socket_addr(a);
    }
}

fn decode_addrs(r: &mut Reader<'_>) -> Result<Vec<SocketAddr>, WireError> {
    let n = r.count(MAX_ADDRS, 7)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(r.socket_addr()?);
    }
    Ok(out)
}
