use serde::Serialize;

/// A group that ranks the theme strips in phase 4.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Group {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Participant ids of the members.
    pub members: Vec<String>,
    /// Theme ids, most important first. Duplicates from concurrent moves and deleted themes are
    /// dropped; themes the group has not placed yet are not listed (see `unranked`).
    pub ranking: Vec<String>,
    /// Live themes this group has not placed yet.
    pub unranked: Vec<String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
