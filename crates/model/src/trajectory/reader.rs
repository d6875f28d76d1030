//! [`Reader`]: the getters the read view is built from, answered either by a one-pass
//! [`Snapshot`](super::snapshot::Snapshot) of the whole document (a full hydration) or by the
//! document itself ([`DocReader`], for re-reading a few items after a change).

use automerge::{AutoCommit, ObjId};

use crate::doc_util;

/// The getters of `doc_util`, as one interface.
pub(crate) trait Reader {
    /// Like [`doc_util::map_at`].
    fn map_at(&self, obj: &ObjId, key: &str) -> Option<ObjId>;
    /// Like [`doc_util::list_at`].
    fn list_at(&self, obj: &ObjId, key: &str) -> Option<ObjId>;
    /// Like [`doc_util::str_at`].
    fn str_at(&self, obj: &ObjId, key: &str) -> Option<String>;
    /// Like [`doc_util::all_str_at`].
    fn all_str_at(&self, obj: &ObjId, key: &str) -> Vec<String>;
    /// Like [`doc_util::i64_at`].
    fn i64_at(&self, obj: &ObjId, key: &str) -> Option<i64>;
    /// Like [`doc_util::f64_at`].
    fn f64_at(&self, obj: &ObjId, key: &str) -> Option<f64>;
    /// Like [`doc_util::bool_at`].
    fn bool_at(&self, obj: &ObjId, key: &str) -> Option<bool>;
    /// Like [`doc_util::keys`].
    fn keys(&self, obj: &ObjId) -> Vec<String>;
    /// Like [`doc_util::str_list`].
    fn str_list(&self, list: &ObjId) -> Vec<String>;
    /// Like [`doc_util::str_set_at`].
    fn str_set_at(&self, obj: &ObjId, key: &str) -> Vec<String>;
}

/// Reads straight from the document (a seek per getter: for a few items, not for all).
pub(crate) struct DocReader<'d>(pub(crate) &'d AutoCommit);

impl Reader for DocReader<'_> {
    fn map_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        doc_util::map_at(self.0, obj, key)
    }
    fn list_at(&self, obj: &ObjId, key: &str) -> Option<ObjId> {
        doc_util::list_at(self.0, obj, key)
    }
    fn str_at(&self, obj: &ObjId, key: &str) -> Option<String> {
        doc_util::str_at(self.0, obj, key)
    }
    fn all_str_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        doc_util::all_str_at(self.0, obj, key)
    }
    fn i64_at(&self, obj: &ObjId, key: &str) -> Option<i64> {
        doc_util::i64_at(self.0, obj, key)
    }
    fn f64_at(&self, obj: &ObjId, key: &str) -> Option<f64> {
        doc_util::f64_at(self.0, obj, key)
    }
    fn bool_at(&self, obj: &ObjId, key: &str) -> Option<bool> {
        doc_util::bool_at(self.0, obj, key)
    }
    fn keys(&self, obj: &ObjId) -> Vec<String> {
        doc_util::keys(self.0, obj)
    }
    fn str_list(&self, list: &ObjId) -> Vec<String> {
        doc_util::str_list(self.0, list)
    }
    fn str_set_at(&self, obj: &ObjId, key: &str) -> Vec<String> {
        doc_util::str_set_at(self.0, obj, key)
    }
}
