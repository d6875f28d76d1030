#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Two hosts with no route to the internet, made by the test itself with network namespaces
//! and a veth cable: they find each other by mDNS (a ticket without addresses) and sync, and
//! with the product's relay default and no internet, joining still works without long
//! stalls. Skipped, with the reason printed, where `ip netns` is not permitted.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use leerrijk_sync::Ticket;
use leerrijk_tests::{leerrijk_bin, ok, show_json};

/// Two namespaces joined by a veth pair, deleted on drop.
struct Netns {
    names: [String; 2],
}

impl Netns {
    fn create() -> Result<Netns, String> {
        let pid = std::process::id();
        let names = [format!("lr{pid}a"), format!("lr{pid}b")];
        let ns = Netns { names };
        let [a, b] = &ns.names;
        for n in &ns.names {
            ip(&["netns", "add", n])?;
        }
        ip(&[
            "-n", a, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", b,
        ])?;
        for (n, dev, addr) in [(a, "v0", "10.77.0.1/24"), (b, "v1", "10.77.0.2/24")] {
            ip(&["-n", n, "addr", "add", addr, "dev", dev])?;
            ip(&["-n", n, "link", "set", dev, "up"])?;
            ip(&["-n", n, "link", "set", "lo", "up"])?;
            // Multicast (mDNS) goes out on the cable; there is no default route at all.
            ip(&["-n", n, "route", "add", "224.0.0.0/4", "dev", dev])?;
        }
        Ok(ns)
    }

    /// `leerrijk --data-dir DIR ARGS…` inside namespace `i`.
    fn leerrijk(&self, i: usize, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.names[i]])
            .arg(leerrijk_bin())
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .env_remove("LEERRIJK_DATA_DIR")
            .env_remove("LEERRIJK_RELAY");
        c
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = ip(&["netns", "del", n]);
        }
    }
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A `serve` in a namespace; its stdout lines arrive on a channel.
struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Served {
    fn start(mut cmd: Command) -> Served {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Served { child, lines }
    }

    fn line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .expect("serve printed nothing");
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.to_string();
            }
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn hosts_without_internet_find_each_other_by_mdns_and_sync() {
    let ns = match Netns::create() {
        Ok(ns) => ns,
        Err(e) => {
            eprintln!("skipped: network namespaces are not available here ({e})");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let id = ok(
        &a,
        &["new", "--title", "In de teamkamer", "--initiator", "Anja"],
    );

    // A serves with the product defaults (relays "default", mDNS on) and no internet.
    let served = Served::start(ns.leerrijk(0, &a, &["serve"]));
    served.line("ready\t");
    let ticket_text = served.line(&format!("ticket\t{id}\t"));

    // B gets a ticket with the addresses removed: only mDNS can tell it where A is.
    let mut bare: Ticket = ticket_text.parse().unwrap();
    bare.addrs.clear();
    bare.relay = None;
    let started = Instant::now();
    let out = ns
        .leerrijk(
            1,
            &b,
            &[
                "join",
                &bare.to_string(),
                "--name",
                "Bo",
                "--relay",
                "off",
                "--timeout",
                "30",
            ],
        )
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "join by mDNS failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("join by mDNS only: {took:?}");
    assert_eq!(show_json(&a, &id)["title"], show_json(&b, &id)["title"]);

    // C joins with the full ticket and the product's relay default, with no internet at all.
    let started = Instant::now();
    let out = ns
        .leerrijk(
            1,
            &c,
            &["join", &ticket_text, "--name", "Cor", "--timeout", "30"],
        )
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "join with relay default and no internet failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("join with relays on, no internet: {took:?}");
    let names: Vec<String> = show_json(&a, &id)["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut names = names;
    while !(names.contains(&"Bo".to_string()) && names.contains(&"Cor".to_string())) {
        assert!(
            Instant::now() < deadline,
            "A never saw both joiners: {names:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
        names = show_json(&a, &id)["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
    }
    drop(served);
    drop(ns);
}
