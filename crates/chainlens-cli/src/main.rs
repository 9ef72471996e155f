//! `chainlens`: regional industrial-chain analysis and governance from the command line.
//! Each command is a module under `commands/`; this file only dispatches.

mod commands;
mod output;
mod workspace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "chainlens", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scaffold a new workspace with a commented chainlens.toml and empty tables.
    Init(commands::init::Args),
    /// Check a workspace: every problem as file:row:column: field: reason.
    Validate(commands::validate::Args),
    /// Validate, then replace the store's content in one transaction.
    Import(commands::import::Args),
    /// Counts of what a workspace holds.
    Info(commands::info::Args),
    /// The main job: import if needed, every configured analysis, and the report.
    Run(commands::run::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => commands::init::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Info(args) => commands::info::run(args),
        Command::Run(args) => commands::run::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
