//! The alert lifecycle over the API: acknowledge and resolve as the token's holder, each
//! step recorded in the history with who, in the store (so the CLI sees it too).

use crate::common::Server;
use chainlens_data::store::Store;
use chainlens_data::store::tokens::Role;
use chainlens_model::Vocabulary;

#[test]
fn ack_and_resolve_are_recorded_with_the_holder() {
    let s = Server::start_light("zhejiang");
    let t = s.token("zhejiang", Role::Analyst, "Wang Fang");
    let r = s.post(
        "/api/workspaces/zhejiang/alerts/5/ack",
        &t,
        r#"{"note":"on it"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["status"], "acknowledged");
    let last = a["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "acknowledged");
    assert_eq!(last["by"], "Wang Fang");
    assert_eq!(last["note"], "on it");

    // A second acknowledgement is a conflict, not a second event.
    assert_eq!(
        s.post("/api/workspaces/zhejiang/alerts/5/ack", &t, "")
            .status,
        409
    );
    let r = s.post("/api/workspaces/zhejiang/alerts/5/resolve", &t, "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "resolved");
    assert_eq!(
        s.post("/api/workspaces/zhejiang/alerts/5/resolve", &t, "")
            .status,
        409
    );
    assert_eq!(
        s.post("/api/workspaces/zhejiang/alerts/999/ack", &t, "")
            .status,
        404
    );
    assert_eq!(
        s.post("/api/workspaces/zhejiang/alerts/6/ack", &t, "{not json")
            .status,
        400
    );

    // The store holds the history, as `chainlens alert show` would read it.
    let store = Store::open(&s.dir("zhejiang").join("chainlens.db")).unwrap();
    let stored = store.alert(5).unwrap().unwrap();
    let actions: Vec<(&str, Option<&str>)> = stored
        .history
        .iter()
        .map(|e| (e.action.key(), e.by.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            ("raised", None),
            ("acknowledged", Some("Wang Fang")),
            ("resolved", Some("Wang Fang"))
        ]
    );

    // Listing by status sees the change; the overview no longer counts it.
    let resolved = s
        .get("/api/workspaces/zhejiang/alerts?status=resolved", &t)
        .json();
    assert_eq!(resolved["total"], 1);
    let unresolved = s
        .get("/api/workspaces/zhejiang/alerts?status=unresolved", &t)
        .json();
    assert_eq!(unresolved["total"], 27);
    let o = s.get("/api/workspaces/zhejiang/overview", &t).json();
    let counted: u64 = o["alerts_by_level"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(counted, 27);
}

#[test]
fn warn_is_idempotent_over_the_api() {
    let s = Server::start_light("zhejiang");
    let t = s.token("zhejiang", Role::Analyst, "li");
    let r = s.post("/api/workspaces/zhejiang/warn", &t, "");
    assert_eq!(r.status, 200);
    let w = r.json();
    // The server raised the alerts when it started: nothing new now.
    assert_eq!(w["raised"], 0);
    assert_eq!(w["unresolved"], 28);
}

#[test]
fn readers_and_writers_at_once_all_succeed() {
    let s = Server::start_light("zhejiang");
    let t = s.token("zhejiang", Role::Analyst, "writer");
    let dir = s.dir("zhejiang").to_owned();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(s.get("/api/workspaces/zhejiang/alerts", &t).status, 200);
                    assert_eq!(s.get("/api/workspaces/zhejiang/overview", &t).status, 200);
                }
            });
        }
        // Acknowledgements over the API…
        scope.spawn(|| {
            for id in 1..=10 {
                let r = s.post(&format!("/api/workspaces/zhejiang/alerts/{id}/ack"), &t, "");
                assert_eq!(r.status, 200, "{}", r.text());
            }
        });
        // …while another process's writer (as `chainlens alert resolve`) changes others.
        scope.spawn(|| {
            let mut store = Store::open(&dir.join("chainlens.db")).unwrap();
            for id in 11..=20 {
                chainlens_pipeline::alerts::change(
                    &mut store,
                    id,
                    chainlens_pipeline::alerts::AlertChange::Resolve,
                    "cli",
                    None,
                    chainlens_data::store::now(),
                )
                .unwrap();
            }
        });
    });
    let r = s.get("/api/workspaces/zhejiang/alerts?status=acknowledged", &t);
    assert_eq!(r.json()["total"], 10);
    let r = s.get("/api/workspaces/zhejiang/alerts?status=resolved", &t);
    assert_eq!(r.json()["total"], 10);
}
