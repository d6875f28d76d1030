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
//! One exception: an edit made on the UI thread itself (a click) is followed by an update in
//! the next frame, because screens build further edits from the view (a second click on a
//! ranking must see the first). Views carry the number of changes they include, so an older
//! view from the builder never replaces a newer one.
//!
//! Both paths bring the previous view up to date incrementally
//! ([`leerrijk_model::Trajectory::view_since`]: only the items the new changes touched are read
//! again; a large merge falls back to a full read), and the new analyses take over every result
//! of the previous ones whose inputs did not change ([`Derived::carry_over`]). So a click on a
//! large trajectory costs milliseconds, not the half second of a full rebuild.
//!
//! One analysis is too slow even for that: after an edit of the marketplace sheets on the UI
//! thread, the matching (37,525 matches on a large trajectory: tens of milliseconds, most of it
//! building and freeing the match records) is not computed in the frame. The new view shows the
//! previous matching, laid out on it by id and marked as being updated
//! ([`Derived::defer_market`]), and the builder thread computes the new one before its next
//! build, then wakes the UI.
//!
//! Nor is the matching computed in the frame that first shows the marketplace: a screen that
//! needs it while it is not ready asks the builder thread for it ([`Derived::with_market`])
//! and draws the sheets at once, with a note where the connections will be; the UI is woken
//! when it is ready. Usually it already is: after building a view whose sheets are not empty,
//! the builder computes its matching ahead, before anyone opens the marketplace.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use leerrijk_model::{Trajectory, TrajectoryView, UpdatedView, ViewUpdate};

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
    /// The document heads `view` shows.
    heads: Arc<Vec<ChangeHash>>,
    /// How `view` was made (item by item or in full; logged, and checked by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    how: ViewUpdate,
}

/// The latest view built for a trajectory (with its analyses and heads): the next one is made
/// from it.
#[derive(Debug, Clone)]
struct Latest {
    derived: Arc<Derived>,
    heads: Arc<Vec<ChangeHash>>,
    /// The participant this device acts for in it.
    me: Option<String>,
}

impl Latest {
    fn of(c: &Cached) -> Self {
        Latest {
            derived: c.derived.clone(),
            heads: c.heads.clone(),
            me: c.me.clone(),
        }
    }
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
    /// The latest view and analyses per trajectory: a new view is made from it and computes
    /// the analyses used on it.
    last: HashMap<String, Latest>,
    /// Views that could not be built; tried again after the next change.
    failed: HashSet<String>,
    /// Views the UI replaced, to be freed by the builder thread: freeing a large view takes
    /// milliseconds, and memory the builder allocated is freed faster by the builder itself.
    replaced: Vec<Box<dyn std::any::Any + Send>>,
    /// Per trajectory, a replaced view nothing else holds any more, with its heads: the next
    /// update is made in it, in place, instead of in a copy of the latest view (copying a large
    /// view costs more than updating it, BENCHMARKS.md).
    spare: HashMap<String, (TrajectoryView, Arc<Vec<ChangeHash>>)>,
    /// Per trajectory, when its next rebuild may start: a build holds the document's lock
    /// (half a second for a large trajectory), so after one the builder leaves the document
    /// to sync and edits for as long as the build took.
    not_before: HashMap<String, Instant>,
    /// Views whose marketplace matching is computed on the builder thread before the next
    /// build: deferred by a view built on the UI thread ([`Derived::defer_market`]; the
    /// screens show the previous results until then), asked by a screen
    /// ([`Derived::with_market`]) or computed ahead for a new view. Gone views are skipped.
    analyses: Vec<Weak<Derived>>,
    /// The builder is computing deferred analyses.
    analysing: bool,
    /// Tests: analyses for the builder wait (and do not count as background work) until
    /// released.
    hold_analyses: bool,
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
    /// Views updated in a spare view, in place (no copy).
    in_place: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// Queues the marketplace matching of `derived` for the builder thread (once per view).
    fn queue_market(&mut self, derived: &Arc<Derived>) {
        if derived.claim_market() {
            self.analyses.push(Arc::downgrade(derived));
        }
    }

