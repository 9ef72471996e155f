//! Persistence of early-warning alerts and their status history (tables `alerts` and
//! `alert_events`, migration 0002). The lifecycle itself (raise, update, escalate,
//! acknowledge, resolve) is pure and lives in chainlens-warning; this module loads the
//! alerts and saves the changed ones in one transaction.

use super::Store;
use crate::{Error, Result};
use chainlens_model::Vocabulary;
use chainlens_model::{Alert, AlertAction, AlertEvent, AlertStatus, Timestamp};
use rusqlite::{Row, params};
use std::collections::BTreeMap;

const COLUMNS: &str = "id, rule, subject, level, status, owner, raised_at, deadline, evidence, message, response, measure, candidates";

impl Store {
    fn corrupt(&self, what: String) -> Error {
        Error::Write {
            path: self.path.clone(),
            message: format!("corrupt alert record: {what}"),
        }
    }

    fn alert_row(&self, r: &Row) -> rusqlite::Result<std::result::Result<Alert, String>> {
        let status: String = r.get(4)?;
        let raised: String = r.get(6)?;
        let deadline: String = r.get(7)?;
        let evidence: String = r.get(8)?;
        let candidates: String = r.get(12)?;
        let id: i64 = r.get(0)?;
        let parsed = (|| {
            Ok(Alert {
                id: Some(id),
                rule: r.get(1).map_err(|e| e.to_string())?,
                subject: r.get(2).map_err(|e| e.to_string())?,
                level: r.get(3).map_err(|e| e.to_string())?,
                status: AlertStatus::parse(&status)
                    .ok_or(format!("alert {id}: status `{status}`"))?,
                owner: r.get(5).map_err(|e| e.to_string())?,
                raised_at: Timestamp::parse(&raised)
                    .ok_or(format!("alert {id}: raised_at `{raised}`"))?,
                deadline: Timestamp::parse(&deadline)
                    .ok_or(format!("alert {id}: deadline `{deadline}`"))?,
                evidence: serde_json::from_str::<BTreeMap<String, f64>>(&evidence)
                    .map_err(|e| format!("alert {id}: evidence: {e}"))?,
                message: r.get(9).map_err(|e| e.to_string())?,
                response: r.get(10).map_err(|e| e.to_string())?,
                measure: r.get(11).map_err(|e| e.to_string())?,
                candidates: serde_json::from_str(&candidates)
                    .map_err(|e| format!("alert {id}: candidates: {e}"))?,
                history: Vec::new(),
            })
        })();
        Ok(parsed)
    }

