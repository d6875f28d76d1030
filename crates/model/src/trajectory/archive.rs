//! Archiving: the initiator freezes the final trajectory.
//!
//! The archive record (who, when, the heads at that moment) lives in the document, so every
//! laptop shows the trajectory read-only once it has synced. Every edit function refuses with
//! [`ModelError::Archived`]. Late offline edits made elsewhere before the archive arrived still
//! merge (automerge cannot refuse them, and nothing may be lost): read views mark them
//! `after_archive`, by comparing with the archived heads.

use automerge::transaction::Transactable;
use automerge::{ChangeHash, ObjType};

use super::Trajectory;
use crate::doc_util::{map_at, str_list};
use crate::schema::root;
use crate::{ModelError, Result};

impl Trajectory {
    /// Whether the trajectory is archived.
    pub fn is_archived(&self) -> bool {
        self.obj(root::META)
            .ok()
            .and_then(|m| map_at(&self.doc, &m, "archived"))
            .is_some()
    }

    /// The heads recorded when the trajectory was archived.
    pub fn archived_heads(&self) -> Option<Vec<ChangeHash>> {
        let meta = self.obj(root::META).ok()?;
        let archived = map_at(&self.doc, &meta, "archived")?;
        let list = crate::doc_util::list_at(&self.doc, &archived, "heads")?;
        Some(
            str_list(&self.doc, &list)
                .iter()
                .filter_map(|h| h.parse().ok())
                .collect(),
        )
    }

    /// Archives the trajectory (initiator only).
    pub fn archive(&mut self, actor: &str) -> Result<()> {
        self.require_initiator(actor, "archive the trajectory")?;
        let heads: Vec<String> = self
            .doc
            .get_heads()
            .iter()
            .map(ToString::to_string)
            .collect();
        self.edit("archive", |t, now| {
            let meta = t.obj(root::META)?;
            let a = t.doc.put_object(&meta, "archived", ObjType::Map)?;
            t.doc.put(&a, "at", now)?;
            t.doc.put(&a, "by", actor)?;
            let list = t.doc.put_object(&a, "heads", ObjType::List)?;
            for (i, h) in heads.iter().enumerate() {
                t.doc.insert(&list, i, h.as_str())?;
            }
            Ok(())
        })
    }

