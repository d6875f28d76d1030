//! Convergence property: 2–5 replicas apply random sequences of model edits concurrently, merge
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! in random orders, and end identical; no added item is lost; rankings never show a duplicate
//! or a deleted theme.

use std::collections::HashSet;

use leerrijk_model::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    AddTheme(String, bool),
    RenameTheme(usize, String),
    DeleteTheme(usize),
    AddPostIt(String, Option<usize>),
    MovePostIt(usize, Option<usize>),
    DeletePostIt(usize),
    AddParticipant(String),
    Place(usize, i64),
    AddGroup(String),
    Rank(usize, usize, usize),
    SetRanking(usize, Vec<usize>),
    AddAction(String),
    AddOffer(String, String),
    AddRequest(String, String),
    AddLogbook(usize, f64),
}

fn word() -> impl Strategy<Value = String> {
    "[a-z]{1,8}( [a-z]{1,8})?"
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (word(), any::<bool>()).prop_map(|(t, p)| Op::AddTheme(t, p)),
        (any::<usize>(), word()).prop_map(|(i, t)| Op::RenameTheme(i, t)),
        any::<usize>().prop_map(Op::DeleteTheme),
        (word(), proptest::option::of(any::<usize>())).prop_map(|(t, th)| Op::AddPostIt(t, th)),
        (any::<usize>(), proptest::option::of(any::<usize>()))
            .prop_map(|(p, th)| Op::MovePostIt(p, th)),
        any::<usize>().prop_map(Op::DeletePostIt),
        word().prop_map(Op::AddParticipant),
        (any::<usize>(), 0i64..=100).prop_map(|(p, v)| Op::Place(p, v)),
        word().prop_map(Op::AddGroup),
        (any::<usize>(), any::<usize>(), 0usize..6).prop_map(|(g, t, pos)| Op::Rank(g, t, pos)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<usize>(), 0..5)
        )
            .prop_map(|(g, ts)| Op::SetRanking(g, ts)),
        word().prop_map(Op::AddAction),
        (word(), word()).prop_map(|(t, p)| Op::AddOffer(t, p)),
        (word(), word()).prop_map(|(t, p)| Op::AddRequest(t, p)),
        (any::<usize>(), 0.0f64..20.0).prop_map(|(p, h)| Op::AddLogbook(p, h)),
    ]
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

/// Applies one op; returns (added id, deleted id). Invalid picks are skipped; model errors for
/// valid input would fail the test.
fn apply(t: &mut Trajectory, op: &Op) -> (Option<String>, Option<String>) {
    let v = t.view();
    let themes: Vec<String> = v.themes.iter().map(|x| x.id.clone()).collect();
    let postits: Vec<String> = v.postits.iter().map(|x| x.id.clone()).collect();
    let people: Vec<String> = v.participants.iter().map(|x| x.id.clone()).collect();
    let groups: Vec<String> = v.groups.iter().map(|x| x.id.clone()).collect();
    match op {
        Op::AddTheme(title, pos) => {
            let pol = if *pos {
                Polarity::Positive
            } else {
                Polarity::Negative
            };
            (Some(t.add_theme(title, pol, None).unwrap()), None)
        }
        Op::RenameTheme(i, title) => {
            if let Some(th) = pick(&themes, *i) {
                t.rename_theme(&th, title).unwrap();
            }
            (None, None)
        }
        Op::DeleteTheme(i) => match pick(&themes, *i) {
            Some(th) => {
                t.delete_theme(&th).unwrap();
                (None, Some(th))
            }
            None => (None, None),
        },
        Op::AddPostIt(text, th) => {
            let theme = th.and_then(|i| pick(&themes, i));
            (
                Some(
                    t.add_postit(NewPostIt {
                        text: text.clone(),
                        theme,
                        ..Default::default()
                    })
                    .unwrap(),
                ),
                None,
            )
        }
        Op::MovePostIt(p, th) => {
            if let Some(p) = pick(&postits, *p) {
                let theme = th.and_then(|i| pick(&themes, i));
                t.move_postit(&p, theme.as_deref()).unwrap();
            }
            (None, None)
        }
        Op::DeletePostIt(p) => match pick(&postits, *p) {
            Some(p) => {
                t.delete_postit(&p).unwrap();
                (None, Some(p))
            }
            None => (None, None),
        },
        Op::AddParticipant(name) => (
            Some(t.add_participant(name, Role::Leerkracht).unwrap()),
            None,
        ),
        Op::Place(p, val) => {
            if let Some(p) = pick(&people, *p) {
                t.set_placement(&p, *val, "").unwrap();
            }
            (None, None)
        }
        Op::AddGroup(name) => (Some(t.add_group(name, &[]).unwrap()), None),
        Op::Rank(g, th, pos) => {
            if let (Some(g), Some(th)) = (pick(&groups, *g), pick(&themes, *th)) {
                t.rank_theme(&g, &th, *pos).unwrap();
            }
            (None, None)
        }
        Op::SetRanking(g, ts) => {
            if let Some(g) = pick(&groups, *g) {
                let mut order: Vec<String> = Vec::new();
                for i in ts {
                    if let Some(th) = pick(&themes, *i)
                        && !order.contains(&th)
                    {
                        order.push(th);
                    }
                }
                t.set_ranking(&g, &order).unwrap();
            }
            (None, None)
        }
        Op::AddAction(text) => (
            Some(
                t.add_action(NewAction {
                    text: text.clone(),
                    owner: None,
                    due: None,
                    theme: None,
                    status: ActionStatus::Open,
                })
                .unwrap(),
            ),
            None,
        ),
        Op::AddOffer(topic, person) => (
            Some(
                t.add_offer(topic, std::slice::from_ref(person), &[])
                    .unwrap(),
            ),
            None,
        ),
        Op::AddRequest(topic, person) => {
            (Some(t.add_request(topic, person, &[], &[]).unwrap()), None)
        }
        Op::AddLogbook(p, hours) => match pick(&people, *p) {
            Some(p) => (
                Some(
                    t.add_logbook_entry(NewLogbookEntry {
                        author: p,
                        quadrant: Quadrant::HardFun,
                        hours: *hours,
                        text: "x".into(),
                    })
                    .unwrap(),
                ),
                None,
            ),
            None => (None, None),
        },
    }
}

