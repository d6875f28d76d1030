//! [`Phase2Services`]: the app-wide parts phase 2 needs beside the trajectory document — the
//! private notebook and the photo jobs. The app owns one; screens read it through
//! [`PhaseCtx`](crate::gui::phases::PhaseCtx), and only the executor changes the notebook.

use std::time::{Duration, Instant};

use leerrijk_store::DataDir;

use super::drafts::Drafts;
use super::photos::Photos;
use crate::gui::repaint::Repaint;

/// The notebook of private drafts and the photo jobs of this data directory.
#[derive(Debug)]
pub struct Phase2Services {
    /// Private drafts.
    pub drafts: Drafts,
    /// Photo imports and thumbnails.
    pub photos: Photos,
}

impl Phase2Services {
    /// Starts loading the notebook of `data_dir`.
    pub fn new(data_dir: &DataDir, repaint: Repaint) -> Self {
        Phase2Services {
            drafts: Drafts::open(data_dir.clone(), repaint.clone()),
            photos: Photos::new(data_dir.clone(), repaint),
        }
    }

    /// Waits (at most `timeout`) until the notebook is loaded and no photo job runs.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        if !self.drafts.wait_loaded(timeout) {
            return false;
        }
        while self.photos.busy() {
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}
