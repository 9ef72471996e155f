//! A problem found in a data set: which table, which record, which field, and why.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// The most characters of a user's value that a message repeats.
pub const ECHO_CHARS: usize = 80;

/// `value` as a message repeats it: whole when it has at most [`ECHO_CHARS`] characters,
/// otherwise its first `ECHO_CHARS - 1` and `…`, so that a 16 MiB "column name" is not
/// sent back to whoever sent it. Every message that quotes the user's data goes through it.
pub fn echo(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(ECHO_CHARS) {
        None => Cow::Borrowed(value),
        Some(_) => {
            let cut = value
                .char_indices()
                .nth(ECHO_CHARS - 1)
                .map_or(value.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &value[..cut]))
        }
    }
}

/// The tables of a workspace. Each is one CSV file, one JSON file or one sheet of a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Regions,
    Sectors,
    Chains,
    Stages,
    Enterprises,
    EnterpriseYears,
    SupplyLinks,
    Indicators,
    Risks,
}

impl TableKind {
    pub const ALL: [TableKind; 9] = [
        TableKind::Regions,
        TableKind::Sectors,
        TableKind::Chains,
        TableKind::Stages,
        TableKind::Enterprises,
        TableKind::EnterpriseYears,
        TableKind::SupplyLinks,
        TableKind::Indicators,
        TableKind::Risks,
    ];

    /// The table's name: file stem, sheet name and JSON key.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Regions => "regions",
            TableKind::Sectors => "sectors",
            TableKind::Chains => "chains",
            TableKind::Stages => "stages",
            TableKind::Enterprises => "enterprises",
            TableKind::EnterpriseYears => "enterprise_years",
            TableKind::SupplyLinks => "supply_links",
            TableKind::Indicators => "indicators",
            TableKind::Risks => "risks",
        }
    }

    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem in one field of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub table: TableKind,
    /// Index of the record within its table (0-based, in input order).
    pub record: usize,
    /// The field (column) at fault.
    pub field: String,
    pub message: String,
    /// A near-miss id the user probably meant, if there is one.
    pub suggestion: Option<String>,
}

