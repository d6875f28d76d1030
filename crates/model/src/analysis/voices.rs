//! "Alle stemmen horen": who has contributed in each phase, and which roles are present.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::{Role, TrajectoryView, normalize_name};

/// The roles the publication names for a balanced group.
pub const CORE_ROLES: [Role; 4] = [
    Role::Leerkracht,
    Role::Directie,
    Role::Ib,
    Role::Bouwcoordinator,
];
/// The suggested number of participants in the first phase (8 to 10).
pub const SUGGESTED_PARTICIPANTS: (usize, usize) = (8, 10);

/// Contributions in one phase.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PhaseVoices {
    /// Phase 2–5.
    pub phase: u8,
    /// Participant ids who contributed.
    pub contributed: Vec<String>,
    /// Participant ids who did not (yet).
    pub silent: Vec<String>,
}

/// Coverage of voices across the trajectory.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VoicesCoverage {
    /// Number of participants.
    pub participants: usize,
    /// Whether the number lies in the suggested 8–10 (more is fine in a small school where
    /// everyone joins; fewer is flagged).
    pub enough_participants: bool,
    /// Roles present, with how many people have them.
    pub roles_present: Vec<(Role, usize)>,
    /// Core roles nobody has yet.
    pub roles_missing: Vec<Role>,
    /// Per phase 2–5: who contributed.
    pub phases: Vec<PhaseVoices>,
}

/// Computes who has contributed where. Phase 2: stories, logbook, images, red–green placement.
/// Phase 3: post-its (named ones) and themes. Phase 4: group membership. Phase 5: action owners
/// and people on the marketplace sheets (matched by name).
pub fn voices_coverage(v: &TrajectoryView) -> VoicesCoverage {
    let ids: Vec<&str> = v.participants.iter().map(|p| p.id.as_str()).collect();
    // Normalised name → the first participant with it (as a search in participant order finds).
    let mut named: HashMap<String, &str> = HashMap::with_capacity(v.participants.len());
    for p in &v.participants {
        named
            .entry(normalize_name(&p.name))
            .or_insert(p.id.as_str());
    }
    let by_name = |name: &str| -> Option<&str> { named.get(&normalize_name(name)).copied() };
    let mut phase2: HashSet<&str> = HashSet::new();
    phase2.extend(v.stories.iter().map(|s| s.author.as_str()));
    phase2.extend(v.logbook.iter().map(|e| e.author.as_str()));
    phase2.extend(v.images.iter().map(|i| i.author.as_str()));
    phase2.extend(v.placements.iter().map(|p| p.participant.as_str()));
    let mut phase3: HashSet<&str> = HashSet::new();
    phase3.extend(v.postits.iter().filter_map(|p| p.author.as_deref()));
    phase3.extend(v.themes.iter().filter_map(|t| t.created_by.as_deref()));
    let phase4: HashSet<&str> = v
        .groups
        .iter()
        .flat_map(|g| g.members.iter().map(String::as_str))
        .collect();
    let mut phase5: HashSet<&str> = v
        .actions
        .iter()
        .filter_map(|a| a.owner.as_deref())
        .collect();
    // Each distinct name is normalised once.
    let mut names: HashSet<&str> = HashSet::new();
    names.extend(
        v.offers
            .iter()
            .flat_map(|o| o.people.iter().map(String::as_str)),
    );
    names.extend(v.requests.iter().map(|r| r.person.as_str()));
    phase5.extend(names.into_iter().filter_map(by_name));

    let phases = [(2u8, phase2), (3, phase3), (4, phase4), (5, phase5)]
        .into_iter()
        .map(|(phase, set)| PhaseVoices {
            phase,
            contributed: ids
                .iter()
                .filter(|i| set.contains(**i))
                .map(|i| (*i).to_owned())
                .collect(),
            silent: ids
                .iter()
                .filter(|i| !set.contains(**i))
                .map(|i| (*i).to_owned())
                .collect(),
        })
        .collect();
    let roles_present: Vec<(Role, usize)> = Role::ALL
        .iter()
        .map(|r| (*r, v.participants.iter().filter(|p| p.role == *r).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let roles_missing = CORE_ROLES
        .iter()
        .copied()
        .filter(|r| !roles_present.iter().any(|(p, _)| p == r))
        .collect();
    VoicesCoverage {
        participants: ids.len(),
        enough_participants: ids.len() >= SUGGESTED_PARTICIPANTS.0,
        roles_present,
        roles_missing,
        phases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectory::test_support::fresh;
    use crate::{NewPostIt, Polarity};

    #[test]
    fn coverage_per_phase_and_roles() {
        let (mut t, init) = fresh();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let els = t.add_participant("Els", Role::Ib).unwrap();
        t.set_placement(&bram, 40, "").unwrap();
        t.add_postit(NewPostIt {
            text: "x".into(),
            author: Some(els.clone()),
            ..Default::default()
        })
        .unwrap();
        t.add_postit(NewPostIt {
            text: "y".into(),
            author: Some(init.clone()),
            anonymous: true,
            ..Default::default()
        })
        .unwrap();
        t.add_theme("T", Polarity::Positive, Some(&init)).unwrap();
        t.add_group("G", std::slice::from_ref(&bram)).unwrap();
        t.add_offer("Digibord", &["els".into()], &[]).unwrap();
        let c = voices_coverage(&t.view());
        assert_eq!(c.participants, 3);
        assert!(!c.enough_participants);
        assert_eq!(c.roles_missing, vec![Role::Bouwcoordinator]);
        assert_eq!(
            c.roles_present,
            vec![(Role::Leerkracht, 1), (Role::Directie, 1), (Role::Ib, 1)]
        );
        assert_eq!(c.phases[0].contributed, vec![bram.clone()]);
        let mut p3 = c.phases[1].contributed.clone();
        p3.sort();
        let mut want = vec![els.clone(), init.clone()];
        want.sort();
        assert_eq!(
            p3, want,
            "anonymous note does not reveal its author, the theme does"
        );
        assert_eq!(c.phases[2].contributed, vec![bram.clone()]);
        assert_eq!(c.phases[3].contributed, vec![els.clone()]);
    }
}
