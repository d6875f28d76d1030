//! Photos for "Mooie beelden": importing (decode, turn upright, downscale, re-encode as JPEG,
//! store as a blob) and thumbnails (read a blob, decode, shrink, upload as a texture), both on
//! worker threads. The document only ever holds a photo's BLAKE3 hash; the bytes live in the
//! data directory's blob store.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Rgb, RgbImage};
use leerrijk_store::DataDir;

use crate::gui::repaint::Repaint;

/// The longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// JPEG quality of stored photos.
pub const JPEG_QUALITY: u8 = 80;
/// The longest side of a thumbnail texture, in pixels.
pub const THUMB_SIDE: u32 = 360;
/// Files larger than this are not read as photos.
pub const MAX_FILE_BYTES: u64 = 60 * 1024 * 1024;
/// How long to wait before looking again for a photo that has not arrived yet.
const MISSING_RETRY: Duration = Duration::from_secs(5);

/// Why a photo could not be added.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is too large to be a photo we accept.
    #[error("{path} is too large ({bytes} bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// Not a JPEG or PNG image.
    #[error("not a JPEG or PNG photo")]
    Unsupported,
    /// The image data is damaged.
    #[error("the photo could not be decoded: {0}")]
    Decode(String),
    /// Writing the downscaled photo failed.
    #[error("the photo could not be stored: {0}")]
    Store(String),
}

