//! One connection: a bidirectional QUIC stream carrying frames, driven by a [`Session`].
//!
//! Three futures run together: the reader (frames in), the writer (frames out) and the
//! session loop. The reader never waits for the writer, so large messages in both
//! directions cannot deadlock on flow control. Closing: the session queues `Bye`, the
//! writer finishes the send side, we wait (bounded) for the peer's end of stream, and only
//! then close the QUIC connection, which would otherwise drop unsent data.

use std::sync::Arc;
use std::time::Duration;

use iroh::endpoint::{Connection, RecvStream, SendStream, VarInt};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;

use crate::driver::blobs::BlobFetch;
use crate::driver::shared::{ConnCmd, Shared, UnauthenticatedSlot};
use crate::ids::DeviceId;
use crate::proto::{
    CloseReason, FrameError, MAX_UNAUTHENTICATED_FRAME_LEN, Output, Session, SessionEvent,
    decode_header_max,
};

/// How long to wait for the peer's end of stream after our `Bye`.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Frames at least this large are processed with `block_in_place` on a multi-threaded
/// runtime (merging them can take a while).
const LARGE_FRAME: usize = 256 * 1024;
/// Read granularity for frame payloads, so memory grows with received data only.
const READ_CHUNK: usize = 64 * 1024;

/// What a finished connection achieved.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Outcome {
    /// At least one trajectory was granted.
    pub(crate) granted_any: bool,
}

enum ReadItem {
    Frame(Vec<u8>),
    FrameError(FrameError),
    Eof,
    Gone(String),
}

enum WriteItem {
    Frame(Vec<u8>),
    Finish,
}

/// Runs a connection until it closes. `dialer` is `true` for connections we opened.
///
/// An incoming connection takes one of the [`MAX_UNAUTHENTICATED_CONNECTIONS`] places until
/// its peer proved a join secret; when none is free it is closed at once
/// ([`CloseReason::Busy`]).
///
/// [`MAX_UNAUTHENTICATED_CONNECTIONS`]: crate::driver::shared::MAX_UNAUTHENTICATED_CONNECTIONS
pub(crate) async fn run(shared: Arc<Shared>, conn: Connection, dialer: bool) -> Outcome {
    let remote = DeviceId(*conn.remote_id().as_bytes());
    let slot = if dialer {
        None
    } else {
        match shared.unauthenticated_slot() {
            Some(slot) => Some(slot),
            None => {
                tracing::debug!(peer = %remote, "too many unauthenticated connections; closed");
                close_conn(&conn, CloseReason::Busy);
                return Outcome::default();
            }
        }
    };
    let handshake = shared.config.handshake_timeout;
    let deadline = Instant::now() + handshake;
    let streams = tokio::time::timeout(handshake, async {
        if dialer {
            conn.open_bi().await
        } else {
            conn.accept_bi().await
        }
    })
    .await;
    let (send, recv) = match streams {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            tracing::debug!(peer = %remote, error = %e, "no stream on connection");
            return Outcome::default();
        }
        Err(_) => {
            tracing::warn!(peer = %remote, "peer opened no stream in time");
            close_conn(&conn, CloseReason::Timeout);
            return Outcome::default();
        }
    };

    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let conn_id = shared.register(remote, cmd_tx.clone());
    let blobs = BlobFetch::new(conn_id, cmd_tx);
    let (frame_tx, frame_rx) = mpsc::channel(4);
    let (write_tx, write_rx) = mpsc::unbounded_channel();
    let (done_tx, done_rx) = oneshot::channel();
    let (progress_tx, progress_rx) = watch::channel(Progress::default());
    let gate = Gate {
        max_frame: shared.config.limits.clamped().max_frame_len,
        progress: progress_rx,
        passed: 0,
    };
    let (_, _, outcome) = tokio::join!(
        read_frames(recv, frame_tx, gate),
        write_frames(send, write_rx, done_tx),
        session_loop(
            &shared,
            &conn,
            (conn_id, remote, blobs),
            (frame_rx, cmd_rx),
            (write_tx, done_rx),
            (progress_tx, slot, deadline),
        ),
    );
    shared.unregister(conn_id);
    outcome
}

