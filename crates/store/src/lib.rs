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
//!                                  "2\n": storage format; higher = refuse (NewerFormat)
//!   identity.key                   32 raw bytes, mode 0600 (iroh secret key)
//!   trajectories/<id>/             <id> = 32 lowercase hex chars (UUIDv7, simple form)
//!     <blake3>.snap                a full automerge document (create, compaction)
//!     <random>.log                 one store's change log: one record per save
//!     <blake3>.chg                 one or more automerge changes (format 1: one per save;
//!                                  still read, no longer written)
//!     join.secret                  32 raw bytes, mode 0600 (used by the sync layer)
//!     <name>.damaged[.N]           a damaged file moved aside; never read again
//!     .tmp-…                       a write in progress (or abandoned by a crash)
//!   notebook/<name>/               local-only documents, same files as a trajectory
//!   blobs/<blake3>                 photos, named by the hash of their bytes
//! ```
//!
//! There is no lock file: several processes (the GUI and a CLI command, two windows) may
//! use one data directory at the same time.
//!
//! # Files
//!
//! A document is the union of the files in its directory:
//!
//! * **Chunk files** (`.snap`, `.chg`) are named by the BLAKE3 hash of their bytes and never
//!   modified after they appear. Inside, a small header (magic, format version, kind,
//!   record count, header check) is followed by records (length, length check, BLAKE3 of
//!   payload, payload); a payload is automerge bytes. Written by temp file → `fsync` →
//!   rename → `fsync` of the directory.
//! * **Change logs** (`<128-bit random hex>.log`) hold one store's saves. Each
//!   [`TrajectoryStore`] (or [`NotebookStore`]) that saves gets its own log: one open
//!   document in one process is one writer, and nobody else ever writes its log. A log is a
//!   16-byte header (magic, format version, check) followed by the same checked records as
//!   chunk files, one per save, whose payload is the raw bytes of that save's automerge
//!   changes.
//!
//! The checks let a reader tell bytes that merely *end early* (a torn write) from bytes
//! that were *altered* (corruption).
//!
//! # Saving: one append, one fsync
//!
//! [`TrajectoryStore::save`] writes the changes not yet in any file (it tracks the heads
//! that are on disk or staged, so changes loaded from other stores' files are not written
//! again) as one record at the end of its log, with one `write_all` and one `fdatasync`
//! (`File::sync_data`), and returns only after that: an edit reported saved survives
//! `kill -9` and power loss. The first save of a store creates its log instead: header and
//! first record go to a temp file, which gets an exclusive `flock`, is fsynced, renamed to
//! its final name, and the directory is fsynced, so a log is locked and complete before
//! its name appears.
//!
//! The save is split for callers that keep the store and document behind one lock:
//! [`TrajectoryStore::stage`] (cheap, no IO) collects the unsaved changes into a
//! [`StagedSave`], and [`StagedSave::commit`] (`Send`) does the append and the fsync without
//! the store or the document. Commits of one store are serialised; a commit also writes
//! any earlier staged records not yet written, in order. If a write or sync fails, that log
//! is not appended to again (a partly written record is cut off where possible), and the
//! next `stage`/`save` writes every change that may not be durable to a new log.
//!
//! # Live and dead logs
//!
//! A store holds its log's lock (`flock`, per open file, so two stores in one process are
//! two writers too) as long as it lives, or until it rotates to a new log
//! ([`TrajectoryStore::rotate_log`], compaction). Readers check the lock only when a log
//! ends inside a record:
//!
//! * **live** (the lock is held by its writer): a write in progress, not damage: the
//!   complete records are applied and the rest is read later;
//! * **dead** (the lock can be taken: its writer ended or crashed): a torn write. The
//!   intact records are applied and saved again in a new snapshot, the log is moved aside
//!   to `.damaged`, and the [`LoadReport`] names it and says how many saves were kept and
//!   how many bytes were dropped. A dead log never grows again, so the check is final.
//!
//! A record whose bytes are complete but fail a check, or a bad header, is corruption: see
//! "Damage" below.
//!
//! # Several processes
//!
//! * **Loading** reads every chunk file (snapshots first, then by name) and every log into
//!   the document with automerge's incremental load; loading the same change twice is
//!   harmless. Per log, a store remembers how many bytes it applied and reads on from there.
//! * **Refresh** ([`TrajectoryStore::refresh`]) saves pending local changes, then loads the
//!   chunk files this store has not seen and what was appended to other logs.
//!   [`TrajectoryStore::poll_changed`] (one listing, one `stat` per other log) and the
//!   [`Watcher`] (a thread doing the same for all document directories every 250 ms) tell
//!   a long-running process when to refresh, including when a trajectory is created or
//!   joined by another process and when a log grows.
//! * **Compaction** writes one snapshot of the document, then removes exactly what is in
//!   it and may be removed: the chunk files it loaded, its own log (rotated first), and
//!   dead logs it read to their end (taking their lock first, and removing while holding
//!   it, only if the log is still exactly as long as what was applied). A live log of
//!   another store is never removed (its content is in the snapshot too; loading it again
//!   later is harmless). A reader that finds a listed file gone re-lists, and finds the
//!   snapshot that replaced it.
//!
//! [`TrajectoryStore::compact`] does this with the live document; `save` does it
//! automatically when the document is stored in more pieces (chunk files plus log records)
//! than the threshold (default 100; [`TrajectoryStore::set_compact_threshold`]), which
//! suits short-lived users such as the CLI. A long-running process should not put a full
//! snapshot on its edit path: it turns the automatic compaction off and, when
//! [`TrajectoryStore::compaction_due`] says so, calls [`TrajectoryStore::rotate_log`], runs
//! [`DataDir::compact_trajectory`] on a background thread (it loads the files into a fresh
//! document of its own, so it needs neither the store nor the live document and is safe
//! while this and other processes keep saving), and hands the result to
//! [`TrajectoryStore::adopt_snapshot`] so the live store does not read the snapshot back.
//!
//! # Damage
//!
//! Nothing damaged locks a document: every file is read for what is intact in it.
//!
//! * A chunk file that ends early (it can only happen through disk or file system damage,
//!   since files are complete before they get their name), or a dead log that ends early,
//!   is recovered as described above ([`Damage::Torn`]).
//! * A file whose bytes were altered, that is not a Leerrijk file, or a cut-off snapshot
//!   ([`Damage::Altered`]): every intact record before *and after* the damage is applied
//!   (a record whose length is intact but whose payload is not is stepped over; after a
//!   damaged length the next intact record is searched for), the document is saved again in
//!   a fresh snapshot (automerge keeps changes whose dependencies are missing, so saves
//!   after the damaged one are kept too), the file is moved aside to `.damaged`, and the
//!   trajectory's `repair-needed` note names it ([`DataDir::repair_needed`]). The document
//!   opens without what the damaged records held; a sync with any teammate brings it back,
//!   after which the application calls [`DataDir::repair_done`]. A live log of another
//!   writer with altered bytes is read for its intact records but not moved (its writer
//!   may still append).
//! * A header check comes before the format number, so an altered header is damage, never
//!   "newer version". A file (or data directory) that really is from a newer storage
//!   format gives [`StoreError::NewerFormat`] and is left alone.
//!
//! # Storage format 2
//!
//! Change logs came with storage format 2. A Leerrijk that knows only format 1 would
//! ignore `.log` files and silently miss every edit in them, so opening a format-1 data
//! directory marks it format 2 (before anything is written in the new way); older versions
//! then refuse it with a clear "newer version" error. Format-1 directories (only `.snap`
//! and `.chg` files) open unchanged; their `.chg` files are read, and removed by the next
//! compaction.
//!
//! # Actor ids
//!
//! [`TrajectoryStore::open`] returns a document with a fresh random actor id. Keep it that
//! way, or at least never give two live documents (two processes, two windows) the same
//! actor id: automerge requires each actor's changes to come from one document, and two
//! writers sharing one would produce conflicting changes that cannot both be loaded.
//!
//! # Platforms
//!
//! Live/dead detection uses `File::try_lock`, which is `flock` on Linux and the BSDs/macOS
//! (advisory; readers are never blocked). On Windows it is `LockFileEx`, a mandatory lock
//! that would also block reading a live log; that has not been built or tested here.
//!
//! # Differences from the first design sketch
//!
//! DESIGN.md first proposed one append-only log plus a lock file against a second instance.
//! Because several processes must be able to write one data directory at once, there is no
//! lock file; each writer has its own log instead, so concurrent writers never write the
//! same file, and snapshots stay content-addressed. Compaction keeps no previous snapshot
//! generation: a damaged snapshot is moved aside (never overwritten or deleted) and what it
//! held comes back from a teammate, not silently from older data.
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
//! store.save(&mut doc)?; // durable once this returns (one append + one fdatasync)
//!
//! // The same, with the fsync outside whatever lock guards the store and document:
//! doc.put(ROOT, "subtitle", "groep 5")?;
//! if let Some(staged) = store.stage(&mut doc)? {
//!     let committed = std::thread::spawn(move || staged.commit()).join();
//!     committed.map_err(|_| "the commit thread panicked")??;
//! }
//!
//! // Off the edit path, e.g. on a background thread, when a compaction is due:
//! if store.compaction_due() {
//!     store.rotate_log();
//!     let report = data.compact_trajectory(&id)?;
//!     store.adopt_snapshot(&mut doc, &report);
//! }
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
mod repair;
mod report;
mod trajectory;
mod watcher;

pub use data_dir::{DataDir, OpenResult, OpenedTrajectory};
pub use doc_ref::DocRef;
pub use error::StoreError;
pub use id::TrajectoryId;
pub use log_writer::StagedSave;
pub use notebook::NotebookStore;
pub use report::{CompactReport, Damage, DamagedFile, LoadReport, RefreshOutcome};
pub use trajectory::TrajectoryStore;
pub use watcher::{WatchEvent, Watcher};
