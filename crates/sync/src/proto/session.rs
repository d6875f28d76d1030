//! The per-connection protocol state machine.
//!
//! A [`Session`] consumes decoded input (frame payloads, local changes, presence) and
//! produces [`Output`]s: framed bytes to write, events for the driver and a final close.
//! It performs no IO and never blocks; documents are reached through
//! [`DocumentHost::with_doc`] for the duration of one call.
//!
//! Handshake, per connection:
//! 1. Both sides send `Hello { version, nonce }` at once.
//! 2. A side that wants a trajectory sends `Prove { trajectory, proof }` (see
//!    [`crate::proto::auth`]). The receiver checks the proof against its own join secret:
//!    unknown trajectory or wrong proof → `Refuse` with one reason for both
//!    ([`RefuseReason::WrongSecret`], so existence cannot be probed); right proof → it
//!    answers with its own `Prove` (unless it already sent one). When a refusal leaves
//!    nothing to sync on the connection, both sides close it (`Bye(WrongSecret)` or
//!    `Bye(NothingShared)`), so a stale secret for one trajectory never blocks the others.
//! 3. A trajectory is *granted* once this side has sent its proof and verified the peer's.
//!    Only then do `Sync` and `Presence` frames for it flow, and frames for trajectories
//!    that are not granted close the connection as malformed.
//!
//! Each granted trajectory has a fresh `automerge::sync::State`, so sync state is reset
//! per connection.
//!
//! Photos ([`crate::blob`]): for a granted trajectory, [`Session::request_blob`] sends a
//! `BlobRequest` (at most [`MAX_PENDING_BLOBS`] at a time). A request for a photo the
//! trajectory does not reference is answered with "not available"; a referenced one becomes
//! [`SessionEvent::BlobRequested`], and the driver answers with [`Session::send_blob`] once
//! it has read the bytes. A received `Blob` that was not requested, is over
//! [`MAX_BLOB_LEN`] or does not hash to its name is refused ([`SessionEvent::BlobRejected`])
//! and never reaches the host; a good one is [`SessionEvent::BlobReceived`]. Blob messages
//! for trajectories that are not granted close the connection like any other frame.
//!
//! Large sync messages: automerge sends a whole document as one sync message when the peer
//! lacks most of it, which can exceed the frame cap ([`Limits::max_frame_len`]). Such a
//! message goes out as consecutive `SyncPart` frames; smaller ones as one `Sync` frame. The
//! receiver reassembles parts per trajectory and applies the message only once the last
//! part arrived. Any deviation closes the connection and applies nothing: a part for a
//! trajectory that is not granted, a first part with an index other than 0, a part out of
//! order or with another total than the earlier parts, a `Sync` for the trajectory while
//! parts are pending, or more buffered than [`Limits::max_sync_message_len`] (summed over
//! all trajectories of the connection, counting allocated capacity), which closes with
//! [`CloseReason::MessageTooLarge`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::ChangeHash;
use automerge::sync::{self, SyncDoc};

use crate::blob::{BlobHash, MAX_BLOB_LEN};
use crate::host::DocumentHost;
use crate::ids::{DeviceId, JoinSecret, TrajectoryId};
use crate::proto::auth::{self, ProofContext};
use crate::proto::frame::{FrameError, encode_frame_max};
use crate::proto::limits::{Limits, MAX_UNAUTHENTICATED_FRAME_LEN};
use crate::proto::message::{
    CloseReason, Message, PROTOCOL_VERSION, RefuseReason, SYNC_PART_OVERHEAD,
};
use crate::proto::presence::Presence;

/// What the session wants its driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Write these bytes (one complete frame, length prefix included) to the stream.
    Send(Vec<u8>),
    /// Something the driver or the application may want to know.
    Event(SessionEvent),
    /// Flush what was queued, finish the send side and close the connection.
    Close(CloseReason),
}

