//! Image records ("mooie beelden"): the photo bytes live in the blob store, the document holds
//! the hash, size and caption.

use automerge::ObjType;
use automerge::transaction::Transactable;

use super::{Trajectory, check_len, clean_label};
use crate::doc_util::{put_text, update_text_at};
use crate::schema::{limits, root};
use crate::{ImageId, ModelError, Result, new_id};

/// An image record to add.
#[derive(Clone, Debug, PartialEq)]
pub struct NewImage {
    /// Participant id of the author.
    pub author: String,
    /// Why it is beautiful.
    pub caption: String,
    /// BLAKE3 hash (64 hex characters) of the stored, downscaled photo.
    pub blob: String,
    /// MIME type (`image/jpeg` or `image/png`).
    pub mime: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Trajectory {
    /// Adds an image record.
    pub fn add_image(&mut self, image: NewImage) -> Result<ImageId> {
        check_len(&image.caption, "caption", limits::NOTE)?;
        if image.blob.len() != 64 || !image.blob.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ModelError::UnknownValue {
                field: "blob hash",
                value: image.blob.clone(),
                expected: "64 hex characters (BLAKE3)",
            });
        }
        let mime = clean_label(&image.mime, "mime")?;
        if !matches!(mime.as_str(), "image/jpeg" | "image/png" | "image/webp") {
            return Err(ModelError::UnknownValue {
                field: "mime",
                value: mime,
                expected: "image/jpeg, image/png, image/webp",
            });
        }
        self.edit("add image", |t, now| {
            t.require_participant(&image.author)?;
            let coll = t.obj(root::IMAGES)?;
            let id = new_id();
            let i = t.doc.put_object(&coll, id.as_str(), ObjType::Map)?;
            t.doc.put(&i, "author", image.author.as_str())?;
            put_text(&mut t.doc, &i, "caption", image.caption.trim())?;
            t.doc.put(&i, "blob", image.blob.to_lowercase())?;
            t.doc.put(&i, "mime", mime.as_str())?;
            t.doc.put(&i, "width", i64::from(image.width))?;
            t.doc.put(&i, "height", i64::from(image.height))?;
            t.doc.put(&i, "created_at", now)?;
            Ok(id)
        })
    }

    /// Changes an image's caption.
    pub fn set_image_caption(&mut self, id: &str, caption: &str) -> Result<()> {
        check_len(caption, "caption", limits::NOTE)?;
        self.edit("edit caption", |t, _| {
            let coll = t.obj(root::IMAGES)?;
            let i = t.live_item(&coll, id, "image")?;
            update_text_at(&mut t.doc, &i, "caption", caption.trim())
        })
    }

    /// Removes an image record (the blob stays in the store).
    pub fn delete_image(&mut self, id: &str) -> Result<()> {
        self.soft_delete_blanking(root::IMAGES, id, "image", &["caption"])
    }
}

#[cfg(test)]
mod tests {
    use super::NewImage;
    use crate::ModelError;
    use crate::trajectory::test_support::fresh;

    #[test]
    fn add_caption_delete_image() {
        let (mut t, init) = fresh();
        let img = NewImage {
            author: init.clone(),
            caption: "Het leesplein".into(),
            blob: "ab".repeat(32),
            mime: "image/jpeg".into(),
            width: 800,
            height: 600,
        };
        let id = t.add_image(img.clone()).unwrap();
        t.set_image_caption(&id, "Het nieuwe leesplein").unwrap();
        let v = t.view();
        assert_eq!(v.images[0].caption, "Het nieuwe leesplein");
        assert_eq!((v.images[0].width, v.images[0].height), (800, 600));
        let mut bad = img.clone();
        bad.blob = "xyz".into();
        assert!(matches!(
            t.add_image(bad),
            Err(ModelError::UnknownValue { .. })
        ));
        let mut bad = img.clone();
        bad.mime = "text/html".into();
        assert!(matches!(
            t.add_image(bad),
            Err(ModelError::UnknownValue { .. })
        ));
        t.delete_image(&id).unwrap();
        assert!(t.view().images.is_empty());
    }
}
