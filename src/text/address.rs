//! The parts of a browser URL that console detection reads.
//!
//! Browsers hand content scripts an already-normalised `location.href`, so this splits it rather
//! than parsing arbitrary input; anything it cannot split cleanly is simply not a console.

use crate::model::hex_value;

/// A URL split into the pieces detection needs. The host is lower-case and has no user-info or port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address<'a> {
    pub scheme: &'a str,
    pub host: String,
    pub path: &'a str,
    pub query: &'a str,
    pub fragment: &'a str,
}

impl<'a> Address<'a> {
    /// Splits `url` as `scheme://authority/path?query#fragment`.
    pub fn split(url: &'a str) -> Option<Address<'a>> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://")?;
        if scheme.is_empty()
            || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
        {
            return None;
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        // Whatever stands before the last '@' is user-info, not the host.
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host_port.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host_port,
        };
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        // Every label of the host has a character: `.a.example` or `a..example` names no host a
        // console could be served from, and its parts would mislead (a switch back to `.example`).
        if host.split('.').any(str::is_empty)
            || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return None;
        }
        let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (path, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
        Some(Address { scheme, host, path, query, fragment })
    }

    /// The percent-decoded value of the first `name=` parameter of the query.
    pub fn query_param(&self, name: &str) -> Option<String> {
        query_param(self.query, name)
    }

    /// The percent-decoded values of every `name=` parameter of the query.
    pub fn query_params(&self, name: &str) -> Vec<String> {
        query_params(self.query, name).collect()
    }
}

/// The percent-decoded values of the `name=` parameters of a `a=1&b=2` string; keys are decoded
/// as browsers decode them (`pro%6Aect` is `project`).
fn query_params<'q>(query: &'q str, name: &'q str) -> impl Iterator<Item = String> + 'q {
    let decode = |text: &str| percent_decode(&text.replace('+', " "));
    query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .filter(move |(key, _)| decode(key) == name)
        .map(move |(_, value)| decode(value))
}

/// The percent-decoded value of the first `name=` parameter of a `a=1&b=2` string.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query_params(query, name).next()
}

/// Decodes `%XX` escapes; invalid escapes are kept as they are, and a text whose escapes do not
/// decode to UTF-8 is returned undecoded.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| hex_value(&bytes[i + 1..i + 3]))
            .flatten()
            .map(|value| value as u8);
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Encodes like JavaScript's `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.extend(['%', char::from(HEX[usize::from(byte >> 4)]), char::from(HEX[usize::from(byte & 15)])]);
        }
    }
    out
}

/// The same page with `name=value` in its query, replacing an earlier value and keeping the rest.
pub(crate) fn with_query(address: &Address, name: &str, value: &str) -> String {
    let first = format!("{name}={}", percent_encode(value));
    let mut pairs: Vec<&str> = vec![&first];
    // Keys are compared decoded, as the console reads them: `pro%6Aect` is `project` too.
    pairs.extend(
        address
            .query
            .split('&')
            .filter(|p| !p.is_empty() && percent_decode(p.split('=').next().unwrap_or_default()) != name),
    );
    let fragment = if address.fragment.is_empty() { String::new() } else { format!("#{}", address.fragment) };
    format!("{}://{}{}?{}{fragment}", address.scheme, address.host, address.path, pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_user_info_and_port_off_the_host() {
        let a = Address::split("https://console.aws.amazon.com@evil.example:8443/x?y=1#z").unwrap();
        assert_eq!(a.host, "evil.example");
        assert_eq!((a.path, a.query, a.fragment), ("/x", "y=1", "z"));
        assert_eq!(Address::split("https://console.aws.amazon.com./x").unwrap().host, "console.aws.amazon.com");
    }

    #[test]
    fn refuses_hosts_with_empty_labels() {
        for url in ["https://.1111-x1.console.aws.amazon.com/", "https://a..console.aws.amazon.com/", "https://./"] {
            assert_eq!(Address::split(url), None, "{url}");
        }
    }

    #[test]
    fn decodes_query_values() {
        assert_eq!(query_param("a=1&region=eu%2Dwest-2&b", "region").as_deref(), Some("eu-west-2"));
        assert_eq!(query_param("b", "b").as_deref(), Some(""));
        assert_eq!(query_param("pro%6Aect=x&project=y", "project").as_deref(), Some("x"), "keys are decoded");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%41%zz%4"), "A%zz%4");
        assert_eq!(percent_decode("%+f%-1"), "%+f%-1", "a sign is no hex digit, as browsers decode");
        assert_eq!(percent_decode("a%FFb"), "a%FFb", "not UTF-8: left as it was");
        assert_eq!(percent_encode("a b/é?(x)"), "a%20b%2F%C3%A9%3F(x)");
        assert_eq!(percent_decode(&percent_encode("https://x/?a=1&b=2#c")), "https://x/?a=1&b=2#c");
    }
}
