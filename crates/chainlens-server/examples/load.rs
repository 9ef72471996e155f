//! Load generator for the main read endpoints of a running `chainlens serve`: N
//! keep-alive HTTP/1.1 connections over `std::net::TcpStream`, one thread each, cycling
//! over overview, chains, one chain's report, linkage, resilience, risks and the alert
//! list, until a time or request budget runs out. Reports requests, requests per second,
//! p50/p99/max latency and non-2xx answers per endpoint and overall. `--endpoints` picks
//! a subset, e.g. the reads served from the analysis cache alone.
//!
//! ```text
//! cargo run --release -p chainlens-server --example load -- \
//!     --addr 127.0.0.1:8080 --token SECRET --workspace zhejiang \
//!     --connections 64 --seconds 10 --max-requests 200000
//! ```
//!
//! Loopback only: it refuses any other address, so it cannot be pointed at someone
//! else's server by mistake.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Args {
    addr: SocketAddr,
    token: String,
    workspace: String,
    connections: usize,
    seconds: u64,
    max_requests: u64,
    /// Names of the endpoints to load (all when empty).
    only: Vec<String>,
}

const USAGE: &str = "usage: load --addr 127.0.0.1:PORT --token T [--workspace zhejiang] \
                     [--connections 64] [--seconds 10] [--max-requests 200000] \
                     [--endpoints overview,chains,chain,linkage,resilience,risks,alerts]";

fn parse_args() -> Result<Args, String> {
    let mut addr = None;
    let mut token = None;
    let mut workspace = "zhejiang".to_owned();
    let mut connections = 64;
    let mut seconds = 10;
    let mut max_requests = 200_000;
    let mut only = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--addr" => {
                let v = value()?;
                addr = Some(
                    v.parse::<SocketAddr>()
                        .map_err(|e| format!("--addr {v}: {e}"))?,
                );
            }
            "--token" => token = Some(value()?),
            "--workspace" => workspace = value()?,
            "--connections" => connections = number(value()?)? as usize,
            "--seconds" => seconds = number(value()?)?,
            "--max-requests" => max_requests = number(value()?)?,
            "--endpoints" => only = value()?.split(',').map(str::to_owned).collect(),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let addr = addr.ok_or_else(|| format!("--addr is required\n{USAGE}"))?;
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{addr} is not a loopback address; this tool only loads 127.0.0.1 / ::1"
        ));
    }
    if !(1..=1024).contains(&connections) || !(1..=600).contains(&seconds) || max_requests == 0 {
        return Err("--connections 1-1024, --seconds 1-600, --max-requests > 0".to_owned());
    }
    Ok(Args {
        addr,
        token: token.ok_or_else(|| format!("--token is required\n{USAGE}"))?,
        workspace,
        connections,
        seconds,
        max_requests,
        only,
    })
}

/// One keep-alive connection.
struct Conn {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            addr,
            reader: BufReader::with_capacity(1 << 16, s),
        })
    }

    /// GET `path`: the status and the body.
    fn get(&mut self, path: &str, token: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\r\n",
            self.addr
        );
        self.reader.get_mut().write_all(req.as_bytes())?;
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status line"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(bad("connection closed in the headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                match k.as_str() {
                    "content-length" => length = v.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = v.contains("chunked"),
                    "connection" => close = v.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        } else {
            self.reader.read_to_end(&mut body)?;
            close = true;
        }
        if close {
            *self = Conn::open(self.addr)?;
        }
        Ok((status, body))
    }
}

/// Latencies (microseconds) and failures of one endpoint.
#[derive(Default, Clone)]
struct Stats {
    micros: Vec<u32>,
    non_2xx: u64,
    errors: u64,
}

impl Stats {
    fn merge(&mut self, o: &Stats) {
        self.micros.extend_from_slice(&o.micros);
        self.non_2xx += o.non_2xx;
        self.errors += o.errors;
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[i]) / 1000.0
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let ws = format!("/api/workspaces/{}", args.workspace);

