//! Scenario runs started over the API, as a bounded queue in front of a fixed pool of
//! worker threads.
//!
//! A run request is accepted (202, status `queued`) only while the queue has room: at
//! most [`QueueConfig::per_workspace`] runs of one workspace and [`QueueConfig::total`]
//! of all workspaces wait at once; beyond that the request answers 429 with a
//! `Retry-After` estimated from the last runs' durations. [`QueueConfig::workers`]
//! threads (by default one per core) take the runs in the order they were accepted, so
//! however many requests arrive, at most `workers` simulations compute at once and the
//! server's thread count stays fixed. The runs never use tokio's blocking threads, which
//! serve token lookups and store reads: a flood of runs cannot make a read or an
//! authentication wait (issue 22, measured in `tests/api/queue.rs`).
//!
//! A run goes `queued` → `running` → `done` or `failed`; `DELETE …/runs/{id}` cancels it:
//! a queued run is taken out of the queue, a running one is marked `cancelled` and its
//! result thrown away when the simulation returns (the simulation has no points where it
//! could stop early). Admission, cancellation and taking a run are O(queue length).
//!
//! `progress` is the share of the run's steps done, 0 to 1, and `step` what is being
//! computed now, as the pipeline's `run_scenario` announces them (network,
//! cascade, time to survive and recover, ESRI, and for Monte Carlo scenarios the risk
//! register's trials and the robustness curves).

use axum::body::Bytes;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Runs kept per workspace; the oldest finished ones are forgotten beyond this.
const KEEP: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl RunStatus {
    /// Done, failed or cancelled: nothing will change any more.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            RunStatus::Done | RunStatus::Failed | RunStatus::Cancelled
        )
    }
}

/// One run as the API shows it (`result` is spliced in as raw JSON).
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub run: u64,
    pub scenario: String,
    pub status: RunStatus,
    pub progress: f64,
    /// The step being computed (`queued` before, `done` at the end).
    pub step: &'static str,
    /// When the run was accepted into the queue.
    pub queued_at: String,
    /// When a worker began it.
    pub started_at: Option<String>,
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

/// The runs of one workspace, by id.
#[derive(Default)]
pub struct Runs {
    inner: Mutex<(u64, BTreeMap<u64, RunView>)>,
}

impl Runs {
    /// Registers a new queued run of `scenario` and returns its id.
    fn add(&self, scenario: &str) -> u64 {
        let mut g = self.inner.lock().expect("runs lock");
        g.0 += 1;
        let id = g.0;
        g.1.insert(
            id,
            RunView {
                run: id,
                scenario: scenario.to_owned(),
                status: RunStatus::Queued,
                progress: 0.0,
                step: "queued",
                queued_at: chainlens_data::store::now().to_string(),
                started_at: None,
                finished_at: None,
                error: None,
                result: None,
            },
        );
        while g.1.len() > KEEP {
            let oldest_finished =
                g.1.iter()
                    .find(|(_, r)| r.status.is_finished())
                    .map(|(&k, _)| k);
            match oldest_finished {
                Some(k) => g.1.remove(&k),
                None => break,
            };
        }
        id
    }

    /// Marks run `id` running if it is still queued; false if it was cancelled meanwhile.
    fn begin(&self, id: u64) -> bool {
        match self.inner.lock().expect("runs lock").1.get_mut(&id) {
            Some(r) if r.status == RunStatus::Queued => {
                r.status = RunStatus::Running;
                r.started_at = Some(chainlens_data::store::now().to_string());
                true
            }
            _ => false,
        }
    }

    /// Records that run `id` has reached `step`, `done` of `total` steps finished.
    fn progress(&self, id: u64, step: &'static str, done: usize, total: usize) {
        if let Some(r) = self.inner.lock().expect("runs lock").1.get_mut(&id)
            && r.status == RunStatus::Running
        {
            r.step = step;
            r.progress = done as f64 / total.max(1) as f64;
        }
    }

