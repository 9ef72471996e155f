//! The analysis sections of `chainlens.toml`, typed, read once and checked.
//!
//! The data layer reads what it needs to load the tables (`[workspace]`, `[tables]`,
//! `[[chains]]`, `[limits]`; crate chainlens-data's `workspace`); every other section is
//! owned by an analysis crate, which defines its parameter type and its `check()`
//! (STYLE §4: unchecked parameters in, a validated type out). This module is the one
//! place that deserialises those sections — [`Settings`] holds them all — so a section
//! is either read here or refused as unknown, and `chainlens validate` reports the same
//! problems `chainlens run` would stop at.
//!
//! Each section is deserialised straight from the file's text, so a problem is located
//! at `chainlens.toml:line:column` (an unknown key or value with a "did you mean");
//! problems of different sections are reported together. References from the settings
//! into the data (a scenario's firm, stage or region) are checked against the loaded
//! dataset by [`Settings::check_references`], located by key path
//! (`scenarios[1].shocks[0].firm`).
//!
//! Cost: one parse of the file per section (a few kilobytes), negligible beside the
//! tables.

use crate::plan::PlanSection;
use crate::spatial::SpatialSection;
use chainlens_data::io_tables::Layout;
use chainlens_data::workspace::CONFIG_FILE;
use chainlens_data::{Limits, Located, Location};
use chainlens_model::Dataset;
use chainlens_model::problem::{echo, suggest};
use chainlens_network::NetworkConfig;
use chainlens_resilience::ResilienceConfig;
use chainlens_sim::Scenario;
use chainlens_warning::WarningConfig;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::marker::PhantomData;
use std::path::PathBuf;

/// `[io]`: the workspace's input-output table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IoSection {
    /// File or folder, relative to the workspace.
    pub table: PathBuf,
    /// Omitted: detected from the files.
    #[serde(default)]
    pub layout: Option<Layout>,
}

/// Every analysis section of chainlens.toml, checked; what is left out takes the papers'
/// defaults.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `[io]` (none: no linkage analysis).
    pub io: Option<IoSection>,
    /// `[network]`: the supply-network screens.
    pub network: NetworkConfig,
    /// `[resilience]`: the indicator system and the index pipeline, checked.
    pub resilience: ResilienceConfig,
    /// `[warning]` as written (the risk command reads its matrix alone).
    pub warning_config: WarningConfig,
    /// `[warning]` checked: matrix, response levels, monitoring rules, triggers.
    pub warning: chainlens_warning::config::Settings,
    /// `[[scenarios]]`, each within the workspace's `[limits]`.
    pub scenarios: Vec<Scenario>,
    /// `[spatial]` (none: no spatial statistics).
    pub spatial: Option<SpatialSection>,
    /// `[plan]`: response planning.
    pub plan: PlanSection,
}

