//! The executor's part for phase 2: notebook commands, photo imports, and the results of the
//! photo workers. Runs on the GUI thread after a frame, like every other command.

use super::Phase2Command;
use super::photos::{PhotoDone, PhotoError};
use crate::gui::app::LeerrijkApp;
use crate::gui::command::{Command, Edit};
use crate::gui::execute::error_text;
use crate::gui::toasts::Kind;

impl LeerrijkApp {
    /// Runs one phase 2 command.
    pub(in crate::gui) fn run_phase2(&mut self, command: Phase2Command) {
        match command {
            Phase2Command::SetDraftAnswer {
                trajectory,
                kind,
                question,
                text,
            } => {
                let drafts = &mut self.phase2.drafts;
                if text.trim().is_empty() && drafts.current(&trajectory, kind).is_none() {
                    return;
                }
                let r = drafts.edit_current(&trajectory, kind, |nb, id| {
                    nb.set_answer(id, &question, &text)
                });
                self.report(r);
            }
            Phase2Command::SetDraftDetails {
                trajectory,
                kind,
                colleague,
                times_past_week,
            } => {
                let drafts = &mut self.phase2.drafts;
                if colleague.is_none()
                    && times_past_week.is_none()
                    && drafts.current(&trajectory, kind).is_none()
                {
                    return;
                }
                let r = drafts.edit_current(&trajectory, kind, |nb, id| {
                    nb.set_details(id, colleague.as_deref(), times_past_week)
                });
                self.report(r);
            }
            Phase2Command::ShareDraft { trajectory, kind } => {
                let Some(me) = self.me_in(&trajectory) else {
                    self.toasts
                        .push(Kind::Error, self.tr.t("phase2.not_participant"));
                    return;
                };
                let Some(draft) = self.phase2.drafts.current(&trajectory, kind) else {
                    return;
                };
                let hub = self.hub.clone();
                let r = self
                    .phase2
                    .drafts
                    .edit(|nb| hub.edit(&trajectory, |t| nb.share(&draft.id, t, &me)));
                match r {
                    Ok(_) => self
                        .toasts
                        .push(Kind::Info, self.tr.t("phase2.toast.shared")),
                    Err(e) => self.toasts.push(Kind::Error, error_text(&self.tr, &e)),
                }
            }
            Phase2Command::DiscardDraft { trajectory, kind } => {
                let Some(draft) = self.phase2.drafts.current(&trajectory, kind) else {
                    return;
                };
                let r = self.phase2.drafts.edit(|nb| Ok(nb.discard(&draft.id)?));
                self.report(r);
            }
            Phase2Command::PickPhotos {
                trajectory,
                caption,
            } => {
                let filter = self.tr.t("phase2.images.filter");
                self.phase2.photos.pick(trajectory, caption, filter);
            }
            Phase2Command::AddPhoto {
                trajectory,
                path,
                caption,
            } => self.phase2.photos.import(trajectory, path, caption),
        }
    }

    /// Takes in what the notebook loader and the photo workers finished.
    pub(in crate::gui) fn poll_phase2(&mut self, ctx: &egui::Context) {
        self.phase2.drafts.poll();
        for done in self.phase2.photos.drain(ctx) {
            match done {
                PhotoDone::Imported(i) => {
                    self.commands.push(Command::Edit {
                        trajectory: i.trajectory,
                        edit: Edit::AddImage {
                            caption: i.caption,
                            blob: i.blob,
                            mime: "image/jpeg".into(),
                            width: i.width,
                            height: i.height,
                        },
                    });
                }
                PhotoDone::Failed { name, error, .. } => {
                    let why = match &error {
                        PhotoError::Unsupported => self.tr.t("phase2.images.error.unsupported"),
                        PhotoError::TooLarge { .. } => self.tr.t("phase2.images.error.too_large"),
                        PhotoError::Read { source, .. } => {
                            self.tr.f("phase2.images.error.read", &[("error", source)])
                        }
                        PhotoError::Decode(_) => self.tr.t("phase2.images.error.damaged"),
                        PhotoError::Store(e) => {
                            self.tr.f("phase2.images.error.store", &[("error", e)])
                        }
                    };
                    tracing::warn!(file = %name, error = %error, "photo not added");
                    self.toasts.push(
                        Kind::Error,
                        self.tr
                            .f("phase2.images.failed", &[("name", &name), ("why", &why)]),
                    );
                }
                PhotoDone::Picked {
                    trajectory,
                    caption,
                    paths,
                } => {
                    for path in paths {
                        self.phase2
                            .photos
                            .import(trajectory.clone(), path, caption.clone());
                    }
                }
                PhotoDone::Thumb { .. } | PhotoDone::Full { .. } => {}
            }
        }
    }

    /// The participant this device acts for in a trajectory, if any.
    fn me_in(&mut self, trajectory: &str) -> Option<String> {
        self.cache.get(&self.hub, trajectory).and_then(|c| c.me)
    }

    fn report<T>(&mut self, r: anyhow::Result<T>) {
        if let Err(e) = r {
            tracing::warn!(error = %e, "notebook edit failed");
            self.toasts.push(Kind::Error, error_text(&self.tr, &e));
        }
    }
}
