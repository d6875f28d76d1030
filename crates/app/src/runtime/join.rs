//! Joining a trajectory with a ticket.

use std::sync::Arc;
use std::time::Duration;

use leerrijk_sync::{SyncHandle, Ticket, TrajectoryId};

use crate::exit::user_error;
use crate::runtime::host::AppHost;

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
            return Err(user_error(format!(
                "trajectory {id} is already here with another join secret; this ticket does not belong to it"
            )));
        }
    } else {
        host.add_pending(&id, &ticket.secret);
    }
    sync.join(ticket)?;
    if let Err(e) = sync.wait_in_sync(&id, timeout).await {
        if !exists {
            host.drop_pending(&id);
        }
        return Err(user_error(format!(
            "could not join \"{}\": {e}; is Leerrijk running on the inviter's device, on this network?",
            ticket.title
        )));
    }
    if !exists {
        host.store_pending(&id).map_err(|e| {
            user_error(format!(
                "the inviter's device sent no readable trajectory: {}",
                crate::exit::one_line(&e)
            ))
        })?;
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
