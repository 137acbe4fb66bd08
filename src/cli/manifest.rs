//! The extension's ids, read from the manifest this binary was built with: the Chromium id
//! derives from the manifest's `key`, the Firefox id is `browser_specific_settings.gecko.id`.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The manifest the extension is built from (`scripts/build.sh` copies it into dist/).
const MANIFEST: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/manifest.json"));

fn manifest() -> Value {
    serde_json::from_str(MANIFEST).expect("manifest.json is JSON (tests/manifest.rs)")
}

/// The id Chrome and Edge give the extension: the first 128 bits of the SHA-256 of the public key
/// (the manifest's `key`, base64 DER), each hex digit 0-f written as a letter a-p. The same
/// derivation as `extensionIdFromKey` in tests/e2e/harness.mjs.
pub fn chromium_id() -> String {
    let key = manifest()["key"].as_str().map(str::to_owned).expect("manifest.json has a key");
    id_from_key(&key).expect("the manifest's key is base64")
}

/// The id of the public key `base64_key`, or `None` if it is not base64.
pub fn id_from_key(base64_key: &str) -> Option<String> {
    let digest = Sha256::digest(base64(base64_key)?);
    Some(digest[..16].iter().flat_map(|byte| [byte >> 4, byte & 0xf]).map(|nibble| char::from(b'a' + nibble)).collect())
}

/// The id Firefox gives the add-on.
pub fn gecko_id() -> String {
    manifest()["browser_specific_settings"]["gecko"]["id"].as_str().expect("manifest.json has a gecko id").to_owned()
}

/// Standard base64 (padding optional, whitespace ignored): the key is the one base64 text here,
/// not worth a dependency.
fn base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> =
        text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').map(value).collect::<Option<_>>()?;
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, &d)| acc | u32::from(d) << (18 - 6 * i));
        let whole = chunk.len() * 6 / 8;
        bytes.extend(bits.to_be_bytes()[1..=whole].iter());
    }
    Some(bytes)
}
