//! Bringing a read view up to date item by item: [`Trajectory::view_since`].
//!
//! Hydrating the whole view walks the whole document (half a second for a large trajectory,
//! BENCHMARKS.md). After a few edits, only the items they touched have to be read again: the
//! changes since the previous view's heads name the objects they wrote to, each object's path
//! from the root names its collection and item id (`postits/<id>/text`), and only those items
//! are re-read, straight from the document, by the same functions the full view uses
//! (`read.rs`); the rest of the previous view is kept.
//!
//! What depends on several items is updated too: a theme that is removed takes its post-its
//! back to the loose pile and out of rankings and actions (those items are re-read); a change
//! in the live themes or their order re-reads every group (their `unranked`); a change in the
//! live participants re-reads every placement and group. What cannot be updated item by item
//! falls back to the full view: many changes at once (a large merge from a peer), root keys,
//! the archive record (every `after_archive` mark), hiding post-it authors (every post-it), a
//! removed theme that comes back (post-its still pointing at it are not known).
//!
//! Ordering: items are kept in display order (`created_at`, then id; participants by
//! `joined_at`), placements by value, then participant, as the full view sorts them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::{AutoCommit, ChangeHash, Prop, ReadDoc, legacy};

use super::Trajectory;
use super::read::{self, ArchiveFilter, Links};
use super::reader::{DocReader, Reader};
use crate::Clock;
use crate::schema::root;
use crate::view::{Placement, TrajectoryView};

/// More changes than this since the previous view: the full view is built instead.
const MAX_CHANGES: usize = 200;
/// More operations than this in those changes: the full view is built instead.
const MAX_OPS: usize = 20_000;
/// More items to re-read than this: the full view is built instead.
const MAX_ITEMS: usize = 1_000;

/// How [`Trajectory::view_since`] made the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewUpdate {
    /// Nothing changed since the previous heads: a copy of the previous view.
    Unchanged,
    /// The items the changes touched were read again (how many).
    Items(usize),
    /// The whole view was hydrated again, and why.
    Full(&'static str),
}

/// A read view with the document heads it shows.
#[derive(Clone, Debug)]
pub struct UpdatedView {
    /// The view.
    pub view: TrajectoryView,
    /// The heads of the document it was read at (pass them to the next
    /// [`Trajectory::view_since`]).
    pub heads: Vec<ChangeHash>,
    /// How it was made.
    pub how: ViewUpdate,
}

/// An item collection of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Coll {
    Participants,
    Stories,
    Logbook,
    Images,
    Themes,
    PostIts,
    Groups,
    Actions,
    Offers,
    Requests,
}

impl Coll {
    fn of_root_key(key: &str) -> Option<Coll> {
        Some(match key {
            root::PARTICIPANTS => Coll::Participants,
            root::STORIES => Coll::Stories,
            root::LOGBOOK => Coll::Logbook,
            root::IMAGES => Coll::Images,
            root::THEMES => Coll::Themes,
            root::POSTITS => Coll::PostIts,
            root::GROUPS => Coll::Groups,
            root::ACTIONS => Coll::Actions,
            _ => return None,
        })
    }
}

/// What the changes since the previous view touched.
#[derive(Debug, Default)]
struct Touched {
    meta: bool,
    assignments: bool,
    placements: BTreeSet<String>,
    items: BTreeMap<Coll, BTreeSet<String>>,
}

impl Touched {
    fn count(&self) -> usize {
        self.placements.len() + self.items.values().map(BTreeSet::len).sum::<usize>()
    }

    fn ids(&self, c: Coll) -> BTreeSet<String> {
        self.items.get(&c).cloned().unwrap_or_default()
    }

