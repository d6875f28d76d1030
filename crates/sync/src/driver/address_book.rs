//! The address book: where devices were last reachable, kept across restarts.
//!
//! mDNS finds devices on a LAN that allows multicast; the address book covers networks that
//! do not (and tests, which run without mDNS): a restarted peer can dial the devices of its
//! trajectories at their last known addresses at once. It also remembers this device's own
//! UDP port, so the next start can reuse it and older tickets and peers' address books stay
//! valid.
//!
//! Several processes may share one data directory, so saving merges with what is on disk
//! and replaces the file atomically.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::driver::live::write_atomic;
use crate::ids::DeviceId;

/// Most addresses remembered per device (newest first).
const MAX_PER_DEVICE: usize = 16;

/// The file content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AddressBook {
    /// This device's last UDP port.
    pub(crate) own_port: Option<u16>,
    /// Device id (hex) → addresses, newest first.
    pub(crate) devices: BTreeMap<String, Vec<SocketAddr>>,
}

impl AddressBook {
    /// Loads the book; a missing or unreadable file gives an empty book.
    pub(crate) fn load(path: &Path) -> Self {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "ignoring unreadable address book");
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    /// Addresses per device, skipping entries that are not device ids.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (DeviceId, &Vec<SocketAddr>)> {
        self.devices
            .iter()
            .filter_map(|(k, v)| k.parse::<DeviceId>().ok().map(|d| (d, v)))
    }

    /// Puts `addrs` first for `device`, keeping older ones behind them.
    pub(crate) fn remember(&mut self, device: &DeviceId, addrs: &[SocketAddr]) {
        let entry = self.devices.entry(device.to_string()).or_default();
        let mut merged: Vec<SocketAddr> = addrs.to_vec();
        merged.extend(entry.iter().filter(|a| !addrs.contains(a)));
        merged.dedup();
        merged.truncate(MAX_PER_DEVICE);
        *entry = merged;
    }

    /// Merges with the file on disk (ours win) and writes it atomically.
    pub(crate) fn save_merged(&self, path: &Path) -> std::io::Result<()> {
        let mut on_disk = Self::load(path);
        for (device, addrs) in self.entries() {
            on_disk.remember(&device, addrs);
        }
        if self.own_port.is_some() {
            on_disk.own_port = self.own_port;
        }
        let json = serde_json::to_vec_pretty(&on_disk).map_err(std::io::Error::other)?;
        write_atomic(path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remember_puts_new_addresses_first_and_caps() {
        let mut b = AddressBook::default();
        let d = DeviceId([1; 32]);
        let a1: SocketAddr = "10.0.0.1:1".parse().unwrap();
        let a2: SocketAddr = "10.0.0.2:2".parse().unwrap();
        b.remember(&d, &[a1]);
        b.remember(&d, &[a2]);
        assert_eq!(b.devices[&d.to_string()], vec![a2, a1]);
        let many: Vec<SocketAddr> = (0..40)
            .map(|p| SocketAddr::from(([10, 0, 0, 3], p)))
            .collect();
        b.remember(&d, &many);
        assert_eq!(b.devices[&d.to_string()].len(), MAX_PER_DEVICE);
    }

    #[test]
    fn saving_merges_with_other_processes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peers.json");
        let (d1, d2) = (DeviceId([1; 32]), DeviceId([2; 32]));
        let mut first = AddressBook::default();
        first.remember(&d1, &["10.0.0.1:1".parse().unwrap()]);
        first.own_port = Some(4000);
        first.save_merged(&path).unwrap();
        let mut second = AddressBook::default();
        second.remember(&d2, &["10.0.0.2:2".parse().unwrap()]);
        second.save_merged(&path).unwrap();
        let loaded = AddressBook::load(&path);
        assert_eq!(loaded.entries().count(), 2);
        assert_eq!(loaded.own_port, Some(4000));
        // A damaged file is ignored, not fatal.
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(AddressBook::load(&path), AddressBook::default());
    }
}
