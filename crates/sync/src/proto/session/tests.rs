//! Session tests without any network: two sessions wired back to back in memory.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};

use super::*;
use crate::host::HostError;
use crate::ids::JoinSecret;
use crate::proto::frame::{FrameDecoder, encode_frame};

#[derive(Default)]
struct MemHost {
    docs: Mutex<HashMap<TrajectoryId, (JoinSecret, AutoCommit)>>,
    /// Photo bytes stored here (not checked, so tests can store damaged ones).
    blobs: Mutex<HashMap<BlobHash, Vec<u8>>>,
    /// Photos each trajectory references.
    refs: Mutex<HashMap<TrajectoryId, BTreeSet<BlobHash>>>,
}

impl MemHost {
    fn with(entries: &[(&str, [u8; 32])]) -> Self {
        let h = Self::default();
        for (id, secret) in entries {
            h.docs
                .lock()
                .unwrap()
                .insert(tid(id), (JoinSecret(*secret), AutoCommit::new()));
        }
        h
    }

    fn edit(&self, id: &str, key: &str, value: &str) {
        let mut docs = self.docs.lock().unwrap();
        let doc = &mut docs.get_mut(&tid(id)).unwrap().1;
        // Keys at the root, so concurrent first edits never create competing maps.
        doc.put(ROOT, key, value).unwrap();
        doc.commit();
    }

    fn heads(&self, id: &str) -> Vec<automerge::ChangeHash> {
        self.docs
            .lock()
            .unwrap()
            .get_mut(&tid(id))
            .unwrap()
            .1
            .get_heads()
    }

    /// Stores `bytes` under `hash` and lets trajectory `id` reference it.
    fn add_photo(&self, id: &str, hash: BlobHash, bytes: &[u8]) {
        self.blobs.lock().unwrap().insert(hash, bytes.to_vec());
        self.reference(id, hash);
    }

    fn reference(&self, id: &str, hash: BlobHash) {
        self.refs
            .lock()
            .unwrap()
            .entry(tid(id))
            .or_default()
            .insert(hash);
    }

    fn keys(&self, id: &str) -> Vec<String> {
        let docs = self.docs.lock().unwrap();
        let doc = &docs.get(&tid(id)).unwrap().1;
        doc.keys(ROOT).collect()
    }
}

impl DocumentHost for MemHost {
    fn trajectories(&self) -> Vec<TrajectoryId> {
        self.docs.lock().unwrap().keys().cloned().collect()
    }
    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret> {
        self.docs.lock().unwrap().get(id).map(|(s, _)| s.clone())
    }
    fn with_doc(
        &self,
        id: &TrajectoryId,
        f: &mut dyn FnMut(&mut AutoCommit),
    ) -> Result<(), HostError> {
        let mut docs = self.docs.lock().unwrap();
        let (_, doc) = docs
            .get_mut(id)
            .ok_or_else(|| HostError::UnknownTrajectory(id.clone()))?;
        f(doc);
        Ok(())
    }
    fn remote_changes_applied(&self, _id: &TrajectoryId) -> Result<(), HostError> {
        Ok(())
    }
    fn check_incoming(
        &self,
        _id: &TrajectoryId,
        doc: &AutoCommit,
        changes: &[&[u8]],
    ) -> Result<(), String> {
        leerrijk_model::guard::check_incoming(doc, changes).map(|_| ())
    }
    fn known_devices(&self, _id: &TrajectoryId) -> Vec<DeviceId> {
        Vec::new()
    }
    fn references_blob(&self, id: &TrajectoryId, hash: &BlobHash) -> bool {
        self.refs
            .lock()
            .unwrap()
            .get(id)
            .is_some_and(|s| s.contains(hash))
    }
    fn blob(&self, _id: &TrajectoryId, hash: &BlobHash) -> Option<Vec<u8>> {
        self.blobs.lock().unwrap().get(hash).cloned()
    }
}

fn tid(s: &str) -> TrajectoryId {
    TrajectoryId::new(s).unwrap()
}

struct Side {
    session: Session,
    host: MemHost,
    decoder: FrameDecoder,
    events: Vec<SessionEvent>,
    sent: Vec<Message>,
    closed: Option<CloseReason>,
}

impl Side {
    fn new(me: u8, other: u8, host: MemHost) -> Self {
        Self::with_limits(me, other, host, Limits::default())
    }

