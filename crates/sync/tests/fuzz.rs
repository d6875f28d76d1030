//! Property tests over arbitrary bytes: frame decoding, message decoding, the session
//! handshake and ticket parsing never panic, never allocate beyond their input, and never
//! let unproven input touch a document.

#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use proptest::prelude::*;

use leerrijk_sync::proto::{
    FrameDecoder, Limits, MAX_FRAME_LEN, Message, Output, PROTOCOL_VERSION, Session, SessionEvent,
    encode_frame,
};
use leerrijk_sync::{
    BlobHash, DeviceId, DocumentHost, HostError, JoinSecret, Ticket, TrajectoryId,
};

/// The one photo the fuzz host has and references.
const PHOTO: &[u8] = b"the fuzz host's photo";

struct OneDoc {
    id: TrajectoryId,
    doc: Mutex<AutoCommit>,
}

impl OneDoc {
    fn new() -> Self {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "title", "fuzz").unwrap();
        doc.commit();
        Self {
            id: TrajectoryId::new("t1").unwrap(),
            doc: Mutex::new(doc),
        }
    }
    fn heads(&self) -> Vec<automerge::ChangeHash> {
        self.doc.lock().unwrap().get_heads()
    }
}

impl DocumentHost for OneDoc {
    fn trajectories(&self) -> Vec<TrajectoryId> {
        vec![self.id.clone()]
    }
    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret> {
        (*id == self.id).then_some(JoinSecret([7; 32]))
    }
    fn with_doc(
        &self,
        id: &TrajectoryId,
        f: &mut dyn FnMut(&mut AutoCommit),
    ) -> Result<(), HostError> {
        if *id != self.id {
            return Err(HostError::UnknownTrajectory(id.clone()));
        }
        f(&mut self.doc.lock().unwrap());
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
        *id == self.id && *hash == BlobHash::of(PHOTO)
    }
    fn blob(&self, _id: &TrajectoryId, hash: &BlobHash) -> Option<Vec<u8>> {
        (*hash == BlobHash::of(PHOTO)).then(|| PHOTO.to_vec())
    }
}

/// Inputs that look like protocol traffic: valid messages with random fields, mixed with
/// raw garbage.
fn frame_strategy() -> impl Strategy<Value = Vec<u8>> {
    let tid = prop_oneof![Just("t1".to_string()), "[a-z0-9]{1,8}"];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        (any::<[u8; 32]>(), 0u16..3).prop_map(|(nonce, v)| Message::Hello {
            version: PROTOCOL_VERSION + v,
            nonce
        }
        .encode()),
        (tid.clone(), any::<[u8; 32]>()).prop_map(|(t, proof)| Message::Prove {
            trajectory: TrajectoryId::new(t).unwrap(),
            proof
        }
        .encode()),
        (tid.clone(), proptest::collection::vec(any::<u8>(), 1..64)).prop_map(|(t, mut data)| {
            data[0] = 0x42;
            Message::Sync {
                trajectory: TrajectoryId::new(t).unwrap(),
                data,
            }
            .encode()
        }),
        proptest::collection::vec(any::<u8>(), 1..40).prop_map(|mut b| {
            b[0] = 5; // presence tag with a random body
            b
        }),
        (
            tid.clone(),
            prop_oneof![
                Just(BlobHash::of(PHOTO)),
                any::<[u8; 32]>().prop_map(BlobHash)
            ]
        )
            .prop_map(|(t, hash)| Message::BlobRequest {
                trajectory: TrajectoryId::new(t).unwrap(),
                hash,
            }
            .encode()),
        (
            tid,
            prop_oneof![
                Just(BlobHash::of(PHOTO)),
                any::<[u8; 32]>().prop_map(BlobHash)
            ],
            proptest::option::of(prop_oneof![
                Just(PHOTO.to_vec()),
                proptest::collection::vec(any::<u8>(), 0..64)
            ]),
        )
            .prop_map(|(t, hash, bytes)| Message::Blob {
                trajectory: TrajectoryId::new(t).unwrap(),
                hash,
                bytes,
            }
            .encode()),
        proptest::collection::vec(any::<u8>(), 1..80).prop_map(|mut b| {
            b[0] = 7 + (b[0] & 1); // blob request or blob tag with a random body
            b
        }),
    ]
}

