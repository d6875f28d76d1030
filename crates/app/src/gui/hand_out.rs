//! Archive and hand-out in the desktop app: the "Archiveren" confirmation for the initiator,
//! the calm banner on an archived trajectory, the export dialog, and importing an exported
//! trajectory. File dialogs, exports and imports run on worker threads ([`Background`]); their
//! results come back as [`HandOutDone`]. The work itself is [`crate::archive`]'s.

use std::path::{Path, PathBuf};

use egui::RichText;
use leerrijk_model::{ModelError, Trajectory, TrajectoryView};
use leerrijk_report::{ExportOptions, Lang as ReportLang};

use crate::archive::{self, ExportFormat, ImportOutcome};
use crate::hub::Hub;

use super::app::LeerrijkApp;
use super::background::{Background, Done};
use super::command::Command;
use super::execute::{error_text, safe_file_name};
use super::i18n::{I18n, Lang};
use super::state::Dialog;
use super::toasts::Kind;
use super::widgets;

/// The export dialog's choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportForm {
    /// What to write.
    pub format: ExportFormat,
    /// The report's language.
    pub lang: ReportLang,
    /// Leave out names ("namen weglaten").
    pub anonymous: bool,
    /// Leave out the logbook.
    pub leave_out_logbook: bool,
    /// Whether the user picked the language (otherwise it follows the interface language).
    pub lang_chosen: bool,
}

impl Default for ExportForm {
    fn default() -> Self {
        ExportForm {
            format: ExportFormat::Html,
            lang: ReportLang::Nl,
            anonymous: false,
            leave_out_logbook: false,
            lang_chosen: false,
        }
    }
}

impl ExportForm {
    /// Takes the interface language for the report, unless the user picked one before.
    pub fn follow_ui_lang(&mut self, ui_lang: Lang) {
        if !self.lang_chosen {
            self.lang = match ui_lang {
                Lang::Nl => ReportLang::Nl,
                Lang::En => ReportLang::En,
            };
        }
    }

    /// The options for [`archive::export_trajectory`]. The full automerge document has no
    /// privacy switches (it is the whole history), so they are off for it.
    pub fn options(&self) -> ExportOptions {
        let privacy = !self.format.is_automerge();
        ExportOptions {
            anonymous: privacy && self.anonymous,
            leave_out_logbook: privacy && self.leave_out_logbook,
            lang: self.lang,
            local_time: true,
        }
    }
}

/// A finished archive or hand-out job.
#[derive(Debug)]
pub enum HandOutDone {
    /// An export was written (a file, or the CSV directory).
    Exported(PathBuf),
    /// An export failed.
    ExportFailed(String),
    /// A file was imported.
    Imported(ImportOutcome),
    /// A file could not be imported (nothing was changed).
    ImportFailed {
        /// The file's name.
        file: String,
    },
}

fn format_key(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::Html => "export.format_html",
        ExportFormat::Markdown => "export.format_md",
        ExportFormat::Docx => "export.format_docx",
        ExportFormat::Csv => "export.format_csv",
        ExportFormat::Json => "export.format_json",
        ExportFormat::Automerge => "export.format_automerge",
        ExportFormat::AutomergeClean => "export.format_automerge_clean",
    }
}

fn lang_name(l: ReportLang) -> &'static str {
    match l {
        ReportLang::Nl => "Nederlands",
        ReportLang::En => "English",
    }
}

/// `at` (ms since the epoch) as `dd-mm-jjjj`.
fn day(at_ms: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000)) {
        Ok(t) => format!("{:02}-{:02}-{:04}", t.day(), u8::from(t.month()), t.year()),
        Err(_) => String::new(),
    }
}

