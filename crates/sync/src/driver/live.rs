//! Live address files: how a running peer tells other processes on the same data
//! directory where it can be reached, so `leerrijk invite` in another process can put
//! current addresses into a ticket.
//!
//! The running peer writes `<dir>/<endpoint-id>.json` atomically (temporary file, then
//! rename) whenever its addresses change, and removes it on shutdown. A file left behind by
//! a killed process is ignored when its process id no longer runs (checked on Linux).

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, JoinSecret, TrajectoryId};
use crate::ticket::Ticket;

/// The content of a live address file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInfo {
    /// The device (endpoint id, hex).
    pub device: String,
    /// The process serving it.
    pub pid: u32,
    /// Its direct addresses.
    pub addrs: Vec<SocketAddr>,
    /// Its home relay, if any.
    pub relay: Option<String>,
}

/// The path of a device's live file in `dir`.
pub fn live_path(dir: &Path, device: &DeviceId) -> PathBuf {
    dir.join(format!("{device}.json"))
}

/// Writes the live file atomically.
pub fn write_live(dir: &Path, device: &DeviceId, info: &LiveInfo) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = live_path(dir, device);
    let json = serde_json::to_vec_pretty(info).map_err(io::Error::other)?;
    write_atomic(&path, &json)?;
    Ok(path)
}

/// Writes `bytes` to a temporary file next to `path` and renames it over `path`, so readers
/// see the old or the new content, never a mix.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Reads a device's live file, if present, readable, and written by a process that still
/// runs.
pub fn read_live(dir: &Path, device: &DeviceId) -> Option<LiveInfo> {
    let bytes = std::fs::read(live_path(dir, device)).ok()?;
    let info: LiveInfo = serde_json::from_slice(&bytes).ok()?;
    process_alive(info.pid).then_some(info)
}

/// Removes the live file if this process wrote it.
pub fn remove_live(dir: &Path, device: &DeviceId) {
    let path = live_path(dir, device);
    let ours = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice::<LiveInfo>(&b).ok())
        .is_some_and(|i| i.pid == std::process::id());
    if ours && let Err(e) = std::fs::remove_file(&path) {
        tracing::debug!(path = %path.display(), error = %e, "could not remove live file");
    }
}

/// A ticket for `trajectory` naming `device` as inviter, with the live addresses from
/// `dir` if a peer for that device runs. Returns the ticket and whether live addresses were
/// found (without them the joiner can only find the inviter by mDNS or a relay).
pub fn live_ticket(
    dir: &Path,
    device: DeviceId,
    trajectory: TrajectoryId,
    secret: JoinSecret,
    title: &str,
) -> (Ticket, bool) {
    let live = read_live(dir, &device);
    let found = live.as_ref().is_some_and(|l| !l.addrs.is_empty());
    let (addrs, relay) = live.map(|l| (l.addrs, l.relay)).unwrap_or_default();
    (
        Ticket {
            trajectory,
            secret,
            inviter: device,
            addrs,
            relay,
            title: title.to_string(),
        },
        found,
    )
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_files_roundtrip_and_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dev = DeviceId([3; 32]);
        let info = LiveInfo {
            device: dev.to_string(),
            pid: std::process::id(),
            addrs: vec!["127.0.0.1:1234".parse().unwrap()],
            relay: None,
        };
        write_live(dir.path(), &dev, &info).unwrap();
        assert_eq!(read_live(dir.path(), &dev), Some(info));
        remove_live(dir.path(), &dev);
        assert_eq!(read_live(dir.path(), &dev), None);
    }

    #[test]
    fn stale_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let dev = DeviceId([4; 32]);
        let info = LiveInfo {
            device: dev.to_string(),
            pid: u32::MAX - 1,
            addrs: vec![],
            relay: None,
        };
        write_live(dir.path(), &dev, &info).unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(read_live(dir.path(), &dev), None);
        }
    }
}
