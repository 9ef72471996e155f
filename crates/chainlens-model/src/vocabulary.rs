//! The shared words of ChainLens — grades, risk levels, sector classes, segments,
//! positions — as one trait, so that the report, the dashboard and the command line
//! read the same key from the same type instead of converting between copies.
//! A key is the value's serde name: what results.json, the store and the API hold.

/// A closed set of named values with stable keys.
pub trait Vocabulary: Copy + Sized + 'static {
    /// Every value, in the type's order (low to high for ordered scales).
    const VALUES: &'static [Self];

    /// The stable key (the serde name) of this value.
    fn key(self) -> &'static str;

    /// The value whose key is `key`, if any.
    fn parse(key: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.key() == key)
    }
}

/// Implements [`Vocabulary`] from a list `Variant => "key"` in the type's order.
macro_rules! vocabulary {
    ($t:ty { $($v:ident => $k:literal),* $(,)? }) => {
        impl $crate::vocabulary::Vocabulary for $t {
            const VALUES: &'static [Self] = &[$(<$t>::$v),*];
            fn key(self) -> &'static str {
                match self { $(Self::$v => $k),* }
            }
        }
    };
}
pub(crate) use vocabulary;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Grade, Position, RiskLevel, SectorClass, Segment};
    use serde::{Serialize, de::DeserializeOwned};

    fn keys_are_serde_names<
        T: Vocabulary + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for &v in T::VALUES {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json.as_str(), Some(v.key()));
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), v);
            assert_eq!(T::parse(v.key()), Some(v));
        }
        assert_eq!(T::parse("no such key"), None);
    }

    #[test]
    fn every_vocabulary_keys_by_its_serde_name() {
        keys_are_serde_names::<Grade>();
        keys_are_serde_names::<RiskLevel>();
        keys_are_serde_names::<SectorClass>();
        keys_are_serde_names::<Segment>();
        keys_are_serde_names::<Position>();
    }
}
