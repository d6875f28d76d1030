//! The private notebook: a participant's unfinished answers, in a second automerge document
//! that is stored locally and never synced. "Delen met het team" moves a draft into the
//! trajectory as a [`crate::NewStory`].

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT};

use crate::doc_util::{i64_at, keys, map_at, str_at, update_text_at};
use crate::schema::limits;
use crate::trajectory::check_len;
use crate::{
    AssignmentKind, Clock, ModelError, NewStory, QuestionCatalog, Result, StoryId, Trajectory,
    new_id,
};

/// A draft story in the notebook.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DraftStory {
    /// Draft id.
    pub id: String,
    /// Trajectory it belongs to.
    pub trajectory: String,
    /// Assignment.
    pub kind: AssignmentKind,
    /// The colleague interviewed.
    pub colleague: Option<String>,
    /// Brain-crackers: how often in the past week.
    pub times_past_week: Option<i64>,
    /// Answers so far.
    pub answers: BTreeMap<String, String>,
    /// Last change (ms since epoch).
    pub updated_at: i64,
}

/// The local-only notebook of drafts.
#[derive(Debug)]
pub struct Notebook {
    doc: AutoCommit,
    clock: Clock,
}

impl Default for Notebook {
    fn default() -> Self {
        Self::new()
    }
}

impl Notebook {
    /// An empty notebook.
    pub fn new() -> Self {
        Notebook {
            doc: AutoCommit::new(),
            clock: Clock::System,
        }
    }

    /// Wraps a loaded notebook document.
    pub fn from_doc(doc: AutoCommit) -> Self {
        Notebook {
            doc,
            clock: Clock::System,
        }
    }

    /// The document, for storage.
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    fn drafts_obj(&mut self) -> Result<automerge::ObjId> {
        Ok(match map_at(&self.doc, &ROOT, "drafts") {
            Some(d) => d,
            None => self.doc.put_object(ROOT, "drafts", ObjType::Map)?,
        })
    }

    /// Keeps, on this laptop only, that the anonymous post-it `postit` of `trajectory` was
    /// written by participant `author` (the shared document names no author for it).
    pub fn remember_own_postit(
        &mut self,
        trajectory: &str,
        postit: &str,
        author: &str,
    ) -> Result<()> {
        let all = match map_at(&self.doc, &ROOT, "own_postits") {
            Some(m) => m,
            None => self.doc.put_object(ROOT, "own_postits", ObjType::Map)?,
        };
        let mine = match map_at(&self.doc, &all, trajectory) {
            Some(m) => m,
            None => self.doc.put_object(&all, trajectory, ObjType::Map)?,
        };
        self.doc.put(&mine, postit, author)?;
        self.doc.commit();
        Ok(())
    }

    /// The anonymous post-its of `trajectory` written on this laptop: post-it id → author.
    pub fn own_postits(&self, trajectory: &str) -> BTreeMap<String, String> {
        let Some(all) = map_at(&self.doc, &ROOT, "own_postits") else {
            return BTreeMap::new();
        };
        let Some(mine) = map_at(&self.doc, &all, trajectory) else {
            return BTreeMap::new();
        };
        keys(&self.doc, &mine)
            .into_iter()
            .filter_map(|p| str_at(&self.doc, &mine, &p).map(|a| (p, a)))
            .collect()
    }

    /// Starts a new draft for an assignment of a trajectory.
    pub fn new_draft(&mut self, trajectory: &str, kind: AssignmentKind) -> Result<String> {
        let drafts = self.drafts_obj()?;
        let id = new_id();
        let d = self.doc.put_object(&drafts, id.as_str(), ObjType::Map)?;
        self.doc.put(&d, "trajectory", trajectory)?;
        self.doc.put(&d, "kind", kind.slug())?;
        self.doc.put_object(&d, "answers", ObjType::Map)?;
        self.doc.put(&d, "updated_at", self.clock.now_ms())?;
        self.doc.commit();
        Ok(id)
    }

    fn draft_obj(&mut self, id: &str) -> Result<automerge::ObjId> {
        let drafts = self.drafts_obj()?;
        map_at(&self.doc, &drafts, id).ok_or_else(|| ModelError::UnknownId {
            kind: "draft",
            id: id.to_owned(),
        })
    }

    /// Writes an answer into a draft.
    pub fn set_answer(&mut self, id: &str, question: &str, text: &str) -> Result<()> {
        check_len(text, "answer", limits::ANSWER)?;
        let d = self.draft_obj(id)?;
        let kind = AssignmentKind::parse(&str_at(&self.doc, &d, "kind").unwrap_or_default())?;
        QuestionCatalog::get()?.check_question(kind, question)?;
        let answers = match map_at(&self.doc, &d, "answers") {
            Some(a) => a,
            None => self.doc.put_object(&d, "answers", ObjType::Map)?,
        };
        update_text_at(&mut self.doc, &answers, question, text)?;
        self.doc.put(&d, "updated_at", self.clock.now_ms())?;
        self.doc.commit();
        Ok(())
    }

