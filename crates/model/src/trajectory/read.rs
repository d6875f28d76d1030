//! Hydrating the read view from the document.
//!
//! Every part of the view is read by one function here, generic over the [`Reader`] it reads
//! from: a one-pass [`Snapshot`] for the whole view, the document itself for the few items an
//! incremental update re-reads (`incremental.rs`). So both give exactly the same values.

use std::collections::{BTreeMap, HashSet};

use automerge::{ChangeHash, ObjId, ReadDoc};

use super::Trajectory;
use super::reader::Reader;
use super::snapshot::Snapshot;
use crate::schema::root;
use crate::view::*;
use crate::{ActionStatus, AssignmentKind, Polarity, Quadrant, Role};

/// Ids that existed when the trajectory was archived, per collection.
pub(super) struct ArchiveFilter {
    pub(super) heads: Option<Vec<ChangeHash>>,
}

impl ArchiveFilter {
    fn before(&self, t: &Trajectory, coll: &ObjId) -> Option<HashSet<String>> {
        self.heads
            .as_ref()
            .map(|h| t.doc.keys_at(coll, h).collect())
    }

    /// Whether item `id` of `coll` was added after archiving.
    pub(super) fn late_one(&self, t: &Trajectory, coll: &ObjId, id: &str) -> bool {
        self.heads
            .as_ref()
            .is_some_and(|h| !t.doc.keys_at(coll, h).any(|k| k == id))
    }
}

fn late(before: &Option<HashSet<String>>, id: &str) -> bool {
    before.as_ref().is_some_and(|b| !b.contains(id))
}

/// What items of one collection depend on in other collections.
pub(super) struct Links<'a> {
    /// Ids of the live participants.
    pub(super) live_people: &'a HashSet<String>,
    /// Ids of the live themes.
    pub(super) live_themes: &'a HashSet<String>,
    /// Live theme ids in display order.
    pub(super) theme_order: &'a [String],
    /// Whether post-it authors are hidden for everyone.
    pub(super) hide: bool,
}

/// The display-order key of an item, or `None` when it is absent or soft-deleted.
pub(super) fn live_item<R: Reader>(s: &R, coll: &ObjId, id: &str) -> Option<(i64, ObjId)> {
    let obj = s.map_at(coll, id)?;
    if s.i64_at(&obj, "deleted_at").is_some() {
        return None;
    }
    let created = s
        .i64_at(&obj, "created_at")
        .or_else(|| s.i64_at(&obj, "joined_at"))
        .unwrap_or(0);
    Some((created, obj))
}

/// Reads the `meta` map's fields into `v`.
pub(super) fn read_meta<R: Reader>(s: &R, meta: &ObjId, v: &mut TrajectoryView) {
    v.title = s.str_at(meta, "title").unwrap_or_default();
    v.school = s.str_at(meta, "school").unwrap_or_default();
    v.initiator = s.str_at(meta, "initiator");
    let phase = s
        .i64_at(meta, "phase")
        .and_then(|p| u8::try_from(p).ok())
        .filter(|p| (1..=5).contains(p));
    if phase.is_none() {
        // Missing, of the wrong type or out of range: phase 1 is the safe default.
        v.ignored += 1;
    }
    v.phase = phase.unwrap_or(1);
    v.created_at = s.i64_at(meta, "created_at").unwrap_or(0);
    v.dates = match s.map_at(meta, "dates") {
        Some(dates) => s
            .keys(&dates)
            .into_iter()
            .filter_map(|k| s.str_at(&dates, &k).map(|s| (k, s)))
            .collect::<BTreeMap<_, _>>(),
        None => BTreeMap::new(),
    };
    v.letter = s.str_at(meta, "letter").unwrap_or_default();
    v.hide_postit_authors = s.bool_at(meta, "hide_postit_authors").unwrap_or(false);
    v.revealed_at = s.i64_at(meta, "revealed_at");
    v.silent_since = s.i64_at(meta, "silent_since");
    v.workshop_timer = s.map_at(meta, "workshop_timer").and_then(|w| {
        Some(WorkshopTimer {
            started_at: s.i64_at(&w, "started_at")?,
            minutes: s.i64_at(&w, "minutes")?,
        })
    });
    v.archived = s.map_at(meta, "archived").map(|a| ArchiveInfo {
        at: s.i64_at(&a, "at").unwrap_or(0),
        by: s.str_at(&a, "by").unwrap_or_default(),
        heads: s
            .list_at(&a, "heads")
            .map(|l| s.str_list(&l))
            .unwrap_or_default(),
    });
}

