//! Phase 4, "Focussen en kiezen": the initiator forms groups of about four (with a suggestion
//! that mixes roles, from the model's [`suggest_groups`](leerrijk_model::analysis::suggest_groups));
//! each group lays the theme strips in order by dragging, on its own laptop; the comparison
//! shows every group's order side by side, the aggregate order, the agreement in plain words,
//! and whether one theme stands clearly on top ("met stip bovenaan").

use egui::{Align, Layout, RichText, Sense, Ui, Vec2};
use leerrijk_model::TrajectoryView;
use leerrijk_model::view::{Group, Theme};

use super::command::Edit;
use super::i18n::I18n;
use super::meeting_edit::MeetingEdit;
use super::meeting_look::{
    DragStrip, arrow_button, drop_line, drop_outline, edged_frame, polarity_colour, scale, sized,
};
use super::phases::{PhaseCtx, PhaseScreen};
use super::widgets;

/// The phase 4 screen and its form state.
#[derive(Debug, Default)]
pub struct Phase4 {
    /// The group whose order this laptop edits (`None`: the group I am in, else the first).
    group: Option<String>,
    new_group: String,
    suggestion_open: bool,
}

impl PhaseScreen for Phase4 {
    fn ui(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        self.groups(ui, cx);
        ui.add_space(14.0);
        // Archived: the orderings show, the arrows cannot move them.
        ui.add_enabled_ui(!cx.read_only, |ui| self.ordering(ui, cx));
        ui.add_space(14.0);
        widgets::card(ui, |ui| comparison(ui, cx));
    }

    fn beamer(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        comparison(ui, cx);
    }
}

/// "Anja (Directie)".
fn member_label(tr: &I18n, view: &TrajectoryView, id: &str) -> String {
    match view.participant(id) {
        Some(p) => format!("{} ({})", p.name, tr.role(p.role)),
        None => id.to_owned(),
    }
}

/// Someone in two groups at once (two laptops each put them in a group while apart): say so,
/// and let the initiator choose the group they stay in (the other memberships are removed).
fn double_members(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    for p in &view.participants {
        let groups: Vec<&Group> = view
            .groups
            .iter()
            .filter(|g| g.members.contains(&p.id))
            .collect();
        if groups.len() < 2 {
            continue;
        }
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        widgets::hint_box(ui, |ui| {
            ui.label(
                RichText::new(tr.f(
                    "phase4.groups.double",
                    &[("name", &p.name), ("groups", &names.join(", "))],
                ))
                .color(super::style::attention(ui.visuals().dark_mode)),
            );
            if !cx.is_initiator {
                return;
            }
            ui.horizontal_wrapped(|ui| {
                for keep in &groups {
                    let text = tr.f(
                        "phase4.groups.keep_in",
                        &[("name", &p.name), ("group", &keep.name)],
                    );
                    if ui.button(&text).clicked() {
                        for other in groups.iter().filter(|g| g.id != keep.id) {
                            cx.edit(Edit::Meeting(MeetingEdit::SetGroupMember {
                                group: other.id.clone(),
                                participant: p.id.clone(),
                                member: false,
                            }));
                        }
                    }
                }
            });
        });
        ui.add_space(4.0);
    }
}

