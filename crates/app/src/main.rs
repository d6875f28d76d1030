//! `leerrijk`: the Leerrijk desktop app (no arguments) and its headless command line.
//!
//! Exit codes: 0 ok; 1 a user error (a one-line message on stderr); 2 an internal error.

use std::process::ExitCode;

use leerrijk_app::{cli, exit};

use clap::Parser;

fn main() -> ExitCode {
    init_tracing();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
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

/// Logs to stderr; `RUST_LOG` overrides the default level (warnings, and info for our crates).
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,leerrijk=info,leerrijk_sync=info,leerrijk_store=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