/// Events produced by a [`Session`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// Both `Hello`s were exchanged and versions match.
    Ready,
    /// A trajectory is granted: both sides proved its join secret.
    Granted(TrajectoryId),
    /// A trajectory will not be synced on this connection.
    Refused {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// Why.
        reason: RefuseReason,
        /// `true` if the peer refused it, `false` if we did.
        by_peer: bool,
    },
    /// Changes from the peer were merged into the document (its heads changed).
    RemoteChanges(TrajectoryId),
    /// The peer's changes broke the document's limits and were refused: nothing of them was
    /// applied, and the connection closes.
    ChangesRefused {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The device that sent them.
        peer: DeviceId,
        /// Why, as one line.
        reason: String,
    },
    /// Whether the document has the same heads as the peer's last reported heads.
    SyncStatus {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// `true` when both sides have the same heads.
        in_sync: bool,
    },
    /// The peer's presence for a granted trajectory.
    Presence(Presence),
    /// The peer closed the connection with this reason.
    PeerBye {
        /// The reason code.
        reason: CloseReason,
        /// The peer's detail text.
        detail: String,
    },
    /// We close the connection (the reason is also in [`Output::Close`]).
    Closing {
        /// The reason.
        reason: CloseReason,
        /// Detail for logs.
        detail: String,
    },
    /// The peer asks for a photo of a granted trajectory that the trajectory references.
    /// The driver reads it and answers with [`Session::send_blob`].
    BlobRequested {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo.
        hash: BlobHash,
    },
    /// A photo we requested arrived, within the cap and with the right hash: store it.
    BlobReceived {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo.
        hash: BlobHash,
        /// Its bytes (verified).
        bytes: Vec<u8>,
    },
    /// The peer does not have a photo we requested.
    BlobUnavailable {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo.
        hash: BlobHash,
    },
    /// A photo from the peer was refused (not requested, too large, wrong hash); nothing
    /// of it was kept.
    BlobRejected {
        /// The trajectory.
        trajectory: TrajectoryId,
        /// The photo's claimed hash.
        hash: BlobHash,
        /// Why, for logs.
        reason: String,
    },
    /// A local problem that did not close the connection.
    Error {
        /// The trajectory concerned, if any.
        trajectory: Option<TrajectoryId>,
        /// One line for logs and the UI.
        message: String,
    },
}

/// Most photos requested from one peer and not answered yet.
pub const MAX_PENDING_BLOBS: usize = 4;
/// Most photo requests from one peer being served at once; more are answered "not available".
pub const MAX_SERVING_BLOBS: usize = 16;

#[derive(Debug, Default)]
struct Traj {
    sent_proof: bool,
    peer_proved: bool,
    sync: sync::State,
    in_sync: bool,
    /// A sync message being received in parts.
    partial: Option<Partial>,
}

/// The parts of a sync message received so far.
#[derive(Debug)]
struct Partial {
    /// Number of parts the message announced.
    total: u32,
    /// Index of the part expected next.
    next: u32,
    /// The parts' data, concatenated; its capacity counts against the reassembly cap.
    buf: Vec<u8>,
}

impl Traj {
    fn granted(&self) -> bool {
        self.sent_proof && self.peer_proved
    }
}

/// The protocol state of one connection.
#[derive(Debug)]
pub struct Session {
    local: DeviceId,
    remote: DeviceId,
    local_nonce: [u8; 32],
    remote_nonce: Option<[u8; 32]>,
    closed: bool,
    trajs: BTreeMap<TrajectoryId, Traj>,
    wanted: BTreeSet<TrajectoryId>,
    refused_by_us: BTreeSet<TrajectoryId>,
    refused_by_peer: BTreeSet<TrajectoryId>,
    blobs_pending: BTreeSet<(TrajectoryId, BlobHash)>,
    blobs_serving: BTreeSet<(TrajectoryId, BlobHash)>,
    limits: Limits,
    out: VecDeque<Output>,
}

impl Session {
    /// Starts a session between `local` and the authenticated `remote` device with the
    /// default [`Limits`]; `nonce` must be 32 fresh random bytes. Queues our `Hello`.
    pub fn new(local: DeviceId, remote: DeviceId, nonce: [u8; 32]) -> Self {
        Self::with_limits(local, remote, nonce, Limits::default())
    }

    /// Like [`Session::new`], with other size limits (clamped with [`Limits::clamped`]).
    pub fn with_limits(local: DeviceId, remote: DeviceId, nonce: [u8; 32], limits: Limits) -> Self {
        let mut s = Self {
            local,
            remote,
            local_nonce: nonce,
            remote_nonce: None,
            closed: false,
            trajs: BTreeMap::new(),
            wanted: BTreeSet::new(),
            refused_by_us: BTreeSet::new(),
            refused_by_peer: BTreeSet::new(),
            blobs_pending: BTreeSet::new(),
            blobs_serving: BTreeSet::new(),
            limits: limits.clamped(),
            out: VecDeque::new(),
        };
        s.send(&Message::Hello {
            version: PROTOCOL_VERSION,
            nonce,
        });
        s
    }

