#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Read after crash: a `leerrijk add` killed with SIGKILL at a random moment never hides an
//! edit that an earlier `add` reported saved (printed its id) from the first `show` after
//! the kill.
//!
//! Issue 12 reported the opposite with a shell loop (`kill -9 $(pgrep -P $w) $w`). That
//! loop starts the next `add` as soon as one ends, so an `add` started between `pgrep` and
//! `kill` escaped the kill, kept running while `show` read the directory, and printed its
//! id into the file afterwards: `show` was compared with an id reported after it started.
//! Here the killer and the check know exactly which process was killed and what was
//! printed before.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use leerrijk_tests::{leerrijk_bin, ok, run};

fn spawn_add(dir: &Path, id: &str, text: &str) -> Child {
    Command::new(leerrijk_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(["add", id, "postit", "--text", text])
        .env_remove("LEERRIJK_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The id a finished `add` printed, if it printed a whole one.
fn printed_id(child: &mut Child) -> Option<String> {
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    let line = out.lines().next()?.trim().to_string();
    (line.len() == 32).then_some(line)
}

/// Runs `add`s one after another until `stop`; then SIGKILLs the running one, says so on
/// `killed`, and returns every id printed (including one the killed `add` printed before
/// it died).
fn writer(
    dir: PathBuf,
    id: String,
    round: usize,
    stop: Arc<AtomicBool>,
    killed: mpsc::Sender<()>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0.. {
        let mut child = spawn_add(&dir, &id, &format!("r{round}-{i}"));
        loop {
            if stop.load(Ordering::SeqCst) {
                let _ = child.kill(); // SIGKILL
                killed.send(()).unwrap();
                child.wait().unwrap();
                ids.extend(printed_id(&mut child));
                return ids;
            }
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "add failed: {status}");
                ids.extend(printed_id(&mut child));
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    ids
}

fn seed() -> u64 {
    std::env::var("LEERRIJK_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

fn next_random(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn the_first_show_after_killing_a_writer_has_every_reported_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let id = ok(&dir, &["new", "--title", "K", "--initiator", "A"]);
    let seed = seed();
    eprintln!("kill seed {seed} (LEERRIJK_KILL_SEED={seed} repeats it)");
    let mut rng = seed | 1;
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for round in 0..10 {
        let stop = Arc::new(AtomicBool::new(false));
        let (killed_tx, killed_rx) = mpsc::channel();
        let w = {
            let (dir, id, stop) = (dir.clone(), id.clone(), stop.clone());
            std::thread::spawn(move || writer(dir, id, round, stop, killed_tx))
        };
        let delay = Duration::from_millis(50 + next_random(&mut rng) % 1500);
        std::thread::sleep(delay);
        stop.store(true, Ordering::SeqCst);
        killed_rx.recv().unwrap();
        // At once: the killed `add` may not even be reaped yet.
        let shown = run(&dir, &["show", &id, "--json"]);
        let ids = w.join().unwrap();
        assert_eq!(shown.code, 0, "round {round}: {}", shown.stderr);
        let v: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
        let present: BTreeSet<String> = v["postits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["id"].as_str().map(str::to_owned))
            .collect();
        reported.extend(ids.iter().cloned());
        let missed: Vec<_> = reported.difference(&present).collect();
        eprintln!(
            "round {round}: killed after {delay:?}; {} ids printed this round, {} post-its shown",
            ids.len(),
            present.len()
        );
        assert!(
            missed.is_empty(),
            "round {round} (seed {seed}): the first show misses reported edits {missed:?}"
        );
    }
}
