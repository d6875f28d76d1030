#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end through the `leerrijk` binary: archive, unarchive, export in every format,
//! import (round trip, merge, bad files).

use std::path::{Path, PathBuf};
use std::process::Command;

use leerrijk_app::library::Library;
use leerrijk_model::Role;
use leerrijk_report::ExportOptions;
use leerrijk_report::fixture::fixture;
use leerrijk_store::{TrajectoryId, TrajectoryStore};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn leerrijk(data_dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_leerrijk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("LEERRIJK_DATA_DIR")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run leerrijk");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(data_dir: &Path, args: &[&str]) -> String {
    let o = leerrijk(data_dir, args);
    assert_eq!(o.code, 0, "{args:?} failed: {}", o.stderr);
    o.stdout
}

fn user_error(data_dir: &Path, args: &[&str]) -> String {
    let o = leerrijk(data_dir, args);
    assert_eq!(
        o.code, 1,
        "{args:?}: expected exit 1, got {}: {}",
        o.code, o.stderr
    );
    assert_eq!(o.stderr.trim().lines().count(), 1, "one line: {}", o.stderr);
    o.stderr
}

fn new_trajectory(dir: &Path) -> String {
    ok(
        dir,
        &[
            "new",
            "--title",
            "Leren loont",
            "--initiator",
            "Anja",
            "--role",
            "directie",
        ],
    )
    .trim()
    .to_owned()
}

/// Stores the fixture trajectory (archived, with late edits) and its photos in `dir`.
fn store_fixture(dir: &Path) -> (String, leerrijk_report::fixture::Fixture) {
    let lib = Library::open(Some(dir.to_owned())).unwrap();
    let mut f = fixture().unwrap();
    let id = f.trajectory.id();
    let tid = TrajectoryId::parse(&id).unwrap();
    TrajectoryStore::create(lib.data_dir(), &tid, f.trajectory.doc_mut()).unwrap();
    for (hash, bytes) in &f.photos {
        assert_eq!(&lib.data_dir().put_blob(bytes).unwrap(), hash);
    }
    (id, f)
}

