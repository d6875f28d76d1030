//! Leerrijk store: the data directory on disk.
//!
//! Blocking std IO only. This crate stores automerge documents ([`automerge::AutoCommit`])
//! by trajectory id and knows nothing about what is in them (the model checks the
//! document's `schema`).
//!
//! # Layout
//!
//! ```text
//! <data dir>/                      default: DataDir::default_path(); the app lets
//!   leerrijk-store-format          --data-dir / LEERRIJK_DATA_DIR override it
//!                                  "1\n": storage format; higher = refuse (NewerFormat)
//!   identity.key                   32 raw bytes, mode 0600 (iroh secret key)
//!   trajectories/<id>/             <id> = 32 lowercase hex chars (UUIDv7, simple form)
//!     <blake3>.snap                a full automerge document (save())
//!     <blake3>.chg                 one or more automerge changes (one save)
//!     join.secret                  32 raw bytes, mode 0600 (used by the sync layer)
//!     <name>.damaged[.N]           a damaged file moved aside; never read again
//!     .tmp-<pid>-<random>          a write in progress (or abandoned by a crash)
//!   notebook/<name>/               local-only documents, same files as a trajectory
//!   blobs/<blake3>                 photos, named by the hash of their bytes
//! ```
//!
//! There is no lock file: several processes (the GUI and a CLI command, two windows) may
//! use one data directory at the same time.
//!
//! # Chunk files
//!
//! A document is the union of the chunk files in its directory. Each file is named by the
//! BLAKE3 hash of its bytes and is never modified after it appears, so writers never
//! collide: two processes writing different changes write different names, and the same
//! bytes give the same name. Inside, a small header (magic, format version, kind, record
//! count, header check) is followed by records (length, length check, BLAKE3 of payload,
//! payload); a payload is automerge bytes. This lets a reader tell a file that merely ends
//! early (torn write) from one whose bytes were altered (corruption).
//!
//! Every write is: unique temp file in the same directory → write → `fsync` → rename to the
//! final name → `fsync` the directory. [`TrajectoryStore::save`] writes the changes not yet
//! in any file (it tracks the persisted heads, so changes loaded from other processes' files
//! are not written again) and returns only after that sequence, so an edit reported saved
//! survives `kill -9` and power loss.
//!
//! # Several processes
//!
//! * **Loading** reads every chunk file (snapshots first, then by name) into the document
//!   with automerge's incremental load; loading the same change twice is harmless.
//! * **Refresh** ([`TrajectoryStore::refresh`]) loads the files this store has not seen.
//!   [`TrajectoryStore::poll_changed`] (one listing) and the [`Watcher`] (a thread listing
//!   all document directories every 250 ms) tell a long-running process when to refresh,
//!   including when a trajectory is created or joined by another process.
//! * **Compaction** ([`TrajectoryStore::compact`]) writes one snapshot of the document,
//!   then deletes exactly the files this store had loaded or written: their contents are in
//!   the snapshot (automerge keeps even changes waiting for missing history in it). A file
//!   written meanwhile by another process was not loaded, so it is never deleted. A reader
//!   that finds a listed file gone re-lists, and finds the snapshot that replaced it.
//!
//! # Damage
//!
//! * A chunk file that ends early (it can only happen through disk or file system damage,
//!   since files are complete before they get their name) is recovered: its intact changes
//!   are kept and saved again in a new snapshot, the [`LoadReport`] names the file and says
//!   how many changes and bytes were dropped, and the file is moved aside to `.damaged`.
//! * A file whose bytes were altered, that is not a Leerrijk file, or a cut-off snapshot,
//!   makes [`TrajectoryStore::open`] fail with [`StoreError::Corrupt`] naming the trajectory
//!   and the file; nothing on disk is changed. [`DataDir::open_all`] still opens the other
//!   trajectories.
//! * A file (or data directory) from a newer storage format gives
//!   [`StoreError::NewerFormat`].

mod chunk_dir;
mod chunk_file;
mod data_dir;
mod doc_ref;
mod error;
mod fsutil;
mod id;
mod notebook;
mod report;
mod trajectory;
mod watcher;

pub use data_dir::{DataDir, OpenResult, OpenedTrajectory};
pub use doc_ref::DocRef;
pub use error::StoreError;
pub use id::TrajectoryId;
pub use notebook::NotebookStore;
pub use report::{CompactReport, DamagedFile, LoadReport, RefreshOutcome};
pub use trajectory::TrajectoryStore;
pub use watcher::{WatchEvent, Watcher};
