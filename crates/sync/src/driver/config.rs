//! Configuration of a sync peer.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::proto::Limits;

/// Which relay servers the endpoint may use (`--relay off|default|URL`).
///
/// Relays only help when the devices are on different networks with internet; in the
/// meeting room direct addresses and mDNS suffice. Relay traffic stays end-to-end
/// encrypted. With relays on and no internet, connecting on the LAN still works: iroh
/// dials direct addresses and relays in parallel, and nothing waits for a relay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RelayChoice {
    /// No relays: direct addresses and mDNS only.
    Off,
    /// The public relays run by number 0 (iroh's default relay map).
    #[default]
    Default,
    /// One relay server of our own, by URL.
    Custom(iroh::RelayUrl),
}

/// Error for a `--relay` value that is not `off`, `default` or a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid relay choice {0:?}: use off, default or a relay URL like https://relay.example.org"
)]
pub struct InvalidRelayChoice(pub String);

impl FromStr for RelayChoice {
    type Err = InvalidRelayChoice;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "off" | "none" | "disabled" => Ok(Self::Off),
            "default" | "on" => Ok(Self::Default),
            other if other.starts_with("http://") || other.starts_with("https://") => other
                .parse::<iroh::RelayUrl>()
                .map(Self::Custom)
                .map_err(|_| InvalidRelayChoice(s.to_string())),
            _ => Err(InvalidRelayChoice(s.to_string())),
        }
    }
}

impl std::fmt::Display for RelayChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Off => f.write_str("off"),
            Self::Default => f.write_str("default"),
            Self::Custom(url) => write!(f, "{url}"),
        }
    }
}

/// Everything [`crate::start`] needs besides the document host.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The device's 32-byte secret key (the store's identity key). Its public key is the
    /// endpoint id, which is the device id.
    pub secret_key: [u8; 32],
    /// Relay servers.
    pub relay: RelayChoice,
    /// Announce and find devices on the LAN with mDNS.
    pub mdns: bool,
    /// Where to publish this process's live addresses (`<dir>/<endpoint-id>.json`) so other
    /// processes on the same data directory can put them in tickets. `None`: do not publish.
    pub live_dir: Option<PathBuf>,
    /// Where to keep the address book (last known addresses of devices and, for the peer
    /// that publishes live addresses, its own port) across restarts. `None`: in memory only.
    pub address_book: Option<PathBuf>,
    /// UDP port to try first (so tickets stay valid across restarts); falls back to a
    /// random port if it is taken. `None`: the port from the address book, else random.
    pub port: Option<u16>,
    /// First reconnect delay; doubles per failed attempt.
    pub reconnect_min: Duration,
    /// Longest reconnect delay.
    pub reconnect_max: Duration,
    /// How long a connection attempt may take.
    pub connect_timeout: Duration,
    /// A connection that has not granted any trajectory after this long is closed.
    pub handshake_timeout: Duration,
    /// A device with the higher id waits this long for the lower id to dial before dialing
    /// itself (the lower id dials first, to avoid duplicate connections).
    pub dial_grace: Duration,
    /// Frame and sync message size limits of every connection. Keep the default (16 MiB
    /// frames, sync messages up to 256 MiB in parts): all peers must use the same frame cap.
    /// Tests lower the frame cap to exercise sync messages in parts with small documents.
    pub limits: Limits,
}

impl SyncConfig {
    /// The product defaults: relays from [`RelayChoice::default`], mDNS on, random port.
    pub fn new(secret_key: [u8; 32]) -> Self {
        Self {
            secret_key,
            relay: RelayChoice::default(),
            mdns: true,
            live_dir: None,
            address_book: None,
            port: None,
            reconnect_min: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            dial_grace: Duration::from_secs(3),
            limits: Limits::default(),
        }
    }

    /// Offline settings for tests: no relays, no mDNS, short reconnect delays.
    pub fn offline(secret_key: [u8; 32]) -> Self {
        Self {
            relay: RelayChoice::Off,
            mdns: false,
            reconnect_min: Duration::from_millis(50),
            reconnect_max: Duration::from_secs(2),
            dial_grace: Duration::from_millis(500),
            ..Self::new(secret_key)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_choices_parse() {
        assert_eq!("off".parse::<RelayChoice>().unwrap(), RelayChoice::Off);
        assert_eq!(
            "default".parse::<RelayChoice>().unwrap(),
            RelayChoice::Default
        );
        assert!(matches!(
            "https://relay.example.org".parse::<RelayChoice>().unwrap(),
            RelayChoice::Custom(_)
        ));
        assert!("sometimes".parse::<RelayChoice>().is_err());
    }
}
