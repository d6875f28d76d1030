use std::collections::HashMap;

use serde::Serialize;

use super::fast_hash::FastHash;

use crate::{Polarity, TrajectoryView};

/// How many post-its stick on a theme.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThemeCount {
    /// Theme id (None = the loose pile).
    pub theme: Option<String>,
    /// Theme title.
    pub title: String,
    /// Polarity (None for the loose pile).
    pub polarity: Option<Polarity>,
    /// Number of post-its.
    pub count: usize,
}

/// Post-its per theme, most first (ties in theme order), with the loose pile last.
pub fn postits_per_theme(v: &TrajectoryView) -> Vec<ThemeCount> {
    // One pass over the post-its (not one per theme).
    let mut per_theme: HashMap<&str, usize, FastHash> =
        HashMap::with_capacity_and_hasher(v.themes.len(), FastHash::default());
    let mut loose = 0;
    for p in &v.postits {
        match &p.theme {
            Some(t) => *per_theme.entry(t.as_str()).or_default() += 1,
            None => loose += 1,
        }
    }
    let mut out: Vec<ThemeCount> = v
        .themes
        .iter()
        .map(|t| ThemeCount {
            theme: Some(t.id.clone()),
            title: t.title.clone(),
            polarity: Some(t.polarity),
            count: per_theme.get(t.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out.push(ThemeCount {
        theme: None,
        title: String::new(),
        polarity: None,
        count: loose,
    });
    out
}

#[cfg(test)]
mod tests {
    use crate::trajectory::test_support::fresh;
    use crate::{NewPostIt, Polarity};

    #[test]
    fn counts_per_theme() {
        let (mut t, _) = fresh();
        let a = t.add_theme("A", Polarity::Positive, None).unwrap();
        let b = t.add_theme("B", Polarity::Negative, None).unwrap();
        for (i, th) in [Some(&b), Some(&b), Some(&a), None].into_iter().enumerate() {
            t.add_postit(NewPostIt {
                text: format!("p{i}"),
                theme: th.cloned(),
                ..Default::default()
            })
            .unwrap();
        }
        let c = super::postits_per_theme(&t.view());
        assert_eq!(
            c.iter()
                .map(|x| (x.title.as_str(), x.count))
                .collect::<Vec<_>>(),
            [("B", 2), ("A", 1), ("", 1)]
        );
    }
}
