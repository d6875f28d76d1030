//! Read views, cached per trajectory and rebuilt off the UI thread after the hub reports a change.
//!
//! Building a read view reads the document under its lock, which sync and the editor thread hold
//! while they work, and takes about 0.5 s for a large trajectory (BENCHMARKS.md). So a frame
//! never builds one: a builder thread does, one at a time, and hands the new view (with the
//! analyses the screens used on the previous one already computed) to the UI, which keeps
//! drawing the previous view until then and is woken when the new one is ready. Changes that
//! arrive while a view is being built are coalesced into one more build, which starts no
//! sooner than the previous build took: the document is left to sync and edits at least half
//! the time.
//!
//! One exception: an edit made on the UI thread itself (a click) is followed by a rebuild in
//! the next frame, as before, because screens build further edits from the view (a second
//! click on a ranking must see the first). Views carry the number of changes they include, so
//! an older view from the builder never replaces a newer one.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use leerrijk_model::TrajectoryView;

use crate::hub::{Hub, HubEvent};

use super::derived::Derived;
use super::repaint::Repaint;

/// A trajectory as the screens see it: the read view and who this device is in it.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The read view.
    pub view: Arc<TrajectoryView>,
    /// The participant this device acts for, if any.
    pub me: Option<String>,
    /// The model's analyses of `view`, computed at most once per view.
    pub derived: Arc<Derived>,
}

/// What the hub listener, the builder thread and the UI share.
#[derive(Debug, Default)]
struct State {
    /// The start screen's list needs reloading.
    list_dirty: bool,
    /// Trajectories the screens asked for: kept fresh after every change.
    wanted: HashSet<String>,
    /// Trajectories whose view must be (re)built.
    queue: HashSet<String>,
    /// The trajectory the builder is working on.
    building: Option<String>,
    /// Built views the UI has not taken yet, with the change count they include.
    ready: HashMap<String, (u64, Cached)>,
    /// Changes heard of per trajectory (a view built after reading this includes them).
    changes: HashMap<String, u64>,
    /// Trajectories changed by the UI thread itself: rebuilt in the next frame.
    inline: HashSet<String>,
    /// The thread that draws frames (the last to call [`ViewCache::get`]).
    ui_thread: Option<ThreadId>,
    /// The latest analyses per trajectory: a new view computes the ones used on the old one.
    last: HashMap<String, Arc<Derived>>,
    /// Views that could not be built; tried again after the next change.
    failed: HashSet<String>,
    /// Views the UI replaced, to be freed by the builder thread: freeing a large view takes
    /// milliseconds, and memory the builder allocated is freed faster by the builder itself.
    replaced: Vec<Cached>,
    /// Per trajectory, when its next rebuild may start: a build holds the document's lock
    /// (half a second for a large trajectory), so after one the builder leaves the document
    /// to sync and edits for as long as the build took.
    not_before: HashMap<String, Instant>,
    /// Whether the builder thread runs (without it, views are built in [`ViewCache::get`]).
    builder: bool,
    /// Tells the builder thread to end.
    stop: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    rebuilds: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The cache. The hub listener queues rebuilds from any thread; the builder thread (started by
/// [`ViewCache::subscribe`]) builds them.
#[derive(Debug, Default)]
pub struct ViewCache {
    shared: Arc<Shared>,
    /// What the UI draws (UI thread only), with the change count each view includes.
    entries: HashMap<String, (u64, Cached)>,
}

impl Drop for ViewCache {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
    }
}

impl ViewCache {
    /// Subscribes to the hub: every change marks the start list dirty, asks for a rebuild of
    /// the trajectory's view (if a screen showed it: on the builder thread, or in the next
    /// frame for the UI thread's own edits) and wakes the GUI. Starts the builder thread.
    pub fn subscribe(&self, hub: &Arc<Hub>, repaint: Repaint) {
        let shared = self.shared.clone();
        let r = repaint.clone();
        hub.subscribe(move |event| {
            {
                let mut st = shared.lock();
                if let HubEvent::Changed { trajectory, .. } = event {
                    *st.changes.entry(trajectory.clone()).or_default() += 1;
                    if st.wanted.contains(trajectory) {
                        st.failed.remove(trajectory);
                        let own = st.ui_thread == Some(std::thread::current().id());
                        if own || !st.builder {
                            st.inline.insert(trajectory.clone());
                        } else {
                            st.queue.insert(trajectory.clone());
                            shared.wake.notify_all();
                        }
                    }
                }
                st.list_dirty = true;
            }
            r.request();
        });
        let shared = self.shared.clone();
        let hub = hub.clone();
        let started = std::thread::Builder::new()
            .name("leerrijk-views".into())
            .spawn(move || builder(&shared, &hub, &repaint));
        match started {
            Ok(_) => {
                let mut st = self.shared.lock();
                st.builder = true;
                // A change may have been queued before the thread ran.
                self.shared.wake.notify_all();
                drop(st);
            }
            Err(e) => {
                tracing::error!(error = %e, "could not start the view builder; views are built on the UI thread");
            }
        }
    }

