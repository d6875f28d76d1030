#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! No frame waits for the document (issue 4): while another thread holds a trajectory's
//! document, as a sync round does through `Hub::with_doc`, and a change made on another thread
//! (as sync's are) is waiting to be shown, the app still draws frames: it shows the previous read view (built off the UI thread,
//! the new one follows when the document is free) and its sync status from the [`LiveSync`]
//! peer's memory. The speed of such frames is measured in `benches/frame_during_sync.rs`; this
//! test checks the mechanism, without timing: if a frame read the document, it would wait for
//! the holder, which releases only when the frames are done (or gives up after a deadline and
//! reports it).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, LiveSync, LiveSyncOptions};
use leerrijk_app::hub::{Hub, HubEvent};
use leerrijk_app::library::Library;
use leerrijk_model::{NewPostIt, Role};

/// How long the holder keeps the document before it gives up waiting for the frames.
const DEADLINE: Duration = Duration::from_secs(20);

fn postit(text: &str) -> NewPostIt {
    NewPostIt {
        text: text.into(),
        theme: None,
        author: None,
        anonymous: false,
        colour: None,
    }
}

fn shows(h: &Harness<'static, LeerrijkApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn frames_complete_while_sync_holds_the_document_and_the_new_view_follows() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::new(Library::open(Some(dir.path().to_path_buf())).unwrap());
    let id = hub
        .create(
            "Leren loont het langst",
            "OBS De Regenboog",
            "Anja",
            Role::Directie,
        )
        .unwrap();
    hub.edit(&id, |t| t.add_postit(postit("Samen voorbereiden")))
        .unwrap();

    // The holder: on "go" it takes the document (the access sync uses for a round) and keeps
    // it until released, at most DEADLINE; it reports whether it was released in time.
    let (go_tx, go_rx) = channel::<()>();
    let (held_tx, held_rx) = channel::<()>();
    let (release_tx, release_rx) = channel::<()>();
    let (result_tx, result_rx) = channel::<bool>();
    let holder = {
        let hub = hub.clone();
        let id = id.clone();
        std::thread::spawn(move || {
            go_rx.recv().unwrap();
            let released = hub
                .with_doc(&id, |_doc| {
                    held_tx.send(()).unwrap();
                    release_rx.recv_timeout(DEADLINE).is_ok()
                })
                .unwrap();
            result_tx.send(released).unwrap();
        })
    };
    // Registered before the app's listener: when armed, the next change first has the holder
    // take the document, so the app hears of the change while the document is held.
    let armed = Arc::new(AtomicBool::new(false));
    {
        let armed = armed.clone();
        let go_tx = Mutex::new(go_tx);
        let held_rx: Mutex<Receiver<()>> = Mutex::new(held_rx);
        hub.subscribe(move |event| {
            if matches!(event, HubEvent::Changed { .. }) && armed.swap(false, Ordering::SeqCst) {
                let go: &Sender<()> = &go_tx.lock().unwrap();
                go.send(()).unwrap();
                held_rx.lock().unwrap().recv().unwrap();
            }
        });
    }

    let sync = LiveSync::start(hub.clone(), LiveSyncOptions::loopback()).unwrap();
    let app = LeerrijkApp::headless_on_hub(hub.clone(), &id, 3, sync.clone()).unwrap();
    let mut h = Harness::builder()
        .with_size([1280.0, 1600.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app);
    h.run_steps(2);
    assert!(h.state().wait_for_background(DEADLINE));
    h.run();
    assert!(shows(&h, "Samen voorbereiden"));
    assert!(shows(&h, "Team zoeken…"));
    let rebuilds = h.state().view_rebuilds();

    // A change arrives from another thread (as a peer's does, from the sync runtime) and the
    // holder takes the document at once.
    armed.store(true, Ordering::SeqCst);
    {
        let hub = hub.clone();
        let id = id.clone();
        std::thread::spawn(move || {
            hub.edit(&id, |t| t.add_postit(postit("Meer tijd voor intervisie")))
                .unwrap();
        })
        .join()
        .unwrap();
    }
    assert!(
        !armed.load(Ordering::SeqCst),
        "the holder took the document"
    );

    // Frames while the document is held: the previous view, the sync status from memory.
    h.run_steps(5);
    assert!(shows(&h, "Samen voorbereiden"), "the previous view stays");
    assert!(!shows(&h, "Meer tijd voor intervisie"));
    assert!(shows(&h, "Team zoeken…"), "the sync status is drawn");
    release_tx.send(()).unwrap();
    assert!(
        result_rx.recv().unwrap(),
        "the frames completed while the document was held (no frame read it)"
    );
    holder.join().unwrap();

    // Once the document is free the new view is built off the UI thread and shown.
    assert!(h.state().wait_for_background(DEADLINE));
    h.run();
    assert!(shows(&h, "Meer tijd voor intervisie"));
    assert!(shows(&h, "Samen voorbereiden"));
    assert_eq!(h.state().view_rebuilds(), rebuilds + 1, "one rebuild");
    // Quiet frames build nothing.
    h.run_steps(5);
    assert_eq!(h.state().view_rebuilds(), rebuilds + 1);

    // An edit made on the UI thread (as a click makes it) shows in the very next frame:
    // screens build further edits from the view.
    hub.edit(&id, |t| t.add_postit(postit("Ouders erbij betrekken")))
        .unwrap();
    h.step();
    assert!(shows(&h, "Ouders erbij betrekken"));
    sync.shutdown();
}
