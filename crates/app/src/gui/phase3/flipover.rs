//! The flip-over: positive and negative core themes in two columns, post-its (one point each)
//! dragged onto them, counts per theme, and the loose pile.
//!
//! Fast with thousands of post-its: notes have a fixed size, a theme shows two rows until it is
//! opened, theme cards outside the visible area are skipped (their height from the last frame
//! is reserved instead), and the loose pile draws only its visible rows.

use std::collections::{HashMap, HashSet};

use egui::{Align, Layout, RichText, Ui, Vec2};
use leerrijk_model::Polarity;
use leerrijk_model::view::Theme;

use super::super::command::Edit;
use super::super::meeting_edit::MeetingEdit;
use super::super::meeting_look::{
    self as look, DragNote, NoteLook, badge, edged_frame, note_size, polarity_colour,
    polarity_tint, sized,
};
use super::super::phases::PhaseCtx;
use super::super::{style, widgets};
use super::{byline, polarity_key};

/// The post-it colours, in the order of the picker (the model's names).
pub const COLOURS: [&str; 5] = ["yellow", "pink", "green", "blue", "orange"];

/// Rows of post-its a theme shows until it is opened.
const COLLAPSED_ROWS: usize = 2;

/// Rows of the loose pile visible at once (it scrolls).
const LOOSE_ROWS: usize = 3;

/// The flip-over's form state.
#[derive(Debug)]
pub struct FlipOver {
    new_theme: String,
    new_polarity: Polarity,
    note: String,
    anonymous: bool,
    colour: usize,
    note_theme: Option<String>,
    on_behalf: Option<String>,
    renaming: Option<(String, String)>,
    expanded: HashSet<String>,
    heights: HashMap<String, f32>,
}

impl Default for FlipOver {
    fn default() -> Self {
        FlipOver {
            new_theme: String::new(),
            new_polarity: Polarity::Positive,
            note: String::new(),
            anonymous: false,
            colour: 0,
            note_theme: None,
            on_behalf: None,
            renaming: None,
            expanded: HashSet::new(),
            heights: HashMap::new(),
        }
    }
}

