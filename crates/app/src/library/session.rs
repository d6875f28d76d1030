use leerrijk_model::{ModelError, ParticipantId, Trajectory};
use leerrijk_store::{CompactReport, StagedSave, TrajectoryId, TrajectoryStore};

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

    /// Applies one model edit and stages its save without writing it: the caller commits the
    /// returned save (one append + one fsync) after releasing the session, so sync and the
    /// screens need not wait for the disk. `None` when the edit changed nothing.
    pub fn edit_staged<T>(
        &mut self,
        f: impl FnOnce(&mut Trajectory) -> Result<T, ModelError>,
    ) -> anyhow::Result<(T, Option<StagedSave>)> {
        let out = f(&mut self.traj)?;
        let staged = self.store.stage(self.traj.doc_mut())?;
        Ok((out, staged))
    }

    /// Stages whatever is in the document and not yet on disk (after sync merged changes),
    /// for the caller to commit without holding the session.
    pub fn stage(&mut self) -> anyhow::Result<Option<StagedSave>> {
        Ok(self.store.stage(self.traj.doc_mut())?)
    }

    /// For long-running processes: no automatic compaction inside a save (a full snapshot of
    /// a large trajectory takes a fifth of a second); the hub compacts in the background.
    pub fn compact_in_background(&mut self) {
        self.store.set_compact_threshold(None);
    }

    /// If the trajectory is stored in enough pieces to be worth compacting: closes this
    /// session's change log (so the compaction may remove it) and returns the trajectory id
    /// to give to [`leerrijk_store::DataDir::compact_trajectory`] off the edit path.
    pub fn prepare_compaction(&mut self) -> Option<TrajectoryId> {
        if !self.store.compaction_due() {
            return None;
        }
        self.store.rotate_log();
        Some(self.store.id().clone())
    }

    /// Takes note of a background compaction, so the next refresh does not read its
    /// snapshot back.
    pub fn adopt_compaction(&mut self, report: &CompactReport) {
        self.store.adopt_snapshot(self.traj.doc_mut(), report);
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
