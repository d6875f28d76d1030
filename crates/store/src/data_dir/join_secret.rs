//! Per-trajectory join secrets (`trajectories/<id>/join.secret`).

use crate::fsutil::{self, WriteMode};
use crate::{DataDir, DocRef, StoreError, TrajectoryId};

/// Name of the join secret file inside a trajectory directory.
pub(crate) const JOIN_SECRET_FILE: &str = "join.secret";

impl DataDir {
    /// The trajectory's 32-byte join secret, if one was stored.
    pub fn join_secret(&self, id: &TrajectoryId) -> Result<Option<[u8; 32]>, StoreError> {
        let path = self.trajectory_dir(id).join(JOIN_SECRET_FILE);
        let Some(bytes) = fsutil::read_optional(&path)? else {
            return Ok(None);
        };
        let secret: [u8; 32] =
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::BadJoinSecret {
                    doc: DocRef::Trajectory(id.clone()),
                    path: path.clone(),
                    reason: format!("it holds {} bytes instead of 32", bytes.len()),
                })?;
        fsutil::ensure_private(&path);
        Ok(Some(secret))
    }

    /// Stores (or replaces) the trajectory's join secret: raw bytes, mode 0600, written
    /// atomically. Creates the trajectory directory if needed; a directory holding only a
    /// secret does not count as a trajectory until it has saved data.
    pub fn set_join_secret(&self, id: &TrajectoryId, secret: &[u8; 32]) -> Result<(), StoreError> {
        let dir = self.trajectory_dir(id);
        fsutil::ensure_dir(&dir)?;
        fsutil::write_atomic(&dir, JOIN_SECRET_FILE, secret, WriteMode::Replace)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn set_get_replace() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let id = TrajectoryId::parse("0190f5a8c3e47b2a9d1e5f6a7b8c9d0e").unwrap();
        assert_eq!(dir.join_secret(&id).unwrap(), None);
        dir.set_join_secret(&id, &[7; 32]).unwrap();
        assert_eq!(dir.join_secret(&id).unwrap(), Some([7; 32]));
        dir.set_join_secret(&id, &[9; 32]).unwrap();
        assert_eq!(dir.join_secret(&id).unwrap(), Some([9; 32]));
        // A directory with only a secret is not a trajectory yet.
        assert!(dir.list_trajectories().unwrap().is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.trajectory_dir(&id).join(JOIN_SECRET_FILE);
            let mode = fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn damaged_secret_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path()).unwrap();
        let id = TrajectoryId::parse("0190f5a8c3e47b2a9d1e5f6a7b8c9d0e").unwrap();
        fs::create_dir_all(dir.trajectory_dir(&id)).unwrap();
        fs::write(dir.trajectory_dir(&id).join(JOIN_SECRET_FILE), b"xyz").unwrap();
        let err = dir.join_secret(&id).unwrap_err();
        assert!(matches!(err, StoreError::BadJoinSecret { .. }), "{err:?}");
        assert!(err.to_string().contains(id.as_str()));
    }
}
