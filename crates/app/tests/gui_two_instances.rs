#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Two app instances in one process, each on its own data directory with its own hub, synced
//! peer to peer by the real sync runtime over loopback (real iroh endpoints, no relay, no
//! mDNS): post-its added on both laptops appear on both, a drag onto a theme on one is seen on
//! the other, and two groups rank at the same time and both laptops compare both orders.

mod meeting_support;

use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{LeerrijkApp, NoSync};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_app::runtime::host::AppHost;
use leerrijk_app::runtime::join::join;
use leerrijk_app::runtime::peer::{NetOptions, PeerRole, start_peer};
use leerrijk_model::{Polarity, Role};
use leerrijk_sync::{RelayChoice, SyncHandle, TrajectoryId};
use meeting_support::*;

struct Laptop {
    hub: Arc<Hub>,
    sync: SyncHandle,
    _dir: tempfile::TempDir,
}

fn offline_lan() -> NetOptions {
    NetOptions {
        relay: RelayChoice::Off,
        mdns: false,
    }
}

/// Anja's laptop with a new trajectory (she is the initiator) and Bram's laptop that joined it
/// with her invitation ticket. Both run a sync peer for the rest of the test.
fn two_laptops(rt: &tokio::runtime::Runtime) -> (Laptop, Laptop, String) {
    let dir_a = tempfile::tempdir().unwrap();
    let hub_a = Hub::new(Library::open(Some(dir_a.path().to_path_buf())).unwrap());
    let id = hub_a
        .create(
            "Leren loont het langst",
            "OBS De Regenboog",
            "Anja",
            Role::Directie,
        )
        .unwrap();
    let anja = view(&hub_a, &id).initiator.unwrap();
    hub_a.edit(&id, |t| t.set_phase(&anja, 3)).unwrap();
    let host_a = AppHost::new(hub_a.clone());
    let sync_a = rt
        .block_on(start_peer(&host_a, &offline_lan(), PeerRole::OneShot))
        .unwrap();
    let tid = TrajectoryId::new(id.as_str()).unwrap();
    let ticket = sync_a.ticket(&tid, "Leren loont het langst").unwrap();

    let dir_b = tempfile::tempdir().unwrap();
    let hub_b = Hub::new(Library::open(Some(dir_b.path().to_path_buf())).unwrap());
    let host_b = AppHost::new(hub_b.clone());
    let sync_b = rt
        .block_on(start_peer(&host_b, &offline_lan(), PeerRole::OneShot))
        .unwrap();
    rt.block_on(join(
        &host_b,
        &sync_b,
        &ticket,
        "Bram",
        Role::Leerkracht,
        Duration::from_secs(30),
    ))
    .unwrap();
    wait_for(&hub_a, &id, "Bram's registration reaches Anja", |v| {
        v.participants.iter().any(|p| p.name == "Bram")
    });
    (
        Laptop {
            hub: hub_a,
            sync: sync_a,
            _dir: dir_a,
        },
        Laptop {
            hub: hub_b,
            sync: sync_b,
            _dir: dir_b,
        },
        id,
    )
}

fn gui(l: &Laptop, id: &str, phase: u8) -> Harness<'static, LeerrijkApp> {
    let app = LeerrijkApp::headless_on_hub(l.hub.clone(), id, phase, Arc::new(NoSync)).unwrap();
    let mut h = harness(app);
    settle(&mut h);
    h
}

