//! Plain identifiers used by the protocol core: trajectory ids, device ids and join secrets.
//!
//! These types carry no iroh or tokio types so that the sans-IO core stays independent of
//! the network stack; the driver converts [`DeviceId`] to and from `iroh::EndpointId`.

use std::fmt;
use std::str::FromStr;

/// Longest accepted trajectory id, in bytes.
pub const MAX_TRAJECTORY_ID_LEN: usize = 64;

/// The id of one trajectory (one automerge document), as the model generates it
/// (for example a UUIDv7 string).
///
/// Accepted ids are 1 to [`MAX_TRAJECTORY_ID_LEN`] ASCII letters, digits, `-` or `_`, so an
/// id can be used safely in file names, log lines and tickets.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrajectoryId(String);

/// Error for a string that is not a valid [`TrajectoryId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid trajectory id {0:?}: expected 1 to 64 ASCII letters, digits, '-' or '_'")]
pub struct InvalidTrajectoryId(pub String);

impl TrajectoryId {
    /// Checks and wraps an id.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidTrajectoryId> {
        let id = id.into();
        let ok = !id.is_empty()
            && id.len() <= MAX_TRAJECTORY_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(id))
        } else {
            Err(InvalidTrajectoryId(id))
        }
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrajectoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for TrajectoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrajectoryId({})", self.0)
    }
}

impl FromStr for TrajectoryId {
    type Err = InvalidTrajectoryId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

/// A device id: the 32-byte public key of a device's iroh endpoint (its endpoint id).
///
/// Displayed and parsed as 64 lowercase hex digits, exactly like `iroh::EndpointId`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 32]);

/// Error for a string that is not a valid [`DeviceId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid device id {0:?}: expected 64 hex digits")]
pub struct InvalidDeviceId(pub String);

impl DeviceId {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The first 10 hex digits, for log lines.
    pub fn short(&self) -> String {
        let mut s = data_encoding::HEXLOWER.encode(&self.0[..5]);
        s.truncate(10);
        s
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({})", self.short())
    }
}

impl FromStr for DeviceId {
    type Err = InvalidDeviceId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.trim().as_bytes())
            .map_err(|_| InvalidDeviceId(s.to_string()))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| InvalidDeviceId(s.to_string()))?;
        Ok(Self(arr))
    }
}

/// The random 32-byte secret that grants access to one trajectory.
///
/// Its `Debug` output is redacted so it never ends up in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct JoinSecret(pub [u8; 32]);

impl JoinSecret {
    /// A fresh random secret.
    pub fn generate() -> Self {
        Self(rand::random())
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for JoinSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JoinSecret(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectory_ids_are_checked() {
        assert!(TrajectoryId::new("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").is_ok());
        assert!(TrajectoryId::new("").is_err());
        assert!(TrajectoryId::new("a/b").is_err());
        assert!(TrajectoryId::new("x".repeat(65)).is_err());
        assert!(TrajectoryId::new("x".repeat(64)).is_ok());
    }

    #[test]
    fn device_id_roundtrips_as_hex() {
        let id = DeviceId([0xab; 32]);
        let text = id.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<DeviceId>().unwrap(), id);
        assert!("abc".parse::<DeviceId>().is_err());
        assert_eq!(id.short(), "ababababab");
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = JoinSecret([7; 32]);
        assert_eq!(format!("{s:?}"), "JoinSecret(..)");
    }
}
