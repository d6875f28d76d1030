//! Stories: a participant's answers to a practice assignment, shared with the team.

use automerge::ObjType;
use automerge::ReadDoc;
use automerge::transaction::Transactable;

use super::{Trajectory, check_len, clean_label};
use crate::doc_util::{map_at, put_text, str_at, update_text_at};
use crate::schema::{limits, root};
use crate::{AssignmentKind, ModelError, QuestionCatalog, Result, StoryId, new_id};

/// A story to add to the trajectory (a shared one: drafts live in the [`crate::Notebook`]).
#[derive(Clone, Debug, PartialEq)]
pub struct NewStory {
    /// Which assignment.
    pub kind: AssignmentKind,
    /// Participant id of the author.
    pub author: String,
    /// The colleague interviewed, if any.
    pub colleague: Option<String>,
    /// Brain-crackers: how often in the past week (0–500).
    pub times_past_week: Option<i64>,
    /// Answers: (question id, text).
    pub answers: Vec<(String, String)>,
}

impl Trajectory {
    /// Adds a shared story. Every question id must belong to the assignment, and at least one
    /// answer must say something.
    pub fn add_story(&mut self, story: NewStory) -> Result<StoryId> {
        let catalog = QuestionCatalog::get()?;
        for (q, a) in &story.answers {
            catalog.check_question(story.kind, q)?;
            check_len(a, "answer", limits::ANSWER)?;
        }
        if story.answers.iter().all(|(_, a)| a.trim().is_empty()) {
            return Err(ModelError::EmptyText { field: "answers" });
        }
        if let Some(n) = story.times_past_week
            && !(0..=500).contains(&n)
        {
            return Err(ModelError::CountOutOfRange {
                field: "times past week",
                value: n,
                max: 500,
            });
        }
        let colleague = match story.colleague.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(clean_label(c, "colleague")?),
            _ => None,
        };
        self.edit("add story", |t, now| {
            t.require_participant(&story.author)?;
            let coll = t.obj(root::STORIES)?;
            let id = new_id();
            let s = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            t.doc.put(&s, "kind", story.kind.slug())?;
            t.doc.put(&s, "author", story.author.as_str())?;
            if let Some(c) = &colleague {
                t.doc.put(&s, "colleague", c.as_str())?;
            }
            if let Some(n) = story.times_past_week {
                t.doc.put(&s, "times_past_week", n)?;
            }
            let answers = t.doc.put_object(&s, "answers", ObjType::Map)?;
            for (q, a) in &story.answers {
                put_text(&mut t.doc, &answers, q, a.trim())?;
            }
            t.doc.put(&s, "created_at", now)?;
            t.doc.put(&s, "shared_at", now)?;
            Ok(id)
        })
    }

    /// Changes one answer of a shared story. Only its author may.
    pub fn set_story_answer(
        &mut self,
        actor: &str,
        story: &str,
        question: &str,
        text: &str,
    ) -> Result<()> {
        check_len(text, "answer", limits::ANSWER)?;
        self.edit("edit story", |t, _| {
            let coll = t.obj(root::STORIES)?;
            let s = t.live_item(&coll, story, "story")?;
            if str_at(&t.doc, &s, "author").as_deref() != Some(actor) {
                return Err(ModelError::NotAuthor("story"));
            }
            let kind = AssignmentKind::parse(&str_at(&t.doc, &s, "kind").unwrap_or_default())?;
            QuestionCatalog::get()?.check_question(kind, question)?;
            let answers = match map_at(&t.doc, &s, "answers") {
                Some(a) => a,
                None => t.doc.put_object(&s, "answers", ObjType::Map)?,
            };
            update_text_at(&mut t.doc, &answers, question, text)
        })
    }

    /// Removes a story. Its author or the initiator may.
    pub fn delete_story(&mut self, actor: &str, story: &str) -> Result<()> {
        let coll = self.obj(root::STORIES)?;
        let s = self.live_item(&coll, story, "story")?;
        if str_at(&self.doc, &s, "author").as_deref() != Some(actor) && !self.is_initiator(actor) {
            return Err(ModelError::NotAuthor("story"));
        }
        self.edit("delete", |t, now| {
            let coll = t.obj(root::STORIES)?;
            let s = t.live_item(&coll, story, "story")?;
            t.doc.put(&s, "deleted_at", now)?;
            t.blank(&s, &["colleague"])?;
            if let Some(answers) = map_at(&t.doc, &s, "answers") {
                let questions: Vec<String> = t.doc.keys(&answers).collect();
                let questions: Vec<&str> = questions.iter().map(String::as_str).collect();
                t.blank(&answers, &questions)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::NewStory;
    use crate::trajectory::test_support::fresh;
    use crate::{AssignmentKind, ModelError, Role};

    fn story(author: &str) -> NewStory {
        NewStory {
            kind: AssignmentKind::BrainCracker,
            author: author.to_owned(),
            colleague: Some("Karin".into()),
            times_past_week: Some(4),
            answers: vec![
                ("q1".into(), "Een ruzie op het plein".into()),
                ("q4".into(), "Rustig blijven".into()),
            ],
        }
    }

    #[test]
    fn add_edit_delete_story() {
        let (mut t, init) = fresh();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let id = t.add_story(story(&bram)).unwrap();
        let v = t.view();
        let s = &v.stories[0];
        assert_eq!(s.id, id);
        assert_eq!(s.colleague.as_deref(), Some("Karin"));
        assert_eq!(s.times_past_week, Some(4));
        assert_eq!(s.answers["q1"], "Een ruzie op het plein");
        t.set_story_answer(&bram, &id, "q1", "Een ruzie op het schoolplein")
            .unwrap();
        assert_eq!(
            t.view().stories[0].answers["q1"],
            "Een ruzie op het schoolplein"
        );
        assert!(matches!(
            t.set_story_answer(&init, &id, "q1", "x"),
            Err(ModelError::NotAuthor(_))
        ));
        assert!(matches!(
            t.set_story_answer(&bram, &id, "q9", "x"),
            Err(ModelError::UnknownQuestion { .. })
        ));
        t.delete_story(&init, &id).unwrap();
        assert!(t.view().stories.is_empty());
        assert!(matches!(
            t.delete_story(&init, &id),
            Err(ModelError::UnknownId { .. })
        ));
    }

    #[test]
    fn bad_stories_are_refused() {
        let (mut t, _) = fresh();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let mut s = story(&bram);
        s.answers = vec![("q7".into(), "x".into())];
        assert!(matches!(
            t.add_story(s),
            Err(ModelError::UnknownQuestion { .. })
        ));
        let mut s = story(&bram);
        s.answers = vec![("q1".into(), "   ".into())];
        assert!(matches!(t.add_story(s), Err(ModelError::EmptyText { .. })));
        let mut s = story(&bram);
        s.times_past_week = Some(-2);
        assert!(matches!(
            t.add_story(s),
            Err(ModelError::CountOutOfRange { .. })
        ));
        assert!(matches!(
            t.add_story(story("ghost")),
            Err(ModelError::UnknownId { .. })
        ));
        assert!(t.view().stories.is_empty());
    }
}