    // The first chain of the workspace, and one pass over every endpoint (warms caches
    // and stops early on a bad token or workspace).
    let mut probe = Conn::open(args.addr).unwrap_or_else(|e| {
        eprintln!("{}: {e}", args.addr);
        std::process::exit(1)
    });
    let (status, body) = probe.get(&format!("{ws}/chains"), &args.token).unwrap();
    if status != 200 {
        eprintln!(
            "GET {ws}/chains: {status} {}",
            String::from_utf8_lossy(&body)
        );
        std::process::exit(1);
    }
    let chains: serde_json::Value = serde_json::from_slice(&body).expect("a JSON list of chains");
    let chain = chains[0]["id"].as_str().unwrap_or("nev").to_owned();
    let mut endpoints: Vec<(&str, String)> = vec![
        ("overview", format!("{ws}/overview")),
        ("chains", format!("{ws}/chains")),
        ("chain", format!("{ws}/chains/{chain}")),
        ("linkage", format!("{ws}/linkage")),
        ("resilience", format!("{ws}/resilience")),
        ("risks", format!("{ws}/risks")),
        ("alerts", format!("{ws}/alerts?status=unresolved&limit=50")),
    ];
    if let Some(unknown) = args
        .only
        .iter()
        .find(|o| !endpoints.iter().any(|(n, _)| n == o))
    {
        eprintln!("--endpoints: no endpoint named {unknown}\n{USAGE}");
        std::process::exit(2);
    }
    endpoints.retain(|(name, _)| args.only.is_empty() || args.only.iter().any(|o| o == name));
    for (name, path) in &endpoints {
        let (status, _) = probe.get(path, &args.token).unwrap();
        println!("warm-up {name:<11} {status}  {path}");
    }
    drop(probe);

    let issued = Arc::new(AtomicU64::new(0));
    let endpoints = Arc::new(endpoints);
    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let threads: Vec<_> = (0..args.connections)
        .map(|t| {
            let (issued, endpoints, token) =
                (issued.clone(), endpoints.clone(), args.token.clone());
            let (addr, max) = (args.addr, args.max_requests);
            std::thread::spawn(move || {
                let mut stats = vec![Stats::default(); endpoints.len()];
                let mut conn = Conn::open(addr).ok();
                let mut i = t;
                while Instant::now() < until && issued.fetch_add(1, Ordering::Relaxed) < max {
                    let e = i % endpoints.len();
                    i += 1;
                    let Some(c) = conn.as_mut() else {
                        stats[e].errors += 1;
                        conn = Conn::open(addr).ok();
                        continue;
                    };
                    let t0 = Instant::now();
                    match c.get(&endpoints[e].1, &token) {
                        Ok((status, _)) => {
                            let us = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                            stats[e].micros.push(us);
                            if !(200..300).contains(&status) {
                                stats[e].non_2xx += 1;
                            }
                        }
                        Err(_) => {
                            stats[e].errors += 1;
                            conn = Conn::open(addr).ok();
                        }
                    }
                }
                stats
            })
        })
        .collect();
    let mut per = vec![Stats::default(); endpoints.len()];
    for th in threads {
        for (p, s) in per.iter_mut().zip(th.join().expect("a load thread")) {
            p.merge(&s);
        }
    }
    let wall = started.elapsed().as_secs_f64();

    println!(
        "\n{} connections, {:.1} s, target {} (loopback)\n",
        args.connections, wall, args.addr
    );
    println!(
        "{:<12} {:>9} {:>10} {:>9} {:>9} {:>9} {:>8} {:>7}",
        "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "errors"
    );
    let mut all = Stats::default();
    let row = |name: &str, s: &mut Stats| {
        s.micros.sort_unstable();
        println!(
            "{:<12} {:>9} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8} {:>7}",
            name,
            s.micros.len(),
            s.micros.len() as f64 / wall,
            percentile(&s.micros, 0.50),
            percentile(&s.micros, 0.99),
            percentile(&s.micros, 1.0),
            s.non_2xx,
            s.errors
        );
    };
    for ((name, _), s) in endpoints.iter().zip(per.iter_mut()) {
        all.merge(s);
        row(name, s);
    }
    row("all", &mut all);
}
