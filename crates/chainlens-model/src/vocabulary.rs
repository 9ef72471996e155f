//! The shared words of ChainLens — grades, risk levels, sector classes, segments,
//! positions, alert statuses and actions — as one trait, so that the command line, the
//! report, the workbook and the dashboard read the same key, the same English and
//! Chinese word and the same colour from the same type instead of converting between
//! copies. A key is the value's serde name: what results.json, the store and the API hold.
//!
//! Colours are colour-blind safe. The ordered scales (grades, risk levels, alert
//! statuses) take ColorBrewer's diverging RdYlBu-5 (Brewer & Harrower 2003; marked
//! safe for the common colour-vision deficiencies): red is bad, blue is good, so a low
//! grade and a high risk share a colour. The unordered sets (sector classes,
//! segments, positions, actions) take the Okabe–Ito palette (Okabe & Ito 2008).
//! [`ink_on`] picks black or white text for a fill by its WCAG relative luminance.

use serde::{Deserialize, Serialize};

/// The language of every label: English or Chinese (simplified).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Both languages, in the order of [`Vocabulary::words`].
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag (`en`, `zh-CN`), for HTML and number formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// English or Chinese, whichever this is.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// ColorBrewer RdYlBu-5, bad to good.
pub const SCALE5: [&str; 5] = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"];

/// Okabe–Ito, without black: orange, sky blue, bluish green, yellow, blue, vermillion,
/// reddish purple, grey.
pub const QUALITATIVE: [&str; 8] = [
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
];

/// A closed set of named values with stable keys, words in both languages and a colour.
pub trait Vocabulary: Copy + Sized + 'static {
    /// Every value, in the type's order (low to high for ordered scales).
    const VALUES: &'static [Self];

    /// The stable key (the serde name) of this value.
    fn key(self) -> &'static str;

    /// The word for this value in English and in Chinese.
    fn words(self) -> [&'static str; 2];

    /// The fill colour (`#rrggbb`) wherever this value is drawn.
    fn colour(self) -> &'static str;

    /// The word for this value in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        let [en, zh] = self.words();
        lang.pick(en, zh)
    }

    /// Black or white, whichever reads on [`Vocabulary::colour`].
    fn ink(self) -> &'static str {
        ink_on(self.colour())
    }

    /// The value whose key is `key`, if any.
    fn parse(key: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.key() == key)
    }

    /// Every key, in the type's order (for suggestions and messages).
    fn keys() -> Vec<&'static str> {
        Self::VALUES.iter().map(|v| v.key()).collect()
    }
}

/// `#000000` or `#ffffff`, whichever contrasts more with the fill `#rrggbb` (WCAG 2.1
/// relative luminance; the crossover is at L = 0.179). Unparsable fills get black.
pub fn ink_on(fill: &str) -> &'static str {
    let channel = |k: usize| {
        let c = fill
            .get(1 + 2 * k..3 + 2 * k)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(1.0, |v| f64::from(v) / 255.0);
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
    if l > 0.179 { "#000000" } else { "#ffffff" }
}

/// Implements [`Vocabulary`] from a list `Variant => ("key", "English", "中文", colour)`
/// in the type's order.
macro_rules! vocabulary {
    ($t:ty { $($v:ident => ($k:literal, $en:literal, $zh:literal, $c:expr)),* $(,)? }) => {
        impl $crate::vocabulary::Vocabulary for $t {
            const VALUES: &'static [Self] = &[$(<$t>::$v),*];
            fn key(self) -> &'static str {
                match self { $(Self::$v => $k),* }
            }
            fn words(self) -> [&'static str; 2] {
                match self { $(Self::$v => [$en, $zh]),* }
            }
            fn colour(self) -> &'static str {
                match self { $(Self::$v => $c),* }
            }
        }
    };
}
pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AlertAction, AlertStatus, Grade, Position, RiskLevel, SectorClass, Segment};
    use serde::{Serialize, de::DeserializeOwned};

    fn keys_are_serde_names<
        T: Vocabulary + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for &v in T::VALUES {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json.as_str(), Some(v.key()));
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), v);
            assert_eq!(T::parse(v.key()), Some(v));
            let [en, zh] = v.words();
            assert!(!en.is_empty() && zh.chars().all(|c| !c.is_ascii()), "{zh}");
            assert!(v.colour().starts_with('#') && v.colour().len() == 7);
        }
        assert_eq!(T::parse("no such key"), None);
        assert_eq!(T::keys().len(), T::VALUES.len());
    }

    #[test]
    fn every_vocabulary_keys_by_its_serde_name() {
        keys_are_serde_names::<Grade>();
        keys_are_serde_names::<RiskLevel>();
        keys_are_serde_names::<SectorClass>();
        keys_are_serde_names::<Segment>();
        keys_are_serde_names::<Position>();
        keys_are_serde_names::<AlertStatus>();
        keys_are_serde_names::<AlertAction>();
    }

    #[test]
    fn grades_follow_the_paper_and_run_from_red_to_blue() {
        let zh: Vec<_> = Grade::VALUES.iter().map(|g| g.label(Lang::Zh)).collect();
        assert_eq!(zh, ["低", "较弱", "中等", "较强", "高"]);
        let colours: Vec<_> = Grade::VALUES.iter().map(|g| g.colour()).collect();
        assert_eq!(colours, SCALE5);
        // A high risk is drawn like a low grade: red means bad on every chart.
        assert_eq!(RiskLevel::High.colour(), Grade::Low.colour());
        assert_eq!(RiskLevel::Low.colour(), Grade::Strong.colour());
    }

    #[test]
    fn ink_contrasts_with_its_fill() {
        assert_eq!(ink_on("#ffffff"), "#000000");
        assert_eq!(ink_on("#000000"), "#ffffff");
        // RdYlBu's blue sits just past the crossover (black 4.6:1, white 4.5:1).
        assert_eq!(ink_on(Grade::High.colour()), "#000000");
        assert_eq!(ink_on(Grade::Medium.colour()), "#000000");
        assert_eq!(ink_on(Grade::Low.colour()), "#ffffff");
    }

    #[test]
    fn lang_serialises_in_lower_case() {
        assert_eq!(serde_json::to_string(&Lang::Zh).unwrap(), "\"zh\"");
        assert_eq!(Lang::Zh.tag(), "zh-CN");
    }
}
