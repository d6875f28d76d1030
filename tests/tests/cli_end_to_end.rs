#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End to end: the built `leerrijk` binary, real data directories, every `add` kind, errors
//! and exit codes, two processes writing at once, a damaged file.

use std::path::Path;

use leerrijk_tests::{ok, run, show_json};

fn new_trajectory(dir: &Path) -> String {
    let id = ok(
        dir,
        &[
            "new",
            "--title",
            "Leren loont het langst",
            "--initiator",
            "Anja",
            "--school",
            "De Regenboog",
            "--role",
            "directie",
        ],
    );
    assert_eq!(id.len(), 32, "one id on one line: {id:?}");
    id
}

#[test]
fn every_add_kind_round_trips_through_show_json() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let id = new_trajectory(d);
    assert_eq!(ok(d, &["list"]), format!("{id}\tLeren loont het langst"));

    let pos = ok(
        d,
        &[
            "add",
            &id,
            "theme",
            "--title",
            "Van elkaar leren",
            "--polarity",
            "positive",
        ],
    );
    let neg = ok(
        d,
        &[
            "add",
            &id,
            "theme",
            "--title",
            "Werkdruk",
            "--polarity",
            "negative",
            "--by",
            "Bram",
        ],
    );
    let p1 = ok(
        d,
        &[
            "add",
            &id,
            "postit",
            "--text",
            "Bij elkaar in de klas kijken",
            "--theme",
            &pos,
            "--author",
            "Bram",
        ],
    );
    let p2 = ok(
        d,
        &[
            "add",
            &id,
            "postit",
            "--text",
            "Te veel vergaderingen",
            "--theme",
            &neg,
            "--author",
            "Els",
            "--anonymous",
        ],
    );
    let p3 = ok(d, &["add", &id, "postit", "--text", "Losse gedachte"]);
    let offer = ok(
        d,
        &[
            "add", &id, "offer", "--topic", "Digibord", "--person", "Bram",
        ],
    );
    let request = ok(
        d,
        &[
            "add",
            &id,
            "request",
            "--topic",
            "Werken met het digibord",
            "--person",
            "Els",
        ],
    );
    let action = ok(
        d,
        &[
            "add",
            &id,
            "action",
            "--text",
            "Maandelijks collegiale consultatie",
            "--owner",
            "Anja",
        ],
    );
    let story = ok(
        d,
        &[
            "add",
            &id,
            "story",
            "--kind",
            "satisfaction",
            "--author",
            "Bram",
            "--answer",
            "q1=De schoolmusical",
            "--answer",
            "q5=Samenwerking",
        ],
    );
    let cracker = ok(
        d,
        &[
            "add",
            &id,
            "story",
            "--kind",
            "brain_cracker",
            "--author",
            "Els",
            "--answer",
            "q1=Een nieuwe leerling",
            "--times",
            "3",
            "--colleague",
            "Karin",
        ],
    );
    let part = ok(
        d,
        &["add", &id, "participant", "--name", "Piet", "--role", "ib"],
    );
    let placed = ok(
        d,
        &["add", &id, "placement", "--person", "Piet", "--value", "70"],
    );
    assert_eq!(placed, part, "placement prints the participant id");
    let log = ok(
        d,
        &[
            "add",
            &id,
            "logbook",
            "--author",
            "Piet",
            "--quadrant",
            "hard_fun",
            "--hours",
            "2.5",
            "--text",
            "Nieuwe rekenmethode",
        ],
    );
    let group = ok(
        d,
        &[
            "add",
            &id,
            "ranking",
            "--group",
            "Groep 1",
            "--themes",
            &format!("{neg},{pos}"),
        ],
    );
    let again = ok(
        d,
        &[
            "add", &id, "ranking", "--group", "groep 1", "--themes", &pos,
        ],
    );
    assert_eq!(group, again, "same group by name");
    ok(d, &["phase", &id, "3"]);

    let v = show_json(d, &id);
    assert_eq!(v["title"], "Leren loont het langst");
    assert_eq!(v["school"], "De Regenboog");
    assert_eq!(v["phase"], 3);
    let ids = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("themes"), vec![pos.clone(), neg.clone()]);
    assert_eq!(ids("postits"), vec![p1.clone(), p2.clone(), p3.clone()]);
    assert_eq!(ids("offers"), vec![offer]);
    assert_eq!(ids("requests"), vec![request]);
    assert_eq!(ids("actions"), vec![action]);
    assert_eq!(ids("stories"), vec![story, cracker]);
    assert_eq!(ids("logbook"), vec![log]);
    assert_eq!(ids("groups"), vec![group]);
    let names: Vec<&str> = v["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Anja", "Bram", "Els", "Piet"]);
    assert_eq!(
        v["postits"][1]["author"],
        serde_json::Value::Null,
        "anonymous note hides its author"
    );
    assert_eq!(v["postits"][0]["theme"], pos.as_str());
    assert_eq!(v["groups"][0]["ranking"], serde_json::json!([pos]));
    assert_eq!(v["groups"][0]["unranked"], serde_json::json!([neg]));
    assert_eq!(v["placements"][0]["value"], 70);
    assert_eq!(v["stories"][1]["times_past_week"], 3);
    assert_eq!(v["logbook"][0]["hours"], 2.5);
}