    /// Records the end of run `id`: its result's JSON, or why it failed. A run cancelled
    /// while it ran stays cancelled and its result is dropped.
    fn finish(&self, id: u64, outcome: Result<Bytes, String>) {
        if let Some(r) = self.inner.lock().expect("runs lock").1.get_mut(&id) {
            if r.status != RunStatus::Running {
                return;
            }
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

    /// Marks run `id` cancelled; its view after, or `Err` with the view of a run that
    /// had already finished, `None` for a run that does not exist.
    fn cancel(&self, id: u64) -> Option<Result<RunView, RunView>> {
        let mut g = self.inner.lock().expect("runs lock");
        let r = g.1.get_mut(&id)?;
        if r.status.is_finished() {
            return Some(Err(r.clone()));
        }
        r.status = RunStatus::Cancelled;
        r.step = "cancelled";
        r.finished_at = Some(chainlens_data::store::now().to_string());
        Some(Ok(r.clone()))
    }

    pub fn get(&self, id: u64) -> Option<RunView> {
        self.inner.lock().expect("runs lock").1.get(&id).cloned()
    }
}

/// The size of the run queue and of its worker pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueConfig {
    /// Threads computing runs; by default the number of cores.
    pub workers: usize,
    /// Runs of one workspace that may wait at once.
    pub per_workspace: usize,
    /// Runs of all workspaces that may wait at once.
    pub total: usize,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            per_workspace: 8,
            total: 64,
        }
    }
}

/// The work of one run: given a progress callback (step, done, total), the result's JSON
/// or why it failed.
pub type Task =
    Box<dyn FnOnce(&dyn Fn(&'static str, usize, usize)) -> Result<Bytes, String> + Send>;

struct Job {
    runs: Arc<Runs>,
    workspace: String,
    id: u64,
    task: Task,
}

struct Waiting {
    jobs: VecDeque<Job>,
    closed: bool,
    /// Mean duration of the recent runs (exponentially weighted), for `Retry-After`.
    mean_run: Duration,
}

struct Shared {
    config: QueueConfig,
    waiting: Mutex<Waiting>,
    ready: Condvar,
}

/// Why a run was not accepted: the queue is full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full {
    /// What is full, for the message: `workspace `x`` or `the server`.
    pub what: String,
    pub limit: usize,
    /// Seconds after which a new request is likely to be accepted.
    pub retry_after: u64,
}

/// The queue and its workers; the workers stop (after their current run) when it is
/// dropped.
pub struct Queue {
    shared: Arc<Shared>,
}

impl Queue {
    /// Starts `config.workers` worker threads.
    pub fn new(config: QueueConfig) -> std::io::Result<Queue> {
        let shared = Arc::new(Shared {
            config,
            waiting: Mutex::new(Waiting {
                jobs: VecDeque::new(),
                closed: false,
                mean_run: Duration::from_secs(1),
            }),
            ready: Condvar::new(),
        });
        for i in 0..config.workers.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("chainlens-run-{i}"))
                .spawn(move || work(&shared))?;
        }
        Ok(Queue { shared })
    }

    pub fn config(&self) -> QueueConfig {
        self.shared.config
    }

    /// Accepts a run of `scenario` in `workspace` (whose runs are `runs`) if the queue
    /// has room; its id.
    pub fn submit(
        &self,
        runs: &Arc<Runs>,
        workspace: &str,
        scenario: &str,
        task: Task,
    ) -> Result<u64, Full> {
        let c = self.shared.config;
        let mut w = self.shared.waiting.lock().expect("queue lock");
        let mine = w.jobs.iter().filter(|j| j.workspace == workspace).count();
        let full = |what: String, limit: usize| Full {
            what,
            limit,
            retry_after: retry_after(w.mean_run, w.jobs.len(), c.workers),
        };
        if mine >= c.per_workspace {
            return Err(full(format!("workspace `{workspace}`"), c.per_workspace));
        }
        if w.jobs.len() >= c.total {
            return Err(full("the server".to_owned(), c.total));
        }
        let id = runs.add(scenario);
        w.jobs.push_back(Job {
            runs: runs.clone(),
            workspace: workspace.to_owned(),
            id,
            task,
        });
        drop(w);
        self.shared.ready.notify_one();
        Ok(id)
    }

    /// Cancels run `id` of `runs`: see [`Runs::cancel`].
    pub fn cancel(&self, runs: &Arc<Runs>, id: u64) -> Option<Result<RunView, RunView>> {
        let mut w = self.shared.waiting.lock().expect("queue lock");
        w.jobs
            .retain(|j| !(j.id == id && Arc::ptr_eq(&j.runs, runs)));
        drop(w);
        runs.cancel(id)
    }

    /// Runs waiting, of all workspaces.
    pub fn waiting(&self) -> usize {
        self.shared.waiting.lock().expect("queue lock").jobs.len()
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        self.shared.waiting.lock().expect("queue lock").closed = true;
        self.shared.ready.notify_all();
    }
}

