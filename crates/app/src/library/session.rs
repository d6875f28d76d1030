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

    /// The automerge document, for sync (edits go through [`Session::edit`]).
    pub fn doc_mut(&mut self) -> &mut automerge::AutoCommit {
        self.traj.doc_mut()
    }

    /// Saves whatever is in the document and not yet on disk (after sync merged changes).
    pub fn persist(&mut self) -> anyhow::Result<()> {
        self.store.save(self.traj.doc_mut())?;
        Ok(())
    }

    /// Loads changes other processes wrote; returns whether the document changed.
    pub fn refresh(&mut self) -> anyhow::Result<bool> {
        let outcome = self.store.refresh(self.traj.doc_mut())?;
        for e in &outcome.unreadable {
            tracing::warn!(error = %e, "a file written by another process could not be read");
        }
        Ok(outcome.changed)
    }

    /// The participant this device acts for, if any.
    pub fn me(&self, device_id: &str) -> Option<ParticipantId> {
        self.traj.participant_for_device(device_id)
    }
}