/// A photo ready to store: JPEG bytes and their size.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// JPEG bytes (no metadata: location and camera data are not kept).
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Decodes a JPEG or PNG, turns it upright (EXIF orientation), shrinks it so its longest side
/// is at most [`MAX_SIDE`], flattens transparency onto white and encodes it as JPEG.
pub fn prepare_photo(bytes: &[u8]) -> Result<Prepared, PhotoError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return Err(PhotoError::Unsupported);
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    let orientation = decoder.orientation().ok();
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| PhotoError::Decode(e.to_string()))?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width().max(img.height()) > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    let rgb = flatten_on_white(&img);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    Ok(Prepared {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

fn flatten_on_white(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p.0[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        *o = Rgb([mix(p.0[0]), mix(p.0[1]), mix(p.0[2])]);
    }
    out
}

fn read_photo_file(path: &Path) -> Result<Vec<u8>, PhotoError> {
    let read = |source| PhotoError::Read {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(read)?.len();
    if len > MAX_FILE_BYTES {
        return Err(PhotoError::TooLarge {
            path: path.to_path_buf(),
            bytes: len,
        });
    }
    std::fs::read(path).map_err(read)
}

/// Reads, prepares and stores a photo file; returns the blob hash and the prepared size.
pub fn import_photo(data_dir: &DataDir, path: &Path) -> Result<(String, u32, u32), PhotoError> {
    let bytes = read_photo_file(path)?;
    let prepared = prepare_photo(&bytes)?;
    let hash = data_dir
        .put_blob(&prepared.jpeg)
        .map_err(|e| PhotoError::Store(e.to_string()))?;
    Ok((hash, prepared.width, prepared.height))
}

/// A stored photo, ready to be recorded in the trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Trajectory id.
    pub trajectory: String,
    /// Caption typed before adding.
    pub caption: String,
    /// BLAKE3 hash of the stored JPEG.
    pub blob: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A finished photo job.
#[derive(Debug)]
pub enum PhotoDone {
    /// A photo was stored.
    Imported(Imported),
    /// A photo could not be added.
    Failed {
        /// Trajectory id.
        trajectory: String,
        /// The file's name.
        name: String,
        /// Why.
        error: PhotoError,
    },
    /// The file dialog returned (possibly nothing).
    Picked {
        /// Trajectory id.
        trajectory: String,
        /// Caption typed before picking.
        caption: String,
        /// The chosen files.
        paths: Vec<PathBuf>,
    },
    /// A photo was decoded at full size for the viewer (`None`: not in the blob store yet).
    Full {
        /// Blob hash.
        hash: String,
        /// The pixels, or why not.
        result: Result<Option<egui::ColorImage>, String>,
    },
    /// A thumbnail was decoded (`None`: the photo is not in the blob store yet).
    Thumb {
        /// Blob hash.
        hash: String,
        /// The pixels, or why not.
        result: Result<Option<egui::ColorImage>, String>,
    },
}

/// A thumbnail's state.
#[derive(Clone)]
pub enum Thumb {
    /// Being read.
    Loading,
    /// Ready to draw.
    Ready(egui::TextureHandle),
    /// The photo has not arrived on this laptop yet.
    Missing(Instant),
    /// The stored photo could not be read.
    Failed(String),
}

/// Photo jobs and the thumbnail cache.
pub struct Photos {
    data_dir: DataDir,
    repaint: Repaint,
    tx: Sender<PhotoDone>,
    rx: Receiver<PhotoDone>,
    pending: Arc<AtomicUsize>,
    importing: HashMap<String, usize>,
    thumbs: HashMap<String, Thumb>,
    /// The one photo open in the viewer, at full size.
    full: Option<(String, Thumb)>,
}

impl std::fmt::Debug for Photos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photos")
            .field("importing", &self.importing)
            .field("thumbs", &self.thumbs.len())
            .finish_non_exhaustive()
    }
}

impl Photos {
    /// Photo jobs on a data directory.
    pub fn new(data_dir: DataDir, repaint: Repaint) -> Self {
        let (tx, rx) = channel();
        Photos {
            data_dir,
            repaint,
            tx,
            rx,
            pending: Arc::new(AtomicUsize::new(0)),
            importing: HashMap::new(),
            thumbs: HashMap::new(),
            full: None,
        }
    }

    fn spawn(&self, name: &str, job: impl FnOnce() -> PhotoDone + Send + 'static) {
        let tx = self.tx.clone();
        let pending = self.pending.clone();
        let repaint = self.repaint.clone();
        pending.fetch_add(1, Ordering::SeqCst);
        let run = move || {
            let done = job();
            let _ = tx.send(done);
            pending.fetch_sub(1, Ordering::SeqCst);
            repaint.request();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(format!("leerrijk-{name}"))
            .spawn(run)
        {
            self.pending.fetch_sub(1, Ordering::SeqCst);
            tracing::error!(error = %e, "could not start a photo thread");
        }
    }

    /// Asks for photo files (native file dialog); the answer comes back as [`PhotoDone::Picked`].
    pub fn pick(&self, trajectory: String, caption: String, filter_name: String) {
        self.spawn("pick-photos", move || {
            let paths = rfd::FileDialog::new()
                .add_filter(filter_name, &["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"])
                .pick_files()
                .unwrap_or_default();
            PhotoDone::Picked {
                trajectory,
                caption,
                paths,
            }
        });
    }

    /// Imports a photo file in the background.
    pub fn import(&mut self, trajectory: String, path: PathBuf, caption: String) {
        *self.importing.entry(trajectory.clone()).or_default() += 1;
        let data_dir = self.data_dir.clone();
        self.spawn("import-photo", move || {
            match import_photo(&data_dir, &path) {
                Ok((blob, width, height)) => PhotoDone::Imported(Imported {
                    trajectory,
                    caption,
                    blob,
                    width,
                    height,
                }),
                Err(error) => PhotoDone::Failed {
                    trajectory,
                    name: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string()),
                    error,
                },
            }
        });
    }

    /// How many photos of a trajectory are being imported.
    pub fn importing(&self, trajectory: &str) -> usize {
        self.importing.get(trajectory).copied().unwrap_or(0)
    }

    /// Finished jobs since the last call. Thumbnails become textures here; imports, failures
    /// and picks are returned for the executor.
    pub fn drain(&mut self, ctx: &egui::Context) -> Vec<PhotoDone> {
        let mut out = Vec::new();
        for done in self.rx.try_iter().collect::<Vec<_>>() {
            match done {
                PhotoDone::Thumb { hash, result } => {
                    let thumb = match result {
                        Ok(Some(img)) => Thumb::Ready(ctx.load_texture(
                            format!("photo-{hash}"),
                            img,
                            egui::TextureOptions::LINEAR,
                        )),
                        Ok(None) => Thumb::Missing(Instant::now()),
                        Err(e) => Thumb::Failed(e),
                    };
                    self.thumbs.insert(hash, thumb);
                }
                PhotoDone::Full { hash, result } => {
                    if self.full.as_ref().is_some_and(|(h, _)| *h == hash) {
                        let state = match result {
                            Ok(Some(img)) => Thumb::Ready(ctx.load_texture(
                                format!("photo-full-{hash}"),
                                img,
                                egui::TextureOptions::LINEAR,
                            )),
                            Ok(None) => Thumb::Missing(Instant::now()),
                            Err(e) => Thumb::Failed(e),
                        };
                        self.full = Some((hash, state));
                    }
                }
                PhotoDone::Imported(ref i) => {
                    self.finish_import(&i.trajectory.clone());
                    out.push(done);
                }
                PhotoDone::Failed { ref trajectory, .. } => {
                    self.finish_import(&trajectory.clone());
                    out.push(done);
                }
                PhotoDone::Picked { .. } => out.push(done),
            }
        }
        out
    }

    fn finish_import(&mut self, trajectory: &str) {
        if let Some(n) = self.importing.get_mut(trajectory) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.importing.remove(trajectory);
            }
        }
    }

    /// The thumbnail of a blob; starts reading it if not cached (or looks again for a photo
    /// that had not arrived).
    pub fn thumbnail(&mut self, hash: &str) -> Thumb {
        let retry = match self.thumbs.get(hash) {
            Some(Thumb::Missing(since)) => since.elapsed() >= MISSING_RETRY,
            Some(t) => return t.clone(),
            None => true,
        };
        if retry {
            self.thumbs.insert(hash.to_owned(), Thumb::Loading);
            let data_dir = self.data_dir.clone();
            let hash = hash.to_owned();
            self.spawn("thumbnail", move || {
                let result = load_thumbnail(&data_dir, &hash);
                PhotoDone::Thumb { hash, result }
            });
        }
        self.thumbs.get(hash).cloned().unwrap_or(Thumb::Loading)
    }

    /// The photo for the viewer at full size; starts reading it if it is not the one loaded.
    pub fn full(&mut self, hash: &str) -> Thumb {
        if let Some((h, t)) = &self.full
            && h == hash
        {
            return t.clone();
        }
        self.full = Some((hash.to_owned(), Thumb::Loading));
        let data_dir = self.data_dir.clone();
        let hash = hash.to_owned();
        self.spawn("photo", move || {
            let result = load_scaled(&data_dir, &hash, MAX_SIDE);
            PhotoDone::Full { hash, result }
        });
        Thumb::Loading
    }

    /// Closes the viewer's photo (its texture is freed).
    pub fn close_full(&mut self) {
        self.full = None;
    }

    /// Whether photo jobs are running.
    pub fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }
}

