//! Sync benchmarks over real iroh endpoints on loopback (relays and mDNS off), each beside
//! its limit from DESIGN.md "Performance":
//!
//! * **sync to a fresh peer** (join with a ticket until in sync) vs a raw automerge sync
//!   exchange of the same document in one process + one loopback round trip (informal limit:
//!   3×, as for edits);
//! * **edit on A visible on B** (a model edit on A until B's heads equal A's) vs a raw
//!   automerge sync exchange of that edit in one process + one loopback round trip: ≤ 3×,
//!   p99 ≤ 50 ms;
//! * **10 peers converge** after 200 offline edits each: ≤ 1 s.
//!
//! The loopback round trip is a UDP ping-pong on 127.0.0.1 (the network part of one QUIC
//! round trip, without QUIC's own per-packet work).
//!
//! `cargo bench -p leerrijk-sync --bench sync` (`LEERRIJK_BENCH_SIZES=small,large`; huge is
//! left out by default: its fresh-peer clone alone takes many seconds per sample).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::sync::{State, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use leerrijk_model::generate::{GenSize, GenSpec, generate};
use leerrijk_model::{NewPostIt, Trajectory};
use leerrijk_sync::{
    DeviceId, DocumentHost, HostError, JoinSecret, SyncConfig, SyncEvent, SyncHandle, Ticket,
    TrajectoryId,
};

/// Documents in memory; edits go through the model.
#[derive(Default)]
struct Host {
    docs: Mutex<BTreeMap<TrajectoryId, (JoinSecret, AutoCommit)>>,
}

impl Host {
    fn with(id: &TrajectoryId, secret: &JoinSecret, doc: AutoCommit) -> Arc<Self> {
        let h = Host::default();
        h.docs
            .lock()
            .unwrap()
            .insert(id.clone(), (secret.clone(), doc));
        Arc::new(h)
    }

    fn edit<R>(&self, id: &TrajectoryId, f: impl FnOnce(&mut Trajectory) -> R) -> R {
        let mut docs = self.docs.lock().unwrap();
        let entry = docs.get_mut(id).unwrap();
        let mut t = Trajectory::from_doc(std::mem::take(&mut entry.1)).unwrap();
        let r = f(&mut t);
        entry.1 = t.into_doc();
        r
    }

    fn heads(&self, id: &TrajectoryId) -> Vec<ChangeHash> {
        let mut docs = self.docs.lock().unwrap();
        let mut h = docs.get_mut(id).unwrap().1.get_heads();
        h.sort();
        h
    }
}

impl DocumentHost for Host {
    fn trajectories(&self) -> Vec<TrajectoryId> {
        self.docs.lock().unwrap().keys().cloned().collect()
    }
    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret> {
        self.docs.lock().unwrap().get(id).map(|e| e.0.clone())
    }
    fn with_doc(
        &self,
        id: &TrajectoryId,
        f: &mut dyn FnMut(&mut AutoCommit),
    ) -> Result<(), HostError> {
        let mut docs = self.docs.lock().unwrap();
        let entry = docs
            .get_mut(id)
            .ok_or_else(|| HostError::UnknownTrajectory(id.clone()))?;
        f(&mut entry.1);
        Ok(())
    }
    fn remote_changes_applied(&self, _id: &TrajectoryId) -> Result<(), HostError> {
        Ok(())
    }
    fn known_devices(&self, _id: &TrajectoryId) -> Vec<DeviceId> {
        Vec::new()
    }
}

