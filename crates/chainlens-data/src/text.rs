//! Text as Chinese spreadsheets write it, made comparable: full-width ASCII forms
//! (U+FF01–U+FF5E, e.g. `１２３`, `ＡＢＣ`, `（`) folded to their ASCII letters and the
//! ideographic space (U+3000) to a space, as Unicode's compatibility decomposition maps
//! them (NFKC, restricted to these two blocks so that no dependency is needed). O(length).

/// Folds full-width ASCII and the ideographic space to half width.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_become_ascii() {
        assert_eq!(fold_width("ＡＢ１２３（亿元）　x"), "AB123(亿元) x");
        assert_eq!(fold_width("杭州市"), "杭州市");
    }
}