/// The top bar's hand-out actions: "Exporteren…" for everyone, "Archiveren…" for the
/// initiator of a trajectory that is not archived yet.
pub fn top_actions(
    ui: &mut egui::Ui,
    tr: &I18n,
    view: &TrajectoryView,
    is_initiator: bool,
    left_to_right: bool,
) -> Vec<Command> {
    let mut out = Vec::new();
    let archive = |ui: &mut egui::Ui, out: &mut Vec<Command>| {
        if is_initiator
            && view.archived.is_none()
            && ui
                .button(tr.t("archive.button"))
                .on_hover_text(tr.t("archive.button_tip"))
                .clicked()
        {
            out.push(Command::OpenDialog(Dialog::Archive));
        }
    };
    let export = |ui: &mut egui::Ui, out: &mut Vec<Command>| {
        if ui
            .button(tr.t("export.button"))
            .on_hover_text(tr.t("export.button_tip"))
            .clicked()
        {
            out.push(Command::OpenDialog(Dialog::Export));
        }
    };
    // "Exporteren…" stands left of "Archiveren…" in both directions.
    if left_to_right {
        export(ui, &mut out);
        archive(ui, &mut out);
    } else {
        archive(ui, &mut out);
        export(ui, &mut out);
    }
    out
}

/// "Dit traject is gearchiveerd op … door … — alleen-lezen." (`None` if not archived).
pub fn archived_text(tr: &I18n, view: &TrajectoryView) -> Option<String> {
    let info = view.archived.as_ref()?;
    let name = view
        .participant(&info.by)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| tr.t("archive.someone"));
    Some(tr.f(
        "archive.banner",
        &[("date", &day(info.at)), ("name", &name)],
    ))
}

/// The calm banner above every phase screen of an archived trajectory; the initiator can undo
/// the archiving from it.
pub fn archived_banner(
    ui: &mut egui::Ui,
    tr: &I18n,
    view: &TrajectoryView,
    is_initiator: bool,
    commands: &mut Vec<Command>,
) {
    let Some(text) = archived_text(tr, view) else {
        return;
    };
    widgets::hint_box(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).strong());
            if is_initiator && ui.button(tr.t("archive.undo")).clicked() {
                commands.push(Command::Unarchive {
                    trajectory: view.id.clone(),
                });
            }
        });
    });
    ui.add_space(8.0);
}

