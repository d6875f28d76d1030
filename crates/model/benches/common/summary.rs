//! Shared by the Leerrijk benches (`#[path]`-included by the store's benches too): runs a
//! routine under criterion while keeping every measured iteration, then prints one table of
//! `name size median p95 p99 n limit ratio verdict`, each figure beside its limit from DESIGN.md
//! "Performance".
//!
//! Criterion calls the routine first to warm up, then once per sample; we keep only the last
//! `sample_size` calls (the measured samples) and time every iteration in them on its own,
//! so the median and p95 are of single operations.

#![allow(dead_code)] // each bench uses a part

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};

/// What a figure is compared with.
#[derive(Clone, Debug)]
pub enum Limit {
    /// No limit: shown for information.
    None,
    /// At most `max` times the median of another row (same size), named `baseline`.
    Ratio {
        /// Name of the baseline row.
        baseline: &'static str,
        /// Allowed ratio.
        max: f64,
    },
    /// At most this long (the median; `p95` also checked when set).
    Absolute {
        /// The budget for the median.
        median: Duration,
        /// What the budget is called in the table.
        label: &'static str,
    },
}

/// Iteration times of one row, per call of the routine by criterion.
#[derive(Default)]
struct Row {
    calls: Vec<Vec<Duration>>,
    limit: Option<Limit>,
}

/// Collects rows across benchmark groups and prints the summary table.
#[derive(Clone, Default)]
pub struct Summary {
    rows: Rc<RefCell<BTreeMap<(String, String), Row>>>,
    order: Rc<RefCell<Vec<(String, String)>>>,
    samples: Rc<RefCell<BTreeMap<(String, String), usize>>>,
    notes: Rc<RefCell<Vec<String>>>,
}

impl Summary {
    /// Benchmarks `routine` as `name/size` in `group`; `sample_size` must be the group's.
    /// The routine runs once per iteration and is timed on its own.
    pub fn bench(
        &self,
        group: &mut BenchmarkGroup<'_, WallTime>,
        name: &str,
        size: &str,
        sample_size: usize,
        limit: Limit,
        mut routine: impl FnMut(),
    ) {
        let key = (name.to_owned(), size.to_owned());
        {
            let mut rows = self.rows.borrow_mut();
            let row = rows.entry(key.clone()).or_default();
            row.limit = Some(limit);
            self.samples.borrow_mut().insert(key.clone(), sample_size);
            if !self.order.borrow().contains(&key) {
                self.order.borrow_mut().push(key.clone());
            }
        }
        let rows = self.rows.clone();
        group.bench_function(BenchmarkId::new(name, size), |b| {
            b.iter_custom(|iters| {
                let mut times = Vec::with_capacity(iters as usize);
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    routine();
                    let d = start.elapsed();
                    total += d;
                    times.push(d);
                }
                if let Some(row) = rows.borrow_mut().get_mut(&key) {
                    row.calls.push(times);
                }
                total
            });
        });
    }

    /// Adds a line printed under the table (sizes, file sizes, caveats).
    pub fn note(&self, line: impl Into<String>) {
        let line = line.into();
        println!("{line}");
        self.notes.borrow_mut().push(line);
    }

    /// Median and p95 of a row's measured iterations.
    fn stats(&self, key: &(String, String)) -> Option<(Duration, Duration, Duration, usize)> {
        let rows = self.rows.borrow();
        let row = rows.get(key)?;
        let samples = self.samples.borrow().get(key).copied().unwrap_or(10);
        let skip = row.calls.len().saturating_sub(samples);
        let mut all: Vec<Duration> = row.calls[skip..].iter().flatten().copied().collect();
        if all.is_empty() {
            return None;
        }
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 - 1.0) * p).round() as usize];
        Some((pct(0.5), pct(0.95), pct(0.99), all.len()))
    }

    /// Prints the table.
    pub fn print(&self) {
        println!();
        println!("== Leerrijk benchmark summary (median, p95 and p99 of single iterations)");
        println!(
            "{:<34} {:>6} {:>11} {:>11} {:>11} {:>7}  {:<44} {:>7}  verdict",
            "name", "size", "median", "p95", "p99", "n", "limit", "ratio"
        );
        let order = self.order.borrow().clone();
        for key in &order {
            let Some((median, p95, p99, n)) = self.stats(key) else {
                continue;
            };
            let limit = self
                .rows
                .borrow()
                .get(key)
                .and_then(|r| r.limit.clone())
                .unwrap_or(Limit::None);
            let (limit_text, ratio, max) = match &limit {
                Limit::None => ("-".to_owned(), None, None),
                Limit::Ratio { baseline, max } => {
                    match self.stats(&((*baseline).to_owned(), key.1.clone())) {
                        Some((base, _, _, _)) => (
                            format!("<= {max}x {baseline} ({})", fmt(base)),
                            Some(median.as_secs_f64() / base.as_secs_f64()),
                            Some(*max),
                        ),
                        None => (format!("<= {max}x {baseline} (not run)"), None, None),
                    }
                }
                Limit::Absolute {
                    median: budget,
                    label,
                } => (
                    format!("<= {} ({label})", fmt(*budget)),
                    Some(median.as_secs_f64() / budget.as_secs_f64()),
                    Some(1.0),
                ),
            };
            let ratio_text = ratio
                .map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "-".into());
            let verdict = match (ratio, max) {
                (Some(r), Some(m)) if r <= m => "met",
                (Some(_), Some(_)) => "MISSED",
                _ => "",
            };
            println!(
                "{:<34} {:>6} {:>11} {:>11} {:>11} {:>7}  {:<44} {:>7}  {verdict}",
                key.0,
                key.1,
                fmt(median),
                fmt(p95),
                fmt(p99),
                n,
                limit_text,
                ratio_text
            );
        }
        for line in self.notes.borrow().iter() {
            println!("  {line}");
        }
    }
}

/// A duration with a sensible unit.
pub fn fmt(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}
