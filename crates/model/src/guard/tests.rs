use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};

use super::*;
use crate::{Clock, NewPostIt, Role, Trajectory};

fn team() -> Trajectory {
    team_and_initiator().0
}

fn team_and_initiator() -> (Trajectory, String) {
    let (t, pid) = Trajectory::create("Leren", "De Linde", "Anne", Role::Leerkracht, Clock::System)
        .expect("create");
    (t, pid.to_string())
}

/// A modified client: a fork of `base` that writes raw automerge, returning the bytes of the
/// changes it made (what a sync message or an import would carry).
fn forged(base: &Trajectory, f: impl FnOnce(&mut AutoCommit)) -> Vec<u8> {
    let mut doc = base.doc().clone();
    let before = doc.get_heads();
    f(&mut doc);
    doc.commit();
    doc.save_after(&before)
}

fn postits(doc: &AutoCommit) -> automerge::ObjId {
    match doc.get(ROOT, "postits").expect("get") {
        Some((_, id)) => id,
        None => panic!("no postits"),
    }
}

#[test]
fn our_own_edits_pass() {
    let (base, anne) = team_and_initiator();
    let mut mine = Trajectory::from_doc(base.doc().clone()).expect("from doc");
    let heads = mine.doc_mut().get_heads();
    mine.add_postit(NewPostIt {
        text: "Samen lesgeven".into(),
        ..Default::default()
    })
    .expect("add");
    // Longer than any field but the letter allows.
    let letter = "x".repeat(crate::schema::limits::ANSWER + 5_000);
    mine.set_letter(&anne, &letter).expect("letter");
    let bytes = mine.doc_mut().save_after(&heads);
    let checked = check_changes(base.doc(), [bytes.as_slice()]).expect("passes");
    assert_eq!(checked.changes, 2);
    // The whole history of a trajectory, checked against an empty document, passes too.
    let all = mine.doc_mut().save_after(&[]);
    check_changes(&AutoCommit::new(), [all.as_slice()]).expect("whole history passes");
}

#[test]
fn an_op_bomb_in_one_post_it_is_refused() {
    let base = team();
    let bytes = forged(&base, |doc| {
        let coll = postits(doc);
        let p = doc.put_object(&coll, "bomb", ObjType::Map).expect("put");
        let text = doc.put_object(&p, "text", ObjType::Text).expect("text");
        doc.splice_text(&text, 0, 0, &"a".repeat(200_000))
            .expect("splice");
    });
    let err = check_changes(base.doc(), [bytes.as_slice()]).expect_err("refused");
    assert!(matches!(err, Refusal::TooManyOps { .. }), "{err}");
}

