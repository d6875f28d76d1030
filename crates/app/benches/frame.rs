//! UI frame time and GUI peak memory, each beside its limit from DESIGN.md "Performance".
//!
//! **Frames** (`frame` part): the real app state ([`LeerrijkApp::headless`]) over a data
//! directory with a generated trajectory, in an `egui_kittest` harness of 1200 × 800 points
//! (the window's default size), on the CPU. After the trajectory is loaded and the screen has
//! settled, each frame is timed two ways:
//!
//! * **frame** (the figure held against 8 ms): what the window does per frame on the CPU
//!   without a screen reader: `Context::run_ui` of `app.show` (layout, widgets, shapes) plus
//!   `Context::tessellate` of the output (meshes for the GPU). Only the GPU upload and draw are
//!   left out.
//! * **kittest step**: `Harness::step`, i.e. the same frame with the AccessKit tree built and
//!   parsed for kittest's queries (test machinery; an app pays it only with a screen reader on).
//!
//! Screens: the flip-over (phase 3) with 2,000 post-its on 60 themes (the DESIGN.md case) and
//! with the large trajectory's 20,000 post-its; the marketplace (phase 5) with the matches of
//! the small and the large generated trajectories; and, as the floor, both screens of a new
//! trajectory (no themes, no post-its, no offers).
//!
//! **Memory** (`memory` part): VmHWM (/proc/self/status) of fresh child processes (this
//! executable, started again with `LEERRIJK_GUI_MEM_CHILD` set): the GUI app state with the
//! large trajectory open and frames drawn by kittest (flip-over, then marketplace), beside a
//! process that only runs `automerge::Automerge::load` of the same bytes: at most 2×.
//!
//! The **huge** trajectory (41,544 post-its, 2,000 offers + 2,000 requests, 75,514 edits of
//! history) adds the same flip-over and marketplace screens and its own memory figure; it is
//! left out by default (generating it and computing its marketplace matching take minutes).
//!
//! `cargo bench -p leerrijk-app --bench frame` (`LEERRIJK_BENCH_PARTS=frame,memory`;
//! `LEERRIJK_BENCH_SIZES` picks the generated sizes beside the small fixed screens: default
//! `large`, e.g. `small` for none, `large,huge` for both; `LEERRIJK_FRAMES=N` sets the
//! number of timed frames per screen, default 200; `LEERRIJK_SCREENS=market,empty` keeps the
//! screens whose name contains one of the words).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use leerrijk_app::dev_generate::generate_into;
use leerrijk_app::gui::LeerrijkApp;
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::generate::{GenSize, GenSpec};
use leerrijk_model::{Polarity, Role};

const CHILD: &str = "LEERRIJK_GUI_MEM_CHILD";
const WINDOW: [f32; 2] = [1200.0, 800.0];
const FRAME_LIMIT: Duration = Duration::from_millis(8);

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Ok(mode) = std::env::var(CHILD) {
        let dir = std::env::var("LEERRIJK_MEM_DIR").unwrap();
        child(&mode, Path::new(&dir));
        return;
    }
    let parts = std::env::var("LEERRIJK_BENCH_PARTS").unwrap_or_else(|_| "frame,memory".into());
    let picked: Vec<GenSize> = match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => [GenSize::Large, GenSize::Huge]
            .into_iter()
            .filter(|g| s.split(',').any(|n| n.trim() == g.name()))
            .collect(),
        _ => vec![GenSize::Large],
    };
    let tmp = tempfile::tempdir().unwrap();
    let generated_dirs: Vec<Generated> = picked
        .into_iter()
        .map(|size| {
            let dir = tmp.path().join(size.name());
            let t = Instant::now();
            let id = generated(&dir, &size.spec());
            eprintln!(
                "{} trajectory generated in {:.1} s",
                size.name(),
                t.elapsed().as_secs_f64()
            );
            Generated { size, dir, id }
        })
        .collect();
    if parts.contains("frame") {
        frames(tmp.path(), &generated_dirs);
    }
    if parts.contains("memory") {
        if generated_dirs.is_empty() {
            println!("memory: needs a generated trajectory (LEERRIJK_BENCH_SIZES=large or huge)");
        }
        for g in &generated_dirs {
            memory(g);
        }
    }
}

