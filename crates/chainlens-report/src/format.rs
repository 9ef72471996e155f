//! Numbers and counts as a reader expects them: thousands separators, a fixed number of
//! decimals, units after the number, and "1 firm" / "2 firms" / "2 家企业".

use crate::model::Lang;

/// `v` with `decimals` decimals and a comma between thousands (`12,345.6`); `–` when
/// not finite. Both languages group by thousands (GB/T 15835 allows it for tables).
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let negative = v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    format!(
        "{}{grouped}{}{frac}",
        if negative { "-" } else { "" },
        if frac.is_empty() { "" } else { "." }
    )
}

/// A number followed by its unit (`3.5 days`, `3.5 天`).
pub fn with_unit(v: f64, decimals: usize, unit: &str) -> String {
    format!("{} {unit}", number(v, decimals))
}

/// A count of firms: "1 firm", "2 firms", "2 家企业".
pub fn firms(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 firm".to_owned(),
        (Lang::En, _) => format!("{} firms", number(n as f64, 0)),
        (Lang::Zh, _) => format!("{} 家企业", number(n as f64, 0)),
    }
}

/// An RFC 3339 UTC time (`2026-11-26T23:00:00Z`) as `2026-11-26 23:00 UTC`; other text
/// unchanged.
pub fn datetime(rfc3339: &str) -> String {
    let b = rfc3339.as_bytes();
    let shaped = b.len() >= 17
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':';
    if !shaped || !rfc3339.ends_with('Z') {
        return rfc3339.to_owned();
    }
    format!("{} {} UTC", &rfc3339[..10], &rfc3339[11..16])
}

/// A percentage of a share 0..1 with one decimal (`12.5%`).
pub fn percent(share: f64) -> String {
    format!("{}%", number(share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_the_sign() {
        assert_eq!(number(1234567.891, 2), "1,234,567.89");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1,000");
        assert_eq!(number(-12345.0, 1), "-12,345.0");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(0.30000000000000004, 3), "0.300");
        assert_eq!(number(f64::NAN, 2), "–");
    }

    #[test]
    fn counts_firms_in_words() {
        assert_eq!(firms(Lang::En, 1), "1 firm");
        assert_eq!(firms(Lang::En, 2), "2 firms");
        assert_eq!(firms(Lang::En, 1200), "1,200 firms");
        assert_eq!(firms(Lang::Zh, 38), "38 家企业");
        assert_eq!(with_unit(3.25, 1, "天"), "3.2 天");
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(datetime("2026-11-26T23:00:00Z"), "2026-11-26 23:00 UTC");
        assert_eq!(datetime("tomorrow"), "tomorrow");
    }
}
