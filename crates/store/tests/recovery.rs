//! Damaged files: torn writes are recovered and reported, corruption is refused untouched.

// Test crate: helper functions outside #[test] fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::PathBuf;

use common::{
    add_item, chunk_files, create_trajectory, item_keys, log_files, snapshot_tree, write_legacy_chg,
};
use leerrijk_store::{Damage, DataDir, StoreError, TrajectoryId, TrajectoryStore};

/// A trajectory with a snapshot (empty items) and one legacy change file (as written before
/// change logs) holding 5 changes (`k0`..`k4`, in that order). Returns the file's path.
fn trajectory_with_five_change_file(data: &DataDir) -> (TrajectoryId, PathBuf) {
    let (id, store, mut doc) = create_trajectory(data);
    let before = doc.get_heads();
    for i in 0..5 {
        add_item(&mut doc, &format!("k{i}"));
    }
    let changes: Vec<Vec<u8>> = doc
        .get_changes(&before)
        .iter_mut()
        .map(|c| c.bytes().into_owned())
        .collect();
    assert_eq!(changes.len(), 5);
    let chg = write_legacy_chg(store.dir(), &changes);
    assert_eq!(chunk_files(store.dir()).len(), 2);
    (id.clone(), chg)
}

/// A trajectory with a snapshot and one change log holding 5 saves (`k0`..`k4`), whose
/// writer is gone. Returns the log's path.
fn trajectory_with_five_save_log(data: &DataDir) -> (TrajectoryId, PathBuf) {
    let (id, mut store, mut doc) = create_trajectory(data);
    for i in 0..5 {
        add_item(&mut doc, &format!("k{i}"));
        store.save(&mut doc).unwrap();
    }
    let logs = log_files(store.dir());
    assert_eq!(logs.len(), 1);
    assert_eq!(
        chunk_files(store.dir()).len(),
        1,
        "saves add no chunk files"
    );
    let log = store.dir().join(&logs[0]);
    drop(store);
    (id, log)
}

#[test]
fn torn_log_of_a_writer_that_is_gone_is_recovered_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, log) = trajectory_with_five_save_log(&data);
    let full = fs::read(&log).unwrap();
    let cut = full.len() - 20; // inside the last save's record
    fs::write(&log, &full[..cut]).unwrap();

    let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(report.damaged.len(), 1, "{report:?}");
    let damaged = &report.damaged[0];
    assert_eq!(damaged.file, log);
    assert_eq!(damaged.changes_kept, 4);
    assert_eq!(damaged.file_len, cut as u64);
    assert!(damaged.bytes_dropped > 0 && damaged.bytes_dropped < cut as u64);
    let message = damaged.to_string();
    assert!(message.contains(&log.display().to_string()), "{message}");
    assert!(message.contains("kept 4"), "{message}");
    assert!(
        message.contains(&format!("{} incomplete byte", damaged.bytes_dropped)),
        "{message}"
    );
    let want: std::collections::BTreeSet<String> =
        ["k0", "k1", "k2", "k3"].map(String::from).into();
    assert_eq!(item_keys(&doc), want);
    // Moved aside with its bytes, and the recovered saves are in a snapshot.
    assert_eq!(
        fs::read(damaged.moved_to.clone().unwrap()).unwrap(),
        &full[..cut]
    );
    let (_, doc2, report2) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report2.is_clean(), "{report2:?}");
    assert_eq!(item_keys(&doc2), want);
}

#[test]
fn every_cut_of_a_dead_log_recovers_a_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, log) = trajectory_with_five_save_log(&data);
    let dir = log.parent().unwrap().to_path_buf();
    let pristine = snapshot_tree(&dir);
    let full = fs::read(&log).unwrap();
    for cut in (0..full.len()).step_by(5) {
        for name in fs::read_dir(&dir).unwrap() {
            fs::remove_file(name.unwrap().path()).unwrap();
        }
        for (name, bytes) in &pristine {
            fs::write(dir.join(name), bytes).unwrap();
        }
        fs::write(&log, &full[..cut]).unwrap();
        let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
        let kept = match report.damaged.first() {
            Some(d) => d.changes_kept,
            None => item_keys(&doc).len(), // cut exactly at a record boundary
        };
        let want: std::collections::BTreeSet<String> = (0..kept).map(|i| format!("k{i}")).collect();
        assert_eq!(item_keys(&doc), want, "cut at {cut}");
    }
}

