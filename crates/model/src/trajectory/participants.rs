//! Participants, their devices and their red–green placements.

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, check_len, clean_label};
use crate::doc_util::{i64_at, keys, map_at, str_at};
use crate::schema::{limits, root};
use crate::{ModelError, ParticipantId, Result, Role, new_id, normalize_name};

impl Trajectory {
    pub(crate) fn insert_participant(
        &mut self,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<ParticipantId> {
        let coll = self.obj(root::PARTICIPANTS)?;
        let id = new_id();
        let p = self.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
        self.doc.put(&p, "name", name)?;
        self.doc.put(&p, "role", role.slug())?;
        self.doc.put(&p, "joined_at", now)?;
        self.doc.put_object(&p, "devices", ObjType::Map)?;
        Ok(id)
    }

    /// Adds a participant. Two colleagues may share a name, so a second participant with the same
    /// name is allowed; use [`Self::ensure_participant`] to reuse an existing one.
    pub fn add_participant(&mut self, name: &str, role: Role) -> Result<ParticipantId> {
        let name = clean_label(name, "name")?;
        self.edit("add participant", |t, now| {
            t.insert_participant(&name, role, now)
        })
    }

    /// The live participant whose name matches `name` (ignoring case, accents and spacing).
    pub fn find_participant_by_name(&self, name: &str) -> Option<ParticipantId> {
        let wanted = normalize_name(name);
        let coll = self.obj(root::PARTICIPANTS).ok()?;
        let mut found: Vec<(i64, String)> = keys(&self.doc, &coll)
            .into_iter()
            .filter_map(|id| {
                let p = map_at(&self.doc, &coll, &id)?;
                if i64_at(&self.doc, &p, "deleted_at").is_some() {
                    return None;
                }
                let n = str_at(&self.doc, &p, "name")?;
                (normalize_name(&n) == wanted)
                    .then(|| (i64_at(&self.doc, &p, "joined_at").unwrap_or(0), id))
            })
            .collect();
        found.sort();
        found.into_iter().next().map(|(_, id)| id)
    }

    /// The participant with this name, added (role "anders") if there is none yet. Used where a
    /// person is named by name: the CLI's `--author`, `--person`, `--owner`.
    pub fn ensure_participant(&mut self, name: &str) -> Result<ParticipantId> {
        let clean = clean_label(name, "name")?;
        match self.find_participant_by_name(&clean) {
            Some(id) => Ok(id),
            None => self.add_participant(&clean, Role::Anders),
        }
    }

    /// Checks that `id` is a live participant.
    pub fn require_participant(&self, id: &str) -> Result<()> {
        let coll = self.obj(root::PARTICIPANTS)?;
        self.live_item(&coll, id, "participant").map(|_| ())
    }

    /// Renames a participant.
    pub fn rename_participant(&mut self, id: &str, name: &str) -> Result<()> {
        let name = clean_label(name, "name")?;
        self.edit("rename participant", |t, _| {
            let coll = t.obj(root::PARTICIPANTS)?;
            let p = t.live_item(&coll, id, "participant")?;
            t.doc.put(&p, "name", name.as_str())?;
            Ok(())
        })
    }

    /// Changes a participant's role.
    pub fn set_participant_role(&mut self, id: &str, role: Role) -> Result<()> {
        self.edit("set role", |t, _| {
            let coll = t.obj(root::PARTICIPANTS)?;
            let p = t.live_item(&coll, id, "participant")?;
            t.doc.put(&p, "role", role.slug())?;
            Ok(())
        })
    }

    /// Removes a participant (soft delete: their contributions stay). The initiator cannot be
    /// removed.
    pub fn remove_participant(&mut self, id: &str) -> Result<()> {
        if self.is_initiator(id) {
            return Err(ModelError::NotInitiator("be removed from the trajectory"));
        }
        self.soft_delete(root::PARTICIPANTS, id, "participant")
    }

    /// Records that device `device_id` (an iroh endpoint id) acts for participant `id`.
    pub fn add_device(&mut self, id: &str, device_id: &str) -> Result<()> {
        let device_id = clean_label(device_id, "device id")?;
        self.edit("add device", |t, now| {
            let coll = t.obj(root::PARTICIPANTS)?;
            let p = t.live_item(&coll, id, "participant")?;
            let devices = match map_at(&t.doc, &p, "devices") {
                Some(d) => d,
                None => t.doc.put_object(&p, "devices", ObjType::Map)?,
            };
            if i64_at(&t.doc, &devices, &device_id).is_none() {
                t.doc.put(&devices, device_id.as_str(), now)?;
            }
            Ok(())
        })
    }

    /// The live participant that device `device_id` acts for.
    pub fn participant_for_device(&self, device_id: &str) -> Option<ParticipantId> {
        let coll = self.obj(root::PARTICIPANTS).ok()?;
        keys(&self.doc, &coll).into_iter().find(|id| {
            map_at(&self.doc, &coll, id).is_some_and(|p| {
                i64_at(&self.doc, &p, "deleted_at").is_none()
                    && map_at(&self.doc, &p, "devices")
                        .is_some_and(|d| i64_at(&self.doc, &d, device_id).is_some())
            })
        })
    }

    /// Every device id recorded for any live participant.
    pub fn known_devices(&self) -> Vec<String> {
        let Ok(coll) = self.obj(root::PARTICIPANTS) else {
            return Vec::new();
        };
        let mut out: Vec<String> = keys(&self.doc, &coll)
            .into_iter()
            .filter_map(|id| map_at(&self.doc, &coll, &id))
            .filter(|p| i64_at(&self.doc, p, "deleted_at").is_none())
            .filter_map(|p| map_at(&self.doc, &p, "devices"))
            .flat_map(|d| keys(&self.doc, &d))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Places participant `id` on the red–green continuum: 0 = 100% red, 100 = 100% green.
    pub fn set_placement(&mut self, id: &str, value: i64, note: &str) -> Result<()> {
        if !(0..=100).contains(&value) {
            return Err(ModelError::PlacementOutOfRange(value));
        }
        check_len(note, "note", limits::NOTE)?;
        self.edit("place on red-green", |t, now| {
            let people = t.obj(root::PARTICIPANTS)?;
            t.live_item(&people, id, "participant")?;
            let coll = t.obj(root::PLACEMENTS)?;
            let p = t.doc.put_object(&coll, id, ObjType::Map)?;
            t.doc.put(&p, "value", value)?;
            t.doc.put(&p, "note", note.trim())?;
            t.doc.put(&p, "updated_at", now)?;
            Ok(())
        })
    }

    /// Removes a participant's red–green placement.
    pub fn clear_placement(&mut self, id: &str) -> Result<()> {
        self.edit("clear placement", |t, _| {
            let coll = t.obj(root::PLACEMENTS)?;
            if map_at(&t.doc, &coll, id).is_none() {
                return Err(ModelError::UnknownId {
                    kind: "placement",
                    id: id.to_owned(),
                });
            }
            t.doc.delete(&coll, id)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{ModelError, Role};

    #[test]
    fn add_find_rename_role_remove() {
        let (mut t, init) = fresh();
        let p = t.add_participant(" Bram ", Role::Leerkracht).unwrap();
        assert_eq!(t.find_participant_by_name("bram"), Some(p.clone()));
        assert_eq!(t.ensure_participant("BRAM").unwrap(), p);
        let q = t.ensure_participant("Sanne").unwrap();
        assert_ne!(p, q);
        t.rename_participant(&p, "Bram de Vries").unwrap();
        t.set_participant_role(&p, Role::Ib).unwrap();
        let v = t.view();
        let bram = v.participant(&p).unwrap();
        assert_eq!((bram.name.as_str(), bram.role), ("Bram de Vries", Role::Ib));
        assert_eq!(v.participant(&q).unwrap().role, Role::Anders);
        t.remove_participant(&q).unwrap();
        assert!(t.view().participant(&q).is_none());
        assert!(matches!(
            t.remove_participant(&init),
            Err(ModelError::NotInitiator(_))
        ));
        assert!(matches!(
            t.add_participant("  ", Role::Ib),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.rename_participant("nope", "X"),
            Err(ModelError::UnknownId {
                kind: "participant",
                ..
            })
        ));
        let long = "x".repeat(500);
        assert!(matches!(
            t.add_participant(&long, Role::Ib),
            Err(ModelError::TooLong { .. })
        ));
    }

    #[test]
    fn devices_map_to_participants() {
        let (mut t, init) = fresh();
        t.add_device(&init, "dev-a").unwrap();
        t.add_device(&init, "dev-a").unwrap();
        assert_eq!(t.participant_for_device("dev-a"), Some(init.clone()));
        assert_eq!(t.participant_for_device("dev-b"), None);
        assert_eq!(t.known_devices(), vec!["dev-a".to_owned()]);
        assert_eq!(
            t.view().participant(&init).unwrap().devices,
            vec!["dev-a".to_owned()]
        );
        assert!(t.add_device("nope", "dev-c").is_err());
    }

    #[test]
    fn placement_validates_range_and_participant() {
        let (mut t, init) = fresh();
        t.set_placement(&init, 70, "meestal groen").unwrap();
        t.set_placement(&init, 65, "").unwrap();
        let v = t.view();
        assert_eq!(v.placements.len(), 1);
        assert_eq!(v.placements[0].value, 65);
        assert!(matches!(
            t.set_placement(&init, 101, ""),
            Err(ModelError::PlacementOutOfRange(101))
        ));
        assert!(matches!(
            t.set_placement(&init, -1, ""),
            Err(ModelError::PlacementOutOfRange(-1))
        ));
        assert!(matches!(
            t.set_placement("ghost", 50, ""),
            Err(ModelError::UnknownId { .. })
        ));
        t.clear_placement(&init).unwrap();
        assert!(t.view().placements.is_empty());
        assert!(t.clear_placement(&init).is_err());
    }
}