    /// Takes a replaced entry of `id`: its view becomes the spare one when nothing else holds
    /// it; everything else goes to the builder thread to be freed.
    fn retire(&mut self, id: &str, old: Cached) {
        let Cached {
            view,
            derived,
            heads,
            ..
        } = old;
        let analyses = match Arc::try_unwrap(derived) {
            Ok(d) => d,
            Err(d) => {
                self.replaced.push(Box::new(d));
                self.replaced.push(Box::new(view));
                return;
            }
        };
        let (inner, analyses) = analyses.split();
        self.replaced.push(Box::new(analyses));
        drop(inner);
        match Arc::try_unwrap(view) {
            Ok(view) => {
                if let Some(older) = self.spare.insert(id.to_owned(), (view, heads)) {
                    self.replaced.push(Box::new(older));
                }
            }
            Err(view) => self.replaced.push(Box::new(view)),
        }
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
                st.retire(id, old);
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
        let spare = st.spare.remove(id);
        let defer = st.builder;
        drop(st);
        let built = build(&self.shared, hub, id, previous.as_ref(), spare, defer);
        drop(previous);
        let mut st = self.shared.lock();
        match built {
            Some(c) => {
                if st.builder && (c.derived.market_pending() || c.derived.market_missing()) {
                    st.queue_market(&c.derived);
                }
                let last = st.last.insert(id.to_owned(), Latest::of(&c));
                // The replaced latest first: the view it holds may then be reused.
                drop(last);
                let old = self.entries.insert(id.to_owned(), (version, c));
                if let Some((_, old)) = old {
                    st.retire(id, old);
                }
                if st.builder {
                    self.shared.wake.notify_all();
                } else {
                    st.replaced.clear();
                }
                drop(st);
            }
            None => {
                st.failed.insert(id.to_owned());
            }
        }
        self.entries.get(id).map(|(_, c)| c.clone())
    }

    /// Builds the view of `id` now, on this thread (before the first frame of a headless app,
    /// so its first frame draws the trajectory). Returns whether it could be read. Its
    /// marketplace matching is not computed ahead: the first screen that needs it asks the
    /// builder thread for it.
    pub fn load_now(&mut self, hub: &Hub, id: &str) -> bool {
        let (version, previous) = {
            let mut st = self.shared.lock();
            st.wanted.insert(id.to_owned());
            (
                st.changes.get(id).copied().unwrap_or(0),
                st.last.get(id).cloned(),
            )
        };
        let Some(c) = build(&self.shared, hub, id, previous.as_ref(), None, false) else {
            return false;
        };
        self.shared
            .lock()
            .last
            .insert(id.to_owned(), Latest::of(&c));
        self.entries.insert(id.to_owned(), (version, c));
        true
    }

    /// How many read views were built so far (tests check views are not rebuilt per frame).
    pub fn rebuilds(&self) -> u64 {
        self.shared.rebuilds.load(Ordering::SeqCst)
    }

    /// Whether a view is queued or being built, or deferred analyses are being computed.
    pub fn busy(&self) -> bool {
        let st = self.shared.lock();
        st.builder
            && (!st.queue.is_empty()
                || st.building.is_some()
                || st.analysing
                || (!st.analyses.is_empty() && !st.hold_analyses))
    }

