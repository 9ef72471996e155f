//! `chainlens serve WORKSPACE... [--addr 127.0.0.1:8080]`: the HTTP API and the dashboard
//! over one or more workspaces, until Ctrl-C or SIGTERM. Listens on the loopback address
//! unless told otherwise; every request but `/api/health` needs a token from
//! `chainlens token create`.

use crate::error::Result;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Workspace folders (each holding chainlens.toml) to serve.
    #[arg(required = true)]
    pub workspaces: Vec<PathBuf>,
    /// Address to listen on; 0.0.0.0 exposes the server to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Threads computing scenario runs (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub workers: Option<u16>,
    /// Scenario runs of one workspace that may wait; more answer 429.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub queue_per_workspace: u16,
    /// Scenario runs of all workspaces that may wait; more answer 429.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub queue_total: u16,
    /// Seconds a client has to send a request's headers; an idle keep-alive connection is
    /// closed after as long.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a request may take before it is stopped with 503.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Connections open at once; more wait until one closes.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// A host name to answer to besides localhost, 127.0.0.1 and [::1] when listening on
    /// a loopback address (repeatable); other names are refused (DNS rebinding).
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
}

pub fn run(args: Args) -> Result<()> {
    for dir in &args.workspaces {
        crate::workspace::load(dir)?;
    }
    eprintln!(
        "loading and analysing {} workspace(s)…",
        args.workspaces.len()
    );
    let first = args.workspaces[0].display().to_string();
    let mut config = chainlens_server::Config::default();
    if let Some(w) = args.workers {
        config.queue.workers = w.into();
    }
    config.queue.per_workspace = args.queue_per_workspace.into();
    config.queue.total = args.queue_total.into();
    config.header_timeout = Duration::from_secs(args.header_timeout);
    config.request_timeout = Duration::from_secs(args.request_timeout);
    config.max_connections = args.max_connections as usize;
    config.allow_hosts = args.allow_hosts;
    chainlens_server::run(&args.workspaces, args.addr, config, |addr, names| {
        println!("serving {} on http://{addr}/", names.join(", "));
        println!(
            "a token for the dashboard: chainlens token create --workspace {first} --role analyst --name YOU"
        );
        println!("stop with Ctrl-C");
    })?;
    eprintln!("stopped");
    Ok(())
}
