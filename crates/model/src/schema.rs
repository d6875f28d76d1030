//! The document layout: root keys and field names, in one place.
//!
//! ```text
//! ROOT
//! ├─ schema: int                      SCHEMA_VERSION
//! ├─ kind: "leerrijk-trajectory"
//! ├─ id: str                          trajectory id
//! ├─ meta: map
//! │   ├─ title, school: str
//! │   ├─ initiator: str               participant id
//! │   ├─ phase: int 1–5
//! │   ├─ created_at: int (ms)
//! │   ├─ dates: map  "1".."5" → "YYYY-MM-DD"
//! │   ├─ letter: Text                  information letter (Markdown)
//! │   ├─ hide_postit_authors: bool
//! │   ├─ revealed_at: int (ms)         notes written before this are shown in the debrief
//! │   ├─ silent_since: int (ms)        a silent-writing round started (post-its face down)
//! │   ├─ workshop_timer: map { started_at, minutes }
//! │   └─ archived: map { at, by, heads: [hex] }   absent unless archived
//! ├─ assignments: map  kind → bool     handed out or not
//! ├─ participants: map id → { name, role, joined_at, devices: map device_id → added_at, deleted_at? }
//! ├─ stories: map id → { kind, author, colleague?, times_past_week?, answers: map qid → Text,
//! │                      created_at, shared_at, deleted_at? }
//! ├─ placements: map participant id → { value 0–100, note, updated_at }
//! ├─ logbook: map id → { author, quadrant, hours, text: Text, created_at, deleted_at? }
//! ├─ images: map id → { author, caption: Text, blob, mime, width, height, created_at, deleted_at? }
//! ├─ themes: map id → { title: str (conflicts kept), polarity, created_by?, created_at, deleted_at? }
//! ├─ postits: map id → { text: Text, author?, anonymous, theme? (conflicts kept), colour,
//! │                      created_at, deleted_at? }
//! ├─ groups: map id → { name, members: map pid → true, ranking: list of theme ids, created_at, deleted_at? }
//! ├─ actions: map id → { text: Text, owner?, due?, status, theme?, created_at, deleted_at? }
//! └─ market: map
//!     ├─ offers: map id → { topic: Text, tags: list, people: map name → true, created_at, deleted_at? }
//!     └─ requests: map id → { topic: Text, tags: list, person, from_whom: map name → true, created_at, deleted_at? }
//! ```

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;
/// Value of the root `kind` key.
pub const DOC_KIND: &str = "leerrijk-trajectory";

/// Root keys.
pub mod root {
    /// Schema version.
    pub const SCHEMA: &str = "schema";
    /// Document kind marker.
    pub const KIND: &str = "kind";
    /// Trajectory id.
    pub const ID: &str = "id";
    /// Meta map.
    pub const META: &str = "meta";
    /// Handed-out assignments.
    pub const ASSIGNMENTS: &str = "assignments";
    /// Participants.
    pub const PARTICIPANTS: &str = "participants";
    /// Stories.
    pub const STORIES: &str = "stories";
    /// Red–green placements.
    pub const PLACEMENTS: &str = "placements";
    /// Logbook entries.
    pub const LOGBOOK: &str = "logbook";
    /// Image records.
    pub const IMAGES: &str = "images";
    /// Core themes.
    pub const THEMES: &str = "themes";
    /// Post-its.
    pub const POSTITS: &str = "postits";
    /// Ranking groups.
    pub const GROUPS: &str = "groups";
    /// Actions.
    pub const ACTIONS: &str = "actions";
    /// Marketplace.
    pub const MARKET: &str = "market";
    /// Marketplace offers (inside `market`).
    pub const OFFERS: &str = "offers";
    /// Marketplace requests (inside `market`).
    pub const REQUESTS: &str = "requests";
}

/// Limits on free text, so a mistaken paste cannot bloat the shared document.
pub mod limits {
    /// Short labels: titles, names, tags.
    pub const LABEL: usize = 200;
    /// Post-its, topics, actions, captions.
    pub const NOTE: usize = 2_000;
    /// Story answers and logbook texts.
    pub const ANSWER: usize = 20_000;
    /// The information letter.
    pub const LETTER: usize = 100_000;
}
