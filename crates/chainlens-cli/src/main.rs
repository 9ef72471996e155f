//! `chainlens`: regional industrial-chain analysis and governance from the command line.
//! Each command is a module under `commands/`; this file only dispatches.

mod commands;
mod error;
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
    /// Files as analysts hold them into a workspace: registry exports, yearbook tables, purchases.
    Ingest(commands::ingest::Args),
    /// The main job: import if needed, every configured analysis, and the report.
    Run(commands::run::Args),
    /// The self-contained HTML report alone.
    Report(commands::report::Args),
    /// Disruption simulation: ARIO on an IO table, or a workspace scenario on the firm network.
    Simulate(commands::simulate::Args),
    /// Grade the risk register with the risk matrix (Table 4-6).
    Risk(commands::risk::Args),
    /// Evaluate monitoring rules and emergency triggers; raise or update alerts (idempotent).
    Warn(commands::warn::Args),
    /// Acknowledge, resolve, list and evaluate alerts.
    Alert(commands::alert::Args),
    /// Resilience index: dimension scores, index, grade and rank per region and year (Table 3-1), trends, gaps.
    Evaluate(commands::evaluate::Args),
    /// AHP, entropy or CRITIC weights of a judgment matrix or data table.
    Weights(commands::weights::Args),
    /// Input-output linkage analysis: multipliers, BL/FL, key sectors, extraction, spillovers.
    Linkage(commands::linkage::Args),
    /// Firm-level supply network of a chain: map, gaps, single points of failure, D111/D112.
    Network(commands::network::Args),
    /// Chain supplement: ranked partners for a stage gap or replacements for an enterprise.
    Supplement(commands::supplement::Args),
    /// Spatial autocorrelation of one variable: Moran's I, Geary's C, local Moran (LISA) clusters.
    Spatial(commands::spatial::Args),
    /// Chain protection: Eisenberg–Noe clearing of receivables, contagion, injections.
    Clearing(commands::clearing::Args),
    /// Response planning: protection over time (and, as they land, fund, creation, fusion).
    Plan(commands::plan::Args),
    /// The HTTP API and dashboard over workspaces (127.0.0.1:8080 unless --addr).
    Serve(commands::serve::Args),
    /// Access tokens of the server: create (printed once), list, revoke.
    Token(commands::token::Args),
}

/// Lets the process end quietly when its output pipe closes (`chainlens … | head`), as
/// Unix tools do, instead of panicking on a failed write.
#[cfg(unix)]
fn restore_default_sigpipe() {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: called once at start-up, before any thread exists; resets a signal
    // disposition to its default, which has no memory-safety preconditions.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    restore_default_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => commands::init::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Info(args) => commands::info::run(args),
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Run(args) => commands::run::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Risk(args) => commands::risk::run(args),
        Command::Warn(args) => commands::warn::run(args),
        Command::Alert(args) => commands::alert::run(args),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Weights(args) => commands::weights::run(args),
        Command::Linkage(args) => commands::linkage::run(args),
        Command::Network(args) => commands::network::run(args),
        Command::Supplement(args) => commands::supplement::run(args),
        Command::Clearing(args) => commands::clearing::run(args),
        Command::Spatial(args) => commands::spatial::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Token(args) => commands::token::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
