//! Edit on A visible on B, **two processes** over the app's own sync runtime (DESIGN.md
//! "Performance": ≤ 3× a raw automerge sync exchange + one loopback QUIC round trip, p99
//! ≤ 50 ms), the way two laptops run it: each process has its own data directory, hub and
//! [`AppHost`], and a sync peer started by [`start_peer`] (relays and mDNS off, loopback).
//!
//! * **A** (this process) holds a generated trajectory. Every edit goes through the hub as a
//!   button's would: a model edit, saved durably (fsync), then handed to sync.
//! * **B** (this executable again, `LEERRIJK_EDIT_CHILD` set) joins with A's ticket through
//!   [`join`](leerrijk_app::runtime::join::join) into an empty data directory. Whenever its hub
//!   reports a change from a peer (merged *and* saved durably, i.e. what B's screens redraw
//!   from), it prints the document's heads on stdout.
//!
//! The time runs from the start of the edit on A until A reads B's line with A's new heads
//! (one pipe hop, a few µs). The limit is measured in this process on the same document: one
//! model edit and the raw automerge sync exchange of it between two synced documents, plus
//! the median loopback QUIC round trip between two iroh endpoints. The durable saves on both
//! sides (the store's fsyncs) are part of the product's latency but not of the limit; their
//! cost is printed beside it.
//!
//! `cargo bench -p leerrijk-app --bench edit_latency` (`LEERRIJK_BENCH_SIZES=small,large`,
//! default small; `LEERRIJK_EDITS=N`, default 200).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead as _, Write as _};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::AutoCommit;
use automerge::sync::{State, SyncDoc};
use leerrijk_app::dev_generate::generate_into;
use leerrijk_app::hub::{ChangeOrigin, Hub, HubEvent};
use leerrijk_app::library::Library;
use leerrijk_app::runtime::host::AppHost;
use leerrijk_app::runtime::join::join;
use leerrijk_app::runtime::peer::{NetOptions, PeerRole, start_peer};
use leerrijk_model::Trajectory;
use leerrijk_model::generate::GenSize;
use leerrijk_sync::{RelayChoice, Ticket, TrajectoryId};

const CHILD: &str = "LEERRIJK_EDIT_CHILD";

