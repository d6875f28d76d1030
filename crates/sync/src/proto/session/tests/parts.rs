//! Sync messages larger than a frame: splitting, reassembly and every rule violation.

use super::*;

/// A small frame cap, so a document of a few KB needs several parts.
const FRAME: usize = 1024;

fn small_frames() -> Limits {
    Limits {
        max_frame_len: FRAME,
        ..Limits::default()
    }
}

/// Fills trajectory `id` with `n` keys holding hard-to-compress values (~40 bytes each).
fn fill(host: &MemHost, id: &str, n: usize) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        host.edit(
            id,
            &format!("k{i}"),
            &format!("{x:016x}{:016x}", x.rotate_left(29)),
        );
    }
}

/// Splits concatenated frames into decoded messages (no cap beyond the hard one).
fn messages(bytes: &[u8]) -> Vec<Message> {
    let mut dec = FrameDecoder::new();
    dec.push(bytes);
    let mut out = Vec::new();
    while let Some(f) = dec.next_frame().unwrap() {
        out.push(Message::decode(&f).unwrap());
    }
    out
}

fn frame_lens(bytes: &[u8]) -> Vec<usize> {
    let mut dec = FrameDecoder::new();
    dec.push(bytes);
    let mut out = Vec::new();
    while let Some(f) = dec.next_frame().unwrap() {
        out.push(f.len());
    }
    out
}

fn part(t: &str, index: u32, total: u32, data: Vec<u8>) -> Vec<u8> {
    frame(&Message::SyncPart {
        trajectory: tid(t),
        index,
        total,
        data,
    })
}

/// A granted pair with small frames and a `cap` on reassembly; B has t1 with some content.
fn small_pair(cap: usize) -> (Side, Side) {
    let limits = Limits {
        max_frame_len: FRAME,
        max_sync_message_len: cap,
    };
    let a = MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]);
    let b = MemHost::with(&[("t1", [1; 32])]);
    b.edit("t1", "b", "van b");
    let mut a = Side::with_limits(1, 2, a, limits);
    let mut b = Side::with_limits(2, 1, b, limits);
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert!(a.session.is_granted(&tid("t1")) && b.session.is_granted(&tid("t1")));
    assert!(a.closed.is_none() && b.closed.is_none());
    (a, b)
}

/// Feeds `frames` to B and checks it closed with `reason`, sent a `Bye` with it, applied
/// nothing and holds nothing for reassembly.
fn expect_close(b: &mut Side, frames: &[Vec<u8>], reason: CloseReason, detail_has: &str) {
    let heads = b.host.heads("t1");
    for f in frames {
        b.receive(f);
        assert!(b.session.reassembly_buffered() <= b.session.limits().max_sync_message_len);
    }
    b.drain();
    assert_eq!(b.closed, Some(reason));
    let bye = b.sent.iter().rev().find_map(|m| match m {
        Message::Bye { reason, detail } => Some((*reason, detail.clone())),
        _ => None,
    });
    let (bye_reason, detail) = bye.unwrap();
    assert_eq!(bye_reason, reason);
    assert!(
        detail.contains(detail_has),
        "{detail:?} lacks {detail_has:?}"
    );
    assert_eq!(b.host.heads("t1"), heads, "something was applied");
    assert_eq!(b.session.reassembly_buffered(), 0);
    assert!(
        !b.events
            .iter()
            .any(|e| matches!(e, SessionEvent::RemoteChanges(_)))
    );
}

#[test]
fn a_document_larger_than_a_frame_travels_in_parts_and_converges() {
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    fill(&a_host, "t1", 300);
    let b_host = MemHost::with(&[("t1", [1; 32])]);
    let mut a = Side::with_limits(1, 2, a_host, small_frames());
    let mut b = Side::with_limits(2, 1, b_host, small_frames());
    a.session.open(&tid("t1"), &a.host);
    // Watch every frame on the way.
    let mut parts = 0;
    for _ in 0..100 {
        let to_b = a.drain();
        let to_a = b.drain();
        if to_a.is_empty() && to_b.is_empty() {
            break;
        }
        for len in frame_lens(&to_b).into_iter().chain(frame_lens(&to_a)) {
            assert!(
                len <= FRAME,
                "frame of {len} bytes over the {FRAME} byte cap"
            );
        }
        parts += messages(&to_b)
            .iter()
            .filter(|m| matches!(m, Message::SyncPart { .. }))
            .count();
        b.receive(&to_b);
        a.receive(&to_a);
    }
    assert!(parts >= 5, "only {parts} parts");
    assert!(a.closed.is_none() && b.closed.is_none());
    assert_eq!(a.host.heads("t1"), b.host.heads("t1"));
    assert_eq!(b.host.keys("t1").len(), 300);
    assert!(b.session.is_in_sync(&tid("t1")));
    assert_eq!(b.session.reassembly_buffered(), 0);
}

