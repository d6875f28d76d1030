//! Archive and hand-out: archiving a trajectory, exporting it (the write-up and the full
//! document), and importing an exported document.
//!
//! The CLI (`leerrijk archive|unarchive|export|import`) and the GUI call these functions. Every
//! file is written to a temporary file in the target directory, synced, then renamed over the
//! final name, so a crash never leaves half a file behind.

use std::fmt;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context as _;
use automerge::AutoCommit;
use leerrijk_model::Trajectory;
use leerrijk_report::ExportOptions;
use leerrijk_store::{DataDir, TrajectoryId, TrajectoryStore};

use crate::exit::user_error;
use crate::library::{Library, Session};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The self-contained HTML report (photos embedded; prints on A4).
    Html,
    /// The report as Markdown.
    Markdown,
    /// The report as a Word document (`.docx`).
    Docx,
    /// `actions.csv`, `offers.csv`, `requests.csv`, `postits.csv` in a directory.
    Csv,
    /// The read view as JSON (what `leerrijk show --json` prints).
    Json,
    /// The full automerge document with its whole history (`leerrijk import` opens it).
    Automerge,
    /// A clean automerge copy: the current state only, without history and removed items
    /// (`leerrijk import` opens it as a read-only hand-out; it cannot be merged back).
    AutomergeClean,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Html,
        ExportFormat::Docx,
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Json,
        ExportFormat::AutomergeClean,
        ExportFormat::Automerge,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "md",
            ExportFormat::Docx => "docx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Automerge => "automerge",
            ExportFormat::AutomergeClean => "automerge-clean",
        }
    }

    /// The usual file extension (for `csv`, the output is a directory).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "md",
            ExportFormat::Docx => "docx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Automerge | ExportFormat::AutomergeClean => "automerge",
        }
    }

    /// Whether this is one of the automerge documents (no privacy options apply).
    pub fn is_automerge(self) -> bool {
        matches!(self, ExportFormat::Automerge | ExportFormat::AutomergeClean)
    }
}

impl FromStr for ExportFormat {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "html" => Ok(ExportFormat::Html),
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "docx" | "word" => Ok(ExportFormat::Docx),
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            "automerge" | "am" => Ok(ExportFormat::Automerge),
            "automerge-clean" => Ok(ExportFormat::AutomergeClean),
            _ => Err(user_error(format!(
                "unknown export format \"{s}\" (expected html, md, docx, csv, json or automerge)"
            ))),
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Archives the trajectory of `session` on behalf of the participant this device acts for.
/// Only the initiator may; an already archived trajectory is a user error.
pub fn archive(session: &mut Session, device_id: &str) -> anyhow::Result<()> {
    let me = acting_participant(session, device_id, "archive")?;
    if session.trajectory().is_archived() {
        return Err(user_error(format!(
            "trajectory {} is already archived",
            session.trajectory().id()
        )));
    }
    session.edit(|t| t.archive(&me))
}

/// Undoes archiving (initiator only).
pub fn unarchive(session: &mut Session, device_id: &str) -> anyhow::Result<()> {
    let me = acting_participant(session, device_id, "unarchive")?;
    session.edit(|t| t.unarchive(&me))
}

fn acting_participant(session: &Session, device_id: &str, what: &str) -> anyhow::Result<String> {
    session.me(device_id).ok_or_else(|| {
        user_error(format!(
            "this device does not act for anyone in trajectory {}; only the initiator's device may {what} it",
            session.trajectory().id()
        ))
    })
}

/// Exports `traj` in `format` to `out`, reading photos from `data_dir`. Returns the files
/// written.
///
/// * `csv`: `out` is a directory (created if needed) that receives the four CSV files.
/// * other formats: `out` is the file to write; if `out` is an existing directory, the file
///   `leerrijk-<id>.<ext>` is written inside it.
/// * `automerge` writes the whole document with its history; the privacy options do not
///   apply to it (asking for them is a user error).
pub fn export_trajectory(
    traj: &Trajectory,
    data_dir: &DataDir,
    format: ExportFormat,
    out: &Path,
    opts: &ExportOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    if format.is_automerge() && (opts.anonymous || opts.leave_out_logbook) {
        return Err(user_error(
            "--anonymous and --no-logbook do not apply to --format automerge: it is the whole document with every name",
        ));
    }
    if format == ExportFormat::Csv {
        if out.exists() && !out.is_dir() {
            return Err(user_error(format!(
                "{} is a file; for --format csv, --out names a directory that receives actions.csv, offers.csv, requests.csv and postits.csv",
                out.display()
            )));
        }
        let files = leerrijk_report::csv_files(&traj.view(), opts)?;
        fs::create_dir_all(out)
            .with_context(|| format!("could not create the directory {}", out.display()))?;
        let mut written = Vec::new();
        for f in files {
            let path = out.join(f.name);
            write_atomic(&path, &f.bytes)?;
            written.push(path);
        }
        return Ok(written);
    }
    let path = if out.is_dir() {
        out.join(format!("leerrijk-{}.{}", traj.id(), format.extension()))
    } else {
        out.to_owned()
    };
    let bytes: Vec<u8> = match format {
        ExportFormat::Html => {
            let blobs = |hash: &str| match data_dir.get_blob(hash) {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "a photo could not be read; the report shows a placeholder");
                    None
                }
            };
            leerrijk_report::html(&traj.view(), opts, &blobs)?.into_bytes()
        }
        ExportFormat::Markdown => leerrijk_report::markdown(&traj.view(), opts)?.into_bytes(),
        ExportFormat::Docx => leerrijk_report::docx(&traj.view(), opts)?,
        ExportFormat::Json => leerrijk_report::json(&traj.view(), opts)?.into_bytes(),
        ExportFormat::Automerge => traj.doc().clone().save(),
        ExportFormat::AutomergeClean => traj.clean_copy()?.save(),
        ExportFormat::Csv => Vec::new(),
    };
    write_atomic(&path, &bytes)?;
    Ok(vec![path])
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The trajectory id.
    pub id: String,
    /// The trajectory already existed here and the file's changes were merged into it.
    pub merged: bool,
    /// The merge brought changes this data directory did not have yet.
    pub changed: bool,
}

