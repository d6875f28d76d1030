//! The read view treats the document as untrusted input: values that break the model's limits
//! (a text longer than its field allows, a count out of range) are left out of the view and
//! counted in [`TrajectoryView::ignored`], so one forged entry can neither bloat every screen nor
//! lock anyone out.

use crate::schema::limits::{ANSWER, LABEL, LETTER, NOTE};

use super::TrajectoryView;

fn over(s: &str, max: usize) -> bool {
    // Cheap first: a string of at most `max` bytes has at most `max` characters.
    s.len() > max && s.chars().count() > max
}

fn opt_over(s: &Option<String>, max: usize) -> bool {
    s.as_deref().is_some_and(|s| over(s, max))
}

/// Keeps the items of `items` for which `bad` is false; returns how many were dropped.
fn keep<T>(items: &mut Vec<T>, bad: impl Fn(&T) -> bool) -> usize {
    let before = items.len();
    items.retain(|i| !bad(i));
    before - items.len()
}

impl TrajectoryView {
    /// Leaves out what breaks the model's limits and adds the number of entries left out to
    /// [`TrajectoryView::ignored`]. Fields of the trajectory itself (title, school, letter) fall
    /// back to empty.
    pub(crate) fn enforce_limits(&mut self) {
        let mut n = 0;
        for (field, max) in [(&mut self.title, LABEL), (&mut self.school, LABEL)] {
            if over(field, max) {
                field.clear();
                n += 1;
            }
        }
        if over(&self.letter, LETTER) {
            self.letter.clear();
            n += 1;
        }
        let before = self.dates.len();
        self.dates.retain(|k, v| k.len() <= 1 && v.len() <= 10);
        n += before - self.dates.len();
        if opt_over(&self.initiator, LABEL) {
            self.initiator = None;
            n += 1;
        }
        n += keep(&mut self.participants, |p| over(&p.name, LABEL));
        n += keep(&mut self.placements, |p| over(&p.note, NOTE));
        n += keep(&mut self.stories, |s| {
            over(&s.author, LABEL)
                || opt_over(&s.colleague, LABEL)
                || s.times_past_week
                    .is_some_and(|t| !(0..=10_000).contains(&t))
                || s.answers.values().any(|a| over(a, ANSWER))
        });
        n += keep(&mut self.logbook, |e| {
            over(&e.text, ANSWER) || !(0.0..=168.0).contains(&e.hours)
        });
        n += keep(&mut self.images, |i| {
            over(&i.caption, NOTE) || over(&i.blob, LABEL) || over(&i.mime, LABEL)
        });
        n += keep(&mut self.themes, |t| {
            over(&t.title, LABEL) || t.title_conflicts.iter().any(|c| over(c, LABEL))
        });
        n += keep(&mut self.postits, |p| {
            over(&p.text, NOTE) || opt_over(&p.author, LABEL) || over(&p.colour, LABEL)
        });
        n += keep(&mut self.groups, |g| over(&g.name, LABEL));
        n += keep(&mut self.actions, |a| {
            over(&a.text, NOTE) || opt_over(&a.owner, LABEL) || opt_over(&a.due, LABEL)
        });
        n += keep(&mut self.offers, |o| {
            over(&o.topic, NOTE)
                || o.tags.iter().any(|t| over(t, LABEL))
                || o.people.iter().any(|p| over(p, LABEL))
        });
        n += keep(&mut self.requests, |r| {
            over(&r.topic, NOTE)
                || over(&r.person, LABEL)
                || r.tags.iter().any(|t| over(t, LABEL))
                || r.from_whom.iter().any(|p| over(p, LABEL))
        });
        self.ignored += n;
    }
}
