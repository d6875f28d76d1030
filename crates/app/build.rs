//! Build script: on Windows (GNU toolchain, also when cross-compiling from Linux with mingw-w64)
//! the executables get the app icon and version information as a Windows resource, so
//! Explorer, the Start menu and the task bar show Leerrijk's icon. Elsewhere it does nothing.
//!
//! The resource is compiled with `windres` (`$WINDRES`, else `x86_64-w64-mingw32-windres`, else
//! `windres`). Without it the build still succeeds, with a warning and without the icon.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let icon = PathBuf::from("../../assets/icons/leerrijk.ico");
    println!("cargo:rerun-if-changed={}", icon.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "windows" || target_env != "gnu" {
        return;
    }
    if let Err(why) = embed_resource(&icon) {
        println!("cargo:warning=leerrijk.exe gets no icon or version resource: {why}");
    }
}

fn embed_resource(icon: &std::path::Path) -> Result<(), String> {
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let icon = icon
        .canonicalize()
        .map_err(|e| format!("{}: {e}", icon.display()))?;
    let version = env::var("CARGO_PKG_VERSION").map_err(|e| e.to_string())?;
    let part = |name: &str| env::var(name).unwrap_or_else(|_| "0".into());
    let numeric = format!(
        "{},{},{},0",
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH")
    );
    // windres reads forward slashes on every host.
    let icon_path = icon.display().to_string().replace('\\', "/");
    let rc = format!(
        r#"1 ICON "{icon_path}"
1 VERSIONINFO
FILEVERSION {numeric}
PRODUCTVERSION {numeric}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041304B0"
    BEGIN
      VALUE "CompanyName", "Leerrijk"
      VALUE "FileDescription", "Leerrijk"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "leerrijk"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "ProductName", "Leerrijk"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0413, 1200
  END
END
"#
    );
    let rc_file = out.join("leerrijk.rc");
    let obj = out.join("leerrijk-res.o");
    std::fs::write(&rc_file, rc).map_err(|e| e.to_string())?;
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let candidates: Vec<String> = match env::var("WINDRES") {
        Ok(w) => vec![w],
        Err(_) => vec![format!("{arch}-w64-mingw32-windres"), "windres".into()],
    };
    let mut last = String::from("no windres found");
    for windres in candidates {
        let status = Command::new(&windres)
            .arg("-O")
            .arg("coff")
            .arg("-i")
            .arg(&rc_file)
            .arg("-o")
            .arg(&obj)
            .status();
        match status {
            Ok(s) if s.success() => {
                // The object itself (not an archive), so the linker keeps the resource section.
                println!("cargo:rustc-link-arg-bins={}", obj.display());
                return Ok(());
            }
            Ok(s) => last = format!("{windres} failed ({s})"),
            Err(e) => last = format!("{windres}: {e}"),
        }
    }
    Err(last)
}
