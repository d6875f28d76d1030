//! [`Command`]: everything the user can do, as data. Buttons, menus and shortcuts produce
//! commands; [`LeerrijkApp::execute`](super::LeerrijkApp::execute) runs them in one place.
//!
//! Document edits are [`Edit`]s on one trajectory; [`Edit::apply`] is the only code that turns
//! a GUI action into a model edit. New screens (phases 2–5) add variants here and an arm in
//! [`Edit::apply`].

use std::path::PathBuf;

use leerrijk_model::{
    AssignmentKind, ModelError, NewImage, NewLogbookEntry, Quadrant, Role, Trajectory,
};

use leerrijk_report::ExportOptions;

use crate::archive::ExportFormat;

use super::i18n::Lang;
use super::meeting_edit::MeetingEdit;
use super::phase2::Phase2Command;
use super::state::{Dialog, Profile, ThemeChoice};

/// One thing the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Back to the start screen (my trajectories).
    GoToStart,
    /// Open a trajectory.
    OpenTrajectory(String),
    /// Look at phase 1–5 of the open trajectory (does not move the team).
    ShowPhase(u8),
    /// Close the "the team moved to phase N" notice of the open trajectory (stay here).
    DismissPhaseNotice,
    /// Show phase 1–5 on the beamer (does not move the team).
    ShowOnBeamer(u8),
    /// Show or hide the beamer's "enter for someone without a laptop" panel.
    SetBeamerEntry(bool),
    /// Open a dialog.
    OpenDialog(Dialog),
    /// Close the open dialog.
    CloseDialog,
    /// Switch the interface language.
    SetLanguage(Lang),
    /// Switch between Dutch and English.
    ToggleLanguage,
    /// Light, dark or system theme.
    SetTheme(ThemeChoice),
    /// Next theme (system → light → dark).
    CycleTheme,
    /// Larger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Normal text size.
    ZoomReset,
    /// Set who uses this laptop.
    SetProfile(Profile),
    /// Start a trajectory with this device's user as initiator.
    CreateTrajectory {
        /// Title.
        title: String,
        /// School name.
        school: String,
        /// The initiator's name.
        name: String,
        /// The initiator's role.
        role: Role,
    },
    /// Join a trajectory with an invitation ticket.
    Join {
        /// The ticket text.
        ticket: String,
    },
    /// Pick an invitation file (file dialog) and put its ticket in the join dialog.
    OpenInviteFile,
    /// Read this invitation file (a double-clicked `.leerrijk` file) and open the join dialog
    /// with its ticket (after the first-run question, if the user is not known yet).
    OpenInvitation(PathBuf),
    /// Save an invitation ticket to a file (file dialog).
    SaveInviteFile {
        /// The ticket text.
        ticket: String,
        /// The trajectory title, for the suggested file name.
        title: String,
    },
    /// Put text on the clipboard.
    CopyText(String),
    /// Change a trajectory's document.
    Edit {
        /// Trajectory id.
        trajectory: String,
        /// The edit.
        edit: Edit,
    },
    /// Export the information letter as Markdown (asks where, with a file dialog).
    ExportLetter {
        /// Trajectory id.
        trajectory: String,
    },
    /// Export the information letter as a Word document (asks where, with a file dialog).
    ExportLetterDocx {
        /// Trajectory id.
        trajectory: String,
    },
    /// Write the information letter of a trajectory to a file (no dialog): a Word document
    /// when the name ends in `.docx`, else Markdown.
    ExportLetterTo {
        /// Trajectory id.
        trajectory: String,
        /// Target file.
        path: PathBuf,
    },
    /// Archive a trajectory (initiator only): read-only for everyone until undone.
    Archive {
        /// Trajectory id.
        trajectory: String,
    },
    /// Undo archiving (initiator only).
    Unarchive {
        /// Trajectory id.
        trajectory: String,
    },
    /// Export a trajectory (asks where, with a file dialog on a worker thread).
    Export {
        /// Trajectory id.
        trajectory: String,
        /// What to write.
        format: ExportFormat,
        /// Language and privacy switches.
        options: ExportOptions,
    },
    /// Export a trajectory to a path (no dialog; for the CSV format, a directory).
    ExportTo {
        /// Trajectory id.
        trajectory: String,
        /// What to write.
        format: ExportFormat,
        /// Language and privacy switches.
        options: ExportOptions,
        /// Target file or directory.
        path: PathBuf,
    },
    /// Import an exported trajectory (asks which file) and open it.
    Import,
    /// Import this exported trajectory file (no dialog) and open it.
    ImportFrom(PathBuf),
    /// Phase 2: private drafts (the local notebook) and photo imports.
    Phase2(Phase2Command),
    /// Undo this device's most recent edit of a trajectory (never someone else's).
    Undo {
        /// Trajectory id.
        trajectory: String,
    },
    /// Enter (`true`) or leave beamer mode for the open trajectory.
    SetBeamer(bool),
    /// Close the window (nothing is lost: every edit is already saved).
    Quit,
}

