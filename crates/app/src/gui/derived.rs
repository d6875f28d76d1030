//! [`Derived`]: the model's analyses of one read view, computed at most once per view (on first
//! use) and kept beside it in the view cache, so a frame never recomputes them. The screens
//! show exactly these results; there is no second implementation in the UI.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use leerrijk_model::TrajectoryView;
use leerrijk_model::analysis::{
    BrainCrackerTally, LogbookTotals, MarketMatching, RankingComparison, RedGreenDistribution,
    SUGGESTED_GROUP_SIZE, SharedSource, ThemeCount, brain_cracker_tally, compare_rankings,
    logbook_totals, market_matching, postits_per_theme, red_green_distribution,
    shared_satisfaction_sources, suggest_groups,
};

/// A fast hasher for ids (the standard SipHash costs more than the rest of a pass over 20,000
/// post-its). Not resistant to crafted keys, which a local document does not need.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Post-its sorted onto the flip-over: indexes into `view.postits` per theme, in display order.
#[derive(Debug, Default)]
pub struct Board {
    /// Theme id → post-it indexes.
    pub by_theme: HashMap<String, Vec<usize>, std::hash::BuildHasherDefault<IdHasher>>,
    /// Post-its on no theme (the loose pile).
    pub loose: Vec<usize>,
    /// Post-its moved to two themes at once (a conflict to settle).
    pub conflicts: Vec<usize>,
}

type Ids = std::hash::BuildHasherDefault<IdHasher>;

/// The marketplace matching arranged for drawing (indexes into `view.offers` and
/// `view.requests`), so a frame never searches the lists.
#[derive(Debug, Default)]
pub struct MarketLayout {
    /// Offers that meet a request, in order of their first match: the diagram's left column.
    /// `None`: an offer no longer in the view (only while an earlier matching is shown, see
    /// [`Derived::with_market`]).
    pub offers: Vec<Option<usize>>,
    /// Requests an offer meets, in order of their first match: the diagram's right column
    /// (`None` as for `offers`).
    pub requests: Vec<Option<usize>>,
    /// Every match whose offer and request are in the view: (its index in
    /// `MarketMatching::matches`, its row on the left, its row on the right). Shared with the
    /// layout of an earlier matching shown while this one is computed.
    pub links: Arc<Vec<(usize, usize, usize)>>,
    /// Request id → index in `view.requests`.
    pub request_index: HashMap<String, usize, Ids>,
}

/// The matching of an earlier view, laid out on this view: shown (marked as being updated)
/// until this view's own matching, computed off the UI thread, is ready.
#[derive(Debug)]
struct StaleMarket {
    /// The earlier matching.
    market: Arc<MarketMatching>,
    /// Its layout, with rows mapped to this view's offers and requests by id.
    layout: MarketLayout,
    /// The ids of the diagram's rows (offers on the left, requests on the right), so a later
    /// view can map them again.
    offer_ids: Arc<Vec<String>>,
    /// See `offer_ids`.
    request_ids: Arc<Vec<String>>,
}

impl StaleMarket {
    /// `market` with its rows (`offer_ids`, `request_ids`) laid out on `view`.
    fn on(
        view: &TrajectoryView,
        market: Arc<MarketMatching>,
        links: Arc<Vec<(usize, usize, usize)>>,
        offer_ids: Arc<Vec<String>>,
        request_ids: Arc<Vec<String>>,
    ) -> Self {
        let offer_index: HashMap<&str, usize, Ids> = view
            .offers
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        let request_index = request_index(view);
        let layout = MarketLayout {
            offers: offer_ids
                .iter()
                .map(|id| offer_index.get(id.as_str()).copied())
                .collect(),
            requests: request_ids
                .iter()
                .map(|id| request_index.get(id.as_str()).copied())
                .collect(),
            links,
            request_index,
        };
        StaleMarket {
            market,
            layout,
            offer_ids,
            request_ids,
        }
    }
}

/// Request id → index in `view.requests`.
fn request_index(view: &TrajectoryView) -> HashMap<String, usize, Ids> {
    view.requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect()
}

/// Asks the view builder to compute the marketplace matching of one view off the UI thread
/// (set by the view cache, [`Derived::set_market_asker`]). Returns whether it will: `false`
/// when no builder thread runs.
pub type MarketAsker = Box<dyn Fn() -> bool + Send + Sync>;

/// A [`MarketAsker`] in a field that can be printed.
struct Asker(MarketAsker);

impl std::fmt::Debug for Asker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MarketAsker")
    }
}

