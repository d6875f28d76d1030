//! Logbook entries: work situations in the 2×2 grid with hours.

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, clean_text};
use crate::doc_util::put_text;
use crate::schema::{limits, root};
use crate::{LogbookEntryId, ModelError, Quadrant, Result, new_id};

/// A logbook entry to add.
#[derive(Clone, Debug, PartialEq)]
pub struct NewLogbookEntry {
    /// Participant id of the author.
    pub author: String,
    /// Where it sits in the grid.
    pub quadrant: Quadrant,
    /// Hours spent (0–168).
    pub hours: f64,
    /// What it was.
    pub text: String,
}

impl Trajectory {
    /// Adds a logbook entry.
    pub fn add_logbook_entry(&mut self, entry: NewLogbookEntry) -> Result<LogbookEntryId> {
        if !entry.hours.is_finite() || !(0.0..=168.0).contains(&entry.hours) {
            return Err(ModelError::HoursOutOfRange(entry.hours));
        }
        let text = clean_text(&entry.text, "text", limits::ANSWER)?;
        self.edit("add logbook entry", |t, now| {
            t.require_participant(&entry.author)?;
            let coll = t.obj(root::LOGBOOK)?;
            let id = new_id();
            let e = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            t.doc.put(&e, "author", entry.author.as_str())?;
            t.doc.put(&e, "quadrant", entry.quadrant.slug())?;
            t.doc.put(&e, "hours", entry.hours)?;
            put_text(&mut t.doc, &e, "text", &text)?;
            t.doc.put(&e, "created_at", now)?;
            Ok(id)
        })
    }

    /// Removes a logbook entry.
    pub fn delete_logbook_entry(&mut self, id: &str) -> Result<()> {
        self.soft_delete_blanking(root::LOGBOOK, id, "logbook entry", &["text"])
    }
}

#[cfg(test)]
mod tests {
    use super::NewLogbookEntry;
    use crate::trajectory::test_support::fresh;
    use crate::{ModelError, Quadrant};

    #[test]
    fn add_and_validate_logbook() {
        let (mut t, init) = fresh();
        let e = |hours: f64, text: &str| NewLogbookEntry {
            author: init.clone(),
            quadrant: Quadrant::HardFun,
            hours,
            text: text.into(),
        };
        let id = t.add_logbook_entry(e(2.5, "Nieuwe rekenmethode")).unwrap();
        assert_eq!(t.view().logbook[0].hours, 2.5);
        assert!(matches!(
            t.add_logbook_entry(e(-1.0, "x")),
            Err(ModelError::HoursOutOfRange(_))
        ));
        assert!(matches!(
            t.add_logbook_entry(e(f64::NAN, "x")),
            Err(ModelError::HoursOutOfRange(_))
        ));
        assert!(matches!(
            t.add_logbook_entry(e(200.0, "x")),
            Err(ModelError::HoursOutOfRange(_))
        ));
        assert!(matches!(
            t.add_logbook_entry(e(1.0, " ")),
            Err(ModelError::EmptyText { .. })
        ));
        t.delete_logbook_entry(&id).unwrap();
        assert!(t.view().logbook.is_empty());
    }
}
