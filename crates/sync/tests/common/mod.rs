//! Shared helpers for the sync integration tests: an in-memory document host over real
//! automerge documents edited through the model, and peer start-up on loopback with relays
//! and mDNS off.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::{AutoCommit, ChangeHash};
use leerrijk_model::{Clock, NewPostIt, Role, Trajectory};
use leerrijk_sync::{
    BlobHash, DeviceId, DocumentHost, HostError, JoinSecret, SyncConfig, SyncEvent, SyncHandle,
    Ticket, TrajectoryId,
};

/// A test host: documents in memory, edited through the model.
#[derive(Default)]
pub struct TestHost {
    docs: Mutex<BTreeMap<TrajectoryId, Entry>>,
    /// How often `remote_changes_applied` was called.
    pub persisted: AtomicUsize,
    /// Photo bytes by hash (the blob store).
    blobs: Mutex<HashMap<BlobHash, Vec<u8>>>,
}

struct Entry {
    secret: JoinSecret,
    doc: AutoCommit,
}

impl TestHost {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Creates a trajectory through the model; returns its id and secret.
    pub fn create(&self, title: &str, initiator: &str) -> (TrajectoryId, JoinSecret) {
        let (t, _) = Trajectory::create(
            title,
            "De Regenboog",
            initiator,
            Role::Leerkracht,
            Clock::System,
        )
        .unwrap();
        let id = TrajectoryId::new(t.id()).unwrap();
        let secret = JoinSecret::generate();
        self.docs.lock().unwrap().insert(
            id.clone(),
            Entry {
                secret: secret.clone(),
                doc: t.into_doc(),
            },
        );
        (id, secret)
    }

    /// Adds an existing document under `id` (e.g. a generated trajectory).
    pub fn insert_doc(&self, id: &TrajectoryId, secret: &JoinSecret, doc: AutoCommit) {
        self.docs.lock().unwrap().insert(
            id.clone(),
            Entry {
                secret: secret.clone(),
                doc,
            },
        );
    }

    /// The document's saved size in bytes.
    pub fn saved_len(&self, id: &TrajectoryId) -> usize {
        self.docs
            .lock()
            .unwrap()
            .get_mut(id)
            .unwrap()
            .doc
            .save()
            .len()
    }

    /// Adds an empty document (a device that joins with a ticket).
    pub fn insert_empty(&self, id: &TrajectoryId, secret: &JoinSecret) {
        self.docs.lock().unwrap().insert(
            id.clone(),
            Entry {
                secret: secret.clone(),
                doc: AutoCommit::new(),
            },
        );
    }

    /// Runs a model edit on a trajectory.
    pub fn edit<R>(&self, id: &TrajectoryId, f: impl FnOnce(&mut Trajectory) -> R) -> R {
        let mut docs = self.docs.lock().unwrap();
        let entry = docs.get_mut(id).unwrap();
        let doc = std::mem::take(&mut entry.doc);
        let mut t = Trajectory::from_doc(doc).unwrap();
        let r = f(&mut t);
        entry.doc = t.into_doc();
        r
    }

    /// Adds a post-it through the model.
    pub fn add_postit(&self, id: &TrajectoryId, text: &str) {
        self.edit(id, |t| {
            t.add_postit(NewPostIt {
                text: text.to_string(),
                ..Default::default()
            })
            .unwrap();
        });
    }

    /// Registers a participant acting from `device`.
    pub fn register(&self, id: &TrajectoryId, name: &str, device: DeviceId) {
        self.edit(id, |t| {
            let pid = t.ensure_participant(name).unwrap();
            t.add_device(&pid, &device.to_string()).unwrap();
        });
    }

    pub fn heads(&self, id: &TrajectoryId) -> Vec<ChangeHash> {
        let mut docs = self.docs.lock().unwrap();
        let mut h = docs.get_mut(id).unwrap().doc.get_heads();
        h.sort();
        h
    }