fn all_ids(v: &TrajectoryView) -> HashSet<String> {
    let mut s = HashSet::new();
    s.extend(v.themes.iter().map(|x| x.id.clone()));
    s.extend(v.postits.iter().map(|x| x.id.clone()));
    s.extend(v.participants.iter().map(|x| x.id.clone()));
    s.extend(v.groups.iter().map(|x| x.id.clone()));
    s.extend(v.actions.iter().map(|x| x.id.clone()));
    s.extend(v.offers.iter().map(|x| x.id.clone()));
    s.extend(v.requests.iter().map(|x| x.id.clone()));
    s.extend(v.logbook.iter().map(|x| x.id.clone()));
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge(
        base_ops in proptest::collection::vec(op(), 0..8),
        replica_ops in proptest::collection::vec(proptest::collection::vec(op(), 0..14), 2..=5),
        merge_seed in any::<u64>(),
    ) {
        let (mut base, _) = Trajectory::create("T", "S", "Init", Role::Directie, Clock::System).unwrap();
        for op in &base_ops {
            apply(&mut base, op);
        }
        let n = replica_ops.len();
        let mut replicas: Vec<Trajectory> =
            (0..n).map(|_| Trajectory::from_doc(base.doc_mut().fork()).unwrap()).collect();
        let mut added = HashSet::new();
        let mut deleted = HashSet::new();
        for (r, ops) in replicas.iter_mut().zip(&replica_ops) {
            for op in ops {
                let (a, d) = apply(r, op);
                added.extend(a);
                deleted.extend(d);
            }
        }
        // Each replica merges every other, in a pseudo-random order per replica.
        let mut rng = merge_seed;
        for i in 0..n {
            let mut order: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            for k in (1..order.len()).rev() {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(k, (rng >> 33) as usize % (k + 1));
            }
            for j in order {
                let mut other = replicas[j].doc_mut().fork();
                replicas[i].doc_mut().merge(&mut other).unwrap();
            }
        }
        let heads0 = replicas[0].heads();
        let view0 = replicas[0].view();
        for r in replicas.iter_mut().skip(1) {
            prop_assert_eq!(r.heads(), heads0.clone());
            prop_assert_eq!(r.view(), view0.clone());
        }
        let present = all_ids(&view0);
        for id in added.difference(&deleted) {
            prop_assert!(present.contains(id), "added item {} lost", id);
        }
        let live: HashSet<&str> = view0.themes.iter().map(|t| t.id.as_str()).collect();
        for g in &view0.groups {
            let mut seen = HashSet::new();
            for th in &g.ranking {
                prop_assert!(seen.insert(th), "duplicate {} in ranking", th);
                prop_assert!(live.contains(th.as_str()), "deleted theme {} in ranking", th);
            }
            prop_assert_eq!(g.ranking.len() + g.unranked.len(), view0.themes.len());
        }
        for p in &view0.postits {
            if let Some(th) = &p.theme {
                prop_assert!(live.contains(th.as_str()));
            }
        }
    }
}