/// Seconds until `waiting` runs ahead of a new one are likely done on `workers` threads,
/// at least 1.
fn retry_after(mean_run: Duration, waiting: usize, workers: usize) -> u64 {
    let rounds = waiting.div_ceil(workers.max(1)).max(1) as f64;
    (mean_run.as_secs_f64() * rounds).ceil().clamp(1.0, 3600.0) as u64
}

/// A worker: takes the oldest waiting run until the queue is closed.
fn work(shared: &Shared) {
    loop {
        let job = {
            let mut w = shared.waiting.lock().expect("queue lock");
            loop {
                if w.closed {
                    return;
                }
                if let Some(job) = w.jobs.pop_front() {
                    break job;
                }
                w = shared.ready.wait(w).expect("queue lock");
            }
        };
        if !job.runs.begin(job.id) {
            continue;
        }
        let began = Instant::now();
        let (runs, id) = (&job.runs, job.id);
        let progress = |step, done, total| runs.progress(id, step, done, total);
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (job.task)(&progress)))
                .unwrap_or_else(|_| Err("the run panicked".to_owned()));
        job.runs.finish(job.id, outcome);
        let mut w = shared.waiting.lock().expect("queue lock");
        w.mean_run = (w.mean_run * 3 + began.elapsed()) / 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn config(workers: usize, per_workspace: usize, total: usize) -> QueueConfig {
        QueueConfig {
            workers,
            per_workspace,
            total,
        }
    }

    /// A task that waits for a message on the returned sender before it succeeds.
    fn gated() -> (Task, mpsc::Sender<()>) {
        let (tx, rx) = mpsc::channel::<()>();
        let task: Task = Box::new(move |progress| {
            progress("network", 1, 2);
            rx.recv().map_err(|e| e.to_string())?;
            Ok(Bytes::from_static(b"{}"))
        });
        (task, tx)
    }

    fn wait_for(runs: &Runs, id: u64, status: RunStatus) -> RunView {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = runs.get(id).unwrap();
            if r.status == status {
                return r;
            }
            assert!(Instant::now() < deadline, "{r:?} never became {status:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn runs_wait_in_order_and_the_queue_refuses_past_its_limits() {
        let q = Queue::new(config(1, 2, 3)).unwrap();
        let (a, b) = (Arc::new(Runs::default()), Arc::new(Runs::default()));
        let (t1, go1) = gated();
        let first = q.submit(&a, "a", "s", t1).unwrap();
        wait_for(&a, first, RunStatus::Running);
        // One worker busy: the next ones wait, two per workspace, three in all.
        let mut gates = Vec::new();
        for runs in [&a, &a, &b] {
            let (t, go) = gated();
            let name = if Arc::ptr_eq(runs, &a) { "a" } else { "b" };
            q.submit(runs, name, "s", t).unwrap();
            gates.push(go);
        }
        assert_eq!(q.waiting(), 3);
        let (t, _) = gated();
        let full = q.submit(&a, "a", "s", t).unwrap_err();
        assert_eq!((full.what.as_str(), full.limit), ("workspace `a`", 2));
        assert!(full.retry_after >= 1);
        let (t, _) = gated();
        let full = q.submit(&b, "b", "s", t).unwrap_err();
        assert_eq!((full.what.as_str(), full.limit), ("the server", 3));
        assert_eq!(a.get(2).unwrap().status, RunStatus::Queued);
        // The first finishes, the second starts: first come, first served.
        go1.send(()).unwrap();
        let done = wait_for(&a, first, RunStatus::Done);
        assert_eq!(done.progress, 1.0);
        let body: serde_json::Value = serde_json::from_slice(&done.body()).unwrap();
        let mut expected = serde_json::to_value(&done).unwrap();
        expected["result"] = serde_json::json!({});
        assert_eq!(body, expected);
        wait_for(&a, 2, RunStatus::Running);
        assert_eq!(a.get(3).unwrap().status, RunStatus::Queued);
        for g in gates {
            g.send(()).unwrap();
        }
        wait_for(&b, 1, RunStatus::Done);
    }

    #[test]
    fn a_queued_run_is_dropped_and_a_running_one_loses_its_result() {
        let q = Queue::new(config(1, 8, 8)).unwrap();
        let runs = Arc::new(Runs::default());
        let (t1, go1) = gated();
        let running = q.submit(&runs, "w", "s", t1).unwrap();
        wait_for(&runs, running, RunStatus::Running);
        let ran = Arc::new(Mutex::new(false));
        let flag = ran.clone();
        let queued = q
            .submit(
                &runs,
                "w",
                "s",
                Box::new(move |_| {
                    *flag.lock().unwrap() = true;
                    Ok(Bytes::new())
                }),
            )
            .unwrap();
        let c = q.cancel(&runs, queued).unwrap().unwrap();
        assert_eq!(c.status, RunStatus::Cancelled);
        assert_eq!(q.waiting(), 0);
        let c = q.cancel(&runs, running).unwrap().unwrap();
        assert_eq!(c.status, RunStatus::Cancelled);
        go1.send(()).unwrap();
        // The worker is free again: a new run is done, and the cancelled ones stay so.
        let (t3, go3) = gated();
        let third = q.submit(&runs, "w", "s", t3).unwrap();
        go3.send(()).unwrap();
        wait_for(&runs, third, RunStatus::Done);
        let r = runs.get(running).unwrap();
        assert_eq!((r.status, r.result.is_none()), (RunStatus::Cancelled, true));
        assert!(!*ran.lock().unwrap(), "the cancelled queued run never ran");
        // Cancelling a finished run is refused; an unknown one does not exist.
        assert_eq!(
            q.cancel(&runs, third).unwrap().unwrap_err().status,
            RunStatus::Done
        );
        assert!(q.cancel(&runs, 99).is_none());
    }

    #[test]
    fn a_panicking_run_fails_and_the_worker_goes_on() {
        let q = Queue::new(config(1, 8, 8)).unwrap();
        let runs = Arc::new(Runs::default());
        let id = q
            .submit(&runs, "w", "s", Box::new(|_| panic!("boom")))
            .unwrap();
        let r = wait_for(&runs, id, RunStatus::Failed);
        assert_eq!(r.error.as_deref(), Some("the run panicked"));
        let id = q
            .submit(&runs, "w", "s", Box::new(|_| Ok(Bytes::new())))
            .unwrap();
        wait_for(&runs, id, RunStatus::Done);
    }

    #[test]
    fn retry_after_grows_with_the_queue_per_worker() {
        let run = Duration::from_millis(2500);
        assert_eq!(retry_after(run, 0, 2), 3);
        assert_eq!(retry_after(run, 8, 2), 10);
        assert_eq!(retry_after(Duration::ZERO, 8, 2), 1);
    }
}
