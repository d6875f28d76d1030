//! Translations: every user-facing string of the GUI comes from `assets/i18n/nl.json` (Dutch,
//! the default) or `assets/i18n/en.json`, flat maps from key to text. `{name}` in a text is a
//! placeholder filled by [`I18n::f`].

use std::collections::HashMap;
use std::fmt::Display;

use leerrijk_model::{AssignmentKind, Role};
use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Dutch (the default).
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Dutch first.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The language code (`nl`, `en`), as used by the model's bilingual texts.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's name in itself (shown in the language menu in both languages).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

const NL_JSON: &str = include_str!("../../../../assets/i18n/nl.json");
const EN_JSON: &str = include_str!("../../../../assets/i18n/en.json");

/// The translation tables and the current language.
#[derive(Debug, Clone)]
pub struct I18n {
    lang: Lang,
    nl: HashMap<String, String>,
    en: HashMap<String, String>,
}

fn parse(lang: Lang, json: &str) -> HashMap<String, String> {
    match serde_json::from_str(json) {
        Ok(map) => map,
        Err(e) => {
            tracing::error!(lang = lang.code(), error = %e, "translation file is not valid JSON");
            HashMap::new()
        }
    }
}

impl I18n {
    /// The compiled-in translations, showing `lang`.
    pub fn new(lang: Lang) -> Self {
        I18n {
            lang,
            nl: parse(Lang::Nl, NL_JSON),
            en: parse(Lang::En, EN_JSON),
        }
    }

    /// The current language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Switches the language.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    fn table(&self, lang: Lang) -> &HashMap<String, String> {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// The text for `key` in the current language (Dutch if missing there; the key itself if
    /// missing everywhere, so a gap is visible instead of blank).
    pub fn t(&self, key: &str) -> String {
        self.table(self.lang)
            .get(key)
            .or_else(|| self.nl.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with `{name}` placeholders filled from `args`. Plural forms: when
    /// the argument `n` is 1 and a `KEY.one` text exists ("{n} thema" next to "{n} thema's"),
    /// that one is used.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let one = format!("{key}.one");
        let singular = args
            .iter()
            .any(|(name, value)| *name == "n" && value.to_string() == "1")
            && (self.table(self.lang).contains_key(&one) || self.nl.contains_key(&one));
        let mut s = self.t(if singular { &one } else { key });
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), &value.to_string());
        }
        s
    }

    /// Every key of a language's table (for tests and tools).
    pub fn keys(&self, lang: Lang) -> Vec<String> {
        let mut keys: Vec<String> = self.table(lang).keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The raw text of `key` in `lang`, if present.
    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        self.table(lang).get(key).map(String::as_str)
    }

    /// The display name of a role.
    pub fn role(&self, role: Role) -> String {
        self.t(&role_key(role))
    }

    /// The title of phase 1–5.
    pub fn phase_title(&self, phase: u8) -> String {
        self.t(&phase_key(phase, "title"))
    }

    /// A short description of phase 1–5.
    pub fn phase_summary(&self, phase: u8) -> String {
        self.t(&phase_key(phase, "summary"))
    }

    /// The title of a practice assignment, in the current language (from the model's catalog).
    pub fn assignment_title(&self, kind: AssignmentKind) -> String {
        leerrijk_model::QuestionCatalog::get()
            .ok()
            .and_then(|c| c.assignment(kind))
            .map(|a| a.title.get(self.lang.code()).to_owned())
            .unwrap_or_else(|| kind.slug().to_owned())
    }

    /// The short introduction of a practice assignment, in the current language.
    pub fn assignment_intro(&self, kind: AssignmentKind) -> String {
        leerrijk_model::QuestionCatalog::get()
            .ok()
            .and_then(|c| c.assignment(kind))
            .map(|a| a.intro.get(self.lang.code()).to_owned())
            .unwrap_or_default()
    }
}

/// The key of a role's display name.
pub fn role_key(role: Role) -> String {
    format!("role.{}", role.slug())
}

/// The key of a phase text (`title` or `summary`).
pub fn phase_key(phase: u8, what: &str) -> String {
    format!("phase.{phase}.{what}")
}

