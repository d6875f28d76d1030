//! The five practice assignments of phase 2 and their questions (texts in `assets/questions.json`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// One of the five practice assignments (praktijkopdrachten).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentKind {
    /// "Versmallen of blijven leren": narrowing or keep learning (red–green).
    RedGreen,
    /// "Gesprek met een collega over een 'Moment van voldoening'".
    Satisfaction,
    /// "Hersenkrakers": brain-crackers.
    BrainCracker,
    /// "Logboek bijhouden": keep a logbook.
    Logbook,
    /// "Mooie beelden": beautiful images.
    Images,
}

impl AssignmentKind {
    /// All five, in the order of the publication.
    pub const ALL: [AssignmentKind; 5] = [
        AssignmentKind::RedGreen,
        AssignmentKind::Satisfaction,
        AssignmentKind::BrainCracker,
        AssignmentKind::Logbook,
        AssignmentKind::Images,
    ];

    /// The stable identifier used in the document, JSON and the CLI.
    pub fn slug(self) -> &'static str {
        match self {
            AssignmentKind::RedGreen => "red_green",
            AssignmentKind::Satisfaction => "satisfaction",
            AssignmentKind::BrainCracker => "brain_cracker",
            AssignmentKind::Logbook => "logbook",
            AssignmentKind::Images => "images",
        }
    }

    /// Parses a slug (also accepts the Dutch short names).
    pub fn parse(s: &str) -> Result<Self, ModelError> {
        let k = s.trim().to_lowercase().replace('-', "_");
        Ok(match k.as_str() {
            "red_green" | "versmallen" | "rood_groen" => AssignmentKind::RedGreen,
            "satisfaction" | "voldoening" => AssignmentKind::Satisfaction,
            "brain_cracker" | "brain_crackers" | "hersenkrakers" | "hersenkraker" => {
                AssignmentKind::BrainCracker
            }
            "logbook" | "logboek" => AssignmentKind::Logbook,
            "images" | "mooie_beelden" | "beelden" => AssignmentKind::Images,
            _ => {
                return Err(ModelError::UnknownValue {
                    field: "assignment kind",
                    value: s.to_owned(),
                    expected: "red_green, satisfaction, brain_cracker, logbook, images",
                });
            }
        })
    }
}

/// A text in both languages.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Bilingual {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The text for a language code (`"en"` gives English, anything else Dutch).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.nl }
    }
}

/// One question of an assignment.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Question {
    /// Stable id (`q1`, `q2`, …).
    pub id: String,
    /// Dutch text.
    pub nl: String,
    /// English text.
    pub en: String,
}

impl Question {
    /// The text for a language code.
    pub fn text(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.nl }
    }
}

/// An assignment with its title, introduction and questions.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Assignment {
    /// Which assignment.
    pub kind: AssignmentKind,
    /// Title.
    pub title: Bilingual,
    /// Short introduction for the participant.
    pub intro: Bilingual,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

/// All assignments and their questions, from `assets/questions.json`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct QuestionCatalog {
    /// Format version of the file.
    pub version: u32,
    /// The assignments.
    pub assignments: Vec<Assignment>,
}

static CATALOG: OnceLock<Result<QuestionCatalog, String>> = OnceLock::new();

impl QuestionCatalog {
    /// The compiled-in catalog.
    pub fn get() -> Result<&'static QuestionCatalog, ModelError> {
        CATALOG
            .get_or_init(|| {
                serde_json::from_str(include_str!("../../../assets/questions.json"))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ModelError::Assets(e.clone()))
    }

    /// The assignment of a kind.
    pub fn assignment(&self, kind: AssignmentKind) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.kind == kind)
    }

    /// Checks that `question` is a question of `kind`.
    pub fn check_question(&self, kind: AssignmentKind, question: &str) -> Result<(), ModelError> {
        match self.assignment(kind) {
            Some(a) if a.questions.iter().any(|q| q.id == question) => Ok(()),
            _ => Err(ModelError::UnknownQuestion {
                kind: kind.slug().to_owned(),
                question: question.to_owned(),
            }),
        }
    }
}

/// The information-letter template for a language, with `{school}`, `{title}`, `{timeplan}` and
/// `{initiator}` placeholders.
pub fn letter_template(lang: &str) -> &'static str {
    if lang == "en" {
        include_str!("../../../assets/templates/letter_en.md")
    } else {
        include_str!("../../../assets/templates/letter_nl.md")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_all_five_assignments_in_both_languages() {
        let c = QuestionCatalog::get().unwrap();
        for kind in AssignmentKind::ALL {
            let a = c.assignment(kind).unwrap();
            assert!(!a.questions.is_empty(), "{kind:?}");
            for q in &a.questions {
                assert!(
                    !q.nl.trim().is_empty() && !q.en.trim().is_empty(),
                    "{kind:?} {}",
                    q.id
                );
            }
        }
        assert_eq!(
            c.assignment(AssignmentKind::RedGreen)
                .unwrap()
                .questions
                .len(),
            5
        );
        assert_eq!(
            c.assignment(AssignmentKind::BrainCracker)
                .unwrap()
                .questions
                .len(),
            6
        );
        assert_eq!(
            c.assignment(AssignmentKind::Logbook)
                .unwrap()
                .questions
                .len(),
            4
        );
    }

    #[test]
    fn unknown_question_and_kind_are_errors() {
        let c = QuestionCatalog::get().unwrap();
        assert!(c.check_question(AssignmentKind::Satisfaction, "q5").is_ok());
        assert!(matches!(
            c.check_question(AssignmentKind::Satisfaction, "q6"),
            Err(ModelError::UnknownQuestion { .. })
        ));
        assert!(AssignmentKind::parse("hersenkrakers").is_ok());
        assert!(matches!(
            AssignmentKind::parse("poetry"),
            Err(ModelError::UnknownValue { .. })
        ));
    }

    #[test]
    fn letter_templates_have_placeholders() {
        for lang in ["nl", "en"] {
            let t = letter_template(lang);
            for p in ["{school}", "{title}", "{timeplan}", "{initiator}"] {
                assert!(t.contains(p), "{lang} {p}");
            }
        }
    }
}
