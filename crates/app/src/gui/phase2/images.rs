//! "Mooie beelden": add photos (file dialog or drag-and-drop onto the window) with a caption,
//! and the team's photos as thumbnails. Imports run off the GUI thread
//! ([`super::photos`]); the thumbnails are textures cached per blob hash.

use std::collections::HashMap;

use egui::{Align2, Color32, FontId, Id, LayerId, Order, RichText, Vec2};

use super::Phase2Command;
use super::photos::Thumb;
use crate::gui::command::{Command, Edit};
use crate::gui::i18n::I18n;
use crate::gui::phases::PhaseCtx;
use crate::gui::widgets::{self, DraftText};

/// The width of one photo tile.
const TILE_W: f32 = 250.0;
/// The largest size a thumbnail is drawn at.
const THUMB_MAX: Vec2 = Vec2::new(250.0, 190.0);

/// The caption for new photos and the captions of one's own photos being edited.
#[derive(Debug, Default)]
pub struct Images {
    caption: String,
    /// The caption handed to the file dialog: the field keeps it until photos arrive, so
    /// cancelling the dialog does not throw the typed caption away.
    caption_picking: Option<(String, usize)>,
    captions: HashMap<String, DraftText>,
    confirm_delete: Option<String>,
    /// The photo shown large (image id).
    viewing: Option<String>,
}

impl Images {
    /// The caption typed for the next photos (the field is cleared).
    pub fn take_caption(&mut self) -> String {
        std::mem::take(&mut self.caption).trim().to_owned()
    }

    /// Draws the add controls and the photos.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>, me: &str) {
        let tr = cx.tr;
        let trajectory = cx.trajectory().to_owned();
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase2.images.title"));
            widgets::note(ui, tr.t("phase2.images.intro"));
            ui.add_space(8.0);
            let l = ui.label(tr.t("phase2.images.caption"));
            ui.add(
                egui::TextEdit::singleline(&mut self.caption)
                    .hint_text(tr.t("phase2.images.caption_hint"))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if widgets::primary_button(ui, tr.t("phase2.images.pick")).clicked() {
                    let caption = self.caption.trim().to_owned();
                    self.caption_picking = Some((self.caption.clone(), cx.view.images.len()));
                    cx.push(Command::Phase2(Phase2Command::PickPhotos {
                        trajectory: trajectory.clone(),
                        caption,
                    }));
                }
                ui.label(RichText::new(tr.t("phase2.images.drop_hint")).weak());
            });
            let busy = cx.phase2.photos.importing(&trajectory);
            // Photos from the dialog are on their way (or already in): now the caption went
            // with them.
            if let Some((sent, before)) = &self.caption_picking
                && (busy > 0 || cx.view.images.len() > *before)
            {
                if *sent == self.caption {
                    self.caption.clear();
                }
                self.caption_picking = None;
            }
            if busy > 0 {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr.f("phase2.images.importing", &[("n", &busy)]));
                });
            }
        });
        ui.add_space(12.0);
        let images = &cx.view.images;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.f("phase2.images.gallery", &[("n", &images.len())]));
            if images.is_empty() {
                widgets::note(ui, tr.t("phase2.images.none"));
                return;
            }
            ui.add_space(4.0);
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing = egui::vec2(14.0, 14.0);
                for img in images {
                    let mine = img.author == me;
                    ui.vertical(|ui| {
                        ui.set_width(TILE_W);
                        let thumb = cx.phase2.photos.thumbnail(&img.blob);
                        let alt = if img.caption.is_empty() {
                            tr.f(
                                "phase2.images.alt",
                                &[("name", &cx.view.name_of(&img.author))],
                            )
                        } else {
                            img.caption.clone()
                        };
                        if thumbnail(ui, tr, &thumb, &alt).is_some_and(|r| r.clicked()) {
                            self.viewing = Some(img.id.clone());
                        }
                        ui.label(
                            RichText::new(tr.f(
                                "phase2.images.by",
                                &[("name", &cx.view.name_of(&img.author))],
                            ))
                            .small()
                            .weak(),
                        );
                        if mine {
                            let field = self.captions.entry(img.id.clone()).or_default();
                            field.sync(&img.caption);
                            let l =
                                ui.label(RichText::new(tr.t("phase2.images.caption_own")).small());
                            let r = ui
                                .add(
                                    egui::TextEdit::multiline(&mut field.text)
                                        .desired_rows(2)
                                        .hint_text(tr.t("phase2.images.caption_hint"))
                                        .desired_width(TILE_W),
                                )
                                .labelled_by(l.id);
                            if let Some(caption) = field.after_edit(&r, cx.now) {
                                cx.edit(Edit::SetImageCaption {
                                    image: img.id.clone(),
                                    caption,
                                });
                            }
                            ui.horizontal_wrapped(|ui| {
                                if self.confirm_delete.as_deref() == Some(img.id.as_str()) {
                                    if ui.button(tr.t("phase2.images.delete_yes")).clicked() {
                                        self.confirm_delete = None;
                                        cx.edit(Edit::DeleteImage {
                                            image: img.id.clone(),
                                        });
                                    }
                                    if ui.button(tr.t("common.cancel")).clicked() {
                                        self.confirm_delete = None;
                                    }
                                } else if ui.button(tr.t("phase2.images.delete")).clicked() {
                                    self.confirm_delete = Some(img.id.clone());
                                }
                            });
                        } else if !img.caption.is_empty() {
                            ui.label(&img.caption);
                        }
                    });
                }
            });
        });
        self.viewer(ui, cx);
    }

    /// The photo shown large, over the screen, with its caption and author.
    fn viewer(&mut self, ui: &egui::Ui, cx: &mut PhaseCtx<'_>) {
        let Some(id) = self.viewing.clone() else {
            return;
        };
        let tr = cx.tr;
        let Some(img) = cx.view.images.iter().find(|i| i.id == id) else {
            self.viewing = None;
            cx.phase2.photos.close_full();
            return;
        };
        let full = cx.phase2.photos.full(&img.blob);
        let ctx = ui.ctx().clone();
        let room = ctx.content_rect().size() * egui::vec2(0.85, 0.75);
        let frame = egui::Frame::popup(&ctx.global_style())
            .inner_margin(egui::Margin::same(20))
            .corner_radius(egui::CornerRadius::same(12));
        let mut close = false;
        let response = egui::Modal::new(Id::unique(("photo-viewer", &id)))
            .frame(frame)
            .show(&ctx, |ui| {
                match &full {
                    Thumb::Ready(tex) => {
                        let size = tex.size_vec2();
                        let scale = (room.x / size.x).min(room.y / size.y).min(1.0);
                        ui.add(
                            egui::Image::from_texture((tex.id(), size * scale))
                                .corner_radius(8)
                                .alt_text(if img.caption.is_empty() {
                                    tr.f(
                                        "phase2.images.alt",
                                        &[("name", &cx.view.name_of(&img.author))],
                                    )
                                } else {
                                    img.caption.clone()
                                }),
                        );
                    }
                    other => {
                        let (rect, _) = ui.allocate_exact_size(
                            Vec2::new(room.x.min(640.0), room.y.min(420.0)),
                            egui::Sense::hover(),
                        );
                        ui.painter()
                            .rect_filled(rect, 8.0, ui.visuals().extreme_bg_color);
                        let text = match other {
                            Thumb::Missing(_) => tr.t("phase2.images.missing"),
                            Thumb::Failed(_) => tr.t("phase2.images.unreadable"),
                            _ => tr.t("phase2.images.loading"),
                        };
                        ui.painter().text(
                            rect.center(),
                            Align2::CENTER_CENTER,
                            text,
                            FontId::proportional(16.0),
                            ui.visuals().weak_text_color(),
                        );
                    }
                }
                ui.add_space(8.0);
                if !img.caption.is_empty() {
                    ui.label(RichText::new(&img.caption).size(17.0));
                }
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(tr.f(
                            "phase2.images.by",
                            &[("name", &cx.view.name_of(&img.author))],
                        ))
                        .weak(),
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button(tr.t("common.close")).clicked() {
                            close = true;
                        }
                    });
                });
            });
        if close || response.should_close() {
            self.viewing = None;
            cx.phase2.photos.close_full();
        }
    }

    /// Hands over unsaved caption edits.
    pub fn flush(&mut self, trajectory: &str, out: &mut Vec<Command>) {
        for (image, field) in &mut self.captions {
            if let Some(caption) = field.take_pending() {
                out.push(Command::Edit {
                    trajectory: trajectory.to_owned(),
                    edit: Edit::SetImageCaption {
                        image: image.clone(),
                        caption,
                    },
                });
            }
        }
    }
}

