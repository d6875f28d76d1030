//! Comparing the groups' orders of the theme strips (phase 4).
//!
//! * **Aggregate order**: Borda count. In a group's order of `n` themes, the theme at rank `r`
//!   (1 = top) scores `n − r`; themes a group has not placed share the remaining ranks (their
//!   average). Ties in the aggregate are broken by the number of first places, then theme order.
//! * **Agreement**: Kendall's coefficient of concordance W (0 = no agreement, 1 = identical
//!   orders), with the usual correction for tied ranks.
//! * **"Met stip bovenaan"**: with at least two groups, the aggregate top theme is *clearly on
//!   top* when more than half of the groups put it first and its mean rank is at least one full
//!   place better than the runner-up's.

use serde::Serialize;

use crate::TrajectoryView;

/// A theme's place in the aggregate.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThemeScore {
    /// Theme id.
    pub theme: String,
    /// Theme title.
    pub title: String,
    /// Borda score summed over the groups.
    pub borda: f64,
    /// Mean rank over the groups (1 = top).
    pub mean_rank: f64,
    /// How many groups put it first.
    pub first_places: usize,
}

/// The groups' orders side by side, the aggregate, and the agreement.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RankingComparison {
    /// Per group that has placed at least one theme: (group id, name, its order of theme ids).
    pub groups: Vec<(String, String, Vec<String>)>,
    /// Aggregate order, top first.
    pub aggregate: Vec<ThemeScore>,
    /// Kendall's W (None with fewer than two groups or themes).
    pub kendall_w: Option<f64>,
    /// The theme clearly on top, if there is one.
    pub clear_top: Option<String>,
}

