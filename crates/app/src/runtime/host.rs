//! [`AppHost`]: the documents of a data directory, as sync sees them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use automerge::{AutoCommit, ReadDoc};
use leerrijk_sync::{BlobHash, DeviceId, DocumentHost, HostError, JoinSecret, TrajectoryId};

use crate::hub::Hub;

/// A document received through a ticket and not stored yet (it is stored once it holds a
/// trajectory).
struct Pending {
    secret: JoinSecret,
    doc: AutoCommit,
}

/// Serves every trajectory of the hub's data directory, plus documents being joined, and the
/// photos (blobs) their image records reference.
pub struct AppHost {
    hub: Arc<Hub>,
    pending: Mutex<HashMap<TrajectoryId, Pending>>,
    /// Photos known to be in the blob store (saves a file check per sync round).
    present: Mutex<HashSet<BlobHash>>,
}

impl std::fmt::Debug for AppHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppHost").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn host_err(e: anyhow::Error) -> HostError {
    HostError::Other(crate::exit::one_line(&e))
}

impl AppHost {
    /// A host over `hub`.
    pub fn new(hub: Arc<Hub>) -> Arc<Self> {
        Arc::new(AppHost {
            hub,
            pending: Mutex::new(HashMap::new()),
            present: Mutex::new(HashSet::new()),
        })
    }

    /// The hub.
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Serves an empty document for a trajectory being joined, until [`AppHost::store_pending`].
    pub fn add_pending(&self, id: &TrajectoryId, secret: &JoinSecret) {
        lock(&self.pending).insert(
            id.clone(),
            Pending {
                secret: secret.clone(),
                doc: AutoCommit::new(),
            },
        );
    }

    /// Stores a joined document in the data directory (join secret, then the document) and
    /// serves it from the hub from then on. Fails (and keeps it pending) if the document is
    /// not a trajectory this build can read.
    pub fn store_pending(&self, id: &TrajectoryId) -> anyhow::Result<()> {
        let mut pending = lock(&self.pending);
        let Some(p) = pending.get_mut(id) else {
            return Err(crate::exit::user_error(format!(
                "trajectory {id} is not being joined"
            )));
        };
        leerrijk_model::Trajectory::check_schema(&p.doc)?;
        let store_id = leerrijk_store::TrajectoryId::parse(id.as_str())?;
        let data_dir = self.hub.library().data_dir();
        data_dir.set_join_secret(&store_id, p.secret.as_bytes())?;
        leerrijk_store::TrajectoryStore::create(data_dir, &store_id, &mut p.doc)?;
        pending.remove(id);
        Ok(())
    }

    /// Stops serving a pending document (a join that failed).
    pub fn drop_pending(&self, id: &TrajectoryId) {
        lock(&self.pending).remove(id);
    }

    /// The photo hashes the trajectory's image records hold (deleted ones too: they can be
    /// restored), read from the in-memory document.
    pub fn image_blobs(&self, id: &TrajectoryId) -> BTreeSet<BlobHash> {
        let mut out = BTreeSet::new();
        let _ = self.with_doc(id, &mut |doc| out = blobs_in(doc));
        out
    }

    /// Whether the photo is in the blob store.
    fn has_blob(&self, hash: &BlobHash) -> bool {
        if lock(&self.present).contains(hash) {
            return true;
        }
        let here = self
            .hub
            .library()
            .data_dir()
            .has_blob(&hash.to_string())
            .unwrap_or(false);
        if here {
            lock(&self.present).insert(*hash);
        }
        here
    }
}

/// The `blob` field of every record in the document's `images` map.
fn blobs_in(doc: &AutoCommit) -> BTreeSet<BlobHash> {
    let root = automerge::ROOT;
    let Ok(Some((_, images))) = doc.get(&root, leerrijk_model::schema::root::IMAGES) else {
        return BTreeSet::new();
    };
    doc.keys(&images)
        .filter_map(|k| match doc.get(&images, &k) {
            Ok(Some((_, image))) => doc.get(&image, "blob").ok().flatten(),
            _ => None,
        })
        .filter_map(|(v, _)| v.into_string().ok())
        .filter_map(|s| s.parse().ok())
        .collect()
}

