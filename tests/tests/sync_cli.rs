#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Multi-process sync end to end: the built `leerrijk` binary in separate data directories,
//! `serve` + `invite` + `join` + concurrent `add`s, `show --json` agreeing on both sides,
//! a peer killed with SIGKILL mid-sync and restarted, and `sync` exit codes. Relays and
//! mDNS are off: everything runs on this machine's own addresses.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use leerrijk_tests::{leerrijk_bin, ok, run, show_json};

const NET: [&str; 3] = ["--relay", "off", "--no-mdns"];

/// A running `leerrijk serve`.
struct Serve {
    child: Option<Child>,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    endpoint: String,
    log: PathBuf,
}

impl Serve {
    fn start(dir: &Path, log: PathBuf) -> Serve {
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let mut child = Command::new(leerrijk_bin())
            .arg("--data-dir")
            .arg(dir)
            .arg("serve")
            .args(NET)
            .env_remove("LEERRIJK_DATA_DIR")
            .env("RUST_LOG", "warn,leerrijk_sync=debug")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Serve {
            child: Some(child),
            lines: rx,
            seen: Vec::new(),
            endpoint: String::new(),
            log,
        };
        let ready = s.wait_line(|l| l.starts_with("ready\t"));
        s.endpoint = ready["ready\t".len()..].to_string();
        assert_eq!(s.endpoint.len(), 64, "endpoint id: {ready:?}");
        s
    }

    /// Waits up to 30 s for a stdout line matching `pred`.
    fn wait_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        if let Some(l) = self.seen.iter().find(|l| pred(l)) {
            return l.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "serve printed no expected line; stdout so far: {:?}; log:\n{}",
                    self.seen,
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                ),
            }
        }
    }

    fn ticket(&mut self, id: &str) -> String {
        let prefix = format!("ticket\t{id}\t");
        let line = self.wait_line(|l| l.starts_with(&prefix));
        line[prefix.len()..].to_string()
    }

    /// SIGTERM, then the exit code.
    fn stop(mut self) -> i32 {
        let mut child = self.child.take().unwrap();
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                return st.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("serve did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to clean up.
    fn kill9(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn new_trajectory(dir: &Path) -> String {
    ok(
        dir,
        &[
            "new",
            "--title",
            "Leren loont het langst",
            "--initiator",
            "Anja",
            "--school",
            "De Regenboog",
        ],
    )
}

fn postits(v: &serde_json::Value) -> BTreeSet<String> {
    v["postits"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["text"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `show --json` on both sides until they are equal and hold `want`; 60 s deadline.
fn wait_converged(a: &Path, b: &Path, id: &str, want: &BTreeSet<String>) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let va = show_json(a, id);
        let r = run(b, &["show", id, "--json"]);
        if r.code == 0 {
            let vb: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
            if va == vb && want.is_subset(&postits(&va)) {
                return va;
            }
            if Instant::now() > deadline {
                panic!(
                    "no convergence: A has {} post-its, B has {}; missing on A: {:?}, on B: {:?}",
                    postits(&va).len(),
                    postits(&vb).len(),
                    want.difference(&postits(&va)).collect::<Vec<_>>(),
                    want.difference(&postits(&vb)).collect::<Vec<_>>()
                );
            }
        } else if Instant::now() > deadline {
            panic!("B cannot show {id}: {}", r.stderr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn add_postits(
    dir: PathBuf,
    id: String,
    prefix: &'static str,
    n: usize,
) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        (0..n)
            .map(|i| {
                let text = format!("{prefix}-{i}");
                ok(&dir, &["add", &id, "postit", "--text", &text]);
                text
            })
            .collect()
    })
}

/// Two data directories, A serving; B joins with a ticket printed by `invite` in another
/// process, then serves too.
fn setup(tmp: &Path) -> (PathBuf, PathBuf, String, Serve, Serve) {
    let a = tmp.join("a");
    let b = tmp.join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let id = new_trajectory(&a);
    let mut serve_a = Serve::start(&a, tmp.join("serve-a.log"));
    // `serve` prints a ticket; `invite` in a separate process finds the live addresses too.
    let from_serve = serve_a.ticket(&id);
    assert!(from_serve.starts_with("leerrijk1"));
    let invite = run(&a, &["invite", &id]);
    assert_eq!(invite.code, 0, "{}", invite.stderr);
    assert!(
        !invite.stderr.contains("no addresses"),
        "invite did not see the running peer: {}",
        invite.stderr
    );
    let ticket = invite.stdout.trim().to_string();
    let mut join = vec!["join", &ticket, "--name", "Bram", "--role", "ib"];
    join.extend(NET);
    let joined = run(&b, &join);
    assert_eq!(joined.code, 0, "join failed: {}", joined.stderr);
    assert_eq!(joined.stdout.trim(), id);
    let serve_b = Serve::start(&b, tmp.join("serve-b.log"));
    (a, b, id, serve_a, serve_b)
}

#[test]
fn serve_join_and_concurrent_adds_agree_on_both_sides() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, id, serve_a, serve_b) = setup(tmp.path());
    // B is registered with this device, and A learned it.
    let va = wait_converged(&a, &b, &id, &BTreeSet::new());
    let names: Vec<&str> = va["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"Bram"), "participants: {names:?}");

    // Concurrent adds in both data directories while both peers run.
    let ta = add_postits(a.clone(), id.clone(), "a", 8);
    let tb = add_postits(b.clone(), id.clone(), "b", 8);
    let mut want: BTreeSet<String> = ta.join().unwrap().into_iter().collect();
    want.extend(tb.join().unwrap());
    let v = wait_converged(&a, &b, &id, &want);
    assert_eq!(postits(&v), want);

    assert_eq!(serve_a.stop(), 0);
    assert_eq!(serve_b.stop(), 0);
    // Live address files are removed on a clean stop.
    for dir in [&a, &b] {
        let live = dir.join("live");
        let left: Vec<_> = std::fs::read_dir(&live)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "live files left: {left:?}");
    }
}

#[test]
fn a_peer_killed_mid_sync_restarts_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, id, serve_a, serve_b) = setup(tmp.path());
    wait_converged(&a, &b, &id, &BTreeSet::new());

    // A keeps adding while B's peer is killed with SIGKILL in the middle.
    let ta = add_postits(a.clone(), id.clone(), "a", 20);
    std::thread::sleep(Duration::from_millis(300));
    serve_b.kill9();
    // B edits while its peer is down (written to disk by the CLI, synced later).
    let tb = add_postits(b.clone(), id.clone(), "b-offline", 5);
    let mut want: BTreeSet<String> = ta.join().unwrap().into_iter().collect();
    want.extend(tb.join().unwrap());
    let serve_b = Serve::start(&b, tmp.path().join("serve-b2.log"));
    let v = wait_converged(&a, &b, &id, &want);
    assert_eq!(postits(&v), want);
    assert_eq!(serve_a.stop(), 0);
    assert_eq!(serve_b.stop(), 0);
}

#[test]
fn sync_command_reports_in_sync_or_no_peer() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, id, serve_a, serve_b) = setup(tmp.path());
    assert_eq!(serve_b.stop(), 0);
    ok(&b, &["add", &id, "postit", "--text", "via sync"]);
    let mut sync = vec!["sync", &id, "--timeout", "30"];
    sync.extend(NET);
    let r = run(&b, &sync);
    assert_eq!(r.code, 0, "sync failed: {}", r.stderr);
    assert!(postits(&show_json(&a, &id)).contains("via sync"));

    assert_eq!(serve_a.stop(), 0);
    let mut sync = vec!["sync", &id, "--timeout", "2"];
    sync.extend(NET);
    let r = run(&b, &sync);
    assert_eq!(r.code, 1, "stdout {} stderr {}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no peer reachable"), "{}", r.stderr);
}

