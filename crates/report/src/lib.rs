//! # leerrijk-report
//!
//! The write-up ("uitwerking") of a trajectory, made from the model's read view
//! ([`TrajectoryView`]) and its analyses ([`leerrijk_model::analysis`]) only:
//!
//! * [`html`]: one self-contained HTML file (photos embedded as data URIs, inline CSS that
//!   prints on A4, charts as inline SVG), Dutch or English;
//! * [`markdown`]: the same content as Markdown (photos listed by caption);
//! * [`csv_files`]: `actions.csv`, `offers.csv`, `requests.csv` and `postits.csv`;
//! * [`json`]: the view as JSON, identical to `leerrijk show --json`.
//!
//! This crate does no IO: the caller passes the view, the [`ExportOptions`] and, for the HTML
//! report, a [`BlobSource`] that gives the bytes of a photo by its hash. Writing files is the
//! caller's job.
//!
//! ## Privacy
//!
//! [`ExportOptions::anonymous`] makes the whole export name-free: no participant list with
//! names (only roles and their counts), no authors of stories, post-its, logbook entries,
//! photos or themes, no group members, no action owners, no people on the marketplace sheets
//! (the matches show only *that* an offer meets a request), and participants' and colleagues'
//! names written inside free text are replaced by "`[naam]`". Analyses are computed before the
//! names are removed (on stable pseudonyms), so counts and matches stay right. The
//! marketplace is meant to help people find each other, so a hand-out for the team itself is
//! normally made *without* `anonymous`; the anonymous version is for sharing outside the team.
//!
//! [`ExportOptions::leave_out_logbook`] leaves out the logbook entries, the logbook chart and
//! the stories of the logbook assignment.
//!
//! Items that were merged in after the trajectory was archived (late offline edits) are marked
//! "na archivering toegevoegd" / "added after archiving".

mod anonymize;
mod blobs;
mod csv_export;
mod docx;
mod error;
#[cfg(feature = "fixture")]
pub mod fixture;
mod format;
mod html;
mod i18n;
mod lang;
mod markdown;
mod md_blocks;
mod options;
mod prepared;

pub use blobs::{BlobSource, NoBlobs};
pub use csv_export::{CSV_FILE_NAMES, CsvFile};
pub use docx::docx_from_markdown;
pub use error::ReportError;
pub use lang::Lang;
pub use md_blocks::{MdBlock, MdSpan, md_blocks};
pub use options::ExportOptions;

use leerrijk_model::TrajectoryView;

/// The self-contained HTML report: one file, photos embedded, prints on A4.
pub fn html(
    view: &TrajectoryView,
    opts: &ExportOptions,
    blobs: &dyn BlobSource,
) -> Result<String, ReportError> {
    let r = prepared::Prepared::new(view, opts)?;
    Ok(html::render(&r, blobs))
}

/// The report as Markdown (same content as the HTML report; photos are listed by caption).
pub fn markdown(view: &TrajectoryView, opts: &ExportOptions) -> Result<String, ReportError> {
    let r = prepared::Prepared::new(view, opts)?;
    Ok(markdown::render(&r))
}

/// The report as a Word document (`.docx`): the Markdown report's content with Word's
/// heading styles (photos are listed by caption, as in Markdown).
pub fn docx(view: &TrajectoryView, opts: &ExportOptions) -> Result<Vec<u8>, ReportError> {
    docx_from_markdown(&markdown(view, opts)?)
}

/// The CSV exports: `actions.csv`, `offers.csv`, `requests.csv`, `postits.csv` (UTF-8 with a
/// byte-order mark so spreadsheet programs show accents right; headers in the chosen
/// language).
pub fn csv_files(view: &TrajectoryView, opts: &ExportOptions) -> Result<Vec<CsvFile>, ReportError> {
    let r = prepared::Prepared::new(view, opts)?;
    csv_export::render(&r)
}

/// The view as pretty JSON with a final newline: byte for byte what `leerrijk show --json`
/// prints when no privacy option is set. With privacy options, the same structure with names
/// and authorship removed (see [`export_view`]).
pub fn json(view: &TrajectoryView, opts: &ExportOptions) -> Result<String, ReportError> {
    let v = export_view(view, opts);
    let mut s = serde_json::to_string_pretty(&v)?;
    s.push('\n');
    Ok(s)
}

/// The view as it is exported under `opts`: the logbook left out if asked, and with
/// `anonymous` every name and authorship removed (participants keep only their role; names
/// inside free text become "`[naam]`"/"`[name]`"). Without options, the view unchanged.
pub fn export_view(view: &TrajectoryView, opts: &ExportOptions) -> TrajectoryView {
    let strings = i18n::Strings::get(opts.lang).ok();
    let placeholder = strings.map_or("[naam]", |s| s.t("anon.redacted"));
    anonymize::export_view(view, opts, placeholder)
}
