//! `chainlens alert ack|resolve|list|show|effect`: the early-warning platform's alert
//! lifecycle on the workspace's store. Every change is recorded in the alert's status
//! history with who and when; `effect` is the response-effect evaluation per level
//! (mean hours to acknowledge and to resolve, share resolved within the deadline).

use super::warn::{ALERT_HEADER, alert_rows, now_or, parse_time};
use crate::error::{CliError, Result};
use crate::output::{Format, csv_table, print_json, text_table};
use chainlens_data::store::Store;
use chainlens_data::workspace::{CONFIG_FILE, STORE_FILE};
use chainlens_model::Vocabulary;
use chainlens_model::{AlertStatus, Timestamp};
use chainlens_pipeline::alerts::{self, AlertChange, AlertChangeError};
use chainlens_warning::response_effect;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Args)]
pub struct Change {
    /// The workspace folder.
    pub workspace: PathBuf,
    /// The alert id (as `chainlens warn` lists it).
    pub id: i64,
    /// Who takes the action.
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub note: Option<String>,
    /// The time of the action (RFC 3339 UTC); default: now.
    #[arg(long, value_parser = parse_time)]
    pub now: Option<Timestamp>,
}

#[derive(clap::Args)]
pub struct View {
    /// The workspace folder.
    pub workspace: PathBuf,
    /// Include resolved alerts (`list`).
    #[arg(long)]
    pub all: bool,
    /// The time the evaluation refers to (`effect`; RFC 3339 UTC); default: now.
    #[arg(long, value_parser = parse_time)]
    pub now: Option<Timestamp>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct Show {
    /// The workspace folder.
    pub workspace: PathBuf,
    pub id: i64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Acknowledge an alert: someone has taken it on.
    Ack(Change),
    /// Resolve an alert.
    Resolve(Change),
    /// The unresolved alerts (all with --all).
    List(View),
    /// One alert with its evidence and status history.
    Show(Show),
    /// Response-effect evaluation per level from the alert history.
    Effect(View),
}

/// The workspace's store: for writing (acknowledge, resolve) or, for the views, opened
/// read-only so that they work on a read-only workspace.
fn open_store(dir: &Path, write: bool) -> Result<Store> {
    if !dir.join(CONFIG_FILE).is_file() {
        return Err(chainlens_data::Error::NotAWorkspace(dir.to_owned()).into());
    }
    let path = dir.join(STORE_FILE);
    if !path.is_file() {
        return Err(CliError::input(format!(
            "{}: no alerts yet (run `chainlens warn` first)",
            dir.display()
        )));
    }
    Ok(if write {
        Store::open(&path)?
    } else {
        Store::open_read_only(&path)?
    })
}

fn change(c: Change, resolving: bool) -> Result<()> {
    let mut store = open_store(&c.workspace, true)?;
    let now = now_or(c.now);
    let change = if resolving {
        AlertChange::Resolve
    } else {
        AlertChange::Acknowledge
    };
    let alert = match alerts::change(&mut store, c.id, change, &c.by, c.note.as_deref(), now) {
        Ok(alert) => alert,
        Err(AlertChangeError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(CliError::input(e)),
    };
    println!("alert {}: {} by {} at {now}", c.id, alert.status, c.by);
    Ok(())
}

pub fn run(args: Args) -> Result<()> {
    match args.action {
        Action::Ack(c) => change(c, false),
        Action::Resolve(c) => change(c, true),
        Action::List(v) => {
            let store = open_store(&v.workspace, false)?;
            let alerts: Vec<_> = store
                .alerts()?
                .into_iter()
                .filter(|a| v.all || a.status != AlertStatus::Resolved)
                .collect();
            match v.format {
                Format::Json => print_json(&alerts)?,
                Format::Csv => print!("{}", csv_table(&ALERT_HEADER, &alert_rows(&alerts))),
                Format::Table => println!("{}", text_table(&ALERT_HEADER, &alert_rows(&alerts))),
            }
            Ok(())
        }
        Action::Show(s) => {
            let store = open_store(&s.workspace, false)?;
            let Some(a) = store.alert(s.id)? else {
                return Err(CliError::input(format!("alert {} does not exist", s.id)));
            };
            if s.format == Format::Json {
                print_json(&a)?;
                return Ok(());
            }
            println!("alert {} — level {} — {}", s.id, a.level, a.status);
            println!("{}: {}", a.rule, a.message);
            println!(
                "subject   {}\nowner     {}\nraised    {}\ndeadline  {}",
                a.subject, a.owner, a.raised_at, a.deadline
            );
            println!(
                "response  {}{}",
                a.response,
                a.measure
                    .as_ref()
                    .map(|m| format!(" (chain {m})"))
                    .unwrap_or_default()
            );
            if !a.candidates.is_empty() {
                println!("candidates {}", a.candidates.join(", "));
            }
            let evidence: Vec<String> =
                a.evidence.iter().map(|(k, v)| format!("{k}={v}")).collect();
            println!("evidence  {}\n", evidence.join(", "));
            let rows: Vec<Vec<String>> = a
                .history
                .iter()
                .map(|e| {
                    vec![
                        e.at.to_string(),
                        e.action.key().to_owned(),
                        e.status.to_string(),
                        e.by.clone().unwrap_or_default(),
                        e.note.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            println!(
                "{}",
                text_table(&["at", "action", "status", "by", "note"], &rows)
            );
            Ok(())
        }
        Action::Effect(v) => {
            let store = open_store(&v.workspace, false)?;
            let effect = response_effect(&store.alerts()?, now_or(v.now));
            let hours = |x: Option<f64>| x.map(|h| format!("{h:.1}")).unwrap_or_else(|| "-".into());
            match v.format {
                Format::Json => print_json(&effect)?,
                Format::Table | Format::Csv => {
                    let header = [
                        "level",
                        "alerts",
                        "resolved",
                        "escalated",
                        "h_to_ack",
                        "h_to_resolve",
                        "within_deadline",
                    ];
                    let rows: Vec<Vec<String>> = effect
                        .iter()
                        .map(|e| {
                            vec![
                                e.level.to_string(),
                                e.alerts.to_string(),
                                e.resolved.to_string(),
                                e.escalated.to_string(),
                                hours(e.mean_hours_to_acknowledge),
                                hours(e.mean_hours_to_resolve),
                                e.share_resolved_within_deadline
                                    .map(|s| format!("{:.1}%", 100.0 * s))
                                    .unwrap_or_else(|| "-".into()),
                            ]
                        })
                        .collect();
                    if v.format == Format::Csv {
                        print!("{}", csv_table(&header, &rows));
                    } else {
                        println!("{}", text_table(&header, &rows));
                    }
                }
            }
            Ok(())
        }
    }
}
