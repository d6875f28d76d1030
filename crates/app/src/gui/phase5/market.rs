//! The marketplace of internal expertise: the shared workshop timer, the two sheets and the
//! matching views.

use std::time::Duration;

use egui::epaint::CubicBezierShape;
use egui::text::LayoutJob;
use egui::{Color32, CornerRadius, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};
use leerrijk_model::analysis::MarketMatching;

use super::super::command::Edit;
use super::super::derived::{MarketLayout, MarketState};
use super::super::meeting_edit::MeetingEdit;
use super::super::meeting_look::{scale, sized};
use super::super::phases::PhaseCtx;
use super::super::{style, widgets};
use super::rows::Rows;

/// Length of the marketplace workshop ("about 20 minutes").
pub const WORKSHOP_MINUTES: i64 = 20;

/// The marketplace's form state.
#[derive(Debug, Default)]
pub struct Market {
    offer: String,
    offer_people: String,
    request: String,
    request_person: String,
    request_from: String,
    prefilled: bool,
    /// Row heights of the long lists: on a laptop, on the beamer.
    lists: [Lists; 2],
}

/// The long lists of the marketplace (hundreds of offers can meet tens of thousands of
/// requests), each drawn only where it can be seen.
#[derive(Debug, Default)]
struct Lists {
    offers: Rows,
    requests: Rows,
    shared: Rows,
    matches: Rows,
    unmet: Rows,
}

