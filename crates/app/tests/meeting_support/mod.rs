//! Shared set-up of the meeting-phase GUI tests (phases 3–5, beamer): a real hub on a
//! temporary data directory with a trajectory created through the real library (this device
//! is the initiator), the real app built headless at a phase, and kittest helpers.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role as A11y;
use egui::{Event, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, NoSync};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::{Role, TrajectoryView};

/// A trajectory on `dir` whose initiator Anja (directie) uses this device, with more
/// participants. Returns the hub and the trajectory id.
pub fn seed(dir: &Path, others: &[(&str, Role)]) -> (Arc<Hub>, String) {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let id = hub
        .create(
            "Leren loont het langst",
            "OBS De Regenboog",
            "Anja",
            Role::Directie,
        )
        .unwrap();
    for (name, role) in others {
        hub.edit(&id, |t| t.add_participant(name, *role)).unwrap();
    }
    (hub, id)
}

/// The real app over `hub`, showing trajectory `id` at `phase`.
pub fn app(hub: &Arc<Hub>, id: &str, phase: u8) -> LeerrijkApp {
    LeerrijkApp::headless_on_hub(hub.clone(), id, phase, Arc::new(NoSync)).unwrap()
}

/// A wide, tall window so the meeting screens fit without scrolling.
pub fn harness(app: LeerrijkApp) -> Harness<'static, LeerrijkApp> {
    Harness::builder()
        .with_size([1400.0, 3000.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app)
}

/// Runs frames until background work is done and the UI settled.
pub fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    h.run_steps(2);
    assert!(h.state().wait_for_background(Duration::from_secs(20)));
    h.run();
}

/// Clicks a text field and types into it.
pub fn type_into(h: &mut Harness<'static, LeerrijkApp>, role: A11y, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// Clicks the (only) node with this label and settles.
pub fn click(h: &mut Harness<'static, LeerrijkApp>, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

/// Picks `option` in the combo box named `combo` (the selectable entry in its popup, not a
/// label elsewhere with the same text).
pub fn choose(h: &mut Harness<'static, LeerrijkApp>, combo: &str, option: &str) {
    h.get_by_role_and_label(A11y::ComboBox, combo).click();
    h.run();
    // Options are buttons (labels elsewhere may share the text); the popup comes last.
    h.get_all_by_role_and_label(A11y::Button, option)
        .last()
        .unwrap_or_else(|| panic!("no option {option:?} in {combo:?}"))
        .click();
    settle(h);
}

/// Drags with the mouse from `from` to `to` (press, move past the drag threshold, move over
/// the target, release there), the way a person drags a post-it.
pub fn drag(h: &mut Harness<'static, LeerrijkApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    h.hover_at(from + Vec2::new(12.0, 12.0));
    h.run();
    h.hover_at(to + Vec2::new(4.0, 4.0));
    h.run();
    h.hover_at(to);
    h.run();
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    h.remove_cursor();
    settle(h);
}

/// The centre of the node with this label.
pub fn centre(h: &Harness<'static, LeerrijkApp>, label: &str) -> Pos2 {
    h.get_by_label(label).rect().center()
}

/// The centre of the (only) node whose label contains `text`.
pub fn centre_of(h: &Harness<'static, LeerrijkApp>, text: &str) -> Pos2 {
    h.get_by_label_contains(text).rect().center()
}

/// The document as the hub has it now.
pub fn view(hub: &Hub, id: &str) -> TrajectoryView {
    hub.read(id, |t| t.view()).unwrap()
}

/// Waits (at most 20 s) until `f` holds for the hub's view: for changes that travel between
/// peers. Panics with `what` if it never does.
pub fn wait_for(hub: &Hub, id: &str, what: &str, f: impl Fn(&TrajectoryView) -> bool) {
    let start = Instant::now();
    while !f(&view(hub, id)) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether some node's label contains `text`.
pub fn shows(h: &Harness<'static, LeerrijkApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}
