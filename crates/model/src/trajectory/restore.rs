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
        self.restore_item(None, root::THEMES, id, "theme")
    }

    /// Brings back a removed post-it.
    pub fn restore_postit(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::POSTITS, id, "post-it")
    }

    /// Brings back a removed group.
    pub fn restore_group(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::GROUPS, id, "group")
    }

    /// Brings back a removed action.
    pub fn restore_action(&mut self, id: &str) -> Result<()> {
        self.restore_item(None, root::ACTIONS, id, "action")
    }

    /// Brings back a removed marketplace offer.
    pub fn restore_offer(&mut self, id: &str) -> Result<()> {
        self.restore_item(Some(root::MARKET), root::OFFERS, id, "offer")
    }

    /// Brings back a removed marketplace request.
    pub fn restore_request(&mut self, id: &str) -> Result<()> {
        self.restore_item(Some(root::MARKET), root::REQUESTS, id, "request")
    }

    /// Clears `deleted_at` of an item; an item that is not removed is an error
    /// ([`ModelError::UnknownId`] if it does not exist, [`ModelError::NotDeleted`] if it is live).
    fn restore_item(
        &mut self,
        parent: Option<&str>,
        key: &str,
        id: &str,
        kind: &'static str,
    ) -> Result<()> {
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
        t.restore_postit(&p).unwrap();
        t.restore_group(&g).unwrap();
        t.restore_action(&a).unwrap();
        t.restore_offer(&o).unwrap();
        t.restore_request(&r).unwrap();
        let v = t.view();
        assert_eq!(v.themes[0].id, th);
        assert_eq!(
            v.postits[0].theme.as_deref(),
            Some(th.as_str()),
            "the post-it sticks on its theme again"
        );
        assert_eq!((v.groups.len(), v.actions.len()), (1, 1));
        assert_eq!((v.offers.len(), v.requests.len()), (1, 1));
        assert!(matches!(
            t.restore_theme(&th),
            Err(ModelError::NotDeleted { kind: "theme", .. })
        ));
        assert!(matches!(
            t.restore_postit("ghost"),
            Err(ModelError::UnknownId {
                kind: "post-it",
                ..
            })
        ));
    }
}
