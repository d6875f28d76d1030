//! [`Trajectory`]: one trajectory document and every edit on it.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ROOT, ReadDoc};

use crate::doc_util::{i64_at, map_at, str_at};
use crate::schema::{DOC_KIND, SCHEMA_VERSION, limits, root};
use crate::{Clock, ModelError, ParticipantId, Result, new_id};

mod actions;
mod archive;
mod clean_copy;
mod groups;
mod images;
mod incremental;
mod logbook;
mod market;
mod meta;
mod participants;
mod postits;
mod read;
mod reader;
mod restore;
mod snapshot;
mod stories;
mod themes;
mod vocab;

pub use actions::NewAction;
pub use images::NewImage;
pub use incremental::{UpdatedView, ViewUpdate};
pub use logbook::NewLogbookEntry;
pub use postits::NewPostIt;
pub use stories::NewStory;
pub use vocab::{ActionStatus, Polarity, Quadrant, Role};

/// One trajectory: an automerge document with typed edits and read views.
///
/// Every edit validates its input, refuses to run when the trajectory is archived, and commits
/// exactly one automerge change (so a save after an edit persists exactly that edit).
#[derive(Debug)]
pub struct Trajectory {
    doc: AutoCommit,
    clock: Clock,
}

impl Trajectory {
    /// Starts a new trajectory with its initiator as the first participant. The information letter
    /// is prefilled from the Dutch template. Returns the trajectory and the initiator's id.
    pub fn create(
        title: &str,
        school: &str,
        initiator_name: &str,
        initiator_role: Role,
        clock: Clock,
    ) -> Result<(Self, ParticipantId)> {
        let title = clean_label(title, "title")?;
        let school = school.trim().to_owned();
        check_len(&school, "school", limits::LABEL)?;
        let initiator_name = clean_label(initiator_name, "initiator name")?;
        let mut doc = AutoCommit::new();
        let now = clock.now_ms();
        let id = new_id();
        doc.put(ROOT, root::SCHEMA, SCHEMA_VERSION)?;
        doc.put(ROOT, root::KIND, DOC_KIND)?;
        doc.put(ROOT, root::ID, id.as_str())?;
        let meta = doc.put_object(ROOT, root::META, ObjType::Map)?;
        doc.put(&meta, "title", title.as_str())?;
        doc.put(&meta, "school", school.as_str())?;
        doc.put(&meta, "phase", 1_i64)?;
        doc.put(&meta, "created_at", now)?;
        doc.put(&meta, "hide_postit_authors", false)?;
        doc.put_object(&meta, "dates", ObjType::Map)?;
        for key in [
            root::ASSIGNMENTS,
            root::PARTICIPANTS,
            root::STORIES,
            root::PLACEMENTS,
            root::LOGBOOK,
            root::IMAGES,
            root::THEMES,
            root::POSTITS,
            root::GROUPS,
            root::ACTIONS,
        ] {
            doc.put_object(ROOT, key, ObjType::Map)?;
        }
        let market = doc.put_object(ROOT, root::MARKET, ObjType::Map)?;
        doc.put_object(&market, root::OFFERS, ObjType::Map)?;
        doc.put_object(&market, root::REQUESTS, ObjType::Map)?;
        let mut t = Trajectory { doc, clock };
        let pid = t.insert_participant(&initiator_name, initiator_role, now)?;
        let meta = t.obj(root::META)?;
        t.doc.put(&meta, "initiator", pid.as_str())?;
        let letter = crate::assignment::letter_template("nl")
            .replace(
                "{school}",
                if school.is_empty() {
                    "onze school"
                } else {
                    &school
                },
            )
            .replace("{title}", &title)
            .replace("{initiator}", &initiator_name)
            .replace("{timeplan}", "(nog in te vullen)");
        crate::doc_util::put_text(&mut t.doc, &meta, "letter", &letter)?;
        t.doc.commit_with(
            CommitOptions::default()
                .with_message("create")
                .with_time(now / 1000),
        );
        Ok((t, pid))
    }

    /// Wraps a loaded document, checking that it is a trajectory this build can read.
    pub fn from_doc(doc: AutoCommit) -> Result<Self> {
        Self::check_schema(&doc)?;
        Ok(Trajectory {
            doc,
            clock: Clock::System,
        })
    }

