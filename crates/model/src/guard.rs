//! The one check every change from outside this laptop passes before it is applied.
//!
//! A peer's sync message, an imported `.automerge` file and the records the store loads all
//! carry automerge *change chunks*. Automerge applies whatever they say, so a modified client
//! could send a 4 KB change that inserts two million characters into one post-it (an "op
//! bomb" of a gigabyte in memory on every laptop), add a million keys to a collection, or nest
//! objects without end. [`check_changes`] decodes the changes *before* they touch the
//! document and refuses the whole batch when one of them breaks the model's limits:
//!
//! * a change with more than [`MAX_OPS_PER_CHANGE`] operations (our largest edit, the
//!   information letter, is [`limits::LETTER`] characters);
//! * a string value longer than [`MAX_SCALAR_BYTES`] bytes, or a bytes value longer than
//!   [`MAX_SCALAR_BYTES`], or a map key longer than [`MAX_KEY_BYTES`];
//! * a text that would grow past the limit of its field (the letter, story answers and
//!   logbook texts, every other text: [`limits`]);
//! * a map that would hold more than [`MAX_MAP_KEYS`] keys or a list more than
//!   [`MAX_LIST_ITEMS`] items;
//! * an object nested deeper than [`MAX_DEPTH`] (the schema needs five levels), tables and
//!   marks (the schema uses neither);
//! * anything that is not a change chunk (a whole-document chunk cannot be inspected before
//!   it is applied; Leerrijk's own peers send only change chunks).
//!
//! What passes here can still be nonsense of the right size (a phase of 99, a title that is a
//! number): the read view treats the document as untrusted and leaves such values out
//! ([`crate::view::TrajectoryView::ignored`]).

use std::collections::HashMap;

use automerge::legacy::{Key, ObjectId, OpType};
use automerge::{AutoCommit, Change, ObjType, Prop, ReadDoc, ScalarValue};

use crate::schema::limits;

/// Most operations one change may carry.
pub const MAX_OPS_PER_CHANGE: usize = limits::LETTER + 20_000;
/// Longest string or bytes value, in bytes (the longest scalar the schema writes is a
/// placement note of [`limits::NOTE`] characters; longer texts are `Text` objects of one
/// character per operation).
pub const MAX_SCALAR_BYTES: usize = 4 * limits::NOTE + 64;
/// Longest map key, in bytes (ids, device ids, names used as keys in a set).
pub const MAX_KEY_BYTES: usize = 4 * limits::LABEL;
/// Most keys one map may hold (a collection of post-its, themes, …).
pub const MAX_MAP_KEYS: usize = 100_000;
/// Most items one list may hold (a ranking, tags, the archive's heads).
pub const MAX_LIST_ITEMS: usize = 10_000;
/// Deepest nesting of objects below the root.
pub const MAX_DEPTH: usize = 6;

/// Why a batch of incoming changes was refused. Nothing of the batch was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The bytes are not a sequence of automerge change chunks.
    #[error("not an automerge change: {0}")]
    NotAChange(String),
    /// A whole-document chunk, which cannot be checked before it is applied.
    #[error("a whole document instead of separate changes (sent by an older or modified app)")]
    WholeDocument,
    /// A change with too many operations.
    #[error("a change with {ops} operations (at most {max})")]
    TooManyOps {
        /// Operations in the change.
        ops: usize,
        /// The limit.
        max: usize,
    },
    /// A value that is too long.
    #[error("a value of {len} bytes (at most {max})")]
    ValueTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A text that would grow past its field's limit.
    #[error("text {path} would hold {len} characters (at most {max})")]
    TextTooLong {
        /// Where the text is (keys from the root).
        path: String,
        /// Its length after the batch.
        len: usize,
        /// The field's limit.
        max: usize,
    },
    /// A map or list that would hold too many entries.
    #[error("{path} would hold {len} entries (at most {max})")]
    TooManyEntries {
        /// Where the map or list is.
        path: String,
        /// Entries after the batch.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Objects nested too deep.
    #[error("objects nested {depth} levels deep (at most {max})")]
    TooDeep {
        /// The depth.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// A kind of value the schema never uses.
    #[error("{0}, which Leerrijk documents never contain")]
    Unsupported(&'static str),
}

/// What a batch that passed held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Changes in the batch.
    pub changes: usize,
    /// Operations in the batch.
    pub ops: usize,
}

/// The chunk type byte of an automerge document chunk.
const CHUNK_DOCUMENT: u8 = 0;
/// Magic bytes every automerge chunk starts with.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Splits concatenated automerge chunks (magic, checksum, type, LEB128 length, data).
pub fn split_chunks(bytes: &[u8]) -> Result<Vec<(u8, &[u8])>, Refusal> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.len() < 9 || rest[..4] != MAGIC {
            return Err(Refusal::NotAChange("no chunk header".into()));
        }
        let kind = rest[8];
        let (len, used) =
            read_uleb(&rest[9..]).ok_or_else(|| Refusal::NotAChange("bad chunk length".into()))?;
        let total = 9usize
            .checked_add(used)
            .and_then(|n| n.checked_add(len))
            .filter(|n| *n <= rest.len())
            .ok_or_else(|| Refusal::NotAChange("chunk longer than its bytes".into()))?;
        out.push((kind, &rest[..total]));
        rest = &rest[total..];
    }
    Ok(out)
}

