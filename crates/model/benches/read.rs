//! Read-side benchmarks of the model: hydrating the read view, and each analysis over it, at
//! the generated sizes small / large / huge (see `leerrijk_model::generate`).
//!
//! `cargo bench -p leerrijk-model --features generate --bench read`
//! (`LEERRIJK_BENCH_SIZES=small,large` limits the sizes).
//!
//! DESIGN.md sets no limit for these alone; they are shown against one 8 ms UI frame, since
//! a screen that hydrates or analyses on every frame has to fit in one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/summary.rs"]
mod summary;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use leerrijk_model::analysis;
use leerrijk_model::generate::{GenSize, generate};
use summary::{Limit, Summary};

/// One UI frame (DESIGN.md: a frame of the flip-over must fit in 8 ms).
const FRAME: Limit = Limit::Absolute {
    median: Duration::from_millis(8),
    label: "one frame, informal",
};

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

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let summary = Summary::default();
    for size in sizes() {
        let spec = size.spec();
        let start = Instant::now();
        let mut g = generate(&spec).expect("generate");
        let generated_in = start.elapsed();
        let bytes = g.trajectory.doc_mut().save();
        let v = g.trajectory.view();
        summary.note(format!(
            "{}: {} participants, {} post-its, {} themes, {} stories, {} offers + {} requests, {} groups, {} edits ({} history rounds); automerge save {} bytes; generated in {}",
            size.name(),
            v.participants.len(),
            v.postits.len(),
            v.themes.len(),
            v.stories.len(),
            v.offers.len(),
            v.requests.len(),
            v.groups.len(),
            g.edits,
            spec.history_rounds,
            bytes.len(),
            summary::fmt(generated_in),
        ));
        let samples = if size == GenSize::Huge { 10 } else { 20 };
        let mut group = c.benchmark_group(format!("model-{}", size.name()));
        group
            .sample_size(samples)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3))
            .sampling_mode(SamplingMode::Flat);
        let mut e = leerrijk_model::Trajectory::from_doc(g.trajectory.doc_mut().fork()).unwrap();
        let t = &g.trajectory;
        let name = size.name();
        summary.bench(&mut group, "hydrate view", name, samples, FRAME, || {
            black_box(t.view());
        });
        summary.bench(&mut group, "clone the view", name, samples, FRAME, || {
            black_box(v.clone());
        });
        // An edit on the flip-over (a post-it moved to another theme, back and forth), then
        // the view brought up to date from the previous one (`view_since`).
        let mut shown = e.view_with_heads();
        let pid = shown.view.postits[0].id.clone();
        let themes: Vec<String> = shown
            .view
            .themes
            .iter()
            .take(2)
            .map(|t| t.id.clone())
            .collect();
        let mut k = 0;
        summary.bench(
            &mut group,
            "one edit (move a post-it)",
            name,
            samples,
            FRAME,
            || {
                k += 1;
                e.move_postit(&pid, Some(&themes[k % 2])).unwrap();
            },
        );
        // From the view after those edits.
        shown = e.view_with_heads();
        summary.bench(
            &mut group,
            "one edit + incremental view",
            name,
            samples,
            FRAME,
            || {
                k += 1;
                e.move_postit(&pid, Some(&themes[k % 2])).unwrap();
                let u = e.view_since(&shown.view, &shown.heads);
                assert!(
                    matches!(u.how, leerrijk_model::ViewUpdate::Items(_)),
                    "{:?}",
                    u.how
                );
                shown = u;
            },
        );
        // The same, updating one view in place (no copy of the previous view).
        let mut owned = e.view_with_heads();
        summary.bench(
            &mut group,
            "one edit + view updated in place",
            name,
            samples,
            FRAME,
            || {
                k += 1;
                e.move_postit(&pid, Some(&themes[k % 2])).unwrap();
                let how = e.update_view(&mut owned.view, &mut owned.heads);
                assert!(
                    matches!(how, leerrijk_model::ViewUpdate::Items(_)),
                    "{how:?}"
                );
            },
        );
        summary.bench(
            &mut group,
            "analysis: ranking comparison",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::compare_rankings(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: marketplace matching",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::market_matching(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: post-its per theme",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::postits_per_theme(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: logbook totals",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::logbook_totals(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: brain-cracker tally",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::brain_cracker_tally(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: red-green distribution",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::red_green_distribution(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: satisfaction sources",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::shared_satisfaction_sources(&v));
            },
        );
        summary.bench(
            &mut group,
            "analysis: voices coverage",
            name,
            samples,
            FRAME,
            || {
                black_box(analysis::voices_coverage(&v));
            },
        );
        group.finish();
    }
    c.final_summary();
    summary.print();
}
