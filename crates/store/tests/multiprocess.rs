//! Several real processes on one data directory.
//!
//! The child processes are this test binary itself, re-executed to run one of the
//! `#[ignore]`d helper "tests" below with settings passed in environment variables.

// Test crate: helper functions outside #[test] fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{add_item, create_trajectory, item_keys};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leerrijk_store::{DataDir, DocRef, TrajectoryId, TrajectoryStore, WatchEvent, Watcher};

/// Environment variables understood by the child helper.
const ENV_DIR: &str = "LEERRIJK_STORE_CHILD_DIR";
const ENV_ID: &str = "LEERRIJK_STORE_CHILD_ID";
const ENV_TAG: &str = "LEERRIJK_STORE_CHILD_TAG";
const ENV_COUNT: &str = "LEERRIJK_STORE_CHILD_COUNT";
const ENV_COMPACT_EVERY: &str = "LEERRIJK_STORE_CHILD_COMPACT_EVERY";
const ENV_REFRESH_EVERY: &str = "LEERRIJK_STORE_CHILD_REFRESH_EVERY";

/// How long a child may take before the test gives up on it.
const CHILD_DEADLINE: Duration = Duration::from_secs(300);

/// Settings for one child edit stream.
struct Stream<'a> {
    dir: &'a Path,
    id: &'a TrajectoryId,
    tag: &'a str,
    count: usize,
    compact_every: usize,
    refresh_every: usize,
}

/// Starts a child process running [`child_edit_stream`].
fn spawn_stream(s: &Stream<'_>, stdout: Stdio) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "child_edit_stream",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_DIR, s.dir)
        .env(ENV_ID, s.id.as_str())
        .env(ENV_TAG, s.tag)
        .env(ENV_COUNT, s.count.to_string())
        .env(ENV_COMPACT_EVERY, s.compact_every.to_string())
        .env(ENV_REFRESH_EVERY, s.refresh_every.to_string())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a child to exit successfully, failing the test (with its stderr) otherwise.
fn wait_success(mut child: Child, what: &str) {
    let deadline = Instant::now() + CHILD_DEADLINE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                std::io::Read::read_to_string(&mut stderr, &mut err).unwrap();
            }
            assert!(status.success(), "{what} failed: {status}\n{err}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not finish in {CHILD_DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Child helper: opens the trajectory and adds `count` items `<tag>-<i>`, each saved on its
/// own, printing `SAVED <i>` only after `save` returned. Optionally compacts / refreshes.
#[test]
#[ignore = "helper run as a child process by the other tests in this file"]
fn child_edit_stream() {
    let Some(dir) = std::env::var_os(ENV_DIR) else {
        eprintln!("child helper: only meaningful when started by another test");
        return;
    };
    let env = |name: &str| std::env::var(name).unwrap();
    let number = |name: &str| env(name).parse::<usize>().unwrap();
    let data = DataDir::open(PathBuf::from(dir)).unwrap();
    let id = TrajectoryId::parse(&env(ENV_ID)).unwrap();
    let tag = env(ENV_TAG);
    let (compact_every, refresh_every) = (number(ENV_COMPACT_EVERY), number(ENV_REFRESH_EVERY));
    let (mut store, mut doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean(), "{report:?}");
    for i in 0..number(ENV_COUNT) {
        add_item(&mut doc, &format!("{tag}-{i}"));
        store.save(&mut doc).unwrap();
        println!("SAVED {i}");
        if compact_every > 0 && (i + 1) % compact_every == 0 {
            store.compact(&mut doc).unwrap();
        }
        if refresh_every > 0 && (i + 1) % refresh_every == 0 {
            let outcome = store.refresh(&mut doc).unwrap();
            assert!(outcome.unreadable.is_empty(), "{:?}", outcome.unreadable);
            assert!(outcome.report.is_clean(), "{:?}", outcome.report);
        }
    }
    println!("DONE");
}

#[test]
fn kill_9_mid_stream_loses_no_edit_reported_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, _, _) = create_trajectory(&data);
    let mut expected = BTreeSet::new();
    let mut logs_seen = 0;
    // Several rounds, each killed at a different point of its stream (with compactions
    // mixed in, so some kills land during a compaction). Each round starts by reopening
    // whatever the previous killed process left behind.
    for (round, kill_after) in [23usize, 40, 57, 71].into_iter().enumerate() {
        let tag = format!("r{round}");
        let mut child = spawn_stream(
            &Stream {
                dir: tmp.path(),
                id: &id,
                tag: &tag,
                count: 1_000_000,
                compact_every: 7,
                refresh_every: 0,
            },
            Stdio::piped(),
        );
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        let mut record = |line: &str| {
            if let Some(n) = line.strip_prefix("SAVED ") {
                expected.insert(format!("{tag}-{n}"));
                true
            } else {
                false
            }
        };
        while seen < kill_after {
            let line = lines.next().expect("child ended early").unwrap();
            if record(&line) {
                seen += 1;
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Lines already in the pipe were printed after their save returned too.
        for line in lines {
            record(&line.unwrap());
        }

        // The killed child's saves are in its change log (unless it had just compacted).
        logs_seen += common::log_files(&data.trajectory_dir(&id)).len();
        let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
        // A kill in the middle of an append leaves a torn record at the end of the (now
        // dead) log: reported, and never an edit that was reported saved.
        assert_eq!(report.missing_changes, 0, "round {round}: {report:?}");
        for damaged in &report.damaged {
            assert!(
                damaged.file.extension().is_some_and(|e| e == "log"),
                "round {round}: {report:?}"
            );
            eprintln!("round {round}: {damaged}");
        }
        let present = item_keys(&doc);
        let lost: Vec<_> = expected.difference(&present).collect();
        assert!(lost.is_empty(), "round {round}: lost saved edits {lost:?}");
    }
    assert!(logs_seen > 0, "the children saved through change logs");
}

/// Runs two writers at once and checks the result has every item.
fn two_writers(compact_a: usize, compact_b: usize, refresh_b: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, _, _) = create_trajectory(&data);
    let stream = |tag, compact_every, refresh_every| Stream {
        dir: tmp.path(),
        id: &id,
        tag,
        count: 200,
        compact_every,
        refresh_every,
    };
    let a = spawn_stream(&stream("a", compact_a, 0), Stdio::null());
    let b = spawn_stream(&stream("b", compact_b, refresh_b), Stdio::null());
    wait_success(a, "writer a");
    wait_success(b, "writer b");

    let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean(), "{report:?}");
    let want: BTreeSet<String> = ["a", "b"]
        .iter()
        .flat_map(|tag| (0..200).map(move |i| format!("{tag}-{i}")))
        .collect();
    assert_eq!(item_keys(&doc), want);
}

