//! A workspace as the analyses see it: the data layer's loaded, validated tables
//! (`chainlens_data::workspace::Workspace`, reached through `Deref`) and the typed
//! [`Settings`] of its analysis sections, both read once by [`Workspace::open`].
//!
//! Opening fails with every problem at once — those of the tables, of the data layer's
//! sections and of the analyses' sections, and the settings' references into the data —
//! so that what `chainlens validate` accepts, `chainlens run` and the server can run.

use crate::settings::Settings;
use chainlens_data::store::{ImportProgress, ImportRecord, Store, now};
use chainlens_data::workspace::CONFIG_FILE;
use chainlens_data::{Error, Limits, Result};
use std::ops::Deref;
use std::path::Path;

/// What [`Workspace::import_if_stale`] found or did.
#[derive(Debug, Clone)]
pub enum Import {
    /// The store already held this input.
    Current(ImportRecord),
    /// The input was imported now.
    Fresh(ImportRecord),
}

impl Import {
    pub fn record(&self) -> &ImportRecord {
        match self {
            Import::Current(r) | Import::Fresh(r) => r,
        }
    }
}

/// A loaded workspace with its settings.
#[derive(Debug, Clone)]
pub struct Workspace {
    loaded: chainlens_data::workspace::Workspace,
    /// The analyses' sections of chainlens.toml, checked.
    pub settings: Settings,
}

impl Deref for Workspace {
    type Target = chainlens_data::workspace::Workspace;

    fn deref(&self) -> &Self::Target {
        &self.loaded
    }
}

impl Workspace {
    /// Loads the workspace in `dir` and reads its settings; every problem is reported at
    /// once ([`Error::Invalid`]).
    pub fn open(dir: &Path) -> Result<Workspace> {
        match chainlens_data::workspace::Workspace::load(dir) {
            Ok(loaded) => {
                let problems = match Settings::read(&loaded.config.text, &loaded.config.limits) {
                    Ok(settings) => {
                        let problems = settings.check_references(&loaded.dataset);
                        if problems.is_empty() {
                            return Ok(Workspace { loaded, settings });
                        }
                        problems
                    }
                    Err(problems) => problems,
                };
                Err(Error::Invalid { problems })
            }
            Err(Error::Invalid { mut problems }) => {
                // The tables have problems; the settings' own are reported beside them
                // when the file is at least valid TOML (else its syntax error is there).
                let path = dir.join(CONFIG_FILE);
                if let Ok(text) = std::fs::read_to_string(&path)
                    && text.parse::<toml::Table>().is_ok()
                {
                    let limits = Limits::around(&path).unwrap_or_default();
                    if let Err(more) = Settings::read(&text, &limits) {
                        problems.extend(more);
                    }
                }
                Err(Error::Invalid { problems })
            }
            Err(other) => Err(other),
        }
    }

    /// The store's copy of this workspace: the last import when it is current (the same
    /// input digest), else a fresh import in one transaction (`progress` per table).
    pub fn import_if_stale(&self, progress: impl FnMut(ImportProgress)) -> Result<Import> {
        let path = self.store_path();
        if path.exists()
            && let Some(last) = Store::open(&path)?.last_import()?
            && last.digest == self.digest
        {
            return Ok(Import::Current(last));
        }
        let mut store = Store::open(&path)?;
        store
            .import(&self.dataset, &self.digest, &now().to_string(), progress)
            .map(Import::Fresh)
    }
}
