//! Simple `*` wildcards for rule ids and names.

/// Whether `text` matches `pattern`, case-insensitively; `*` stands for any run of characters.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else { return rest.is_empty() };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Whether `pattern` has a wildcard (exact ids and names beat patterns).
pub fn is_pattern(pattern: &str) -> bool {
    pattern.contains('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_any_run() {
        assert!(wildcard_match("acme-*-prod", "ACME-eu-prod"));
        assert!(!wildcard_match("acme-*", "other-acme-x"));
    }

    #[test]
    fn wildcards() {
        let cases = [
            ("prod", "PROD", true),
            ("prod", "prod-1", false),
            ("*", "", true),
            ("*-prod", "a-prod", true),
            ("*-prod", "-prod", true),
            ("a*a", "a", false),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "acb", false),
            ("111122223333", "111122223333", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(wildcard_match(pattern, text), expected, "{pattern} ~ {text}");
        }
    }
}
