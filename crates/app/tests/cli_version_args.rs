#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `leerrijk --version`, and the invitation-file argument next to the subcommands: a
//! mistyped command is a clear user error (exit 1), never an attempt to open a window.

use std::process::{Command, Output};

fn leerrijk(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leerrijk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

#[test]
fn version_prints_name_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = leerrijk(dir.path(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("leerrijk {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn subcommands_still_win_after_global_options_and_typos_are_user_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = leerrijk(dir.path(), &["new", "--title", "T", "--initiator", "Anja"]);
    assert!(out.status.success(), "{out:?}");
    let out = leerrijk(dir.path(), &["list"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8(out.stdout).unwrap().ends_with("\tT\n"));

    let out = leerrijk(dir.path(), &["lsit"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("'lsit' is neither a command nor an invitation file"),
        "{err}"
    );

    let file = dir.path().join("uitnodiging.leerrijk");
    std::fs::write(&file, "leerrijk1abc\n").unwrap();
    let out = leerrijk(dir.path(), &[file.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("before the command"), "{err}");
}
