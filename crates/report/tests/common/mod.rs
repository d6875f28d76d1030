//! Shared helpers for the report's tests.
#![allow(dead_code)]

use std::collections::HashMap;

use leerrijk_model::TrajectoryView;
use leerrijk_report::fixture::{Fixture, fixture};

/// The fixture and its view.
pub fn demo() -> (Fixture, TrajectoryView) {
    let f = fixture().expect("fixture builds");
    let v = f.trajectory.view();
    (f, v)
}

/// Replaces ids (runs of exactly 32 or 64 lowercase hex characters) by `ID1`, `ID2`, … in order
/// of first appearance, so snapshots do not depend on random ids.
pub fn stable_ids(s: &str) -> String {
    let mut map: HashMap<String, String> = HashMap::new();
    let chars: Vec<char> = s.chars().collect();
    let is_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if is_hex(chars[i]) && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < chars.len() && is_hex(chars[j]) {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            let bounded = j == chars.len() || !chars[j].is_ascii_alphanumeric();
            if bounded
                && (run.len() == 32 || run.len() == 64)
                && run.chars().any(|c| c.is_ascii_digit())
            {
                let n = map.len() + 1;
                let label = map.entry(run).or_insert_with(|| format!("ID{n}")).clone();
                out.push_str(&label);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
