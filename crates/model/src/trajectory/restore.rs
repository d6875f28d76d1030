//! Bringing back soft-deleted items (undo of a removal). Nothing is ever lost: a removal only
//! sets `deleted_at`, and restoring clears it again.

use automerge::transaction::Transactable;

use super::Trajectory;
use crate::doc_util::{i64_at, map_at};
use crate::schema::root;
use crate::{ModelError, Result};

impl Trajectory {
    /// Brings back a removed theme (its post-its do not return to it by themselves).
    pub fn restore_theme(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::THEMES, id, "theme", None)
    }

    /// Brings back a removed post-it with its `text` (a removal blanks the text; the undo
    /// entry that calls this kept it).
    pub fn restore_postit(&mut self, id: &str, text: &str) -> Result<()> {
        self.restore_item(None, root::POSTITS, id, "post-it", Some(("text", text)))
    }

    /// Brings back a removed group.
    pub fn restore_group(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::GROUPS, id, "group", None)
    }

    /// Brings back a removed action.
    pub fn restore_action(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::ACTIONS, id, "action", None)
    }

    /// Brings back a removed marketplace offer with its `topic` (a removal blanks it).
    pub fn restore_offer(&mut self, id: &str, topic: &str) -> Result<()> {
        self.restore_item(
            Some(root::MARKET),
            root::OFFERS,
            id,
            "offer",
            Some(("topic", topic)),
        )
    }

    /// Brings back a removed marketplace request with its `topic` (a removal blanks it).
    pub fn restore_request(&mut self, id: &str, topic: &str) -> Result<()> {
        self.restore_item(
            Some(root::MARKET),
            root::REQUESTS,
            id,
            "request",
            Some(("topic", topic)),
        )
    }

    /// Clears `deleted_at` of an item; an item that is not removed is an error
    /// ([`ModelError::UnknownId`] if it does not exist, [`ModelError::NotDeleted`] if it is live).
    fn restore_item(
        &mut self,
        parent: Option<&str>,
        key: &str,
        id: &str,
        kind: &'static str,
        text: Option<(&'static str, &str)>,
    ) -> Result<()> {
        if let Some((field, text)) = text {
            super::check_len(text, field, crate::schema::limits::NOTE)?;
        }
        self.edit("restore", |t, _| {
            let coll = match parent {
                Some(_) => t.market_obj(key)?,
                None => t.obj(key)?,
            };
            let obj = map_at(&t.doc, &coll, id).ok_or_else(|| ModelError::UnknownId {
                kind,
                id: id.to_owned(),
            })?;
            if i64_at(&t.doc, &obj, "deleted_at").is_none() {
                return Err(ModelError::NotDeleted {
                    kind,
                    id: id.to_owned(),
                });
            }
            t.doc.delete(&obj, "deleted_at")?;
            if let Some((field, text)) = text {
                crate::doc_util::update_text_at(&mut t.doc, &obj, field, text.trim())?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{ActionStatus, ModelError, NewAction, NewPostIt, Polarity};

    #[test]
    fn removed_items_come_back() {
        let (mut t, init) = fresh();
        let th = t.add_theme("Feedback", Polarity::Positive, None).unwrap();
        let p = t
            .add_postit(NewPostIt {
                text: "x".into(),
                theme: Some(th.clone()),
                ..Default::default()
            })
            .unwrap();
        let g = t.add_group("G", std::slice::from_ref(&init)).unwrap();
        let a = t
            .add_action(NewAction {
                text: "doen".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
            .unwrap();
        let o = t.add_offer("Digibord", &["Bram".into()], &[]).unwrap();
        let r = t.add_request("Digibord", "Els", &[], &[]).unwrap();
        t.delete_theme(&th).unwrap();
        t.delete_postit(&p).unwrap();
        t.delete_group(&g).unwrap();
        t.delete_action(&a).unwrap();
        t.delete_offer(&o).unwrap();
        t.delete_request(&r).unwrap();
        let v = t.view();
        assert!(v.themes.is_empty() && v.postits.is_empty() && v.groups.is_empty());
        assert!(v.actions.is_empty() && v.offers.is_empty() && v.requests.is_empty());
        t.restore_theme(&th).unwrap();
        t.restore_postit(&p, "x").unwrap();
        t.restore_group(&g).unwrap();
        t.restore_action(&a).unwrap();
        t.restore_offer(&o, "Digibord").unwrap();
        t.restore_request(&r, "Digibord").unwrap();
        let v = t.view();
        assert_eq!(v.themes[0].id, th);
        assert_eq!(
            v.postits[0].theme.as_deref(),
            Some(th.as_str()),
            "the post-it sticks on its theme again"
        );
        assert_eq!((v.groups.len(), v.actions.len()), (1, 1));
        assert_eq!((v.offers.len(), v.requests.len()), (1, 1));
        assert_eq!(v.postits[0].text, "x", "the text comes back with the undo");
        assert_eq!(v.offers[0].topic, "Digibord");
        assert!(matches!(
            t.restore_theme(&th),
            Err(ModelError::NotDeleted { kind: "theme", .. })
        ));
        assert!(matches!(
            t.restore_postit("ghost", "x"),
            Err(ModelError::UnknownId {
                kind: "post-it",
                ..
            })
        ));
    }

    /// Every string (scalar or Text) anywhere under `obj`.
    fn all_strings(doc: &automerge::AutoCommit, obj: &automerge::ObjId, out: &mut Vec<String>) {
        use automerge::{ObjType, ReadDoc, Value};
        for key in doc.keys(obj) {
            match doc.get(obj, key.as_str()).unwrap() {
                Some((Value::Scalar(s), _)) => {
                    if let Some(s) = s.as_str() {
                        out.push(s.to_owned());
                    }
                }
                Some((Value::Object(ObjType::Text), id)) => out.push(doc.text(&id).unwrap()),
                Some((Value::Object(ObjType::Map), id)) => all_strings(doc, &id, out),
                _ => {}
            }
        }
    }

    #[test]
    fn removal_blanks_the_free_text_of_stories_photos_logbook_and_market() {
        use crate::{AssignmentKind, NewImage, NewLogbookEntry, NewStory, Quadrant};
        let (mut t, init) = fresh();
        let story = t
            .add_story(NewStory {
                kind: AssignmentKind::BrainCracker,
                author: init.clone(),
                colleague: Some("Karin".into()),
                times_past_week: Some(4),
                answers: vec![("q1".into(), "Een ruzie op het plein".into())],
            })
            .unwrap();
        let image = t
            .add_image(NewImage {
                author: init.clone(),
                caption: "Het leesplein".into(),
                blob: "ab".repeat(32),
                mime: "image/jpeg".into(),
                width: 8,
                height: 6,
            })
            .unwrap();
        let entry = t
            .add_logbook_entry(NewLogbookEntry {
                author: init.clone(),
                quadrant: Quadrant::HardFun,
                hours: 2.0,
                text: "Nieuwe methode uitgeprobeerd".into(),
            })
            .unwrap();
        let offer = t.add_offer("Digibordles", &["Bram".into()], &[]).unwrap();
        let request = t.add_request("Rekenspellen", "Els", &[], &[]).unwrap();
        t.delete_story(&init, &story).unwrap();
        t.delete_image(&image).unwrap();
        t.delete_logbook_entry(&entry).unwrap();
        t.delete_offer(&offer).unwrap();
        t.delete_request(&request).unwrap();
        let mut strings = Vec::new();
        all_strings(t.doc(), &automerge::ROOT, &mut strings);
        for gone in [
            "Een ruzie op het plein",
            "Karin",
            "Het leesplein",
            "Nieuwe methode uitgeprobeerd",
            "Digibordles",
            "Rekenspellen",
        ] {
            assert!(
                !strings.iter().any(|s| s == gone),
                "{gone} is still in the document"
            );
        }
    }
}
