//! Matching the marketplace sheets (phase 5): offers held by several people, offers that meet a
//! request, and requests with no offer yet.
//!
//! Two topics *match* when, after normalising (case, accents, filler words, plural endings; see
//! [`crate::topic_tokens`]), they share a tag, or one's tokens contain the other's, or their
//! token sets overlap by at least half (Jaccard ≥ 0.5).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::{TrajectoryView, normalize_name, topic_tokens};

/// Offers about the same expertise, with everyone who offers it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OfferCluster {
    /// Offer ids in the cluster.
    pub offers: Vec<String>,
    /// Their topics.
    pub topics: Vec<String>,
    /// Everyone offering it (distinct names).
    pub people: Vec<String>,
}

/// An offer that meets a request: a connection between colleagues.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OfferRequestMatch {
    /// Offer id.
    pub offer: String,
    /// Request id.
    pub request: String,
    /// Who can help (the offer's people).
    pub from: Vec<String>,
    /// Who asked.
    pub to: String,
    /// The request named one of the offer's people as who they'd like to learn from.
    pub asked_for_by_name: bool,
}

/// The three matching views of the marketplace debrief.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MarketMatching {
    /// Expertise offered by more than one person ("build it up together").
    pub shared_offers: Vec<OfferCluster>,
    /// Offers that meet a visible request.
    pub matches: Vec<OfferRequestMatch>,
    /// Request ids with no matching offer yet.
    pub unmet_requests: Vec<String>,
}

/// Interned strings: equal strings get equal numbers.
#[derive(Default)]
struct Interner(HashMap<String, u32>);

impl Interner {
    fn id(&mut self, s: String) -> u32 {
        let next = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        *self.0.entry(s).or_insert(next)
    }
}

/// A topic as sorted, unique token and tag numbers.
struct Topic {
    tokens: Vec<u32>,
    tags: Vec<u32>,
}

/// How many elements two sorted, unique slices share.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

impl Topic {
    fn new(topic: &str, tags: &[String], tokens: &mut Interner, tag_ids: &mut Interner) -> Self {
        let mut tokens: Vec<u32> = topic_tokens(topic)
            .into_iter()
            .map(|t| tokens.id(t))
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        let mut tags: Vec<u32> = tags
            .iter()
            .map(|t| normalize_name(t))
            .filter(|t| !t.is_empty())
            .map(|t| tag_ids.id(t))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        Topic { tokens, tags }
    }

    fn matches(&self, other: &Topic) -> bool {
        if common(&self.tags, &other.tags) > 0 {
            return true;
        }
        if self.tokens.is_empty() || other.tokens.is_empty() {
            return false;
        }
        let inter = common(&self.tokens, &other.tokens);
        // One's tokens contain the other's.
        if inter == self.tokens.len() || inter == other.tokens.len() {
            return true;
        }
        let union = self.tokens.len() + other.tokens.len() - inter;
        inter as f64 / union as f64 >= 0.5
    }
}

/// Which topics share a token or a tag with a given one: every pair that can match does
/// (a subset of a non-empty token set, a Jaccard overlap of at least half and a shared tag all
/// need something in common), so only these pairs are compared.
#[derive(Default)]
struct Index {
    by_token: HashMap<u32, Vec<usize>>,
    by_tag: HashMap<u32, Vec<usize>>,
}

impl Index {
    fn new(topics: &[Topic]) -> Self {
        let mut ix = Index::default();
        for (i, t) in topics.iter().enumerate() {
            for k in &t.tokens {
                ix.by_token.entry(*k).or_default().push(i);
            }
            for k in &t.tags {
                ix.by_tag.entry(*k).or_default().push(i);
            }
        }
        ix
    }

    /// The topics sharing a token or a tag with `t`, in index order.
    fn candidates(&self, t: &Topic, seen: &mut [bool]) -> Vec<usize> {
        let mut out = Vec::new();
        let lists = t
            .tokens
            .iter()
            .filter_map(|k| self.by_token.get(k))
            .chain(t.tags.iter().filter_map(|k| self.by_tag.get(k)));
        for list in lists {
            for &i in list {
                if !seen[i] {
                    seen[i] = true;
                    out.push(i);
                }
            }
        }
        for &i in &out {
            seen[i] = false;
        }
        out.sort_unstable();
        out
    }
}

