//! The UI frames around a click that edits the document, against DESIGN.md's 8 ms frame.
//!
//! The real app state ([`LeerrijkApp::headless`]) over a data directory with a generated
//! trajectory (this device its initiator, offline), in an `egui_kittest` harness of 1200 × 800
//! points, settled. Each sample queues the command a button queues
//! ([`LeerrijkApp::push`]), then times two frames the way the window runs them on the CPU
//! (`Context::run_ui` of `app.show` plus `Context::tessellate`, AccessKit off, as
//! `benches/frame.rs` does):
//!
//! * **edit frame**: the frame that runs the command at its end: the edit on the UI thread and
//!   its durable save (the store's fsyncs: disk-bound, noisy when other processes write).
//! * **next frame**: the frame after it, which must already show the edit (screens build
//!   further edits from the view): the read view brought up to date, the analyses the screen
//!   uses, and the drawing.
//! * **click to shown**: both together.
//!
//! Edits: on the flip-over (phase 3), move a post-it to another theme (back and forth between
//! two themes); on the marketplace (phase 5), add an offer.
//!
//! One more row, **open the marketplace**: the first frame of phase 5 of a freshly loaded app
//! (its read view built before the frame, as `LeerrijkApp::headless` does; nothing computed on
//! it yet), on a context that drew frames before (fonts ready). `LEERRIJK_OPENS=N` samples,
//! default 10 small / 5 large.
//!
//! `cargo bench -p leerrijk-app --bench frame_after_edit` (`LEERRIJK_BENCH_SIZES=small,large`,
//! default both; `LEERRIJK_EDITS=N` samples per case, default 100 small / 30 large).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use leerrijk_app::dev_generate::generate_into;
use leerrijk_app::gui::LeerrijkApp;
use leerrijk_app::gui::command::{Command, Edit};
use leerrijk_app::gui::meeting_edit::MeetingEdit;
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::generate::{GenSize, GenSpec};

const WINDOW: [f32; 2] = [1200.0, 800.0];
const FRAME_LIMIT: Duration = Duration::from_millis(8);

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<GenSize> = match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .filter(|s| *s != GenSize::Huge)
            .collect(),
        _ => vec![GenSize::Small, GenSize::Large],
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut rows: Vec<Row> = Vec::new();
    for size in sizes {
        let dir = tmp.path().join(size.name());
        let t = Instant::now();
        let id = generated(&dir, &size.spec());
        let hub = Hub::new(Library::open(Some(dir.join("data"))).unwrap());
        let v = hub.read(&id, |t| t.view()).unwrap();
        println!(
            "{}: {} participants, {} post-its, {} themes, {} stories, {} offers + {} requests; generated in {:.1} s",
            size.name(),
            v.participants.len(),
            v.postits.len(),
            v.themes.len(),
            v.stories.len(),
            v.offers.len(),
            v.requests.len(),
            t.elapsed().as_secs_f64()
        );
        drop(hub);
        let n: usize = std::env::var("LEERRIJK_EDITS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(if size == GenSize::Small { 100 } else { 30 });
        let postit = v
            .postits
            .iter()
            .find(|p| p.theme.is_some())
            .expect("a post-it on a theme");
        let from = postit.theme.clone().unwrap();
        let to = v
            .themes
            .iter()
            .find(|t| t.id != from)
            .expect("a second theme")
            .id
            .clone();
        let pid = postit.id.clone();
        rows.extend(case(
            &dir,
            &id,
            3,
            "flip-over: move a post-it",
            size.name(),
            n,
            |i| MeetingEdit::MovePostIt {
                postit: pid.clone(),
                theme: Some(if i % 2 == 0 { to.clone() } else { from.clone() }),
            },
        ));
        let opens: usize = std::env::var("LEERRIJK_OPENS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(if size == GenSize::Small { 10 } else { 5 });
        rows.push(open_marketplace(&dir, &id, size.name(), opens));
        rows.extend(case(
            &dir,
            &id,
            5,
            "marketplace: add an offer",
            size.name(),
            n,
            |i| MeetingEdit::AddOffer {
                topic: format!("Bewegend leren met rekenspellen {i}"),
                people: vec!["Bram".into()],
            },
        ));
    }
    print_summary(&rows);
}

/// Times the first frame of the marketplace (phase 5) of `n` freshly loaded apps.
fn open_marketplace(dir: &Path, id: &str, size: &str, n: usize) -> Row {
    let ctx = egui::Context::default();
    ctx.disable_accesskit();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, WINDOW.into())),
        ..Default::default()
    };
    let mut samples = Vec::new();
    // The first app only readies the context (fonts); its frame is not counted.
    for i in 0..=n {
        let mut app = LeerrijkApp::headless(&dir.join("data"), id, 5).unwrap();
        assert!(app.wait_for_background(Duration::from_secs(300)));
        let t = Instant::now();
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        let meshes = ctx.tessellate(out.shapes, out.pixels_per_point);
        let took = t.elapsed();
        std::hint::black_box(meshes);
        if i > 0 {
            samples.push(took);
        }
        // Whatever the frame asked for is done before the app goes.
        assert!(app.wait_for_background(Duration::from_secs(300)));
        for _ in 0..2 {
            let out = ctx.run_ui(input(), |ui| app.show(ui));
            std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        }
        assert!(app.messages().is_empty(), "no error: {:?}", app.messages());
    }
    Row {
        name: "marketplace: open (first frame)".to_owned(),
        size: size.to_owned(),
        samples,
    }
}

