#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The incremental read view (`Trajectory::view_since`) gives exactly what the full view gives:
//! three replicas apply random edits (adds, edits, soft deletes and restores, moves, rankings,
//! hidden authors, archive and unarchive) and merge each other's changes in random orders
//! (conflicts: a theme renamed or a post-it moved on two replicas at once); after every step,
//! every replica's view brought up to date from its previous one equals its full view.

use leerrijk_model::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    AddTheme(String, bool),
    RenameTheme(usize, String),
    DeleteTheme(usize),
    RestoreTheme(usize),
    AddPostIt(String, Option<usize>, bool),
    MovePostIt(usize, Option<usize>),
    SetPostItText(usize, String),
    DeletePostIt(usize),
    RestorePostIt(usize),
    AddParticipant(String),
    RemoveParticipant(usize),
    Place(usize, i64),
    AddGroup(String),
    Member(usize, usize, bool),
    Rank(usize, usize, usize),
    DeleteGroup(usize),
    AddAction(String, Option<usize>),
    AddOffer(String, String),
    JoinOffer(usize, String),
    AddRequest(String, String),
    DeleteOffer(usize),
    AddLogbook(usize, f64),
    AddStory(usize, String),
    SetPhase(i64),
    HideAuthors(bool),
    SilentWriting,
    Archive,
    Unarchive,
}

fn word() -> impl Strategy<Value = String> {
    "[a-z]{1,8}( [a-z]{1,8})?"
}

fn op() -> impl Strategy<Value = Op> {
    let any_i = || any::<usize>();
    prop_oneof![
        3 => (word(), any::<bool>()).prop_map(|(t, p)| Op::AddTheme(t, p)),
        2 => (any_i(), word()).prop_map(|(i, t)| Op::RenameTheme(i, t)),
        1 => any_i().prop_map(Op::DeleteTheme),
        1 => any_i().prop_map(Op::RestoreTheme),
        4 => (word(), proptest::option::of(any_i()), any::<bool>())
            .prop_map(|(t, th, a)| Op::AddPostIt(t, th, a)),
        5 => (any_i(), proptest::option::of(any_i())).prop_map(|(p, th)| Op::MovePostIt(p, th)),
        2 => (any_i(), word()).prop_map(|(p, t)| Op::SetPostItText(p, t)),
        1 => any_i().prop_map(Op::DeletePostIt),
        1 => any_i().prop_map(Op::RestorePostIt),
        1 => word().prop_map(Op::AddParticipant),
        1 => any_i().prop_map(Op::RemoveParticipant),
        1 => (any_i(), 0i64..=100).prop_map(|(p, v)| Op::Place(p, v)),
        1 => word().prop_map(Op::AddGroup),
        1 => (any_i(), any_i(), any::<bool>()).prop_map(|(g, p, m)| Op::Member(g, p, m)),
        2 => (any_i(), any_i(), 0usize..6).prop_map(|(g, t, pos)| Op::Rank(g, t, pos)),
        1 => any_i().prop_map(Op::DeleteGroup),
        1 => (word(), proptest::option::of(any_i())).prop_map(|(t, th)| Op::AddAction(t, th)),
        1 => (word(), word()).prop_map(|(t, p)| Op::AddOffer(t, p)),
        1 => (any_i(), word()).prop_map(|(o, p)| Op::JoinOffer(o, p)),
        1 => (word(), word()).prop_map(|(t, p)| Op::AddRequest(t, p)),
        1 => any_i().prop_map(Op::DeleteOffer),
        1 => (any_i(), 0.0f64..20.0).prop_map(|(p, h)| Op::AddLogbook(p, h)),
        1 => (any_i(), word()).prop_map(|(p, t)| Op::AddStory(p, t)),
        1 => (1i64..=5).prop_map(Op::SetPhase),
        1 => any::<bool>().prop_map(Op::HideAuthors),
        1 => Just(Op::SilentWriting),
        1 => Just(Op::Archive),
        1 => Just(Op::Unarchive),
    ]
}

