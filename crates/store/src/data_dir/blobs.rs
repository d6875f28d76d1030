//! Content-addressed photo blobs (`blobs/<blake3 hex>`).

use std::path::PathBuf;

use crate::chunk_file::is_hex64;
use crate::fsutil::{self, WriteMode};
use crate::{DataDir, StoreError};

use super::BLOBS;

impl DataDir {
    /// Path of a blob, after checking that `hash` is a BLAKE3 hex hash.
    fn blob_path(&self, hash: &str) -> Result<PathBuf, StoreError> {
        if !is_hex64(hash) {
            return Err(StoreError::InvalidBlobHash {
                hash: hash.to_owned(),
            });
        }
        Ok(self.path().join(BLOBS).join(hash))
    }

    /// Stores `bytes` durably and returns their BLAKE3 hash (64 lowercase hex characters),
    /// which is the blob's name. Storing the same bytes again is a cheap no-op; an existing
    /// damaged copy is moved aside (`.damaged`) and replaced by the good bytes.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let hash = blake3::hash(bytes).to_hex().to_string();
        let path = self.blob_path(&hash)?;
        if let Some(existing) = fsutil::read_optional(&path)? {
            if blake3::hash(&existing).to_hex().as_str() == hash {
                return Ok(hash);
            }
            tracing::warn!(path = %path.display(), "stored photo was damaged; moving it aside");
            fsutil::move_aside(&path)?;
        }
        fsutil::write_atomic(
            &self.path().join(BLOBS),
            &hash,
            bytes,
            WriteMode::KeepExisting,
        )?;
        Ok(hash)
    }

    /// The blob with this hash, `None` if not stored. The bytes are verified against the
    /// hash; a mismatch gives [`StoreError::BlobCorrupt`].
    pub fn get_blob(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.blob_path(hash)?;
        let Some(bytes) = fsutil::read_optional(&path)? else {
            return Ok(None);
        };
        if blake3::hash(&bytes).to_hex().as_str() != hash {
            return Err(StoreError::BlobCorrupt { path });
        }
        Ok(Some(bytes))
    }

    /// Whether a blob with this hash is stored (not verified; see [`DataDir::get_blob`]).
    pub fn has_blob(&self, hash: &str) -> Result<bool, StoreError> {
        Ok(self.blob_path(hash)?.is_file())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn put_get_has() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let photo = b"\xff\xd8\xff\xe0 pretend jpeg".repeat(1000);
        let hash = dir.put_blob(&photo).unwrap();
        assert_eq!(hash, blake3::hash(&photo).to_hex().as_str());
        assert!(dir.has_blob(&hash).unwrap());
        assert_eq!(dir.get_blob(&hash).unwrap().unwrap(), photo);
        assert_eq!(dir.put_blob(&photo).unwrap(), hash);
        let absent = blake3::hash(b"other").to_hex().to_string();
        assert!(!dir.has_blob(&absent).unwrap());
        assert_eq!(dir.get_blob(&absent).unwrap(), None);
    }

    #[test]
    fn bad_hashes_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        for bad in ["", "../identity.key", &"A".repeat(64), &"a".repeat(63)] {
            assert!(matches!(
                dir.get_blob(bad),
                Err(StoreError::InvalidBlobHash { .. })
            ));
            assert!(matches!(
                dir.has_blob(bad),
                Err(StoreError::InvalidBlobHash { .. })
            ));
        }
    }

    #[test]
    fn damaged_blob_detected_then_repaired_by_put() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let hash = dir.put_blob(b"photo").unwrap();
        let path = tmp.path().join(BLOBS).join(&hash);
        fs::write(&path, b"phot0").unwrap();
        let err = dir.get_blob(&hash).unwrap_err();
        assert!(matches!(err, StoreError::BlobCorrupt { .. }), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), b"phot0", "left untouched");
        dir.put_blob(b"photo").unwrap();
        assert_eq!(dir.get_blob(&hash).unwrap().unwrap(), b"photo");
        let aside = tmp.path().join(BLOBS).join(format!("{hash}.damaged"));
        assert_eq!(fs::read(aside).unwrap(), b"phot0");
    }
}
