//! A handle other threads use to wake the GUI.

use std::sync::{Arc, Mutex, PoisonError};

/// Wakes the GUI from any thread (the hub's listeners, background jobs, the sync runtime).
/// Before the window exists it does nothing.
#[derive(Clone, Default, Debug)]
pub struct Repaint(Arc<Mutex<Option<egui::Context>>>);

impl Repaint {
    /// Connects the handle to the window's context.
    pub fn attach(&self, ctx: &egui::Context) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(ctx.clone());
    }

    /// Asks for a new frame.
    pub fn request(&self) {
        if let Some(ctx) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            ctx.request_repaint();
        }
    }
}