    fn load_alerts(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Alert>> {
        let sql = format!("SELECT {COLUMNS} FROM alerts {filter} ORDER BY id");
        let mut st = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let rows = st
            .query_map(args, |r| self.alert_row(r))
            .map_err(|e| self.sql_error(e))?;
        let mut alerts = Vec::new();
        for row in rows {
            alerts.push(
                row.map_err(|e| self.sql_error(e))?
                    .map_err(|m| self.corrupt(m))?,
            );
        }
        let mut st = self
            .conn
            .prepare("SELECT at, action, status, by, note FROM alert_events WHERE alert = ?1 ORDER BY seq")
            .map_err(|e| self.sql_error(e))?;
        for a in &mut alerts {
            let id = a.id.expect("loaded alerts have ids");
            let rows = st
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })
                .map_err(|e| self.sql_error(e))?;
            for row in rows {
                let (at, action, status, by, note) = row.map_err(|e| self.sql_error(e))?;
                a.history.push(AlertEvent {
                    at: Timestamp::parse(&at)
                        .ok_or_else(|| self.corrupt(format!("alert {id}: event time `{at}`")))?,
                    action: AlertAction::parse(&action)
                        .ok_or_else(|| self.corrupt(format!("alert {id}: action `{action}`")))?,
                    status: AlertStatus::parse(&status)
                        .ok_or_else(|| self.corrupt(format!("alert {id}: status `{status}`")))?,
                    by,
                    note,
                });
            }
        }
        Ok(alerts)
    }

    /// Every alert with its history, oldest first.
    pub fn alerts(&self) -> Result<Vec<Alert>> {
        self.load_alerts("", &[])
    }

    /// Unresolved alerts per level, most urgent first: a count, without loading them.
    pub fn unresolved_by_level(&self) -> Result<Vec<(u8, usize)>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT level, COUNT(*) FROM alerts WHERE status != 'resolved' GROUP BY level ORDER BY level",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((r.get::<_, u8>(0)?, r.get::<_, i64>(1)? as usize))
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.sql_error(e))
    }

    /// One alert with its history.
    pub fn alert(&self, id: i64) -> Result<Option<Alert>> {
        Ok(self.load_alerts("WHERE id = ?1", &[&id])?.pop())
    }

    /// Saves the given alerts (inserting those without an id, which then get one) with
    /// their whole history, in one transaction.
    pub fn save_alerts<'a>(
        &mut self,
        alerts: impl IntoIterator<Item = &'a mut Alert>,
    ) -> Result<()> {
        let path = self.path.clone();
        let err = |source| Error::Store {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut saved = Vec::new();
        for a in alerts {
            let evidence = serde_json::to_string(&a.evidence).expect("numbers serialise");
            let candidates = serde_json::to_string(&a.candidates).expect("strings serialise");
            let values = params![
                a.rule,
                a.subject,
                a.level,
                a.status.key(),
                a.owner,
                a.raised_at.to_string(),
                a.deadline.to_string(),
                evidence,
                a.message,
                a.response,
                a.measure,
                candidates,
            ];
            let id = match a.id {
                None => {
                    tx.execute(
                        "INSERT INTO alerts (rule, subject, level, status, owner, raised_at, deadline, evidence, \
                         message, response, measure, candidates) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                        values,
                    )
                    .map_err(err)?;
                    tx.last_insert_rowid()
                }
                Some(id) => {
                    let n = tx
                        .execute(
                            "UPDATE alerts SET rule = ?1, subject = ?2, level = ?3, status = ?4, owner = ?5, \
                             raised_at = ?6, deadline = ?7, evidence = ?8, message = ?9, response = ?10, measure = ?11, \
                             candidates = ?12 WHERE id = ?13",
                            rusqlite::params_from_iter(values.iter().copied().chain([&id as &dyn rusqlite::ToSql])),
                        )
                        .map_err(err)?;
                    if n == 0 {
                        return Err(Error::Write {
                            path: path.clone(),
                            message: format!("alert {id} does not exist"),
                        });
                    }
                    tx.execute("DELETE FROM alert_events WHERE alert = ?1", [id])
                        .map_err(err)?;
                    id
                }
            };
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO alert_events (alert, seq, at, action, status, by, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err)?;
            for (seq, e) in a.history.iter().enumerate() {
                st.execute(params![
                    id,
                    seq as i64,
                    e.at.to_string(),
                    e.action.key(),
                    e.status.key(),
                    e.by,
                    e.note
                ])
                .map_err(err)?;
            }
            saved.push((a, id));
        }
        tx.commit().map_err(err)?;
        for (a, id) in saved {
            a.id = Some(id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(at: Timestamp) -> Alert {
        Alert {
            id: None,
            rule: "tight_supply".into(),
            subject: "nev/power_semis@zhejiang".into(),
            level: 2,
            status: AlertStatus::Open,
            owner: "industry alliance".into(),
            raised_at: at,
            deadline: at.plus_hours(48.0),
            evidence: BTreeMap::from([
                ("min_cover_days".to_owned(), 12.0),
                ("lead_time_days".to_owned(), 57.0),
            ]),
            message: "9 of 11 buyers short".into(),
            response: "reconcile inventory".into(),
            measure: Some("protection".into()),
            candidates: vec!["e024".into()],
            history: vec![AlertEvent {
                at,
                action: AlertAction::Raised,
                status: AlertStatus::Open,
                by: None,
                note: None,
            }],
        }
    }

    #[test]
    fn alerts_round_trip_with_their_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let t0 = Timestamp(1_700_000_000);
        let mut a = alert(t0);
        store.save_alerts([&mut a]).unwrap();
        let id = a.id.unwrap();
        assert_eq!(store.alert(id).unwrap().as_ref(), Some(&a));
        a.status = AlertStatus::Acknowledged;
        a.history.push(AlertEvent {
            at: t0.plus_hours(1.0),
            action: AlertAction::Acknowledged,
            status: AlertStatus::Acknowledged,
            by: Some("wang".into()),
            note: Some("on it".into()),
        });
        store.save_alerts([&mut a]).unwrap();
        assert_eq!(store.alerts().unwrap(), vec![a]);
        assert_eq!(store.alert(id + 1).unwrap(), None);
    }

    #[test]
    fn unresolved_alerts_are_counted_per_level() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut alerts: Vec<Alert> = [2, 2, 1, 3, 2]
            .into_iter()
            .map(|level| Alert {
                level,
                ..alert(Timestamp(0))
            })
            .collect();
        alerts[1].status = AlertStatus::Resolved;
        alerts[3].status = AlertStatus::Acknowledged;
        store.save_alerts(alerts.iter_mut()).unwrap();
        assert_eq!(
            store.unresolved_by_level().unwrap(),
            vec![(1, 1), (2, 2), (3, 1)]
        );
    }

    #[test]
    fn saving_an_unknown_id_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let mut fresh = alert(Timestamp(0));
        let mut ghost = alert(Timestamp(0));
        ghost.id = Some(99);
        assert!(store.save_alerts([&mut fresh, &mut ghost]).is_err());
        assert_eq!(store.alerts().unwrap(), vec![]);
        assert_eq!(
            fresh.id, None,
            "ids are assigned only once the transaction commits"
        );
    }
}
