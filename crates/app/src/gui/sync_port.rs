//! The seam between the GUI and the sync runtime.
//!
//! The GUI shows connection state and presence, hands out invitation tickets and starts joins
//! only through [`SyncPort`]. Until the sync runtime is wired in, [`NoSync`] answers: offline,
//! no tickets, joining not available. The runtime implements this trait over its own state
//! (which it keeps up to date on its own threads): every method must return at once, without
//! IO, because the GUI calls them while drawing.

use leerrijk_model::Role;

/// The connection to the team, for one trajectory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Connection {
    /// Not syncing (no network, or sync not running).
    #[default]
    Offline,
    /// Looking for the team (listening and dialling, nobody connected yet).
    Looking,
    /// Connected to this many other devices.
    Connected(usize),
}

/// Someone whose device is connected right now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnlinePeer {
    /// Their name (from presence, or the document's participant for that device).
    pub name: String,
    /// Their device id.
    pub device: String,
}

/// What the top bar and the start screen show about one trajectory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// Connection state.
    pub connection: Connection,
    /// Who is online (other devices).
    pub online: Vec<OnlinePeer>,
}

/// Progress of the most recent join.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum JoinState {
    /// No join started.
    #[default]
    Idle,
    /// Contacting the inviter and fetching the trajectory.
    Joining,
    /// Joined: the trajectory with this id is now in the data directory (the hub reports it).
    Joined(String),
    /// The join failed; a one-line reason.
    Failed(String),
}

/// Why a sync action could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Sync is not part of this build or not running.
    #[error("sync is not available")]
    Unavailable,
    /// The ticket could not be read.
    #[error("not a valid invitation: {0}")]
    InvalidTicket(String),
    /// Something else went wrong.
    #[error("{0}")]
    Other(String),
}

/// What the GUI needs from the sync runtime. Implementations must not block.
pub trait SyncPort: Send + Sync {
    /// Connection state and presence for a trajectory.
    fn status(&self, trajectory: &str) -> SyncStatus;

    /// An invitation ticket for a trajectory (text; shown, copied and turned into a QR code).
    fn invite_ticket(&self, trajectory: &str) -> Result<String, SyncError>;

    /// Starts joining the trajectory a ticket points to, as `name` with `role`. Returns at once;
    /// progress is reported by [`SyncPort::join_state`].
    fn join(&self, ticket: &str, name: &str, role: Role) -> Result<(), SyncError>;

    /// Progress of the most recent join.
    fn join_state(&self) -> JoinState;

    /// Registers a callback the runtime calls whenever status, presence or join progress
    /// changes (the GUI passes one that requests a repaint).
    fn set_notify(&self, notify: Box<dyn Fn() + Send + Sync>);
}

/// The stand-in until sync is wired: always offline, nothing to invite with, no joining.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSync;

impl SyncPort for NoSync {
    fn status(&self, _trajectory: &str) -> SyncStatus {
        SyncStatus::default()
    }

    fn invite_ticket(&self, _trajectory: &str) -> Result<String, SyncError> {
        Err(SyncError::Unavailable)
    }

    fn join(&self, _ticket: &str, _name: &str, _role: Role) -> Result<(), SyncError> {
        Err(SyncError::Unavailable)
    }

    fn join_state(&self) -> JoinState {
        JoinState::Idle
    }

    fn set_notify(&self, _notify: Box<dyn Fn() + Send + Sync>) {}
}
