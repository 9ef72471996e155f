//! The workspace store: one SQLite file (`chainlens.db`) per workspace.
//!
//! - Schema versioned by `PRAGMA user_version`; [`MIGRATIONS`] are applied in order, each
//!   in its own transaction, when the store is opened.
//! - WAL journal (readers never block the writer), `synchronous = FULL`, foreign keys on,
//!   a busy timeout for concurrent access.
//! - [`Store::import`] replaces the whole content in ONE transaction: an import that
//!   fails, or a process killed in the middle, leaves the previous content intact
//!   (SQLite rolls an unfinished transaction back the next time the file is opened).

use crate::{Error, Result};
use chainlens_model::{
    Chain, Dataset, Enterprise, IndicatorValue, Region, Risk, Sector, SupplyLink,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

pub mod alerts;
pub mod tokens;

/// Schema migrations, in order; migration k brings `user_version` from k to k + 1.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_workspace.sql"),
    include_str!("migrations/0002_alerts.sql"),
    include_str!("migrations/0003_tokens.sql"),
];

/// Records per table, as `chainlens info` reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Counts {
    pub regions: usize,
    pub sectors: usize,
    pub chains: usize,
    pub stages: usize,
    pub enterprises: usize,
    pub supply_links: usize,
    pub indicator_values: usize,
    pub risks: usize,
}

impl std::fmt::Display for Counts {
    /// `18 regions, 3 chains (26 stages), 258 enterprises, …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} regions, {} sectors, {} chains ({} stages), {} enterprises, {} supply links, {} indicator values, {} risks",
            self.regions,
            self.sectors,
            self.chains,
            self.stages,
            self.enterprises,
            self.supply_links,
            self.indicator_values,
            self.risks
        )
    }
}

impl Counts {
    pub fn of(d: &Dataset) -> Counts {
        Counts {
            regions: d.regions.len(),
            sectors: d.sectors.len(),
            chains: d.chains.len(),
            stages: d.stage_count(),
            enterprises: d.enterprises.len(),
            supply_links: d.supply_links.len(),
            indicator_values: d.indicators.len(),
            risks: d.risks.len(),
        }
    }
}

/// One completed import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub imported_at: String,
    pub digest: String,
    pub chainlens_version: String,
    pub counts: Counts,
}

/// Progress of an import: `table` is being written, `done` of `total` records so far.
#[derive(Debug, Clone, Copy)]
pub struct ImportProgress<'a> {
    pub table: &'a str,
    pub done: usize,
    pub total: usize,
}