impl Phase4 {
    fn groups(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase4.groups.title"));
            widgets::note(
                ui,
                if cx.is_initiator {
                    tr.t("phase4.groups.intro_initiator")
                } else {
                    tr.t("phase4.groups.intro_other")
                },
            );
            ui.add_space(4.0);
            if view.groups.is_empty() {
                widgets::note(ui, tr.t("phase4.groups.none"));
            }
            double_members(ui, cx);
            for g in &view.groups {
                self.group_row(ui, cx, g);
            }
            if !cx.is_initiator {
                return;
            }
            ui.add_space(8.0);
            ui.horizontal_wrapped(|ui| {
                let text = if self.suggestion_open {
                    tr.t("phase4.suggest.hide")
                } else {
                    tr.t("phase4.suggest.button")
                };
                if ui.button(text).clicked() {
                    self.suggestion_open = !self.suggestion_open;
                }
                ui.add_space(12.0);
                let l = ui.label(tr.t("phase4.groups.new_name"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.new_group).desired_width(180.0))
                    .labelled_by(l.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ok = !self.new_group.trim().is_empty();
                if (ui
                    .add_enabled(ok, egui::Button::new(tr.t("phase4.groups.add")))
                    .clicked()
                    || enter)
                    && ok
                {
                    cx.edit(Edit::Meeting(MeetingEdit::AddGroups {
                        groups: vec![(self.new_group.trim().to_owned(), Vec::new())],
                    }));
                    self.new_group.clear();
                }
            });
            if self.suggestion_open {
                self.suggestion(ui, cx);
            }
        });
    }

    fn group_row(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>, g: &Group) {
        let tr = cx.tr;
        let view = cx.view;
        // The name, and for the initiator "Groep weghalen" at the right edge: a place that
        // does not move when members come and go.
        ui.horizontal(|ui| {
            ui.label(sized(ui, &g.name, 1.05).strong());
            if cx.is_initiator {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button(tr.t("phase4.groups.remove"))
                        .on_hover_text(tr.f("phase4.groups.remove_group", &[("group", &g.name)]))
                        .clicked()
                    {
                        cx.edit(Edit::Meeting(MeetingEdit::DeleteGroups {
                            groups: vec![g.id.clone()],
                        }));
                    }
                });
            }
        });
        ui.horizontal_wrapped(|ui| {
            if g.members.is_empty() {
                ui.label(RichText::new(tr.t("phase4.groups.no_members")).weak());
            }
            for m in &g.members {
                let text = member_label(tr, view, m);
                if cx.is_initiator {
                    let r = ui
                        .button(format!("{text}  ×"))
                        .on_hover_text(tr.t("phase4.groups.remove_member"));
                    let _ = r
                        .clone()
                        .accessible_name(tr.f("phase4.groups.remove_named", &[("name", &text)]));
                    if r.clicked() {
                        cx.edit(Edit::Meeting(MeetingEdit::SetGroupMember {
                            group: g.id.clone(),
                            participant: m.clone(),
                            member: false,
                        }));
                    }
                } else {
                    ui.label(text);
                }
            }
            if cx.is_initiator {
                // Only people in no group yet: one person is never in two groups.
                let free: Vec<_> = view
                    .participants
                    .iter()
                    .filter(|p| !view.groups.iter().any(|o| o.members.contains(&p.id)))
                    .collect();
                let add = tr.f("phase4.groups.add_member", &[("group", &g.name)]);
                let r = ui
                    .add_enabled_ui(!free.is_empty(), |ui| {
                        egui::ComboBox::from_id_salt(("add-member", &g.id))
                            .selected_text(if free.is_empty() {
                                tr.t("phase4.groups.everyone_placed")
                            } else {
                                tr.t("phase4.groups.add_member_short")
                            })
                            .width(170.0)
                            .show_ui(ui, |ui| {
                                for p in &free {
                                    if ui.selectable_label(false, &p.name).clicked() {
                                        cx.edit(Edit::Meeting(MeetingEdit::SetGroupMember {
                                            group: g.id.clone(),
                                            participant: p.id.clone(),
                                            member: true,
                                        }));
                                    }
                                }
                            })
                            .response
                    })
                    .inner;
                let _ = r.accessible_name(add);
            }
        });
        ui.add_space(4.0);
    }

    fn suggestion(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        let groups = cx.derived.suggested_groups();
        widgets::hint_box(ui, |ui| {
            ui.label(RichText::new(tr.t("phase4.suggest.title")).strong());
            widgets::note(ui, tr.t("phase4.suggest.intro"));
            if groups.is_empty() {
                widgets::note(ui, tr.t("phase4.suggest.nobody"));
                return;
            }
            let first = view.groups.len() + 1;
            let named: Vec<(String, Vec<String>)> = groups
                .iter()
                .enumerate()
                .map(|(i, members)| {
                    (
                        tr.f("phase4.suggest.group_name", &[("n", &(first + i))]),
                        members.clone(),
                    )
                })
                .collect();
            for (name, members) in &named {
                let names: Vec<String> =
                    members.iter().map(|m| member_label(tr, view, m)).collect();
                ui.label(format!("{name}: {}", names.join(", ")));
            }
            if !view.groups.is_empty() {
                widgets::note(ui, tr.t("phase4.suggest.existing"));
            }
            if widgets::primary_button(ui, tr.t("phase4.suggest.create")).clicked() {
                cx.edit(Edit::Meeting(MeetingEdit::AddGroups { groups: named }));
                self.suggestion_open = false;
            }
        });
    }

    /// The group this laptop orders.
    fn my_group<'v>(&mut self, view: &'v TrajectoryView, me: Option<&str>) -> Option<&'v Group> {
        if let Some(id) = &self.group
            && let Some(g) = view.groups.iter().find(|g| &g.id == id)
        {
            return Some(g);
        }
        let g = me
            .and_then(|me| {
                view.groups
                    .iter()
                    .find(|g| g.members.iter().any(|m| m == me))
            })
            .or_else(|| view.groups.first());
        self.group = g.map(|g| g.id.clone());
        g
    }

    fn ordering(&mut self, ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::card(ui, |ui| {
            widgets::section_title(ui, tr.t("phase4.order.title"));
            widgets::note(ui, tr.t("phase4.order.intro"));
            if view.themes.is_empty() {
                widgets::note(ui, tr.t("phase4.order.no_themes"));
                return;
            }
            let Some(group) = self.my_group(view, cx.me) else {
                widgets::note(ui, tr.t("phase4.order.no_groups"));
                return;
            };
            ui.horizontal(|ui| {
                let which = tr.t("phase4.order.group");
                ui.label(&which);
                let mut chosen = group.id.clone();
                let r = egui::ComboBox::from_id_salt("order-group")
                    .selected_text(&group.name)
                    .width(200.0)
                    .show_ui(ui, |ui| {
                        for g in &view.groups {
                            ui.selectable_value(&mut chosen, g.id.clone(), &g.name);
                        }
                    })
                    .response;
                let _ = r.accessible_name(which);
                if chosen != group.id {
                    self.group = Some(chosen);
                }
            });
            ui.add_space(6.0);
            ranked_strips(ui, cx, group);
            ui.add_space(10.0);
            unranked_strips(ui, cx, group);
        });
    }
}

