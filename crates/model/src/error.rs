//! Typed errors of the model.

/// Everything that can go wrong when reading or editing a trajectory.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A required text was empty or only whitespace.
    #[error("{field} may not be empty")]
    EmptyText {
        /// Which field.
        field: &'static str,
    },
    /// A text longer than the limit for its field.
    #[error("{field} is too long ({len} characters, at most {max})")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An id that names nothing of the given kind (or something deleted).
    #[error("unknown {kind} id: {id}")]
    UnknownId {
        /// What kind of item was looked for ("theme", "post-it", …).
        kind: &'static str,
        /// The id given.
        id: String,
    },
    /// A red–green placement outside 0–100.
    #[error("placement must be between 0 and 100, got {0}")]
    PlacementOutOfRange(i64),
    /// A phase outside 1–5.
    #[error("phase must be between 1 and 5, got {0}")]
    PhaseOutOfRange(i64),
    /// Hours that are negative, not finite or more than a week.
    #[error("hours must be between 0 and 168, got {0}")]
    HoursOutOfRange(f64),
    /// A count that is negative or absurdly large.
    #[error("{field} must be between 0 and {max}, got {value}")]
    CountOutOfRange {
        /// Which field.
        field: &'static str,
        /// The value given.
        value: i64,
        /// The largest allowed value.
        max: i64,
    },
    /// A question id that the assignment kind does not have.
    #[error("assignment {kind} has no question {question}")]
    UnknownQuestion {
        /// The assignment kind.
        kind: String,
        /// The question id given.
        question: String,
    },
    /// An unknown value for an enumerated field (polarity, role, quadrant, …).
    #[error("unknown {field}: {value} (expected one of: {expected})")]
    UnknownValue {
        /// Which field.
        field: &'static str,
        /// The value given.
        value: String,
        /// The accepted values.
        expected: &'static str,
    },
    /// A ranking that names the same theme twice.
    #[error("the ranking names theme {0} more than once")]
    DuplicateInRanking(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("not a date (expected YYYY-MM-DD): {0}")]
    InvalidDate(String),
    /// Only the initiator may do this.
    #[error("only the initiator may {0}")]
    NotInitiator(&'static str),
    /// Only the author may change their own item.
    #[error("only the author may change this {0}")]
    NotAuthor(&'static str),
    /// The trajectory is archived: it is read-only until the initiator unarchives it.
    #[error("this trajectory is archived and read-only")]
    Archived,
    /// Unarchive was asked of a trajectory that is not archived.
    #[error("this trajectory is not archived")]
    NotArchived,
    /// A restore was asked of an item that is not removed.
    #[error("this {kind} is not removed: {id}")]
    NotDeleted {
        /// What kind of item ("theme", "post-it", …).
        kind: &'static str,
        /// The id given.
        id: String,
    },
    /// The automerge document is not a Leerrijk trajectory.
    #[error("this document is not a Leerrijk trajectory ({0})")]
    NotATrajectory(String),
    /// The document was written by a newer Leerrijk.
    #[error(
        "this trajectory was made with a newer version of Leerrijk (schema {found}; this version reads up to {supported}); please update Leerrijk"
    )]
    NewerSchema {
        /// The schema version in the document.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The compiled-in assets could not be read (a build defect).
    #[error("built-in assets are damaged: {0}")]
    Assets(String),
    /// An error from automerge itself.
    #[error("document error: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}
