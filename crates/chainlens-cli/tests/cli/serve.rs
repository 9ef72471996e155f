//! `chainlens token create` and `chainlens serve` as a user runs them: the token printed
//! once works over HTTP; a server killed (SIGKILL) mid-work keeps every committed change
//! and starts again cleanly.

use crate::common::{chainlens, copy_example, run};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};

/// One HTTP/1.1 request; the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, token: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw.split_once("\r\n\r\n").unwrap().1.to_owned();
    (status, body)
}

/// Starts `chainlens serve DIR` on an ephemeral port; the child and the address it
/// printed.
fn serve(dir: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = chainlens()
        .args(["serve", dir.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "serving zhejiang on http://127.0.0.1:PORT/"
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .trim()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    (child, addr)
}

#[test]
fn a_killed_server_keeps_committed_changes_and_restarts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let out = run(&[
        "token",
        "create",
        "--workspace",
        dir.to_str().unwrap(),
        "--role",
        "analyst",
        "--name",
        "Zhou",
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.trim();
    assert_eq!(stdout.lines().count(), 1);
    assert!(token.starts_with("clt_") && token.len() == 68, "{token}");

    let (mut server, addr) = serve(&dir);
    let (status, _) = http(addr, "GET", "/api/workspaces/zhejiang/alerts/1", "clt_nope");
    assert_eq!(status, 401);
    let (status, body) = http(addr, "POST", "/api/workspaces/zhejiang/alerts/1/ack", token);
    assert_eq!(status, 200, "{body}");
    // Killed while a long scenario run is in progress.
    let (status, _) = http(
        addr,
        "POST",
        "/api/workspaces/zhejiang/scenarios/risk_register/runs",
        token,
    );
    assert_eq!(status, 202);
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();

    let (mut server, addr) = serve(&dir);
    let (status, body) = http(addr, "GET", "/api/workspaces/zhejiang/alerts/1", token);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200);
    let alert: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(alert["status"], "acknowledged");
    assert_eq!(alert["history"][1]["by"], "Zhou");

    // The CLI reads the same store.
    let out = run(&[
        "alert",
        "show",
        dir.to_str().unwrap(),
        "1",
        "--format",
        "json",
    ]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["status"], "acknowledged");
}

#[test]
fn serve_refuses_a_workspace_with_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    crate::common::set_line(
        &dir.join("data/risks.csv"),
        2,
        "supply_cut,Supply risk,Raw material supply cut,often,0.867,Regional command,x",
    );
    let out = run(&["serve", dir.to_str().unwrap(), "--addr", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = crate::common::stderr(&out);
    assert!(
        err.contains("data/risks.csv:2:4: probability: `often` is not a number"),
        "{err}"
    );
}

/// A scenario over the workspace's `[limits]` refuses the workspace: the server never
/// offers a run that would take hours (issue 22, item 3).
#[test]
fn serve_refuses_a_scenario_over_the_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_example(tmp.path());
    let config = dir.join("chainlens.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[limits]\nmax_days = 100\n")).unwrap();
    let out = run(&["serve", dir.to_str().unwrap(), "--addr", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = crate::common::stderr(&out);
    assert!(err.contains("chainlens.toml:scenarios[0].days:"), "{err}");
    assert!(
        err.contains("days = 120") && err.contains("max_days = 100"),
        "{err}"
    );
}