async fn peer(host: &Arc<Host>) -> SyncHandle {
    let h: Arc<dyn DocumentHost> = host.clone();
    leerrijk_sync::start(SyncConfig::offline(rand::random()), h)
        .await
        .unwrap()
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

fn ticket(h: &SyncHandle, id: &TrajectoryId) -> Ticket {
    let mut t = h.ticket(id, "bench").unwrap();
    t.addrs = loopback(&t.addrs);
    t
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

/// Median of UDP round trips on 127.0.0.1.
fn udp_round_trip() -> Duration {
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 1200];
        for _ in 0..300 {
            let n = b.recv(&mut buf).unwrap();
            b.send(&buf[..n]).unwrap();
        }
    });
    let mut buf = [0u8; 1200];
    let mut times = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        a.send(&[7u8; 1200]).unwrap();
        a.recv(&mut buf).unwrap();
        times.push(t.elapsed());
    }
    echo.join().unwrap();
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

/// One printed row.
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
        "{name:<34} {size:>6} {:>11} {:>11} {:>11} {:>5}  {limit_text:<52} {ratio:>7}  {verdict}",
        fmt(m),
        fmt(p95),
        fmt(p99),
        times.len()
    );
}

fn sizes() -> Vec<GenSize> {
    match std::env::var("LEERRIJK_BENCH_SIZES") {
        Ok(s) if !s.trim().is_empty() => s
            .split(',')
            .filter_map(|n| GenSize::parse(n.trim()))
            .collect(),
        _ => vec![GenSize::Small, GenSize::Large],
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rtt = udp_round_trip();
    println!("== Leerrijk sync benchmarks (real iroh endpoints on loopback)");
    println!("loopback UDP round trip (median of 300): {}", fmt(rtt));
    println!(
        "{:<34} {:>6} {:>11} {:>11} {:>11} {:>5}  {:<52} {:>7}  verdict",
        "name", "size", "median", "p95", "p99", "n", "limit", "ratio"
    );
    for size in sizes() {
        rt.block_on(bench_size(size, rtt));
    }
    rt.block_on(ten_peers());
}

async fn bench_size(size: GenSize, rtt: Duration) {
    let name = size.name();
    let mut g = generate(&size.spec()).unwrap();
    let id = TrajectoryId::new(g.trajectory.id()).unwrap();
    let secret = JoinSecret::generate();
    let postits: Vec<String> = g
        .trajectory
        .view()
        .postits
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let themes: Vec<String> = g
        .trajectory
        .view()
        .themes
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let doc = std::mem::take(g.trajectory.doc_mut());
    drop(g);

    // Limit for a fresh peer: the raw exchange of the whole document.
    let samples = if size == GenSize::Small { 20 } else { 5 };
    let mut raw_full = Vec::new();
    for _ in 0..samples.min(5) {
        let mut a = doc.clone();
        let mut b = AutoCommit::new();
        let t = Instant::now();
        raw_exchange(&mut a, &mut b, &mut State::new(), &mut State::new());
        raw_full.push(t.elapsed());
    }
    let raw_full_limit = pct(&mut raw_full, 0.5) + rtt;
    row("raw automerge full sync (limit)", name, &mut raw_full, None);

    let a_host = Host::with(&id, &secret, doc.clone());
    let a = peer(&a_host).await;
    let mut fresh = Vec::new();
    for _ in 0..samples {
        let b_host = Host::with(&id, &secret, AutoCommit::new());
        let b = peer(&b_host).await;
        let t = Instant::now();
        b.join(&ticket(&a, &id)).unwrap();
        b.wait_in_sync(&id, Duration::from_secs(120)).await.unwrap();
        fresh.push(t.elapsed());
        assert_eq!(b_host.heads(&id), a_host.heads(&id));
        b.shutdown().await;
    }
    row(
        "sync to a fresh peer",
        name,
        &mut fresh,
        Some((raw_full_limit, 3.0, "raw full sync + 1 RTT")),
    );

    // Edit on A visible on B: connected peers, one model edit at a time.
    let b_host = Host::with(&id, &secret, doc.clone());
    let b = peer(&b_host).await;
    b.join(&ticket(&a, &id)).unwrap();
    b.wait_in_sync(&id, Duration::from_secs(120)).await.unwrap();
    let mut events = b.subscribe();
    let edits = if size == GenSize::Small { 200 } else { 100 };
    let mut latency = Vec::new();
    for i in 0..edits {
        let p = &postits[i % postits.len()];
        let th = &themes[i % themes.len()];
        let t = Instant::now();
        a_host.edit(&id, |t| t.move_postit(p, Some(th)).unwrap());
        a.local_change(&id);
        let want = a_host.heads(&id);
        while b_host.heads(&id) != want {
            match tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
                Ok(Ok(SyncEvent::RemoteChange { .. })) | Ok(Ok(_)) => {}
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
                Ok(Err(e)) => panic!("{e}"),
                Err(_) => panic!("edit {i} not visible on B after 10 s"),
            }
        }
        latency.push(t.elapsed());
    }
    // Limit: the same edit exchanged in one process between two synced documents.
    let mut ra = doc.clone();
    let mut rb = doc.clone();
    let (mut sa, mut sb) = (State::new(), State::new());
    raw_exchange(&mut ra, &mut rb, &mut sa, &mut sb);
    let mut raw_edit = Vec::new();
    let mut tr = Trajectory::from_doc(ra).unwrap();
    for i in 0..edits {
        let p = &postits[(i + 7) % postits.len()];
        let th = &themes[i % themes.len()];
        let t = Instant::now();
        tr.move_postit(p, Some(th)).unwrap();
        raw_exchange(tr.doc_mut(), &mut rb, &mut sa, &mut sb);
        raw_edit.push(t.elapsed());
    }
    let raw_edit_limit = pct(&mut raw_edit, 0.5) + rtt;
    row("raw automerge edit sync (limit)", name, &mut raw_edit, None);
    row(
        "edit on A visible on B",
        name,
        &mut latency,
        Some((raw_edit_limit, 3.0, "raw edit sync + 1 RTT")),
    );
    let p99 = pct(&mut latency, 0.99);
    println!(
        "{:<34} {name:>6} p99 {} <= 50 ms: {}",
        "edit on A visible on B (p99)",
        fmt(p99),
        if p99 <= Duration::from_millis(50) {
            "met"
        } else {
            "MISSED"
        }
    );
    b.shutdown().await;
    a.shutdown().await;
}

