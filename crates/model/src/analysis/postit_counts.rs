use serde::Serialize;

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
    let mut out: Vec<ThemeCount> = v
        .themes
        .iter()
        .map(|t| ThemeCount {
            theme: Some(t.id.clone()),
            title: t.title.clone(),
            polarity: Some(t.polarity),
            count: v
                .postits
                .iter()
                .filter(|p| p.theme.as_deref() == Some(t.id.as_str()))
                .count(),
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    let loose = v.postits.iter().filter(|p| p.theme.is_none()).count();
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