impl Problem {
    pub fn new(table: TableKind, record: usize, field: &str, message: impl Into<String>) -> Self {
        Problem {
            table,
            record,
            field: field.to_owned(),
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn with_suggestion(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} record {}: {}: {}",
            self.table,
            self.record + 1,
            echo(&self.field),
            self.message
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{}`?)", echo(s))?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `wanted`, if it is close enough to be a likely typo
/// (normalised Damerau–Levenshtein similarity ≥ 0.75, or one edit for short ids), compared
/// without case.
///
/// One pass over the candidates, O(n·m²) for n candidates of length m at worst, but two
/// exact filters skip almost every candidate before the distance is computed. Being close
/// means a distance d ≤ d_max = max(1, ⌊max length / 4⌋). The distance is at least the
/// difference of the lengths, and at least the larger of the two one-sided differences of
/// the letter multisets (an edit changes at most one letter on each side; a transposition
/// none): a candidate whose bound exceeds d_max cannot be close. The letter bound is O(m)
/// without allocation for ASCII ids (the common case); other ids skip it.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_len = wanted_lower.chars().count();
    let wanted_ascii = wanted_lower
        .is_ascii()
        .then(|| letter_counts(&wanted_lower));
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        // An ASCII id keeps its length in lower case; any other is lowered first.
        let (c_lower, c_len) = if c.is_ascii() {
            (None, c.len())
        } else {
            let lower = c.to_lowercase();
            let len = lower.chars().count();
            (Some(lower), len)
        };
        let d_max = (wanted_len.max(c_len) / 4).max(1);
        if c_len.abs_diff(wanted_len) > d_max {
            continue;
        }
        if let Some(counts) = &wanted_ascii
            && c_lower.is_none()
            && letter_bound(counts, c) > d_max
        {
            continue;
        }
        let c_lower = c_lower.unwrap_or_else(|| c.to_ascii_lowercase());
        let sim = strsim::normalized_damerau_levenshtein(&wanted_lower, &c_lower);
        let close = sim >= 0.75 || strsim::damerau_levenshtein(&wanted_lower, &c_lower) <= 1;
        // Ties go to the alphabetically first candidate, so the suggestion does not depend
        // on the caller's iteration order.
        if close && best.is_none_or(|(s, b)| sim > s || (sim == s && c < b)) {
            best = Some((sim, c));
        }
    }
    best.map(|(_, c)| c.to_owned())
}

/// How often each ASCII byte occurs in `lower` (already in lower case).
fn letter_counts(lower: &str) -> [i32; 128] {
    let mut counts = [0; 128];
    for b in lower.bytes() {
        counts[b as usize] += 1;
    }
    counts
}

/// A lower bound of the edit distance between the ASCII word counted in `wanted` and the
/// ASCII `candidate`, compared without case: the larger one-sided multiset difference.
fn letter_bound(wanted: &[i32; 128], candidate: &str) -> usize {
    let mut diff = *wanted;
    for b in candidate.bytes() {
        diff[b.to_ascii_lowercase() as usize] -= 1;
    }
    let (only_wanted, only_candidate) = diff.iter().fold((0, 0), |(w, c), &d| {
        if d > 0 {
            (w + d as usize, c)
        } else {
            (w, c + (-d) as usize)
        }
    });
    only_wanted.max(only_candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let ids = ["hangzhou", "ningbo", "wenzhou", "taizhou"];
        assert_eq!(suggest("hangzou", ids), Some("hangzhou".into()));
        assert_eq!(suggest("Ningbo", ids), Some("ningbo".into()));
        assert_eq!(suggest("beijing", ids), None);
    }

    /// The filters are exact: on random near and far ids the suggestion equals the one found
    /// by computing every distance.
    #[test]
    fn filters_change_no_suggestion() {
        fn brute(wanted: &str, candidates: &[&str]) -> Option<String> {
            let w = wanted.to_lowercase();
            let mut best: Option<(f64, &str)> = None;
            for &c in candidates {
                let l = c.to_lowercase();
                let sim = strsim::normalized_damerau_levenshtein(&w, &l);
                let close = sim >= 0.75 || strsim::damerau_levenshtein(&w, &l) <= 1;
                if close && best.is_none_or(|(s, b)| sim > s || (sim == s && c < b)) {
                    best = Some((sim, c));
                }
            }
            best.map(|(_, c)| c.to_owned())
        }
        let mut rng = crate::rng::Rng::new(5);
        let alphabet: Vec<char> = "abcAB01杭州".chars().collect();
        let mut word = |len: usize| -> String {
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        };
        let owned: Vec<String> = (0..400).map(|i| word(1 + i % 9)).collect();
        let candidates: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut found = 0;
        for i in 0..400 {
            let wanted = word(1 + i % 9);
            let expected = brute(&wanted, &candidates);
            found += expected.is_some() as usize;
            assert_eq!(
                suggest(&wanted, candidates.iter().copied()),
                expected,
                "{wanted}"
            );
        }
        assert!(
            found > 50,
            "too few near misses to test the filters: {found}"
        );
    }

    #[test]
    fn echoed_values_are_cut_to_80_characters() {
        assert_eq!(echo("hangzhou"), "hangzhou");
        let exact = "é".repeat(ECHO_CHARS);
        assert_eq!(echo(&exact), exact.as_str());
        let long = format!("{exact}x");
        let cut = echo(&long);
        assert_eq!(cut.chars().count(), ECHO_CHARS);
        assert!(cut.ends_with("é…"), "{cut}");
    }

    #[test]
    fn table_names_round_trip() {
        for t in TableKind::ALL {
            assert_eq!(TableKind::from_name(t.name()), Some(t));
        }
        assert_eq!(TableKind::from_name("nope"), None);
    }
}