    /// For tests: while `hold` is set, analyses asked of the builder thread (the marketplace
    /// matching after an edit of the sheets, or when a screen first needs it) wait and the
    /// screens keep showing the previous results (or a note that it is being computed);
    /// [`Self::busy`] does not count them. Releasing lets the builder compute them.
    pub fn hold_analyses(&self, hold: bool) {
        self.shared.lock().hold_analyses = hold;
        self.shared.wake.notify_all();
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
fn builder(shared: &Arc<Shared>, hub: &Hub, repaint: &Repaint) {
    loop {
        let (job, replaced, analyses) = {
            let mut st = shared.lock();
            loop {
                if st.stop {
                    return;
                }
                let replaced = std::mem::take(&mut st.replaced);
                let analyses = if st.hold_analyses {
                    Vec::new()
                } else {
                    std::mem::take(&mut st.analyses)
                };
                st.analysing = !analyses.is_empty();
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
                    let spare = st.spare.remove(&id);
                    (id, version, previous, spare)
                });
                if job.is_some() || !replaced.is_empty() || !analyses.is_empty() {
                    break (job, replaced, analyses);
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
        if !analyses.is_empty() {
            // Views the UI replaced meanwhile are skipped (a newer one was queued if needed).
            for d in analyses.iter().filter_map(Weak::upgrade) {
                let started = Instant::now();
                d.finish_market();
                tracing::debug!(took = ?started.elapsed(), "marketplace matching computed off the UI thread");
            }
            shared.lock().analysing = false;
            repaint.request();
        }
        let Some((id, version, previous, spare)) = job else {
            continue;
        };
        let started = Instant::now();
        let built = build(shared, hub, &id, previous.as_ref(), spare, false);
        let took = started.elapsed().min(MAX_PAUSE);
        drop(previous);
        // What the new view replaces (a view the UI never took) is freed after the lock.
        let stale = {
            let mut st = shared.lock();
            st.building = None;
            st.not_before.insert(id.clone(), Instant::now() + took);
            match built {
                Some(c) => {
                    // Computed ahead (before the next build), so the marketplace opens at once.
                    if c.derived.market_missing() {
                        st.queue_market(&c.derived);
                    }
                    let last = st.last.insert(id.clone(), Latest::of(&c));
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

/// Reads the view of `id` (made from `previous` when there is one: only what changed since is
/// read again) and computes the analyses `previous` had computed (the screens that used them
/// will again), taking over those whose inputs did not change.
/// A spare view (see [`State::spare`]) is updated in place instead. With `defer` (on the UI
/// thread, when the builder runs) the marketplace matching is not computed here: the previous
/// one is shown until the builder computes it ([`Derived::defer_market`]).
fn build(
    shared: &Arc<Shared>,
    hub: &Hub,
    id: &str,
    previous: Option<&Latest>,
    spare: Option<(TrajectoryView, Arc<Vec<ChangeHash>>)>,
    defer: bool,
) -> Option<Cached> {
    let device = hub.library().device_id().to_owned();
    let started = Instant::now();
    let read = hub.with_doc(id, |doc| {
        Trajectory::on_doc(doc, |t| {
            let u = match (spare, previous) {
                (Some((mut view, heads)), _) => {
                    shared.in_place.fetch_add(1, Ordering::SeqCst);
                    let mut heads = Arc::unwrap_or_clone(heads);
                    let how = t.update_view(&mut view, &mut heads);
                    UpdatedView { view, heads, how }
                }
                (None, Some(p)) => t.view_since(p.derived.view(), &p.heads),
                (None, None) => t.view_with_heads(),
            };
            // Who this device is: looked up in the document (a few hundred seeks on a large
            // trajectory), unless the participants are the same as in the previous view.
            let me = match previous {
                Some(p) if p.derived.view().participants == u.view.participants => p.me.clone(),
                _ => t.participant_for_device(&device),
            };
            (u, me)
        })
    });
    match read {
        Ok((u, me)) => {
            shared.rebuilds.fetch_add(1, Ordering::SeqCst);
            let read_in = started.elapsed();
            let view = Arc::new(u.view);
            let derived = Derived::new(view.clone());
            if let Some(p) = previous {
                derived.carry_over(&p.derived);
                if defer {
                    derived.defer_market(&p.derived);
                }
                derived.warm_like(&p.derived);
            }
            match &u.how {
                ViewUpdate::Full(why) => tracing::debug!(
                    trajectory = id, why, took = ?started.elapsed(), ?read_in, "read view built"
                ),
                how => tracing::debug!(
                    trajectory = id, ?how, took = ?started.elapsed(), ?read_in, "read view updated"
                ),
            }
            let derived = Arc::new(derived);
            let (to, of) = (Arc::downgrade(shared), Arc::downgrade(&derived));
            derived.set_market_asker(Box::new(move || ask_market(&to, &of)));
            Some(Cached {
                derived,
                view,
                me,
                heads: Arc::new(u.heads),
                how: u.how,
            })
        }
        Err(e) => {
            tracing::warn!(trajectory = id, error = %e, "could not read trajectory");
            None
        }
    }
}

/// Asks the builder thread (of `shared`) for the marketplace matching of `derived` (see
/// [`Derived::with_market`]). Returns whether it will compute it: `false` when no builder
/// thread runs.
fn ask_market(shared: &Weak<Shared>, derived: &Weak<Derived>) -> bool {
    let (Some(shared), Some(derived)) = (shared.upgrade(), derived.upgrade()) else {
        return false;
    };
    let mut st = shared.lock();
    if !st.builder || st.stop {
        return false;
    }
    st.queue_market(&derived);
    shared.wake.notify_all();
    true
}

#[cfg(test)]
mod tests {
    use leerrijk_model::generate::GenSpec;
    use leerrijk_model::{NewPostIt, Polarity};

    use super::*;
    use crate::gui::derived::MarketState;
    use crate::library::Library;

    fn full(hub: &Hub, id: &str) -> TrajectoryView {
        hub.read(id, |t| t.view()).unwrap()
    }

    /// After edits made on the UI thread (and one from another thread, through the builder),
    /// the view the screens get is the one a full read gives, made item by item; the analyses
    /// taken over from the previous view equal freshly computed ones.
    #[test]
    fn shown_view_after_edits_equals_the_full_view() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(Some(dir.path().to_path_buf())).unwrap();
        let spec = GenSpec {
            participants: 8,
            postits: 60,
            stories: 4,
            offers: 6,
            history_rounds: 1,
            seed: 5,
        };
        let id = crate::dev_generate::generate_into(&library, &spec)
            .unwrap()
            .id
            .as_str()
            .to_owned();
        let hub = Hub::new(library);
        hub.session(&id).unwrap();
        let mut cache = ViewCache::default();
        cache.subscribe(&hub, Repaint::default());
        assert!(cache.load_now(&hub, &id));
        let first = cache.get(&hub, &id).unwrap();
        assert_eq!(*first.view, full(&hub, &id));
        // The screens used these: they are computed for every later view.
        first.derived.board();
        first.derived.counts();
        first.derived.market();
        first.derived.ranking();

        let v = full(&hub, &id);
        let (p, th) = (v.postits[0].id.clone(), v.themes[1].id.clone());
        type EditFn = dyn Fn(&mut Trajectory) -> Result<(), leerrijk_model::ModelError>;
        let edits: Vec<Box<EditFn>> = vec![
            Box::new(move |t| t.move_postit(&p, Some(&th))),
            Box::new(|t| {
                t.add_theme("Samen leren", Polarity::Positive, None)
                    .map(|_| ())
            }),
            Box::new(|t| {
                t.add_postit(NewPostIt {
                    text: "Bij elkaar kijken".into(),
                    ..Default::default()
                })
                .map(|_| ())
            }),
            Box::new(|t| t.add_offer("Digibord", &["Bram".into()], &[]).map(|_| ())),
        ];
        for edit in edits.iter().chain(&edits) {
            hub.edit(&id, |t| edit(t)).unwrap();
            let c = cache.get(&hub, &id).unwrap();
            assert_eq!(*c.view, full(&hub, &id), "{:?}", c.how);
            assert!(matches!(c.how, ViewUpdate::Items(_)), "{:?}", c.how);
            let device = hub.library().device_id().to_owned();
            let me = hub
                .read(&id, |t| t.participant_for_device(&device))
                .unwrap();
            assert!(me.is_some());
            assert_eq!(c.me, me);
            let fresh = Derived::new(c.view.clone());
            assert_eq!(c.derived.counts(), fresh.counts());
            assert_eq!(c.derived.market(), fresh.market());
            assert_eq!(c.derived.ranking(), fresh.ranking());
            assert_eq!(c.derived.board().loose, fresh.board().loose);
            assert_eq!(c.derived.board().by_theme, fresh.board().by_theme);
        }

        assert!(
            cache.shared.in_place.load(Ordering::SeqCst) >= 4,
            "replaced views are reused: updated in place, not copied"
        );

        // A change from another thread: built on the builder thread, incrementally too.
        let theme = full(&hub, &id).themes[0].id.clone();
        std::thread::scope(|s| {
            s.spawn(|| hub.edit(&id, |t| t.delete_theme(&theme)).unwrap());
        });
        assert!(cache.wait_idle(Duration::from_secs(60)));
        let c = cache.get(&hub, &id).unwrap();
        assert_eq!(*c.view, full(&hub, &id), "{:?}", c.how);
        assert!(matches!(c.how, ViewUpdate::Items(_)), "{:?}", c.how);
        assert_eq!(c.derived.counts(), Derived::new(c.view.clone()).counts());
    }

    /// After edits of the marketplace sheets made on the UI thread, the new view comes at once
    /// and its matching is computed on the builder thread: until then the previous matching is
    /// shown (marked), laid out on the new view by id (a deleted offer's row stays empty), also
    /// over two edits in a row; afterwards the matching and its layout equal fresh ones.
    #[test]
    fn marketplace_matching_is_computed_off_the_ui_thread() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(Some(dir.path().to_path_buf())).unwrap();
        let spec = GenSpec {
            participants: 12,
            postits: 20,
            stories: 2,
            offers: 30,
            history_rounds: 1,
            seed: 9,
        };
        let id = crate::dev_generate::generate_into(&library, &spec)
            .unwrap()
            .id
            .as_str()
            .to_owned();
        let hub = Hub::new(library);
        hub.session(&id).unwrap();
        let mut cache = ViewCache::default();
        cache.subscribe(&hub, Repaint::default());
        assert!(cache.load_now(&hub, &id));
        let first = cache.get(&hub, &id).unwrap();
        // The screen asks for the matching: not computed here, but on the builder thread.
        assert!(first.derived.with_market(|_, _, _| ()).is_none());
        assert!(cache.wait_idle(Duration::from_secs(60)));
        let before = first
            .derived
            .with_market(|m, _, state| {
                assert_eq!(state, MarketState::Ready);
                m.clone()
            })
            .unwrap();
        assert!(!before.matches.is_empty());
        let row_ids = |c: &Cached| -> (Vec<Option<String>>, Vec<Option<String>>) {
            c.derived
                .with_market(|_, l, _| {
                    (
                        l.offers
                            .iter()
                            .map(|o| o.map(|i| c.view.offers[i].id.clone()))
                            .collect(),
                        l.requests
                            .iter()
                            .map(|r| r.map(|i| c.view.requests[i].id.clone()))
                            .collect(),
                    )
                })
                .unwrap()
        };
        let (offer_rows, request_rows) = row_ids(&first);
        let gone = offer_rows[0].clone().unwrap();

        cache.hold_analyses(true);
        hub.edit(&id, |t| t.add_offer("Digibord", &["Bram".into()], &[]))
            .unwrap();
        let one = cache.get(&hub, &id).unwrap();
        assert_eq!(*one.view, full(&hub, &id));
        assert!(one.derived.market_pending());
        assert_eq!(
            one.derived
                .with_market(|m, _, state| state == MarketState::Updating && *m == before),
            Some(true)
        );
        assert_eq!(row_ids(&one), (offer_rows.clone(), request_rows.clone()));

        // A second edit before the first matching is ready: the same earlier matching, laid
        // out on the newest view; the deleted offer's row is empty.
        hub.edit(&id, |t| t.delete_offer(&gone)).unwrap();
        let two = cache.get(&hub, &id).unwrap();
        assert_eq!(*two.view, full(&hub, &id));
        assert_eq!(
            two.derived
                .with_market(|m, _, state| state == MarketState::Updating && *m == before),
            Some(true)
        );
        let mut want = offer_rows.clone();
        want[0] = None;
        assert_eq!(row_ids(&two), (want, request_rows));
        assert!(
            cache.wait_idle(Duration::from_secs(60)),
            "held work is not waited for"
        );
        assert!(two.derived.market_pending());

        cache.hold_analyses(false);
        assert!(cache.wait_idle(Duration::from_secs(60)));
        assert!(!two.derived.market_pending());
        let fresh = Derived::new(two.view.clone());
        two.derived
            .with_market(|m, l, state| {
                assert_eq!(state, MarketState::Ready);
                assert_eq!(
                    *m,
                    leerrijk_model::analysis::market_matching(&full(&hub, &id))
                );
                let f = fresh.market_layout();
                assert_eq!(
                    (&l.offers, &l.requests, &l.links),
                    (&f.offers, &f.requests, &f.links)
                );
                assert_eq!(l.request_index, f.request_index);
            })
            .unwrap();
        assert_ne!(*fresh.market(), before);
    }
}