    /// Whether the start screen's list needs reloading; clears the flag.
    pub fn take_list_dirty(&self) -> bool {
        std::mem::take(&mut self.shared.lock().list_dirty)
    }

    /// Marks the start list dirty (e.g. on start).
    pub fn mark_list_dirty(&self) {
        self.shared.lock().list_dirty = true;
    }

    /// The trajectory's latest view. After a change made elsewhere (sync, another process,
    /// another thread) the view is rebuilt on the builder thread and replaces the previous one
    /// at the first frame after it is ready; until then the previous one is returned. After
    /// an edit made on this (the UI) thread it is rebuilt here, so the next frame shows it.
    /// `None` while the first view is being built, or while the trajectory is not open in the
    /// hub yet (the caller asks the background loader to open it, so this never reads the
    /// disk).
    pub fn get(&mut self, hub: &Hub, id: &str) -> Option<Cached> {
        let mut st = self.shared.lock();
        st.ui_thread = Some(std::thread::current().id());
        if let Some((version, c)) = st.ready.remove(id) {
            let current = self.entries.get(id).map(|(v, _)| *v);
            let old = if current.is_none_or(|v| version >= v) {
                self.entries
                    .insert(id.to_owned(), (version, c))
                    .map(|(_, o)| o)
            } else {
                Some(c)
            };
            if let Some(old) = old {
                st.replaced.push(old);
                self.shared.wake.notify_all();
            }
        }
        st.wanted.insert(id.to_owned());
        let pending = st.queue.contains(id) || st.building.as_deref() == Some(id);
        let first = !self.entries.contains_key(id)
            && !pending
            && !st.failed.contains(id)
            && hub.is_open(id);
        let inline = st.inline.remove(id) || (first && !st.builder);
        if first && !inline {
            st.queue.insert(id.to_owned());
            self.shared.wake.notify_all();
        }
        if !inline {
            return self.entries.get(id).map(|(_, c)| c.clone());
        }
        // Built here: it includes every change so far, also one queued for the builder.
        st.queue.remove(id);
        let version = st.changes.get(id).copied().unwrap_or(0);
        let previous = st.last.get(id).cloned();
        drop(st);
        let built = build(&self.shared, hub, id, previous.as_deref());
        drop(previous);
        let mut st = self.shared.lock();
        match built {
            Some(c) => {
                let last = st.last.insert(id.to_owned(), c.derived.clone());
                let old = self.entries.insert(id.to_owned(), (version, c));
                if st.builder {
                    st.replaced.extend(old.map(|(_, o)| o));
                    self.shared.wake.notify_all();
                }
                drop(st);
                drop(last);
            }
            None => {
                st.failed.insert(id.to_owned());
            }
        }
        self.entries.get(id).map(|(_, c)| c.clone())
    }

