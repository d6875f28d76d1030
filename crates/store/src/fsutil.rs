//! Small crash-safe file system helpers: private directories, atomic writes, directory fsync.
//!
//! Every write goes: unique temp file in the target directory → write → `fsync` → rename (or
//! hard-link) to the final name → `fsync` the directory. A crash at any point leaves either
//! the old state or the complete new file, plus at worst a stray temp file, which every
//! reader ignores (temp names start with [`TEMP_PREFIX`]).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::StoreError;

/// Prefix of temporary files. Names starting with it are never chunks, blobs or keys.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

/// Temp files older than this are considered abandoned (a crashed writer) and may be removed.
pub(crate) const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// Suffix given to files that were found damaged and moved aside.
pub(crate) const DAMAGED_SUFFIX: &str = ".damaged";

/// How [`write_atomic`] treats an existing file with the final name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteMode {
    /// Atomically replace it (rename over it).
    Replace,
    /// Keep it and discard the new bytes. Used for content-addressed files, where an existing
    /// file of that name already holds (or held, if it was damaged later) the same bytes; an
    /// existing damaged file is thus never overwritten.
    KeepExisting,
    /// Like [`WriteMode::KeepExisting`], but race-free between processes: the final name is
    /// created with a hard link, which fails if it exists. Used where two processes must
    /// end up agreeing on one value (identity key, format marker).
    Exclusive,
}

/// Creates `path` and missing parents; new directories get mode 0700 on Unix.
pub(crate) fn create_dir_private(path: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .map_err(StoreError::io("create the directory", path))
}

