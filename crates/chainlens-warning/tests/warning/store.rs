//! The alert lifecycle on a real SQLite store (chainlens-data), with time injected:
//! running the warning twice changes nothing, deadlines escalate, acknowledgements and
//! resolutions are kept in the history and survive reopening the store.

use crate::pipeline::small_dataset;
use chainlens_data::store::Store;
use chainlens_model::{AlertAction, AlertStatus, Timestamp};
use chainlens_warning::{
    Settings, acknowledge, evaluate, inputs_from_dataset, reconcile, resolve, response_effect,
};

/// One `chainlens warn`: load the alerts, reconcile at `now`, save what changed.
fn warn(store: &mut Store, now: Timestamp) -> (usize, usize) {
    let settings = Settings::default();
    let (metrics, facts) = inputs_from_dataset(&small_dataset(), Some("zj"));
    let eval = evaluate(&settings, &metrics, &facts).unwrap();
    let mut alerts = store.alerts().unwrap();
    let outcome = reconcile(&mut alerts, &eval.findings, &settings.plan, now);
    let changed: Vec<usize> = outcome.changed().collect();
    store
        .save_alerts(
            alerts
                .iter_mut()
                .enumerate()
                .filter(|(i, _)| changed.contains(i))
                .map(|(_, a)| a),
        )
        .unwrap();
    (outcome.raised.len(), outcome.updated.len())
}

#[test]
fn warn_is_idempotent_and_escalates_on_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chainlens.db");
    let t0 = Timestamp::parse("2026-03-02T08:00:00Z").unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(warn(&mut store, t0), (4, 0));
    let before = store.alerts().unwrap();
    assert_eq!(warn(&mut store, t0.plus_hours(1.0)), (0, 0));
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(warn(&mut store, t0.plus_hours(2.0)), (0, 0));
    assert_eq!(store.alerts().unwrap(), before, "a re-run changes nothing");

    // Level 1 (24 h) is acknowledged in time; level 2 (48 h) is left alone.
    let mut a1 = store.alert(before[0].id.unwrap()).unwrap().unwrap();
    assert_eq!(a1.level, 1);
    acknowledge(
        &mut a1,
        "command centre",
        Some("alternatives contacted"),
        t0.plus_hours(3.0),
    )
    .unwrap();
    store.save_alerts([&mut a1]).unwrap();

    // At 30 h the acknowledged level-1 alert is past its deadline: escalated, once.
    assert_eq!(warn(&mut store, t0.plus_hours(30.0)), (0, 1));
    assert_eq!(warn(&mut store, t0.plus_hours(31.0)), (0, 0));
    let a1 = store.alert(a1.id.unwrap()).unwrap().unwrap();
    assert_eq!(a1.status, AlertStatus::Escalated);
    let actions: Vec<AlertAction> = a1.history.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AlertAction::Raised,
            AlertAction::Acknowledged,
            AlertAction::Escalated
        ]
    );
    assert_eq!(a1.history[1].by.as_deref(), Some("command centre"));

    // At 50 h level 2 escalates too; resolving level 1 is final and not undone by warn.
    assert_eq!(warn(&mut store, t0.plus_hours(50.0)), (0, 1));
    let mut a1 = a1;
    resolve(&mut a1, "command centre", None, t0.plus_hours(51.0)).unwrap();
    store.save_alerts([&mut a1]).unwrap();
    assert_eq!(warn(&mut store, t0.plus_hours(52.0)), (0, 0));
    let alerts = store.alerts().unwrap();
    assert_eq!(
        alerts.len(),
        4,
        "the resolved alert is not raised again on the same data"
    );
    assert_eq!(alerts[0].status, AlertStatus::Resolved);
    assert_eq!(alerts[1].status, AlertStatus::Escalated);

    let effect = response_effect(&alerts, t0.plus_hours(52.0));
    assert_eq!(effect[0].mean_hours_to_acknowledge, Some(3.0));
    assert_eq!(effect[0].mean_hours_to_resolve, Some(51.0));
    assert_eq!(effect[0].share_resolved_within_deadline, Some(0.0));
    assert_eq!(effect[1].share_resolved_within_deadline, Some(0.0));
    assert_eq!(effect[2].share_resolved_within_deadline, None);
}