impl Settings {
    /// Reads the analysis sections of chainlens.toml's `text`. Every problem found is
    /// returned, located; a section with a problem takes its default so that the other
    /// sections are still checked.
    pub fn read(text: &str, limits: &Limits) -> Result<Settings, Vec<Located>> {
        let mut problems = Vec::new();
        let mut settings = Settings::default();
        if let Some(io) = section::<IoSection>(text, "io", &mut problems) {
            settings.io = Some(io);
        }
        if let Some(network) = section::<NetworkConfig>(text, "network", &mut problems) {
            settings.network = network;
        }
        if let Some(resilience) = section::<ResilienceConfig>(text, "resilience", &mut problems) {
            match resilience.check() {
                Ok(()) => settings.resilience = resilience,
                Err(e) => problems.push(at_key("resilience", e.to_string())),
            }
        }
        if let Some(warning) = section::<WarningConfig>(text, "warning", &mut problems) {
            match warning.clone().check() {
                Ok(checked) => {
                    settings.warning = checked;
                    settings.warning_config = warning;
                }
                Err(e) => problems.push(at_key("warning", e.to_string())),
            }
        }
        if let Some(scenarios) = section::<Vec<Scenario>>(text, "scenarios", &mut problems) {
            let before = problems.len();
            for (k, s) in scenarios.iter().enumerate() {
                check_scenario(k, s, limits, &mut problems);
            }
            if problems.len() == before {
                settings.scenarios = scenarios;
            }
        }
        if let Some(spatial) = section::<SpatialSection>(text, "spatial", &mut problems) {
            match spatial.check() {
                Ok(()) => settings.spatial = Some(spatial),
                Err(e) => problems.push(at_key("spatial", e)),
            }
        }
        if let Some(plan) = section::<PlanSection>(text, "plan", &mut problems) {
            match plan.check() {
                Ok(()) => settings.plan = plan,
                Err(e) => problems.push(at_key("plan", e)),
            }
        }
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems)
        }
    }

    /// The configured scenario called `name`, or why not (with the nearest name).
    pub fn scenario(&self, name: &str) -> Result<&Scenario, String> {
        chainlens_sim::find_scenario(&self.scenarios, name).map_err(|e| e.to_string())
    }

    /// The references from the settings into the data: each scenario shock's firm,
    /// stage (`chain/stage`) or region exists. Located by key path, with a suggestion.
    pub fn check_references(&self, data: &Dataset) -> Vec<Located> {
        let mut problems = Vec::new();
        let known: Vec<String> = data
            .chains
            .iter()
            .flat_map(|c| c.stages.iter().map(move |st| format!("{}/{}", c.id, st.id)))
            .collect();
        for (k, s) in self.scenarios.iter().enumerate() {
            for (j, shock) in s.shocks.iter().enumerate() {
                let key = |field: &str| format!("scenarios[{k}].shocks[{j}].{field}");
                if let Some(firm) = &shock.firm
                    && !data.enterprises.iter().any(|e| &e.id == firm)
                {
                    problems.push(Located {
                        suggestion: suggest(firm, data.enterprises.iter().map(|e| e.id.as_str())),
                        ..at_key(&key("firm"), format!("unknown firm `{}`", echo(firm)))
                    });
                }
                if let Some(region) = &shock.region
                    && data.region(region).is_none()
                {
                    problems.push(Located {
                        suggestion: suggest(region, data.regions.iter().map(|r| r.id.as_str())),
                        ..at_key(&key("region"), format!("unknown region `{}`", echo(region)))
                    });
                }
                if let Some(stage) = &shock.stage
                    && !known.iter().any(|s| s == stage)
                {
                    problems.push(Located {
                        suggestion: suggest(stage, known.iter().map(String::as_str)),
                        ..at_key(
                            &key("stage"),
                            format!("unknown stage `{}` (written chain/stage)", echo(stage)),
                        )
                    });
                }
            }
        }
        problems
    }
}

/// A scenario's own consistency and its size against `[limits]`: `days` at most
/// `max_days`, Monte Carlo `trials` at most `max_draws` and `shock_days` at most
/// `max_days`, so that no run is started that would take hours or gigabytes.
fn check_scenario(k: usize, s: &Scenario, limits: &Limits, problems: &mut Vec<Located>) {
    let name = echo(&s.name);
    let key = format!("scenarios[{k}]");
    if let Err(e) = s.config() {
        problems.push(at_key(&key, format!("scenario `{name}`: {e}")));
    }
    for (j, shock) in s.shocks.iter().enumerate() {
        if let Err(e) = shock.target() {
            problems.push(at_key(&format!("{key}.shocks[{j}]"), e.to_string()));
        }
    }
    let days = limits.days();
    let draws = limits.draws();
    let mut checks = vec![(days, "days", s.days)];
    if let Some(mc) = &s.monte_carlo {
        checks.push((draws, "monte_carlo.trials", Some(mc.trials)));
        checks.push((days, "monte_carlo.shock_days", mc.shock_days));
    }
    for (bound, field, value) in checks {
        if let Some(v) = value
            && let Err(e) = bound.check(format_args!("scenario `{name}`: {field} = {v}"), v as u64)
        {
            problems.push(at_key(&format!("{key}.{field}"), e.to_string()));
        }
    }
}

fn at_key(path: &str, message: impl Into<String>) -> Located {
    Located {
        file: CONFIG_FILE.into(),
        location: Location::Key { path: path.into() },
        field: None,
        message: message.into(),
        suggestion: None,
    }
}

