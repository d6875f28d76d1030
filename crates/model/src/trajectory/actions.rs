//! Concrete actions of phase 5.

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, check_date, clean_text};
use crate::doc_util::{put_text, update_text_at};
use crate::schema::{limits, root};
use crate::{ActionId, ActionStatus, Result, new_id};

/// An action to add.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAction {
    /// What will be done.
    pub text: String,
    /// Participant id of the owner.
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD).
    pub due: Option<String>,
    /// Theme it serves.
    pub theme: Option<String>,
    /// Status.
    pub status: ActionStatus,
}

impl Trajectory {
    /// Adds an action.
    pub fn add_action(&mut self, action: NewAction) -> Result<ActionId> {
        let text = clean_text(&action.text, "text", limits::NOTE)?;
        let due = action.due.as_deref().map(check_date).transpose()?;
        self.edit("add action", |t, now| {
            if let Some(o) = &action.owner {
                t.require_participant(o)?;
            }
            if let Some(th) = &action.theme {
                t.require_theme(th)?;
            }
            let coll = t.obj(root::ACTIONS)?;
            let id = new_id();
            let a = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            put_text(&mut t.doc, &a, "text", &text)?;
            if let Some(o) = &action.owner {
                t.doc.put(&a, "owner", o.as_str())?;
            }
            if let Some(d) = &due {
                t.doc.put(&a, "due", d.as_str())?;
            }
            if let Some(th) = &action.theme {
                t.doc.put(&a, "theme", th.as_str())?;
            }
            t.doc.put(&a, "status", action.status.slug())?;
            t.doc.put(&a, "created_at", now)?;
            Ok(id)
        })
    }

    /// Changes an action's status.
    pub fn set_action_status(&mut self, id: &str, status: ActionStatus) -> Result<()> {
        self.edit("action status", |t, _| {
            let coll = t.obj(root::ACTIONS)?;
            let a = t.live_item(&coll, id, "action")?;
            t.doc.put(&a, "status", status.slug())?;
            Ok(())
        })
    }

    /// Changes an action's text.
    pub fn set_action_text(&mut self, id: &str, text: &str) -> Result<()> {
        let text = clean_text(text, "text", limits::NOTE)?;
        self.edit("action text", |t, _| {
            let coll = t.obj(root::ACTIONS)?;
            let a = t.live_item(&coll, id, "action")?;
            update_text_at(&mut t.doc, &a, "text", &text)
        })
    }

    /// Sets or clears an action's owner, due date and theme.
    pub fn set_action_details(
        &mut self,
        id: &str,
        owner: Option<&str>,
        due: Option<&str>,
        theme: Option<&str>,
    ) -> Result<()> {
        let due = due.map(check_date).transpose()?;
        self.edit("action details", |t, _| {
            let coll = t.obj(root::ACTIONS)?;
            let a = t.live_item(&coll, id, "action")?;
            match owner {
                Some(o) => {
                    t.require_participant(o)?;
                    t.doc.put(&a, "owner", o)?;
                }
                None => t.doc.delete(&a, "owner")?,
            }
            match &due {
                Some(d) => t.doc.put(&a, "due", d.as_str())?,
                None => t.doc.delete(&a, "due")?,
            }
            match theme {
                Some(th) => {
                    t.require_theme(th)?;
                    t.doc.put(&a, "theme", th)?;
                }
                None => t.doc.delete(&a, "theme")?,
            }
            Ok(())
        })
    }

    /// Removes an action.
    pub fn delete_action(&mut self, id: &str) -> Result<()> {
        self.soft_delete(root::ACTIONS, id, "action")
    }
}

#[cfg(test)]
mod tests {
    use super::NewAction;
    use crate::trajectory::test_support::fresh;
    use crate::{ActionStatus, ModelError, Polarity};

    #[test]
    fn concurrent_status_owner_and_due_show_both_until_settled() {
        let (mut a, init) = fresh();
        let bram = a.add_participant("Bram", crate::Role::Leerkracht).unwrap();
        let id = a
            .add_action(NewAction {
                text: "Samen plannen".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
            .unwrap();
        let mut b = crate::Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.set_action_status(&id, ActionStatus::Doing).unwrap();
        a.set_action_details(&id, Some(&init), Some("2027-03-01"), None)
            .unwrap();
        b.set_action_status(&id, ActionStatus::Done).unwrap();
        b.set_action_details(&id, Some(&bram), Some("2027-04-01"), None)
            .unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        let v = a.view();
        let act = &v.actions[0];
        assert_eq!(
            act.status_conflicts,
            vec![ActionStatus::Doing, ActionStatus::Done]
        );
        let mut owners = vec![init.clone(), bram.clone()];
        owners.sort();
        assert_eq!(act.owner_conflicts, owners);
        assert_eq!(act.due_conflicts, ["2027-03-01", "2027-04-01"]);
        // Choosing one settles it.
        a.set_action_status(&id, ActionStatus::Done).unwrap();
        a.set_action_details(&id, Some(&bram), Some("2027-04-01"), None)
            .unwrap();
        let act = &a.view().actions[0];
        assert!(act.status_conflicts.is_empty());
        assert!(act.owner_conflicts.is_empty() && act.due_conflicts.is_empty());
        assert_eq!(act.status, ActionStatus::Done);
    }

    #[test]
    fn add_update_delete_action() {
        let (mut t, init) = fresh();
        let th = t.add_theme("Feedback", Polarity::Positive, None).unwrap();
        let new = NewAction {
            text: "Elke maand collegiale consultatie".into(),
            owner: Some(init.clone()),
            due: Some("2027-03-01".into()),
            theme: Some(th.clone()),
            status: ActionStatus::Open,
        };
        let id = t.add_action(new.clone()).unwrap();
        t.set_action_status(&id, ActionStatus::Doing).unwrap();
        t.set_action_text(&id, "Elke maand bij elkaar in de klas")
            .unwrap();
        let v = t.view();
        let a = &v.actions[0];
        assert_eq!(a.status, ActionStatus::Doing);
        assert_eq!(a.text, "Elke maand bij elkaar in de klas");
        assert_eq!(a.due.as_deref(), Some("2027-03-01"));
        assert_eq!(a.theme.as_deref(), Some(th.as_str()));
        t.set_action_details(&id, None, None, None).unwrap();
        let a = &t.view().actions[0];
        assert!(a.owner.is_none() && a.due.is_none() && a.theme.is_none());
        let mut bad = new.clone();
        bad.due = Some("maart".into());
        assert!(matches!(t.add_action(bad), Err(ModelError::InvalidDate(_))));
        let mut bad = new.clone();
        bad.theme = Some("ghost".into());
        assert!(matches!(
            t.add_action(bad),
            Err(ModelError::UnknownId { .. })
        ));
        let mut bad = new;
        bad.text = String::new();
        assert!(matches!(
            t.add_action(bad),
            Err(ModelError::EmptyText { .. })
        ));
        t.delete_action(&id).unwrap();
        assert!(t.view().actions.is_empty());
    }
}
