//! Round trips through the data directory.

mod common;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use common::{add_item, create_trajectory, item_keys, new_id};
use leerrijk_store::{DataDir, DocRef, NotebookStore, StoreError, TrajectoryId, TrajectoryStore};

#[test]
fn round_trip_through_a_fresh_process_view() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    for i in 0..50 {
        add_item(&mut doc, &format!("item-{i}"));
        store.save(&mut doc).unwrap();
    }
    let text = doc
        .put_object(ROOT, "letter", automerge::ObjType::Text)
        .unwrap();
    doc.splice_text(&text, 0, 0, "Beste collega's,").unwrap();
    store.save(&mut doc).unwrap();

    // A fresh DataDir and store see everything, with the same heads.
    let data2 = DataDir::open(tmp.path()).unwrap();
    let (_, mut reopened, report) = TrajectoryStore::open(&data2, &id).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(item_keys(&reopened), item_keys(&doc));
    assert_eq!(item_keys(&reopened).len(), 50);
    let letter = reopened.get(ROOT, "letter").unwrap().unwrap().1;
    assert_eq!(reopened.text(&letter).unwrap(), "Beste collega's,");
    assert_eq!(reopened.get_heads(), doc.get_heads());
}

#[test]
fn listing_and_open_all() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let mut ids: Vec<TrajectoryId> = (0..3).map(|_| create_trajectory(&data).0).collect();
    ids.sort();
    // Noise that must not show up as trajectories.
    std::fs::create_dir(tmp.path().join("trajectories/not-an-id")).unwrap();
    std::fs::create_dir(tmp.path().join("trajectories").join(new_id().as_str())).unwrap();
    assert_eq!(data.list_trajectories().unwrap(), ids);
    let all = data.open_all().unwrap();
    assert_eq!(all.len(), 3);
    for (id, opened) in all {
        let (store, _, report) = opened.unwrap();
        assert_eq!(store.id(), &id);
        assert!(report.is_clean());
    }
    for id in &ids {
        assert!(data.trajectory_exists(id).unwrap());
    }
    assert!(!data.trajectory_exists(&new_id()).unwrap());
}

#[test]
fn create_refuses_an_existing_trajectory() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, _, mut doc) = create_trajectory(&data);
    let mut other = AutoCommit::new();
    let err = TrajectoryStore::create(&data, &id, &mut other).unwrap_err();
    assert!(
        matches!(&err, StoreError::AlreadyExists { doc: DocRef::Trajectory(t), .. } if *t == id),
        "{err:?}"
    );
    let (_, mut reopened, _) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(reopened.get_heads(), doc.get_heads(), "not overwritten");
}

#[test]
fn create_takes_over_a_directory_with_only_a_join_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let id = new_id();
    data.set_join_secret(&id, &[1; 32]).unwrap();
    assert!(matches!(
        TrajectoryStore::open(&data, &id),
        Err(StoreError::NotFound { .. })
    ));
    let mut doc = common::doc_with_items();
    TrajectoryStore::create(&data, &id, &mut doc).unwrap();
    assert_eq!(data.join_secret(&id).unwrap(), Some([1; 32]));
    assert_eq!(data.list_trajectories().unwrap(), std::slice::from_ref(&id));
    // The secret file is not mistaken for data.
    let (_, _, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean());
    assert_eq!(report.files_loaded, 1);
}

#[test]
fn open_of_unknown_trajectory_is_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let id = new_id();
    let err = TrajectoryStore::open(&data, &id).unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains(id.as_str()), "{err}");
}

#[test]
fn invalid_ids_never_touch_the_file_system() {
    for bad in ["../../etc", "0190F5A8C3E47B2A9D1E5F6A7B8C9D0E", "x"] {
        let err = bad.parse::<TrajectoryId>().unwrap_err();
        assert!(matches!(err, StoreError::InvalidTrajectoryId { .. }));
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    for bad in ["../escape", "a/b", ".."] {
        let err = NotebookStore::open(&data, bad).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidNotebookName { .. }),
            "{err:?}"
        );
    }
    assert!(!tmp.path().join("escape").exists());
}

#[test]
fn notebook_round_trip_uses_the_same_mechanism() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (mut nb, mut doc, report) = NotebookStore::open(&data, "drafts").unwrap();
    assert!(report.is_clean());
    assert_eq!(nb.name(), "drafts");
    assert!(data.list_notebooks().unwrap().is_empty(), "no data yet");
    doc.put(ROOT, "idea", "observe reading circle").unwrap();
    nb.save(&mut doc).unwrap();
    assert_eq!(data.list_notebooks().unwrap(), ["drafts"]);
    assert!(data.list_trajectories().unwrap().is_empty());

    let (mut nb2, mut doc2, _) = NotebookStore::open(&data, "drafts").unwrap();
    let (value, _) = doc2.get(ROOT, "idea").unwrap().unwrap();
    assert_eq!(value.as_str(), Some("observe reading circle"));

    // Two windows on one notebook see each other's edits.
    doc2.put(ROOT, "second", "from window 2").unwrap();
    nb2.save(&mut doc2).unwrap();
    assert!(nb.poll_changed().unwrap());
    assert!(nb.refresh(&mut doc).unwrap().changed);
    assert!(doc.get(ROOT, "second").unwrap().is_some());
    nb.compact(&mut doc).unwrap();
    let (_, doc3, _) = NotebookStore::open(&data, "drafts").unwrap();
    assert_eq!(doc3.keys(ROOT).count(), 2);
}

#[test]
fn a_format_1_data_directory_opens_and_moves_on_to_change_logs() {
    let tmp = tempfile::tempdir().unwrap();
    // A format-1 directory: marker "1", a snapshot and a `.chg` file per save.
    let (id, dir) = {
        let data = DataDir::open(tmp.path()).unwrap();
        let (id, store, mut doc) = create_trajectory(&data);
        let before = doc.get_heads();
        add_item(&mut doc, "old-1");
        add_item(&mut doc, "old-2");
        let changes: Vec<Vec<u8>> = doc
            .get_changes(&before)
            .iter_mut()
            .map(|c| c.bytes().into_owned())
            .collect();
        common::write_legacy_chg(store.dir(), &changes[..1]);
        common::write_legacy_chg(store.dir(), &changes[1..]);
        (id, store.dir().to_path_buf())
    };
    std::fs::write(tmp.path().join("leerrijk-store-format"), "1\n").unwrap();
    assert!(common::log_files(&dir).is_empty());

    let data = DataDir::open(tmp.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("leerrijk-store-format")).unwrap(),
        "2\n",
        "marked format 2, so older versions refuse it"
    );
    let (mut store, mut doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.files_loaded, 3);
    assert_eq!(item_keys(&doc), ["old-1", "old-2"].map(String::from).into());
    add_item(&mut doc, "new");
    store.save(&mut doc).unwrap();
    assert_eq!(common::log_files(&dir).len(), 1, "new saves go to a log");
    assert_eq!(common::chunk_files(&dir).len(), 3, "no new chunk file");
    store.compact(&mut doc).unwrap();
    assert_eq!(
        common::chunk_files(&dir).len(),
        1,
        "old .chg files compacted away"
    );
    let (_, reopened, _) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(
        item_keys(&reopened),
        ["new", "old-1", "old-2"].map(String::from).into()
    );
}
