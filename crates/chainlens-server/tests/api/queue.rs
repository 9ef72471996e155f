//! Scenario runs as a bounded queue (issue 22, item 1): a flood of run requests from an
//! analyst is queued up to its limits and refused past them with 429 and `Retry-After`,
//! while a viewer's `GET /api/me` keeps answering within a second and the server's
//! thread count stays bounded; queued and running runs can be cancelled.

use crate::common::{Response, Server, request};
use chainlens_data::store::tokens::Role;
use chainlens_server::Config;
use chainlens_server::runs::QueueConfig;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Threads of this process (the test server runs inside it), from /proc; None elsewhere.
fn threads() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// A server configuration with this run queue.
fn queue(workers: usize, per_workspace: usize, total: usize) -> Config {
    Config {
        queue: QueueConfig {
            workers,
            per_workspace,
            total,
        },
        ..Config::default()
    }
}

const RUNS: &str = "/api/workspaces/flood/scenarios/battery_stop/runs";

#[test]
fn a_flood_of_runs_is_queued_or_refused_and_never_delays_a_viewer() {
    let config = queue(2, 8, 64);
    let s = Server::start_config(&["flood"], config);
    let analyst = s.token("flood", Role::Analyst, "flooder");
    let viewer = s.token("flood", Role::Viewer, "reader");
    let flooding = AtomicBool::new(true);
    let answers: Mutex<Vec<Response>> = Mutex::new(Vec::new());
    let (mut me_calls, mut me_max, mut max_threads) = (0usize, Duration::ZERO, 0usize);
    std::thread::scope(|scope| {
        let senders: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..100 {
                        let r = request(s.addr, "POST", RUNS, Some(&analyst), b"");
                        answers.lock().unwrap().push(r);
                    }
                })
            })
            .collect();
        scope.spawn(|| {
            for h in senders {
                h.join().unwrap();
            }
            flooding.store(false, Ordering::SeqCst);
        });
        while flooding.load(Ordering::SeqCst) {
            let before = Instant::now();
            let me = s.get("/api/me", &viewer);
            let took = before.elapsed();
            assert_eq!(me.status, 200, "{}", me.text());
            assert_eq!(me.json()["role"], "viewer");
            me_calls += 1;
            me_max = me_max.max(took);
            max_threads = max_threads.max(threads().unwrap_or(0));
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let answers = answers.into_inner().unwrap();
    assert_eq!(answers.len(), 800);
    let accepted: Vec<u64> = answers
        .iter()
        .filter(|r| r.status == 202)
        .map(|r| r.json()["run"].as_u64().unwrap())
        .collect();
    let refused: Vec<&Response> = answers.iter().filter(|r| r.status == 429).collect();
    eprintln!(
        "flood: {} accepted, {} refused; /api/me answered {me_calls} times, max {me_max:?}; \
         at most {max_threads} threads",
        accepted.len(),
        refused.len()
    );
    assert_eq!(accepted.len() + refused.len(), 800, "only 202 or 429");
    assert!(!accepted.is_empty() && !refused.is_empty());
    let busy = refused[0];
    let retry: u64 = busy.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert!(
        busy.json()["error"]
            .as_str()
            .unwrap()
            .contains("--queue-per-workspace")
    );
    assert!(
        me_calls >= 5,
        "{me_calls} calls of /api/me during the flood"
    );
    assert!(me_max < Duration::from_secs(1), "/api/me took {me_max:?}");
    if cfg!(target_os = "linux") {
        assert!(
            max_threads > 0 && max_threads < 100,
            "{max_threads} threads"
        );
    }
    // What is still queued or running can be cancelled; a finished run cannot.
    let mut cancelled = 0;
    for id in accepted.iter().rev() {
        let r = s.delete(&format!("/api/workspaces/flood/runs/{id}"), &analyst);
        match r.status {
            200 => {
                assert_eq!(r.json()["status"], "cancelled");
                cancelled += 1;
            }
            409 => assert!(r.json()["error"].as_str().unwrap().contains("already")),
            other => panic!("DELETE run {id}: {other} {}", r.text()),
        }
    }
    eprintln!("flood: {cancelled} runs cancelled afterwards");
    let v = s.delete(
        &format!("/api/workspaces/flood/runs/{}", accepted[0]),
        &viewer,
    );
    assert_eq!(v.status, 403);
    assert_eq!(
        s.delete("/api/workspaces/flood/runs/99999", &analyst)
            .status,
        404
    );
}

#[test]
fn a_run_waits_queued_behind_busy_workers_and_leaves_the_queue_when_cancelled() {
    let config = queue(1, 2, 2);
    let s = Server::start_config(&["queue"], config);
    let t = s.token("queue", Role::Analyst, "li");
    let path = "/api/workspaces/queue/scenarios/risk_register/runs";
    let start = || {
        let r = s.post(path, &t, "");
        assert_eq!(r.status, 202, "{}", r.text());
        assert_eq!(r.json()["status"], "queued");
        r.json()["run"].as_u64().unwrap()
    };
    let first = start();
    // Once the one worker has taken the first, two more may wait.
    let deadline = Instant::now() + Duration::from_secs(30);
    while s
        .get(&format!("/api/workspaces/queue/runs/{first}"), &t)
        .json()["status"]
        == "queued"
    {
        assert!(Instant::now() < deadline, "the first run never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let ids = [first, start(), start()];
    // One worker: while the first runs (a Monte Carlo of 500 trials) the last waits.
    let last = s
        .get(&format!("/api/workspaces/queue/runs/{}", ids[2]), &t)
        .json();
    assert_eq!(last["status"], "queued", "{last}");
    assert_eq!(last["step"], "queued");
    assert!(last["started_at"].is_null());
    assert!(last["queued_at"].is_string());
    // The waiting ones leave the queue; the first is cancelled unless it has finished.
    for (i, id) in ids.iter().enumerate().rev() {
        let r = s.delete(&format!("/api/workspaces/queue/runs/{id}"), &t);
        if i == 0 && r.status == 409 {
            continue;
        }
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["status"], "cancelled");
    }
    let again = request(
        s.addr,
        "GET",
        &format!("/api/workspaces/queue/runs/{}", ids[2]),
        Some(&t),
        b"",
    );
    assert_eq!(again.json()["status"], "cancelled");
    assert!(again.json().get("result").is_none());
}
