#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Shared helpers for the workspace-level tests: locating the built `leerrijk` binary and
//! running it against a data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `leerrijk` binary built by `cargo test --workspace` (or `cargo build`), next to this
/// test executable's `deps/` directory.
pub fn leerrijk_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let bin = dir.join(format!("leerrijk{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "the leerrijk binary is not built at {}; run `cargo build -p leerrijk-app` or `cargo test --workspace`",
        bin.display()
    );
    bin
}

/// The result of one CLI run.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `leerrijk --data-dir DIR ARGS…` to completion.
pub fn run(data_dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(leerrijk_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("LEERRIJK_DATA_DIR")
        .output();
    match out {
        Ok(o) => o.into(),
        Err(e) => Run {
            code: -2,
            stdout: String::new(),
            stderr: format!("could not start leerrijk: {e}"),
        },
    }
}

/// Runs the CLI and returns its trimmed stdout, asserting success.
pub fn ok(data_dir: &Path, args: &[&str]) -> String {
    let r = run(data_dir, args);
    assert_eq!(r.code, 0, "leerrijk {args:?} failed: {}", r.stderr);
    r.stdout.trim().to_owned()
}

/// `show ID --json` parsed.
pub fn show_json(data_dir: &Path, id: &str) -> serde_json::Value {
    let out = ok(data_dir, &["show", id, "--json"]);
    match serde_json::from_str(&out) {
        Ok(v) => v,
        Err(e) => panic!("show --json is not JSON ({e}): {out}"),
    }
}
