//! Keyboard shortcuts: each maps to a [`Command`]; the help dialog lists the same table.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::Command;
use super::state::Dialog;

/// One shortcut.
#[derive(Debug, Clone, Copy)]
pub struct Shortcut {
    /// The keys.
    pub keys: KeyboardShortcut,
    /// What it does.
    pub action: Action,
    /// Whether the help lists it (a second key for the same action is not listed).
    pub listed: bool,
}

/// What a shortcut does; turned into a [`Command`] with the open trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// New trajectory.
    New,
    /// Join.
    Join,
    /// Invite (open trajectory).
    Invite,
    /// Export the letter (open trajectory).
    ExportLetter,
    /// Look at phase n.
    Phase(u8),
    /// Back to my trajectories.
    Start,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Normal size.
    ZoomReset,
    /// Dutch ↔ English.
    Language,
    /// Next theme.
    Theme,
    /// Settings.
    Settings,
    /// This list.
    Help,
    /// Close the window.
    Quit,
    /// Undo this device's last edit (open trajectory; not while typing in a field).
    Undo,
    /// Beamer mode (open trajectory).
    Beamer,
}

impl Action {
    /// The translation key of its description.
    pub fn key(self) -> &'static str {
        match self {
            Action::New => "shortcut.new",
            Action::Join => "shortcut.join",
            Action::Invite => "shortcut.invite",
            Action::ExportLetter => "shortcut.export_letter",
            Action::Phase(_) => "shortcut.phase",
            Action::Start => "shortcut.start",
            Action::ZoomIn => "shortcut.zoom_in",
            Action::ZoomOut => "shortcut.zoom_out",
            Action::ZoomReset => "shortcut.zoom_reset",
            Action::Language => "shortcut.language",
            Action::Theme => "shortcut.theme",
            Action::Settings => "shortcut.settings",
            Action::Help => "shortcut.help",
            Action::Quit => "shortcut.quit",
            Action::Undo => "shortcut.undo",
            Action::Beamer => "shortcut.beamer",
        }
    }

    /// The command, given the open trajectory (`None` if the action needs one and none is open).
    pub fn command(self, open: Option<&str>) -> Option<Command> {
        Some(match self {
            Action::New => Command::OpenDialog(Dialog::NewTrajectory),
            Action::Join => Command::OpenDialog(Dialog::Join),
            Action::Invite => {
                open?;
                Command::OpenDialog(Dialog::Invite)
            }
            Action::ExportLetter => Command::ExportLetter {
                trajectory: open?.to_owned(),
            },
            Action::Phase(n) => {
                open?;
                Command::ShowPhase(n)
            }
            Action::Start => Command::GoToStart,
            Action::ZoomIn => Command::ZoomIn,
            Action::ZoomOut => Command::ZoomOut,
            Action::ZoomReset => Command::ZoomReset,
            Action::Language => Command::ToggleLanguage,
            Action::Theme => Command::CycleTheme,
            Action::Settings => Command::OpenDialog(Dialog::Settings),
            Action::Help => Command::OpenDialog(Dialog::Shortcuts),
            Action::Quit => Command::Quit,
            Action::Undo => Command::Undo {
                trajectory: open?.to_owned(),
            },
            Action::Beamer => {
                open?;
                Command::SetBeamer(true)
            }
        })
    }
}

const fn sc(modifiers: Modifiers, key: Key, action: Action) -> Shortcut {
    Shortcut {
        keys: KeyboardShortcut::new(modifiers, key),
        action,
        listed: true,
    }
}

const fn unlisted(modifiers: Modifiers, key: Key, action: Action) -> Shortcut {
    Shortcut {
        keys: KeyboardShortcut::new(modifiers, key),
        action,
        listed: false,
    }
}

const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// Every shortcut, most specific (most modifiers) first.
pub const ALL: &[Shortcut] = &[
    sc(CMD_SHIFT, Key::L, Action::Language),
    sc(CMD_SHIFT, Key::T, Action::Theme),
    sc(Modifiers::COMMAND, Key::N, Action::New),
    sc(Modifiers::COMMAND, Key::J, Action::Join),
    sc(Modifiers::COMMAND, Key::I, Action::Invite),
    sc(Modifiers::COMMAND, Key::E, Action::ExportLetter),
    sc(Modifiers::COMMAND, Key::Num1, Action::Phase(1)),
    sc(Modifiers::COMMAND, Key::Num2, Action::Phase(2)),
    sc(Modifiers::COMMAND, Key::Num3, Action::Phase(3)),
    sc(Modifiers::COMMAND, Key::Num4, Action::Phase(4)),
    sc(Modifiers::COMMAND, Key::Num5, Action::Phase(5)),
    sc(Modifiers::ALT, Key::ArrowLeft, Action::Start),
    sc(Modifiers::COMMAND, Key::Plus, Action::ZoomIn),
    unlisted(Modifiers::COMMAND, Key::Equals, Action::ZoomIn),
    sc(Modifiers::COMMAND, Key::Minus, Action::ZoomOut),
    sc(Modifiers::COMMAND, Key::Num0, Action::ZoomReset),
    sc(Modifiers::COMMAND, Key::Comma, Action::Settings),
    sc(Modifiers::NONE, Key::F1, Action::Help),
    sc(Modifiers::COMMAND, Key::Q, Action::Quit),
    sc(Modifiers::COMMAND, Key::Z, Action::Undo),
    sc(Modifiers::NONE, Key::F5, Action::Beamer),
];

/// The shortcut listed for an action (for menus).
pub fn for_action(action: Action) -> Option<KeyboardShortcut> {
    ALL.iter()
        .find(|s| s.action == action && s.listed)
        .map(|s| s.keys)
}

/// Consumes the shortcuts pressed this frame and returns their commands.
pub fn handle(ctx: &egui::Context, open: Option<&str>) -> Vec<Command> {
    let mut out = Vec::new();
    // Ctrl+Z in a text field undoes typing there, not a document edit.
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        for s in ALL {
            if typing && s.action == Action::Undo {
                continue;
            }
            if i.consume_shortcut(&s.keys)
                && let Some(c) = s.action.command(open)
            {
                out.push(c);
            }
        }
    });
    out
}
