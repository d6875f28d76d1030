//! Core themes on the flip-over: positive (bevorderend) and negative (belemmerend).

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, clean_label};
use crate::schema::root;
use crate::{Polarity, Result, ThemeId, new_id};

impl Trajectory {
    /// Adds a core theme. `created_by` is a participant id, if known.
    pub fn add_theme(
        &mut self,
        title: &str,
        polarity: Polarity,
        created_by: Option<&str>,
    ) -> Result<ThemeId> {
        let title = clean_label(title, "title")?;
        self.edit("add theme", |t, now| {
            if let Some(p) = created_by {
                t.require_participant(p)?;
            }
            let coll = t.obj(root::THEMES)?;
            let id = new_id();
            let th = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            t.doc.put(&th, "title", title.as_str())?;
            t.doc.put(&th, "polarity", polarity.slug())?;
            if let Some(p) = created_by {
                t.doc.put(&th, "created_by", p)?;
            }
            t.doc.put(&th, "created_at", now)?;
            Ok(id)
        })
    }

    /// Renames a theme. The title is one value, not a shared text: when two people rename it at
    /// once, both names stay visible (see [`crate::view::Theme::title_conflicts`]) until someone
    /// renames it again, which settles it.
    pub fn rename_theme(&mut self, id: &str, title: &str) -> Result<()> {
        let title = clean_label(title, "title")?;
        self.edit("rename theme", |t, _| {
            let coll = t.obj(root::THEMES)?;
            let th = t.live_item(&coll, id, "theme")?;
            t.doc.put(&th, "title", title.as_str())?;
            Ok(())
        })
    }

    /// Moves a theme to the other column.
    pub fn set_theme_polarity(&mut self, id: &str, polarity: Polarity) -> Result<()> {
        self.edit("set polarity", |t, _| {
            let coll = t.obj(root::THEMES)?;
            let th = t.live_item(&coll, id, "theme")?;
            t.doc.put(&th, "polarity", polarity.slug())?;
            Ok(())
        })
    }

    /// Checks that `id` is a live theme.
    pub fn require_theme(&self, id: &str) -> Result<()> {
        let coll = self.obj(root::THEMES)?;
        self.live_item(&coll, id, "theme").map(|_| ())
    }

    /// Removes a theme. Its post-its return to the loose pile; rankings drop it.
    pub fn delete_theme(&mut self, id: &str) -> Result<()> {
        self.soft_delete(root::THEMES, id, "theme")
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{ModelError, Polarity};

    #[test]
    fn add_rename_polarity_delete() {
        let (mut t, init) = fresh();
        let a = t
            .add_theme("Samen lesgeven", Polarity::Positive, Some(&init))
            .unwrap();
        t.rename_theme(&a, "Samen voorbereiden").unwrap();
        t.set_theme_polarity(&a, Polarity::Negative).unwrap();
        let v = t.view();
        assert_eq!(v.themes[0].title, "Samen voorbereiden");
        assert_eq!(v.themes[0].polarity, Polarity::Negative);
        assert_eq!(v.themes[0].created_by.as_deref(), Some(init.as_str()));
        assert!(matches!(
            t.add_theme("", Polarity::Positive, None),
            Err(ModelError::EmptyText { .. })
        ));
        assert!(matches!(
            t.add_theme("X", Polarity::Positive, Some("ghost")),
            Err(ModelError::UnknownId { .. })
        ));
        assert!(matches!(
            t.rename_theme("ghost", "X"),
            Err(ModelError::UnknownId { kind: "theme", .. })
        ));
        t.delete_theme(&a).unwrap();
        assert!(t.view().themes.is_empty());
        assert!(matches!(
            t.rename_theme(&a, "Y"),
            Err(ModelError::UnknownId { .. })
        ));
    }

    #[test]
    fn concurrent_renames_show_both_until_settled() {
        let (mut a, _) = fresh();
        let id = a.add_theme("Werkdruk", Polarity::Negative, None).unwrap();
        let mut b = crate::Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.rename_theme(&id, "Werkdruk en planning").unwrap();
        b.rename_theme(&id, "Tijdsdruk").unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        let v = a.view();
        assert_eq!(
            v.themes[0].title_conflicts,
            vec!["Tijdsdruk".to_owned(), "Werkdruk en planning".to_owned()]
        );
        a.rename_theme(&id, "Tijdsdruk").unwrap();
        let v = a.view();
        assert!(v.themes[0].title_conflicts.is_empty());
        assert_eq!(v.themes[0].title, "Tijdsdruk");
    }
}
