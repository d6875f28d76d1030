//! A clean copy: a fresh document holding only the current state, without history.
//!
//! The shared document keeps its history (automerge needs it to merge), so a removed post-it's
//! text, an old author field or a renamed title can still be read from an export with history.
//! A hand-out beyond the team gets [`Trajectory::clean_copy`] instead: every live value copied
//! into a new document, removed items left out, nothing of the history.

use std::collections::HashSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};

use super::Trajectory;
use crate::Result;
use crate::schema::root;

/// Root key that marks a clean copy (it cannot be merged with the trajectory it came from).
pub const CLEAN_COPY_KEY: &str = "clean_copy";

impl Trajectory {
    /// A new document with the current state of this one and no history: removed items are
    /// left out, every other value is copied as it reads now (conflicts resolved to the value
    /// shown). The root carries `clean_copy: true`.
    ///
    /// An archived trajectory's copy is written in two changes: everything that existed when it
    /// was archived, then the items added after archiving, with the archive record pointing at
    /// the first, so the copy shows the same "after archiving" marks.
    pub fn clean_copy(&self) -> Result<AutoCommit> {
        let v = self.view();
        let mut late: HashSet<String> = HashSet::new();
        let mut note = |id: &str, after: bool| {
            if after {
                late.insert(id.to_owned());
            }
        };
        v.participants
            .iter()
            .for_each(|i| note(&i.id, i.after_archive));
        v.stories.iter().for_each(|i| note(&i.id, i.after_archive));
        v.logbook.iter().for_each(|i| note(&i.id, i.after_archive));
        v.images.iter().for_each(|i| note(&i.id, i.after_archive));
        v.themes.iter().for_each(|i| note(&i.id, i.after_archive));
        v.postits.iter().for_each(|i| note(&i.id, i.after_archive));
        v.groups.iter().for_each(|i| note(&i.id, i.after_archive));
        v.actions.iter().for_each(|i| note(&i.id, i.after_archive));
        v.offers.iter().for_each(|i| note(&i.id, i.after_archive));
        v.requests.iter().for_each(|i| note(&i.id, i.after_archive));
        let mut out = AutoCommit::new();
        let mut copy = Copy {
            src: &self.doc,
            dst: &mut out,
            late: &late,
            pass: Pass::Before,
        };
        copy.map(&ROOT, &ROOT, 0)?;
        out.put(ROOT, CLEAN_COPY_KEY, true)?;
        out.commit();
        if v.archived.is_some() {
            let heads: Vec<String> = out.get_heads().iter().map(ToString::to_string).collect();
            let mut copy = Copy {
                src: &self.doc,
                dst: &mut out,
                late: &late,
                pass: Pass::Late,
            };
            copy.map(&ROOT, &ROOT, 0)?;
            if let Some(meta) = crate::doc_util::map_at(&out, &ROOT, root::META)
                && let Some(archived) = crate::doc_util::map_at(&out, &meta, "archived")
            {
                crate::doc_util::put_str_list(&mut out, &archived, "heads", &heads)?;
            }
            out.commit();
        }
        Ok(out)
    }

    /// Whether this document is a clean copy (see [`Trajectory::clean_copy`]).
    pub fn is_clean_copy(&self) -> bool {
        crate::doc_util::bool_at(&self.doc, &ROOT, CLEAN_COPY_KEY).unwrap_or(false)
    }
}

/// Collections whose removed items (`deleted_at` set) a clean copy leaves out.
const COLLECTIONS: &[&str] = &[
    root::PARTICIPANTS,
    root::STORIES,
    root::LOGBOOK,
    root::IMAGES,
    root::THEMES,
    root::POSTITS,
    root::GROUPS,
    root::ACTIONS,
    root::OFFERS,
    root::REQUESTS,
];

fn removed(src: &AutoCommit, obj: &ObjId) -> bool {
    crate::doc_util::i64_at(src, obj, "deleted_at").is_some()
}

/// Which items a pass copies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Everything but the items added after archiving.
    Before,
    /// Only the items added after archiving (into the collections of the first pass).
    Late,
}

/// One copying pass from `src` into `dst`.
struct Copy<'a> {
    src: &'a AutoCommit,
    dst: &'a mut AutoCommit,
    late: &'a HashSet<String>,
    pass: Pass,
}

