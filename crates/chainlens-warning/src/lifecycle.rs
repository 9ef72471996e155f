//! The alert lifecycle of the early-warning platform (Zhang 2024, "early warning
//! information platform"; DESIGN.md §4.4).
//!
//! ```text
//!   raised → open ──ack──→ acknowledged ──resolve──→ resolved
//!              │                 │
//!              └─ deadline passes unresolved ─→ escalated ──ack / resolve──→ …
//! ```
//!
//! [`reconcile`] merges what the rules found now into the existing alerts, keyed by
//! (rule, subject):
//!
//! - no alert for the key → a new open alert, due `hours` of its level after `now`;
//! - an unresolved alert → kept; if its numbers changed it is updated (level, evidence,
//!   message; a more urgent level brings the deadline forward, never back);
//! - a resolved alert → left alone when the finding is the same (same level, same
//!   evidence: re-running on the same data re-opens nothing); a finding with other
//!   numbers is a recurrence and raises a new alert;
//! - an unresolved alert whose condition is no longer found stays as it is (listed in
//!   [`Outcome::not_firing`]): only a person resolves an alert;
//! - an open or acknowledged alert past its deadline is escalated, once.
//!
//! Running it twice with the same findings and time changes nothing the second time.
//! `now` is always the caller's: nothing here reads the clock.

use crate::monitor::Finding;
use crate::response::ResponsePlan;
use crate::{Error, Result};
use chainlens_model::{Alert, AlertAction, AlertEvent, AlertStatus, Timestamp};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What [`reconcile`] changed, as indices into the alert list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// New alerts (appended at the end of the list).
    pub raised: Vec<usize>,
    /// Existing alerts updated or escalated.
    pub updated: Vec<usize>,
    /// Unresolved alerts whose condition was not found this time (left unchanged).
    pub not_firing: Vec<usize>,
}

impl Outcome {
    /// Every alert that must be saved.
    pub fn changed(&self) -> impl Iterator<Item = usize> + '_ {
        self.updated.iter().chain(&self.raised).copied()
    }
}

fn event(
    at: Timestamp,
    action: AlertAction,
    status: AlertStatus,
    by: Option<&str>,
    note: Option<&str>,
) -> AlertEvent {
    AlertEvent {
        at,
        action,
        status,
        by: by.map(str::to_owned),
        note: note.map(str::to_owned),
    }
}

/// Escalates every open or acknowledged alert whose deadline is before `now` and that
/// was never escalated; returns their indices.
pub fn escalate(alerts: &mut [Alert], now: Timestamp) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, a) in alerts.iter_mut().enumerate() {
        let due =
            matches!(a.status, AlertStatus::Open | AlertStatus::Acknowledged) && a.deadline < now;
        if due && !a.history.iter().any(|e| e.action == AlertAction::Escalated) {
            a.status = AlertStatus::Escalated;
            let note = format!("deadline {} passed unresolved", a.deadline);
            a.history.push(event(
                now,
                AlertAction::Escalated,
                AlertStatus::Escalated,
                None,
                Some(&note),
            ));
            out.push(i);
        }
    }
    out
}