#[derive(Clone, Debug)]
enum Step {
    /// An edit on one replica.
    Edit(usize, Op),
    /// Replica `.1` merges replica `.0`'s changes.
    Merge(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, op()).prop_map(|(r, o)| Step::Edit(r, o)),
        1 => (0usize..3, 0usize..3).prop_map(|(a, b)| Step::Merge(a, b)),
    ]
}

/// Every id ever seen per collection (deleted ones too, for restores).
#[derive(Default)]
struct Ids {
    themes: Vec<String>,
    postits: Vec<String>,
    people: Vec<String>,
    groups: Vec<String>,
    offers: Vec<String>,
}

fn pick(items: &[String], i: usize) -> Option<String> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

/// Applies one op. Edits the model refuses (a deleted item, an archived trajectory) are
/// skipped: the views are compared either way.
fn apply(t: &mut Trajectory, init: &str, ids: &mut Ids, op: &Op) {
    let keep = |list: &mut Vec<String>, r: Result<String, ModelError>| {
        if let Ok(id) = r {
            list.push(id);
        }
    };
    match op {
        Op::AddTheme(title, pos) => {
            let pol = if *pos {
                Polarity::Positive
            } else {
                Polarity::Negative
            };
            keep(&mut ids.themes, t.add_theme(title, pol, Some(init)));
        }
        Op::RenameTheme(i, title) => {
            if let Some(th) = pick(&ids.themes, *i) {
                let _ = t.rename_theme(&th, title);
            }
        }
        Op::DeleteTheme(i) => {
            if let Some(th) = pick(&ids.themes, *i) {
                let _ = t.delete_theme(&th);
            }
        }
        Op::RestoreTheme(i) => {
            if let Some(th) = pick(&ids.themes, *i) {
                let _ = t.restore_theme(&th);
            }
        }
        Op::AddPostIt(text, th, anonymous) => {
            let theme = th.and_then(|i| pick(&ids.themes, i));
            let author = pick(&ids.people, text.len());
            let r = t.add_postit(NewPostIt {
                text: text.clone(),
                theme,
                author,
                anonymous: *anonymous,
                ..Default::default()
            });
            keep(&mut ids.postits, r);
        }
        Op::MovePostIt(p, th) => {
            if let Some(p) = pick(&ids.postits, *p) {
                let theme = th.and_then(|i| pick(&ids.themes, i));
                let _ = t.move_postit(&p, theme.as_deref());
            }
        }
        Op::SetPostItText(p, text) => {
            if let Some(p) = pick(&ids.postits, *p) {
                let _ = t.set_postit_text(&p, text);
            }
        }
        Op::DeletePostIt(p) => {
            if let Some(p) = pick(&ids.postits, *p) {
                let _ = t.delete_postit(&p);
            }
        }
        Op::RestorePostIt(p) => {
            if let Some(p) = pick(&ids.postits, *p) {
                let _ = t.restore_postit(&p, "terug");
            }
        }
        Op::AddParticipant(name) => {
            keep(&mut ids.people, t.add_participant(name, Role::Leerkracht));
        }
        Op::RemoveParticipant(p) => {
            if let Some(p) = pick(&ids.people, *p).filter(|p| p != init) {
                let _ = t.remove_participant(&p);
            }
        }
        Op::Place(p, val) => {
            if let Some(p) = pick(&ids.people, *p) {
                let _ = t.set_placement(&p, *val, "noot");
            }
        }
        Op::AddGroup(name) => {
            let members: Vec<String> = ids.people.iter().take(2).cloned().collect();
            keep(&mut ids.groups, t.add_group(name, &members));
        }
        Op::Member(g, p, m) => {
            if let (Some(g), Some(p)) = (pick(&ids.groups, *g), pick(&ids.people, *p)) {
                let _ = t.set_group_member(&g, &p, *m);
            }
        }
        Op::Rank(g, th, pos) => {
            if let (Some(g), Some(th)) = (pick(&ids.groups, *g), pick(&ids.themes, *th)) {
                let _ = t.rank_theme(&g, &th, *pos);
            }
        }
        Op::DeleteGroup(g) => {
            if let Some(g) = pick(&ids.groups, *g) {
                let _ = t.delete_group(&g);
            }
        }
        Op::AddAction(text, th) => {
            let _ = t.add_action(NewAction {
                text: text.clone(),
                owner: Some(init.to_owned()),
                due: None,
                theme: th.and_then(|i| pick(&ids.themes, i)),
                status: ActionStatus::Open,
            });
        }
        Op::AddOffer(topic, person) => {
            keep(
                &mut ids.offers,
                t.add_offer(topic, std::slice::from_ref(person), &[]),
            );
        }
        Op::JoinOffer(o, person) => {
            if let Some(o) = pick(&ids.offers, *o) {
                let _ = t.add_offer_person(&o, person);
            }
        }
        Op::AddRequest(topic, person) => {
            let _ = t.add_request(topic, person, &[], &[]);
        }
        Op::DeleteOffer(o) => {
            if let Some(o) = pick(&ids.offers, *o) {
                let _ = t.delete_offer(&o);
            }
        }
        Op::AddLogbook(p, hours) => {
            if let Some(p) = pick(&ids.people, *p) {
                let _ = t.add_logbook_entry(NewLogbookEntry {
                    author: p,
                    quadrant: Quadrant::EasyFun,
                    hours: *hours,
                    text: "les".into(),
                });
            }
        }
        Op::AddStory(p, text) => {
            if let Some(p) = pick(&ids.people, *p) {
                let _ = t.add_story(NewStory {
                    kind: AssignmentKind::Satisfaction,
                    author: p,
                    colleague: None,
                    times_past_week: None,
                    answers: vec![("q5".into(), text.clone())],
                });
            }
        }
        Op::SetPhase(p) => {
            let _ = t.set_phase(init, *p);
        }
        Op::HideAuthors(h) => {
            let _ = t.set_hide_postit_authors(init, *h);
        }
        Op::SilentWriting => {
            let _ = t.start_silent_writing(init);
        }
        Op::Archive => {
            let _ = t.archive(init);
        }
        Op::Unarchive => {
            let _ = t.unarchive(init);
        }
    }
}

