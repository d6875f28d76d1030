//! The small vocabularies of the document: roles, polarity, quadrants, action status.

use serde::{Deserialize, Serialize};

use crate::ModelError;

macro_rules! vocab {
    (
        $(#[$doc:meta])* $name:ident, $field:literal, $expected:literal,
        { $( $(#[$vdoc:meta])* $variant:ident = $slug:literal $(| $alias:literal)* ),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $slug)] $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable identifier used in the document, JSON and the CLI.
            pub fn slug(self) -> &'static str {
                match self { $( $name::$variant => $slug, )+ }
            }

            /// Parses a slug or an accepted alias (case-insensitive).
            pub fn parse(s: &str) -> Result<Self, ModelError> {
                let k = s.trim().to_lowercase();
                match k.as_str() {
                    $( $slug $(| $alias)* => Ok($name::$variant), )+
                    _ => Err(ModelError::UnknownValue {
                        field: $field,
                        value: s.to_owned(),
                        expected: $expected,
                    }),
                }
            }
        }
    };
}

vocab!(
    /// A participant's role in the school ("alle stemmen horen": the roles present matter).
    Role, "role", "leerkracht, directie, ib, bouwcoordinator, onderwijsondersteuner, anders",
    {
        /// Teacher (leerkracht).
        Leerkracht = "leerkracht" | "teacher",
        /// School director or deputy (schooldirecteur / adjunct).
        Directie = "directie" | "director" | "adjunct" | "schooldirecteur",
        /// Internal supervisor (intern begeleider, IB'er).
        Ib = "ib" | "ib'er" | "iber" | "intern begeleider",
        /// Year-group coordinator (bouwcoördinator).
        Bouwcoordinator = "bouwcoordinator" | "bouwcoördinator" | "coordinator",
        /// Support staff (onderwijsassistent, conciërge, administratie, …).
        Onderwijsondersteuner = "onderwijsondersteuner" | "ondersteuner" | "assistent" | "support",
        /// Another role.
        Anders = "anders" | "other",
    }
);

vocab!(
    /// Whether a core theme promotes learning at work or hinders it.
    Polarity, "polarity", "positive, negative",
    {
        /// Bevorderend: promotes learning at work.
        Positive = "positive" | "positief" | "bevorderend" | "+",
        /// Belemmerend: hinders learning at work.
        Negative = "negative" | "negatief" | "belemmerend" | "-",
    }
);

vocab!(
    /// A box of the logbook's 2×2 grid: goes easily or not (yet) × fun or not fun.
    Quadrant, "quadrant", "easy_fun, easy_not_fun, hard_fun, hard_not_fun",
    {
        /// Goes easily and is fun.
        EasyFun = "easy_fun" | "makkelijk_leuk",
        /// Goes easily, not fun.
        EasyNotFun = "easy_not_fun" | "makkelijk_niet_leuk",
        /// Does not go easily (yet), fun.
        HardFun = "hard_fun" | "niet_makkelijk_leuk",
        /// Does not go easily (yet), not fun.
        HardNotFun = "hard_not_fun" | "niet_makkelijk_niet_leuk",
    }
);

vocab!(
    /// Progress of an action.
    ActionStatus, "status", "open, doing, done",
    {
        /// Not started.
        Open = "open" | "todo",
        /// Under way.
        Doing = "doing" | "bezig",
        /// Done.
        Done = "done" | "klaar",
    }
);

impl Quadrant {
    /// Whether the work goes easily.
    pub fn easy(self) -> bool {
        matches!(self, Quadrant::EasyFun | Quadrant::EasyNotFun)
    }
    /// Whether the work is fun.
    pub fn fun(self) -> bool {
        matches!(self, Quadrant::EasyFun | Quadrant::HardFun)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_slugs_and_aliases_and_rejects_others() {
        assert_eq!(Role::parse("IB").unwrap(), Role::Ib);
        assert_eq!(Role::parse("teacher").unwrap(), Role::Leerkracht);
        assert_eq!(Polarity::parse("belemmerend").unwrap(), Polarity::Negative);
        assert_eq!(Quadrant::parse("hard_fun").unwrap(), Quadrant::HardFun);
        assert!(matches!(
            Polarity::parse("neutral"),
            Err(ModelError::UnknownValue { .. })
        ));
        for q in Quadrant::ALL {
            assert_eq!(Quadrant::parse(q.slug()).unwrap(), *q);
        }
        assert!(Quadrant::EasyFun.easy() && Quadrant::EasyFun.fun());
        assert!(!Quadrant::HardNotFun.easy() && !Quadrant::HardNotFun.fun());
    }
}