impl FlipOver {
    /// The forms: a new theme, a new post-it.
    pub fn toolbar(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        widgets::card(ui, |ui| {
            ui.label(RichText::new(tr.t("phase3.theme.new")).strong());
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(tr.t("phase3.theme.title"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.new_theme)
                            .hint_text(tr.t("phase3.theme.hint"))
                            .desired_width(280.0),
                    )
                    .labelled_by(l.id);
                ui.radio_value(
                    &mut self.new_polarity,
                    Polarity::Positive,
                    tr.t("phase3.polarity.positive"),
                );
                ui.radio_value(
                    &mut self.new_polarity,
                    Polarity::Negative,
                    tr.t("phase3.polarity.negative"),
                );
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ok = !self.new_theme.trim().is_empty();
                if (ui
                    .add_enabled(ok, egui::Button::new(tr.t("phase3.theme.add")))
                    .clicked()
                    || enter)
                    && ok
                {
                    cx.edit(Edit::Meeting(MeetingEdit::AddTheme {
                        title: self.new_theme.trim().to_owned(),
                        polarity: self.new_polarity,
                    }));
                    self.new_theme.clear();
                }
            });
            ui.add_space(6.0);
            ui.separator();
            ui.add_space(4.0);
            ui.label(RichText::new(tr.t("phase3.note.new")).strong());
            self.note_form(ui, cx, false);
        });
    }

    /// The post-it form (also used by the beamer to write for someone without a laptop).
    pub fn note_form(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, beamer: bool) {
        let tr = cx.tr;
        let view = cx.view;
        // Row 1: the text, anonymous, the colour; row 2: where it goes, for whom, the button.
        let (field, enter) = ui
            .horizontal_wrapped(|ui| {
                let l = ui.label(tr.t("phase3.note.text"));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.note)
                            .hint_text(tr.t("phase3.note.hint"))
                            .desired_width(if beamer { 420.0 } else { 330.0 }),
                    )
                    .labelled_by(l.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.checkbox(&mut self.anonymous, tr.t("phase3.note.anonymous_check"));
                for (i, c) in COLOURS.iter().enumerate() {
                    let name = tr.t(&format!("phase3.colour.{c}"));
                    let size = Vec2::splat(20.0 * look::scale(ui));
                    let (rect, r) = ui.allocate_exact_size(size, egui::Sense::click());
                    let label = tr.f("phase3.note.colour", &[("colour", &name)]);
                    r.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::accesskit::Role::RadioButton,
                            true,
                            self.colour == i,
                            &label,
                        )
                    });
                    let dark = ui.visuals().dark_mode;
                    ui.painter()
                        .rect_filled(rect, 4.0, look::note_fill(c, dark));
                    if self.colour == i {
                        ui.painter().rect_stroke(
                            rect.expand(2.0),
                            5.0,
                            egui::Stroke::new(2.0, style::accent(dark)),
                            egui::StrokeKind::Outside,
                        );
                    }
                    if r.on_hover_text(name).clicked() {
                        self.colour = i;
                    }
                }
                (field, enter)
            })
            .inner;
        ui.horizontal_wrapped(|ui| {
            ui.label(tr.t("phase3.note.on_theme"));
            let current = self
                .note_theme
                .as_deref()
                .and_then(|id| view.theme(id))
                .map_or_else(|| tr.t("phase3.note.loose"), |t| t.title.clone());
            let on_theme = tr.t("phase3.note.on_theme");
            let r = egui::ComboBox::from_id_salt(("note-theme", beamer))
                .selected_text(current)
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.note_theme, None, tr.t("phase3.note.loose"));
                    for t in &view.themes {
                        ui.selectable_value(&mut self.note_theme, Some(t.id.clone()), &t.title);
                    }
                })
                .response;
            let _ = r.accessible_name(&on_theme);
            if cx.is_initiator {
                let for_whom = tr.t("phase3.note.for_whom");
                ui.label(&for_whom);
                let current = self
                    .on_behalf
                    .as_deref()
                    .and_then(|id| view.participant(id))
                    .map_or_else(|| tr.t("phase3.note.myself"), |p| p.name.clone());
                let r = egui::ComboBox::from_id_salt(("note-for", beamer))
                    .selected_text(current)
                    .width(180.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.on_behalf, None, tr.t("phase3.note.myself"));
                        for p in &view.participants {
                            if cx.me != Some(p.id.as_str()) {
                                ui.selectable_value(
                                    &mut self.on_behalf,
                                    Some(p.id.clone()),
                                    &p.name,
                                );
                            }
                        }
                    })
                    .response;
                let _ = r.accessible_name(&for_whom);
            }
            let ok = !self.note.trim().is_empty();
            let clicked = ui
                .add_enabled(ok, egui::Button::new(tr.t("phase3.note.add")))
                .clicked();
            if (clicked || enter) && ok {
                // A theme removed meanwhile: the note goes to the loose pile instead of failing.
                let theme = self
                    .note_theme
                    .clone()
                    .filter(|id| view.theme(id).is_some());
                cx.edit(Edit::Meeting(MeetingEdit::AddPostIt {
                    text: self.note.trim().to_owned(),
                    theme,
                    anonymous: self.anonymous,
                    colour: COLOURS[self.colour % COLOURS.len()].to_owned(),
                    on_behalf_of: self.on_behalf.clone(),
                }));
                self.note.clear();
                // Each post-it starts loose and signed: a theme or "anonymous" chosen for one
                // note must not silently carry over to the next.
                self.note_theme = None;
                self.anonymous = false;
                if enter {
                    field.request_focus();
                }
            }
        });
        if self.anonymous {
            widgets::note(ui, tr.t("phase3.note.anonymous_hint"));
        }
    }

    /// The two columns and the loose pile.
    pub fn board(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        let d = cx.derived;
        let loose = d.count(None);
        ui.label(
            sized(
                ui,
                tr.f(
                    "phase3.board.summary",
                    &[
                        ("notes", &view.postits.len()),
                        ("themes", &view.themes.len()),
                        ("loose", &loose),
                    ],
                ),
                1.0,
            )
            .weak(),
        );
        self.conflicts(ui, cx);
        ui.add_space(6.0);
        ui.columns(2, |cols| {
            for (col, polarity) in cols
                .iter_mut()
                .zip([Polarity::Positive, Polarity::Negative])
            {
                self.column(col, cx, polarity);
            }
        });
        ui.add_space(12.0);
        self.loose_pile(ui, cx);
    }

    fn conflicts(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        let board = cx.derived.board();
        for &i in &board.conflicts {
            let Some(p) = view.postits.get(i) else {
                continue;
            };
            widgets::hint_box(ui, |ui| {
                ui.label(tr.f("phase3.conflict.note", &[("text", &p.text)]));
                ui.horizontal_wrapped(|ui| {
                    for th in &p.theme_conflicts {
                        let title = view.theme(th).map_or(th.as_str(), |t| t.title.as_str());
                        if ui
                            .button(tr.f("phase3.conflict.keep_on", &[("theme", &title)]))
                            .clicked()
                        {
                            cx.edit(Edit::Meeting(MeetingEdit::MovePostIt {
                                postit: p.id.clone(),
                                theme: Some(th.clone()),
                            }));
                        }
                    }
                });
            });
        }
    }

    fn column(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, polarity: Polarity) {
        let tr = cx.tr;
        let dark = ui.visuals().dark_mode;
        let colour = polarity_colour(polarity, dark);
        egui::Frame::new()
            .fill(polarity_tint(polarity, dark))
            .corner_radius(egui::CornerRadius::same(10))
            .inner_margin(egui::Margin::same(10))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let n = cx
                    .view
                    .themes
                    .iter()
                    .filter(|t| t.polarity == polarity)
                    .count();
                ui.horizontal(|ui| {
                    ui.label(
                        sized(ui, tr.t(polarity_key(polarity)), 1.3)
                            .strong()
                            .color(colour),
                    );
                    ui.label(sized(ui, tr.f("phase3.column.count", &[("n", &n)]), 0.9).weak());
                });
                if n == 0 {
                    widgets::note(ui, tr.t("phase3.column.empty"));
                }
                for theme in cx.view.themes.iter().filter(|t| t.polarity == polarity) {
                    self.theme_card(ui, cx, theme);
                    ui.add_space(4.0);
                }
            });
    }

    fn theme_card(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, theme: &Theme) {
        let width = ui.available_width();
        let known = self.heights.get(&theme.id).copied();
        if let Some(h) = known {
            let predicted = egui::Rect::from_min_size(ui.cursor().min, Vec2::new(width, h));
            if !ui.is_rect_visible(predicted) {
                ui.allocate_space(Vec2::new(width, h));
                return;
            }
        }
        let tr = cx.tr;
        let dark = ui.visuals().dark_mode;
        let colour = polarity_colour(theme.polarity, dark);
        let frame = edged_frame(ui, colour);
        let (r, dropped) = ui.dnd_drop_zone::<DragNote, ()>(frame, |ui| {
            ui.set_width(ui.available_width());
            self.theme_header(ui, cx, theme, colour);
            if !theme.title_conflicts.is_empty() {
                ui.label(
                    RichText::new(tr.t("phase3.theme.conflict")).color(style::attention(dark)),
                );
                ui.horizontal_wrapped(|ui| {
                    for title in &theme.title_conflicts {
                        if ui
                            .button(tr.f("phase3.theme.choose", &[("title", title)]))
                            .clicked()
                        {
                            cx.edit(Edit::Meeting(MeetingEdit::RenameTheme {
                                theme: theme.id.clone(),
                                title: title.clone(),
                            }));
                        }
                    }
                });
            }
            let notes: &[usize] = cx
                .derived
                .board()
                .by_theme
                .get(&theme.id)
                .map_or(&[], Vec::as_slice);
            if notes.is_empty() {
                widgets::note(ui, tr.t("phase3.theme.drop_here"));
                return;
            }
            let per_row = per_row(ui);
            let open = self.expanded.contains(&theme.id);
            let shown = if open {
                notes.len()
            } else {
                notes.len().min(per_row * COLLAPSED_ROWS)
            };
            for row in notes[..shown].chunks(per_row) {
                ui.horizontal(|ui| {
                    for &i in row {
                        note(ui, cx, i);
                    }
                });
            }
            if notes.len() > per_row * COLLAPSED_ROWS {
                let text = if open {
                    tr.t("phase3.theme.show_less")
                } else {
                    tr.f(
                        "phase3.theme.show_all",
                        &[("n", &notes.len()), ("hidden", &(notes.len() - shown))],
                    )
                };
                if ui.small_button(text).clicked() {
                    if open {
                        self.expanded.remove(&theme.id);
                    } else {
                        self.expanded.insert(theme.id.clone());
                    }
                }
            }
        });
        if let Some(d) = dropped
            && !already_on(cx, &d.postit, Some(&theme.id))
        {
            cx.edit(Edit::Meeting(MeetingEdit::MovePostIt {
                postit: d.postit.clone(),
                theme: Some(theme.id.clone()),
            }));
        }
        self.heights
            .insert(theme.id.clone(), r.response.rect.height());
    }

    fn theme_header(
        &mut self,
        ui: &mut Ui,
        cx: &mut PhaseCtx<'_>,
        theme: &Theme,
        colour: egui::Color32,
    ) {
        let tr = cx.tr;
        let count = cx.derived.count(Some(&theme.id));
        if let Some((id, text)) = &mut self.renaming
            && *id == theme.id
        {
            let mut done = None;
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(tr.t("phase3.theme.rename_label"));
                let r = ui
                    .add(egui::TextEdit::singleline(text).desired_width(220.0))
                    .labelled_by(l.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(tr.t("phase3.theme.save")).clicked() || enter {
                    done = Some(true);
                }
                if ui.button(tr.t("phase3.theme.cancel")).clicked() {
                    done = Some(false);
                }
            });
            match done {
                Some(true) if !text.trim().is_empty() => {
                    cx.edit(Edit::Meeting(MeetingEdit::RenameTheme {
                        theme: theme.id.clone(),
                        title: text.trim().to_owned(),
                    }));
                    self.renaming = None;
                }
                Some(_) => self.renaming = None,
                None => {}
            }
            return;
        }
        ui.horizontal(|ui| {
            badge(
                ui,
                count,
                colour,
                &tr.f(
                    "phase3.theme.count",
                    &[("n", &count), ("title", &theme.title)],
                ),
            );
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let more = tr.f("phase3.theme.more", &[("title", &theme.title)]);
                let r = ui.menu_button("•••", |ui| {
                    if ui.button(tr.t("phase3.theme.rename")).clicked() {
                        self.renaming = Some((theme.id.clone(), theme.title.clone()));
                        ui.close();
                    }
                    let other = match theme.polarity {
                        Polarity::Positive => Polarity::Negative,
                        Polarity::Negative => Polarity::Positive,
                    };
                    if ui
                        .button(tr.f(
                            "phase3.theme.move_to",
                            &[("column", &tr.t(polarity_key(other)))],
                        ))
                        .clicked()
                    {
                        cx.edit(Edit::Meeting(MeetingEdit::SetThemePolarity {
                            theme: theme.id.clone(),
                            polarity: other,
                        }));
                        ui.close();
                    }
                    if ui.button(tr.t("phase3.theme.remove")).clicked() {
                        cx.edit(Edit::Meeting(MeetingEdit::DeleteTheme {
                            theme: theme.id.clone(),
                        }));
                        ui.close();
                    }
                });
                let _ = r.response.accessible_name(&more);
                ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                    ui.add(egui::Label::new(sized(ui, &theme.title, 1.12).strong()).wrap());
                });
            });
        });
    }

    fn loose_pile(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let frame = egui::Frame::new()
            .fill(ui.visuals().faint_bg_color)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(egui::CornerRadius::same(10))
            .inner_margin(egui::Margin::same(12));
        let loose = &cx.derived.board().loose;
        let (_, dropped) = ui.dnd_drop_zone::<DragNote, ()>(frame, |ui| {
            ui.set_width(ui.available_width());
            ui.label(sized(ui, tr.f("phase3.loose.title", &[("n", &loose.len())]), 1.12).strong());
            if loose.is_empty() {
                widgets::note(ui, tr.t("phase3.loose.empty"));
                return;
            }
            widgets::note(ui, tr.t("phase3.loose.hint"));
            let per_row = per_row(ui);
            let rows = loose.len().div_ceil(per_row);
            let row_h = note_size(ui).y;
            let spacing = ui.spacing().item_spacing.y;
            egui::ScrollArea::vertical()
                .id_salt("loose-pile")
                .max_height((row_h + spacing) * rows.min(LOOSE_ROWS) as f32)
                .min_scrolled_height((row_h + spacing) * rows.min(LOOSE_ROWS) as f32)
                .auto_shrink([false, true])
                .show_rows(ui, row_h, rows, |ui, range| {
                    for r in range {
                        let start = r * per_row;
                        let end = (start + per_row).min(loose.len());
                        ui.horizontal(|ui| {
                            for &i in &loose[start..end] {
                                note(ui, cx, i);
                            }
                        });
                    }
                });
        });
        if let Some(d) = dropped
            && !already_on(cx, &d.postit, None)
        {
            cx.edit(Edit::Meeting(MeetingEdit::MovePostIt {
                postit: d.postit.clone(),
                theme: None,
            }));
        }
    }
}