    /// Checks the root `schema` and `kind` of a document without taking it.
    pub fn check_schema(doc: &AutoCommit) -> Result<()> {
        match str_at(doc, &ROOT, root::KIND) {
            Some(k) if k == DOC_KIND => {}
            Some(other) => return Err(ModelError::NotATrajectory(format!("kind {other}"))),
            None => return Err(ModelError::NotATrajectory("no kind marker".into())),
        }
        match i64_at(doc, &ROOT, root::SCHEMA) {
            Some(v) if v > SCHEMA_VERSION => Err(ModelError::NewerSchema {
                found: v,
                supported: SCHEMA_VERSION,
            }),
            Some(_) => Ok(()),
            None => Err(ModelError::NotATrajectory("no schema version".into())),
        }
    }

    /// Uses `clock` for the timestamps of later edits.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The trajectory id.
    pub fn id(&self) -> String {
        str_at(&self.doc, &ROOT, root::ID).unwrap_or_default()
    }

    /// The underlying automerge document (for storage and sync).
    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// Mutable access to the underlying document, for storage and sync only: edits go through
    /// the typed functions.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Gives the document back.
    pub fn into_doc(self) -> AutoCommit {
        self.doc
    }

    /// The current heads of the document.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The clock used for timestamps.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The object at a root key.
    pub(crate) fn obj(&self, key: &str) -> Result<ObjId> {
        map_at(&self.doc, &ROOT, key)
            .ok_or_else(|| ModelError::NotATrajectory(format!("missing root map {key}")))
    }

    /// The marketplace sub-map (`offers` or `requests`).
    pub(crate) fn market_obj(&self, key: &str) -> Result<ObjId> {
        let market = self.obj(root::MARKET)?;
        map_at(&self.doc, &market, key)
            .ok_or_else(|| ModelError::NotATrajectory(format!("missing market map {key}")))
    }

    /// A live (present, not deleted) item of a collection.
    pub(crate) fn live_item(&self, coll: &ObjId, id: &str, kind: &'static str) -> Result<ObjId> {
        match map_at(&self.doc, coll, id) {
            Some(obj) if i64_at(&self.doc, &obj, "deleted_at").is_none() => Ok(obj),
            _ => Err(ModelError::UnknownId {
                kind,
                id: id.to_owned(),
            }),
        }
    }

    /// Runs one edit: refuses when archived, commits on success, rolls back on error.
    pub(crate) fn edit<T>(
        &mut self,
        message: &str,
        f: impl FnOnce(&mut Self, i64) -> Result<T>,
    ) -> Result<T> {
        if self.is_archived() {
            return Err(ModelError::Archived);
        }
        self.edit_even_if_archived(message, f)
    }

