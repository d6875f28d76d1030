//! The cost of the one check every incoming change passes (`leerrijk_model::guard`), against
//! applying the same changes (what the sync exchange does with them anyway).
//!
//! `cargo bench -p leerrijk-model --bench guard` (`LEERRIJK_BENCH_SIZES=small,large` picks
//! the sizes; default small and large).
//!
//! Two cases per size:
//! * a whole trajectory's history arriving at an empty laptop (a first join), checked change
//!   by change, against `load_incremental` of the same bytes;
//! * one post-it edit arriving at a laptop that has the whole trajectory (a meeting), checked,
//!   against applying it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use automerge::AutoCommit;
use leerrijk_model::generate::{GenSize, generate};
use leerrijk_model::{NewPostIt, guard};

fn sizes() -> Vec<GenSize> {
    match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .collect(),
        _ => vec![GenSize::Small, GenSize::Large],
    }
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    println!("| case | size | changes | bytes | check (median) | apply (median) | check / apply |");
    println!("|---|---|---|---|---|---|---|");
    for size in sizes() {
        let mut g = generate(&size.spec()).expect("generate");
        let doc = g.trajectory.doc_mut();
        let history = doc.save_after(&[]);
        let changes = doc.get_changes(&[]).len();
        let runs = if size == GenSize::Small { 21 } else { 3 };
        let empty = AutoCommit::new();
        let check = median(runs, || {
            black_box(guard::check_changes(&empty, [history.as_slice()]).unwrap());
        });
        let apply = median(runs, || {
            let mut d = AutoCommit::new();
            d.load_incremental(black_box(&history)).unwrap();
            black_box(d.get_heads());
        });
        println!(
            "| whole history to an empty laptop | {} | {changes} | {} | {:.1?} | {:.1?} | {:.2} |",
            size.name(),
            history.len(),
            check,
            apply,
            check.as_secs_f64() / apply.as_secs_f64()
        );

        // One edit from a peer during a meeting.
        let base = g.trajectory.doc().clone();
        let mut peer = leerrijk_model::Trajectory::from_doc(base.clone()).unwrap();
        let heads = peer.doc_mut().get_heads();
        peer.add_postit(NewPostIt {
            text: "Samen lesgeven in groep 5".into(),
            ..Default::default()
        })
        .unwrap();
        let edit = peer.doc_mut().save_after(&heads);
        let check = median(101, || {
            black_box(guard::check_changes(&base, [edit.as_slice()]).unwrap());
        });
        // Applying the edit, on a fresh copy each time (the copy is not timed).
        let mut alone = Vec::new();
        for _ in 0..21 {
            let mut d = base.clone();
            let s = Instant::now();
            d.load_incremental(black_box(&edit)).unwrap();
            alone.push(s.elapsed());
        }
        alone.sort();
        let apply_alone = alone[alone.len() / 2];
        println!(
            "| one post-it edit during a meeting | {} | 1 | {} | {:.1?} | {:.1?} | {:.2} |",
            size.name(),
            edit.len(),
            check,
            apply_alone,
            check.as_secs_f64() / apply_alone.as_secs_f64()
        );
    }
}