/// Merges `findings` into `alerts` at time `now` (see the module documentation).
pub fn reconcile(
    alerts: &mut Vec<Alert>,
    findings: &[Finding],
    plan: &ResponsePlan,
    now: Timestamp,
) -> Outcome {
    let mut outcome = Outcome {
        updated: escalate(alerts, now),
        ..Outcome::default()
    };
    // The latest alert of each key.
    let mut latest: HashMap<(String, String), usize> = HashMap::new();
    for (i, a) in alerts.iter().enumerate() {
        let key = (a.rule.clone(), a.subject.clone());
        if latest
            .get(&key)
            .is_none_or(|&j| alerts[j].raised_at <= a.raised_at)
        {
            latest.insert(key, i);
        }
    }
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for f in findings {
        let key = (f.rule.clone(), f.subject.clone());
        if !seen.insert(key.clone()) {
            continue;
        }
        let hours = plan.get(f.level).map_or(0.0, |l| l.hours);
        match latest.get(&key).copied() {
            Some(i) if alerts[i].status != AlertStatus::Resolved => {
                let a = &mut alerts[i];
                if a.level == f.level && a.evidence == f.evidence && a.message == f.message {
                    continue;
                }
                let mut note = String::new();
                if f.level < a.level {
                    note = format!("level {} → {}", a.level, f.level);
                    a.deadline = a.deadline.min(now.plus_hours(hours));
                    a.owner = f.owner.clone();
                    a.response = f.response.clone();
                }
                a.level = f.level;
                a.evidence = f.evidence.clone();
                a.message = f.message.clone();
                a.candidates = f.candidates.clone();
                let status = a.status;
                a.history.push(event(
                    now,
                    AlertAction::Updated,
                    status,
                    None,
                    (!note.is_empty()).then_some(note.as_str()),
                ));
                if !outcome.updated.contains(&i) {
                    outcome.updated.push(i);
                }
            }
            Some(i) if alerts[i].level == f.level && alerts[i].evidence == f.evidence => {}
            _ => {
                alerts.push(Alert {
                    id: None,
                    rule: f.rule.clone(),
                    subject: f.subject.clone(),
                    level: f.level,
                    status: AlertStatus::Open,
                    owner: f.owner.clone(),
                    raised_at: now,
                    deadline: now.plus_hours(hours),
                    evidence: f.evidence.clone(),
                    message: f.message.clone(),
                    response: f.response.clone(),
                    measure: f.measure.map(|m| m.as_str().to_owned()),
                    candidates: f.candidates.clone(),
                    history: vec![event(
                        now,
                        AlertAction::Raised,
                        AlertStatus::Open,
                        None,
                        None,
                    )],
                });
                outcome.raised.push(alerts.len() - 1);
            }
        }
    }
    outcome.not_firing = alerts
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.status != AlertStatus::Resolved
                && !seen.contains(&(a.rule.clone(), a.subject.clone()))
        })
        .map(|(i, _)| i)
        .collect();
    outcome.updated.sort_unstable();
    outcome
}

fn describe(a: &Alert) -> String {
    a.id.map_or_else(|| format!("{}/{}", a.rule, a.subject), |id| id.to_string())
}

/// Records that `by` took the alert on. Allowed from open and escalated.
pub fn acknowledge(alert: &mut Alert, by: &str, note: Option<&str>, now: Timestamp) -> Result<()> {
    if !matches!(alert.status, AlertStatus::Open | AlertStatus::Escalated) {
        return Err(Error::Transition {
            id: describe(alert),
            action: "acknowledge",
            status: alert.status.to_string(),
        });
    }
    alert.status = AlertStatus::Acknowledged;
    alert.history.push(event(
        now,
        AlertAction::Acknowledged,
        AlertStatus::Acknowledged,
        Some(by),
        note,
    ));
    Ok(())
}

