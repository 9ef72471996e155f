//! The dashboard: a single-page application (plain HTML, CSS and JavaScript, no framework
//! and no build step) compiled into the binary with `include_str!`, served at `/` and
//! `/assets/{file}`. Nothing is loaded from the internet — no CDN, no web fonts — so the
//! pages carry a strict Content-Security-Policy that allows only this origin (no inline
//! script or style; [`crate::headers::PAGE_CSP`], added with the other headers every
//! response carries by [`crate::headers::secure`]) and a short cache lifetime (the
//! assets change with the binary, and `index.html` is revalidated every time).
//!
//! The application itself (`assets/app.js`) talks to the JSON API with the Bearer token
//! the user pastes at login, kept in `sessionStorage`. It holds no label of its own: it
//! loads `/assets/labels.json` first — the report's label table and the model's
//! vocabularies (words and colours of grades, levels, classes, statuses) in English and
//! Chinese, [`chainlens_report::i18n::catalogue`] serialised once.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One embedded file: its name under `/assets/`, content type and bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const INDEX: &str = include_str!("../assets/index.html");

/// The files under `/assets/`.
const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/app.js"),
    },
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/app.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../assets/favicon.svg"),
    },
];

/// Routes of the dashboard's assets; generic over the state so the API's router can merge them.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{file}", get(asset))
}

async fn index() -> Response {
    respond("text/html; charset=utf-8", INDEX, "no-cache")
}

/// The label catalogue as JSON, built on first use.
fn labels_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| {
        serde_json::to_string(&chainlens_report::i18n::catalogue())
            .expect("the label catalogue is plain strings")
    })
}

async fn asset(Path(file): Path<String>) -> Response {
    if file == "labels.json" {
        return respond(
            "application/json; charset=utf-8",
            labels_json(),
            "public, max-age=300",
        );
    }
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => respond(a.content_type, a.body, "public, max-age=300"),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such asset\n",
        )
            .into_response(),
    }
}

fn respond(content_type: &'static str, body: &'static str, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// Serves the dashboard on a free loopback port; returns the address.
    fn serve() -> std::net::SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .unwrap();
            rt.block_on(async {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = routes::<()>().layer(axum::middleware::from_fn(crate::headers::secure));
                axum::serve(listener, app).await.unwrap();
            });
        });
        addr
    }

    /// GET `path`: status, header lines (lower-case names) and body.
    fn get(addr: std::net::SocketAddr, path: &str) -> (u16, Vec<(String, String)>, String) {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap()[9..12].parse().unwrap();
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        (status, headers, body.to_owned())
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header"))
    }

    /// The values of `attr="…"` in `html`.
    fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
        let pat = format!(" {attr}=\"");
        html.match_indices(&pat)
            .map(|(i, _)| {
                let rest = &html[i + pat.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    #[test]
    fn every_asset_index_html_references_is_served_with_its_type_and_the_csp() {
        let addr = serve();
        let (status, headers, html) = get(addr, "/");
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert_eq!(
            header(&headers, "content-security-policy"),
            crate::headers::PAGE_CSP
        );
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        let mut refs: Vec<&str> = attribute_values(&html, "src");
        refs.extend(attribute_values(&html, "href"));
        assert!(refs.len() >= 3, "script, stylesheet and icon: {refs:?}");
        for r in refs {
            let (status, headers, body) = get(addr, r);
            assert_eq!(status, 200, "{r}");
            let expected = match r.rsplit('.').next() {
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                other => panic!("unexpected asset kind {other:?} in {r}"),
            };
            assert!(
                header(&headers, "content-type").starts_with(expected),
                "{r}"
            );
            assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
            assert!(header(&headers, "cache-control").contains("max-age"), "{r}");
            assert!(!body.is_empty(), "{r}");
        }
    }

    #[test]
    fn an_unknown_asset_is_404() {
        let addr = serve();
        assert_eq!(get(addr, "/assets/nope.js").0, 404);
        assert_eq!(get(addr, "/assets/..%2Fsrc%2Flib.rs").0, 404);
    }

    #[test]
    fn no_asset_loads_anything_from_another_origin() {
        let mut all = vec![("index.html", INDEX)];
        all.extend(ASSETS.iter().map(|a| (a.name, a.body)));
        for (name, body) in all {
            // The SVG namespace is an identifier, not a request.
            let body = body.replace("http://www.w3.org/2000/svg", "");
            for needle in ["http://", "https://", "//cdn", "@import", "url("] {
                assert!(!body.contains(needle), "{name} contains {needle}");
            }
        }
    }

    #[test]
    fn index_html_has_no_inline_script_or_style_that_the_csp_would_block() {
        assert!(!INDEX.contains("<style"), "inline <style>");
        assert!(!INDEX.contains(" style=\""), "inline style attribute");
        assert!(!INDEX.contains(" onclick="), "inline event handler");
        for (i, _) in INDEX.match_indices("<script") {
            let tag = &INDEX[i..i + INDEX[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "inline script: {tag}");
        }
    }

    /// The string literals of a JavaScript source (quotes, and template literals cut at
    /// their `${…}` holes), trimmed. Comments are skipped.
    fn js_literals(src: &str) -> Vec<String> {
        let chars: Vec<char> = src.chars().collect();
        let (mut out, mut i) = (Vec::new(), 0);
        while i < chars.len() {
            let c = chars[i];
            if c == '/' && chars.get(i + 1) == Some(&'/') {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            } else if c == '\'' || c == '"' || c == '`' {
                let mut lit = String::new();
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        i += 1;
                    } else if c == '`' && chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                        out.push(std::mem::take(&mut lit));
                        while i < chars.len() && chars[i] != '}' {
                            i += 1;
                        }
                    } else {
                        lit.push(chars[i]);
                    }
                    i += 1;
                }
                out.push(lit);
            }
            i += 1;
        }
        out.into_iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn app_js_holds_no_label_and_asks_only_for_labels_that_exist() {
        let app = ASSETS.iter().find(|a| a.name == "app.js").unwrap().body;
        let cat = chainlens_report::i18n::catalogue();
        // Words a reader sees: every Chinese label, every English one with a capital or
        // a space (the rest — `none`, `high` — are spelled like keys).
        let mut words: Vec<&str> = cat.labels.values().flatten().copied().collect();
        for w in cat.vocabularies.values().flatten().chain(&cat.alert_levels) {
            words.extend(w.words);
        }
        words.retain(|w| !w.is_ascii() || w.contains(' ') || w.chars().any(char::is_uppercase));
        let copies: Vec<String> = js_literals(app)
            .into_iter()
            .filter(|l| words.contains(&l.as_str()))
            .collect();
        assert!(copies.is_empty(), "labels copied into app.js: {copies:?}");
        // Every whole key asked for (`t('key')`, not `t('role_' + …)`) exists.
        for (i, _) in app.match_indices("t('") {
            let end = i + 3 + app[i + 3..].find('\'').unwrap();
            let called = !app[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
            if called && app[end + 1..].starts_with(')') {
                let key = &app[i + 3..end];
                assert!(cat.labels.contains_key(key), "app.js asks for `{key}`");
            }
        }
    }

    #[test]
    fn the_label_catalogue_is_served_as_json() {
        let addr = serve();
        let (status, headers, body) = get(addr, "/assets/labels.json");
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type").starts_with("application/json"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["labels"]["overview"][1], "概览");
        assert_eq!(v["vocabularies"]["grade"][4]["key"], "high");
        assert_eq!(v["vocabularies"]["grade"][4]["words"][1], "高");
        assert_eq!(v["alert_levels"][0]["words"][1], "一级");
    }
}