#[test]
fn bad_tickets_are_clear_user_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for (ticket, needle) in [
        ("hello", "not a Leerrijk ticket"),
        ("leerrijk1abc", "incomplete"),
        ("leerrijk9abcdef", "format 9"),
    ] {
        let mut args = vec!["join", ticket, "--name", "X"];
        args.extend(NET);
        let r = run(d, &args);
        assert_eq!(r.code, 1, "{ticket}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{ticket}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);
    }
    // Well formed, but its device id is no public key: a damaged ticket, exit 1.
    let mut t = leerrijk_sync::Ticket {
        trajectory: leerrijk_sync::TrajectoryId::new("0193a1b2c3d47e5f8a9b000000000000").unwrap(),
        secret: leerrijk_sync::JoinSecret([1; 32]),
        inviter: leerrijk_sync::DeviceId([0; 32]),
        addrs: vec![],
        relay: None,
        title: "T".into(),
    };
    for i in 0..=255u8 {
        t.inviter = leerrijk_sync::DeviceId([i; 32]);
        if t.to_string().parse::<leerrijk_sync::Ticket>().is_err() {
            break;
        }
    }
    let text = t.to_string();
    let mut args = vec!["join", &text, "--name", "X"];
    args.extend(NET);
    let r = run(d, &args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("device id"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);
}

#[test]
fn a_refused_invitation_ends_the_join_at_once_with_one_line() {
    use leerrijk_sync::{JoinSecret, Ticket, TrajectoryId};
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let id = new_trajectory(&a);
    let mut serve_a = Serve::start(&a, tmp.path().join("serve-a.log"));
    let good: Ticket = serve_a.ticket(&id).parse().unwrap();
    let mut wrong_secret = good.clone();
    wrong_secret.secret = JoinSecret([7; 32]);
    let mut unknown = good.clone();
    unknown.trajectory = TrajectoryId::new("0193a1b2c3d47e5f8a9b000000000000").unwrap();
    let mut answers = Vec::new();
    for (what, ticket) in [
        ("wrong secret", wrong_secret),
        ("unknown trajectory", unknown),
    ] {
        let ticket = ticket.to_string();
        // A long timeout: only the refusal can end the join with this message.
        let mut args = vec!["join", &ticket, "--name", "Bram", "--timeout", "60"];
        args.extend(NET);
        let started = Instant::now();
        let r = run(&b, &args);
        eprintln!("{what}: join ended after {:?}", started.elapsed());
        assert_eq!(r.code, 1, "{what}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("this invitation has expired or is not valid"),
            "{what}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.trim().lines().count(), 1, "{what}: {}", r.stderr);
        assert!(!r.stderr.contains('\u{1b}'), "colour codes: {}", r.stderr);
        answers.push(r.stderr);
    }
    assert_eq!(answers[0], answers[1], "the two refusals can be told apart");
    assert!(ok(&b, &["list"]).is_empty(), "nothing was stored");
    assert_eq!(serve_a.stop(), 0);
    // The inviter logged the refusals without colour codes.
    let log = std::fs::read_to_string(tmp.path().join("serve-a.log")).unwrap();
    assert!(!log.contains('\u{1b}'), "colour codes in the log: {log}");
}
