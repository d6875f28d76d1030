use leerrijk_model::{ModelError, ParticipantId, Trajectory};
use leerrijk_store::TrajectoryStore;

/// One open trajectory: the model document and its durable store.
#[derive(Debug)]
pub struct Session {
    store: TrajectoryStore,
    traj: Trajectory,
}

impl Session {
    pub(super) fn new(store: TrajectoryStore, traj: Trajectory) -> Self {
        Session { store, traj }
    }

    /// The trajectory (read access).
    pub fn trajectory(&self) -> &Trajectory {
        &self.traj
    }

    /// Applies one model edit and saves it durably (fsync) before returning.
    pub fn edit<T>(
        &mut self,
        f: impl FnOnce(&mut Trajectory) -> Result<T, ModelError>,
    ) -> anyhow::Result<T> {
        let out = f(&mut self.traj)?;
        self.store.save(self.traj.doc_mut())?;
        Ok(out)
    }

    /// The participant this device acts for, if any.
    pub fn me(&self, device_id: &str) -> Option<ParticipantId> {
        self.traj.participant_for_device(device_id)
    }
}
