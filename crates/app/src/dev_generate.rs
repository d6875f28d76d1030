//! `leerrijk dev generate`: stores a generated trajectory (see
//! [`leerrijk_model::generate`]) in a data directory, for benchmarks and trying the app at
//! scale.
//!
//! The trajectory is built in memory through the model's edit functions and written as one
//! snapshot at the end (one durable save instead of one per edit). The initiator is registered
//! on this device, as `leerrijk new` does, so the device may move phases and invite others.

use leerrijk_model::generate::{GenSpec, generate};
use leerrijk_store::{TrajectoryId, TrajectoryStore};

use crate::library::Library;

/// What was generated and stored.
#[derive(Clone, Debug)]
pub struct GeneratedTrajectory {
    /// The new trajectory's id.
    pub id: TrajectoryId,
    /// Number of edits made.
    pub edits: usize,
    /// Size of the stored snapshot (bytes of automerge data).
    pub bytes: usize,
}

/// Generates a trajectory as `spec` says and stores it in `library`.
pub fn generate_into(library: &Library, spec: &GenSpec) -> anyhow::Result<GeneratedTrajectory> {
    let generated = generate(spec)?;
    let mut traj = generated.trajectory;
    traj.add_device(&generated.initiator, library.device_id())?;
    let id = TrajectoryId::parse(&traj.id())?;
    let secret: [u8; 32] = rand::random();
    library.data_dir().set_join_secret(&id, &secret)?;
    let doc = traj.doc_mut();
    let store = TrajectoryStore::create(library.data_dir(), &id, doc)?;
    drop(store);
    let bytes = doc.save().len();
    Ok(GeneratedTrajectory {
        id,
        edits: generated.edits + 1,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_a_generated_trajectory_that_opens() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(Some(dir.path().to_path_buf())).unwrap();
        let spec = GenSpec {
            participants: 5,
            postits: 30,
            stories: 3,
            offers: 2,
            history_rounds: 1,
            seed: 3,
        };
        let out = generate_into(&lib, &spec).unwrap();
        assert_eq!(lib.list().unwrap(), vec![out.id.clone()]);
        let session = lib.open_trajectory(out.id.as_str()).unwrap();
        let v = session.trajectory().view();
        assert_eq!(v.participants.len(), 5);
        assert_eq!(v.stories.len(), 3);
        assert_eq!(
            session.me(lib.device_id()).as_deref(),
            v.initiator.as_deref(),
            "the initiator acts on this device"
        );
    }
}
