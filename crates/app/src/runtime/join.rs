//! Joining a trajectory with a ticket.

use std::sync::Arc;
use std::time::Duration;

use leerrijk_sync::{SyncError, SyncEvent, SyncHandle, Ticket, TrajectoryId, WaitError};
use tokio::sync::broadcast::error::RecvError;

use crate::exit::{UserError, user_error};
use crate::runtime::host::AppHost;

/// Why a join failed, for callers that explain it in their own words (the GUI). The errors
/// [`join`] returns carry one of these in their chain (find it with
/// [`JoinError::find`]) under a [`UserError`] with the same English text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The trajectory is already in this data directory with another join secret.
    #[error(
        "trajectory {0} is already here with another join secret; this ticket does not belong to it"
    )]
    OtherSecret(TrajectoryId),
    /// No peer for the trajectory could be reached before the deadline.
    #[error(
        "could not join \"{title}\": {detail}; is Leerrijk running on the inviter's device, on this network?"
    )]
    Unreachable {
        /// The ticket's title.
        title: String,
        /// What sync reported.
        detail: String,
    },
    /// A peer was reached but the trajectory did not arrive completely before the deadline.
    #[error("could not join \"{title}\": {detail}; the connection is too slow or was lost")]
    Incomplete {
        /// The ticket's title.
        title: String,
        /// What sync reported.
        detail: String,
    },
    /// The inviter's device refused this ticket (it does not have the trajectory, or the
    /// secret does not match: an old or altered invitation). The text is the peer's reason,
    /// for logs.
    #[error(
        "this invitation has expired or is not valid (the inviter's device refused it); ask for a new invitation"
    )]
    Refused(String),
    /// The ticket decodes but one of its parts cannot be used.
    #[error("the invitation is damaged: {0}")]
    Damaged(String),
    /// What arrived is not a trajectory this version can read.
    #[error("the inviter's device sent no readable trajectory: {0}")]
    Unreadable(String),
}

impl JoinError {
    /// The [`JoinError`] of an error made by [`JoinError::into_user_error`], if any.
    pub fn find(err: &anyhow::Error) -> Option<&JoinError> {
        err.downcast_ref::<JoinError>()
    }

    /// As an `anyhow` error that counts as a user error (exit code 1): a [`UserError`] with
    /// the same text, under this error as context.
    pub fn into_user_error(self) -> anyhow::Error {
        let text = self.to_string();
        anyhow::Error::new(UserError(text)).context(self)
    }
}

/// Joins the ticket's trajectory as participant `name` (with `role` if the name is new): syncs it from the inviter, stores it,
/// registers the participant and this device in the document, and waits (up to `timeout`)
/// until the inviter has that registration. Returns the trajectory id.
///
/// Joining a trajectory that is already here just syncs it and makes sure the participant
/// and device are registered.
pub async fn join(
    host: &Arc<AppHost>,
    sync: &SyncHandle,
    ticket: &Ticket,
    name: &str,
    role: leerrijk_model::Role,
    timeout: Duration,
) -> anyhow::Result<TrajectoryId> {
    let name = name.trim();
    if name.is_empty() {
        return Err(user_error("--name must not be empty"));
    }
    let hub = host.hub().clone();
    let id = ticket.trajectory.clone();
    let exists = hub.list()?.iter().any(|t| t == id.as_str());
    if exists {
        let store_id = leerrijk_store::TrajectoryId::parse(id.as_str())?;
        let ours = hub.library().data_dir().join_secret(&store_id)?;
        if ours.as_ref() != Some(ticket.secret.as_bytes()) {
            return Err(JoinError::OtherSecret(id).into_user_error());
        }
    } else {
        host.add_pending(&id, &ticket.secret);
    }
    let mut events = sync.subscribe();
    if let Err(e) = sync.join(ticket) {
        if !exists {
            host.drop_pending(&id);
        }
        return Err(match e {
            SyncError::InvalidDevice => {
                JoinError::Damaged("its device id is invalid".into()).into_user_error()
            }
            e => e.into(),
        });
    }
    // The inviter refusing the proof ends the join at once (it answers as soon as it has
    // checked the proof), instead of waiting for the timeout.
    let inviter = ticket.inviter;
    let refused = async {
        loop {
            match events.recv().await {
                Ok(SyncEvent::Refused {
                    trajectory,
                    device,
                    by_peer: true,
                    reason,
                }) if trajectory == id && device == inviter => return reason,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => std::future::pending::<()>().await,
            }
        }
    };
    let first = tokio::select! {
        r = sync.wait_in_sync(&id, timeout) => r.map_err(|e| {
            let title = ticket.title.clone();
            let detail = e.to_string();
            match e {
                WaitError::NotInSync { .. } => JoinError::Incomplete { title, detail },
                WaitError::NoPeer(_) | WaitError::Stopped => JoinError::Unreachable { title, detail },
            }
        }),
        reason = refused => Err(JoinError::Refused(reason)),
    };
    if let Err(err) = first {
        if !exists {
            host.drop_pending(&id);
        }
        return Err(err.into_user_error());
    }
    if !exists {
        host.store_pending(&id)
            .map_err(|e| JoinError::Unreadable(crate::exit::one_line(&e)).into_user_error())?;
    }
    let device = hub.library().device_id().to_owned();
    let registered = hub.edit(id.as_str(), |t| {
        let pid = match t.find_participant_by_name(name) {
            Some(pid) => pid,
            None => t.add_participant(name, role)?,
        };
        t.add_device(&pid, &device)?;
        Ok(pid)
    });
    match registered {
        Ok(_) => {
            if let Err(e) = sync.wait_in_sync(&id, timeout).await {
                tracing::warn!(trajectory = %id, error = %e, "registration not yet confirmed by a peer; it syncs at the next meeting");
            }
        }
        Err(e) => {
            tracing::warn!(trajectory = %id, error = %crate::exit::one_line(&e), "could not register as participant");
        }
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_errors_are_user_errors_with_one_line_and_can_be_found() {
        let e = JoinError::Refused("wrong join secret".into()).into_user_error();
        assert_eq!(crate::exit::exit_code(&e), 1);
        assert_eq!(
            crate::exit::one_line(&e),
            "this invitation has expired or is not valid (the inviter's device refused it); ask for a new invitation"
        );
        assert!(matches!(JoinError::find(&e), Some(JoinError::Refused(_))));
        assert!(JoinError::find(&anyhow::anyhow!("other")).is_none());
    }
}
