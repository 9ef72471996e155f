//! Test servers on ephemeral loopback ports, each over its own copy of the bundled
//! example, and a plain HTTP/1.1 client over `std::net::TcpStream`.

use chainlens_data::store::Store;
use chainlens_data::store::tokens::Role;
use chainlens_server::{AppState, Config};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's bundled example workspace.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/zhejiang")
}

/// Copies the example's configuration and tables (not its store or outputs) into
/// `to/name`, with `[workspace] name` set to `name`.
pub fn copy_example(to: &Path, name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let n = entry.file_name();
            let s = n.to_string_lossy();
            if s == "out" || s.starts_with("chainlens.db") {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&n));
            } else {
                std::fs::copy(entry.path(), to.join(&n)).unwrap();
            }
        }
    }
    let dir = to.join(name);
    copy(&example(), &dir);
    let config = dir.join("chainlens.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("name = \"zhejiang\""));
    std::fs::write(
        &config,
        text.replacen("name = \"zhejiang\"", &format!("name = \"{name}\""), 1),
    )
    .unwrap();
    dir
}

/// A server running in its own thread until dropped.
pub struct Server {
    pub addr: SocketAddr,
    /// Workspace name → folder.
    pub dirs: Vec<(String, PathBuf)>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _tmp: tempfile::TempDir,
}

impl Server {
    /// Serves fresh copies of the example named `names`.
    pub fn start(names: &[&str]) -> Server {
        Server::start_with(names, true, Config::default(), "")
    }

    /// Serves fresh copies of the example named `names` with `config`.
    pub fn start_config(names: &[&str], config: Config) -> Server {
        Server::start_with(names, true, config, "")
    }

    /// Serves a fresh copy of the example without its `[[scenarios]]` (the last sections
    /// of its chainlens.toml): starts in a fraction of the time, for tests of alerts and
    /// data.
    pub fn start_light(name: &str) -> Server {
        Server::start_light_config(name, Config::default())
    }

    /// Serves light copies (see [`Server::start_light`]) named `names`.
    pub fn start_light_all(names: &[&str]) -> Server {
        Server::start_with(names, false, Config::default(), "")
    }

    /// [`Server::start_light`] with `config`.
    pub fn start_light_config(name: &str, config: Config) -> Server {
        Server::start_with(&[name], false, config, "")
    }

    /// One workspace without scenarios, with `toml` added to its chainlens.toml.
    pub fn start_light_toml(name: &str, toml: &str) -> Server {
        Server::start_with(&[name], false, Config::default(), toml)
    }

    fn start_with(names: &[&str], scenarios: bool, config: Config, toml: &str) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let dirs: Vec<(String, PathBuf)> = names
            .iter()
            .map(|n| (n.to_string(), copy_example(tmp.path(), n)))
            .collect();
        if !scenarios {
            for (_, dir) in &dirs {
                let config = dir.join("chainlens.toml");
                let text = std::fs::read_to_string(&config).unwrap();
                let cut = text.find("\n[[scenarios]]").unwrap();
                std::fs::write(&config, format!("{}{toml}", &text[..cut + 1])).unwrap();
            }
        }
        let roots: Vec<PathBuf> = dirs.iter().map(|(_, d)| d.clone()).collect();
        let queue = config.queue;
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = chainlens_server::runtime().unwrap();
            rt.block_on(async move {
                let state = tokio::task::spawn_blocking(move || AppState::open(&roots, queue))
                    .await
                    .unwrap()
                    .unwrap();
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                chainlens_server::serve(listener, state, &config, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().expect("the server starts");
        Server {
            addr,
            dirs,
            stop: Some(stop),
            thread: Some(thread),
            _tmp: tmp,
        }
    }

    pub fn dir(&self, name: &str) -> &Path {
        &self.dirs.iter().find(|(n, _)| n == name).unwrap().1
    }

    /// A new token for workspace `name`.
    pub fn token(&self, name: &str, role: Role, holder: &str) -> String {
        let mut store = Store::open(&self.dir(name).join("chainlens.db")).unwrap();
        store
            .create_token(role, holder, "2026-11-22T08:00:00Z")
            .unwrap()
            .1
    }

    pub fn get(&self, path: &str, token: &str) -> Response {
        request(self.addr, "GET", path, Some(token), b"")
    }

    pub fn post(&self, path: &str, token: &str, body: &str) -> Response {
        request(self.addr, "POST", path, Some(token), body.as_bytes())
    }

    pub fn delete(&self, path: &str, token: &str) -> Response {
        request(self.addr, "DELETE", path, Some(token), b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Two workspaces served for all the tests that may share them: `zhejiang` is only read
/// (its 28 alerts stay open), `other` is where roles act (ack, warn, runs, tokens).
pub fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| Server::start(&["zhejiang", "other"]))
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{e}: status {} body {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection; reads the whole response.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before it has read all of a large body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}
