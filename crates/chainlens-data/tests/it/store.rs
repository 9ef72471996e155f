//! The store: an import round-trips the data set; a failed import changes nothing.

use crate::fixtures::write_workspace;
use chainlens_data::store::{Counts, Store};
use chainlens_data::workspace::Workspace;

#[test]
fn an_import_round_trips_the_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::load(&write_workspace(tmp.path())).unwrap();
    let mut store = Store::open(&tmp.path().join("chainlens.db")).unwrap();
    let mut seen = Vec::new();
    let record = store
        .import(&ws.dataset, &ws.digest, "2026-11-22T00:00:00Z", |p| {
            seen.push(p.table.to_owned())
        })
        .unwrap();
    assert_eq!(record.counts, Counts::of(&ws.dataset));
    assert_eq!(store.load_dataset().unwrap(), ws.dataset);
    assert_eq!(store.last_import().unwrap().unwrap().digest, ws.digest);
    assert!(seen.contains(&"supply_links".to_owned()));
    assert!(store.is_intact().unwrap());
}

#[test]
fn a_failed_import_leaves_the_previous_content() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::load(&write_workspace(tmp.path())).unwrap();
    let path = tmp.path().join("chainlens.db");
    let mut store = Store::open(&path).unwrap();
    store
        .import(&ws.dataset, &ws.digest, "2026-11-22T00:00:00Z", |_| {})
        .unwrap();

    // A data set that breaks a constraint half-way (a link to an enterprise that is not
    // there violates the foreign key) must roll back entirely.
    let mut broken = ws.dataset.clone();
    broken.regions.pop();
    broken.supply_links[0].buyer = "nobody".into();
    broken.risks.clear();
    assert!(
        store
            .import(&broken, "other", "2026-11-23T00:00:00Z", |_| {})
            .is_err()
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.load_dataset().unwrap(), ws.dataset);
    assert_eq!(
        store.last_import().unwrap().unwrap().imported_at,
        "2026-11-22T00:00:00Z"
    );
}

/// Whether this process can write into a folder whose permissions forbid it (root can).
#[cfg(unix)]
fn permissions_bind(dir: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join(".probe");
    let bound = std::fs::write(&probe, b"").is_err();
    let _ = std::fs::remove_file(&probe);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    bound
}

// Issue 22: on a read-only workspace even `info` and `alert list` failed with
// SQLITE_READONLY_DIRECTORY. Reads now open the store read-only, without creating,
// migrating or writing anything.
#[cfg(unix)]
#[test]
fn a_store_opened_read_only_reads_and_refuses_writes_even_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::load(&write_workspace(tmp.path())).unwrap();
    let path = tmp.path().join("chainlens.db");
    let mut store = Store::open(&path).unwrap();
    store
        .import(&ws.dataset, &ws.digest, "2026-11-22T00:00:00Z", |_| {})
        .unwrap();
    drop(store); // the last connection checkpoints the WAL into the file
    assert!(!tmp.path().join("chainlens.db-wal").exists());

    // Read-only, the folder writable: reads work, writes are refused, nothing migrated.
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.last_import().unwrap().unwrap().digest, ws.digest);
    assert!(store.alerts().unwrap().is_empty());
    assert!(store.connection().execute("DELETE FROM risks", []).is_err());
    drop(store);

    // A store that does not exist is not created.
    let missing = tmp.path().join("none.db");
    assert!(Store::open_read_only(&missing).is_err());
    assert!(!missing.exists());

    // The folder read-only: SQLite cannot create the WAL index, the store is read immutable.
    if !permissions_bind(tmp.path()) {
        println!("skipped the read-only folder case: this process (root?) writes anyway");
        return;
    }
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let read = Store::open_read_only(&path).and_then(|s| s.last_import());
    let writable = Store::open(&path).and_then(|s| s.last_import());
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(read.unwrap().unwrap().digest, ws.digest);
    assert!(
        writable.is_err(),
        "the writable open should fail in a read-only folder"
    );
}