    /// The peer's device id.
    pub fn remote(&self) -> DeviceId {
        self.remote
    }

    /// The size limits in force (after clamping).
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Bytes allocated for sync messages being reassembled from parts, over all
    /// trajectories; never more than [`Limits::max_sync_message_len`].
    pub fn reassembly_buffered(&self) -> usize {
        self.trajs
            .values()
            .filter_map(|t| t.partial.as_ref())
            .map(|p| p.buf.capacity())
            .sum()
    }

    /// `true` once both `Hello`s were exchanged.
    pub fn is_ready(&self) -> bool {
        self.remote_nonce.is_some() && !self.closed
    }

    /// `true` after the session decided to close (or the peer said bye).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Whether `trajectory` is granted on this connection.
    pub fn is_granted(&self, trajectory: &TrajectoryId) -> bool {
        self.trajs.get(trajectory).is_some_and(Traj::granted)
    }

    /// `true` if `trajectory` was requested, granted or refused by the peer on this
    /// connection (no need to open it again).
    pub fn is_open_or_pending(&self, trajectory: &TrajectoryId) -> bool {
        self.wanted.contains(trajectory)
            || self.refused_by_peer.contains(trajectory)
            || self.trajs.get(trajectory).is_some_and(|t| t.sent_proof)
    }

    /// The heads the peer last reported for a granted trajectory.
    pub fn their_heads(&self, trajectory: &TrajectoryId) -> Option<Vec<ChangeHash>> {
        self.trajs
            .get(trajectory)
            .filter(|t| t.granted())
            .and_then(|t| t.sync.their_heads.clone())
    }

