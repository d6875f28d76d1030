//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses a different subset
// Test-only helpers: failing loudly is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

/// A fresh, valid trajectory id (random, UUIDv7-like hex form).
pub fn new_id() -> TrajectoryId {
    let bytes: [u8; 16] = rand::random();
    TrajectoryId::parse(&hex::encode(bytes)).unwrap()
}

/// A new document with an `items` map at the root, like the model's collections.
pub fn doc_with_items() -> AutoCommit {
    let mut doc = AutoCommit::new();
    doc.put_object(ROOT, "items", ObjType::Map).unwrap();
    doc.commit();
    doc
}

/// Creates a trajectory holding an empty `items` map.
pub fn create_trajectory(data: &DataDir) -> (TrajectoryId, TrajectoryStore, AutoCommit) {
    let id = new_id();
    let mut doc = doc_with_items();
    let store = TrajectoryStore::create(data, &id, &mut doc).unwrap();
    (id, store, doc)
}

/// The `items` map's id.
pub fn items_obj(doc: &AutoCommit) -> ObjId {
    match doc.get(ROOT, "items").unwrap() {
        Some((_, id)) => id,
        None => panic!("document has no items map"),
    }
}

/// Adds one item as its own change.
pub fn add_item(doc: &mut AutoCommit, key: &str) {
    let items = items_obj(doc);
    doc.put(&items, key, key).unwrap();
    doc.commit();
}

/// The keys of the `items` map.
pub fn item_keys(doc: &AutoCommit) -> BTreeSet<String> {
    doc.keys(items_obj(doc)).collect()
}

/// Every file under `dir` (recursively) with its bytes.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The names of the chunk files (`.snap`/`.chg`) in a trajectory directory.
pub fn chunk_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".snap") || n.ends_with(".chg"))
        .collect();
    names.sort();
    names
}

/// Writes a format-1 `.chg` file holding `changes` (one record each), the way Leerrijk saved
/// every edit before change logs existed, as an old data directory has them. Written from
/// the format description, independently of the store's own code. Returns its path.
pub fn write_legacy_chg(dir: &Path, changes: &[Vec<u8>]) -> std::path::PathBuf {
    let check4 = |bytes: &[u8]| blake3::hash(bytes).as_bytes()[..4].to_vec();
    let mut out = b"LRKCHUNK".to_vec();
    out.extend_from_slice(&1u32.to_le_bytes());
    out.push(2); // kind: changes
    out.extend_from_slice(&(changes.len() as u32).to_le_bytes());
    let check = check4(&out);
    out.extend_from_slice(&check);
    for change in changes {
        let len = (change.len() as u64).to_le_bytes();
        out.extend_from_slice(&len);
        out.extend_from_slice(&check4(&len));
        out.extend_from_slice(blake3::hash(change).as_bytes());
        out.extend_from_slice(change);
    }
    let path = dir.join(format!("{}.chg", blake3::hash(&out).to_hex()));
    fs::write(&path, &out).unwrap();
    path
}

/// The names of the change logs (`.log`) in a trajectory directory.
pub fn log_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".log"))
        .collect();
    names.sort();
    names
}
