//! The phase screens: one module per phase, each rendering the trajectory's read view and
//! pushing [`Command`]s. The shell owns one [`PhaseScreens`] per open trajectory (so form state
//! is per trajectory) and shows the screen of the phase the user looks at.
//!
//! To add a phase screen: write `gui/phaseN.rs` with a type implementing [`PhaseScreen`], and
//! register it in [`PhaseScreens::new`] instead of the placeholder.

use leerrijk_model::TrajectoryView;

use super::command::{Command, Edit};
use super::derived::Derived;
use super::i18n::I18n;
use super::phase2::Phase2Services;

/// What a phase screen gets each frame.
pub struct PhaseCtx<'a> {
    /// Translations (current language).
    pub tr: &'a I18n,
    /// The trajectory's read view (cached; rebuilt only after a change).
    pub view: &'a TrajectoryView,
    /// The participant this device acts for, if any.
    pub me: Option<&'a str>,
    /// Whether this device's participant is the initiator (false on an archived trajectory:
    /// nobody can change it, so nobody gets the initiator's forms).
    pub is_initiator: bool,
    /// The trajectory is archived: screens show what is there without input fields.
    pub read_only: bool,
    /// egui time now (seconds), for saving text after a pause in typing.
    pub now: f64,
    /// Commands for the executor (run after the frame is drawn).
    pub commands: &'a mut Vec<Command>,
    /// Phase 2's private notebook (read here, changed by the executor) and photo jobs.
    pub phase2: &'a mut Phase2Services,
    /// The model's analyses of `view` (computed once per view, on first use).
    pub derived: &'a Derived,
}

impl PhaseCtx<'_> {
    /// The trajectory id.
    pub fn trajectory(&self) -> &str {
        &self.view.id
    }

    /// Queues an edit of this trajectory.
    pub fn edit(&mut self, edit: Edit) {
        let trajectory = self.view.id.clone();
        self.commands.push(Command::Edit { trajectory, edit });
    }

    /// Queues any command.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }
}

/// One phase's screen.
pub trait PhaseScreen {
    /// Draws the screen into the central area (already scrollable and width-limited).
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>);

    /// Hands over unsaved typing (the screen is left or the window closes). Push edits to
    /// `cx`; the default has nothing to save.
    fn flush(&mut self, cx: &mut PhaseCtx<'_>) {
        let _ = cx;
    }

    /// Draws the phase's shared view for the projector (beamer mode: larger type, high
    /// contrast). The default shows what happens in the phase (never private drafts).
    fn beamer(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        super::beamer::phase_card(ui, cx, cx.view.phase);
    }

    /// On the beamer, the initiator's forms to enter items for someone without a laptop
    /// (post-its, offers, requests). The default has none.
    fn beamer_entry(&mut self, ui: &mut egui::Ui, cx: &mut PhaseCtx<'_>) {
        let _ = (ui, cx);
    }
}

/// The five screens of one open trajectory.
pub struct PhaseScreens {
    screens: Vec<Box<dyn PhaseScreen>>,
}

impl std::fmt::Debug for PhaseScreens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhaseScreens").finish_non_exhaustive()
    }
}

impl Default for PhaseScreens {
    fn default() -> Self {
        Self::new()
    }
}

impl PhaseScreens {
    /// Fresh screens (empty forms).
    pub fn new() -> Self {
        use super::phase1::Phase1;
        use super::phase2::Phase2;
        use super::phase3::Phase3;
        use super::phase4::Phase4;
        use super::phase5::Phase5;
        PhaseScreens {
            screens: vec![
                Box::new(Phase1::default()),
                Box::new(Phase2::default()),
                Box::new(Phase3::default()),
                Box::new(Phase4::default()),
                Box::new(Phase5::default()),
            ],
        }
    }

    /// The screen of phase 1–5.
    pub fn get(&mut self, phase: u8) -> Option<&mut (dyn PhaseScreen + 'static)> {
        let i = usize::from(phase.checked_sub(1)?);
        self.screens.get_mut(i).map(|b| b.as_mut())
    }

    /// Flushes every screen.
    pub fn flush_all(&mut self, cx: &mut PhaseCtx<'_>) {
        for s in &mut self.screens {
            s.flush(cx);
        }
    }
}