#[test]
fn a_message_in_parts_is_applied_only_when_complete() {
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    fill(&a_host, "t1", 100);
    let mut a = Side::with_limits(1, 2, a_host, small_frames());
    let mut b = Side::with_limits(2, 1, MemHost::with(&[("t1", [1; 32])]), small_frames());
    a.session.open(&tid("t1"), &a.host);
    let mut held = None;
    for _ in 0..20 {
        let to_b = a.drain();
        let to_a = b.drain();
        let msgs = messages(&to_b);
        if msgs.iter().any(|m| matches!(m, Message::SyncPart { .. })) {
            held = Some(msgs);
            break;
        }
        b.receive(&to_b);
        a.receive(&to_a);
    }
    let held = held.unwrap();
    let (last, first) = held.split_last().unwrap();
    let empty = b.host.heads("t1");
    for m in first {
        b.receive(&frame(m));
    }
    b.drain();
    assert_eq!(b.host.heads("t1"), empty, "applied before the last part");
    assert!(b.session.reassembly_buffered() > 0);
    b.receive(&frame(last));
    b.drain();
    assert_eq!(b.host.heads("t1"), a.host.heads("t1"));
    assert_eq!(b.session.reassembly_buffered(), 0);
    assert!(b.events.contains(&SessionEvent::RemoteChanges(tid("t1"))));
    assert!(b.closed.is_none());
}

#[test]
fn small_messages_keep_using_one_sync_frame() {
    // Default limits: a message of tens of KB (dozens of small frames) is one `Sync` frame.
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    fill(&a_host, "t1", 3000);
    let mut a = Side::new(1, 2, a_host);
    let mut b = Side::new(2, 1, MemHost::with(&[("t1", [1; 32])]));
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.host.heads("t1"), b.host.heads("t1"));
    let biggest = a
        .sent
        .iter()
        .filter_map(|m| match m {
            Message::Sync { data, .. } => Some(data.len()),
            _ => None,
        })
        .max()
        .unwrap();
    assert!(biggest > 32 * FRAME, "largest sync message {biggest} bytes");
    let all = a.sent.iter().chain(&b.sent);
    assert!(!all.clone().any(|m| matches!(m, Message::SyncPart { .. })));
    // With small frames, a small edit still goes as one `Sync` frame.
    let (mut a, mut b) = small_pair(usize::MAX);
    let before = a.sent.len();
    a.host.edit("t1", "klein", "x");
    a.session.local_change(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert!(
        a.sent[before..]
            .iter()
            .any(|m| matches!(m, Message::Sync { .. }))
    );
    assert!(
        !a.sent[before..]
            .iter()
            .any(|m| matches!(m, Message::SyncPart { .. }))
    );
    assert!(b.host.keys("t1").contains(&"klein".to_string()));
}

#[test]
fn a_first_part_other_than_zero_closes() {
    let (_a, mut b) = small_pair(usize::MAX);
    let f = part("t1", 1, 3, vec![0x42; 100]);
    expect_close(&mut b, &[f], CloseReason::Malformed, "without part 0");
}

#[test]
fn a_skipped_or_repeated_part_closes() {
    let (_a, mut b) = small_pair(usize::MAX);
    let frames = [
        part("t1", 0, 3, vec![0x42; 100]),
        part("t1", 2, 3, vec![1; 100]),
    ];
    expect_close(&mut b, &frames, CloseReason::Malformed, "out of order");
    let (_a, mut b) = small_pair(usize::MAX);
    let frames = [
        part("t1", 0, 3, vec![0x42; 100]),
        part("t1", 0, 3, vec![1; 100]),
    ];
    expect_close(&mut b, &frames, CloseReason::Malformed, "out of order");
}

