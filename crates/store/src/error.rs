//! The error type of the store.

use std::io;
use std::path::{Path, PathBuf};

use crate::DocRef;

/// Everything that can go wrong in the store. Every variant names the file, trajectory or
/// notebook it is about, and the message says what a user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file system operation failed (disk full, permission denied, …).
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What the store was doing, e.g. "write" or "read the directory".
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// No default data directory could be determined (no home directory).
    #[error(
        "could not determine a data directory for Leerrijk (no home directory found); \
         pass --data-dir or set LEERRIJK_DATA_DIR"
    )]
    NoDefaultDataDir,

    /// A string that should be a trajectory id is not one.
    #[error("\"{id}\" is not a valid trajectory id (expected 32 lowercase hexadecimal characters)")]
    InvalidTrajectoryId {
        /// The rejected text.
        id: String,
    },

    /// A notebook name contains characters that are not allowed.
    #[error(
        "\"{name}\" is not a valid notebook name (use 1-64 letters, digits, '-' or '_', \
         starting with a letter or digit)"
    )]
    InvalidNotebookName {
        /// The rejected name.
        name: String,
    },

    /// A string that should be a blob hash is not one.
    #[error(
        "\"{hash}\" is not a valid photo/blob hash (expected 64 lowercase hexadecimal characters)"
    )]
    InvalidBlobHash {
        /// The rejected text.
        hash: String,
    },

    /// `create` was asked for an id that already has saved data.
    #[error("{doc} already exists in {}; it was not overwritten", path.display())]
    AlreadyExists {
        /// The document.
        doc: DocRef,
        /// Its directory.
        path: PathBuf,
    },

    /// The document has no saved data in this data directory.
    #[error("{doc} was not found: {} has no saved data", path.display())]
    NotFound {
        /// The document.
        doc: DocRef,
        /// The directory that was looked at.
        path: PathBuf,
    },

    /// A saved file of a document cannot be read back. Nothing was changed on disk.
    #[error(
        "{doc} cannot be opened: file {} is damaged ({reason}). The file was left untouched; \
         restore it from a backup, or ask a colleague who has this trajectory to share it again",
        file.display()
    )]
    Corrupt {
        /// The document the file belongs to.
        doc: DocRef,
        /// The damaged file.
        file: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A save could not be made durable because an earlier write to the change log failed.
    /// The changes are still in the document; the next save writes them to a new log.
    #[error("could not save {doc} to {}: {reason}", path.display())]
    SaveFailed {
        /// The document.
        doc: DocRef,
        /// The change log.
        path: PathBuf,
        /// What failed.
        reason: String,
    },

    /// A file was written by a newer version of Leerrijk than this one.
    #[error(
        "{} was written by a newer version of Leerrijk (storage format {found}, this version \
         understands up to {supported}); update Leerrijk to open it. Nothing was changed",
        path.display()
    )]
    NewerFormat {
        /// The file with the newer format.
        path: PathBuf,
        /// The format number found in it.
        found: u32,
        /// The highest format number this version understands.
        supported: u32,
    },

    /// The data directory's format marker file is unreadable.
    #[error(
        "{} is damaged ({reason}); it marks the storage format of this data directory. \
         It was left untouched",
        path.display()
    )]
    BadFormatMarker {
        /// The marker file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// The identity key file exists but is not a valid key.
    #[error(
        "the device identity key {} is damaged ({reason}); it was left untouched. \
         Move it away to let Leerrijk create a new identity (other devices will then see \
         this one as a new device)",
        path.display()
    )]
    BadIdentityKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A trajectory's join secret file exists but is not a valid secret.
    #[error(
        "the join secret of {doc} ({}) is damaged ({reason}); it was left untouched. \
         Join the trajectory again with a fresh invitation",
        path.display()
    )]
    BadJoinSecret {
        /// The trajectory.
        doc: DocRef,
        /// The secret file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A stored photo/blob does not match its hash.
    #[error(
        "photo file {} is damaged (its contents do not match its name); it was left untouched. \
         It will be fetched again from a colleague when possible",
        path.display()
    )]
    BlobCorrupt {
        /// The blob file.
        path: PathBuf,
    },

    /// The background watcher thread could not be started.
    #[error("could not start the change watcher for {}: {source}", path.display())]
    Watcher {
        /// The data directory to watch.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl StoreError {
    /// Builds a closure mapping an [`io::Error`] to [`StoreError::Io`] for `path`.
    pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
        let path = path.to_path_buf();
        move |source| StoreError::Io {
            action,
            path,
            source,
        }
    }
}