/// One theme strip; returns its response (drag source; hover and release are read from it).
fn strip(ui: &mut Ui, theme: &Theme, rank: Option<usize>, group: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let colour = polarity_colour(theme.polarity, dark);
    let id = egui::Id::unique(("strip", group, theme.id.as_str()));
    let payload = DragStrip {
        theme: theme.id.clone(),
    };
    ui.dnd_drag_source(id, payload, |ui| {
        edged_frame(ui, colour)
            .show(ui, |ui| {
                ui.set_width(ui.available_width().min(620.0 * scale(ui)));
                ui.horizontal(|ui| {
                    let (r, _) =
                        ui.allocate_exact_size(Vec2::new(6.0, 22.0 * scale(ui)), Sense::hover());
                    ui.painter().rect_filled(r, 2.0, colour);
                    if let Some(n) = rank {
                        ui.label(sized(ui, format!("{n}."), 1.15).strong());
                    }
                    ui.add(egui::Label::new(sized(ui, &theme.title, 1.1)).wrap());
                });
            })
            .response
    })
    .response
}

fn ranked_strips(ui: &mut Ui, cx: &mut PhaseCtx<'_>, group: &Group) {
    let tr = cx.tr;
    let view = cx.view;
    ui.label(RichText::new(tr.t("phase4.order.top")).weak());
    let n = group.ranking.len();
    for (i, th) in group.ranking.iter().enumerate() {
        let Some(theme) = view.theme(th) else {
            continue;
        };
        ui.horizontal(|ui| {
            let r = ui
                .allocate_ui_with_layout(
                    Vec2::new(ui.available_width() - 150.0 * scale(ui), 0.0),
                    Layout::top_down(Align::Min),
                    |ui| strip(ui, theme, Some(i + 1), &group.id),
                )
                .inner;
            if let Some(d) = r.dnd_hover_payload::<DragStrip>()
                && d.theme != theme.id
            {
                drop_line(ui, r.rect, true);
            }
            if let Some(d) = r.dnd_release_payload::<DragStrip>()
                && d.theme != theme.id
            {
                cx.edit(Edit::Meeting(MeetingEdit::RankTheme {
                    group: group.id.clone(),
                    theme: d.theme.clone(),
                    position: i,
                }));
            }
            let up = tr.f("phase4.order.up", &[("title", &theme.title)]);
            let down = tr.f("phase4.order.down", &[("title", &theme.title)]);
            let out = tr.f("phase4.order.out", &[("title", &theme.title)]);
            if arrow_button(ui, true, i > 0, &up)
                .on_hover_text(&up)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::RankTheme {
                    group: group.id.clone(),
                    theme: th.clone(),
                    position: i - 1,
                }));
            }
            if arrow_button(ui, false, i + 1 < n, &down)
                .on_hover_text(&down)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::RankTheme {
                    group: group.id.clone(),
                    theme: th.clone(),
                    position: i + 1,
                }));
            }
            if ui
                .button("×")
                .on_hover_text(&out)
                .accessible_name(&out)
                .clicked()
            {
                cx.edit(Edit::Meeting(MeetingEdit::UnrankTheme {
                    group: group.id.clone(),
                    theme: th.clone(),
                }));
            }
        });
    }
    // The place under the last strip: dropping here puts a strip at the bottom.
    let frame = egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, ui.visuals().weak_text_color()))
        .corner_radius(egui::CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(12, 8));
    let (_, dropped) = ui.dnd_drop_zone::<DragStrip, ()>(frame, |ui| {
        ui.set_width(ui.available_width().min(620.0 * scale(ui)));
        ui.label(
            RichText::new(if n == 0 {
                tr.t("phase4.order.drop_first")
            } else {
                tr.t("phase4.order.drop_bottom")
            })
            .weak(),
        );
    });
    if let Some(d) = dropped
        && group.ranking.last() != Some(&d.theme)
    {
        cx.edit(Edit::Meeting(MeetingEdit::RankTheme {
            group: group.id.clone(),
            theme: d.theme.clone(),
            position: n,
        }));
    }
    ui.label(RichText::new(tr.t("phase4.order.bottom")).weak());
}