/// The confirmation before archiving.
pub fn archive_dialog(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    let Some(id) = app.state.open_trajectory.clone() else {
        app.commands.push(Command::CloseDialog);
        return;
    };
    ui.heading(tr.t("archive.title"));
    ui.add_space(6.0);
    ui.label(tr.t("archive.explain"));
    ui.add_space(4.0);
    widgets::note(ui, tr.t("archive.explain_undo"));
    ui.add_space(8.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if widgets::primary_button(ui, tr.t("archive.confirm")).clicked() {
            app.commands.push(Command::Archive { trajectory: id });
        }
        if ui.button(tr.t("common.cancel")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

/// The export dialog: format, language, privacy switches, then a save dialog.
pub fn export_dialog(app: &mut LeerrijkApp, ui: &mut egui::Ui) {
    let tr = &app.tr;
    let Some(id) = app.state.open_trajectory.clone() else {
        app.commands.push(Command::CloseDialog);
        return;
    };
    let form = &mut app.forms.export;
    ui.heading(tr.t("export.title"));
    widgets::note(ui, tr.t("export.intro"));
    ui.add_space(6.0);
    ui.label(RichText::new(tr.t("export.format")).strong());
    for f in ExportFormat::ALL {
        ui.radio_value(&mut form.format, f, tr.t(format_key(f)));
    }
    ui.add_space(6.0);
    ui.label(RichText::new(tr.t("export.language")).strong());
    ui.horizontal(|ui| {
        for l in ReportLang::ALL {
            if ui.radio_value(&mut form.lang, l, lang_name(l)).clicked() {
                form.lang_chosen = true;
            }
        }
    });
    ui.add_space(6.0);
    let privacy = !form.format.is_automerge();
    ui.add_enabled_ui(privacy, |ui| {
        ui.checkbox(&mut form.anonymous, tr.t("export.anonymous"));
        ui.checkbox(&mut form.leave_out_logbook, tr.t("export.no_logbook"));
    });
    if form.format == ExportFormat::AutomergeClean {
        widgets::note(ui, tr.t("export.automerge_clean_note"));
    } else if !privacy {
        widgets::note(ui, tr.t("export.automerge_note"));
    } else if form.anonymous {
        widgets::note(ui, tr.t("export.anonymous_note"));
    }
    ui.add_space(8.0);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if widgets::primary_button(ui, tr.t("export.save")).clicked() {
            app.commands.push(Command::Export {
                trajectory: id,
                format: form.format,
                options: form.options(),
            });
        }
        if ui.button(tr.t("common.cancel")).clicked() {
            app.commands.push(Command::CloseDialog);
        }
    });
}

/// Where an export goes: asked with a file dialog, or given.
enum Target {
    Ask { suggested: String },
    Path(PathBuf),
}

impl LeerrijkApp {
    /// Runs the archive, export and import commands.
    pub(super) fn run_hand_out(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Archive { trajectory } => {
                // Typing in progress is saved before the document freezes.
                self.flush_all(ctx);
                self.dialog = None;
                let device = self.hub.library().device_id().to_owned();
                let result = self.hub.edit(&trajectory, |t| {
                    let me = t
                        .participant_for_device(&device)
                        .ok_or(ModelError::NotInitiator("archive"))?;
                    t.archive(&me)
                });
                match result {
                    Ok(()) => self.toasts.push(Kind::Info, self.tr.t("archive.done")),
                    Err(e) => self.toasts.push(Kind::Error, error_text(&self.tr, &e)),
                }
                self.cache.mark_list_dirty();
            }
            Command::Unarchive { trajectory } => {
                let device = self.hub.library().device_id().to_owned();
                let result = self.hub.edit(&trajectory, |t| {
                    let me = t
                        .participant_for_device(&device)
                        .ok_or(ModelError::NotInitiator("unarchive"))?;
                    t.unarchive(&me)
                });
                match result {
                    Ok(()) => self.toasts.push(Kind::Info, self.tr.t("archive.undone")),
                    Err(e) => self.toasts.push(Kind::Error, error_text(&self.tr, &e)),
                }
                self.cache.mark_list_dirty();
            }
            Command::Export {
                trajectory,
                format,
                options,
            } => {
                self.dialog = None;
                self.flush_all(ctx);
                let title = self
                    .cache
                    .get(&self.hub, &trajectory)
                    .map(|c| c.view.title.clone())
                    .unwrap_or_default();
                let suggested = match format {
                    ExportFormat::Csv => safe_file_name(&title),
                    f => format!("{}.{}", safe_file_name(&title), f.extension()),
                };
                spawn_export(
                    &self.bg,
                    trajectory,
                    format,
                    options,
                    Target::Ask { suggested },
                );
            }
            Command::ExportTo {
                trajectory,
                format,
                options,
                path,
            } => {
                self.flush_all(ctx);
                spawn_export(&self.bg, trajectory, format, options, Target::Path(path));
            }
            Command::Import => spawn_import(&self.bg, None),
            Command::ImportFrom(path) => spawn_import(&self.bg, Some(path)),
            other => tracing::warn!(?other, "not a hand-out command"),
        }
    }

    /// Takes in a finished hand-out job.
    pub(super) fn on_hand_out_done(&mut self, done: HandOutDone) {
        match done {
            HandOutDone::Exported(path) => self.toasts.push(
                Kind::Info,
                self.tr.f("export.done", &[("path", &path.display())]),
            ),
            HandOutDone::ExportFailed(e) => self
                .toasts
                .push(Kind::Error, self.tr.f("export.failed", &[("error", &e)])),
            HandOutDone::Imported(outcome) => {
                let key = if outcome.merged {
                    "import.merged"
                } else {
                    "import.done"
                };
                self.toasts.push(Kind::Info, self.tr.t(key));
                self.cache.mark_list_dirty();
                self.commands.push(Command::OpenTrajectory(outcome.id));
            }
            HandOutDone::ImportFailed { file } => self
                .toasts
                .push(Kind::Error, self.tr.f("import.failed", &[("file", &file)])),
        }
    }
}

