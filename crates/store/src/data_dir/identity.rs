//! The device identity key (`identity.key`).

use std::path::Path;

use crate::fsutil::{self, WriteMode};
use crate::{DataDir, StoreError};

/// Name of the identity key file in the data directory root.
pub(crate) const IDENTITY_FILE: &str = "identity.key";

impl DataDir {
    /// The device's 32-byte secret identity key (the iroh secret key), created on first use.
    ///
    /// The file `identity.key` holds the raw 32 bytes with mode 0600. It is created with an
    /// exclusive link, so two processes starting for the first time at once end up with the
    /// same key. A damaged key file gives [`StoreError::BadIdentityKey`] and is never
    /// replaced automatically.
    pub fn identity_key(&self) -> Result<[u8; 32], StoreError> {
        let path = self.path().join(IDENTITY_FILE);
        if let Some(key) = read_key(&path)? {
            return Ok(key);
        }
        let fresh: [u8; 32] = rand::random();
        if fsutil::write_atomic(self.path(), IDENTITY_FILE, &fresh, WriteMode::Exclusive)? {
            tracing::info!(path = %path.display(), "created a new device identity key");
        }
        read_key(&path)?.ok_or_else(|| StoreError::BadIdentityKey {
            path,
            reason: "it disappeared right after it was created".into(),
        })
    }
}

/// Reads a key file: `None` if absent, an error if not exactly 32 bytes.
fn read_key(path: &Path) -> Result<Option<[u8; 32]>, StoreError> {
    let Some(bytes) = fsutil::read_optional(path)? else {
        return Ok(None);
    };
    let key: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::BadIdentityKey {
            path: path.to_path_buf(),
            reason: format!("it holds {} bytes instead of 32", bytes.len()),
        })?;
    fsutil::ensure_private(path);
    Ok(Some(key))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::{Arc, Barrier};

    use super::*;

    #[test]
    fn key_is_stable_and_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let first = dir.identity_key().unwrap();
        assert_ne!(first, [0u8; 32]);
        assert_eq!(dir.identity_key().unwrap(), first);
        let reopened = DataDir::open(tmp.path()).unwrap();
        assert_eq!(reopened.identity_key().unwrap(), first);
        assert_eq!(fs::read(tmp.path().join(IDENTITY_FILE)).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(tmp.path().join(IDENTITY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Another data directory gets another key.
        let other = tempfile::tempdir().unwrap();
        assert_ne!(
            DataDir::open(other.path()).unwrap().identity_key().unwrap(),
            first
        );
    }

    #[test]
    fn racing_first_starts_agree() {
        for _ in 0..20 {
            let tmp = tempfile::tempdir().unwrap();
            let dir = DataDir::open(tmp.path()).unwrap();
            let barrier = Arc::new(Barrier::new(8));
            let keys: Vec<[u8; 32]> = (0..8)
                .map(|_| {
                    let dir = dir.clone();
                    let barrier = barrier.clone();
                    std::thread::spawn(move || {
                        barrier.wait();
                        dir.identity_key().unwrap()
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect();
            assert!(keys.iter().all(|k| *k == keys[0]));
            let leftovers: Vec<_> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| fsutil::is_temp_name(n))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
    }

    #[test]
    fn damaged_key_is_reported_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        fs::write(tmp.path().join(IDENTITY_FILE), b"short").unwrap();
        let err = dir.identity_key().unwrap_err();
        assert!(matches!(err, StoreError::BadIdentityKey { .. }), "{err:?}");
        assert!(err.to_string().contains("5 bytes"));
        assert_eq!(fs::read(tmp.path().join(IDENTITY_FILE)).unwrap(), b"short");
    }

    #[cfg(unix)]
    #[test]
    fn loose_permissions_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let key = dir.identity_key().unwrap();
        let path = tmp.path().join(IDENTITY_FILE);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(dir.identity_key().unwrap(), key);
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
