//! Response-effect evaluation (Zhang 2024, §4 emergency response mechanism, "effect
//! evaluation": timely response and problem-solving rate), computed from the alerts'
//! status histories. Per response level:
//!
//! - mean hours to acknowledge = mean over acknowledged alerts of (first
//!   `acknowledged` event − raised_at);
//! - mean hours to resolve = mean over resolved alerts of (`resolved` event − raised_at);
//! - share resolved within the deadline = alerts resolved at or before their deadline /
//!   alerts whose outcome is known at `now` (resolved, or unresolved past the deadline);
//!   `None` when no outcome is known yet.
//!
//! O(alerts + events).

use chainlens_model::{Alert, AlertAction, AlertStatus, Timestamp};
use serde::Serialize;
use std::collections::BTreeMap;

/// The response effect of one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelEffect {
    pub level: u8,
    pub alerts: usize,
    pub open: usize,
    pub acknowledged: usize,
    pub escalated: usize,
    pub resolved: usize,
    pub mean_hours_to_acknowledge: Option<f64>,
    pub mean_hours_to_resolve: Option<f64>,
    pub resolved_within_deadline: usize,
    pub share_resolved_within_deadline: Option<f64>,
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The response effect per level present in `alerts`, most urgent level first.
pub fn response_effect(alerts: &[Alert], now: Timestamp) -> Vec<LevelEffect> {
    let mut by_level: BTreeMap<u8, Vec<&Alert>> = BTreeMap::new();
    for a in alerts {
        by_level.entry(a.level).or_default().push(a);
    }
    by_level
        .into_iter()
        .map(|(level, list)| {
            let first =
                |a: &Alert, action| a.history.iter().find(|e| e.action == action).map(|e| e.at);
            let count = |s| list.iter().filter(|a| a.status == s).count();
            let mut to_ack = Vec::new();
            let mut to_resolve = Vec::new();
            let (mut within, mut decided) = (0, 0);
            for a in &list {
                if let Some(t) = first(a, AlertAction::Acknowledged) {
                    to_ack.push(t.hours_since(a.raised_at));
                }
                match first(a, AlertAction::Resolved) {
                    Some(t) => {
                        to_resolve.push(t.hours_since(a.raised_at));
                        decided += 1;
                        within += usize::from(t <= a.deadline);
                    }
                    None => decided += usize::from(a.deadline < now),
                }
            }
            LevelEffect {
                level,
                alerts: list.len(),
                open: count(AlertStatus::Open),
                acknowledged: count(AlertStatus::Acknowledged),
                escalated: list
                    .iter()
                    .filter(|a| a.history.iter().any(|e| e.action == AlertAction::Escalated))
                    .count(),
                resolved: count(AlertStatus::Resolved),
                mean_hours_to_acknowledge: mean(&to_ack),
                mean_hours_to_resolve: mean(&to_resolve),
                resolved_within_deadline: within,
                share_resolved_within_deadline: (decided > 0)
                    .then(|| within as f64 / decided as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{acknowledge, reconcile, resolve};
    use crate::monitor::Finding;
    use crate::response::ResponsePlan;

    fn finding(subject: &str, level: u8) -> Finding {
        Finding {
            rule: "r".into(),
            subject: subject.into(),
            level,
            evidence: Default::default(),
            message: String::new(),
            response: String::new(),
            measure: None,
            owner: "o".into(),
            candidates: vec![],
        }
    }

    #[test]
    fn hand_counted_effect() {
        let plan = ResponsePlan::default();
        let t0 = Timestamp(0);
        let mut alerts = vec![];
        reconcile(
            &mut alerts,
            &[
                finding("a", 1),
                finding("b", 1),
                finding("c", 1),
                finding("d", 2),
            ],
            &plan,
            t0,
        );
        // a: acknowledged after 2 h, resolved after 10 h (within 24 h).
        acknowledge(&mut alerts[0], "x", None, t0.plus_hours(2.0)).unwrap();
        resolve(&mut alerts[0], "x", None, t0.plus_hours(10.0)).unwrap();
        // b: acknowledged after 4 h, resolved after 30 h (late).
        acknowledge(&mut alerts[1], "x", None, t0.plus_hours(4.0)).unwrap();
        resolve(&mut alerts[1], "x", None, t0.plus_hours(30.0)).unwrap();
        // c: never touched, its 24 h have passed at 40 h; d (48 h) has not.
        let effect = response_effect(&alerts, t0.plus_hours(40.0));
        assert_eq!(effect.len(), 2);
        let l1 = &effect[0];
        assert_eq!((l1.level, l1.alerts, l1.resolved, l1.open), (1, 3, 2, 1));
        assert_eq!(l1.mean_hours_to_acknowledge, Some(3.0));
        assert_eq!(l1.mean_hours_to_resolve, Some(20.0));
        assert_eq!(l1.resolved_within_deadline, 1);
        assert_eq!(l1.share_resolved_within_deadline, Some(1.0 / 3.0));
        assert_eq!(effect[1].share_resolved_within_deadline, None);
    }
}
