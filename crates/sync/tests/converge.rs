//! Peers on loopback (real iroh endpoints, relays and mDNS off) with concurrent edits
//! through the model converge to identical heads, and nothing is lost.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::*;
use leerrijk_sync::SyncEvent;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_peers_with_concurrent_edits_converge() {
    init_tracing();
    let started = Instant::now();
    let a_host = TestHost::new();
    let (id, secret) = a_host.create("Leren loont", "Anne");
    let a = peer(&a_host, key()).await;
    let b_host = TestHost::new();
    b_host.insert_empty(&id, &secret);
    let b = peer(&b_host, key()).await;
    let mut b_events = b.subscribe();

    b.join(&loopback_ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    assert_eq!(a_host.heads(&id), b_host.heads(&id));
    // Joining registers the participant and this device, through the model.
    b_host.register(&id, "Bert", b.device_id());
    b.local_change(&id);

    // Concurrent edits on both sides while connected.
    let mut expected = BTreeSet::new();
    for i in 0..60 {
        let ta = format!("a-{i}");
        let tb = format!("b-{i}");
        a_host.add_postit(&id, &ta);
        a.local_change(&id);
        b_host.add_postit(&id, &tb);
        b.local_change(&id);
        expected.insert(ta);
        expected.insert(tb);
        if i % 10 == 0 {
            tokio::task::yield_now().await;
        }
    }
    a.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    b.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
    assert_eq!(a_host.heads(&id), b_host.heads(&id));
    assert_eq!(a_host.postits(&id), expected);
    assert_eq!(b_host.postits(&id), expected);
    // A knows B's device from the document now.
    assert!(leerrijk_sync::DocumentHost::known_devices(&*a_host, &id).contains(&b.device_id()));
    // The UI was told about remote changes after they were persisted.
    assert!(
        wait_event(&mut b_events, 5, |e| matches!(
            e,
            SyncEvent::RemoteChange { .. }
        ))
        .await
        .is_some()
    );
    assert!(b_host.persisted.load(std::sync::atomic::Ordering::SeqCst) > 0);

    a.shutdown().await;
    b.shutdown().await;
    eprintln!("two peers: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_peers_with_concurrent_edits_converge_and_form_a_mesh() {
    init_tracing();
    let started = Instant::now();
    let hosts: Vec<_> = (0..5).map(|_| TestHost::new()).collect();
    let (id, secret) = hosts[0].create("Vijf", "Anne");
    let mut peers = Vec::new();
    for h in &hosts {
        peers.push(peer(h, key()).await);
    }
    let ticket = loopback_ticket(&peers[0], &id);
    for (i, (h, p)) in hosts.iter().zip(&peers).enumerate().skip(1) {
        h.insert_empty(&id, &secret);
        p.join(&ticket).unwrap();
        p.wait_in_sync(&id, Duration::from_secs(20)).await.unwrap();
        h.register(&id, &format!("deelnemer {i}"), p.device_id());
        p.local_change(&id);
    }
    hosts[0].register(&id, "Anne", peers[0].device_id());
    peers[0].local_change(&id);
    eprintln!("five peers joined: {:?}", started.elapsed());

    // Everyone edits concurrently.
    let mut expected = BTreeSet::new();
    for round in 0..30 {
        for (i, (h, p)) in hosts.iter().zip(&peers).enumerate() {
            let text = format!("p{i}-r{round}");
            h.add_postit(&id, &text);
            p.local_change(&id);
            expected.insert(text);
        }
        tokio::task::yield_now().await;
    }
    let all_equal = eventually(30, || {
        let first = hosts[0].heads(&id);
        hosts.iter().all(|h| h.heads(&id) == first)
    })
    .await;
    assert!(all_equal, "five peers did not converge");
    eprintln!("five peers converged: {:?}", started.elapsed());
    for h in &hosts {
        assert_eq!(h.postits(&id), expected);
    }
    // Every peer learned the others (documents + presence) and connected to all of them.
    let mesh = eventually(30, || {
        peers.iter().all(|p| p.connected_devices().len() == 4)
    })
    .await;
    assert!(
        mesh,
        "mesh incomplete: {:?}",
        peers
            .iter()
            .map(|p| p.connected_devices().len())
            .collect::<Vec<_>>()
    );
    eprintln!("five peers meshed: {:?}", started.elapsed());
    // Without the inviter, the others still sync with each other.
    peers[0].shutdown().await;
    eprintln!("inviter stopped: {:?}", started.elapsed());
    hosts[3].add_postit(&id, "na vertrek van Anne");
    peers[3].local_change(&id);
    let rest_equal = eventually(20, || {
        let h3 = hosts[3].heads(&id);
        hosts[1..].iter().all(|h| h.heads(&id) == h3)
    })
    .await;
    assert!(
        rest_equal,
        "remaining peers did not converge without the inviter"
    );
    eprintln!("rest converged: {:?}", started.elapsed());
    for p in &peers[1..] {
        p.shutdown().await;
    }
    eprintln!("five peers: {:?}", started.elapsed());
}
