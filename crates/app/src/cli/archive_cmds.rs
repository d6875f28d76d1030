//! `archive`, `unarchive`, `export`, `import`.

use std::path::{Path, PathBuf};

use clap::Args;
use leerrijk_report::{ExportOptions, Lang};

use crate::archive::{self, ExportFormat};
use crate::cli::outln;
use crate::library::Library;

/// Arguments of `leerrijk export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Trajectory id.
    pub id: String,
    /// html, md, csv, json or automerge.
    #[arg(long, value_parser = parse_format)]
    pub format: ExportFormat,
    /// Where to write: a file (for csv: a directory that gets actions.csv, offers.csv,
    /// requests.csv and postits.csv).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Leave out every name (participants, authors, owners, people on the marketplace).
    #[arg(long)]
    pub anonymous: bool,
    /// Leave out the logbook.
    #[arg(long)]
    pub no_logbook: bool,
    /// With `--format automerge`: a clean copy (the current state only: no history, no
    /// removed items), for a hand-out beyond the team. Without it the export holds the whole
    /// history, including removed texts and earlier versions.
    #[arg(long)]
    pub clean: bool,
    /// Language of the report: nl or en.
    #[arg(long, default_value = "nl", value_parser = parse_lang)]
    pub lang: Lang,
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse::<ExportFormat>().map_err(|e| e.to_string())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse::<Lang>().map_err(|e| e.to_string())
}

/// `leerrijk archive ID`.
pub fn archive(lib: &Library, id: &str) -> anyhow::Result<()> {
    let mut s = lib.open_trajectory(id)?;
    archive::archive(&mut s, lib.device_id())?;
    eprintln!(
        "leerrijk: trajectory {} is archived and read-only now (`leerrijk unarchive {}` undoes it)",
        s.trajectory().id(),
        s.trajectory().id()
    );
    Ok(())
}

/// `leerrijk unarchive ID`.
pub fn unarchive(lib: &Library, id: &str) -> anyhow::Result<()> {
    let mut s = lib.open_trajectory(id)?;
    archive::unarchive(&mut s, lib.device_id())?;
    eprintln!(
        "leerrijk: trajectory {} can be edited again",
        s.trajectory().id()
    );
    Ok(())
}

/// `leerrijk export …`: prints the path of every file written.
pub fn export(lib: &Library, args: ExportArgs) -> anyhow::Result<()> {
    let s = lib.open_trajectory(&args.id)?;
    let format = match (args.format, args.clean) {
        (ExportFormat::Automerge, true) => ExportFormat::AutomergeClean,
        (ExportFormat::AutomergeClean, _) => ExportFormat::AutomergeClean,
        (_, true) => {
            return Err(crate::exit::user_error(
                "--clean applies only to --format automerge",
            ));
        }
        (f, false) => f,
    };
    let opts = ExportOptions {
        anonymous: args.anonymous,
        leave_out_logbook: args.no_logbook,
        lang: args.lang,
        local_time: true,
    };
    let written =
        archive::export_trajectory(s.trajectory(), lib.data_dir(), format, &args.out, &opts)?;
    if format == ExportFormat::Automerge {
        eprintln!(
            "leerrijk: note: this export holds the whole history (also removed texts and earlier versions); use --clean for a hand-out"
        );
    }
    for p in written {
        outln!("{}", p.display());
    }
    Ok(())
}

/// `leerrijk import FILE`: prints the trajectory id.
pub fn import(lib: &Library, file: &Path) -> anyhow::Result<()> {
    let outcome = archive::import_file(lib, file)?;
    if outcome.merged {
        eprintln!(
            "leerrijk: trajectory {} already existed here; {}",
            outcome.id,
            if outcome.changed {
                "the file's changes were merged into it (nothing was lost)"
            } else {
                "it already had everything in the file"
            }
        );
    }
    outln!("{}", outcome.id);
    Ok(())
}