fn read_uleb(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((usize::try_from(value).ok()?, i + 1));
        }
    }
    None
}

/// Checks change chunks (each a byte slice that may itself hold several concatenated chunks)
/// against `doc` as it is now, before they are applied to it. Refuses the whole batch on the
/// first violation.
pub fn check_changes<'a>(
    doc: &AutoCommit,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Checked, Refusal> {
    let mut batch = Batch::new(doc);
    for bytes in chunks {
        for (kind, chunk) in split_chunks(bytes)? {
            if kind == CHUNK_DOCUMENT {
                return Err(Refusal::WholeDocument);
            }
            let change = Change::try_from(chunk).map_err(|e| Refusal::NotAChange(e.to_string()))?;
            batch.add(&change)?;
        }
    }
    batch.finish()
}

/// [`check_changes`] as a sync host answers it: the one-line reason of a refusal (what
/// `DocumentHost::check_incoming` of the sync crate returns).
pub fn check_incoming(doc: &AutoCommit, changes: &[&[u8]]) -> Result<Checked, String> {
    check_changes(doc, changes.iter().copied()).map_err(|e| e.to_string())
}

/// Checks changes that are already decoded (e.g. every change of a loaded file) as if they
/// were applied, in order, to `doc`.
pub fn check_decoded<'a>(
    doc: &AutoCommit,
    changes: impl IntoIterator<Item = &'a Change>,
) -> Result<Checked, Refusal> {
    let mut batch = Batch::new(doc);
    for change in changes {
        batch.add(change)?;
    }
    batch.finish()
}

/// An object named by an operation: the root, or the id of the operation that made it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ObjRef {
    Root,
    Op(String),
}

/// Where an object made in this batch hangs.
#[derive(Debug, Clone)]
struct NewObj {
    parent: ObjRef,
    key: String,
    typ: ObjType,
}

/// The running state of one batch.
struct Batch<'d> {
    doc: &'d AutoCommit,
    checked: Checked,
    made: HashMap<ObjRef, NewObj>,
    /// Characters or items added (minus removed) per text or list.
    growth: HashMap<ObjRef, i64>,
    /// Keys added per map.
    new_keys: HashMap<ObjRef, usize>,
    /// Keys already counted, per map.
    seen_keys: std::collections::HashSet<(ObjRef, String)>,
}

impl<'d> Batch<'d> {
    fn new(doc: &'d AutoCommit) -> Self {
        Batch {
            doc,
            checked: Checked::default(),
            made: HashMap::new(),
            growth: HashMap::new(),
            new_keys: HashMap::new(),
            seen_keys: Default::default(),
        }
    }

    fn add(&mut self, change: &Change) -> Result<(), Refusal> {
        let ops = change.len();
        if ops > MAX_OPS_PER_CHANGE {
            return Err(Refusal::TooManyOps {
                ops,
                max: MAX_OPS_PER_CHANGE,
            });
        }
        self.checked.changes += 1;
        self.checked.ops += ops;
        let start = change.start_op().get();
        let actor = change.actor_id().to_hex_string();
        for (i, op) in change.decode().operations.iter().enumerate() {
            let obj = match &op.obj {
                ObjectId::Root => ObjRef::Root,
                ObjectId::Id(id) => ObjRef::Op(id.to_string()),
            };
            let map_key = match &op.key {
                Key::Map(k) => Some(k.to_string()),
                Key::Seq(_) => None,
            };
            if let Some(k) = &map_key
                && k.len() > MAX_KEY_BYTES
            {
                return Err(Refusal::ValueTooLong {
                    len: k.len(),
                    max: MAX_KEY_BYTES,
                });
            }
            match &op.action {
                OpType::Make(typ) => {
                    if matches!(typ, ObjType::Table) {
                        return Err(Refusal::Unsupported("a table"));
                    }
                    let id = ObjRef::Op(format!("{}@{}", start + i as u64, actor));
                    self.made.insert(
                        id,
                        NewObj {
                            parent: obj.clone(),
                            key: map_key.clone().unwrap_or_else(|| "[]".into()),
                            typ: *typ,
                        },
                    );
                }
                OpType::Put(value) => check_scalar(value)?,
                OpType::Delete => {
                    if map_key.is_none() {
                        *self.growth.entry(obj.clone()).or_default() -= 1;
                    }
                    continue;
                }
                OpType::Increment(_) => continue,
                OpType::MarkBegin(_) | OpType::MarkEnd(_) => {
                    return Err(Refusal::Unsupported("a mark"));
                }
            }
            match map_key {
                Some(k)
                    if self.seen_keys.insert((obj.clone(), k.clone()))
                        && !self.has_key(&obj, &k) =>
                {
                    *self.new_keys.entry(obj).or_default() += 1;
                }
                Some(_) => {}
                None if op.insert => {
                    let grow = match &op.action {
                        OpType::Put(ScalarValue::Str(s)) => s.chars().count().max(1) as i64,
                        _ => 1,
                    };
                    *self.growth.entry(obj).or_default() += grow;
                }
                None => {}
            }
        }
        Ok(())
    }

