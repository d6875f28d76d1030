//! The privacy switches: leaving out the logbook, and removing every name.
//!
//! Two views come out of here. The *analysis view* keeps the structure (who wrote what, who
//! offers what) but replaces names by pseudonyms (`#1`, `#2`, …), so the model's analyses
//! still count distinct people and match offers to requests exactly as on the real view. The
//! *export view* goes further: it removes authorship and people altogether. Renderers print
//! from the export view and show nothing of a person in anonymous mode; the analyses' results
//! are used only for counts and for items (by id).

use std::collections::BTreeMap;

use leerrijk_model::{AssignmentKind, TrajectoryView, normalize_name};

use crate::ExportOptions;

/// Applies the logbook switch and, when anonymous, pseudonymises names and redacts them from
/// free text.
pub(crate) fn analysis_view(
    v: &TrajectoryView,
    opts: &ExportOptions,
    placeholder: &str,
) -> TrajectoryView {
    let mut v = v.clone();
    if opts.leave_out_logbook {
        v.logbook.clear();
        v.stories.retain(|s| s.kind != AssignmentKind::Logbook);
        v.assignments.retain(|a| *a != AssignmentKind::Logbook);
    }
    if opts.anonymous {
        pseudonymise(&mut v, placeholder);
    }
    v
}

/// The view as exported: [`analysis_view`], then, when anonymous, without any authorship.
pub(crate) fn export_view(
    v: &TrajectoryView,
    opts: &ExportOptions,
    placeholder: &str,
) -> TrajectoryView {
    let mut v = analysis_view(v, opts, placeholder);
    if opts.anonymous {
        strip_people(&mut v);
    }
    v
}

/// Every name that identifies a person: participants, people on the marketplace sheets,
/// colleagues interviewed.
fn known_names(v: &TrajectoryView) -> Vec<String> {
    let mut names: Vec<String> = v.participants.iter().map(|p| p.name.clone()).collect();
    for o in &v.offers {
        names.extend(o.people.iter().cloned());
    }
    for r in &v.requests {
        names.push(r.person.clone());
        names.extend(r.from_whom.iter().cloned());
    }
    names.extend(v.stories.iter().filter_map(|s| s.colleague.clone()));
    names
}

/// Replaces names by pseudonyms (distinct per person, by normalised name) and redacts names
/// inside every free text.
fn pseudonymise(v: &mut TrajectoryView, placeholder: &str) {
    let redactor = Redactor::new(&known_names(v), placeholder);
    let mut pseudonyms: BTreeMap<String, String> = BTreeMap::new();
    let mut pseudo = |name: &str| -> String {
        let key = normalize_name(name);
        let n = pseudonyms.len() + 1;
        pseudonyms
            .entry(key)
            .or_insert_with(|| format!("#{n}"))
            .clone()
    };
    for p in &mut v.participants {
        p.name = pseudo(&p.name);
        p.devices.clear();
    }
    for o in &mut v.offers {
        o.people = o.people.iter().map(|p| pseudo(p)).collect();
        o.topic = redactor.redact(&o.topic);
        o.tags = o.tags.iter().map(|t| redactor.redact(t)).collect();
    }
    for r in &mut v.requests {
        r.person = pseudo(&r.person);
        r.from_whom = r.from_whom.iter().map(|p| pseudo(p)).collect();
        r.topic = redactor.redact(&r.topic);
        r.tags = r.tags.iter().map(|t| redactor.redact(t)).collect();
    }
    for s in &mut v.stories {
        s.colleague = s.colleague.as_deref().map(&mut pseudo);
        for a in s.answers.values_mut() {
            *a = redactor.redact(a);
        }
    }
    v.title = redactor.redact(&v.title);
    v.school = redactor.redact(&v.school);
    v.letter = redactor.redact(&v.letter);
    for p in &mut v.placements {
        p.note = redactor.redact(&p.note);
    }
    for e in &mut v.logbook {
        e.text = redactor.redact(&e.text);
    }
    for i in &mut v.images {
        i.caption = redactor.redact(&i.caption);
    }
    for t in &mut v.themes {
        t.title = redactor.redact(&t.title);
        for c in &mut t.title_conflicts {
            *c = redactor.redact(c);
        }
    }
    for p in &mut v.postits {
        p.text = redactor.redact(&p.text);
    }
    for g in &mut v.groups {
        g.name = redactor.redact(&g.name);
    }
    for a in &mut v.actions {
        a.text = redactor.redact(&a.text);
    }
}