/// Names typed as "Bram, Sanne; Els".
fn names(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Market {
    /// The full marketplace on a laptop.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase5.market.title"));
            widgets::note(ui, tr.t("phase5.market.intro"));
            ui.add_space(6.0);
            timer(ui, cx, true);
            ui.add_space(8.0);
            let forms = !cx.read_only;
            sheets(ui, cx, self, forms);
        });
        ui.add_space(14.0);
        widgets::card(ui, |ui| matching(ui, cx, &mut self.lists[0]));
    }

    /// What the projector shows: timer, both sheets, the matching.
    pub fn beamer(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        timer(ui, cx, false);
        ui.add_space(8.0);
        sheets(ui, cx, self, false);
        ui.add_space(12.0);
        matching(ui, cx, &mut self.lists[1]);
    }

    /// The forms for a new offer and a new request, side by side in one row: on the beamer the
    /// initiator types them in for people without a laptop (names are free text on the sheets).
    pub fn entry(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, beamer: bool) {
        self.prefill(cx, beamer);
        ui.columns(2, |cols| {
            self.offer_form(&mut cols[0], cx, beamer);
            self.request_form(&mut cols[1], cx, beamer);
        });
    }

    /// On a laptop the name fields start with the user's own name.
    fn prefill(&mut self, cx: &PhaseCtx<'_>, beamer: bool) {
        if self.prefilled {
            return;
        }
        self.prefilled = true;
        if !beamer && let Some(p) = cx.me.and_then(|me| cx.view.participant(me)) {
            self.offer_people = p.name.clone();
            self.request_person = p.name.clone();
        }
    }

    fn offer_form(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, beamer: bool) {
        let tr = cx.tr;
        let w = ui.available_width();
        let l = ui.label(RichText::new(tr.t("phase5.offer.new")).strong());
        let topic = ui
            .add(
                egui::TextEdit::singleline(&mut self.offer)
                    .hint_text(tr.t("phase5.offer.hint"))
                    .desired_width(w),
            )
            .labelled_by(l.id);
        let l = ui.label(tr.t("phase5.offer.people"));
        let people = ui
            .add(
                egui::TextEdit::singleline(&mut self.offer_people)
                    .hint_text(tr.t("phase5.names_hint"))
                    .desired_width(w),
            )
            .labelled_by(l.id);
        let enter = (topic.lost_focus() || people.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ok = !self.offer.trim().is_empty() && !names(&self.offer_people).is_empty();
        if (ui
            .add_enabled(ok, egui::Button::new(tr.t("phase5.offer.add")))
            .clicked()
            || enter)
            && ok
        {
            cx.edit(Edit::Meeting(MeetingEdit::AddOffer {
                topic: self.offer.trim().to_owned(),
                people: names(&self.offer_people),
            }));
            self.offer.clear();
            if beamer {
                self.offer_people.clear();
            }
        }
    }

    fn request_form(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, beamer: bool) {
        let tr = cx.tr;
        let w = ui.available_width();
        let l = ui.label(RichText::new(tr.t("phase5.request.new")).strong());
        let topic = ui
            .add(
                egui::TextEdit::singleline(&mut self.request)
                    .hint_text(tr.t("phase5.request.hint"))
                    .desired_width(w),
            )
            .labelled_by(l.id);
        let (person, from) = ui.columns(2, |cols| {
            let l = cols[0].label(tr.t("phase5.request.person"));
            let w0 = cols[0].available_width();
            let person = cols[0]
                .add(egui::TextEdit::singleline(&mut self.request_person).desired_width(w0))
                .labelled_by(l.id);
            let l = cols[1].label(tr.t("phase5.request.from"));
            let w1 = cols[1].available_width();
            let from = cols[1]
                .add(
                    egui::TextEdit::singleline(&mut self.request_from)
                        .hint_text(tr.t("phase5.request.from_hint"))
                        .desired_width(w1),
                )
                .labelled_by(l.id);
            (person, from)
        });
        let enter = (topic.lost_focus() || person.lost_focus() || from.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ok = !self.request.trim().is_empty() && !self.request_person.trim().is_empty();
        if (ui
            .add_enabled(ok, egui::Button::new(tr.t("phase5.request.add")))
            .clicked()
            || enter)
            && ok
        {
            cx.edit(Edit::Meeting(MeetingEdit::AddRequest {
                topic: self.request.trim().to_owned(),
                person: self.request_person.trim().to_owned(),
                from_whom: names(&self.request_from),
            }));
            self.request.clear();
            self.request_from.clear();
            if beamer {
                self.request_person.clear();
            }
        }
    }
}

/// The shared workshop timer: everyone sees the same minutes (from the document).
fn timer(ui: &mut Ui, cx: &mut PhaseCtx<'_>, controls: bool) {
    let tr = cx.tr;
    let dark = ui.visuals().dark_mode;
    widgets::hint_box(ui, |ui| {
        ui.horizontal_wrapped(|ui| match &cx.view.workshop_timer {
            Some(t) => {
                let left = t.remaining_ms(now_ms());
                if left > 0 {
                    let secs = (left + 999) / 1000;
                    ui.label(
                        sized(ui, format!("{:02}:{:02}", secs / 60, secs % 60), 2.0)
                            .strong()
                            .color(style::accent(dark)),
                    );
                    ui.label(sized(
                        ui,
                        tr.f("phase5.timer.left", &[("min", &t.minutes)]),
                        1.0,
                    ));
                    let total = (t.minutes * 60_000).max(1) as f32;
                    ui.add(
                        egui::ProgressBar::new(1.0 - left as f32 / total)
                            .desired_width(200.0 * scale(ui)),
                    );
                    ui.ctx().request_repaint_after(Duration::from_millis(500));
                } else {
                    ui.label(sized(ui, tr.t("phase5.timer.over"), 1.4).strong());
                }
                if controls && ui.button(tr.t("phase5.timer.stop")).clicked() {
                    cx.edit(Edit::Meeting(MeetingEdit::StopTimer));
                }
                if controls
                    && left == 0
                    && ui
                        .button(tr.f("phase5.timer.start", &[("min", &WORKSHOP_MINUTES)]))
                        .clicked()
                {
                    cx.edit(Edit::Meeting(MeetingEdit::StartTimer {
                        minutes: WORKSHOP_MINUTES,
                    }));
                }
            }
            None => {
                ui.label(sized(ui, tr.t("phase5.timer.idle"), 1.0));
                if controls
                    && widgets::primary_button(
                        ui,
                        tr.f("phase5.timer.start", &[("min", &WORKSHOP_MINUTES)]),
                    )
                    .clicked()
                {
                    cx.edit(Edit::Meeting(MeetingEdit::StartTimer {
                        minutes: WORKSHOP_MINUTES,
                    }));
                }
            }
        });
    });
}

/// The two sheets side by side; on a laptop (`forms`) each starts with its form.
fn sheets(ui: &mut Ui, cx: &mut PhaseCtx<'_>, market: &mut Market, forms: bool) {
    if forms {
        market.prefill(cx, false);
    }
    let tr = cx.tr;
    let view = cx.view;
    let my_name = cx
        .me
        .filter(|_| !cx.read_only)
        .and_then(|me| view.participant(me))
        .map(|p| p.name.clone());
    ui.columns(2, |cols| {
        let (left, right) = cols.split_at_mut(1);
        sheet_frame(&mut left[0], |ui| {
            if forms {
                market.offer_form(ui, cx, false);
                ui.separator();
            }
            ui.label(
                sized(
                    ui,
                    tr.f("phase5.offer.sheet", &[("n", &view.offers.len())]),
                    1.25,
                )
                .strong(),
            );
            if view.offers.is_empty() {
                widgets::note(ui, tr.t("phase5.offer.none"));
            }
            let rows = &mut market.lists[usize::from(!forms)].offers;
            rows.show(ui, view.offers.len(), |ui, i| {
                let o = &view.offers[i];
                ui.label(sized(ui, &o.topic, 1.05).strong());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(o.people.join(", ")).weak());
                    if let Some(me) = &my_name
                        && !o
                            .people
                            .iter()
                            .any(|p| p.trim().eq_ignore_ascii_case(me.trim()))
                    {
                        let join = tr.f("phase5.offer.me_too_on", &[("topic", &o.topic)]);
                        if ui
                            .small_button(tr.t("phase5.offer.me_too"))
                            .on_hover_text(&join)
                            .accessible_name(&join)
                            .clicked()
                        {
                            cx.edit(Edit::Meeting(MeetingEdit::JoinOffer {
                                offer: o.id.clone(),
                                person: me.clone(),
                            }));
                        }
                    }
                });
            });
        });
        sheet_frame(&mut right[0], |ui| {
            if forms {
                market.request_form(ui, cx, false);
                ui.separator();
            }
            ui.label(
                sized(
                    ui,
                    tr.f("phase5.request.sheet", &[("n", &view.requests.len())]),
                    1.25,
                )
                .strong(),
            );
            if view.requests.is_empty() {
                widgets::note(ui, tr.t("phase5.request.none"));
            }
            let rows = &mut market.lists[usize::from(!forms)].requests;
            rows.show(ui, view.requests.len(), |ui, i| {
                let r = &view.requests[i];
                ui.label(sized(ui, &r.topic, 1.05).strong());
                ui.horizontal_wrapped(|ui| {
                    let who = if r.from_whom.is_empty() {
                        r.person.clone()
                    } else {
                        tr.f(
                            "phase5.request.asks_from",
                            &[("person", &r.person), ("from", &r.from_whom.join(", "))],
                        )
                    };
                    ui.label(RichText::new(who).weak());
                });
            });
        });
    });
}