/// The practice assignments handed out.
pub(super) fn read_assignments<R: Reader>(s: &R, a: &ObjId) -> Vec<AssignmentKind> {
    AssignmentKind::ALL
        .into_iter()
        .filter(|k| s.bool_at(a, k.slug()).unwrap_or(false))
        .collect()
}

pub(super) fn read_participant<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Participant {
    Participant {
        name: s.str_at(o, "name").unwrap_or_default(),
        role: Role::parse(&s.str_at(o, "role").unwrap_or_default()).unwrap_or(Role::Anders),
        joined_at: s.i64_at(o, "joined_at").unwrap_or(0),
        devices: s
            .map_at(o, "devices")
            .map(|m| s.keys(&m))
            .unwrap_or_default(),
        after_archive: late,
        id,
    }
}

/// The placement of participant `pid` (`None` when absent or without a valid value).
pub(super) fn read_placement<R: Reader>(s: &R, coll: &ObjId, pid: String) -> Option<Placement> {
    let o = s.map_at(coll, &pid)?;
    Some(Placement {
        value: u8::try_from(s.i64_at(&o, "value")?.clamp(0, 100)).ok()?,
        note: s.str_at(&o, "note").unwrap_or_default(),
        updated_at: s.i64_at(&o, "updated_at").unwrap_or(0),
        participant: pid,
    })
}

/// Placements are shown by value, then participant.
pub(super) fn placement_order(a: &Placement, b: &Placement) -> std::cmp::Ordering {
    (a.value, &a.participant).cmp(&(b.value, &b.participant))
}

pub(super) fn read_story<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Option<Story> {
    let kind = AssignmentKind::parse(&s.str_at(o, "kind")?).ok()?;
    let answers = s
        .map_at(o, "answers")
        .map(|a| {
            s.keys(&a)
                .into_iter()
                .filter_map(|q| s.str_at(&a, &q).map(|t| (q, t)))
                .collect()
        })
        .unwrap_or_default();
    Some(Story {
        kind,
        author: s.str_at(o, "author").unwrap_or_default(),
        colleague: s.str_at(o, "colleague"),
        times_past_week: s.i64_at(o, "times_past_week"),
        answers,
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        shared_at: s.i64_at(o, "shared_at").unwrap_or(0),
        after_archive: late,
        id,
    })
}

pub(super) fn read_logbook<R: Reader>(
    s: &R,
    id: String,
    o: &ObjId,
    late: bool,
) -> Option<LogbookEntry> {
    Some(LogbookEntry {
        author: s.str_at(o, "author").unwrap_or_default(),
        quadrant: Quadrant::parse(&s.str_at(o, "quadrant")?).ok()?,
        hours: s.f64_at(o, "hours").unwrap_or(0.0),
        text: s.str_at(o, "text").unwrap_or_default(),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    })
}

