//! Work that must not run on the GUI thread: loading trajectories from disk, file dialogs and
//! file writes. Results come back through a channel and wake the GUI.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::hub::Hub;

use super::repaint::Repaint;

/// One trajectory on the start screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Trajectory id.
    pub id: String,
    /// Title.
    pub title: String,
    /// School.
    pub school: String,
    /// Current phase.
    pub phase: u8,
    /// Time of the latest change (seconds since the epoch), if known.
    pub last_change: Option<i64>,
    /// Number of participants.
    pub participants: usize,
    /// Whether this device is the initiator.
    pub initiator: bool,
    /// Whether it is archived.
    pub archived: bool,
}

/// A finished background job.
#[derive(Debug)]
pub enum Done {
    /// The start screen's list (trajectories that could not be read come as errors).
    Summaries(Vec<Result<Summary, (String, String)>>),
    /// A trajectory is now open in the hub (or could not be opened).
    Opened(String, Result<(), String>),
    /// A file was written.
    Saved(PathBuf),
    /// Writing a file failed.
    SaveFailed(String),
    /// An invitation file was read.
    InviteFileRead(String),
    /// Reading an invitation file failed.
    InviteFileFailed(String),
    /// The user closed a file dialog without choosing.
    Cancelled,
    /// An archive, export or import job finished.
    HandOut(super::hand_out::HandOutDone),
}

/// Runs jobs on worker threads and collects their results.
#[derive(Debug)]
pub struct Background {
    pub(super) hub: Arc<Hub>,
    repaint: Repaint,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    pending: Arc<AtomicUsize>,
    summaries_running: bool,
}

/// Invitation files are small; anything bigger is not one.
const MAX_INVITE_FILE: u64 = 64 * 1024;

impl Background {
    /// A runner for the hub.
    pub fn new(hub: Arc<Hub>, repaint: Repaint) -> Self {
        let (tx, rx) = channel();
        Background {
            hub,
            repaint,
            tx,
            rx,
            pending: Arc::new(AtomicUsize::new(0)),
            summaries_running: false,
        }
    }

    pub(super) fn spawn(&self, name: &str, job: impl FnOnce() -> Done + Send + 'static) {
        let tx = self.tx.clone();
        let pending = self.pending.clone();
        let repaint = self.repaint.clone();
        pending.fetch_add(1, Ordering::SeqCst);
        let run = move || {
            let done = job();
            let _ = tx.send(done);
            pending.fetch_sub(1, Ordering::SeqCst);
            repaint.request();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(format!("leerrijk-{name}"))
            .spawn(run)
        {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            tracing::error!(error = %e, "could not start a background thread");
        }
    }

    /// Results that arrived since the last call.
    pub fn drain(&mut self) -> Vec<Done> {
        let done: Vec<Done> = self.rx.try_iter().collect();
        if done.iter().any(|d| matches!(d, Done::Summaries(_))) {
            self.summaries_running = false;
        }
        done
    }

    /// Whether jobs are still running.
    pub fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }

    /// Blocks until no job runs (for tests and shutdown), at most `timeout`.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        while self.busy() {
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }

    /// Reloads the start screen's list (unless a reload is already running).
    pub fn load_summaries(&mut self) {
        if self.summaries_running {
            return;
        }
        self.summaries_running = true;
        let hub = self.hub.clone();
        self.spawn("list", move || Done::Summaries(summaries(&hub)));
    }

    /// Opens a trajectory in the hub (reads it from disk).
    pub fn open(&self, id: &str) {
        let hub = self.hub.clone();
        let id = id.to_owned();
        self.spawn("open", move || {
            let r = hub
                .session(&id)
                .map(|_| ())
                .map_err(|e| crate::exit::one_line(&e));
            Done::Opened(id, r)
        });
    }

    /// Asks where to save `contents` (file dialog), then writes it.
    pub fn save_as(
        &self,
        suggested_name: String,
        filter: (&'static str, &'static str),
        contents: impl Into<Vec<u8>>,
    ) {
        let contents: Vec<u8> = contents.into();
        self.spawn("save", move || {
            let picked = rfd::FileDialog::new()
                .set_file_name(&suggested_name)
                .add_filter(filter.0, &[filter.1])
                .save_file();
            match picked {
                Some(path) => write_file(path, &contents),
                None => Done::Cancelled,
            }
        });
    }

    /// Writes `contents` to `path`.
    pub fn write(&self, path: PathBuf, contents: impl Into<Vec<u8>>) {
        let contents: Vec<u8> = contents.into();
        self.spawn("write", move || write_file(path, &contents));
    }

    /// Asks for an invitation file (file dialog) and reads its ticket.
    pub fn read_invite_file(&self) {
        self.spawn("invite", || {
            let Some(path) = rfd::FileDialog::new()
                .add_filter("Leerrijk", &["leerrijk", "txt"])
                .pick_file()
            else {
                return Done::Cancelled;
            };
            read_invite(&path)
        });
    }

    /// Reads the ticket of an invitation file the app was opened with.
    pub fn read_invite_path(&self, path: PathBuf) {
        self.spawn("invite", move || read_invite(&path));
    }
}

fn read_invite(path: &std::path::Path) -> Done {
    match read_small(path) {
        Ok(text) => Done::InviteFileRead(text.trim().to_owned()),
        Err(e) => Done::InviteFileFailed(format!("{}: {e}", path.display())),
    }
}

fn read_small(path: &std::path::Path) -> std::io::Result<String> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_INVITE_FILE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "file too large for an invitation",
        ));
    }
    std::fs::read_to_string(path)
}

fn write_file(path: PathBuf, contents: &[u8]) -> Done {
    match std::fs::write(&path, contents) {
        Ok(()) => Done::Saved(path),
        Err(e) => Done::SaveFailed(format!("{}: {e}", path.display())),
    }
}

fn summaries(hub: &Hub) -> Vec<Result<Summary, (String, String)>> {
    let ids = match hub.list() {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "could not list trajectories");
            return Vec::new();
        }
    };
    let device = hub.library().device_id().to_owned();
    ids.into_iter()
        .map(|id| summarize(hub, &id, &device).map_err(|e| (id.clone(), crate::exit::one_line(&e))))
        .collect()
}

fn summarize(hub: &Hub, id: &str, device: &str) -> anyhow::Result<Summary> {
    let (view, initiator) = hub.read(id, |t| {
        let me = t.participant_for_device(device);
        let init = me.as_deref().is_some_and(|m| t.is_initiator(m));
        (t.view(), init)
    })?;
    let last_change = hub.with_doc(id, |doc| {
        let heads = doc.get_heads();
        heads
            .iter()
            .filter_map(|h| doc.get_change_by_hash(h))
            .map(|c| c.timestamp())
            .max()
    })?;
    Ok(Summary {
        id: view.id.clone(),
        title: view.title.clone(),
        school: view.school.clone(),
        phase: view.phase,
        last_change,
        participants: view.participants.len(),
        initiator,
        archived: view.archived.is_some(),
    })
}
