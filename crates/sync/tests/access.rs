//! Access control over real connections: a device only gets the trajectories whose join
//! secret it proved, and a wrong secret gets nothing and leaks nothing.

mod common;

use std::time::Duration;

use common::*;
use leerrijk_sync::{JoinSecret, SyncEvent};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_for_one_trajectory_never_yields_another() {
    init_tracing();
    let a_host = TestHost::new();
    let (t1, s1) = a_host.create("Open voor B", "Anne");
    let (t2, _s2) = a_host.create("Niet voor B", "Anne");
    a_host.add_postit(&t2, "alleen voor het andere team");
    let t2_heads = a_host.heads(&t2);
    let a = peer(&a_host, key()).await;
    let mut a_events = a.subscribe();

    // B holds a valid ticket for t1, and tries t2 with a guessed secret.
    let b_host = TestHost::new();
    b_host.insert_empty(&t1, &s1);
    b_host.insert_empty(&t2, &JoinSecret::generate());
    let b = peer(&b_host, key()).await;
    b.join(&loopback_ticket(&a, &t1)).unwrap();
    b.dial(a.device_id(), &[], None, Some(&t2)).unwrap();

    b.wait_in_sync(&t1, Duration::from_secs(20)).await.unwrap();
    assert_eq!(b_host.heads(&t1), a_host.heads(&t1));
    // A refused t2 for B's proof, and never opened it.
    let refused = wait_event(
        &mut a_events,
        10,
        |e| matches!(e, SyncEvent::Refused { trajectory, by_peer: false, .. } if *trajectory == t2),
    )
    .await;
    assert!(refused.is_some(), "A did not refuse t2");
    // t1 keeps flowing on the same connection.
    a_host.add_postit(&t1, "na de weigering");
    a.local_change(&t1);
    assert!(eventually(10, || b_host.postits(&t1).contains("na de weigering")).await);
    // Nothing of t2 reached B, and A's t2 is untouched.
    assert!(b_host.heads(&t2).is_empty());
    assert_eq!(a_host.heads(&t2), t2_heads);
    assert!(a.peers(&t2).is_empty());
    while let Ok(e) = a_events.try_recv() {
        assert!(
            !matches!(&e, SyncEvent::TrajectoryOpened { trajectory, .. } if *trajectory == t2),
            "t2 was opened: {e:?}"
        );
    }
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_is_refused_and_nothing_is_applied_or_sent() {
    init_tracing();
    let a_host = TestHost::new();
    let (t1, _) = a_host.create("Geheim", "Anne");
    a_host.add_postit(&t1, "vertrouwelijk");
    let a_heads = a_host.heads(&t1);
    let a = peer(&a_host, key()).await;

    // B has a ticket whose secret was tampered with, and a document of its own under that id.
    let b_host = TestHost::new();
    let mut ticket = loopback_ticket(&a, &t1);
    ticket.secret = JoinSecret::generate();
    b_host.insert_empty(&t1, &ticket.secret);
    let b = peer(&b_host, key()).await;
    let mut b_events = b.subscribe();
    b.join(&ticket).unwrap();

    let closed = wait_event(&mut b_events, 10, |e| {
        matches!(
            e,
            SyncEvent::ConnectionClosed {
                reason: leerrijk_sync::proto::CloseReason::WrongSecret,
                ..
            }
        )
    })
    .await;
    assert!(closed.is_some(), "no close with reason 'wrong join secret'");
    let err = b.wait_in_sync(&t1, Duration::from_millis(500)).await;
    assert!(err.is_err());
    // Nothing applied on either side, nothing persisted.
    assert!(b_host.heads(&t1).is_empty());
    assert_eq!(a_host.heads(&t1), a_heads);
    assert_eq!(
        a_host.persisted.load(std::sync::atomic::Ordering::SeqCst)
            + b_host.persisted.load(std::sync::atomic::Ordering::SeqCst),
        0
    );
    a.shutdown().await;
    b.shutdown().await;
}