/// A change to one trajectory's document.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a participant.
    AddParticipant {
        /// Name.
        name: String,
        /// Role.
        role: Role,
    },
    /// Change a participant's role.
    SetParticipantRole {
        /// Participant id.
        participant: String,
        /// The new role.
        role: Role,
    },
    /// Rename a participant.
    RenameParticipant {
        /// Participant id.
        participant: String,
        /// The new name.
        name: String,
    },
    /// Remove a participant (their contributions stay).
    RemoveParticipant {
        /// Participant id.
        participant: String,
    },
    /// Move the team to a phase (initiator only).
    SetPhase(u8),
    /// Plan (or clear) the date of a phase (initiator only).
    SetPhaseDate {
        /// Phase 1–5.
        phase: u8,
        /// `YYYY-MM-DD`, or `None` to clear.
        date: Option<String>,
    },
    /// Replace the information letter (initiator only).
    SetLetter(String),
    /// Hand out or take back a practice assignment (initiator only).
    SetAssignment {
        /// Which assignment.
        kind: AssignmentKind,
        /// Handed out or not.
        on: bool,
    },
    /// Change an answer of one's own shared story.
    SetStoryAnswer {
        /// Story id.
        story: String,
        /// Question id.
        question: String,
        /// The new answer.
        text: String,
    },
    /// Remove a shared story (its author or the initiator).
    DeleteStory {
        /// Story id.
        story: String,
    },
    /// Place oneself on the red–green continuum (0 = 100% red, 100 = 100% green).
    SetPlacement {
        /// 0–100.
        value: u8,
        /// Optional note.
        note: String,
    },
    /// Add one's own logbook entry.
    AddLogbookEntry {
        /// Box of the 2×2 grid.
        quadrant: Quadrant,
        /// Hours.
        hours: f64,
        /// What it was.
        text: String,
    },
    /// Remove a logbook entry.
    DeleteLogbookEntry {
        /// Entry id.
        entry: String,
    },
    /// Record a photo of one's own whose blob is already stored.
    AddImage {
        /// Caption.
        caption: String,
        /// BLAKE3 hash of the stored photo.
        blob: String,
        /// MIME type of the stored photo.
        mime: String,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Change a photo's caption.
    SetImageCaption {
        /// Image id.
        image: String,
        /// The new caption.
        caption: String,
    },
    /// Remove a photo record (the blob stays).
    DeleteImage {
        /// Image id.
        image: String,
    },
    /// A change in the meeting phases 3–5 (themes, post-its, groups, actions, marketplace)
    /// or by the initiator's meeting controls.
    Meeting(MeetingEdit),
}