/// Keys that code builds at run time (not visible as literals to the key-usage scan).
pub fn dynamic_keys() -> Vec<String> {
    let mut keys: Vec<String> = Role::ALL.iter().map(|r| role_key(*r)).collect();
    for phase in 1..=5 {
        keys.push(phase_key(phase, "title"));
        keys.push(phase_key(phase, "summary"));
    }
    keys
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    out.insert(after[..end].to_owned());
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
        out
    }

    #[test]
    fn both_files_parse_and_have_the_same_keys_and_placeholders() {
        let nl: HashMap<String, String> = serde_json::from_str(NL_JSON).unwrap();
        let en: HashMap<String, String> = serde_json::from_str(EN_JSON).unwrap();
        let nl_keys: BTreeSet<&String> = nl.keys().collect();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let only_nl: Vec<_> = nl_keys.difference(&en_keys).collect();
        let only_en: Vec<_> = en_keys.difference(&nl_keys).collect();
        assert!(only_nl.is_empty(), "keys missing in en.json: {only_nl:?}");
        assert!(only_en.is_empty(), "keys missing in nl.json: {only_en:?}");
        for (k, v) in &nl {
            assert!(!v.trim().is_empty(), "empty Dutch text for {k}");
            assert!(!en[k].trim().is_empty(), "empty English text for {k}");
            assert_eq!(
                placeholders(v),
                placeholders(&en[k]),
                "placeholders differ for {k}"
            );
        }
    }

    /// Every string literal in the GUI's production code that looks like a translation key
    /// (`section.name`, with a section that the translation files use).
    fn used_keys(sections: &BTreeSet<String>) -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root.join("gui.rs")];
        let mut stack = vec![root.join("gui")];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "rs") {
                    files.push(p);
                }
            }
        }
        let looks_like_key = |s: &str| {
            let mut parts = s.split('.');
            let first = parts.next().unwrap_or_default();
            s.contains('.')
                && sections.contains(first)
                && s.split('.').all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
        };
        let mut keys = BTreeSet::new();
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            // Only production code: tests may use made-up keys on purpose.
            let src = src.split("#[cfg(test)]").next().unwrap_or_default();
            let mut in_str = false;
            let mut cur = String::new();
            let mut prev = ' ';
            for c in src.chars() {
                if in_str {
                    if c == '"' && prev != '\\' {
                        in_str = false;
                        if looks_like_key(&cur) {
                            keys.insert(cur.clone());
                        }
                        cur.clear();
                    } else {
                        cur.push(c);
                    }
                } else if c == '"' && prev != '\'' {
                    in_str = true;
                }
                prev = c;
            }
        }
        keys
    }

    #[test]
    fn every_key_used_in_code_exists_in_both_languages() {
        let i = I18n::new(Lang::Nl);
        let sections: BTreeSet<String> = i
            .keys(Lang::Nl)
            .iter()
            .filter_map(|k| k.split('.').next().map(str::to_owned))
            .collect();
        let mut used = used_keys(&sections);
        assert!(
            used.len() > 50,
            "the scan found too few keys: {}",
            used.len()
        );
        used.extend(dynamic_keys());
        for key in &used {
            assert!(i.get(Lang::Nl, key).is_some(), "missing in nl.json: {key}");
            assert!(i.get(Lang::En, key).is_some(), "missing in en.json: {key}");
        }
    }

    #[test]
    fn one_takes_the_singular_form_where_there_is_one() {
        let mut i = I18n::new(Lang::Nl);
        assert_eq!(i.f("phase3.column.count", &[("n", &1)]), "1 thema");
        assert_eq!(i.f("phase3.column.count", &[("n", &2)]), "2 thema's");
        assert_eq!(i.f("phase3.column.count", &[("n", &0)]), "0 thema's");
        assert_eq!(i.f("time.days_ago", &[("n", &1)]), "1 dag geleden");
        i.set_lang(Lang::En);
        assert_eq!(i.f("phase3.column.count", &[("n", &1)]), "1 theme");
        assert_eq!(i.f("phase3.column.count", &[("n", &11)]), "11 themes");
        // Keys without a singular keep their one form.
        assert_eq!(i.f("shell.phase_of", &[("n", &1)]), "PHASE 1 OF 5");
        // Every singular has its plural.
        for key in i.keys(Lang::Nl) {
            if let Some(base) = key.strip_suffix(".one") {
                assert!(i.get(Lang::Nl, base).is_some(), "{key} without {base}");
            }
        }
    }

    #[test]
    fn lookup_falls_back_and_fills_placeholders() {
        let mut i = I18n::new(Lang::Nl);
        assert_eq!(i.t("no.such.key"), "no.such.key");
        assert_eq!(i.t("app.name"), "Leerrijk");
        i.set_lang(Lang::En);
        let s = i.f("voices.count", &[("n", &3)]);
        assert!(s.contains('3') && !s.contains("{n}"), "{s}");
        assert_eq!(i.role(Role::Leerkracht), "Teacher");
        assert_eq!(
            i.assignment_title(AssignmentKind::Logbook),
            "Keep a logbook"
        );
    }
}
