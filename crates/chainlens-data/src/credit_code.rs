//! The unified social credit code (统一社会信用代码, GB 32100-2015): the 18-character
//! identity of every Chinese legal person and other organisation, printed on business
//! licences and in every registry export.
//!
//! Layout (positions 1-based):
//!
//! | positions | content |
//! |---|---|
//! | 1 | registration authority (登记管理部门代码), e.g. `9` = market regulation (工商) |
//! | 2 | entity type within that authority, e.g. `1` = enterprise |
//! | 3–8 | administrative division of the registering authority (GB/T 2260, six digits) |
//! | 9–17 | organisation code (组织机构代码, GB 11714): eight body characters and its own check |
//! | 18 | check character over positions 1–17 |
//!
//! Characters come from the 31-letter alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O,
//! Z, S, V, which read like 1, 0, 2, 5, U), valued 0..30 in that order. With weights
//! w_i = 3^(i−1) mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
//! the check character has the value `31 − (Σ_{i=1..17} c_i·w_i mod 31)`, where 31 is
//! written as `0`. Because 31 is prime and no weight is 0 mod 31, a change of any single
//! character changes the sum and is always caught (`tests::every_single_character_change_is_caught`
//! tries all 17 × 30 + 30 of them on one code); so is every swap of two different adjacent
//! characters, as consecutive weights differ.
//!
//! The organisation code inside (positions 9–17) has its own check (GB 11714-1997: weights
//! 3, 7, 9, 10, 5, 8, 4, 2 over eight characters valued 0–9, A=10 … Z=35; check
//! `11 − (Σ mod 11)`, 10 written `X`, 11 written `0`). [`CreditCode::organisation_code_valid`]
//! computes it, but [`CreditCode::parse`] does **not** refuse a code on it: the check
//! character already covers positions 9–17, so a typing error is caught without it, and a
//! code whose check character is right but whose organisation part is not is how the issuing
//! authority wrote it — refusing it would refuse a real firm.
//!
//! Positions 1–2 are taken from the alphabet (the standard allows letters there, e.g. `N`
//! for agricultural authorities, `Y` for others); positions 3–8 must be digits.
//! python-stdnum 2.2 (`stdnum.cn.uscc`), the reference of the tests, is stricter and wants
//! digits in positions 1–8; the two agree on every code whose first two characters are digits.
//!
//! Input is normalised before checking: full-width characters (`９１３３…`) and ideographic
//! spaces as registry exports sometimes carry them are folded, spaces and hyphens dropped,
//! letters upper-cased. O(18).

use crate::text::fold_width;
use std::fmt;

/// The 31 characters of the code, in value order.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights 3^i mod 31 of positions 1–17.
pub const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose check character is right.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CreditCode(String);

/// Why a text is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters, this has {0}")]
    Length(usize),
    #[error("character {position} `{found}` is not allowed{}", hint(*.found))]
    Character { position: usize, found: char },
    #[error(
        "characters 3-8 are the registering region's division code and must be digits; character {position} is `{found}`"
    )]
    Region { position: usize, found: char },
    #[error(
        "the check character is `{found}` but characters 1-17 give `{expected}` (a character is mistyped)"
    )]
    Check { found: char, expected: char },
}

/// What a letter outside the alphabet was probably meant to be.
fn hint(c: char) -> String {
    let meant = match c {
        'I' => "1",
        'O' => "0",
        'Z' => "2",
        'S' => "5",
        'V' => "U",
        _ => return " (the code uses 0-9 and the letters A-Y except I, O, S, V, Z)".into(),
    };
    format!(" (the code has no `{c}`; `{meant}` is the character it is usually mistaken for)")
}

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|v| v as u32)
}

/// The check character of the first 17 characters (which must be in [`ALPHABET`]).
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
        n += 1;
    }
    if n != 17 || first17.chars().count() != 17 {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(check as usize)
}

