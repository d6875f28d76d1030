//! The headless command line. Scripts and tests rely on this exact interface; see README.md.

mod add_cmds;
mod archive_cmds;
mod dev_cmds;
mod sync_cmds;
mod trajectory_cmds;

/// `println!` that returns an error instead of panicking when stdout is closed (`| head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}
pub(crate) use outln;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Leerrijk: a "Leren loont het langst" trajectory for a school team, local-first and peer to
/// peer. Without a subcommand, the desktop app opens.
#[derive(Debug, Parser)]
#[command(
    name = "leerrijk",
    version,
    about,
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    /// Data directory (default: the platform's data directory for Leerrijk).
    #[arg(long, global = true, env = "LEERRIJK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// An invitation file (`.leerrijk`): the desktop app opens with the join dialog and its
    /// ticket (what double-clicking an invitation does).
    #[arg(value_name = "INVITATION_FILE")]
    pub invitation: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Start a new trajectory; prints its id.
    New {
        /// Title of the trajectory.
        #[arg(long)]
        title: String,
        /// Name of the initiator (you).
        #[arg(long)]
        initiator: String,
        /// School name.
        #[arg(long, default_value = "")]
        school: String,
        /// The initiator's role (leerkracht, directie, ib, bouwcoordinator, onderwijsondersteuner, anders).
        #[arg(long, default_value = "leerkracht")]
        role: String,
    },
    /// List trajectories: one line per trajectory, `ID<TAB>TITLE`.
    List,
    /// Show a trajectory.
    Show {
        /// Trajectory id.
        id: String,
        /// Print the whole trajectory as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add an item to a trajectory; prints the new id.
    Add {
        /// Trajectory id.
        id: String,
        /// What to add.
        #[command(subcommand)]
        item: add_cmds::AddItem,
    },
    /// Move the team to phase N (1–5). Only the initiator's device may.
    Phase {
        /// Trajectory id.
        id: String,
        /// Phase 1–5.
        phase: i64,
    },
    /// Archive a trajectory: it becomes read-only everywhere. Only the initiator's device may.
    Archive {
        /// Trajectory id.
        id: String,
    },
    /// Undo archiving. Only the initiator's device may.
    Unarchive {
        /// Trajectory id.
        id: String,
    },
    /// Export a trajectory: the write-up (html, md, csv, json) or the full document
    /// (automerge); prints the files written.
    Export(archive_cmds::ExportArgs),
    /// Import a trajectory exported with `export --format automerge`; prints its id. If it
    /// exists here already, the file's changes are merged into it.
    Import {
        /// The exported file.
        file: PathBuf,
    },
    /// Print an invitation ticket for a trajectory (with the addresses of this data
    /// directory's running `serve` or app).
    Invite {
        /// Trajectory id.
        id: String,
    },
    /// Join a trajectory with a ticket: sync it, register yourself and this device; prints
    /// the trajectory id.
    Join {
        /// The ticket (`leerrijk1…`).
        ticket: String,
        /// Your name in the trajectory.
        #[arg(long)]
        name: String,
        /// Your role if the name is new (leerkracht, directie, ib, bouwcoordinator, onderwijsondersteuner, anders).
        #[arg(long, default_value = "leerkracht")]
        role: String,
        /// Give up after this many seconds without reaching the inviter.
        #[arg(long, default_value_t = 30, value_name = "SECS")]
        timeout: u64,
        /// Network options.
        #[command(flatten)]
        net: sync_cmds::NetArgs,
    },
    /// Serve every trajectory here to peers until stopped (SIGINT/SIGTERM). Prints
    /// `ready<TAB>ENDPOINT_ID`, then `ticket<TAB>ID<TAB>TICKET` per trajectory.
    Serve {
        /// Network options.
        #[command(flatten)]
        net: sync_cmds::NetArgs,
    },
    /// Sync one trajectory with the devices that take part in it, then exit (0 when in
    /// sync, 1 when no peer was reachable).
    Sync {
        /// Trajectory id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 10, value_name = "SECS")]
        timeout: u64,
        /// Network options.
        #[command(flatten)]
        net: sync_cmds::NetArgs,
    },
    /// Developer tools (hidden).
    #[command(hide = true, subcommand)]
    Dev(dev_cmds::DevCommand),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let (Some(file), Some(_)) = (&cli.invitation, &cli.command) {
        return Err(crate::exit::user_error(format!(
            "unexpected argument '{}' before the command",
            file.display()
        )));
    }
    let Some(command) = cli.command else {
        if let Some(file) = &cli.invitation
            && !file.is_file()
        {
            // Most likely a mistyped subcommand; say both.
            return Err(crate::exit::user_error(format!(
                "'{}' is neither a command nor an invitation file (see leerrijk --help)",
                file.display()
            )));
        }
        return run_gui(cli.data_dir, cli.invitation);
    };
    let library = crate::library::Library::open(cli.data_dir)?;
    match command {
        CliCommand::New {
            title,
            initiator,
            school,
            role,
        } => trajectory_cmds::new(&library, &title, &initiator, &school, &role),
        CliCommand::List => trajectory_cmds::list(&library),
        CliCommand::Show { id, json } => trajectory_cmds::show(&library, &id, json),
        CliCommand::Add { id, item } => add_cmds::add(&library, &id, item),
        CliCommand::Phase { id, phase } => trajectory_cmds::phase(&library, &id, phase),
        CliCommand::Archive { id } => archive_cmds::archive(&library, &id),
        CliCommand::Unarchive { id } => archive_cmds::unarchive(&library, &id),
        CliCommand::Export(args) => archive_cmds::export(&library, args),
        CliCommand::Import { file } => archive_cmds::import(&library, &file),
        CliCommand::Dev(command) => dev_cmds::run(&library, command),
        CliCommand::Invite { id } => sync_cmds::invite(&library, &id),
        CliCommand::Join {
            ticket,
            name,
            role,
            timeout,
            net,
        } => sync_cmds::join(library, &ticket, &name, &role, timeout, &net),
        CliCommand::Serve { net } => sync_cmds::serve(library, &net),
        CliCommand::Sync { id, timeout, net } => sync_cmds::sync(library, &id, timeout, &net),
    }
}

/// Opens the desktop app (with the join dialog for an invitation file, if given).
fn run_gui(data_dir: Option<PathBuf>, invitation: Option<PathBuf>) -> anyhow::Result<()> {
    crate::gui::run(data_dir, invitation)
}
