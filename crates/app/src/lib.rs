//! The Leerrijk app: the desktop GUI and the headless command line share this library.
//!
//! * [`library`]: a data directory and the device identity; opening and creating trajectories.
//! * [`hub`]: the one place in a process where trajectories are open and edited.
//! * [`archive`]: archiving, exporting (write-up and full document) and importing.
//! * [`cli`]: the command line (`leerrijk --help`).
//! * [`gui`]: the desktop app (`leerrijk` without arguments).
//! * [`exit`]: exit codes and one-line error messages.
//! * [`runtime`]: peer-to-peer sync wired to the hub (`invite`, `join`, `serve`, `sync`).

pub mod archive;
pub mod cli;
pub mod dev_generate;
pub mod exit;
pub mod gui;
pub mod hub;
pub mod library;
pub mod runtime;