fn unranked_strips(ui: &mut Ui, cx: &mut PhaseCtx<'_>, group: &Group) {
    let tr = cx.tr;
    let view = cx.view;
    let frame = egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .corner_radius(egui::CornerRadius::same(10))
        .inner_margin(egui::Margin::same(12));
    let (r, dropped) = ui.dnd_drop_zone::<DragStrip, ()>(frame, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            sized(
                ui,
                tr.f("phase4.order.unranked", &[("n", &group.unranked.len())]),
                1.05,
            )
            .strong(),
        );
        if group.unranked.is_empty() {
            widgets::note(ui, tr.t("phase4.order.all_placed"));
        }
        for th in &group.unranked {
            let Some(theme) = view.theme(th) else {
                continue;
            };
            ui.horizontal(|ui| {
                ui.allocate_ui_with_layout(
                    Vec2::new(ui.available_width() - 150.0 * scale(ui), 0.0),
                    Layout::top_down(Align::Min),
                    |ui| strip(ui, theme, None, &group.id),
                );
                let place = tr.f("phase4.order.place", &[("title", &theme.title)]);
                if ui
                    .button(tr.t("phase4.order.place_short"))
                    .on_hover_text(&place)
                    .accessible_name(&place)
                    .clicked()
                {
                    cx.edit(Edit::Meeting(MeetingEdit::RankTheme {
                        group: group.id.clone(),
                        theme: th.clone(),
                        position: group.ranking.len(),
                    }));
                }
            });
        }
    });
    if r.response.dnd_hover_payload::<DragStrip>().is_some() {
        drop_outline(ui, r.response.rect);
    }
    if let Some(d) = dropped
        && group.ranking.contains(&d.theme)
    {
        cx.edit(Edit::Meeting(MeetingEdit::UnrankTheme {
            group: group.id.clone(),
            theme: d.theme.clone(),
        }));
    }
}

