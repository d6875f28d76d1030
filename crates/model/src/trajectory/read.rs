//! Hydrating the read view from the document.

use std::collections::{BTreeMap, HashSet};

use automerge::{ObjId, ReadDoc};

use super::Trajectory;
use crate::doc_util::{
    all_str_at, bool_at, f64_at, i64_at, keys, list_at, map_at, str_at, str_list, str_set_at,
};
use crate::schema::root;
use crate::view::*;
use crate::{ActionStatus, AssignmentKind, Polarity, Quadrant, Role};

/// Ids that existed when the trajectory was archived, per collection.
struct ArchiveFilter {
    heads: Option<Vec<automerge::ChangeHash>>,
}

impl ArchiveFilter {
    fn before(&self, t: &Trajectory, coll: &ObjId) -> Option<HashSet<String>> {
        self.heads
            .as_ref()
            .map(|h| t.doc.keys_at(coll, h).collect())
    }
}

fn late(before: &Option<HashSet<String>>, id: &str) -> bool {
    before.as_ref().is_some_and(|b| !b.contains(id))
}

impl Trajectory {
    /// The live items of a collection: (id, object, after_archive), in display order
    /// (`created_at`, then id).
    fn items(&self, coll: &ObjId, filter: &ArchiveFilter) -> Vec<(String, ObjId, bool)> {
        let before = filter.before(self, coll);
        let mut out: Vec<(i64, String, ObjId, bool)> = keys(&self.doc, coll)
            .into_iter()
            .filter_map(|id| {
                let obj = map_at(&self.doc, coll, &id)?;
                if i64_at(&self.doc, &obj, "deleted_at").is_some() {
                    return None;
                }
                let created = i64_at(&self.doc, &obj, "created_at")
                    .or_else(|| i64_at(&self.doc, &obj, "joined_at"))
                    .unwrap_or(0);
                let late = late(&before, &id);
                Some((created, id, obj, late))
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out.into_iter()
            .map(|(_, id, obj, late)| (id, obj, late))
            .collect()
    }

    fn coll_or_none(&self, key: &str) -> Option<ObjId> {
        self.obj(key).ok()
    }

    /// Hydrates the whole read view.
    pub fn view(&self) -> TrajectoryView {
        let d = &self.doc;
        let mut v = TrajectoryView {
            schema: i64_at(d, &automerge::ROOT, root::SCHEMA).unwrap_or(0),
            id: self.id(),
            ..Default::default()
        };
        let filter = ArchiveFilter {
            heads: self.archived_heads(),
        };
        if let Some(meta) = self.coll_or_none(root::META) {
            v.title = str_at(d, &meta, "title").unwrap_or_default();
            v.school = str_at(d, &meta, "school").unwrap_or_default();
            v.initiator = str_at(d, &meta, "initiator");
            v.phase = i64_at(d, &meta, "phase")
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(1)
                .clamp(1, 5);
            v.created_at = i64_at(d, &meta, "created_at").unwrap_or(0);
            if let Some(dates) = map_at(d, &meta, "dates") {
                v.dates = keys(d, &dates)
                    .into_iter()
                    .filter_map(|k| str_at(d, &dates, &k).map(|s| (k, s)))
                    .collect::<BTreeMap<_, _>>();
            }
            v.letter = str_at(d, &meta, "letter").unwrap_or_default();
            v.hide_postit_authors = bool_at(d, &meta, "hide_postit_authors").unwrap_or(false);
            v.revealed_at = i64_at(d, &meta, "revealed_at");
            v.silent_since = i64_at(d, &meta, "silent_since");
            v.workshop_timer = map_at(d, &meta, "workshop_timer").and_then(|w| {
                Some(WorkshopTimer {
                    started_at: i64_at(d, &w, "started_at")?,
                    minutes: i64_at(d, &w, "minutes")?,
                })
            });
            v.archived = map_at(d, &meta, "archived").map(|a| ArchiveInfo {
                at: i64_at(d, &a, "at").unwrap_or(0),
                by: str_at(d, &a, "by").unwrap_or_default(),
                heads: list_at(d, &a, "heads")
                    .map(|l| str_list(d, &l))
                    .unwrap_or_default(),
            });
        }
        if let Some(a) = self.coll_or_none(root::ASSIGNMENTS) {
            v.assignments = AssignmentKind::ALL
                .into_iter()
                .filter(|k| bool_at(d, &a, k.slug()).unwrap_or(false))
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::PARTICIPANTS) {
            v.participants = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| Participant {
                    name: str_at(d, &o, "name").unwrap_or_default(),
                    role: Role::parse(&str_at(d, &o, "role").unwrap_or_default())
                        .unwrap_or(Role::Anders),
                    joined_at: i64_at(d, &o, "joined_at").unwrap_or(0),
                    devices: map_at(d, &o, "devices")
                        .map(|m| keys(d, &m))
                        .unwrap_or_default(),
                    after_archive: late,
                    id,
                })
                .collect();
        }
        let live_people: HashSet<&str> = v.participants.iter().map(|p| p.id.as_str()).collect();
        if let Some(c) = self.coll_or_none(root::PLACEMENTS) {
            let mut placements: Vec<Placement> = keys(d, &c)
                .into_iter()
                .filter(|pid| live_people.contains(pid.as_str()))
                .filter_map(|pid| {
                    let o = map_at(d, &c, &pid)?;
                    Some(Placement {
                        value: u8::try_from(i64_at(d, &o, "value")?.clamp(0, 100)).ok()?,
                        note: str_at(d, &o, "note").unwrap_or_default(),
                        updated_at: i64_at(d, &o, "updated_at").unwrap_or(0),
                        participant: pid,
                    })
                })
                .collect();
            placements.sort_by(|a, b| (a.value, &a.participant).cmp(&(b.value, &b.participant)));
            v.placements = placements;
        }
        if let Some(c) = self.coll_or_none(root::STORIES) {
            v.stories = self
                .items(&c, &filter)
                .into_iter()
                .filter_map(|(id, o, late)| {
                    let kind = AssignmentKind::parse(&str_at(d, &o, "kind")?).ok()?;
                    let answers = map_at(d, &o, "answers")
                        .map(|a| {
                            keys(d, &a)
                                .into_iter()
                                .filter_map(|q| str_at(d, &a, &q).map(|t| (q, t)))
                                .collect()
                        })
                        .unwrap_or_default();
                    Some(Story {
                        kind,
                        author: str_at(d, &o, "author").unwrap_or_default(),
                        colleague: str_at(d, &o, "colleague"),
                        times_past_week: i64_at(d, &o, "times_past_week"),
                        answers,
                        created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                        shared_at: i64_at(d, &o, "shared_at").unwrap_or(0),
                        after_archive: late,
                        id,
                    })
                })
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::LOGBOOK) {
            v.logbook = self
                .items(&c, &filter)
                .into_iter()
                .filter_map(|(id, o, late)| {
                    Some(LogbookEntry {
                        author: str_at(d, &o, "author").unwrap_or_default(),
                        quadrant: Quadrant::parse(&str_at(d, &o, "quadrant")?).ok()?,
                        hours: f64_at(d, &o, "hours").unwrap_or(0.0),
                        text: str_at(d, &o, "text").unwrap_or_default(),
                        created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                        after_archive: late,
                        id,
                    })
                })
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::IMAGES) {
            v.images = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| Image {
                    author: str_at(d, &o, "author").unwrap_or_default(),
                    caption: str_at(d, &o, "caption").unwrap_or_default(),
                    blob: str_at(d, &o, "blob").unwrap_or_default(),
                    mime: str_at(d, &o, "mime").unwrap_or_default(),
                    width: i64_at(d, &o, "width")
                        .and_then(|w| u32::try_from(w).ok())
                        .unwrap_or(0),
                    height: i64_at(d, &o, "height")
                        .and_then(|w| u32::try_from(w).ok())
                        .unwrap_or(0),
                    created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                    after_archive: late,
                    id,
                })
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::THEMES) {
            v.themes = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| {
                    let all = all_str_at(d, &o, "title");
                    Theme {
                        title: str_at(d, &o, "title").unwrap_or_default(),
                        title_conflicts: if all.len() > 1 { all } else { Vec::new() },
                        polarity: Polarity::parse(&str_at(d, &o, "polarity").unwrap_or_default())
                            .unwrap_or(Polarity::Positive),
                        created_by: str_at(d, &o, "created_by"),
                        created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                        after_archive: late,
                        id,
                    }
                })
                .collect();
        }
        let live_themes: HashSet<String> = v.themes.iter().map(|t| t.id.clone()).collect();
        if let Some(c) = self.coll_or_none(root::POSTITS) {
            let hide = v.hide_postit_authors;
            v.postits = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| {
                    let anonymous = bool_at(d, &o, "anonymous").unwrap_or(false);
                    let all: Vec<String> = all_str_at(d, &o, "theme")
                        .into_iter()
                        .filter(|t| live_themes.contains(t))
                        .collect();
                    let theme = str_at(d, &o, "theme")
                        .filter(|t| live_themes.contains(t))
                        .or_else(|| all.first().cloned());
                    PostIt {
                        text: str_at(d, &o, "text").unwrap_or_default(),
                        author: if anonymous || hide {
                            None
                        } else {
                            str_at(d, &o, "author")
                        },
                        anonymous,
                        theme,
                        theme_conflicts: if all.len() > 1 { all } else { Vec::new() },
                        colour: str_at(d, &o, "colour").unwrap_or_else(|| "yellow".into()),
                        created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                        after_archive: late,
                        id,
                    }
                })
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::GROUPS) {
            let theme_order: Vec<String> = v.themes.iter().map(|t| t.id.clone()).collect();
            v.groups = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| {
                    let mut ranking: Vec<String> = Vec::new();
                    for th in list_at(d, &o, "ranking")
                        .map(|l| str_list(d, &l))
                        .unwrap_or_default()
                    {
                        if live_themes.contains(&th) && !ranking.contains(&th) {
                            ranking.push(th);
                        }
                    }
                    let unranked = theme_order
                        .iter()
                        .filter(|t| !ranking.contains(t))
                        .cloned()
                        .collect();
                    Group {
                        name: str_at(d, &o, "name").unwrap_or_default(),
                        members: str_set_at(d, &o, "members")
                            .into_iter()
                            .filter(|m| live_people.contains(m.as_str()))
                            .collect(),
                        ranking,
                        unranked,
                        created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                        after_archive: late,
                        id,
                    }
                })
                .collect();
        }
        if let Some(c) = self.coll_or_none(root::ACTIONS) {
            v.actions = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| Action {
                    text: str_at(d, &o, "text").unwrap_or_default(),
                    owner: str_at(d, &o, "owner"),
                    due: str_at(d, &o, "due"),
                    status: ActionStatus::parse(&str_at(d, &o, "status").unwrap_or_default())
                        .unwrap_or(ActionStatus::Open),
                    theme: str_at(d, &o, "theme").filter(|t| live_themes.contains(t)),
                    created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                    after_archive: late,
                    id,
                })
                .collect();
        }
        if let Ok(c) = self.market_obj(root::OFFERS) {
            v.offers = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| Offer {
                    topic: str_at(d, &o, "topic").unwrap_or_default(),
                    tags: list_at(d, &o, "tags")
                        .map(|l| str_list(d, &l))
                        .unwrap_or_default(),
                    people: str_set_at(d, &o, "people"),
                    created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                    after_archive: late,
                    id,
                })
                .collect();
        }
        if let Ok(c) = self.market_obj(root::REQUESTS) {
            v.requests = self
                .items(&c, &filter)
                .into_iter()
                .map(|(id, o, late)| Request {
                    topic: str_at(d, &o, "topic").unwrap_or_default(),
                    tags: list_at(d, &o, "tags")
                        .map(|l| str_list(d, &l))
                        .unwrap_or_default(),
                    person: str_at(d, &o, "person").unwrap_or_default(),
                    from_whom: str_set_at(d, &o, "from_whom"),
                    created_at: i64_at(d, &o, "created_at").unwrap_or(0),
                    after_archive: late,
                    id,
                })
                .collect();
        }
        v
    }
}
