//! Who is asking: the bearer token of a request, found by its SHA-256 in the stores of the
//! served workspaces (`chainlens token create` puts it there; the secret itself is stored
//! nowhere), gives the workspace it is for, its role and its holder's name.
//!
//! Rules every handler follows: a token only reaches its own workspace — any other
//! workspace name answers 404, exactly as a workspace that does not exist, so a token
//! cannot even learn which others are served; then the role must be high enough (403).

use crate::error::{ApiError, Result};
use crate::state::{AppState, Site};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chainlens_data::store::tokens::{Role, TOKEN_PREFIX, TokenInfo, token_hash};
use std::sync::Arc;

/// The holder of a valid token.
pub struct Principal {
    pub site: Arc<Site>,
    pub token: TokenInfo,
}

impl Principal {
    /// The token's workspace if it is the one named in the path; 404 otherwise.
    pub fn site(&self, workspace: &str) -> Result<&Arc<Site>> {
        if self.site.name == workspace {
            Ok(&self.site)
        } else {
            Err(ApiError::NotFound(format!("no workspace `{workspace}`")))
        }
    }

    /// The token's workspace, if named in the path and the role is at least `need`.
    pub fn site_as(&self, workspace: &str, need: Role) -> Result<&Arc<Site>> {
        let site = self.site(workspace)?;
        if self.token.role < need {
            return Err(ApiError::Forbidden {
                have: self.token.role.to_string(),
                need: need.to_string(),
            });
        }
        Ok(site)
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && token.starts_with(TOKEN_PREFIX)).then_some(token)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let hash = token_hash(bearer(parts).ok_or(ApiError::Unauthorized)?);
        let sites: Vec<Arc<Site>> = state.sites.values().cloned().collect();
        tokio::task::spawn_blocking(move || {
            for site in sites {
                let found = site.pool.get()?.token_by_hash(&hash)?;
                if let Some(token) = found {
                    return Ok(Principal { site, token });
                }
            }
            Err(ApiError::Unauthorized)
        })
        .await?
    }
}
