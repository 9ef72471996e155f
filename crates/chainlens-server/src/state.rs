//! What the server holds per workspace (a [`Site`]): the loaded workspace and its analyses
//! computed once, with the JSON of every read endpoint serialised in advance (a cached
//! read is a copy of bytes); a small pool of SQLite connections for what lives in the
//! store (alerts, tokens, imports); one writer at a time; and the scenario runs, computed
//! by the workers of one [`Queue`] shared by all workspaces.
//!
//! Concurrency: the store is in WAL mode, so readers never wait for the writer; writers
//! are serialised by [`Site::write`] (SQLite allows one writer; taking the lock first
//! avoids busy retries between our own writers) and every connection has a busy timeout
//! for writers in other processes (`chainlens warn` beside the server). Blocking SQLite
//! and analysis work runs on tokio's blocking threads, never on the request threads.

use crate::error::{ApiError, Result};
use crate::runs::{Queue, QueueConfig, Runs};
use axum::body::Bytes;
use chainlens_data::store::{Store, now};
use chainlens_pipeline::Workspace;
use chainlens_pipeline::{Analyses, Section, run_all};
use chainlens_report::Lang;
use chainlens_report::chart::{chainmap::chain_map, radar::dimensions_radar};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};

/// Connections per workspace. Requests beyond this wait for one to come back instead of
/// opening more: opening a SQLite connection (pragmas, schema check) costs far more than
/// a query, and under 64 concurrent clients unbounded opening was the bottleneck.
const POOL_SIZE: usize = 8;

/// SQLite connections to one store, reused across requests; at most [`POOL_SIZE`] open.
pub struct Pool {
    path: PathBuf,
    slots: Mutex<Slots>,
    returned: Condvar,
}

struct Slots {
    idle: Vec<Store>,
    open: usize,
}

/// A connection taken from a [`Pool`]; goes back when dropped.
pub struct Pooled<'a> {
    pool: &'a Pool,
    store: Option<Store>,
}