    /// Sets the colleague and the brain-cracker count of a draft.
    pub fn set_details(
        &mut self,
        id: &str,
        colleague: Option<&str>,
        times_past_week: Option<i64>,
    ) -> Result<()> {
        let d = self.draft_obj(id)?;
        match colleague.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => {
                check_len(c, "colleague", limits::LABEL)?;
                self.doc.put(&d, "colleague", c)?
            }
            None => self.doc.delete(&d, "colleague")?,
        }
        match times_past_week {
            Some(n) if (0..=500).contains(&n) => self.doc.put(&d, "times_past_week", n)?,
            Some(n) => {
                return Err(ModelError::CountOutOfRange {
                    field: "times past week",
                    value: n,
                    max: 500,
                });
            }
            None => self.doc.delete(&d, "times_past_week")?,
        }
        self.doc.commit();
        Ok(())
    }

    /// Every draft of a trajectory, oldest first.
    pub fn drafts(&self, trajectory: &str) -> Vec<DraftStory> {
        let Some(drafts) = map_at(&self.doc, &ROOT, "drafts") else {
            return Vec::new();
        };
        let mut out: Vec<DraftStory> = keys(&self.doc, &drafts)
            .into_iter()
            .filter_map(|id| {
                let d = map_at(&self.doc, &drafts, &id)?;
                if str_at(&self.doc, &d, "trajectory")? != trajectory {
                    return None;
                }
                let answers = map_at(&self.doc, &d, "answers")
                    .map(|a| {
                        keys(&self.doc, &a)
                            .into_iter()
                            .filter_map(|q| str_at(&self.doc, &a, &q).map(|t| (q, t)))
                            .collect()
                    })
                    .unwrap_or_default();
                Some(DraftStory {
                    trajectory: trajectory.to_owned(),
                    kind: AssignmentKind::parse(&str_at(&self.doc, &d, "kind")?).ok()?,
                    colleague: str_at(&self.doc, &d, "colleague"),
                    times_past_week: i64_at(&self.doc, &d, "times_past_week"),
                    answers,
                    updated_at: i64_at(&self.doc, &d, "updated_at").unwrap_or(0),
                    id,
                })
            })
            .collect();
        out.sort_by(|a, b| (a.updated_at, &a.id).cmp(&(b.updated_at, &b.id)));
        out
    }

    /// Throws a draft away.
    pub fn discard(&mut self, id: &str) -> Result<()> {
        let drafts = self.drafts_obj()?;
        self.draft_obj(id)?;
        self.doc.delete(&drafts, id)?;
        self.doc.commit();
        Ok(())
    }

    /// "Delen met het team": adds the draft to the trajectory as a story by `author`, then
    /// removes it from the notebook. If sharing fails (empty answers, archived, …) the draft
    /// stays untouched.
    pub fn share(
        &mut self,
        id: &str,
        trajectory: &mut Trajectory,
        author: &str,
    ) -> Result<StoryId> {
        let draft = self
            .drafts(&trajectory.id())
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| ModelError::UnknownId {
                kind: "draft",
                id: id.to_owned(),
            })?;
        let story_id = trajectory.add_story(NewStory {
            kind: draft.kind,
            author: author.to_owned(),
            colleague: draft.colleague,
            times_past_week: draft.times_past_week,
            answers: draft
                .answers
                .into_iter()
                .filter(|(_, a)| !a.trim().is_empty())
                .collect(),
        })?;
        self.discard(id)?;
        Ok(story_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectory::test_support::fresh;

    #[test]
    fn drafts_stay_private_until_shared() {
        let (mut t, init) = fresh();
        let mut nb = Notebook::new();
        let d = nb.new_draft(&t.id(), AssignmentKind::Satisfaction).unwrap();
        nb.set_answer(&d, "q1", "De schoolmusical").unwrap();
        nb.set_details(&d, Some("Karin"), None).unwrap();
        assert!(matches!(
            nb.set_answer(&d, "q9", "x"),
            Err(ModelError::UnknownQuestion { .. })
        ));
        assert_eq!(nb.drafts(&t.id()).len(), 1);
        assert!(
            t.view().stories.is_empty(),
            "draft is not in the trajectory"
        );

        // Sharing an empty draft fails and keeps it.
        let empty = nb.new_draft(&t.id(), AssignmentKind::Logbook).unwrap();
        assert!(nb.share(&empty, &mut t, &init).is_err());
        assert_eq!(nb.drafts(&t.id()).len(), 2);

        let sid = nb.share(&d, &mut t, &init).unwrap();
        let v = t.view();
        assert_eq!(v.stories.len(), 1);
        assert_eq!(v.stories[0].id, sid);
        assert_eq!(v.stories[0].answers["q1"], "De schoolmusical");
        assert_eq!(v.stories[0].colleague.as_deref(), Some("Karin"));
        assert_eq!(nb.drafts(&t.id()).len(), 1);

        // Round trip through bytes.
        let bytes = nb.doc_mut().save();
        let nb2 = Notebook::from_doc(AutoCommit::load(&bytes).unwrap());
        assert_eq!(nb2.drafts(&t.id()).len(), 1);
    }
}