    fn with_limits(me: u8, other: u8, host: MemHost, limits: Limits) -> Self {
        Self {
            session: Session::with_limits(
                DeviceId([me; 32]),
                DeviceId([other; 32]),
                [me; 32],
                limits,
            ),
            host,
            decoder: FrameDecoder::with_max(limits.max_frame_len),
            events: Vec::new(),
            sent: Vec::new(),
            closed: None,
        }
    }

    /// Drains outputs; returns the frame bytes to deliver to the other side.
    fn drain(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        while let Some(o) = self.session.poll_output() {
            match o {
                Output::Send(frame) => {
                    self.sent.push(Message::decode(&frame[4..]).unwrap());
                    bytes.extend_from_slice(&frame);
                }
                Output::Event(SessionEvent::BlobRequested { trajectory, hash }) => {
                    // Serve at once, as the driver does after reading the host.
                    let bytes = self.host.blob(&trajectory, &hash);
                    self.session.send_blob(&trajectory, hash, bytes);
                    self.events
                        .push(SessionEvent::BlobRequested { trajectory, hash });
                }
                Output::Event(e) => self.events.push(e),
                Output::Close(r) => self.closed = Some(r),
            }
        }
        bytes
    }

    fn receive(&mut self, bytes: &[u8]) {
        self.decoder.push(bytes);
        loop {
            match self.decoder.next_frame() {
                Ok(Some(frame)) => self.session.handle_frame(&frame, &self.host),
                Ok(None) => break,
                Err(e) => {
                    self.session.frame_error(&e);
                    break;
                }
            }
        }
    }

    fn granted_events(&self) -> Vec<TrajectoryId> {
        self.events
            .iter()
            .filter_map(|e| match e {
                SessionEvent::Granted(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    fn sent_sync_for(&self, t: &str) -> usize {
        self.sent
            .iter()
            .filter(|m| matches!(m, Message::Sync { trajectory, .. } if trajectory.as_str() == t))
            .count()
    }
}

/// Delivers frames both ways until both sides are quiet.
fn pump(a: &mut Side, b: &mut Side) {
    for _ in 0..1000 {
        let to_b = a.drain();
        let to_a = b.drain();
        if to_a.is_empty() && to_b.is_empty() {
            return;
        }
        if a.closed.is_none() {
            a.receive(&to_a);
        }
        if b.closed.is_none() {
            b.receive(&to_b);
        }
    }
    panic!("sessions did not settle");
}

#[test]
fn handshake_grants_and_concurrent_edits_converge() {
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    let b_host = MemHost::with(&[("t1", [1; 32])]);
    for i in 0..20 {
        a_host.edit("t1", &format!("a{i}"), "from a");
        b_host.edit("t1", &format!("b{i}"), "from b");
    }
    let mut a = Side::new(1, 2, a_host);
    let mut b = Side::new(2, 1, b_host);
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.granted_events(), vec![tid("t1")]);
    assert_eq!(b.granted_events(), vec![tid("t1")]);
    assert_eq!(a.host.heads("t1"), b.host.heads("t1"));
    assert_eq!(a.host.keys("t1").len(), 40);
    assert!(a.session.is_in_sync(&tid("t1")));
    assert!(b.session.is_in_sync(&tid("t1")));
    assert!(b.events.contains(&SessionEvent::RemoteChanges(tid("t1"))));

    // A later local change flows too.
    a.host.edit("t1", "late", "x");
    a.session.local_change(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.host.heads("t1"), b.host.heads("t1"));
    assert!(b.host.keys("t1").contains(&"late".to_string()));
    assert!(a.closed.is_none() && b.closed.is_none());
}

#[test]
fn crossing_opens_grant_once() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    b.session.open(&tid("t1"), &b.host);
    pump(&mut a, &mut b);
    assert_eq!(a.granted_events(), vec![tid("t1")]);
    assert_eq!(b.granted_events(), vec![tid("t1")]);
    let proves = |s: &Side| {
        s.sent
            .iter()
            .filter(|m| matches!(m, Message::Prove { .. }))
            .count()
    };
    assert_eq!(proves(&a), 1);
    assert_eq!(proves(&b), 1);
}

#[test]
fn wrong_secret_is_refused_and_nothing_flows() {
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    let b_host = MemHost::with(&[("t1", [9; 32])]);
    a_host.edit("t1", "a", "secret stuff of a");
    b_host.edit("t1", "b", "secret stuff of b");
    let b_heads = b_host.heads("t1");
    let a_heads = a_host.heads("t1");
    let mut a = Side::new(1, 2, a_host);
    let mut b = Side::new(2, 1, b_host);
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(b.closed, Some(CloseReason::WrongSecret));
    assert_eq!(a.closed, Some(CloseReason::WrongSecret));
    assert!(a.events.iter().any(|e| matches!(
        e,
        SessionEvent::Refused {
            reason: RefuseReason::WrongSecret,
            by_peer: true,
            ..
        }
    )));
    assert_eq!(a.sent_sync_for("t1") + b.sent_sync_for("t1"), 0);
    assert_eq!(b.host.heads("t1"), b_heads);
    assert_eq!(a.host.heads("t1"), a_heads);
    assert!(a.granted_events().is_empty() && b.granted_events().is_empty());
}

#[test]
fn unknown_trajectory_is_refused_but_others_continue() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    a.session.open(&tid("t2"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.granted_events(), vec![tid("t1")]);
    assert!(a.events.iter().any(|e| matches!(e,
        SessionEvent::Refused { trajectory, reason: RefuseReason::WrongSecret, by_peer: true }
        if trajectory.as_str() == "t2")));
    assert!(a.closed.is_none() && b.closed.is_none());
    assert_eq!(a.sent_sync_for("t2"), 0);
}

#[test]
fn only_refused_trajectory_closes_the_connection() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t2", [2; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t2"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.closed, Some(CloseReason::WrongSecret));
    assert_eq!(b.closed, Some(CloseReason::WrongSecret));
}

