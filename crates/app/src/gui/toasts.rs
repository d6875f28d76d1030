//! Short messages at the bottom of the window: confirmations and errors.

use egui::{Align2, Color32, CornerRadius, Frame, Margin, RichText};

/// How a message looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Something worked.
    Info,
    /// Something did not work.
    Error,
}

#[derive(Debug, Clone)]
struct Toast {
    kind: Kind,
    text: String,
    shown_at: Option<f64>,
}

/// The queue of messages.
#[derive(Debug, Default)]
pub struct Toasts {
    items: Vec<Toast>,
}

const SHOW_SECS: f64 = 5.0;

impl Toasts {
    /// Adds a message.
    pub fn push(&mut self, kind: Kind, text: impl Into<String>) {
        let text = text.into();
        tracing::info!(?kind, "{text}");
        self.items.push(Toast {
            kind,
            text,
            shown_at: None,
        });
    }

    /// The texts currently queued (for tests).
    pub fn texts(&self) -> Vec<String> {
        self.items.iter().map(|t| t.text.clone()).collect()
    }

    /// Draws the messages and drops old ones.
    pub fn show(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.items
            .retain(|t| t.shown_at.is_none_or(|s| now - s < SHOW_SECS));
        if self.items.is_empty() {
            return;
        }
        let dark = ctx.global_style().visuals.dark_mode;
        egui::Area::new(egui::Id::unique("leerrijk-toasts"))
            .anchor(Align2::CENTER_BOTTOM, [0.0, -24.0])
            .order(egui::Order::Foreground)
            .interactable(false)
            .show(ctx, |ui| {
                for t in &mut self.items {
                    t.shown_at.get_or_insert(now);
                    let (fill, fg) = match (t.kind, dark) {
                        (Kind::Info, false) => {
                            (Color32::from_rgb(0x2b, 0x4a, 0x48), Color32::WHITE)
                        }
                        (Kind::Info, true) => (Color32::from_rgb(0xd8, 0xe8, 0xe6), Color32::BLACK),
                        (Kind::Error, false) => {
                            (Color32::from_rgb(0x8a, 0x2c, 0x1f), Color32::WHITE)
                        }
                        (Kind::Error, true) => {
                            (Color32::from_rgb(0xf2, 0xc4, 0xb8), Color32::BLACK)
                        }
                    };
                    Frame::new()
                        .fill(fill)
                        .corner_radius(CornerRadius::same(8))
                        .inner_margin(Margin::symmetric(18, 10))
                        .show(ui, |ui| {
                            ui.set_max_width(640.0);
                            ui.label(RichText::new(&t.text).color(fg));
                        });
                }
            });
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }
}