#[test]
fn two_processes_adding_at_once_keep_every_item() {
    two_writers(0, 0, 10);
}

#[test]
fn compacting_while_another_process_writes_loses_nothing() {
    // Both compact often (one also refreshes, so it deletes files the other wrote).
    two_writers(5, 7, 3);
}

/// How long the change-detection tests wait before declaring failure. Detection is
/// designed to take well under a second (250 ms polling); the margin only absorbs a
/// loaded CI machine.
const NOTICE_DEADLINE: Duration = Duration::from_secs(10);

#[test]
fn long_running_process_notices_another_process_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    let (_watcher, events) = Watcher::channel(&data, Watcher::DEFAULT_INTERVAL).unwrap();
    assert!(!store.poll_changed().unwrap());

    let child = spawn_stream(
        &Stream {
            dir: tmp.path(),
            id: &id,
            tag: "other",
            count: 3,
            compact_every: 0,
            refresh_every: 0,
        },
        Stdio::null(),
    );
    wait_success(child, "writer");
    let written = Instant::now();

    // The watcher reports the trajectory as changed.
    let want = DocRef::Trajectory(id.clone());
    loop {
        let left = NOTICE_DEADLINE.saturating_sub(written.elapsed());
        match events.recv_timeout(left) {
            Ok(WatchEvent::Changed(doc)) if doc == want => break,
            Ok(_) => continue,
            Err(e) => panic!("watcher reported nothing within {NOTICE_DEADLINE:?}: {e}"),
        }
    }
    eprintln!("watcher noticed the write after {:?}", written.elapsed());

    // The store's own cheap check agrees, and refresh brings the items in.
    assert!(store.poll_changed().unwrap());
    let outcome = store.refresh(&mut doc).unwrap();
    assert!(outcome.changed);
    assert!(outcome.report.is_clean());
    let want: BTreeSet<String> = (0..3).map(|i| format!("other-{i}")).collect();
    assert_eq!(item_keys(&doc), want);
    assert!(!store.poll_changed().unwrap());
}

