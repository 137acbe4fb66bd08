//! Whole-token matching of names, shared by the environment and privilege heuristics.
//!
//! Names are split on anything not alphanumeric, on lower→upper case changes, before the last
//! capital of a capital run (`HTMLParser` → `HTML`, `Parser`) and between letters and digits, so
//! that `product-analytics` never reads as `prod` while `AcmeProd2` does.
//!
//! Only ASCII letters and digits take part in case and digit boundaries; any other non-ASCII
//! character counts as part of a word, so `prodé` is not `prod`. This keeps Unicode case tables,
//! a large part of the wasm, out of the build.
/// The lower-case tokens of `name`.
pub fn tokens(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            flush(&mut current, &mut out);
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (prev.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()))
                || (prev.is_ascii_alphabetic() && c.is_ascii_digit())
                || (prev.is_ascii_digit() && c.is_ascii_alphabetic());
            if boundary {
                flush(&mut current, &mut out);
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    flush(&mut current, &mut out);
    out
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    if !current.is_empty() {
        out.push(std::mem::take(current));
    }
}

/// A keyword and what it stands for. The keyword is written as people write it (`ReadOnlyAccess`)
/// and matches a run of one to three tokens that spell it (`read-only-access`, `ReadOnlyAccess`).
pub type Keyword<T> = (&'static str, T);

/// The longest name read for keywords: longer than any account alias, role, project or resource
/// group name. A longer text is no name, and reading it would only cost the worker time.
pub const MAX_NAME_BYTES: usize = 256;

/// Every keyword found in `name`, left to right, longest run first, runs not overlapping; none in a
/// text longer than [`MAX_NAME_BYTES`].
pub fn find_keywords<T: Copy>(name: &str, keywords: &[Keyword<T>]) -> Vec<(T, &'static str)> {
    if name.len() > MAX_NAME_BYTES {
        return Vec::new();
    }
    let tokens = tokens(name);
    let mut found = Vec::new();
    let mut i = 0;
    'scan: while i < tokens.len() {
        for run in (1..=3.min(tokens.len() - i)).rev() {
            let spelled: String = tokens[i..i + run].concat();
            if let Some(&(keyword, value)) = keywords.iter().find(|(k, _)| spells(k, &spelled)) {
                found.push((value, keyword));
                i += run;
                continue 'scan;
            }
        }
        i += 1;
    }
    found
}

/// Whether the lower-case `spelled` is `keyword` without its separators and capitals, compared in
/// place: no keyword is normalised again at every comparison.
fn spells(keyword: &str, spelled: &str) -> bool {
    let mut letters = keyword.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase());
    let mut rest = spelled.bytes();
    loop {
        match (letters.next(), rest.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_cases_and_digits() {
        let cases: &[(&str, &[&str])] = &[
            ("product-analytics", &["product", "analytics"]),
            ("AcmeProd2", &["acme", "prod", "2"]),
            ("ReadOnlyAccess", &["read", "only", "access"]),
            ("HTMLParser", &["html", "parser"]),
            ("paas-development-210707", &["paas", "development", "210707"]),
            ("  __ ", &[]),
            ("prodé-Live", &["prodé", "live"]),
        ];
        for (name, expected) in cases {
            assert_eq!(tokens(name), *expected, "{name}");
        }
    }

    #[test]
    fn longest_run_wins_and_runs_do_not_overlap() {
        let keywords = [("prod", 'p'), ("preprod", 's')];
        assert_eq!(find_keywords("acme-pre-prod", &keywords), vec![('s', "preprod")]);
        assert_eq!(find_keywords("acme-prod", &keywords), vec![('p', "prod")]);
        assert!(find_keywords("production-ish", &[("prod", 'p')]).is_empty());
        let long = format!("{}prod", "x".repeat(MAX_NAME_BYTES));
        assert!(find_keywords(&long, &[("prod", 'p')]).is_empty(), "no name is this long");
    }
}
