//! The one place where commands run.

use leerrijk_model::ModelError;

use super::app::LeerrijkApp;
use super::command::{Command, Edit};
use super::i18n::I18n;
use super::meeting_edit::MeetingEdit;
use super::state::{Dialog, Profile, ZOOM_RANGE};
use super::sync_port::SyncError;
use super::toasts::Kind;

impl LeerrijkApp {
    /// Runs one command: against the hub for document edits, on the UI state otherwise.
    pub fn execute(&mut self, ctx: &egui::Context, command: Command) {
        tracing::debug!(?command, "command");
        match command {
            Command::GoToStart => {
                self.flush_all(ctx);
                self.state.open_trajectory = None;
                self.cache.mark_list_dirty();
            }
            Command::OpenTrajectory(id) => {
                self.flush_all(ctx);
                self.open_errors.remove(&id);
                self.state.open_trajectory = Some(id);
            }
            Command::ShowPhase(phase) => {
                if let Some(id) = self.state.open_trajectory.clone()
                    && (1..=5).contains(&phase)
                {
                    self.flush_all(ctx);
                    self.phase_notice.remove(&id);
                    self.state.viewed_phase.insert(id, phase);
                }
            }
            Command::OpenDialog(dialog) => {
                if dialog == Dialog::Invite && self.state.open_trajectory.is_none() {
                    return;
                }
                if matches!(dialog, Dialog::NewTrajectory | Dialog::Join) {
                    if self.state.profile.is_none() {
                        return;
                    }
                    self.forms.reset_for(dialog, self.state.profile.as_ref());
                }
                if dialog == Dialog::Settings {
                    self.forms.reset_for(dialog, self.state.profile.as_ref());
                }
                if dialog == Dialog::Export {
                    // The report in the language the user works in, unless chosen otherwise.
                    self.forms.export.follow_ui_lang(self.state.lang);
                }
                self.dialog = Some(dialog);
            }
            Command::CloseDialog => self.dialog = None,
            Command::SetLanguage(lang) => {
                self.state.lang = lang;
                self.tr.set_lang(lang);
            }
            Command::ToggleLanguage => {
                let lang = self.state.lang.other();
                self.state.lang = lang;
                self.tr.set_lang(lang);
            }
            Command::SetTheme(theme) => self.state.theme = theme,
            Command::CycleTheme => self.state.theme = self.state.theme.next(),
            Command::ZoomIn => self.set_zoom(self.state.zoom + ZOOM_RANGE.2),
            Command::ZoomOut => self.set_zoom(self.state.zoom - ZOOM_RANGE.2),
            Command::ZoomReset => self.set_zoom(1.0),
            Command::SetProfile(profile) => self.set_profile(profile),
            Command::CreateTrajectory {
                title,
                school,
                name,
                role,
            } => match self.hub.create(&title, &school, &name, role) {
                Ok(id) => {
                    if self.state.profile.is_none() {
                        self.set_profile(Profile {
                            name: name.trim().to_owned(),
                            role,
                        });
                    }
                    self.dialog = None;
                    self.toasts.push(
                        Kind::Info,
                        self.tr.f("toast.created", &[("title", &title.trim())]),
                    );
                    self.execute(ctx, Command::OpenTrajectory(id));
                }
                Err(e) => self.forms.new_error = Some(error_text(&self.tr, &e)),
            },
            Command::Join { ticket } => {
                let ticket = ticket.trim().to_owned();
                if ticket.is_empty() {
                    self.forms.join_message = Some(self.tr.t("join.empty"));
                    return;
                }
                let Some(profile) = self.state.profile.clone() else {
                    return;
                };
                self.forms.join_message = match self.sync.join(&ticket, &profile.name, profile.role)
                {
                    Ok(()) => None,
                    Err(SyncError::Unavailable) => Some(self.tr.t("join.unavailable")),
                    Err(SyncError::InvalidTicket(why)) => {
                        Some(self.tr.f("join.invalid", &[("error", &why.text(&self.tr))]))
                    }
                    Err(SyncError::Busy) => Some(self.tr.t("sync.join.busy")),
                    Err(SyncError::Other(why)) => {
                        Some(self.tr.f("join.failed", &[("error", &why)]))
                    }
                    Err(SyncError::Preparing) => None,
                };
            }
            Command::OpenInviteFile => self.bg.read_invite_file(),
            Command::OpenInvitation(path) => self.bg.read_invite_path(path),
            Command::SaveInviteFile { ticket, title } => {
                let name = format!(
                    "{} - {}.leerrijk",
                    self.tr.t("invite.file_name"),
                    safe_file_name(&title)
                );
                self.bg
                    .save_as(name, ("Leerrijk", "leerrijk"), format!("{ticket}\n"));
            }
            Command::CopyText(text) => {
                ctx.copy_text(text);
                self.toasts.push(Kind::Info, self.tr.t("toast.copied"));
            }
            Command::Edit { trajectory, edit } => {
                let device = self.hub.library().device_id().to_owned();
                // The view just before the edit: its inverse (for undo) is computed from it.
                let before = self.cache.get(&self.hub, &trajectory).map(|c| c.view);
                // Edits run here, on the UI thread: the next frame must already show them,
                // because screens build further edits from the view (a second click on a
                // ranking must see the first). One edit is an in-memory change plus the
                // store's fsyncs (8-14 ms typical here, BENCHMARKS.md); say so when it is
                // slow enough to be felt.
                let started = std::time::Instant::now();
                // An anonymous post-it names no author in the shared document: this laptop
                // keeps the link in its private notebook.
                let anonymous_by = match &edit {
                    Edit::Meeting(MeetingEdit::AddPostIt {
                        anonymous: true,
                        on_behalf_of,
                        ..
                    }) => Some(on_behalf_of.clone()),
                    _ => None,
                };
                let mut author = None;
                let follows_letter = letter_follows(&edit);
                let tr = &self.tr;
                let result = self.hub.edit(&trajectory, |t| {
                    let me = t.participant_for_device(&device);
                    author = anonymous_by.and_then(|other| other.or_else(|| me.clone()));
                    let r = match &before {
                        Some(b) => edit.apply_undoable(t, me.as_deref(), b),
                        None => edit.apply(t, me.as_deref()).map(|()| None),
                    }?;
                    if follows_letter && let Some(b) = &before {
                        follow_letter(tr, t, me.as_deref(), b);
                    }
                    Ok(r)
                });
                let took = started.elapsed();
                if took > std::time::Duration::from_millis(50) {
                    tracing::warn!(?took, "slow durable edit on the UI thread");
                } else {
                    tracing::debug!(?took, "durable edit");
                }
                if let (Ok(Some(Edit::Meeting(MeetingEdit::DeletePostIt { postit }))), Some(a)) =
                    (&result, author)
                    && let Err(e) = self
                        .hub
                        .library()
                        .remember_own_postits(&trajectory, &[(postit.clone(), a)])
                {
                    tracing::warn!(error = %e, "could not note an own anonymous post-it");
                }
                match result {
                    Ok(Some(inverse)) => self.undo.push(&trajectory, inverse),
                    Ok(None) => {}
                    Err(e) => self.toasts.push(Kind::Error, error_text(&self.tr, &e)),
                }
            }
            Command::Undo { trajectory } => {
                let Some(edit) = self.undo.pop(&trajectory) else {
                    return;
                };
                let device = self.hub.library().device_id().to_owned();
                let follows_letter = letter_follows(&edit);
                let before = self.cache.get(&self.hub, &trajectory).map(|c| c.view);
                let tr = &self.tr;
                let result = self.hub.edit(&trajectory, |t| {
                    let me = t.participant_for_device(&device);
                    edit.apply(t, me.as_deref())?;
                    if follows_letter && let Some(b) = &before {
                        follow_letter(tr, t, me.as_deref(), b);
                    }
                    Ok(())
                });
                match result {
                    Ok(()) => self.toasts.push(Kind::Info, self.tr.t("meeting.undone")),
                    Err(e) => self.toasts.push(
                        Kind::Error,
                        self.tr.f(
                            "meeting.undo_failed",
                            &[("error", &error_text(&self.tr, &e))],
                        ),
                    ),
                }
            }
            Command::DismissPhaseNotice => {
                if let Some(id) = &self.state.open_trajectory {
                    self.phase_notice.remove(id);
                }
            }
            Command::ShowOnBeamer(phase) => {
                if (1..=5).contains(&phase) {
                    self.beamer_view.phase = Some(phase);
                }
            }
            Command::SetBeamerEntry(open) => self.beamer_view.entry_open = open,
            Command::SetBeamer(on) => {
                let on = on && self.state.open_trajectory.is_some();
                if on != self.beamer {
                    self.flush_all(ctx);
                    self.beamer = on;
                    // A fresh beamer shows the team's phase, the entry panel closed.
                    self.beamer_view = Default::default();
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
                }
            }
            Command::ExportLetter { trajectory } => {
                if let Some(c) = self.cache.get(&self.hub, &trajectory) {
                    let name = format!(
                        "{} - {}.md",
                        self.tr.t("letter.file_name"),
                        safe_file_name(&c.view.title)
                    );
                    self.bg
                        .save_as(name, ("Markdown", "md"), c.view.letter.clone());
                }
            }
            Command::ExportLetterDocx { trajectory } => {
                if let Some(c) = self.cache.get(&self.hub, &trajectory) {
                    match leerrijk_report::docx_from_markdown(&c.view.letter) {
                        Ok(bytes) => {
                            let name = format!(
                                "{} - {}.docx",
                                self.tr.t("letter.file_name"),
                                safe_file_name(&c.view.title)
                            );
                            self.bg.save_as(name, ("Word", "docx"), bytes);
                        }
                        Err(e) => self.toasts.push(Kind::Error, e.to_string()),
                    }
                }
            }
            Command::ExportLetterTo { trajectory, path } => {
                if let Some(c) = self.cache.get(&self.hub, &trajectory) {
                    if path
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
                    {
                        match leerrijk_report::docx_from_markdown(&c.view.letter) {
                            Ok(bytes) => self.bg.write(path, bytes),
                            Err(e) => self.toasts.push(Kind::Error, e.to_string()),
                        }
                    } else {
                        self.bg.write(path, c.view.letter.clone());
                    }
                }
            }
            Command::Phase2(c) => self.run_phase2(c),
            c @ (Command::Archive { .. }
            | Command::Unarchive { .. }
            | Command::Export { .. }
            | Command::ExportTo { .. }
            | Command::Import
            | Command::ImportFrom(_)) => self.run_hand_out(ctx, c),
            Command::Quit => {
                self.flush_all(ctx);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn set_zoom(&mut self, zoom: f32) {
        let z = (zoom * 10.0).round() / 10.0;
        self.state.zoom = z.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
    }

    fn set_profile(&mut self, profile: Profile) {
        let name = profile.name.trim().to_owned();
        if name.is_empty() {
            self.forms.profile_error = Some(self.tr.t("error.empty_name"));
            return;
        }
        self.forms.profile_error = None;
        let profile = Profile { name, ..profile };
        self.forms.fill_from_profile(&profile);
        self.state.profile = Some(profile);
        if self.dialog == Some(Dialog::Settings) {
            self.dialog = None;
        }
        // An invitation opened before the user was known: now the join dialog can show it.
        if let Some(ticket) = self.pending_invitation.take() {
            self.show_invitation(ticket);
        }
    }

    /// Opens the join dialog with a ticket read from an invitation file; waits for the
    /// first-run question when the user is not known yet.
    pub(super) fn show_invitation(&mut self, ticket: String) {
        if self.state.profile.is_none() {
            self.pending_invitation = Some(ticket);
            return;
        }
        if self.dialog != Some(Dialog::Join) {
            self.forms
                .reset_for(Dialog::Join, self.state.profile.as_ref());
            self.dialog = Some(Dialog::Join);
        }
        self.forms.join_ticket = ticket;
        self.forms.join_message = None;
    }
}

/// A file name part without path separators or other troublesome characters.
pub(super) fn safe_file_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " -_'".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "leerrijk".to_owned()
    } else {
        trimmed.chars().take(80).collect()
    }
}

/// A model or store error in words the user understands.
pub(super) fn error_text(tr: &I18n, err: &anyhow::Error) -> String {
    for cause in err.chain() {
        if let Some(m) = cause.downcast_ref::<ModelError>() {
            return match m {
                ModelError::NotInitiator(_) => tr.t("error.not_initiator"),
                ModelError::EmptyText { .. } => tr.t("error.empty"),
                ModelError::TooLong { max, .. } => tr.f("error.too_long", &[("max", max)]),
                ModelError::InvalidDate(_) => tr.t("date.invalid"),
                ModelError::Archived => tr.t("error.archived"),
                ModelError::NewerSchema { .. } => tr.t("error.newer"),
                other => tr.f("error.generic", &[("error", other)]),
            };
        }
    }
    tr.f("error.generic", &[("error", &crate::exit::one_line(err))])
}

/// Whether an edit changes a live part of the information letter (the time plan, the
/// initiator's name).
fn letter_follows(edit: &Edit) -> bool {
    matches!(
        edit,
        Edit::SetPhaseDate { .. } | Edit::RenameParticipant { .. }
    )
}

/// Rewrites the letter's live parts after such an edit (see
/// [`phase1::letter_following`](super::phase1::letter_following)); the rest of the letter is
/// left alone. Only the initiator writes the letter: for anyone else nothing happens.
fn follow_letter(
    tr: &super::i18n::I18n,
    t: &mut leerrijk_model::Trajectory,
    me: Option<&str>,
    before: &leerrijk_model::TrajectoryView,
) {
    let Some(me) = me else { return };
    let after = t.view();
    if after.initiator.as_deref() != Some(me) {
        return;
    }
    if let Some(letter) = super::phase1::letter_following(tr, before, &after)
        && let Err(e) = t.set_letter(me, &letter)
    {
        tracing::warn!(error = %e, "the letter could not follow the time plan");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_name("Leren / loont: 2027"), "Leren _ loont_ 2027");
        assert_eq!(safe_file_name("  "), "leerrijk");
    }
}