impl Copy<'_> {
    fn map(&mut self, from: &ObjId, to: &ObjId, depth: usize) -> Result<()> {
        for key in self.src.keys(from) {
            let Some((value, id)) = self.src.get(from, key.as_str())? else {
                continue;
            };
            let collection = depth <= 1 && COLLECTIONS.contains(&key.as_str());
            if self.pass == Pass::Late {
                // Walk down to the collections only; everything else is in place already.
                match value {
                    Value::Object(ObjType::Map) if collection => {
                        if let Some(dst_coll) = crate::doc_util::map_at(self.dst, to, &key) {
                            self.items(&id, &dst_coll, depth)?;
                        }
                    }
                    Value::Object(ObjType::Map) if depth == 0 && key == root::MARKET => {
                        if let Some(dst_market) = crate::doc_util::map_at(self.dst, to, &key) {
                            self.map(&id, &dst_market, depth + 1)?;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match value {
                Value::Scalar(s) => {
                    self.dst.put(to, key.as_str(), s.into_owned())?;
                }
                Value::Object(ObjType::Text) => {
                    let text = self.dst.put_object(to, key.as_str(), ObjType::Text)?;
                    self.dst.splice_text(&text, 0, 0, &self.src.text(&id)?)?;
                }
                Value::Object(ObjType::List) => {
                    let list = self.dst.put_object(to, key.as_str(), ObjType::List)?;
                    self.list(&id, &list, depth + 1)?;
                }
                Value::Object(_) => {
                    let map = self.dst.put_object(to, key.as_str(), ObjType::Map)?;
                    if collection {
                        self.items(&id, &map, depth)?;
                    } else {
                        self.map(&id, &map, depth + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Copies the live items of a collection that belong to this pass.
    fn items(&mut self, from: &ObjId, to: &ObjId, depth: usize) -> Result<()> {
        for item in self.src.keys(from) {
            let Some((Value::Object(ObjType::Map), obj)) = self.src.get(from, item.as_str())?
            else {
                continue;
            };
            let late = self.late.contains(&item);
            if removed(self.src, &obj) || late != (self.pass == Pass::Late) {
                continue;
            }
            let copy = self.dst.put_object(to, item.as_str(), ObjType::Map)?;
            let pass = self.pass;
            self.pass = Pass::Before;
            let done = self.map(&obj, &copy, depth + 2);
            self.pass = pass;
            done?;
        }
        Ok(())
    }

    fn list(&mut self, from: &ObjId, to: &ObjId, depth: usize) -> Result<()> {
        for i in 0..self.src.length(from) {
            let Some((value, id)) = self.src.get(from, i)? else {
                continue;
            };
            match value {
                Value::Scalar(s) => {
                    self.dst.insert(to, i, s.into_owned())?;
                }
                Value::Object(ObjType::Text) => {
                    let text = self.dst.insert_object(to, i, ObjType::Text)?;
                    self.dst.splice_text(&text, 0, 0, &self.src.text(&id)?)?;
                }
                Value::Object(ObjType::List) => {
                    let list = self.dst.insert_object(to, i, ObjType::List)?;
                    self.list(&id, &list, depth + 1)?;
                }
                Value::Object(_) => {
                    let map = self.dst.insert_object(to, i, ObjType::Map)?;
                    self.map(&id, &map, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{NewPostIt, Trajectory};

    #[test]
    fn a_clean_copy_reads_the_same_and_holds_no_removed_text_or_history() {
        let (mut t, init) = fresh();
        let keep = t
            .add_postit(NewPostIt {
                text: "Blijft".into(),
                author: Some(init.clone()),
                ..Default::default()
            })
            .unwrap();
        let gone = t
            .add_postit(NewPostIt {
                text: "Weggehaald geheim".into(),
                ..Default::default()
            })
            .unwrap();
        t.set_postit_text(&keep, "Blijft staan").unwrap();
        t.delete_postit(&gone).unwrap();
        t.add_offer("Digibordles", &["Bram".into()], &["ict".into()])
            .unwrap();
        let mut copy = t.clean_copy().unwrap();
        let bytes = copy.save();
        assert_eq!(copy.get_changes(&[]).len(), 1, "no history: one change");
        let haystack = String::from_utf8_lossy(
            &automerge::AutoCommit::load(&bytes)
                .unwrap()
                .save_nocompress(),
        )
        .into_owned();
        assert!(!haystack.contains("Weggehaald"));
        let clean = Trajectory::from_doc(copy).unwrap();
        assert!(clean.is_clean_copy() && !t.is_clean_copy());
        let (a, b) = (t.view(), clean.view());
        assert_eq!(a.postits, b.postits);
        assert_eq!(a.offers, b.offers);
        assert_eq!(a.participants, b.participants);
        assert_eq!((a.title, a.phase, a.letter), (b.title, b.phase, b.letter));
    }

    #[test]
    fn an_archived_trajectory_keeps_its_after_archive_marks() {
        let (mut t, init) = fresh();
        t.add_postit(NewPostIt {
            text: "Ervoor".into(),
            ..Default::default()
        })
        .unwrap();
        // A laptop that was offline adds a post-it while the initiator archives.
        let mut other = Trajectory::from_doc(t.doc_mut().fork()).unwrap();
        t.archive(&init).unwrap();
        other
            .add_postit(NewPostIt {
                text: "Erna".into(),
                ..Default::default()
            })
            .unwrap();
        let mut late = other.into_doc();
        t.doc_mut().merge(&mut late).unwrap();
        let before = t.view();
        assert!(before.postits.iter().any(|p| p.after_archive));
        let clean = Trajectory::from_doc(t.clean_copy().unwrap()).unwrap();
        let after = clean.view();
        assert_eq!(before.postits, after.postits);
        assert!(after.archived.is_some());
    }
}
