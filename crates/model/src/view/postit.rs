use serde::Serialize;

/// A post-it: one point, optionally on a theme.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PostIt {
    /// Id.
    pub id: String,
    /// The point.
    pub text: String,
    /// Participant id of the author; `None` for anonymous notes, notes without author, or when
    /// the initiator hides authors.
    pub author: Option<String>,
    /// Written as an anonymous note.
    pub anonymous: bool,
    /// Theme it sticks on, if any.
    pub theme: Option<String>,
    /// Every theme it was moved to concurrently while a conflict stands (empty when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub theme_conflicts: Vec<String>,
    /// Colour name (yellow, pink, green, blue, orange).
    pub colour: String,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