/// Whether a post-it already sticks (only) there: dropping it back is no edit.
fn already_on(cx: &PhaseCtx<'_>, postit: &str, theme: Option<&str>) -> bool {
    cx.view
        .postits
        .iter()
        .find(|p| p.id == postit)
        .is_some_and(|p| p.theme.as_deref() == theme && p.theme_conflicts.is_empty())
}

/// How many post-its fit next to each other.
fn per_row(ui: &Ui) -> usize {
    let w = note_size(ui).x + ui.spacing().item_spacing.x;
    (((ui.available_width() + ui.spacing().item_spacing.x) / w).floor() as usize).max(1)
}

/// One post-it: draggable (unless face down), with a context menu to stick it somewhere
/// without dragging.
fn note(ui: &mut Ui, cx: &mut PhaseCtx<'_>, index: usize) {
    let tr = cx.tr;
    let view = cx.view;
    let Some(p) = view.postits.get(index) else {
        return;
    };
    let covered = view.is_covered(p, cx.me);
    let by = byline(tr, &view.participants, p.author.as_deref(), p.anonymous);
    if covered {
        let text = tr.t("phase3.note.covered");
        look::sticky_note(
            ui,
            egui::Id::unique(("postit", p.id.as_str())),
            egui::Sense::hover(),
            &NoteLook {
                text: &text,
                byline: None,
                colour: &p.colour,
                covered: true,
                label: &text,
            },
        );
        return;
    }
    // The accessible name carries the author too (screen readers, tests).
    let label = match &by {
        Some(by) => format!("{} — {by}", p.text),
        None => p.text.clone(),
    };
    let note_look = NoteLook {
        text: &p.text,
        byline: by.as_deref(),
        colour: &p.colour,
        covered: false,
        label: &label,
    };
    // One widget senses both: drag it onto a theme, or right-click it for the menu.
    let id = egui::Id::unique(("postit", p.id.as_str()));
    let r = look::sticky_note(ui, id, egui::Sense::click_and_drag(), &note_look);
    r.dnd_set_drag_payload(DragNote {
        postit: p.id.clone(),
    });
    r.context_menu(|ui| {
        ui.label(RichText::new(tr.t("phase3.note.stick_on")).weak());
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for t in &view.themes {
                    if p.theme.as_deref() != Some(t.id.as_str()) && ui.button(&t.title).clicked() {
                        cx.edit(Edit::Meeting(MeetingEdit::MovePostIt {
                            postit: p.id.clone(),
                            theme: Some(t.id.clone()),
                        }));
                        ui.close();
                    }
                }
            });
        ui.separator();
        if p.theme.is_some() && ui.button(tr.t("phase3.note.unstick")).clicked() {
            cx.edit(Edit::Meeting(MeetingEdit::MovePostIt {
                postit: p.id.clone(),
                theme: None,
            }));
            ui.close();
        }
        if ui.button(tr.t("phase3.note.remove")).clicked() {
            cx.edit(Edit::Meeting(MeetingEdit::DeletePostIt {
                postit: p.id.clone(),
            }));
            ui.close();
        }
    });
}