fn sheet_frame(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    egui::Frame::new()
        .fill(style::card_fill(ui.visuals().dark_mode))
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(CornerRadius::same(8))
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
}

/// The three matching views. The matching is never computed in a frame (tens of milliseconds
/// on a large trajectory): when it is not ready yet, the builder thread computes it and a note
/// says so until then; right after an edit of the sheets the previous one is shown with a note
/// that it is being updated.
fn matching(ui: &mut Ui, cx: &mut PhaseCtx<'_>, lists: &mut Lists) {
    let tr = cx.tr;
    let view = cx.view;
    widgets::section_title(ui, tr.t("phase5.match.title"));
    if view.offers.is_empty() && view.requests.is_empty() {
        widgets::note(ui, tr.t("phase5.match.empty"));
        return;
    }
    let derived = cx.derived;
    let shown = derived.with_market(|m, layout, state| {
        if state == MarketState::Updating {
            widgets::note(ui, tr.t("phase5.match.updating"));
        }
        matching_views(ui, cx, lists, m, layout);
    });
    if shown.is_none() {
        widgets::note(ui, tr.t("phase5.match.computing"));
    }
}

/// The matching views of `m` laid out by `layout`.
fn matching_views(
    ui: &mut Ui,
    cx: &mut PhaseCtx<'_>,
    lists: &mut Lists,
    m: &MarketMatching,
    layout: &MarketLayout,
) {
    let tr = cx.tr;
    let view = cx.view;
    ui.label(sized(ui, tr.t("phase5.match.shared"), 1.1).strong());
    if m.shared_offers.is_empty() {
        widgets::note(ui, tr.t("phase5.match.shared_none"));
    }
    lists.shared.show(ui, m.shared_offers.len(), |ui, i| {
        let c = &m.shared_offers[i];
        ui.horizontal_wrapped(|ui| {
            ui.label(sized(ui, c.topics.join(" / "), 1.0).strong());
            ui.label(tr.f(
                "phase5.match.shared_people",
                &[("n", &c.people.len()), ("names", &c.people.join(", "))],
            ));
        });
    });
    ui.add_space(8.0);
    ui.label(sized(ui, tr.t("phase5.match.connections"), 1.1).strong());
    let request = |id: &str| {
        layout
            .request_index
            .get(id)
            .and_then(|&i| view.requests.get(i))
    };
    if m.matches.is_empty() {
        widgets::note(ui, tr.t("phase5.match.connections_none"));
    } else {
        connections(ui, cx, m, layout);
        lists.matches.show(ui, m.matches.len(), |ui, i| {
            let x = &m.matches[i];
            let topic = request(&x.request).map_or("", |r| r.topic.as_str());
            let mut line = tr.f(
                "phase5.match.line",
                &[
                    ("from", &x.from.join(", ")),
                    ("to", &x.to),
                    ("topic", &topic),
                ],
            );
            if x.asked_for_by_name {
                line.push_str(&tr.t("phase5.match.by_name"));
            }
            ui.label(line);
        });
    }
    ui.add_space(8.0);
    ui.label(sized(ui, tr.t("phase5.match.unmet"), 1.1).strong());
    if m.unmet_requests.is_empty() {
        widgets::note(ui, tr.t("phase5.match.unmet_none"));
    }
    lists.unmet.show(ui, m.unmet_requests.len(), |ui, i| {
        if let Some(r) = request(&m.unmet_requests[i]) {
            ui.label(tr.f(
                "phase5.match.unmet_line",
                &[("topic", &r.topic), ("person", &r.person)],
            ));
        }
    });
}