fn spawn_export(
    bg: &Background,
    trajectory: String,
    format: ExportFormat,
    options: ExportOptions,
    target: Target,
) {
    let hub = bg.hub.clone();
    bg.spawn("export", move || {
        let path = match target {
            Target::Path(p) => p,
            Target::Ask { suggested } => {
                let dialog = rfd::FileDialog::new();
                let picked = match format {
                    // CSV is a directory of tables.
                    ExportFormat::Csv => dialog.pick_folder().map(|d| d.join(suggested)),
                    f => dialog
                        .set_file_name(&suggested)
                        .add_filter(f.name(), &[f.extension()])
                        .save_file(),
                };
                match picked {
                    Some(p) => p,
                    None => return Done::Cancelled,
                }
            }
        };
        Done::HandOut(match export(&hub, &trajectory, format, &options, &path) {
            Ok(()) => HandOutDone::Exported(path),
            Err(e) => {
                tracing::warn!(error = %crate::exit::one_line(&e), "export failed");
                HandOutDone::ExportFailed(crate::exit::one_line(&e))
            }
        })
    });
}

fn export(
    hub: &Hub,
    id: &str,
    format: ExportFormat,
    options: &ExportOptions,
    path: &Path,
) -> anyhow::Result<()> {
    // A copy, so edits on the UI thread never wait for the export's file writes.
    let doc = hub.read(id, |t| t.doc().clone())?;
    let t = Trajectory::from_doc(doc)?;
    archive::export_trajectory(&t, hub.library().data_dir(), format, path, options)?;
    Ok(())
}

fn spawn_import(bg: &Background, path: Option<PathBuf>) {
    let hub = bg.hub.clone();
    bg.spawn("import", move || {
        let path = match path {
            Some(p) => p,
            None => match rfd::FileDialog::new()
                .add_filter("Leerrijk (automerge)", &["automerge", "am"])
                .pick_file()
            {
                Some(p) => p,
                None => return Done::Cancelled,
            },
        };
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Done::HandOut(match archive::import_file(hub.library(), &path) {
            Ok(outcome) => {
                // A merge into a trajectory this window has open: load what was written.
                if outcome.merged
                    && let Err(e) = hub.refresh(&outcome.id)
                {
                    tracing::warn!(error = %crate::exit::one_line(&e), "could not reload after import");
                }
                HandOutDone::Imported(outcome)
            }
            Err(e) => {
                tracing::warn!(error = %crate::exit::one_line(&e), file, "import refused");
                HandOutDone::ImportFailed { file }
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_follows_the_interface_language_until_chosen() {
        let mut f = ExportForm::default();
        f.follow_ui_lang(Lang::En);
        assert_eq!(f.lang, ReportLang::En);
        f.lang = ReportLang::Nl;
        f.lang_chosen = true;
        f.follow_ui_lang(Lang::En);
        assert_eq!(f.lang, ReportLang::Nl);
    }

    #[test]
    fn the_full_document_has_no_privacy_switches() {
        let f = ExportForm {
            anonymous: true,
            leave_out_logbook: true,
            ..ExportForm::default()
        };
        assert!(f.options().anonymous && f.options().leave_out_logbook);
        let am = ExportForm {
            format: ExportFormat::Automerge,
            ..f
        };
        assert!(!am.options().anonymous && !am.options().leave_out_logbook);
    }

    #[test]
    fn archive_dates_read_as_days() {
        assert_eq!(day(1_800_000_000_000), "15-01-2027");
    }
}