/// What a prover receives for a refused proof: every frame, decoded.
fn refusal_seen_by_prover(verifier_secret: Option<[u8; 32]>) -> Vec<Message> {
    let verifier_host = match verifier_secret {
        Some(s) => MemHost::with(&[("t1", s)]),
        None => MemHost::with(&[("other", [3; 32])]),
    };
    let mut verifier = Session::new(DeviceId([2; 32]), DeviceId([1; 32]), [22; 32]);
    let mut out = Vec::new();
    while verifier.poll_output().is_some() {}
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        nonce: [11; 32],
    };
    verifier.handle_frame(&hello.encode(), &verifier_host);
    let proof = crate::proto::auth::prove(
        &crate::ids::JoinSecret([1; 32]),
        &tid("t1"),
        crate::proto::auth::ProofContext {
            prover: &DeviceId([1; 32]),
            verifier: &DeviceId([2; 32]),
            prover_nonce: &[11; 32],
            verifier_nonce: &[22; 32],
        },
    );
    let prove = Message::Prove {
        trajectory: tid("t1"),
        proof,
    };
    verifier.handle_frame(&prove.encode(), &verifier_host);
    while let Some(o) = verifier.poll_output() {
        if let Output::Send(frame) = o {
            out.push(Message::decode(&frame[4..]).unwrap());
        }
    }
    out
}

#[test]
fn unknown_trajectory_and_wrong_secret_get_the_same_answer() {
    let wrong = refusal_seen_by_prover(Some([9; 32]));
    let unknown = refusal_seen_by_prover(None);
    assert_eq!(wrong, unknown, "a peer could tell the two apart");
    assert!(matches!(
        wrong.first(),
        Some(Message::Refuse {
            reason: RefuseReason::WrongSecret,
            ..
        })
    ));
    assert!(matches!(
        wrong.last(),
        Some(Message::Bye {
            reason: CloseReason::WrongSecret,
            ..
        })
    ));
    // The right secret is granted (the check above is not vacuous).
    let right = refusal_seen_by_prover(Some([1; 32]));
    assert!(matches!(right.first(), Some(Message::Prove { .. })));
}

#[test]
fn a_peer_never_gets_a_trajectory_it_did_not_prove() {
    // B serves t1 and t2; A only knows t1's secret.
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    let b_host = MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]);
    b_host.edit("t2", "private", "only for t2 members");
    let mut a = Side::new(1, 2, a_host);
    let mut b = Side::new(2, 1, b_host);
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(b.sent_sync_for("t2"), 0);
    // B cannot be made to open t2 towards A without A proving it.
    b.session.open(&tid("t2"), &b.host);
    pump(&mut a, &mut b);
    assert_eq!(b.sent_sync_for("t2"), 0);
    assert!(!b.session.is_granted(&tid("t2")));
    // A forging a sync frame for t2 gets the connection closed.
    let forged = encode_frame(
        &Message::Sync {
            trajectory: tid("t2"),
            data: vec![0x42, 0, 0, 0],
        }
        .encode(),
    )
    .unwrap();
    b.receive(&forged);
    b.drain();
    assert_eq!(b.closed, Some(CloseReason::Malformed));
    assert_eq!(b.sent_sync_for("t2"), 0);
}