/// Kendall's W in plain words.
fn agreement_key(w: f64) -> &'static str {
    if w >= 0.7 {
        "phase4.compare.agree_high"
    } else if w >= 0.4 {
        "phase4.compare.agree_mid"
    } else {
        "phase4.compare.agree_low"
    }
}

/// The comparison: every group's order side by side, the aggregate, agreement, clear top.
pub fn comparison(ui: &mut Ui, cx: &mut PhaseCtx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    let c = cx.derived.ranking();
    let dark = ui.visuals().dark_mode;
    widgets::section_title(ui, tr.t("phase4.compare.title"));
    if c.groups.is_empty() {
        widgets::note(ui, tr.t("phase4.compare.none"));
        return;
    }
    // The verdict first: that is what the room wants to know.
    match c.clear_top.as_deref().and_then(|id| view.theme(id)) {
        Some(top) => {
            widgets::hint_box(ui, |ui| {
                ui.label(sized(ui, tr.t("phase4.compare.clear_top"), 1.0).weak());
                ui.label(
                    sized(ui, &top.title, 1.7)
                        .strong()
                        .color(polarity_colour(top.polarity, dark)),
                );
            });
        }
        None if c.groups.len() >= 2 => {
            widgets::note(ui, tr.t("phase4.compare.no_clear_top"));
        }
        None => {
            widgets::note(ui, tr.t("phase4.compare.one_group"));
        }
    }
    if let Some(w) = c.kendall_w {
        ui.label(sized(
            ui,
            tr.f(
                agreement_key(w),
                &[("w", &format!("{w:.2}").replace('.', ","))],
            ),
            1.0,
        ));
    }
    ui.add_space(8.0);
    let rows = c.groups.iter().map(|g| g.2.len()).max().unwrap_or(0);
    egui::ScrollArea::horizontal()
        .id_salt("compare-scroll")
        .show(ui, |ui| {
            egui::Grid::new("compare-groups")
                .num_columns(c.groups.len() + 1)
                .striped(true)
                .spacing([18.0, 6.0])
                .show(ui, |ui| {
                    ui.label("");
                    for (_, name, _) in &c.groups {
                        ui.label(sized(ui, name, 1.05).strong());
                    }
                    ui.end_row();
                    for r in 0..rows {
                        ui.label(RichText::new(format!("{}.", r + 1)).weak());
                        for (_, _, order) in &c.groups {
                            match order.get(r).and_then(|id| view.theme(id)) {
                                Some(t) => {
                                    let colour = polarity_colour(t.polarity, dark);
                                    let strong = c.clear_top.as_deref() == Some(t.id.as_str());
                                    let mut text = sized(ui, &t.title, 1.0).color(colour);
                                    if strong {
                                        text = text.strong();
                                    }
                                    ui.label(text);
                                }
                                None => {
                                    ui.label("");
                                }
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    ui.add_space(10.0);
    ui.label(sized(ui, tr.t("phase4.compare.aggregate"), 1.1).strong());
    widgets::note(ui, tr.t("phase4.compare.aggregate_how"));
    egui::Grid::new("compare-aggregate")
        .num_columns(4)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new(tr.t("phase4.compare.place")).weak());
            ui.label(RichText::new(tr.t("phase4.compare.theme")).weak());
            ui.label(RichText::new(tr.t("phase4.compare.mean_rank")).weak());
            ui.label(RichText::new(tr.t("phase4.compare.first_places")).weak());
            ui.end_row();
            for (i, s) in c.aggregate.iter().enumerate() {
                let colour = view.theme(&s.theme).map_or(ui.visuals().text_color(), |t| {
                    polarity_colour(t.polarity, dark)
                });
                ui.label(sized(ui, format!("{}.", i + 1), 1.0).strong());
                ui.label(sized(ui, &s.title, 1.0).color(colour));
                ui.label(format!("{:.1}", s.mean_rank).replace('.', ","));
                ui.label(s.first_places.to_string());
                ui.end_row();
            }
        });
}
