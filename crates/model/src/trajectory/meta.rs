//! Title, school, phase, time plan, information letter, handed-out assignments and the
//! initiator's meeting controls.

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, check_date, check_len, clean_label};
use crate::doc_util::{map_at, update_text_at};
use crate::schema::{limits, root};
use crate::{AssignmentKind, ModelError, Result};

impl Trajectory {
    /// Changes the title (initiator only).
    pub fn set_title(&mut self, actor: &str, title: &str) -> Result<()> {
        self.require_initiator(actor, "change the title")?;
        let title = clean_label(title, "title")?;
        self.edit("set title", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "title", title.as_str())?;
            Ok(())
        })
    }

    /// Changes the school name (initiator only).
    pub fn set_school(&mut self, actor: &str, school: &str) -> Result<()> {
        self.require_initiator(actor, "change the school")?;
        let school = school.trim().to_owned();
        check_len(&school, "school", limits::LABEL)?;
        self.edit("set school", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "school", school.as_str())?;
            Ok(())
        })
    }

    /// Moves the team to phase `phase` (1–5; initiator only).
    pub fn set_phase(&mut self, actor: &str, phase: i64) -> Result<()> {
        if !(1..=5).contains(&phase) {
            return Err(ModelError::PhaseOutOfRange(phase));
        }
        self.require_initiator(actor, "move the phase")?;
        self.edit("set phase", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "phase", phase)?;
            Ok(())
        })
    }

    /// Sets or clears the planned date of a phase (initiator only).
    pub fn set_phase_date(&mut self, actor: &str, phase: i64, date: Option<&str>) -> Result<()> {
        if !(1..=5).contains(&phase) {
            return Err(ModelError::PhaseOutOfRange(phase));
        }
        self.require_initiator(actor, "plan the phases")?;
        let date = date.map(check_date).transpose()?;
        self.edit("plan phase", |t, _| {
            let meta = t.obj(root::META)?;
            let dates = match map_at(&t.doc, &meta, "dates") {
                Some(d) => d,
                None => t.doc.put_object(&meta, "dates", ObjType::Map)?,
            };
            let key = phase.to_string();
            match date {
                Some(d) => t.doc.put(&dates, key.as_str(), d.as_str())?,
                None => t.doc.delete(&dates, key.as_str())?,
            }
            Ok(())
        })
    }

    /// Replaces the information letter (initiator only). Uses a minimal text diff.
    pub fn set_letter(&mut self, actor: &str, text: &str) -> Result<()> {
        self.require_initiator(actor, "edit the information letter")?;
        check_len(text, "letter", limits::LETTER)?;
        self.edit("edit letter", |t, _| {
            let meta = t.obj(root::META)?;
            update_text_at(&mut t.doc, &meta, "letter", text)
        })
    }

    /// Hands out (or takes back) a practice assignment (initiator only).
    pub fn set_assignment(&mut self, actor: &str, kind: AssignmentKind, on: bool) -> Result<()> {
        self.require_initiator(actor, "choose the assignments")?;
        self.edit("choose assignment", |t, _| {
            let coll = t.obj(root::ASSIGNMENTS)?;
            t.doc.put(&coll, kind.slug(), on)?;
            Ok(())
        })
    }

    /// Hides (or shows) the authors of all post-its (initiator only).
    pub fn set_hide_postit_authors(&mut self, actor: &str, hide: bool) -> Result<()> {
        self.require_initiator(actor, "hide post-it authors")?;
        self.edit("hide authors", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "hide_postit_authors", hide)?;
            Ok(())
        })
    }

    /// Reveals the notes written so far in the debrief (initiator only).
    pub fn reveal_notes(&mut self, actor: &str) -> Result<()> {
        self.require_initiator(actor, "reveal the notes")?;
        self.edit("reveal notes", |t, now| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "revealed_at", now)?;
            Ok(())
        })
    }

    /// Starts a round of silent writing (initiator only): post-its written from now on are shown
    /// face down to everyone but their author (see [`crate::TrajectoryView::is_covered`]) until
    /// the initiator reveals them with [`Self::reveal_notes`].
    pub fn start_silent_writing(&mut self, actor: &str) -> Result<()> {
        self.require_initiator(actor, "start silent writing")?;
        self.edit("silent writing", |t, now| {
            let meta = t.obj(root::META)?;
            t.doc.put(&meta, "silent_since", now)?;
            Ok(())
        })
    }

    /// Starts the shared marketplace workshop timer (anyone may start it; 1–120 minutes).
    pub fn start_workshop_timer(&mut self, minutes: i64) -> Result<()> {
        if !(1..=120).contains(&minutes) {
            return Err(ModelError::CountOutOfRange {
                field: "minutes",
                value: minutes,
                max: 120,
            });
        }
        self.edit("start timer", |t, now| {
            let meta = t.obj(root::META)?;
            let timer = t.doc.put_object(&meta, "workshop_timer", ObjType::Map)?;
            t.doc.put(&timer, "started_at", now)?;
            t.doc.put(&timer, "minutes", minutes)?;
            Ok(())
        })
    }

    /// Stops the workshop timer.
    pub fn stop_workshop_timer(&mut self) -> Result<()> {
        self.edit("stop timer", |t, _| {
            let meta = t.obj(root::META)?;
            t.doc.delete(&meta, "workshop_timer")?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{AssignmentKind, ModelError, Role};

    #[test]
    fn only_initiator_moves_phase_within_range() {
        let (mut t, init) = fresh();
        let other = t.add_participant("Bram", Role::Leerkracht).unwrap();
        t.set_phase(&init, 3).unwrap();
        assert_eq!(t.view().phase, 3);
        assert!(matches!(
            t.set_phase(&init, 6),
            Err(ModelError::PhaseOutOfRange(6))
        ));
        assert!(matches!(
            t.set_phase(&init, 0),
            Err(ModelError::PhaseOutOfRange(0))
        ));
        assert!(matches!(
            t.set_phase(&other, 2),
            Err(ModelError::NotInitiator(_))
        ));
        assert_eq!(t.view().phase, 3);
    }

    #[test]
    fn meta_edits() {
        let (mut t, init) = fresh();
        t.set_title(&init, "Blijven leren").unwrap();
        t.set_school(&init, "OBS De Linde").unwrap();
        t.set_phase_date(&init, 2, Some("2027-01-15")).unwrap();
        t.set_letter(&init, "Beste collega's").unwrap();
        t.set_assignment(&init, AssignmentKind::Logbook, true)
            .unwrap();
        t.set_assignment(&init, AssignmentKind::Images, true)
            .unwrap();
        t.set_assignment(&init, AssignmentKind::Images, false)
            .unwrap();
        t.set_hide_postit_authors(&init, true).unwrap();
        t.start_silent_writing(&init).unwrap();
        assert!(t.view().silent_round().is_some());
        t.reveal_notes(&init).unwrap();
        assert!(t.view().silent_round().is_none());
        t.start_workshop_timer(20).unwrap();
        let v = t.view();
        assert_eq!(v.title, "Blijven leren");
        assert_eq!(v.school, "OBS De Linde");
        assert_eq!(v.dates.get("2").map(String::as_str), Some("2027-01-15"));
        assert_eq!(v.letter, "Beste collega's");
        assert_eq!(v.assignments, vec![AssignmentKind::Logbook]);
        assert!(v.hide_postit_authors);
        assert!(v.revealed_at.is_some());
        assert_eq!(v.workshop_timer.as_ref().map(|w| w.minutes), Some(20));
        t.set_phase_date(&init, 2, None).unwrap();
        t.stop_workshop_timer().unwrap();
        let v = t.view();
        assert!(v.dates.is_empty());
        assert!(v.workshop_timer.is_none());
        assert!(matches!(
            t.set_phase_date(&init, 2, Some("gisteren")),
            Err(ModelError::InvalidDate(_))
        ));
        assert!(matches!(
            t.set_title(&init, ""),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.start_workshop_timer(0),
            Err(ModelError::CountOutOfRange { .. })
        ));
    }
}
