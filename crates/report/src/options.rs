//! What the caller chooses at export time.

use crate::Lang;

/// Export choices: privacy switches and language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Remove every participant's and person's name (see the crate documentation).
    pub anonymous: bool,
    /// Leave the logbook out entirely (entries, chart and logbook stories).
    pub leave_out_logbook: bool,
    /// Language of the report.
    pub lang: Lang,
    /// Times of day (the archive time) in this computer's local time zone, as people read
    /// them; `false`: in UTC, marked as such (the same report on every machine, for tests).
    pub local_time: bool,
}