#[test]
fn a_post_it_text_over_its_limit_is_refused_also_when_split_over_changes() {
    let base = team();
    let bytes = forged(&base, |doc| {
        let coll = postits(doc);
        let p = doc.put_object(&coll, "long", ObjType::Map).expect("put");
        let text = doc.put_object(&p, "text", ObjType::Text).expect("text");
        for _ in 0..3 {
            let len = doc.length(&text);
            doc.splice_text(&text, len, 0, &"b".repeat(1_000))
                .expect("splice");
            doc.commit();
        }
    });
    let err = check_changes(base.doc(), [bytes.as_slice()]).expect_err("refused");
    match err {
        Refusal::TextTooLong { path, len, max } => {
            assert_eq!(path, "postits/long/text");
            assert_eq!(len, 3_000);
            assert_eq!(max, crate::schema::limits::NOTE);
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn a_text_grown_past_its_limit_across_batches_is_refused() {
    let base = team();
    let first = forged(&base, |doc| {
        let coll = postits(doc);
        let p = doc.put_object(&coll, "grow", ObjType::Map).expect("put");
        let text = doc.put_object(&p, "text", ObjType::Text).expect("text");
        doc.splice_text(&text, 0, 0, &"c".repeat(1_500))
            .expect("splice");
    });
    check_changes(base.doc(), [first.as_slice()]).expect("first batch fits");
    let mut doc = base.doc().clone();
    doc.load_incremental(&first).expect("apply");
    let applied = Trajectory::from_doc(doc).expect("doc");
    let second = forged(&applied, |doc| {
        let coll = postits(doc);
        let Some((_, p)) = doc.get(&coll, "grow").expect("get") else {
            panic!("no post-it")
        };
        let Some((_, text)) = doc.get(&p, "text").expect("get") else {
            panic!("no text")
        };
        doc.splice_text(&text, 1_500, 0, &"c".repeat(1_000))
            .expect("splice");
    });
    let err = check_changes(applied.doc(), [second.as_slice()]).expect_err("refused");
    assert!(
        matches!(err, Refusal::TextTooLong { len: 2_500, .. }),
        "{err}"
    );
}

#[test]
fn a_long_scalar_a_long_key_and_deep_nesting_are_refused() {
    let base = team();
    let title = forged(&base, |doc| {
        let Some((_, meta)) = doc.get(ROOT, "meta").expect("get") else {
            panic!("no meta")
        };
        doc.put(&meta, "title", "t".repeat(MAX_SCALAR_BYTES + 1))
            .expect("put");
    });
    assert!(matches!(
        check_changes(base.doc(), [title.as_slice()]),
        Err(Refusal::ValueTooLong { .. })
    ));
    let key = forged(&base, |doc| {
        let coll = postits(doc);
        doc.put(&coll, "k".repeat(MAX_KEY_BYTES + 1), 1_i64)
            .expect("put");
    });
    assert!(matches!(
        check_changes(base.doc(), [key.as_slice()]),
        Err(Refusal::ValueTooLong { .. })
    ));
    let deep = forged(&base, |doc| {
        let mut obj = postits(doc);
        for _ in 0..MAX_DEPTH {
            obj = doc.put_object(&obj, "d", ObjType::Map).expect("put");
        }
    });
    assert!(matches!(
        check_changes(base.doc(), [deep.as_slice()]),
        Err(Refusal::TooDeep { .. })
    ));
}

#[test]
fn too_many_items_in_a_collection_are_refused() {
    let base = team();
    let bytes = forged(&base, |doc| {
        let coll = postits(doc);
        for chunk in 0..(MAX_MAP_KEYS / 20_000 + 1) {
            for i in 0..20_000 {
                doc.put(&coll, format!("{chunk}-{i}"), 1_i64).expect("put");
            }
            doc.commit();
        }
    });
    let err = check_changes(base.doc(), [bytes.as_slice()]).expect_err("refused");
    assert!(
        matches!(err, Refusal::TooManyEntries { ref path, .. } if path == "postits"),
        "{err}"
    );
}

#[test]
fn a_whole_document_and_garbage_are_refused() {
    let mut base = team();
    let whole = base.doc_mut().save();
    assert_eq!(
        check_changes(&AutoCommit::new(), [whole.as_slice()]),
        Err(Refusal::WholeDocument)
    );
    for garbage in [
        &b"hello"[..],
        &[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 0xff][..],
    ] {
        assert!(matches!(
            check_changes(&AutoCommit::new(), [garbage]),
            Err(Refusal::NotAChange(_))
        ));
    }
    let mut cut = base.doc_mut().save_after(&[]);
    cut.truncate(cut.len() - 3);
    assert!(check_changes(&AutoCommit::new(), [cut.as_slice()]).is_err());
}

#[test]
fn marks_are_refused() {
    let base = team();
    let bytes = forged(&base, |doc| {
        let Some((_, meta)) = doc.get(ROOT, "meta").expect("get") else {
            panic!("no meta")
        };
        let Some((_, letter)) = doc.get(&meta, "letter").expect("get") else {
            panic!("no letter")
        };
        doc.mark(
            &letter,
            automerge::marks::Mark::new("bold".into(), true, 0, 2),
            automerge::marks::ExpandMark::None,
        )
        .expect("mark");
    });
    assert_eq!(
        check_changes(base.doc(), [bytes.as_slice()]),
        Err(Refusal::Unsupported("a mark"))
    );
}
