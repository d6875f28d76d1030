use serde::Serialize;

/// A "beautiful image": a photo (stored as a blob beside the document) with a caption.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Image {
    /// Id.
    pub id: String,
    /// Participant id of the author.
    pub author: String,
    /// Why it is beautiful.
    pub caption: String,
    /// BLAKE3 hash (hex) of the downscaled photo bytes.
    pub blob: String,
    /// MIME type of the blob.
    pub mime: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Created (ms since epoch).
    pub created_at: i64,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}
