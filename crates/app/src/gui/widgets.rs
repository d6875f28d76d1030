//! Small building blocks shared by the screens: cards, form fields tied to their labels,
//! the role picker, and [`DraftText`] for text that is saved while typing.

use egui::{Color32, CornerRadius, Frame, Margin, Response, RichText, Stroke, Ui};
use leerrijk_model::Role;

use super::i18n::I18n;
use super::style;

/// A white (or soft dark) card with a thin border.
pub fn card<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let dark = ui.visuals().dark_mode;
    Frame::new()
        .fill(style::card_fill(dark))
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(CornerRadius::same(10))
        .inner_margin(Margin::symmetric(22, 18))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// A tinted box for a hint.
pub fn hint_box<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let dark = ui.visuals().dark_mode;
    Frame::new()
        .fill(style::hint_fill(dark))
        .corner_radius(CornerRadius::same(8))
        .inner_margin(Margin::symmetric(16, 12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// A section title inside a card.
pub fn section_title(ui: &mut Ui, text: impl Into<String>) {
    ui.label(RichText::new(text).size(19.0).strong());
}

/// Quieter explanatory text.
pub fn note(ui: &mut Ui, text: impl Into<String>) -> Response {
    ui.label(RichText::new(text).weak())
}

/// A label above a single-line text field; the field is named by the label (accessibility,
/// and tests find it by that name).
pub fn form_field(ui: &mut Ui, label: &str, text: &mut String, hint: &str, width: f32) -> Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(l.id)
}

/// A button in the accent colour for the main action of a screen or dialog.
pub fn primary_button(ui: &mut Ui, text: impl Into<String>) -> Response {
    let dark = ui.visuals().dark_mode;
    let fg = if dark {
        Color32::from_rgb(0x12, 0x1a, 0x19)
    } else {
        Color32::WHITE
    };
    ui.add(
        egui::Button::new(RichText::new(text).color(fg).strong())
            .fill(style::accent(dark))
            .stroke(Stroke::NONE),
    )
}

/// A combo box to pick a role, with an accessible name. Returns whether the role changed.
pub fn role_combo(
    ui: &mut Ui,
    tr: &I18n,
    id_salt: impl egui::AsIdSalt,
    name: &str,
    role: &mut Role,
) -> bool {
    let before = *role;
    let response = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(tr.role(*role))
        .width(230.0)
        // Tall enough for every role: "Anders" (the last) must not hide below a scroll edge.
        .height(f32::INFINITY)
        .show_ui(ui, |ui| {
            for r in Role::ALL {
                ui.selectable_value(role, *r, tr.role(*r));
            }
        })
        .response;
    let _ = response.accessible_name(name);
    *role != before
}

/// A role picker with a visible label above it.
pub fn role_field(
    ui: &mut Ui,
    tr: &I18n,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    role: &mut Role,
) -> bool {
    ui.label(label);
    role_combo(ui, tr, id_salt, label, role)
}

/// How long typing may pause before a text is saved.
pub const SAVE_AFTER_IDLE_SECS: f64 = 1.0;

/// A text field's local copy of a document text. The field edits the copy; the copy goes to
/// the document when the field loses focus, after a short pause in typing, or on
/// [`DraftText::take_pending`] (leaving the screen, closing the window). While nothing is
/// pending, changes from elsewhere (a peer, another window) replace the copy.
#[derive(Debug, Default, Clone)]
pub struct DraftText {
    /// The text being edited.
    pub text: String,
    /// The document's value when last seen.
    base: String,
    /// When the user last typed (egui time), if the copy differs from the document.
    edited_at: Option<f64>,
}

impl DraftText {
    /// Follows the document value unless the user has unsaved typing.
    ///
    /// Only a *change* of the document value replaces the copy: right after a save the
    /// document may still show the old value (edits are saved on the editor thread), and that
    /// must not undo what was just typed.
    pub fn sync(&mut self, doc_value: &str) {
        if self.base != doc_value {
            doc_value.clone_into(&mut self.base);
            if self.edited_at.is_none() {
                doc_value.clone_into(&mut self.text);
            }
        }
    }

    /// Records the field's response; returns the text to save when it is time.
    pub fn after_edit(&mut self, response: &Response, now: f64) -> Option<String> {
        if response.changed() {
            self.edited_at = Some(now);
        }
        let due = match self.edited_at {
            Some(t) => response.lost_focus() || now - t >= SAVE_AFTER_IDLE_SECS,
            None => false,
        };
        if self.edited_at.is_some() && !due {
            response
                .ctx
                .request_repaint_after(std::time::Duration::from_secs_f64(SAVE_AFTER_IDLE_SECS));
        }
        if due { self.take_pending() } else { None }
    }

    /// Whether the copy has typing not handed to the document yet.
    pub fn is_pending(&self) -> bool {
        self.edited_at.is_some()
    }

    /// The unsaved text, if any (it counts as saved from now on).
    pub fn take_pending(&mut self) -> Option<String> {
        self.edited_at.take()?;
        Some(self.text.clone())
    }
}