fn heads(dir: &Path, id: &str) -> Vec<automerge::ChangeHash> {
    let lib = Library::open(Some(dir.to_owned())).unwrap();
    let mut s = lib.open_trajectory(id).unwrap();
    let mut h = s.doc_mut().get_heads();
    h.sort();
    h
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn archive_blocks_edits_and_only_the_initiator_may_undo_it() {
    let a = tempfile::tempdir().unwrap();
    let id = new_trajectory(a.path());
    ok(
        a.path(),
        &[
            "add",
            &id,
            "theme",
            "--title",
            "Samen",
            "--polarity",
            "positive",
        ],
    );
    ok(
        a.path(),
        &[
            "add",
            &id,
            "participant",
            "--name",
            "Bram",
            "--role",
            "leerkracht",
        ],
    );

    // A second device (another data dir) acting for Bram, who is not the initiator.
    let am = a.path().join("t.automerge");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            am.to_str().unwrap(),
        ],
    );
    let b = tempfile::tempdir().unwrap();
    assert_eq!(ok(b.path(), &["import", am.to_str().unwrap()]).trim(), id);
    let msg = user_error(b.path(), &["archive", &id]);
    assert!(msg.contains("does not act for anyone"), "{msg}");
    {
        let lib = Library::open(Some(b.path().to_owned())).unwrap();
        let mut s = lib.open_trajectory(&id).unwrap();
        let bram = s.trajectory().find_participant_by_name("Bram").unwrap();
        let dev = lib.device_id().to_owned();
        s.edit(|t| t.add_device(&bram, &dev)).unwrap();
    }
    let msg = user_error(b.path(), &["archive", &id]);
    assert!(msg.contains("only the initiator may archive"), "{msg}");

    // The initiator archives: every kind of add is refused with a clear message.
    ok(a.path(), &["archive", &id]);
    let show: serde_json::Value =
        serde_json::from_str(&ok(a.path(), &["show", &id, "--json"])).unwrap();
    assert!(
        show["archived"]["heads"]
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
    let before = ok(a.path(), &["show", &id, "--json"]);
    for add in [
        vec!["theme", "--title", "Te laat", "--polarity", "negative"],
        vec!["postit", "--text", "Te laat"],
        vec!["offer", "--topic", "Digibord", "--person", "Bram"],
        vec!["request", "--topic", "Digibord", "--person", "Piet"],
        vec!["action", "--text", "Iets", "--owner", "Bram"],
        vec![
            "story",
            "--kind",
            "satisfaction",
            "--author",
            "Bram",
            "--answer",
            "q1=x",
        ],
        vec!["participant", "--name", "Els", "--role", "ib"],
        vec!["placement", "--person", "Bram", "--value", "40"],
        vec![
            "logbook",
            "--author",
            "Bram",
            "--quadrant",
            "easy_fun",
            "--hours",
            "2",
            "--text",
            "x",
        ],
    ] {
        let mut args = vec!["add", id.as_str()];
        args.extend(add.iter().copied());
        let msg = user_error(a.path(), &args);
        assert!(msg.contains("archived and read-only"), "{add:?}: {msg}");
    }
    let msg = user_error(a.path(), &["phase", &id, "3"]);
    assert!(msg.contains("archived"), "{msg}");
    assert_eq!(
        ok(a.path(), &["show", &id, "--json"]),
        before,
        "nothing changed"
    );
    let msg = user_error(a.path(), &["archive", &id]);
    assert!(msg.contains("already archived"), "{msg}");

    // Bram's device learns of the archive (import merges) and cannot undo it.
    let am2 = a.path().join("t2.automerge");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            am2.to_str().unwrap(),
        ],
    );
    let o = leerrijk(b.path(), &["import", am2.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("merged"), "{}", o.stderr);
    let msg = user_error(b.path(), &["add", &id, "postit", "--text", "x"]);
    assert!(msg.contains("archived"), "{msg}");
    let msg = user_error(b.path(), &["unarchive", &id]);
    assert!(msg.contains("only the initiator may unarchive"), "{msg}");

    // The initiator unarchives; edits work again.
    ok(a.path(), &["unarchive", &id]);
    ok(a.path(), &["add", &id, "postit", "--text", "Weer open"]);
    let msg = user_error(a.path(), &["unarchive", &id]);
    assert!(msg.contains("not archived"), "{msg}");
}

