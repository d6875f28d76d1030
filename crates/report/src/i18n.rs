//! The report's strings, from `assets/i18n/report.nl.json` and `assets/i18n/report.en.json`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{Lang, ReportError};

const NL_JSON: &str = include_str!("../../../assets/i18n/report.nl.json");
const EN_JSON: &str = include_str!("../../../assets/i18n/report.en.json");

/// The strings of one language.
#[derive(Debug)]
pub(crate) struct Strings {
    lang: Lang,
    map: HashMap<String, String>,
}

static NL: OnceLock<Result<Strings, String>> = OnceLock::new();
static EN: OnceLock<Result<Strings, String>> = OnceLock::new();

fn parse(lang: Lang, json: &str) -> Result<Strings, String> {
    let map: HashMap<String, String> =
        serde_json::from_str(json).map_err(|e| format!("report.{}.json: {e}", lang.code()))?;
    Ok(Strings { lang, map })
}

impl Strings {
    /// The compiled-in strings of a language.
    pub(crate) fn get(lang: Lang) -> Result<&'static Strings, ReportError> {
        let cell = match lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        };
        cell.get_or_init(|| {
            parse(
                lang,
                match lang {
                    Lang::Nl => NL_JSON,
                    Lang::En => EN_JSON,
                },
            )
        })
        .as_ref()
        .map_err(|e| ReportError::Assets(e.clone()))
    }

    /// The language.
    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }

    /// The string for `key` (the key itself, visibly, if missing: a test guards against that).
    pub(crate) fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The string for `key` with `{name}` placeholders filled in. Plural forms: when the
    /// argument `n` is "1" and a `KEY.one` string exists, that one is used (the same rule as
    /// the app's translations).
    pub(crate) fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let one = format!("{key}.one");
        let singular = args
            .iter()
            .any(|(name, value)| *name == "n" && *value == "1")
            && self.map.contains_key(&one);
        let mut s = self.t(if singular { &one } else { key }).to_owned();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A number with `decimals` decimals, using the language's decimal separator; whole
    /// numbers are shown without decimals.
    pub(crate) fn num(&self, x: f64, decimals: usize) -> String {
        let s = if (x - x.round()).abs() < 1e-9 {
            format!("{}", x.round() as i64)
        } else {
            format!("{x:.decimals$}")
        };
        match self.lang {
            Lang::Nl => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// A `YYYY-MM-DD` date in the language's usual form (Dutch: `29-11-2026`).
    pub(crate) fn iso_date(&self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        match (self.lang, parts.as_slice()) {
            (Lang::Nl, [y, m, d]) => format!("{d}-{m}-{y}"),
            _ => iso.to_owned(),
        }
    }

    /// A timestamp (ms since the epoch) as a date (UTC).
    pub(crate) fn date_ms(&self, ms: i64) -> String {
        self.iso_date(&crate::format::iso_date_of_ms(ms))
    }

    /// A timestamp (ms since the epoch) as date and time: in this computer's local time
    /// (`local`), else in UTC, marked "UTC".
    pub(crate) fn datetime_ms(&self, ms: i64, local: bool) -> String {
        if local {
            let (date, time) = crate::format::local_datetime_of_ms(ms);
            format!("{} {time}", self.iso_date(&date))
        } else {
            let (date, time) = crate::format::iso_datetime_of_ms(ms);
            format!("{} {time} UTC", self.iso_date(&date))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(json: &str) -> BTreeSet<String> {
        serde_json::from_str::<HashMap<String, String>>(json)
            .unwrap()
            .into_keys()
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys_and_no_empty_strings() {
        let nl = keys(NL_JSON);
        let en = keys(EN_JSON);
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(
            only_nl.is_empty() && only_en.is_empty(),
            "only in nl: {only_nl:?}; only in en: {only_en:?}"
        );
        for lang in Lang::ALL {
            let s = Strings::get(lang).unwrap();
            for (k, v) in &s.map {
                assert!(!v.trim().is_empty(), "{lang}: {k} is empty");
            }
        }
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let nl = Strings::get(Lang::Nl).unwrap();
        let en = Strings::get(Lang::En).unwrap();
        let holes = |s: &str| -> BTreeSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_owned()))
                .collect()
        };
        for (k, v) in &nl.map {
            assert_eq!(holes(v), holes(en.t(k)), "placeholders of {k}");
        }
    }

    /// Every key the code asks for (`t("…")`, `f("…"`) exists.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let nl = Strings::get(Lang::Nl).unwrap();
        let mut missing = Vec::new();
        let mut used = 0;
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                for pat in [".t(\"", ".f(\"", "=> \""] {
                    for piece in src.split(pat).skip(1) {
                        let Some((key, _)) = piece.split_once('"') else {
                            continue;
                        };
                        let looks_like_key = !key.is_empty()
                            && !key.contains(' ')
                            && key.contains('.')
                            && !key.ends_with(".csv")
                            && key.starts_with(|c: char| c.is_ascii_lowercase());
                        if !looks_like_key {
                            continue;
                        }
                        used += 1;
                        if !nl.map.contains_key(key) {
                            missing.push(format!("{}: {key}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 50, "found only {used} uses; is the scan broken?");
        assert!(missing.is_empty(), "missing keys: {missing:#?}");
    }

    #[test]
    fn one_takes_the_singular_form_where_there_is_one() {
        let nl = Strings::get(Lang::Nl).unwrap();
        let en = Strings::get(Lang::En).unwrap();
        assert_eq!(nl.f("mkt.n_people", &[("n", "1")]), "1 persoon");
        assert_eq!(nl.f("mkt.n_people", &[("n", "2")]), "2 mensen");
        assert_eq!(en.f("p3.count", &[("n", "1")]), "1 post-it");
        assert_eq!(en.f("p3.count", &[("n", "3")]), "3 post-its");
        assert_eq!(nl.f("story.n", &[("n", "1")]), "Verhaal 1");
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let nl = Strings::get(Lang::Nl).unwrap();
        let en = Strings::get(Lang::En).unwrap();
        assert_eq!(nl.num(0.654, 2), "0,65");
        assert_eq!(en.num(0.654, 2), "0.65");
        assert_eq!(nl.num(3.0, 1), "3");
        assert_eq!(nl.iso_date("2026-11-29"), "29-11-2026");
        assert_eq!(en.iso_date("2026-11-29"), "2026-11-29");
        assert_eq!(en.date_ms(0), "1970-01-01");
        // Local time, as this computer's clock shows it.
        let ms = 86_400_000 + 3_600_000;
        let local = chrono::TimeZone::timestamp_millis_opt(&chrono::Local, ms)
            .single()
            .unwrap()
            .format("%d-%m-%Y %H:%M")
            .to_string();
        assert_eq!(nl.datetime_ms(ms, true), local);
        assert!(!nl.datetime_ms(ms, true).contains("UTC"));
        assert_eq!(nl.datetime_ms(ms, false), "02-01-1970 01:00 UTC");
    }
}