    /// Post-it texts (empty if the document is not a trajectory yet).
    pub fn postits(&self, id: &TrajectoryId) -> BTreeSet<String> {
        let mut docs = self.docs.lock().unwrap();
        let entry = docs.get_mut(id).unwrap();
        if Trajectory::check_schema(&entry.doc).is_err() {
            return BTreeSet::new();
        }
        let doc = std::mem::take(&mut entry.doc);
        let t = Trajectory::from_doc(doc).unwrap();
        let out = t.view().postits.into_iter().map(|p| p.text).collect();
        entry.doc = t.into_doc();
        out
    }

    pub fn has(&self, id: &TrajectoryId) -> bool {
        self.docs.lock().unwrap().contains_key(id)
    }

    /// Stores a photo and adds an image record for it through the model (author: the
    /// trajectory's first participant). Returns its hash.
    pub fn add_photo(&self, id: &TrajectoryId, bytes: &[u8], caption: &str) -> BlobHash {
        let hash = BlobHash::of(bytes);
        self.blobs.lock().unwrap().insert(hash, bytes.to_vec());
        self.edit(id, |t| {
            let author = t.view().participants[0].id.clone();
            t.add_image(leerrijk_model::NewImage {
                author,
                caption: caption.to_string(),
                blob: hash.to_string(),
                mime: "image/jpeg".into(),
                width: 4,
                height: 3,
            })
            .unwrap();
        });
        hash
    }

    /// How many photos the trajectory references that are not stored here.
    pub fn wanted_blob_count(&self, id: &TrajectoryId) -> usize {
        DocumentHost::wanted_blobs(self, id).len()
    }

    /// The stored bytes of a photo.
    pub fn photo(&self, hash: &BlobHash) -> Option<Vec<u8>> {
        self.blobs.lock().unwrap().get(hash).cloned()
    }

    /// Puts bytes in the blob store under any name (to simulate a damaged store).
    pub fn put_raw_photo(&self, hash: BlobHash, bytes: &[u8]) {
        self.blobs.lock().unwrap().insert(hash, bytes.to_vec());
    }

    /// The photo hashes the trajectory's image records hold (read from the document).
    pub fn image_blobs(&self, id: &TrajectoryId) -> BTreeSet<BlobHash> {
        use automerge::ReadDoc;
        let docs = self.docs.lock().unwrap();
        let Some(entry) = docs.get(id) else {
            return BTreeSet::new();
        };
        let doc = &entry.doc;
        let Ok(Some((_, images))) = doc.get(automerge::ROOT, leerrijk_model::schema::root::IMAGES)
        else {
            return BTreeSet::new();
        };
        doc.keys(&images)
            .filter_map(|k| match doc.get(&images, &k) {
                Ok(Some((_, image))) => doc.get(&image, "blob").ok().flatten(),
                _ => None,
            })
            .filter_map(|(v, _)| v.into_string().ok())
            .filter_map(|s| s.parse().ok())
            .collect()
    }
}

impl DocumentHost for TestHost {
    fn trajectories(&self) -> Vec<TrajectoryId> {
        self.docs.lock().unwrap().keys().cloned().collect()
    }

    fn join_secret(&self, id: &TrajectoryId) -> Option<JoinSecret> {
        self.docs.lock().unwrap().get(id).map(|e| e.secret.clone())
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
        f(&mut entry.doc);
        Ok(())
    }

