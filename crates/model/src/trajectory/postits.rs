//! Post-its: one point each, optionally anonymous, stuck on a theme or loose.

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc};

use super::{Trajectory, clean_text};
use crate::doc_util::{put_text, update_text_at};
use crate::schema::{limits, root};
use crate::{ModelError, PostItId, Result, new_id};

/// Post-it colours.
pub const COLOURS: &[&str] = &["yellow", "pink", "green", "blue", "orange"];

/// A post-it to add.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewPostIt {
    /// The point.
    pub text: String,
    /// Theme to stick it on.
    pub theme: Option<String>,
    /// Participant id of the author.
    pub author: Option<String>,
    /// An anonymous note: the author is not shown to anyone.
    pub anonymous: bool,
    /// Colour (default yellow).
    pub colour: Option<String>,
}

impl Trajectory {
    /// Adds a post-it.
    pub fn add_postit(&mut self, postit: NewPostIt) -> Result<PostItId> {
        let text = clean_text(&postit.text, "text", limits::NOTE)?;
        let colour = postit.colour.clone().unwrap_or_else(|| "yellow".to_owned());
        if !COLOURS.contains(&colour.as_str()) {
            return Err(ModelError::UnknownValue {
                field: "colour",
                value: colour,
                expected: "yellow, pink, green, blue, orange",
            });
        }
        self.edit("add post-it", |t, now| {
            if let Some(theme) = &postit.theme {
                t.require_theme(theme)?;
            }
            if let Some(a) = &postit.author {
                t.require_participant(a)?;
            }
            let coll = t.obj(root::POSTITS)?;
            let id = new_id();
            let p = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            put_text(&mut t.doc, &p, "text", &text)?;
            // An anonymous note carries no author in the shared document; the author's own
            // laptop keeps the link in its private notebook (`Notebook::remember_own_postit`).
            if let Some(a) = postit.author.as_ref().filter(|_| !postit.anonymous) {
                t.doc.put(&p, "author", a.as_str())?;
            }
            t.doc.put(&p, "anonymous", postit.anonymous)?;
            if let Some(theme) = &postit.theme {
                t.doc.put(&p, "theme", theme.as_str())?;
            }
            t.doc.put(&p, "colour", colour.as_str())?;
            t.doc.put(&p, "created_at", now)?;
            Ok(id)
        })
    }

    /// Sticks a post-it on a theme, or takes it off (`None`).
    pub fn move_postit(&mut self, id: &str, theme: Option<&str>) -> Result<()> {
        self.edit("move post-it", |t, _| {
            let coll = t.obj(root::POSTITS)?;
            let p = t.live_item(&coll, id, "post-it")?;
            match theme {
                Some(th) => {
                    t.require_theme(th)?;
                    t.doc.put(&p, "theme", th)?;
                }
                None => t.doc.delete(&p, "theme")?,
            }
            Ok(())
        })
    }

    /// Changes a post-it's text.
    pub fn set_postit_text(&mut self, id: &str, text: &str) -> Result<()> {
        let text = clean_text(text, "text", limits::NOTE)?;
        self.edit("edit post-it", |t, _| {
            let coll = t.obj(root::POSTITS)?;
            let p = t.live_item(&coll, id, "post-it")?;
            update_text_at(&mut t.doc, &p, "text", &text)
        })
    }

    /// Removes a post-it and blanks its text.
    pub fn delete_postit(&mut self, id: &str) -> Result<()> {
        self.soft_delete_blanking(root::POSTITS, id, "post-it", &["text"])
    }

