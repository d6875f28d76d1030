//! UI state: everything about *how* the app is shown, separate from the trajectory documents.
//! [`UiState`] persists through eframe storage; the open dialog is transient.

use std::collections::BTreeMap;

use leerrijk_model::Role;
use serde::{Deserialize, Serialize};

use super::i18n::Lang;

/// The key under which [`UiState`] is kept in eframe storage.
pub const STORAGE_KEY: &str = "leerrijk.ui";

/// Who uses this laptop: asked once, on first start, and offered when creating or joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The user's name.
    pub name: String,
    /// The user's role in the school.
    pub role: Role,
}

/// Light, dark, or follow the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl ThemeChoice {
    /// All choices, in menu order.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// The next choice (for the cycle shortcut).
    pub fn next(self) -> ThemeChoice {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }

    /// The translation key of its name.
    pub fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "theme.system",
            ThemeChoice::Light => "theme.light",
            ThemeChoice::Dark => "theme.dark",
        }
    }
}

/// The smallest and largest zoom factor, and one step.
pub const ZOOM_RANGE: (f32, f32, f32) = (0.6, 2.5, 0.1);

/// Persisted UI state. Trajectory data is never kept here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    /// The user, once known.
    pub profile: Option<Profile>,
    /// Interface language.
    pub lang: Lang,
    /// Colour theme.
    pub theme: ThemeChoice,
    /// Zoom factor (1.0 = normal).
    pub zoom: f32,
    /// The trajectory on screen (`None`: the start screen).
    pub open_trajectory: Option<String>,
    /// Per trajectory, the phase the user last looked at.
    pub viewed_phase: BTreeMap<String, u8>,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            profile: None,
            lang: Lang::Nl,
            theme: ThemeChoice::System,
            zoom: 1.0,
            open_trajectory: None,
            viewed_phase: BTreeMap::new(),
        }
    }
}

impl UiState {
    /// Reads the state from eframe storage (defaults if absent or unreadable).
    pub fn load(storage: &dyn eframe::Storage) -> Self {
        let mut s: UiState = eframe::get_value(storage, STORAGE_KEY).unwrap_or_default();
        if !s.zoom.is_finite() {
            s.zoom = 1.0;
        }
        s.zoom = s.zoom.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        s
    }

    /// Writes the state to eframe storage.
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self);
    }
}

/// A dialog (modal window). At most one is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// Start a new trajectory.
    NewTrajectory,
    /// Join a trajectory with an invitation.
    Join,
    /// Invite colleagues to the open trajectory.
    Invite,
    /// Name, role, language and theme.
    Settings,
    /// The keyboard shortcuts.
    Shortcuts,
    /// About Leerrijk.
    About,
    /// Confirm archiving the open trajectory (initiator only).
    Archive,
    /// Export the open trajectory (format, language, privacy).
    Export,
}
