//! The CSV exports: actions, offers, requests, post-its.

use crate::ReportError;
use crate::prepared::Prepared;

/// The file names [`crate::csv_files`] produces, in order.
pub const CSV_FILE_NAMES: [&str; 4] = ["actions.csv", "offers.csv", "requests.csv", "postits.csv"];

/// One CSV file: its name and its bytes (UTF-8 with a byte-order mark).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvFile {
    /// File name, e.g. `actions.csv`.
    pub name: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// UTF-8 byte-order mark: spreadsheet programs then read accents right.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn write(
    name: &'static str,
    header: Vec<&str>,
    rows: Vec<Vec<String>>,
) -> Result<CsvFile, ReportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    w.write_record(&header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| defuse(c).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))?;
    Ok(CsvFile { name, bytes })
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return at the start) gets a leading apostrophe, so opening a hand-out never runs a formula
/// someone typed into a post-it.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn yes_no(r: &Prepared, b: bool) -> String {
    r.t(if b { "csv.yes" } else { "csv.no" }).to_owned()
}

pub(crate) fn render(r: &Prepared) -> Result<Vec<CsvFile>, ReportError> {
    let v = &r.v;
    let opt = |o: Option<String>| o.unwrap_or_default();

    // actions.csv
    let mut header = vec![r.t("act.what")];
    if !r.anon {
        header.push(r.t("act.owner"));
    }
    header.extend([
        r.t("act.due"),
        r.t("act.status"),
        r.t("col.theme"),
        r.t("csv.after_archive"),
    ]);
    let rows = v
        .actions
        .iter()
        .map(|a| {
            let mut row = vec![a.text.clone()];
            if !r.anon {
                row.push(opt(a.owner.as_deref().and_then(|p| r.person(p))));
            }
            row.extend([
                opt(a.due.clone()),
                r.status(a.status).to_owned(),
                opt(a.theme.as_deref().map(|t| r.theme_title(t))),
                yes_no(r, a.after_archive),
            ]);
            row
        })
        .collect();
    let actions = write("actions.csv", header, rows)?;

    // offers.csv
    let mut header = vec![r.t("mkt.offer")];
    if !r.anon {
        header.push(r.t("csv.offered_by"));
    }
    header.extend([r.t("csv.tags"), r.t("csv.meets_requests")]);
    if !r.anon {
        header.push(r.t("csv.asked_by"));
    }
    header.push(r.t("csv.after_archive"));
    let rows = v
        .offers
        .iter()
        .map(|o| {
            let reqs = r.requests_for_offer(&o.id);
            let mut row = vec![o.topic.clone()];
            if !r.anon {
                row.push(o.people.join("; "));
            }
            row.push(o.tags.join("; "));
            row.push(
                reqs.iter()
                    .map(|q| q.topic.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            if !r.anon {
                row.push(
                    reqs.iter()
                        .map(|q| q.person.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
            row.push(yes_no(r, o.after_archive));
            row
        })
        .collect();
    let offers = write("offers.csv", header, rows)?;

    // requests.csv
    let mut header = vec![r.t("mkt.request")];
    if !r.anon {
        header.extend([r.t("mkt.asked_by"), r.t("csv.from_whom")]);
    }
    header.extend([r.t("csv.tags"), r.t("csv.matching_offers")]);
    if !r.anon {
        header.push(r.t("mkt.can_help"));
    }
    header.extend([r.t("csv.unmet"), r.t("csv.after_archive")]);
    let rows = v
        .requests
        .iter()
        .map(|q| {
            let offers = r.offers_for_request(&q.id);
            let mut row = vec![q.topic.clone()];
            if !r.anon {
                row.push(q.person.clone());
                row.push(q.from_whom.join("; "));
            }
            row.push(q.tags.join("; "));
            row.push(
                offers
                    .iter()
                    .map(|o| o.topic.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            if !r.anon {
                let mut people: Vec<&str> = Vec::new();
                for o in &offers {
                    for p in &o.people {
                        if !people.contains(&p.as_str()) {
                            people.push(p);
                        }
                    }
                }
                row.push(people.join("; "));
            }
            row.push(yes_no(r, r.market.unmet_requests.contains(&q.id)));
            row.push(yes_no(r, q.after_archive));
            row
        })
        .collect();
    let requests = write("requests.csv", header, rows)?;

    // postits.csv
    let mut header = vec![r.t("csv.postit"), r.t("col.theme"), r.t("col.polarity")];
    if !r.anon {
        header.push(r.t("csv.author"));
    }
    header.extend([r.t("csv.colour"), r.t("csv.after_archive")]);
    let rows = v
        .postits
        .iter()
        .map(|p| {
            let theme = p.theme.as_deref().and_then(|t| r.v.theme(t));
            let mut row = vec![
                p.text.clone(),
                theme.map(crate::prepared::theme_label).unwrap_or_default(),
                theme
                    .map(|t| r.polarity(t.polarity).to_owned())
                    .unwrap_or_default(),
            ];
            if !r.anon {
                row.push(match p.author.as_deref().and_then(|a| r.person(a)) {
                    Some(n) => n,
                    None if p.anonymous => r.t("postit.anonymous").to_owned(),
                    None => String::new(),
                });
            }
            row.extend([r.colour(&p.colour), yes_no(r, p.after_archive)]);
            row
        })
        .collect();
    let postits = write("postits.csv", header, rows)?;

    Ok(vec![actions, offers, requests, postits])
}
