//! `leerrijk-start`: opens the desktop app (`leerrijk` beside this program) without a console
//! window, passing its arguments on (an invitation file). On Windows, `leerrijk.exe` is a
//! console program (so the command line prints where it is typed); the Start-menu entry and
//! the `.leerrijk` file association start this one instead, which is a Windows GUI program
//! and starts `leerrijk.exe` with no console window. On Linux and macOS it just starts
//! `leerrijk`.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let app = match std::env::current_exe() {
        Ok(me) => me.with_file_name(format!("leerrijk{}", std::env::consts::EXE_SUFFIX)),
        Err(e) => {
            eprintln!("leerrijk-start: where am I? {e}");
            return ExitCode::from(2);
        }
    };
    let mut command = Command::new(&app);
    command.args(std::env::args_os().skip(1));
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        /// `CREATE_NO_WINDOW`: a console program started without a console window.
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("leerrijk-start: could not start {}: {e}", app.display());
            ExitCode::from(2)
        }
    }
}
