//! Authentication and roles: no token, a bad one or a revoked one is refused (401);
//! each role may do what it is for and no more (403).

use crate::common::{request, shared};
use chainlens_data::store::Store;
use chainlens_data::store::tokens::Role;

#[test]
fn health_needs_no_token_and_everything_else_does() {
    let s = shared();
    let r = request(s.addr, "GET", "/api/health", None, b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    for path in [
        "/api/me",
        "/api/openapi.json",
        "/api/workspaces/zhejiang/overview",
        "/api/workspaces/zhejiang/alerts",
    ] {
        let r = request(s.addr, "GET", path, None, b"");
        assert_eq!(r.status, 401, "{path} without a token");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert!(r.json()["error"].as_str().unwrap().contains("token"));
        let bad = format!("clt_{}", "0".repeat(64));
        assert_eq!(
            s.get(path, &bad).status,
            401,
            "{path} with an unknown token"
        );
        assert_eq!(s.get(path, "not-a-token").status, 401);
    }
}

#[test]
fn me_tells_the_workspace_role_and_holder() {
    let s = shared();
    let t = s.token("zhejiang", Role::Analyst, "li");
    let me = s.get("/api/me", &t).json();
    assert_eq!(
        me,
        serde_json::json!({"workspace": "zhejiang", "role": "analyst", "name": "li"})
    );
}

#[test]
fn a_revoked_token_is_refused() {
    let s = shared();
    let t = s.token("zhejiang", Role::Viewer, "temp");
    assert_eq!(s.get("/api/me", &t).status, 200);
    let mut store = Store::open(&s.dir("zhejiang").join("chainlens.db")).unwrap();
    let id = store
        .tokens()
        .unwrap()
        .into_iter()
        .find(|x| x.name == "temp")
        .unwrap()
        .id;
    assert!(store.revoke_token(id, "2026-11-23T08:00:00Z").unwrap());
    assert_eq!(s.get("/api/me", &t).status, 401);
}

#[test]
fn viewers_read_but_may_not_act() {
    let s = shared();
    let v = s.token("zhejiang", Role::Viewer, "viewer");
    assert_eq!(s.get("/api/workspaces/zhejiang/alerts", &v).status, 200);
    for path in [
        "/api/workspaces/zhejiang/alerts/1/ack",
        "/api/workspaces/zhejiang/alerts/1/resolve",
        "/api/workspaces/zhejiang/warn",
        "/api/workspaces/zhejiang/scenarios/battery_stop/runs",
        "/api/workspaces/zhejiang/tokens",
    ] {
        assert_eq!(s.post(path, &v, "").status, 403, "viewer POST {path}");
    }
    let r = request(
        s.addr,
        "PUT",
        "/api/workspaces/zhejiang/data/risks.csv",
        Some(&v),
        b"x",
    );
    assert_eq!(r.status, 403);
    assert_eq!(s.get("/api/workspaces/zhejiang/tokens", &v).status, 403);
    let r = request(
        s.addr,
        "DELETE",
        "/api/workspaces/zhejiang/tokens/1",
        Some(&v),
        b"",
    );
    assert_eq!(r.status, 403);
    // Nothing changed: alert 1 is still open.
    let a = s.get("/api/workspaces/zhejiang/alerts/1", &v).json();
    assert_eq!(a["status"], "open");
}

#[test]
fn analysts_handle_alerts_and_run_but_only_admins_manage_tokens_and_data() {
    let s = shared();
    let an = s.token("other", Role::Analyst, "analyst");
    let ad = s.token("other", Role::Admin, "admin");
    assert_eq!(
        s.post("/api/workspaces/other/alerts/2/ack", &an, "").status,
        200
    );
    assert_eq!(s.post("/api/workspaces/other/warn", &an, "").status, 200);
    assert_eq!(
        s.post("/api/workspaces/other/scenarios/battery_stop/runs", &an, "")
            .status,
        202
    );
    assert_eq!(s.get("/api/workspaces/other/tokens", &an).status, 403);
    let body = r#"{"role":"viewer","name":"x"}"#;
    assert_eq!(
        s.post("/api/workspaces/other/tokens", &an, body).status,
        403
    );
    let r = request(
        s.addr,
        "PUT",
        "/api/workspaces/other/data/risks.csv",
        Some(&an),
        b"x",
    );
    assert_eq!(r.status, 403);

    // The admin creates a viewer token over the API, lists it without its secret, revokes it.
    let created = s.post("/api/workspaces/other/tokens", &ad, body);
    assert_eq!(created.status, 201);
    let created = created.json();
    let secret = created["token"].as_str().unwrap().to_owned();
    assert_eq!(s.get("/api/me", &secret).json()["role"], "viewer");
    let list = s.get("/api/workspaces/other/tokens", &ad);
    assert_eq!(list.status, 200);
    assert!(!list.text().contains(&secret));
    let names: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"x".to_owned()) && names.contains(&"analyst".to_owned()));
    let id = created["id"].as_i64().unwrap();
    let r = request(
        s.addr,
        "DELETE",
        &format!("/api/workspaces/other/tokens/{id}"),
        Some(&ad),
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/api/me", &secret).status, 401);
}
