//! Fault cases on real endpoints: malformed, oversized and out-of-order frames written on a
//! raw connection with our ALPN, an undecodable sync message after a valid handshake, a
//! connection dropped in the middle of a large sync, and a peer that returns after many
//! offline edits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use iroh::endpoint::{ConnectionError, presets};
use iroh::{Endpoint, EndpointAddr, RelayMode, TransportAddr};
use leerrijk_sync::proto::auth::{ProofContext, prove};
use leerrijk_sync::proto::{CloseReason, FrameDecoder, Message, PROTOCOL_VERSION, encode_frame};
use leerrijk_sync::{ALPN, DeviceId, JoinSecret, SyncHandle, TrajectoryId};

/// A bare iroh endpoint that speaks our ALPN but writes whatever the test wants.
struct Raw {
    ep: Endpoint,
    send: iroh::endpoint::SendStream,
    recv: iroh::endpoint::RecvStream,
    conn: iroh::endpoint::Connection,
    decoder: FrameDecoder,
}

impl Raw {
    async fn connect(to: &SyncHandle) -> Self {
        let ep = Endpoint::builder(presets::Minimal)
            .relay_mode(RelayMode::Disabled)
            .bind()
            .await
            .unwrap();
        let addr = EndpointAddr::from_parts(
            to.endpoint().id(),
            loopback(&to.addrs()).into_iter().map(TransportAddr::Ip),
        );
        let conn = ep.connect(addr, ALPN).await.unwrap();
        let (send, recv) = conn.open_bi().await.unwrap();
        Self {
            ep,
            send,
            recv,
            conn,
            decoder: FrameDecoder::new(),
        }
    }

    fn device(&self) -> DeviceId {
        DeviceId(*self.ep.id().as_bytes())
    }

    async fn write(&mut self, bytes: &[u8]) {
        self.send.write_all(bytes).await.unwrap();
    }

    async fn write_msg(&mut self, m: &Message) {
        self.write(&encode_frame(&m.encode()).unwrap()).await;
    }

    /// The next message from the peer, or `None` at end of stream / after 10 s.
    async fn next(&mut self) -> Option<Message> {
        loop {
            if let Some(frame) = self.decoder.next_frame().unwrap() {
                return Some(Message::decode(&frame).unwrap());
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.recv.read_chunk(65536))
                .await
                .ok()?
                .ok()??;
            self.decoder.push(&chunk);
        }
    }

    /// Reads until the peer's `Bye` and returns its reason; then checks that the
    /// connection is closed with the same code.
    async fn expect_bye(mut self) -> CloseReason {
        let mut reason = None;
        while let Some(m) = self.next().await {
            if let Message::Bye { reason: r, .. } = m {
                reason = Some(r);
                break;
            }
        }
        let reason = reason.expect("peer sent no bye");
        // Like a well-behaved peer, finish our side after its bye so it can close at once.
        let _ = self.send.finish();
        let closed = tokio::time::timeout(Duration::from_secs(10), self.conn.closed())
            .await
            .expect("connection not closed");
        match closed {
            ConnectionError::ApplicationClosed(c) => {
                assert_eq!(u64::from(c.error_code), u64::from(reason.code()));
            }
            other => panic!("unexpected close: {other:?}"),
        }
        self.ep.close().await;
        reason
    }
}

async fn served() -> (
    std::sync::Arc<TestHost>,
    TrajectoryId,
    JoinSecret,
    SyncHandle,
) {
    let host = TestHost::new();
    let (id, secret) = host.create("Foutgevallen", "Anne");
    host.add_postit(&id, "blijft heel");
    let handle = peer(&host, key()).await;
    (host, id, secret, handle)
}