/// A generated trajectory of one preset size in its own data directory.
struct Generated {
    size: GenSize,
    dir: std::path::PathBuf,
    id: String,
}

/// A generated trajectory stored in `dir/data` (the initiator on this device, as
/// `leerrijk dev generate` does). Returns its id.
fn generated(dir: &Path, spec: &GenSpec) -> String {
    let library = Library::open(Some(dir.join("data"))).unwrap();
    generate_into(&library, spec)
        .unwrap()
        .id
        .as_str()
        .to_owned()
}

/// A new trajectory with only its initiator (this device).
fn empty(dir: &Path) -> String {
    let hub = Hub::new(Library::open(Some(dir.join("data"))).unwrap());
    hub.create(
        "Leren loont het langst",
        "OBS De Regenboog",
        "Anja",
        Role::Directie,
    )
    .unwrap()
}

/// 2,000 post-its on 60 themes: the generator gives 40 themes for 2,000 post-its (one per 50),
/// so 20 more are added and every third post-it on a theme moves to one of them.
fn flipover_2000(dir: &Path) -> String {
    let spec = GenSpec {
        participants: 30,
        postits: 2_000,
        stories: 30,
        offers: 15,
        history_rounds: 1,
        seed: 7,
    };
    let id = generated(dir, &spec);
    let hub = Hub::new(Library::open(Some(dir.join("data"))).unwrap());
    hub.edit(&id, |t| {
        let mut extra = Vec::new();
        for k in 0..20 {
            let polarity = if k % 2 == 0 {
                Polarity::Positive
            } else {
                Polarity::Negative
            };
            extra.push(t.add_theme(&format!("Extra thema {}", k + 1), polarity, None)?);
        }
        let themed: Vec<String> = t
            .view()
            .postits
            .iter()
            .filter(|p| p.theme.is_some())
            .map(|p| p.id.clone())
            .collect();
        for (i, p) in themed.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            t.move_postit(p, Some(&extra[(i / 3) % extra.len()]))?;
        }
        Ok(())
    })
    .unwrap();
    let v = hub.read(&id, |t| t.view()).unwrap();
    assert_eq!((v.postits.len(), v.themes.len()), (2_000, 60));
    id
}

/// The app over `dir/data` with `id` open at `phase`, loaded and settled in a harness.
fn harness(dir: &Path, id: &str, phase: u8) -> Harness<'static, LeerrijkApp> {
    let app = LeerrijkApp::headless(&dir.join("data"), id, phase).unwrap();
    let mut h = Harness::builder()
        .with_size(WINDOW)
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app);
    // Loading, the read view and the analyses the screen asks for are built off the UI
    // thread; draw and wait until all of it is there and the screen is quiet.
    for _ in 0..3 {
        h.run_steps(2);
        assert!(h.state().wait_for_background(Duration::from_secs(300)));
    }
    h.run_steps(10);
    h
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Times `n` frames of the settled screen. Returns (frame, kittest step) samples.
fn time_frames(h: &mut Harness<'static, LeerrijkApp>, n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let mut steps = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        h.step();
        steps.push(t.elapsed());
    }
    // The same screen as the window draws it: no AccessKit tree, shapes tessellated.
    let ctx = h.ctx.clone();
    ctx.disable_accesskit();
    let ppp = ctx.pixels_per_point();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, WINDOW.into())),
        ..Default::default()
    };
    for _ in 0..5 {
        let out = ctx.run_ui(input(), |ui| h.state_mut().show(ui));
        std::hint::black_box(ctx.tessellate(out.shapes, ppp));
    }
    let mut frames = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let out = ctx.run_ui(input(), |ui| h.state_mut().show(ui));
        let meshes = ctx.tessellate(out.shapes, out.pixels_per_point);
        frames.push(t.elapsed());
        std::hint::black_box(meshes);
    }
    ctx.enable_accesskit();
    (frames, steps)
}