fn net() -> NetOptions {
    NetOptions {
        relay: RelayChoice::Off,
        mdns: false,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Ok(dir) = std::env::var(CHILD) {
        child(Path::new(&dir));
        return;
    }
    let sizes: Vec<GenSize> = match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .collect(),
        _ => vec![GenSize::Small],
    };
    let edits: usize = std::env::var("LEERRIJK_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let rt = runtime();
    let rtt = rt.block_on(quic_round_trip());
    println!("== Leerrijk edit on A visible on B: 2 processes, app sync runtime, loopback");
    println!(
        "loopback QUIC round trip (iroh, one open stream, median of 300): {}",
        fmt(rtt)
    );
    println!(
        "{:<40} {:>6} {:>11} {:>11} {:>11} {:>5}  {:<46} {:>6}  verdict",
        "name", "size", "median", "p95", "p99", "n", "limit", "ratio"
    );
    for size in sizes {
        bench_size(&rt, size, rtt, edits);
    }
}

fn bench_size(rt: &tokio::runtime::Runtime, size: GenSize, rtt: Duration, edits: usize) {
    let name = size.name();
    let tmp = tempfile::tempdir().unwrap();
    let library = Library::open(Some(tmp.path().join("a"))).unwrap();
    let id = generate_into(&library, &size.spec())
        .unwrap()
        .id
        .as_str()
        .to_owned();
    let hub = Hub::new(library);
    let (moves, doc) = hub
        .read(&id, |t| {
            let v = t.view();
            let postits: Vec<(String, Option<String>)> = v
                .postits
                .iter()
                .map(|p| (p.id.clone(), p.theme.clone()))
                .collect();
            let themes: Vec<String> = v.themes.iter().map(|t| t.id.clone()).collect();
            (Mover::new(postits, themes), t.doc().clone())
        })
        .unwrap();

    // The limit: the same kind of edit and its raw sync exchange, in one process.
    let mut raw_moves = moves.clone();
    let mut tr = Trajectory::from_doc(doc.clone()).unwrap();
    let mut rb = doc;
    let (mut sa, mut sb) = (State::new(), State::new());
    raw_exchange(tr.doc_mut(), &mut rb, &mut sa, &mut sb);
    let mut raw = Vec::new();
    for _ in 0..edits {
        let (p, th) = raw_moves.next();
        let t = Instant::now();
        tr.move_postit(&p, Some(&th)).unwrap();
        raw_exchange(tr.doc_mut(), &mut rb, &mut sa, &mut sb);
        raw.push(t.elapsed());
    }
    drop((tr, rb));
    let limit = pct(&mut raw, 0.5) + rtt;
    row("raw automerge edit sync (limit part)", name, &mut raw, None);

    // The durable save alone (what each side adds for its disk), for the notes.
    let mut saves = Vec::new();
    let mut save_moves = moves.clone();
    for _ in 0..20.min(edits) {
        let (p, th) = save_moves.next();
        let t = Instant::now();
        hub.edit(&id, |t| t.move_postit(&p, Some(&th))).unwrap();
        saves.push(t.elapsed());
    }
    row("durable edit on A alone (hub.edit)", name, &mut saves, None);
    let mut moves = save_moves;

    let tid = TrajectoryId::new(id.as_str()).unwrap();
    let host = AppHost::new(hub.clone());
    let latency = rt.block_on(async {
        let sync = start_peer(&host, &net(), PeerRole::Serve).await.unwrap();
        let title = hub.read(&id, |t| t.view().title).unwrap();
        let mut ticket = sync.ticket(&tid, &title).unwrap();
        ticket.addrs = loopback(&ticket.addrs);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(CHILD, tmp.path().join("b"))
            .env("LEERRIJK_EDIT_TICKET", ticket.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<(Instant, String)>();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        let mut next = async || {
            tokio::time::timeout(Duration::from_secs(300), lines.recv())
                .await
                .expect("no line from B within 300 s")
                .expect("B ended")
        };
        assert_eq!(next().await.1, "ready");
        // B registered itself as participant; wait until that has arrived here.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut latency = Vec::new();
        for _ in 0..edits {
            let (p, th) = moves.next();
            let t = Instant::now();
            hub.edit(&id, |t| t.move_postit(&p, Some(&th))).unwrap();
            let want = heads_line(&hub, &id);
            loop {
                let (at, line) = next().await;
                if line == want {
                    latency.push(at.duration_since(t));
                    break;
                }
            }
        }
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success(), "B failed");
        reader.join().unwrap();
        sync.shutdown().await;
        latency
    });
    let mut slow: Vec<(usize, Duration)> = latency.iter().copied().enumerate().collect();
    slow.sort_by_key(|&(_, d)| std::cmp::Reverse(d));
    println!(
        "{:<40} {name:>6} slowest edits (index: time): {}",
        "",
        slow.iter()
            .take(5)
            .map(|(i, d)| format!("{i}: {}", fmt(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut latency = latency;
    row(
        "edit on A visible on B, app, 2 processes",
        name,
        &mut latency,
        Some((limit, 3.0, "raw edit sync + 1 QUIC RTT")),
    );
    let p99 = pct(&mut latency, 0.99);
    println!(
        "{:<40} {name:>6} p99 {} <= 50 ms: {}",
        "edit on A visible on B, app (p99)",
        fmt(p99),
        if p99 <= Duration::from_millis(50) {
            "met"
        } else {
            "MISSED"
        }
    );
}

/// B: joins the ticket into the data directory `dir` and prints its heads after every change
/// a peer brought (merged and saved), until stdin closes.
fn child(dir: &Path) {
    let ticket: Ticket = std::env::var("LEERRIJK_EDIT_TICKET")
        .unwrap()
        .parse()
        .unwrap();
    let hub = Hub::new(Library::open(Some(dir.to_path_buf())).unwrap());
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    hub.subscribe(move |e| {
        if let HubEvent::Changed {
            origin: ChangeOrigin::Peer,
            ..
        } = e
        {
            let _ = tx.send(());
        }
    });
    let host = AppHost::new(hub.clone());
    let rt = runtime();
    let sync = rt.block_on(async {
        let sync = start_peer(&host, &net(), PeerRole::OneShot).await.unwrap();
        join(
            &host,
            &sync,
            &ticket,
            "Bench",
            leerrijk_model::Role::Leerkracht,
            Duration::from_secs(300),
        )
        .await
        .unwrap();
        sync
    });
    let id = ticket.trajectory.as_str().to_owned();
    let say = |line: &str| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    };
    say("ready");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::stdin().read_line(&mut s);
        stop2.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let mut last = heads_line(&hub, &id);
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        // Only after the hub's event: sync merges into the document first and saves it, then
        // the hub tells the screens (the heads may show earlier than the screens can).
        if rx.recv_timeout(Duration::from_millis(50)).is_err() {
            continue;
        }
        let now = heads_line(&hub, &id);
        if now != last {
            say(&now);
            last = now;
        }
    }
    rt.block_on(sync.shutdown());
}

fn heads_line(hub: &Hub, id: &str) -> String {
    let mut h = hub.with_doc(id, |d| d.get_heads()).unwrap();
    h.sort();
    h.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Picks post-it moves that always change the document (each post-it in turn onto a theme
/// it is not on).
#[derive(Clone)]
struct Mover {
    postits: Vec<(String, Option<String>)>,
    themes: Vec<String>,
    next: usize,
}

impl Mover {
    fn new(postits: Vec<(String, Option<String>)>, themes: Vec<String>) -> Self {
        Mover {
            postits,
            themes,
            next: 0,
        }
    }

    fn next(&mut self) -> (String, String) {
        let len = self.postits.len();
        let i = self.next % len;
        self.next += 1;
        let n = self.themes.len();
        let (id, theme) = &mut self.postits[i];
        let mut pick = (i + self.next / len) % n;
        if theme.as_deref() == Some(self.themes[pick].as_str()) {
            pick = (pick + 1) % n;
        }
        *theme = Some(self.themes[pick].clone());
        (id.clone(), self.themes[pick].clone())
    }
}

/// Runs the automerge sync protocol between two documents in one process until quiet.
fn raw_exchange(a: &mut AutoCommit, b: &mut AutoCommit, sa: &mut State, sb: &mut State) {
    loop {
        let mut quiet = true;
        if let Some(m) = a.sync().generate_sync_message(sa) {
            b.sync().receive_sync_message(sb, m).unwrap();
            quiet = false;
        }
        if let Some(m) = b.sync().generate_sync_message(sb) {
            a.sync().receive_sync_message(sa, m).unwrap();
            quiet = false;
        }
        if quiet {
            break;
        }
    }
}

fn loopback(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let mut out: Vec<SocketAddr> = addrs
        .iter()
        .filter(|a| a.is_ipv4())
        .map(|a| SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), a.port()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Median of 64-byte request/response exchanges on one open QUIC stream between two iroh
/// endpoints on 127.0.0.1 (relays and port mapping off).
async fn quic_round_trip() -> Duration {
    const RTT_ALPN: &[u8] = b"leerrijk/bench-rtt";
    async fn bind() -> iroh::Endpoint {
        iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
            .relay_mode(iroh::RelayMode::Disabled)
            .portmapper_config(iroh::endpoint::PortmapperConfig::Disabled)
            .alpns(vec![RTT_ALPN.to_vec()])
            .bind()
            .await
            .unwrap()
    }
    let server = bind().await;
    let client = bind().await;
    let ips: Vec<SocketAddr> = server.addr().ip_addrs().copied().collect();
    let addr = iroh::EndpointAddr::from_parts(
        server.id(),
        loopback(&ips).into_iter().map(iroh::TransportAddr::Ip),
    );
    let echo = tokio::spawn(async move {
        let conn = server.accept().await.unwrap().await.unwrap();
        let (mut send, mut recv) = conn.accept_bi().await.unwrap();
        let mut buf = [0u8; 64];
        while recv.read_exact(&mut buf).await.is_ok() {
            if send.write_all(&buf).await.is_err() {
                break;
            }
        }
        drop(conn);
        server.close().await;
    });
    let conn = client.connect(addr, RTT_ALPN).await.unwrap();
    let (mut send, mut recv) = conn.open_bi().await.unwrap();
    let mut buf = [0u8; 64];
    let mut times = Vec::new();
    for i in 0..320 {
        let t = Instant::now();
        send.write_all(&[7u8; 64]).await.unwrap();
        recv.read_exact(&mut buf).await.unwrap();
        if i >= 20 {
            times.push(t.elapsed());
        }
    }
    send.finish().unwrap();
    let _ = tokio::time::timeout(Duration::from_secs(2), echo).await;
    conn.close(0u32.into(), b"done");
    client.close().await;
    pct(&mut times, 0.5)
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn fmt(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

fn row(name: &str, size: &str, times: &mut [Duration], limit: Option<(Duration, f64, &str)>) {
    let (m, p95, p99) = (pct(times, 0.5), pct(times, 0.95), pct(times, 0.99));
    let (limit_text, ratio, verdict) = match limit {
        Some((base, max, what)) => {
            let r = m.as_secs_f64() / base.as_secs_f64();
            (
                format!("<= {max}x {what} ({})", fmt(base)),
                format!("{r:.2}"),
                if r <= max { "met" } else { "MISSED" },
            )
        }
        None => ("-".into(), "-".into(), ""),
    };
    println!(
        "{name:<40} {size:>6} {:>11} {:>11} {:>11} {:>5}  {limit_text:<46} {ratio:>6}  {verdict}",
        fmt(m),
        fmt(p95),
        fmt(p99),
        times.len()
    );
}