#[test]
fn poll_loop_notices_a_write_by_another_store() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    let (mut other, mut other_doc, _) = TrajectoryStore::open(&data, &id).unwrap();
    add_item(&mut other_doc, "from-other");
    other.save(&mut other_doc).unwrap();
    let written = Instant::now();
    // What a GUI does: a cheap poll on a timer, refresh when it says so.
    while !store.poll_changed().unwrap() {
        assert!(written.elapsed() < NOTICE_DEADLINE, "change not noticed");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(store.refresh(&mut doc).unwrap().changed);
    assert!(item_keys(&doc).contains("from-other"));
}

#[test]
fn watcher_reports_trajectories_created_while_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (existing, _, _) = create_trajectory(&data);
    let (watcher, events) = Watcher::channel(&data, Watcher::DEFAULT_INTERVAL).unwrap();
    // A directory with only a join secret is not a trajectory yet.
    let joined = common::new_id();
    data.set_join_secret(&joined, &[3; 32]).unwrap();
    let mut doc = common::doc_with_items();
    TrajectoryStore::create(&data, &joined, &mut doc).unwrap();
    let created = Instant::now();
    let event = events.recv_timeout(NOTICE_DEADLINE).unwrap();
    assert_eq!(event, WatchEvent::Added(DocRef::Trajectory(joined.clone())));
    assert_ne!(event.doc(), &DocRef::Trajectory(existing));
    eprintln!(
        "watcher noticed the new trajectory after {:?}",
        created.elapsed()
    );
    watcher.stop();
    // After stop, the thread is gone and the channel closes.
    assert!(events.recv_timeout(Duration::from_secs(1)).is_err());
}

#[test]
fn background_compaction_while_others_save_loses_nothing_and_removes_dead_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    store.set_compact_threshold(None); // the app's way: no snapshot on the edit path
    let dir = data.trajectory_dir(&id);

    // Another process saves 200 items, each in its own save.
    let child = spawn_stream(
        &Stream {
            dir: tmp.path(),
            id: &id,
            tag: "other",
            count: 200,
            compact_every: 0,
            refresh_every: 0,
        },
        Stdio::null(),
    );
    // A background thread compacts over and over, without the live document.
    let stop = Arc::new(AtomicBool::new(false));
    let compactor = {
        let (data, id, stop) = (data.clone(), id.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut runs = 0;
            while !stop.load(Ordering::Acquire) {
                data.compact_trajectory(&id).unwrap();
                runs += 1;
            }
            runs
        })
    };
    // This process keeps saving too: stage under "the lock", commit on another thread,
    // rotating its log now and then as the app does before a background compaction.
    for i in 0..200 {
        add_item(&mut doc, &format!("live-{i}"));
        let staged = store.stage(&mut doc).unwrap().unwrap();
        std::thread::spawn(move || staged.commit())
            .join()
            .unwrap()
            .unwrap();
        if i % 25 == 24 {
            store.rotate_log();
        }
        if i % 10 == 9 {
            let outcome = store.refresh(&mut doc).unwrap();
            assert!(outcome.unreadable.is_empty(), "{:?}", outcome.unreadable);
        }
    }
    wait_success(child, "writer");
    stop.store(true, Ordering::Release);
    let runs = compactor.join().unwrap();
    eprintln!("{runs} background compactions ran");
    assert!(runs > 0);

    // Everything is there, for a fresh reader and for the live store.
    let want: BTreeSet<String> = ["live", "other"]
        .iter()
        .flat_map(|tag| (0..200).map(move |i| format!("{tag}-{i}")))
        .collect();
    let (_, reopened, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(item_keys(&reopened), want);
    store.refresh(&mut doc).unwrap();
    assert_eq!(item_keys(&doc), want);

    // With every writer gone or rotated, one more compaction leaves only its snapshot,
    // and the live store can adopt it instead of reading it back.
    store.rotate_log();
    let report = data.compact_trajectory(&id).unwrap();
    assert!(
        common::log_files(&dir).is_empty(),
        "dead logs removed: {:?}",
        common::log_files(&dir)
    );
    assert_eq!(common::chunk_files(&dir).len(), 1);
    assert!(store.adopt_snapshot(&mut doc, &report));
    assert!(!store.poll_changed().unwrap());
    let (_, reopened, _) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(item_keys(&reopened), want);
}