/// Removes who did what: authors, owners, members, people.
fn strip_people(v: &mut TrajectoryView) {
    v.initiator = None;
    if let Some(a) = &mut v.archived {
        a.by.clear();
    }
    for p in &mut v.participants {
        p.name.clear();
    }
    for s in &mut v.stories {
        s.author.clear();
        s.colleague = None;
    }
    for p in &mut v.placements {
        p.participant.clear();
    }
    for e in &mut v.logbook {
        e.author.clear();
    }
    for i in &mut v.images {
        i.author.clear();
    }
    for t in &mut v.themes {
        t.created_by = None;
    }
    for p in &mut v.postits {
        p.author = None;
    }
    for g in &mut v.groups {
        g.members.clear();
    }
    for a in &mut v.actions {
        a.owner = None;
    }
    for o in &mut v.offers {
        o.people.clear();
    }
    for r in &mut v.requests {
        r.person.clear();
        r.from_whom.clear();
    }
}

/// Dutch name particles that are not names by themselves.
const PARTICLES: &[&str] = &[
    "de", "der", "den", "van", "het", "ter", "ten", "te", "in", "op", "la", "le", "du", "el", "al",
    "von", "da", "dos", "di", "'t",
];

/// Replaces whole-word occurrences of names by a placeholder. A whole name matches in any
/// case; a single part of a name (a first name, a surname) only when it starts with a capital
/// in the text, because many surnames are also ordinary words ("Groen", "Bakker").
struct Redactor {
    /// (lowercase chars, whole name?), longest first.
    needles: Vec<(Vec<char>, bool)>,
    placeholder: String,
}

fn lower(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

impl Redactor {
    fn new(names: &[String], placeholder: &str) -> Self {
        let mut needles: Vec<(Vec<char>, bool)> = Vec::new();
        for name in names {
            let name = name.trim();
            let mut candidates = vec![(name.to_owned(), true)];
            candidates.extend(
                name.split(|c: char| c.is_whitespace() || c == '-')
                    .filter(|p| p.chars().count() >= 3 && *p != name)
                    .filter(|p| !PARTICLES.contains(&p.to_lowercase().as_str()))
                    .map(|p| (p.to_owned(), false)),
            );
            for (c, whole) in candidates {
                let l = lower(&c);
                if l.len() < 2 {
                    continue;
                }
                match needles.iter_mut().find(|(n, _)| *n == l) {
                    Some(existing) => existing.1 |= whole,
                    None => needles.push((l, whole)),
                }
            }
        }
        needles.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        Redactor {
            needles,
            placeholder: placeholder.to_owned(),
        }
    }

    fn redact(&self, text: &str) -> String {
        if self.needles.is_empty() {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let low = lower(text);
        let is_word = |c: char| c.is_alphanumeric();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'outer: while i < chars.len() {
            let starts_word = i == 0 || !is_word(chars[i - 1]);
            if starts_word {
                for (n, whole) in &self.needles {
                    let end = i + n.len();
                    if end <= low.len()
                        && (*whole || chars[i].is_uppercase())
                        && low[i..end] == n[..]
                        && (end == chars.len() || !is_word(chars[end]))
                    {
                        out.push_str(&self.placeholder);
                        i = end;
                        continue 'outer;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_whole_names_and_parts_case_insensitively() {
        let r = Redactor::new(
            &[
                "Anja de Vries".into(),
                "Els".into(),
                "Bram".into(),
                "Lotte Groen".into(),
            ],
            "[naam]",
        );
        assert_eq!(
            r.redact("anja de vries en els, met bram; Bramen en Elsa blijven. Vries! vries"),
            "[naam] en [naam], met [naam]; Bramen en Elsa blijven. [naam]! vries"
        );
        assert_eq!(
            r.redact("Groen vindt het groen; lotte groen"),
            "[naam] vindt het groen; [naam]"
        );
        assert_eq!(r.redact("de school"), "de school", "particles stay");
        assert_eq!(r.redact(""), "");
    }
}