/// What a screen gets of the marketplace matching ([`Derived::with_market`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketState {
    /// This view's own matching.
    Ready,
    /// An earlier view's matching, shown while this view's is computed off the UI thread.
    Updating,
}

/// The analyses of one read view.
#[derive(Debug)]
pub struct Derived {
    view: Arc<TrajectoryView>,
    red_green: OnceLock<Arc<RedGreenDistribution>>,
    logbook: OnceLock<Arc<LogbookTotals>>,
    brain_crackers: OnceLock<Arc<BrainCrackerTally>>,
    satisfaction: OnceLock<Arc<Vec<SharedSource>>>,
    counts: OnceLock<Arc<Vec<ThemeCount>>>,
    count_of: OnceLock<Arc<HashMap<Option<String>, usize>>>,
    board: OnceLock<Arc<Board>>,
    ranking: OnceLock<Arc<RankingComparison>>,
    market: OnceLock<Arc<MarketMatching>>,
    market_layout: OnceLock<Arc<MarketLayout>>,
    /// An earlier view's matching shown until `market` and `market_layout` are computed off
    /// the UI thread ([`Derived::defer_market`]); cleared once they are.
    stale_market: Mutex<Option<StaleMarket>>,
    /// Asks the builder thread for the marketplace matching (none: computed where needed).
    asker: OnceLock<Asker>,
    /// The marketplace matching was asked of the builder thread (asked once per view).
    market_asked: AtomicBool,
    groups: OnceLock<Arc<Vec<Vec<String>>>>,
}

impl Derived {
    /// Analyses of `view`, computed lazily.
    pub fn new(view: Arc<TrajectoryView>) -> Self {
        Derived {
            view,
            red_green: OnceLock::new(),
            logbook: OnceLock::new(),
            brain_crackers: OnceLock::new(),
            satisfaction: OnceLock::new(),
            counts: OnceLock::new(),
            count_of: OnceLock::new(),
            board: OnceLock::new(),
            ranking: OnceLock::new(),
            market: OnceLock::new(),
            market_layout: OnceLock::new(),
            stale_market: Mutex::new(None),
            asker: OnceLock::new(),
            market_asked: AtomicBool::new(false),
            groups: OnceLock::new(),
        }
    }

    /// Lets [`Self::with_market`] ask the builder thread for the marketplace matching instead
    /// of computing it in the frame (set once, by the view cache, when a builder runs).
    pub fn set_market_asker(&self, asker: MarketAsker) {
        let _ = self.asker.set(Asker(asker));
    }

    /// Marks the marketplace matching as asked of the builder thread; returns whether it was
    /// not asked before (then the caller queues it, once per view).
    pub fn claim_market(&self) -> bool {
        !self.market_asked.swap(true, Ordering::SeqCst)
    }

    /// Whether the marketplace matching of this view is worth computing ahead, off the UI
    /// thread: the sheets are not empty and it is not computed yet.
    pub fn market_missing(&self) -> bool {
        (!self.view.offers.is_empty() || !self.view.requests.is_empty())
            && self.market_layout.get().is_none()
    }

    fn stale(&self) -> std::sync::MutexGuard<'_, Option<StaleMarket>> {
        self.stale_market
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the screens use the marketplace matching of this view: it is computed, or an
    /// earlier one is shown until it is.
    fn market_used(&self) -> bool {
        self.market.get().is_some() || self.stale().is_some()
    }

    /// On the UI thread, right after [`Self::carry_over`] from `old`: when the screens used the
    /// marketplace matching and it could not be taken over (the sheets changed), shows the
    /// earlier matching, laid out on this view, instead of computing it in the frame (tens of
    /// milliseconds on a large trajectory). Returns whether it did: then
    /// [`Self::finish_market`] must run (off the UI thread).
    pub fn defer_market(&self, old: &Derived) -> bool {
        if self.market.get().is_some() {
            return false;
        }
        let stale = match (old.market.get(), old.market_layout.get()) {
            (Some(market), Some(layout)) => {
                let ids = |rows: &[Option<usize>], id: &dyn Fn(usize) -> Option<String>| {
                    Arc::new(
                        rows.iter()
                            .map(|r| r.and_then(id).unwrap_or_default())
                            .collect::<Vec<String>>(),
                    )
                };
                let ov = &old.view;
                let offer_ids = ids(&layout.offers, &|i| ov.offers.get(i).map(|o| o.id.clone()));
                let request_ids = ids(&layout.requests, &|i| {
                    ov.requests.get(i).map(|r| r.id.clone())
                });
                StaleMarket::on(
                    &self.view,
                    market.clone(),
                    layout.links.clone(),
                    offer_ids,
                    request_ids,
                )
            }
            _ => match &*old.stale() {
                Some(s) => StaleMarket::on(
                    &self.view,
                    s.market.clone(),
                    s.layout.links.clone(),
                    s.offer_ids.clone(),
                    s.request_ids.clone(),
                ),
                None => return false,
            },
        };
        *self.stale() = Some(stale);
        true
    }