/// Compares the groups' rankings.
pub fn compare_rankings(v: &TrajectoryView) -> RankingComparison {
    let themes: Vec<&str> = v.themes.iter().map(|t| t.id.as_str()).collect();
    let n = themes.len();
    let groups: Vec<(String, String, Vec<String>)> = v
        .groups
        .iter()
        .filter(|g| !g.ranking.is_empty())
        .map(|g| (g.id.clone(), g.name.clone(), g.ranking.clone()))
        .collect();
    let m = groups.len();
    // ranks[g][t] = rank of theme t in group g (1-based, ties averaged).
    let mut ranks: Vec<Vec<f64>> = Vec::with_capacity(m);
    let mut tie_correction = 0.0;
    for (_, _, order) in &groups {
        let placed = order.len();
        let unplaced = n.saturating_sub(placed);
        let tied_rank = (placed as f64 + 1.0 + n as f64) / 2.0;
        if unplaced > 1 {
            let t = unplaced as f64;
            tie_correction += t * t * t - t;
        }
        ranks.push(
            themes
                .iter()
                .map(|th| match order.iter().position(|o| o == th) {
                    Some(p) => p as f64 + 1.0,
                    None => tied_rank,
                })
                .collect(),
        );
    }
    let mut aggregate: Vec<(usize, ThemeScore)> = themes
        .iter()
        .enumerate()
        .map(|(ti, th)| {
            let sum: f64 = ranks.iter().map(|r| r[ti]).sum();
            ThemeScore {
                theme: (*th).to_owned(),
                title: v.themes[ti].title.clone(),
                borda: ranks.iter().map(|r| n as f64 - r[ti]).sum(),
                mean_rank: if m > 0 { sum / m as f64 } else { 0.0 },
                first_places: groups
                    .iter()
                    .filter(|g| g.2.first().map(String::as_str) == Some(*th))
                    .count(),
            }
        })
        .enumerate()
        .collect();
    aggregate.sort_by(|(ia, a), (ib, b)| {
        b.borda
            .total_cmp(&a.borda)
            .then(b.first_places.cmp(&a.first_places))
            .then(ia.cmp(ib))
    });
    let aggregate: Vec<ThemeScore> = aggregate.into_iter().map(|(_, s)| s).collect();

    let kendall_w = (m >= 2 && n >= 2).then(|| {
        let mean_sum = m as f64 * (n as f64 + 1.0) / 2.0;
        let s: f64 = (0..n)
            .map(|ti| {
                let r: f64 = ranks.iter().map(|g| g[ti]).sum();
                (r - mean_sum).powi(2)
            })
            .sum();
        let nf = n as f64;
        let denom = (m * m) as f64 * (nf * nf * nf - nf) - m as f64 * tie_correction;
        if denom > 0.0 {
            (12.0 * s / denom).clamp(0.0, 1.0)
        } else {
            0.0
        }
    });

    let clear_top = match (aggregate.first(), aggregate.get(1)) {
        (Some(top), Some(second)) if m >= 2 => (top.first_places * 2 > m
            && top.mean_rank + 1.0 <= second.mean_rank)
            .then(|| top.theme.clone()),
        _ => None,
    };
    RankingComparison {
        groups,
        aggregate,
        kendall_w,
        clear_top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectory::test_support::fresh;
    use crate::{Polarity, Trajectory};

    fn setup(orders: &[&[usize]]) -> (Trajectory, Vec<String>) {
        let (mut t, _) = fresh();
        let themes: Vec<String> = ["A", "B", "C", "D"]
            .iter()
            .map(|n| t.add_theme(n, Polarity::Positive, None).unwrap())
            .collect();
        for (i, order) in orders.iter().enumerate() {
            let g = t.add_group(&format!("G{i}"), &[]).unwrap();
            let ids: Vec<String> = order.iter().map(|&k| themes[k].clone()).collect();
            t.set_ranking(&g, &ids).unwrap();
        }
        (t, themes)
    }

    #[test]
    fn identical_orders_agree_fully_with_a_clear_top() {
        let (t, th) = setup(&[&[2, 0, 1, 3], &[2, 0, 1, 3], &[2, 0, 1, 3]]);
        let c = compare_rankings(&t.view());
        assert_eq!(c.groups.len(), 3);
        assert_eq!(
            c.aggregate
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>(),
            ["C", "A", "B", "D"]
        );
        assert!((c.kendall_w.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(c.clear_top.as_deref(), Some(th[2].as_str()));
        assert_eq!(c.aggregate[0].borda, 9.0);
        assert_eq!(c.aggregate[0].first_places, 3);
    }

    #[test]
    fn opposite_orders_have_no_agreement_and_no_clear_top() {
        let (t, _) = setup(&[&[0, 1, 2, 3], &[3, 2, 1, 0]]);
        let c = compare_rankings(&t.view());
        assert!(c.kendall_w.unwrap() < 1e-9);
        assert_eq!(c.clear_top, None);
    }

    #[test]
    fn known_kendall_w_value() {
        // Three groups, four themes; by hand: rank sums A=4, B=6, C=9, D=11; mean 7.5;
        // S = 12.25 + 2.25 + 2.25 + 12.25 = 29; W = 12·29 / (3²·(4³−4)) = 348/540.
        let (t, _) = setup(&[&[0, 1, 2, 3], &[0, 2, 1, 3], &[1, 0, 3, 2]]);
        let c = compare_rankings(&t.view());
        assert!(
            (c.kendall_w.unwrap() - 348.0 / 540.0).abs() < 1e-9,
            "{:?}",
            c.kendall_w
        );
        assert_eq!(
            c.aggregate.iter().map(|s| s.borda).collect::<Vec<_>>(),
            [8.0, 6.0, 3.0, 1.0]
        );
        assert_eq!(c.aggregate[0].title, "A");
        // A is first in 2 of 3 groups, but its mean rank (1.33) is less than one full place
        // ahead of B's (2.0): not clearly on top.
        assert_eq!(c.clear_top, None);
    }

    #[test]
    fn partial_orders_share_the_bottom_and_one_group_has_no_w() {
        let (t, th) = setup(&[&[1]]);
        let c = compare_rankings(&t.view());
        assert_eq!(c.kendall_w, None);
        assert_eq!(c.clear_top, None, "one group alone is not a comparison");
        assert_eq!(c.aggregate[0].theme, th[1]);
        assert_eq!(c.aggregate[1].mean_rank, 3.0);
        let empty = compare_rankings(&fresh().0.view());
        assert!(empty.aggregate.is_empty() && empty.groups.is_empty());
    }
}