/// After the faults, a well-behaved device still syncs with the peer.
async fn still_serves(a: &SyncHandle, id: &TrajectoryId, secret: &JoinSecret) {
    let b_host = TestHost::new();
    b_host.insert_empty(id, secret);
    let b = peer(&b_host, key()).await;
    b.join(&loopback_ticket(a, id)).unwrap();
    b.wait_in_sync(id, Duration::from_secs(20)).await.unwrap();
    assert!(b_host.postits(id).contains("blijft heel"));
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_oversized_and_out_of_order_frames_close_with_a_reason() {
    init_tracing();
    let (host, id, secret, a) = served().await;
    let heads = host.heads(&id);

    let mut raw = Raw::connect(&a).await;
    raw.write(&encode_frame(&[0xff, 1, 2, 3]).unwrap()).await;
    assert_eq!(raw.expect_bye().await, CloseReason::Malformed);

    let mut raw = Raw::connect(&a).await;
    raw.write(&u32::MAX.to_be_bytes()).await;
    assert_eq!(raw.expect_bye().await, CloseReason::FrameTooLarge);

    let mut raw = Raw::connect(&a).await;
    // Exactly one byte over the cap, announced in the header: refused before reading it.
    raw.write(&((leerrijk_sync::proto::MAX_FRAME_LEN as u32) + 1).to_be_bytes())
        .await;
    assert_eq!(raw.expect_bye().await, CloseReason::FrameTooLarge);

    let mut raw = Raw::connect(&a).await;
    raw.write(&[0, 0, 0, 0]).await;
    assert_eq!(raw.expect_bye().await, CloseReason::Malformed);

    let mut raw = Raw::connect(&a).await;
    raw.write_msg(&Message::Hello {
        version: PROTOCOL_VERSION + 1,
        nonce: [9; 32],
    })
    .await;
    assert_eq!(raw.expect_bye().await, CloseReason::UnsupportedVersion);

    let mut raw = Raw::connect(&a).await;
    raw.write_msg(&Message::Prove {
        trajectory: id.clone(),
        proof: [0; 32],
    })
    .await;
    assert_eq!(raw.expect_bye().await, CloseReason::Malformed);

    assert_eq!(host.heads(&id), heads);
    still_serves(&a, &id, &secret).await;
    a.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_sync_message_after_valid_handshake_applies_nothing() {
    init_tracing();
    let (host, id, secret, a) = served().await;
    let heads = host.heads(&id);
    let mut raw = Raw::connect(&a).await;
    let nonce = [42u8; 32];
    raw.write_msg(&Message::Hello {
        version: PROTOCOL_VERSION,
        nonce,
    })
    .await;
    let Some(Message::Hello { nonce: their, .. }) = raw.next().await else {
        panic!("no hello");
    };
    let me = raw.device();
    let them = a.device_id();
    let proof = prove(
        &secret,
        &id,
        ProofContext {
            prover: &me,
            verifier: &them,
            prover_nonce: &nonce,
            verifier_nonce: &their,
        },
    );
    raw.write_msg(&Message::Prove {
        trajectory: id.clone(),
        proof,
    })
    .await;
    // The peer answers with its own proof, then starts syncing.
    assert!(matches!(raw.next().await, Some(Message::Prove { .. })));
    raw.write_msg(&Message::Sync {
        trajectory: id.clone(),
        data: vec![0x42, 0xde, 0xad, 0xbe, 0xef],
    })
    .await;
    assert_eq!(raw.expect_bye().await, CloseReason::SyncFailed);
    assert_eq!(host.heads(&id), heads);
    still_serves(&a, &id, &secret).await;
    a.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_dropped_during_a_large_sync_then_reconnect_converges() {
    init_tracing();
    let a_host = TestHost::new();
    let (id, secret) = a_host.create("Groot", "Anne");
    a_host.edit(&id, |t| {
        for i in 0..3000 {
            t.add_postit(leerrijk_model::NewPostIt {
                text: format!(
                    "post-it nummer {i} met wat tekst erbij om het document groter te maken"
                ),
                ..Default::default()
            })
            .unwrap();
        }
    });
    let a = peer(&a_host, key()).await;
    let mut a_events = a.subscribe();

    let b_key = key();
    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer(&b_host, b_key).await;
    b.join(&loopback_ticket(&a, &id)).unwrap();
    // Drop B's whole endpoint as soon as the sync starts: no goodbye, data in flight lost.
    let opened = wait_event(&mut a_events, 20, |e| {
        matches!(e, leerrijk_sync::SyncEvent::TrajectoryOpened { .. })
    })
    .await;
    assert!(opened.is_some());
    b.endpoint().close().await;
    let partial = b_host.postits(&id).len();
    eprintln!("post-its at B after the drop: {partial}");

    // A fresh start of B (same device key and documents) rejoins and converges.
    let b2 = peer(&b_host, b_key).await;
    b2.join(&loopback_ticket(&a, &id)).unwrap();
    b2.wait_in_sync(&id, Duration::from_secs(60)).await.unwrap();
    assert_eq!(b_host.heads(&id), a_host.heads(&id));
    assert_eq!(b_host.postits(&id).len(), 3000);
    b.shutdown().await;
    b2.shutdown().await;
    a.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_offline_for_many_edits_rejoins_and_merges_fully() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let a_host = TestHost::new();
    let (id, secret) = a_host.create("Offline", "Anne");
    let a_key = key();
    let a = peer_with_book(&a_host, a_key, &dir.path().join("a-peers.json")).await;
    a_host.register(&id, "Anne", a.device_id());
    let b_key = key();
    let b_book = dir.path().join("b-peers.json");
    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer_with_book(&b_host, b_key, &b_book).await;
    b.join(&loopback_ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    b_host.register(&id, "Bert", b.device_id());
    b.local_change(&id);
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    b.shutdown().await;

    // Both edit a lot while B is away (B without any sync running).
    let mut expected: BTreeSet<String> = a_host.postits(&id);
    for i in 0..200 {
        let ta = format!("a-offline-{i}");
        let tb = format!("b-offline-{i}");
        a_host.add_postit(&id, &ta);
        a.local_change(&id);
        b_host.add_postit(&id, &tb);
        expected.insert(ta);
        expected.insert(tb);
    }
    b_host.edit(&id, |t| t.set_title("Anne", "Nieuwe titel").ok());

    // B comes back: no ticket, no explicit dial. It finds A through the document's device
    // list and its address book.
    let b = peer_with_book(&b_host, b_key, &b_book).await;
    b.wait_in_sync(&id, Duration::from_secs(30)).await.unwrap();
    assert!(eventually(10, || a_host.heads(&id) == b_host.heads(&id)).await);
    assert_eq!(a_host.postits(&id), expected);
    assert_eq!(b_host.postits(&id), expected);
    a.shutdown().await;
    b.shutdown().await;
}

/// Hello from a raw connection; returns the peer's nonce and ours.
async fn hello(raw: &mut Raw) -> ([u8; 32], [u8; 32]) {
    let nonce: [u8; 32] = rand::random();
    raw.write_msg(&Message::Hello {
        version: PROTOCOL_VERSION,
        nonce,
    })
    .await;
    let Some(Message::Hello { nonce: their, .. }) = raw.next().await else {
        panic!("no hello");
    };
    (nonce, their)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_a_proof_frames_are_small_and_refusals_say_nothing_about_existence() {
    init_tracing();
    let (host, id, secret, a) = served().await;
    let heads = host.heads(&id);

    // A frame over 64 KiB (far under the 16 MiB cap) before any proof: refused unread.
    let mut raw = Raw::connect(&a).await;
    hello(&mut raw).await;
    let over = leerrijk_sync::proto::MAX_UNAUTHENTICATED_FRAME_LEN as u32 + 1;
    raw.write(&over.to_be_bytes()).await;
    assert_eq!(raw.expect_bye().await, CloseReason::FrameTooLarge);

    // A wrong proof for an existing trajectory and any proof for an unknown one get the
    // same answer, with the same detail.
    let mut answers = Vec::new();
    for trajectory in [id.clone(), TrajectoryId::new("bestaat-niet").unwrap()] {
        let mut raw = Raw::connect(&a).await;
        let (mine, theirs) = hello(&mut raw).await;
        let me = raw.device();
        let them = a.device_id();
        let proof = prove(
            &JoinSecret([3; 32]),
            &trajectory,
            ProofContext {
                prover: &me,
                verifier: &them,
                prover_nonce: &mine,
                verifier_nonce: &theirs,
            },
        );
        raw.write_msg(&Message::Prove {
            trajectory: trajectory.clone(),
            proof,
        })
        .await;
        let mut got = Vec::new();
        while let Some(m) = raw.next().await {
            let bye = matches!(m, Message::Bye { .. });
            got.push(match m {
                Message::Refuse { reason, .. } => format!("refuse {reason}"),
                Message::Bye { reason, detail } => format!("bye {reason}: {detail}"),
                other => format!("{other:?}"),
            });
            if bye {
                break;
            }
        }
        let _ = raw.send.finish();
        raw.ep.close().await;
        answers.push(got);
    }
    assert_eq!(answers[0], answers[1], "existence can be told apart");
    assert!(answers[0][0].starts_with("refuse"), "{answers:?}");

    assert_eq!(host.heads(&id), heads);
    still_serves(&a, &id, &secret).await;
    a.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_connections_are_capped_and_a_member_still_gets_in() {
    init_tracing();
    let (host, id, secret, a) = served().await;
    let ep = Endpoint::builder(presets::Minimal)
        .relay_mode(RelayMode::Disabled)
        .bind()
        .await
        .unwrap();
    let addr = EndpointAddr::from_parts(
        a.endpoint().id(),
        loopback(&a.addrs()).into_iter().map(TransportAddr::Ip),
    );
    // Connections that say nothing useful: each holds a place until the handshake timeout
    // (10 s). A stream with one byte (a frame header never completed) makes the peer accept
    // it.
    let tries = 40;
    let mut conns = Vec::new();
    for _ in 0..tries {
        let conn = ep.connect(addr.clone(), ALPN).await.unwrap();
        // A connection closed as busy may already fail here.
        let stream = match conn.open_bi().await {
            Ok((mut send, recv)) => {
                let _ = send.write_all(&[0]).await;
                Some((send, recv))
            }
            Err(_) => None,
        };
        conns.push((conn, stream));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let busy = conns
        .iter()
        .filter(|(c, _)| match c.close_reason() {
            Some(ConnectionError::ApplicationClosed(c)) => {
                u64::from(c.error_code) == u64::from(CloseReason::Busy.code())
            }
            _ => false,
        })
        .count();
    let open = conns
        .iter()
        .filter(|(c, _)| c.close_reason().is_none())
        .count();
    eprintln!("{tries} idle connections: {open} still open, {busy} closed as busy");
    assert_eq!(
        busy,
        tries - 32,
        "the cap is 32 unauthenticated connections"
    );
    assert_eq!(open, 32);
    drop(conns);
    ep.close().await;
    // The places are free again once those connections are gone.
    let heads = host.heads(&id);
    still_serves(&a, &id, &secret).await;
    assert_eq!(host.heads(&id), heads);
    a.shutdown().await;
}