#[test]
fn a_corrupted_log_is_quarantined_and_every_intact_save_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, log) = trajectory_with_five_save_log(&data);
    let mut bytes = fs::read(&log).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&log, &bytes).unwrap();
    let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(report.damaged.len(), 1, "{report:?}");
    let d = &report.damaged[0];
    assert_eq!(d.file, log);
    assert_eq!(d.changes_kept, 4, "the four saves around the damaged one");
    assert!(
        matches!(
            d.damage,
            Damage::Altered {
                records_dropped: 1,
                ..
            }
        ),
        "{d:?}"
    );
    let message = d.to_string();
    assert!(message.contains(&log.display().to_string()), "{message}");
    assert!(message.contains("damaged"), "{message}");
    // Kept as found under another name, and noted for repair.
    let moved = d.moved_to.clone().unwrap();
    assert_eq!(fs::read(&moved).unwrap(), bytes);
    assert!(!log.exists());
    assert_eq!(data.repair_needed(&id).unwrap(), vec![moved]);
    // The saves before the damaged one are shown; the ones after wait for it.
    assert!(item_keys(&doc).contains("k0"));
    assert!(report.missing_changes > 0);
    // Reopening is clean: the intact saves are in a snapshot now, the note stays until a
    // sync completed the trajectory.
    let (_, doc2, report2) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report2.damaged.is_empty(), "{report2:?}");
    assert_eq!(item_keys(&doc2), item_keys(&doc));
    assert_eq!(data.repair_needed(&id).unwrap().len(), 1);
    data.repair_done(&id).unwrap();
    assert!(data.repair_needed(&id).unwrap().is_empty());
    // Compaction works again.
    data.compact_trajectory(&id).unwrap();
}

#[test]
fn truncated_file_recovers_the_rest_and_says_what_was_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, chg) = trajectory_with_five_change_file(&data);
    let full = fs::read(&chg).unwrap();
    // Cut the file inside its last change.
    let cut = full.len() - 20;
    fs::write(&chg, &full[..cut]).unwrap();

    let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.damaged.len(), 1, "{report:?}");
    let damaged = &report.damaged[0];
    assert_eq!(damaged.file, chg);
    assert_eq!(damaged.changes_kept, 4);
    assert_eq!(damaged.changes_expected, Some(5));
    assert_eq!(damaged.changes_dropped(), Some(1));
    assert_eq!(damaged.file_len, cut as u64);
    assert!(damaged.bytes_dropped > 0 && damaged.bytes_dropped < cut as u64);
    let message = damaged.to_string();
    assert!(message.contains(&chg.display().to_string()), "{message}");
    assert!(
        message.contains("kept 4") && message.contains("dropped 1"),
        "{message}"
    );

    // The intact changes are there, in order; the cut one is not.
    let want: std::collections::BTreeSet<String> =
        ["k0", "k1", "k2", "k3"].map(String::from).into();
    assert_eq!(item_keys(&doc), want);

    // The torn file was moved aside with its bytes intact, not deleted.
    let moved = damaged.moved_to.clone().unwrap();
    assert!(!chg.exists());
    assert_eq!(fs::read(&moved).unwrap(), &full[..cut]);

    // The recovered changes were saved again: the next open is clean and complete.
    let (_, doc2, report2) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report2.is_clean(), "{report2:?}");
    assert_eq!(item_keys(&doc2), want);
}

#[test]
fn every_cut_of_a_change_file_recovers_a_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, chg) = trajectory_with_five_change_file(&data);
    let dir = chg.parent().unwrap().to_path_buf();
    let pristine = snapshot_tree(&dir);
    let full = fs::read(&chg).unwrap();
    for cut in (0..full.len()).step_by(7) {
        // Restore the pristine directory, then cut.
        for name in fs::read_dir(&dir).unwrap() {
            fs::remove_file(name.unwrap().path()).unwrap();
        }
        for (name, bytes) in &pristine {
            fs::write(dir.join(name), bytes).unwrap();
        }
        fs::write(&chg, &full[..cut]).unwrap();
        let (_, doc, report) = TrajectoryStore::open(&data, &id).unwrap();
        let kept = report.damaged[0].changes_kept;
        let want: std::collections::BTreeSet<String> = (0..kept).map(|i| format!("k{i}")).collect();
        assert_eq!(item_keys(&doc), want, "cut at {cut}");
    }
}

#[test]
fn a_corrupted_file_is_quarantined_and_the_other_trajectories_are_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (healthy, _, _) = create_trajectory(&data);
    let (id, chg) = trajectory_with_five_change_file(&data);
    let mut bytes = fs::read(&chg).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&chg, &bytes).unwrap();
    let healthy_dir = data.trajectory_dir(&healthy);
    let before = snapshot_tree(&healthy_dir);

    // Every trajectory opens; the damaged one says what it did.
    let all = data.open_all().unwrap();
    assert_eq!(all.len(), 2);
    for (tid, opened) in all {
        let (_, _, report) = opened.unwrap();
        if tid == healthy {
            assert!(report.is_clean());
        } else {
            assert_eq!(tid, id);
            assert_eq!(report.damaged.len(), 1, "once: {report:?}");
            assert_eq!(report.damaged[0].file, chg);
            assert_eq!(report.damaged[0].changes_kept, 4);
        }
    }
    assert_eq!(snapshot_tree(&healthy_dir), before, "nothing else changed");
    assert!(data.repair_needed(&healthy).unwrap().is_empty());
    assert_eq!(data.repair_needed(&id).unwrap().len(), 1);
}