/// Imports an automerge file written by `export --format automerge`.
///
/// The file must hold a complete trajectory document this version can read; anything else
/// (not automerge, cut off, another kind of document, a newer schema) is a user error and
/// nothing is written. A new trajectory is stored under its own id (with a fresh join secret);
/// if the id exists already, the file's changes are merged into it, so nothing is lost on
/// either side.
pub fn import_file(lib: &Library, file: &Path) -> anyhow::Result<ImportOutcome> {
    let bytes = fs::read(file)
        .map_err(|e| user_error(format!("could not read {}: {e}", file.display())))?;
    import_bytes(lib, &bytes, &file.display().to_string())
}

/// [`import_file`] for bytes already read (`name` is used in messages).
pub fn import_bytes(lib: &Library, bytes: &[u8], name: &str) -> anyhow::Result<ImportOutcome> {
    if bytes.is_empty() {
        return Err(user_error(format!(
            "{name} is empty; it is not a Leerrijk export"
        )));
    }
    // automerge logs a parse failure at error level; here it is an expected user error with
    // its own one-line message, so its log is silenced for this call.
    let loaded =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
            AutoCommit::load(bytes)
        });
    let mut doc = loaded.map_err(|e| {
        user_error(format!(
            "{name} is not a Leerrijk trajectory export (an automerge document), or it is damaged or cut off: {e}"
        ))
    })?;
    // The same check as for a peer's changes: every change of the file must keep within the
    // document's limits, or nothing of it is imported.
    let changes = doc.get_changes(&[]);
    leerrijk_model::guard::check_decoded(&AutoCommit::new(), changes.iter()).map_err(|e| {
        user_error(format!(
            "{name} was not imported: it breaks the limits of a Leerrijk trajectory ({e}); it may come from a modified app"
        ))
    })?;
    let mut traj = Trajectory::from_doc(doc).map_err(|e| user_error(format!("{name}: {e}")))?;
    let id_text = traj.id();
    let id = TrajectoryId::parse(&id_text).map_err(|_| {
        user_error(format!(
            "{name} is a trajectory without a valid id (\"{id_text}\"); it was not imported"
        ))
    })?;
    let data_dir = lib.data_dir();
    if data_dir.trajectory_exists(&id)? && traj.is_clean_copy() {
        return Err(user_error(format!(
            "{name} is a clean copy of trajectory {id} (a hand-out without history); it cannot be merged into the trajectory that is already here"
        )));
    }
    if data_dir.trajectory_exists(&id)? {
        let mut session = lib.open_trajectory(id.as_str())?;
        let before = session.doc_mut().get_heads();
        session
            .doc_mut()
            .merge(traj.doc_mut())
            .with_context(|| format!("could not merge {name} into trajectory {id}"))?;
        let changed = session.doc_mut().get_heads() != before;
        session.persist()?;
        return Ok(ImportOutcome {
            id: id_text,
            merged: true,
            changed,
        });
    }
    TrajectoryStore::create(data_dir, &id, traj.doc_mut())?;
    if data_dir.join_secret(&id)?.is_none() {
        let secret: [u8; 32] = rand::random();
        data_dir.set_join_secret(&id, &secret)?;
    }
    Ok(ImportOutcome {
        id: id_text,
        merged: false,
        changed: true,
    })
}

/// Writes `bytes` to `path` crash-safely: a temporary file in the same directory, written and
/// synced, then renamed over `path`, then the directory synced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| user_error(format!("{} is not a file name", path.display())))?
        .to_string_lossy()
        .into_owned();
    if !dir.is_dir() {
        return Err(user_error(format!(
            "the directory {} does not exist",
            dir.display()
        )));
    }
    let tmp = dir.join(format!(
        ".{file_name}.tmp-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(&dir) {
            // Syncing a directory is not supported everywhere; the rename itself is done.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(anyhow::Error::new(e).context(format!("could not write {}", path.display())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_name() {
        for f in ExportFormat::ALL {
            assert_eq!(f.name().parse::<ExportFormat>().unwrap(), f);
        }
        assert_eq!(
            "Markdown".parse::<ExportFormat>().unwrap(),
            ExportFormat::Markdown
        );
        assert!("pdf".parse::<ExportFormat>().is_err());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_atomic(&dir.path().join("missing/a.txt"), b"x").is_err());
    }
}
