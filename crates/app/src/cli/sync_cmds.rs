//! `invite`, `join`, `serve`, `sync`: peer-to-peer sync from the command line.

use std::sync::Arc;
use std::time::Duration;

use leerrijk_sync::{
    DeviceId, JoinSecret, RelayChoice, SyncEvent, SyncHandle, Ticket, TrajectoryId,
};

use crate::cli::outln;
use crate::exit::user_error;
use crate::hub::{Hub, HubEvent};
use crate::library::Library;
use crate::runtime::host::AppHost;
use crate::runtime::peer::{NetOptions, PeerRole, start_peer};

/// Network options shared by `join`, `serve` and `sync`.
#[derive(Debug, Clone, clap::Args)]
pub struct NetArgs {
    /// Relay servers: off, default (the public iroh relays, only used when there is
    /// internet) or the URL of your own relay.
    #[arg(
        long,
        env = "LEERRIJK_RELAY",
        default_value = "default",
        value_name = "off|default|URL"
    )]
    pub relay: String,
    /// Do not announce or look for devices on the local network (mDNS).
    #[arg(long, hide = true)]
    pub no_mdns: bool,
}

impl NetArgs {
    fn options(&self) -> anyhow::Result<NetOptions> {
        let relay: RelayChoice = self
            .relay
            .parse()
            .map_err(|e: leerrijk_sync::InvalidRelayChoice| user_error(e.to_string()))?;
        Ok(NetOptions {
            relay,
            mdns: !self.no_mdns,
        })
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn trajectory_id(id: &str) -> anyhow::Result<TrajectoryId> {
    TrajectoryId::new(id.trim()).map_err(|e| user_error(e.to_string()))
}

/// `invite ID`: prints a ticket, with the live addresses of this data directory's running
/// peer (`serve` or the app), if any.
pub fn invite(library: &Library, id: &str) -> anyhow::Result<()> {
    let session = library.open_trajectory(id)?;
    let title = session.trajectory().view().title;
    let tid = trajectory_id(id)?;
    let store_id = leerrijk_store::TrajectoryId::parse(id.trim())?;
    let secret = library.data_dir().join_secret(&store_id)?.ok_or_else(|| {
        user_error(format!(
            "trajectory {id} has no join secret, so it cannot be shared"
        ))
    })?;
    let device: DeviceId = library
        .device_id()
        .parse()
        .map_err(|e: leerrijk_sync::InvalidDeviceId| anyhow::anyhow!(e))?;
    let live_dir = library.data_dir().path().join("live");
    let (ticket, live) =
        leerrijk_sync::live_ticket(&live_dir, device, tid, JoinSecret(secret), &title);
    if !live {
        eprintln!(
            "leerrijk: note: no Leerrijk peer runs for this data directory, so the ticket holds no addresses; start `leerrijk serve` (or the app) here so others can join"
        );
    }
    outln!("{ticket}");
    Ok(())
}

/// `join TICKET --name NAME`: joins, syncs, registers the participant and this device,
/// prints the trajectory id.
pub fn join(
    library: Library,
    ticket: &str,
    name: &str,
    role: &str,
    timeout: u64,
    net: &NetArgs,
) -> anyhow::Result<()> {
    let ticket: Ticket = ticket
        .parse()
        .map_err(|e: leerrijk_sync::TicketError| user_error(e.to_string()))?;
    let role = leerrijk_model::Role::parse(role)?;
    let net = net.options()?;
    let hub = Hub::new(library);
    let host = AppHost::new(hub);
    runtime()?.block_on(async {
        let sync = start_peer(&host, &net, PeerRole::OneShot).await?;
        let result = crate::runtime::join::join(
            &host,
            &sync,
            &ticket,
            name,
            role,
            Duration::from_secs(timeout),
        )
        .await;
        if let Ok(id) = &result {
            crate::runtime::photos::wait_for_photos(&host, &sync, id, Duration::from_secs(timeout))
                .await;
        }
        sync.shutdown().await;
        let id = result?;
        outln!("{id}");
        Ok(())
    })
}

/// `sync ID`: dials the trajectory's known devices and syncs until up to date.
pub fn sync(library: Library, id: &str, timeout: u64, net: &NetArgs) -> anyhow::Result<()> {
    let tid = trajectory_id(id)?;
    let net = net.options()?;
    let hub = Hub::new(library);
    hub.session(tid.as_str())?;
    let host = AppHost::new(hub);
    runtime()?.block_on(async {
        let sync = start_peer(&host, &net, PeerRole::OneShot).await?;
        sync.dial_known(&tid);
        let result = sync.wait_in_sync(&tid, Duration::from_secs(timeout)).await;
        if result.is_ok() {
            crate::runtime::photos::wait_for_photos(
                &host,
                &sync,
                &tid,
                Duration::from_secs(timeout),
            )
            .await;
        }
        sync.shutdown().await;
        match result {
            Ok(n) => {
                eprintln!("leerrijk: {tid} is in sync with {n} peer(s)");
                Ok(())
            }
            Err(leerrijk_sync::WaitError::NoPeer(_)) => Err(user_error(format!(
                "no peer reachable for trajectory {tid} within {timeout} s"
            ))),
            Err(e) => Err(user_error(e.to_string())),
        }
    })
}

/// `serve`: runs a sync peer for every trajectory in the data directory until SIGINT or
/// SIGTERM. Prints `ready<TAB>ENDPOINT_ID` once accepting, then `ticket<TAB>ID<TAB>TICKET`
/// for every trajectory (also ones created or joined while it runs); peers joining and
/// leaving are logged on stderr.
pub fn serve(library: Library, net: &NetArgs) -> anyhow::Result<()> {
    let net = net.options()?;
    let hub = Hub::new(library);
    hub.start_watcher()?;
    let host = AppHost::new(hub.clone());
    runtime()?.block_on(async {
        let signals = StopSignals::new()?;
        let sync = start_peer(&host, &net, PeerRole::Serve).await?;
        let (added_tx, mut added_rx) = tokio::sync::mpsc::unbounded_channel();
        hub.subscribe(move |e| {
            if let HubEvent::Added(id) = e {
                let _ = added_tx.send(id.clone());
            }
        });
        let mut events = sync.subscribe();
        outln!("ready\t{}", sync.device_id());
        for id in hub.list()? {
            print_ticket(&hub, &sync, &id)?;
        }
        let mut stop = Box::pin(signals.wait());
        loop {
            tokio::select! {
                Some(id) = added_rx.recv() => print_ticket(&hub, &sync, &id)?,
                ev = events.recv() => match ev {
                    Ok(ev) => log_event(&ev),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(_) => break,
                },
                r = &mut stop => {
                    r?;
                    break;
                }
            }
        }
        sync.shutdown().await;
        Ok(())
    })
}

fn print_ticket(hub: &Arc<Hub>, sync: &SyncHandle, id: &str) -> anyhow::Result<()> {
    let Ok(tid) = TrajectoryId::new(id) else {
        return Ok(());
    };
    let title = match hub.read(id, |t| t.view().title) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("leerrijk: {id}: {}", crate::exit::one_line(&e));
            return Ok(());
        }
    };
    match sync.ticket(&tid, &title) {
        Ok(ticket) => outln!("ticket\t{id}\t{ticket}"),
        Err(e) => eprintln!("leerrijk: {id}: {e}"),
    }
    Ok(())
}

fn log_event(ev: &SyncEvent) {
    match ev {
        SyncEvent::PeerConnected { device } => eprintln!("leerrijk: peer joined: {device}"),
        SyncEvent::PeerDisconnected { device } => eprintln!("leerrijk: peer left: {device}"),
        SyncEvent::Refused {
            trajectory,
            device,
            reason,
            by_peer: false,
        } => eprintln!("leerrijk: refused {trajectory} to {device}: {reason}"),
        SyncEvent::Error { message, .. } => eprintln!("leerrijk: sync: {message}"),
        _ => {}
    }
}

/// SIGINT (Ctrl-C) and SIGTERM, registered when created, so a signal that arrives right
/// after `ready` is printed is not lost.
struct StopSignals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn new() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignals {})
        }
    }

    /// Resolves on the first stop signal.
    #[cfg_attr(not(unix), allow(unused_mut))]
    async fn wait(mut self) -> anyhow::Result<()> {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
            Ok(())
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await?;
            Ok(())
        }
    }
}