/// One replica with the view it last showed and that view's heads, and a second view updated
/// in place only every third step (a view several changes behind, as the GUI's spare one).
struct Replica {
    t: Trajectory,
    shown: TrajectoryView,
    heads: Vec<automerge::ChangeHash>,
    behind: TrajectoryView,
    behind_heads: Vec<automerge::ChangeHash>,
    steps: usize,
}

impl Replica {
    fn new(mut t: Trajectory) -> Self {
        let u = t.view_with_heads();
        Replica {
            t,
            behind: u.view.clone(),
            behind_heads: u.heads.clone(),
            shown: u.view,
            heads: u.heads,
            steps: 0,
        }
    }

    /// Brings the shown view up to date incrementally and checks it against the full view.
    /// Returns whether it was made item by item.
    fn check(&mut self) -> bool {
        let u = self.t.view_since(&self.shown, &self.heads);
        let full = self.t.view();
        assert_eq!(u.view, full, "incremental view ({:?}) differs", u.how);
        self.steps += 1;
        if self.steps.is_multiple_of(3) {
            let how = self.t.update_view(&mut self.behind, &mut self.behind_heads);
            assert_eq!(self.behind, full, "view updated in place ({how:?}) differs");
            assert_eq!(self.behind_heads, u.heads);
        }
        self.shown = u.view;
        self.heads = u.heads;
        matches!(u.how, ViewUpdate::Items(_))
    }
}

