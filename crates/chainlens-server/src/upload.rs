//! Replacing one data file of a workspace over HTTP (`PUT /data/{file}`, admins only),
//! validated exactly as `chainlens import` validates it, and nothing half-written:
//!
//! 1. the workspace's chainlens.toml and tables are copied into a scratch folder with the
//!    new file in place of the old, and loaded there with the same loader as `import`
//!    ([`Workspace::open`]); problems answer 400 with the very `file:row:column: field:
//!    reason` lines the CLI prints (paths relative to the workspace) and the workspace
//!    is untouched;
//! 2. otherwise the file is replaced atomically (written beside it, then renamed) and the
//!    workspace re-imported in one transaction and re-analysed.

use crate::auth::Principal;
use crate::blocking;
use crate::error::{ApiError, Result};
use crate::extract::Path;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chainlens_data::store::tokens::Role;
use chainlens_data::workspace::CONFIG_FILE;
use chainlens_data::write::atomic_write;
use chainlens_pipeline::Workspace;
use std::path::{Path as FsPath, PathBuf};

/// The largest upload any served workspace accepts (its `[limits] max_upload_bytes`): the
/// body limit of the upload route, so that no larger body is ever buffered. Each upload is
/// then held to its own workspace's limit.
pub fn largest_limit(state: &AppState) -> usize {
    state
        .sites
        .values()
        .map(|s| s.cache().ws.config.limits.upload_bytes().value)
        .max()
        .unwrap_or(0)
        .try_into()
        .unwrap_or(usize::MAX)
}

fn io(path: &FsPath, e: std::io::Error) -> ApiError {
    ApiError::Internal(format!("{}: {e}", path.display()))
}

/// A scratch copy of the workspace's configuration and tables, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads the workspace at `root` as it would be with `content` as its file `rel`.
fn validate(root: &FsPath, tables: &[PathBuf], rel: &FsPath, content: &[u8]) -> Result<()> {
    let scratch = Scratch(root.join(format!(".chainlens-upload-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let copy = |from: &FsPath, to: &FsPath| -> Result<()> {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        std::fs::copy(from, to).map(drop).map_err(|e| io(from, e))
    };
    copy(&root.join(CONFIG_FILE), &scratch.0.join(CONFIG_FILE))?;
    for t in tables.iter().filter(|t| t.as_path() != rel) {
        if root.join(t).is_file() {
            copy(&root.join(t), &scratch.0.join(t))?;
        }
    }
    let target = scratch.0.join(rel);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    std::fs::write(&target, content).map_err(|e| io(&target, e))?;
    match Workspace::open(&scratch.0) {
        Ok(_) => Ok(()),
        Err(chainlens_data::Error::Invalid { problems }) => Err(ApiError::Invalid {
            problems: problems.iter().map(ToString::to_string).collect(),
        }),
        Err(e) => Err(e.into()),
    }
}

pub async fn upload(
    p: Principal,
    Path((ws, file)): Path<(String, String)>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let site = p.site_as(&ws, Role::Admin)?.clone();
    // The router buffers at most the largest limit of all served workspaces; this
    // workspace's own limit may be lower. Either way the answer names the limit.
    let limit = site.cache().ws.config.limits.upload_bytes();
    let what = format!("the upload of `{}`", chainlens_model::problem::echo(&file));
    let too_large = |e: String| ApiError::Rejected(StatusCode::PAYLOAD_TOO_LARGE, e);
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            too_large(limit.passed(what.clone(), "is more than").to_string())
        }
        status => ApiError::Rejected(status, e.body_text()),
    })?;
    limit
        .check(&what, body.len() as u64)
        .map_err(|e| too_large(e.to_string()))?;
    blocking(move || {
        let _writer = site.write.lock().expect("writer lock");
        let cache = site.cache();
        let tables: Vec<PathBuf> = cache.ws.config.tables.values().cloned().collect();
        let rel = cache
            .ws
            .config
            .tables
            .iter()
            .find(|(kind, path)| {
                kind.name() == file || path.file_name().is_some_and(|n| n == file.as_str())
            })
            .map(|(_, path)| path.clone())
            .ok_or_else(|| {
                let known: Vec<String> = tables
                    .iter()
                    .filter_map(|t| t.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                ApiError::NotFound(format!(
                    "no data file `{file}` in [tables] (known: {})",
                    known.join(", ")
                ))
            })?;
        validate(&site.root, &tables, &rel, &body)?;
        atomic_write(&site.root.join(&rel), &body)?;
        site.refresh()?;
        let counts = chainlens_data::store::Counts::of(&site.cache().ws.dataset);
        Ok(axum::Json(serde_json::json!({ "file": rel, "counts": counts })).into_response())
    })
    .await
}
