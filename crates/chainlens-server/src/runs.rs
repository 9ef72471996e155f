//! Scenario runs started over the API: each runs on a blocking thread while requests go
//! on being served, and is polled at `/runs/{id}` until it is done or failed.
//!
//! `progress` is the share of the run's steps done, 0 to 1, and `step` what is being
//! computed now, as `chainlens_sim::run_scenario_with_progress` announces them (network,
//! cascade, time to survive and recover, ESRI, and for Monte Carlo scenarios the risk
//! register's trials and the robustness curves).

use axum::body::Bytes;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Runs kept per workspace; the oldest finished ones are forgotten beyond this.
const KEEP: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Done,
    Failed,
}

/// One run as the API shows it (`result` is spliced in as raw JSON).
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub run: u64,
    pub scenario: String,
    pub status: RunStatus,
    pub progress: f64,
    /// The step being computed (`done` at the end).
    pub step: &'static str,
    pub started_at: String,
    pub finished_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip)]
    pub result: Option<Bytes>,
}

impl RunView {
    /// The JSON body: the view with the result's JSON, if any, under `result`.
    pub fn body(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("run views serialise");
        if let Some(result) = &self.result {
            out.pop(); // the closing brace
            out.extend_from_slice(b",\"result\":");
            out.extend_from_slice(result);
            out.push(b'}');
        }
        out
    }
}

#[derive(Default)]
pub struct Runs {
    inner: Mutex<(u64, BTreeMap<u64, RunView>)>,
}

impl Runs {
    /// Registers a new running run of `scenario` and returns its id.
    pub fn start(&self, scenario: &str) -> u64 {
        let mut g = self.inner.lock().expect("runs lock");
        g.0 += 1;
        let id = g.0;
        g.1.insert(
            id,
            RunView {
                run: id,
                scenario: scenario.to_owned(),
                status: RunStatus::Running,
                progress: 0.0,
                step: "queued",
                started_at: chainlens_data::store::now().to_string(),
                finished_at: None,
                error: None,
                result: None,
            },
        );
        while g.1.len() > KEEP {
            let oldest_finished =
                g.1.iter()
                    .find(|(_, r)| r.status != RunStatus::Running)
                    .map(|(&k, _)| k);
            match oldest_finished {
                Some(k) => g.1.remove(&k),
                None => break,
            };
        }
        id
    }

    /// Records that run `id` has reached `step`, `done` of `total` steps finished.
    pub fn progress(&self, id: u64, step: &'static str, done: usize, total: usize) {
        if let Some(r) = self.inner.lock().expect("runs lock").1.get_mut(&id) {
            r.step = step;
            r.progress = done as f64 / total.max(1) as f64;
        }
    }

    /// Records the end of run `id`: its result's JSON, or why it failed.
    pub fn finish(&self, id: u64, outcome: Result<Bytes, String>) {
        if let Some(r) = self.inner.lock().expect("runs lock").1.get_mut(&id) {
            r.finished_at = Some(chainlens_data::store::now().to_string());
            match outcome {
                Ok(result) => {
                    r.status = RunStatus::Done;
                    r.progress = 1.0;
                    r.step = "done";
                    r.result = Some(result);
                }
                Err(e) => {
                    r.status = RunStatus::Failed;
                    r.error = Some(e);
                }
            }
        }
    }

    pub fn get(&self, id: u64) -> Option<RunView> {
        self.inner.lock().expect("runs lock").1.get(&id).cloned()
    }
}