/// How far the session loop got, for the reader's frame cap.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    /// A trajectory was granted: the peer proved a join secret.
    authed: bool,
    /// Frames the session handled so far.
    handled: u64,
}

/// The reader's frame cap: [`MAX_UNAUTHENTICATED_FRAME_LEN`] until the peer proved a join
/// secret, then `max_frame`.
struct Gate {
    max_frame: usize,
    progress: watch::Receiver<Progress>,
    /// Frames passed to the session so far.
    passed: u64,
}

impl Gate {
    /// Checks a frame of `len` bytes before its payload is read. A large frame announced
    /// before the grant waits (without reading it) until the session handled every frame
    /// before it: a correct peer sends large frames only after its `Prove`, which may still
    /// be on its way through the session. If that leaves the peer unauthenticated, the
    /// frame is too large.
    async fn admit(&mut self, len: usize) -> Result<(), FrameError> {
        let small = MAX_UNAUTHENTICATED_FRAME_LEN.min(self.max_frame);
        if len <= small {
            return Ok(());
        }
        let passed = self.passed;
        let settled = self
            .progress
            .wait_for(|p| p.authed || p.handled >= passed)
            .await
            .map(|p| p.authed);
        match settled {
            Ok(true) => Ok(()),
            _ => Err(FrameError::TooLarge { len, max: small }),
        }
    }
}

async fn read_frames(mut recv: RecvStream, tx: mpsc::Sender<ReadItem>, mut gate: Gate) {
    loop {
        let item = read_one(&mut recv, &mut gate).await;
        if matches!(item, ReadItem::Frame(_)) {
            gate.passed += 1;
        }
        let bad_frame = matches!(item, ReadItem::FrameError(_));
        let end = !matches!(item, ReadItem::Frame(_));
        if tx.send(item).await.is_err() {
            return;
        }
        if bad_frame {
            // Stop interpreting, but keep reading (and dropping) bytes so the session can
            // still see the peer's end of stream while it closes.
            let end = loop {
                match recv.read_chunk(READ_CHUNK).await {
                    Ok(Some(_)) => {}
                    Ok(None) => break ReadItem::Eof,
                    Err(e) => break ReadItem::Gone(e.to_string()),
                }
            };
            let _ = tx.send(end).await;
            return;
        }
        if end {
            return;
        }
    }
}

async fn read_one(recv: &mut RecvStream, gate: &mut Gate) -> ReadItem {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match recv.read(&mut header[got..]).await {
            Ok(Some(n)) => got += n,
            Ok(None) if got == 0 => return ReadItem::Eof,
            Ok(None) => return ReadItem::Gone("stream ended inside a frame header".into()),
            Err(e) => return ReadItem::Gone(e.to_string()),
        }
    }
    let len = match decode_header_max(header, gate.max_frame) {
        Ok(len) => len,
        Err(e) => return ReadItem::FrameError(e),
    };
    if let Err(e) = gate.admit(len).await {
        return ReadItem::FrameError(e);
    }
    let mut buf = Vec::with_capacity(len.min(READ_CHUNK));
    while buf.len() < len {
        let want = (len - buf.len()).min(READ_CHUNK);
        match recv.read_chunk(want).await {
            Ok(Some(chunk)) => buf.extend_from_slice(&chunk),
            Ok(None) => return ReadItem::Gone("stream ended inside a frame".into()),
            Err(e) => return ReadItem::Gone(e.to_string()),
        }
    }
    ReadItem::Frame(buf)
}

