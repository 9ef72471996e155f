//! Workspace isolation on every endpoint: a token of one workspace gets 404 for every
//! operation of the OpenAPI document on another workspace (the same answer as for a
//! workspace that does not exist), while the same operation on its own workspace is
//! routed (not 404). The list of endpoints comes from the document, so none is forgotten.

use crate::common::{Response, request, shared};
use chainlens_data::store::tokens::Role;

/// Fills the path parameters of a documented path (ids with `id`).
fn concrete(path: &str, ws: &str, id: &str) -> String {
    path.replace("{ws}", ws)
        .replace("{chain}", "optical")
        .replace("{id}", id)
        .replace("{name}", "battery_stop")
        .replace("{file}", "risks.csv")
}

fn call(method: &str, path: &str, token: &str) -> Response {
    let body: &[u8] = if method == "put" {
        b"not,a,risk,register\n"
    } else {
        b""
    };
    request(
        shared().addr,
        &method.to_uppercase(),
        path,
        Some(token),
        body,
    )
}

#[test]
fn a_token_never_reaches_another_workspace_on_any_endpoint() {
    let s = shared();
    let admin_a = s.token("zhejiang", Role::Admin, "admin of zhejiang");
    let admin_b = s.token("other", Role::Admin, "admin of other");
    let doc = s.get("/api/openapi.json", &admin_a).json();
    let paths = doc["paths"].as_object().unwrap();
    let mut checked = 0;
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            if !path.contains("{ws}") {
                continue;
            }
            // Refused on the other workspace, and on one that does not exist, alike.
            for (token, foreign) in [
                (&admin_a, "other"),
                (&admin_b, "zhejiang"),
                (&admin_a, "ghost"),
            ] {
                let r = call(method, &concrete(path, foreign, "1"), token);
                assert_eq!(r.status, 404, "{method} {path} on {foreign}: {}", r.text());
                assert!(!r.text().contains("Ningbo"), "{method} {path} leaks data");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} operations documented");
}

/// Every documented operation reaches its handler: the answer is not the router's
/// "no endpoint" 404 or a 405 (a handler's 404 names the id that does not exist).
#[test]
fn every_documented_operation_is_routed() {
    let s = shared();
    // On `other`, which no other test reads; with ids that do not exist, so nothing is
    // revoked or changed.
    let admin = s.token("other", Role::Admin, "admin");
    let doc = s.get("/api/openapi.json", &admin).json();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let p = concrete(path, "other", "999999");
            let r = call(method, &p, &admin);
            let handled = r.status != 404
                || !r.json()["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("no endpoint");
            assert!(
                handled && r.status != 405 && r.status < 500,
                "{method} {p}: {} {}",
                r.status,
                r.text()
            );
        }
    }
}
