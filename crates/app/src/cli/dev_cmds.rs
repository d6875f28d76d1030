//! Hidden developer commands: `leerrijk dev …`.

use clap::{Args, Subcommand};
use leerrijk_model::generate::{GenSize, GenSpec};

use crate::exit::user_error;
use crate::library::Library;

/// Developer commands (hidden from `--help`).
#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Generate a realistic trajectory (seeded, deterministic content) and print its id.
    Generate(GenerateArgs),
}

/// Arguments of `leerrijk dev generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Start from a preset: small (10 people, ~200 items), large (100 people, 20,000
    /// post-its, 2,000 stories) or huge (~50,000 items, long history). Flags override it.
    #[arg(long, value_name = "small|large|huge")]
    pub size: Option<String>,
    /// Number of participants.
    #[arg(long)]
    pub participants: Option<usize>,
    /// Number of post-its.
    #[arg(long)]
    pub postits: Option<usize>,
    /// Number of shared stories (about 1 KB each).
    #[arg(long)]
    pub stories: Option<usize>,
    /// Number of marketplace offers (as many requests are added).
    #[arg(long)]
    pub offers: Option<usize>,
    /// Seed of the random choices.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Rounds of small edits (renames, moves, status changes) after everything was added.
    #[arg(long)]
    pub history_rounds: Option<usize>,
}

/// Runs a developer command.
pub fn run(library: &Library, command: DevCommand) -> anyhow::Result<()> {
    match command {
        DevCommand::Generate(args) => generate(library, args),
    }
}

fn generate(library: &Library, args: GenerateArgs) -> anyhow::Result<()> {
    let base = match args.size.as_deref() {
        Some(name) => GenSize::parse(name)
            .ok_or_else(|| user_error(format!("unknown size {name:?}; use small, large or huge")))?
            .spec(),
        None => GenSize::Small.spec(),
    };
    let spec = GenSpec {
        participants: args.participants.unwrap_or(base.participants),
        postits: args.postits.unwrap_or(base.postits),
        stories: args.stories.unwrap_or(base.stories),
        offers: args.offers.unwrap_or(base.offers),
        history_rounds: args.history_rounds.unwrap_or(base.history_rounds),
        seed: args.seed.unwrap_or(base.seed),
    };
    if spec.participants == 0 {
        return Err(user_error("--participants must be at least 1"));
    }
    let out = crate::dev_generate::generate_into(library, &spec)?;
    eprintln!(
        "leerrijk: generated {} items in {} edits ({} bytes)",
        spec.items(),
        out.edits,
        out.bytes
    );
    crate::cli::outln!("{}", out.id);
    Ok(())
}
