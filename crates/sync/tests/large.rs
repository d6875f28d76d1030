//! A fresh peer joins a document whose first sync message is larger than a frame: real
//! iroh endpoints on loopback (relays and mDNS off). The frame cap is lowered to 64 KiB so
//! a document of a few hundred KB exercises the same path as a 20 MB trajectory under the
//! 16 MiB default; the default path is checked with the same document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use automerge::sync::{self, SyncDoc};
use common::*;
use leerrijk_model::generate::{GenSpec, generate};
use leerrijk_sync::proto::{Limits, MAX_FRAME_LEN};
use leerrijk_sync::{JoinSecret, TrajectoryId};

/// Frame cap for the split path.
const SMALL_FRAME: usize = 64 * 1024;

/// A generated trajectory of a few hundred KB, held by a new host.
fn big_trajectory() -> (Arc<TestHost>, TrajectoryId, JoinSecret) {
    let spec = GenSpec {
        participants: 20,
        postits: 3_000,
        stories: 150,
        offers: 60,
        history_rounds: 0,
        seed: 7,
    };
    let t = generate(&spec).unwrap().trajectory;
    let id = TrajectoryId::new(t.id()).unwrap();
    let secret = JoinSecret::generate();
    let host = TestHost::new();
    host.insert_doc(&id, &secret, t.into_doc());
    (host, id, secret)
}

/// The largest automerge sync message that brings the document to an empty peer.
fn largest_first_sync_message(host: &TestHost, id: &TrajectoryId) -> usize {
    let mut full = automerge::AutoCommit::new();
    leerrijk_sync::DocumentHost::with_doc(host, id, &mut |doc| full = doc.clone()).unwrap();
    let mut empty = automerge::AutoCommit::new();
    let (mut sf, mut se) = (sync::State::new(), sync::State::new());
    let mut largest = 0;
    for _ in 0..10 {
        let mut quiet = true;
        if let Some(m) = full.sync().generate_sync_message(&mut sf) {
            let m = m.encode();
            largest = largest.max(m.len());
            let m = sync::Message::decode(&m).unwrap();
            empty.sync().receive_sync_message(&mut se, m).unwrap();
            quiet = false;
        }
        if let Some(m) = empty.sync().generate_sync_message(&mut se) {
            full.sync().receive_sync_message(&mut sf, m).unwrap();
            quiet = false;
        }
        if quiet {
            break;
        }
    }
    largest
}

async fn join_and_check(limits: Limits) {
    let (a_host, id, secret) = big_trajectory();
    let largest = largest_first_sync_message(&a_host, &id);
    eprintln!(
        "document: {} bytes saved, largest first sync message {largest} bytes, frame cap {}",
        a_host.saved_len(&id),
        limits.max_frame_len
    );
    let a = peer_with_limits(&a_host, key(), limits).await;
    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer_with_limits(&b_host, key(), limits).await;
    b.join(&loopback_ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(30)).await.unwrap();
    assert_eq!(a_host.heads(&id), b_host.heads(&id));
    assert_eq!(b_host.postits(&id), a_host.postits(&id));
    assert_eq!(b_host.postits(&id).len(), 3_000);
    // The joined peer edits, and the change flows back over the same kind of connection.
    b_host.register(&id, "Bert", b.device_id());
    b_host.add_postit(&id, "na het grote bericht");
    b.local_change(&id);
    b.wait_in_sync(&id, Duration::from_secs(30)).await.unwrap();
    let back = eventually(20, || a_host.postits(&id).contains("na het grote bericht")).await;
    assert!(back, "the joined peer's edit did not reach the inviter");
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_peer_joins_a_document_whose_first_sync_message_exceeds_the_frame_cap() {
    init_tracing();
    let (host, id, _) = big_trajectory();
    // The premise: automerge's first message for a fresh peer is several frames long.
    assert!(largest_first_sync_message(&host, &id) > 3 * SMALL_FRAME);
    join_and_check(Limits {
        max_frame_len: SMALL_FRAME,
        ..Limits::default()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_sixteen_mib_frames_still_carry_the_same_document_in_one_message() {
    init_tracing();
    let (host, id, _) = big_trajectory();
    let largest = largest_first_sync_message(&host, &id);
    assert!(largest > SMALL_FRAME && largest < MAX_FRAME_LEN);
    assert_eq!(Limits::default().max_frame_len, MAX_FRAME_LEN);
    join_and_check(Limits::default()).await;
}