pub struct Store {
    path: PathBuf,
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) and migrates the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let err = |source| Error::Store {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        let mut store = Store {
            path: path.to_owned(),
            conn,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing store for reading only (`info`, `alert list`, `report`): never
    /// created, migrated or written, so a read-only workspace can still be read.
    ///
    /// First opened with SQLite's `mode=ro`, which still needs to create the WAL index
    /// (`-shm`) beside the file; when that fails (the folder is not writable:
    /// `SQLITE_READONLY_DIRECTORY`, `SQLITE_CANTOPEN`), opened again with `immutable=1`,
    /// which reads the database file alone and takes no locks. A store is closed
    /// checkpointed (SQLite folds the WAL back into the file when the last connection
    /// closes), so the file alone is its content, unless a writer was killed and left a
    /// `-wal` behind: reading that needs a writable folder, and the error says so.
    /// A store older than this ChainLens (not migrated yet) is an error that says to
    /// import it ([`Error::StoreTooOld`]); a newer one is [`Error::StoreTooNew`].
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let err = |source| Error::Store {
            path: path.to_owned(),
            source,
        };
        let first = Self::open_uri(path, "mode=ro");
        let store = match first {
            Ok(store) => store,
            Err(first) => Self::open_uri(path, "mode=ro&immutable=1").map_err(|_| err(first))?,
        };
        let found = store.schema_version()?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(Error::StoreTooNew {
                path: path.to_owned(),
                found,
                supported,
            });
        }
        if found < supported {
            return Err(Error::StoreTooOld {
                path: path.to_owned(),
                found,
                supported,
            });
        }
        Ok(store)
    }

    /// Opens `path` read-only with URI parameters `query`, and reads from it once (SQLite
    /// opens lazily: a missing `-shm` shows only at the first read).
    fn open_uri(path: &Path, query: &str) -> std::result::Result<Store, rusqlite::Error> {
        use rusqlite::OpenFlags;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let mut uri = String::from("file:");
        for c in absolute.to_string_lossy().chars() {
            match c {
                '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
                c => uri.push(c),
            }
        }
        uri.push('?');
        uri.push_str(query);
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(Store {
            path: path.to_owned(),
            conn,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for the store modules of other capabilities.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn sql_error(&self, source: rusqlite::Error) -> Error {
        Error::Store {
            path: self.path.clone(),
            source,
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let current = self.schema_version()?;
        let supported = MIGRATIONS.len() as i64;
        if current > supported {
            return Err(Error::StoreTooNew {
                path: self.path.clone(),
                found: current,
                supported,
            });
        }
        for (k, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let path = self.path.clone();
            let err = |source| Error::Store {
                path: path.clone(),
                source,
            };
            let tx = self.conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", k as i64 + 1)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }

    /// Replaces the store's content with `data` in one transaction.
    pub fn import(
        &mut self,
        data: &Dataset,
        digest: &str,
        imported_at: &str,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportRecord> {
        let path = self.path.clone();
        let err = |source| Error::Store {
            path: path.clone(),
            source,
        };
        let counts = Counts::of(data);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        // Children first, for the foreign keys.
        for table in [
            "supply_links",
            "indicators",
            "enterprises",
            "risks",
            "chains",
            "sectors",
            "regions",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .map_err(err)?;
        }
        fn json<T: Serialize>(v: &T) -> String {
            serde_json::to_string(v).expect("model records serialise")
        }
        {
            let mut step = |table: &str, done: usize, total: usize| {
                if done.is_multiple_of(1000) || done == total {
                    progress(ImportProgress { table, done, total });
                }
            };
            let mut st = tx
                .prepare("INSERT INTO regions (id, ord, parent, record) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err)?;
            for (i, r) in data.regions.iter().enumerate() {
                st.execute(params![r.id, i as i64, r.parent, json(r)])
                    .map_err(err)?;
                step("regions", i + 1, data.regions.len());
            }
            let mut st = tx
                .prepare("INSERT INTO sectors (id, ord, record) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (i, s) in data.sectors.iter().enumerate() {
                st.execute(params![s.id, i as i64, json(s)]).map_err(err)?;
                step("sectors", i + 1, data.sectors.len());
            }
            let mut st = tx
                .prepare("INSERT INTO chains (id, ord, record) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (i, c) in data.chains.iter().enumerate() {
                st.execute(params![c.id, i as i64, json(c)]).map_err(err)?;
                step("chains", i + 1, data.chains.len());
            }
            let mut st = tx
                .prepare(
                    "INSERT INTO enterprises (id, ord, region, record) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for (i, e) in data.enterprises.iter().enumerate() {
                st.execute(params![e.id, i as i64, e.region, json(e)])
                    .map_err(err)?;
                step("enterprises", i + 1, data.enterprises.len());
            }
            let mut st = tx
                .prepare("INSERT INTO supply_links (ord, supplier, buyer, chain, record) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(err)?;
            for (i, l) in data.supply_links.iter().enumerate() {
                st.execute(params![i as i64, l.supplier, l.buyer, l.chain, json(l)])
                    .map_err(err)?;
                step("supply_links", i + 1, data.supply_links.len());
            }
            let mut st = tx
                .prepare("INSERT INTO indicators (region, year, indicator, ord, record) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(err)?;
            for (i, v) in data.indicators.iter().enumerate() {
                st.execute(params![v.region, v.year, v.indicator, i as i64, json(v)])
                    .map_err(err)?;
                step("indicators", i + 1, data.indicators.len());
            }
            let mut st = tx
                .prepare("INSERT INTO risks (id, ord, record) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (i, r) in data.risks.iter().enumerate() {
                st.execute(params![r.id, i as i64, json(r)]).map_err(err)?;
                step("risks", i + 1, data.risks.len());
            }
        }
        let version = env!("CARGO_PKG_VERSION");
        tx.execute(
            "INSERT INTO imports (imported_at, digest, chainlens_version, counts) VALUES (?1, ?2, ?3, ?4)",
            params![imported_at, digest, version, json(&counts)],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(err)?;
        Ok(ImportRecord {
            id,
            imported_at: imported_at.to_owned(),
            digest: digest.to_owned(),
            chainlens_version: version.to_owned(),
            counts,
        })
    }

    /// The most recent import, if any.
    pub fn last_import(&self) -> Result<Option<ImportRecord>> {
        self.conn
            .query_row(
                "SELECT id, imported_at, digest, chainlens_version, counts FROM imports ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    let counts: String = r.get(4)?;
                    Ok(ImportRecord {
                        id: r.get(0)?,
                        imported_at: r.get(1)?,
                        digest: r.get(2)?,
                        chainlens_version: r.get(3)?,
                        counts: serde_json::from_str(&counts).unwrap_or_default(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    fn records<T: DeserializeOwned>(&self, table: &str) -> Result<Vec<T>> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT record FROM {table} ORDER BY ord"))
            .map_err(|e| self.sql_error(e))?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let text = row.map_err(|e| self.sql_error(e))?;
            out.push(serde_json::from_str(&text).map_err(|e| Error::Write {
                path: self.path.clone(),
                message: format!("corrupt record in table {table}: {e}"),
            })?);
        }
        Ok(out)
    }

    /// The imported data set, as it was imported.
    pub fn load_dataset(&self) -> Result<Dataset> {
        Ok(Dataset {
            regions: self.records::<Region>("regions")?,
            sectors: self.records::<Sector>("sectors")?,
            chains: self.records::<Chain>("chains")?,
            enterprises: self.records::<Enterprise>("enterprises")?,
            // Not stored: the index derives from the workspace's files, not the store.
            enterprise_years: Vec::new(),
            supply_links: self.records::<SupplyLink>("supply_links")?,
            indicators: self.records::<IndicatorValue>("indicators")?,
            risks: self.records::<Risk>("risks")?,
        })
    }

    /// `PRAGMA integrity_check` passed.
    pub fn is_intact(&self) -> Result<bool> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        Ok(verdict == "ok")
    }
}

/// The current time, read from the system clock (the only place ChainLens reads it;
/// analyses take the time as an argument).
pub fn now() -> chainlens_model::Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chainlens_model::Timestamp(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_store_and_refuses_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        store
            .connection()
            .pragma_update(None, "user_version", 999)
            .unwrap();
        drop(store);
        assert!(matches!(
            Store::open(&path),
            Err(Error::StoreTooNew { found: 999, .. })
        ));
    }
}