/// Records that `by` resolved the alert. Allowed from any status but resolved.
pub fn resolve(alert: &mut Alert, by: &str, note: Option<&str>, now: Timestamp) -> Result<()> {
    if alert.status == AlertStatus::Resolved {
        return Err(Error::Transition {
            id: describe(alert),
            action: "resolve",
            status: alert.status.to_string(),
        });
    }
    alert.status = AlertStatus::Resolved;
    alert.history.push(event(
        now,
        AlertAction::Resolved,
        AlertStatus::Resolved,
        Some(by),
        note,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::Measure;
    use std::collections::BTreeMap;

    fn finding(level: u8, value: f64) -> Finding {
        Finding {
            rule: "supplier_concentration".into(),
            subject: "ningbo".into(),
            level,
            evidence: BTreeMap::from([("value".to_owned(), value)]),
            message: format!("value {value}"),
            response: "develop potential suppliers".into(),
            measure: Some(Measure::Supplement),
            owner: "industry alliance".into(),
            candidates: vec![],
        }
    }

    const T0: Timestamp = Timestamp(1_700_000_000);

    #[test]
    fn second_run_changes_nothing() {
        let plan = ResponsePlan::default();
        let mut alerts = vec![];
        let first = reconcile(&mut alerts, &[finding(2, 0.31)], &plan, T0);
        assert_eq!((first.raised.len(), first.updated.len()), (1, 0));
        assert_eq!(alerts[0].deadline, T0.plus_hours(48.0));
        let second = reconcile(&mut alerts, &[finding(2, 0.31)], &plan, T0.plus_hours(1.0));
        assert_eq!(second, Outcome::default());
        assert_eq!(alerts.len(), 1);
    }

    #[test]
    fn changes_update_and_urgency_brings_the_deadline_forward() {
        let plan = ResponsePlan::default();
        let mut alerts = vec![];
        reconcile(&mut alerts, &[finding(3, 0.29)], &plan, T0);
        assert_eq!(alerts[0].deadline, T0.plus_hours(72.0));
        let t1 = T0.plus_hours(10.0);
        let out = reconcile(&mut alerts, &[finding(2, 0.31)], &plan, t1);
        assert_eq!(out.updated, vec![0]);
        assert_eq!(
            (alerts[0].level, alerts[0].deadline),
            (2, T0.plus_hours(58.0).min(t1.plus_hours(48.0)))
        );
        assert_eq!(
            alerts[0].history.last().unwrap().note.as_deref(),
            Some("level 3 → 2")
        );
        // Falling back to a warning keeps the deadline.
        reconcile(&mut alerts, &[finding(3, 0.29)], &plan, T0.plus_hours(11.0));
        assert_eq!(
            (alerts[0].level, alerts[0].deadline),
            (3, t1.plus_hours(48.0))
        );
    }

    #[test]
    fn resolved_alerts_stay_resolved_on_the_same_data_and_recur_on_new_data() {
        let plan = ResponsePlan::default();
        let mut alerts = vec![];
        reconcile(&mut alerts, &[finding(2, 0.31)], &plan, T0);
        resolve(
            &mut alerts[0],
            "li",
            Some("second supplier signed"),
            T0.plus_hours(5.0),
        )
        .unwrap();
        assert!(resolve(&mut alerts[0], "li", None, T0.plus_hours(6.0)).is_err());
        let again = reconcile(&mut alerts, &[finding(2, 0.31)], &plan, T0.plus_hours(6.0));
        assert_eq!(again, Outcome::default());
        let recur = reconcile(&mut alerts, &[finding(2, 0.33)], &plan, T0.plus_hours(7.0));
        assert_eq!(recur.raised, vec![1]);
        assert_eq!(alerts[1].status, AlertStatus::Open);
    }

    #[test]
    fn deadlines_escalate_once_and_nothing_resolves_silently() {
        let plan = ResponsePlan::default();
        let mut alerts = vec![];
        reconcile(&mut alerts, &[finding(2, 0.31)], &plan, T0);
        // Condition gone, deadline not passed: untouched, reported as not firing.
        let quiet = reconcile(&mut alerts, &[], &plan, T0.plus_hours(47.0));
        assert_eq!(
            (quiet.updated.len(), quiet.not_firing.clone()),
            (0, vec![0])
        );
        assert_eq!(alerts[0].status, AlertStatus::Open);
        let late = reconcile(&mut alerts, &[], &plan, T0.plus_hours(49.0));
        assert_eq!(late.updated, vec![0]);
        assert_eq!(alerts[0].status, AlertStatus::Escalated);
        assert_eq!(
            reconcile(&mut alerts, &[], &plan, T0.plus_hours(50.0)).updated,
            Vec::<usize>::new()
        );
        acknowledge(&mut alerts[0], "wang", None, T0.plus_hours(51.0)).unwrap();
        assert!(acknowledge(&mut alerts[0], "wang", None, T0.plus_hours(52.0)).is_err());
        // Acknowledged after escalation: not escalated a second time.
        assert!(escalate(&mut alerts, T0.plus_hours(100.0)).is_empty());
        let actions: Vec<AlertAction> = alerts[0].history.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [
                AlertAction::Raised,
                AlertAction::Escalated,
                AlertAction::Acknowledged
            ]
        );
    }
}
