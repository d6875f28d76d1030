use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Quadrant, TrajectoryView};

/// Hours per quadrant.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct QuadrantHours {
    /// Easy and fun.
    pub easy_fun: f64,
    /// Easy, not fun.
    pub easy_not_fun: f64,
    /// Not (yet) easy, fun.
    pub hard_fun: f64,
    /// Not (yet) easy, not fun.
    pub hard_not_fun: f64,
}

impl QuadrantHours {
    /// Hours in one quadrant.
    pub fn get(&self, q: Quadrant) -> f64 {
        match q {
            Quadrant::EasyFun => self.easy_fun,
            Quadrant::EasyNotFun => self.easy_not_fun,
            Quadrant::HardFun => self.hard_fun,
            Quadrant::HardNotFun => self.hard_not_fun,
        }
    }

    fn add(&mut self, q: Quadrant, h: f64) {
        match q {
            Quadrant::EasyFun => self.easy_fun += h,
            Quadrant::EasyNotFun => self.easy_not_fun += h,
            Quadrant::HardFun => self.hard_fun += h,
            Quadrant::HardNotFun => self.hard_not_fun += h,
        }
    }

    /// Total hours.
    pub fn total(&self) -> f64 {
        self.easy_fun + self.easy_not_fun + self.hard_fun + self.hard_not_fun
    }

    /// Share of the total in one quadrant, 0–100 (0 when there are no hours).
    pub fn percent(&self, q: Quadrant) -> f64 {
        let t = self.total();
        if t > 0.0 {
            self.get(q) / t * 100.0
        } else {
            0.0
        }
    }

    /// The quadrant with the most hours (None without hours).
    pub fn largest(&self) -> Option<Quadrant> {
        (self.total() > 0.0).then(|| {
            Quadrant::ALL
                .iter()
                .copied()
                .fold(Quadrant::EasyFun, |best, q| {
                    if self.get(q) > self.get(best) {
                        q
                    } else {
                        best
                    }
                })
        })
    }
}

/// Logbook hours per person and for the team.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct LogbookTotals {
    /// Participant id → hours per quadrant.
    pub per_person: BTreeMap<String, QuadrantHours>,
    /// The whole team.
    pub team: QuadrantHours,
}

/// Sums the logbook into quadrant totals.
pub fn logbook_totals(v: &TrajectoryView) -> LogbookTotals {
    let mut out = LogbookTotals::default();
    for e in &v.logbook {
        out.per_person
            .entry(e.author.clone())
            .or_default()
            .add(e.quadrant, e.hours);
        out.team.add(e.quadrant, e.hours);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::LogbookEntry;

    fn entry(author: &str, q: Quadrant, hours: f64) -> LogbookEntry {
        LogbookEntry {
            id: format!("{author}{hours}"),
            author: author.into(),
            quadrant: q,
            hours,
            text: "x".into(),
            created_at: 0,
            after_archive: false,
        }
    }

    #[test]
    fn totals_per_person_and_team() {
        let v = TrajectoryView {
            logbook: vec![
                entry("a", Quadrant::EasyFun, 3.0),
                entry("a", Quadrant::EasyFun, 1.0),
                entry("a", Quadrant::HardNotFun, 4.0),
                entry("b", Quadrant::HardFun, 2.5),
            ],
            ..Default::default()
        };
        let t = logbook_totals(&v);
        assert_eq!(t.per_person["a"].easy_fun, 4.0);
        assert_eq!(t.per_person["a"].percent(Quadrant::HardNotFun), 50.0);
        assert_eq!(t.per_person["b"].largest(), Some(Quadrant::HardFun));
        assert_eq!(t.team.total(), 10.5);
        assert_eq!(t.team.hard_fun, 2.5);
        assert_eq!(t.team.largest(), Some(Quadrant::EasyFun));
        assert_eq!(QuadrantHours::default().largest(), None);
        assert_eq!(QuadrantHours::default().percent(Quadrant::EasyFun), 0.0);
    }
}