    /// Builds the view of `id` now, on this thread (before the first frame of a headless app,
    /// so its first frame draws the trajectory). Returns whether it could be read.
    pub fn load_now(&mut self, hub: &Hub, id: &str) -> bool {
        let (version, previous) = {
            let mut st = self.shared.lock();
            st.wanted.insert(id.to_owned());
            (
                st.changes.get(id).copied().unwrap_or(0),
                st.last.get(id).cloned(),
            )
        };
        let Some(c) = build(&self.shared, hub, id, previous.as_deref()) else {
            return false;
        };
        self.shared
            .lock()
            .last
            .insert(id.to_owned(), c.derived.clone());
        self.entries.insert(id.to_owned(), (version, c));
        true
    }

    /// How many read views were built so far (tests check views are not rebuilt per frame).
    pub fn rebuilds(&self) -> u64 {
        self.shared.rebuilds.load(Ordering::SeqCst)
    }

    /// Whether a view is queued or being built.
    pub fn busy(&self) -> bool {
        let st = self.shared.lock();
        st.builder && (!st.queue.is_empty() || st.building.is_some())
    }

    /// Blocks until no view is queued or being built (for tests and benchmarks), at most
    /// `timeout`. The next frame then draws the latest view.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        while self.busy() {
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }
}

/// The longest pause between two builds of one trajectory.
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// The builder thread: builds queued views one at a time until the cache is dropped.
fn builder(shared: &Shared, hub: &Hub, repaint: &Repaint) {
    loop {
        let (job, replaced) = {
            let mut st = shared.lock();
            loop {
                if st.stop {
                    return;
                }
                let replaced = std::mem::take(&mut st.replaced);
                let now = Instant::now();
                let due = st
                    .queue
                    .iter()
                    .find(|id| st.not_before.get(*id).is_none_or(|t| *t <= now))
                    .cloned();
                let job = due.map(|id| {
                    st.queue.remove(&id);
                    st.building = Some(id.clone());
                    let version = st.changes.get(&id).copied().unwrap_or(0);
                    let previous = st.last.get(&id).cloned();
                    (id, version, previous)
                });
                if job.is_some() || !replaced.is_empty() {
                    break (job, replaced);
                }
                let next = st
                    .queue
                    .iter()
                    .filter_map(|id| st.not_before.get(id))
                    .min()
                    .copied();
                st = match next {
                    Some(t) => {
                        shared
                            .wake
                            .wait_timeout(st, t.saturating_duration_since(now))
                            .unwrap_or_else(PoisonError::into_inner)
                            .0
                    }
                    None => shared.wake.wait(st).unwrap_or_else(PoisonError::into_inner),
                };
            }
        };
        // Freed here, outside the lock (the UI may hold clones a little longer).
        drop(replaced);
        let Some((id, version, previous)) = job else {
            continue;
        };
        let started = Instant::now();
        let built = build(shared, hub, &id, previous.as_deref());
        let took = started.elapsed().min(MAX_PAUSE);
        drop(previous);
        // What the new view replaces (a view the UI never took) is freed after the lock.
        let stale = {
            let mut st = shared.lock();
            st.building = None;
            st.not_before.insert(id.clone(), Instant::now() + took);
            match built {
                Some(c) => {
                    let last = st.last.insert(id.clone(), c.derived.clone());
                    (last, st.ready.insert(id, (version, c)))
                }
                None => {
                    st.failed.insert(id);
                    (None, None)
                }
            }
        };
        repaint.request();
        drop(stale);
    }
}

/// Reads the view of `id` and computes the analyses `previous` had computed (the screens
/// that used them will again).
fn build(shared: &Shared, hub: &Hub, id: &str, previous: Option<&Derived>) -> Option<Cached> {
    let device = hub.library().device_id().to_owned();
    let started = Instant::now();
    match hub.read(id, |t| (t.view(), t.participant_for_device(&device))) {
        Ok((view, me)) => {
            shared.rebuilds.fetch_add(1, Ordering::SeqCst);
            let view = Arc::new(view);
            let derived = Derived::new(view.clone());
            if let Some(p) = previous {
                derived.warm_like(p);
            }
            tracing::debug!(trajectory = id, took = ?started.elapsed(), "read view built");
            Some(Cached {
                derived: Arc::new(derived),
                view,
                me,
            })
        }
        Err(e) => {
            tracing::warn!(trajectory = id, error = %e, "could not read trajectory");
            None
        }
    }
}