    /// Whether the map `obj` already has key `k` in the document.
    fn has_key(&self, obj: &ObjRef, k: &str) -> bool {
        match self.existing(obj) {
            Some(id) => self.doc.get(&id, k).ok().flatten().is_some(),
            None => false,
        }
    }

    /// The document's id of an object that exists there.
    fn existing(&self, obj: &ObjRef) -> Option<automerge::ObjId> {
        match obj {
            ObjRef::Root => Some(automerge::ROOT),
            ObjRef::Op(s) => self.doc.import(s).ok().map(|(id, _)| id),
        }
    }

    /// The keys from the root down to `obj`, or `None` when the object is in neither the
    /// document nor this batch.
    fn path(&self, obj: &ObjRef) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut cur = obj.clone();
        loop {
            if cur == ObjRef::Root {
                out.reverse();
                return Some(out);
            }
            if let Some(made) = self.made.get(&cur) {
                out.push(made.key.clone());
                cur = made.parent.clone();
                if out.len() > MAX_DEPTH + 1 {
                    out.reverse();
                    return Some(out);
                }
                continue;
            }
            let id = self.existing(&cur)?;
            let parents = self.doc.parents(&id).ok()?;
            let mut above: Vec<String> = parents
                .map(|p| match p.prop {
                    Prop::Map(k) => k,
                    Prop::Seq(_) => "[]".into(),
                })
                .collect();
            // `parents` goes upwards; `out` is built upwards too.
            out.append(&mut above);
            out.reverse();
            return Some(out);
        }
    }

    fn finish(self) -> Result<Checked, Refusal> {
        for obj in self.made.keys() {
            let depth = self.path(obj).map(|p| p.len()).unwrap_or(MAX_DEPTH + 1);
            if depth > MAX_DEPTH {
                return Err(Refusal::TooDeep {
                    depth,
                    max: MAX_DEPTH,
                });
            }
        }
        for (obj, grow) in &self.growth {
            if *grow <= 0 {
                continue;
            }
            let (typ, existing_len) = match self.existing(obj) {
                Some(id) => (self.doc.object_type(&id).ok(), self.doc.length(&id) as i64),
                None => (self.made.get(obj).map(|m| m.typ), 0),
            };
            let len = usize::try_from(existing_len + grow).unwrap_or(0);
            let path = self.path(obj).unwrap_or_default();
            let shown = path.join("/");
            match typ {
                Some(ObjType::Text) => {
                    let max = text_limit(&path);
                    if len > max {
                        return Err(Refusal::TextTooLong {
                            path: shown,
                            len,
                            max,
                        });
                    }
                }
                _ => {
                    if len > MAX_LIST_ITEMS {
                        return Err(Refusal::TooManyEntries {
                            path: shown,
                            len,
                            max: MAX_LIST_ITEMS,
                        });
                    }
                }
            }
        }
        for (obj, added) in &self.new_keys {
            let existing = match self.existing(obj) {
                Some(id) => self.doc.length(&id),
                None => 0,
            };
            let len = existing + added;
            if len > MAX_MAP_KEYS {
                return Err(Refusal::TooManyEntries {
                    path: self.path(obj).unwrap_or_default().join("/"),
                    len,
                    max: MAX_MAP_KEYS,
                });
            }
        }
        Ok(self.checked)
    }
}

/// The length limit of a text at `path` (keys from the root), in characters.
fn text_limit(path: &[String]) -> usize {
    let key = |i: usize| path.get(i).map(String::as_str);
    match (key(0), key(2), key(3)) {
        (Some("meta"), _, _) if key(1) == Some("letter") => limits::LETTER,
        (Some("stories"), Some("answers"), Some(_)) => limits::ANSWER,
        (Some("logbook"), Some("text"), _) => limits::ANSWER,
        _ => limits::NOTE,
    }
}

fn check_scalar(value: &ScalarValue) -> Result<(), Refusal> {
    let len = match value {
        ScalarValue::Str(s) => s.len(),
        ScalarValue::Bytes(b) => b.len(),
        ScalarValue::Unknown { bytes, .. } => bytes.len(),
        _ => 0,
    };
    if len > MAX_SCALAR_BYTES {
        return Err(Refusal::ValueTooLong {
            len,
            max: MAX_SCALAR_BYTES,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