fn replicas() -> (Vec<Replica>, String, Ids) {
    let (mut a, init) = Trajectory::create(
        "Leren loont",
        "De Regenboog",
        "Anja",
        Role::Directie,
        Clock::manual(1_000),
    )
    .unwrap();
    let mut ids = Ids::default();
    ids.people.push(init.clone());
    ids.people
        .push(a.add_participant("Bram", Role::Ib).unwrap());
    ids.themes
        .push(a.add_theme("Samen", Polarity::Positive, None).unwrap());
    ids.themes
        .push(a.add_theme("Werkdruk", Polarity::Negative, None).unwrap());
    let b = Trajectory::from_doc(a.doc_mut().fork())
        .unwrap()
        .with_clock(Clock::manual(1_000));
    let c = Trajectory::from_doc(a.doc_mut().fork())
        .unwrap()
        .with_clock(Clock::manual(1_003));
    (
        vec![Replica::new(a), Replica::new(b), Replica::new(c)],
        init,
        ids,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn incremental_view_equals_full_view(steps in proptest::collection::vec(step(), 1..60)) {
        let (mut rs, init, mut ids) = replicas();
        let mut item_updates = 0;
        // Edits that changed the document and can be shown item by item (the others always
        // rebuild the whole view: trajectory-wide settings, and edits on a replica that has
        // seen the archive, which refuses them).
        let mut itemwise_edits = 0;
        let mut archived = false;
        for s in &steps {
            match s {
                Step::Edit(r, op) => {
                    let before = rs[*r].t.doc_mut().get_heads();
                    apply(&mut rs[*r].t, &init, &mut ids, op);
                    let changed = rs[*r].t.doc_mut().get_heads() != before;
                    archived |= matches!(op, Op::Archive);
                    let wide = matches!(
                        op,
                        Op::Archive
                            | Op::Unarchive
                            | Op::HideAuthors(_)
                            | Op::SilentWriting
                            | Op::SetPhase(_)
                            | Op::RestoreTheme(_)
                    );
                    if changed && !wide && !archived {
                        itemwise_edits += 1;
                    }
                }
                Step::Merge(from, to) if from != to => {
                    let mut other = rs[*from].t.doc_mut().fork();
                    rs[*to].t.doc_mut().merge(&mut other).unwrap();
                }
                Step::Merge(..) => {}
            }
            for r in &mut rs {
                item_updates += usize::from(r.check());
            }
        }
        prop_assert!(
            itemwise_edits < 6 || item_updates > 0,
            "no update was made item by item ({itemwise_edits} edits could have been)"
        );
    }
}

/// A rename on two replicas at once, merged: the conflict shows in the incremental view, and
/// goes away when one of the names is chosen.
#[test]
fn conflicts_appear_and_settle_incrementally() {
    let (mut rs, _init, ids) = replicas();
    let th = ids.themes[0].clone();
    let p = rs[0]
        .t
        .add_postit(NewPostIt {
            text: "x".into(),
            ..Default::default()
        })
        .unwrap();
    let mut fork = rs[0].t.doc_mut().fork();
    rs[1].t.doc_mut().merge(&mut fork).unwrap();
    assert!(rs[0].check() && rs[1].check());
    rs[0].t.rename_theme(&th, "Tijd").unwrap();
    rs[1].t.rename_theme(&th, "Ruimte").unwrap();
    rs[0].t.move_postit(&p, Some(&ids.themes[0])).unwrap();
    rs[1].t.move_postit(&p, Some(&ids.themes[1])).unwrap();
    let mut fork = rs[1].t.doc_mut().fork();
    rs[0].t.doc_mut().merge(&mut fork).unwrap();
    assert!(rs[0].check(), "a small merge is applied item by item");
    assert_eq!(rs[0].shown.themes[0].title_conflicts.len(), 2);
    assert_eq!(rs[0].shown.postits[0].theme_conflicts.len(), 2);
    rs[0].t.rename_theme(&th, "Tijd").unwrap();
    rs[0].t.move_postit(&p, None).unwrap();
    assert!(rs[0].check());
    assert!(rs[0].shown.themes[0].title_conflicts.is_empty());
    assert_eq!(rs[0].shown.postits[0].theme, None);
    // Removing a theme takes its post-its back to the loose pile, item by item.
    rs[0].t.move_postit(&p, Some(&th)).unwrap();
    assert!(rs[0].check());
    rs[0].t.delete_theme(&th).unwrap();
    assert!(rs[0].check());
    assert_eq!(rs[0].shown.postits[0].theme, None);
    assert!(rs[0].shown.groups.iter().all(|g| !g.unranked.contains(&th)));
}