    /// Like [`Self::edit`] but allowed on an archived trajectory (only unarchiving uses it).
    pub(crate) fn edit_even_if_archived<T>(
        &mut self,
        message: &str,
        f: impl FnOnce(&mut Self, i64) -> Result<T>,
    ) -> Result<T> {
        let now = self.clock.now_ms();
        match f(self, now) {
            Ok(v) => {
                self.doc.commit_with(
                    CommitOptions::default()
                        .with_message(message)
                        .with_time(now / 1000),
                );
                Ok(v)
            }
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }

    /// Soft-deletes an item of a collection.
    pub(crate) fn soft_delete(&mut self, key: &str, id: &str, kind: &'static str) -> Result<()> {
        self.soft_delete_blanking(key, id, kind, &[])
    }

    /// Soft-deletes an item and blanks its free-text `fields` (Texts emptied, scalars set to
    /// ""), so a removed text is gone from the current document on every laptop (its history
    /// still holds it; a clean export leaves the history out).
    pub(crate) fn soft_delete_blanking(
        &mut self,
        key: &str,
        id: &str,
        kind: &'static str,
        fields: &[&str],
    ) -> Result<()> {
        self.edit("delete", |t, now| {
            let coll = t.obj(key)?;
            let obj = t.live_item(&coll, id, kind)?;
            t.doc.put(&obj, "deleted_at", now)?;
            t.blank(&obj, fields)
        })
    }

    /// Empties the free-text `fields` of `obj`.
    pub(crate) fn blank(&mut self, obj: &ObjId, fields: &[&str]) -> Result<()> {
        for f in fields {
            match self.doc.get(obj, *f)? {
                Some((automerge::Value::Object(ObjType::Text), text)) => {
                    self.doc.update_text(&text, "")?;
                }
                Some((automerge::Value::Scalar(v), _)) if v.is_str() => {
                    self.doc.put(obj, *f, "")?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether `pid` is the initiator.
    pub fn is_initiator(&self, pid: &str) -> bool {
        self.obj(root::META)
            .ok()
            .and_then(|m| str_at(&self.doc, &m, "initiator"))
            .is_some_and(|i| i == pid)
    }

    pub(crate) fn require_initiator(&self, pid: &str, what: &'static str) -> Result<()> {
        if self.is_initiator(pid) {
            Ok(())
        } else {
            Err(ModelError::NotInitiator(what))
        }
    }
}

/// Trims a required short label and checks it is neither empty nor too long.
pub(crate) fn clean_label(s: &str, field: &'static str) -> Result<String> {
    clean_text(s, field, limits::LABEL)
}

/// Trims a required text and checks it is neither empty nor longer than `max` characters.
pub(crate) fn clean_text(s: &str, field: &'static str, max: usize) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ModelError::EmptyText { field });
    }
    check_len(t, field, max)?;
    Ok(t.to_owned())
}

/// Checks a text is at most `max` characters.
pub(crate) fn check_len(s: &str, field: &'static str, max: usize) -> Result<()> {
    let len = s.chars().count();
    if len > max {
        Err(ModelError::TooLong { field, len, max })
    } else {
        Ok(())
    }
}

/// Checks a `YYYY-MM-DD` date.
pub(crate) fn check_date(s: &str) -> Result<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u32>(), Ok(1..=12))
        && matches!(parts[2].parse::<u32>(), Ok(1..=31));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ModelError::InvalidDate(s.to_owned()))
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A fresh trajectory with a manual clock; returns it and the initiator id.
    pub fn fresh() -> (Trajectory, ParticipantId) {
        Trajectory::create(
            "Leren loont",
            "De Regenboog",
            "Anja",
            Role::Directie,
            Clock::manual(1_000),
        )
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::fresh;
    use super::*;

    #[test]
    fn create_sets_meta_and_prefills_letter() {
        let (t, pid) = fresh();
        let v = t.view();
        assert_eq!(v.title, "Leren loont");
        assert_eq!(v.school, "De Regenboog");
        assert_eq!(v.phase, 1);
        assert_eq!(v.initiator.as_deref(), Some(pid.as_str()));
        assert_eq!(v.participants.len(), 1);
        assert!(v.letter.contains("De Regenboog"));
        assert!(v.letter.contains("Anja"));
        assert!(crate::is_valid_id(&v.id));
    }

    #[test]
    fn create_rejects_empty_title_and_name() {
        assert!(matches!(
            Trajectory::create(" ", "", "Anja", Role::Leerkracht, Clock::System),
            Err(ModelError::EmptyText { field: "title" })
        ));
        assert!(matches!(
            Trajectory::create("T", "", "", Role::Leerkracht, Clock::System),
            Err(ModelError::EmptyText { .. })
        ));
    }

    #[test]
    fn from_doc_checks_schema() {
        let (mut t, _) = fresh();
        let bytes = t.doc_mut().save();
        assert!(Trajectory::from_doc(AutoCommit::load(&bytes).unwrap()).is_ok());

        let mut newer = AutoCommit::load(&bytes).unwrap();
        newer.put(ROOT, root::SCHEMA, SCHEMA_VERSION + 1).unwrap();
        assert!(matches!(
            Trajectory::from_doc(newer),
            Err(ModelError::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 1
        ));
        assert!(matches!(
            Trajectory::from_doc(AutoCommit::new()),
            Err(ModelError::NotATrajectory(_))
        ));
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2026-11-29").is_ok());
        for bad in ["29-11-2026", "2026-13-01", "2026-1-1", "morgen", ""] {
            assert!(
                matches!(check_date(bad), Err(ModelError::InvalidDate(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn failed_edit_leaves_no_trace() {
        let (mut t, _) = fresh();
        let before = t.heads();
        assert!(t.add_theme("", Polarity::Positive, None).is_err());
        assert_eq!(t.heads(), before);
        assert!(t.doc_mut().pending_ops() == 0);
    }
}