impl DocumentHost for AppHost {
    fn trajectories(&self) -> Vec<TrajectoryId> {
        let mut out: Vec<TrajectoryId> = match self.hub.list() {
            Ok(ids) => ids
                .iter()
                .filter_map(|i| TrajectoryId::new(i.as_str()).ok())
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "could not list trajectories");
                Vec::new()
            }
        };
        for id in lock(&self.pending).keys() {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret> {
        if let Some(p) = lock(&self.pending).get(id) {
            return Some(p.secret.clone());
        }
        let store_id = leerrijk_store::TrajectoryId::parse(id.as_str()).ok()?;
        match self.hub.library().data_dir().join_secret(&store_id) {
            Ok(s) => s.map(JoinSecret),
            Err(e) => {
                tracing::warn!(trajectory = %id, error = %e, "could not read join secret");
                None
            }
        }
    }

    fn with_doc(
        &self,
        id: &TrajectoryId,
        f: &mut dyn FnMut(&mut AutoCommit),
    ) -> Result<(), HostError> {
        {
            let mut pending = lock(&self.pending);
            if let Some(p) = pending.get_mut(id) {
                f(&mut p.doc);
                return Ok(());
            }
        }
        self.hub
            .with_doc(id.as_str(), |doc| f(doc))
            .map_err(host_err)
    }

    fn check_incoming(
        &self,
        id: &TrajectoryId,
        doc: &AutoCommit,
        changes: &[&[u8]],
    ) -> Result<(), String> {
        // The one check every change from outside passes (also `import` and the store's load).
        leerrijk_model::guard::check_incoming(doc, changes).map(|checked| {
            tracing::trace!(trajectory = %id, changes = checked.changes, ops = checked.ops, "incoming changes checked");
        })
    }

    fn remote_changes_applied(&self, id: &TrajectoryId) -> Result<(), HostError> {
        if lock(&self.pending).contains_key(id) {
            // Stored as a whole by `store_pending`.
            return Ok(());
        }
        self.hub
            .remote_changes_applied(id.as_str())
            .map_err(host_err)
    }

    fn in_step_with_peer(&self, id: &TrajectoryId) {
        if lock(&self.pending).contains_key(id) {
            return;
        }
        let Ok(store_id) = leerrijk_store::TrajectoryId::parse(id.as_str()) else {
            return;
        };
        let data_dir = self.hub.library().data_dir();
        match data_dir.repair_needed(&store_id) {
            Ok(files) if !files.is_empty() => {}
            _ => return,
        }
        // What the teammate brought is saved first; only a document with no change missing
        // is complete again.
        if let Err(e) = self.hub.remote_changes_applied(id.as_str()) {
            tracing::warn!(trajectory = %id, error = %crate::exit::one_line(&e), "could not save before ending the repair");
            return;
        }
        let complete = self
            .hub
            .with_doc(id.as_str(), |doc| doc.get_missing_deps(&[]).is_empty())
            .unwrap_or(false);
        if !complete {
            return;
        }
        match data_dir.repair_done(&store_id) {
            Ok(()) => {
                tracing::info!(trajectory = %id, "repaired: what a damaged file held came back from a teammate")
            }
            Err(e) => {
                tracing::warn!(trajectory = %id, error = %e, "could not clear the repair note")
            }
        }
    }

    fn references_blob(&self, id: &TrajectoryId, hash: &BlobHash) -> bool {
        self.image_blobs(id).contains(hash)
    }

    fn blob(&self, id: &TrajectoryId, hash: &BlobHash) -> Option<Vec<u8>> {
        match self.hub.library().data_dir().get_blob(&hash.to_string()) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(trajectory = %id, %hash, error = %e, "stored photo not readable; not sent");
                None
            }
        }
    }

    fn wanted_blobs(&self, id: &TrajectoryId) -> Vec<BlobHash> {
        self.image_blobs(id)
            .into_iter()
            .filter(|h| !self.has_blob(h))
            .collect()
    }

    fn store_blob(
        &self,
        id: &TrajectoryId,
        hash: &BlobHash,
        bytes: &[u8],
    ) -> Result<(), HostError> {
        let stored = self
            .hub
            .library()
            .data_dir()
            .put_blob(bytes)
            .map_err(|e| HostError::Other(format!("could not store photo {hash}: {e}")))?;
        if stored != hash.to_string() {
            // Sync checked the hash already; this would be a bug, not bad input.
            return Err(HostError::Other(format!(
                "photo {hash} stored under another hash {stored}"
            )));
        }
        lock(&self.present).insert(*hash);
        tracing::info!(trajectory = %id, %hash, len = bytes.len(), "photo received from a peer");
        Ok(())
    }

    fn known_devices(&self, id: &TrajectoryId) -> Vec<DeviceId> {
        if lock(&self.pending).contains_key(id) {
            return Vec::new();
        }
        self.hub
            .read(id.as_str(), |t| t.known_devices())
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect()
    }
}
