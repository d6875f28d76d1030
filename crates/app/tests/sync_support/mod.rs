//! Shared set-up of the two-laptop GUI tests: two real apps in one test process, each with
//! its own data directory, hub and live sync peer ([`LiveSync`] on loopback: relays and
//! mDNS off), driven by accessible labels with egui_kittest. Changes travel over real iroh
//! connections; the tests poll with a deadline (frames on both laptops until what they wait
//! for is on screen, at most 20 s) and never assert on timing.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role as A11y;
use egui::{Event, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, LiveSync, LiveSyncOptions, Profile};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{AssignmentKind, Role, TrajectoryView};
use tempfile::TempDir;

/// How long a change may take to show up on the other laptop before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The trajectory both laptops work on.
pub const TITLE: &str = "Leren loont het langst";

/// One laptop: the app in a kittest harness over its own data directory and sync peer.
/// Fields drop in order: the app (and its sync peer) first, the directory last.
pub struct Laptop {
    /// The app.
    pub h: Harness<'static, LeerrijkApp>,
    /// Its sync peer.
    pub sync: Arc<LiveSync>,
    /// Its hub.
    pub hub: Arc<Hub>,
    /// Its data directory.
    pub dir: TempDir,
}

fn harness(app: LeerrijkApp) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([1400.0, 3000.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Anja's laptop: she starts the trajectory (initiator, directie) with `assignments` handed
/// out, and has it open at `phase`. Returns the laptop and the trajectory id.
pub fn initiator(assignments: &[AssignmentKind], phase: u8) -> (Laptop, String) {
    initiator_with(assignments, phase, LiveSyncOptions::loopback())
}

/// Like [`initiator`], with other sync options.
pub fn initiator_with(
    assignments: &[AssignmentKind],
    phase: u8,
    options: LiveSyncOptions,
) -> (Laptop, String) {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::new(Library::open(Some(dir.path().to_path_buf())).unwrap());
    let id = hub
        .create(TITLE, "OBS De Regenboog", "Anja", Role::Directie)
        .unwrap();
    let device = hub.library().device_id().to_owned();
    for kind in assignments {
        hub.edit(&id, |t| {
            let me = t.participant_for_device(&device).unwrap();
            t.set_assignment(&me, *kind, true)
        })
        .unwrap();
    }
    let sync = LiveSync::start(hub.clone(), options).unwrap();
    let app = LeerrijkApp::headless_on_hub(hub.clone(), &id, phase, sync.clone()).unwrap();
    let mut laptop = Laptop {
        h: harness(app),
        sync,
        hub,
        dir,
    };
    laptop.settle();
    (laptop, id)
}

/// A colleague's laptop on the start screen (first run done), not in any trajectory yet.
pub fn colleague(name: &str, role: Role) -> Laptop {
    colleague_with(name, role, LiveSyncOptions::loopback())
}

/// Like [`colleague`], with other sync options.
pub fn colleague_with(name: &str, role: Role, options: LiveSyncOptions) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::new(Library::open(Some(dir.path().to_path_buf())).unwrap());
    let sync = LiveSync::start(hub.clone(), options).unwrap();
    let app = LeerrijkApp::headless_start(
        hub.clone(),
        Profile {
            name: name.into(),
            role,
        },
        sync.clone(),
    );
    let mut laptop = Laptop {
        h: harness(app),
        sync,
        hub,
        dir,
    };
    laptop.settle();
    laptop
}

impl Laptop {
    /// Frames until the UI is quiet (a spinner may keep it busy: then a bounded number).
    pub fn step(&mut self) {
        self.h.run_ok();
    }

    /// Runs frames until background work (loading, writing) is done.
    pub fn settle(&mut self) {
        self.h.run_steps(2);
        assert!(self.h.state().wait_for_background(Duration::from_secs(20)));
        self.step();
    }

    /// Whether some node's label contains `text`.
    pub fn shows(&self, text: &str) -> bool {
        self.h.query_all_by_label_contains(text).next().is_some()
    }

    /// Whether some node's label is exactly `text`.
    pub fn shows_exactly(&self, text: &str) -> bool {
        self.h.query_all_by_label(text).next().is_some()
    }

    /// Clicks the (only) node with this label and settles.
    pub fn click(&mut self, label: &str) {
        self.h.get_by_label(label).click();
        self.settle();
    }

    /// Clicks the button with this label and settles.
    pub fn click_button(&mut self, label: &str) {
        self.h.get_by_role_and_label(A11y::Button, label).click();
        self.settle();
    }

    /// Clicks a text field and types into it.
    pub fn type_into(&mut self, role: A11y, label: &str, text: &str) {
        self.h.get_by_role_and_label(role, label).click();
        self.step();
        self.h.get_by_role_and_label(role, label).type_text(text);
        self.step();
    }

    /// The trajectory as this laptop's hub has it.
    pub fn view(&self, id: &str) -> TrajectoryView {
        self.hub.read(id, |t| t.view()).unwrap()
    }

    /// Shows phase `n` of the open trajectory (the sidebar button).
    pub fn show_phase(&mut self, n: u8, title: &str) {
        self.click(&format!("{n}.  {title}"));
    }

    /// Drags with the mouse from `from` to `to`, the way a person drags a post-it.
    pub fn drag(&mut self, from: Pos2, to: Pos2) {
        let h = &mut self.h;
        h.hover_at(from);
        h.run_ok();
        h.drag_at(from);
        h.run_ok();
        h.hover_at(from + Vec2::new(12.0, 12.0));
        h.run_ok();
        h.hover_at(to + Vec2::new(4.0, 4.0));
        h.run_ok();
        h.hover_at(to);
        h.run_ok();
        h.event(Event::PointerButton {
            pos: to,
            button: PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::NONE,
        });
        h.run_ok();
        h.remove_cursor();
        self.settle();
    }
}

/// Runs frames on both laptops until `done` holds, at most [`DEADLINE`]; fails with `what`.
pub fn wait_until(
    a: &mut Laptop,
    b: &mut Laptop,
    what: &str,
    mut done: impl FnMut(&Laptop, &Laptop) -> bool,
) {
    let start = Instant::now();
    loop {
        a.step();
        b.step();
        if done(a, b) {
            return;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens Anja's invite dialog and returns the ticket it shows (once made).
pub fn ticket_from_invite_dialog(a: &mut Laptop, b: &mut Laptop) -> String {
    a.click("Uitnodigen");
    let mut ticket = String::new();
    wait_until(a, b, "the invitation in the invite dialog", |a, _| match a
        .h
        .query_by_role_and_label(A11y::MultilineTextInput, "Uitnodiging")
        .and_then(|n| n.value())
    {
        Some(v) if v.starts_with("leerrijk1") => {
            ticket = v;
            true
        }
        _ => false,
    });
    ticket
}

/// The colleague joins from the start screen by pasting `ticket` into "Meedoen".
pub fn paste_and_join(b: &mut Laptop, ticket: &str) {
    b.click("Meedoen met een uitnodiging");
    b.type_into(A11y::MultilineTextInput, "Uitnodiging", ticket);
    b.h.get_by_role_and_label(A11y::Button, "Meedoen").click();
    b.step();
}

/// Anja invites, the colleague pastes the ticket and joins; waits until the colleague's
/// app has the trajectory open and Anja's knows the colleague as a participant.
pub fn invite_and_join(a: &mut Laptop, b: &mut Laptop, id: &str, name: &str) {
    let ticket = ticket_from_invite_dialog(a, b);
    a.click("Sluiten");
    paste_and_join(b, &ticket);
    wait_until(a, b, "the colleague has the trajectory open", |_, b| {
        b.h.state().ui_state().open_trajectory.as_deref() == Some(id) && b.shows_exactly(TITLE)
    });
    wait_until(a, b, "Anja's laptop knows the colleague", |a, _| {
        a.view(id).participants.iter().any(|p| p.name == name)
    });
    b.settle();
}