#[test]
fn version_mismatch_closes() {
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    b.drain();
    let hello = encode_frame(
        &Message::Hello {
            version: 99,
            nonce: [5; 32],
        }
        .encode(),
    )
    .unwrap();
    b.receive(&hello);
    b.drain();
    assert_eq!(b.closed, Some(CloseReason::UnsupportedVersion));
}

#[test]
fn malformed_and_oversized_frames_close() {
    let mut b = Side::new(2, 1, MemHost::default());
    b.receive(&encode_frame(&[0xff, 1, 2]).unwrap());
    b.drain();
    assert_eq!(b.closed, Some(CloseReason::Malformed));

    let mut c = Side::new(2, 1, MemHost::default());
    c.receive(&(MAX_TEST_FRAME + 1).to_be_bytes());
    c.drain();
    assert_eq!(c.closed, Some(CloseReason::FrameTooLarge));

    // Anything but hello first is a protocol violation.
    let mut d = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    let early = encode_frame(
        &Message::Prove {
            trajectory: tid("t1"),
            proof: [0; 32],
        }
        .encode(),
    )
    .unwrap();
    d.receive(&early);
    d.drain();
    assert_eq!(d.closed, Some(CloseReason::Malformed));
}

const MAX_TEST_FRAME: u32 = crate::proto::frame::MAX_FRAME_LEN as u32;

#[test]
fn undecodable_sync_message_closes_and_applies_nothing() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    b.host.edit("t1", "b", "x");
    let heads = b.host.heads("t1");
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    let bad = encode_frame(
        &Message::Sync {
            trajectory: tid("t1"),
            data: vec![0x42, 0xff, 0xff, 0xff, 0xff, 0xff],
        }
        .encode(),
    )
    .unwrap();
    b.receive(&bad);
    b.drain();
    assert_eq!(b.closed, Some(CloseReason::SyncFailed));
    assert_eq!(b.host.heads("t1"), heads);
}

#[test]
fn presence_flows_only_for_granted_trajectories() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32]), ("t2", [3; 32])]));
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    let p = |t: &str| Presence {
        trajectory: tid(t),
        name: "Anne".into(),
        phase: Some(2),
        addrs: vec![],
        peers: vec![],
    };
    a.session.send_presence(p("t1"));
    a.session.send_presence(p("t2"));
    pump(&mut a, &mut b);
    let got: Vec<_> = b
        .events
        .iter()
        .filter_map(|e| match e {
            SessionEvent::Presence(p) => Some(p.trajectory.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(got, vec![tid("t1")]);
}

#[test]
fn bye_closes_both_sides_with_the_reason() {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    a.session.close(CloseReason::Shutdown, "bye");
    pump(&mut a, &mut b);
    assert_eq!(a.closed, Some(CloseReason::Shutdown));
    assert_eq!(b.closed, Some(CloseReason::Shutdown));
    assert!(b.events.iter().any(|e| matches!(
        e,
        SessionEvent::PeerBye {
            reason: CloseReason::Shutdown,
            ..
        }
    )));
}

#[test]
fn wrong_secret_for_one_trajectory_does_not_block_another() {
    let a_host = MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]);
    let b_host = MemHost::with(&[("t1", [1; 32]), ("t2", [7; 32])]);
    a_host.edit("t1", "shared", "yes");
    b_host.edit("t2", "b-private", "t2 of b");
    a_host.edit("t2", "a-private", "t2 of a");
    let (a2, b2) = (a_host.heads("t2"), b_host.heads("t2"));
    let mut a = Side::new(1, 2, a_host);
    let mut b = Side::new(2, 1, b_host);
    a.session.open(&tid("t1"), &a.host);
    a.session.open(&tid("t2"), &a.host);
    pump(&mut a, &mut b);
    assert!(a.closed.is_none() && b.closed.is_none());
    assert_eq!(a.host.heads("t1"), b.host.heads("t1"));
    assert_eq!(a.host.heads("t2"), a2);
    assert_eq!(b.host.heads("t2"), b2);
    assert_eq!(a.sent_sync_for("t2") + b.sent_sync_for("t2"), 0);
    assert!(!a.session.is_granted(&tid("t2")) && !b.session.is_granted(&tid("t2")));
}

