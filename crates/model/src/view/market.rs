use serde::Serialize;

/// An offer on the marketplace of internal expertise ("aanbod").
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Offer {
    /// Id.
    pub id: String,
    /// The expertise on offer.
    pub topic: String,
    /// Tags for matching.
    pub tags: Vec<String>,
    /// Names of the people who offer it.
    pub people: Vec<String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}

/// A request on the marketplace ("vraag"): what someone wants to learn, optionally from whom.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Request {
    /// Id.
    pub id: String,
    /// What someone wants to learn.
    pub topic: String,
    /// Tags for matching.
    pub tags: Vec<String>,
    /// Who asks.
    pub person: String,
    /// From whom they would like to learn it, if known.
    pub from_whom: Vec<String>,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
