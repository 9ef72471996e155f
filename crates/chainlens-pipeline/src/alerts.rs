//! Early warnings raised in the workspace's store: the monitoring rules and emergency
//! triggers of `chainlens-warning` (Gao 2021, Tables 4-7 and 4-8) evaluated on the
//! workspace's data, then reconciled with the stored alerts (raise, update, escalate;
//! never resolve). Idempotent: a second evaluation on the same data neither duplicates
//! nor re-opens alerts.

use crate::Workspace;
use chainlens_data::store::Store;
use chainlens_model::{Alert, AlertStatus, Timestamp};
use chainlens_warning::{evaluate, inputs_from_dataset, reconcile};
use serde::Serialize;

/// What one evaluation of the rules did to the store's alerts.
#[derive(Serialize)]
pub struct Raised {
    /// Every alert in the store (resolved ones too), with its history.
    #[serde(skip)]
    pub all: Vec<Alert>,
    pub raised: usize,
    pub updated: usize,
    /// Ids of unresolved alerts whose rule no longer fires.
    pub not_firing: Vec<i64>,
    /// Rules or triggers that could not be evaluated, with the reason.
    pub skipped: Vec<String>,
}

impl Raised {
    /// The store's alerts as they are, with no evaluation of the rules.
    pub fn stored(all: Vec<Alert>) -> Raised {
        Raised {
            all,
            raised: 0,
            updated: 0,
            not_firing: Vec::new(),
            skipped: Vec::new(),
        }
    }

    pub fn unresolved(&self) -> impl Iterator<Item = &Alert> {
        self.all
            .iter()
            .filter(|a| a.status != AlertStatus::Resolved)
    }
}

/// Evaluates the workspace's rules and triggers at `now` and reconciles the store's
/// alerts with the findings (raise, update, escalate; never resolve). `Err` inside is a
/// configuration problem to show the user.
pub fn raise_alerts(
    ws: &Workspace,
    now: Timestamp,
) -> chainlens_data::Result<Result<Raised, String>> {
    let settings = &ws.settings.warning;
    let (metrics, facts) =
        inputs_from_dataset(&ws.dataset, ws.config.workspace.home_region.as_deref());
    let eval = match evaluate(settings, &metrics, &facts) {
        Ok(e) => e,
        Err(e) => return Ok(Err(format!("chainlens.toml: [warning]: {e}"))),
    };
    let mut store = Store::open(&ws.store_path())?;
    let mut alerts = store.alerts()?;
    let outcome = reconcile(&mut alerts, &eval.findings, &settings.plan, now);
    let changed: Vec<usize> = outcome.changed().collect();
    store.save_alerts(
        alerts
            .iter_mut()
            .enumerate()
            .filter(|(i, _)| changed.contains(i))
            .map(|(_, a)| a),
    )?;
    let not_firing = outcome
        .not_firing
        .iter()
        .filter_map(|&i| alerts[i].id)
        .collect();
    Ok(Ok(Raised {
        raised: outcome.raised.len(),
        updated: outcome.updated.len(),
        not_firing,
        skipped: eval.skipped,
        all: alerts,
    }))
}

/// What a person does to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertChange {
    Acknowledge,
    Resolve,
}

/// Why an alert could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum AlertChangeError {
    #[error("alert {0} does not exist")]
    NotFound(i64),
    /// The alert's status does not allow it (e.g. resolving a resolved alert).
    #[error(transparent)]
    Refused(#[from] chainlens_warning::Error),
    #[error(transparent)]
    Store(#[from] chainlens_data::Error),
}

/// Acknowledges or resolves alert `id` in `store` as `by` at `at`, recorded in its
/// history with the note; the alert as saved. The command line and the server both
/// change alerts here.
pub fn change(
    store: &mut Store,
    id: i64,
    change: AlertChange,
    by: &str,
    note: Option<&str>,
    at: Timestamp,
) -> Result<Alert, AlertChangeError> {
    let mut alert = store.alert(id)?.ok_or(AlertChangeError::NotFound(id))?;
    match change {
        AlertChange::Acknowledge => chainlens_warning::acknowledge(&mut alert, by, note, at)?,
        AlertChange::Resolve => chainlens_warning::resolve(&mut alert, by, note, at)?,
    }
    store.save_alerts([&mut alert])?;
    Ok(alert)
}