    /// Undoes archiving (initiator only).
    pub fn unarchive(&mut self, actor: &str) -> Result<()> {
        self.require_initiator(actor, "unarchive the trajectory")?;
        if !self.is_archived() {
            return Err(ModelError::NotArchived);
        }
        self.edit_even_if_archived("unarchive", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.delete(&meta, "archived")?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::*;

    #[test]
    fn archive_blocks_every_edit_kind() {
        let (mut t, init) = fresh();
        let th = t.add_theme("A", Polarity::Positive, None).unwrap();
        let p = t
            .add_postit(NewPostIt {
                text: "x".into(),
                ..Default::default()
            })
            .unwrap();
        let g = t.add_group("G", &[]).unwrap();
        let act = t
            .add_action(NewAction {
                text: "a".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
            .unwrap();
        let o = t.add_offer("o", &["A".into()], &[]).unwrap();
        let st = t
            .add_story(NewStory {
                kind: AssignmentKind::Satisfaction,
                author: init.clone(),
                colleague: None,
                times_past_week: None,
                answers: vec![("q1".into(), "x".into())],
            })
            .unwrap();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        t.archive(&init).unwrap();
        assert!(t.is_archived());
        let v = t.view();
        assert_eq!(
            v.archived.as_ref().map(|a| a.by.as_str()),
            Some(init.as_str())
        );
        let heads_before = t.heads();

        let attempts: Vec<Result<()>> = vec![
            t.set_title(&init, "x"),
            t.set_school(&init, "x"),
            t.set_phase(&init, 2),
            t.set_phase_date(&init, 2, None),
            t.set_letter(&init, "x"),
            t.set_assignment(&init, AssignmentKind::Logbook, true),
            t.set_hide_postit_authors(&init, true),
            t.reveal_notes(&init),
            t.start_workshop_timer(20),
            t.stop_workshop_timer(),
            t.add_participant("X", Role::Ib).map(|_| ()),
            t.rename_participant(&bram, "Y"),
            t.set_participant_role(&bram, Role::Ib),
            t.remove_participant(&bram),
            t.add_device(&init, "dev"),
            t.set_placement(&init, 50, ""),
            t.clear_placement(&init),
            t.add_story(NewStory {
                kind: AssignmentKind::Satisfaction,
                author: init.clone(),
                colleague: None,
                times_past_week: None,
                answers: vec![("q1".into(), "y".into())],
            })
            .map(|_| ()),
            t.set_story_answer(&init, &st, "q1", "z"),
            t.delete_story(&init, &st),
            t.add_logbook_entry(NewLogbookEntry {
                author: init.clone(),
                quadrant: Quadrant::EasyFun,
                hours: 1.0,
                text: "x".into(),
            })
            .map(|_| ()),
            t.add_image(NewImage {
                author: init.clone(),
                caption: "c".into(),
                blob: "ab".repeat(32),
                mime: "image/png".into(),
                width: 1,
                height: 1,
            })
            .map(|_| ()),
            t.add_theme("B", Polarity::Negative, None).map(|_| ()),
            t.rename_theme(&th, "C"),
            t.set_theme_polarity(&th, Polarity::Negative),
            t.delete_theme(&th),
            t.add_postit(NewPostIt {
                text: "y".into(),
                ..Default::default()
            })
            .map(|_| ()),
            t.move_postit(&p, Some(&th)),
            t.set_postit_text(&p, "z"),
            t.delete_postit(&p),
            t.add_group("H", &[]).map(|_| ()),
            t.rank_theme(&g, &th, 0),
            t.set_ranking(&g, std::slice::from_ref(&th)),
            t.delete_group(&g),
            t.add_action(NewAction {
                text: "b".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
            .map(|_| ()),
            t.set_action_status(&act, ActionStatus::Done),
            t.delete_action(&act),
            t.add_offer("p", &["B".into()], &[]).map(|_| ()),
            t.add_offer_person(&o, "C"),
            t.add_request("q", "D", &[], &[]).map(|_| ()),
            t.delete_offer(&o),
            t.archive(&init),
        ];
        for (i, r) in attempts.into_iter().enumerate() {
            assert!(matches!(r, Err(ModelError::Archived)), "attempt {i}: {r:?}");
        }
        assert_eq!(t.heads(), heads_before, "nothing changed");
        assert!(matches!(
            t.unarchive(&bram),
            Err(ModelError::NotInitiator(_))
        ));
        t.unarchive(&init).unwrap();
        assert!(!t.is_archived());
        t.set_title(&init, "Weer open").unwrap();
        assert!(matches!(t.unarchive(&init), Err(ModelError::NotArchived)));
        assert!(matches!(t.archive(&bram), Err(ModelError::NotInitiator(_))));
    }

    #[test]
    fn late_offline_edits_stay_archived_and_are_marked() {
        let (mut a, init) = fresh();
        a.add_postit(NewPostIt {
            text: "voor archief".into(),
            ..Default::default()
        })
        .unwrap();
        let mut b = Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.archive(&init).unwrap();
        let late = b
            .add_postit(NewPostIt {
                text: "laat offline".into(),
                ..Default::default()
            })
            .unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        assert!(a.is_archived());
        let v = a.view();
        assert_eq!(v.postits.len(), 2, "late edit not lost");
        for p in &v.postits {
            assert_eq!(p.after_archive, p.id == late, "{}", p.text);
        }
        // And the other side, once merged, is archived too.
        b.doc_mut().merge(a.doc_mut()).unwrap();
        assert!(b.is_archived());
        assert!(matches!(
            b.add_theme("x", Polarity::Positive, None),
            Err(ModelError::Archived)
        ));
    }
}
