//! Where the report gets photo bytes from.

/// Gives the bytes of a photo blob by its BLAKE3 hex hash (`None` when it is not available).
///
/// Implemented for every `Fn(&str) -> Option<Vec<u8>>`, so a closure over the store's
/// `DataDir::get_blob` will do.
pub trait BlobSource {
    /// The bytes of the blob with this hash, if available.
    fn blob(&self, hash: &str) -> Option<Vec<u8>>;
}

impl<F: Fn(&str) -> Option<Vec<u8>>> BlobSource for F {
    fn blob(&self, hash: &str) -> Option<Vec<u8>> {
        self(hash)
    }
}

/// A [`BlobSource`] without any photos: the report shows a placeholder for each.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoBlobs;

impl BlobSource for NoBlobs {
    fn blob(&self, _hash: &str) -> Option<Vec<u8>> {
        None
    }
}
