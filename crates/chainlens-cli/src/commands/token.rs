//! `chainlens token create|list|revoke --workspace W`: access tokens of the server, stored
//! in the workspace's chainlens.db as their SHA-256 only. `create` prints the token once;
//! it cannot be shown again (create another and revoke the lost one).

use crate::error::{CliError, Result};
use crate::output::{Format, csv_table, print_json, text_table};
use chainlens_data::store::tokens::Role;
use chainlens_data::store::{Store, now};
use chainlens_data::workspace::{CONFIG_FILE, STORE_FILE};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    /// Reads everything of the workspace.
    Viewer,
    /// Also runs analyses and scenarios and handles alerts.
    Analyst,
    /// Also manages tokens and replaces data files.
    Admin,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Create a token and print it (once).
    Create {
        /// The workspace folder the token is for.
        #[arg(long)]
        workspace: PathBuf,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who holds it: recorded as `by` when they acknowledge or resolve alerts.
        #[arg(long, default_value = "anonymous")]
        name: String,
    },
    /// The workspace's tokens (never their secrets).
    List {
        #[arg(long)]
        workspace: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Revoke a token by its id (as `list` shows it).
    Revoke {
        #[arg(long)]
        workspace: PathBuf,
        id: i64,
    },
}

fn open(dir: &std::path::Path) -> Result<Store> {
    if !dir.join(CONFIG_FILE).is_file() {
        return Err(chainlens_data::Error::NotAWorkspace(dir.to_owned()).into());
    }
    Ok(Store::open(&dir.join(STORE_FILE))?)
}

pub fn run(args: Args) -> Result<()> {
    match args.action {
        Action::Create {
            workspace,
            role,
            name,
        } => {
            let mut store = open(&workspace)?;
            let role = match role {
                RoleArg::Viewer => Role::Viewer,
                RoleArg::Analyst => Role::Analyst,
                RoleArg::Admin => Role::Admin,
            };
            let (info, secret) = store.create_token(role, &name, &now().to_string())?;
            eprintln!(
                "token {} ({role}, {name}) for {}; it is shown only now:",
                info.id,
                workspace.display()
            );
            println!("{secret}");
            Ok(())
        }
        Action::List { workspace, format } => {
            let store = open(&workspace)?;
            let tokens = store.tokens()?;
            match format {
                Format::Json => print_json(&tokens)?,
                Format::Table | Format::Csv => {
                    let header = ["id", "role", "name", "created_at", "revoked_at"];
                    let rows: Vec<Vec<String>> = tokens
                        .iter()
                        .map(|t| {
                            vec![
                                t.id.to_string(),
                                t.role.to_string(),
                                t.name.clone(),
                                t.created_at.clone(),
                                t.revoked_at.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    if matches!(format, Format::Csv) {
                        print!("{}", csv_table(&header, &rows));
                    } else {
                        println!("{}", text_table(&header, &rows));
                    }
                }
            }
            Ok(())
        }
        Action::Revoke { workspace, id } => {
            let mut store = open(&workspace)?;
            if store.revoke_token(id, &now().to_string())? {
                println!("token {id} revoked");
                Ok(())
            } else {
                Err(CliError::input(format!("no active token {id}")))
            }
        }
    }
}