#[test]
fn automerge_export_import_round_trip_is_identical() {
    let a = tempfile::tempdir().unwrap();
    let (id, _) = store_fixture(a.path());
    let out = a.path().join("archief.automerge");
    let printed = ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(printed.trim(), out.to_str().unwrap());

    let b = tempfile::tempdir().unwrap();
    assert_eq!(ok(b.path(), &["import", out.to_str().unwrap()]).trim(), id);
    assert_eq!(heads(a.path(), &id), heads(b.path(), &id));
    let show_a = ok(a.path(), &["show", &id, "--json"]);
    let show_b = ok(b.path(), &["show", &id, "--json"]);
    assert_eq!(show_a, show_b);
    // The history came along: the archive record and the late edits are intact.
    let v: serde_json::Value = serde_json::from_str(&show_b).unwrap();
    assert!(v["archived"].is_object());
    let late: Vec<&str> = v["postits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["after_archive"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(late, ["Nagekomen: de pauzes samen doorbrengen"]);
    // Exporting again from the imported copy gives a document with the same heads.
    let again = b.path().join("again.automerge");
    ok(
        b.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    let mut x = automerge::AutoCommit::load(&std::fs::read(&out).unwrap()).unwrap();
    let mut y = automerge::AutoCommit::load(&std::fs::read(&again).unwrap()).unwrap();
    assert_eq!(x.get_heads(), y.get_heads());

    // Importing the same file again merges nothing new and says so.
    let o = leerrijk(b.path(), &["import", out.to_str().unwrap()]);
    assert_eq!((o.code, o.stdout.trim()), (0, id.as_str()));
    assert!(o.stderr.contains("already had everything"), "{}", o.stderr);
}

#[test]
fn import_merges_into_an_existing_trajectory() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let id = new_trajectory(a.path());
    let t1 = a.path().join("t1.automerge");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            t1.to_str().unwrap(),
        ],
    );
    ok(b.path(), &["import", t1.to_str().unwrap()]);
    // Both sides go on separately.
    ok(a.path(), &["add", &id, "postit", "--text", "Van A"]);
    ok(b.path(), &["add", &id, "postit", "--text", "Van B"]);
    let t2 = b.path().join("t2.automerge");
    ok(
        b.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            t2.to_str().unwrap(),
        ],
    );
    let o = leerrijk(a.path(), &["import", t2.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("merged into it"), "{}", o.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&ok(a.path(), &["show", &id, "--json"])).unwrap();
    let mut texts: Vec<&str> = v["postits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    texts.sort();
    assert_eq!(texts, ["Van A", "Van B"], "nothing lost on either side");
}

#[test]
fn bad_files_are_refused_and_nothing_is_written() {
    let a = tempfile::tempdir().unwrap();
    let (id, _) = store_fixture(a.path());
    let good = a.path().join("good.automerge");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            good.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&good).unwrap();

    let bad = tempfile::tempdir().unwrap();
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "is empty"),
        (
            "garbage",
            b"this is not a trajectory\n".to_vec(),
            "not a Leerrijk trajectory export",
        ),
        (
            "truncated",
            bytes[..bytes.len() / 2].to_vec(),
            "damaged or cut off",
        ),
        (
            "one byte short",
            bytes[..bytes.len() - 1].to_vec(),
            "damaged or cut off",
        ),
    ];
    // A flipped byte in the middle (the document chunk's checksum covers every byte).
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    cases.push(("flipped byte", flipped, "not a Leerrijk trajectory export"));
    // An automerge document that is not a trajectory.
    let mut other = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(&mut other, automerge::ROOT, "hello", "world")
        .unwrap();
    cases.push((
        "other automerge doc",
        other.save(),
        "not a Leerrijk trajectory",
    ));
    // A trajectory from a newer Leerrijk.
    let mut newer = automerge::AutoCommit::load(&bytes).unwrap();
    automerge::transaction::Transactable::put(&mut newer, automerge::ROOT, "schema", 99_i64)
        .unwrap();
    cases.push(("newer schema", newer.save(), "newer version of Leerrijk"));
    // A modified app's export: a post-it of 5,000 characters written with raw automerge.
    let mut forged = automerge::AutoCommit::load(&bytes).unwrap();
    {
        use automerge::ReadDoc;
        use automerge::transaction::Transactable as _;
        let Some((_, postits)) = forged.get(automerge::ROOT, "postits").unwrap() else {
            panic!("no postits")
        };
        let p = forged
            .put_object(
                &postits,
                "f0000000000000000000000000000000",
                automerge::ObjType::Map,
            )
            .unwrap();
        let text = forged
            .put_object(&p, "text", automerge::ObjType::Text)
            .unwrap();
        forged.splice_text(&text, 0, 0, &"x".repeat(5_000)).unwrap();
    }
    cases.push((
        "oversized post-it",
        forged.save(),
        "breaks the limits of a Leerrijk trajectory",
    ));

    for (what, content, expect) in cases {
        let file = bad
            .path()
            .join(format!("{}.automerge", what.replace(' ', "-")));
        std::fs::write(&file, content).unwrap();
        let fresh = tempfile::tempdir().unwrap();
        let msg = user_error(fresh.path(), &["import", file.to_str().unwrap()]);
        assert!(msg.contains(expect), "{what}: {msg}");
        assert!(
            files_in(&fresh.path().join("trajectories")).is_empty(),
            "{what}: something was written"
        );
        assert_eq!(ok(fresh.path(), &["list"]), "", "{what}");
    }
    let msg = user_error(
        a.path(),
        &["import", bad.path().join("missing").to_str().unwrap()],
    );
    assert!(msg.contains("could not read"), "{msg}");
}

