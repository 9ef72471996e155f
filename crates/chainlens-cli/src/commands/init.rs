//! `chainlens init DIR`: scaffold a workspace — a commented chainlens.toml and each table
//! as a CSV file holding only its header, so the user can fill them in a spreadsheet.

use crate::error::{CliError, Result};
use chainlens_data::write::atomic_write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create (or an empty existing one).
    pub dir: PathBuf,
}

const TEMPLATE: &str = include_str!("../../templates/chainlens.toml");

/// Each table's header, as docs/workspace-format.md lists the columns.
pub const HEADERS: [(&str, &str); 6] = [
    (
        "regions",
        "id,name,level,parent,group,neighbours,latitude,longitude",
    ),
    ("sectors", "id,name,code,classification"),
    (
        "enterprises",
        "id,name,region,role,stages,sector,capacity,output,employees,total_assets,operating_income,rd_expenditure,invention_patents,cash",
    ),
    (
        "supply_links",
        "supplier,buyer,chain,stage,value,share,lead_time_days,inventory_days,essential,receivable,overdue_days",
    ),
    ("indicators", "region,year,indicator,value,source,imputed"),
    ("risks", "id,type,factor,probability,impact,owner,measures"),
];

pub fn run(args: Args) -> Result<()> {
    let config = args.dir.join("chainlens.toml");
    if config.exists() {
        return Err(CliError::Problems(vec![format!(
            "{}: a workspace already exists here; nothing was changed",
            config.display()
        )]));
    }
    let name = args
        .dir
        .canonicalize()
        .unwrap_or_else(|_| args.dir.clone())
        .file_name()
        .map_or_else(
            || "workspace".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
    for (table, header) in HEADERS {
        atomic_write(
            &args.dir.join("data").join(format!("{table}.csv")),
            format!("{header}\n").as_bytes(),
        )?;
    }
    atomic_write(&config, TEMPLATE.replace("{name}", &name).as_bytes())?;
    println!(
        "created workspace {} — fill in data/*.csv and chainlens.toml, then `chainlens validate {}`",
        args.dir.display(),
        args.dir.display()
    );
    Ok(())
}
