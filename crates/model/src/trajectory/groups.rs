//! Groups of about four that order the theme strips in phase 4.

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc};

use super::{Trajectory, clean_label};
use crate::doc_util::{i64_at, keys, list_at, map_at, put_str_set, str_at, str_list};
use crate::schema::root;
use crate::{GroupId, ModelError, Result, new_id, normalize_name};

impl Trajectory {
    /// Forms a group with the given members (participant ids).
    pub fn add_group(&mut self, name: &str, members: &[String]) -> Result<GroupId> {
        let name = clean_label(name, "group name")?;
        self.edit("add group", |t, now| {
            for m in members {
                t.require_participant(m)?;
            }
            let coll = t.obj(root::GROUPS)?;
            let id = new_id();
            let g = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            t.doc.put(&g, "name", name.as_str())?;
            put_str_set(&mut t.doc, &g, "members", members)?;
            t.doc.put_object(&g, "ranking", ObjType::List)?;
            t.doc.put(&g, "created_at", now)?;
            Ok(id)
        })
    }

    /// The live group with this name (ignoring case and accents).
    pub fn find_group_by_name(&self, name: &str) -> Option<GroupId> {
        let wanted = normalize_name(name);
        let coll = self.obj(root::GROUPS).ok()?;
        keys(&self.doc, &coll).into_iter().find(|id| {
            map_at(&self.doc, &coll, id).is_some_and(|g| {
                i64_at(&self.doc, &g, "deleted_at").is_none()
                    && str_at(&self.doc, &g, "name").is_some_and(|n| normalize_name(&n) == wanted)
            })
        })
    }

    /// Renames a group.
    pub fn rename_group(&mut self, id: &str, name: &str) -> Result<()> {
        let name = clean_label(name, "group name")?;
        self.edit("rename group", |t, _| {
            let coll = t.obj(root::GROUPS)?;
            let g = t.live_item(&coll, id, "group")?;
            t.doc.put(&g, "name", name.as_str())?;
            Ok(())
        })
    }

    /// Adds (`true`) or removes (`false`) a member of a group.
    pub fn set_group_member(&mut self, id: &str, participant: &str, member: bool) -> Result<()> {
        self.edit("group member", |t, _| {
            t.require_participant(participant)?;
            let coll = t.obj(root::GROUPS)?;
            let g = t.live_item(&coll, id, "group")?;
            let members = match map_at(&t.doc, &g, "members") {
                Some(m) => m,
                None => t.doc.put_object(&g, "members", ObjType::Map)?,
            };
            if member {
                t.doc.put(&members, participant, true)?;
            } else {
                t.doc.delete(&members, participant)?;
            }
            Ok(())
        })
    }

    /// Removes a group.
    pub fn delete_group(&mut self, id: &str) -> Result<()> {
        self.soft_delete(root::GROUPS, id, "group")
    }

    /// Places `theme` at `position` (0 = top) in the group's order, moving it if it is already
    /// there. Positions past the end put it last.
    pub fn rank_theme(&mut self, group: &str, theme: &str, position: usize) -> Result<()> {
        self.edit("rank theme", |t, _| {
            t.require_theme(theme)?;
            let list = t.ranking_list(group)?;
            // Remove every occurrence (concurrent moves may have left more than one).
            let mut i = t.doc.length(&list);
            while i > 0 {
                i -= 1;
                if matches!(t.doc.get(&list, i)?, Some((v, _)) if v.as_str() == Some(theme)) {
                    t.doc.delete(&list, i)?;
                }
            }
            let pos = position.min(t.doc.length(&list));
            t.doc.insert(&list, pos, theme)?;
            Ok(())
        })
    }

    /// Takes a theme out of the group's order (back to the unranked strips).
    pub fn unrank_theme(&mut self, group: &str, theme: &str) -> Result<()> {
        self.edit("unrank theme", |t, _| {
            let list = t.ranking_list(group)?;
            let mut i = t.doc.length(&list);
            while i > 0 {
                i -= 1;
                if matches!(t.doc.get(&list, i)?, Some((v, _)) if v.as_str() == Some(theme)) {
                    t.doc.delete(&list, i)?;
                }
            }
            Ok(())
        })
    }

