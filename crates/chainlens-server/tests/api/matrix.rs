//! The authorisation matrix (issue 22, item 8): every operation of the server's own
//! OpenAPI document × every role (viewer, analyst, admin) × a token of the workspace in
//! the path, a token of another workspace, and no token. The least role of each
//! operation is the document's `x-role`, so a new route is covered as soon as it is
//! documented (and `openapi`'s unit test keeps the document equal to the router).
//!
//! Expected: no token → 401 (200 for the public ones); another workspace's token → 404
//! "no workspace", as for one that does not exist; the own workspace's token → 403 below
//! the operation's role, and at or above it the handler's own answer (never 401/403 or
//! the workspace 404). Ids that do not exist keep the calls harmless.

use crate::common::{Server, request};
use chainlens_data::store::tokens::Role;

const ROLES: [(Role, &str, u8); 3] = [
    (Role::Viewer, "viewer", 0),
    (Role::Analyst, "analyst", 1),
    (Role::Admin, "admin", 2),
];

fn rank(role: &str) -> u8 {
    ROLES
        .iter()
        .find(|(_, name, _)| *name == role)
        .unwrap_or_else(|| panic!("unknown role `{role}` in the document"))
        .2
}

fn concrete(path: &str, ws: &str) -> String {
    path.replace("{ws}", ws)
        .replace("{chain}", "optical")
        .replace("{id}", "999999")
        .replace("{name}", "no_such_scenario")
        .replace("{file}", "no_such_file.csv")
}

fn body(method: &str, path: &str) -> &'static [u8] {
    match method {
        "post" if path.ends_with("/tokens") => br#"{"role":"viewer","name":"matrix"}"#,
        "put" => b"id\n",
        _ => b"",
    }
}

#[test]
fn every_documented_operation_answers_each_role_and_workspace_as_documented() {
    let s = Server::start_light_all(&["mine", "theirs"]);
    let tokens: Vec<(String, String, u8)> = ROLES
        .iter()
        .map(|&(role, name, rank)| {
            let own = s.token("mine", role, &format!("{name} of mine"));
            let foreign = s.token("theirs", role, &format!("{name} of theirs"));
            (own, foreign, rank)
        })
        .collect();
    let doc = s.get("/api/openapi.json", &tokens[0].0).json();
    let mut calls = 0;
    let mut operations = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            operations += 1;
            let verb = method.to_uppercase();
            let here = concrete(path, "mine");
            let what = format!("{verb} {here}");
            let anonymous = request(s.addr, &verb, &here, None, body(method, path));
            calls += 1;
            let Some(need) = op["x-role"].as_str() else {
                assert_eq!(
                    op["security"],
                    serde_json::json!([]),
                    "{what}: no role, not public"
                );
                assert!(
                    anonymous.status < 300,
                    "{what} public: {}",
                    anonymous.status
                );
                continue;
            };
            assert_eq!(anonymous.status, 401, "{what} without a token");
            let need = rank(need);
            for (own, foreign, have) in &tokens {
                let r = request(s.addr, &verb, &here, Some(own), body(method, path));
                calls += 1;
                let error = if r.status >= 400 {
                    r.json()["error"].as_str().unwrap_or_default().to_owned()
                } else {
                    String::new()
                };
                if *have < need {
                    assert_eq!(r.status, 403, "{what} as rank {have}: {error}");
                } else {
                    assert!(
                        ![401, 403, 405].contains(&r.status)
                            && r.status < 500
                            && !error.starts_with("no workspace")
                            && !error.starts_with("no endpoint"),
                        "{what} as rank {have}: {} {error}",
                        r.status
                    );
                }
                let r = request(s.addr, &verb, &here, Some(foreign), body(method, path));
                calls += 1;
                if path.contains("{ws}") {
                    assert_eq!(r.status, 404, "{what} with a token of theirs");
                    assert!(
                        r.text().contains("no workspace `mine`"),
                        "{what}: {}",
                        r.text()
                    );
                } else {
                    // Not about a workspace (me, the document): any valid token may.
                    assert_eq!(r.status, 200, "{what} with a token of theirs");
                }
            }
        }
    }
    assert!(operations >= 27, "{operations} operations documented");
    assert_eq!(calls, operations * 7 - 6 * public(&doc));
    eprintln!("auth matrix: {operations} operations, {calls} calls");
}

/// Operations needing no token (called once each, without one).
fn public(doc: &serde_json::Value) -> usize {
    doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values())
        .filter(|op| op["x-role"].is_null())
        .count()
}
