//! A one-pass snapshot of the document for hydrating the read view.
//!
//! automerge 0.12 looks up every `get` by seeking a dozen columns of its op set: a few
//! microseconds each on a document of millions of ops, so reading 20,000 post-its field by field
//! took seconds. [`Snapshot::of`] walks the whole document once with [`ReadDoc::iter`] (a
//! sequential scan) and keeps every visible value by object, so the view is built from plain
//! in-memory lookups. It answers exactly what the `doc_util` getters answer; only a field with
//! a concurrent conflict goes back to the document (`get_all`).

use std::collections::HashMap;

use automerge::iter::{DocItem, Span};
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::doc_util;

/// One object's visible content.
enum Obj {
    /// Map entries in key order: key, value, child object id (for object values), conflict.
    Map(Vec<(String, Value<'static>, Option<ObjId>, bool)>),
    /// List elements in order.
    List(Vec<Value<'static>>),
    /// Text content; `None` when it holds block markers (then the document is asked).
    Text(Option<String>),
}

/// Every visible value of the document, by object.
pub(crate) struct Snapshot<'d> {
    doc: &'d AutoCommit,
    objs: HashMap<ObjId, Obj>,
}

impl<'d> Snapshot<'d> {
    /// Reads the whole document in one pass.
    pub(crate) fn of(doc: &'d AutoCommit) -> Self {
        let mut objs: HashMap<ObjId, Obj> = HashMap::new();
        for item in doc.iter() {
            match item.item {
                DocItem::Map(m) => {
                    let child = matches!(m.value, automerge::ValueRef::Object(_)).then(|| m.id());
                    let entry = objs
                        .entry((*item.obj).clone())
                        .or_insert_with(|| Obj::Map(Vec::new()));
                    if let Obj::Map(entries) = entry {
                        entries.push((m.key.into_owned(), m.value.into(), child, m.conflict));
                    }
                }
                DocItem::List(l) => {
                    let entry = objs
                        .entry((*item.obj).clone())
                        .or_insert_with(|| Obj::List(Vec::new()));
                    if let Obj::List(values) = entry {
                        values.push(l.value.into());
                    }
                }
                DocItem::Text(span) => {
                    let entry = objs
                        .entry((*item.obj).clone())
                        .or_insert_with(|| Obj::Text(Some(String::new())));
                    if let Obj::Text(text) = entry {
                        match (span, text.as_mut()) {
                            (Span::Text { text: t, .. }, Some(s)) => s.push_str(&t),
                            _ => *text = None,
                        }
                    }
                }
            }
        }
        for obj in objs.values_mut() {
            if let Obj::Map(entries) = obj
                && !entries.is_sorted_by(|a, b| a.0 <= b.0)
            {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        Snapshot { doc, objs }
    }

    fn entry(
        &self,
        obj: &ObjId,
        key: &str,
    ) -> Option<&(String, Value<'static>, Option<ObjId>, bool)> {
        match self.objs.get(obj)? {
            Obj::Map(entries) => entries
                .binary_search_by(|e| e.0.as_str().cmp(key))
                .ok()
                .map(|i| &entries[i]),
            _ => None,
        }
    }

    /// Like [`doc_util::map_at`].
    pub(crate) fn map_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        match self.entry(obj, key)? {
            (_, Value::Object(ObjType::Map), Some(id), _) => Some(id.clone()),
            _ => None,
        }
    }

    /// Like [`doc_util::list_at`].
    pub(crate) fn list_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        match self.entry(obj, key)? {
            (_, Value::Object(ObjType::List), Some(id), _) => Some(id.clone()),
            _ => None,
        }
    }

    fn scalar(&self, obj: &ObjId, key: &str) -> Option<&ScalarValue> {
        match self.entry(obj, key)? {
            (_, Value::Scalar(s), _, _) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// Like [`doc_util::str_at`]: a string scalar or the content of a Text.
    pub(crate) fn str_at(&self, obj: &ObjId, key: &str) -> Option<String> {
        match self.entry(obj, key)? {
            (_, Value::Scalar(s), _, _) => s.as_str().map(str::to_owned),
            (_, Value::Object(ObjType::Text), Some(id), _) => match self.objs.get(id) {
                None => Some(String::new()),
                Some(Obj::Text(Some(t))) => Some(t.clone()),
                Some(_) => self.doc.text(id).ok(),
            },
            _ => None,
        }
    }

    /// Like [`doc_util::all_str_at`]: every concurrent string value, sorted.
    pub(crate) fn all_str_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        match self.entry(obj, key) {
            None => Vec::new(),
            Some((_, _, _, true)) => doc_util::all_str_at(self.doc, obj, key),
            Some((_, Value::Scalar(s), _, false)) => {
                s.as_str().map(|s| vec![s.to_owned()]).unwrap_or_default()
            }
            Some(_) => Vec::new(),
        }
    }

    /// Like [`doc_util::i64_at`].
    pub(crate) fn i64_at(&self, obj: &ObjId, key: &str) -> Option<i64> {
        doc_util::scalar_i64(self.scalar(obj, key)?)
    }

    /// Like [`doc_util::f64_at`].
    pub(crate) fn f64_at(&self, obj: &ObjId, key: &str) -> Option<f64> {
        doc_util::scalar_f64(self.scalar(obj, key)?)
    }

    /// Like [`doc_util::bool_at`].
    pub(crate) fn bool_at(&self, obj: &ObjId, key: &str) -> Option<bool> {
        self.scalar(obj, key)?.as_bool()
    }

    /// Like [`doc_util::keys`]: the keys of a map, sorted.
    pub(crate) fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.objs.get(obj) {
            Some(Obj::Map(entries)) => entries.iter().map(|e| e.0.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Like [`doc_util::str_list`]: the strings in a list.
    pub(crate) fn str_list(&self, list: &ObjId) -> Vec<String> {
        match self.objs.get(list) {
            Some(Obj::List(values)) => values
                .iter()
                .filter_map(|v| match v {
                    Value::Scalar(s) => s.as_str().map(str::to_owned),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Like [`doc_util::str_set_at`]: the keys of a set-map whose value is `true`.
    pub(crate) fn str_set_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        match self.map_at(obj, key).and_then(|set| self.objs.get(&set)) {
            Some(Obj::Map(entries)) => entries
                .iter()
                .filter(|e| matches!(&e.1, Value::Scalar(s) if s.as_bool() == Some(true)))
                .map(|e| e.0.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl super::reader::Reader for Snapshot<'_> {
    fn map_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        Snapshot::map_at(self, obj, key)
    }
    fn list_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        Snapshot::list_at(self, obj, key)
    }
    fn str_at(&self, obj: &ObjId, key: &str) -> Option<String> {
        Snapshot::str_at(self, obj, key)
    }
    fn all_str_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        Snapshot::all_str_at(self, obj, key)
    }
    fn i64_at(&self, obj: &ObjId, key: &str) -> Option<i64> {
        Snapshot::i64_at(self, obj, key)
    }
    fn f64_at(&self, obj: &ObjId, key: &str) -> Option<f64> {
        Snapshot::f64_at(self, obj, key)
    }
    fn bool_at(&self, obj: &ObjId, key: &str) -> Option<bool> {
        Snapshot::bool_at(self, obj, key)
    }
    fn keys(&self, obj: &ObjId) -> Vec<String> {
        Snapshot::keys(self, obj)
    }
    fn str_list(&self, list: &ObjId) -> Vec<String> {
        Snapshot::str_list(self, list)
    }
    fn str_set_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        Snapshot::str_set_at(self, obj, key)
    }
}

#[cfg(test)]
mod tests {
    use automerge::{ROOT, ReadDoc};

    use super::*;
    use crate::generate::{GenSpec, generate};
    use crate::{Polarity, Trajectory};

    /// Compares every getter of the snapshot with the document's own answer, for every key of
    /// every object reachable from the root.
    fn check_same(doc: &AutoCommit) -> usize {
        let s = Snapshot::of(doc);
        let mut todo = vec![ROOT];
        let mut checked = 0;
        while let Some(obj) = todo.pop() {
            assert_eq!(s.keys(&obj), doc_util::keys(doc, &obj));
            for key in doc_util::keys(doc, &obj) {
                let k = key.as_str();
                assert_eq!(s.map_at(&obj, k), doc_util::map_at(doc, &obj, k), "{k}");
                assert_eq!(s.list_at(&obj, k), doc_util::list_at(doc, &obj, k), "{k}");
                assert_eq!(s.str_at(&obj, k), doc_util::str_at(doc, &obj, k), "{k}");
                assert_eq!(
                    s.all_str_at(&obj, k),
                    doc_util::all_str_at(doc, &obj, k),
                    "{k}"
                );
                assert_eq!(s.i64_at(&obj, k), doc_util::i64_at(doc, &obj, k), "{k}");
                assert_eq!(s.f64_at(&obj, k), doc_util::f64_at(doc, &obj, k), "{k}");
                assert_eq!(s.bool_at(&obj, k), doc_util::bool_at(doc, &obj, k), "{k}");
                assert_eq!(
                    s.str_set_at(&obj, k),
                    doc_util::str_set_at(doc, &obj, k),
                    "{k}"
                );
                if let Some(list) = doc_util::list_at(doc, &obj, k) {
                    assert_eq!(s.str_list(&list), doc_util::str_list(doc, &list));
                }
                if let Some(child) = doc_util::map_at(doc, &obj, k) {
                    todo.push(child);
                }
                checked += 1;
            }
        }
        checked
    }

    #[test]
    fn snapshot_answers_like_the_document() {
        let spec = GenSpec {
            participants: 6,
            postits: 40,
            stories: 4,
            offers: 3,
            history_rounds: 2,
            seed: 11,
        };
        let mut a = generate(&spec).unwrap().trajectory;
        let v = a.view();
        let (th1, th2) = (v.themes[0].id.clone(), v.themes[1].id.clone());
        let p = v.postits[0].id.clone();
        // Concurrent edits: a theme renamed twice, a post-it moved to two themes.
        let mut b = Trajectory::from_doc(a.doc_mut().fork()).unwrap();
        a.rename_theme(&th1, "Tijd").unwrap();
        b.rename_theme(&th1, "Ruimte").unwrap();
        a.move_postit(&p, Some(&th1)).unwrap();
        b.move_postit(&p, Some(&th2)).unwrap();
        b.add_theme("Nieuw", Polarity::Negative, None).unwrap();
        a.doc_mut().merge(b.doc_mut()).unwrap();
        let checked = check_same(a.doc());
        assert!(checked > 500, "{checked}");
        let v = a.view();
        assert_eq!(v.themes[0].title_conflicts.len(), 2);
        assert_eq!(v.postits[0].theme_conflicts.len(), 2);
    }

    #[test]
    fn snapshot_of_a_fresh_trajectory() {
        let (t, _) = crate::trajectory::test_support::fresh();
        check_same(t.doc());
        assert!(doc_util::str_at(t.doc(), &ROOT, "id").is_some());
        let _ = t.doc().length(ROOT);
    }
}
