//! Small typed helpers over automerge's read and write API.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::ModelError;

/// The map object at `obj[key]`, if there is one.
pub(crate) fn map_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// The list object at `obj[key]`, if there is one.
pub(crate) fn list_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::List), id))) => Some(id),
        _ => None,
    }
}

/// A string scalar (or the content of a Text object) at `obj[key]`.
pub(crate) fn str_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => s.as_str().map(str::to_owned),
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).ok(),
        _ => None,
    }
}

/// Every concurrent value of a string field (more than one while a conflict stands), sorted.
pub(crate) fn all_str_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Vec<String> {
    let mut out: Vec<String> = doc
        .get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => s.as_str().map(str::to_owned),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// An integer at `obj[key]`.
pub(crate) fn i64_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => scalar_i64(s.as_ref()),
        _ => None,
    }
}

/// An integer from a scalar (ints, unsigned ints, floats truncated, timestamps).
pub(crate) fn scalar_i64(s: &ScalarValue) -> Option<i64> {
    match s {
        ScalarValue::Int(i) => Some(*i),
        ScalarValue::Uint(u) => i64::try_from(*u).ok(),
        ScalarValue::F64(f) => Some(*f as i64),
        ScalarValue::Timestamp(t) => Some(*t),
        _ => None,
    }
}

/// A float at `obj[key]`.
pub(crate) fn f64_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<f64> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => scalar_f64(s.as_ref()),
        _ => None,
    }
}

/// A float from a scalar (floats, ints, unsigned ints).
pub(crate) fn scalar_f64(s: &ScalarValue) -> Option<f64> {
    match s {
        ScalarValue::F64(f) => Some(*f),
        ScalarValue::Int(i) => Some(*i as f64),
        ScalarValue::Uint(u) => Some(*u as f64),
        _ => None,
    }
}

/// A boolean at `obj[key]`.
pub(crate) fn bool_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<bool> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => s.as_bool(),
        _ => None,
    }
}

/// The keys of the map at `obj` (sorted, as automerge keeps them).
pub(crate) fn keys<R: ReadDoc>(doc: &R, obj: &ObjId) -> Vec<String> {
    doc.keys(obj).collect()
}

/// The strings in a list object.
pub(crate) fn str_list<R: ReadDoc>(doc: &R, list: &ObjId) -> Vec<String> {
    let len = doc.length(list);
    (0..len)
        .filter_map(|i| match doc.get(list, i) {
            Ok(Some((Value::Scalar(s), _))) => s.as_str().map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// Creates a Text object at `obj[key]` holding `text`.
pub(crate) fn put_text(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    text: &str,
) -> Result<ObjId, ModelError> {
    let id = doc.put_object(obj, key, ObjType::Text)?;
    if !text.is_empty() {
        doc.splice_text(&id, 0, 0, text)?;
    }
    Ok(id)
}

/// Replaces the content of the Text at `obj[key]` with `text` using a minimal diff, so
/// concurrent edits by others in other parts of the text survive. Creates the Text if absent.
pub(crate) fn update_text_at(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    text: &str,
) -> Result<(), ModelError> {
    match doc.get(obj, key)? {
        Some((Value::Object(ObjType::Text), id)) => {
            doc.update_text(&id, text)?;
        }
        _ => {
            put_text(doc, obj, key, text)?;
        }
    }
    Ok(())
}

/// Creates a list of strings at `obj[key]`.
pub(crate) fn put_str_list(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    items: &[String],
) -> Result<ObjId, ModelError> {
    let list = doc.put_object(obj, key, ObjType::List)?;
    for (i, item) in items.iter().enumerate() {
        doc.insert(&list, i, item.as_str())?;
    }
    Ok(list)
}

/// Creates a map at `obj[key]` whose keys are `items`, each set to `true` (a set).
pub(crate) fn put_str_set(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    items: &[String],
) -> Result<ObjId, ModelError> {
    let map = doc.put_object(obj, key, ObjType::Map)?;
    for item in items {
        doc.put(&map, item.as_str(), true)?;
    }
    Ok(map)
}

/// The keys of a set-map at `obj[key]` whose value is `true`.
pub(crate) fn str_set_at<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Vec<String> {
    match map_at(doc, obj, key) {
        Some(set) => keys(doc, &set)
            .into_iter()
            .filter(|k| bool_at(doc, &set, k).unwrap_or(false))
            .collect(),
        None => Vec::new(),
    }
}
