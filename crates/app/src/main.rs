//! `leerrijk`: the Leerrijk desktop app (no arguments) and its headless command line.
//!
//! Exit codes: 0 ok; 1 a user error (a one-line message on stderr); 2 an internal error.

use std::process::ExitCode;

use leerrijk_app::{cli, exit};

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => {
            init_tracing(chatty(&cli));
            cli
        }
        Err(e) => {
            // Help and version are not errors; a bad argument is a user error (exit 1).
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if exit::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let code = exit::exit_code(&err);
            tracing::debug!(error = ?err, "command failed");
            eprintln!("leerrijk: {}", exit::one_line(&err));
            ExitCode::from(code)
        }
    }
}

/// Whether the command runs long enough for progress lines to be useful: the desktop app
/// and `serve`. One-shot commands print only warnings and their one-line result or error.
fn chatty(cli: &cli::Cli) -> bool {
    matches!(cli.command, None | Some(cli::CliCommand::Serve { .. }))
}

/// Logs to stderr; `RUST_LOG` overrides the default level (warnings; for the app and `serve`
/// also info for our crates).
fn init_tracing(chatty: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(if chatty {
            "warn,leerrijk=info,leerrijk_sync=info,leerrijk_store=warn"
        } else {
            "warn"
        })
    });
    // Colour codes only where a person reads them, never in a file or a pipe.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}