pub(super) fn read_image<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Image {
    Image {
        author: s.str_at(o, "author").unwrap_or_default(),
        caption: s.str_at(o, "caption").unwrap_or_default(),
        blob: s.str_at(o, "blob").unwrap_or_default(),
        mime: s.str_at(o, "mime").unwrap_or_default(),
        width: s
            .i64_at(o, "width")
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        height: s
            .i64_at(o, "height")
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_theme<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Theme {
    let all = s.all_str_at(o, "title");
    Theme {
        title: s.str_at(o, "title").unwrap_or_default(),
        title_conflicts: if all.len() > 1 { all } else { Vec::new() },
        polarity: Polarity::parse(&s.str_at(o, "polarity").unwrap_or_default())
            .unwrap_or(Polarity::Positive),
        created_by: s.str_at(o, "created_by"),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_postit<R: Reader>(
    s: &R,
    id: String,
    o: &ObjId,
    late: bool,
    l: &Links<'_>,
) -> PostIt {
    let anonymous = s.bool_at(o, "anonymous").unwrap_or(false);
    let all: Vec<String> = s
        .all_str_at(o, "theme")
        .into_iter()
        .filter(|t| l.live_themes.contains(t))
        .collect();
    let theme = s
        .str_at(o, "theme")
        .filter(|t| l.live_themes.contains(t))
        .or_else(|| all.first().cloned());
    PostIt {
        text: s.str_at(o, "text").unwrap_or_default(),
        author: if anonymous || l.hide {
            None
        } else {
            s.str_at(o, "author")
        },
        anonymous,
        theme,
        theme_conflicts: if all.len() > 1 { all } else { Vec::new() },
        colour: s.str_at(o, "colour").unwrap_or_else(|| "yellow".into()),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_group<R: Reader>(
    s: &R,
    id: String,
    o: &ObjId,
    late: bool,
    l: &Links<'_>,
) -> Group {
    let mut ranking: Vec<String> = Vec::new();
    for th in s
        .list_at(o, "ranking")
        .map(|l| s.str_list(&l))
        .unwrap_or_default()
    {
        if l.live_themes.contains(&th) && !ranking.contains(&th) {
            ranking.push(th);
        }
    }
    let unranked = l
        .theme_order
        .iter()
        .filter(|t| !ranking.contains(t))
        .cloned()
        .collect();
    Group {
        name: s.str_at(o, "name").unwrap_or_default(),
        members: s
            .str_set_at(o, "members")
            .into_iter()
            .filter(|m| l.live_people.contains(m.as_str()))
            .collect(),
        ranking,
        unranked,
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_action<R: Reader>(
    s: &R,
    id: String,
    o: &ObjId,
    late: bool,
    l: &Links<'_>,
) -> Action {
    let conflicts = |key: &str| {
        let all = s.all_str_at(o, key);
        if all.len() > 1 { all } else { Vec::new() }
    };
    let mut status_conflicts: Vec<ActionStatus> = conflicts("status")
        .iter()
        .filter_map(|v| ActionStatus::parse(v).ok())
        .collect();
    status_conflicts.dedup();
    if status_conflicts.len() < 2 {
        status_conflicts.clear();
    }
    Action {
        text: s.str_at(o, "text").unwrap_or_default(),
        owner: s.str_at(o, "owner"),
        due: s.str_at(o, "due"),
        status: ActionStatus::parse(&s.str_at(o, "status").unwrap_or_default())
            .unwrap_or(ActionStatus::Open),
        status_conflicts,
        owner_conflicts: conflicts("owner"),
        due_conflicts: conflicts("due"),
        theme: s.str_at(o, "theme").filter(|t| l.live_themes.contains(t)),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_offer<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Offer {
    Offer {
        topic: s.str_at(o, "topic").unwrap_or_default(),
        tags: s
            .list_at(o, "tags")
            .map(|l| s.str_list(&l))
            .unwrap_or_default(),
        people: s.str_set_at(o, "people"),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

pub(super) fn read_request<R: Reader>(s: &R, id: String, o: &ObjId, late: bool) -> Request {
    Request {
        topic: s.str_at(o, "topic").unwrap_or_default(),
        tags: s
            .list_at(o, "tags")
            .map(|l| s.str_list(&l))
            .unwrap_or_default(),
        person: s.str_at(o, "person").unwrap_or_default(),
        from_whom: s.str_set_at(o, "from_whom"),
        created_at: s.i64_at(o, "created_at").unwrap_or(0),
        after_archive: late,
        id,
    }
}

impl Trajectory {
    /// The live items of a collection: (id, object, after_archive), in display order
    /// (`created_at`, then id).
    fn items(
        &self,
        s: &Snapshot<'_>,
        coll: &ObjId,
        filter: &ArchiveFilter,
    ) -> Vec<(String, ObjId, bool)> {
        let before = filter.before(self, coll);
        let mut out: Vec<(i64, String, ObjId, bool)> = s
            .keys(coll)
            .into_iter()
            .filter_map(|id| {
                let (created, obj) = live_item(s, coll, &id)?;
                let late = late(&before, &id);
                Some((created, id, obj, late))
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out.into_iter()
            .map(|(_, id, obj, late)| (id, obj, late))
            .collect()
    }

    pub(super) fn coll_or_none(&self, key: &str) -> Option<ObjId> {
        self.obj(key).ok()
    }

    /// Hydrates the whole read view.
    pub fn view(&self) -> TrajectoryView {
        let s = Snapshot::of(&self.doc);
        let mut v = TrajectoryView {
            schema: s.i64_at(&automerge::ROOT, root::SCHEMA).unwrap_or(0),
            id: self.id(),
            // The safe default when `meta` is missing or not a map.
            phase: 1,
            ..Default::default()
        };
        let filter = ArchiveFilter {
            heads: self.archived_heads(),
        };
        if let Some(meta) = self.coll_or_none(root::META) {
            read_meta(&s, &meta, &mut v);
        }
        if let Some(a) = self.coll_or_none(root::ASSIGNMENTS) {
            v.assignments = read_assignments(&s, &a);
        }
        if let Some(c) = self.coll_or_none(root::PARTICIPANTS) {
            v.participants = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_participant(&s, id, &o, late))
                .collect();
        }
        let live_people: HashSet<String> = v.participants.iter().map(|p| p.id.clone()).collect();
        if let Some(c) = self.coll_or_none(root::PLACEMENTS) {
            let mut placements: Vec<Placement> = s
                .keys(&c)
                .into_iter()
                .filter(|pid| live_people.contains(pid.as_str()))
                .filter_map(|pid| read_placement(&s, &c, pid))
                .collect();
            placements.sort_by(placement_order);
            v.placements = placements;
        }
        if let Some(c) = self.coll_or_none(root::STORIES) {
            let items = self.items(&s, &c, &filter);
            let all = items.len();
            v.stories = items
                .into_iter()
                .filter_map(|(id, o, late)| read_story(&s, id, &o, late))
                .collect();
            v.ignored += all - v.stories.len();
        }
        if let Some(c) = self.coll_or_none(root::LOGBOOK) {
            let items = self.items(&s, &c, &filter);
            let all = items.len();
            v.logbook = items
                .into_iter()
                .filter_map(|(id, o, late)| read_logbook(&s, id, &o, late))
                .collect();
            v.ignored += all - v.logbook.len();
        }
        if let Some(c) = self.coll_or_none(root::IMAGES) {
            v.images = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_image(&s, id, &o, late))
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::THEMES) {
            v.themes = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_theme(&s, id, &o, late))
                .collect();
        }
        let live_themes: HashSet<String> = v.themes.iter().map(|t| t.id.clone()).collect();
        let theme_order: Vec<String> = v.themes.iter().map(|t| t.id.clone()).collect();
        let links = Links {
            live_people: &live_people,
            live_themes: &live_themes,
            theme_order: &theme_order,
            hide: v.hide_postit_authors,
        };
        if let Some(c) = self.coll_or_none(root::POSTITS) {
            v.postits = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_postit(&s, id, &o, late, &links))
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::GROUPS) {
            v.groups = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_group(&s, id, &o, late, &links))
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::ACTIONS) {
            v.actions = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_action(&s, id, &o, late, &links))
                .collect();
        }
        if let Ok(c) = self.market_obj(root::OFFERS) {
            v.offers = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_offer(&s, id, &o, late))
                .collect();
        }
        if let Ok(c) = self.market_obj(root::REQUESTS) {
            v.requests = self
                .items(&s, &c, &filter)
                .into_iter()
                .map(|(id, o, late)| read_request(&s, id, &o, late))
                .collect();
        }
        if self.coll_or_none(root::META).is_none() {
            // `meta` replaced by something that is not a map.
            v.ignored += 1;
        }
        v.enforce_limits();
        v
    }
}