#[test]
fn every_export_format_on_the_fixture() {
    let a = tempfile::tempdir().unwrap();
    let (id, f) = store_fixture(a.path());
    let view = f.trajectory.view();
    let out = tempfile::tempdir().unwrap();
    let o = |name: &str| out.path().join(name);

    // JSON: identical to `show --json`.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "json",
            "--out",
            o("t.json").to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read_to_string(o("t.json")).unwrap(),
        ok(a.path(), &["show", &id, "--json"])
    );

    // Markdown: what the report crate makes of the stored trajectory (the CLI gives times
    // of day in local time).
    let local = ExportOptions {
        local_time: true,
        ..ExportOptions::default()
    };
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "md",
            "--out",
            o("t.md").to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(o("t.md")).unwrap();
    // Word: the same report as a .docx package.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "docx",
            "--out",
            o("t.docx").to_str().unwrap(),
        ],
    );
    let docx = std::fs::read(o("t.docx")).unwrap();
    assert_eq!(&docx[..2], b"PK");
    assert!(String::from_utf8_lossy(&docx).contains("word/document.xml"));
    assert_eq!(md, leerrijk_report::markdown(&view, &local).unwrap());
    assert!(md.contains("## Fase 5 — Over naar actie"));

    // HTML: photos from the data dir's blobs are embedded.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "html",
            "--out",
            o("t.html").to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(o("t.html")).unwrap();
    assert_eq!(
        page,
        leerrijk_report::html(&view, &local, &|h: &str| f.photo(h)).unwrap()
    );
    assert_eq!(page.matches("data:image/png;base64,").count(), 2);

    // English, anonymous, without logbook.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "html",
            "--out",
            o("anon.html").to_str().unwrap(),
            "--anonymous",
            "--no-logbook",
            "--lang",
            "en",
        ],
    );
    let anon = std::fs::read_to_string(o("anon.html")).unwrap();
    assert!(anon.contains("<html lang=\"en\">"));
    assert!(anon.contains("The logbook is left out."));
    for name in &f.names {
        assert!(
            !anon.contains(name.as_str()),
            "{name} in the anonymous export"
        );
    }

    // CSV: a directory with four files.
    let csv_dir = o("csv");
    let printed = ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "csv",
            "--out",
            csv_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(printed.lines().count(), 4);
    let expected = leerrijk_report::csv_files(&view, &ExportOptions::default()).unwrap();
    for file in expected {
        assert_eq!(
            std::fs::read(csv_dir.join(file.name)).unwrap(),
            file.bytes,
            "{}",
            file.name
        );
    }
    assert_eq!(files_in(&csv_dir).len(), 4, "no temporary files left");
    let msg = user_error(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "csv",
            "--out",
            o("t.json").to_str().unwrap(),
        ],
    );
    assert!(msg.contains("names a directory"), "{msg}");

    // Automerge: the same document.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            o("t.automerge").to_str().unwrap(),
        ],
    );
    let mut doc = automerge::AutoCommit::load(&std::fs::read(o("t.automerge")).unwrap()).unwrap();
    let mut h = doc.get_heads();
    h.sort();
    assert_eq!(h, heads(a.path(), &id));

    // --out a directory: a file named after the trajectory inside it.
    let printed = ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "md",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(
        PathBuf::from(printed.trim()),
        out.path().join(format!("leerrijk-{id}.md"))
    );
    // Overwriting an export replaces it whole.
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "json",
            "--out",
            o("t.json").to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert!(
        files_in(out.path()).iter().all(|p| !p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains(".tmp-"))
    );

    // Errors: privacy options with automerge, unknown format, unknown language, missing dir.
    let msg = user_error(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--anonymous",
            "--out",
            o("x").to_str().unwrap(),
        ],
    );
    assert!(msg.contains("do not apply"), "{msg}");
    let bad = leerrijk(a.path(), &["export", &id, "--format", "pdf", "--out", "x"]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("unknown export format"),
        "{}",
        bad.stderr
    );
    let bad = leerrijk(
        a.path(),
        &[
            "export", &id, "--format", "md", "--lang", "fr", "--out", "x",
        ],
    );
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("unknown report language"),
        "{}",
        bad.stderr
    );
    let msg = user_error(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "md",
            "--out",
            o("no/such/dir/t.md").to_str().unwrap(),
        ],
    );
    assert!(msg.contains("does not exist"), "{msg}");
}