impl Pool {
    pub fn new(path: PathBuf) -> Pool {
        Pool {
            path,
            slots: Mutex::new(Slots {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// A connection: an idle one, a new one while fewer than [`POOL_SIZE`] are open, or
    /// the next one returned (blocking; call it on a blocking thread).
    pub fn get(&self) -> Result<Pooled<'_>> {
        let mut slots = self.slots.lock().expect("pool lock");
        loop {
            if let Some(store) = slots.idle.pop() {
                return Ok(Pooled {
                    pool: self,
                    store: Some(store),
                });
            }
            if slots.open < POOL_SIZE {
                slots.open += 1;
                drop(slots);
                return match Store::open(&self.path) {
                    Ok(store) => Ok(Pooled {
                        pool: self,
                        store: Some(store),
                    }),
                    Err(e) => {
                        self.slots.lock().expect("pool lock").open -= 1;
                        self.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            slots = self.returned.wait(slots).expect("pool lock");
        }
    }
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store.as_ref().expect("present until dropped")
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.store.as_mut().expect("present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let mut slots = self.pool.slots.lock().expect("pool lock");
        slots.idle.extend(self.store.take());
        drop(slots);
        self.pool.returned.notify_one();
    }
}

/// A read endpoint's body, or why the analysis behind it has none (→ 409).
pub type Cached = std::result::Result<Bytes, String>;

/// The analyses of one workspace and the JSON and SVG of the read endpoints.
pub struct Cache {
    pub ws: Workspace,
    /// Alerts are replaced after every change, so reports show the current ones.
    pub analyses: RwLock<Analyses>,
    /// The parts of the overview that only change with the data.
    pub overview: serde_json::Value,
    pub chains: Bytes,
    /// Chain id → the chain's network report.
    pub chain: BTreeMap<String, Cached>,
    /// (chain id, lang) → the chain map.
    pub chain_svg: BTreeMap<(String, &'static str), Bytes>,
    pub linkage: Cached,
    pub resilience: Cached,
    /// lang → the radar chart of the latest year.
    pub radar_svg: BTreeMap<&'static str, Cached>,
    pub risks: Cached,
    /// The configured scenarios' names, kinds and descriptions. The scenarios themselves
    /// are `ws.settings.scenarios`, checked against the workspace's `[limits]` when it
    /// was opened: a block that does not parse, or one over a limit, refuses the
    /// workspace rather than becoming an empty list or an unbounded run.
    pub scenarios: Bytes,
}

pub const LANGS: [(&str, Lang); 2] = [("en", Lang::En), ("zh", Lang::Zh)];

/// `lang=` of a query: `en` (default) or `zh`.
pub fn lang(code: Option<&str>) -> Result<(&'static str, Lang)> {
    match code {
        None => Ok(LANGS[0]),
        Some(c) => LANGS
            .iter()
            .find(|(k, _)| *k == c)
            .copied()
            .ok_or_else(|| ApiError::BadRequest(format!("lang `{c}`: expected en or zh"))),
    }
}

fn bytes<T: Serialize + ?Sized>(v: &T) -> Bytes {
    Bytes::from(serde_json::to_vec(v).expect("analysis results serialise"))
}

fn cached<T: Serialize>(s: &Section<T>, what: &str) -> Cached {
    match s {
        Section::Done(v) => Ok(bytes(v)),
        Section::NotConfigured(why) => Err(format!("{what} is not configured: {why}")),
        Section::Failed(why) => Err(format!("{what} failed: {why}")),
    }
}

fn status<T>(s: &Section<T>) -> &'static str {
    match s {
        Section::Done(_) => "done",
        Section::NotConfigured(_) => "not_configured",
        Section::Failed(_) => "failed",
    }
}

/// The configured `[[scenarios]]`, as chainlens.toml has them.
impl Cache {
    /// Loads the workspace in `root`, imports it if the store is not current, raises the
    /// alerts at the present time (as `chainlens warn`) and computes every analysis.
    pub fn build(root: &Path) -> Result<Cache> {
        let ws = Workspace::open(root)?;
        ws.import_if_stale(|_| {})?;
        let analyses = run_all(&ws, now(), true, |_| {})?;
        Ok(Cache::from_analyses(ws, analyses))
    }

    fn from_analyses(ws: Workspace, a: Analyses) -> Cache {
        let mut chain = BTreeMap::new();
        for c in &ws.dataset.chains {
            let report = match &a.networks {
                Section::Done(reports) => reports
                    .iter()
                    .find(|r| r.chain == c.id)
                    .map(bytes)
                    .ok_or_else(|| format!("no network report for chain `{}`", c.id)),
                other => cached(other, "the supply network"),
            };
            chain.insert(c.id.clone(), report);
        }
        let mut chain_svg = BTreeMap::new();
        let mut radar_svg = BTreeMap::new();
        for (code, lang) in LANGS {
            let input = chainlens_pipeline::report_input(&ws, &a, lang, now());
            for m in &input.chains {
                chain_svg.insert((m.id.clone(), code), Bytes::from(chain_map(m, lang)));
            }
            let radar = input
                .resilience
                .as_ref()
                .and_then(|r| {
                    let latest = r.rows.iter().map(|x| x.year).max();
                    dimensions_radar(r.rows.iter().filter(|x| Some(x.year) == latest), lang)
                })
                .map(Bytes::from)
                .ok_or_else(|| "the resilience index did not run".to_owned());
            radar_svg.insert(code, radar);
        }
        let grades: Vec<serde_json::Value> = match &a.resilience {
            Section::Done(e) => e
                .years
                .iter()
                .max()
                .map(|&y| {
                    e.year(y)
                        .iter()
                        .map(|s| {
                            let name = ws
                                .dataset
                                .regions
                                .iter()
                                .find(|r| r.id == s.region)
                                .map_or(s.region.as_str(), |r| r.name.as_str());
                            json!({"region": s.region, "name": name, "year": s.year, "index": s.index, "grade": s.grade})
                        })
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let w = &ws.config.workspace;
        let overview = json!({
            "workspace": {"name": w.name, "title": w.title, "home_region": w.home_region},
            "counts": chainlens_data::store::Counts::of(&ws.dataset),
            "sections": {
                "linkage": status(&a.linkage),
                "networks": status(&a.networks),
                "resilience": status(&a.resilience),
                "risks": status(&a.risks),
                "alerts": status(&a.alerts),
                "scenarios": status(&a.scenarios),
                "clearing": status(&a.clearing),
            },
            "grades": grades,
        });
        // Each scenario with the result of the last `chainlens run`, so the dashboard
        // shows it before anyone presses Run.
        let last_results: Vec<&chainlens_pipeline::analyses::ScenarioResult> = match &a.scenarios {
            Section::Done(list) => list.iter().filter_map(Section::done).collect(),
            _ => Vec::new(),
        };
        let scenario_views: Vec<serde_json::Value> = ws
            .settings
            .scenarios
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "kind": if s.monte_carlo.is_some() { "monte_carlo" } else { "cascade" },
                    "description": s.description,
                    "last": last_results.iter().find(|r| r.scenario == s.name),
                })
            })
            .collect();
        Cache {
            chains: bytes(&ws.dataset.chains),
            chain,
            chain_svg,
            linkage: cached(&a.linkage, "the linkage analysis"),
            resilience: cached(&a.resilience, "the resilience index"),
            radar_svg,
            risks: cached(&a.risks, "the risk register"),
            scenarios: bytes(&scenario_views),
            overview,
            analyses: RwLock::new(a),
            ws,
        }
    }
}

/// One workspace being served.
pub struct Site {
    /// `[workspace] name`: what tokens and URLs name.
    pub name: String,
    pub root: PathBuf,
    pub pool: Pool,
    /// Held by whoever writes to the store or the workspace's files.
    pub write: Mutex<()>,
    pub cache: RwLock<Arc<Cache>>,
    pub runs: Arc<Runs>,
}

impl Site {
    /// Loads and analyses the workspace in `root` (blocking: seconds for a large one).
    pub fn open(root: &Path) -> Result<Site> {
        let cache = Cache::build(root)?;
        Ok(Site {
            name: cache.ws.config.workspace.name.clone(),
            root: root.to_owned(),
            pool: Pool::new(cache.ws.store_path()),
            write: Mutex::new(()),
            cache: RwLock::new(Arc::new(cache)),
            runs: Arc::default(),
        })
    }

    pub fn cache(&self) -> Arc<Cache> {
        self.cache.read().expect("cache lock").clone()
    }

    /// Recomputes everything after the data changed (blocking).
    pub fn refresh(&self) -> Result<()> {
        let cache = Cache::build(&self.root)?;
        *self.cache.write().expect("cache lock") = Arc::new(cache);
        Ok(())
    }

    /// Puts the store's current alerts into the analyses the reports are made from.
    pub fn reload_alerts(&self, store: &Store) -> Result<()> {
        let all = store.alerts()?;
        let cache = self.cache();
        let mut a = cache.analyses.write().expect("analyses lock");
        a.alerts = Section::Done(chainlens_pipeline::Raised::stored(all));
        Ok(())
    }
}

/// Every workspace being served, by name, and the queue of their scenario runs.
#[derive(Clone)]
pub struct AppState {
    pub sites: Arc<BTreeMap<String, Arc<Site>>>,
    pub queue: Arc<Queue>,
}

impl AppState {
    /// Opens every workspace and starts the run queue's workers; two workspaces with the
    /// same `[workspace] name` are refused, as a token could not say which one it is for.
    pub fn open(roots: &[PathBuf], queue: QueueConfig) -> Result<AppState> {
        let mut sites = BTreeMap::new();
        for root in roots {
            let site = Site::open(root)?;
            if sites.contains_key(&site.name) {
                return Err(ApiError::BadRequest(format!(
                    "{}: a workspace named `{}` is already served",
                    root.display(),
                    site.name
                )));
            }
            sites.insert(site.name.clone(), Arc::new(site));
        }
        let queue = Queue::new(queue)
            .map_err(|e| ApiError::Internal(format!("starting the run workers: {e}")))?;
        Ok(AppState {
            sites: Arc::new(sites),
            queue: Arc::new(queue),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn the_pool_never_opens_more_than_its_size_and_hands_back_returned_connections() {
        let dir = tempfile::tempdir().unwrap();
        let pool = Pool::new(dir.path().join("chainlens.db"));
        let held: Vec<Pooled<'_>> = (0..POOL_SIZE).map(|_| pool.get().unwrap()).collect();
        assert_eq!(pool.slots.lock().unwrap().open, POOL_SIZE);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let c = pool.get().unwrap();
                tx.send(c.schema_version().unwrap()).unwrap();
            });
            // The extra request waits while all connections are taken...
            assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
            // ...and gets the first one returned.
            drop(held);
            assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap() > 0);
        });
        assert_eq!(pool.slots.lock().unwrap().open, POOL_SIZE);
    }
}
