//! The app's view of a data directory: opening, creating and editing trajectories durably.
//!
//! A [`Library`] wraps the store's data directory and this device's identity. A [`Session`] is
//! one open trajectory: the model document plus its store; [`Session::edit`] applies a model
//! edit and makes it durable before returning, so a command that reports success never loses
//! its edit.

mod session;

use std::path::PathBuf;

use anyhow::Context;
use leerrijk_model::{Clock, Notebook, Role, Trajectory};
use leerrijk_store::{DataDir, NotebookStore, TrajectoryId, TrajectoryStore};

/// The private notebook of this laptop (drafts, own anonymous post-its). Never synced.
pub const NOTEBOOK_NAME: &str = "drafts";

pub use session::Session;

/// A data directory and this device's identity.
#[derive(Debug)]
pub struct Library {
    data_dir: DataDir,
    device_id: String,
}

impl Library {
    /// Opens the data directory at `path`, or the default one.
    pub fn open(path: Option<PathBuf>) -> anyhow::Result<Self> {
        let path = match path {
            Some(p) => p,
            None => DataDir::default_path()?,
        };
        // A relative --data-dir is taken from the current directory once, here, so every
        // path the store uses and reports is complete.
        let path = std::path::absolute(&path).unwrap_or(path);
        let data_dir = DataDir::open(&path)
            .with_context(|| format!("could not open the data directory {}", path.display()))?;
        let key = data_dir.identity_key()?;
        let device_id = iroh::SecretKey::from_bytes(&key).public().to_string();
        Ok(Library {
            data_dir,
            device_id,
        })
    }

    /// The store's data directory.
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    /// This device's id (its iroh endpoint id, hex).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Creates a trajectory with its initiator (registered on this device) and a fresh join
    /// secret for invitations.
    pub fn create(
        &self,
        title: &str,
        school: &str,
        initiator: &str,
        role: Role,
    ) -> anyhow::Result<Session> {
        let (mut traj, me) = Trajectory::create(title, school, initiator, role, Clock::System)?;
        traj.add_device(&me, &self.device_id)?;
        let id = TrajectoryId::parse(&traj.id())?;
        let secret: [u8; 32] = rand::random();
        self.data_dir.set_join_secret(&id, &secret)?;
        let store = TrajectoryStore::create(&self.data_dir, &id, traj.doc_mut())?;
        Ok(Session::new(store, traj))
    }

    /// Opens a trajectory by id (a malformed or unknown id is a user error).
    pub fn open_trajectory(&self, id: &str) -> anyhow::Result<Session> {
        let id = TrajectoryId::parse(id.trim())?;
        let (store, doc, report) = TrajectoryStore::open(&self.data_dir, &id)?;
        for d in &report.damaged {
            eprintln!("leerrijk: warning: trajectory {id}: {d}");
        }
        if report.damaged.is_empty() {
            let waiting = self.data_dir.repair_needed(&id).unwrap_or_default();
            if !waiting.is_empty() {
                eprintln!(
                    "leerrijk: warning: trajectory {id} lacks what {} damaged file(s) held (kept as {}); `leerrijk sync {id}` with a teammate brings it back",
                    waiting.len(),
                    waiting
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        let mut traj = Trajectory::from_doc(doc).with_context(|| format!("trajectory {id}"))?;
        let mut store = store;
        // Anonymous post-its written by an older version still name their author: take the
        // names off (once, on any laptop), keeping the links to this laptop's own notes in
        // its private notebook.
        let named = traj.forget_anonymous_authors()?;
        if !named.is_empty() {
            store.save(traj.doc_mut())?;
            let me = traj.participant_for_device(&self.device_id);
            let mine: Vec<(String, String)> = named
                .into_iter()
                .filter(|(_, author)| me.as_deref() == Some(author.as_str()))
                .collect();
            if let Err(e) = self.remember_own_postits(id.as_str(), &mine) {
                tracing::warn!(trajectory = %id, error = %e, "could not note own anonymous post-its in the notebook");
            }
        }
        Ok(Session::new(store, traj))
    }

    /// Keeps, in this laptop's private notebook, which anonymous post-its of `trajectory` its
    /// participant wrote (post-it id, author's participant id): the shared document does not
    /// say, so only this laptop can still tell them apart as "mine".
    pub fn remember_own_postits(
        &self,
        trajectory: &str,
        links: &[(String, String)],
    ) -> anyhow::Result<()> {
        if links.is_empty() {
            return Ok(());
        }
        let (mut store, doc, _) = NotebookStore::open(&self.data_dir, NOTEBOOK_NAME)?;
        let mut notebook = Notebook::from_doc(doc);
        for (postit, author) in links {
            notebook.remember_own_postit(trajectory, postit, author)?;
        }
        store.save(notebook.doc_mut())?;
        Ok(())
    }

    /// Every trajectory id in the data directory.
    pub fn list(&self) -> anyhow::Result<Vec<TrajectoryId>> {
        Ok(self.data_dir.list_trajectories()?)
    }
}
