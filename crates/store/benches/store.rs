//! Storage benchmarks at the generated sizes small / large / huge, each beside its limit from
//! DESIGN.md "Performance":
//!
//! * **open a trajectory from disk** (`TrajectoryStore::open` + `Trajectory::from_doc`) vs
//!   `automerge::Automerge::load` of the same bytes: at most 1.3×;
//! * **save one edit durably** (a model edit, then `TrajectoryStore::save` = `stage` +
//!   `StagedSave::commit`: one append to the store's change log + one `fdatasync`) vs one raw
//!   automerge edit + `save_incremental` + appending the bytes to a file + one fsync: at most
//!   1.5×. Automatic compaction is off for this row (as in the app, which compacts in the
//!   background); the cost of a compaction is printed separately;
//! * **open a trajectory whose change log holds 1,000 small saves** (an uncompacted log),
//!   beside plain open.
//!
//! `cargo bench -p leerrijk-store --bench store` (`LEERRIJK_BENCH_SIZES=small,large` limits
//! the sizes). Files go to a temporary directory under `TMPDIR`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../model/benches/common/summary.rs"]
mod summary;

use std::fs::OpenOptions;
use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT, ReadDoc};
use criterion::{Criterion, SamplingMode};
use leerrijk_model::generate::{GenSize, generate};
use leerrijk_model::{Trajectory, TrajectoryView};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};
use summary::{Limit, Summary};

/// The sizes to run, from `LEERRIJK_BENCH_SIZES` (default all).
fn sizes() -> Vec<GenSize> {
    match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .collect(),
        _ => GenSize::ALL.to_vec(),
    }
}

/// Post-it and theme ids to edit, from the view.
fn targets(v: &TrajectoryView) -> (Vec<String>, Vec<String>) {
    (
        v.postits.iter().map(|p| p.id.clone()).collect(),
        v.themes.iter().map(|t| t.id.clone()).collect(),
    )
}

/// Alternating iterations of the paired durable-edit measurement.
const PAIRED: usize = 400;

/// Median, p95 and p99 of `times`.
fn percentiles(times: &mut [Duration]) -> [Duration; 3] {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    [pct(0.5), pct(0.95), pct(0.99)]
}

