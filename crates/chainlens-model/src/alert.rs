//! Early-warning alerts (Zhang 2024, "four in one" early warning; DESIGN.md §3, §4.4):
//! what fired (rule, subject, the evidence numbers), how urgent (response level 1–4 of
//! Table 4-8), who owns it, by when, and every status change since it was raised.
//!
//! Time is a [`Timestamp`] (seconds since the Unix epoch, UTC), written as RFC 3339
//! (`2026-11-22T22:30:00Z`) in files and JSON. Nothing here reads the clock.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const HOUR: i64 = 3600;

    /// `self` plus `hours` (may be fractional; rounded to the second).
    pub fn plus_hours(self, hours: f64) -> Timestamp {
        Timestamp(self.0 + (hours * Self::HOUR as f64).round() as i64)
    }

    /// Hours from `earlier` to `self`.
    pub fn hours_since(self, earlier: Timestamp) -> f64 {
        (self.0 - earlier.0) as f64 / Self::HOUR as f64
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (also with a space for `T`, or a bare date meaning
    /// midnight UTC).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let (date, time) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], s[i + 1..].strip_suffix('Z').unwrap_or(&s[i + 1..])),
            None => (s, "00:00:00"),
        };
        let d: Vec<&str> = date.split('-').collect();
        let t: Vec<&str> = time.split(':').collect();
        if d.len() != 3 || d[0].len() != 4 || d[1].len() != 2 || d[2].len() != 2 || t.len() != 3 {
            return None;
        }
        let num = |x: &str| -> Option<i64> {
            (!x.is_empty() && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse().ok())?
        };
        let (y, m, day) = (num(d[0])?, num(d[1])?, num(d[2])?);
        let (hh, mm, ss) = (num(t[0])?, num(t[1])?, num(t[2])?);
        if !(1..=12).contains(&m)
            || day < 1
            || day > days_in_month(y, m)
            || hh > 23
            || mm > 59
            || ss > 59
        {
            return None;
        }
        Some(Timestamp(
            days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 + ss,
        ))
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        let rem = self.0.rem_euclid(86_400);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not an RFC 3339 UTC time"))
        })
    }
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised, nobody has taken it yet.
    Open,
    /// Someone has taken it on.
    Acknowledged,
    /// Its deadline passed before it was resolved.
    Escalated,
    /// Closed by a person (never automatically).
    Resolved,
}

// Open and escalated alerts warm, acknowledged ones pale, resolved ones blue.
crate::vocabulary::vocabulary!(AlertStatus {
    Open => ("open", "open", "待处理", crate::vocabulary::SCALE5[1]),
    Acknowledged => ("acknowledged", "acknowledged", "已确认", crate::vocabulary::SCALE5[2]),
    Escalated => ("escalated", "escalated", "已升级", crate::vocabulary::SCALE5[0]),
    Resolved => ("resolved", "resolved", "已处置", crate::vocabulary::SCALE5[3]),
});

impl fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::Vocabulary::key(*self))
    }
}

/// What happened to an alert at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertAction {
    Raised,
    /// The condition still holds with different numbers (evidence, level, deadline).
    Updated,
    Acknowledged,
    Escalated,
    Resolved,
}

crate::vocabulary::vocabulary!(AlertAction {
    Raised => ("raised", "raised", "发布", crate::vocabulary::QUALITATIVE[0]),
    Updated => ("updated", "updated", "更新", crate::vocabulary::QUALITATIVE[1]),
    Acknowledged => ("acknowledged", "acknowledged", "确认", crate::vocabulary::QUALITATIVE[3]),
    Escalated => ("escalated", "escalated", "升级", crate::vocabulary::QUALITATIVE[5]),
    Resolved => ("resolved", "resolved", "处置完成", crate::vocabulary::QUALITATIVE[4]),
});

/// One entry of an alert's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertEvent {
    pub at: Timestamp,
    pub action: AlertAction,
    /// The status after this event.
    pub status: AlertStatus,
    /// Who did it (`None` for the system).
    pub by: Option<String>,
    pub note: Option<String>,
}

/// A persisted early warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Assigned by the store; `None` until saved.
    pub id: Option<i64>,
    /// The monitoring rule or emergency trigger that fired.
    pub rule: String,
    /// What it is about, e.g. `hangzhou` or `nev/battery@zhejiang`.
    pub subject: String,
    /// Response level 1 (most urgent) – 4 (Table 4-8).
    pub level: u8,
    pub status: AlertStatus,
    pub owner: String,
    pub raised_at: Timestamp,
    pub deadline: Timestamp,
    /// The numbers that fired it (value, threshold, forecast, period, …).
    pub evidence: BTreeMap<String, f64>,
    /// One line for people.
    pub message: String,
    /// The response to start (Table 4-8 or the rule's own implementation path).
    pub response: String,
    /// The recommended chain measure (Gao 2021): protection, supplement, creation, financing.
    pub measure: Option<String>,
    /// Concrete candidates where known (e.g. enterprises that could fill a gap).
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Oldest first; the first event is `raised`.
    pub history: Vec<AlertEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_known_instants() {
        // `date -u -d @1700000000` → Tue Nov 14 22:13:20 UTC 2023
        assert_eq!(Timestamp(1_700_000_000).to_string(), "2023-11-14T22:13:20Z");
        assert_eq!(
            Timestamp::parse("2023-11-14T22:13:20Z"),
            Some(Timestamp(1_700_000_000))
        );
        // `date -u -d 2024-02-29T12:00:00Z +%s` → 1709208000
        assert_eq!(
            Timestamp::parse("2024-02-29 12:00:00"),
            Some(Timestamp(1_709_208_000))
        );
        assert_eq!(Timestamp::parse("1970-01-02"), Some(Timestamp(86_400)));
        assert_eq!(Timestamp::parse("2023-02-29T00:00:00Z"), None);
        assert_eq!(Timestamp::parse("2023-1-01T00:00:00Z"), None);
        assert_eq!(Timestamp::parse("yesterday"), None);
        assert_eq!(Timestamp(0).plus_hours(24.0), Timestamp(86_400));
        assert_eq!(Timestamp(7200).hours_since(Timestamp(0)), 2.0);
    }
}
