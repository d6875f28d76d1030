//! The seam between the GUI and the sync runtime.
//!
//! The GUI shows connection state and presence, hands out invitation tickets and starts joins
//! only through [`SyncPort`]. The desktop app uses [`super::LiveSync`] (the sync runtime on
//! its own threads); [`NoSync`] answers "offline, no tickets, joining not available" (tests
//! and builds without a network). Every method must return at once, without IO, because the
//! GUI calls them while drawing.

use leerrijk_model::Role;

use super::i18n::I18n;

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
    /// The phase screen (1–5) they look at, if known.
    pub phase: Option<u8>,
}

/// What the top bar and the start screen show about one trajectory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// Connection state.
    pub connection: Connection,
    /// Who is online (other devices).
    pub online: Vec<OnlinePeer>,
    /// Laptops whose changes were refused because they broke the document's rules (their
    /// participant's name, or a short device id), since this app started.
    pub refused_from: Vec<String>,
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
    /// The join failed.
    Failed(JoinFailure),
}

/// Why a join failed, in terms the GUI explains in the user's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinFailure {
    /// Nobody answered for this trajectory at the ticket's addresses (inviter not running,
    /// another network, a firewall).
    Unreachable,
    /// The inviter was reached, but the trajectory did not arrive completely in time.
    Incomplete,
    /// The inviter's device refused the invitation (trajectory gone there, or another
    /// secret): expired or not valid.
    Refused,
    /// The invitation decodes, but a part of it cannot be used.
    Damaged,
    /// The trajectory is already on this laptop with another join secret.
    OtherSecret,
    /// What arrived is not a trajectory this version can read.
    Unreadable,
    /// Something else (a one-line technical reason).
    Other(String),
}

impl JoinFailure {
    /// The whole line the join dialog shows: "Meedoen lukte niet: …" with the explanation,
    /// or for a refused invitation just "Deze uitnodiging is verlopen of klopt niet. …".
    pub fn message(&self, tr: &I18n) -> String {
        match self {
            JoinFailure::Refused => tr.t("sync.join.refused"),
            other => tr.f("join.failed", &[("error", &other.text(tr))]),
        }
    }

    /// The explanation, in the current language.
    pub fn text(&self, tr: &I18n) -> String {
        match self {
            JoinFailure::Unreachable => tr.t("sync.join.unreachable"),
            JoinFailure::Incomplete => tr.t("sync.join.incomplete"),
            JoinFailure::Refused => tr.t("sync.join.refused"),
            JoinFailure::Damaged => tr.t("sync.ticket.damaged"),
            JoinFailure::OtherSecret => tr.t("sync.join.other_secret"),
            JoinFailure::Unreadable => tr.t("sync.join.unreadable"),
            JoinFailure::Other(why) => why.clone(),
        }
    }
}

/// What is wrong with a pasted ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketProblem {
    /// Not a Leerrijk invitation at all (another app's link, random text).
    Foreign,
    /// Cut off: part of the invitation is missing.
    Truncated,
    /// Changed or damaged characters.
    Damaged,
    /// Made by a newer version of Leerrijk.
    Newer,
}

impl TicketProblem {
    /// The explanation, in the current language.
    pub fn text(self, tr: &I18n) -> String {
        match self {
            TicketProblem::Foreign => tr.t("sync.ticket.foreign"),
            TicketProblem::Truncated => tr.t("sync.ticket.truncated"),
            TicketProblem::Damaged => tr.t("sync.ticket.damaged"),
            TicketProblem::Newer => tr.t("sync.ticket.newer"),
        }
    }
}

/// Why a sync action could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// Sync is not part of this build or not running.
    #[error("sync is not available")]
    Unavailable,
    /// The answer is being prepared off the GUI thread; ask again (the port repaints).
    #[error("being prepared")]
    Preparing,
    /// The ticket could not be read.
    #[error("not a valid invitation: {0:?}")]
    InvalidTicket(TicketProblem),
    /// A join is already running.
    #[error("a join is already running")]
    Busy,
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

    /// What this user looks at: the open trajectory (`None`: the start screen), the phase
    /// screen shown, and their name. Sent to the team as presence. The GUI calls this every
    /// frame; implementations act only when something changed.
    fn set_viewing(&self, trajectory: Option<&str>, phase: Option<u8>, name: &str) {
        let _ = (trajectory, phase, name);
    }
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
