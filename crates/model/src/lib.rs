//! # leerrijk-model
//!
//! The trajectory document of a "Leren loont het langst" trajectory: a typed schema over one
//! [automerge](https://docs.rs/automerge) document, the edits a team makes to it, read views, and
//! the analyses the initiator shows in the meetings.
//!
//! ## How the Rust types map onto automerge
//!
//! The mapping is hand-written instead of derived with autosurgeon. Three things in our schema
//! need per-field control that a derive would hide:
//!
//! * **conflicts are shown, not hidden**: a theme renamed by two people at once, or a post-it
//!   dragged onto two themes at once, is read with `get_all` so the UI can show both values until
//!   someone chooses ([`view::Theme::title_conflicts`], [`view::PostIt::theme_conflicts`]);
//! * **free text that several people type into at once** (answers, post-it text, action text,
//!   marketplace topics, the information letter) is an automerge `Text` edited with
//!   `update_text`, while short labels that people *choose* (theme titles, names) are scalars;
//! * **collections are maps keyed by generated ids** (UUIDv7, 32 hex characters) with a soft
//!   delete (`deleted_at`), so concurrent additions never collide and nothing is ever lost.
//!
//! Writing goes through [`Trajectory`]: every edit validates its input, returns a typed
//! [`ModelError`] on bad input, refuses to run on an archived trajectory, and commits one
//! automerge change. Reading goes through [`Trajectory::view`], which hydrates a plain
//! [`view::TrajectoryView`] (serde-serialisable: it is what `leerrijk show --json` prints). The
//! [`analysis`] module holds pure functions over that view.
//!
//! The document layout (root keys) is documented in [`schema`].
//!
//! This crate does no IO: no files, no network, no GUI. Question texts and the letter template
//! are compiled in from `assets/`.

pub mod analysis;
pub mod assignment;
mod clock;
mod doc_util;
mod error;
#[cfg(feature = "generate")]
pub mod generate;
pub mod guard;
pub mod ids;
mod notebook;
pub mod schema;
mod text_norm;
mod trajectory;
pub mod view;

pub use assignment::{AssignmentKind, QuestionCatalog};
pub use clock::Clock;
pub use error::ModelError;
pub use ids::*;
pub use notebook::{DraftStory, Notebook};
pub use text_norm::{normalize_name, normalize_topic, topic_tokens, topic_words};
pub use trajectory::{
    ActionStatus, NewAction, NewImage, NewLogbookEntry, NewPostIt, NewStory, Polarity, Quadrant,
    Role, Trajectory, UpdatedView, ViewUpdate,
};
pub use view::TrajectoryView;

/// Result type of the model.
pub type Result<T, E = ModelError> = std::result::Result<T, E>;