/// Deserialises the top-level `key` of the TOML document `text` (none when absent); a
/// problem is pushed, located at its line and column, and the section is skipped.
fn section<T: DeserializeOwned>(
    text: &str,
    key: &'static str,
    problems: &mut Vec<Located>,
) -> Option<T> {
    let pick = Pick::<T> {
        key,
        value: PhantomData,
    };
    let result = toml::de::Deserializer::parse(text).and_then(|d| pick.deserialize(d));
    match result {
        Ok(v) => v,
        Err(e) => {
            problems.push(located(text, key, &e));
            None
        }
    }
}

/// A serde error of section `key`, at its line and column in `text`, with a "did you
/// mean" when serde names the expected keys or values.
fn located(text: &str, key: &str, e: &toml::de::Error) -> Located {
    let location = match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            let column = text[..start][text[..start].rfind('\n').map_or(0, |p| p + 1)..]
                .chars()
                .count()
                + 1;
            Location::Cell {
                row: line,
                column: Some(column),
            }
        }
        None => Location::Key { path: key.into() },
    };
    let message = e.message().trim().to_owned();
    Located {
        file: CONFIG_FILE.into(),
        location,
        field: None,
        suggestion: did_you_mean(&message),
        message: format!("[{key}]: {message}"),
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant …",
/// "expected `a` or `b`"), the expected name closest to `x`.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))?;
    let mut quoted = rest.split('`').skip(1).step_by(2);
    let wanted = quoted.next()?;
    let expected: Vec<&str> = quoted.collect();
    suggest(wanted, expected)
}

/// Picks one key out of the top-level table, ignoring the others (each is read by its
/// own owner), keeping the deserializer's spans.
struct Pick<T> {
    key: &'static str,
    value: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Pick<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Pick<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a TOML document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if k == self.key {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match Settings::read(text, &Limits::default()) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn nothing_given_is_the_papers_defaults() {
        let s = Settings::read("[workspace]\nname = \"x\"\n", &Limits::default()).unwrap();
        assert!(s.io.is_none() && s.spatial.is_none() && s.scenarios.is_empty());
        assert_eq!(s.resilience, ResilienceConfig::default());
        assert_eq!(s.warning.rules.len(), 5);
    }

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let text = "[workspace]\nname = \"x\"\n\n[network]\nhot_spot_hih = 0.3\n";
        let p = problems(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("chainlens.toml:5:1: [network]: unknown field `hot_spot_hih`"),
            "{}",
            p[0]
        );
        assert!(p[0].ends_with("(did you mean `hot_spot_hhi`?)"), "{}", p[0]);
    }

    #[test]
    fn problems_of_several_sections_come_together() {
        let text = "[network]\ntop = \"ten\"\n\n[[scenarios]]\nname = \"s\"\nshocks = []\ndays = 100000\n\n[spatial]\ngeojson = \"m.geojson\"\nknn = 3\ncontiguity = \"queen\"\n";
        let p = problems(text);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].starts_with("chainlens.toml:2:7: [network]: invalid type"),
            "{}",
            p[0]
        );
        assert!(
            p[1].starts_with("chainlens.toml:scenarios[0].days: scenario `s`: days = 100000"),
            "{}",
            p[1]
        );
        assert!(p[2].contains("spatial"), "{}", p[2]);
    }

    #[test]
    fn a_misspelt_value_suggests_the_variant() {
        let text = "[resilience]\naggregation = \"topsys\"\n";
        let p = problems(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("chainlens.toml:2:15: [resilience]: unknown variant `topsys`"),
            "{}",
            p[0]
        );
        assert!(p[0].ends_with("(did you mean `topsis`?)"), "{}", p[0]);
    }

    #[test]
    fn a_shock_needs_exactly_one_target() {
        let text = "[[scenarios]]\nname = \"s\"\n[[scenarios.shocks]]\nfirm = \"a\"\nregion = \"b\"\nshare = 0.5\nstart = 0\ndays = 3\n";
        let p = problems(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("chainlens.toml:scenarios[0].shocks[0]: "),
            "{}",
            p[0]
        );
    }

    #[test]
    fn a_checked_section_with_a_bad_value_is_refused() {
        let text =
            "[warning.matrix]\nkind = \"score\"\nformula = \"product\"\nhigh = 0.2\nmedium = 0.5\n";
        let p = problems(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("chainlens.toml:warning: "), "{}", p[0]);
    }
}
