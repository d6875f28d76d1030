//! UI frame time while a large sync runs, beside the same screens with no sync running
//! (issue 4: "no frame blocks on IO"; DESIGN.md "Performance": a UI frame ≤ 8 ms on the CPU).
//!
//! Two laptops in one process, each the real app state in an `egui_kittest` harness of
//! 1200 × 800 points over its own data directory, hub and live sync peer ([`LiveSync`] on
//! loopback: real iroh endpoints, relays and mDNS off):
//!
//! * **A** holds a generated trajectory (`large` preset by default: 100 people, 20,000 post-its,
//!   2,000 stories) and has it open at the flip-over (phase 3).
//! * **join**: **B** (a fresh data directory, start screen) joins with A's ticket and pulls the
//!   whole trajectory; its app opens it when joined (at the same phase). Frames of both apps are
//!   drawn meanwhile, until B has all of A's changes and shows the trajectory.
//! * **stream**: B then adds post-its one by one (durable edits on another thread, one every
//!   20 ms); A receives them as remote changes, and frames of both apps are drawn until A has
//!   all of them.
//!
//! Frames are paced at 60 per second, A's and B's one after the other on this thread, as a
//! window would draw them; each is one `Harness::step` (the app's frame plus kittest's
//! AccessKit tree), timed on its own. Rows: median, p95, p99, max, and how many frames took
//! over 8 ms and over 50 ms. "no sync" rows are the same screens afterwards, settled, with the
//! sync peers idle. The figure that matters is the max during the sync: a frame that waited
//! for the document (held by sync, or a read view rebuilt on the UI thread) shows as a frame of
//! hundreds of milliseconds there.
//!
//! `cargo bench -p leerrijk-app --bench frame_during_sync`
//! (`LEERRIJK_SYNC_SIZE=small|large|huge`, default large; `LEERRIJK_FRAMES=N` frames per
//! "no sync" row, default 300; `LEERRIJK_STREAM_EDITS=N`, default 200; `LEERRIJK_PHASE=1..5`,
//! default 3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use leerrijk_app::dev_generate::generate_into;
use leerrijk_app::gui::{Command, LeerrijkApp, LiveSync, LiveSyncOptions, Profile, SyncPort};
use leerrijk_app::hub::Hub;
use leerrijk_app::library::Library;
use leerrijk_model::generate::GenSize;
use leerrijk_model::{NewPostIt, Role};
use leerrijk_sync::TrajectoryId;

const WINDOW: [f32; 2] = [1200.0, 800.0];
const FRAME_LIMIT: Duration = Duration::from_millis(8);
/// 60 frames per second.
const FRAME_PERIOD: Duration = Duration::from_micros(16_667);
const DEADLINE: Duration = Duration::from_secs(300);

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// One timed frame: wall time, and of it the time this thread ran on a CPU and the time it
/// was ready but waited for one (the rest it was blocked, e.g. on a lock).
#[derive(Clone, Copy)]
struct Frame {
    wall: Duration,
    cpu: Duration,
    queued: Duration,
}

