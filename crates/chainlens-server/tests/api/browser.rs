//! The dashboard end to end in a real browser: Debian's headless Chromium, driven over
//! the DevTools protocol on `--remote-debugging-pipe` (NUL-terminated JSON messages,
//! commands on the browser's fd 3, replies and events on its fd 4; `/bin/sh` moves the
//! child's stdin and stdout there, so no websocket crate and no `unsafe` are needed),
//! logs in with an analyst's token, opens the chain map in both languages, acknowledges
//! an alert, checks over HTTP that the store recorded it under the token's holder, takes
//! screenshots, and asserts that the page logged no error and requested nothing from
//! another origin. Skipped (saying so) where Chromium is not installed.

use crate::common::Server;
use chainlens_data::store::tokens::Role;
use serde_json::{Value, json};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The longest any single step may take before the test fails.
const WAIT: Duration = Duration::from_secs(60);
const WIDTH: u32 = 1400;

/// A headless Chromium with one page attached (flattened session).
struct Browser {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Every event received so far (console calls, log entries, requests, ...).
    events: Vec<Value>,
}

impl Browser {
    fn launch(profile: &Path) -> Browser {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            // fd 3 = the pipe we write commands to, fd 4 = the pipe we read from.
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--remote-debugging-pipe",
                "--window-size=1400,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium starts");
        let commands = child.stdin.take().unwrap();
        let replies = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(replies);
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            loop {
                let n = match r.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|&b| b == 0) {
                    let msg: Value =
                        serde_json::from_slice(&buf[..end]).expect("JSON from chromium");
                    buf.drain(..=end);
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
            }
        });
        let mut b = Browser {
            child,
            commands,
            messages,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
        };
        let target = b.browser_call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = b.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_owned();
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            b.call(domain, json!({}));
        }
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    fn send(&mut self, method: &str, params: Value, session: bool) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if session {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .expect("chromium reads commands");
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if m["id"] == id => {
                    assert!(m.get("error").is_none(), "{method}: {}", m["error"]);
                    return m["result"].clone();
                }
                Ok(m) => self.events.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("{method}: no reply within {WAIT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("{method}: chromium exited"),
            }
        }
    }

    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, false)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, true)
    }

    /// Evaluates `expr` in the page (awaiting a promise); its value as JSON.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "awaitPromise": true, "returnByValue": true}),
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "{expr}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Polls `expr` until it is truthy; fails after [`WAIT`] naming `what`.
    fn wait_for(&mut self, what: &str, expr: &str) {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            let v = self.eval(&format!("!!({expr})"));
            if v == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let view = self.eval("document.querySelector('#main')?.innerText.slice(0, 500)");
        panic!("timed out waiting for {what}; the page shows: {view}");
    }

    fn wait_for_view(&mut self, view: &str) {
        self.wait_for(
            &format!("the {view} view"),
            &format!("document.querySelector('#main')?.dataset.view === '{view}'"),
        );
    }

    /// A PNG of the whole page (up to 4000 px high) written to `path`.
    fn screenshot(&mut self, path: &Path) {
        let height = self
            .eval("Math.ceil(document.documentElement.scrollHeight)")
            .as_f64()
            .unwrap()
            .min(4000.0);
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}}),
        );
        let png = base64_decode(r["data"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(path, png).unwrap();
    }

    /// Console errors and warnings, error log entries and uncaught exceptions.
    fn problems(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| {
                let p = &e["params"];
                match e["method"].as_str() {
                    Some("Runtime.consoleAPICalled") => {
                        matches!(p["type"].as_str(), Some("error" | "warning" | "assert"))
                    }
                    Some("Log.entryAdded") => {
                        matches!(p["entry"]["level"].as_str(), Some("error" | "warning"))
                    }
                    Some("Runtime.exceptionThrown") => true,
                    _ => false,
                }
            })
            .map(|e| e.to_string())
            .collect()
    }

    /// Every URL the page requested.
    fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_owned))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .commands
            .write_all(b"{\"id\":999999,\"method\":\"Browser.close\"}\0");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (the screenshot); the test avoids a crate for it.
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &v) in chunk.iter().enumerate() {
            n |= u32::from(v) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Where the screenshots go: a folder under the system's temporary directory that
/// outlives the test, so that a person can look at them.
fn shots_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chainlens-dashboard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn base64_decodes_what_the_protocol_sends() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE="), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}

#[test]
fn an_analyst_logs_in_opens_the_chain_map_and_acknowledges_an_alert() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMIUM} not installed");
        return;
    }
    let server = Server::start(&["zhejiang"]);
    let token = server.token("zhejiang", Role::Analyst, "Li Wei");
    let origin = format!("http://{}", server.addr);
    let profile = tempfile::tempdir().unwrap();
    let shots = shots_dir();
    let mut b = Browser::launch(profile.path());

    // Login: the token goes into the form; the overview follows.
    b.call("Page.navigate", json!({"url": format!("{origin}/")}));
    b.wait_for_view("login");
    b.eval("localStorage.setItem('chainlens.lang', 'en')");
    b.eval(&format!(
        "document.querySelector('#token').value = {}; document.querySelector('#login-btn').click()",
        json!(token)
    ));
    b.wait_for_view("overview");
    assert_eq!(
        b.eval("document.querySelector('#who').textContent"),
        json!("Li Wei · analyst · zhejiang")
    );
    // The bundled example raises 28 alerts: one at level 1, 11 at 2, 14 at 3, 2 at 4.
    assert_eq!(
        b.eval("[...document.querySelectorAll('#alert-levels .badge')].map(e => e.textContent)"),
        json!(["Level 1: 1", "Level 2: 11", "Level 3: 14", "Level 4: 2"])
    );
    b.screenshot(&shots.join("overview.png"));

    // The chain map of the new-energy-vehicle chain, with its stage names.
    b.eval("location.hash = '#/chains/nev'");
    b.wait_for_view("chains");
    let map = b.eval("document.querySelector('#chain-map svg')?.textContent ?? ''");
    let map = map.as_str().unwrap();
    for stage in [
        "Power batteries",
        "Vehicle manufacturing",
        "Charging and battery swapping",
    ] {
        assert!(map.contains(stage), "the chain map lacks the stage {stage}");
    }
    // The gap of the example: no power-semiconductor maker in Zhejiang.
    let breakpoints = b.eval("document.querySelector('#main').innerText");
    assert!(
        breakpoints
            .as_str()
            .unwrap()
            .contains("High-end power semiconductors (IGBT/SiC) @ zhejiang"),
        "the breakpoint of the example is not listed"
    );
    b.screenshot(&shots.join("chain-map.png"));

    // In Chinese: the labels and the server's map switch language.
    b.eval("document.querySelector('#lang').click()");
    b.wait_for(
        "the Chinese chain map",
        "document.querySelector('#main').dataset.view === 'chains' \
         && document.querySelector('#nav-chains').textContent === '产业链图谱' \
         && (document.querySelector('#chain-map svg')?.textContent ?? '').includes('产前')",
    );
    b.screenshot(&shots.join("chain-map.zh.png"));
    b.eval("document.querySelector('#lang').click()");
    b.wait_for(
        "the English chain map",
        "document.querySelector('#main').dataset.view === 'chains' \
         && document.querySelector('#nav-chains').textContent === 'Chain maps'",
    );

    // Acknowledge the first open alert, with a note.
    b.eval("location.hash = '#/alerts'");
    b.wait_for_view("alerts");
    let id = b.eval("Number(document.querySelector('button.ack').dataset.id)");
    let id = id.as_i64().expect("an open alert with an Ack button");
    b.eval(&format!(
        "document.querySelector('#alert-{id} button.link').click();
         document.querySelector('#alert-detail-{id} input.note').value = 'checked by the e2e test';
         document.querySelector('#alert-{id} button.ack').click()"
    ));
    b.wait_for(
        "the alert to show as acknowledged",
        &format!("document.querySelector('#alert-{id}')?.dataset.status === 'acknowledged'"),
    );
    b.eval(&format!(
        "document.querySelector('#alert-{id} button.link').click()"
    ));
    let alerts_png = shots.join("alerts.png");
    b.screenshot(&alerts_png);

    // The store has it, under the token's holder.
    let r = server.get(&format!("/api/workspaces/zhejiang/alerts/{id}"), &token);
    assert_eq!(r.status, 200);
    let alert = r.json();
    assert_eq!(alert["status"], "acknowledged");
    let last = alert["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "acknowledged");
    assert_eq!(last["by"], "Li Wei");
    assert_eq!(last["note"], "checked by the e2e test");

    // A viewer sees the same alerts but no Ack or Resolve button.
    let viewer = server.token("zhejiang", Role::Viewer, "Zhao Min");
    b.eval("document.querySelector('#logout').click()");
    b.wait_for_view("login");
    b.eval(&format!(
        "document.querySelector('#token').value = {}; document.querySelector('#login-btn').click()",
        json!(viewer)
    ));
    b.wait_for_view("overview");
    b.eval("location.hash = '#/alerts'");
    b.wait_for_view("alerts");
    assert_eq!(
        b.eval("document.querySelectorAll('table.alerts tbody tr[data-status]').length"),
        json!(28),
        "the viewer sees every unresolved alert"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('button.ack, button.resolve').length"),
        json!(0),
        "a viewer is offered no alert action"
    );

    // Nothing went wrong in the page, and it asked nothing of another origin.
    let problems = b.problems();
    assert!(problems.is_empty(), "console:\n{}", problems.join("\n"));
    let requests = b.requests();
    assert!(requests.len() > 10, "{requests:?}");
    for url in &requests {
        assert!(
            url.starts_with(&format!("{origin}/"))
                || url.starts_with("blob:")
                || url == "about:blank",
            "request to another origin: {url}"
        );
    }
    println!("screenshots in {}", shots.display());
}