/// Whether two topics (with their tags) are about the same expertise.
pub fn topics_match(a: &str, a_tags: &[String], b: &str, b_tags: &[String]) -> bool {
    let (mut tokens, mut tags) = (Interner::default(), Interner::default());
    let a = Topic::new(a, a_tags, &mut tokens, &mut tags);
    a.matches(&Topic::new(b, b_tags, &mut tokens, &mut tags))
}

/// Computes the matching views.
pub fn market_matching(v: &TrajectoryView) -> MarketMatching {
    let (mut tokens, mut tags) = (Interner::default(), Interner::default());
    let offers: Vec<Topic> = v
        .offers
        .iter()
        .map(|o| Topic::new(&o.topic, &o.tags, &mut tokens, &mut tags))
        .collect();
    let requests: Vec<Topic> = v
        .requests
        .iter()
        .map(|r| Topic::new(&r.topic, &r.tags, &mut tokens, &mut tags))
        .collect();
    let index = Index::new(&offers);
    let mut seen = vec![false; offers.len()];

    // Cluster offers: connected components of the "matches" relation.
    let n = offers.len();
    let mut cluster_of: Vec<usize> = (0..n).collect();
    fn find(c: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while c[r] != r {
            r = c[r];
        }
        let mut j = i;
        while c[j] != r {
            let next = c[j];
            c[j] = r;
            j = next;
        }
        r
    }
    for i in 0..n {
        for j in index.candidates(&offers[i], &mut seen) {
            if j > i && offers[i].matches(&offers[j]) {
                let (a, b) = (find(&mut cluster_of, i), find(&mut cluster_of, j));
                if a != b {
                    cluster_of[b.max(a)] = a.min(b);
                }
            }
        }
    }
    // The members of each component, in offer order, by its root (its first offer).
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let root = find(&mut cluster_of, i);
        members_of[root].push(i);
    }
    let mut shared_offers = Vec::new();
    for members in members_of.iter().filter(|m| !m.is_empty()) {
        let mut seen = BTreeSet::new();
        let mut people = Vec::new();
        for &i in members {
            for p in &v.offers[i].people {
                if seen.insert(normalize_name(p)) {
                    people.push(p.clone());
                }
            }
        }
        if people.len() >= 2 {
            shared_offers.push(OfferCluster {
                offers: members.iter().map(|&i| v.offers[i].id.clone()).collect(),
                topics: members.iter().map(|&i| v.offers[i].topic.clone()).collect(),
                people,
            });
        }
    }
    shared_offers.sort_by_key(|c| std::cmp::Reverse(c.people.len()));

    // The offers' people, normalised once.
    let offer_people: Vec<Vec<String>> = v
        .offers
        .iter()
        .map(|o| o.people.iter().map(|p| normalize_name(p)).collect())
        .collect();
    let mut matches = Vec::new();
    let mut unmet_requests = Vec::new();
    for (ri, r) in v.requests.iter().enumerate() {
        let wanted: BTreeSet<String> = r.from_whom.iter().map(|n| normalize_name(n)).collect();
        let mut any = false;
        for oi in index.candidates(&requests[ri], &mut seen) {
            let o = &v.offers[oi];
            let by_name = offer_people[oi].iter().any(|p| wanted.contains(p));
            // A request that names one of the offer's people matches on any shared word.
            let related = by_name && common(&offers[oi].tokens, &requests[ri].tokens) > 0;
            if related || offers[oi].matches(&requests[ri]) {
                any = true;
                matches.push(OfferRequestMatch {
                    offer: o.id.clone(),
                    request: r.id.clone(),
                    from: o.people.clone(),
                    to: r.person.clone(),
                    asked_for_by_name: by_name,
                });
            }
        }
        if !any {
            unmet_requests.push(r.id.clone());
        }
    }
    MarketMatching {
        shared_offers,
        matches,
        unmet_requests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectory::test_support::fresh;

    mod reference {
        use std::collections::BTreeSet;

        use super::super::{MarketMatching, OfferCluster, OfferRequestMatch};
        use crate::{TrajectoryView, normalize_name, topic_tokens};

        struct Topic {
            tokens: BTreeSet<String>,
            tags: BTreeSet<String>,
        }

        impl Topic {
            fn new(topic: &str, tags: &[String]) -> Self {
                Topic {
                    tokens: topic_tokens(topic).into_iter().collect(),
                    tags: tags
                        .iter()
                        .map(|t| normalize_name(t))
                        .filter(|t| !t.is_empty())
                        .collect(),
                }
            }

            fn matches(&self, other: &Topic) -> bool {
                if !self.tags.is_disjoint(&other.tags) {
                    return true;
                }
                if self.tokens.is_empty() || other.tokens.is_empty() {
                    return false;
                }
                if self.tokens.is_subset(&other.tokens) || other.tokens.is_subset(&self.tokens) {
                    return true;
                }
                let inter = self.tokens.intersection(&other.tokens).count() as f64;
                let union = self.tokens.union(&other.tokens).count() as f64;
                inter / union >= 0.5
            }
        }

        /// The matching as first written: every pair compared (the reference).
        pub(super) fn market_matching_reference(v: &TrajectoryView) -> MarketMatching {
            let offers: Vec<Topic> = v
                .offers
                .iter()
                .map(|o| Topic::new(&o.topic, &o.tags))
                .collect();
            let requests: Vec<Topic> = v
                .requests
                .iter()
                .map(|r| Topic::new(&r.topic, &r.tags))
                .collect();

            // Cluster offers: connected components of the "matches" relation.
            let n = offers.len();
            let mut cluster_of: Vec<usize> = (0..n).collect();
            fn find(c: &mut [usize], i: usize) -> usize {
                let mut r = i;
                while c[r] != r {
                    r = c[r];
                }
                let mut j = i;
                while c[j] != r {
                    let next = c[j];
                    c[j] = r;
                    j = next;
                }
                r
            }
            for i in 0..n {
                for j in (i + 1)..n {
                    if offers[i].matches(&offers[j]) {
                        let (a, b) = (find(&mut cluster_of, i), find(&mut cluster_of, j));
                        if a != b {
                            cluster_of[b.max(a)] = a.min(b);
                        }
                    }
                }
            }
            let mut shared_offers = Vec::new();
            for root in 0..n {
                if find(&mut cluster_of, root) != root {
                    continue;
                }
                let members: Vec<usize> = (0..n)
                    .filter(|&i| find(&mut cluster_of, i) == root)
                    .collect();
                let mut seen = BTreeSet::new();
                let mut people = Vec::new();
                for &i in &members {
                    for p in &v.offers[i].people {
                        if seen.insert(normalize_name(p)) {
                            people.push(p.clone());
                        }
                    }
                }
                if people.len() >= 2 {
                    shared_offers.push(OfferCluster {
                        offers: members.iter().map(|&i| v.offers[i].id.clone()).collect(),
                        topics: members.iter().map(|&i| v.offers[i].topic.clone()).collect(),
                        people,
                    });
                }
            }
            shared_offers.sort_by_key(|c| std::cmp::Reverse(c.people.len()));

            let mut matches = Vec::new();
            let mut unmet_requests = Vec::new();
            for (ri, r) in v.requests.iter().enumerate() {
                let wanted: BTreeSet<String> =
                    r.from_whom.iter().map(|n| normalize_name(n)).collect();
                let mut any = false;
                for (oi, o) in v.offers.iter().enumerate() {
                    let by_name = o.people.iter().any(|p| wanted.contains(&normalize_name(p)));
                    // A request that names one of the offer's people matches on any shared word.
                    let related = by_name && !offers[oi].tokens.is_disjoint(&requests[ri].tokens);
                    if related || offers[oi].matches(&requests[ri]) {
                        any = true;
                        matches.push(OfferRequestMatch {
                            offer: o.id.clone(),
                            request: r.id.clone(),
                            from: o.people.clone(),
                            to: r.person.clone(),
                            asked_for_by_name: by_name,
                        });
                    }
                }
                if !any {
                    unmet_requests.push(r.id.clone());
                }
            }
            MarketMatching {
                shared_offers,
                matches,
                unmet_requests,
            }
        }
    }

    /// The indexed matching gives exactly what comparing every pair gives, on generated
    /// marketplaces (shared tags, overlapping topics, named people).
    #[test]
    fn same_as_comparing_every_pair() {
        for (offers, seed) in [(15, 1), (120, 2), (300, 3)] {
            let spec = crate::generate::GenSpec {
                participants: 20,
                postits: 10,
                stories: 2,
                offers,
                history_rounds: 1,
                seed,
            };
            let v = crate::generate::generate(&spec).unwrap().trajectory.view();
            let fast = market_matching(&v);
            assert!(!fast.matches.is_empty() && !fast.shared_offers.is_empty());
            assert_eq!(fast, reference::market_matching_reference(&v), "{offers}");
        }
    }

    #[test]
    fn topic_matching_rules() {
        assert!(topics_match(
            "Digibord",
            &[],
            "werken met het digibord",
            &[]
        ));
        assert!(topics_match(
            "Coöperatieve werkvormen",
            &[],
            "cooperatieve werkvorm",
            &[]
        ));
        assert!(topics_match(
            "Rekenen",
            &["ict".into()],
            "Programmeren",
            &["ICT".into()]
        ));
        assert!(!topics_match("Digibord", &[], "Gesprekken met ouders", &[]));
        assert!(
            !topics_match("leren", &[], "leren", &[]),
            "only filler words never match"
        );
    }

    #[test]
    fn shared_offers_matches_and_unmet_requests() {
        let (mut t, _) = fresh();
        let o1 = t
            .add_offer("Werken met het digibord", &["Bram".into()], &[])
            .unwrap();
        let o2 = t
            .add_offer("Digibord", &["Sanne".into(), "bram".into()], &[])
            .unwrap();
        let o3 = t
            .add_offer("Gesprekken met ouders", &["Els".into()], &[])
            .unwrap();
        let r1 = t
            .add_request(
                "Hoe gebruik ik het digibord?",
                "Piet",
                &["Sanne".into()],
                &[],
            )
            .unwrap();
        let r2 = t
            .add_request("Omgaan met gedragsproblemen", "Anja", &[], &[])
            .unwrap();
        let m = market_matching(&t.view());
        assert_eq!(m.shared_offers.len(), 1);
        assert_eq!(m.shared_offers[0].offers, vec![o1.clone(), o2.clone()]);
        assert_eq!(
            m.shared_offers[0].people,
            vec!["Bram".to_owned(), "Sanne".to_owned()]
        );
        let pairs: Vec<(&str, &str)> = m
            .matches
            .iter()
            .map(|x| (x.offer.as_str(), x.request.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![(o1.as_str(), r1.as_str()), (o2.as_str(), r1.as_str())]
        );
        assert!(!m.matches[0].asked_for_by_name && m.matches[1].asked_for_by_name);
        assert_eq!(m.unmet_requests, vec![r2]);
        assert!(!pairs.iter().any(|(o, _)| *o == o3));
    }

    #[test]
    fn naming_a_person_connects_on_any_shared_word() {
        let (mut t, _) = fresh();
        let o = t
            .add_offer("Rekenspellen en bewegend leren", &["Bram".into()], &[])
            .unwrap();
        let far = t
            .add_request("Bewegend rekenen in groep 3 tot en met 8", "Els", &[], &[])
            .unwrap();
        let named = t
            .add_request(
                "Bewegend rekenen in groep 3 tot en met 8",
                "Piet",
                &["bram".into()],
                &[],
            )
            .unwrap();
        let m = market_matching(&t.view());
        let pairs: Vec<(&str, &str)> = m
            .matches
            .iter()
            .map(|x| (x.offer.as_str(), x.request.as_str()))
            .collect();
        assert_eq!(pairs, vec![(o.as_str(), named.as_str())]);
        assert_eq!(m.unmet_requests, vec![far]);
    }
}