/// 10 peers, each with 200 offline edits on its copy, then connected: time until all equal.
async fn ten_peers() {
    let spec = GenSpec {
        history_rounds: 0,
        ..GenSize::Small.spec()
    };
    let mut base = generate(&spec).unwrap().trajectory;
    let id = TrajectoryId::new(base.id()).unwrap();
    let secret = JoinSecret::generate();
    let themes: Vec<String> = base.view().themes.iter().map(|t| t.id.clone()).collect();
    let mut times = Vec::new();
    for round in 0..3 {
        let mut hosts = Vec::new();
        for p in 0..10 {
            let host = Host::with(&id, &secret, base.doc_mut().fork());
            host.edit(&id, |t| {
                for e in 0..200 {
                    t.add_postit(NewPostIt {
                        text: format!("Offline idee {p}-{e} (ronde {round})"),
                        theme: Some(themes[e % themes.len()].clone()),
                        ..Default::default()
                    })
                    .unwrap();
                }
            });
            hosts.push(host);
        }
        let mut peers = Vec::new();
        for h in &hosts {
            peers.push(peer(h).await);
        }
        let t = Instant::now();
        let hub = ticket(&peers[0], &id);
        for p in &peers[1..] {
            p.join(&hub).unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let first = hosts[0].heads(&id);
            if hosts.iter().all(|h| h.heads(&id) == first) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "10 peers did not converge in 60 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        times.push(t.elapsed());
        for p in &peers {
            p.shutdown().await;
        }
    }
    row(
        "10 peers converge (10 x 200 edits)",
        "small",
        &mut times,
        Some((Duration::from_secs(1), 1.0, "1 s (absolute)")),
    );
}