#[test]
fn a_total_that_changes_midway_closes() {
    let (_a, mut b) = small_pair(usize::MAX);
    let frames = [
        part("t1", 0, 3, vec![0x42; 100]),
        part("t1", 1, 4, vec![1; 100]),
    ];
    expect_close(&mut b, &frames, CloseReason::Malformed, "announces 4 parts");
}

#[test]
fn exceeding_the_reassembly_cap_closes_before_buffering_it() {
    let cap = 4000;
    let (_a, mut b) = small_pair(cap);
    let frames: Vec<_> = (0..10).map(|i| part("t1", i, 10, vec![7; 900])).collect();
    expect_close(
        &mut b,
        &frames,
        CloseReason::MessageTooLarge,
        "4000 byte limit",
    );
}

#[test]
fn the_reassembly_cap_counts_all_trajectories_of_a_connection() {
    let limits = Limits {
        max_frame_len: FRAME,
        max_sync_message_len: 3000,
    };
    let hosts = || MemHost::with(&[("t1", [1; 32]), ("t2", [2; 32])]);
    let mut a = Side::with_limits(1, 2, hosts(), limits);
    let mut b = Side::with_limits(2, 1, hosts(), limits);
    a.session.open(&tid("t1"), &a.host);
    a.session.open(&tid("t2"), &a.host);
    pump(&mut a, &mut b);
    assert!(b.session.is_granted(&tid("t1")) && b.session.is_granted(&tid("t2")));
    // Each message alone fits; both pending together do not.
    let frames = [
        part("t1", 0, 3, vec![0x42; 900]),
        part("t2", 0, 3, vec![0x42; 900]),
        part("t1", 1, 3, vec![1; 900]),
        part("t2", 1, 3, vec![1; 900]),
    ];
    expect_close(&mut b, &frames, CloseReason::MessageTooLarge, "byte limit");
}

#[test]
fn parts_for_an_unproven_trajectory_close() {
    let (_a, mut b) = small_pair(usize::MAX);
    // B does not even have t2; A never proved it to B.
    let f = part("t2", 0, 2, vec![0x42; 100]);
    expect_close(&mut b, &[f], CloseReason::Malformed, "not granted");
    let (_a, mut b) = small_pair(usize::MAX);
    let f = part("t9", 0, 2, vec![0x42; 100]);
    expect_close(&mut b, &[f], CloseReason::Malformed, "not granted");
}

#[test]
fn a_plain_sync_while_parts_are_pending_closes() {
    let (mut a, mut b) = small_pair(usize::MAX);
    // A real, valid sync message as the interloper.
    a.host.edit("t1", "x", "y");
    a.session.local_change(&tid("t1"), &a.host);
    let real = messages(&a.drain())
        .into_iter()
        .find(|m| matches!(m, Message::Sync { .. }))
        .unwrap();
    let frames = [part("t1", 0, 2, vec![0x42; 100]), frame(&real)];
    expect_close(&mut b, &frames, CloseReason::Malformed, "pending");
}

#[test]
fn a_complete_but_undecodable_message_in_parts_applies_nothing() {
    let (_a, mut b) = small_pair(usize::MAX);
    let frames = [
        part("t1", 0, 2, vec![0x42; 600]),
        part("t1", 1, 2, vec![0xff; 600]),
    ];
    expect_close(&mut b, &frames, CloseReason::SyncFailed, "undecodable");
}

#[test]
fn a_message_over_the_cap_is_not_sent() {
    let limits = Limits {
        max_frame_len: FRAME,
        max_sync_message_len: 2000,
    };
    let a_host = MemHost::with(&[("t1", [1; 32])]);
    fill(&a_host, "t1", 300);
    let mut a = Side::with_limits(1, 2, a_host, limits);
    let mut b = Side::with_limits(2, 1, MemHost::with(&[("t1", [1; 32])]), limits);
    a.session.open(&tid("t1"), &a.host);
    pump(&mut a, &mut b);
    assert_eq!(a.closed, Some(CloseReason::MessageTooLarge));
    assert!(!a.sent.iter().any(|m| matches!(m, Message::SyncPart { .. })));
    assert!(b.host.keys("t1").is_empty());
}
