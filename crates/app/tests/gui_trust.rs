#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The screens treat the document as untrusted: an entry that breaks the rules (written by a
//! modified app) is left out and the user is told, instead of a screen full of junk.

mod meeting_support;

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use leerrijk_model::{NewPostIt, Role};
use meeting_support::*;

#[test]
fn an_entry_over_the_limits_is_left_out_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = seed(dir.path(), &[("Bram", Role::Leerkracht)]);
    let anja = view(&hub, &id).initiator.unwrap();
    hub.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    hub.edit(&id, |t| {
        t.add_postit(NewPostIt {
            text: "Echt briefje".into(),
            ..Default::default()
        })
    })
    .unwrap();
    // A modified app wrote a post-it of 5,000 characters straight into the document.
    hub.with_doc(&id, |doc| {
        let Some((_, postits)) = doc.get(ROOT, "postits").unwrap() else {
            panic!("no postits")
        };
        let p = doc
            .put_object(&postits, "f0000000000000000000000000000000", ObjType::Map)
            .unwrap();
        let text = doc.put_object(&p, "text", ObjType::Text).unwrap();
        doc.splice_text(&text, 0, 0, &"Reclame! ".repeat(560))
            .unwrap();
        doc.put(&p, "created_at", 1_i64).unwrap();
        doc.commit();
    })
    .unwrap();
    hub.remote_changes_applied(&id).unwrap();
    let v = view(&hub, &id);
    assert_eq!(v.ignored, 1);
    assert_eq!(v.postits.len(), 1);

    let mut h = harness(app(&hub, &id, 3));
    settle(&mut h);
    assert!(shows(&h, "Eén onderdeel van dit traject is genegeerd"));
    assert!(shows(&h, "Echt briefje"));
    assert!(!shows(&h, "Reclame!"));
}
