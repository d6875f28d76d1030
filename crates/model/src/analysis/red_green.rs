use serde::Serialize;

use crate::TrajectoryView;

/// How the team sits on the red–green continuum.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RedGreenDistribution {
    /// (participant id, name, value) sorted from red to green.
    pub positions: Vec<(String, String, u8)>,
    /// Counts per band of 20: 0–19, 20–39, 40–59, 60–79, 80–100.
    pub bands: [usize; 5],
    /// Mean position (None without placements).
    pub mean: Option<f64>,
    /// Median position.
    pub median: Option<f64>,
    /// Lowest and highest position.
    pub range: Option<(u8, u8)>,
}

/// The red–green distribution of the placements.
pub fn red_green_distribution(v: &TrajectoryView) -> RedGreenDistribution {
    let mut positions: Vec<(String, String, u8)> = v
        .placements
        .iter()
        .map(|p| (p.participant.clone(), v.name_of(&p.participant), p.value))
        .collect();
    positions.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    let mut bands = [0usize; 5];
    for (_, _, val) in &positions {
        bands[usize::from((*val).min(99) / 20)] += 1;
    }
    let values: Vec<f64> = positions.iter().map(|p| f64::from(p.2)).collect();
    let n = values.len();
    let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
    let median = (n > 0).then(|| {
        if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        }
    });
    let range = positions
        .first()
        .zip(positions.last())
        .map(|(a, b)| (a.2, b.2));
    RedGreenDistribution {
        positions,
        bands,
        mean,
        median,
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::view::{Participant, Placement};

    fn view(values: &[u8]) -> TrajectoryView {
        let mut v = TrajectoryView::default();
        for (i, val) in values.iter().enumerate() {
            let id = format!("p{i}");
            v.participants.push(Participant {
                id: id.clone(),
                name: format!("N{i}"),
                role: Role::Leerkracht,
                joined_at: 0,
                devices: vec![],
                after_archive: false,
            });
            v.placements.push(Placement {
                participant: id,
                value: *val,
                note: String::new(),
                updated_at: 0,
            });
        }
        v
    }

    #[test]
    fn distribution_bands_mean_median() {
        let d = red_green_distribution(&view(&[10, 90, 50, 100, 20]));
        assert_eq!(d.bands, [1, 1, 1, 0, 2]);
        assert_eq!(d.mean, Some(54.0));
        assert_eq!(d.median, Some(50.0));
        assert_eq!(d.range, Some((10, 100)));
        assert_eq!(d.positions[0].2, 10);
        let d = red_green_distribution(&view(&[30, 40]));
        assert_eq!(d.median, Some(35.0));
        let d = red_green_distribution(&view(&[]));
        assert_eq!((d.mean, d.median, d.range), (None, None, None));
    }
}