/// Runs frames on a harness until `label` shows (a change from the other laptop arrived and
/// the window repainted), at most 20 s.
fn until_shown(h: &mut Harness<'static, LeerrijkApp>, label: &str) {
    let start = std::time::Instant::now();
    while h.query_all_by_label_contains(label).next().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never showed {label:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
}

#[test]
fn postits_and_drags_travel_between_two_laptops() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (a, b, id) = two_laptops(&rt);
    let mut ha = gui(&a, &id, 3);
    let mut hb = gui(&b, &id, 3);
    // Bram's laptop acts for Bram, not for the initiator.
    let vb = view(&b.hub, &id);
    assert!(hb.query_by_label("Voor de initiatiefnemer").is_none());
    assert!(ha.query_by_label("Voor de initiatiefnemer").is_some());

    // Anja adds a theme; Bram sees it.
    type_into(&mut ha, A11y::TextInput, "Thema", "Samen lesgeven");
    click(&mut ha, "Thema toevoegen");
    until_shown(&mut hb, "Samen lesgeven");

    // Both write a post-it at the same time; both appear on both laptops.
    type_into(
        &mut ha,
        A11y::TextInput,
        "Briefje",
        "Collegiale consultatie",
    );
    type_into(
        &mut hb,
        A11y::TextInput,
        "Briefje",
        "Bij elkaar in de klas kijken",
    );
    click(&mut ha, "Briefje plakken");
    click(&mut hb, "Briefje plakken");
    until_shown(&mut ha, "Bij elkaar in de klas kijken — Bram");
    until_shown(&mut hb, "Collegiale consultatie — Anja");
    until_shown(&mut ha, "Nog niet op een thema (2)");
    until_shown(&mut hb, "Nog niet op een thema (2)");

    // Bram drags Anja's post-it onto the theme; Anja's flip-over follows.
    let from = centre_of(&hb, "Collegiale consultatie");
    let to = centre(&hb, "Samen lesgeven");
    drag(&mut hb, from, to);
    let theme = view(&b.hub, &id).themes[0].id.clone();
    wait_for(&a.hub, &id, "the drag reaches Anja", |v| {
        v.postits
            .iter()
            .any(|p| p.text == "Collegiale consultatie" && p.theme.as_deref() == Some(&theme))
    });
    until_shown(&mut ha, "Briefjes op Samen lesgeven: 1");
    until_shown(&mut ha, "Nog niet op een thema (1)");
    assert_eq!(vb.participants.len(), 2);

    rt.block_on(async {
        a.sync.shutdown().await;
        b.sync.shutdown().await;
    });
}

#[test]
fn two_groups_rank_at_the_same_time_and_both_see_the_comparison() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (a, b, id) = two_laptops(&rt);
    let v = view(&a.hub, &id);
    let anja = v.initiator.clone().unwrap();
    let bram = v
        .participants
        .iter()
        .find(|p| p.name == "Bram")
        .unwrap()
        .id
        .clone();
    for (t, p) in [
        ("Samen lesgeven", Polarity::Positive),
        ("Werkdruk", Polarity::Negative),
        ("Feedback", Polarity::Positive),
    ] {
        a.hub.edit(&id, |tr| tr.add_theme(t, p, None)).unwrap();
    }
    a.hub
        .edit(&id, |t| {
            t.add_group("Groep Anja", std::slice::from_ref(&anja))
        })
        .unwrap();
    a.hub
        .edit(&id, |t| {
            t.add_group("Groep Bram", std::slice::from_ref(&bram))
        })
        .unwrap();
    wait_for(&b.hub, &id, "groups reach Bram", |v| {
        v.groups.len() == 2 && v.themes.len() == 3
    });
    let mut ha = gui(&a, &id, 4);
    let mut hb = gui(&b, &id, 4);

    // Each laptop lays its own group's strips, at the same time.
    for h in [&mut ha, &mut hb] {
        for t in ["Werkdruk", "Samen lesgeven", "Feedback"] {
            h.get_by_label(&format!("{t} onderaan leggen")).click();
            h.run();
        }
    }
    settle(&mut ha);
    settle(&mut hb);
    // Bram's group moves Feedback to the top by dragging it onto the first strip.
    let from = hb
        .get_all_by_label("Feedback")
        .next()
        .unwrap()
        .rect()
        .center();
    let to = hb
        .get_all_by_label("Werkdruk")
        .next()
        .unwrap()
        .rect()
        .center();
    drag(&mut hb, from, to);

    let done = |v: &leerrijk_model::TrajectoryView| {
        v.groups.iter().all(|g| g.ranking.len() == 3)
            && v.groups
                .iter()
                .find(|g| g.name == "Groep Bram")
                .is_some_and(|g| v.theme(&g.ranking[0]).unwrap().title == "Feedback")
    };
    wait_for(&a.hub, &id, "both orders on Anja's laptop", done);
    wait_for(&b.hub, &id, "both orders on Bram's laptop", done);
    for h in [&mut ha, &mut hb] {
        // Not the same top: no theme stands clearly on top (the frames catch up with the
        // last change from the other laptop).
        until_shown(h, "Geen thema staat met stip bovenaan");
        h.get_by_label_contains("overeenstemming");
        assert!(h.get_all_by_label("Groep Anja").count() >= 2);
        assert!(h.get_all_by_label("Groep Bram").count() >= 2);
    }
    let va = view(&a.hub, &id);
    let c = leerrijk_model::analysis::compare_rankings(&va);
    assert_eq!(c.groups.len(), 2);
    assert_eq!(
        c,
        leerrijk_model::analysis::compare_rankings(&view(&b.hub, &id))
    );

    rt.block_on(async {
        a.sync.shutdown().await;
        b.sync.shutdown().await;
    });
}
