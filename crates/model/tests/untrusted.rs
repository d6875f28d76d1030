#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The document is untrusted input: a modified client can write any raw automerge value
//! anywhere. Whatever it writes, the guard either refuses the changes or they are applied, and
//! then the read view never panics, never shows a text over its field's limit, and keeps the
//! phase in 1–5.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use leerrijk_model::schema::limits;
use leerrijk_model::{Clock, NewPostIt, Role, Trajectory, TrajectoryView, guard};
use proptest::prelude::*;

/// Keys a forger would aim at: every root key and field name of the schema, plus junk.
const KEYS: &[&str] = &[
    "meta",
    "title",
    "school",
    "initiator",
    "phase",
    "letter",
    "archived",
    "dates",
    "1",
    "participants",
    "name",
    "role",
    "devices",
    "stories",
    "kind",
    "answers",
    "q1",
    "author",
    "postits",
    "text",
    "anonymous",
    "theme",
    "colour",
    "themes",
    "polarity",
    "groups",
    "members",
    "ranking",
    "actions",
    "owner",
    "status",
    "due",
    "market",
    "offers",
    "requests",
    "topic",
    "tags",
    "people",
    "logbook",
    "hours",
    "quadrant",
    "images",
    "caption",
    "deleted_at",
    "created_at",
    "placements",
    "value",
    "note",
    "x",
    "p0",
    "p1",
];

#[derive(Clone, Debug)]
enum Raw {
    Str(usize),
    Int(i64),
    Float(f64),
    Bool(bool),
    Bytes(usize),
    Null,
    Map,
    List,
    Text(usize),
}

fn raw() -> impl Strategy<Value = Raw> {
    prop_oneof![
        (0usize..3 * limits::NOTE).prop_map(Raw::Str),
        any::<i64>().prop_map(Raw::Int),
        any::<f64>().prop_map(Raw::Float),
        any::<bool>().prop_map(Raw::Bool),
        (0usize..64).prop_map(Raw::Bytes),
        Just(Raw::Null),
        Just(Raw::Map),
        Just(Raw::List),
        (0usize..3 * limits::NOTE).prop_map(Raw::Text),
    ]
}

/// One raw write: a path of keys from the root (existing maps are followed, missing ones
/// stop the walk) and a value put at the end.
#[derive(Clone, Debug)]
struct Write {
    path: Vec<usize>,
    value: Raw,
}

fn write() -> impl Strategy<Value = Write> {
    (proptest::collection::vec(0..KEYS.len(), 1..5), raw())
        .prop_map(|(path, value)| Write { path, value })
}

fn apply(doc: &mut AutoCommit, w: &Write) {
    let mut obj: ObjId = ROOT;
    let keys: Vec<&str> = w.path.iter().map(|i| KEYS[*i]).collect();
    let (last, walk) = keys.split_last().unwrap();
    for k in walk {
        match doc.get(&obj, *k) {
            Ok(Some((Value::Object(ObjType::Map), id))) => obj = id,
            _ => break,
        }
    }
    if doc.object_type(&obj).ok() != Some(ObjType::Map) {
        return;
    }
    let _ = match &w.value {
        Raw::Str(n) => doc.put(&obj, *last, "s".repeat(*n)).map(|_| ()),
        Raw::Int(i) => doc.put(&obj, *last, *i).map(|_| ()),
        Raw::Float(f) => doc.put(&obj, *last, *f).map(|_| ()),
        Raw::Bool(b) => doc.put(&obj, *last, *b).map(|_| ()),
        Raw::Bytes(n) => doc
            .put(&obj, *last, ScalarValue::Bytes(vec![7; *n]))
            .map(|_| ()),
        Raw::Null => doc.put(&obj, *last, ScalarValue::Null).map(|_| ()),
        Raw::Map => doc.put_object(&obj, *last, ObjType::Map).map(|_| ()),
        Raw::List => doc.put_object(&obj, *last, ObjType::List).map(|_| ()),
        Raw::Text(n) => doc
            .put_object(&obj, *last, ObjType::Text)
            .and_then(|t| doc.splice_text(&t, 0, 0, &"t".repeat(*n))),
    };
}

fn base() -> Trajectory {
    let (mut t, _) =
        Trajectory::create("Leren", "De Linde", "Anne", Role::Leerkracht, Clock::System).unwrap();
    t.add_postit(NewPostIt {
        text: "echt".into(),
        ..Default::default()
    })
    .unwrap();
    t
}

fn check_view(v: &TrajectoryView) {
    let within = |s: &str, max: usize| s.chars().count() <= max;
    assert!((1..=5).contains(&v.phase));
    assert!(within(&v.title, limits::LABEL));
    assert!(within(&v.school, limits::LABEL));
    assert!(within(&v.letter, limits::LETTER));
    for p in &v.postits {
        assert!(within(&p.text, limits::NOTE));
    }
    for p in &v.participants {
        assert!(within(&p.name, limits::LABEL));
    }
    for th in &v.themes {
        assert!(within(&th.title, limits::LABEL));
    }
    for s in &v.stories {
        assert!(s.answers.values().all(|a| within(a, limits::ANSWER)));
    }
    for a in &v.actions {
        assert!(within(&a.text, limits::NOTE));
    }
    for o in &v.offers {
        assert!(within(&o.topic, limits::NOTE));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Raw writes applied without the guard (a damaged or old file): the view copes.
    #[test]
    fn the_view_copes_with_any_document(writes in proptest::collection::vec(write(), 1..12)) {
        let mut doc = base().into_doc();
        for w in &writes {
            apply(&mut doc, w);
        }
        doc.commit();
        if let Ok(t) = Trajectory::from_doc(doc) {
            check_view(&t.view());
        }
    }

    /// Raw writes as a peer's changes: the guard refuses them or, once applied, the view
    /// copes and an incremental update agrees with a fresh view.
    #[test]
    fn guarded_changes_keep_the_view_within_limits(
        writes in proptest::collection::vec(write(), 1..12),
    ) {
        let honest = base();
        let mut forged = honest.doc().clone();
        let heads = forged.get_heads();
        for w in &writes {
            apply(&mut forged, w);
            forged.commit();
        }
        let bytes = forged.save_after(&heads);
        let mut mine = Trajectory::from_doc(honest.doc().clone()).unwrap();
        let mut view = mine.view();
        let mut view_heads = mine.doc_mut().get_heads();
        match guard::check_changes(mine.doc(), [bytes.as_slice()]) {
            Err(_) => {}
            Ok(_) => {
                mine.doc_mut().load_incremental(&bytes).unwrap();
                mine.update_view(&mut view, &mut view_heads);
                check_view(&view);
                check_view(&mine.view());
            }
        }
    }
}