/// Reassembly cap for the fragment fuzzing: a few parts' worth.
const FUZZ_CAP: usize = 3000;

/// A session with `t1` granted by a real peer session (same secret), with small limits.
fn granted(host: &OneDoc) -> Session {
    let limits = Limits {
        max_frame_len: 1024,
        max_sync_message_len: FUZZ_CAP,
    };
    let peer_host = OneDoc::new();
    let mut s = Session::with_limits(DeviceId([1; 32]), DeviceId([2; 32]), [3; 32], limits);
    let mut p = Session::with_limits(DeviceId([2; 32]), DeviceId([1; 32]), [4; 32], limits);
    p.open(&peer_host.id, &peer_host);
    let frames = |x: &mut Session| {
        let mut v = Vec::new();
        while let Some(o) = x.poll_output() {
            if let Output::Send(f) = o {
                v.push(f[4..].to_vec());
            }
        }
        v
    };
    for _ in 0..10 {
        let to_p = frames(&mut s);
        let to_s = frames(&mut p);
        if to_p.is_empty() && to_s.is_empty() {
            break;
        }
        for f in to_p {
            p.handle_frame(&f, &peer_host);
        }
        for f in to_s {
            s.handle_frame(&f, host);
        }
    }
    assert!(s.is_granted(&host.id) && !s.is_closed());
    s
}