/// The app's own `Library::create` path works with export too (not only the fixture).
#[test]
fn export_of_a_fresh_trajectory_in_english() {
    let a = tempfile::tempdir().unwrap();
    let lib = Library::open(Some(a.path().to_owned())).unwrap();
    let s = lib
        .create("Fresh", "School", "Anja", Role::Leerkracht)
        .unwrap();
    let id = s.trajectory().id();
    drop(s);
    let out = a.path().join("fresh.md");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "md",
            "--lang",
            "en",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let md = std::fs::read_to_string(out).unwrap();
    assert!(md.contains("Not archived yet"));
    assert!(md.contains("*Nothing recorded.*"));
}

#[test]
fn a_clean_export_has_no_history_and_cannot_be_merged_back() {
    let a = tempfile::tempdir().unwrap();
    let id = new_trajectory(a.path());
    let keep = ok(a.path(), &["add", &id, "postit", "--text", "Blijft"]);
    let gone = ok(
        a.path(),
        &["add", &id, "postit", "--text", "Weggehaald geheim"],
    );
    let lib = Library::open(Some(a.path().to_owned())).unwrap();
    lib.open_trajectory(&id)
        .unwrap()
        .edit(|t| t.delete_postit(gone.trim()))
        .unwrap();
    drop(lib);
    let clean = a.path().join("uitdelen.automerge");
    let o = leerrijk(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--clean",
            "--out",
            clean.to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let bytes = std::fs::read(&clean).unwrap();
    let mut doc = automerge::AutoCommit::load(&bytes).unwrap();
    assert_eq!(doc.get_changes(&[]).len(), 1, "no history");
    let all = String::from_utf8_lossy(&doc.save_nocompress()).into_owned();
    assert!(!all.contains("Weggehaald"));
    // The full export says it holds history.
    let full = a.path().join("volledig.automerge");
    let o = leerrijk(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            full.to_str().unwrap(),
        ],
    );
    assert!(o.stderr.contains("whole history"), "{}", o.stderr);
    // Opened elsewhere it reads the same; merged into the original it is refused.
    let b = tempfile::tempdir().unwrap();
    assert_eq!(
        ok(b.path(), &["import", clean.to_str().unwrap()]).trim(),
        id
    );
    let v: serde_json::Value =
        serde_json::from_str(&ok(b.path(), &["show", &id, "--json"])).unwrap();
    let texts: Vec<&str> = v["postits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Blijft"]);
    assert!(keep.trim().len() == 32);
    let msg = user_error(a.path(), &["import", clean.to_str().unwrap()]);
    assert!(msg.contains("clean copy"), "{msg}");
    assert!(
        user_error(
            a.path(),
            &["export", &id, "--format", "md", "--clean", "--out", "x.md"]
        )
        .contains("--clean")
    );
}

#[test]
fn an_anonymous_post_it_keeps_its_author_only_on_the_authors_laptop() {
    let a = tempfile::tempdir().unwrap();
    let id = new_trajectory(a.path());
    let postit = ok(
        a.path(),
        &[
            "add",
            &id,
            "postit",
            "--text",
            "Te weinig tijd",
            "--anonymous",
            "--author",
            "Carla",
        ],
    );
    let postit = postit.trim();
    let out = a.path().join("alles.automerge");
    ok(
        a.path(),
        &[
            "export",
            &id,
            "--format",
            "automerge",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let doc = automerge::AutoCommit::load(&std::fs::read(&out).unwrap()).unwrap();
    use automerge::ReadDoc;
    let (_, coll) = doc.get(automerge::ROOT, "postits").unwrap().unwrap();
    let (_, p) = doc.get(&coll, postit).unwrap().unwrap();
    assert!(
        doc.get(&p, "author").unwrap().is_none(),
        "no author in the shared document"
    );
    // The private notebook of this laptop has the link.
    let lib = Library::open(Some(a.path().to_owned())).unwrap();
    let (_, nb, _) =
        leerrijk_store::NotebookStore::open(lib.data_dir(), leerrijk_app::library::NOTEBOOK_NAME)
            .unwrap();
    let links = leerrijk_model::Notebook::from_doc(nb).own_postits(&id);
    assert_eq!(links.keys().collect::<Vec<_>>(), [postit]);
}
