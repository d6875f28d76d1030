//! [`Drafts`]: the private notebook (a local-only automerge document, never synced) behind the
//! executor. The notebook is read from disk on a worker thread; every edit is saved durably
//! (fsync) before the executor returns, so typing that paused is never lost.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use leerrijk_model::{AssignmentKind, DraftStory, ModelError, Notebook};
use leerrijk_store::{DataDir, NotebookStore};

use crate::gui::repaint::Repaint;

/// The name of the notebook document in the data directory (`notebook/drafts/`).
pub use crate::library::NOTEBOOK_NAME;

/// The opened notebook and its files.
struct Open {
    store: NotebookStore,
    notebook: Notebook,
}

type Loaded = Result<(NotebookStore, automerge::AutoCommit), String>;

enum Load {
    Loading(Receiver<Loaded>),
    Ready(Box<Open>),
    Failed(String),
}

/// Where the notebook is: still loading, ready, or unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftsState {
    /// Being read from disk.
    Loading,
    /// Ready.
    Ready,
    /// Could not be read; the reason in one line.
    Failed(String),
}

/// The private notebook of this data directory, with a per-trajectory cache of its drafts.
pub struct Drafts {
    load: Load,
    /// Set by the loader thread once it has sent its result.
    loader_done: Arc<AtomicBool>,
    cache: HashMap<String, Arc<Vec<DraftStory>>>,
}

impl std::fmt::Debug for Drafts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drafts")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl Drafts {
    /// Starts reading the notebook of `data_dir` on a worker thread.
    pub fn open(data_dir: DataDir, repaint: Repaint) -> Self {
        let (tx, rx) = channel();
        let loader_done = Arc::new(AtomicBool::new(false));
        let done = loader_done.clone();
        let job = move || {
            let loaded = NotebookStore::open(&data_dir, NOTEBOOK_NAME)
                .map(|(store, doc, report)| {
                    if !report.is_clean() {
                        tracing::warn!(
                            ?report,
                            "the drafts notebook was partly damaged; kept what could be read"
                        );
                    }
                    (store, doc)
                })
                .map_err(|e| e.to_string());
            let _ = tx.send(loaded);
            done.store(true, Ordering::SeqCst);
            repaint.request();
        };
        let load = match std::thread::Builder::new()
            .name("leerrijk-notebook".into())
            .spawn(job)
        {
            Ok(_) => Load::Loading(rx),
            Err(e) => {
                loader_done.store(true, Ordering::SeqCst);
                Load::Failed(e.to_string())
            }
        };
        Drafts {
            load,
            loader_done,
            cache: HashMap::new(),
        }
    }

    /// Takes in the loaded notebook if the worker is done.
    pub fn poll(&mut self) {
        if let Load::Loading(rx) = &self.load {
            self.load = match rx.try_recv() {
                Ok(Ok((store, doc))) => Load::Ready(Box::new(Open {
                    store,
                    notebook: Notebook::from_doc(doc),
                })),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "could not open the drafts notebook");
                    Load::Failed(e)
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    Load::Failed("the notebook loader stopped".into())
                }
            };
            self.cache.clear();
        }
    }

    /// Blocks until the loader is done (the next [`Drafts::poll`] takes its result in), for
    /// tests and shutdown.
    pub fn wait_loaded(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        while !self.loader_done.load(Ordering::SeqCst) {
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }

    /// Whether the notebook is ready.
    pub fn state(&self) -> DraftsState {
        match &self.load {
            Load::Loading(_) => DraftsState::Loading,
            Load::Ready(_) => DraftsState::Ready,
            Load::Failed(e) => DraftsState::Failed(e.clone()),
        }
    }

    /// The drafts of a trajectory, oldest first (empty while loading).
    pub fn of(&mut self, trajectory: &str) -> Arc<Vec<DraftStory>> {
        let Load::Ready(open) = &self.load else {
            return Arc::default();
        };
        self.cache
            .entry(trajectory.to_owned())
            .or_insert_with(|| Arc::new(open.notebook.drafts(trajectory)))
            .clone()
    }

    /// The draft the form of `kind` edits: the newest draft of that assignment.
    pub fn current(&mut self, trajectory: &str, kind: AssignmentKind) -> Option<DraftStory> {
        self.of(trajectory)
            .iter()
            .rev()
            .find(|d| d.kind == kind)
            .cloned()
    }

    /// Runs an edit on the notebook, then saves it durably (also when the edit failed
    /// half-way, so the files always match what is shown).
    pub fn edit<T>(
        &mut self,
        f: impl FnOnce(&mut Notebook) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let Load::Ready(open) = &mut self.load else {
            return Err(anyhow!("the drafts notebook is not available"));
        };
        let out = f(&mut open.notebook);
        self.cache.clear();
        let saved = open.store.save(open.notebook.doc_mut());
        let out = out?;
        saved?;
        Ok(out)
    }

    /// Edits the current draft of `kind` (starting one if there is none), then saves.
    pub fn edit_current<T>(
        &mut self,
        trajectory: &str,
        kind: AssignmentKind,
        f: impl FnOnce(&mut Notebook, &str) -> Result<T, ModelError>,
    ) -> anyhow::Result<T> {
        let current = self.current(trajectory, kind).map(|d| d.id);
        self.edit(|nb| {
            let id = match current {
                Some(id) => id,
                None => nb.new_draft(trajectory, kind)?,
            };
            Ok(f(nb, &id)?)
        })
    }
}