/// This thread's time on a CPU and waiting for one so far (Linux schedstat, ns).
fn schedstat() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut it = s.split_whitespace().map(|v| v.parse::<u64>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// One laptop.
struct Laptop {
    h: Harness<'static, LeerrijkApp>,
    hub: Arc<Hub>,
    sync: Arc<LiveSync>,
    frames: Vec<Frame>,
}

impl Laptop {
    fn new(app: LeerrijkApp, hub: Arc<Hub>, sync: Arc<LiveSync>) -> Self {
        let h = Harness::builder()
            .with_size(WINDOW)
            .with_max_steps(50)
            .build_ui_state(|ui, app: &mut LeerrijkApp| app.show(ui), app);
        let mut l = Laptop {
            h,
            hub,
            sync,
            frames: Vec::new(),
        };
        l.settle();
        l
    }

    /// Frames until background work (loading, read views) is done.
    fn settle(&mut self) {
        self.h.run_steps(2);
        assert!(self.h.state().wait_for_background(Duration::from_secs(300)));
        self.h.run_steps(5);
    }

    /// One timed frame.
    fn frame(&mut self) {
        let (cpu0, queued0) = schedstat();
        let t = Instant::now();
        self.h.step();
        let wall = t.elapsed();
        let (cpu1, queued1) = schedstat();
        self.frames.push(Frame {
            wall,
            cpu: Duration::from_nanos(cpu1.saturating_sub(cpu0)),
            queued: Duration::from_nanos(queued1.saturating_sub(queued0)),
        });
    }

    fn heads(&self, id: &str) -> Option<Vec<automerge::ChangeHash>> {
        if !self.hub.list().ok()?.iter().any(|t| t == id) {
            return None;
        }
        self.hub
            .with_doc(id, |d| {
                let mut h = d.get_heads();
                h.sort();
                h
            })
            .ok()
    }
}

struct Row {
    scenario: String,
    laptop: &'static str,
    frames: Vec<Frame>,
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Draws paced frames of both laptops until `done` holds (checked every 100 ms). Returns the
/// frames drawn per laptop.
fn frames_until(
    a: &mut Laptop,
    b: &mut Laptop,
    mut done: impl FnMut(&mut Laptop, &mut Laptop) -> bool,
) -> (Vec<Frame>, Vec<Frame>) {
    a.frames.clear();
    b.frames.clear();
    let start = Instant::now();
    let mut last_check = Instant::now();
    loop {
        let tick = Instant::now();
        a.frame();
        b.frame();
        if last_check.elapsed() >= Duration::from_millis(100) {
            last_check = Instant::now();
            if done(a, b) {
                break;
            }
        }
        assert!(start.elapsed() < DEADLINE, "sync did not finish in time");
        if let Some(rest) = FRAME_PERIOD.checked_sub(tick.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    (std::mem::take(&mut a.frames), std::mem::take(&mut b.frames))
}

/// `n` paced frames of both laptops with nothing happening.
fn quiet_frames(a: &mut Laptop, b: &mut Laptop, n: usize) -> (Vec<Frame>, Vec<Frame>) {
    let mut left = n;
    frames_until(a, b, |_, _| false_after(&mut left))
}

fn false_after(left: &mut usize) -> bool {
    // Checked every ~6 frames (100 ms at 60 Hz).
    *left = left.saturating_sub(6);
    *left == 0
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let size = std::env::var("LEERRIJK_SYNC_SIZE").unwrap_or_else(|_| "large".into());
    let spec = match size.as_str() {
        "small" => GenSize::Small.spec(),
        "huge" => GenSize::Huge.spec(),
        _ => GenSize::Large.spec(),
    };
    let n = env_num("LEERRIJK_FRAMES", 300);
    let edits = env_num("LEERRIJK_STREAM_EDITS", 200);
    let phase = env_num("LEERRIJK_PHASE", 3).clamp(1, 5) as u8;
    let tmp = tempfile::tempdir().unwrap();

    // Laptop A with the generated trajectory.
    let dir_a = tmp.path().join("a");
    let t = Instant::now();
    let id = {
        let library = Library::open(Some(dir_a.clone())).unwrap();
        generate_into(&library, &spec)
            .unwrap()
            .id
            .as_str()
            .to_owned()
    };
    eprintln!(
        "{size} trajectory generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let hub_a = Hub::new(Library::open(Some(dir_a)).unwrap());
    let sync_a = LiveSync::start(hub_a.clone(), LiveSyncOptions::loopback()).unwrap();
    let app_a = LeerrijkApp::headless_on_hub(hub_a.clone(), &id, phase, sync_a.clone()).unwrap();
    let mut a = Laptop::new(app_a, hub_a.clone(), sync_a.clone());
    let title = hub_a.read(&id, |t| t.view().title).unwrap();

    // Laptop B, fresh, on the start screen.
    let mut b = fresh_laptop(&tmp.path().join("b"));
    let (qa, qb) = quiet_frames(&mut a, &mut b, n);
    let mut rows = vec![
        Row {
            scenario: format!("no sync: A flip-over ({size}), B start screen"),
            laptop: "A",
            frames: qa,
        },
        Row {
            scenario: format!("no sync: A flip-over ({size}), B start screen"),
            laptop: "B",
            frames: qb,
        },
    ];

    // Join: B pulls the whole trajectory.
    let ticket = sync_a
        .handle()
        .ticket(&TrajectoryId::new(id.as_str()).unwrap(), &title)
        .unwrap()
        .to_string();
    let started = Instant::now();
    SyncPort::join(&*b.sync, &ticket, "Bram", Role::Leerkracht).unwrap();
    let mut synced: Option<Duration> = None;
    let mut asked_phase = false;
    let (ja, jb) = frames_until(&mut a, &mut b, |a, b| {
        if !asked_phase && b.h.state().ui_state().open_trajectory.as_deref() == Some(id.as_str()) {
            b.h.state_mut().push(Command::ShowPhase(phase));
            asked_phase = true;
        }
        if synced.is_none() && a.heads(&id).is_some() && a.heads(&id) == b.heads(&id) {
            synced = Some(started.elapsed());
        }
        synced.is_some()
            && asked_phase
            && b.h.query_all_by_label(&title).next().is_some()
            && a.h.state().wait_for_background(Duration::ZERO)
            && b.h.state().wait_for_background(Duration::ZERO)
    });
    let visible = started.elapsed();
    let synced = synced.unwrap();
    let (bytes, changes) = b
        .hub
        .with_doc(&id, |d| (d.save().len(), d.get_changes(&[]).len()))
        .unwrap();
    let v = b.hub.read(&id, |t| t.view()).unwrap();
    let join_size = format!(
        "{} participants, {} post-its, {} themes, {} stories, {} offers, {} requests; \
         {changes} changes, {bytes} bytes saved",
        v.participants.len(),
        v.postits.len(),
        v.themes.len(),
        v.stories.len(),
        v.offers.len(),
        v.requests.len(),
    );
    drop(v);
    rows.push(Row {
        scenario: "join: B pulls the trajectory from A".into(),
        laptop: "A",
        frames: ja,
    });
    rows.push(Row {
        scenario: "join: B pulls the trajectory from A".into(),
        laptop: "B",
        frames: jb,
    });

    a.settle();
    b.settle();
    let (qa, qb) = quiet_frames(&mut a, &mut b, n);
    rows.push(Row {
        scenario: format!("no sync: both flip-over ({size})"),
        laptop: "A",
        frames: qa,
    });
    rows.push(Row {
        scenario: format!("no sync: both flip-over ({size})"),
        laptop: "B",
        frames: qb,
    });

    // Stream: B adds post-its one by one; A receives them.
    let me_b = {
        let device = b.hub.library().device_id().to_owned();
        b.hub
            .read(&id, |t| t.participant_for_device(&device))
            .unwrap()
            .unwrap()
    };
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let hub = b.hub.clone();
        let id = id.clone();
        let writing = writing.clone();
        std::thread::spawn(move || {
            for i in 0..edits {
                let tick = Instant::now();
                hub.edit(&id, |t| {
                    t.add_postit(NewPostIt {
                        text: format!("Nagekomen punt {}", i + 1),
                        theme: None,
                        author: Some(me_b.clone()),
                        anonymous: false,
                        colour: None,
                    })
                })
                .unwrap();
                if let Some(rest) = Duration::from_millis(20).checked_sub(tick.elapsed()) {
                    std::thread::sleep(rest);
                }
            }
            writing.store(false, Ordering::SeqCst);
        })
    };
    let started = Instant::now();
    let (sa, sb) = frames_until(&mut a, &mut b, |a, b| {
        !writing.load(Ordering::SeqCst) && a.heads(&id) == b.heads(&id)
    });
    let stream_took = started.elapsed();
    writer.join().unwrap();
    rows.push(Row {
        scenario: format!("stream: A receives {edits} post-its from B"),
        laptop: "A",
        frames: sa,
    });
    rows.push(Row {
        scenario: format!("stream: A receives {edits} post-its from B"),
        laptop: "B",
        frames: sb,
    });

    println!(
        "== Leerrijk UI frames during sync (egui_kittest step on the CPU, 1200 x 800 points, \
         60 frames/s paced, phase {phase}; limit {} per frame)",
        ms(FRAME_LIMIT)
    );
    println!(
        "{:<50} {:>2} {:>6} {:>10} {:>10} {:>10} {:>10} {:>6} {:>6}   frames over 8 ms: on CPU \
         / waiting for a CPU / blocked (sums)",
        "scenario", "", "frames", "median", "p95", "p99", "max", ">8ms", ">50ms"
    );
    for r in &rows {
        let wall: Vec<Duration> = r.frames.iter().map(|f| f.wall).collect();
        let over = |d: Duration| wall.iter().filter(|f| **f > d).count();
        let slow: Vec<&Frame> = r.frames.iter().filter(|f| f.wall > FRAME_LIMIT).collect();
        let sum = |g: &dyn Fn(&Frame) -> Duration| slow.iter().map(|f| g(f)).sum::<Duration>();
        let cpu = sum(&|f| f.cpu);
        let queued = sum(&|f| f.queued);
        let blocked = sum(&|f| f.wall.saturating_sub(f.cpu + f.queued));
        println!(
            "{:<50} {:>2} {:>6} {:>10} {:>10} {:>10} {:>10} {:>6} {:>6}   {} / {} / {}",
            r.scenario,
            r.laptop,
            r.frames.len(),
            ms(pct(&wall, 0.5)),
            ms(pct(&wall, 0.95)),
            ms(pct(&wall, 0.99)),
            ms(pct(&wall, 1.0)),
            over(FRAME_LIMIT),
            over(Duration::from_millis(50)),
            ms(cpu),
            ms(queued),
            ms(blocked),
        );
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {} CPUs, load average at the end {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "join: all of A's changes on B after {:.2} s; B showing the trajectory after {:.2} s \
         (ticket to screen); size: {join_size}",
        synced.as_secs_f64(),
        visible.as_secs_f64()
    );
    println!(
        "stream: {edits} durable edits on B (one per 20 ms), all on A after {:.2} s",
        stream_took.as_secs_f64()
    );
    a.sync.shutdown();
    b.sync.shutdown();
}

fn fresh_laptop(dir: &Path) -> Laptop {
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let sync = LiveSync::start(hub.clone(), LiveSyncOptions::loopback()).unwrap();
    let app = LeerrijkApp::headless_start(
        hub.clone(),
        Profile {
            name: "Bram".into(),
            role: Role::Leerkracht,
        },
        sync.clone(),
    );
    Laptop::new(app, hub, sync)
}
