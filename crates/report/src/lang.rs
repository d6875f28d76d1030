//! The report language.

use std::fmt;
use std::str::FromStr;

use crate::ReportError;

/// The language of a report: Dutch first, English second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Nederlands.
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The language code (`nl`, `en`), as used by the question catalog.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = ReportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "nl" | "nederlands" | "dutch" => Ok(Lang::Nl),
            "en" | "english" | "engels" => Ok(Lang::En),
            _ => Err(ReportError::UnknownLang(s.to_owned())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