#[test]
fn watcher_and_poll_notice_an_append_to_an_existing_log() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    let (mut other, mut other_doc, _) = TrajectoryStore::open(&data, &id).unwrap();
    add_item(&mut other_doc, "first");
    other.save(&mut other_doc).unwrap();
    store.refresh(&mut doc).unwrap();
    let names = std::fs::read_dir(store.dir()).unwrap().count();
    let (_watcher, events) = Watcher::channel(&data, Watcher::DEFAULT_INTERVAL).unwrap();

    add_item(&mut other_doc, "second");
    other.save(&mut other_doc).unwrap();
    let written = Instant::now();
    assert_eq!(
        std::fs::read_dir(store.dir()).unwrap().count(),
        names,
        "an append, not a new file"
    );
    assert!(store.poll_changed().unwrap());
    let want = DocRef::Trajectory(id.clone());
    loop {
        let left = NOTICE_DEADLINE.saturating_sub(written.elapsed());
        match events.recv_timeout(left) {
            Ok(WatchEvent::Changed(doc)) if doc == want => break,
            Ok(_) => continue,
            Err(e) => panic!("watcher reported nothing within {NOTICE_DEADLINE:?}: {e}"),
        }
    }
    assert!(store.refresh(&mut doc).unwrap().changed);
    assert!(item_keys(&doc).contains("second"));
}

/// A small random source for kill moments, seeded from the clock (the seed is printed, and
/// `LEERRIJK_KILL_SEED` repeats a run).
fn kill_seed() -> u64 {
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
    // xorshift64*
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[test]
fn a_reader_started_right_after_a_kill_at_a_random_moment_sees_every_reported_save() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, _, _) = create_trajectory(&data);
    let seed = kill_seed();
    eprintln!("kill seed {seed} (LEERRIJK_KILL_SEED={seed} repeats it)");
    let mut rng = seed | 1;
    let mut expected = BTreeSet::new();
    for round in 0..12 {
        let tag = format!("r{round}");
        let compact_every = [0, 3, 7][(next_random(&mut rng) % 3) as usize];
        let mut child = spawn_stream(
            &Stream {
                dir: tmp.path(),
                id: &id,
                tag: &tag,
                count: 1_000_000,
                compact_every,
                refresh_every: 0,
            },
            Stdio::piped(),
        );
        // Reported saves arrive on a thread, so the kill is not tied to any output line.
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the first save, then kill at a random moment 0–300 ms later.
        let first = rx
            .recv_timeout(CHILD_DEADLINE)
            .expect("child saved nothing");
        let delay = Duration::from_micros(next_random(&mut rng) % 300_000);
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        // The reader starts at once, before the killed child is reaped (its lock may still
        // be held while the kernel tears it down).
        let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        // Every line the child printed was printed after its save returned, so before the
        // kill, so before the reader started.
        let mut reported = 0;
        for line in std::iter::once(first).chain(rx.try_iter()) {
            if let Some(n) = line.strip_prefix("SAVED ") {
                expected.insert(format!("{tag}-{n}"));
                reported += 1;
            }
        }
        eprintln!(
            "round {round}: compact every {compact_every}, killed after {delay:?}, {reported} saves reported, report {report:?}"
        );
        let present = item_keys(&doc);
        let lost: Vec<_> = expected.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "round {round} (seed {seed}): the first reader missed reported saves {lost:?}"
        );
        assert_eq!(report.missing_changes, 0, "round {round}: {report:?}");
    }
}
