#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Snapshots of the Markdown and CSV exports of the fixture trajectory.

mod common;

use common::{demo, stable_ids};
use leerrijk_report::{ExportOptions, Lang, csv_files, markdown};

#[test]
fn markdown_dutch() {
    let (_, v) = demo();
    let md = markdown(&v, &ExportOptions::default()).unwrap();
    insta::assert_snapshot!("markdown_nl", stable_ids(&md));
}

#[test]
fn markdown_english() {
    let (_, v) = demo();
    let opts = ExportOptions {
        lang: Lang::En,
        local_time: false,
        ..Default::default()
    };
    insta::assert_snapshot!("markdown_en", stable_ids(&markdown(&v, &opts).unwrap()));
}

#[test]
fn markdown_anonymous_without_logbook() {
    let (_, v) = demo();
    let opts = ExportOptions {
        anonymous: true,
        leave_out_logbook: true,
        lang: Lang::Nl,
        local_time: false,
    };
    insta::assert_snapshot!(
        "markdown_nl_anonymous_no_logbook",
        stable_ids(&markdown(&v, &opts).unwrap())
    );
}

#[test]
fn csv_dutch() {
    let (_, v) = demo();
    let files = csv_files(&v, &ExportOptions::default()).unwrap();
    assert_eq!(
        files.iter().map(|f| f.name).collect::<Vec<_>>(),
        leerrijk_report::CSV_FILE_NAMES
    );
    for f in files {
        assert!(f.bytes.starts_with(b"\xEF\xBB\xBF"), "{} has a BOM", f.name);
        let text = String::from_utf8(f.bytes[3..].to_vec()).unwrap();
        if f.name == "postits.csv" {
            assert!(
                text.contains("\r\n'=1+1 is meer dan 2"),
                "a formula-like cell is defused"
            );
        }
        insta::assert_snapshot!(format!("csv_nl_{}", f.name), stable_ids(&text));
    }
}

#[test]
fn csv_anonymous_english() {
    let (_, v) = demo();
    let opts = ExportOptions {
        anonymous: true,
        leave_out_logbook: false,
        lang: Lang::En,
        local_time: false,
    };
    for f in csv_files(&v, &opts).unwrap() {
        let text = String::from_utf8(f.bytes[3..].to_vec()).unwrap();
        insta::assert_snapshot!(format!("csv_en_anonymous_{}", f.name), stable_ids(&text));
    }
}

/// CSV files parse back with the csv crate, with as many fields per row as in the header.
#[test]
fn csv_files_parse_back() {
    let (_, v) = demo();
    for f in csv_files(&v, &ExportOptions::default()).unwrap() {
        let mut rdr = csv::Reader::from_reader(&f.bytes[..]);
        let width = rdr.headers().unwrap().len();
        let mut rows = 0;
        for rec in rdr.records() {
            assert_eq!(rec.unwrap().len(), width, "{}", f.name);
            rows += 1;
        }
        let expected = match f.name {
            "actions.csv" => v.actions.len(),
            "offers.csv" => v.offers.len(),
            "requests.csv" => v.requests.len(),
            _ => v.postits.len(),
        };
        assert_eq!(rows, expected, "{}", f.name);
    }
}
