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
//!
//! # Actor ids
//!
//! [`TrajectoryStore::open`] returns a document with a fresh random actor id. Keep it that
//! way, or at least never give two live documents (two processes, two windows) the same
//! actor id: automerge requires each actor's changes to come from one document, and two
//! writers sharing one would produce conflicting changes that cannot both be loaded.
//!
//! # Differences from the first design sketch
//!
//! DESIGN.md first proposed an append-only log plus a lock file against a second instance.
//! Because several processes must be able to write one data directory at once, there is no
//! lock; content-addressed files replace the shared log, so concurrent writers never touch
//! the same file. Compaction keeps no previous snapshot generation: a damaged snapshot is
//! refused with [`StoreError::Corrupt`] (never overwritten), not silently replaced by older
//! data.
//!
//! # Example
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use automerge::{AutoCommit, ROOT, transaction::Transactable};
//! use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore, Watcher};
//!
//! # let tmp = tempfile::tempdir()?;
//! # let path = tmp.path().to_path_buf();
//! // The app passes --data-dir / LEERRIJK_DATA_DIR, or DataDir::default_path()?.
//! let data = DataDir::open(path)?;
//! let _device_key: [u8; 32] = data.identity_key()?;
//!
//! let id: TrajectoryId = "0190f5a8c3e47b2a9d1e5f6a7b8c9d0e".parse()?;
//! let mut doc = AutoCommit::new();
//! let mut store = TrajectoryStore::create(&data, &id, &mut doc)?;
//! doc.put(ROOT, "title", "Begrijpend lezen")?;
//! store.save(&mut doc)?; // durable once this returns
//!
//! // Later, or in another process:
//! let (mut store, mut doc, report) = TrajectoryStore::open(&data, &id)?;
//! assert!(report.is_clean());
//! let (_watcher, events) = Watcher::channel(&data, Watcher::DEFAULT_INTERVAL)?;
//! // ... on each event for this trajectory (or on a timer: `store.poll_changed()?`):
//! if store.refresh(&mut doc)?.changed {
//!     // re-render
//! }
//! # drop(events);
//! # Ok(())
//! # }
//! ```

mod chunk_dir;
mod chunk_file;
mod data_dir;
mod doc_ref;
mod error;
mod fsutil;
mod id;
mod log_file;
mod log_writer;
mod notebook;
mod report;
mod trajectory;
mod watcher;

pub use data_dir::{DataDir, OpenResult, OpenedTrajectory};
pub use doc_ref::DocRef;
pub use error::StoreError;
pub use id::TrajectoryId;
pub use log_writer::StagedSave;
pub use notebook::NotebookStore;
pub use report::{CompactReport, DamagedFile, LoadReport, RefreshOutcome};
pub use trajectory::TrajectoryStore;
pub use watcher::{WatchEvent, Watcher};