fn frames(tmp: &Path, generated_dirs: &[Generated]) {
    let n: usize = std::env::var("LEERRIJK_FRAMES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut screens: Vec<(String, std::path::PathBuf, String, u8)> = Vec::new();
    let d = tmp.join("empty");
    let id = empty(&d);
    screens.push(("flip-over, empty board".into(), d.clone(), id.clone(), 3));
    screens.push(("marketplace, empty".into(), d, id, 5));
    let d = tmp.join("flip2000");
    let id = flipover_2000(&d);
    screens.push((
        "flip-over, 2,000 post-its / 60 themes".into(),
        d.clone(),
        id.clone(),
        3,
    ));
    screens.push((
        "flip-over, 2,000 / 60, scrolled to the themes".into(),
        d,
        id,
        3,
    ));
    let d = tmp.join("small");
    let id = generated(&d, &GenSize::Small.spec());
    screens.push(("marketplace, small (15 + 15)".into(), d, id, 5));
    for g in generated_dirs {
        let spec = g.size.spec();
        let (name, d, id) = (g.size.name(), &g.dir, &g.id);
        screens.push((
            format!("flip-over, {name} ({} post-its)", spec.postits),
            d.clone(),
            id.clone(),
            3,
        ));
        screens.push((
            format!("flip-over, {name}, scrolled to the themes"),
            d.clone(),
            id.clone(),
            3,
        ));
        screens.push((
            format!("marketplace, {name} ({0} + {0})", spec.offers),
            d.clone(),
            id.clone(),
            5,
        ));
        screens.push((
            format!("marketplace, {name}, scrolled 40,000 pt down"),
            d.clone(),
            id.clone(),
            5,
        ));
    }
    println!("== Leerrijk UI frames (egui_kittest on the CPU, 1200 x 800 points)");
    println!(
        "{:<48} {:>10} {:>10} {:>10} {:>5} {:>11} {:>11} {:>7}  verdict (<= 8 ms)",
        "screen", "median", "p95", "p99", "n", "kittest med", "kittest p95", "ratio"
    );
    let mut empty_median = None;
    let only = std::env::var("LEERRIJK_SCREENS").unwrap_or_default();
    for (name, dir, id, phase) in screens {
        if !only.is_empty() && !only.split(',').any(|w| name.contains(w.trim())) {
            continue;
        }
        let mut h = harness(&dir, &id, phase);
        if name.contains("40,000") {
            scroll(&mut h, 40_000.0);
        } else if name.contains("scrolled") {
            scroll(&mut h, 900.0);
        }
        let extra = describe(&h, &id, phase);
        let (mut f, mut s) = time_frames(&mut h, n);
        let med = pct(&mut f, 0.5);
        if name.starts_with("flip-over, empty") {
            empty_median = Some(med);
        }
        let ratio = med.as_secs_f64() / FRAME_LIMIT.as_secs_f64();
        println!(
            "{:<48} {:>10} {:>10} {:>10} {:>5} {:>11} {:>11} {:>7.2}  {}{}",
            name,
            ms(med),
            ms(pct(&mut f, 0.95)),
            ms(pct(&mut f, 0.99)),
            f.len(),
            ms(pct(&mut s, 0.5)),
            ms(pct(&mut s, 0.95)),
            ratio,
            if pct(&mut f, 0.95) <= FRAME_LIMIT {
                "met (p95 too)"
            } else if med <= FRAME_LIMIT {
                "met (median; p95 over)"
            } else {
                "MISSED"
            },
            match empty_median {
                Some(e) if !name.starts_with("flip-over, empty") => format!(
                    "; {:.1}x the empty board; {extra}",
                    med.as_secs_f64() / e.as_secs_f64()
                ),
                _ => format!("; {extra}"),
            }
        );
    }
}

/// Scrolls the window's content down by `points` (mouse wheel over the middle of the window).
fn scroll(h: &mut Harness<'static, LeerrijkApp>, points: f32) {
    h.hover_at(egui::pos2(WINDOW[0] / 2.0, WINDOW[1] / 2.0));
    h.run_steps(2);
    for _ in 0..(points / 500.0).ceil() as usize {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -500.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(1);
    }
    h.remove_cursor();
    h.run_steps(5);
}

/// What the screen holds, for the printed row; panics if the screen is not the one meant.
fn describe(h: &Harness<'static, LeerrijkApp>, id: &str, phase: u8) -> String {
    use egui_kittest::kittest::Queryable as _;
    let marker = if phase == 3 {
        "briefjes ·"
    } else {
        "Wat de vellen laten zien"
    };
    assert!(
        h.query_all_by_label_contains(marker).next().is_some(),
        "phase {phase} screen not shown (no {marker:?})"
    );
    let nodes = h.query_all_by_label_contains("").count();
    let notes = h.query_all_by_label_contains(" — ").count();
    let hub = h.state().hub().clone();
    let what = hub
        .read(id, |t| {
            let v = t.view();
            if phase == 3 {
                format!("{} post-its, {} themes", v.postits.len(), v.themes.len())
            } else {
                let m = leerrijk_model::analysis::market_matching(&v);
                format!(
                    "{} offers, {} requests, {} matches, {} actions",
                    v.offers.len(),
                    v.requests.len(),
                    m.matches.len(),
                    v.actions.len()
                )
            }
        })
        .unwrap();
    if phase == 3 {
        format!("{what}; {nodes} labelled widgets drawn, {notes} of them post-its")
    } else {
        format!("{what}; {nodes} labelled widgets drawn")
    }
}

/// Peak resident set size of this process in KiB.
fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Runs in the child: does one thing and prints the peak memory.
fn child(mode: &str, dir: &Path) {
    match mode {
        "empty" => {}
        "automerge" => {
            let bytes = std::fs::read(dir.join("doc.automerge")).unwrap();
            let doc = automerge::Automerge::load(&bytes).unwrap();
            drop(bytes);
            std::hint::black_box(&doc);
        }
        "gui" | "gui-new" => {
            // Each in its own data directory: the app opens every trajectory of its data
            // directory for the start list.
            let dir = if mode == "gui" {
                dir.to_path_buf()
            } else {
                dir.join("new")
            };
            let id = std::fs::read_to_string(dir.join("id")).unwrap();
            let id = id.trim();
            let mut h = harness(&dir, id, 3);
            h.run_steps(5);
            // Then the marketplace in the same app (its matching is cached beside the view).
            h.state_mut().push(leerrijk_app::gui::Command::ShowPhase(5));
            h.run_steps(5);
            std::hint::black_box(&h);
        }
        other => panic!("unknown mode {other}"),
    }
    println!("{}", vm_hwm_kib());
}

fn run_child(mode: &str, dir: &Path) -> u64 {
    let out = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, mode)
        .env("LEERRIJK_MEM_DIR", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn memory(g: &Generated) {
    let (dir, id) = (g.dir.as_path(), g.id.as_str());
    let hub = Hub::new(Library::open(Some(dir.join("data"))).unwrap());
    let bytes = hub.with_doc(id, |d| d.save()).unwrap();
    drop(hub);
    std::fs::write(dir.join("doc.automerge"), &bytes).unwrap();
    std::fs::write(dir.join("id"), id).unwrap();
    let new_id = empty(&dir.join("new"));
    std::fs::write(dir.join("new").join("id"), &new_id).unwrap();
    let base = run_child("empty", dir);
    let am = run_child("automerge", dir);
    let gui_new = run_child("gui-new", dir);
    let gui = run_child("gui", dir);
    let ratio = gui as f64 / am as f64;
    println!("== Leerrijk GUI peak memory (VmHWM of fresh processes; limit: GUI <= 2x automerge)");
    println!(
        "{} trajectory: {} bytes of automerge",
        g.size.name(),
        bytes.len()
    );
    println!("empty process:                       {base:>10} KiB");
    println!("GUI state, a new trajectory:         {gui_new:>10} KiB");
    println!("Automerge::load of the bytes:        {am:>10} KiB");
    println!(
        "GUI state, {:<5} trajectory open:    {gui:>10} KiB  ratio {ratio:.2}  {}",
        g.size.name(),
        if ratio <= 2.0 { "met" } else { "MISSED" }
    );
}
