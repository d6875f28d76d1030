//! Normalising free text for matching: topics in the marketplace, names of people, sources of
//! satisfaction. Lower case, accents removed, punctuation dropped, common Dutch and English
//! filler words left out, and simple plural endings folded.

use unicode_normalization::UnicodeNormalization;

/// Words that carry no topic (Dutch first, then English).
const STOP_WORDS: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "van",
    "met",
    "voor",
    "in",
    "op",
    "te",
    "om",
    "aan",
    "bij",
    "over",
    "naar",
    "tot",
    "uit",
    "of",
    "als",
    "dat",
    "die",
    "dit",
    "is",
    "zijn",
    "ik",
    "je",
    "jij",
    "we",
    "wij",
    "mijn",
    "ons",
    "onze",
    "hoe",
    "wat",
    "wil",
    "willen",
    "leren",
    "graag",
    "door",
    "ook",
    "werken",
    "gebruiken",
    "gebruik",
    "inzetten",
    "omgaan",
    "toepassen",
    "kan",
    "kunnen",
    "use",
    "using",
    "work",
    "working",
    "can",
    "the",
    "a",
    "an",
    "and",
    "of",
    "with",
    "for",
    "to",
    "on",
    "at",
    "by",
    "about",
    "how",
    "my",
    "our",
    "i",
    "we",
    "want",
    "learn",
    "learning",
    "more",
];

/// Lower case, accents stripped, punctuation turned into spaces, whitespace collapsed.
pub fn normalize_name(s: &str) -> String {
    let folded: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a simple Dutch or English plural to its singular-ish stem.
fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n > 5 && word.ends_with("en") {
        let mut base: Vec<char> = word[..word.len() - 2].chars().collect();
        let len = base.len();
        if len >= 2 && base[len - 1] == base[len - 2] && !"aeiou".contains(base[len - 1]) {
            base.pop();
        }
        base.into_iter().collect()
    } else if n > 4 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// The meaningful tokens of a topic: normalised, stop words removed, stemmed, sorted, unique.
pub fn topic_tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = normalize_name(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(stem)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The meaningful words of a text as (stem, word as written, normalised), in order, with
/// repeats: for showing a human word where matching used the stem.
pub fn topic_words(s: &str) -> Vec<(String, String)> {
    normalize_name(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(|w| (stem(w), w.to_owned()))
        .collect()
}

/// A topic reduced to its meaningful tokens joined by spaces: two topics that say the same thing
/// in a different case, order or with filler words get the same normal form.
pub fn normalize_topic(s: &str) -> String {
    topic_tokens(s).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_accents_and_spacing() {
        assert_eq!(normalize_name("  Anne-Marie  Béké "), "anne marie beke");
        assert_eq!(normalize_name("IB'er"), "ib er");
    }

    #[test]
    fn topics_drop_filler_and_plurals() {
        assert_eq!(normalize_topic("Coöperatief leren"), "cooperatief");
        assert_eq!(
            normalize_topic("Digibord gebruiken"),
            normalize_topic("gebruiken van het digibord")
        );
        assert_eq!(topic_tokens("Rekenspellen"), vec!["rekenspel".to_owned()]);
        assert_eq!(topic_tokens("workshops"), vec!["workshop".to_owned()]);
        assert_eq!(topic_tokens("rekenspel"), vec!["rekenspel".to_owned()]);
    }
}
