//! `chainlens serve WORKSPACE... [--addr 127.0.0.1:8080]`: the HTTP API and the dashboard
//! over one or more workspaces, until Ctrl-C or SIGTERM. Listens on the loopback address
//! unless told otherwise; every request but `/api/health` needs a token from
//! `chainlens token create`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Workspace folders (each holding chainlens.toml) to serve.
    #[arg(required = true)]
    pub workspaces: Vec<PathBuf>,
    /// Address to listen on; 0.0.0.0 exposes the server to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    for dir in &args.workspaces {
        if let Err(code) = crate::workspace::load(dir) {
            return Ok(code);
        }
    }
    eprintln!(
        "loading and analysing {} workspace(s)…",
        args.workspaces.len()
    );
    let first = args.workspaces[0].display().to_string();
    chainlens_server::run(&args.workspaces, args.addr, |addr, names| {
        println!("serving {} on http://{addr}/", names.join(", "));
        println!(
            "a token for the dashboard: chainlens token create --workspace {first} --role analyst --name YOU"
        );
        println!("stop with Ctrl-C");
    })?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}