#[test]
fn user_errors_exit_1_with_one_line_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let id = new_trajectory(d);
    let before = show_json(d, &id);
    let cases: Vec<Vec<&str>> = vec![
        vec!["add", &id, "theme", "--title", "X", "--polarity", "neutral"],
        vec![
            "add",
            &id,
            "theme",
            "--title",
            " ",
            "--polarity",
            "positive",
        ],
        vec![
            "add",
            &id,
            "postit",
            "--text",
            "x",
            "--theme",
            "0123456789abcdef0123456789abcdef",
        ],
        vec!["add", &id, "postit", "--text", ""],
        vec![
            "add",
            &id,
            "placement",
            "--person",
            "Bram",
            "--value",
            "101",
        ],
        vec!["add", &id, "placement", "--person", "Bram", "--value", "-5"],
        vec![
            "add",
            &id,
            "ranking",
            "--group",
            "G",
            "--themes",
            "0123456789abcdef0123456789abcdef",
        ],
        vec![
            "add", &id, "story", "--kind", "poetry", "--author", "Bram", "--answer", "q1=x",
        ],
        vec![
            "add",
            &id,
            "story",
            "--kind",
            "satisfaction",
            "--author",
            "Bram",
            "--answer",
            "q9=x",
        ],
        vec![
            "add",
            &id,
            "story",
            "--kind",
            "satisfaction",
            "--author",
            "Bram",
            "--answer",
            "no-equals",
        ],
        vec![
            "add",
            &id,
            "logbook",
            "--author",
            "Bram",
            "--quadrant",
            "sideways",
            "--hours",
            "1",
            "--text",
            "x",
        ],
        vec![
            "add",
            &id,
            "logbook",
            "--author",
            "Bram",
            "--quadrant",
            "easy_fun",
            "--hours",
            "-1",
            "--text",
            "x",
        ],
        vec![
            "add", &id, "action", "--text", "x", "--owner", "Bram", "--due", "morgen",
        ],
        vec![
            "add",
            &id,
            "participant",
            "--name",
            "Bram",
            "--role",
            "astronaut",
        ],
        vec!["phase", &id, "9"],
        vec!["show", "not-an-id"],
        vec!["show", "0123456789abcdef0123456789abcdef"],
    ];
    for args in cases {
        let r = run(d, &args);
        assert_eq!(r.code, 1, "{args:?} → {r:?}");
        assert_eq!(
            r.stderr.trim().lines().count(),
            1,
            "{args:?}: one line: {:?}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?} printed {:?}", r.stdout);
    }
    assert_eq!(show_json(d, &id), before, "nothing changed");
}

#[test]
fn phase_is_for_the_initiators_device_only() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let id = new_trajectory(tmp.path());
    // Copy the trajectory to another data dir (another device identity).
    let src = tmp.path().join("trajectories").join(&id);
    let dst = other.path().join("trajectories").join(&id);
    ok(other.path(), &["list"]);
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dst.join(f.file_name())).unwrap();
    }
    let r = run(other.path(), &["phase", &id, "2"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("initiator"), "{r:?}");
    ok(tmp.path(), &["phase", &id, "2"]);
}

#[test]
fn two_processes_adding_at_once_keep_every_item() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_path_buf();
    let id = new_trajectory(&d);
    let writers: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|who| {
            let (d, id) = (d.clone(), id.clone());
            std::thread::spawn(move || {
                (0..15)
                    .map(|i| ok(&d, &["add", &id, "postit", "--text", &format!("{who}{i}")]))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut added: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    added.sort();
    let v = show_json(&d, &id);
    let mut present: Vec<String> = v["postits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    present.sort();
    assert_eq!(present, added);
}

#[test]
fn a_damaged_trajectory_is_named_left_untouched_and_others_still_work() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let bad = new_trajectory(d);
    let good = new_trajectory(d);
    ok(
        d,
        &[
            "add",
            &bad,
            "theme",
            "--title",
            "T",
            "--polarity",
            "positive",
        ],
    );
    let dir = d.join("trajectories").join(&bad);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "snap"))
        .collect();
    files.sort();
    let snap = files.first().expect("a snapshot file").clone();
    let garbage = vec![0x42u8; 300];
    std::fs::write(&snap, &garbage).unwrap();

    // The snapshot held the trajectory's start: it cannot be shown until a teammate brings
    // it back, and says so; the damaged bytes are kept under another name, never deleted.
    let r = run(d, &["show", &bad, "--json"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains(&bad), "names the trajectory: {r:?}");
    assert!(r.stderr.contains("is damaged"), "{r:?}");
    let kept = snap.with_file_name(format!(
        "{}.damaged",
        snap.file_name().unwrap().to_string_lossy()
    ));
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        garbage,
        "damaged file kept as it was"
    );

    let list = run(d, &["list"]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains(&good), "{list:?}");
    assert!(
        list.stderr.contains(&bad),
        "the damaged one is reported: {list:?}"
    );
    ok(d, &["add", &good, "postit", "--text", "still works"]);
}

#[test]
fn a_relative_data_dir_works_on_first_use() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(leerrijk_tests::leerrijk_bin())
            .current_dir(tmp.path())
            .args(["--data-dir", "fresh"])
            .args(args)
            .env_remove("LEERRIJK_DATA_DIR")
            .output()
            .unwrap();
        leerrijk_tests::Run::from(out)
    };
    let r = cli(&["list"]);
    assert_eq!(r.code, 0, "first use: {}", r.stderr);
    assert!(tmp.path().join("fresh").join("identity.key").exists());
    let r = cli(&["new", "--title", "Relatief", "--initiator", "Anja"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let id = r.stdout.trim().to_string();
    let r = cli(&["list"]);
    assert_eq!(r.stdout.trim(), format!("{id}\tRelatief"));
}
