//! The look: calm, readable, restrained. A warm paper-white light theme and a soft dark theme,
//! one muted teal accent, generous spacing, larger text than egui's default.

use egui::{Color32, CornerRadius, FontFamily, FontId, Margin, Stroke, TextStyle, Theme, Vec2};

use super::state::ThemeChoice;

/// The accent (links, selection, the current-phase marker) per theme.
pub fn accent(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x7f, 0xbf, 0xba)
    } else {
        Color32::from_rgb(0x2b, 0x6e, 0x6a)
    }
}

/// A soft fill behind cards.
pub fn card_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x2a, 0x2e, 0x31)
    } else {
        Color32::from_rgb(0xff, 0xff, 0xff)
    }
}

/// A gentle highlight for hints ("alle stemmen horen").
pub fn hint_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x2c, 0x3a, 0x38)
    } else {
        Color32::from_rgb(0xe8, 0xf2, 0xf0)
    }
}

/// A muted warning tone (missing roles, too few people).
pub fn attention(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xe0, 0xb8, 0x6a)
    } else {
        Color32::from_rgb(0x9a, 0x5b, 0x00)
    }
}

fn text_styles(style: &mut egui::Style) {
    use FontFamily::{Monospace, Proportional};
    style.text_styles = [
        (TextStyle::Small, FontId::new(13.0, Proportional)),
        (TextStyle::Body, FontId::new(16.0, Proportional)),
        (TextStyle::Button, FontId::new(16.0, Proportional)),
        (TextStyle::Heading, FontId::new(24.0, Proportional)),
        (TextStyle::Monospace, FontId::new(14.0, Monospace)),
    ]
    .into();
}

fn spacing(style: &mut egui::Style) {
    let s = &mut style.spacing;
    s.item_spacing = Vec2::new(10.0, 10.0);
    s.button_padding = Vec2::new(14.0, 7.0);
    s.interact_size = Vec2::new(40.0, 30.0);
    s.window_margin = Margin::same(22);
    s.menu_margin = Margin::same(8);
    s.combo_width = 220.0;
    s.text_edit_width = 320.0;
    s.indent = 22.0;
}

fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let accent = accent(dark);
    let (panel, window, extreme, faint, text) = if dark {
        (
            Color32::from_rgb(0x1f, 0x22, 0x25),
            Color32::from_rgb(0x27, 0x2b, 0x2e),
            Color32::from_rgb(0x17, 0x19, 0x1b),
            Color32::from_rgb(0x26, 0x29, 0x2c),
            Color32::from_rgb(0xe4, 0xe2, 0xdd),
        )
    } else {
        (
            Color32::from_rgb(0xf5, 0xf3, 0xee),
            Color32::from_rgb(0xfd, 0xfc, 0xfa),
            Color32::from_rgb(0xff, 0xff, 0xff),
            Color32::from_rgb(0xee, 0xeb, 0xe4),
            Color32::from_rgb(0x2a, 0x2a, 0x28),
        )
    };
    v.panel_fill = panel;
    v.window_fill = window;
    v.extreme_bg_color = extreme;
    v.faint_bg_color = faint;
    v.override_text_color = Some(text);
    v.hyperlink_color = accent;
    v.selection.bg_fill = if dark {
        Color32::from_rgb(0x2f, 0x57, 0x55)
    } else {
        Color32::from_rgb(0xc9, 0xe3, 0xe0)
    };
    v.selection.stroke = Stroke::new(1.5, accent);
    let radius = CornerRadius::same(6);
    v.window_corner_radius = CornerRadius::same(10);
    v.menu_corner_radius = radius;
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = radius;
    }
    let (button, button_hover) = if dark {
        (
            Color32::from_rgb(0x33, 0x38, 0x3c),
            Color32::from_rgb(0x3d, 0x44, 0x48),
        )
    } else {
        (
            Color32::from_rgb(0xe9, 0xe6, 0xdf),
            Color32::from_rgb(0xdf, 0xe9, 0xe7),
        )
    };
    v.widgets.inactive.weak_bg_fill = button;
    v.widgets.inactive.bg_fill = button;
    v.widgets.hovered.weak_bg_fill = button_hover;
    v.widgets.hovered.bg_fill = button_hover;
    v.widgets.hovered.bg_stroke = Stroke::new(1.0, accent);
    v.widgets.noninteractive.bg_stroke = Stroke::new(
        1.0,
        if dark {
            Color32::from_rgb(0x3a, 0x3f, 0x43)
        } else {
            Color32::from_rgb(0xdd, 0xd9, 0xd0)
        },
    );
    v.window_stroke = v.widgets.noninteractive.bg_stroke;
    // Text fields: a tinted ground and a visible edge, so they stand out on white cards.
    let (field, edge) = if dark {
        (
            Color32::from_rgb(0x1b, 0x1e, 0x20),
            Color32::from_rgb(0x4a, 0x50, 0x55),
        )
    } else {
        (
            Color32::from_rgb(0xf7, 0xf5, 0xf0),
            Color32::from_rgb(0xcf, 0xc9, 0xbd),
        )
    };
    v.text_edit_bg_color = Some(field);
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, edge);
    v
}

/// Installs fonts sizes, spacing and both palettes (once).
pub fn install(ctx: &egui::Context) {
    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |style| {
            text_styles(style);
            spacing(style);
            style.visuals = visuals(theme == Theme::Dark);
        });
    }
    // Zoom is ours (Ctrl +/-/0 are commands, remembered in the UI state).
    ctx.options_mut(|o| {
        o.zoom_with_keyboard = false;
        // When the system does not say (e.g. no desktop settings), start light.
        o.fallback_theme = Theme::Light;
    });
}

/// Applies the theme choice and zoom.
pub fn apply(ctx: &egui::Context, theme: ThemeChoice, zoom: f32) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
    if (ctx.zoom_factor() - zoom).abs() > f32::EPSILON {
        ctx.set_zoom_factor(zoom);
    }
}
