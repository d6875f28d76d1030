//! Peak memory (VmHWM from /proc/self/status) of a process that opens a generated trajectory
//! the way the app does (`TrajectoryStore::open` + `Trajectory::from_doc` + one read view),
//! beside a process that only does `automerge::Automerge::load` of the same bytes: DESIGN.md
//! allows at most 2×. Each figure comes from a fresh child process (this same executable,
//! started again with `LEERRIJK_MEM_CHILD` set).
//!
//! `cargo bench -p leerrijk-store --bench memory` (`LEERRIJK_BENCH_SIZES` picks the sizes;
//! default `small,large`). Linux only (reads /proc).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use leerrijk_model::Trajectory;
use leerrijk_model::generate::{GenSize, generate};
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

const CHILD: &str = "LEERRIJK_MEM_CHILD";

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
        "app" => {
            let id = std::fs::read_to_string(dir.join("id")).unwrap();
            let data = DataDir::open(dir.join("data")).unwrap();
            let id = TrajectoryId::parse(id.trim()).unwrap();
            let (store, doc, _) = TrajectoryStore::open(&data, &id).unwrap();
            let traj = Trajectory::from_doc(doc).unwrap();
            let view = traj.view();
            std::hint::black_box((&store, &traj, &view));
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
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        let dir = std::env::var("LEERRIJK_MEM_DIR").unwrap();
        child(&mode, Path::new(&dir));
        return;
    }
    let sizes: Vec<GenSize> = match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .collect(),
        _ => vec![GenSize::Small, GenSize::Large],
    };
    let tmp = tempfile::tempdir().unwrap();
    println!("== Leerrijk peak memory (VmHWM of a fresh process; limit: app <= 2x automerge)");
    println!(
        "{:<6} {:>12} {:>14} {:>14} {:>14} {:>7} {:>11}  verdict",
        "size", "doc bytes", "empty proc", "automerge", "app open", "ratio", "net ratio"
    );
    for size in sizes {
        let dir = tmp.path().join(size.name());
        std::fs::create_dir_all(&dir).unwrap();
        let mut g = generate(&size.spec()).unwrap();
        let id = TrajectoryId::parse(&g.trajectory.id()).unwrap();
        let data = DataDir::open(dir.join("data")).unwrap();
        drop(TrajectoryStore::create(&data, &id, g.trajectory.doc_mut()).unwrap());
        let bytes = g.trajectory.doc_mut().save();
        std::fs::write(dir.join("doc.automerge"), &bytes).unwrap();
        std::fs::write(dir.join("id"), id.as_str()).unwrap();
        drop(g);
        let empty = run_child("empty", &dir);
        let am = run_child("automerge", &dir);
        let app = run_child("app", &dir);
        let ratio = app as f64 / am as f64;
        let net = app.saturating_sub(empty) as f64 / am.saturating_sub(empty).max(1) as f64;
        println!(
            "{:<6} {:>12} {:>10} KiB {:>10} KiB {:>10} KiB {:>7.2} {:>11.2}  {}",
            size.name(),
            bytes.len(),
            empty,
            am,
            app,
            ratio,
            net,
            if ratio <= 2.0 { "met" } else { "MISSED" }
        );
    }
}
