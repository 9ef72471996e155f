//! Connections and headers (issue 22, items 4 and 5): a client that never finishes its
//! request head, or an idle keep-alive connection, is closed after the header timeout;
//! connections beyond the maximum wait; every response carries the security headers;
//! a loopback server refuses foreign `Host` names.

use crate::common::{Response, Server, request, shared};
use chainlens_data::store::tokens::Role;
use chainlens_server::Config;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn quick(max_connections: usize) -> Config {
    Config {
        header_timeout: Duration::from_secs(1),
        max_connections,
        ..Config::default()
    }
}

/// Reads until the server closes `s` (or 10 s pass); the time it took and what came.
fn until_closed(s: &mut TcpStream) -> (Duration, Vec<u8>) {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let before = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (before.elapsed(), got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return (before.elapsed(), got),
            Err(e) => panic!("still open after {:?}: {e}", before.elapsed()),
        }
    }
}

#[test]
fn a_request_head_never_finished_and_an_idle_connection_are_closed_after_the_timeout() {
    let s = Server::start_light_config("slow", quick(16));
    // Slowloris: half a request line, then nothing.
    let mut slow = TcpStream::connect(s.addr).unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: loc")
        .unwrap();
    let (took, _) = until_closed(&mut slow);
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    // Idle after a complete keep-alive exchange: closed as well.
    let mut idle = TcpStream::connect(s.addr).unwrap();
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let (took, got) = until_closed(&mut idle);
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    // A connection that says nothing at all.
    let mut mute = TcpStream::connect(s.addr).unwrap();
    let (took, got) = until_closed(&mut mute);
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    assert!(!String::from_utf8_lossy(&got).contains("200"));
}

#[test]
fn connections_beyond_the_maximum_wait_until_one_closes() {
    let mut config = quick(2);
    config.header_timeout = Duration::from_secs(30);
    let s = Server::start_light_config("few", config);
    let held: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(s.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = TcpStream::connect(s.addr).unwrap();
    third
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 64];
    let waited = third.read(&mut buf);
    assert!(
        matches!(&waited, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "answered while two connections were open: {waited:?}"
    );
    drop(held);
    let (_, got) = until_closed(&mut third);
    assert!(
        String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

fn assert_secure(r: &Response, what: &str) {
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{what}");
}

#[test]
fn every_response_carries_the_security_headers_and_api_answers_are_not_stored() {
    let s = shared();
    let t = s.token("zhejiang", Role::Admin, "headers");
    for path in [
        "/api/health",
        "/api/me",
        "/api/workspaces/zhejiang/overview",
        "/api/workspaces/zhejiang/chains/nope",
        "/api/nope",
    ] {
        let r = s.get(path, &t);
        assert_secure(&r, path);
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert!(
            r.header("content-security-policy").is_none(),
            "{path}: JSON"
        );
    }
    let unauthorised = request(s.addr, "GET", "/api/me", None, b"");
    assert_eq!(unauthorised.status, 401);
    assert_secure(&unauthorised, "401");
    assert_eq!(unauthorised.header("cache-control"), Some("no-store"));
    // The answer carrying a token's secret is never stored.
    let created = s.post(
        "/api/workspaces/zhejiang/tokens",
        &t,
        r#"{"role":"viewer","name":"cache"}"#,
    );
    assert_eq!(created.status, 201);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    // SVG and HTML carry a CSP; the report its own, which allows its inline style and
    // nothing from elsewhere.
    let svg = s.get("/api/workspaces/zhejiang/resilience/radar.svg", &t);
    assert_eq!(svg.status, 200);
    let csp = svg.header("content-security-policy").unwrap();
    assert!(
        csp.starts_with("default-src 'none'") && !csp.contains("script"),
        "{csp}"
    );
    let report = s.get("/api/workspaces/zhejiang/report", &t);
    assert_eq!(report.status, 200);
    assert_secure(&report, "report");
    let csp = report.header("content-security-policy").unwrap();
    assert!(csp.contains("style-src 'unsafe-inline'"), "{csp}");
    assert!(!csp.contains("http") && !csp.contains('*'), "{csp}");
    let page = request(s.addr, "GET", "/", None, b"");
    assert_secure(&page, "dashboard");
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_ne!(page.header("cache-control"), Some("no-store"));
}

/// One GET with this `Host` header on the shared (loopback) server.
fn with_host(host: &str) -> String {
    let mut s = TcpStream::connect(shared().addr).unwrap();
    write!(
        s,
        "GET /api/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn a_loopback_server_refuses_foreign_host_names() {
    let port = shared().addr.port();
    for ok in [
        format!("localhost:{port}"),
        "127.0.0.1".to_owned(),
        "[::1]:1".to_owned(),
    ] {
        assert!(with_host(&ok).starts_with("HTTP/1.1 200"), "{ok}");
    }
    let refused = with_host(&format!("rebind.attacker.example:{port}"));
    assert!(refused.starts_with("HTTP/1.1 421"), "{refused}");
    assert!(refused.contains("--allow-host"));
    assert!(refused.contains("nosniff"));
}

#[test]
fn allow_host_adds_a_name() {
    let config = Config {
        allow_hosts: vec!["lens.internal".to_owned()],
        ..Config::default()
    };
    let s = Server::start_light_config("named", config);
    let ask = |host: &str| {
        let mut c = TcpStream::connect(s.addr).unwrap();
        write!(
            c,
            "GET /api/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        out
    };
    assert!(ask("lens.internal:8080").starts_with("HTTP/1.1 200"));
    assert!(ask("other.internal").starts_with("HTTP/1.1 421"));
}