    /// The trajectories granted on this connection.
    pub fn granted(&self) -> Vec<TrajectoryId> {
        self.trajs
            .iter()
            .filter(|(_, t)| t.granted())
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Whether `trajectory` is granted and has the peer's last reported heads.
    pub fn is_in_sync(&self, trajectory: &TrajectoryId) -> bool {
        self.trajs
            .get(trajectory)
            .is_some_and(|t| t.granted() && t.in_sync)
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// Asks to sync `trajectory` with the peer by sending our proof (after `Hello` if it
    /// has not arrived yet). Does nothing if it is already requested or granted.
    pub fn open(&mut self, trajectory: &TrajectoryId, host: &dyn DocumentHost) {
        if self.closed || self.is_open_or_pending(trajectory) {
            return;
        }
        let Some(remote_nonce) = self.remote_nonce else {
            self.wanted.insert(trajectory.clone());
            return;
        };
        let Some(secret) = host.join_secret(trajectory) else {
            self.event(SessionEvent::Error {
                trajectory: Some(trajectory.clone()),
                message: format!("cannot open trajectory {trajectory}: no join secret"),
            });
            return;
        };
        let proof = auth::prove(
            &secret,
            trajectory,
            ProofContext {
                prover: &self.local,
                verifier: &self.remote,
                prover_nonce: &self.local_nonce,
                verifier_nonce: &remote_nonce,
            },
        );
        self.refused_by_us.remove(trajectory);
        let entry = self.trajs.entry(trajectory.clone()).or_default();
        entry.sent_proof = true;
        let granted = entry.granted();
        self.send(&Message::Prove {
            trajectory: trajectory.clone(),
            proof,
        });
        if granted {
            self.on_granted(trajectory, host);
        }
    }

    /// Tells the session the document changed locally: sends a sync message if the
    /// trajectory is granted and automerge has something to send.
    pub fn local_change(&mut self, trajectory: &TrajectoryId, host: &dyn DocumentHost) {
        if self.closed || !self.is_granted(trajectory) {
            return;
        }
        self.generate(trajectory, host);
    }

    /// Sends our presence for a granted trajectory (ignored otherwise).
    pub fn send_presence(&mut self, presence: Presence) {
        if self.closed || !self.is_granted(&presence.trajectory) {
            return;
        }
        self.send(&Message::Presence(presence));
    }

    /// Asks the peer for a photo of a granted trajectory. Returns `false` (and sends
    /// nothing) if the trajectory is not granted, the photo is already requested, or
    /// [`MAX_PENDING_BLOBS`] requests are open.
    pub fn request_blob(&mut self, trajectory: &TrajectoryId, hash: BlobHash) -> bool {
        if self.closed
            || !self.is_granted(trajectory)
            || self.blobs_pending.len() >= MAX_PENDING_BLOBS
            || !self.blobs_pending.insert((trajectory.clone(), hash))
        {
            return false;
        }
        self.send(&Message::BlobRequest {
            trajectory: trajectory.clone(),
            hash,
        });
        true
    }

    /// Photos requested from the peer and not answered yet.
    pub fn pending_blobs(&self) -> usize {
        self.blobs_pending.len()
    }

    /// Whether a photo was requested from the peer and not answered yet.
    pub fn is_blob_pending(&self, trajectory: &TrajectoryId, hash: &BlobHash) -> bool {
        self.blobs_pending.contains(&(trajectory.clone(), *hash))
    }

    /// Answers a [`SessionEvent::BlobRequested`] with the bytes the host read (`None`: not
    /// stored here). Bytes over [`MAX_BLOB_LEN`] or with another hash are not sent; the peer
    /// hears "not available".
    pub fn send_blob(&mut self, trajectory: &TrajectoryId, hash: BlobHash, bytes: Option<Vec<u8>>) {
        if !self.blobs_serving.remove(&(trajectory.clone(), hash))
            || self.closed
            || !self.is_granted(trajectory)
        {
            return;
        }
        let bytes = match bytes {
            Some(b) if b.len() > MAX_BLOB_LEN => {
                self.event(SessionEvent::Error {
                    trajectory: Some(trajectory.clone()),
                    message: format!(
                        "photo {hash} is {} bytes, over the {MAX_BLOB_LEN} byte limit; not sent",
                        b.len()
                    ),
                });
                None
            }
            Some(b) if !hash.matches(&b) => {
                self.event(SessionEvent::Error {
                    trajectory: Some(trajectory.clone()),
                    message: format!("stored photo {hash} is damaged; not sent"),
                });
                None
            }
            other => other,
        };
        self.send(&Message::Blob {
            trajectory: trajectory.clone(),
            hash,
            bytes,
        });
    }

    /// Closes the session: queues `Bye` and [`Output::Close`].
    pub fn close(&mut self, reason: CloseReason, detail: impl Into<String>) {
        if self.closed {
            return;
        }
        let detail = detail.into();
        // Nothing half-received is applied; free it.
        for t in self.trajs.values_mut() {
            t.partial = None;
        }
        self.send(&Message::Bye {
            reason,
            detail: detail.clone(),
        });
        self.closed = true;
        self.event(SessionEvent::Closing { reason, detail });
        self.out.push_back(Output::Close(reason));
    }

    /// Reports a frame-level error from the reader (oversized or empty frame).
    pub fn frame_error(&mut self, err: &FrameError) {
        let reason = match err {
            FrameError::TooLarge { .. } => CloseReason::FrameTooLarge,
            FrameError::Empty => CloseReason::Malformed,
        };
        self.close(reason, err.to_string());
    }

    /// `true` once the peer proved the join secret of some trajectory on this connection
    /// and it was granted; before that, frames are capped at
    /// [`MAX_UNAUTHENTICATED_FRAME_LEN`].
    pub fn is_authenticated(&self) -> bool {
        self.trajs.values().any(Traj::granted)
    }

    /// The largest frame payload accepted now: [`MAX_UNAUTHENTICATED_FRAME_LEN`] until the
    /// peer is authenticated ([`Session::is_authenticated`]), then
    /// [`Limits::max_frame_len`].
    pub fn frame_cap(&self) -> usize {
        if self.is_authenticated() {
            self.limits.max_frame_len
        } else {
            self.limits.max_frame_len.min(MAX_UNAUTHENTICATED_FRAME_LEN)
        }
    }

    /// Handles one received frame payload. A payload over [`Session::frame_cap`] closes
    /// the connection with [`CloseReason::FrameTooLarge`].
    pub fn handle_frame(&mut self, payload: &[u8], host: &dyn DocumentHost) {
        if self.closed {
            return;
        }
        let cap = self.frame_cap();
        if payload.len() > cap {
            self.frame_error(&FrameError::TooLarge {
                len: payload.len(),
                max: cap,
            });
            return;
        }
        let msg = match Message::decode(payload) {
            Ok(m) => m,
            Err(e) => {
                self.close(CloseReason::Malformed, format!("undecodable message: {e}"));
                return;
            }
        };
        if self.remote_nonce.is_none()
            && !matches!(msg, Message::Hello { .. } | Message::Bye { .. })
        {
            self.close(
                CloseReason::Malformed,
                format!("{} before hello", msg.kind()),
            );
            return;
        }
        match msg {
            Message::Hello { version, nonce } => self.on_hello(version, nonce, host),
            Message::Prove { trajectory, proof } => self.on_prove(trajectory, proof, host),
            Message::Refuse { trajectory, reason } => self.on_refuse(trajectory, reason),
            Message::Sync { trajectory, data } => {
                if self.check_granted(&trajectory, "sync") {
                    if self
                        .trajs
                        .get(&trajectory)
                        .is_some_and(|t| t.partial.is_some())
                    {
                        self.close(
                            CloseReason::Malformed,
                            format!("sync for {trajectory} while its sync parts are pending"),
                        );
                    } else {
                        self.on_sync(trajectory, &data, host);
                    }
                }
            }
            Message::SyncPart {
                trajectory,
                index,
                total,
                data,
            } => self.on_sync_part(trajectory, (index, total), &data, host),
            Message::Presence(p) => {
                if self.check_granted(&p.trajectory, "presence") {
                    self.event(SessionEvent::Presence(p));
                }
            }
            Message::BlobRequest { trajectory, hash } => {
                self.on_blob_request(trajectory, hash, host);
            }
            Message::Blob {
                trajectory,
                hash,
                bytes,
            } => self.on_blob(trajectory, hash, bytes),
            Message::Bye { reason, detail } => {
                self.closed = true;
                self.event(SessionEvent::PeerBye { reason, detail });
                self.out.push_back(Output::Close(reason));
            }
        }
    }

    fn on_blob_request(
        &mut self,
        trajectory: TrajectoryId,
        hash: BlobHash,
        host: &dyn DocumentHost,
    ) {
        if !self.check_granted(&trajectory, "blob request") {
            return;
        }
        let key = (trajectory.clone(), hash);
        if self.blobs_serving.contains(&key) {
            return;
        }
        let referenced = host.references_blob(&trajectory, &hash);
        if !referenced || self.blobs_serving.len() >= MAX_SERVING_BLOBS {
            if !referenced {
                self.event(SessionEvent::Error {
                    trajectory: Some(trajectory.clone()),
                    message: format!(
                        "peer asked for photo {hash}, which trajectory {trajectory} does not reference; not sent"
                    ),
                });
            }
            self.send(&Message::Blob {
                trajectory,
                hash,
                bytes: None,
            });
            return;
        }
        self.blobs_serving.insert(key);
        self.event(SessionEvent::BlobRequested { trajectory, hash });
    }

    fn on_blob(&mut self, trajectory: TrajectoryId, hash: BlobHash, bytes: Option<Vec<u8>>) {
        if !self.check_granted(&trajectory, "blob") {
            return;
        }
        let reject = |reason: String| SessionEvent::BlobRejected {
            trajectory: trajectory.clone(),
            hash,
            reason,
        };
        if !self.blobs_pending.remove(&(trajectory.clone(), hash)) {
            self.event(reject("not requested".into()));
            return;
        }
        let event = match bytes {
            None => SessionEvent::BlobUnavailable {
                trajectory: trajectory.clone(),
                hash,
            },
            Some(b) if b.len() > MAX_BLOB_LEN => reject(format!(
                "{} bytes, over the {MAX_BLOB_LEN} byte limit",
                b.len()
            )),
            Some(b) if !hash.matches(&b) => reject("its bytes do not have this hash".into()),
            Some(bytes) => SessionEvent::BlobReceived {
                trajectory: trajectory.clone(),
                hash,
                bytes,
            },
        };
        self.event(event);
    }

    fn on_hello(&mut self, version: u16, nonce: [u8; 32], host: &dyn DocumentHost) {
        if self.remote_nonce.is_some() {
            self.close(CloseReason::Malformed, "second hello");
            return;
        }
        if version != PROTOCOL_VERSION {
            self.close(
                CloseReason::UnsupportedVersion,
                format!("peer speaks protocol version {version}, we speak {PROTOCOL_VERSION}"),
            );
            return;
        }
        if nonce == self.local_nonce {
            self.close(CloseReason::Malformed, "peer echoed our nonce");
            return;
        }
        self.remote_nonce = Some(nonce);
        self.event(SessionEvent::Ready);
        for t in std::mem::take(&mut self.wanted) {
            self.open(&t, host);
        }
    }

    fn on_prove(&mut self, trajectory: TrajectoryId, proof: [u8; 32], host: &dyn DocumentHost) {
        let Some(remote_nonce) = self.remote_nonce else {
            return;
        };
        let ctx = ProofContext {
            prover: &self.remote,
            verifier: &self.local,
            prover_nonce: &remote_nonce,
            verifier_nonce: &self.local_nonce,
        };
        // An unknown trajectory and a wrong secret get the same refusal after the same work,
        // so a peer that has not proved anything cannot probe which trajectories exist here.
        let granted = match host.join_secret(&trajectory) {
            Some(secret) => auth::verify(&secret, &trajectory, ctx, &proof),
            None => {
                let _ = auth::verify(&JoinSecret([0; 32]), &trajectory, ctx, &proof);
                false
            }
        };
        if !granted {
            self.refuse(trajectory, RefuseReason::WrongSecret);
            return;
        }
        let entry = self.trajs.entry(trajectory.clone()).or_default();
        if entry.peer_proved {
            return;
        }
        entry.peer_proved = true;
        self.refused_by_peer.remove(&trajectory);
        if entry.sent_proof {
            self.on_granted(&trajectory, host);
        } else {
            // Answer with our own proof; `open` notices the grant.
            self.open(&trajectory, host);
        }
    }

    fn on_refuse(&mut self, trajectory: TrajectoryId, reason: RefuseReason) {
        self.forget_blobs(&trajectory);
        self.refused_by_peer.insert(trajectory.clone());
        self.trajs.remove(&trajectory);
        self.wanted.remove(&trajectory);
        self.event(SessionEvent::Refused {
            trajectory,
            reason,
            by_peer: true,
        });
        self.close_if_nothing_shared(reason);
    }

    fn refuse(&mut self, trajectory: TrajectoryId, reason: RefuseReason) {
        self.forget_blobs(&trajectory);
        self.trajs.remove(&trajectory);
        self.wanted.remove(&trajectory);
        self.refused_by_us.insert(trajectory.clone());
        self.send(&Message::Refuse {
            trajectory: trajectory.clone(),
            reason,
        });
        self.event(SessionEvent::Refused {
            trajectory,
            reason,
            by_peer: false,
        });
        self.close_if_nothing_shared(reason);
    }

    fn forget_blobs(&mut self, trajectory: &TrajectoryId) {
        self.blobs_pending.retain(|(t, _)| t != trajectory);
        self.blobs_serving.retain(|(t, _)| t != trajectory);
    }

    fn close_if_nothing_shared(&mut self, last: RefuseReason) {
        if self.trajs.is_empty() && self.wanted.is_empty() {
            let reason = match last {
                RefuseReason::WrongSecret => CloseReason::WrongSecret,
                _ => CloseReason::NothingShared,
            };
            self.close(reason, format!("no trajectory left to sync ({last})"));
        }
    }

    /// `true` if frames of `kind` for `trajectory` may be processed. Closes the session for
    /// frames about trajectories that were never granted; silently drops frames about ones
    /// we refused (they may have been in flight).
    fn check_granted(&mut self, trajectory: &TrajectoryId, kind: &str) -> bool {
        if self.is_granted(trajectory) {
            return true;
        }
        if !self.refused_by_us.contains(trajectory) {
            self.close(
                CloseReason::Malformed,
                format!("{kind} for trajectory {trajectory} that was not granted"),
            );
        }
        false
    }

    fn on_granted(&mut self, trajectory: &TrajectoryId, host: &dyn DocumentHost) {
        self.event(SessionEvent::Granted(trajectory.clone()));
        self.generate(trajectory, host);
    }

    /// Adds one part of a sync message; applies the message when it is complete.
    fn on_sync_part(
        &mut self,
        trajectory: TrajectoryId,
        (index, total): (u32, u32),
        data: &[u8],
        host: &dyn DocumentHost,
    ) {
        if !self.check_granted(&trajectory, "sync part") {
            return;
        }
        let cap = self.limits.max_sync_message_len;
        let others: usize = self
            .trajs
            .iter()
            .filter(|(id, _)| **id != trajectory)
            .filter_map(|(_, t)| t.partial.as_ref())
            .map(|p| p.buf.capacity())
            .sum();
        let Some(st) = self.trajs.get_mut(&trajectory) else {
            return;
        };
        let violation = match &st.partial {
            None if index != 0 => Some(format!(
                "sync part {index} of {total} for {trajectory} without part 0"
            )),
            Some(p) if total != p.total => Some(format!(
                "sync part for {trajectory} announces {total} parts, earlier parts announced {}",
                p.total
            )),
            Some(p) if index != p.next => Some(format!(
                "sync part {index} for {trajectory} out of order: expected part {}",
                p.next
            )),
            _ => None,
        };
        if let Some(detail) = violation {
            self.close(CloseReason::Malformed, detail);
            return;
        }
        let partial = st.partial.get_or_insert_with(|| Partial {
            total,
            next: 0,
            buf: Vec::new(),
        });
        let allowance = cap.saturating_sub(others);
        let needed = partial.buf.len().saturating_add(data.len());
        if needed > allowance {
            let detail = format!(
                "sync message for {trajectory} in parts exceeds the {cap} byte limit \
                 (part {index} of {total})"
            );
            self.close(CloseReason::MessageTooLarge, detail);
            return;
        }
        if needed > partial.buf.capacity() {
            // Grow geometrically, but never past what the cap allows.
            let target = needed
                .max(partial.buf.capacity().saturating_mul(2))
                .min(allowance);
            partial.buf.reserve_exact(target - partial.buf.len());
        }
        partial.buf.extend_from_slice(data);
        partial.next += 1;
        if partial.next < partial.total {
            return;
        }
        let Some(done) = st.partial.take() else {
            return;
        };
        self.on_sync(trajectory, &done.buf, host);
    }

    /// Applies a complete sync message for a granted trajectory and answers it.
    fn on_sync(&mut self, trajectory: TrajectoryId, data: &[u8], host: &dyn DocumentHost) {
        let msg = match sync::Message::decode(data) {
            Ok(m) => m,
            Err(e) => {
                self.close(
                    CloseReason::SyncFailed,
                    format!("undecodable sync message for {trajectory}: {e}"),
                );
                return;
            }
        };
        let Some(st) = self.trajs.get_mut(&trajectory) else {
            return;
        };
        let mut msg = Some(msg);
        let mut result: Option<Result<SyncStep, StepError>> = None;
        let host_result = host.with_doc(&trajectory, &mut |doc| {
            let Some(mut m) = msg.take() else { return };
            // Only separate change chunks are accepted (they can be checked before they are
            // applied); dropping the peer's flags keeps automerge from ever learning that it
            // may send whole documents, so our replies never carry one either.
            m.flags = None;
            if !m.changes.is_empty() {
                let chunks: Vec<&[u8]> = m.changes.iter().collect();
                if let Err(reason) = host.check_incoming(&trajectory, doc, &chunks) {
                    result = Some(Err(StepError::Refused(reason)));
                    return;
                }
            }
            let before = doc.get_heads();
            if let Err(e) = doc.sync().receive_sync_message(&mut st.sync, m) {
                result = Some(Err(StepError::Failed(e.to_string())));
                return;
            }
            let heads = doc.get_heads();
            let reply = doc.sync().generate_sync_message(&mut st.sync);
            result = Some(Ok(SyncStep {
                changed: before != heads,
                reply: reply.map(encode_changes_only),
                in_sync: same_heads(st.sync.their_heads.as_deref(), &heads),
            }));
        });
        self.finish_step(&trajectory, host_result, result);
    }

    fn generate(&mut self, trajectory: &TrajectoryId, host: &dyn DocumentHost) {
        let Some(st) = self.trajs.get_mut(trajectory) else {
            return;
        };
        let mut result: Option<Result<SyncStep, StepError>> = None;
        let host_result = host.with_doc(trajectory, &mut |doc| {
            let heads = doc.get_heads();
            let reply = doc.sync().generate_sync_message(&mut st.sync);
            result = Some(Ok(SyncStep {
                changed: false,
                reply: reply.map(encode_changes_only),
                in_sync: same_heads(st.sync.their_heads.as_deref(), &heads),
            }));
        });
        self.finish_step(trajectory, host_result, result);
    }

    fn finish_step(
        &mut self,
        trajectory: &TrajectoryId,
        host_result: Result<(), crate::host::HostError>,
        result: Option<Result<SyncStep, StepError>>,
    ) {
        if let Err(e) = host_result {
            self.event(SessionEvent::Error {
                trajectory: Some(trajectory.clone()),
                message: format!("document {trajectory} unavailable: {e}"),
            });
            self.refuse(trajectory.clone(), RefuseReason::Unavailable);
            return;
        }
        let step = match result {
            Some(Ok(step)) => step,
            Some(Err(StepError::Failed(e))) => {
                self.close(
                    CloseReason::SyncFailed,
                    format!("sync message for {trajectory} rejected: {e}"),
                );
                return;
            }
            Some(Err(StepError::Refused(reason))) => {
                let detail = format!(
                    "changes from {} for {trajectory} refused, nothing applied: {reason}",
                    self.remote
                );
                self.event(SessionEvent::ChangesRefused {
                    trajectory: trajectory.clone(),
                    peer: self.remote,
                    reason,
                });
                self.close(CloseReason::ChangesRefused, detail);
                return;
            }
            None => return,
        };
        if step.changed {
            self.event(SessionEvent::RemoteChanges(trajectory.clone()));
        }
        if let Some(data) = step.reply {
            self.send_sync(trajectory, data);
        }
        if let Some(st) = self.trajs.get_mut(trajectory)
            && st.in_sync != step.in_sync
        {
            st.in_sync = step.in_sync;
            self.event(SessionEvent::SyncStatus {
                trajectory: trajectory.clone(),
                in_sync: step.in_sync,
            });
        }
    }

    /// Sends a sync message as one `Sync` frame if it fits, else as `SyncPart` frames.
    fn send_sync(&mut self, trajectory: &TrajectoryId, data: Vec<u8>) {
        let max = self.limits.max_frame_len;
        // Tag, id length, id, data length, data.
        let single = 1 + 1 + trajectory.as_str().len() + 4 + data.len();
        if single <= max {
            self.send(&Message::Sync {
                trajectory: trajectory.clone(),
                data,
            });
            return;
        }
        let cap = self.limits.max_sync_message_len;
        let room = max.saturating_sub(SYNC_PART_OVERHEAD).max(1);
        let total = u32::try_from(data.len().div_ceil(room));
        let total = match total {
            Ok(total) if data.len() <= cap => total,
            _ => {
                self.event(SessionEvent::Error {
                    trajectory: Some(trajectory.clone()),
                    message: format!(
                        "cannot send sync message for {trajectory}: {} bytes, over the {cap} byte limit",
                        data.len()
                    ),
                });
                self.close(
                    CloseReason::MessageTooLarge,
                    format!("outgoing sync message of {} bytes", data.len()),
                );
                return;
            }
        };
        for (index, chunk) in (0u32..).zip(data.chunks(room)) {
            self.send(&Message::SyncPart {
                trajectory: trajectory.clone(),
                index,
                total,
                data: chunk.to_vec(),
            });
            if self.closed {
                return;
            }
        }
    }

    fn send(&mut self, msg: &Message) {
        match encode_frame_max(&msg.encode(), self.limits.max_frame_len) {
            Ok(frame) => self.out.push_back(Output::Send(frame)),
            Err(e) => {
                let trajectory = match msg {
                    Message::Sync { trajectory, .. } | Message::SyncPart { trajectory, .. } => {
                        Some(trajectory.clone())
                    }
                    _ => None,
                };
                self.event(SessionEvent::Error {
                    trajectory,
                    message: format!("cannot send {} message: {e}", msg.kind()),
                });
                self.close(
                    CloseReason::Internal,
                    format!("outgoing {}: {e}", msg.kind()),
                );
            }
        }
    }

    fn event(&mut self, e: SessionEvent) {
        self.out.push_back(Output::Event(e));
    }
}

#[cfg(test)]
mod tests;

/// Why a sync step failed.
enum StepError {
    /// Automerge could not decode or apply the message.
    Failed(String),
    /// The host's check refused the message's changes (nothing was applied).
    Refused(String),
}

/// Encodes an outgoing sync message without flags, as automerge's V1 format: a peer then never
/// sends us a whole document (which cannot be checked before it is applied).
fn encode_changes_only(mut msg: sync::Message) -> Vec<u8> {
    msg.flags = None;
    msg.version = sync::MessageVersion::V1;
    msg.encode()
}

struct SyncStep {
    changed: bool,
    reply: Option<Vec<u8>>,
    in_sync: bool,
}

fn same_heads(theirs: Option<&[ChangeHash]>, ours: &[ChangeHash]) -> bool {
    let Some(theirs) = theirs else {
        return false;
    };
    let a: BTreeSet<_> = theirs.iter().collect();
    let b: BTreeSet<_> = ours.iter().collect();
    a == b
}