impl Edit {
    /// Applies the edit as participant `me` (the one this device acts for, if any).
    pub fn apply(self, t: &mut Trajectory, me: Option<&str>) -> Result<(), ModelError> {
        // Edits that need an actor fail like the model does for a non-initiator.
        let actor = |what: &'static str| me.ok_or(ModelError::NotInitiator(what));
        // Edits of one's own items need this device to act for a participant.
        let author = || {
            me.map(str::to_owned).ok_or(ModelError::UnknownId {
                kind: "participant",
                id: "(this device)".into(),
            })
        };
        match self {
            Edit::AddParticipant { name, role } => t.add_participant(&name, role).map(|_| ()),
            Edit::SetParticipantRole { participant, role } => {
                t.set_participant_role(&participant, role)
            }
            Edit::RenameParticipant { participant, name } => {
                t.rename_participant(&participant, &name)
            }
            Edit::RemoveParticipant { participant } => t.remove_participant(&participant),
            Edit::SetPhase(phase) => t.set_phase(actor("move the phase")?, i64::from(phase)),
            Edit::SetPhaseDate { phase, date } => {
                t.set_phase_date(actor("plan the phases")?, i64::from(phase), date.as_deref())
            }
            Edit::SetLetter(text) => t.set_letter(actor("edit the information letter")?, &text),
            Edit::SetAssignment { kind, on } => {
                t.set_assignment(actor("choose the assignments")?, kind, on)
            }
            Edit::SetStoryAnswer {
                story,
                question,
                text,
            } => t.set_story_answer(&author()?, &story, &question, &text),
            Edit::DeleteStory { story } => t.delete_story(&author()?, &story),
            Edit::SetPlacement { value, note } => {
                t.set_placement(&author()?, i64::from(value), &note)
            }
            Edit::AddLogbookEntry {
                quadrant,
                hours,
                text,
            } => t
                .add_logbook_entry(NewLogbookEntry {
                    author: author()?,
                    quadrant,
                    hours,
                    text,
                })
                .map(|_| ()),
            Edit::DeleteLogbookEntry { entry } => t.delete_logbook_entry(&entry),
            Edit::AddImage {
                caption,
                blob,
                mime,
                width,
                height,
            } => t
                .add_image(NewImage {
                    author: author()?,
                    caption,
                    blob,
                    mime,
                    width,
                    height,
                })
                .map(|_| ()),
            Edit::SetImageCaption { image, caption } => t.set_image_caption(&image, &caption),
            Edit::DeleteImage { image } => t.delete_image(&image),
            Edit::Meeting(m) => m.apply(t, me, None).map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use leerrijk_model::Clock;

    use super::*;

    #[test]
    fn edits_apply_and_respect_the_initiator_rule() {
        let (mut t, me) =
            Trajectory::create("T", "S", "Anja", Role::Directie, Clock::manual(1)).unwrap();
        Edit::AddParticipant {
            name: "Bram".into(),
            role: Role::Leerkracht,
        }
        .apply(&mut t, Some(&me))
        .unwrap();
        let bram = t.find_participant_by_name("Bram").unwrap();
        Edit::SetParticipantRole {
            participant: bram.clone(),
            role: Role::Ib,
        }
        .apply(&mut t, Some(&me))
        .unwrap();
        Edit::SetPhase(2).apply(&mut t, Some(&me)).unwrap();
        assert!(matches!(
            Edit::SetPhase(3).apply(&mut t, Some(&bram)),
            Err(ModelError::NotInitiator(_))
        ));
        assert!(matches!(
            Edit::SetPhase(3).apply(&mut t, None),
            Err(ModelError::NotInitiator(_))
        ));
        Edit::SetAssignment {
            kind: AssignmentKind::Logbook,
            on: true,
        }
        .apply(&mut t, Some(&me))
        .unwrap();
        Edit::SetPhaseDate {
            phase: 2,
            date: Some("2027-01-15".into()),
        }
        .apply(&mut t, Some(&me))
        .unwrap();
        let v = t.view();
        assert_eq!(v.phase, 2);
        assert_eq!(v.participant(&bram).unwrap().role, Role::Ib);
        assert_eq!(v.assignments, vec![AssignmentKind::Logbook]);
        assert_eq!(v.dates.get("2").map(String::as_str), Some("2027-01-15"));
    }
}