/// Writes frames until `Finish`, then finishes the stream and waits (bounded) until the
/// peer acknowledged everything, and reports that on `done`.
async fn write_frames(
    mut send: SendStream,
    mut rx: mpsc::UnboundedReceiver<WriteItem>,
    done: oneshot::Sender<()>,
) {
    while let Some(item) = rx.recv().await {
        match item {
            WriteItem::Frame(bytes) => {
                if let Err(e) = send.write_all(&bytes).await {
                    tracing::debug!(error = %e, "write failed");
                    let _ = done.send(());
                    return;
                }
            }
            WriteItem::Finish => break,
        }
    }
    if send.finish().is_ok() {
        let _ = tokio::time::timeout(CLOSE_WAIT, send.stopped()).await;
    }
    let _ = done.send(());
}

fn close_conn(conn: &Connection, reason: CloseReason) {
    conn.close(VarInt::from(reason.code()), reason.to_string().as_bytes());
}

/// Runs `f` with `block_in_place` on a multi-threaded runtime when `heavy`.
fn maybe_blocking<R>(heavy: bool, f: impl FnOnce() -> R) -> R {
    let multi = heavy
        && tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi {
        tokio::task::block_in_place(f)
    } else {
        f()
    }
}

async fn session_loop(
    shared: &Arc<Shared>,
    conn: &Connection,
    (conn_id, remote, mut blobs): (u64, DeviceId, BlobFetch),
    (mut frame_rx, mut cmd_rx): (mpsc::Receiver<ReadItem>, mpsc::UnboundedReceiver<ConnCmd>),
    (write_tx, write_done): (mpsc::UnboundedSender<WriteItem>, oneshot::Receiver<()>),
    (progress, mut slot, deadline): (
        watch::Sender<Progress>,
        Option<UnauthenticatedSlot>,
        Instant,
    ),
) -> Outcome {
    let host = shared.host.as_ref();
    let mut session = Session::with_limits(shared.me, remote, rand::random(), shared.config.limits);
    for t in host.trajectories() {
        if shared.should_open(&t, &remote) {
            session.open(&t, host);
        }
    }
    let mut outcome = Outcome::default();
    let mut handled: u64 = 0;
    let mut closing: Option<CloseReason> = None;
    let mut peer_gone = false;
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        // Flush outputs; events may produce more outputs.
        loop {
            let mut events = Vec::new();
            while let Some(out) = session.poll_output() {
                match out {
                    Output::Send(bytes) => {
                        let _ = write_tx.send(WriteItem::Frame(bytes));
                    }
                    Output::Event(e) => events.push(e),
                    Output::Close(r) => closing = Some(r),
                }
            }
            if events.is_empty() {
                break;
            }
            for e in events {
                on_event(
                    shared,
                    (conn_id, remote),
                    &mut session,
                    &mut blobs,
                    &mut outcome,
                    e,
                );
            }
        }
        for t in session.granted() {
            shared.set_their_heads(conn_id, &t, session.their_heads(&t));
        }
        if outcome.granted_any {
            drop(slot.take());
        }
        progress.send_if_modified(|p| {
            let now = Progress {
                authed: outcome.granted_any,
                handled,
            };
            let changed = p.authed != now.authed || p.handled != now.handled;
            *p = now;
            changed
        });
        if closing.is_some() {
            break;
        }
        let waiting_for_grant = !outcome.granted_any;
        tokio::select! {
            item = frame_rx.recv() => match item {
                Some(ReadItem::Frame(bytes)) => {
                    // The last part of a large message may be small; merging it is not.
                    let heavy = bytes.len() >= LARGE_FRAME || session.reassembly_buffered() > 0;
                    maybe_blocking(heavy, || session.handle_frame(&bytes, host));
                    handled += 1;
                }
                Some(ReadItem::FrameError(e)) => {
                    tracing::warn!(peer = %remote, error = %e, "bad frame");
                    session.frame_error(&e);
                }
                Some(ReadItem::Gone(e)) => {
                    tracing::debug!(peer = %remote, error = %e, "connection lost");
                    peer_gone = true;
                    break;
                }
                Some(ReadItem::Eof) | None => {
                    peer_gone = true;
                    break;
                }
            },
            cmd = cmd_rx.recv() => match cmd {
                Some(cmd) => on_cmd(shared, remote, &mut session, &mut blobs, cmd),
                None => break,
            },
            _ = tokio::time::sleep_until(deadline), if waiting_for_grant => {
                session.close(CloseReason::Timeout, "no trajectory granted in time");
            }
            _ = shutdown.wait_for(|v| *v) => {
                session.close(CloseReason::Shutdown, "shutting down");
            }
        }
    }
    // Drain the Bye (if any) into the writer, then finish our side.
    while let Some(out) = session.poll_output() {
        if let Output::Send(bytes) = out {
            let _ = write_tx.send(WriteItem::Frame(bytes));
        }
    }
    let _ = write_tx.send(WriteItem::Finish);
    let reason = closing.unwrap_or(CloseReason::Shutdown);
    // Our last frames (the Bye) are acknowledged once the writer is done.
    let _ = tokio::time::timeout(CLOSE_WAIT, write_done).await;
    if !peer_gone {
        // Wait for the peer's end of stream: it has read our Bye and finished too.
        let _ = tokio::time::timeout(CLOSE_WAIT, async {
            while let Some(item) = frame_rx.recv().await {
                if matches!(item, ReadItem::Eof | ReadItem::Gone(_)) {
                    break;
                }
            }
        })
        .await;
    }
    close_conn(conn, reason);
    outcome
}