/// Makes sure directory `path` exists; if it had to be created, its parent is fsynced so
/// the new entry survives a crash.
pub(crate) fn ensure_dir(path: &Path) -> Result<(), StoreError> {
    if path.is_dir() {
        return Ok(());
    }
    create_dir_private(path)?;
    if let Some(parent) = path.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

/// Creates the single directory `path` (mode 0700 on Unix); fails if it exists.
pub(crate) fn create_new_dir_private(path: &Path) -> io::Result<()> {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Flushes a directory's entries (new names, renames, removals) to disk.
pub(crate) fn sync_dir(path: &Path) -> Result<(), StoreError> {
    // The parent of a relative name like `fresh` is the empty path: the current directory.
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    #[cfg(unix)]
    {
        fs::File::open(path)
            .and_then(|d| d.sync_all())
            .map_err(StoreError::io("flush the directory", path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A fresh temp file name, unique across processes and threads.
fn temp_name() -> String {
    format!(
        "{TEMP_PREFIX}{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

/// Whether `name` is a temp file name.
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX)
}

/// Writes `bytes` to a new private (0600) temp file in `dir` and fsyncs it.
fn write_temp(dir: &Path, bytes: &[u8]) -> Result<PathBuf, StoreError> {
    let path = dir.join(temp_name());
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options.open(&path).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match result {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = fs::remove_file(&path);
            Err(StoreError::Io {
                action: "write",
                path,
                source: e,
            })
        }
    }
}

/// Durably writes `bytes` as `dir/name` (see the module doc for the protocol).
///
/// Returns `true` if the file now holds `bytes`, `false` if an existing file was kept
/// ([`WriteMode::KeepExisting`] / [`WriteMode::Exclusive`]).
pub(crate) fn write_atomic(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    mode: WriteMode,
) -> Result<bool, StoreError> {
    let final_path = dir.join(name);
    if mode == WriteMode::KeepExisting && final_path.exists() {
        return Ok(false);
    }
    let temp = write_temp(dir, bytes)?;
    let outcome = place(&temp, &final_path, mode);
    if outcome.is_err() || matches!(outcome, Ok(false)) || mode == WriteMode::Exclusive {
        // Exclusive links (or a kept existing file) leave the temp name behind; remove it.
        let _ = fs::remove_file(&temp);
    }
    let written = outcome?;
    sync_dir(dir)?;
    Ok(written)
}

/// Moves the finished temp file to its final name according to `mode`.
fn place(temp: &Path, final_path: &Path, mode: WriteMode) -> Result<bool, StoreError> {
    let rename = |temp: &Path| {
        fs::rename(temp, final_path)
            .map(|()| true)
            .map_err(StoreError::io("rename a finished file to", final_path))
    };
    match mode {
        WriteMode::Replace => rename(temp),
        WriteMode::KeepExisting => {
            if final_path.exists() {
                Ok(false)
            } else {
                rename(temp)
            }
        }
        WriteMode::Exclusive => match fs::hard_link(temp, final_path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => {
                // File systems without hard links (FAT, some network shares): fall back to
                // check-then-rename, which is only racy against a simultaneous first start.
                tracing::debug!(error = %e, path = %final_path.display(), "hard link failed, falling back to rename");
                if final_path.exists() {
                    Ok(false)
                } else {
                    rename(temp)
                }
            }
        },
    }
}

/// Renames a damaged file to `<name>.damaged` (or `<name>.damaged.N` if taken) and returns
/// the new path. Returns `Ok(None)` if the file is already gone (another process moved it).
pub(crate) fn move_aside(path: &Path) -> Result<Option<PathBuf>, StoreError> {
    let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    let Some(dir) = path.parent() else {
        return Ok(None);
    };
    for n in 0u32..1000 {
        let target = if n == 0 {
            dir.join(format!("{file_name}{DAMAGED_SUFFIX}"))
        } else {
            dir.join(format!("{file_name}{DAMAGED_SUFFIX}.{n}"))
        };
        if target.exists() {
            continue;
        }
        return match fs::rename(path, &target) {
            Ok(()) => {
                sync_dir(dir)?;
                Ok(Some(target))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io {
                action: "move aside the damaged file",
                path: path.to_path_buf(),
                source: e,
            }),
        };
    }
    Ok(None)
}

/// Removes temp files in `dir` older than [`STALE_TEMP_AGE`] (left by crashed writers).
/// Best effort: failures are logged, not returned.
pub(crate) fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_temp_name) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old {
            match fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!(path = %entry.path().display(), "removed stale temp file"),
                Err(e) => {
                    tracing::debug!(path = %entry.path().display(), error = %e, "could not remove stale temp file")
                }
            }
        }
    }
}

/// Makes an existing secret file private (0600) if it is readable by others.
pub(crate) fn ensure_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "secret file was readable by others; restricting it to mode 0600");
            if let Err(e) = fs::set_permissions(path, fs::Permissions::from_mode(0o600)) {
                tracing::warn!(path = %path.display(), error = %e, "could not restrict permissions");
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Reads a file, mapping "does not exist" to `Ok(None)`.
pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Io {
            action: "read",
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(write_atomic(dir, "a", b"one", WriteMode::Replace).unwrap());
        assert!(write_atomic(dir, "a", b"two", WriteMode::Replace).unwrap());
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"two");

        assert!(!write_atomic(dir, "a", b"three", WriteMode::KeepExisting).unwrap());
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"two");
        assert!(write_atomic(dir, "b", b"bee", WriteMode::KeepExisting).unwrap());

        assert!(!write_atomic(dir, "a", b"four", WriteMode::Exclusive).unwrap());
        assert_eq!(fs::read(dir.join("a")).unwrap(), b"two");
        assert!(write_atomic(dir, "c", b"sea", WriteMode::Exclusive).unwrap());
        assert_eq!(fs::read(dir.join("c")).unwrap(), b"sea");

        // No temp files are left behind.
        assert_eq!(names(dir), ["a", "b", "c"]);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        write_atomic(tmp.path(), "s", b"x", WriteMode::Exclusive).unwrap();
        let mode = fs::metadata(tmp.path().join("s"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let sub = tmp.path().join("d/e");
        create_dir_private(&sub).unwrap();
        let mode = fs::metadata(&sub).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn move_aside_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("x"), b"1").unwrap();
        let first = move_aside(&dir.join("x")).unwrap().unwrap();
        assert_eq!(first, dir.join("x.damaged"));
        fs::write(dir.join("x"), b"2").unwrap();
        let second = move_aside(&dir.join("x")).unwrap().unwrap();
        assert_eq!(second, dir.join("x.damaged.1"));
        assert_eq!(fs::read(first).unwrap(), b"1");
        assert_eq!(fs::read(second).unwrap(), b"2");
        assert_eq!(move_aside(&dir.join("x")).unwrap(), None);
    }

    #[test]
    fn stale_temps_are_removed_fresh_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let old = dir.join(format!("{TEMP_PREFIX}old"));
        let fresh = dir.join(format!("{TEMP_PREFIX}fresh"));
        fs::write(&old, b"").unwrap();
        fs::write(&fresh, b"").unwrap();
        fs::write(dir.join("keep"), b"").unwrap();
        let past = SystemTime::now() - STALE_TEMP_AGE - Duration::from_secs(60);
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(past)
            .unwrap();
        remove_stale_temps(dir);
        assert_eq!(names(dir), [format!("{TEMP_PREFIX}fresh"), "keep".into()]);
    }
}
