#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The HTML report rendered by headless Chromium: to the DOM, a PNG screenshot and an A4 PDF.
//!
//! Needs Debian's `chromium` (`apt-get install chromium`); set `LEERRIJK_CHROMIUM` to use
//! another binary. Without it this test fails with a clear message: it never skips silently.
//! Set `LEERRIJK_RENDER_OUT=DIR` to keep the HTML, PNG and PDF for a look.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::demo;
use leerrijk_report::{ExportOptions, Lang, html};

fn chromium() -> PathBuf {
    let path = std::env::var_os("LEERRIJK_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "headless Chromium not found at {}: install it (Debian: apt-get install chromium) or set \
         LEERRIJK_CHROMIUM; this test renders the HTML report and must not be skipped",
        path.display()
    );
    path
}

/// Runs Chromium headless with `args` on `url`; returns stdout. A guard kills it after two
/// minutes (a hang is a failure, not a measurement).
fn run_chromium(args: &[String], url: &str, profile: &Path) -> Vec<u8> {
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = cmd.spawn().expect("start chromium");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(out) => {
                let out = out.expect("chromium output");
                assert!(
                    out.status.success(),
                    "chromium {args:?} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                return out.stdout;
            }
            Err(_) if Instant::now() > deadline => {
                let _ = Command::new("kill").arg(id.to_string()).status();
                panic!("chromium {args:?} did not finish within two minutes");
            }
            Err(_) => {}
        }
    }
}

fn out_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var_os("LEERRIJK_RENDER_OUT") {
        Some(d) => {
            let d = PathBuf::from(d);
            std::fs::create_dir_all(&d).unwrap();
            (d, None)
        }
        None => {
            let t = tempfile::tempdir().unwrap();
            (t.path().to_owned(), Some(t))
        }
    }
}

fn render(lang: Lang, anonymous: bool, name: &str) {
    let (f, v) = demo();
    let opts = ExportOptions {
        lang,
        local_time: false,
        anonymous,
        leave_out_logbook: false,
    };
    let page = html(&v, &opts, &|h: &str| f.photo(h)).unwrap();
    let (dir, _keep) = out_dir();
    let html_path = dir.join(format!("{name}.html"));
    std::fs::write(&html_path, &page).unwrap();
    let url = format!("file://{}", html_path.display());
    let profile = tempfile::tempdir().unwrap();

    // 1. The DOM has the report's headings.
    let dom =
        String::from_utf8(run_chromium(&["--dump-dom".into()], &url, profile.path())).unwrap();
    let expected: Vec<String> = match lang {
        Lang::Nl => vec![
            "<h1>Leren loont het langst</h1>".into(),
            "<h2>Fase 2 — Ervaringen en voorbeelden verzamelen</h2>".into(),
            "<h2>Fase 4 — Focussen en kiezen</h2>".into(),
            "<h2>Fase 5 — Over naar actie</h2>".into(),
            "<h3>Rood–groen continuüm</h3>".into(),
            "<h4>Wie kan je vinden voor wat</h4>".into(),
        ],
        Lang::En => vec![
            "<h1>Leren loont het langst</h1>".into(),
            "<h2>Phase 2 — Collecting experiences and examples</h2>".into(),
            "<h2>Phase 5 — On to action</h2>".into(),
            "<h4>Who to find for what</h4>".into(),
        ],
    };
    for h in &expected {
        assert!(dom.contains(h.as_str()), "{name}: DOM lacks {h}");
    }
    // The escaped post-it stays text: no script element came from user input.
    assert!(
        !dom.contains("<script>"),
        "{name}: a script element in the DOM"
    );
    // The red–green continuum, the team's quadrants and three people's quadrants.
    assert_eq!(dom.matches("<svg class=\"chart").count(), 5);

    // 2. A screenshot of the first page is not blank.
    let png = dir.join(format!("{name}.png"));
    run_chromium(
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1240,1754".into(),
        ],
        &url,
        profile.path(),
    );
    let img = image::open(&png).expect("screenshot decodes").to_luma8();
    assert_eq!((img.width(), img.height()), (1240, 1754));
    let n = f64::from(img.width() * img.height());
    let mean = img.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / n;
    let var = img
        .pixels()
        .map(|p| (f64::from(p.0[0]) - mean).powi(2))
        .sum::<f64>()
        / n;
    let dark = img.pixels().filter(|p| p.0[0] < 128).count();
    assert!(
        var > 100.0,
        "{name}: screenshot looks blank (variance {var:.1})"
    );
    assert!(
        dark > 2_000,
        "{name}: hardly any text drawn ({dark} dark pixels)"
    );

    // 3. An A4 PDF with several pages.
    let pdf = dir.join(format!("{name}.pdf"));
    run_chromium(
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
        &url,
        profile.path(),
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{name}: not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(
        pages >= 6,
        "{name}: {pages} pages; a title page and five phases expected"
    );
    // A4 is 595 × 842 points.
    assert!(
        text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594"),
        "{name}: not A4"
    );
}

#[test]
fn dutch_report_renders_in_chromium() {
    render(Lang::Nl, false, "report-nl");
}

#[test]
fn english_anonymous_report_renders_in_chromium() {
    render(Lang::En, true, "report-en-anonymous");
}