fn on_cmd(
    shared: &Arc<Shared>,
    remote: DeviceId,
    session: &mut Session,
    blobs: &mut BlobFetch,
    cmd: ConnCmd,
) {
    let host = shared.host.as_ref();
    match cmd {
        ConnCmd::LocalChange(t) => {
            if session.is_granted(&t) {
                session.local_change(&t, host);
            } else if session.is_ready()
                && !session.is_open_or_pending(&t)
                && shared.should_open(&t, &remote)
            {
                session.open(&t, host);
            }
        }
        ConnCmd::Rescan => {
            for t in host.trajectories() {
                if !session.is_open_or_pending(&t) && shared.should_open(&t, &remote) {
                    session.open(&t, host);
                }
            }
        }
        ConnCmd::Presence(t) => {
            if session.is_granted(&t) {
                session.send_presence(shared.presence_message(&t, remote));
            }
        }
        ConnCmd::FetchBlobs(t) => {
            if session.is_granted(&t) {
                blobs.schedule(shared, &t);
            }
        }
        ConnCmd::WantBlobs(t, hashes) => blobs.wanted(shared, session, &t, hashes),
        ConnCmd::BlobReady {
            trajectory,
            hash,
            bytes,
        } => session.send_blob(&trajectory, hash, bytes),
    }
}

