//! The invite dialog: the ticket as text (copy, save as file) and as a QR code.

use egui::{ColorImage, RichText, TextureHandle, TextureOptions};
use qrcode::{Color, QrCode};

use super::command::Command;
use super::i18n::I18n;
use super::sync_port::SyncError;
use super::widgets;

/// Modules of white space around the code (the QR standard's quiet zone).
const QUIET: usize = 4;
/// Pixels per module in the texture (drawn with nearest-neighbour sampling).
const SCALE: usize = 4;

/// Renders `text` as a QR code image (black on white, with a quiet zone).
pub fn qr_image(text: &str) -> Option<ColorImage> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let side = (w + 2 * QUIET) * SCALE;
    let mut pixels = vec![egui::Color32::WHITE; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let (mx, my) = (i % w + QUIET, i / w + QUIET);
        for dy in 0..SCALE {
            let row = (my * SCALE + dy) * side;
            for dx in 0..SCALE {
                pixels[row + mx * SCALE + dx] = egui::Color32::BLACK;
            }
        }
    }
    Some(ColorImage::new([side, side], pixels))
}

/// The QR texture for a ticket, created once per ticket.
#[derive(Default)]
pub struct QrCache {
    current: Option<(String, Option<TextureHandle>)>,
}

impl std::fmt::Debug for QrCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrCache").finish_non_exhaustive()
    }
}

impl QrCache {
    fn texture(&mut self, ctx: &egui::Context, ticket: &str) -> Option<TextureHandle> {
        if self.current.as_ref().is_none_or(|(t, _)| t != ticket) {
            // Upper case: tickets read in any case, and QR's alphanumeric mode makes the code
            // about a third smaller (easier to scan from across the table).
            let tex = qr_image(&ticket.to_ascii_uppercase())
                .map(|img| ctx.load_texture("invite-qr", img, TextureOptions::NEAREST));
            self.current = Some((ticket.to_owned(), tex));
        }
        self.current.as_ref().and_then(|(_, t)| t.clone())
    }
}

/// The dialog's content. `ticket` is what the sync port answered.
pub fn ui(
    ui: &mut egui::Ui,
    tr: &I18n,
    qr: &mut QrCache,
    title: &str,
    ticket: &Result<String, SyncError>,
    commands: &mut Vec<Command>,
) {
    ui.heading(tr.t("invite.title"));
    widgets::note(ui, tr.f("invite.for", &[("title", &title)]));
    ui.add_space(6.0);
    match ticket {
        Ok(ticket) => {
            ui.label(tr.t("invite.explain"));
            ui.add_space(6.0);
            ui.horizontal_top(|ui| {
                if let Some(tex) = qr.texture(ui.ctx(), ticket) {
                    let size = tex.size_vec2().min(egui::vec2(260.0, 260.0));
                    ui.add(egui::Image::new((tex.id(), size)).alt_text(tr.t("invite.qr_alt")));
                }
                ui.vertical(|ui| {
                    let l = ui.label(RichText::new(tr.t("invite.ticket")).strong());
                    let mut shown = ticket.clone();
                    ui.add(
                        egui::TextEdit::multiline(&mut shown)
                            .font(egui::TextStyle::Monospace)
                            .desired_rows(6)
                            .desired_width(360.0)
                            .interactive(true),
                    )
                    .labelled_by(l.id);
                    ui.horizontal(|ui| {
                        if widgets::primary_button(ui, tr.t("invite.copy")).clicked() {
                            commands.push(Command::CopyText(ticket.clone()));
                        }
                        if ui.button(tr.t("invite.save_file")).clicked() {
                            commands.push(Command::SaveInviteFile {
                                ticket: ticket.clone(),
                                title: title.to_owned(),
                            });
                        }
                    });
                });
            });
            ui.add_space(6.0);
            widgets::note(ui, tr.t("invite.private"));
        }
        Err(SyncError::Preparing) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr.t("sync.invite_preparing"));
            });
        }
        Err(SyncError::Unavailable) => {
            widgets::hint_box(ui, |ui| {
                ui.label(RichText::new(tr.t("invite.unavailable.title")).strong());
                ui.label(tr.t("invite.unavailable.body"));
            });
        }
        Err(e) => {
            ui.label(
                RichText::new(tr.f("invite.error", &[("error", e)]))
                    .color(ui.visuals().error_fg_color),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_image_is_square_with_quiet_zone_and_dark_modules() {
        let img = qr_image("leerrijk-invite-example-0123456789abcdef").unwrap();
        let [w, h] = img.size;
        assert_eq!(w, h);
        assert_eq!(w % SCALE, 0);
        // The quiet zone is white; the finder pattern's corner (just inside it) is dark.
        assert_eq!(img.pixels[0], egui::Color32::WHITE);
        let corner = QUIET * SCALE;
        assert_eq!(img.pixels[corner * w + corner], egui::Color32::BLACK);
        assert!(
            img.pixels
                .iter()
                .filter(|p| **p == egui::Color32::BLACK)
                .count()
                > w
        );
    }
}
