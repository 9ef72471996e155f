//! The HTTP API's routes and handlers (the OpenAPI document in [`crate::openapi`] lists
//! the same paths; a test keeps the two in step).
//!
//! Reads of analyses answer from the pre-serialised [`crate::state::Cache`]; alerts,
//! tokens and imports are read and written in the store on blocking threads.

use crate::auth::Principal;
use crate::error::{ApiError, Result};
use crate::extract::{Path, Query};
use crate::runs::{RunStatus, Task};
use crate::state::{AppState, Site, lang};
use crate::{blocking, openapi, upload};
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use chainlens_data::store::now;
use chainlens_data::store::tokens::Role;
use chainlens_model::Vocabulary;
use chainlens_model::{Alert, AlertStatus};
use chainlens_pipeline::alerts::{self, AlertChange, AlertChangeError};
use chainlens_pipeline::analyses::run_scenario;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// Every API route: (path, handlers); uploads larger than `upload_limit` bytes are refused
/// before they are buffered. The router and the OpenAPI test both read this.
pub fn routes(upload_limit: usize) -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/health", get(health)),
        ("/api/openapi.json", get(openapi_document)),
        ("/api/me", get(me)),
        ("/api/workspaces/{ws}/overview", get(overview)),
        ("/api/workspaces/{ws}/chains", get(chains)),
        ("/api/workspaces/{ws}/chains/{chain}", get(chain)),
        (
            "/api/workspaces/{ws}/chains/{chain}/map.svg",
            get(chain_map),
        ),
        ("/api/workspaces/{ws}/enterprises", get(enterprises)),
        ("/api/workspaces/{ws}/linkage", get(linkage)),
        ("/api/workspaces/{ws}/resilience", get(resilience)),
        ("/api/workspaces/{ws}/resilience/radar.svg", get(radar)),
        ("/api/workspaces/{ws}/risks", get(risks)),
        ("/api/workspaces/{ws}/alerts", get(alerts)),
        ("/api/workspaces/{ws}/alerts/{id}", get(alert)),
        ("/api/workspaces/{ws}/alerts/{id}/ack", post(ack)),
        ("/api/workspaces/{ws}/alerts/{id}/resolve", post(resolve)),
        ("/api/workspaces/{ws}/warn", post(warn)),
        ("/api/workspaces/{ws}/scenarios", get(scenario_list)),
        (
            "/api/workspaces/{ws}/scenarios/{name}/runs",
            post(start_run),
        ),
        (
            "/api/workspaces/{ws}/runs/{id}",
            get(run).delete(cancel_run),
        ),
        ("/api/workspaces/{ws}/report", get(report)),
        ("/api/workspaces/{ws}/report.xlsx", get(report_xlsx)),
        (
            "/api/workspaces/{ws}/data/{file}",
            put(upload::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        ),
        (
            "/api/workspaces/{ws}/tokens",
            get(tokens).post(create_token),
        ),
        (
            "/api/workspaces/{ws}/tokens/{id}",
            axum::routing::delete(revoke_token),
        ),
    ]
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn json_value(v: &impl serde::Serialize) -> Response {
    json_bytes(Bytes::from(
        serde_json::to_vec(v).expect("responses serialise"),
    ))
}

fn svg(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], body).into_response()
}

fn cached(c: &crate::state::Cached) -> Result<Response> {
    c.clone().map(json_bytes).map_err(ApiError::Conflict)
}

/// A JSON request body, optional: empty means `T::default()`. Over the limit → 413.
pub fn body_json<T: serde::de::DeserializeOwned + Default>(
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<T> {
    let body = body.map_err(|e| ApiError::Rejected(e.status(), e.body_text()))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("request body: {e}")))
}