/// Fragment traffic: parts with plausible and wrong indexes, totals and trajectories,
/// mixed with plain sync messages, presence garbage and raw bytes.
fn fragment_strategy() -> impl Strategy<Value = Vec<u8>> {
    let tid = prop_oneof![4 => Just("t1".to_string()), 1 => Just("t2".to_string())];
    prop_oneof![
        6 => (tid.clone(), 0u32..5, 0u32..6, 1usize..1000, any::<u8>()).prop_map(
            |(t, index, total, len, fill)| {
                let mut data = vec![fill; len];
                data[0] = 0x42;
                Message::SyncPart {
                    trajectory: TrajectoryId::new(t).unwrap(),
                    index,
                    total,
                    data,
                }
                .encode()
            }
        ),
        1 => (tid, proptest::collection::vec(any::<u8>(), 1..64)).prop_map(|(t, mut data)| {
            data[0] = 0x42;
            Message::Sync {
                trajectory: TrajectoryId::new(t).unwrap(),
                data,
            }
            .encode()
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(|mut b| {
            if let Some(first) = b.first_mut() {
                *first = 9; // sync part tag with a random body
            }
            b
        }),
    ]
}

/// A well-ordered run of parts (often longer than the cap allows), possibly cut short.
fn part_run_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
    (2u32..8, 100usize..1000, 0u32..8).prop_map(|(total, len, cut)| {
        (0..total.min(cut.max(1)))
            .map(|index| {
                Message::SyncPart {
                    trajectory: TrajectoryId::new("t1").unwrap(),
                    index,
                    total,
                    data: vec![0x42; len],
                }
                .encode()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fragments_never_panic_nor_buffer_beyond_the_cap(
        runs in proptest::collection::vec(
            prop_oneof![
                2 => fragment_strategy().prop_map(|f| vec![f]),
                1 => part_run_strategy(),
            ],
            0..12,
        ),
    ) {
        let frames: Vec<Vec<u8>> = runs.into_iter().flatten().collect();
        let host = OneDoc::new();
        let mut s = granted(&host);
        let mut closed_reason = None;
        for f in &frames {
            s.handle_frame(f, &host);
            prop_assert!(
                s.reassembly_buffered() <= FUZZ_CAP,
                "{} bytes buffered, cap {FUZZ_CAP}",
                s.reassembly_buffered()
            );
            while let Some(out) = s.poll_output() {
                if let Output::Close(r) = out {
                    closed_reason.get_or_insert(r);
                }
            }
            if s.is_closed() {
                // Whatever was half received is dropped with the connection.
                prop_assert_eq!(s.reassembly_buffered(), 0);
            }
        }
        prop_assert_eq!(s.is_closed(), closed_reason.is_some());
    }

    #[test]
    fn frame_decoder_is_total_and_bounded(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        cuts in proptest::collection::vec(1usize..512, 1..16),
    ) {
        let mut dec = FrameDecoder::new();
        let mut pushed = 0usize;
        let mut rest = &bytes[..];
        let mut cut = cuts.iter().cycle();
        while !rest.is_empty() {
            let n = (*cut.next().unwrap()).min(rest.len());
            dec.push(&rest[..n]);
            pushed += n;
            rest = &rest[n..];
            loop {
                match dec.next_frame() {
                    Ok(Some(f)) => prop_assert!(f.len() <= MAX_FRAME_LEN && f.len() <= pushed),
                    Ok(None) => break,
                    Err(_) => break,
                }
            }
            // Never holds more than what came in.
            prop_assert!(dec.buffered() <= pushed);
        }
    }

    #[test]
    fn message_decoding_is_total_and_roundtrips(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(m) = Message::decode(&bytes) {
            let again = Message::decode(&m.encode()).unwrap();
            prop_assert_eq!(again, m);
        }
    }

    #[test]
    fn handshake_survives_arbitrary_frames_and_grants_nothing(
        frames in proptest::collection::vec(frame_strategy(), 0..12),
    ) {
        let host = OneDoc::new();
        let before = host.heads();
        let mut s = Session::new(DeviceId([1; 32]), DeviceId([2; 32]), [3; 32]);
        for f in &frames {
            s.handle_frame(f, &host);
        }
        // Also as one byte stream through the frame decoder.
        let mut s2 = Session::new(DeviceId([1; 32]), DeviceId([2; 32]), [3; 32]);
        let mut dec = FrameDecoder::new();
        for f in &frames {
            if let Ok(framed) = encode_frame(f) {
                dec.push(&framed);
            }
        }
        while let Ok(Some(f)) = dec.next_frame() {
            s2.handle_frame(&f, &host);
        }
        for sess in [&mut s, &mut s2] {
            prop_assert!(!sess.is_granted(&host.id));
            prop_assert!(!sess.request_blob(&host.id, BlobHash::of(PHOTO)));
            while let Some(out) = sess.poll_output() {
                match out {
                    Output::Send(frame) => {
                        let m = Message::decode(&frame[4..]).unwrap();
                        prop_assert!(
                            !matches!(
                                m,
                                Message::Sync { .. }
                                    | Message::Presence(_)
                                    | Message::BlobRequest { .. }
                                    | Message::Blob { bytes: Some(_), .. }
                            ),
                            "sent {:?} without a valid proof",
                            m.kind()
                        );
                    }
                    Output::Event(e) => prop_assert!(
                        !matches!(
                            e,
                            SessionEvent::BlobRequested { .. } | SessionEvent::BlobReceived { .. }
                        ),
                        "photo event without a valid proof: {e:?}"
                    ),
                    Output::Close(_) => {}
                }
            }
        }
        prop_assert_eq!(host.heads(), before);
    }

    #[test]
    fn ticket_parsing_is_total(text in ".{0,300}") {
        let _ = text.parse::<Ticket>();
        let _ = format!("leerrijk1{text}").parse::<Ticket>();
    }

    #[test]
    fn ticket_bodies_are_total(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Ticket::from_bytes(&bytes);
        let text = format!("leerrijk1{}", data_encoding::BASE32_NOPAD.encode(&bytes));
        let _ = text.parse::<Ticket>();
    }
}