/// A generated trajectory stored in `dir/data` (the initiator on this device). Returns its id.
fn generated(dir: &Path, spec: &GenSpec) -> String {
    let library = Library::open(Some(dir.join("data"))).unwrap();
    generate_into(&library, spec)
        .unwrap()
        .id
        .as_str()
        .to_owned()
}

/// One timed figure.
struct Row {
    name: String,
    size: String,
    samples: Vec<Duration>,
}

fn settle(h: &mut Harness<'static, LeerrijkApp>) {
    for _ in 0..3 {
        h.run_steps(2);
        assert!(h.state().wait_for_background(Duration::from_secs(300)));
    }
    h.run_steps(4);
}

/// Times `n` clicks of `edit(i)` on the screen of `phase`. Returns the rows edit frame, next
/// frame and click to shown.
fn case(
    dir: &Path,
    id: &str,
    phase: u8,
    name: &str,
    size: &str,
    n: usize,
    edit: impl Fn(usize) -> MeetingEdit,
) -> Vec<Row> {
    let app = LeerrijkApp::headless(&dir.join("data"), id, phase).unwrap();
    let mut h = Harness::builder()
        .with_size(WINDOW)
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app);
    settle(&mut h);
    let ctx = h.ctx.clone();
    ctx.disable_accesskit();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, WINDOW.into())),
        ..Default::default()
    };
    let frame = |h: &mut Harness<'static, LeerrijkApp>| {
        let t = Instant::now();
        let out = ctx.run_ui(input(), |ui| h.state_mut().show(ui));
        let meshes = ctx.tessellate(out.shapes, out.pixels_per_point);
        let took = t.elapsed();
        std::hint::black_box(meshes);
        took
    };
    for _ in 0..3 {
        frame(&mut h);
    }
    let (mut first, mut second, mut both) = (Vec::new(), Vec::new(), Vec::new());
    let rebuilds = h.state().view_rebuilds();
    for i in 0..n {
        h.state_mut().push(Command::Edit {
            trajectory: id.to_owned(),
            edit: Edit::Meeting(edit(i)),
        });
        let a = frame(&mut h);
        let b = frame(&mut h);
        first.push(a);
        second.push(b);
        both.push(a + b);
        // Let anything the edit queued finish before the next click.
        assert!(h.state().wait_for_background(Duration::from_secs(300)));
        frame(&mut h);
        frame(&mut h);
    }
    assert!(
        h.state().view_rebuilds() >= rebuilds + n as u64,
        "every edit brought the view up to date"
    );
    assert!(
        h.state().messages().is_empty(),
        "no error: {:?}",
        h.state().messages()
    );
    vec![
        Row {
            name: format!("{name}: edit frame"),
            size: size.to_owned(),
            samples: first,
        },
        Row {
            name: format!("{name}: next frame"),
            size: size.to_owned(),
            samples: second,
        },
        Row {
            name: format!("{name}: click to shown"),
            size: size.to_owned(),
            samples: both,
        },
    ]
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn print_summary(rows: &[Row]) {
    println!();
    println!("summary (limit: DESIGN.md one UI frame, 8 ms; ratio = median / limit)");
    println!(
        "{:<44} {:<6} {:>12} {:>12} {:>12} {:>5} {:>8} {:>7} verdict",
        "name", "size", "median", "p95", "p99", "n", "limit", "ratio"
    );
    for r in rows {
        let median = pct(&r.samples, 0.5);
        let ratio = median.as_secs_f64() / FRAME_LIMIT.as_secs_f64();
        println!(
            "{:<44} {:<6} {:>12} {:>12} {:>12} {:>5} {:>8} {:>7.2} {}",
            r.name,
            r.size,
            ms(median),
            ms(pct(&r.samples, 0.95)),
            ms(pct(&r.samples, 0.99)),
            r.samples.len(),
            "8 ms",
            ratio,
            if ratio <= 1.0 { "met" } else { "NOT met" }
        );
    }
}
