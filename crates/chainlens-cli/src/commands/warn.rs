//! `chainlens warn WORKSPACE`: evaluates the monitoring rules (Table 4-7 targets, bands,
//! Holt forecasts) and the emergency triggers (Table 4-8 levels) on the workspace's data,
//! and raises or updates alerts in the store. Idempotent: a second run on the same data
//! neither duplicates nor re-opens alerts, and nothing is resolved except by
//! `chainlens alert resolve`. Alerts past their deadline are escalated.
//!
//! JSON: `{"alerts":[{"id","rule","subject","level","status","owner","raised_at",
//! "deadline","evidence","message","response","measure","candidates"}], "raised":N,
//! "updated":N, "not_firing":[ids], "skipped":[...]}` with every unresolved alert.

use crate::error::{CliError, Result};
use crate::output::{Format, csv_table, print_json, text_table};
use crate::workspace;
use chainlens_model::{Alert, Timestamp};
use chainlens_pipeline::raise_alerts;
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workspace folder (holding chainlens.toml); alerts go to its chainlens.db.
    pub workspace: PathBuf,
    /// The time to act at (RFC 3339 UTC, e.g. 2026-11-22T08:00:00Z); default: now.
    #[arg(long, value_parser = parse_time)]
    pub now: Option<Timestamp>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Parses `--now`.
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).ok_or_else(|| format!("`{s}` is not a UTC time like 2026-11-22T08:00:00Z"))
}

/// `--now`, or the clock.
pub fn now_or(given: Option<Timestamp>) -> Timestamp {
    given.unwrap_or_else(chainlens_data::store::now)
}

#[derive(Serialize)]
struct Report<'a> {
    alerts: Vec<&'a Alert>,
    raised: usize,
    updated: usize,
    not_firing: Vec<i64>,
    skipped: &'a [String],
}

/// The alert rows people read: one per alert.
pub fn alert_rows<'a>(alerts: impl IntoIterator<Item = &'a Alert>) -> Vec<Vec<String>> {
    alerts
        .into_iter()
        .map(|a| {
            vec![
                a.id.map(|i| i.to_string()).unwrap_or_default(),
                a.level.to_string(),
                a.status.to_string(),
                a.deadline.to_string(),
                a.owner.clone(),
                a.rule.clone(),
                a.subject.clone(),
                a.message.clone(),
            ]
        })
        .collect()
}

pub const ALERT_HEADER: [&str; 8] = [
    "id", "level", "status", "deadline", "owner", "rule", "subject", "message",
];

pub fn run(args: Args) -> Result<()> {
    let ws = workspace::load(&args.workspace)?;
    let raised = match raise_alerts(&ws, now_or(args.now))? {
        Ok(r) => r,
        Err(message) => {
            return Err(CliError::Problems(vec![message.to_string()]));
        }
    };
    let report = Report {
        alerts: raised.unresolved().collect(),
        raised: raised.raised,
        updated: raised.updated,
        not_firing: raised.not_firing.clone(),
        skipped: &raised.skipped,
    };
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Csv => print!(
            "{}",
            csv_table(&ALERT_HEADER, &alert_rows(report.alerts.iter().copied()))
        ),
        Format::Table => {
            println!(
                "{}\n",
                text_table(&ALERT_HEADER, &alert_rows(report.alerts.iter().copied()))
            );
            println!(
                "{} unresolved alerts: {} raised, {} updated; {} no longer firing (resolve them with `chainlens alert resolve`)",
                report.alerts.len(),
                report.raised,
                report.updated,
                report.not_firing.len()
            );
            for s in report.skipped {
                eprintln!("note: {s}");
            }
        }
    }
    Ok(())
}