fn sent_blob_bytes(side: &Side) -> usize {
    side.sent
        .iter()
        .filter(|m| matches!(m, Message::Blob { bytes: Some(_), .. }))
        .count()
}

fn received(side: &Side) -> Vec<(BlobHash, Vec<u8>)> {
    side.events
        .iter()
        .filter_map(|e| match e {
            SessionEvent::BlobReceived { hash, bytes, .. } => Some((*hash, bytes.clone())),
            _ => None,
        })
        .collect()
}

fn rejected(side: &Side) -> Vec<String> {
    side.events
        .iter()
        .filter_map(|e| match e {
            SessionEvent::BlobRejected { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn granted_pair() -> (Side, Side) {
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert!(a.session.is_granted(&tid("t1")) && b.session.is_granted(&tid("t1")));
    (a, b)
}

fn frame(m: &Message) -> Vec<u8> {
    encode_frame(&m.encode()).unwrap()
}

#[test]
fn a_referenced_photo_travels_and_an_unreferenced_one_does_not() {
    let (mut a, mut b) = granted_pair();
    let photo = b"jpeg bytes of the school musical".repeat(100);
    let p = BlobHash::of(&photo);
    a.host.add_photo("t1", p, &photo);
    b.host.reference("t1", p);
    // A stores another photo that t1 does not reference (e.g. of another trajectory).
    let other = b"photo of another trajectory".to_vec();
    let q = BlobHash::of(&other);
    a.host.blobs.lock().unwrap().insert(q, other);

    assert!(b.session.request_blob(&tid("t1"), p));
    assert!(!b.session.request_blob(&tid("t1"), p), "already pending");
    assert!(b.session.request_blob(&tid("t1"), q));
    pump(&mut a, &mut b);

    assert_eq!(received(&b), vec![(p, photo)]);
    assert!(b.events.contains(&SessionEvent::BlobUnavailable {
        trajectory: tid("t1"),
        hash: q
    }));
    assert_eq!(sent_blob_bytes(&a), 1, "only the referenced photo was sent");
    assert!(
        !a.events
            .iter()
            .any(|e| matches!(e, SessionEvent::BlobRequested { hash, .. } if *hash == q))
    );
    assert_eq!(b.session.pending_blobs(), 0);
    assert!(a.closed.is_none() && b.closed.is_none());
}

#[test]
fn photos_of_an_unproven_trajectory_are_refused_and_close_the_connection() {
    let (mut a, mut b) = granted_pair();
    // A serves t2 with a photo; B never proved t2.
    let photo = b"t2 only".to_vec();
    let p = BlobHash::of(&photo);
    a.host.add_photo("t2", p, &photo);
    assert!(
        !b.session.request_blob(&tid("t2"), p),
        "cannot request for a trajectory that is not granted"
    );
    a.receive(&frame(&Message::BlobRequest {
        trajectory: tid("t2"),
        hash: p,
    }));
    a.drain();
    assert_eq!(a.closed, Some(CloseReason::Malformed));
    assert_eq!(sent_blob_bytes(&a), 0);
    assert!(
        !a.events
            .iter()
            .any(|e| matches!(e, SessionEvent::BlobRequested { .. }))
    );

    // The same for a photo pushed at a trajectory that was never granted.
    let mut c = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    let mut d = Side::new(1, 2, MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]));
    d.session.open(&tid("t1"), &d.host);
    pump(&mut c, &mut d);
    c.receive(&frame(&Message::Blob {
        trajectory: tid("t2"),
        hash: p,
        bytes: Some(photo),
    }));
    c.drain();
    assert_eq!(c.closed, Some(CloseReason::Malformed));
    assert!(received(&c).is_empty());
}

#[test]
fn a_photo_with_the_wrong_hash_or_unrequested_is_rejected() {
    let (mut a, mut b) = granted_pair();
    let photo = b"the real photo".to_vec();
    let p = BlobHash::of(&photo);
    b.host.reference("t1", p);
    assert!(b.session.request_blob(&tid("t1"), p));
    b.drain();
    // A (or a broken store) answers with other bytes under that name.
    b.receive(&frame(&Message::Blob {
        trajectory: tid("t1"),
        hash: p,
        bytes: Some(b"something else".to_vec()),
    }));
    b.drain();
    assert!(received(&b).is_empty());
    assert_eq!(
        rejected(&b),
        vec!["its bytes do not have this hash".to_string()]
    );
    assert_eq!(b.session.pending_blobs(), 0);
    assert!(
        b.closed.is_none(),
        "a bad photo does not end the connection"
    );

    // Right bytes, but nobody asked for them.
    b.receive(&frame(&Message::Blob {
        trajectory: tid("t1"),
        hash: p,
        bytes: Some(photo.clone()),
    }));
    b.drain();
    assert!(received(&b).is_empty());
    assert_eq!(
        rejected(&b).last().map(String::as_str),
        Some("not requested")
    );

    // A damaged copy in A's store is not sent: B hears "not available".
    a.host.add_photo("t1", p, b"damaged on disk");
    assert!(b.session.request_blob(&tid("t1"), p));
    pump(&mut a, &mut b);
    assert_eq!(sent_blob_bytes(&a), 0);
    assert!(b.events.contains(&SessionEvent::BlobUnavailable {
        trajectory: tid("t1"),
        hash: p
    }));
}

#[test]
fn the_photo_size_cap_is_enforced_on_both_sides() {
    let (mut a, mut b) = granted_pair();
    let big = vec![7u8; MAX_BLOB_LEN + 1];
    let h = BlobHash::of(&big);
    // Receiving: too large is refused even with the right hash.
    b.host.reference("t1", h);
    assert!(b.session.request_blob(&tid("t1"), h));
    b.drain();
    b.receive(&frame(&Message::Blob {
        trajectory: tid("t1"),
        hash: h,
        bytes: Some(big.clone()),
    }));
    b.drain();
    assert!(received(&b).is_empty());
    assert!(rejected(&b)[0].contains("limit"), "{:?}", rejected(&b));
    // Sending: a stored photo over the cap is not sent.
    a.host.add_photo("t1", h, &big);
    assert!(b.session.request_blob(&tid("t1"), h));
    pump(&mut a, &mut b);
    assert_eq!(sent_blob_bytes(&a), 0);
    assert!(b.events.contains(&SessionEvent::BlobUnavailable {
        trajectory: tid("t1"),
        hash: h
    }));
    // Exactly at the cap is fine.
    let max = vec![8u8; MAX_BLOB_LEN];
    let m = BlobHash::of(&max);
    a.host.add_photo("t1", m, &max);
    b.host.reference("t1", m);
    assert!(b.session.request_blob(&tid("t1"), m));
    pump(&mut a, &mut b);
    assert_eq!(received(&b).len(), 1);
    assert_eq!(received(&b)[0].1.len(), MAX_BLOB_LEN);
}

#[test]
fn at_most_a_few_photo_requests_are_open() {
    let (_a, mut b) = granted_pair();
    for i in 0..MAX_PENDING_BLOBS {
        assert!(b.session.request_blob(&tid("t1"), BlobHash([i as u8; 32])));
    }
    assert!(!b.session.request_blob(&tid("t1"), BlobHash([99; 32])));
    assert_eq!(b.session.pending_blobs(), MAX_PENDING_BLOBS);
}

mod parts;

#[test]
fn a_large_frame_before_any_proof_closes_and_one_after_the_grant_is_read() {
    let big = Message::Blob {
        trajectory: tid("t1"),
        hash: BlobHash::of(b"x"),
        bytes: Some(vec![7; MAX_UNAUTHENTICATED_FRAME_LEN]),
    }
    .encode();
    assert!(big.len() > MAX_UNAUTHENTICATED_FRAME_LEN);
    // Before any proof: refused by size, before it is even decoded.
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    assert_eq!(b.session.frame_cap(), MAX_UNAUTHENTICATED_FRAME_LEN);
    let hello = Message::Hello {
        version: PROTOCOL_VERSION,
        nonce: [1; 32],
    };
    b.session.handle_frame(&hello.encode(), &b.host);
    b.session.handle_frame(&big, &b.host);
    b.drain();
    assert_eq!(b.closed, Some(CloseReason::FrameTooLarge));

    // After the grant the cap is the configured one.
    let mut a = Side::new(1, 2, MemHost::with(&[("t1", [1; 32])]));
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert!(b.session.is_authenticated());
    assert_eq!(b.session.frame_cap(), Limits::default().max_frame_len);
    b.session.handle_frame(&big, &b.host);
    b.drain();
    assert_eq!(b.closed, None, "{:?}", b.events);
}
