//! The forms of identifiers: AWS account ids and regions, Azure GUIDs.

/// `eu-west-2`, `us-gov-west-1`, `cn-north-1`: letters in two or more dash-separated words, then a number.
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words.iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `1111-2222-3333` or `111122223333` → `111122223333`; anything else is not an account id.
pub fn normalise_account_id(text: &str) -> Option<String> {
    // Byte by byte, giving up at the first byte that cannot be part of one: a page can hand over
    // kilobytes of text where an id is read, and each evaluate reads several such places.
    let mut digits = String::with_capacity(12);
    for b in text.trim().bytes() {
        match b {
            b'-' | b' ' => {}
            b'0'..=b'9' if digits.len() < 12 => digits.push(char::from(b)),
            _ => return None,
        }
    }
    (digits.len() == 12).then_some(digits)
}

/// The value of `digits`, one to eight ASCII hex digits and nothing else (`from_str_radix` also
/// takes a sign, and costs the worker's wasm a parser per integer type).
pub(crate) fn hex_value(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    digits.iter().try_fold(0, |value, &b| Some(value << 4 | char::from(b).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_values_are_hex_digits_only() {
        for (digits, value) in [("ff", 255), ("0A", 10), ("10FFFF", 0x10_ffff), ("FFFFFFFF", u32::MAX)] {
            assert_eq!(hex_value(digits.as_bytes()), Some(value), "{digits}");
        }
        // A sign, a space or a ninth digit is no hex value (`from_str_radix` takes "+f").
        for digits in ["", "+f", "-1", " f", "0x1", "g0", "123456789"] {
            assert_eq!(hex_value(digits.as_bytes()), None, "{digits}");
        }
    }

    #[test]
    fn regions_are_recognised_by_shape() {
        for region in ["eu-west-2", "us-gov-west-1", "cn-north-1", "ap-southeast-4"] {
            assert!(is_region(region), "{region}");
        }
        for other in ["console", "eu-west", "eu-2", "EU-west-2", "eu--2", "123456789012-abcd1234"] {
            assert!(!is_region(other), "{other}");
        }
    }

    #[test]
    fn account_ids_are_normalised() {
        assert_eq!(normalise_account_id("1111-2222-3333").as_deref(), Some("111122223333"));
        assert_eq!(normalise_account_id("acme-prod"), None);
        assert_eq!(normalise_account_id("1111-2222-333"), None);
        assert_eq!(normalise_account_id(" 1111 2222-3333 ").as_deref(), Some("111122223333"));
        assert_eq!(normalise_account_id("1111-2222-33334"), None);
        assert_eq!(normalise_account_id("1111-2222-333٣"), None);
        assert_eq!(normalise_account_id("1111-2222-3333x"), None);
    }
}
