//! Access tokens of the server (table `tokens`, migration 0003).
//!
//! A token is `clt_` followed by 64 hex digits: 32 bytes from the operating system's
//! random source (`/dev/urandom`), so guessing one is hopeless. Only its SHA-256 is
//! stored; the secret is returned once, by [`Store::create_token`], and a request's token
//! is found by its hash ([`Store::token_by_hash`]), so the store never holds anything
//! that would let a reader of the file use a token. A token belongs to the workspace
//! whose store holds it, with one [`Role`].

use super::Store;
use crate::{Error, Result};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;

/// The prefix of every token, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "clt_";

/// What a token may do, each role including the ones below it: viewers read; analysts
/// also run analyses and handle alerts; admins also manage tokens and import data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Analyst,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored token: everything but the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub role: Role,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The lowercase hex SHA-256 of a token's text: what the store keeps and compares.
pub fn token_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new token's text: [`TOKEN_PREFIX`] and 32 random bytes in hex.
fn new_secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(std::iter::once(TOKEN_PREFIX.to_owned())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect())
}

fn token_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, String, String, String, Option<String>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

impl Store {
    fn token_info(
        &self,
        (id, role, name, created_at, revoked_at): (i64, String, String, String, Option<String>),
    ) -> Result<TokenInfo> {
        let role = Role::parse(&role).ok_or_else(|| Error::Write {
            path: self.path.clone(),
            message: format!("corrupt token record {id}: role `{role}`"),
        })?;
        Ok(TokenInfo {
            id,
            role,
            name,
            created_at,
            revoked_at,
        })
    }

    /// Creates a token for `name` with `role` at `now` (RFC 3339); returns its record and
    /// its secret, which is not stored and cannot be recovered.
    pub fn create_token(
        &mut self,
        role: Role,
        name: &str,
        now: &str,
    ) -> Result<(TokenInfo, String)> {
        let secret = new_secret().map_err(|e| Error::io("/dev/urandom", e))?;
        self.conn
            .execute(
                "INSERT INTO tokens (hash, role, name, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash(&secret), role.as_str(), name, now],
            )
            .map_err(|e| self.sql_error(e))?;
        let info = TokenInfo {
            id: self.conn.last_insert_rowid(),
            role,
            name: name.to_owned(),
            created_at: now.to_owned(),
            revoked_at: None,
        };
        Ok((info, secret))
    }

    /// Every token, revoked ones too, oldest first.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let mut st = self
            .conn
            .prepare("SELECT id, role, name, created_at, revoked_at FROM tokens ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let rows = st
            .query_map([], token_row)
            .map_err(|e| self.sql_error(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_error(e))?;
        rows.into_iter().map(|r| self.token_info(r)).collect()
    }

    /// The unrevoked token whose secret has this hash ([`token_hash`]).
    pub fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, role, name, created_at, revoked_at FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
            )
            .and_then(|mut st| st.query_row([hash], token_row).optional())
            .map_err(|e| self.sql_error(e))?;
        row.map(|r| self.token_info(r)).transpose()
    }

    /// Revokes token `id` at `now`; false if there is no such unrevoked token.
    pub fn revoke_token(&mut self, id: i64, now: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                params![now, id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_found_by_its_hash_until_revoked_and_its_secret_is_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::open(&path).unwrap();
        let (info, secret) = store
            .create_token(Role::Analyst, "li", "2026-11-22T08:00:00Z")
            .unwrap();
        assert!(secret.starts_with("clt_"));
        assert_eq!(secret.len(), 4 + 64);
        let found = store.token_by_hash(&token_hash(&secret)).unwrap().unwrap();
        assert_eq!(found, info);
        assert_eq!(found.role, Role::Analyst);
        assert!(
            store
                .token_by_hash(&token_hash("clt_00"))
                .unwrap()
                .is_none()
        );
        drop(store);
        let bytes = std::fs::read(&path).unwrap();
        let hex = secret.strip_prefix("clt_").unwrap();
        assert!(!bytes.windows(hex.len()).any(|w| w == hex.as_bytes()));

        let mut store = Store::open(&path).unwrap();
        assert!(store.revoke_token(info.id, "2026-11-23T08:00:00Z").unwrap());
        assert!(!store.revoke_token(info.id, "2026-11-23T08:00:00Z").unwrap());
        assert!(store.token_by_hash(&token_hash(&secret)).unwrap().is_none());
        let all = store.tokens().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].revoked_at.as_deref(), Some("2026-11-23T08:00:00Z"));
    }

    #[test]
    fn two_tokens_differ() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let (_, a) = store
            .create_token(Role::Viewer, "a", "2026-11-22T08:00:00Z")
            .unwrap();
        let (_, b) = store
            .create_token(Role::Viewer, "b", "2026-11-22T08:00:00Z")
            .unwrap();
        assert_ne!(a, b);
    }
}