fn on_event(
    shared: &Arc<Shared>,
    (conn_id, remote): (u64, DeviceId),
    session: &mut Session,
    blobs: &mut BlobFetch,
    outcome: &mut Outcome,
    e: SessionEvent,
) {
    match e {
        SessionEvent::Ready => shared.set_ready(conn_id),
        SessionEvent::Granted(t) => {
            outcome.granted_any = true;
            shared.on_granted(conn_id, &t);
            session.send_presence(shared.presence_message(&t, remote));
        }
        SessionEvent::Refused {
            trajectory,
            reason,
            by_peer,
        } => {
            shared.on_revoked(conn_id, &trajectory);
            // A refusal by us is reported at most once per peer per minute (a peer retrying
            // a bad proof must not flood the log); one by the peer always reaches the
            // application, which explains it (a join ends with it).
            if by_peer {
                tracing::debug!(peer = %remote, trajectory = %trajectory, %reason, "the peer refused a trajectory");
            } else if shared.report_refusal(remote) {
                tracing::info!(peer = %remote, trajectory = %trajectory, %reason, "refused a peer's proof (further refusals of this peer within a minute are not logged)");
            } else {
                tracing::trace!(peer = %remote, trajectory = %trajectory, %reason, "refused a peer's proof again");
                return;
            }
            shared.emit(crate::SyncEvent::Refused {
                trajectory,
                device: remote,
                reason: reason.to_string(),
                by_peer,
            });
        }
        SessionEvent::RemoteChanges(t) => {
            shared.remote_changed(conn_id, &t);
            blobs.schedule(shared, &t);
        }
        SessionEvent::ChangesRefused {
            trajectory,
            peer,
            reason,
        } => {
            tracing::warn!(peer = %peer, trajectory = %trajectory, %reason, "changes from peer refused, nothing applied");
            shared.emit(crate::SyncEvent::ChangesRefused {
                trajectory,
                device: peer,
                reason,
            });
        }
        SessionEvent::SyncStatus {
            trajectory,
            in_sync,
        } => {
            shared.set_in_sync(conn_id, &trajectory, in_sync);
            if in_sync {
                blobs.schedule(shared, &trajectory);
                let host = shared.host.clone();
                tokio::task::spawn_blocking(move || host.in_step_with_peer(&trajectory));
            }
        }
        SessionEvent::BlobRequested { trajectory, hash } => {
            blobs.serve(shared, trajectory, hash);
        }
        SessionEvent::BlobReceived {
            trajectory,
            hash,
            bytes,
        } => blobs.store(shared, trajectory, hash, bytes),
        SessionEvent::BlobUnavailable { trajectory, hash } => {
            tracing::debug!(peer = %remote, trajectory = %trajectory, %hash, "peer does not have this photo");
            blobs.not_from_here(shared, trajectory, hash);
        }
        SessionEvent::BlobRejected {
            trajectory,
            hash,
            reason,
        } => {
            tracing::warn!(peer = %remote, trajectory = %trajectory, %hash, %reason, "photo from peer refused");
            shared.emit(crate::SyncEvent::Error {
                trajectory: Some(trajectory.clone()),
                device: Some(remote),
                message: format!("photo {hash} refused: {reason}"),
            });
            blobs.not_from_here(shared, trajectory, hash);
        }
        SessionEvent::Presence(p) => shared.on_presence(remote, p),
        SessionEvent::PeerBye { reason, detail } => {
            log_close(shared, remote, reason, detail, true);
        }
        SessionEvent::Closing { reason, detail } => {
            log_close(shared, remote, reason, detail, false);
        }
        SessionEvent::Error {
            trajectory,
            message,
        } => {
            tracing::warn!(peer = %remote, trajectory = ?trajectory, "{message}");
            shared.emit(crate::SyncEvent::Error {
                trajectory,
                device: Some(remote),
                message,
            });
        }
    }
}

fn log_close(
    shared: &Shared,
    remote: DeviceId,
    reason: CloseReason,
    detail: String,
    by_peer: bool,
) {
    match reason {
        CloseReason::Shutdown | CloseReason::NothingShared => {
            tracing::debug!(peer = %remote, %reason, %detail, by_peer, "connection closing");
        }
        CloseReason::WrongSecret => {
            // The refusal that led to it was reported (rate-limited) already.
            tracing::debug!(peer = %remote, %reason, %detail, by_peer, "connection closing");
            shared.emit(crate::SyncEvent::ConnectionClosed {
                device: remote,
                reason,
                detail,
                by_peer,
            });
        }
        _ => {
            tracing::warn!(peer = %remote, %reason, %detail, by_peer, "connection closing");
            shared.emit(crate::SyncEvent::ConnectionClosed {
                device: remote,
                reason,
                detail,
                by_peer,
            });
        }
    }
}