/// One thumbnail (clickable, to see it large), or a calm placeholder while it loads or has
/// not arrived.
fn thumbnail(ui: &mut egui::Ui, tr: &I18n, thumb: &Thumb, alt: &str) -> Option<egui::Response> {
    match thumb {
        Thumb::Ready(tex) => {
            let size = tex.size_vec2();
            let scale = (THUMB_MAX.x / size.x).min(THUMB_MAX.y / size.y).min(1.0);
            let r = ui
                .add(
                    egui::Image::from_texture((tex.id(), size * scale))
                        .corner_radius(6)
                        .alt_text(alt)
                        .sense(egui::Sense::click()),
                )
                .on_hover_text(tr.t("phase2.images.enlarge"))
                .on_hover_cursor(egui::CursorIcon::ZoomIn);
            Some(r)
        }
        other => {
            let (rect, _) = ui.allocate_exact_size(Vec2::new(TILE_W, 140.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 6.0, ui.visuals().extreme_bg_color);
            let text = match other {
                Thumb::Loading => tr.t("phase2.images.loading"),
                Thumb::Missing(_) => tr.t("phase2.images.missing"),
                Thumb::Failed(_) => tr.t("phase2.images.unreadable"),
                Thumb::Ready(_) => String::new(),
            };
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(14.0),
                ui.visuals().weak_text_color(),
            );
            None
        }
    }
}

/// A quiet overlay while photos are dragged over the window.
pub fn drop_overlay(ui: &egui::Ui, tr: &I18n) {
    let ctx = ui.ctx();
    let rect = ctx.content_rect();
    let painter = ctx.layer_painter(LayerId::new(Order::Foreground, Id::unique("photo-drop")));
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(150));
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        tr.t("phase2.images.drop_here"),
        FontId::proportional(26.0),
        Color32::WHITE,
    );
}