    /// Takes the author off every anonymous post-it that still names one (written by an
    /// older version). Returns the post-its and authors taken off, so the caller can keep the
    /// links of this laptop's own notes in its private notebook. Runs also on an archived
    /// trajectory: it only removes names. One change, or none when there is nothing to do.
    pub fn forget_anonymous_authors(&mut self) -> Result<Vec<(String, String)>> {
        let Some(coll) = crate::doc_util::map_at(&self.doc, &automerge::ROOT, root::POSTITS) else {
            return Ok(Vec::new());
        };
        let named: Vec<(String, String)> = self
            .doc
            .keys(&coll)
            .filter_map(|id| {
                let p = crate::doc_util::map_at(&self.doc, &coll, &id)?;
                let anonymous = crate::doc_util::bool_at(&self.doc, &p, "anonymous")?;
                let author = crate::doc_util::str_at(&self.doc, &p, "author")?;
                anonymous.then_some((id, author))
            })
            .collect();
        if named.is_empty() {
            return Ok(named);
        }
        self.edit_even_if_archived("forget anonymous authors", |t, _| {
            for (id, _) in &named {
                if let Some(p) = crate::doc_util::map_at(&t.doc, &coll, id) {
                    t.doc.delete(&p, "author")?;
                }
            }
            Ok(())
        })?;
        Ok(named)
    }
}

#[cfg(test)]
mod tests {
    use super::NewPostIt;
    use crate::trajectory::test_support::fresh;
    use crate::{ModelError, Polarity};

    #[test]
    fn add_move_edit_delete_postit() {
        let (mut t, init) = fresh();
        let th = t.add_theme("Feedback", Polarity::Positive, None).unwrap();
        let th2 = t.add_theme("Werkdruk", Polarity::Negative, None).unwrap();
        let p = t
            .add_postit(NewPostIt {
                text: "Collegiale consultatie".into(),
                theme: Some(th.clone()),
                author: Some(init.clone()),
                ..Default::default()
            })
            .unwrap();
        let anon = t
            .add_postit(NewPostIt {
                text: "Te weinig tijd".into(),
                author: Some(init.clone()),
                anonymous: true,
                ..Default::default()
            })
            .unwrap();
        let v = t.view();
        let pv = v.postits.iter().find(|x| x.id == p).unwrap();
        assert_eq!(pv.theme.as_deref(), Some(th.as_str()));
        assert_eq!(pv.author.as_deref(), Some(init.as_str()));
        assert_eq!(pv.colour, "yellow");
        let av = v.postits.iter().find(|x| x.id == anon).unwrap();
        assert!(av.anonymous && av.author.is_none() && av.theme.is_none());

        t.move_postit(&anon, Some(&th2)).unwrap();
        t.set_postit_text(&p, "Bij elkaar in de klas kijken")
            .unwrap();
        let v = t.view();
        assert_eq!(
            v.postits
                .iter()
                .find(|x| x.id == anon)
                .unwrap()
                .theme
                .as_deref(),
            Some(th2.as_str())
        );
        assert_eq!(
            v.postits.iter().find(|x| x.id == p).unwrap().text,
            "Bij elkaar in de klas kijken"
        );
        t.move_postit(&anon, None).unwrap();
        assert!(
            t.view()
                .postits
                .iter()
                .find(|x| x.id == anon)
                .unwrap()
                .theme
                .is_none()
        );

        assert!(matches!(
            t.move_postit(&p, Some("ghost")),
            Err(ModelError::UnknownId { kind: "theme", .. })
        ));
        assert!(matches!(
            t.add_postit(NewPostIt {
                text: "  ".into(),
                ..Default::default()
            }),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.add_postit(NewPostIt {
                text: "x".into(),
                theme: Some("ghost".into()),
                ..Default::default()
            }),
            Err(ModelError::UnknownId { .. })
        ));
        assert!(matches!(
            t.add_postit(NewPostIt {
                text: "x".into(),
                colour: Some("purple".into()),
                ..Default::default()
            }),
            Err(ModelError::UnknownValue { .. })
        ));
        t.delete_postit(&p).unwrap();
        assert_eq!(t.view().postits.len(), 1);
    }

    #[test]
    fn hidden_authors_and_deleted_theme() {
        let (mut t, init) = fresh();
        let th = t.add_theme("Feedback", Polarity::Positive, None).unwrap();
        t.add_postit(NewPostIt {
            text: "a".into(),
            theme: Some(th.clone()),
            author: Some(init.clone()),
            ..Default::default()
        })
        .unwrap();
        t.set_hide_postit_authors(&init, true).unwrap();
        assert!(t.view().postits[0].author.is_none());
        t.delete_theme(&th).unwrap();
        assert!(
            t.view().postits[0].theme.is_none(),
            "post-it returns to the loose pile"
        );
    }

