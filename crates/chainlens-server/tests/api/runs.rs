//! Scenario runs: started in the background (202), polled until done with the result;
//! reads are answered while a run is in progress.

use crate::common::shared;
use chainlens_data::store::tokens::Role;
use std::time::{Duration, Instant};

#[test]
fn a_run_goes_from_running_to_done_with_its_result_while_reads_are_served() {
    let s = shared();
    let t = s.token("other", Role::Analyst, "li");
    let started = s.post("/api/workspaces/other/scenarios/risk_register/runs", &t, "");
    assert_eq!(started.status, 202);
    let id = started.json()["run"].as_u64().unwrap();
    // A read while the Monte Carlo runs (500 trials) answers, and quickly.
    let before = Instant::now();
    let o = s.get("/api/workspaces/other/overview", &t);
    assert_eq!(o.status, 200);
    let read_took = before.elapsed();
    let during = s
        .get(&format!("/api/workspaces/other/runs/{id}"), &t)
        .json();
    assert_eq!(during["scenario"], "risk_register");
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = vec![during["progress"].as_f64().unwrap()];
    let done = loop {
        let r = s
            .get(&format!("/api/workspaces/other/runs/{id}"), &t)
            .json();
        if r["status"] != "running" && r["status"] != "queued" {
            break r;
        }
        seen.push(r["progress"].as_f64().unwrap());
        assert!(Instant::now() < deadline, "the run did not finish");
        std::thread::sleep(Duration::from_millis(50));
    };
    let run_took = before.elapsed();
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["progress"], 1.0);
    assert_eq!(done["step"], "done");
    // Progress moves by steps (six for a Monte Carlo scenario) and never backwards; a poll
    // may see 1.0 still running, between the last step and the result being stored.
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().all(|&p| (0.0..=1.0).contains(&p)), "{seen:?}");
    assert!(seen.iter().any(|&p| p < 1.0), "{seen:?}");
    assert_eq!(done["result"]["scenario"], "risk_register");
    // The read was answered while the run was still going, and did not wait for it.
    assert!(
        during["status"] == "running" || during["status"] == "queued",
        "{during}"
    );
    assert!(during["step"].is_string());
    assert!(during.get("result").is_none());
    assert!(read_took < run_took, "{read_took:?} vs {run_took:?}");
    assert_eq!(
        s.post("/api/workspaces/other/scenarios/nope/runs", &t, "")
            .status,
        404
    );
    assert_eq!(s.get("/api/workspaces/other/runs/999", &t).status, 404);
}