    /// Whether an earlier view's marketplace matching is shown until this view's is computed
    /// ([`Self::defer_market`]; [`Self::finish_market`] computes it).
    pub fn market_pending(&self) -> bool {
        self.stale().is_some()
    }

    /// Computes the marketplace matching and its layout, then drops the earlier matching
    /// shown until now (run off the UI thread after [`Self::defer_market`]).
    pub fn finish_market(&self) {
        self.market_layout();
        let stale = self.stale().take();
        drop(stale);
    }

    /// Calls `f` with the marketplace matching, its layout and whether it is this view's
    /// (ready) or an earlier view's, shown while this view's is computed off the UI thread
    /// ([`Self::defer_market`]; "updating"). When neither is ready
    /// the builder thread is asked for it and `None` is returned (the UI is woken when it is
    /// ready): a frame never computes it. Only without a builder thread is it computed here.
    pub fn with_market<R>(
        &self,
        f: impl FnOnce(&MarketMatching, &MarketLayout, MarketState) -> R,
    ) -> Option<R> {
        if let (Some(m), Some(l)) = (self.market.get(), self.market_layout.get()) {
            return Some(f(m, l, MarketState::Ready));
        }
        {
            let stale = self.stale();
            if let Some(s) = &*stale {
                return Some(f(&s.market, &s.layout, MarketState::Updating));
            }
        }
        if let Some(Asker(ask)) = self.asker.get()
            && ask()
        {
            return None;
        }
        Some(f(self.market(), self.market_layout(), MarketState::Ready))
    }

    /// Computes now every analysis `other` has computed (off the UI thread, for a new view
    /// that replaces `other`'s: the screens that used them will ask again), except a
    /// marketplace matching deferred by [`Self::defer_market`].
    pub fn warm_like(&self, other: &Derived) {
        if other.red_green.get().is_some() {
            self.red_green();
        }
        if other.logbook.get().is_some() {
            self.logbook();
        }
        if other.brain_crackers.get().is_some() {
            self.brain_crackers();
        }
        if other.satisfaction.get().is_some() {
            self.satisfaction();
        }
        if other.counts.get().is_some() {
            self.counts();
        }
        if other.count_of.get().is_some() {
            self.count(None);
        }
        if other.board.get().is_some() {
            self.board();
        }
        if other.ranking.get().is_some() {
            self.ranking();
        }
        if self.stale().is_none() {
            if other.market_used() {
                self.market();
            }
            if other.market_layout.get().is_some() || other.stale().is_some() {
                self.market_layout();
            }
        }
        if other.groups.get().is_some() {
            self.suggested_groups();
        }
    }

    /// Gives back the view and the analyses apart (the analyses then hold an empty view), so
    /// the view can be reused while the analyses are freed elsewhere.
    pub fn split(mut self) -> (Arc<TrajectoryView>, Derived) {
        let view = std::mem::replace(&mut self.view, Arc::new(TrajectoryView::default()));
        (view, self)
    }

    /// Takes over every analysis `old` has computed whose inputs (the parts of the view it
    /// reads) are equal in this view: after an edit, only the analyses of what changed are
    /// computed again (moving a post-it recomputes the board and the counts, not the
    /// marketplace matching).
    pub fn carry_over(&self, old: &Derived) {
        let (a, b) = (&*self.view, &*old.view);
        fn carry<T>(to: &OnceLock<Arc<T>>, from: &OnceLock<Arc<T>>, same: impl FnOnce() -> bool) {
            if let Some(x) = from.get()
                && same()
            {
                let _ = to.set(x.clone());
            }
        }
        let people = || a.participants == b.participants;
        let themes = || a.themes == b.themes;
        let postits = || a.postits == b.postits;
        let market = || a.offers == b.offers && a.requests == b.requests;
        carry(&self.red_green, &old.red_green, || {
            people() && a.placements == b.placements
        });
        carry(&self.logbook, &old.logbook, || a.logbook == b.logbook);
        carry(&self.brain_crackers, &old.brain_crackers, || {
            people() && a.stories == b.stories
        });
        carry(&self.satisfaction, &old.satisfaction, || {
            people() && a.stories == b.stories
        });
        carry(&self.counts, &old.counts, || themes() && postits());
        carry(&self.count_of, &old.count_of, || themes() && postits());
        carry(&self.board, &old.board, postits);
        carry(&self.ranking, &old.ranking, || {
            themes() && a.groups == b.groups
        });
        carry(&self.market, &old.market, market);
        carry(&self.market_layout, &old.market_layout, market);
        carry(&self.groups, &old.groups, people);
    }