    fn remote_changes_applied(&self, _id: &TrajectoryId) -> Result<(), HostError> {
        self.persisted.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn check_incoming(
        &self,
        _id: &TrajectoryId,
        doc: &AutoCommit,
        changes: &[&[u8]],
    ) -> Result<(), String> {
        leerrijk_model::guard::check_incoming(doc, changes).map(|_| ())
    }

    fn references_blob(&self, id: &TrajectoryId, hash: &BlobHash) -> bool {
        self.image_blobs(id).contains(hash)
    }

    fn blob(&self, _id: &TrajectoryId, hash: &BlobHash) -> Option<Vec<u8>> {
        self.photo(hash)
    }

    fn wanted_blobs(&self, id: &TrajectoryId) -> Vec<BlobHash> {
        let have = self.blobs.lock().unwrap();
        self.image_blobs(id)
            .into_iter()
            .filter(|h| !have.contains_key(h))
            .collect()
    }

    fn store_blob(
        &self,
        _id: &TrajectoryId,
        hash: &BlobHash,
        bytes: &[u8],
    ) -> Result<(), HostError> {
        assert!(
            hash.matches(bytes),
            "sync stored a photo with the wrong hash"
        );
        self.blobs.lock().unwrap().insert(*hash, bytes.to_vec());
        Ok(())
    }

    fn known_devices(&self, id: &TrajectoryId) -> Vec<DeviceId> {
        let mut docs = self.docs.lock().unwrap();
        let Some(entry) = docs.get_mut(id) else {
            return Vec::new();
        };
        if Trajectory::check_schema(&entry.doc).is_err() {
            return Vec::new();
        }
        let doc = std::mem::take(&mut entry.doc);
        let t = Trajectory::from_doc(doc).unwrap();
        let out = t
            .known_devices()
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect();
        entry.doc = t.into_doc();
        out
    }
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A fresh random device key.
pub fn key() -> [u8; 32] {
    rand::random()
}

/// Starts an offline peer (no relays, no mDNS) for `host`.
pub async fn peer(host: &Arc<TestHost>, key: [u8; 32]) -> SyncHandle {
    let h: Arc<dyn DocumentHost> = host.clone();
    leerrijk_sync::start(SyncConfig::offline(key), h)
        .await
        .unwrap()
}

/// Starts an offline peer (no relays, no mDNS) with other size limits.
pub async fn peer_with_limits(
    host: &Arc<TestHost>,
    key: [u8; 32],
    limits: leerrijk_sync::proto::Limits,
) -> SyncHandle {
    let h: Arc<dyn DocumentHost> = host.clone();
    let mut config = SyncConfig::offline(key);
    config.limits = limits;
    leerrijk_sync::start(config, h).await.unwrap()
}

/// Starts an offline peer that keeps its address book at `book`.
pub async fn peer_with_book(
    host: &Arc<TestHost>,
    key: [u8; 32],
    book: &std::path::Path,
) -> SyncHandle {
    let h: Arc<dyn DocumentHost> = host.clone();
    let mut config = SyncConfig::offline(key);
    config.address_book = Some(book.to_path_buf());
    leerrijk_sync::start(config, h).await.unwrap()
}

/// A ticket for `id` from `handle`, with only its loopback addresses (tests stay on lo).
pub fn loopback_ticket(handle: &SyncHandle, id: &TrajectoryId) -> Ticket {
    let mut t = handle.ticket(id, "test").unwrap();
    t.addrs = loopback(&t.addrs);
    t
}

/// The addresses rewritten to loopback with the same ports.
pub fn loopback(addrs: &[std::net::SocketAddr]) -> Vec<std::net::SocketAddr> {
    let mut out: Vec<std::net::SocketAddr> = addrs
        .iter()
        .map(|a| {
            let ip: std::net::IpAddr = if a.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            };
            std::net::SocketAddr::new(ip, a.port())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Polls `check` until it holds or `secs` pass; returns whether it held.
pub async fn eventually(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check()
}

/// Waits for the first event matching `pred`, up to `secs`.
pub async fn wait_event(
    rx: &mut tokio::sync::broadcast::Receiver<SyncEvent>,
    secs: u64,
    mut pred: impl FnMut(&SyncEvent) -> bool,
) -> Option<SyncEvent> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(e)) if pred(&e) => return Some(e),
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            _ => return None,
        }
    }
}
