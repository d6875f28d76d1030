//! Suggesting ranking groups of about four that mix roles (phase 4, "alle stemmen horen": no
//! group should be all teachers while the director and the IB'er sit together).

use std::collections::BTreeMap;

use crate::{Role, TrajectoryView};

/// The group size the publication suggests for the sorting exercise.
pub const SUGGESTED_GROUP_SIZE: usize = 4;

/// Splits the participants into groups of about `size` people that mix roles.
///
/// * The number of groups is `participants / size`, rounded to the nearest whole number (at
///   least one), so ten people in groups of four make three groups (4, 3, 3) and nine make two
///   (5, 4). Group sizes differ by at most one.
/// * People are placed one by one, rarest role first; each goes to the group with the fewest
///   people of the same role among those that still have room, then the smallest, then the
///   first. So a role held by fewer people than there are groups never appears twice in a group,
///   and a common role is spread evenly.
///
/// Returns participant ids per group, in participant order within a group. Deterministic: the
/// same view gives the same suggestion. `size` 0 is treated as 1.
pub fn suggest_groups(v: &TrajectoryView, size: usize) -> Vec<Vec<String>> {
    let size = size.max(1);
    let n = v.participants.len();
    if n == 0 {
        return Vec::new();
    }
    let groups = ((n + size / 2) / size).max(1);
    let capacity = n.div_ceil(groups);
    let mut per_role: BTreeMap<Role, usize> = BTreeMap::new();
    for p in &v.participants {
        *per_role.entry(p.role).or_default() += 1;
    }
    // Rarest role first; within a role, participant order (the view's display order).
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        let role = v.participants[i].role;
        (per_role.get(&role).copied().unwrap_or(0), role, i)
    });
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for i in order {
        let role = v.participants[i].role;
        let best = (0..groups)
            .filter(|&g| members[g].len() < capacity)
            .min_by_key(|&g| {
                let same = members[g]
                    .iter()
                    .filter(|&&m| v.participants[m].role == role)
                    .count();
                (same, members[g].len(), g)
            });
        if let Some(g) = best {
            members[g].push(i);
        }
    }
    members
        .into_iter()
        .map(|mut g| {
            g.sort_unstable();
            g.into_iter()
                .map(|i| v.participants[i].id.clone())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Participant;

    fn view(roles: &[Role]) -> TrajectoryView {
        TrajectoryView {
            participants: roles
                .iter()
                .enumerate()
                .map(|(i, r)| Participant {
                    id: format!("p{i}"),
                    name: format!("N{i}"),
                    role: *r,
                    joined_at: i as i64,
                    devices: vec![],
                    after_archive: false,
                })
                .collect(),
            ..Default::default()
        }
    }

    fn roles_of(v: &TrajectoryView, group: &[String]) -> Vec<Role> {
        group
            .iter()
            .map(|id| v.participant(id).unwrap().role)
            .collect()
    }

    #[test]
    fn ten_people_make_three_mixed_groups() {
        use Role::*;
        let v = view(&[
            Leerkracht,
            Leerkracht,
            Leerkracht,
            Leerkracht,
            Leerkracht,
            Leerkracht,
            Directie,
            Ib,
            Bouwcoordinator,
            Bouwcoordinator,
        ]);
        let g = suggest_groups(&v, SUGGESTED_GROUP_SIZE);
        let mut sizes: Vec<usize> = g.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, [3, 3, 4]);
        // Everyone exactly once.
        let mut all: Vec<&String> = g.iter().flatten().collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 10);
        for group in &g {
            let roles = roles_of(&v, group);
            let count = |r: Role| roles.iter().filter(|x| **x == r).count();
            assert_eq!(count(Leerkracht), 2, "teachers spread evenly: {roles:?}");
            assert!(count(Bouwcoordinator) <= 1, "{roles:?}");
            assert!(count(Directie) + count(Ib) + count(Bouwcoordinator) >= 1);
        }
        // Director and IB'er are not in the same group.
        let with = |r: Role| g.iter().position(|gr| roles_of(&v, gr).contains(&r));
        assert_ne!(with(Directie), with(Ib));
        assert_eq!(suggest_groups(&v, SUGGESTED_GROUP_SIZE), g, "deterministic");
    }

    #[test]
    fn small_and_odd_teams() {
        assert!(suggest_groups(&view(&[]), 4).is_empty());
        let three = view(&[Role::Leerkracht; 3]);
        assert_eq!(suggest_groups(&three, 4).len(), 1);
        let nine = view(&[Role::Leerkracht; 9]);
        let g = suggest_groups(&nine, 4);
        assert_eq!(g.iter().map(Vec::len).collect::<Vec<_>>(), [5, 4]);
        assert_eq!(suggest_groups(&nine, 0).len(), 9, "size 0 means one each");
    }
}
