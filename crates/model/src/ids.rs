//! Generated ids. Every collection in the document is a map keyed by one of these.
//!
//! Ids are UUIDv7 in their 32-character lowercase hex form: sortable by creation time,
//! unique without coordination, and safe as file and directory names.

/// Id of a trajectory (also its directory name on disk).
pub type TrajectoryId = String;
/// Id of a participant.
pub type ParticipantId = String;
/// Id of a story (the answers to one practice assignment).
pub type StoryId = String;
/// Id of a logbook entry.
pub type LogbookEntryId = String;
/// Id of an image record.
pub type ImageId = String;
/// Id of a core theme.
pub type ThemeId = String;
/// Id of a post-it.
pub type PostItId = String;
/// Id of a ranking group.
pub type GroupId = String;
/// Id of an action.
pub type ActionId = String;
/// Id of a marketplace offer.
pub type OfferId = String;
/// Id of a marketplace request.
pub type RequestId = String;

/// A fresh id: UUIDv7 as 32 lowercase hex characters.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Whether `s` has the shape of an id made by [`new_id`].
pub fn is_valid_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
