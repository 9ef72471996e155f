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