    /// The view these analyses belong to.
    pub fn view(&self) -> &TrajectoryView {
        &self.view
    }

    /// Everyone's position on the red–green continuum.
    pub fn red_green(&self) -> &RedGreenDistribution {
        self.red_green
            .get_or_init(|| Arc::new(red_green_distribution(&self.view)))
    }

    /// Logbook hours per quadrant, per person and for the team.
    pub fn logbook(&self) -> &LogbookTotals {
        self.logbook
            .get_or_init(|| Arc::new(logbook_totals(&self.view)))
    }

    /// The brain-crackers named and how often.
    pub fn brain_crackers(&self) -> &BrainCrackerTally {
        self.brain_crackers
            .get_or_init(|| Arc::new(brain_cracker_tally(&self.view)))
    }

    /// Sources of satisfaction that several people name.
    pub fn satisfaction(&self) -> &[SharedSource] {
        self.satisfaction
            .get_or_init(|| Arc::new(shared_satisfaction_sources(&self.view)))
    }

    /// Post-its per theme (the model's count, most first, loose pile last).
    pub fn counts(&self) -> &[ThemeCount] {
        self.counts
            .get_or_init(|| Arc::new(postits_per_theme(&self.view)))
    }

    /// The count of one theme (`None`: the loose pile), from [`Self::counts`].
    pub fn count(&self, theme: Option<&str>) -> usize {
        let map = self.count_of.get_or_init(|| {
            Arc::new(
                self.counts()
                    .iter()
                    .map(|c| (c.theme.clone(), c.count))
                    .collect(),
            )
        });
        map.get(&theme.map(str::to_owned)).copied().unwrap_or(0)
    }

    /// The post-its sorted per theme.
    pub fn board(&self) -> &Board {
        self.board.get_or_init(|| {
            let mut b = Board::default();
            for (i, p) in self.view.postits.iter().enumerate() {
                match &p.theme {
                    // Look up before inserting: one key allocation per theme, not per post-it.
                    Some(t) => match b.by_theme.get_mut(t.as_str()) {
                        Some(list) => list.push(i),
                        None => {
                            b.by_theme.insert(t.clone(), vec![i]);
                        }
                    },
                    None => b.loose.push(i),
                }
                if p.theme_conflicts.len() > 1 {
                    b.conflicts.push(i);
                }
            }
            Arc::new(b)
        })
    }

    /// The groups' orders compared: aggregate, agreement, clear top.
    pub fn ranking(&self) -> &RankingComparison {
        self.ranking
            .get_or_init(|| Arc::new(compare_rankings(&self.view)))
    }

    /// The marketplace matching views.
    pub fn market(&self) -> &MarketMatching {
        self.market
            .get_or_init(|| Arc::new(market_matching(&self.view)))
    }

    /// The marketplace matching arranged for drawing.
    pub fn market_layout(&self) -> &MarketLayout {
        self.market_layout.get_or_init(|| {
            let view = &self.view;
            let offer_index: HashMap<&str, usize, Ids> = view
                .offers
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id.as_str(), i))
                .collect();
            let request_index = request_index(view);
            let mut layout = MarketLayout::default();
            let mut links = Vec::new();
            // Row of each offer and request in the diagram, by their index in the view.
            let mut offer_row: Vec<Option<usize>> = vec![None; view.offers.len()];
            let mut request_row: Vec<Option<usize>> = vec![None; view.requests.len()];
            for (k, x) in self.market().matches.iter().enumerate() {
                let (Some(&o), Some(&r)) = (
                    offer_index.get(x.offer.as_str()),
                    request_index.get(x.request.as_str()),
                ) else {
                    continue;
                };
                let left = *offer_row[o].get_or_insert_with(|| {
                    layout.offers.push(Some(o));
                    layout.offers.len() - 1
                });
                let right = *request_row[r].get_or_insert_with(|| {
                    layout.requests.push(Some(r));
                    layout.requests.len() - 1
                });
                links.push((k, left, right));
            }
            layout.links = Arc::new(links);
            layout.request_index = request_index;
            Arc::new(layout)
        })
    }

    /// A suggestion of groups of about four that mix roles.
    pub fn suggested_groups(&self) -> &[Vec<String>] {
        self.groups
            .get_or_init(|| Arc::new(suggest_groups(&self.view, SUGGESTED_GROUP_SIZE)))
    }
}