    /// Files one written path (map keys from the root, the first three are enough).
    fn add(&mut self, path: &[String]) -> Result<(), &'static str> {
        match path {
            [] | [_] => Err("a root key changed"),
            [m, ..] if m == root::META => {
                self.meta = true;
                Ok(())
            }
            [a, ..] if a == root::ASSIGNMENTS => {
                self.assignments = true;
                Ok(())
            }
            [p, pid, ..] if p == root::PLACEMENTS => {
                self.placements.insert(pid.clone());
                Ok(())
            }
            [m, side, id, ..] if m == root::MARKET => {
                let c = match side.as_str() {
                    root::OFFERS => Coll::Offers,
                    root::REQUESTS => Coll::Requests,
                    _ => return Err("an unknown marketplace key changed"),
                };
                self.items.entry(c).or_default().insert(id.clone());
                Ok(())
            }
            [key, id, ..] => match Coll::of_root_key(key) {
                Some(c) => {
                    self.items.entry(c).or_default().insert(id.clone());
                    Ok(())
                }
                None => Err("an unknown key changed"),
            },
        }
    }
}

/// Puts `doc` back where it was lent from, also if the borrower panics.
struct Lent<'a> {
    slot: &'a mut AutoCommit,
    t: Trajectory,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        std::mem::swap(self.slot, &mut self.t.doc);
    }
}

impl Trajectory {
    /// Runs `f` on the trajectory in `doc` (for code that holds the document only, e.g. under
    /// a store's lock): the document is moved into a [`Trajectory`] for the call and back
    /// after it. Its schema is not checked again.
    pub fn on_doc<T>(doc: &mut AutoCommit, f: impl FnOnce(&mut Trajectory) -> T) -> T {
        let t = Trajectory {
            doc: std::mem::take(doc),
            clock: Clock::System,
        };
        let mut lent = Lent { slot: doc, t };
        f(&mut lent.t)
    }

    /// Hydrates the whole read view and returns the heads it shows (for
    /// [`Self::view_since`]).
    pub fn view_with_heads(&mut self) -> UpdatedView {
        let heads = self.doc.get_heads();
        UpdatedView {
            view: self.view(),
            heads,
            how: ViewUpdate::Full("asked for"),
        }
    }

    /// The read view now, made from `previous` (the view at `previous_heads`) by reading again
    /// only the items changed since: exactly what [`Self::view`] gives, in a fraction of its
    /// time after a few edits. Falls back to [`Self::view`] after many changes (e.g. a large
    /// merge) or changes it cannot apply item by item (see the module documentation).
    /// Copies `previous` first; [`Self::update_view`] updates a view in place.
    pub fn view_since(
        &mut self,
        previous: &TrajectoryView,
        previous_heads: &[ChangeHash],
    ) -> UpdatedView {
        let mut view = previous.clone();
        let mut heads = previous_heads.to_vec();
        let how = self.update_view(&mut view, &mut heads);
        UpdatedView { view, heads, how }
    }

    /// Brings `view` (the view at `heads`) up to date in place, like [`Self::view_since`],
    /// and sets `heads` to the heads it now shows. Nothing of the view is copied: on a large
    /// trajectory, copying a whole view costs more than updating it.
    pub fn update_view(
        &mut self,
        view: &mut TrajectoryView,
        heads: &mut Vec<ChangeHash>,
    ) -> ViewUpdate {
        let now = self.doc.get_heads();
        if now == *heads {
            return ViewUpdate::Unchanged;
        }
        let result = self
            .touched_since(heads)
            .and_then(|t| self.apply(view, heads, &t).map(|()| t.count()));
        *heads = now;
        match result {
            Ok(n) => {
                view.enforce_limits();
                ViewUpdate::Items(n)
            }
            Err(why) => {
                // A view left half updated is replaced as a whole.
                *view = self.view();
                ViewUpdate::Full(why)
            }
        }
    }