    /// Replaces the group's whole order with `themes` (top first). Each theme must exist and
    /// appear once.
    pub fn set_ranking(&mut self, group: &str, themes: &[String]) -> Result<()> {
        for (i, th) in themes.iter().enumerate() {
            if themes[..i].contains(th) {
                return Err(ModelError::DuplicateInRanking(th.clone()));
            }
        }
        self.edit("set ranking", |t, _| {
            for th in themes {
                t.require_theme(th)?;
            }
            let list = t.ranking_list(group)?;
            let current = str_list(&t.doc, &list);
            if current == themes {
                return Ok(());
            }
            for i in (0..t.doc.length(&list)).rev() {
                t.doc.delete(&list, i)?;
            }
            for (i, th) in themes.iter().enumerate() {
                t.doc.insert(&list, i, th.as_str())?;
            }
            Ok(())
        })
    }

    fn ranking_list(&mut self, group: &str) -> Result<automerge::ObjId> {
        let coll = self.obj(root::GROUPS)?;
        let g = self.live_item(&coll, group, "group")?;
        Ok(match list_at(&self.doc, &g, "ranking") {
            Some(l) => l,
            None => self.doc.put_object(&g, "ranking", ObjType::List)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{ModelError, Polarity, Role, Trajectory};

    #[test]
    fn groups_rank_and_validate() {
        let (mut t, init) = fresh();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let a = t.add_theme("A", Polarity::Positive, None).unwrap();
        let b = t.add_theme("B", Polarity::Negative, None).unwrap();
        let c = t.add_theme("C", Polarity::Positive, None).unwrap();
        let g = t
            .add_group("Groep 1", &[init.clone(), bram.clone()])
            .unwrap();
        assert_eq!(t.find_group_by_name("groep 1"), Some(g.clone()));
        t.rank_theme(&g, &b, 0).unwrap();
        t.rank_theme(&g, &a, 5).unwrap();
        let v = t.view();
        assert_eq!(v.groups[0].ranking, vec![b.clone(), a.clone()]);
        assert_eq!(v.groups[0].unranked, vec![c.clone()]);
        assert_eq!(v.groups[0].members.len(), 2);
        t.rank_theme(&g, &a, 0).unwrap();
        assert_eq!(t.view().groups[0].ranking, vec![a.clone(), b.clone()]);
        t.set_ranking(&g, &[c.clone(), a.clone(), b.clone()])
            .unwrap();
        assert_eq!(
            t.view().groups[0].ranking,
            vec![c.clone(), a.clone(), b.clone()]
        );
        assert!(matches!(
            t.set_ranking(&g, &[a.clone(), a.clone()]),
            Err(ModelError::DuplicateInRanking(_))
        ));
        assert!(matches!(
            t.set_ranking(&g, &["ghost".into()]),
            Err(ModelError::UnknownId { kind: "theme", .. })
        ));
        assert!(matches!(
            t.rank_theme("nope", &a, 0),
            Err(ModelError::UnknownId { kind: "group", .. })
        ));
        assert!(matches!(
            t.add_group("X", &["ghost".into()]),
            Err(ModelError::UnknownId { .. })
        ));
        t.unrank_theme(&g, &a).unwrap();
        t.delete_theme(&b).unwrap();
        let v = t.view();
        assert_eq!(
            v.groups[0].ranking,
            vec![c.clone()],
            "deleted theme dropped"
        );
        assert_eq!(v.groups[0].unranked, vec![a.clone()]);
        t.set_group_member(&g, &bram, false).unwrap();
        t.rename_group(&g, "Groep A").unwrap();
        let v = t.view();
        assert_eq!(v.groups[0].members, vec![init.clone()]);
        assert_eq!(v.groups[0].name, "Groep A");
        t.delete_group(&g).unwrap();
        assert!(t.view().groups.is_empty());
    }

    #[test]
    fn concurrent_moves_never_show_duplicates() {
        let (mut a, _) = fresh();
        let x = a.add_theme("X", Polarity::Positive, None).unwrap();
        let y = a.add_theme("Y", Polarity::Positive, None).unwrap();
        let g = a.add_group("G", &[]).unwrap();
        a.set_ranking(&g, &[x.clone(), y.clone()]).unwrap();
        let mut b = Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.rank_theme(&g, &y, 0).unwrap();
        b.rank_theme(&g, &y, 0).unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        let r = &a.view().groups[0].ranking;
        assert_eq!(r, &vec![y.clone(), x.clone()]);
    }
}