/// Total bytes of the change logs in `dir`.
fn log_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let summary = Summary::default();
    let tmp = tempfile::tempdir().unwrap();
    for size in sizes() {
        let name = size.name();
        let mut g = generate(&size.spec()).unwrap();
        let view = g.trajectory.view();
        let (postits, themes) = targets(&view);
        let data = DataDir::open(tmp.path().join(name)).unwrap();
        let id = TrajectoryId::parse(&g.trajectory.id()).unwrap();
        let doc = g.trajectory.doc_mut();
        drop(TrajectoryStore::create(&data, &id, doc).unwrap());
        let bytes = doc.save();
        summary.note(format!(
            "{name}: {} post-its, {} stories, {} changes, snapshot {} bytes",
            view.postits.len(),
            view.stories.len(),
            doc.get_changes(&[]).len(),
            bytes.len()
        ));

        let samples = if size == GenSize::Small { 50 } else { 10 };
        let mut group = c.benchmark_group(format!("store-{name}"));
        group
            .sample_size(samples)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(if size == GenSize::Small {
                3
            } else {
                8
            }))
            .sampling_mode(SamplingMode::Flat);

        summary.bench(
            &mut group,
            "automerge load (limit)",
            name,
            samples,
            Limit::None,
            || {
                black_box(Automerge::load(&bytes).unwrap());
            },
        );
        let open_limit = Limit::Ratio {
            baseline: "automerge load (limit)",
            max: 1.3,
        };
        summary.bench(
            &mut group,
            "open trajectory from disk",
            name,
            samples,
            open_limit,
            || {
                let (store, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
                assert!(report.is_clean());
                black_box((store, Trajectory::from_doc(doc).unwrap()));
            },
        );

        // Open with an uncompacted log: the same trajectory in another data directory, then
        // 1,000 saves of one small edit each, by a store that is gone when opening.
        let log_data = DataDir::open(tmp.path().join(format!("{name}-log"))).unwrap();
        {
            let mut copy = AutoCommit::load(&bytes).unwrap();
            drop(TrajectoryStore::create(&log_data, &id, &mut copy).unwrap());
            let (mut store, doc, _) = TrajectoryStore::open(&log_data, &id).unwrap();
            store.set_compact_threshold(None);
            let mut traj = Trajectory::from_doc(doc).unwrap();
            let start = Instant::now();
            for k in 0..1000 {
                let p = &postits[k % postits.len().min(1000)];
                traj.move_postit(p, Some(&themes[k % themes.len()]))
                    .unwrap();
                store.save(traj.doc_mut()).unwrap();
            }
            summary.note(format!(
                "{name}: 1,000 saves into one change log took {} ({} pieces, log {} bytes)",
                summary::fmt(start.elapsed()),
                store.pieces(),
                log_bytes(&log_data.trajectory_dir(&id)),
            ));
        }
        summary.bench(
            &mut group,
            "open, 1,000 saves in a log",
            name,
            samples,
            Limit::None,
            || {
                let (store, doc, report) = TrajectoryStore::open(&log_data, &id).unwrap();
                assert!(report.is_clean());
                black_box((store, Trajectory::from_doc(doc).unwrap()));
            },
        );

        // One durable edit: move a post-it to another theme, then save.
        let (mut store, doc, _) = TrajectoryStore::open(&data, &id).unwrap();
        store.set_compact_threshold(None);
        let mut traj = Trajectory::from_doc(doc).unwrap();
        let mut i = 0usize;
        // The limit: the same document as raw automerge, a put on a post-it object,
        // save_incremental, append to a log file, one fsync (`sync` picks fsync or
        // fdatasync).
        let raw_edit = |sync_data: bool, file: &str| {
            let mut raw = AutoCommit::load(&bytes).unwrap();
            raw.save_incremental();
            let (_, coll) = raw.get(ROOT, "postits").unwrap().unwrap();
            let objs: Vec<_> = postits
                .iter()
                .take(1000)
                .map(|p| raw.get(&coll, p.as_str()).unwrap().unwrap().1)
                .collect();
            let mut log = OpenOptions::new()
                .create(true)
                .append(true)
                .open(tmp.path().join(file))
                .unwrap();
            let themes = themes.clone();
            let mut j = 0usize;
            move || {
                j += 1;
                let obj = &objs[j % objs.len()];
                raw.put(obj, "theme", themes[j % themes.len()].as_str())
                    .unwrap();
                raw.commit();
                let b = raw.save_incremental();
                log.write_all(&b).unwrap();
                if sync_data {
                    log.sync_data().unwrap();
                } else {
                    log.sync_all().unwrap();
                }
            }
        };
        let mut limit = raw_edit(false, &format!("{name}.log"));
        let mut limit_data = raw_edit(true, &format!("{name}-data.log"));
        let mut edit = || {
            i += 1;
            let p = &postits[i % postits.len().min(1000)];
            let th = &themes[i % themes.len()];
            traj.move_postit(p, Some(th)).unwrap();
            store.save(traj.doc_mut()).unwrap();
        };
        summary.bench(
            &mut group,
            "durable edit (limit)",
            name,
            samples,
            Limit::None,
            &mut limit,
        );
        let edit_limit = Limit::Ratio {
            baseline: "durable edit (limit)",
            max: 1.5,
        };
        summary.bench(
            &mut group,
            "durable edit",
            name,
            samples,
            edit_limit,
            &mut edit,
        );
        summary.bench(
            &mut group,
            "durable edit (limit, fdatasync)",
            name,
            samples,
            Limit::None,
            &mut limit_data,
        );
        // The disk's sync time swings between runs (other processes' writes), so the
        // ratio is also measured paired: limit and real save alternate, same conditions.
        let mut paired = (Vec::new(), Vec::new());
        for _ in 0..PAIRED {
            let start = Instant::now();
            limit();
            paired.0.push(start.elapsed());
            let start = Instant::now();
            edit();
            paired.1.push(start.elapsed());
        }
        let (l, e) = (percentiles(&mut paired.0), percentiles(&mut paired.1));
        summary.note(format!(
            "{name}: paired durable edit, {PAIRED} alternating iterations: limit median {} p95 {} p99 {}; \
             durable edit median {} p95 {} p99 {}; ratio of medians {:.2} (limit <= 1.5)",
            summary::fmt(l[0]),
            summary::fmt(l[1]),
            summary::fmt(l[2]),
            summary::fmt(e[0]),
            summary::fmt(e[1]),
            summary::fmt(e[2]),
            e[0].as_secs_f64() / l[0].as_secs_f64(),
        ));

        let pieces = store.pieces();
        let start = Instant::now();
        let live = store.compact(traj.doc_mut()).unwrap();
        let live_time = start.elapsed();
        let start = Instant::now();
        let background = data.compact_trajectory(&id).unwrap();
        let background_time = start.elapsed();
        summary.note(format!(
            "{name}: after the durable-edit runs the trajectory was in {pieces} pieces (no automatic compaction in the figures); \
             compacting it: TrajectoryStore::compact {} (removed {}), then DataDir::compact_trajectory {} (load + snapshot, off the edit path)",
            summary::fmt(live_time),
            live.files_removed,
            summary::fmt(background_time),
        ));
        drop(background);
        drop(store);
        group.finish();
    }
    c.final_summary();
    summary.print();
}
