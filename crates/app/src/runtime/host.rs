//! [`AppHost`]: the documents of a data directory, as sync sees them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use automerge::AutoCommit;
use leerrijk_sync::{DeviceId, DocumentHost, HostError, JoinSecret, TrajectoryId};

use crate::hub::Hub;

/// A document received through a ticket and not stored yet (it is stored once it holds a
/// trajectory).
struct Pending {
    secret: JoinSecret,
    doc: AutoCommit,
}

/// Serves every trajectory of the hub's data directory, plus documents being joined.
pub struct AppHost {
    hub: Arc<Hub>,
    pending: Mutex<HashMap<TrajectoryId, Pending>>,
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

    fn remote_changes_applied(&self, id: &TrajectoryId) -> Result<(), HostError> {
        if lock(&self.pending).contains_key(id) {
            // Stored as a whole by `store_pending`.
            return Ok(());
        }
        self.hub
            .remote_changes_applied(id.as_str())
            .map_err(host_err)
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