fn load_thumbnail(data_dir: &DataDir, hash: &str) -> Result<Option<egui::ColorImage>, String> {
    load_scaled(data_dir, hash, THUMB_SIDE)
}

/// A stored photo as pixels, at most `side` pixels on its longest side.
fn load_scaled(
    data_dir: &DataDir,
    hash: &str,
    side: u32,
) -> Result<Option<egui::ColorImage>, String> {
    let Some(bytes) = data_dir.get_blob(hash).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let img = image::load_from_memory(&bytes).map_err(|e| e.to_string())?;
    let small = if img.width().max(img.height()) > side {
        img.thumbnail(side, side)
    } else {
        img
    }
    .to_rgba8();
    let size = [small.width() as usize, small.height() as usize];
    Ok(Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        small.as_raw(),
    )))
}

#[cfg(test)]
mod tests {
    use image::{ImageEncoder, Rgba, RgbaImage};

    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img = RgbaImage::from_fn(w, h, |x, y| {
            Rgba([(x % 256) as u8, (y % 256) as u8, 120, alpha])
        });
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    #[test]
    fn large_photos_are_downscaled_to_jpeg_keeping_the_aspect_ratio() {
        let p = prepare_photo(&png(2400, 1200, 255)).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(
            image::guess_format(&p.jpeg).unwrap(),
            ImageFormat::Jpeg,
            "stored as JPEG"
        );
        let back = image::load_from_memory(&p.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (1600, 800));
    }

    #[test]
    fn small_photos_keep_their_size_and_transparency_becomes_white() {
        let p = prepare_photo(&png(300, 200, 0)).unwrap();
        assert_eq!((p.width, p.height), (300, 200));
        let back = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        let px = back.get_pixel(150, 100).0;
        assert!(px.iter().all(|c| *c > 240), "{px:?}");
    }

    #[test]
    fn other_files_are_refused_clearly() {
        assert!(matches!(
            prepare_photo(b"GIF89a not really"),
            Err(PhotoError::Unsupported)
        ));
        assert!(matches!(
            prepare_photo(b"hello"),
            Err(PhotoError::Unsupported)
        ));
        let mut broken = png(40, 40, 255);
        broken.truncate(60);
        assert!(matches!(prepare_photo(&broken), Err(PhotoError::Decode(_))));
    }

    #[test]
    fn import_stores_the_blob_under_its_hash() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::open(tmp.path().join("data")).unwrap();
        let file = tmp.path().join("plein.png");
        std::fs::write(&file, png(800, 600, 255)).unwrap();
        let (hash, w, h) = import_photo(&dir, &file).unwrap();
        assert_eq!((w, h), (800, 600));
        let blob = dir.get_blob(&hash).unwrap().unwrap();
        assert_eq!(blake3_hex(&blob), hash);
        let thumb = load_thumbnail(&dir, &hash).unwrap().unwrap();
        assert_eq!(thumb.size, [360, 270]);
        assert!(matches!(
            import_photo(&dir, &tmp.path().join("absent.jpg")),
            Err(PhotoError::Read { .. })
        ));
    }

    fn blake3_hex(bytes: &[u8]) -> String {
        // The store names blobs by their BLAKE3 hash; check through the store's own API.
        let tmp = tempfile::tempdir().unwrap();
        DataDir::open(tmp.path()).unwrap().put_blob(bytes).unwrap()
    }
}