    #[test]
    fn concurrent_moves_show_both_themes() {
        let (mut a, _) = fresh();
        let t1 = a.add_theme("A", Polarity::Positive, None).unwrap();
        let t2 = a.add_theme("B", Polarity::Positive, None).unwrap();
        let p = a
            .add_postit(NewPostIt {
                text: "x".into(),
                ..Default::default()
            })
            .unwrap();
        let mut b = crate::Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.move_postit(&p, Some(&t1)).unwrap();
        b.move_postit(&p, Some(&t2)).unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        let v = a.view();
        let mut both = vec![t1, t2];
        both.sort();
        assert_eq!(v.postits[0].theme_conflicts, both);
        assert!(v.postits[0].theme.is_some());
    }

    /// The raw `author` field of post-it `id` in the document.
    fn raw_author(t: &crate::Trajectory, id: &str) -> Option<String> {
        use automerge::ReadDoc;
        let (_, coll) = t.doc().get(automerge::ROOT, "postits").unwrap()?;
        let (_, p) = t.doc().get(&coll, id).unwrap()?;
        crate::doc_util::str_at(t.doc(), &p, "author")
    }

    #[test]
    fn an_anonymous_post_it_names_no_author_in_the_document() {
        let (mut t, init) = fresh();
        let anon = t
            .add_postit(NewPostIt {
                text: "Te weinig tijd".into(),
                author: Some(init.clone()),
                anonymous: true,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(raw_author(&t, &anon), None);
        // Nothing to migrate.
        assert!(t.forget_anonymous_authors().unwrap().is_empty());
    }

    #[test]
    fn old_anonymous_post_its_lose_their_author_once() {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable;
        let (mut t, init) = fresh();
        let named = t
            .add_postit(NewPostIt {
                text: "Met naam".into(),
                author: Some(init.clone()),
                ..Default::default()
            })
            .unwrap();
        let anon = t
            .add_postit(NewPostIt {
                text: "Anoniem".into(),
                anonymous: true,
                ..Default::default()
            })
            .unwrap();
        // As an older version wrote it: the author next to `anonymous: true`.
        let (_, coll) = t.doc().get(automerge::ROOT, "postits").unwrap().unwrap();
        let (_, p) = t.doc().get(&coll, &anon).unwrap().unwrap();
        t.doc_mut().put(&p, "author", init.as_str()).unwrap();
        t.doc_mut().commit();
        t.archive(&init).unwrap();
        assert_eq!(raw_author(&t, &anon).as_deref(), Some(init.as_str()));
        let heads = t.doc_mut().get_heads();
        let taken = t.forget_anonymous_authors().unwrap();
        assert_eq!(taken, vec![(anon.to_string(), init.to_string())]);
        assert_eq!(
            raw_author(&t, &anon),
            None,
            "also on an archived trajectory"
        );
        assert_eq!(raw_author(&t, &named).as_deref(), Some(init.as_str()));
        assert_ne!(t.doc_mut().get_heads(), heads);
        let heads = t.doc_mut().get_heads();
        assert!(t.forget_anonymous_authors().unwrap().is_empty());
        assert_eq!(t.doc_mut().get_heads(), heads, "no change the second time");
    }

    #[test]
    fn a_removed_post_it_loses_its_text_and_undo_brings_it_back() {
        let (mut t, _) = fresh();
        let p = t
            .add_postit(NewPostIt {
                text: "Geheim briefje".into(),
                ..Default::default()
            })
            .unwrap();
        t.delete_postit(&p).unwrap();
        let text = |t: &crate::Trajectory| {
            use automerge::ReadDoc;
            let (_, coll) = t.doc().get(automerge::ROOT, "postits").unwrap().unwrap();
            let (_, obj) = t.doc().get(&coll, &p).unwrap().unwrap();
            crate::doc_util::str_at(t.doc(), &obj, "text").unwrap()
        };
        assert_eq!(
            text(&t),
            "",
            "the current document no longer holds the text"
        );
        t.restore_postit(&p, "Geheim briefje").unwrap();
        assert_eq!(text(&t), "Geheim briefje");
        assert_eq!(t.view().postits[0].text, "Geheim briefje");
    }
}
