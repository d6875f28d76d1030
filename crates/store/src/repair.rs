//! The note a document directory keeps while damaged files were quarantined and their
//! content may still be missing.
//!
//! `repair-needed` holds one line per file moved aside (its `.damaged` name). It is written
//! (temp file, fsync, rename) when loading quarantines an altered file, and removed by
//! [`crate::DataDir::repair_done`] once the application knows the document was completed
//! from a teammate (a sync that ended in step with a peer).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::StoreError;
use crate::fsutil::{self, WriteMode};

/// The note's file name in a document directory.
pub(crate) const NOTE_FILE: &str = "repair-needed";

/// The quarantined files named in the note (empty without a note).
pub(crate) fn noted(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let Some(bytes) = fsutil::read_optional(&dir.join(NOTE_FILE))? else {
        return Ok(Vec::new());
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| dir.join(l))
        .collect())
}

/// Adds quarantined files to the note.
pub(crate) fn note(dir: &Path, moved: &[PathBuf]) -> Result<(), StoreError> {
    let mut names: BTreeSet<String> = noted(dir)?
        .iter()
        .chain(moved)
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    names.retain(|n| !n.contains('\n'));
    let text: String = names.into_iter().map(|n| n + "\n").collect();
    fsutil::write_atomic(dir, NOTE_FILE, text.as_bytes(), WriteMode::Replace)?;
    Ok(())
}

/// Removes the note (nothing if there is none).
pub(crate) fn clear(dir: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(dir.join(NOTE_FILE)) {
        Ok(()) => fsutil::sync_dir(dir),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::Io {
            action: "remove",
            path: dir.join(NOTE_FILE),
            source: e,
        }),
    }
}