/// Offers (left) and requests (right) with a line for every offer that meets a request. Only
/// the rows in view are drawn, with the lines that start or end there.
fn connections(ui: &mut Ui, cx: &mut PhaseCtx<'_>, m: &MarketMatching, layout: &MarketLayout) {
    let view = cx.view;
    let dark = ui.visuals().dark_mode;
    let s = scale(ui);
    let row_h = 52.0 * s;
    let width = ui.available_width();
    let gap = (width * 0.22).clamp(80.0, 220.0 * s);
    let box_w = (width - gap) / 2.0;
    let rows = layout.offers.len().max(layout.requests.len());
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, row_h * rows as f32), Sense::hover());
    if !ui.is_rect_visible(rect) {
        return;
    }
    let clip = ui.clip_rect();
    let first = (((clip.top() - rect.top()) / row_h).floor().max(0.0)) as usize;
    let end = ((((clip.bottom() - rect.top()) / row_h).ceil().max(0.0)) as usize).min(rows);
    let shown = |row: usize| row >= first && row < end;
    let painter = ui.painter();
    let text = ui.visuals().text_color();
    let fill = style::card_fill(dark);
    let edge = ui.visuals().widgets.noninteractive.bg_stroke;
    let accent = style::accent(dark);
    let row_rect = |i: usize, left: bool| -> Rect {
        let x = if left {
            rect.left()
        } else {
            rect.right() - box_w
        };
        Rect::from_min_size(
            Pos2::new(x, rect.top() + i as f32 * row_h + 3.0),
            Vec2::new(box_w, row_h - 8.0),
        )
    };
    let boxed = |r: Rect, label: String| {
        painter.rect_filled(r, CornerRadius::same(6), fill);
        painter.rect_stroke(r, CornerRadius::same(6), edge, egui::StrokeKind::Inside);
        let mut job = LayoutJob::simple(
            label,
            FontId::proportional(13.5 * s),
            text,
            r.width() - 16.0,
        );
        job.wrap.max_rows = 2;
        job.wrap.overflow_character = Some('…');
        let g = painter.layout_job(job);
        let pos = Pos2::new(r.left() + 8.0, r.center().y - g.size().y / 2.0);
        painter.galley(pos, g, text);
    };
    // A row whose offer or request left the view (an earlier matching shown while the new one
    // is computed) stays empty.
    for (i, &o) in layout.offers.iter().enumerate().take(end).skip(first) {
        if let Some(o) = o.and_then(|o| view.offers.get(o)) {
            boxed(
                row_rect(i, true),
                format!("{} — {}", o.topic, o.people.join(", ")),
            );
        }
    }
    for (i, &r) in layout.requests.iter().enumerate().take(end).skip(first) {
        if let Some(r) = r.and_then(|r| view.requests.get(r)) {
            boxed(row_rect(i, false), format!("{} — {}", r.topic, r.person));
        }
    }
    for &(k, left, right) in layout.links.iter() {
        if !shown(left) && !shown(right) {
            continue;
        }
        let from = row_rect(left, true).right_center();
        let to = row_rect(right, false).left_center();
        let bend = (to.x - from.x) * 0.45;
        let width = if m.matches.get(k).is_some_and(|x| x.asked_for_by_name) {
            3.5
        } else {
            2.0
        };
        painter.add(CubicBezierShape::from_points_stroke(
            [
                from,
                from + Vec2::new(bend, 0.0),
                to - Vec2::new(bend, 0.0),
                to,
            ],
            false,
            Color32::TRANSPARENT,
            Stroke::new(width * s, accent),
        ));
        painter.circle_filled(from, 4.0 * s, accent);
        painter.circle_filled(to, 4.0 * s, accent);
    }
}
