//! Photo blobs: content-addressed bytes beside the document.
//!
//! A trajectory's document holds only the BLAKE3 hash of each photo ([`BlobHash`]); the
//! bytes live in the application's blob store. Peers fetch the photos they miss with
//! `BlobRequest` / `Blob` messages ([`crate::proto::Message`]), only for trajectories both
//! sides proved, only for hashes the trajectory references, at most [`MAX_BLOB_LEN`] bytes
//! each, and the receiver checks the hash of what arrives before it stores anything.

use std::fmt;
use std::str::FromStr;

/// Largest photo that travels between peers: 8 MiB. The app stores downscaled JPEGs of a
/// few hundred KiB, so this is far above any real photo and far below the frame cap.
pub const MAX_BLOB_LEN: usize = 8 * 1024 * 1024;

/// The BLAKE3 hash of a blob's bytes: its name in the blob store and in the document.
///
/// Displayed and parsed as 64 lowercase hex digits (the form the document stores).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobHash(pub [u8; 32]);

/// Error for a string that is not a [`BlobHash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid photo hash {0:?}: expected 64 hex digits")]
pub struct InvalidBlobHash(pub String);

impl BlobHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(*blake3::hash(bytes).as_bytes())
    }

    /// Whether `bytes` have this hash (constant time).
    pub fn matches(&self, bytes: &[u8]) -> bool {
        blake3::hash(bytes) == blake3::Hash::from_bytes(self.0)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlobHash({})", &self.to_string()[..12])
    }
}

impl FromStr for BlobHash {
    type Err = InvalidBlobHash;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.trim().as_bytes())
            .map_err(|_| InvalidBlobHash(s.to_string()))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| InvalidBlobHash(s.to_string()))?;
        Ok(Self(arr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_blake3_and_roundtrip_as_hex() {
        let h = BlobHash::of(b"photo");
        assert_eq!(h.to_string(), blake3::hash(b"photo").to_hex().as_str());
        assert_eq!(h.to_string().parse::<BlobHash>().unwrap(), h);
        assert!(h.matches(b"photo"));
        assert!(!h.matches(b"phot0"));
        assert!("abc".parse::<BlobHash>().is_err());
        assert!("zz".repeat(32).parse::<BlobHash>().is_err());
    }
}