    /// The items written by the changes since `heads`.
    fn touched_since(&mut self, heads: &[ChangeHash]) -> Result<Touched, &'static str> {
        if heads.is_empty() || !self.doc.get_missing_deps(heads).is_empty() {
            return Err("the previous heads are not in the document");
        }
        let changes = self.doc.get_changes(heads);
        if changes.len() > MAX_CHANGES {
            return Err("many changes");
        }
        let mut touched = Touched::default();
        let mut ops = 0;
        // Object → its first path elements from the root.
        let mut paths: HashMap<(u64, automerge::ActorId), Vec<String>> = HashMap::new();
        for change in &changes {
            let expanded = change.decode();
            ops += expanded.operations.len();
            if ops > MAX_OPS {
                return Err("many operations");
            }
            for op in &expanded.operations {
                let mut path = match &op.obj {
                    legacy::ObjectId::Root => Vec::new(),
                    legacy::ObjectId::Id(legacy::OpId(ctr, actor)) => {
                        match paths.get(&(*ctr, actor.clone())) {
                            Some(p) => p.clone(),
                            None => {
                                let p = self.path_of(&format!("{ctr}@{actor}"))?;
                                paths.insert((*ctr, actor.clone()), p.clone());
                                p
                            }
                        }
                    }
                };
                if path.len() < 3
                    && let legacy::Key::Map(k) = &op.key
                {
                    path.push(k.to_string());
                }
                touched.add(&path)?;
            }
            if touched.count() > MAX_ITEMS {
                return Err("many items");
            }
        }
        Ok(touched)
    }

    /// The first three map keys on the path from the root to object `obj` ("ctr@actor").
    fn path_of(&self, obj: &str) -> Result<Vec<String>, &'static str> {
        let id = self
            .doc
            .import_obj(obj)
            .map_err(|_| "an unknown object changed")?;
        let parents = self
            .doc
            .parents(&id)
            .map_err(|_| "an object without a path changed")?;
        let mut props: Vec<Prop> = parents.map(|p| p.prop).collect();
        props.reverse();
        let mut path = Vec::new();
        for p in props.into_iter().take(3) {
            match p {
                Prop::Map(k) => path.push(k),
                Prop::Seq(_) => break,
            }
        }
        Ok(path)
    }

    /// Reads the touched items of `v` (the view at `previous_heads`) again. On an error, `v`
    /// may be half updated.
    fn apply(
        &self,
        v: &mut TrajectoryView,
        previous_heads: &[ChangeHash],
        t: &Touched,
    ) -> Result<(), &'static str> {
        let r = DocReader(&self.doc);
        // What the cross-item updates compare with, from before the update.
        let (was_hidden, was_archived) = (v.hide_postit_authors, v.archived.clone());
        let previous_people: Vec<String> = v.participants.iter().map(|p| p.id.clone()).collect();
        let previous_placements: Vec<String> =
            v.placements.iter().map(|p| p.participant.clone()).collect();
        let previous_themes: Vec<String> = v.themes.iter().map(|t| t.id.clone()).collect();
        let filter = ArchiveFilter {
            heads: self.archived_heads(),
        };
        if t.meta {
            let meta = self.coll_or_none(root::META).ok_or("no meta map")?;
            read::read_meta(&r, &meta, v);
            if v.hide_postit_authors != was_hidden {
                return Err("post-it authors hidden or shown");
            }
            if v.archived != was_archived {
                return Err("archived or unarchived");
            }
        }
        if t.assignments {
            v.assignments = match self.coll_or_none(root::ASSIGNMENTS) {
                Some(a) => read::read_assignments(&r, &a),
                None => Vec::new(),
            };
        }

        // Participants, and what depends on who takes part.
        let ids = t.ids(Coll::Participants);
        if !ids.is_empty() {
            let c = self
                .coll_or_none(root::PARTICIPANTS)
                .ok_or("no participants")?;
            update(
                &mut v.participants,
                ids,
                |p| (p.joined_at, p.id.as_str()),
                |p| p.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((order, read::read_participant(&r, id.to_owned(), &o, late)))
                },
            );
        }
        let live_people: HashSet<String> = v.participants.iter().map(|p| p.id.clone()).collect();
        let people_changed = v.participants.len() != previous_people.len()
            || previous_people.iter().any(|p| !live_people.contains(p));
        let placement_ids: BTreeSet<String> = if people_changed {
            let c = self.coll_or_none(root::PLACEMENTS);
            let mut all: BTreeSet<String> = c
                .map(|c| r.keys(&c))
                .unwrap_or_default()
                .into_iter()
                .collect();
            all.extend(previous_placements);
            all
        } else {
            t.placements.clone()
        };
        if !placement_ids.is_empty() {
            let c = self.coll_or_none(root::PLACEMENTS);
            v.placements
                .retain(|p| !placement_ids.contains(&p.participant));
            let fresh: Vec<Placement> = placement_ids
                .into_iter()
                .filter(|pid| live_people.contains(pid))
                .filter_map(|pid| read::read_placement(&r, c.as_ref()?, pid))
                .collect();
            v.placements.extend(fresh);
            v.placements.sort_by(read::placement_order);
        }

        for (coll, key) in [
            (Coll::Stories, root::STORIES),
            (Coll::Logbook, root::LOGBOOK),
            (Coll::Images, root::IMAGES),
            (Coll::Themes, root::THEMES),
        ] {
            let ids = t.ids(coll);
            if ids.is_empty() {
                continue;
            }
            let c = self.coll_or_none(key).ok_or("a collection is missing")?;
            let late = |id: &str| filter.late_one(self, &c, id);
            match coll {
                Coll::Stories => update(
                    &mut v.stories,
                    ids,
                    |x| (x.created_at, x.id.as_str()),
                    |x| x.id.as_str(),
                    |id| {
                        let (order, o) = read::live_item(&r, &c, id)?;
                        Some((order, read::read_story(&r, id.to_owned(), &o, late(id))?))
                    },
                ),
                Coll::Logbook => update(
                    &mut v.logbook,
                    ids,
                    |x| (x.created_at, x.id.as_str()),
                    |x| x.id.as_str(),
                    |id| {
                        let (order, o) = read::live_item(&r, &c, id)?;
                        Some((order, read::read_logbook(&r, id.to_owned(), &o, late(id))?))
                    },
                ),
                Coll::Images => update(
                    &mut v.images,
                    ids,
                    |x| (x.created_at, x.id.as_str()),
                    |x| x.id.as_str(),
                    |id| {
                        let (order, o) = read::live_item(&r, &c, id)?;
                        Some((order, read::read_image(&r, id.to_owned(), &o, late(id))))
                    },
                ),
                _ => update(
                    &mut v.themes,
                    ids,
                    |x| (x.created_at, x.id.as_str()),
                    |x| x.id.as_str(),
                    |id| {
                        let (order, o) = read::live_item(&r, &c, id)?;
                        Some((order, read::read_theme(&r, id.to_owned(), &o, late(id))))
                    },
                ),
            }
        }

        // What depends on the live themes.
        let theme_order: Vec<String> = v.themes.iter().map(|t| t.id.clone()).collect();
        let live_themes: HashSet<String> = theme_order.iter().cloned().collect();
        let themes_changed = previous_themes != theme_order;
        let removed: HashSet<&str> = previous_themes
            .iter()
            .map(String::as_str)
            .filter(|id| !live_themes.contains(*id))
            .collect();
        if themes_changed {
            let before: HashSet<&str> = previous_themes.iter().map(String::as_str).collect();
            let c = self.coll_or_none(root::THEMES).ok_or("no themes")?;
            for th in &theme_order {
                if !before.contains(th.as_str())
                    && self
                        .doc
                        .get_at(&c, th.as_str(), previous_heads)
                        .ok()
                        .flatten()
                        .is_some()
                {
                    // A removed theme came back: post-its may still point at it.
                    return Err("a removed theme came back");
                }
            }
        }
        let links = Links {
            live_people: &live_people,
            live_themes: &live_themes,
            theme_order: &theme_order,
            hide: v.hide_postit_authors,
        };

        let mut ids = t.ids(Coll::PostIts);
        if !removed.is_empty() {
            ids.extend(
                v.postits
                    .iter()
                    .filter(|p| {
                        p.theme.as_deref().is_some_and(|th| removed.contains(th))
                            || p.theme_conflicts
                                .iter()
                                .any(|th| removed.contains(th.as_str()))
                    })
                    .map(|p| p.id.clone()),
            );
        }
        if ids.len() > MAX_ITEMS {
            return Err("many post-its");
        }
        if !ids.is_empty() {
            let c = self.coll_or_none(root::POSTITS).ok_or("no post-its")?;
            update(
                &mut v.postits,
                ids,
                |x| (x.created_at, x.id.as_str()),
                |x| x.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((
                        order,
                        read::read_postit(&r, id.to_owned(), &o, late, &links),
                    ))
                },
            );
        }

        let mut ids = t.ids(Coll::Groups);
        if themes_changed || people_changed {
            ids.extend(v.groups.iter().map(|g| g.id.clone()));
        }
        if !ids.is_empty() {
            let c = self.coll_or_none(root::GROUPS).ok_or("no groups")?;
            update(
                &mut v.groups,
                ids,
                |x| (x.created_at, x.id.as_str()),
                |x| x.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((order, read::read_group(&r, id.to_owned(), &o, late, &links)))
                },
            );
        }

        let mut ids = t.ids(Coll::Actions);
        if !removed.is_empty() {
            ids.extend(
                v.actions
                    .iter()
                    .filter(|a| a.theme.as_deref().is_some_and(|th| removed.contains(th)))
                    .map(|a| a.id.clone()),
            );
        }
        if !ids.is_empty() {
            let c = self.coll_or_none(root::ACTIONS).ok_or("no actions")?;
            update(
                &mut v.actions,
                ids,
                |x| (x.created_at, x.id.as_str()),
                |x| x.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((
                        order,
                        read::read_action(&r, id.to_owned(), &o, late, &links),
                    ))
                },
            );
        }

        let ids = t.ids(Coll::Offers);
        if !ids.is_empty() {
            let c = self.market_obj(root::OFFERS).map_err(|_| "no offers")?;
            update(
                &mut v.offers,
                ids,
                |x| (x.created_at, x.id.as_str()),
                |x| x.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((order, read::read_offer(&r, id.to_owned(), &o, late)))
                },
            );
        }
        let ids = t.ids(Coll::Requests);
        if !ids.is_empty() {
            let c = self.market_obj(root::REQUESTS).map_err(|_| "no requests")?;
            update(
                &mut v.requests,
                ids,
                |x| (x.created_at, x.id.as_str()),
                |x| x.id.as_str(),
                |id| {
                    let (order, o) = read::live_item(&r, &c, id)?;
                    let late = filter.late_one(self, &c, id);
                    Some((order, read::read_request(&r, id.to_owned(), &o, late)))
                },
            );
        }
        Ok(())
    }
}

/// Replaces the items `ids` of `list` (in display order by `order`) with what `read` gives
/// now (`None`: absent, deleted or unreadable: left out), keeping the order.
fn update<T>(
    list: &mut Vec<T>,
    ids: BTreeSet<String>,
    order: impl Fn(&T) -> (i64, &str),
    id_of: impl Fn(&T) -> &str,
    read: impl Fn(&str) -> Option<(i64, T)>,
) {
    list.retain(|x| !ids.contains(id_of(x)));
    let fresh: Vec<(i64, T)> = ids.iter().filter_map(|id| read(id)).collect();
    if fresh.len() > 16 {
        list.extend(fresh.into_iter().map(|(_, x)| x));
        list.sort_by(|a, b| order(a).cmp(&order(b)));
        return;
    }
    for (key, x) in fresh {
        let at = list.partition_point(|y| order(y) < (key, id_of(&x)));
        list.insert(at, x);
    }
}