#[test]
fn a_garbage_file_is_moved_aside_and_the_trajectory_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    add_item(&mut doc, "x");
    store.save(&mut doc).unwrap();
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 251) as u8).collect();
    let name = format!("{}.chg", blake3::hash(&garbage).to_hex());
    fs::write(store.dir().join(&name), &garbage).unwrap();
    let (_, doc2, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert_eq!(item_keys(&doc2), ["x".to_string()].into());
    let d = &report.damaged[..];
    assert!(
        matches!(d, [f] if matches!(&f.damage, Damage::Altered { reason, .. } if reason.contains("not a Leerrijk data file"))),
        "{report:?}"
    );
    assert_eq!(fs::read(d[0].moved_to.as_ref().unwrap()).unwrap(), garbage);
}

#[test]
fn a_cut_off_snapshot_is_moved_aside_not_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, store, _) = create_trajectory(&data);
    let snap = store.dir().join(&chunk_files(store.dir())[0]);
    let full = fs::read(&snap).unwrap();
    fs::write(&snap, &full[..full.len() / 2]).unwrap();
    let (_, _, report) = TrajectoryStore::open(&data, &id).unwrap();
    let d = &report.damaged[0];
    assert!(matches!(d.damage, Damage::Altered { .. }), "{d:?}");
    assert_eq!(
        fs::read(d.moved_to.as_ref().unwrap()).unwrap(),
        &full[..full.len() / 2]
    );
    assert_eq!(data.repair_needed(&id).unwrap().len(), 1);
}

#[test]
fn file_from_a_newer_format_is_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, chg) = trajectory_with_five_change_file(&data);
    let mut bytes = fs::read(&chg).unwrap();
    bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
    let check = blake3::hash(&bytes[..17]);
    bytes[17..21].copy_from_slice(&check.as_bytes()[..4]);
    fs::write(&chg, &bytes).unwrap();
    let err = TrajectoryStore::open(&data, &id).unwrap_err();
    assert!(
        matches!(&err, StoreError::NewerFormat { path, found: 2, supported: 1 } if *path == chg),
        "chunk files keep their own format number: {err:?}"
    );
    assert!(err.to_string().contains("newer version"), "{err:?}");
    assert!(err.to_string().contains("update Leerrijk"), "{err}");
    assert_eq!(fs::read(&chg).unwrap(), bytes);
}

#[test]
fn stray_temp_and_damaged_files_are_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, mut store, mut doc) = create_trajectory(&data);
    add_item(&mut doc, "x");
    store.save(&mut doc).unwrap();
    fs::write(store.dir().join(".tmp-123-abc"), b"half a write").unwrap();
    fs::write(store.dir().join("whatever.chg.damaged"), b"old damage").unwrap();
    let (_, doc2, report) = TrajectoryStore::open(&data, &id).unwrap();
    assert!(report.is_clean());
    assert_eq!(report.files_loaded, 2);
    assert_eq!(item_keys(&doc2), ["x".to_string()].into());
}

#[test]
fn every_flipped_byte_of_a_log_opens_keeping_the_saves_it_did_not_touch() {
    let tmp = tempfile::tempdir().unwrap();
    let data = DataDir::open(tmp.path()).unwrap();
    let (id, log) = trajectory_with_five_save_log(&data);
    let dir = log.parent().unwrap().to_path_buf();
    let pristine = snapshot_tree(&dir);
    let full = fs::read(&log).unwrap();
    let all: std::collections::BTreeSet<String> = (0..5).map(|i| format!("k{i}")).collect();
    for at in 0..full.len() {
        for entry in fs::read_dir(&dir).unwrap() {
            fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, bytes) in &pristine {
            fs::write(dir.join(name), bytes).unwrap();
        }
        let mut bytes = full.clone();
        bytes[at] ^= 0x20;
        fs::write(&log, &bytes).unwrap();
        let (_, doc, report) = TrajectoryStore::open(&data, &id)
            .unwrap_or_else(|e| panic!("flip at {at}: does not open: {e}"));
        let d = &report.damaged[..];
        assert!(
            matches!(d, [f] if matches!(f.damage, Damage::Altered { .. })),
            "flip at {at}: {report:?}"
        );
        // One save at most is lost (a flip in the header loses none).
        assert!(d[0].changes_kept >= 4, "flip at {at}: {:?}", d[0]);
        let shown = item_keys(&doc);
        assert!(shown.is_subset(&all), "flip at {at}");
        let header = at < 16;
        if header {
            assert_eq!(shown, all, "flip at {at} (header)");
        }
    }
}