/// The code as a registry writes it, normalised: width folded, spaces and hyphens
/// dropped, upper case.
pub fn normalise(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

impl CreditCode {
    /// Checks a code (after [`normalise`]).
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let code = normalise(text);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::Length(chars.len()));
        }
        for (i, &c) in chars.iter().enumerate() {
            if value(c).is_none() {
                return Err(CreditCodeError::Character {
                    position: i + 1,
                    found: c,
                });
            }
            if (2..8).contains(&i) && !c.is_ascii_digit() {
                return Err(CreditCodeError::Region {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let expected = check_character(&code[..17]).expect("17 characters of the alphabet");
        if chars[17] != expected {
            return Err(CreditCodeError::Check {
                found: chars[17],
                expected,
            });
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit division code of the registering authority (positions 3–8).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }

    /// The organisation code, positions 9–17 (GB 11714).
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Whether the organisation code's own check character (GB 11714) is right. Not
    /// required by [`CreditCode::parse`] (module docs).
    pub fn organisation_code_valid(&self) -> bool {
        const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
        let org = self.organisation_code().as_bytes();
        let sum: u32 = org[..8]
            .iter()
            .zip(W)
            .map(|(&b, w)| {
                let v = match b {
                    b'0'..=b'9' => u32::from(b - b'0'),
                    _ => u32::from(b - b'A') + 10,
                };
                v * w
            })
            .sum();
        let expected = match 11 - sum % 11 {
            10 => b'X',
            11 => b'0',
            c => b'0' + c as u8,
        };
        org[8] == expected
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Expected {
        valid: Vec<String>,
        invalid: Vec<String>,
    }

    fn expected() -> Expected {
        serde_json::from_str(include_str!("../tests/reference/credit_code/expected.json")).unwrap()
    }

    // python-stdnum 2.2's verdicts (tests/reference/credit_code/generate.py) on codes
    // published by the firms themselves and on corrupted copies.
    #[test]
    fn agrees_with_python_stdnum_on_published_and_corrupted_codes() {
        let e = expected();
        assert!(e.valid.len() >= 6 && e.invalid.len() >= 20);
        for c in &e.valid {
            let code = CreditCode::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            assert!(code.organisation_code_valid(), "{c}");
        }
        for c in &e.invalid {
            assert!(CreditCode::parse(c).is_err(), "{c} should be refused");
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        let good = "91330100716105852F"; // Alibaba (China) Co., Ltd.
        CreditCode::parse(good).unwrap();
        let mut tried = 0;
        for i in 0..18 {
            for c in ALPHABET.chars() {
                let mut chars: Vec<char> = good.chars().collect();
                if chars[i] == c {
                    continue;
                }
                chars[i] = c;
                let bad: String = chars.into_iter().collect();
                assert!(CreditCode::parse(&bad).is_err(), "{bad} accepted");
                tried += 1;
            }
        }
        assert_eq!(tried, 18 * 30);
        // And every swap of two different adjacent characters.
        for i in 0..17 {
            let mut chars: Vec<char> = good.chars().collect();
            if chars[i] != chars[i + 1] {
                chars.swap(i, i + 1);
                let bad: String = chars.into_iter().collect();
                assert!(CreditCode::parse(&bad).is_err(), "{bad} accepted");
            }
        }
    }

    #[test]
    fn check_character_from_the_formula() {
        // 31 - (sum mod 31), 31 written as 0: Huawei's code ends in 6, PetroChina's in X.
        assert_eq!(check_character("91440300192203821"), Some('6'));
        assert_eq!(check_character("91110000710925462"), Some('X'));
        assert_eq!(check_character("9111000071092546"), None);
        assert_eq!(check_character("9111000071092546I"), None);
        // The weights are 3^i mod 31.
        let mut w = 1;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn registry_spellings_are_normalised_and_errors_say_why() {
        let code = CreditCode::parse(" ９１３３０１００７１６１０５８５２ｆ ").unwrap();
        assert_eq!(code.as_str(), "91330100716105852F");
        assert_eq!(code.division(), "330100");
        assert_eq!(code.organisation_code(), "716105852");
        assert_eq!(
            CreditCode::parse("9133010071610585")
                .unwrap_err()
                .to_string(),
            "a unified social credit code has 18 characters, this has 16"
        );
        assert_eq!(
            CreditCode::parse("91330100716105852O")
                .unwrap_err()
                .to_string(),
            "character 18 `O` is not allowed (the code has no `O`; `0` is the character it is usually mistaken for)"
        );
        assert_eq!(
            CreditCode::parse("9133A100716105852F")
                .unwrap_err()
                .to_string(),
            "characters 3-8 are the registering region's division code and must be digits; character 5 is `A`"
        );
        assert_eq!(
            CreditCode::parse("91330100716105853F")
                .unwrap_err()
                .to_string(),
            "the check character is `F` but characters 1-17 give `J` (a character is mistyped)"
        );
    }
}
