#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Photos travel between peers on loopback (real iroh endpoints, relays and mDNS off): the
//! document holds only the hash, and the bytes follow as `Blob` messages after the sync
//! rounds, checked against their hash before the host stores them.

mod common;

use std::time::Duration;

use common::*;
use leerrijk_sync::{BlobHash, SyncEvent};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_added_on_a_arrives_as_a_blob_on_b() {
    init_tracing();
    let a_host = TestHost::new();
    let (id, secret) = a_host.create("Leren loont", "Anne");
    // One photo before B joins, one while both are connected.
    let before: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let h1 = a_host.add_photo(&id, &before, "De musical");
    let a = peer(&a_host, key()).await;
    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer(&b_host, key()).await;
    let mut b_events = b.subscribe();

    b.join(&loopback_ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    assert!(
        eventually(20, || b_host.photo(&h1).is_some()).await,
        "the photo from before the join arrived"
    );
    assert_eq!(b_host.photo(&h1).unwrap(), before);
    assert!(
        wait_event(&mut b_events, 5, |e| matches!(
            e,
            SyncEvent::BlobStored { hash, .. } if *hash == h1
        ))
        .await
        .is_some(),
        "the UI hears that a photo arrived"
    );

    let during = b"a small jpeg taken during the meeting".repeat(50);
    let h2 = a_host.add_photo(&id, &during, "Het bord");
    a.local_change(&id);
    assert!(
        eventually(20, || b_host.photo(&h2).is_some()).await,
        "the photo added while connected arrived"
    );
    assert_eq!(b_host.photo(&h2).unwrap(), during);
    // The document carries only the hashes.
    assert_eq!(b_host.image_blobs(&id), [h1, h2].into_iter().collect());

    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_photo_is_not_passed_on_and_the_good_copy_still_arrives() {
    init_tracing();
    let a_host = TestHost::new();
    let (id, secret) = a_host.create("Leren loont", "Anne");
    let photo = b"the real photo bytes".repeat(100);
    let h = a_host.add_photo(&id, &photo, "Mooi");
    // A's copy is damaged on disk: it must not be sent.
    a_host.put_raw_photo(h, b"bit rot");
    let a = peer(&a_host, key()).await;

    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer(&b_host, key()).await;
    b.join(&loopback_ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    assert!(b_host.wanted_blob_count(&id) == 1);

    // C has the good copy and joins B's mesh; B gets it from C.
    let c_host = TestHost::new();
    c_host.insert_empty(&id, &secret);
    c_host.put_raw_photo(h, &photo);
    let c = peer(&c_host, key()).await;
    c.join(&loopback_ticket(&b, &id)).unwrap();
    c.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    b.local_change(&id);
    assert!(
        eventually(20, || b_host.photo(&h).is_some()).await,
        "the good copy arrived from C"
    );
    assert_eq!(b_host.photo(&h).unwrap(), photo);
    assert!(BlobHash::of(&b_host.photo(&h).unwrap()) == h);

    for p in [a, b, c] {
        p.shutdown().await;
    }
}
