//! What every response carries, and which `Host` a loopback server answers (issue 22,
//! item 5): two middlewares the router wraps around every route, the dashboard's and
//! the fallback included.
//!
//! - [`secure`]: `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`
//!   everywhere; `Cache-Control: no-store` on every `/api/*` answer (tokens' secrets and
//!   per-user data must not stay in a cache); a Content-Security-Policy on HTML and SVG
//!   that do not bring their own — the dashboard's [`PAGE_CSP`] for HTML, [`SVG_CSP`]
//!   for SVG. The report brings [`REPORT_CSP`], as it is one self-contained file with its
//!   style inline.
//! - [`check_host`]: a server bound to a loopback address answers only requests whose
//!   `Host` is `localhost`, `127.0.0.1` or `[::1]` (any port) or a name allowed with
//!   `--allow-host`; others get 421. A web page on an attacker's domain that rebinds its
//!   DNS name to 127.0.0.1 thus cannot talk to the server through the user's browser.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The dashboard's pages: this origin only; images may also be `data:`/`blob:` URLs (the
/// server-rendered SVGs are embedded as images).
pub const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; \
    script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The HTML report: inline style and inline SVG, nothing else — no script, no request.
pub const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// An SVG opened on its own: inline style, no script, no request.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// Adds the headers every response carries (see the module doc).
pub async fn secure(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let media = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let csp = if media.starts_with("text/html") {
            Some(PAGE_CSP)
        } else if media.starts_with("image/svg+xml") {
            Some(SVG_CSP)
        } else {
            None
        };
        if let Some(csp) = csp {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(csp),
            );
        }
    }
    response
}

/// The host names a server answers to; `None` answers any (a server bound to a
/// non-loopback address is reached by whatever name its network gives it).
#[derive(Debug, Clone)]
pub struct Hosts(Option<Vec<String>>);

impl Hosts {
    /// For a server bound to `addr`: the loopback names plus `allowed` on a loopback
    /// address, any name otherwise.
    pub fn for_bind(addr: SocketAddr, allowed: &[String]) -> Hosts {
        if !addr.ip().is_loopback() {
            return Hosts(None);
        }
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        names.extend(allowed.iter().map(|n| n.to_ascii_lowercase()));
        Hosts(Some(names))
    }

    /// Whether a request with this `Host` (name and optional port) is answered.
    pub fn allows(&self, host: &str) -> bool {
        let Some(names) = &self.0 else {
            return true;
        };
        let name = if host.starts_with('[') {
            host.find(']').map_or(host, |end| &host[..=end])
        } else {
            host.rsplit_once(':').map_or(host, |(name, _)| name)
        };
        let name = name.strip_suffix('.').unwrap_or(name);
        names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Refuses a request whose `Host` the server does not answer to: 421, or 400 without one.
pub async fn check_host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    match host {
        Some(h) if hosts.allows(h) => next.run(request).await,
        Some(h) => refuse(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server answers on localhost only, not as `{}`; start it with `--allow-host NAME` to answer to another name",
                h.chars().take(80).collect::<String>()
            ),
        ),
        None if hosts.0.is_none() => next.run(request).await,
        None => refuse(
            StatusCode::BAD_REQUEST,
            "a Host header is required".to_owned(),
        ),
    }
}

fn refuse(status: StatusCode, error: String) -> Response {
    (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_server_answers_its_own_names_with_any_port_and_the_allowed_ones() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let hosts = Hosts::for_bind(local, &["Lens.example".to_owned()]);
        for ok in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "127.0.0.1:9",
            "[::1]:8080",
            "[::1]",
            "lens.example:8080",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for no in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.2",
            "[::2]:8080",
            "",
        ] {
            assert!(!hosts.allows(no), "{no}");
        }
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        assert!(!Hosts::for_bind(v6, &[]).allows("evil.example"));
        let open: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(Hosts::for_bind(open, &[]).allows("evil.example"));
    }
}