async fn health() -> Response {
    json_value(&json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn openapi_document(_: Principal) -> Response {
    json_value(&openapi::document())
}

async fn me(p: Principal) -> Response {
    json_value(&json!({"workspace": p.site.name, "role": p.token.role, "name": p.token.name}))
}

async fn overview(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    let site = p.site(&ws)?.clone();
    blocking(move || {
        let cache = site.cache();
        let store = site.pool.get()?;
        let by_level: serde_json::Map<String, serde_json::Value> = store
            .unresolved_by_level()?
            .into_iter()
            .map(|(level, n)| (level.to_string(), json!(n)))
            .collect();
        let mut body = cache.overview.clone();
        body["last_import"] = json!(store.last_import()?);
        body["alerts_by_level"] = json!(by_level);
        Ok(json_value(&body))
    })
    .await
}

async fn chains(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    Ok(json_bytes(p.site(&ws)?.cache().chains.clone()))
}

async fn chain(p: Principal, Path((ws, chain)): Path<(String, String)>) -> Result<Response> {
    let cache = p.site(&ws)?.cache();
    match cache.chain.get(&chain) {
        Some(c) => cached(c),
        None => Err(ApiError::NotFound(format!("no chain `{chain}`"))),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn chain_map(
    p: Principal,
    Path((ws, chain)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let cache = p.site(&ws)?.cache();
    let (code, _) = lang(q.lang.as_deref())?;
    if !cache.chain.contains_key(&chain) {
        return Err(ApiError::NotFound(format!("no chain `{chain}`")));
    }
    cache
        .chain_svg
        .get(&(chain.clone(), code))
        .cloned()
        .map(svg)
        .ok_or_else(|| {
            ApiError::Conflict(format!(
                "chain `{chain}` has no map: the supply network analysis did not run"
            ))
        })
}

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// One page of `items` as `{"items","total","offset","limit"}` (`offset=&limit=` of the
/// query; `limit` defaults to 100 and is at most 1000).
fn page<T: serde::Serialize>(
    items: &[T],
    offset: Option<usize>,
    limit: Option<usize>,
) -> Result<Response> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::BadRequest(format!(
            "limit {limit}: expected 1 to {MAX_LIMIT}"
        )));
    }
    let offset = offset.unwrap_or(0);
    let slice = items.get(offset..).unwrap_or(&[]);
    let slice = &slice[..slice.len().min(limit)];
    Ok(json_value(&json!({
        "items": slice,
        "total": items.len(),
        "offset": offset,
        "limit": limit,
    })))
}

#[derive(Deserialize)]
struct EnterpriseQuery {
    offset: Option<usize>,
    limit: Option<usize>,
    chain: Option<String>,
    region: Option<String>,
}

async fn enterprises(
    p: Principal,
    Path(ws): Path<String>,
    Query(q): Query<EnterpriseQuery>,
) -> Result<Response> {
    let cache = p.site(&ws)?.cache();
    let items: Vec<_> = cache
        .ws
        .dataset
        .enterprises
        .iter()
        .filter(|e| q.region.as_ref().is_none_or(|r| &e.region == r))
        .filter(|e| {
            q.chain
                .as_ref()
                .is_none_or(|c| e.stages.iter().any(|s| &s.chain == c))
        })
        .collect();
    page(&items, q.offset, q.limit)
}

async fn linkage(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    cached(&p.site(&ws)?.cache().linkage)
}

async fn resilience(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    cached(&p.site(&ws)?.cache().resilience)
}

async fn radar(
    p: Principal,
    Path(ws): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let cache = p.site(&ws)?.cache();
    let (code, _) = lang(q.lang.as_deref())?;
    match &cache.radar_svg[code] {
        Ok(b) => Ok(svg(b.clone())),
        Err(e) => Err(ApiError::Conflict(e.clone())),
    }
}

async fn risks(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    cached(&p.site(&ws)?.cache().risks)
}

#[derive(Deserialize)]
struct AlertQuery {
    offset: Option<usize>,
    limit: Option<usize>,
    status: Option<String>,
    level: Option<u8>,
}

async fn alerts(
    p: Principal,
    Path(ws): Path<String>,
    Query(q): Query<AlertQuery>,
) -> Result<Response> {
    let site = p.site(&ws)?.clone();
    let wanted: Option<Box<dyn Fn(AlertStatus) -> bool + Send>> = match q.status.as_deref() {
        None => None,
        Some("unresolved") => Some(Box::new(|s| s != AlertStatus::Resolved)),
        Some(s) => {
            let status = AlertStatus::parse(s).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "status `{s}`: expected open, acknowledged, escalated, resolved or unresolved"
                ))
            })?;
            Some(Box::new(move |x| x == status))
        }
    };
    blocking(move || {
        let all = site.pool.get()?.alerts()?;
        let items: Vec<Alert> = all
            .into_iter()
            .filter(|a| wanted.as_ref().is_none_or(|w| w(a.status)))
            .filter(|a| q.level.is_none_or(|l| a.level == l))
            .collect();
        page(&items, q.offset, q.limit)
    })
    .await
}

