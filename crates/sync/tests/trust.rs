#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A modified client over real connections: its forged changes are refused before they touch
//! an honest peer's document, and the honest peer keeps serving everyone else.

mod common;

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use common::*;
use leerrijk_sync::SyncEvent;
use leerrijk_sync::proto::CloseReason;

/// A copy of `doc` with one raw post-it whose text is `len` characters: what a modified
/// client writes without the model's checks.
fn with_forged_postit(doc: &AutoCommit, len: usize) -> AutoCommit {
    let mut forged = doc.clone();
    let Some((_, postits)) = forged.get(ROOT, "postits").unwrap() else {
        panic!("no postits")
    };
    let p = forged
        .put_object(&postits, "f0000000000000000000000000000000", ObjType::Map)
        .unwrap();
    let text = forged.put_object(&p, "text", ObjType::Text).unwrap();
    forged.splice_text(&text, 0, 0, &"x".repeat(len)).unwrap();
    forged.put(&p, "created_at", 1_i64).unwrap();
    forged.commit();
    forged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_oversized_changes_are_refused_and_nothing_is_applied() {
    init_tracing();
    let a_host = TestHost::new();
    let (t1, s1) = a_host.create("Ons traject", "Anne");
    a_host.add_postit(&t1, "echt briefje van Anne");
    let a_heads = a_host.heads(&t1);
    let a = peer(&a_host, key()).await;
    let mut a_events = a.subscribe();

    // Eva's laptop runs a modified app: its copy holds a post-it of 300,000 characters.
    let eva_host = TestHost::new();
    let honest = a_host_doc(&a_host, &t1);
    eva_host.insert_doc(&t1, &s1, with_forged_postit(&honest, 300_000));
    let eva = peer(&eva_host, key()).await;
    eva.join(&loopback_ticket(&a, &t1)).unwrap();

    let refused = wait_event(
        &mut a_events,
        20,
        |e| matches!(e, SyncEvent::ChangesRefused { trajectory, .. } if *trajectory == t1),
    )
    .await;
    let Some(SyncEvent::ChangesRefused { device, reason, .. }) = refused else {
        panic!("A did not refuse Eva's changes")
    };
    assert_eq!(device, eva.device_id());
    assert!(
        reason.contains("operations"),
        "reason names the rule: {reason}"
    );
    // Nothing of Eva's changes reached A; A's own post-it is untouched.
    assert_eq!(a_host.heads(&t1), a_heads);
    assert!(a_host.postits(&t1).contains("echt briefje van Anne"));
    assert_eq!(a_host.postits(&t1).len(), 1);

    // A keeps serving an honest peer.
    let b_host = TestHost::new();
    b_host.insert_empty(&t1, &s1);
    let b = peer(&b_host, key()).await;
    b.join(&loopback_ticket(&a, &t1)).unwrap();
    b.wait_in_sync(&t1, Duration::from_secs(20)).await.unwrap();
    assert_eq!(b_host.heads(&t1), a_heads);
    eva.shutdown().await;
    b.shutdown().await;
    a.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_over_its_limit_in_small_changes_is_refused_with_the_reason() {
    init_tracing();
    let a_host = TestHost::new();
    let (t1, s1) = a_host.create("Ons traject", "Anne");
    let a_heads = a_host.heads(&t1);
    let a = peer(&a_host, key()).await;

    // 5,000 characters: few operations, but over the post-it limit of 2,000.
    let eva_host = TestHost::new();
    eva_host.insert_doc(
        &t1,
        &s1,
        with_forged_postit(&a_host_doc(&a_host, &t1), 5_000),
    );
    let eva = peer(&eva_host, key()).await;
    let mut eva_events = eva.subscribe();
    eva.join(&loopback_ticket(&a, &t1)).unwrap();

    // Eva's laptop hears why: A says goodbye with the reason.
    let bye = wait_event(&mut eva_events, 20, |e| {
        matches!(
            e,
            SyncEvent::ConnectionClosed {
                reason: CloseReason::ChangesRefused,
                by_peer: true,
                ..
            }
        )
    })
    .await;
    let Some(SyncEvent::ConnectionClosed { detail, .. }) = bye else {
        panic!("Eva was not told")
    };
    assert!(detail.contains("postits/"), "{detail}");
    assert!(detail.contains("5000 characters"), "{detail}");
    assert_eq!(a_host.heads(&t1), a_heads);
    eva.shutdown().await;
    a.shutdown().await;
}

fn a_host_doc(host: &TestHost, id: &leerrijk_sync::TrajectoryId) -> AutoCommit {
    host.edit(id, |t| t.doc().clone())
}
