//! Undo of one's own edits: per trajectory, a stack of the inverses of the edits made on this
//! device. Other people's edits never land here, so undo cannot reverse someone else's work;
//! an inverse that no longer applies (the item was removed meanwhile) reports an error and is
//! dropped.

use std::collections::HashMap;

use leerrijk_model::{ModelError, Trajectory, TrajectoryView};

use super::command::Edit;

/// How many edits per trajectory can be undone.
pub const UNDO_DEPTH: usize = 100;

/// The undo stacks of this device, one per trajectory (not persisted: a restart starts fresh).
#[derive(Debug, Default)]
pub struct UndoStacks {
    stacks: HashMap<String, Vec<Edit>>,
}

impl UndoStacks {
    /// Remembers the inverse of an edit just made on `trajectory`.
    pub fn push(&mut self, trajectory: &str, inverse: Edit) {
        let stack = self.stacks.entry(trajectory.to_owned()).or_default();
        stack.push(inverse);
        if stack.len() > UNDO_DEPTH {
            stack.remove(0);
        }
    }

    /// Takes the most recent inverse of `trajectory`.
    pub fn pop(&mut self, trajectory: &str) -> Option<Edit> {
        self.stacks.get_mut(trajectory)?.pop()
    }

    /// How many edits of `trajectory` can be undone.
    pub fn depth(&self, trajectory: &str) -> usize {
        self.stacks.get(trajectory).map_or(0, Vec::len)
    }
}

impl Edit {
    /// Applies the edit like [`Edit::apply`] and returns the edit that undoes it, computed from
    /// `before`, the read view just before the edit. `None` when the edit cannot be undone
    /// (adding a participant, revealing notes, …) or changed nothing.
    pub fn apply_undoable(
        self,
        t: &mut Trajectory,
        me: Option<&str>,
        before: &TrajectoryView,
    ) -> Result<Option<Edit>, ModelError> {
        match self {
            Edit::Meeting(m) => Ok(m.apply(t, me, Some(before))?.map(Edit::Meeting)),
            Edit::SetPhase(phase) => {
                let old = before.phase;
                Edit::SetPhase(phase).apply(t, me)?;
                Ok((old != phase).then_some(Edit::SetPhase(old)))
            }
            Edit::SetParticipantRole { participant, role } => {
                let old = before.participant(&participant).map(|p| p.role);
                Edit::SetParticipantRole {
                    participant: participant.clone(),
                    role,
                }
                .apply(t, me)?;
                Ok(old
                    .filter(|o| *o != role)
                    .map(|role| Edit::SetParticipantRole { participant, role }))
            }
            Edit::SetAssignment { kind, on } => {
                let was = before.assignments.contains(&kind);
                Edit::SetAssignment { kind, on }.apply(t, me)?;
                Ok((was != on).then_some(Edit::SetAssignment { kind, on: was }))
            }
            other => other.apply(t, me).map(|()| None),
        }
    }
}

#[cfg(test)]
mod tests {
    use leerrijk_model::{Clock, Polarity, Role};

    use super::*;
    use crate::gui::meeting_edit::MeetingEdit;

    #[test]
    fn stacks_are_per_trajectory_and_bounded() {
        let mut u = UndoStacks::default();
        for i in 0..(UNDO_DEPTH + 5) {
            u.push("a", Edit::SetPhase(u8::try_from(i % 5 + 1).unwrap()));
        }
        assert_eq!(u.depth("a"), UNDO_DEPTH);
        assert_eq!(u.depth("b"), 0);
        assert!(u.pop("b").is_none());
        assert!(u.pop("a").is_some());
        assert_eq!(u.depth("a"), UNDO_DEPTH - 1);
    }

    #[test]
    fn phase_and_meeting_edits_give_their_inverse() {
        let (mut t, me) =
            Trajectory::create("T", "S", "Anja", Role::Directie, Clock::manual(1)).unwrap();
        let before = t.view();
        let inv = Edit::SetPhase(3)
            .apply_undoable(&mut t, Some(&me), &before)
            .unwrap();
        assert_eq!(inv, Some(Edit::SetPhase(1)));
        let before = t.view();
        let inv = Edit::Meeting(MeetingEdit::AddTheme {
            title: "Samen".into(),
            polarity: Polarity::Positive,
        })
        .apply_undoable(&mut t, Some(&me), &before)
        .unwrap()
        .unwrap();
        assert_eq!(t.view().themes.len(), 1);
        inv.apply(&mut t, Some(&me)).unwrap();
        assert!(t.view().themes.is_empty());
        // Adding a participant is not undone this way.
        let before = t.view();
        let inv = Edit::AddParticipant {
            name: "Bram".into(),
            role: Role::Ib,
        }
        .apply_undoable(&mut t, Some(&me), &before)
        .unwrap();
        assert_eq!(inv, None);
    }
}