fn no_alert(id: i64) -> ApiError {
    ApiError::NotFound(format!("alert {id} does not exist"))
}

async fn alert(p: Principal, Path((ws, id)): Path<(String, i64)>) -> Result<Response> {
    let site = p.site(&ws)?.clone();
    blocking(move || match site.pool.get()?.alert(id)? {
        Some(a) => Ok(json_value(&a)),
        None => Err(no_alert(id)),
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Note {
    note: Option<String>,
}

/// Acknowledges or resolves an alert as the token's holder, recorded in its history.
async fn change_alert(
    p: Principal,
    ws: String,
    id: i64,
    body: std::result::Result<Bytes, BytesRejection>,
    resolving: bool,
) -> Result<Response> {
    let site = p.site_as(&ws, Role::Analyst)?.clone();
    let note: Note = body_json(body)?;
    let by = p.token.name.clone();
    blocking(move || {
        let _writer = site.write.lock().expect("writer lock");
        let mut store = site.pool.get()?;
        let change = if resolving {
            AlertChange::Resolve
        } else {
            AlertChange::Acknowledge
        };
        let alert = alerts::change(&mut store, id, change, &by, note.note.as_deref(), now())
            .map_err(|e| match e {
                AlertChangeError::NotFound(id) => no_alert(id),
                AlertChangeError::Refused(e) => ApiError::Conflict(e.to_string()),
                AlertChangeError::Store(e) => e.into(),
            })?;
        site.reload_alerts(&store)?;
        Ok(json_value(&alert))
    })
    .await
}

async fn ack(
    p: Principal,
    Path((ws, id)): Path<(String, i64)>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    change_alert(p, ws, id, body, false).await
}

async fn resolve(
    p: Principal,
    Path((ws, id)): Path<(String, i64)>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    change_alert(p, ws, id, body, true).await
}

/// Evaluates the rules again, as `chainlens warn` does.
async fn warn(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    let site = p.site_as(&ws, Role::Analyst)?.clone();
    blocking(move || {
        let _writer = site.write.lock().expect("writer lock");
        let cache = site.cache();
        let raised =
            chainlens_pipeline::raise_alerts(&cache.ws, now())?.map_err(ApiError::Conflict)?;
        let store = site.pool.get()?;
        site.reload_alerts(&store)?;
        Ok(json_value(&json!({
            "raised": raised.raised,
            "updated": raised.updated,
            "not_firing": raised.not_firing,
            "skipped": raised.skipped,
            "unresolved": raised.unresolved().count(),
        })))
    })
    .await
}

async fn scenario_list(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    Ok(json_bytes(p.site(&ws)?.cache().scenarios.clone()))
}

/// Queues a run of a configured scenario: 202 with its id, or 429 if the queue is full.
async fn start_run(
    State(state): State<AppState>,
    p: Principal,
    Path((ws, name)): Path<(String, String)>,
) -> Result<Response> {
    let site: Arc<Site> = p.site_as(&ws, Role::Analyst)?.clone();
    let cache = site.cache();
    let scenario = cache
        .ws
        .settings
        .scenario(&name)
        .cloned()
        .map_err(ApiError::NotFound)?;
    let task: Task = Box::new(move |progress| {
        run_scenario(&cache.ws, &scenario, |p| progress(p.step, p.done, p.total))
            .map(|r| Bytes::from(serde_json::to_vec(&r).expect("results serialise")))
    });
    let id = state
        .queue
        .submit(&site.runs, &site.name, &name, task)
        .map_err(ApiError::Busy)?;
    Ok((
        StatusCode::ACCEPTED,
        json_value(&json!({"run": id, "status": RunStatus::Queued})),
    )
        .into_response())
}

fn no_run(id: u64) -> ApiError {
    ApiError::NotFound(format!("run {id} does not exist"))
}

async fn run(p: Principal, Path((ws, id)): Path<(String, u64)>) -> Result<Response> {
    let run = p.site(&ws)?.runs.get(id).ok_or_else(|| no_run(id))?;
    Ok(json_bytes(Bytes::from(run.body())))
}

/// Cancels a queued or running run (analysts): 200 with the run, 409 if it had finished.
async fn cancel_run(
    State(state): State<AppState>,
    p: Principal,
    Path((ws, id)): Path<(String, u64)>,
) -> Result<Response> {
    let site = p.site_as(&ws, Role::Analyst)?;
    match state.queue.cancel(&site.runs, id) {
        None => Err(no_run(id)),
        Some(Ok(run)) => Ok(json_bytes(Bytes::from(run.body()))),
        Some(Err(run)) => Err(ApiError::Conflict(format!(
            "run {id} is already {}",
            json!(run.status)
        ))),
    }
}

/// The report's input at the present time, with the current alerts.
fn report_input(site: &Site, lang: chainlens_report::Lang) -> chainlens_report::ReportInput {
    let cache = site.cache();
    let analyses = cache.analyses.read().expect("analyses lock");
    chainlens_pipeline::report_input(&cache.ws, &analyses, lang, now())
}

async fn report(
    p: Principal,
    Path(ws): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let site = p.site(&ws)?.clone();
    let (_, lang) = lang(q.lang.as_deref())?;
    blocking(move || {
        let html = chainlens_report::render_html(&report_input(&site, lang));
        Ok((
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, crate::headers::REPORT_CSP),
            ],
            html,
        )
            .into_response())
    })
    .await
}

async fn report_xlsx(
    p: Principal,
    Path(ws): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response> {
    let site = p.site(&ws)?.clone();
    let (_, lang) = lang(q.lang.as_deref())?;
    blocking(move || {
        let bytes = chainlens_report::write_workbook(&report_input(&site, lang))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let disposition = format!("attachment; filename=\"{}-report.xlsx\"", site.name);
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    })
    .await
}

async fn tokens(p: Principal, Path(ws): Path<String>) -> Result<Response> {
    let site = p.site_as(&ws, Role::Admin)?.clone();
    blocking(move || Ok(json_value(&site.pool.get()?.tokens()?))).await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NewToken {
    role: String,
    name: String,
}

async fn create_token(
    p: Principal,
    Path(ws): Path<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let site = p.site_as(&ws, Role::Admin)?.clone();
    let new: NewToken = body_json(body)?;
    let role = Role::parse(&new.role).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "role `{}`: expected viewer, analyst or admin",
            new.role
        ))
    })?;
    if new.name.trim().is_empty() {
        return Err(ApiError::BadRequest("name: must not be empty".into()));
    }
    blocking(move || {
        let _writer = site.write.lock().expect("writer lock");
        let (info, secret) =
            site.pool
                .get()?
                .create_token(role, new.name.trim(), &now().to_string())?;
        let mut body = json!(info);
        body["token"] = json!(secret);
        Ok((StatusCode::CREATED, json_value(&body)).into_response())
    })
    .await
}

async fn revoke_token(p: Principal, Path((ws, id)): Path<(String, i64)>) -> Result<Response> {
    let site = p.site_as(&ws, Role::Admin)?.clone();
    blocking(move || {
        let _writer = site.write.lock().expect("writer lock");
        if site.pool.get()?.revoke_token(id, &now().to_string())? {
            Ok(json_value(&json!({"revoked": id})))
        } else {
            Err(ApiError::NotFound(format!("no active token {id}")))
        }
    })
    .await
}
